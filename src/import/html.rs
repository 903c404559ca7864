//! HTML → plain text, and the walk over HTML that `markdown.rs` also uses, on
//! html5ever's tokenizer. The tokenizer reads tags, attributes and every named
//! and numeric character reference as a browser does, so the converters only
//! decide what each tag means. A token stream is enough, with no tree:
//! TimelineJS text is a few paragraphs of inline markup, and a stream keeps the
//! conversion linear in its input.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Text with tags removed, references decoded, control characters dropped and
/// whitespace collapsed to single spaces; `<br>` and block boundaries separate
/// words. What a reader sees of the HTML, for front-matter fields.
pub(super) fn plain_text(html: &str) -> String {
    walk(html, PlainText::default()).out
}

/// What a converter is told about the HTML, in order.
pub(super) trait Visitor {
    /// A run of text, references decoded (all text between two tags at once).
    fn text(&mut self, text: &str);
    /// A start tag (name lower-cased by the tokenizer).
    fn start(&mut self, tag: &Tag);
    /// An end tag.
    fn end(&mut self, name: &str);
}

/// Runs the tokenizer over `html`, handing `visitor` its text and tags.
pub(super) fn walk<V: Visitor>(html: &str, visitor: V) -> V {
    let sink = Sink(RefCell::new(Walk {
        visitor,
        text: String::new(),
        hidden: None,
    }));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sink never asks the tokenizer to pause for a script, so one feed reads
    // the whole input.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut walk = tokenizer.sink.0.into_inner();
    walk.flush();
    walk.visitor
}

/// The tokenizer's callback takes `&self`, hence the cell; it is never borrowed
/// twice, since nothing the visitors do calls back into the tokenizer.
struct Sink<V>(RefCell<Walk<V>>);

struct Walk<V> {
    visitor: V,
    /// Text since the last tag: the tokenizer splits text at every reference.
    text: String,
    /// Inside an element whose text is never shown (`<script>`): its end tag.
    hidden: Option<&'static str>,
}

impl<V: Visitor> TokenSink for Sink<V> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut walk = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(text) if walk.hidden.is_none() => walk.text.push_str(&text),
            Token::TagToken(tag) => return walk.tag(&tag),
            // Comments, doctypes, NUL characters and parse errors carry no text. The
            // tokenizer requires `Continue` for every token but a tag.
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl<V: Visitor> Walk<V> {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.visitor.text(&self.text);
            self.text.clear();
        }
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        if let Some(hidden) = self.hidden {
            if tag.kind == TagKind::EndTag && &*tag.name == hidden {
                self.hidden = None;
            }
            return TokenSinkResult::Continue;
        }
        self.flush();
        if tag.kind == TagKind::EndTag {
            self.visitor.end(&tag.name);
            return TokenSinkResult::Continue;
        }
        self.visitor.start(tag);
        // A browser's tree builder switches the tokenizer for these elements; without
        // one, `<script>if (a<b)…` would read `<b` as a tag and show the script.
        match &*tag.name {
            "plaintext" => TokenSinkResult::Plaintext,
            "script" => self.hide("script", RawKind::ScriptData),
            "style" => self.hide("style", RawKind::Rawtext),
            "iframe" => self.hide("iframe", RawKind::Rawtext),
            "noembed" => self.hide("noembed", RawKind::Rawtext),
            "noframes" => self.hide("noframes", RawKind::Rawtext),
            "noscript" => self.hide("noscript", RawKind::Rawtext),
            "xmp" => TokenSinkResult::RawData(RawKind::Rawtext),
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            _ => TokenSinkResult::Continue,
        }
    }

    fn hide(&mut self, name: &'static str, kind: RawKind) -> TokenSinkResult<()> {
        self.hidden = Some(name);
        TokenSinkResult::RawData(kind)
    }
}

/// Elements that start and end a paragraph.
pub(super) const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];

/// Elements that separate the words on either side.
pub(super) fn separates_words(name: &str) -> bool {
    matches!(name, "br" | "td" | "th" | "img") || BLOCKS.contains(&name)
}

/// HTML's white space, which it collapses; other space characters (no-break
/// space) are text.
pub(super) fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r')
}

#[derive(Default)]
struct PlainText {
    out: String,
    space: bool,
}

impl Visitor for PlainText {
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.space = true;
            } else if !c.is_control() {
                if self.space && !self.out.is_empty() {
                    self.out.push(' ');
                }
                self.space = false;
                self.out.push(c);
            }
        }
    }

    fn start(&mut self, tag: &Tag) {
        self.space |= separates_words(&tag.name);
    }

    fn end(&mut self, name: &str) {
        self.space |= separates_words(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_with_non_ascii_text_do_not_panic() {
        // The old hand-written reader sliced the tag at an offset found in its
        // lower-cased copy, and `İ` grows when lower-cased.
        assert_eq!(plain_text("<a title=\"İ\" href=éx>İ</a>"), "İ");
        assert_eq!(
            plain_text("<a href=\"x\">Tom &amp; Jerry</a>"),
            "Tom & Jerry"
        );
    }

    #[test]
    fn decodes_every_entity() {
        assert_eq!(plain_text("Burke&rsquo;s"), "Burke\u{2019}s");
        assert_eq!(plain_text("a&mdash;b&#x2014;c&#8212;d"), "a—b—c—d");
        assert_eq!(plain_text("&amp;amp;"), "&amp;");
        assert_eq!(plain_text("&eacute;&hellip;&zzz;"), "é…&zzz;");
        // Legacy references without `;` decode as a browser decodes them.
        assert_eq!(plain_text("&copy 2017 &notit;"), "© 2017 ¬it;");
    }

    #[test]
    fn script_and_style_text_is_dropped() {
        assert_eq!(plain_text("</script>"), "");
        assert_eq!(plain_text("<script>if (a<b) x()</script>ok"), "ok");
        assert_eq!(plain_text("<style>p { x: y }</style>ok<!-- note -->"), "ok");
        assert_eq!(plain_text("<script/>x</script>y"), "y");
        assert_eq!(plain_text("<title>a<b>c</b></title>"), "a<b>c</b>");
    }

    #[test]
    fn words_stay_apart_and_controls_go() {
        assert_eq!(plain_text("<p>one</p><p>two<br>three</p>"), "one two three");
        assert_eq!(plain_text("<li>a</li><li>b</li>c<b>d</b>"), "a b cd");
        assert_eq!(plain_text(" a \u{0}\u{1b}\u{85} b\u{a0}c "), "a b c");
    }
}
