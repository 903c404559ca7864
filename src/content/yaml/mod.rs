//! The only module that touches `serde_yaml` (deprecated upstream, so a fork can
//! replace it here alone). It parses a YAML mapping into top-level fields with their
//! line numbers, as neutral `serde_json` values, finds the lines of nested fields,
//! and reads lists of maps (an entry's `sources`, the site's `eras`) item by item.

mod scan;
mod values;

use serde_json::{Map, Value};

use crate::diagnostic::{did_you_mean, FileReport, Severity};
use crate::hash::FastMap;
use scan::{duplicate_in_map_at, item_start, key_of, top_level_lines};
pub(crate) use values::{boolean, date, integer, kind, text, text_list};
use values::{kind_of_yaml, scalar_text, to_json};

/// One top-level `key: value` pair and the file line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    /// The key as written.
    pub key: String,
    /// The value, with YAML scalars kept as typed (`2017` a number, `2017-10` a string).
    pub value: Value,
    /// 1-based line of the key in the file.
    pub line: usize,
}

/// Why a YAML document could not be read, at a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// 1-based file line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub kind: SyntaxErrorKind,
}

/// The kinds of [`SyntaxError`], so callers never tell them apart by their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SyntaxErrorKind {
    /// The YAML parser's own message, without its position suffix.
    Parse(String),
    /// A key written twice in one map; the error is placed at the second.
    DuplicateKey(String),
    /// The document is a list or a scalar, not `key: value` lines.
    NotAMapping(&'static str),
    /// A value carries a YAML tag (`!x`), which nothing here reads.
    Tagged(String),
    /// A map key that is a list or a map.
    KeyNotText,
    /// Lists or maps written inside each other deeper than dateline reads.
    TooDeep,
    /// A whole number beyond 64 bits.
    NumberTooLarge(String),
    /// Aliases (`*name`) that repeat values beyond what the parser allows.
    TooManyAliases,
    /// A tab in a line's indentation.
    TabIndent,
    /// A `#word` inside an unquoted `[…]`, which YAML reads as a comment.
    CommentInList(String),
}

impl SyntaxError {
    /// The message, lower case, naming the offending value in backticks.
    pub(crate) fn message(&self) -> String {
        match &self.kind {
            SyntaxErrorKind::Parse(message) => message.clone(),
            SyntaxErrorKind::DuplicateKey(key) => format!("key `{key}` is written twice"),
            SyntaxErrorKind::NotAMapping(found) => {
                format!("expected `key: value` lines, found {found}")
            }
            SyntaxErrorKind::Tagged(tag) => {
                format!("YAML tags such as `{tag}` are not supported; remove the tag")
            }
            SyntaxErrorKind::KeyNotText => "map keys must be plain text".into(),
            SyntaxErrorKind::TabIndent => "this line is indented with a tab".into(),
            SyntaxErrorKind::CommentInList(word) => format!(
                "`#` starts a comment in YAML, so `{word}` and the rest of the line are dropped"
            ),
            SyntaxErrorKind::TooDeep => format!(
                "lists and maps nest more than {} deep",
                scan::MAX_FLOW_DEPTH
            ),
            SyntaxErrorKind::NumberTooLarge(n) => format!("the number `{n}` is too large"),
            SyntaxErrorKind::TooManyAliases => {
                "aliases (`*name`) repeat values more times than dateline reads".into()
            }
        }
    }

    /// The fix.
    pub(crate) fn help(&self) -> &'static str {
        match &self.kind {
            SyntaxErrorKind::DuplicateKey(_) => "each key may appear once; merge the two",
            SyntaxErrorKind::NotAMapping(_) => "write one `key: value` per line, e.g. `title: \"What happened\"`",
            SyntaxErrorKind::Tagged(_) | SyntaxErrorKind::KeyNotText => "write plain `key: value` pairs",
            SyntaxErrorKind::TooDeep => "write the data flatter; no timeline needs this nesting",
            SyntaxErrorKind::NumberTooLarge(_) => "quote it if it is text (`\"12345678901234567890\"`), or write a smaller number",
            SyntaxErrorKind::TooManyAliases => "write the values out instead of repeating them through aliases",
            SyntaxErrorKind::TabIndent => "YAML indents with spaces only: replace the tab with spaces",
            SyntaxErrorKind::CommentInList(_) => "quote the term, e.g. `tags: [\"#MeToo\", Transport]`",
            SyntaxErrorKind::Parse(_) => "check indentation and quoting on this line or the one above; quote text that contains `: ` or starts with `#`, `*`, `&`, `[` or `{`",
        }
    }
}

/// A parsed YAML mapping: its fields and the text they came from, to locate nested keys.
#[derive(Debug)]
pub(crate) struct Mapping<'a> {
    /// The top-level fields in the order written.
    pub fields: Vec<Field>,
    /// The lines of the text, split once: nested keys are looked up once per value.
    lines: Vec<&'a str>,
    first_line: usize,
}

/// Parses `text`, whose first line is line `first_line` of its file, as a mapping.
/// An empty document is an empty mapping.
pub(crate) fn parse_mapping(text: &str, first_line: usize) -> Result<Mapping<'_>, SyntaxError> {
    let at = |line: usize, column: usize, kind: SyntaxErrorKind| SyntaxError {
        line: line + first_line - 1,
        column,
        kind,
    };
    if let Some((line, column)) = scan::too_deep(text) {
        return Err(at(line, column, SyntaxErrorKind::TooDeep));
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let Some(location) = e.location() else {
            // The parser gives no position only when aliases repeat too much.
            return match scan::first_alias(text) {
                Some(line) => at(line, 1, SyntaxErrorKind::TooManyAliases),
                None => at(1, 1, SyntaxErrorKind::Parse(e.to_string())),
            };
        };
        let (line, column) = (location.line(), location.column());
        // serde_yaml places a duplicate key at the start of its map; find the
        // second one in that map, so the editor is shown the line to merge.
        if let Some((line, column, key)) = duplicate_in_map_at(text, line, column) {
            return at(line, column, SyntaxErrorKind::DuplicateKey(key));
        }
        if let Some(number) = scan::big_number_at(text, line, column) {
            return at(line, column, SyntaxErrorKind::NumberTooLarge(number));
        }
        if let Some((line, column)) = scan::tab_indent(text, line) {
            return at(line, column, SyntaxErrorKind::TabIndent);
        }
        if let Some((line, column, word)) = scan::hash_in_flow(text, line) {
            return at(line, column, SyntaxErrorKind::CommentInList(word));
        }
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        at(line, column, SyntaxErrorKind::Parse(message.to_string()))
    })?;
    let mapping = match value {
        serde_yaml::Value::Mapping(m) => m,
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        other => return Err(at(1, 1, SyntaxErrorKind::NotAMapping(kind_of_yaml(&other)))),
    };
    let key_lines = top_level_lines(text);
    let mut fields = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let key = scalar_text(&key).unwrap_or_else(|| "?".to_string());
        let line = key_lines.get(key.as_str()).copied().unwrap_or(1);
        let value = to_json(value).map_err(|kind| at(line, 1, kind))?;
        fields.push(Field {
            key,
            value,
            line: line + first_line - 1,
        });
    }
    Ok(Mapping {
        fields,
        lines: text.lines().collect(),
        first_line,
    })
}

/// The shape of a list of maps, such as an entry's `sources`: what one item is
/// called in messages, the fields an item may have, those it must have, and an
/// example of a good item for the `help:` line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListShape<'s> {
    /// The key holding the list, e.g. `sources`.
    pub key: &'s str,
    /// One item in messages, e.g. `source`.
    pub noun: &'s str,
    /// The fields an item may have.
    pub fields: &'s [&'s str],
    /// The fields an item must have.
    pub required: &'s [&'s str],
    /// How a good item is written.
    pub help: &'s str,
}

/// One well-formed item of a list of maps: a map with only known fields and
/// every required one, and the file lines of its fields.
#[derive(Debug)]
pub(crate) struct Item<'v> {
    /// The item's fields.
    pub map: &'v Map<String, Value>,
    /// File line of the item.
    line: usize,
    /// File line of each field of the item, where it has a line of its own.
    field_lines: FieldLines<'v>,
}

/// The file line of each field of a nested map, where it has a line of its
/// own; the map's own line for the others.
#[derive(Debug)]
pub(crate) struct FieldLines<'v> {
    lines: FastMap<&'v str, usize>,
    otherwise: usize,
}

impl FieldLines<'_> {
    /// The file line of `field`.
    pub(crate) fn of(&self, field: &str) -> usize {
        self.lines.get(field).copied().unwrap_or(self.otherwise)
    }
}

impl Item<'_> {
    /// Whether the item, number `number` of its list, has only known fields and
    /// every required one; reports each that is not.
    fn has_its_shape(
        &self,
        number: usize,
        shape: &ListShape<'_>,
        report: &mut FileReport<'_>,
    ) -> bool {
        let mut ok = true;
        for name in self
            .map
            .keys()
            .filter(|k| !shape.fields.contains(&k.as_str()))
        {
            ok = false;
            if report.has_room(Severity::Error) {
                report.error(
                    self.line_of(name),
                    Some(name),
                    format!("unknown key `{name}` in {} {number}", shape.noun),
                    Some(did_you_mean(name, shape.fields)),
                );
            }
        }
        for field in shape
            .required
            .iter()
            .filter(|f| !self.map.contains_key(**f))
        {
            ok = false;
            report.error(
                self.line,
                None,
                format!("{} {number} has no `{field}`", shape.noun),
                Some(shape.help.into()),
            );
        }
        ok
    }

    /// The file line of `field`, or of the item when the field has no line of its own.
    pub(crate) fn line_of(&self, field: &str) -> usize {
        self.field_lines.of(field)
    }
}

impl Mapping<'_> {
    /// The file line of each field of `map`, the map under the top-level key on
    /// `key_line`; `key_line` itself for a one-line `{ … }` map.
    pub(crate) fn nested_lines<'v>(
        &self,
        key_line: usize,
        map: &'v Map<String, Value>,
    ) -> FieldLines<'v> {
        let lines = &self.lines;
        let start = (key_line + 1)
            .saturating_sub(self.first_line)
            .min(lines.len());
        let end = (start..lines.len())
            .find(|&i| !(lines[i].is_empty() || lines[i].starts_with([' ', '\t', '#'])))
            .unwrap_or(lines.len());
        FieldLines {
            lines: self.field_lines(map, start..end),
            otherwise: key_line,
        }
    }

    /// The text of file line `line`, when it is inside this mapping.
    pub(crate) fn line_text(&self, line: usize) -> Option<&str> {
        self.lines.get(line.checked_sub(self.first_line)?).copied()
    }

    /// The file line of each item of the block list under the top-level key on
    /// `key_line`, found in one pass; an item of a one-line `[ … ]` list has the
    /// key's line.
    pub(crate) fn item_lines(&self, key_line: usize, count: usize) -> Vec<usize> {
        let (starts, _) = self.item_block(key_line);
        (0..count)
            .map(|i| starts.get(i).map_or(key_line, |&s| s + self.first_line))
            .collect()
    }

    /// 0-based indices of the lines that start items of the block list under the
    /// key on `key_line`, and the index where the block ends.
    fn item_block(&self, key_line: usize) -> (Vec<usize>, usize) {
        let lines = &self.lines;
        let start = (key_line + 1)
            .saturating_sub(self.first_line)
            .min(lines.len());
        let end = (start..lines.len())
            .find(|&i| !lines[i].is_empty() && !lines[i].starts_with([' ', '\t', '-', '#']))
            .unwrap_or(lines.len());
        let indent = lines[start..end].iter().filter_map(|l| item_start(l)).min();
        let starts = match indent {
            Some(indent) => (start..end)
                .filter(|&i| item_start(lines[i]) == Some(indent))
                .collect(),
            None => Vec::new(),
        };
        (starts, end)
    }

    /// Reads the list of maps `value` under the top-level key on `key_line`,
    /// reporting in `report` a value that is not a list, an item that is not a
    /// map, an unknown field (with the nearest known one) and a missing required
    /// field. Returns the items without such problems.
    pub(crate) fn list_of_maps<'v>(
        &self,
        key_line: usize,
        value: &'v Value,
        shape: &ListShape<'_>,
        report: &mut FileReport<'_>,
    ) -> Vec<Item<'v>> {
        let Value::Array(items) = value else {
            report.error(
                key_line,
                Some(shape.key),
                format!("`{}`: expected a list, found {}", shape.key, kind(value)),
                Some(shape.help.into()),
            );
            return Vec::new();
        };
        let (starts, end) = self.item_block(key_line);
        let mut good = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let number = i + 1;
            let first = starts.get(i).copied();
            let line = first.map_or(key_line, |s| s + self.first_line);
            let Value::Object(map) = item else {
                report.error(
                    line,
                    None,
                    format!(
                        "{} {number}: expected a map, found {}",
                        shape.noun,
                        kind(item)
                    ),
                    Some(shape.help.into()),
                );
                continue;
            };
            let last = starts.get(i + 1).copied().unwrap_or(end);
            let item = Item {
                map,
                line,
                field_lines: FieldLines {
                    lines: first
                        .map_or_else(FastMap::default, |first| self.field_lines(map, first..last)),
                    otherwise: line,
                },
            };
            if item.has_its_shape(number, shape, report) {
                good.push(item);
            }
        }
        good
    }

    /// The file line of each of `map`'s fields that is written on a line of its
    /// own among the lines `within` (0-based) of its item (the first, when a
    /// nested map repeats a name), in one pass over the lines.
    fn field_lines<'v>(
        &self,
        map: &'v Map<String, Value>,
        within: std::ops::Range<usize>,
    ) -> FastMap<&'v str, usize> {
        let mut lines = FastMap::default();
        for l in within {
            let Some(key) = key_of(self.lines[l]) else {
                continue;
            };
            if let Some((name, _)) = map.get_key_value(key) {
                lines.entry(name.as_str()).or_insert(l + self.first_line);
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_years_as_numbers_and_months_as_text() {
        let m = parse_mapping("date: 2017\nend_date: 2017-10\ntitle: x\n", 2).expect("parses");
        assert_eq!(m.fields[0].value, Value::Number(2017.into()));
        assert_eq!(m.fields[1].value, Value::String("2017-10".into()));
        let lines: Vec<usize> = m.fields.iter().map(|f| f.line).collect();
        assert_eq!(lines, [2, 3, 4]);
    }

    #[test]
    fn reports_syntax_errors_at_file_lines() {
        let err = parse_mapping("title: x\ntags: [a\n", 5).expect_err("unclosed list");
        assert!(err.line >= 6, "{err:?}");
        assert!(!err.message().contains(" at line "), "{}", err.message());
        let err = parse_mapping("title: [unclosed\ndate: 2\n", 1).expect_err("unclosed");
        assert_eq!(
            (err.line, err.column),
            (2, 5),
            "the parser's column is kept"
        );
        let err = parse_mapping("title: a\ndate: 1\ntitle: b\n", 2).expect_err("duplicate");
        assert_eq!(err.kind, SyntaxErrorKind::DuplicateKey("title".into()));
        assert_eq!(
            (err.line, err.column),
            (4, 1),
            "placed at the second `title`"
        );
        let err = parse_mapping("sources:\n  - title: a\n    url: u\n    title: b\n", 1)
            .expect_err("duplicate in an item");
        assert_eq!(err.kind, SyntaxErrorKind::DuplicateKey("title".into()));
        assert_eq!((err.line, err.column), (4, 5));
    }

    #[test]
    fn rejects_a_document_that_is_not_a_mapping() {
        assert!(parse_mapping("- a\n- b\n", 2).is_err());
        assert!(parse_mapping("", 2)
            .expect("empty is fine")
            .fields
            .is_empty());
    }

    #[test]
    fn finds_lines_of_fields_inside_list_items() {
        let text = "title: x\nsources:\n  - title: A\n    url: a\n  - title: B\n    url: b\nimage:\n  src: x\n";
        let m = parse_mapping(text, 2).expect("parses");
        let key_line = m.fields[1].line;
        assert_eq!(key_line, 3);
        let shape = ListShape {
            key: "sources",
            noun: "source",
            fields: &["title", "url"],
            required: &["title"],
            help: "",
        };
        let mut report = FileReport::new(std::path::Path::new("a.md"), text);
        let items = m.list_of_maps(key_line, &m.fields[1].value, &shape, &mut report);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert_eq!(items[0].line_of("url"), 5);
        assert_eq!(items[1].line_of("url"), 7);
        assert_eq!(items[1].line_of("missing"), 6);
        assert_eq!(m.item_lines(key_line, 3), [4, 6, 3]);
        let Value::Object(image) = &m.fields[2].value else {
            panic!("image is a map")
        };
        assert_eq!(m.nested_lines(8, image).of("src"), 9);
        assert_eq!(m.nested_lines(8, image).of("alt"), 8);
    }

    #[test]
    fn lists_of_maps_report_their_shape_errors_item_by_item() {
        let text = "sources:\n  - title: A\n    link: a\n  - plain\n  - url: u\n";
        let m = parse_mapping(text, 1).expect("parses");
        let shape = ListShape {
            key: "sources",
            noun: "source",
            fields: &["title", "url"],
            required: &["title", "url"],
            help: "write it right",
        };
        let mut report = FileReport::new(std::path::Path::new("a.md"), text);
        let items = m.list_of_maps(1, &m.fields[0].value, &shape, &mut report);
        assert!(items.is_empty());
        let found: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.span.map_or(0, |s| s.line), d.message))
            .collect();
        assert_eq!(
            found,
            [
                "3: unknown key `link` in source 1",
                "2: source 1 has no `url`",
                "4: source 2: expected a map, found text",
                "5: source 3 has no `title`",
            ]
        );
    }

    #[test]
    fn survives_alias_bombs() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        assert!(parse_mapping(bomb, 1).is_err());
    }
}
