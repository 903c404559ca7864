//! Scans of the YAML text itself, each in one pass: the lines of keys and list
//! items, the second occurrence of a duplicate key, and the limits checked
//! before the parser runs, so that no document takes the parser seconds to
//! refuse.

use crate::hash::{FastMap, FastSet};

/// The key a `key: value` line starts with, indentation and a list item's
/// `- ` removed.
pub(super) fn key_of(line: &str) -> Option<&str> {
    let text = line.trim_start();
    let text = text.strip_prefix("- ").unwrap_or(text).trim_start();
    Some(text[..text.find(':')?].trim_end())
}

/// Indentation of a `- ` list item line.
pub(super) fn item_start(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    (trimmed.starts_with("- ") || trimmed == "-").then(|| line.len() - trimmed.len())
}

/// Each unindented `key:` line's key → its 1-based line (the first, when a key
/// repeats), found in one pass.
pub(super) fn top_level_lines(text: &str) -> FastMap<&str, usize> {
    let mut keys = FastMap::default();
    for (i, l) in text.lines().enumerate() {
        if l.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some(colon) = l.find(':') {
            keys.entry(l[..colon].trim().trim_matches(['"', '\'']))
                .or_insert(i + 1);
        }
    }
    keys
}

/// When the block map whose first key is at `line`:`column` (1-based) of `text`
/// writes a key twice: the second one's line, column and key.
pub(super) fn duplicate_in_map_at(
    text: &str,
    line: usize,
    column: usize,
) -> Option<(usize, usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.get(line.checked_sub(1)?)?;
    let indent = column.checked_sub(1)?;
    // The map's first key may follow a `- ` on its item's line.
    let key_at = |l: &str, at: usize| -> Option<String> {
        let rest = l.get(at..)?;
        let colon = rest.find(':')?;
        let key = rest[..colon].trim();
        (!key.is_empty() && !key.starts_with(['#', '-', '[', '{']))
            .then(|| key.trim_matches(['"', '\'']).to_string())
    };
    let mut seen = FastSet::default();
    seen.insert(key_at(first, indent)?);
    for (i, l) in lines.iter().enumerate().skip(line) {
        let trimmed = l.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = l.len() - trimmed.len();
        if at < indent {
            break;
        }
        // Deeper lines belong to values; a `- ` at the keys' own indentation is
        // a list written flush with its key.
        if at > indent || trimmed.starts_with("- ") {
            continue;
        }
        let key = key_at(l, at)?;
        if seen.contains(&key) {
            return Some((i + 1, at + 1, key));
        }
        seen.insert(key);
    }
    None
}

/// Deepest nesting of `[…]` and `{…}` a document may have. The parser refuses
/// 128, but only after a scan that grows with the square of the depth: 100,000
/// brackets took it half a minute.
pub(super) const MAX_FLOW_DEPTH: usize = 64;

/// Where `text`'s flow collections (`[`, `{`) first nest deeper than
/// [`MAX_FLOW_DEPTH`], as a 1-based line and column; `None` when they do not.
/// Brackets inside quoted text and comments do not count; a bracket inside
/// plain text may, which only makes absurd nesting more likely to be refused.
pub(super) fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut line, mut column) = (1, 0);
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut comment = false;
    // Whether a value may start here: at a line start or after a separator.
    let mut token_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column, comment, token_start) = (line + 1, 0, false, true);
            continue;
        }
        if comment {
            continue;
        }
        match quote {
            Some('\'') if c == '\'' => {
                // `''` is a quote inside single-quoted text.
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    column += 1;
                } else {
                    quote = None;
                }
                continue;
            }
            Some('"') if c == '\\' => {
                chars.next();
                column += 1;
                continue;
            }
            Some(q) if c == q => {
                quote = None;
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        match c {
            '#' if token_start => comment = true,
            '\'' | '"' if token_start => quote = Some(c),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        token_start = c.is_whitespace() || matches!(c, '[' | '{' | ',' | ':' | '-');
    }
    None
}

/// Whether the error the parser placed at `line`:`column` (1-based) of `text`
/// is at a whole number too large to read (more than 64 bits).
pub(super) fn big_number_at(text: &str, line: usize, column: usize) -> Option<String> {
    let at = text.lines().nth(line.checked_sub(1)?)?;
    let from = at.char_indices().nth(column.checked_sub(1)?)?.0;
    let number: String = at[from..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == '+')
        .collect();
    (number.chars().filter(char::is_ascii_digit).count() > 18).then_some(number)
}

/// The 1-based line of the first alias (`*name`) in `text`, outside quotes
/// and comments: where an alias bomb begins to repeat its values.
pub(super) fn first_alias(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let code = l.split(" #").next().unwrap_or(l);
            code.match_indices('*').any(|(i, _)| {
                let before = code[..i].chars().next_back();
                let after = code[i + 1..].chars().next();
                before.is_none_or(|b| b.is_whitespace() || matches!(b, '[' | '{' | ','))
                    && after.is_some_and(char::is_alphanumeric)
            })
        })
        .map(|i| i + 1)
}

/// The lines a parse error at `line` (1-based) is most likely about: the one
/// above it, where the parser often only notices a problem, then its own.
fn near(text: &str, line: usize) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .skip(line.saturating_sub(2))
        .take(if line >= 2 { 2 } else { 1 })
}

/// A tab in the indentation of the line at or above a parse error at `line`:
/// its line and 1-based column. YAML indents with spaces only, and the parser
/// says only that the tab "cannot start any token".
pub(super) fn tab_indent(text: &str, line: usize) -> Option<(usize, usize)> {
    near(text, line).find_map(|(n, l)| {
        let indent = &l[..l.len() - l.trim_start().len()];
        indent.find('\t').map(|i| (n, i + 1))
    })
}

/// The last `#` that starts a word inside an unquoted `[…]` or `{…}` on or
/// above a parse error at `line`: YAML reads it as a comment and drops the
/// rest of the line, closing bracket included, so the parser blames a later
/// line. Its line, 1-based column and the word it starts.
pub(super) fn hash_in_flow(text: &str, line: usize) -> Option<(usize, usize, String)> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    lines.iter().enumerate().rev().find_map(|(i, l)| {
        let n = i + 1;
        let (mut depth, mut quote, mut before) = (0usize, None, ' ');
        for (i, c) in l.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                (None, '#') if depth > 0 && (before.is_whitespace() || "[{,".contains(before)) => {
                    let word: String = l[i..]
                        .chars()
                        .take_while(|c| !c.is_whitespace() && !",]}".contains(*c))
                        .collect();
                    return Some((n, l[..i].chars().count() + 1, word));
                }
                _ => {}
            }
            before = c;
        }
        None
    })
}
