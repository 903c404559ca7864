//! How deep a body's HTML nests, for the limit on what is sanitised: the HTML
//! parser behind the sanitiser slows down with the square of the depth, so a
//! body of 100,000 nested elements would stall a build for hours. The depth
//! counts the Markdown blocks and spans around raw HTML as well as the raw
//! elements themselves, follows end tags to the element they close (a stray
//! `</x>` closes nothing), and lets the elements whose end tag HTML may leave
//! out (`<li>`, `<p>`, `<td>` …) close the one before. Counting stops as soon as
//! the limit is passed, so the work stays linear in the body.

/// Elements that never hold others.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag may be left out: a second one closes the first.
const OPTIONAL_END: &[&str] = &[
    "li", "p", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rt", "rp", "thead", "tbody",
    "tfoot", "colgroup",
];

/// The nesting of one body, followed event by event.
#[derive(Debug)]
pub(crate) struct Nesting {
    limit: usize,
    /// Markdown blocks and spans open now.
    markdown: usize,
    /// The deepest Markdown nesting anywhere, and where.
    markdown_deepest: (usize, usize),
    /// Raw HTML elements open now, innermost last; never more than `limit + 1`.
    open: Vec<String>,
    /// The deepest nesting at raw HTML, and where; `None` without raw HTML.
    html_deepest: Option<(usize, usize)>,
}

impl Nesting {
    /// Nothing open yet; depths past `limit` are not followed further.
    pub(crate) fn new(limit: usize) -> Self {
        Nesting {
            limit,
            markdown: 0,
            markdown_deepest: (0, 0),
            open: Vec::new(),
            html_deepest: None,
        }
    }

    /// A Markdown block or span opens at byte `offset`.
    pub(crate) fn open_markdown(&mut self, offset: usize) {
        self.markdown += 1;
        if self.markdown > self.markdown_deepest.0 {
            self.markdown_deepest = (self.markdown, offset);
        }
    }

    /// A Markdown block or span closes.
    pub(crate) fn close_markdown(&mut self) {
        self.markdown = self.markdown.saturating_sub(1);
    }

    /// A piece of raw HTML at byte `offset`.
    pub(crate) fn raw(&mut self, fragment: &str, offset: usize) {
        self.note(offset);
        if self.passed() {
            return;
        }
        let bytes = fragment.as_bytes();
        for (i, _) in fragment.match_indices('<') {
            let closing = bytes.get(i + 1) == Some(&b'/');
            let from = i + 1 + usize::from(closing);
            let name: String = fragment[from..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if name.is_empty() {
                continue;
            }
            if closing {
                if let Some(at) = self.open.iter().rposition(|n| *n == name) {
                    self.open.truncate(at);
                }
                continue;
            }
            let end = fragment[i..].find('>').map(|e| i + e);
            let self_closing = end.is_some_and(|e| e > 0 && bytes[e - 1] == b'/');
            if self_closing || VOID.contains(&name.as_str()) {
                continue;
            }
            if OPTIONAL_END.contains(&name.as_str()) && self.open.last() == Some(&name) {
                self.open.pop();
            }
            self.open.push(name);
            self.note(offset);
            if self.passed() {
                return;
            }
        }
    }

    /// Records the depth now as raw HTML's, at `offset`.
    fn note(&mut self, offset: usize) {
        let depth = self.markdown + self.open.len();
        if self.html_deepest.is_none_or(|(deepest, _)| depth > deepest) {
            self.html_deepest = Some((depth, offset));
        }
    }

    fn passed(&self) -> bool {
        self.html_deepest.is_some_and(|(d, _)| d > self.limit)
    }

    /// The deepest nesting the sanitiser would meet, and the byte offset where:
    /// `None` for a body without raw HTML, which is not sanitised.
    pub(crate) fn deepest(&self) -> Option<(usize, usize)> {
        let html = self.html_deepest?;
        Some(if self.markdown_deepest.0 > html.0 {
            self.markdown_deepest
        } else {
            html
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(html: &str) -> usize {
        let mut n = Nesting::new(1000);
        n.raw(html, 0);
        n.deepest().map_or(0, |d| d.0)
    }

    #[test]
    fn end_tags_close_only_what_they_name() {
        assert_eq!(depth("<div><p>a<br>b</p><img src=x/></div>"), 2);
        assert_eq!(
            depth(&"<div></x>".repeat(300)),
            300,
            "stray end tags close nothing"
        );
        assert_eq!(depth(&"<div>".repeat(50)), 50);
        assert_eq!(
            depth("<div><span></div>"),
            2,
            "an end tag closes what it names, and what is inside"
        );
    }

    #[test]
    fn elements_with_optional_end_tags_close_the_one_before() {
        assert_eq!(depth(&format!("<ul>{}</ul>", "<li>x".repeat(101))), 2);
        assert_eq!(depth(&"<p>x".repeat(200)), 1);
    }

    #[test]
    fn markdown_around_raw_html_counts_and_counting_stops_past_the_limit() {
        let mut n = Nesting::new(100);
        for offset in 0..50 {
            n.open_markdown(offset);
        }
        n.raw("<b>", 50);
        assert_eq!(n.deepest(), Some((51, 50)));
        let mut n = Nesting::new(10);
        n.raw(&"<div>".repeat(1_000_000), 0);
        assert_eq!(n.open.len(), 11, "the stack stops one past the limit");
        let mut plain = Nesting::new(10);
        plain.open_markdown(0);
        assert_eq!(
            plain.deepest(),
            None,
            "without raw HTML nothing is sanitised"
        );
    }
}
