//! Plans every page of the site before anything is rendered: the timeline and its
//! pages, year and month archives, key events, entry pages, taxonomy indexes and
//! term timelines, the sources index and each publisher's citations, the
//! corrections log, and the 404 page. Each page knows its URL, its output path and its latest editorial change.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::render::views::ListKind;
use crate::site::config::{Config, Order};
use crate::site::link::Site;
use crate::site::sources;
use crate::urls::{month_folder, term_folder, year_folder};

/// The folder of the corrections log.
pub(crate) const CORRECTIONS: &str = "corrections/";

/// Every correction on the site, newest first (ties: the later entry first), as
/// (entry id, index in its corrections).
pub(crate) fn corrections(site: &Site) -> Vec<(usize, usize)> {
    let tz = site.config.timezone;
    let mut all: Vec<(usize, usize)> = site
        .entries
        .iter()
        .enumerate()
        .flat_map(|(id, e)| (0..e.corrections.len()).map(move |c| (id, c)))
        .collect();
    all.sort_by_key(|&(id, c)| {
        std::cmp::Reverse((site.entries[id].corrections[c].date.start(tz), id, c))
    });
    all
}

/// Citations the sources index shows per publisher; the rest are on its own page.
pub(crate) const CITATIONS_ON_INDEX: usize = 5;

/// Where each entry falls in the calendar: its local year and month in the
/// site's zone, worked out once per render, since every list groups by them.
pub(crate) struct Calendar {
    /// Each entry's local year and month (`None` for an entry known to the year).
    of_entry: Vec<(i32, Option<u32>)>,
}

impl Calendar {
    /// The calendar of `site`'s entries.
    pub(crate) fn new(site: &Site) -> Self {
        use rayon::prelude::*;
        let tz = site.config.timezone;
        Calendar {
            of_entry: site
                .entries
                .par_iter()
                .map(|e| e.date.local_year_month(tz))
                .collect(),
        }
    }

    /// Entry `id`'s local year and month.
    pub(crate) fn of(&self, id: usize) -> (i32, Option<u32>) {
        self.of_entry[id]
    }
}

/// A page to render.
pub(crate) enum Page {
    /// One page of a timeline list.
    Timeline(ListPage),
    /// One entry's page.
    Entry(usize),
    /// The term index of one taxonomy.
    Taxonomy(usize),
    /// The index of cited publishers.
    Sources,
    /// One page of one publisher's citations.
    Publisher(PublisherPage),
    /// One page of the corrections log: (1-based number, how many pages).
    Corrections(usize, usize),
    /// The page hosts serve for unknown addresses.
    NotFound,
}

impl Page {
    /// Root-relative URL; `None` for the 404 page, which has no address of its own.
    pub(crate) fn url(&self, site: &Site) -> Option<String> {
        let urls = &site.urls;
        match self {
            Page::Timeline(list) => Some(urls.page(&list.folder, list.number)),
            Page::Entry(id) => Some(urls.entry(&site.entries[*id].slug)),
            Page::Taxonomy(t) => Some(urls.taxonomy(&site.taxonomies[*t].name)),
            Page::Sources => Some(urls.path("sources/")),
            Page::Publisher(p) => Some(urls.publisher(&p.slug, p.number)),
            Page::Corrections(number, _) => Some(urls.page(CORRECTIONS, *number)),
            Page::NotFound => None,
        }
    }

    /// Where the page is written, relative to the output root.
    pub(crate) fn path(&self, site: &Site) -> String {
        match self.url(site) {
            Some(url) => site.urls.output_path(&url),
            None => "404.html".to_string(),
        }
    }

    /// The latest editorial change of what the page shows.
    pub(crate) fn updated(&self, site: &Site, latest: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Page::Timeline(list) => list
                .ids
                .iter()
                .map(|&id| site.entries[id].edited_at)
                .max()
                .unwrap_or(latest),
            Page::Entry(id) => site.entries[*id].edited_at,
            _ => latest,
        }
    }
}

/// One page of a publisher's citations.
pub(crate) struct PublisherPage {
    /// Index into the publishers.
    pub index: usize,
    /// The publisher's slug, for its URL.
    pub slug: String,
    /// 1-based page number.
    pub number: usize,
    /// How many pages the publisher has.
    pub total: usize,
}

/// One page of a timeline list.
#[derive(Hash)]
pub(crate) struct ListPage {
    /// Folder of the first page, relative to the root: "", "2017/", "tags/metoo/".
    pub folder: String,
    /// What kind of list it is.
    pub kind: ListKind,
    /// The taxonomy of a term page.
    pub taxonomy: Option<usize>,
    /// Main heading.
    pub heading: String,
    /// A line under the heading.
    pub intro: Option<String>,
    /// Entry ids on this page, in display order.
    pub ids: Vec<usize>,
    /// 1-based page number.
    pub number: usize,
    /// How many pages the list has.
    pub total: usize,
    /// Shown when the list is empty.
    pub empty_note: Option<&'static str>,
}

/// One list before it is cut into pages.
struct List {
    folder: String,
    kind: ListKind,
    taxonomy: Option<usize>,
    heading: String,
    intro: Option<String>,
    ids: Vec<usize>,
    empty_note: Option<&'static str>,
}

/// Every page of the site, in a fixed order.
pub(crate) fn plan(
    site: &Site,
    calendar: &Calendar,
    publishers: &[sources::Publisher],
    corrections: usize,
) -> Vec<Page> {
    // The order of the sitemap.
    let mut pages = Vec::new();
    for list in timelines(site, calendar) {
        paginate(&mut pages, site, list);
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        pages.push(Page::Taxonomy(t));
        for term in &taxonomy.terms {
            let list = List {
                folder: term_folder(&taxonomy.name, &term.slug),
                kind: ListKind::Term,
                taxonomy: Some(t),
                heading: term.name.clone(),
                intro: Some(count_line(term.entries.len())),
                ids: term.entries.clone(),
                empty_note: None,
            };
            paginate(&mut pages, site, list);
        }
    }
    pages.extend((0..site.entries.len()).map(Page::Entry));
    pages.push(Page::Sources);
    let per_page = site.config.paginate.max(1);
    for (p, publisher) in publishers.iter().enumerate() {
        let total = publisher.citations.len().div_ceil(per_page).max(1);
        pages.extend((1..=total).map(|number| {
            Page::Publisher(PublisherPage {
                index: p,
                slug: publisher.slug.clone(),
                number,
                total,
            })
        }));
    }
    let total = corrections.div_ceil(per_page).max(1);
    pages.extend((1..=total).map(|number| Page::Corrections(number, total)));
    pages.push(Page::NotFound);
    pages
}

/// The timeline lists of the whole site: the index, each year and month, and key events.
fn timelines(site: &Site, calendar: &Calendar) -> Vec<List> {
    let list = |folder: String, kind, heading: String, ids: Vec<usize>| List {
        folder,
        kind,
        taxonomy: None,
        heading,
        intro: (kind != ListKind::Index).then(|| count_line(ids.len())),
        ids,
        empty_note: None,
    };
    let config = &site.config;
    let all: Vec<usize> = (0..site.entries.len()).collect();
    let key: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&id| site.entries[id].importance == 1)
        .collect();
    let mut lists = vec![list(
        String::new(),
        ListKind::Index,
        config.title.clone(),
        all,
    )];
    for (year, month, ids) in archives(site, calendar) {
        lists.push(match month {
            None => list(
                year_folder(year),
                ListKind::Year,
                year_label(year, config),
                ids,
            ),
            Some(m) => list(
                month_folder(year, m),
                ListKind::Month,
                month_label(year, m, config),
                ids,
            ),
        });
    }
    lists.push(List {
        empty_note: Some("No key events yet. Mark an entry with `importance: 1` to list it here."),
        ..list("key/".into(), ListKind::Key, "Key events".into(), key)
    });
    lists
}

/// Each year, then each month, with its entries: `(year, None, ids)` for a year
/// archive, `(year, Some(month), ids)` for a month's.
fn archives(site: &Site, calendar: &Calendar) -> Vec<(i32, Option<u32>, Vec<usize>)> {
    let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    let mut months: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
    for id in 0..site.entries.len() {
        let (year, month) = calendar.of(id);
        years.entry(year).or_default().push(id);
        if let Some(month) = month {
            months.entry((year, month)).or_default().push(id);
        }
    }
    let years = years.into_iter().map(|(y, ids)| (y, None, ids));
    let months = months.into_iter().map(|((y, m), ids)| (y, Some(m), ids));
    years.chain(months).collect()
}

/// Adds the pages of one timeline list, `paginate` entries each.
fn paginate(pages: &mut Vec<Page>, site: &Site, mut list: List) {
    if site.config.order == Order::NewestFirst {
        list.ids.reverse();
    }
    let per_page = site.config.paginate.max(1);
    let total = list.ids.len().div_ceil(per_page).max(1);
    let mut chunks: Vec<Vec<usize>> = list.ids.chunks(per_page).map(<[usize]>::to_vec).collect();
    if chunks.is_empty() {
        chunks.push(Vec::new());
    }
    for (i, ids) in chunks.into_iter().enumerate() {
        pages.push(Page::Timeline(ListPage {
            folder: list.folder.clone(),
            kind: list.kind,
            taxonomy: list.taxonomy,
            heading: list.heading.clone(),
            intro: list.intro.clone(),
            ids,
            number: i + 1,
            total,
            empty_note: list.empty_note,
        }));
    }
}

/// Every page's URL and latest editorial change, for the sitemap.
pub(crate) fn sitemap(site: &Site, pages: &[Page]) -> Vec<(String, DateTime<Utc>)> {
    let latest = site
        .entries
        .iter()
        .map(|e| e.edited_at)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    pages
        .iter()
        .filter_map(|p| p.url(site).map(|url| (url, p.updated(site, latest))))
        .collect()
}

fn count_line(n: usize) -> String {
    if n == 1 {
        "1 event".to_string()
    } else {
        format!("{n} events")
    }
}

/// A year as the site configured by `config` displays it.
pub(crate) fn year_label(year: i32, config: &Config) -> String {
    let date = crate::date::PartialDate::parse(&format!("{year:04}")).ok();
    date.map_or_else(
        || year.to_string(),
        |d| d.display(&config.date_format, config.timezone),
    )
}

/// A month as the site configured by `config` displays it.
pub(crate) fn month_label(year: i32, month: u32, config: &Config) -> String {
    let date = crate::date::PartialDate::parse(&format!("{year:04}-{month:02}")).ok();
    date.map_or_else(
        || format!("{year}-{month:02}"),
        |d| d.display(&config.date_format, config.timezone),
    )
}
