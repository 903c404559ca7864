//! What templates see: typed, borrowed `Serialize` structs. This file is the
//! template contract; a field renamed here is a field renamed in every template.
//! List pages are built from light [`Card`]s, made once per entry, never from
//! rendered bodies.

use std::sync::OnceLock;

use serde::Serialize;

use crate::content::entry::{Entry, ImageSrc};
use crate::date::{PartialDate, Precision};
use crate::site::link::Site;

/// Site-wide values every page uses.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// Site description.
    pub description: &'a str,
    /// `<html lang>`.
    pub language: &'a str,
    /// Root path with trailing `/`, e.g. `/metoo/`.
    pub root: &'a str,
    /// The site navigation: the timeline, key events, each taxonomy, sources.
    pub nav: Vec<NavLink>,
    /// Taxonomy names (`tags`, `people`), for the filter script.
    pub taxonomy_names: Vec<&'a str>,
    /// URL of the key-events page.
    pub key_url: String,
    /// URL of the sources page.
    pub sources_url: String,
    /// URL of the style sheet.
    pub stylesheet: String,
    /// URL of the script.
    pub script: String,
    /// Whether this is a preview with drafts.
    pub drafts: bool,
}

/// A labelled link.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct NavLink {
    /// Visible text.
    pub label: String,
    /// Target URL.
    pub url: String,
}

/// Per-page metadata for `<head>`.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// `<title>` (without the site title).
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Absolute canonical URL; `None` on the 404 page.
    pub canonical: Option<String>,
    /// Open Graph type: `website` or `article`.
    pub og_type: &'static str,
    /// Absolute URL of an image for social cards.
    pub image: Option<String>,
    /// Feeds to announce with `<link rel="alternate">`.
    pub feeds: Vec<FeedLink>,
    /// JSON-LD, already serialised and safe inside `<script>`.
    pub jsonld: Option<String>,
    /// Position in `site.nav` of the link to this very page, if there is one.
    pub nav_current: Option<usize>,
}

/// A feed announced in `<head>`.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct FeedLink {
    /// Feed title.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
    /// MIME type.
    pub mime: &'static str,
}

/// A date for display and for `<time datetime>`.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct DateView {
    /// "15 October 2017", "c. 2006".
    pub display: String,
    /// `2017-10-15`, at its precision, for `datetime`.
    pub machine: String,
    /// `year`, `month`, `day` or `instant`.
    pub precision: &'static str,
    /// Whether written with `~`.
    pub approximate: bool,
    /// Whether written with `?`.
    pub uncertain: bool,
}

impl DateView {
    /// A date as the site displays it.
    pub fn new(date: &PartialDate, site: &Site) -> Self {
        DateView::shown(
            date,
            date.display(&site.config.date_format, site.config.timezone),
        )
    }

    /// A date with its display text already made.
    pub fn shown(date: &PartialDate, display: String) -> Self {
        use crate::date::Qualifier;
        DateView {
            display,
            machine: date.machine(),
            precision: match date.precision() {
                Precision::Year => "year",
                Precision::Month => "month",
                Precision::Day => "day",
                Precision::Instant => "instant",
            },
            approximate: date.qualifier() == Qualifier::Approximate,
            uncertain: date.qualifier() == Qualifier::Uncertain,
        }
    }
}

/// A term as a link.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct TermLink<'a> {
    /// Display spelling.
    pub name: &'a str,
    /// Term page URL.
    pub url: &'a str,
}

/// An entry's terms of one taxonomy.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct TermGroup<'a> {
    /// Taxonomy name.
    pub taxonomy: &'a str,
    /// Terms.
    pub terms: Vec<TermLink<'a>>,
}

/// The image of an entry.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ImageView {
    /// URL (root-relative or absolute).
    pub src: String,
    /// Text alternative.
    pub alt: String,
    /// Caption.
    pub caption: Option<String>,
    /// Credit.
    pub credit: Option<String>,
}

/// The light record of an entry used on every list page. It borrows what the
/// site already holds, so 100,000 cards copy as little as possible.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Card<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Page URL.
    pub url: String,
    /// Headline.
    pub title: &'a str,
    /// When it happened.
    pub date: DateView,
    /// Last day, for ranges.
    pub end_date: Option<DateView>,
    /// Plain-text summary.
    pub summary: &'a str,
    /// 1, 2 or 3.
    pub importance: u8,
    /// Shown only in previews.
    pub draft: bool,
    /// Terms per taxonomy (taxonomies without terms omitted).
    pub terms: Vec<TermGroup<'a>>,
    /// Lead image.
    pub image: Option<ImageView>,
    /// The era (from `site.yaml`) the event falls in.
    pub era: Option<EraRef>,
    /// "Day N" of the story, when `day_counter` is on and the event is not before day 1.
    pub day: Option<i64>,
    /// For a range within one month ("15–16 October 2017"): the start as shown
    /// before the dash ("15"); `None` when the range is written in full.
    pub range_start: Option<String>,
    /// The year archive holding the entry.
    pub year_url: String,
    /// The month archive holding the entry, when its month is known.
    pub month_url: Option<String>,
    /// The entry on the timeline: its index page and anchor.
    pub timeline_url: String,
    /// Heading level of the card on timeline pages: 4 under a month heading, 3
    /// for events known only to the year, which sit directly under the year.
    pub level: u8,
}

/// What a short mention of an entry needs (related lists, previous/next,
/// citations): far lighter than a [`Card`] when thousands are listed.
#[derive(Debug, Clone, Serialize)]
pub struct EntryRef<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Page URL.
    pub url: &'a str,
    /// Headline.
    pub title: &'a str,
    /// When it happened.
    pub date: &'a DateView,
    /// Last day, for ranges.
    pub end_date: Option<&'a DateView>,
    /// The start of a range within one month, as shown before the dash.
    pub range_start: Option<&'a str>,
    /// 1, 2 or 3.
    pub importance: u8,
    /// Shown only in previews.
    pub draft: bool,
}

impl<'a> From<&'a Card<'a>> for EntryRef<'a> {
    fn from(card: &'a Card<'a>) -> Self {
        EntryRef {
            slug: card.slug,
            url: &card.url,
            title: card.title,
            date: &card.date,
            end_date: card.end_date.as_ref(),
            range_start: card.range_start.as_deref(),
            importance: card.importance,
            draft: card.draft,
        }
    }
}

/// A reference to one of the site's eras.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct EraRef {
    /// Position in `eras`, for styling (`era-0`, `era-1`, …).
    pub index: usize,
    /// The era's title.
    pub title: String,
    /// First day, as displayed.
    pub start: String,
    /// Last day, as displayed.
    pub end: String,
}

impl<'a> Card<'a> {
    /// The card of entry `id`.
    pub fn new(site: &'a Site, id: usize) -> Self {
        let entry = &site.entries[id];
        let urls = &site.urls;
        let terms = site
            .taxonomies
            .iter()
            .zip(&site.relations[id].terms)
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(taxonomy, ids)| TermGroup {
                taxonomy: &taxonomy.name,
                terms: ids
                    .iter()
                    .map(|&t| {
                        let term = &taxonomy.terms[t];
                        TermLink {
                            name: &term.name,
                            url: &term.url,
                        }
                    })
                    .collect(),
            })
            .collect();
        let tz = site.config.timezone;
        let (year, month) = entry.date.local_year_month(tz);
        let end_date = entry
            .end_date
            .as_ref()
            .zip(entry.shown.1.clone())
            .map(|(d, shown)| DateView::shown(d, shown));
        let range_start = entry
            .end_date
            .as_ref()
            .zip(end_date.as_ref())
            .and_then(|(end, shown)| short_range_start(&entry.date, end, &shown.display));
        // Position on the index, which lists entries in the site's order.
        let position = match site.config.order {
            crate::site::config::Order::OldestFirst => id,
            crate::site::config::Order::NewestFirst => site.entries.len() - 1 - id,
        };
        let index_page = urls.page("", position / site.config.paginate.max(1) + 1);
        Card {
            slug: &entry.slug,
            url: urls.entry(&entry.slug),
            title: &entry.title,
            date: DateView::shown(&entry.date, entry.shown.0.clone()),
            end_date,
            summary: &entry.summary,
            importance: entry.importance,
            draft: entry.draft,
            terms,
            image: image_view(entry, site),
            era: era_of(entry, site),
            day: day_of(entry, site),
            range_start,
            year_url: urls.year(year),
            month_url: month.map(|m| urls.month(year, m)),
            timeline_url: format!("{index_page}#e-{}", entry.slug),
            level: if month.is_some() { 4 } else { 3 },
        }
    }
}

/// Every entry's card, each made the first time it is asked for: a full build
/// needs them all, a rebuild after one edit a handful.
pub struct Cards<'a> {
    site: &'a Site,
    made: Vec<OnceLock<Card<'a>>>,
}

impl<'a> Cards<'a> {
    /// The cards of `site`'s entries, none made yet.
    pub fn new(site: &'a Site) -> Self {
        Cards {
            site,
            made: (0..site.entries.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The card of entry `id`, if there is such an entry.
    pub fn get(&self, id: usize) -> Option<&Card<'a>> {
        (id < self.len()).then(|| &self[id])
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.made.len()
    }

    /// Whether the site has no entries.
    pub fn is_empty(&self) -> bool {
        self.made.is_empty()
    }

    /// Every card, in entry order.
    pub fn iter(&self) -> impl Iterator<Item = &Card<'a>> {
        (0..self.len()).filter_map(|id| self.get(id))
    }
}

impl<'a> std::ops::Index<usize> for Cards<'a> {
    type Output = Card<'a>;

    /// Panics when there is no entry `id`, as a slice does.
    fn index(&self, id: usize) -> &Card<'a> {
        self.made[id].get_or_init(|| Card::new(self.site, id))
    }
}

/// The start of a range shown as "15–16 October 2017": both ends exact days of
/// the same month, and the end's display beginning with its day number (so a
/// US-style "October 16, 2017" format keeps the full "start – end").
fn short_range_start(start: &PartialDate, end: &PartialDate, end_shown: &str) -> Option<String> {
    use crate::date::Qualifier;
    let exact_day =
        |d: &PartialDate| d.precision() == Precision::Day && d.qualifier() == Qualifier::Exact;
    let same_month = start.year() == end.year() && start.month() == end.month();
    let end_day = end.day()?;
    (exact_day(start)
        && exact_day(end)
        && same_month
        && end_shown.starts_with(&format!("{end_day} ")))
    .then(|| start.day().map(|d| d.to_string()))
    .flatten()
}

/// The first era whose days contain the event's start.
fn era_of(entry: &Entry, site: &Site) -> Option<EraRef> {
    let tz = site.config.timezone;
    let start = entry.start;
    site.config
        .eras
        .iter()
        .enumerate()
        .find(|(_, era)| era.start.start(tz) <= start && start < era.end.end(tz))
        .map(|(index, era)| EraRef {
            index,
            title: era.title.clone(),
            start: era.start.display(&site.config.date_format, tz),
            end: era.end.display(&site.config.date_format, tz),
        })
}

/// Day N of the story for events known to the day, counting the origin's day as day 1, in the site's zone.
fn day_of(entry: &Entry, site: &Site) -> Option<i64> {
    use crate::site::config::DayCounter;
    let tz = site.config.timezone;
    if entry.date.precision() < Precision::Day {
        return None; // "Day 12" would claim more than an event known only to the month knows.
    }
    let origin = match site.config.day_counter {
        DayCounter::Off => return None,
        // Counting from an event known only to its year would make up a day 1.
        DayCounter::FirstEvent => {
            site.entries
                .iter()
                .find(|e| e.date.precision() >= Precision::Day)?
                .date
        }
        DayCounter::From(date) => date,
    };
    let day = |d: &PartialDate| d.start(tz).with_timezone(&tz).date_naive();
    let n = (day(&entry.date) - day(&origin)).num_days() + 1;
    (n >= 1).then_some(n)
}

fn image_view(entry: &Entry, site: &Site) -> Option<ImageView> {
    let image = entry.image.as_ref()?;
    let src = match &image.src {
        ImageSrc::Remote(url) => url.clone(),
        ImageSrc::Local(name) => format!("{}{name}", site.urls.entry(&entry.slug)),
    };
    Some(ImageView {
        src,
        alt: image.alt.clone(),
        caption: image.caption.clone(),
        credit: image.credit.clone(),
    })
}

/// Entries of one month (or of the year, for year-precision entries).
#[derive(Debug, Serialize)]
pub struct MonthGroup<'a> {
    /// "October 2017"; `None` for entries known only to the year.
    pub label: Option<String>,
    /// Month archive URL.
    pub url: Option<String>,
    /// Fragment id, e.g. `y2017-10`.
    pub id: String,
    /// The entries.
    pub entries: Vec<ListItem<'a>>,
}

/// One entry on a timeline page: its card, rendered once for every list it is
/// on (`card.html`), and what the list needs to know around it.
#[derive(Debug, Serialize)]
pub struct ListItem<'a> {
    /// The rendered card.
    pub html: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// The era it falls in, for era markers between cards.
    pub era: Option<&'a EraRef>,
}

/// Entries of one year.
#[derive(Debug, Serialize)]
pub struct YearGroup<'a> {
    /// "2017".
    pub label: String,
    /// Year archive URL.
    pub url: String,
    /// Fragment id, e.g. `y2017`.
    pub id: String,
    /// Month groups in display order.
    pub months: Vec<MonthGroup<'a>>,
}

/// Links between pages of a paginated list.
#[derive(Debug, Serialize)]
pub struct Pagination {
    /// 1-based current page.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Previous page URL.
    pub prev: Option<String>,
    /// Next page URL.
    pub next: Option<String>,
    /// The numbered links: the first and last pages and those near the current one.
    pub pages: Vec<PageLink>,
}

/// One numbered link of a pagination.
#[derive(Debug, Serialize)]
pub struct PageLink {
    /// 1-based page number, the link text.
    pub number: usize,
    /// The page's URL.
    pub url: String,
    /// Whether this is the page being shown.
    pub current: bool,
    /// Pages are left out between the previous link and this one.
    pub gap_before: bool,
}

/// How many numbered links to show on each side of the current page.
const PAGE_LINKS_AROUND: usize = 2;

impl Pagination {
    /// Links for page `current` of `total`, or `None` for a list that fits one page.
    /// Every page links to a bounded number of others, so a timeline of hundreds of
    /// pages does not write hundreds of links into each (nor grow as the square).
    pub fn new(current: usize, total: usize, url: impl Fn(usize) -> String) -> Option<Self> {
        if total < 2 {
            return None;
        }
        let near = current.saturating_sub(PAGE_LINKS_AROUND).max(1)
            ..=(current + PAGE_LINKS_AROUND).min(total);
        let mut numbers: Vec<usize> = std::iter::once(1)
            .chain(near)
            .chain(std::iter::once(total))
            .collect();
        numbers.dedup();
        let mut previous = 0;
        let pages = numbers
            .into_iter()
            .map(|number| {
                let link = PageLink {
                    number,
                    url: url(number),
                    current: number == current,
                    gap_before: number > previous + 1,
                };
                previous = number;
                link
            })
            .collect();
        Some(Pagination {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages,
        })
    }
}

/// A timeline page: index, archive, key events, or one term.
#[derive(Debug, Serialize)]
pub struct TimelineView<'a> {
    /// Site values.
    pub site: &'a SiteView<'a>,
    /// Head metadata.
    pub page: PageMeta,
    /// `index`, `year`, `month`, `key` or `term`.
    pub kind: &'static str,
    /// On a term page: the taxonomy's label ("Tags", "People").
    pub taxonomy: Option<String>,
    /// On a term page: the term's Atom feed.
    pub feed_url: Option<String>,
    /// Main heading.
    pub heading: String,
    /// A line under the heading.
    pub intro: Option<String>,
    /// Entries grouped by year and month.
    pub groups: Vec<YearGroup<'a>>,
    /// Number of entries on this page.
    pub count: usize,
    /// Page links, when there is more than one page.
    pub pagination: Option<Pagination>,
    /// Shown when there are no entries.
    pub empty_note: Option<&'static str>,
}

/// A numbered source citation.
#[derive(Debug, Serialize)]
pub struct SourceView<'a> {
    /// Headline.
    pub title: &'a str,
    /// Address.
    pub url: &'a str,
    /// Publisher.
    pub publisher: Option<&'a str>,
    /// Publication date.
    pub date: Option<DateView>,
    /// Archived copy.
    pub archive_url: Option<&'a str>,
}

/// A correction.
#[derive(Debug, Serialize)]
pub struct CorrectionView<'a> {
    /// When.
    pub date: DateView,
    /// What.
    pub text: &'a str,
}

/// One entry's page.
#[derive(Debug, Serialize)]
pub struct EntryView<'a> {
    /// Site values.
    pub site: &'a SiteView<'a>,
    /// Head metadata.
    pub page: PageMeta,
    /// The entry's card (title, dates, terms, image).
    pub entry: &'a Card<'a>,
    /// The body as HTML.
    pub body: String,
    /// When it went live here.
    pub published: DateView,
    /// Last update.
    pub updated: Option<DateView>,
    /// Sources in order.
    pub sources: Vec<SourceView<'a>>,
    /// Corrections in order.
    pub corrections: Vec<CorrectionView<'a>>,
    /// `related` entries.
    pub related: Vec<EntryRef<'a>>,
    /// Entries linking here.
    pub backlinks: Vec<EntryRef<'a>>,
    /// The entry before in time.
    pub prev: Option<EntryRef<'a>>,
    /// The entry after in time.
    pub next: Option<EntryRef<'a>>,
    /// `extra` from the front matter.
    pub extra: &'a serde_json::Value,
}

/// A term and how many entries carry it.
#[derive(Debug, Serialize)]
pub struct TermCount {
    /// Display spelling.
    pub name: String,
    /// Term page URL.
    pub url: String,
    /// Number of entries.
    pub count: usize,
}

/// The list of terms of one taxonomy.
#[derive(Debug, Serialize)]
pub struct TaxonomyView<'a> {
    /// Site values.
    pub site: &'a SiteView<'a>,
    /// Head metadata.
    pub page: PageMeta,
    /// Taxonomy name.
    pub taxonomy: &'a str,
    /// Heading.
    pub heading: String,
    /// Terms sorted by name.
    pub terms: Vec<TermCount>,
}

/// One citation on the sources page.
#[derive(Debug, Serialize)]
pub struct CitationView<'a> {
    /// The citing entry.
    pub entry: EntryRef<'a>,
    /// The cited piece.
    pub source: SourceView<'a>,
}

/// One publisher on the sources page.
#[derive(Debug, Serialize)]
pub struct PublisherView<'a> {
    /// Fragment id.
    pub id: String,
    /// Display name.
    pub name: &'a str,
    /// The publisher's own page, with every citation.
    pub url: String,
    /// How many citations there are in all.
    pub count: usize,
    /// Citations, newest entry first: the newest few on the sources index, one
    /// page of them on the publisher's page.
    pub citations: Vec<CitationView<'a>>,
}

/// One publisher's page: its citations, paginated.
#[derive(Debug, Serialize)]
pub struct PublisherPageView<'a> {
    /// Site values.
    pub site: &'a SiteView<'a>,
    /// Head metadata.
    pub page: PageMeta,
    /// The publisher and this page's citations.
    pub publisher: PublisherView<'a>,
    /// Page links, when there is more than one page.
    pub pagination: Option<Pagination>,
}

/// The sources page.
#[derive(Debug, Serialize)]
pub struct SourcesView<'a> {
    /// Site values.
    pub site: &'a SiteView<'a>,
    /// Head metadata.
    pub page: PageMeta,
    /// Publishers sorted by name.
    pub publishers: Vec<PublisherView<'a>>,
}

/// The 404 page.
#[derive(Debug, Serialize)]
pub struct NotFoundView<'a> {
    /// Site values.
    pub site: &'a SiteView<'a>,
    /// Head metadata (no canonical).
    pub page: PageMeta,
}

/// Upper-cases the first letter: `people` → `People`.
pub fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (number, current, gap_before) of each numbered link.
    fn links(current: usize, total: usize) -> Vec<(usize, bool, bool)> {
        Pagination::new(current, total, |n| format!("/page/{n}/"))
            .map(|p| {
                p.pages
                    .iter()
                    .map(|l| (l.number, l.current, l.gap_before))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn a_single_page_has_no_pagination() {
        assert!(Pagination::new(1, 1, |n| n.to_string()).is_none());
        assert!(Pagination::new(1, 0, |n| n.to_string()).is_none());
    }

    #[test]
    fn short_lists_link_every_page() {
        assert_eq!(links(1, 2), [(1, true, false), (2, false, false)]);
        let numbers: Vec<usize> = links(3, 5).iter().map(|l| l.0).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5]);
        assert!(links(3, 5).iter().all(|l| !l.2));
    }

    #[test]
    fn long_lists_link_the_ends_and_the_neighbourhood_with_gaps_between() {
        assert_eq!(
            links(250, 500),
            [
                (1, false, false),
                (248, false, true),
                (249, false, false),
                (250, true, false),
                (251, false, false),
                (252, false, false),
                (500, false, true),
            ]
        );
        let first: Vec<usize> = links(1, 500).iter().map(|l| l.0).collect();
        assert_eq!(first, [1, 2, 3, 500]);
        let last: Vec<usize> = links(500, 500).iter().map(|l| l.0).collect();
        assert_eq!(last, [1, 498, 499, 500]);
        let p = Pagination::new(2, 500, |n| format!("/page/{n}/")).expect("paginated");
        assert_eq!(p.prev.as_deref(), Some("/page/1/"));
        assert_eq!(p.next.as_deref(), Some("/page/3/"));
    }
}
