//! What templates see: typed, borrowed `Serialize` structs. This file is the
//! template contract; a field renamed here is a field renamed in every template.
//! Every page template also receives `site` ([`SiteView`]). A list page's view
//! derives `Hash` too: its fingerprint is the hash of its view
//! ([`crate::render::inputs`]), so a field added here is a field hashed.
//! List pages show [`crate::render::cards::Card`]s, never rendered bodies.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use serde::{Serialize, Serializer};

use crate::content::entry::UrlStatus;
use crate::date::{PartialDate, Precision, Qualifier};
use crate::render::cards::{CardRef, Mention};
use crate::site::config::Config;
use crate::urls::Urls;

/// Site-wide values every page uses.
#[derive(Debug, Serialize)]
pub(crate) struct SiteView {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// `<html lang>`.
    pub language: String,
    /// Root path with trailing `/`, e.g. `/metoo/`.
    pub root: String,
    /// The site navigation: the timeline, key events, each taxonomy, sources.
    pub nav: Vec<NavLink>,
    /// Taxonomy names (`tags`, `people`), for the filter script.
    pub taxonomy_names: Vec<String>,
    /// URL of the key-events page.
    pub key_url: String,
    /// URL of the sources page.
    pub sources_url: String,
    /// URL of the corrections log.
    pub corrections_url: String,
    /// URL of the style sheet.
    pub stylesheet: String,
    /// URL of the site's own style sheet (`static/site.css`), linked after the
    /// theme's, when the site has one.
    pub site_stylesheet: Option<String>,
    /// URL of the script.
    pub script: String,
    /// URL of each of the theme's static files by name, at its content-hashed
    /// name: `site.assets["favicon.svg"]`.
    pub assets: std::collections::BTreeMap<String, String>,
    /// Whether this is a preview with drafts.
    pub drafts: bool,
}

impl SiteView {
    /// What every page shows of the site configured by `config`.
    pub(crate) fn new(
        config: &Config,
        urls: &Urls,
        hashed: &std::collections::BTreeMap<String, String>,
        drafts: bool,
    ) -> Self {
        let assets: std::collections::BTreeMap<String, String> = hashed
            .iter()
            .map(|(name, hashed)| (name.clone(), urls.path(hashed)))
            .collect();
        let asset = |name: &str| assets.get(name).cloned().unwrap_or_else(|| urls.path(name));
        let key_url = urls.path("key/");
        let sources_url = urls.path("sources/");
        let nav = [
            ("Timeline".to_string(), urls.root().to_string()),
            ("Key events".to_string(), key_url.clone()),
        ]
        .into_iter()
        .chain(
            config
                .taxonomies
                .iter()
                .map(|t| (capitalize(t), urls.taxonomy(t))),
        )
        .chain(std::iter::once((
            "Sources".to_string(),
            sources_url.clone(),
        )))
        .map(|(label, url)| NavLink { label, url })
        .collect();
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            root: urls.root().to_string(),
            nav,
            taxonomy_names: config.taxonomies.clone(),
            key_url,
            sources_url,
            corrections_url: urls.path(crate::render::plan::CORRECTIONS),
            stylesheet: asset("dateline.css"),
            site_stylesheet: assets.get(crate::render::theme::SITE_STYLESHEET).cloned(),
            script: asset("dateline.js"),
            assets,
            drafts,
        }
    }
}

/// A labelled link.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct NavLink {
    /// Visible text.
    pub label: String,
    /// Target URL.
    pub url: String,
}

/// Per-page metadata for `<head>`.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct PageMeta<'a> {
    /// `<title>` (without the site title).
    pub title: Cow<'a, str>,
    /// Meta description.
    pub description: Cow<'a, str>,
    /// Absolute canonical URL; `None` on the 404 page.
    pub canonical: Option<String>,
    /// Open Graph type: `website` or `article`.
    pub og_type: &'static str,
    /// Absolute URL of an image for social cards.
    pub image: Option<String>,
    /// Its width in pixels, when known, so a network lays out the card
    /// before fetching the image.
    pub image_width: Option<u32>,
    /// Its height in pixels, when known.
    pub image_height: Option<u32>,
    /// Its text alternative.
    pub image_alt: Option<String>,
    /// Feeds to announce with `<link rel="alternate">`.
    pub feeds: Vec<FeedLink<'a>>,
    /// JSON-LD, already serialised and safe inside `<script>`.
    pub jsonld: Option<String>,
    /// Position in `site.nav` of the link to this very page, if there is one.
    pub nav_current: Option<usize>,
}

/// A feed announced in `<head>`.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct FeedLink<'a> {
    /// Feed title.
    pub title: Cow<'a, str>,
    /// Root-relative URL.
    pub url: Cow<'a, str>,
    /// MIME type.
    pub mime: &'static str,
}

/// A date for display and for `<time datetime>`.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct DateView {
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
    /// A date as the site configured by `config` displays it.
    pub(crate) fn new(date: &PartialDate, config: &Config) -> Self {
        DateView::shown(date, date.display(&config.date_format, config.timezone))
    }

    /// A date with its display text already made.
    pub(crate) fn shown(date: &PartialDate, display: String) -> Self {
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

/// Entries of one month (or of the year, for year-precision entries).
#[derive(Serialize)]
pub(crate) struct MonthGroup<'c, 'a> {
    /// "October 2017"; `None` for entries known only to the year.
    pub label: Option<String>,
    /// Month archive URL.
    pub url: Option<String>,
    /// Fragment id, e.g. `y2017-10`.
    pub id: String,
    /// The entries.
    pub entries: Vec<ListItem<'c, 'a>>,
}

/// Entries of one year.
#[derive(Serialize)]
pub(crate) struct YearGroup<'c, 'a> {
    /// "2017".
    pub label: String,
    /// Year archive URL.
    pub url: String,
    /// Fragment id, e.g. `y2017`.
    pub id: String,
    /// Month groups in display order.
    pub months: Vec<MonthGroup<'c, 'a>>,
}

/// Each card rendered by `card.html`, once, the first time a list shows it:
/// a card is on the index, its archives, key events and every term page.
pub(crate) struct Fragments<'t> {
    tera: &'t tera::Tera,
    made: Vec<OnceLock<String>>,
}

impl<'t> Fragments<'t> {
    /// No card rendered yet, of `count` entries, with the theme's `tera`.
    pub(crate) fn new(tera: &'t tera::Tera, count: usize) -> Self {
        Fragments {
            tera,
            made: (0..count).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The card as rendered by `card.html`, rendered now if it was not yet.
    pub(crate) fn of(&self, card: CardRef<'_, '_>) -> Result<&str, tera::Error> {
        if let Some(html) = self.made[card.id()].get() {
            return Ok(html);
        }
        let mut context = tera::Context::new();
        context.insert("entry", card.get());
        let mut html = self.tera.render("card.html", &context)?;
        // Kept until the last list page is written: without the spare capacity of
        // Tera's growing buffer, which can double the size of 100,000 cards.
        html.shrink_to_fit();
        // Two threads may render the same card at once; both get the same bytes.
        Ok(self.made[card.id()].get_or_init(|| html))
    }
}

/// One entry on a timeline page: its rendered card, and what the list needs to
/// know around it. Hashed as its card, which `card.html` renders.
#[derive(Clone, Copy)]
pub(crate) struct ListItem<'c, 'a> {
    /// The entry's card.
    pub card: CardRef<'c, 'a>,
    /// Where its rendered form is kept.
    pub fragments: &'c Fragments<'c>,
}

impl Hash for ListItem<'_, '_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.card.hash(h);
    }
}

impl Serialize for ListItem<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// One entry of a month group, as list templates see it.
        #[derive(Serialize)]
        struct Item<'v> {
            /// The rendered card.
            html: &'v str,
            /// Slug.
            slug: &'v str,
            /// The era it falls in, for era markers between cards.
            era: Option<&'v crate::render::cards::EraRef>,
        }
        let card = self.card.get();
        let html = self
            .fragments
            .of(self.card)
            .map_err(|e| serde::ser::Error::custom(e.to_string()))?;
        Item {
            html,
            slug: card.slug,
            era: card.era.as_ref(),
        }
        .serialize(serializer)
    }
}

/// What kind of timeline list a page is; templates compare it as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ListKind {
    /// The whole timeline.
    Index,
    /// One year's archive.
    Year,
    /// One month's archive.
    Month,
    /// Key events only.
    Key,
    /// The entries of one term.
    Term,
}

/// Links between pages of a paginated list.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct Pagination {
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
#[derive(Debug, Hash, Serialize)]
pub(crate) struct PageLink {
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
    pub(crate) fn new(current: usize, total: usize, url: impl Fn(usize) -> String) -> Option<Self> {
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
#[derive(Serialize)]
pub(crate) struct TimelineView<'c, 'a> {
    /// Head metadata.
    pub page: PageMeta<'c>,
    /// What kind of list this is.
    pub kind: ListKind,
    /// On a term page: the taxonomy's label ("Tags", "People").
    pub taxonomy: Option<String>,
    /// On a term page: the term's Atom feed.
    pub feed_url: Option<String>,
    /// Main heading.
    pub heading: &'c str,
    /// A line under the heading.
    pub intro: Option<&'c str>,
    /// Entries grouped by year and month.
    pub groups: Vec<YearGroup<'c, 'a>>,
    /// Number of entries on this page.
    pub count: usize,
    /// Page links, when there is more than one page.
    pub pagination: Option<Pagination>,
    /// Shown when there are no entries.
    pub empty_note: Option<&'static str>,
}

/// A numbered source citation.
#[derive(Debug, Serialize)]
pub(crate) struct SourceView<'a> {
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
    /// Where the title links: the address, or the archived copy when the
    /// address is dead or usurped.
    pub link: &'a str,
    /// `live`, `dead` or `usurped` (`url_status`).
    pub status: &'static str,
}

impl<'a> SourceView<'a> {
    /// A source as the site configured by `config` shows it.
    pub(crate) fn new(s: &'a crate::content::entry::Source, config: &Config) -> Self {
        SourceView {
            title: &s.title,
            url: &s.url,
            publisher: s.publisher.as_deref(),
            date: s.date.as_ref().map(|d| DateView::new(d, config)),
            archive_url: s.archive_url.as_deref(),
            link: match (s.url_status, s.archive_url.as_deref()) {
                (UrlStatus::Live, _) | (_, None) => &s.url,
                (_, Some(archived)) => archived,
            },
            status: s.url_status.name(),
        }
    }
}

/// A quoted social post, as a static card.
#[derive(Debug, Serialize)]
pub(crate) struct PostView<'a> {
    /// The post's address, when known.
    pub url: Option<&'a str>,
    /// Who posted it.
    pub author: &'a str,
    /// Their handle.
    pub handle: Option<&'a str>,
    /// The platform.
    pub platform: Option<&'a str>,
    /// When.
    pub date: DateView,
    /// The words as HTML: escaped, line breaks as `<br>`, addresses as links
    /// marked `nofollow ugc`.
    pub text_html: String,
    /// Archived copy.
    pub archive_url: Option<&'a str>,
    /// An image the post carried.
    pub image: Option<crate::render::cards::ImageView>,
}

/// A correction.
#[derive(Debug, Serialize)]
pub(crate) struct CorrectionView<'a> {
    /// When.
    pub date: DateView,
    /// What.
    pub text: &'a str,
}

/// One entry's page, made when the page is rendered (see
/// [`crate::render::pages::EntryPage`], which it is fingerprinted as).
#[derive(Serialize)]
pub(crate) struct EntryView<'c, 'a> {
    /// Head metadata.
    pub page: PageMeta<'c>,
    /// The entry's card (title, dates, terms, image).
    pub entry: CardRef<'c, 'a>,
    /// The body as HTML.
    pub body: String,
    /// When it went live here.
    pub published: DateView,
    /// Last update.
    pub updated: Option<DateView>,
    /// Sources in order.
    pub sources: Vec<SourceView<'c>>,
    /// Social posts quoted, as static cards.
    pub posts: Vec<PostView<'c>>,
    /// Corrections in order.
    pub corrections: Vec<CorrectionView<'c>>,
    /// The date of the latest correction, shown near the headline.
    pub corrected: Option<DateView>,
    /// `related` entries.
    pub related: Vec<Mention<'c, 'a>>,
    /// Entries linking here.
    pub backlinks: Vec<Mention<'c, 'a>>,
    /// The entry before in time.
    pub prev: Option<Mention<'c, 'a>>,
    /// The entry after in time.
    pub next: Option<Mention<'c, 'a>>,
    /// `extra` from the front matter.
    pub extra: &'c serde_json::Value,
}

/// A term and how many entries carry it.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct TermCount<'a> {
    /// Display spelling.
    pub name: &'a str,
    /// Term page URL.
    pub url: &'a str,
    /// Number of entries.
    pub count: usize,
}

/// The list of terms of one taxonomy.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct TaxonomyView<'a> {
    /// Head metadata.
    pub page: PageMeta<'a>,
    /// Taxonomy name.
    pub taxonomy: &'a str,
    /// Heading.
    pub heading: String,
    /// Terms sorted by name.
    pub terms: Vec<TermCount<'a>>,
}

/// One citation on the sources page.
#[derive(Serialize)]
pub(crate) struct CitationView<'c, 'a> {
    /// The citing entry.
    pub entry: Mention<'c, 'a>,
    /// The cited piece.
    pub source: SourceView<'c>,
}

/// One publisher on the sources page.
#[derive(Serialize)]
pub(crate) struct PublisherView<'c, 'a> {
    /// Fragment id.
    pub id: String,
    /// Display name.
    pub name: &'c str,
    /// The publisher's own page, with every citation.
    pub url: String,
    /// How many citations there are in all.
    pub count: usize,
    /// Citations, newest entry first: the newest few on the sources index, one
    /// page of them on the publisher's page.
    pub citations: Vec<CitationView<'c, 'a>>,
}

/// One publisher's page: its citations, paginated.
#[derive(Serialize)]
pub(crate) struct PublisherPageView<'c, 'a> {
    /// Head metadata.
    pub page: PageMeta<'c>,
    /// The publisher and this page's citations.
    pub publisher: PublisherView<'c, 'a>,
    /// Page links, when there is more than one page.
    pub pagination: Option<Pagination>,
}

/// The sources page.
#[derive(Serialize)]
pub(crate) struct SourcesView<'c, 'a> {
    /// Head metadata.
    pub page: PageMeta<'c>,
    /// Publishers sorted by name.
    pub publishers: Vec<PublisherView<'c, 'a>>,
}

/// One correction in the corrections log.
#[derive(Serialize)]
pub(crate) struct LoggedCorrection<'c, 'a> {
    /// When.
    pub date: DateView,
    /// What.
    pub text: &'c str,
    /// The corrected entry.
    pub entry: Mention<'c, 'a>,
    /// The correction's fragment id on the entry's page, e.g. `correction-1`.
    pub anchor: String,
}

/// One page of the corrections log.
#[derive(Serialize)]
pub(crate) struct CorrectionsView<'c, 'a> {
    /// Head metadata.
    pub page: PageMeta<'c>,
    /// How many corrections the site has in all.
    pub count: usize,
    /// This page's corrections, newest first.
    pub corrections: Vec<LoggedCorrection<'c, 'a>>,
    /// URL of the Atom feed of corrections.
    pub feed_url: String,
    /// Page links, when there is more than one page.
    pub pagination: Option<Pagination>,
}

/// The 404 page.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct NotFoundView<'a> {
    /// Head metadata (no canonical).
    pub page: PageMeta<'a>,
}

/// Upper-cases the first letter: `people` → `People`.
pub(crate) fn capitalize(word: &str) -> String {
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
