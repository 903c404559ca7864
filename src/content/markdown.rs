//! Markdown with pulldown-cmark, in two passes. [`scan`] runs when an entry is
//! parsed: it lists link targets (to resolve against other entries and assets),
//! notes raw HTML, and takes the first paragraph as the default summary.
//! [`render`] runs once every slug is known: it rewrites `.md` and asset links,
//! drops `javascript:` links, shifts headings below the page title, and sanitises
//! raw HTML unless the site allows it.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::nesting::Nesting;

/// Deepest HTML nesting that is sanitised: the HTML parser behind the sanitiser
/// slows down with the square of the depth ([`crate::content::nesting`]).
pub(crate) const MAX_HTML_DEPTH: usize = 100;

/// Length near which a default summary is cut, in characters.
pub const SUMMARY_LEN: usize = 200;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A link or image found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The destination as written.
    pub dest: String,
    /// Byte offset of the link in the body, for its line number.
    pub offset: usize,
}

/// What [`scan`] learns about a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Every link and image destination, in order.
    pub links: Vec<FoundLink>,
    /// The first paragraph as plain text, whitespace collapsed.
    pub first_paragraph: String,
    /// How deep the HTML the sanitiser would see nests at most, Markdown and raw
    /// HTML together (raw HTML followed only to one past [`MAX_HTML_DEPTH`]), and
    /// the byte offset where; `None` for a body without raw HTML.
    pub html_depth: Option<(usize, usize)>,
}

/// Lists what the body links to and takes its first paragraph.
pub fn scan(markdown: &str) -> Scan {
    let mut scan = Scan::default();
    // 0: before the first paragraph, 1: inside it, 2: after it.
    let mut paragraph = 0;
    let mut text = String::new();
    let mut nesting = Nesting::new(MAX_HTML_DEPTH);
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        // Each tag but an HTML block's is an element of the page.
        match &event {
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(_) => nesting.open_markdown(range.start),
            Event::End(_) => nesting.close_markdown(),
            _ => {}
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                scan.links.push(FoundLink {
                    dest: dest_url.into_string(),
                    offset: range.start,
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => nesting.raw(&html, range.start),
            Event::Start(Tag::Paragraph) if paragraph == 0 => paragraph = 1,
            Event::End(TagEnd::Paragraph) if paragraph == 1 => paragraph = 2,
            Event::Text(t) | Event::Code(t) if paragraph == 1 => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if paragraph == 1 => text.push(' '),
            _ => {}
        }
    }
    scan.first_paragraph = text.split_whitespace().collect::<Vec<_>>().join(" ");
    scan.html_depth = nesting.deepest();
    scan
}

/// Cuts `text` near `max` characters: after the last sentence that ends in the
/// second half of that length, so a summary reads as whole sentences, or else
/// at a word boundary with `…`.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    let half = text.char_indices().nth(max / 2).map_or(0, |(i, _)| i);
    if let Some(end) = last_sentence_end(head).filter(|&end| end >= half) {
        return head[..end].to_string();
    }
    let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || ",;:.-–—".contains(c))
    )
}

/// Words whose full stop rarely ends a sentence in news copy.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "sen", "rep", "gov", "lt", "col",
    "capt", "sgt", "inc", "ltd", "co", "corp", "vs", "etc", "no", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// The byte index just after the last sentence end in `text` that is followed
/// by more text: `.`, `!` or `?` (and any closing quotes or brackets) before
/// a space, unless the full stop closes an initial or an abbreviation
/// ("J. K.", "U.S.", "Mr.", "Oct.").
fn last_sentence_end(text: &str) -> Option<usize> {
    let mut best = None;
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let rest = &text[i + 1..];
        let closing = rest
            .char_indices()
            .find(|&(_, c)| !matches!(c, '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']'))
            .map_or(rest.len(), |(j, _)| j);
        let end = i + 1 + closing;
        if !text[end..].starts_with(char::is_whitespace) {
            continue;
        }
        if c == '.' {
            let word = text[..i]
                .rsplit(|c: char| c.is_whitespace() || c == '(')
                .next()
                .unwrap_or_default();
            let letters = word.trim_start_matches(['"', '\u{201c}']);
            let initial = letters.chars().count() == 1 || letters.contains('.');
            if initial || ABBREVIATIONS.contains(&letters.to_lowercase().as_str()) {
                continue;
            }
        }
        best = Some(end);
    }
    best
}

/// What a link destination points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind<'a> {
    /// `javascript:`, `vbscript:` or `data:`: dropped in every mode.
    Unsafe,
    /// Another host, or any other scheme (`https:`, `mailto:`).
    External,
    /// `#fragment`, `?query` or empty: left as written.
    Local,
    /// A path from the host's root (`/entries/x/`): left as written, but it
    /// bypasses the site's base path, so linking checks where it lands.
    Rooted,
    /// A relative path to a Markdown file: another entry.
    Entry {
        /// The path, percent-decoded.
        path: Cow<'a, str>,
        /// The `#fragment`, without `#`.
        fragment: Option<&'a str>,
    },
    /// A relative path to another file: an asset to copy beside the entry.
    Asset {
        /// The path, percent-decoded.
        path: Cow<'a, str>,
    },
}

/// Classifies a link destination the way a browser would read it.
pub fn classify(dest: &str) -> LinkKind<'_> {
    if let Some(scheme) = scheme_of(dest) {
        return match scheme.as_str() {
            "javascript" | "vbscript" | "data" => LinkKind::Unsafe,
            _ => LinkKind::External,
        };
    }
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with(['#', '/', '?', '\\']) {
        return if dest.starts_with("//") || dest.starts_with("\\\\") {
            LinkKind::External
        } else if dest.starts_with('/') {
            LinkKind::Rooted
        } else {
            LinkKind::Local
        };
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if path.to_ascii_lowercase().ends_with(".md") {
        LinkKind::Entry {
            path,
            fragment: fragment.filter(|f| !f.is_empty()),
        }
    } else {
        LinkKind::Asset { path }
    }
}

/// The lower-cased scheme, read as browsers do: ASCII tabs and newlines inside are
/// ignored and leading control characters and spaces are stripped.
fn scheme_of(dest: &str) -> Option<String> {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(32)
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// How [`render`] treats a link it was told about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rewrite {
    /// Point the link at this URL.
    To(String),
    /// Keep the text, drop the link (its target is held back).
    Unlink,
}

/// Renders the body to HTML. `rewrite` maps destinations as written to their new
/// form; others are kept. Raw HTML is sanitised when `sanitize` is true.
pub fn render(markdown: &str, rewrite: &dyn Fn(&str) -> Option<Rewrite>, sanitize: bool) -> String {
    let mut pass = Pass {
        rewrite,
        dropped_link: false,
        dropped_image: false,
        has_raw_html: false,
    };
    let events = Parser::new_ext(markdown, options()).filter_map(|event| pass.event(event));
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    if sanitize && pass.has_raw_html {
        sanitizer().clean(&html).to_string()
    } else {
        html
    }
}

/// The rendering pass over a body's events: what it rewrites and drops.
struct Pass<'r> {
    rewrite: &'r dyn Fn(&str) -> Option<Rewrite>,
    /// Inside a link that is dropped: its end is dropped too.
    dropped_link: bool,
    /// Inside an image that is dropped.
    dropped_image: bool,
    /// Whether the body holds raw HTML, which the sanitiser then cleans.
    has_raw_html: bool,
}

impl Pass<'_> {
    /// The event as the page shows it, or `None` to drop it.
    fn event<'e>(&mut self, event: Event<'e>) -> Option<Event<'e>> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.destination(dest_url, false)?;
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
            Event::End(TagEnd::Link) if self.dropped_link => {
                self.dropped_link = false;
                None
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.destination(dest_url, true)?;
                Some(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
            Event::End(TagEnd::Image) if self.dropped_image => {
                self.dropped_image = false;
                None
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Some(Event::Start(Tag::Heading {
                level: demote(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
            Event::Html(_) | Event::InlineHtml(_) => {
                self.has_raw_html = true;
                Some(event)
            }
            other => Some(other),
        }
    }

    /// Where a link (or an image) goes: kept, rewritten, or `None` when it is
    /// dropped with its end tag, its text kept.
    fn destination<'e>(&mut self, dest: CowStr<'e>, image: bool) -> Option<CowStr<'e>> {
        match decide(&dest, self.rewrite) {
            Decision::Keep => Some(dest),
            Decision::To(url) => Some(url.into()),
            Decision::Drop => {
                if image {
                    self.dropped_image = true;
                } else {
                    self.dropped_link = true;
                }
                None
            }
        }
    }
}

enum Decision {
    Keep,
    To(String),
    Drop,
}

fn decide(dest: &CowStr<'_>, rewrite: &dyn Fn(&str) -> Option<Rewrite>) -> Decision {
    if classify(dest) == LinkKind::Unsafe {
        return Decision::Drop;
    }
    match rewrite(dest) {
        None => Decision::Keep,
        Some(Rewrite::To(url)) => Decision::To(url),
        Some(Rewrite::Unlink) => Decision::Drop,
    }
}

/// The page title is the `<h1>`, so body headings start at `<h2>`.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// ammonia's defaults (no script, style, iframe or object; no event handlers; only
/// safe URL schemes), keeping `id` for footnotes and adding no `rel`, so sanitised
/// and plain entries render links alike.
fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder.link_rel(None).add_generic_attributes(["id"]);
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(markdown: &str) -> String {
        render(markdown, &|_| None, true)
    }

    #[test]
    fn scan_finds_links_and_the_first_paragraph() {
        let s = scan("# Head\n\nFirst *para*graph\nwith [a](b.md).\n\nSecond ![i](p.jpg).\n");
        let dests: Vec<&str> = s.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["b.md", "p.jpg"]);
        assert_eq!(s.first_paragraph, "First paragraph with a.");
        let depth = |md: &str| scan(md).html_depth.map(|d| d.0);
        assert_eq!(depth("<div><p>a<br>b</p><img src=x/></div>"), Some(2));
        let past = |md: &str| depth(md).is_some_and(|d| d > MAX_HTML_DEPTH);
        assert!(past(&"<div>".repeat(300)));
        assert!(
            past(&format!("{} x <b>y</b>", "> ".repeat(500))),
            "quotes around raw HTML count"
        );
        assert!(
            past(&format!("{}x\n\n<b>y</b>", "> ".repeat(500))),
            "so do quotes elsewhere in the body"
        );
        assert_eq!(
            depth(&"> ".repeat(500)),
            None,
            "without raw HTML nothing is sanitised"
        );
    }

    #[test]
    fn truncates_at_a_word() {
        assert_eq!(truncate_words("short", 200), "short");
        assert_eq!(truncate_words("one two three four", 10), "one two…");
        assert_eq!(truncate_words("one, two", 5), "one…");
    }

    #[test]
    fn summaries_end_at_a_sentence_when_one_ends_near_the_cut() {
        let text = "The bridge closed at noon. Engineers found a crack in the deck and the city said the website without";
        assert_eq!(truncate_words(text, 45), "The bridge closed at noon.");
        // Quotes and brackets closing the sentence stay with it.
        let quoted = "She wrote \u{201c}Me too.\u{201d} Thousands replied within the hour, and more the next day";
        assert_eq!(
            truncate_words(quoted, 36),
            "She wrote \u{201c}Me too.\u{201d}"
        );
        // Initials and abbreviations do not end a sentence.
        let names = "Reporters J. K. Smith and Mr. Jones of the U.S. desk wrote on Oct. 5 that the studio paid";
        assert_eq!(
            truncate_words(names, 60),
            "Reporters J. K. Smith and Mr. Jones of the U.S. desk wrote…"
        );
        // A sentence that ends in the first half is too short a summary.
        let early =
            "It closed. Then the engineers spent the whole of the next week looking at the deck";
        assert_eq!(
            truncate_words(early, 50),
            "It closed. Then the engineers spent the whole of…"
        );
    }

    #[test]
    fn classifies_destinations() {
        assert_eq!(classify("https://x.org"), LinkKind::External);
        assert_eq!(classify("mailto:a@b"), LinkKind::External);
        assert_eq!(classify("//evil.org/x"), LinkKind::External);
        assert_eq!(classify("JavaScript:alert(1)"), LinkKind::Unsafe);
        assert_eq!(classify(" java\tscript:alert(1)"), LinkKind::Unsafe);
        assert_eq!(classify("data:text/html,x"), LinkKind::Unsafe);
        assert_eq!(classify("#top"), LinkKind::Local);
        assert_eq!(classify("/about/"), LinkKind::Rooted);
        assert_eq!(classify("?page=2"), LinkKind::Local);
        assert_eq!(
            classify("../b%20c.md#x"),
            LinkKind::Entry {
                path: "../b c.md".into(),
                fragment: Some("x")
            }
        );
        assert_eq!(
            classify("img/p.jpg?v=1"),
            LinkKind::Asset {
                path: "img/p.jpg".into()
            }
        );
    }

    #[test]
    fn drops_unsafe_links_but_keeps_their_text() {
        assert_eq!(plain("[click](javascript:alert(1))"), "<p>click</p>\n");
        assert_eq!(plain("![alt](data:image/png;base64,xx)"), "<p>alt</p>\n");
        assert_eq!(
            render("[click](javascript:alert(1))", &|_| None, false),
            "<p>click</p>\n"
        );
    }

    #[test]
    fn rewrites_and_unlinks() {
        let rewrite = |d: &str| match d {
            "a.md" => Some(Rewrite::To("/e/a/".into())),
            "b.md" => Some(Rewrite::Unlink),
            _ => None,
        };
        assert_eq!(
            render("[A](a.md) [B](b.md) [C](https://c.org)", &rewrite, true),
            "<p><a href=\"/e/a/\">A</a> B <a href=\"https://c.org\">C</a></p>\n"
        );
    }

    #[test]
    fn sanitizes_raw_html_unless_allowed() {
        let md = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> <a href=\"javascript:x\">j</a>\n";
        let safe = plain(md);
        for bad in ["<script", "onerror", "javascript:"] {
            assert!(!safe.contains(bad), "{bad} in {safe}");
        }
        assert!(render(md, &|_| None, false).contains("<script>"));
    }

    #[test]
    fn demotes_headings() {
        assert_eq!(plain("# A\n\n###### B"), "<h2>A</h2>\n<h6>B</h6>\n");
    }
}
