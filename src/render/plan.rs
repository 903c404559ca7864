//! Plans every page of the site before anything is rendered: the timeline and its
//! pages, year and month archives, key events, entry pages, taxonomy indexes and
//! term timelines, the sources index and each publisher's citations, and the 404
//! page. Each page knows its URL, its output path and its latest editorial change.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::site::config::Order;
use crate::site::link::Site;
use crate::site::sources;

/// A page to render.
pub(crate) enum Page {
    Timeline(ListPage),
    Entry(usize),
    Taxonomy(usize),
    Sources,
    /// One page of one publisher's citations.
    Publisher(PublisherPage),
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
            Page::Publisher(p) => Some(urls.page(&format!("sources/{}/", p.slug), p.number)),
            Page::NotFound => None,
        }
    }

    /// Where the page is written, relative to the output root.
    pub(crate) fn path(&self, site: &Site) -> String {
        match self.url(site) {
            Some(url) => format!(
                "{}index.html",
                url.strip_prefix(site.urls.root()).unwrap_or(&url)
            ),
            None => "404.html".to_string(),
        }
    }

    /// The latest editorial change of what the page shows.
    pub(crate) fn updated(
        &self,
        updated: &[DateTime<Utc>],
        latest: DateTime<Utc>,
    ) -> DateTime<Utc> {
        match self {
            Page::Timeline(list) => list
                .ids
                .iter()
                .map(|&id| updated[id])
                .max()
                .unwrap_or(latest),
            Page::Entry(id) => updated[*id],
            _ => latest,
        }
    }
}

/// One page of a publisher's citations.
pub(crate) struct PublisherPage {
    /// Index into the publishers.
    pub(crate) index: usize,
    /// The publisher's slug, for its URL.
    pub(crate) slug: String,
    pub(crate) number: usize,
    pub(crate) total: usize,
}

/// One page of a timeline list.
pub(crate) struct ListPage {
    /// Folder of the first page, relative to the root: "", "2017/", "tags/metoo/".
    pub(crate) folder: String,
    pub(crate) kind: &'static str,
    /// The taxonomy of a term page.
    pub(crate) taxonomy: Option<usize>,
    pub(crate) heading: String,
    pub(crate) intro: Option<String>,
    /// Entry ids on this page, in display order.
    pub(crate) ids: Vec<usize>,
    pub(crate) number: usize,
    pub(crate) total: usize,
    pub(crate) empty_note: Option<&'static str>,
}

/// Root-relative URL of page `n` of a publisher's citations.
pub(crate) fn publisher_url(site: &Site, publisher: &sources::Publisher, n: usize) -> String {
    site.urls.page(&format!("sources/{}/", publisher.slug), n)
}

/// Every page of the site, in a fixed order.
pub(crate) fn plan(site: &Site, publishers: &[sources::Publisher]) -> Vec<Page> {
    let all: Vec<usize> = (0..site.entries.len()).collect();
    let tz = site.config.timezone;
    let mut pages = Vec::new();
    list(
        &mut pages,
        site,
        "",
        "index",
        site.config.title.clone(),
        None,
        all.clone(),
        None,
    );

    let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    let mut months: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
    for (id, entry) in site.entries.iter().enumerate() {
        let (year, month) = entry.date.local_year_month(tz);
        years.entry(year).or_default().push(id);
        if let Some(month) = month {
            months.entry((year, month)).or_default().push(id);
        }
    }
    for (year, ids) in years {
        let label = year_label(year, site);
        let intro = Some(count_line(ids.len()));
        list(
            &mut pages,
            site,
            &format!("{year:04}/"),
            "year",
            label,
            intro,
            ids,
            None,
        );
    }
    for ((year, month), ids) in months {
        let label = month_label(year, month, site);
        let intro = Some(count_line(ids.len()));
        list(
            &mut pages,
            site,
            &format!("{year:04}/{month:02}/"),
            "month",
            label,
            intro,
            ids,
            None,
        );
    }
    let key: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&id| site.entries[id].importance == 1)
        .collect();
    let note = Some("No key events yet. Mark an entry with `importance: 1` to list it here.");
    list(
        &mut pages,
        site,
        "key/",
        "key",
        "Key events".into(),
        Some(count_line(key.len())),
        key,
        note,
    );

    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        pages.push(Page::Taxonomy(t));
        for term in &taxonomy.terms {
            let folder = format!("{}/{}/", taxonomy.name, term.slug);
            let intro = Some(count_line(term.entries.len()));
            list(
                &mut pages,
                site,
                &folder,
                "term",
                term.name.clone(),
                intro,
                term.entries.clone(),
                None,
            );
        }
    }
    pages.extend(all.iter().map(|&id| Page::Entry(id)));
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
    pages.push(Page::NotFound);
    pages
}

/// Citations the sources index shows per publisher; the rest are on its own page.
pub(crate) const CITATIONS_ON_INDEX: usize = 5;

/// Adds the pages of one timeline list, `paginate` entries each.
#[allow(clippy::too_many_arguments)]
fn list(
    pages: &mut Vec<Page>,
    site: &Site,
    folder: &str,
    kind: &'static str,
    heading: String,
    intro: Option<String>,
    mut ids: Vec<usize>,
    empty_note: Option<&'static str>,
) {
    let taxonomy = (kind == "term")
        .then(|| {
            site.taxonomies
                .iter()
                .position(|t| folder.starts_with(&format!("{}/", t.name)))
        })
        .flatten();
    if site.config.order == Order::NewestFirst {
        ids.reverse();
    }
    let per_page = site.config.paginate.max(1);
    let total = ids.len().div_ceil(per_page).max(1);
    let mut chunks: Vec<Vec<usize>> = ids.chunks(per_page).map(<[usize]>::to_vec).collect();
    if chunks.is_empty() {
        chunks.push(Vec::new());
    }
    for (i, ids) in chunks.into_iter().enumerate() {
        pages.push(Page::Timeline(ListPage {
            folder: folder.to_string(),
            kind,
            taxonomy,
            heading: heading.clone(),
            intro: intro.clone(),
            ids,
            number: i + 1,
            total,
            empty_note,
        }));
    }
}

fn count_line(n: usize) -> String {
    if n == 1 {
        "1 event".to_string()
    } else {
        format!("{n} events")
    }
}

pub(crate) fn year_label(year: i32, site: &Site) -> String {
    let date = crate::date::PartialDate::parse(&format!("{year:04}")).ok();
    date.map_or_else(
        || year.to_string(),
        |d| d.display(&site.config.date_format, site.config.timezone),
    )
}

pub(crate) fn month_label(year: i32, month: u32, site: &Site) -> String {
    let date = crate::date::PartialDate::parse(&format!("{year:04}-{month:02}")).ok();
    date.map_or_else(
        || format!("{year}-{month:02}"),
        |d| d.display(&site.config.date_format, site.config.timezone),
    )
}
