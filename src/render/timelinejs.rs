//! `/timeline.json`: the whole timeline as Knight Lab TimelineJS3 data, one event
//! per entry with its dates at their precision, so a newsroom can show the same
//! story in TimelineJS's slider.

use chrono::{Datelike, Timelike};
use serde::Serialize;

use crate::content::entry::Post;
use crate::date::{PartialDate, Precision, Qualifier};
use crate::error::Error;
use crate::escape;
use crate::render::cards::{Card, CardRef, Cards};
use crate::render::emit::{Contents, Sink};
use crate::render::inputs::{Output, Shared};
use crate::site::config::Config;
use crate::site::link::Site;

/// A TimelineJS date: only the fields the entry's precision knows.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct TlDate {
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
    fn new(date: &PartialDate, config: &Config) -> Self {
        let tz = config.timezone;
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
            d.display_date = Some(date.display(&config.date_format, tz));
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
struct TlTimeline<'v, 'c, 'a> {
    title: TlTitle,
    events: Events<'v, 'c, 'a>,
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

/// The export's view: every entry, in timeline order.
#[derive(Hash)]
struct Export<'c, 'a> {
    items: Vec<Item<'c, 'a>>,
}

/// One entry of the export: its card, its dates and the posts it quotes.
#[derive(Hash)]
struct Item<'c, 'a> {
    card: CardRef<'c, 'a>,
    date: PartialDate,
    end_date: Option<PartialDate>,
    /// Quoted as text: a platform's URL as `media` would make TimelineJS load
    /// the platform's script.
    posts: &'a [Post],
}

/// The events, serialised one at a time as they are made: a timeline of 100,000
/// entries never holds them all at once.
struct Events<'v, 'c, 'a> {
    items: &'v [Item<'c, 'a>],
    config: &'v Config,
    shared: &'v Shared<'v>,
}

impl Serialize for Events<'_, '_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.items
                .iter()
                .map(|item| event(item, self.config, self.shared)),
        )
    }
}

fn event(item: &Item<'_, '_>, config: &Config, shared: &Shared<'_>) -> TlEvent {
    let urls = &shared.urls;
    let card: &Card<'_> = item.card.get();
    TlEvent {
        start_date: TlDate::new(&item.date, config),
        end_date: item.end_date.as_ref().map(|d| TlDate::new(d, config)),
        text: TlText {
            headline: format!(
                "<a href=\"{}\">{}</a>",
                html(&urls.absolute(&card.url)),
                html(card.title)
            ),
            text: {
                let mut text = if card.summary.is_empty() {
                    String::new()
                } else {
                    format!("<p>{}</p>", html(card.summary))
                };
                for post in item.posts {
                    text.push_str(&post_html(post, config));
                }
                text
            },
        },
        media: card.image.as_ref().map(|i| TlMedia {
            url: urls.absolute_if_local(&i.src),
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
        unique_id: card.slug.to_string(),
    }
}

/// A quoted post in an event's text: the words and who posted them, when.
fn post_html(post: &Post, config: &Config) -> String {
    let mut by = html(&post.author);
    if let Some(platform) = &post.platform {
        by.push_str(&format!(" on {}", html(platform)));
    }
    let when = html(&post.date.display(&config.date_format, config.timezone));
    format!(
        "<blockquote><p>{}</p></blockquote><p>— {by}, {when}</p>",
        crate::render::posts::text_html(&post.text)
    )
}

/// The whole export.
fn timeline(export: &Export<'_, '_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let config = shared.config;
    let items = &export.items;
    let eras = config
        .eras
        .iter()
        .map(|era| TlEra {
            start_date: TlDate::new(&era.start, config),
            end_date: TlDate::new(&era.end, config),
            text: TlText {
                headline: html(&era.title),
                text: String::new(),
            },
        })
        .collect();
    let doc = TlTimeline {
        title: TlTitle {
            text: TlText {
                headline: html(&config.title),
                text: html(&config.description),
            },
        },
        events: Events {
            items,
            config,
            shared,
        },
        eras,
    };
    // Compact, like the search index: machines read it, and it is the largest file.
    Ok(Contents::Bytes(json_line(&doc, items.len() * 470)))
}

/// Emits `/timeline.json`; returns whether it was made.
pub(crate) fn emit<'a>(
    site: &'a Site,
    cards: &Cards<'a>,
    shared: &Shared<'_>,
    sink: &dyn Sink,
) -> Result<bool, Error> {
    let items: Vec<Item<'_, '_>> = site
        .entries
        .iter()
        .enumerate()
        .map(|(id, e)| Item {
            card: cards.card(id),
            date: e.date,
            end_date: e.end_date,
            posts: &e.posts,
        })
        .collect();
    shared.emit(
        sink,
        Output {
            path: "timeline.json".into(),
            view: Export { items },
            make: timeline,
        },
    )
}

/// `value` as one line of compact JSON, written into a buffer sized from
/// `estimate` so a large export is not copied again and again as it grows.
pub(crate) fn json_line(value: &impl Serialize, estimate: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(estimate);
    if serde_json::to_writer(&mut bytes, value).is_err() {
        return b"\n".to_vec();
    }
    bytes.push(b'\n');
    bytes
}
