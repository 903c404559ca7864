//! The feeds: `/feed.xml` (Atom 1.0, RFC 4287), `/feed.json` (JSON Feed 1.1), and an
//! Atom feed per taxonomy term. The site's feeds carry each entry's whole text; a
//! term's feed carries title, summary and link, as Hugo's and most sites' do, since
//! a site with thousands of terms would otherwise repeat every story thousands of
//! times. `/corrections/feed.xml` carries each correction, newest first, linked
//! to its place on the entry's page. Entries are ordered by `published`, newest first;
//! every timestamp comes from the content's editorial clock (published, updated and
//! correction dates), never from the build time. Partial dates stand for the first
//! instant of their period in the site's zone.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use chrono::{DateTime, SecondsFormat, Utc};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::entry::{Correction, Entry};
use crate::content::markdown::{self, Rewrite};
use crate::error::Error;
use crate::escape;
use crate::render::cards::{Card, CardRef, Cards};
use crate::render::emit::{Contents, Sink};
use crate::render::inputs::{Output, Shared};
use crate::render::plan::CORRECTIONS;
use crate::site::link::{Rewrites, Site};

/// One feed's view: its scope, and the entries it carries.
#[derive(Hash)]
struct FeedView<'c, 'a> {
    /// Feed title.
    title: Cow<'a, str>,
    /// Root-relative URL of the feed itself.
    self_url: String,
    /// Root-relative URL of the page it follows.
    page_url: String,
    /// The latest editorial date of its scope (every entry in it, not only the
    /// newest few it carries).
    updated: DateTime<Utc>,
    /// The newest entries, newest first.
    items: Vec<FeedItem<'c, 'a>>,
}

/// One entry as a feed shows it: its card (title, summary, terms, image), its
/// editorial dates, and in the site's feeds its whole text.
#[derive(Hash)]
struct FeedItem<'c, 'a> {
    card: CardRef<'c, 'a>,
    published: DateTime<Utc>,
    updated: DateTime<Utc>,
    /// The whole text, in the site's feeds; `None` in a term's feed.
    content: Option<Content<'c>>,
}

/// An entry's whole text for feed readers, made once for the Atom and the JSON
/// feed: made from the entry's file and where its links point, and hashed as those.
struct Content<'a> {
    entry: &'a Entry,
    rewrites: &'a Rewrites,
    /// The image's URL, root-relative or elsewhere.
    image: Option<&'a str>,
    made: &'a OnceLock<String>,
}

impl Hash for Content<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // Body, image and corrections are all in the file's text.
        (self.entry.text_hash, self.rewrites, self.image).hash(h);
    }
}

impl Content<'_> {
    /// The entry's body as HTML with absolute links, its image first and its
    /// corrections last.
    fn html(&self, shared: &Shared<'_>) -> &str {
        self.made
            .get_or_init(|| content_html(self.entry, self.rewrites, self.image, shared))
    }
}

/// Emits every feed of the site into `sink`; returns (files, files made).
pub(crate) fn emit<'a>(
    site: &'a Site,
    cards: &Cards<'a>,
    corrections: &[(usize, usize)],
    shared: &Shared<'_>,
    sink: &dyn Sink,
) -> Result<(usize, usize), Error> {
    let urls = &shared.urls;
    let all: Vec<usize> = (0..site.entries.len()).collect();
    let made: Vec<OnceLock<String>> = (0..site.entries.len()).map(|_| OnceLock::new()).collect();
    let newest_of_all = newest(site, &all);
    let site_feed = || FeedView {
        title: Cow::Borrowed(&site.config.title),
        self_url: urls.path("feed.xml"),
        page_url: urls.root().to_string(),
        updated: updated(site, &all),
        items: items(site, cards, &newest_of_all, Some(&made)),
    };
    let mut outputs: Vec<Output<FeedView<'_, 'a>>> = vec![
        Output {
            path: "feed.xml".into(),
            view: site_feed(),
            make: atom,
        },
        Output {
            path: "feed.json".into(),
            view: site_feed(),
            make: json_feed,
        },
    ];
    let terms: Vec<(String, FeedView<'_, 'a>)> = site
        .taxonomies
        .par_iter()
        .flat_map_iter(|taxonomy| {
            taxonomy.terms.iter().map(move |term| {
                let page_url = urls.term(&taxonomy.name, &term.slug);
                let view = FeedView {
                    title: Cow::Owned(format!("{}: {}", site.config.title, term.name)),
                    self_url: urls.feed_of(&page_url),
                    page_url,
                    updated: updated(site, &term.entries),
                    items: items(site, cards, &newest(site, &term.entries), None),
                };
                (urls.file_path(&view.self_url), view)
            })
        })
        .collect();
    outputs.extend(terms.into_iter().map(|(path, view)| Output {
        path,
        view,
        make: atom,
    }));
    let files = outputs.len() + 1;
    let fresh = outputs
        .into_par_iter()
        .map(|output| shared.emit(sink, output))
        .collect::<Result<Vec<bool>, Error>>()?;
    let corrected = shared.emit(sink, corrections_feed(site, cards, corrections))?;
    Ok((
        files,
        fresh.into_iter().filter(|&f| f).count() + usize::from(corrected),
    ))
}

/// The feed of corrections: what it is made from.
#[derive(Hash)]
struct CorrectionsFeed<'c, 'a> {
    /// The newest correction's date, or the epoch when there is none.
    updated: DateTime<Utc>,
    /// The newest `feed_limit` corrections: the entry's card, the correction's
    /// place among the entry's, the correction and its instant.
    items: Vec<(CardRef<'c, 'a>, usize, &'a Correction, DateTime<Utc>)>,
}

/// The corrections feed's output, from `corrections` (newest first).
fn corrections_feed<'c, 'a>(
    site: &'a Site,
    cards: &'c Cards<'a>,
    corrections: &[(usize, usize)],
) -> Output<CorrectionsFeed<'c, 'a>> {
    let tz = site.config.timezone;
    let items: Vec<_> = corrections
        .iter()
        .take(site.config.feed_limit)
        .map(|&(id, c)| {
            let correction = &site.entries[id].corrections[c];
            (cards.card(id), c, correction, correction.date.start(tz))
        })
        .collect();
    Output {
        path: format!("{CORRECTIONS}feed.xml"),
        view: CorrectionsFeed {
            updated: items.first().map_or(DateTime::UNIX_EPOCH, |i| i.3),
            items,
        },
        make: corrections_atom,
    }
}

/// The corrections feed as Atom: one `<entry>` per correction, its id and link
/// the correction's place on the entry's page.
fn corrections_atom(
    feed: &CorrectionsFeed<'_, '_>,
    shared: &Shared<'_>,
) -> Result<Contents, Error> {
    let config = shared.config;
    let urls = &shared.urls;
    let mut x = String::with_capacity(2048);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape::xml(&config.language)
    );
    let self_url = escape::xml(&urls.absolute(&urls.path(&format!("{CORRECTIONS}feed.xml"))));
    let _ = writeln!(x, "  <id>{self_url}</id>");
    let _ = writeln!(
        x,
        "  <title>{}: corrections</title>",
        escape::xml(&config.title)
    );
    let _ = writeln!(x, "  <updated>{}</updated>", stamp(feed.updated));
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>"
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape::xml(&urls.absolute(&urls.path(CORRECTIONS)))
    );
    let author = config.author.as_ref();
    let _ = writeln!(
        x,
        "  <author><name>{}</name></author>",
        escape::xml(author.map_or(&config.title, |a| &a.name))
    );
    x.push_str("  <generator>dateline</generator>\n");
    for (card, i, correction, when) in &feed.items {
        let card = card.get();
        let url = escape::xml(&format!(
            "{}#{}",
            urls.absolute(&card.url),
            crate::render::pages::correction_anchor(*i)
        ));
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <id>{url}</id>");
        let _ = writeln!(
            x,
            "    <title>Correction: {}</title>",
            escape::xml(&feed_title(card))
        );
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>"
        );
        let _ = writeln!(x, "    <published>{}</published>", stamp(*when));
        let _ = writeln!(x, "    <updated>{}</updated>", stamp(*when));
        let _ = writeln!(
            x,
            "    <content type=\"text\">{}</content>",
            escape::xml(&correction.text)
        );
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    Ok(Contents::Bytes(x.into_bytes()))
}

/// The feed items of `ids`, with their whole text when `made` holds its cache.
fn items<'c, 'a: 'c>(
    site: &'a Site,
    cards: &'c Cards<'a>,
    ids: &[usize],
    made: Option<&'c [OnceLock<String>]>,
) -> Vec<FeedItem<'c, 'a>> {
    ids.iter()
        .map(|&id| {
            let entry = &*site.entries[id];
            let card = cards.card(id);
            FeedItem {
                card,
                published: entry.published_at,
                updated: entry.edited_at,
                content: made.map(|made| Content {
                    entry,
                    rewrites: &site.relations[id].rewrites,
                    image: card.get().image.as_ref().map(|i| i.src.as_str()),
                    made: &made[id],
                }),
            }
        })
        .collect()
}

/// The entry's title as feeds show it: drafts (in a `--drafts` preview) are marked.
fn feed_title(card: &Card<'_>) -> String {
    if card.draft {
        format!("[Draft] {}", card.title)
    } else {
        card.title.to_string()
    }
}

/// The `feed_limit` entries of `ids` with the newest `published`, newest first.
fn newest(site: &Site, ids: &[usize]) -> Vec<usize> {
    let mut ids = ids.to_vec();
    let key = |&id: &usize| std::cmp::Reverse((site.entries[id].published_at, id));
    let limit = site.config.feed_limit;
    // Only the newest `limit` need ordering; select them first on large scopes.
    if ids.len() > limit {
        ids.select_nth_unstable_by_key(limit, key);
        ids.truncate(limit);
    }
    ids.sort_unstable_by_key(key);
    ids
}

/// The latest editorial date of `ids`, or the epoch for an empty scope (still stable).
fn updated(site: &Site, ids: &[usize]) -> DateTime<Utc> {
    ids.iter()
        .map(|&id| site.entries[id].edited_at)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The entry's body as HTML with absolute links, its image first and its
/// corrections last, for feed readers that show the whole story.
fn content_html(
    entry: &Entry,
    rewrites: &Rewrites,
    image_url: Option<&str>,
    shared: &Shared<'_>,
) -> String {
    let config = shared.config;
    let urls = &shared.urls;
    let rewrite = |dest: &str| {
        rewrites.get(dest).map(|r| match r {
            Rewrite::To(url) => Rewrite::To(urls.absolute_if_local(url)),
            other => other.clone(),
        })
    };
    let mut html = String::new();
    if let (Some(image), Some(url)) = (&entry.image, image_url) {
        let _ = writeln!(
            html,
            "<p><img src=\"{}\" alt=\"{}\"></p>",
            escape::xml(&urls.absolute_if_local(url)),
            escape::xml(&image.alt)
        );
    }
    html.push_str(&markdown::render(
        entry.body(),
        &rewrite,
        !config.allow_raw_html,
    ));
    // Quoted posts as blockquotes with their attribution: feed readers show no cards.
    for post in &entry.posts {
        let mut by = escape::xml(&post.author);
        if let Some(handle) = &post.handle {
            let _ = write!(by, " ({})", escape::xml(handle));
        }
        if let Some(platform) = &post.platform {
            let _ = write!(by, " on {}", escape::xml(platform));
        }
        let when = escape::xml(&post.date.display(&config.date_format, config.timezone));
        let _ = write!(
            html,
            "<blockquote><p>{}</p></blockquote>\n<p>— {by}, {when}",
            crate::render::posts::text_html(&post.text)
        );
        if let Some(url) = &post.url {
            let _ = write!(html, ": <a href=\"{}\">the post</a>", escape::xml(url));
        }
        if let Some(archived) = &post.archive_url {
            let _ = write!(
                html,
                " (<a href=\"{}\">archived copy</a>)",
                escape::xml(archived)
            );
        }
        html.push_str("</p>\n");
    }
    for c in &entry.corrections {
        let date = c.date.display(&config.date_format, config.timezone);
        let _ = writeln!(
            html,
            "<p><strong>Correction ({}):</strong> {}</p>",
            escape::xml(&date),
            escape::xml(&c.text)
        );
    }
    html
}

/// An Atom feed.
fn atom(feed: &FeedView<'_, '_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let config = shared.config;
    let urls = &shared.urls;
    let mut x = String::with_capacity(4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape::xml(&config.language)
    );
    let self_url = escape::xml(&urls.absolute(&feed.self_url));
    let _ = writeln!(x, "  <id>{self_url}</id>");
    let _ = writeln!(x, "  <title>{}</title>", escape::xml(&feed.title));
    if !config.description.is_empty() {
        let _ = writeln!(
            x,
            "  <subtitle>{}</subtitle>",
            escape::xml(&config.description)
        );
    }
    let _ = writeln!(x, "  <updated>{}</updated>", stamp(feed.updated));
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>"
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape::xml(&urls.absolute(&feed.page_url))
    );
    let author = config.author.as_ref();
    let _ = write!(
        x,
        "  <author><name>{}</name>",
        escape::xml(author.map_or(&config.title, |a| &a.name))
    );
    if let Some(url) = author.and_then(|a| a.url.as_ref()) {
        let _ = write!(x, "<uri>{}</uri>", escape::xml(url));
    }
    x.push_str("</author>\n");
    x.push_str("  <generator>dateline</generator>\n");
    for item in &feed.items {
        atom_entry(&mut x, item, shared);
    }
    x.push_str("</feed>\n");
    Ok(Contents::Bytes(x.into_bytes()))
}

/// One `<entry>` of an Atom feed.
fn atom_entry(x: &mut String, item: &FeedItem<'_, '_>, shared: &Shared<'_>) {
    let urls = &shared.urls;
    let card = item.card.get();
    let url = escape::xml(&urls.absolute(&card.url));
    x.push_str("  <entry>\n");
    let _ = writeln!(x, "    <id>{url}</id>");
    let _ = writeln!(x, "    <title>{}</title>", escape::xml(&feed_title(card)));
    let _ = writeln!(
        x,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>"
    );
    let _ = writeln!(x, "    <published>{}</published>", stamp(item.published));
    let _ = writeln!(x, "    <updated>{}</updated>", stamp(item.updated));
    if !card.summary.is_empty() {
        let _ = writeln!(x, "    <summary>{}</summary>", escape::xml(card.summary));
    }
    for group in &card.terms {
        let scheme = escape::xml(&urls.absolute(&urls.taxonomy(group.taxonomy)));
        for term in &group.terms {
            let _ = writeln!(
                x,
                "    <category term=\"{}\" label=\"{}\" scheme=\"{scheme}\"/>",
                escape::xml(term.slug),
                escape::xml(term.name),
            );
        }
    }
    if let Some(content) = &item.content {
        let _ = writeln!(
            x,
            "    <content type=\"html\">{}</content>",
            escape::xml(content.html(shared))
        );
    }
    x.push_str("  </entry>\n");
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    authors: Vec<JsonAuthor<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    title: String,
    content_html: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
}

/// The JSON feed.
fn json_feed(feed: &FeedView<'_, '_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let config = shared.config;
    let urls = &shared.urls;
    let author = config.author.as_ref();
    let items = feed
        .items
        .iter()
        .map(|item| {
            let card = item.card.get();
            let url = urls.absolute(&card.url);
            JsonItem {
                id: url.clone(),
                url,
                title: feed_title(card),
                content_html: item.content.as_ref().map_or("", |c| c.html(shared)),
                summary: card.summary,
                image: card.image.as_ref().map(|i| urls.absolute_if_local(&i.src)),
                date_published: stamp(item.published),
                date_modified: stamp(item.updated),
                tags: card
                    .terms
                    .iter()
                    .flat_map(|g| g.terms.iter().map(|t| t.name))
                    .collect(),
            }
        })
        .collect();
    let doc = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &config.title,
        home_page_url: urls.absolute(urls.root()),
        feed_url: urls.absolute(&urls.path("feed.json")),
        description: &config.description,
        language: &config.language,
        authors: vec![JsonAuthor {
            name: author.map_or(&config.title, |a| &a.name),
            url: author.and_then(|a| a.url.as_deref()),
        }],
        items,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    Ok(Contents::Bytes(text.into_bytes()))
}
