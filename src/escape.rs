//! Escaping for HTML (every `{{ }}` in a template) and XML (Atom feeds, sitemap).
//! Both drop the control characters their format forbids, so a stray byte in a
//! title cannot reach a page or make a feed unreadable.
//!
//! Templates escape every value they print, and Tera also escapes the values it
//! only tests (`{% if page.description %}`), so this runs over most of the text of
//! a site: it scans bytes and copies runs of plain text at once.

fn html_step(bytes: &[u8], i: usize) -> Step {
    match bytes[i] {
        b'&' => Step::Replace("&amp;", 1),
        b'<' => Step::Replace("&lt;", 1),
        b'>' => Step::Replace("&gt;", 1),
        b'"' => Step::Replace("&quot;", 1),
        b'\'' => Step::Replace("&#39;", 1),
        // C0 controls other than the whitespace HTML allows (tab, LF, FF, CR), and DEL.
        0x00..=0x08 | 0x0B | 0x0E..=0x1F | 0x7F => Step::Replace("", 1),
        // C1 controls, U+0080 to U+009F, are 0xC2 0x80 to 0xC2 0x9F in UTF-8.
        0xC2 if matches!(bytes.get(i + 1), Some(0x80..=0x9F)) => Step::Replace("", 2),
        _ => Step::Keep,
    }
}

/// Writes `text` escaped for HTML text or a quoted attribute value into `out`;
/// Tera's escape function, so values go straight into the page. Unlike Tera's
/// default it leaves `/` alone, which is valid and keeps URLs readable.
pub(crate) fn html_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape(text, &HTML_SPECIAL, html_step, |run| {
        if result.is_ok() {
            result = out.write_all(run.as_bytes());
        }
    });
    result
}

/// Escapes `text` for XML 1.0 content or a double-quoted attribute value.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape(text, &XML_SPECIAL, xml_step, |run| out.push_str(run));
    out
}

fn xml_step(bytes: &[u8], i: usize) -> Step {
    match bytes[i] {
        b'&' => Step::Replace("&amp;", 1),
        b'<' => Step::Replace("&lt;", 1),
        b'>' => Step::Replace("&gt;", 1),
        b'"' => Step::Replace("&quot;", 1),
        b'\'' => Step::Replace("&apos;", 1),
        // XML 1.0 allows no C0 control but tab, LF and CR.
        0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F => Step::Replace("", 1),
        // Nor U+FFFE and U+FFFF: 0xEF 0xBF 0xBE and 0xEF 0xBF 0xBF.
        0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
            Step::Replace("", 3)
        }
        _ => Step::Keep,
    }
}

/// Bytes that may start something to replace, for each format: the markup
/// characters, the controls, and the lead byte of the forbidden multi-byte ones.
const HTML_SPECIAL: [bool; 256] = special(b"&<>\"'\x7F\xC2");
const XML_SPECIAL: [bool; 256] = special(b"&<>\"'\xEF");

const fn special(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b, 0x09 | 0x0A | 0x0D);
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

/// What to do with the byte at a position.
enum Step {
    Keep,
    /// Write this text instead of the next `n` bytes.
    Replace(&'static str, usize),
}

/// Scans `text`, handing `emit` the runs of text to write in order: plain text as
/// it is, and the replacement of each sequence `step` replaces.
fn escape(
    text: &str,
    special: &[bool; 256],
    step: fn(&[u8], usize) -> Step,
    mut emit: impl FnMut(&str),
) {
    let bytes = text.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Most text has nothing to escape: skip it with one table look-up a byte.
        if !special[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        match step(bytes, i) {
            Step::Keep => i += 1,
            Step::Replace(with, n) => {
                // Every replaced sequence is a whole character (ASCII, or a complete
                // UTF-8 sequence), so both ends are character boundaries.
                emit(&text[plain..i]);
                emit(with);
                i += n;
                plain = i;
            }
        }
    }
    emit(&text[plain..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        let mut out = Vec::new();
        assert!(html_to(text, &mut out).is_ok());
        String::from_utf8(out).expect("escaped text is UTF-8")
    }

    #[test]
    fn html_escapes_the_five_characters_and_leaves_slashes() {
        assert_eq!(html("a<b>&\"c'/é"), "a&lt;b&gt;&amp;&quot;c&#39;/é");
        assert_eq!(html(""), "");
        assert_eq!(html("plain"), "plain");
    }

    #[test]
    fn html_drops_c0_c1_and_del_but_keeps_whitespace_and_other_text() {
        assert_eq!(html("NUL\0and\u{1b}[2J<\u{85}"), "NULand[2J&lt;");
        assert_eq!(
            html("a\tb\nc\u{c}d\re\u{7f}f\u{9f}g\u{a0}h"),
            "a\tb\nc\u{c}d\refg\u{a0}h"
        );
        // U+00C2 itself (Â) and other two-byte characters survive.
        assert_eq!(html("Â¢ ¿ ŀ"), "Â¢ ¿ ŀ");
    }

    #[test]
    fn xml_escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(xml("bell\u{7}\0 tab\t"), "bell tab\t");
        assert_eq!(
            xml("a\u{FFFE}b\u{FFFF}c\u{FFFD}d\u{EFBF}"),
            "abc\u{FFFD}d\u{EFBF}"
        );
    }

    proptest::proptest! {
        /// The byte scan gives what a plain character-by-character escaper gives.
        #[test]
        fn agrees_with_a_character_by_character_escaper(s in "\\PC*|[\\x00-\\x{a0}&<>\"'\\x{FFFE}\\x{FFFF}]*") {
            let html_expected: String = s
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\u{c}' | '\r'))
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            proptest::prop_assert_eq!(html(&s), html_expected);
            let xml_expected: String = s
                .chars()
                .filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r'))
                .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&apos;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            proptest::prop_assert_eq!(xml(&s), xml_expected);
        }
    }
}
