//! HTML → Markdown for an event's text, written by a visitor of `html.rs`'s
//! walk: inline markup becomes Markdown, and every other character is escaped
//! so nothing in the text becomes Markdown markup or HTML.

use std::fmt::Write as _;

use html5ever::tokenizer::Tag;
use url::Url;

use super::html::{is_html_space, separates_words, walk, Visitor, BLOCKS};

/// Converts the HTML TimelineJS text holds to Markdown: paragraphs (and other
/// block elements) become paragraphs, `<br>` a hard line break, `<b>`/`<strong>`
/// and `<i>`/`<em>` bold and italics, `<a>` with an http(s) or `mailto:` address
/// a link. Other tags are dropped and their text kept, except the content of
/// `<script>`, `<style>` and the like, which a browser never shows. The text is
/// escaped, so nothing in it becomes Markdown markup or HTML.
pub(super) fn to_markdown(html: &str) -> String {
    walk(html, Markdown::default()).finish()
}

/// `url` as a Markdown link destination for `[…](<…>)`. The URL crate's
/// serialisation already percent-encodes spaces, quotes and `<>` in http(s)
/// addresses; the few characters it keeps that would end or change a `<…>`
/// destination (`<`, `>` and spaces in `mailto:` addresses, `\` and `` ` `` in
/// queries) are percent-encoded too, which a server reads as the same address.
pub(super) fn link_destination(url: &Url) -> String {
    let mut out = String::with_capacity(url.as_str().len());
    for c in url.as_str().chars() {
        if matches!(c, '<' | '>' | '\\' | '`') || c.is_whitespace() || c.is_control() {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// What separates the next text from what is written; the strongest wins. It is
/// written only when more text follows, so the output never ends in white space
/// and emphasis never closes after a space (which Markdown would not read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Gap {
    #[default]
    None,
    Space,
    Line,
    Paragraph,
}

/// An open inline element.
#[derive(Debug, Clone)]
struct Mark {
    kind: MarkKind,
    /// Its opening delimiter is written. Delimiters are written just before the
    /// first text inside, so an empty element writes nothing.
    written: bool,
    /// Writes no delimiters: bold inside bold, a link inside a link, or a link
    /// whose address is dropped. Its text is kept.
    inert: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum MarkKind {
    Strong,
    Emphasis,
    /// A link to its Markdown destination.
    Link(String),
}

impl MarkKind {
    fn open(&self) -> &'static str {
        match self {
            MarkKind::Strong => "**",
            MarkKind::Emphasis => "*",
            MarkKind::Link(_) => "[",
        }
    }

    fn is(&self, name: &str) -> bool {
        match self {
            MarkKind::Strong => matches!(name, "b" | "strong"),
            MarkKind::Emphasis => matches!(name, "i" | "em"),
            MarkKind::Link(_) => name == "a",
        }
    }

    fn same_kind(&self, other: &MarkKind) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// Open inline elements kept at most, so every tag and character costs bounded
/// time however deep hostile markup nests (a browser's parser bounds its list of
/// formatting elements too). A `<b>`, `<i>` or `<a>` deeper than this keeps its
/// text only.
const MAX_MARKS: usize = 32;

#[derive(Default)]
struct Markdown {
    out: String,
    /// Where the current line starts in `out`, for markup only read at a line start.
    line_start: usize,
    gap: Gap,
    /// At most [`MAX_MARKS`].
    marks: Vec<Mark>,
    /// Some mark's opening delimiter is not written yet.
    unopened: bool,
}

impl Visitor for Markdown {
    fn text(&mut self, text: &str) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if is_html_space(c) {
                self.gap = self.gap.max(Gap::Space);
            } else if !c.is_control() {
                self.write_gap();
                self.open_marks();
                self.push_escaped(c, chars.peek().copied());
            }
        }
    }

    fn start(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        match name {
            "br" => {
                self.gap = if self.gap == Gap::Line {
                    Gap::Paragraph
                } else {
                    self.gap.max(Gap::Line)
                }
            }
            "b" | "strong" => self.push_mark(MarkKind::Strong),
            "i" | "em" => self.push_mark(MarkKind::Emphasis),
            "a" => match link_target(tag) {
                Some(dest) => self.push_mark(MarkKind::Link(dest)),
                None => self.push(Mark {
                    kind: MarkKind::Link(String::new()),
                    written: false,
                    inert: true,
                }),
            },
            _ if BLOCKS.contains(&name) => self.break_paragraph(),
            _ if separates_words(name) => self.gap = self.gap.max(Gap::Space),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if BLOCKS.contains(&name) {
            self.break_paragraph();
        } else if let Some(at) = self.marks.iter().rposition(|m| m.kind.is(name)) {
            self.close_from(at);
        } else if separates_words(name) {
            self.gap = self.gap.max(Gap::Space);
        }
    }
}

impl Markdown {
    fn finish(mut self) -> String {
        self.close_from(0);
        self.out
    }

    fn push_mark(&mut self, kind: MarkKind) {
        let inert = self.marks.iter().any(|m| m.kind.same_kind(&kind));
        self.push(Mark {
            kind,
            written: false,
            inert,
        });
    }

    fn push(&mut self, mark: Mark) {
        if self.marks.len() < MAX_MARKS {
            self.unopened |= !mark.inert;
            self.marks.push(mark);
        }
    }

    /// Marks from `at` up lose their written delimiters (to be written again
    /// before the next text).
    fn reopen_from(&mut self, at: usize) {
        for mark in self.marks.iter_mut().skip(at) {
            mark.written = false;
            self.unopened |= !mark.inert;
        }
    }

    /// Closes the mark at `at`; marks opened inside it and still open are closed
    /// first and reopened after, as a browser reopens formatting elements, so the
    /// Markdown stays well nested.
    fn close_from(&mut self, at: usize) {
        self.write_closes_from(at);
        if at < self.marks.len() {
            self.marks.remove(at);
        }
        self.reopen_from(at);
    }

    /// Ends the paragraph: open marks are closed in it and reopened in the next,
    /// since Markdown emphasis and links cannot span paragraphs.
    fn break_paragraph(&mut self) {
        self.write_closes_from(0);
        self.reopen_from(0);
        self.gap = Gap::Paragraph;
    }

    /// Writes the closing delimiters of the marks from `at` up, innermost first.
    fn write_closes_from(&mut self, at: usize) {
        for mark in self.marks.iter().skip(at).rev() {
            if !mark.written || mark.inert {
                continue;
            }
            match &mark.kind {
                MarkKind::Link(dest) => {
                    let _ = write!(self.out, "](<{dest}>)");
                }
                kind => self.out.push_str(kind.open()),
            }
        }
    }

    fn open_marks(&mut self) {
        if !std::mem::take(&mut self.unopened) {
            return;
        }
        for mark in &mut self.marks {
            if !mark.written && !mark.inert {
                self.out.push_str(mark.kind.open());
            }
            mark.written = true;
        }
    }

    fn write_gap(&mut self) {
        let gap = std::mem::take(&mut self.gap);
        if self.out.is_empty() {
            return;
        }
        match gap {
            Gap::None => {}
            Gap::Space => self.out.push(' '),
            Gap::Line => self.out.push_str("  \n"),
            Gap::Paragraph => self.out.push_str("\n\n"),
        }
        if gap >= Gap::Line {
            self.line_start = self.out.len();
        }
    }

    /// Pushes `c`, escaped when Markdown would read it as markup: the inline
    /// markers anywhere, `&` where it could start a reference, any ASCII
    /// punctuation at a line start (headings, quotes, lists, tables, breaks), and
    /// the `.`/`)` of `1.` or `1)` at a line start.
    fn push_escaped(&mut self, c: char, next: Option<char>) {
        let line = &self.out[self.line_start..];
        let escape = match c {
            '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '~' => true,
            '&' => next.is_some_and(|n| n == '#' || n.is_ascii_alphanumeric()),
            '.' | ')' if !line.is_empty() && line.len() <= 9 => {
                line.bytes().all(|b| b.is_ascii_digit())
            }
            c => line.is_empty() && c.is_ascii_punctuation(),
        };
        if escape {
            self.out.push('\\');
        }
        self.out.push(c);
    }
}

/// The Markdown destination of an `<a>`'s `href`, when it is an http(s) or
/// `mailto:` address; relative and script addresses are dropped.
fn link_target(tag: &Tag) -> Option<String> {
    let href = tag.attrs.iter().find(|a| &*a.name.local == "href")?;
    let url = Url::parse(&href.value).ok()?;
    matches!(url.scheme(), "http" | "https" | "mailto").then(|| link_destination(&url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_simple_html() {
        assert_eq!(
            to_markdown("<p>One <b>bold</b> <a href=\"https://x.org\">link</a></p><p>Two&nbsp;&amp; <i>it</i><br>next</p>"),
            "One **bold** [link](<https://x.org/>)\n\nTwo\u{a0}& *it*  \nnext"
        );
        assert_eq!(to_markdown("<span>x</span> a * b"), "x a \\* b");
    }

    #[test]
    fn attributes_with_non_ascii_text_do_not_panic() {
        // The old hand-written reader sliced the tag at an offset found in its
        // lower-cased copy, and `İ` grows when lower-cased.
        assert_eq!(
            to_markdown("<a title=\"İ\" href=éx>text</a>"),
            "text",
            "a relative address is dropped"
        );
        assert_eq!(
            to_markdown("<a title=\"İİİİ\" href=https://x.org/é>text</a>"),
            "[text](<https://x.org/%C3%A9>)"
        );
    }

    #[test]
    fn entities_are_decoded_once() {
        assert_eq!(
            to_markdown("Burke&rsquo;s &mdash; 1&ndash;2&#x2014;3"),
            "Burke\u{2019}s — 1–2—3"
        );
        // Kept as text: Markdown must not decode `&amp;` or `&#42;` again.
        assert_eq!(
            to_markdown("&amp;amp; &amp;#42; &amp; x"),
            "\\&amp; \\&#42; & x"
        );
        assert_eq!(to_markdown("&lt;script&gt;"), "\\<script>");
    }

    #[test]
    fn script_and_style_text_is_dropped() {
        assert_eq!(
            to_markdown("<style>p { x: y }</style>ok<!-- note -->"),
            "ok"
        );
        assert_eq!(to_markdown("<script>if (a<b) x()</script>y"), "y");
        assert_eq!(to_markdown("<title>a<b>c</b></title>"), "a\\<b>c\\</b>");
    }

    #[test]
    fn nested_and_unclosed_tags_stay_well_formed() {
        assert_eq!(to_markdown("<b>bold <i>both</i></b>"), "**bold *both***");
        assert_eq!(to_markdown("<b>x<b>y</b>z</b>"), "**xyz**");
        assert_eq!(to_markdown("<b>never closed"), "**never closed**");
        assert_eq!(to_markdown("<b><i>x</b> y</i>"), "***x*** *y*");
        assert_eq!(
            to_markdown("<p><b>one</p><p>two</b></p>"),
            "**one**\n\n**two**"
        );
        assert_eq!(to_markdown("<b> spaced </b>out"), "**spaced** out");
        assert_eq!(to_markdown("<b></b><i> </i>x"), "x");
        assert_eq!(to_markdown("</b></a></p>x<p"), "x");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let depth = 20_000;
        let html = format!("{}x{}y", "<b><i>".repeat(depth), "</b>".repeat(depth));
        assert_eq!(to_markdown(&html), "***x****y*");
        let mut writer = Markdown::default();
        for _ in 0..depth {
            writer.push_mark(MarkKind::Strong);
        }
        assert_eq!(writer.marks.len(), MAX_MARKS);
    }

    #[test]
    fn links_need_an_http_or_mailto_address() {
        assert_eq!(to_markdown("<a>no href</a>"), "no href");
        assert_eq!(to_markdown("<a href=\"javascript:alert(1)\">x</a>"), "x");
        assert_eq!(to_markdown("<a href=\" JaVaScRiPt:alert(1)\">x</a>"), "x");
        assert_eq!(to_markdown("<a href=\"data:text/html,x\">x</a>"), "x");
        assert_eq!(
            to_markdown("<a href=\"mailto:a b<c>@x.org\">mail</a>"),
            "[mail](<mailto:a%20b%3Cc%3E@x.org>)"
        );
        assert_eq!(
            to_markdown("<a href='https://x.org/a>b?q=\\`'>x</a>"),
            "[x](<https://x.org/a%3Eb?q=%5C%60>)"
        );
        assert_eq!(
            to_markdown("<a href=https://a.org>x<a href=https://b.org>y</a>z</a>"),
            "[xyz](<https://a.org/>)",
            "a link inside a link is not a link"
        );
        assert_eq!(to_markdown("<a href=https://a.org></a>"), "");
    }

    #[test]
    fn text_never_becomes_markup() {
        assert_eq!(to_markdown("# not a heading"), "\\# not a heading");
        assert_eq!(
            to_markdown("1. not a list<br>2) nor this"),
            "1\\. not a list  \n2\\) nor this"
        );
        assert_eq!(
            to_markdown("- a<br>+ b<br>> c<br>==="),
            "\\- a  \n\\+ b  \n\\> c  \n\\==="
        );
        assert_eq!(to_markdown("a\n- b\n    code"), "a - b code");
        assert_eq!(
            to_markdown("[x](y) ![i](j) `c` ~~s~~ <b"),
            "\\[x\\](y) !\\[i\\](j) \\`c\\` \\~\\~s\\~\\~"
        );
        assert_eq!(to_markdown("&lt;https://x.org&gt;"), "\\<https://x.org>");
        assert_eq!(to_markdown("a\\"), "a\\\\");
        assert_eq!(to_markdown("2017. Then"), "2017\\. Then");
        assert_eq!(to_markdown("In 2017. Then"), "In 2017. Then");
        assert_eq!(to_markdown("a<br><br>b"), "a\n\nb");
        assert_eq!(to_markdown("<br>a<br>"), "a");
        assert_eq!(to_markdown("x\u{0}\u{1b}y"), "xy");
    }
}
