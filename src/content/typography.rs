//! Curly quotes, apostrophes, dashes and ellipses for the plain-text fields of
//! front matter (titles, summaries), as the Markdown renderer makes them in
//! bodies: a headline with "straight" quotes above a body with “curly” ones
//! reads as two typefaces.

/// `text` with `"` and `'` turned into “ ” ‘ ’, `--` and `---` into – and —,
/// and `...` into …, by the side of the word each quote stands on.
pub(crate) fn smarten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match c {
            '"' | '\'' => {
                let opens =
                    prev.is_none_or(opens_after) && next.is_some_and(|n| !n.is_whitespace());
                // '90s and 'tis: an apostrophe where a quote would open.
                let elided = c == '\'' && next.is_some_and(|n| n.is_ascii_digit());
                out.push(match (c, opens && !elided) {
                    ('"', true) => '\u{201c}',
                    ('"', false) => '\u{201d}',
                    (_, true) => '\u{2018}',
                    (_, false) => '\u{2019}',
                });
            }
            '-' if next == Some('-') => {
                if chars.get(i + 2) == Some(&'-') {
                    out.push('\u{2014}');
                    i += 2;
                } else {
                    out.push('\u{2013}');
                    i += 1;
                }
            }
            '.' if chars.get(i + 1..i + 3) == Some(&['.', '.']) => {
                out.push('\u{2026}');
                i += 2;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Whether a quote after `c` opens: after a space, an opening bracket, a dash
/// or a slash, or another opening quote.
fn opens_after(c: char) -> bool {
    c.is_whitespace() || "([{\u{2014}\u{2013}-/\u{201c}\u{2018}".contains(c)
}

#[cfg(test)]
mod tests {
    use super::smarten;

    #[test]
    fn quotes_curl_toward_their_words() {
        assert_eq!(
            smarten(r#"Milano's call: "Me too""#),
            "Milano\u{2019}s call: \u{201c}Me too\u{201d}"
        );
        assert_eq!(
            smarten(r#""It's 'over'," she said"#),
            "\u{201c}It\u{2019}s \u{2018}over\u{2019},\u{201d} she said"
        );
        assert_eq!(
            smarten("the '90s (\"boom\")"),
            "the \u{2019}90s (\u{201c}boom\u{201d})"
        );
        assert_eq!(smarten("5' 10\" tall"), "5\u{2019} 10\u{201d} tall");
    }

    #[test]
    fn dashes_and_ellipses_as_in_bodies() {
        assert_eq!(smarten("1990--2000"), "1990\u{2013}2000");
        assert_eq!(smarten("Wait---what..."), "Wait\u{2014}what\u{2026}");
        assert_eq!(smarten("A - B"), "A - B");
        assert_eq!(
            smarten("already \u{201c}curly\u{201d}"),
            "already \u{201c}curly\u{201d}"
        );
    }

    #[test]
    fn agrees_with_the_markdown_renderer() {
        for text in [
            r#"Milano's call: "Me too""#,
            r#"He said "no" -- twice"#,
            "Rock 'n' roll",
            r#""Quoted" at the start"#,
        ] {
            let html = crate::content::markdown::render(text, &|_| None, true);
            let body = html
                .trim()
                .trim_start_matches("<p>")
                .trim_end_matches("</p>");
            assert_eq!(smarten(text), body.replace("&quot;", "\""), "{text}");
        }
    }
}
