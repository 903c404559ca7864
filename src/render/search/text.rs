//! Text → search words, folded the way `dateline.js` folds a query, so a word
//! the reader types is found byte for byte: compatibility decomposition, marks
//! dropped, lower case, curly apostrophes straight. Scripts written without
//! spaces (Han, kana, Hangul, Thai) give every character and every pair of
//! neighbours, so "東京" is found without a dictionary.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Calls `word` with each folded word of `text`, in order. `buf` is scratch
/// space, reused so that a word costs no allocation.
pub(crate) fn words(text: &str, buf: &mut String, word: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii_alphanumeric() {
            // Most words of most sites are ASCII: found and folded a byte at a
            // time. A run that meets any other byte goes the general way.
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            let ends_word = match bytes.get(at) {
                None => true,
                Some(b'\'') => bytes
                    .get(at + 1)
                    .is_none_or(|&b| b < 0x80 && !b.is_ascii_alphanumeric()),
                Some(&next) => next < 0x80,
            };
            if ends_word {
                buf.clear();
                buf.push_str(&text[start..at]);
                buf.make_ascii_lowercase();
                word(buf);
                continue;
            }
            at = start;
        } else if b < 0x80 {
            at += 1;
            continue;
        }
        let rest = &text[at..];
        let Some(start) = rest.find(is_word_char) else {
            return;
        };
        if start > 0 {
            at += start;
            continue;
        }
        let end = word_end(rest);
        fold_run(&rest[..end], buf, word);
        at += end;
    }
}

/// Calls `word` with each folded word of a Markdown body: like [`words`], but
/// link destinations, autolinks and HTML tags are not words of the text.
pub(crate) fn markdown_words(body: &str, buf: &mut String, word: &mut impl FnMut(&str)) {
    for part in prose(body) {
        words(part, buf, word);
    }
}

/// The parts of a Markdown body a reader reads: everything but `](…)` link
/// destinations, `<…>` tags and autolinks, and reference definitions. A scan,
/// not a parse: search needs the words, and a full parse of every body again
/// would double the cost of indexing.
pub(crate) fn prose(body: &str) -> impl Iterator<Item = &str> {
    let mut rest = body;
    std::iter::from_fn(move || {
        while !rest.is_empty() {
            let Some(at) = memchr::memchr3(b'<', b']', b'\n', rest.as_bytes()) else {
                return Some(std::mem::take(&mut rest));
            };
            let (text, tail) = rest.split_at(at);
            let skip = match tail.as_bytes() {
                [b']', b'(', ..] => tail.find(')').map_or(tail.len(), |end| end + 1),
                [b']', b':', ..] => tail.find('\n').unwrap_or(tail.len()),
                [b'<', next, ..] if next.is_ascii_alphabetic() || matches!(next, b'/' | b'!') => {
                    tail.find('>').map_or(1, |end| end + 1)
                }
                _ => 1,
            };
            rest = &tail[skip..];
            if !text.is_empty() {
                return Some(text);
            }
        }
        None
    })
}

/// The first `max` characters of a body's prose, on one line, for a result's
/// snippet when an entry has no summary.
pub(crate) fn snippet(body: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for part in prose(body) {
        for piece in part.split_whitespace() {
            let piece = piece.trim_matches(|c| matches!(c, '#' | '*' | '_' | '>' | '`' | '['));
            if piece.is_empty() {
                continue;
            }
            if count + piece.chars().count() + 1 > max {
                if !out.is_empty() {
                    out.push('…');
                }
                return out;
            }
            if !out.is_empty() {
                out.push(' ');
                count += 1;
            }
            out.push_str(piece);
            count += piece.chars().count();
        }
    }
    out
}

/// Where the run of word characters at the start of `text` ends; an apostrophe
/// between two word characters is part of the word ("Milano's").
fn word_end(text: &str) -> usize {
    let mut chars = text.char_indices().peekable();
    let mut end = 0;
    while let Some((at, c)) = chars.next() {
        if is_word_char(c) {
            end = at + c.len_utf8();
        } else if is_apostrophe(c) && end == at {
            match chars.peek() {
                Some(&(_, next)) if is_word_char(next) => end = at + c.len_utf8(),
                _ => break,
            }
        } else {
            break;
        }
    }
    end
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

/// Folds one run of word characters and hands out its words: the run itself,
/// or for scripts without spaces its characters and their pairs.
fn fold_run(run: &str, buf: &mut String, word: &mut impl FnMut(&str)) {
    buf.clear();
    if run.is_ascii() {
        buf.extend(run.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        for c in run.nfkd().filter(|c| !is_combining_mark(*c)) {
            if is_apostrophe(c) {
                buf.push('\'');
            } else {
                buf.extend(c.to_lowercase());
            }
        }
    }
    if buf.is_empty() {
        return;
    }
    if !buf.chars().any(unspaced) {
        word(buf);
        return;
    }
    // Mixed runs ("iPhone的") split into their spaced and unspaced parts.
    let folded = std::mem::take(buf);
    let mut spaced = String::new();
    let mut last: Option<(usize, char)> = None;
    for (at, c) in folded.char_indices() {
        if unspaced(c) {
            if !spaced.is_empty() {
                word(&spaced);
                spaced.clear();
            }
            word(&folded[at..at + c.len_utf8()]);
            if let Some((from, _)) = last.filter(|(_, p)| unspaced(*p)) {
                word(&folded[from..at + c.len_utf8()]);
            }
        } else if c != '\'' || !spaced.is_empty() {
            spaced.push(c);
        }
        last = Some((at, c));
    }
    if !spaced.is_empty() {
        word(spaced.trim_end_matches('\''));
    }
    *buf = folded;
}

/// Scripts written without spaces between words.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F // Thai
        | 0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF // Hangul
        | 0x2E80..=0x2FDF | 0x3005 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B // Han marks
        | 0x3040..=0x30FF | 0x31F0..=0x31FF // kana
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF // Han
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        words(text, &mut String::new(), &mut |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_are_folded_as_a_reader_types_them() {
        assert_eq!(
            all("Café MILANO’s “Me too” naïve—2017"),
            ["cafe", "milano's", "me", "too", "naive", "2017"]
        );
        assert_eq!(all("'quoted' rock'n'roll ’"), ["quoted", "rock'n'roll"]);
        assert_eq!(all("ﬁnal ²"), ["final", "2"]);
        assert_eq!(
            all("a'b c' d'é e’f Zoë's"),
            ["a'b", "c", "d'e", "e'f", "zoe's"]
        );
    }

    /// The general way alone, which the ASCII way must match.
    fn general(text: &str) -> Vec<String> {
        let (mut out, mut buf, mut rest) = (Vec::new(), String::new(), text);
        while let Some(start) = rest.find(is_word_char) {
            rest = &rest[start..];
            let end = word_end(rest);
            fold_run(&rest[..end], &mut buf, &mut |w| out.push(w.to_string()));
            rest = &rest[end..];
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_way_finds_the_same_words(text in "[a-zA-Z0-9 '’.éÉ東京-]{0,40}") {
            proptest::prop_assert_eq!(all(&text), general(&text));
        }
    }

    #[test]
    fn scripts_without_spaces_give_characters_and_pairs() {
        assert_eq!(all("東京都"), ["東", "京", "東京", "都", "京都"]);
        assert_eq!(all("iPhone的"), ["iphone", "的"]);
    }

    #[test]
    fn link_destinations_and_tags_are_not_prose() {
        let body = "See [the report](https://example.com/x-files) and <a href=\"y\">this</a>.\n\n[ref]: https://other.example/\nDone <https://z.example>.";
        let mut out = Vec::new();
        markdown_words(body, &mut String::new(), &mut |w| out.push(w.to_string()));
        // A reference's label is indexed: rare, and it is usually a word of the text.
        assert_eq!(out, ["see", "the", "report", "and", "this", "ref", "done"]);
    }

    #[test]
    fn snippets_stop_at_a_word_and_say_so() {
        assert_eq!(
            snippet("## Heading\n\nSome *bold* text here.", 100),
            "Heading Some bold text here."
        );
        assert_eq!(snippet("one two three four", 10), "one two…");
    }
}
