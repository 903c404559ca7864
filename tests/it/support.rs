//! Helpers of the integration tests alone (the rest is in `tests/common/`):
//! how they build a [`Fixture`] (into the default `<root>/public`, read back
//! as an [`Output`]), and HTML probes for the default theme's pages.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::path::PathBuf;

use serde_json::Value;

use crate::common::html::{attributes, decode_entities};
use crate::common::{tree, Fixture, Run, Tree};

impl Fixture {
    /// Runs `dateline build <args>` in the root.
    pub(crate) fn build(&self, args: &[&str]) -> Run {
        self.run(&[&["build"], args].concat())
    }

    /// Runs `dateline check <args>` in the root.
    pub(crate) fn check(&self, args: &[&str]) -> Run {
        self.run(&[&["check"], args].concat())
    }

    /// Builds into the default `public/`, insisting on success.
    pub(crate) fn build_ok(&self, args: &[&str]) -> (Output<'_>, Run) {
        let run = self.build(args).success();
        (self.output(), run)
    }

    /// The default output folder, `<root>/public`.
    pub(crate) fn output(&self) -> Output<'_> {
        Output {
            dir: self.root.join("public"),
            _fixture: PhantomData,
        }
    }

    /// Library options for this site, as `build` would make them without flags.
    pub(crate) fn options(&self) -> dateline::Options {
        dateline::Options::new(&self.root)
    }

    /// `text` with this fixture's temporary path replaced by `[ROOT]`, for snapshots.
    pub(crate) fn redact(&self, text: &str) -> String {
        text.replace(self.root.to_str().unwrap(), "[ROOT]")
            .replace(self.temp().to_str().unwrap(), "[TEMP]")
    }
}

/// A built site. It borrows its fixture, whose temporary folder must outlive it.
pub(crate) struct Output<'f> {
    /// Its folder.
    pub(crate) dir: PathBuf,
    _fixture: PhantomData<&'f Fixture>,
}

impl Output<'_> {
    /// The text of an output file; panics with the list of files when it is missing.
    #[track_caller]
    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| {
            panic!(
                "cannot read `{rel}` ({e}); the output holds {:#?}",
                self.paths()
            )
        })
    }

    /// Whether the output holds the file `rel`.
    pub(crate) fn has(&self, rel: &str) -> bool {
        self.dir.join(rel).is_file()
    }

    /// Everything in it, as data.
    pub(crate) fn tree(&self) -> Tree {
        tree(&self.dir)
    }

    /// Every file path, sorted.
    pub(crate) fn paths(&self) -> Vec<String> {
        self.tree()
            .into_keys()
            .filter(|p| !p.ends_with('/'))
            .collect()
    }

    /// Every HTML page as (path, text).
    pub(crate) fn pages(&self) -> Vec<(String, String)> {
        self.tree()
            .into_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, bytes)| (p, String::from_utf8(bytes).unwrap()))
            .collect()
    }
}

/// The `<main>` element of a page.
#[track_caller]
pub(crate) fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html[start..].find("</main>").expect("a closed <main>") + start;
    &html[start..end + "</main>".len()]
}

/// Every `href` and `src` value of a page.
pub(crate) fn links(html: &str) -> Vec<&str> {
    let mut all = attributes(html, "href");
    all.extend(attributes(html, "src"));
    all
}

/// Slugs of the entry cards on a timeline page, in display order.
pub(crate) fn card_slugs(html: &str) -> Vec<&str> {
    attributes(html, "data-slug")
}

/// The card of entry `slug` on a timeline page: from the element carrying its
/// `data-slug` to the end of its `<article>`.
#[track_caller]
pub(crate) fn card<'a>(html: &'a str, slug: &str) -> &'a str {
    let slug_at = html
        .find(&format!(" data-slug=\"{slug}\""))
        .unwrap_or_else(|| panic!("no card for `{slug}`"));
    let start = html[..slug_at].rfind('<').unwrap();
    let end = html[start..].find("</article>").unwrap() + start;
    &html[start..end]
}

/// `(datetime, text)` of every `<time>` element, in order.
pub(crate) fn times(html: &str) -> Vec<(&str, &str)> {
    html.match_indices("<time datetime=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let (datetime, rest) = rest.split_once("\">").unwrap();
            (datetime, &rest[..rest.find("</time>").unwrap()])
        })
        .collect()
}

/// The section of an entry page under the heading `title` ("Related", "Referenced by").
pub(crate) fn section<'a>(html: &'a str, title: &str) -> Option<&'a str> {
    let start = html.find(&format!(">{title}</h2>"))?;
    let end = html[start..].find("</section>")? + start;
    Some(&html[start..end])
}

/// The `<li>` element holding a link to `href`.
#[track_caller]
pub(crate) fn list_item<'a>(html: &'a str, href: &str) -> &'a str {
    let link = html
        .find(&format!(" href=\"{href}\""))
        .unwrap_or_else(|| panic!("no link to `{href}`"));
    let start = html[..link].rfind("<li").unwrap();
    let end = html[link..].find("</li>").unwrap() + link;
    &html[start..end]
}

/// The text of an HTML fragment: tags dropped, whitespace collapsed.
pub(crate) fn plain_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text a reader sees in an HTML fragment: tags dropped, entities decoded,
/// whitespace collapsed.
pub(crate) fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        rest = rest[lt..].find('>').map_or("", |gt| &rest[lt + gt + 1..]);
    }
    text.push_str(rest);
    decode_entities(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A TimelineJS date's fields (`year`, `month`, …) as numbers.
pub(crate) type TlDate = BTreeMap<String, i64>;

/// A TimelineJS date object as numbers, without `display_date`. TimelineJS reads
/// numbers and numeric strings alike; anything else is an error.
#[track_caller]
pub(crate) fn tl_date(date: &Value) -> TlDate {
    let object = date
        .as_object()
        .unwrap_or_else(|| panic!("a date object, not {date}"));
    object
        .iter()
        .filter(|(k, _)| *k != "display_date")
        .map(|(k, v)| {
            let n = match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            };
            (
                k.clone(),
                n.unwrap_or_else(|| panic!("`{k}` is not a number: {v}")),
            )
        })
        .collect()
}
