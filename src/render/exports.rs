//! Machine-readable outputs besides feeds: `/timeline.json` (Knight Lab TimelineJS3),
//! `/search-index.json` (for the theme's filter script), `/sitemap.xml` and
//! `/robots.txt`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use rayon::prelude::*;
use serde::Serialize;

use crate::date::{PartialDate, Precision, Qualifier};
use crate::error::Error;
use crate::escape;
use crate::render::views::{Card, Cards};
use crate::render::{fingerprint, Contents, Inputs, Sink};
use crate::site::link::Site;

// ---- TimelineJS3 -------------------------------------------------------------

/// A TimelineJS date: only the fields the entry's precision knows.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct TlDate {
    /// Year.
    pub year: String,
    /// Month, 1–12.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// Day of month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    /// Hour, in the site's zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hour: Option<String>,
    /// Minute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minute: Option<String>,
    /// Text shown instead of the computed date ("c. 2006").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_date: Option<String>,
}

impl TlDate {
    fn new(date: &PartialDate, site: &Site) -> Self {
        let tz = site.config.timezone;
        let mut d = TlDate {
            year: date.year().to_string(),
            month: None,
            day: None,
            hour: None,
            minute: None,
            display_date: None,
        };
        match date.precision() {
            Precision::Year => {}
            Precision::Month => d.month = date.month().map(|m| m.to_string()),
            Precision::Day => {
                d.month = date.month().map(|m| m.to_string());
                d.day = date.day().map(|m| m.to_string());
            }
            Precision::Instant => {
                let local = date.start(tz).with_timezone(&tz);
                d.year = local.year().to_string();
                d.month = Some(local.month().to_string());
                d.day = Some(local.day().to_string());
                d.hour = Some(local.hour().to_string());
                d.minute = Some(local.minute().to_string());
            }
        }
        if date.qualifier() != Qualifier::Exact {
            d.display_date = Some(date.display(&site.config.date_format, tz));
        }
        d
    }
}

#[derive(Serialize)]
struct TlText {
    headline: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    text: String,
}

#[derive(Serialize)]
struct TlMedia {
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit: Option<String>,
    alt: String,
}

#[derive(Serialize)]
struct TlEvent {
    start_date: TlDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<TlDate>,
    text: TlText,
    #[serde(skip_serializing_if = "Option::is_none")]
    media: Option<TlMedia>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    unique_id: String,
}

#[derive(Serialize)]
struct TlEra {
    start_date: TlDate,
    end_date: TlDate,
    text: TlText,
}

#[derive(Serialize)]
struct TlTimeline<'a> {
    title: TlTitle,
    events: Events<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    eras: Vec<TlEra>,
}

#[derive(Serialize)]
struct TlTitle {
    text: TlText,
}

/// TimelineJS renders `headline` and `text` as HTML, so every value is escaped here.
fn html(text: &str) -> String {
    escape::xml(text)
}

/// The events, serialised one at a time as they are made: a timeline of 100,000
/// entries never holds them all at once.
struct Events<'a> {
    site: &'a Site,
    cards: &'a Cards<'a>,
}

impl Serialize for Events<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            (0..self.site.entries.len()).map(|id| event(self.site, &self.cards[id], id)),
        )
    }
}

fn event(site: &Site, card: &Card, id: usize) -> TlEvent {
    let urls = &site.urls;
    let entry = &site.entries[id];
    TlEvent {
        start_date: TlDate::new(&entry.date, site),
        end_date: entry.end_date.as_ref().map(|d| TlDate::new(d, site)),
        text: TlText {
            headline: format!(
                "<a href=\"{}\">{}</a>",
                html(&urls.absolute(&card.url)),
                html(&entry.title)
            ),
            text: if entry.summary.is_empty() {
                String::new()
            } else {
                format!("<p>{}</p>", html(&entry.summary))
            },
        },
        media: card.image.as_ref().map(|i| TlMedia {
            url: if i.src.starts_with('/') {
                urls.absolute(&i.src)
            } else {
                i.src.clone()
            },
            caption: i.caption.as_deref().map(html),
            credit: i.credit.as_deref().map(html),
            alt: i.alt.clone(),
        }),
        // TimelineJS groups by topic: the first tag as written, never a person.
        group: card
            .terms
            .iter()
            .find(|g| g.taxonomy == "tags")
            .and_then(|g| g.terms.first())
            .map(|t| html(t.name)),
        unique_id: entry.slug.clone(),
    }
}

fn timeline<'a>(site: &'a Site, cards: &'a Cards<'a>) -> String {
    let eras = site
        .config
        .eras
        .iter()
        .map(|era| TlEra {
            start_date: TlDate::new(&era.start, site),
            end_date: TlDate::new(&era.end, site),
            text: TlText {
                headline: html(&era.title),
                text: String::new(),
            },
        })
        .collect();
    let doc = TlTimeline {
        title: TlTitle {
            text: TlText {
                headline: html(&site.config.title),
                text: html(&site.config.description),
            },
        },
        events: Events { site, cards },
        eras,
    };
    // Compact, like the search index: machines read it, and it is the largest file.
    json_line(&doc, cards.len() * 470)
}

// ---- Search index ------------------------------------------------------------

#[derive(Serialize)]
struct SearchIndex<'a> {
    /// taxonomy → term slug → display name.
    terms: BTreeMap<&'a str, BTreeMap<&'a str, &'a str>>,
    entries: SearchEntries<'a>,
}

#[derive(Serialize)]
struct SearchEntry<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    date: &'a str,
    display: &'a str,
    summary: &'a str,
    importance: u8,
    /// taxonomy → term slugs.
    terms: BTreeMap<&'a str, Vec<&'a str>>,
}

/// The entries of the search index, serialised one at a time as they are made.
struct SearchEntries<'a> {
    site: &'a Site,
    cards: &'a Cards<'a>,
}

impl Serialize for SearchEntries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let site = self.site;
        serializer.collect_seq(self.cards.iter().enumerate().map(|(id, card)| {
            SearchEntry {
                slug: card.slug,
                url: &card.url,
                title: card.title,
                date: &card.date.machine,
                display: &card.date.display,
                summary: card.summary,
                importance: card.importance,
                terms: site
                    .taxonomies
                    .iter()
                    .zip(&site.relations[id].terms)
                    .filter(|(_, ids)| !ids.is_empty())
                    .map(|(t, ids)| {
                        (
                            t.name.as_str(),
                            ids.iter().map(|&i| t.terms[i].slug.as_str()).collect(),
                        )
                    })
                    .collect(),
            }
        }))
    }
}

fn search_index<'a>(site: &'a Site, cards: &'a Cards<'a>) -> String {
    let terms = site
        .taxonomies
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.terms
                    .iter()
                    .map(|term| (term.slug.as_str(), term.name.as_str()))
                    .collect(),
            )
        })
        .collect();
    json_line(
        &SearchIndex {
            terms,
            entries: SearchEntries { site, cards },
        },
        cards.len() * 480,
    )
}

/// `value` as one line of compact JSON, written into a buffer sized from
/// `estimate` so a large export is not copied again and again as it grows.
fn json_line(value: &impl Serialize, estimate: usize) -> String {
    let mut bytes = Vec::with_capacity(estimate);
    if serde_json::to_writer(&mut bytes, value).is_err() {
        return String::from("\n");
    }
    bytes.push(b'\n');
    // serde_json writes UTF-8 only.
    String::from_utf8(bytes).unwrap_or_default()
}

// ---- Sitemap and robots.txt --------------------------------------------------

fn sitemap(site: &Site, pages: &[(String, DateTime<Utc>)]) -> String {
    let mut x = String::with_capacity(pages.len() * 120 + 200);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in pages {
        let _ = writeln!(
            x,
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>",
            escape::xml(&site.urls.absolute(url)),
            lastmod.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
    }
    x.push_str("</urlset>\n");
    x
}

fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.urls.absolute(&site.urls.path("sitemap.xml"))
    )
}

/// Writes every export into `sink`; returns (files, files made). `pages` lists
/// each HTML page's root-relative URL and last editorial change, for the sitemap.
pub fn files(
    inputs: &Inputs<'_>,
    pages: &[(String, DateTime<Utc>)],
    sink: &dyn Sink,
) -> Result<(usize, usize), Error> {
    let site = inputs.site;
    let cards = inputs.cards;
    let all_cards = fingerprint(&(inputs.global, inputs.card_hashes));
    type Make<'m> = &'m (dyn Fn() -> String + Sync);
    let outputs: [(&str, u64, Make); 4] = [
        ("timeline.json", all_cards, &|| timeline(site, cards)),
        ("search-index.json", all_cards, &|| {
            search_index(site, cards)
        }),
        ("sitemap.xml", fingerprint(&(inputs.global, pages)), &|| {
            sitemap(site, pages)
        }),
        ("robots.txt", inputs.global, &|| robots(site)),
    ];
    // Independent files of very different sizes: written side by side.
    let made = outputs
        .par_iter()
        .map(|&(path, print, make)| {
            inputs.emit(sink, path, print, || {
                Ok(Contents::Bytes(make().into_bytes()))
            })
        })
        .collect::<Result<Vec<bool>, Error>>()?;
    Ok((outputs.len(), made.into_iter().filter(|&m| m).count()))
}
