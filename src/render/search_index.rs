//! `/search-index.json`: every entry's slug, title, dates, summary, importance and
//! terms, as a machine-readable export for tools. No page fetches it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Error;
use crate::render::cards::{CardRef, Cards, TermsOf};
use crate::render::emit::{Contents, Sink};
use crate::render::inputs::{Output, Shared};
use crate::render::timelinejs::json_line;
use crate::site::link::Site;

/// The export's view: every term, and every entry with its terms.
#[derive(Hash)]
struct Index<'c, 'a> {
    /// Per taxonomy, each term's slug and display name.
    terms: Vec<(&'a str, Vec<(&'a str, &'a str)>)>,
    entries: Vec<(CardRef<'c, 'a>, TermsOf<'a>)>,
}

#[derive(Serialize)]
struct SearchIndex<'v, 'c, 'a> {
    /// taxonomy → term slug → display name.
    terms: BTreeMap<&'a str, BTreeMap<&'a str, &'a str>>,
    entries: SearchEntries<'v, 'c, 'a>,
}

#[derive(Serialize)]
struct SearchEntry<'v> {
    slug: &'v str,
    url: &'v str,
    title: &'v str,
    date: &'v str,
    display: &'v str,
    summary: &'v str,
    importance: u8,
    /// taxonomy → term slugs.
    terms: BTreeMap<&'v str, Vec<&'v str>>,
}

/// The entries of the index, serialised one at a time as they are made.
struct SearchEntries<'v, 'c, 'a>(&'v [(CardRef<'c, 'a>, TermsOf<'a>)]);

impl Serialize for SearchEntries<'_, '_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|(card, terms)| {
            let card = card.get();
            SearchEntry {
                slug: card.slug,
                url: &card.url,
                title: card.title,
                date: &card.date.machine,
                display: &card.date.display,
                summary: card.summary,
                importance: card.importance,
                terms: terms
                    .groups()
                    .map(|(taxonomy, terms)| {
                        (taxonomy, terms.map(|t| t.slug.as_str()).collect::<Vec<_>>())
                    })
                    .filter(|(_, slugs)| !slugs.is_empty())
                    .collect(),
            }
        }))
    }
}

fn search_index(index: &Index<'_, '_>, _: &Shared<'_>) -> Result<Contents, Error> {
    let terms = index
        .terms
        .iter()
        .map(|(taxonomy, terms)| (*taxonomy, terms.iter().copied().collect()))
        .collect();
    let doc = SearchIndex {
        terms,
        entries: SearchEntries(&index.entries),
    };
    Ok(Contents::Bytes(json_line(&doc, index.entries.len() * 480)))
}

/// Emits `/search-index.json`; returns whether it was made.
pub(crate) fn emit<'a>(
    site: &'a Site,
    cards: &Cards<'a>,
    shared: &Shared<'_>,
    sink: &dyn Sink,
) -> Result<bool, Error> {
    let terms = site
        .taxonomies
        .iter()
        .map(|t| {
            let terms = t
                .terms
                .iter()
                .map(|term| (term.slug.as_str(), term.name.as_str()))
                .collect();
            (t.name.as_str(), terms)
        })
        .collect();
    let entries = (0..site.entries.len())
        .map(|id| (cards.card(id), cards.terms(id)))
        .collect();
    shared.emit(
        sink,
        Output {
            path: "search-index.json".into(),
            view: Index { terms, entries },
            make: search_index,
        },
    )
}
