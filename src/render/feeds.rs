//! The feeds: `/feed.xml` (Atom 1.0, RFC 4287), `/feed.json` (JSON Feed 1.1), and an
//! Atom feed per taxonomy term. The site's feeds carry each entry's whole text; a
//! term's feed carries title, summary and link, as Hugo's and most sites' do, since
//! a site with thousands of terms would otherwise repeat every story thousands of
//! times. Entries are ordered by `published`, newest first;
//! every timestamp comes from the content's editorial clock (published, updated and
//! correction dates), never from the build time. Partial dates stand for the first
//! instant of their period in the site's zone.

use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use rayon::prelude::*;

use crate::content::markdown::{self, Rewrite};
use crate::error::Error;
use crate::escape;
use crate::render::views::{Cards, ImageView};
use crate::render::{fingerprint, Contents, Inputs, OutputFile, Sink};
use crate::site::link::Site;

/// The scope of one feed.
struct Feed<'a> {
    title: String,
    /// Whether entries carry their whole text, or only their summary.
    full: bool,
    /// Root-relative URL of the feed itself.
    self_url: String,
    /// Root-relative URL of the page it follows.
    page_url: String,
    /// Entry ids in scope, any order.
    ids: &'a [usize],
}

/// Shared by every feed: the inputs, and each entry's feed content, rendered once
/// (an entry appears in the site feed and in its terms' feeds).
struct FeedCx<'a> {
    site: &'a Site,
    cards: &'a Cards<'a>,
    contents: Vec<Option<String>>,
}

/// Writes every feed of the site into `sink`; returns (files, files made).
pub fn files(inputs: &Inputs<'_>, sink: &dyn Sink) -> Result<(usize, usize), Error> {
    let site = inputs.site;
    let urls = &site.urls;
    let all: Vec<usize> = (0..site.entries.len()).collect();
    let mut feeds = vec![Feed {
        title: site.config.title.clone(),
        full: true,
        self_url: urls.path("feed.xml"),
        page_url: urls.root().to_string(),
        ids: &all,
    }];
    let mut paths = vec!["feed.xml".to_string()];
    for taxonomy in site.taxonomies.iter() {
        for term in &taxonomy.terms {
            let page_url = urls.term(&taxonomy.name, &term.slug);
            paths.push(format!("{}/{}/feed.xml", taxonomy.name, term.slug));
            feeds.push(Feed {
                title: format!("{}: {}", site.config.title, term.name),
                full: false,
                self_url: term_feed_url(&page_url),
                page_url,
                ids: &term.entries,
            });
        }
    }
    // The JSON feed, last, carries the same entries as the site's Atom feed, first:
    // `chosen_for` maps a path's index to the index of its entries in `chosen`.
    paths.push("feed.json".to_string());
    let chosen_for = |i: usize| if i < feeds.len() { i } else { 0 };
    let chosen: Vec<Vec<usize>> = feeds.par_iter().map(|f| newest(site, f.ids)).collect();
    let print = |i: usize| {
        let ids = &chosen[chosen_for(i)];
        let title = feeds.get(i).map(|f| f.title.as_str());
        let full = feeds.get(i).is_none_or(|f| f.full);
        let entries: Vec<(u64, u64)> = ids
            .iter()
            .map(|&id| {
                // Summary feeds show the card and two dates, not the body: an
                // edit of the words must not make every term feed again.
                let e = &site.entries[id];
                let rest = if full {
                    inputs.entry_hashes[id]
                } else {
                    fingerprint(&(e.published_at, e.edited_at))
                };
                (inputs.card_hashes[id], rest)
            })
            .collect();
        fingerprint(&(
            inputs.global,
            &paths[i],
            title,
            entries,
            feed_updated(site, feeds.get(i).map_or(&all, |f| f.ids)),
        ))
    };
    let prints: Vec<u64> = (0..paths.len()).into_par_iter().map(print).collect();
    let stale: Vec<usize> = (0..paths.len())
        .filter(|&i| !inputs.shadowed.contains(&paths[i]) && !sink.reuse(&paths[i], prints[i]))
        .collect();
    let mut wanted = vec![false; site.entries.len()];
    for &i in stale
        .iter()
        .filter(|&&i| feeds.get(i).is_none_or(|f| f.full))
    {
        chosen[chosen_for(i)]
            .iter()
            .for_each(|&id| wanted[id] = true);
    }
    let contents = wanted
        .par_iter()
        .enumerate()
        .map(|(id, &w)| w.then(|| content_html(site, id, inputs.cards[id].image.as_ref())))
        .collect();
    let cx = FeedCx {
        site,
        cards: inputs.cards,
        contents,
    };
    stale.par_iter().try_for_each(|&i| {
        let text = match feeds.get(i) {
            Some(feed) => atom(&cx, feed, &chosen[i]),
            None => json_feed(&cx, &chosen[0]),
        };
        sink.put(OutputFile {
            path: paths[i].clone(),
            contents: Contents::Bytes(text.into_bytes()),
            fingerprint: prints[i],
        })
    })?;
    Ok((paths.len(), stale.len()))
}

/// Root-relative URL of a term's feed, for `<link rel="alternate">`.
pub fn term_feed_url(page_url: &str) -> String {
    format!("{page_url}feed.xml")
}

/// The entry's title as feeds show it: drafts (in a `--drafts` preview) are marked.
fn feed_title(entry: &crate::content::entry::Entry) -> String {
    if entry.draft {
        format!("[Draft] {}", entry.title)
    } else {
        entry.title.clone()
    }
}

/// When an entry last changed editorially: its `published`, `updated` and correction dates.
pub fn entry_updated(site: &Site, id: usize) -> DateTime<Utc> {
    site.entries[id].edited_at
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
fn feed_updated(site: &Site, ids: &[usize]) -> DateTime<Utc> {
    ids.iter()
        .map(|&id| entry_updated(site, id))
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The entry's body as HTML with absolute links, its image first and its
/// corrections last, for feed readers that show the whole story.
pub fn content_html(site: &Site, id: usize, image: Option<&ImageView>) -> String {
    let urls = &site.urls;
    let entry = &site.entries[id];
    let rewrites = &site.relations[id].rewrites;
    let rewrite = |dest: &str| {
        rewrites.get(dest).map(|r| match r {
            Rewrite::To(url) if url.starts_with('/') => Rewrite::To(urls.absolute(url)),
            other => other.clone(),
        })
    };
    let mut html = String::new();
    if let Some(image) = image {
        let src = if image.src.starts_with('/') {
            urls.absolute(&image.src)
        } else {
            image.src.clone()
        };
        let _ = writeln!(
            html,
            "<p><img src=\"{}\" alt=\"{}\"></p>",
            escape::xml(&src),
            escape::xml(&image.alt)
        );
    }
    html.push_str(&markdown::render(
        entry.body(),
        &rewrite,
        !site.config.allow_raw_html,
    ));
    for c in &entry.corrections {
        let date = c
            .date
            .display(&site.config.date_format, site.config.timezone);
        let _ = writeln!(
            html,
            "<p><strong>Correction ({}):</strong> {}</p>",
            escape::xml(&date),
            escape::xml(&c.text)
        );
    }
    html
}

fn atom(cx: &FeedCx<'_>, feed: &Feed<'_>, ids: &[usize]) -> String {
    let site = cx.site;
    let urls = &site.urls;
    let mut x = String::with_capacity(4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape::xml(&site.config.language)
    );
    let _ = writeln!(
        x,
        "  <id>{}</id>",
        escape::xml(&urls.absolute(&feed.self_url))
    );
    let _ = writeln!(x, "  <title>{}</title>", escape::xml(&feed.title));
    if !site.config.description.is_empty() {
        let _ = writeln!(
            x,
            "  <subtitle>{}</subtitle>",
            escape::xml(&site.config.description)
        );
    }
    let _ = writeln!(
        x,
        "  <updated>{}</updated>",
        stamp(feed_updated(site, feed.ids))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape::xml(&urls.absolute(&feed.self_url))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape::xml(&urls.absolute(&feed.page_url))
    );
    let author = site.config.author.as_ref();
    let _ = write!(
        x,
        "  <author><name>{}</name>",
        escape::xml(author.map_or(&site.config.title, |a| &a.name))
    );
    if let Some(url) = author.and_then(|a| a.url.as_ref()) {
        let _ = write!(x, "<uri>{}</uri>", escape::xml(url));
    }
    x.push_str("</author>\n");
    x.push_str("  <generator>dateline</generator>\n");
    for &id in ids {
        let entry = &site.entries[id];
        let url = urls.absolute(&urls.entry(&entry.slug));
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <id>{}</id>", escape::xml(&url));
        let _ = writeln!(x, "    <title>{}</title>", escape::xml(&feed_title(entry)));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape::xml(&url)
        );
        let _ = writeln!(
            x,
            "    <published>{}</published>",
            stamp(entry.published_at)
        );
        let _ = writeln!(
            x,
            "    <updated>{}</updated>",
            stamp(entry_updated(site, id))
        );
        if !entry.summary.is_empty() {
            let _ = writeln!(x, "    <summary>{}</summary>", escape::xml(&entry.summary));
        }
        for (taxonomy, terms) in site.taxonomies.iter().zip(&site.relations[id].terms) {
            for &t in terms {
                let term = &taxonomy.terms[t];
                let _ = writeln!(
                    x,
                    "    <category term=\"{}\" label=\"{}\" scheme=\"{}\"/>",
                    escape::xml(&term.slug),
                    escape::xml(&term.name),
                    escape::xml(&urls.absolute(&urls.taxonomy(&taxonomy.name)))
                );
            }
        }
        if let Some(content) = cx.contents[id].as_deref().filter(|_| feed.full) {
            let _ = writeln!(
                x,
                "    <content type=\"html\">{}</content>",
                escape::xml(content)
            );
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
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
    items: Vec<JsonItem>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonItem {
    id: String,
    url: String,
    title: String,
    content_html: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

fn json_feed(cx: &FeedCx<'_>, ids: &[usize]) -> String {
    let site = cx.site;
    let urls = &site.urls;
    let author = site.config.author.as_ref();
    let items = ids
        .iter()
        .map(|&id| {
            let entry = &site.entries[id];
            let url = urls.absolute(&urls.entry(&entry.slug));
            let image = cx.cards[id].image.as_ref();
            let tags = site
                .taxonomies
                .iter()
                .zip(&site.relations[id].terms)
                .flat_map(|(taxonomy, terms)| terms.iter().map(|&t| taxonomy.terms[t].name.clone()))
                .collect();
            JsonItem {
                id: url.clone(),
                url,
                title: feed_title(entry),
                content_html: cx.contents[id].clone().unwrap_or_default(),
                summary: entry.summary.clone(),
                image: image.map(|i| {
                    if i.src.starts_with('/') {
                        urls.absolute(&i.src)
                    } else {
                        i.src.clone()
                    }
                }),
                date_published: stamp(entry.published_at),
                date_modified: stamp(entry_updated(site, id)),
                tags,
            }
        })
        .collect();
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &site.config.title,
        home_page_url: urls.absolute(urls.root()),
        feed_url: urls.absolute(&urls.path("feed.json")),
        description: &site.config.description,
        language: &site.config.language,
        authors: vec![JsonAuthor {
            name: author.map_or(&site.config.title, |a| &a.name),
            url: author.and_then(|a| a.url.as_deref()),
        }],
        items,
    };
    let mut text = serde_json::to_string_pretty(&feed).unwrap_or_default();
    text.push('\n');
    text
}
