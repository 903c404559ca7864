//! The HTML pages: each planned [`Page`] becomes its view and is emitted through
//! [`Shared::emit`], rendered with its Tera template only when its fingerprint
//! changed. Building a view is cheap (cards, bodies and JSON-LD are lazy), so
//! every page of a 100,000-entry site is checked on every rebuild.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::entry::Source;
use crate::content::markdown;
use crate::date::PartialDate;
use crate::error::Error;
use crate::render::cards::{CardRef, Cards, Mention};
use crate::render::emit::{Contents, Sink};
use crate::render::inputs::EntryFile;
use crate::render::inputs::{Output, Shared};
use crate::render::jsonld::JsonLd;
use crate::render::plan::{
    month_label, year_label, Calendar, ListPage, Page, PublisherPage, CITATIONS_ON_INDEX,
};
use crate::render::theme::template_error;
use crate::render::views::{
    capitalize, CitationView, CorrectionView, DateView, EntryView, FeedLink, Fragments, ListItem,
    ListKind, MonthGroup, NotFoundView, PageMeta, Pagination, PublisherPageView, PublisherView,
    SourceView, SourcesView, TaxonomyView, TermCount, TimelineView, YearGroup,
};
use crate::site::link::Rewrites;
use crate::site::link::Site;
use crate::site::sources::{Citation, Publisher};

/// A view and the template that renders it.
trait Template: Serialize {
    /// The template's name under `templates/`.
    const NAME: &'static str;
}

impl Template for TimelineView<'_, '_> {
    const NAME: &'static str = "timeline.html";
}
impl Template for EntryView<'_, '_> {
    const NAME: &'static str = "entry.html";
}
impl Template for TaxonomyView<'_> {
    const NAME: &'static str = "taxonomy.html";
}
impl Template for SourcesView<'_, '_> {
    const NAME: &'static str = "sources.html";
}
impl Template for PublisherPageView<'_, '_> {
    const NAME: &'static str = "publisher.html";
}
impl Template for NotFoundView<'_> {
    const NAME: &'static str = "404.html";
}

/// Renders `view` with its template; every page template also receives `site`.
fn render<V: Template>(view: &V, shared: &Shared<'_>) -> Result<Contents, Error> {
    let mut context =
        tera::Context::from_serialize(view).map_err(|e| template_error(V::NAME, &e))?;
    context.insert("site", &shared.site);
    let html = shared
        .theme
        .tera
        .render(V::NAME, &context)
        .map_err(|e| template_error(V::NAME, &e))?;
    Ok(Contents::Bytes(html.into_bytes()))
}

/// What a timeline page is made from: its place in its list, and the card and
/// local year and month of each of its entries.
#[derive(Hash)]
pub(crate) struct TimelinePage<'c, 'a> {
    list: &'c ListPage,
    /// The taxonomy of a term's list.
    taxonomy: Option<&'a str>,
    items: Vec<(CardRef<'c, 'a>, (i32, Option<u32>))>,
    /// Each card as `card.html` renders it, once for every list it is on.
    fragments: Cache<'c>,
}

/// Rendered cards: made from cards alone, which are hashed where they are
/// shown, so the cache itself is hashed as nothing.
pub(crate) struct Cache<'c>(&'c Fragments<'c>);

impl std::hash::Hash for Cache<'_> {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

/// Makes a timeline page, its cards first, so a broken `card.html` is reported
/// as itself.
fn render_timeline(page: &TimelinePage<'_, '_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let fragments = page.fragments.0;
    for (card, _) in &page.items {
        fragments
            .of(*card)
            .map_err(|e| template_error("card.html", &e))?;
    }
    let list = page.list;
    let urls = &shared.urls;
    let url = urls.page(&list.folder, list.number);
    let title = match (list.kind, list.number) {
        (ListKind::Index, 1) => String::new(),
        (ListKind::Index, n) => format!("Page {n}"),
        (_, 1) => list.heading.clone(),
        (_, n) => format!("{} (page {n})", list.heading),
    };
    let mut meta = page_meta(shared, Cow::Owned(title), "", &url, "website");
    let feed_url = (list.kind == ListKind::Term).then(|| urls.feed_of(&urls.path(&list.folder)));
    if let Some(feed) = &feed_url {
        let feed = FeedLink {
            title: Cow::Owned(format!("{}: {}", shared.config.title, list.heading)),
            url: Cow::Owned(feed.clone()),
            mime: "application/atom+xml",
        };
        meta.feeds.insert(0, feed);
    }
    let labels = groups(page, shared);
    let view = TimelineView {
        page: meta,
        kind: list.kind,
        taxonomy: page.taxonomy.map(capitalize),
        feed_url,
        heading: &list.heading,
        intro: list.intro.as_deref(),
        groups: labels,
        count: list.ids.len(),
        pagination: Pagination::new(list.number, list.total, |n| urls.page(&list.folder, n)),
        empty_note: list.empty_note.filter(|_| list.ids.is_empty()),
    };
    render(&view, shared)
}

/// The page's entries grouped by local year, then month.
fn groups<'c, 'a>(page: &TimelinePage<'c, 'a>, shared: &Shared<'_>) -> Vec<YearGroup<'c, 'a>> {
    let config = shared.config;
    let urls = &shared.urls;
    let mut groups: Vec<YearGroup<'c, 'a>> = Vec::new();
    // The year and month of the group being filled: most entries join it.
    let mut current: Option<(i32, Option<u32>)> = None;
    for &(card, (year, month)) in &page.items {
        if current.is_none_or(|(y, _)| y != year) {
            groups.push(YearGroup {
                label: year_label(year, config),
                url: urls.year(year),
                id: format!("y{year:04}"),
                months: Vec::new(),
            });
        }
        let Some(group) = groups.last_mut() else {
            continue;
        };
        if current != Some((year, month)) {
            group.months.push(MonthGroup {
                label: month.map(|m| month_label(year, m, config)),
                url: month.map(|m| urls.month(year, m)),
                id: match month {
                    Some(m) => format!("y{year:04}-{m:02}"),
                    None => format!("y{year:04}-all"),
                },
                entries: Vec::new(),
            });
            current = Some((year, month));
        }
        if let Some(m) = group.months.last_mut() {
            m.entries.push(ListItem {
                card,
                fragments: page.fragments.0,
            });
        }
    }
    groups
}

/// What an entry's page is made from: the entry's file, where its links point,
/// and the cards of the entries it mentions. A site has a page per entry, so the
/// page's view ([`EntryView`], with its body and JSON-LD) is made from these
/// only when the page is rendered, and the page is fingerprinted as these.
#[derive(Hash)]
pub(crate) struct EntryPage<'c, 'a> {
    entry: EntryFile<'a>,
    rewrites: &'a Rewrites,
    card: CardRef<'c, 'a>,
    related: Vec<Mention<'c, 'a>>,
    backlinks: Vec<Mention<'c, 'a>>,
    prev: Option<Mention<'c, 'a>>,
    next: Option<Mention<'c, 'a>>,
}

/// Makes an entry's page from what it is made of.
fn render_entry(page: &EntryPage<'_, '_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let config = shared.config;
    let urls = &shared.urls;
    let entry = page.entry.0;
    let url = urls.entry(&entry.slug);
    let card = page.card.get();
    let image = card.image.as_ref().map(|i| urls.absolute_if_local(&i.src));
    let jsonld = JsonLd {
        entry,
        url: urls.absolute(&url),
        home: urls.absolute(urls.root()),
        site_title: &config.title,
        author: config.author.as_ref().map(|a| a.name.as_str()),
        image: image.as_deref(),
    };
    let mut meta = page_meta(
        shared,
        Cow::Borrowed(&entry.title),
        &entry.summary,
        &url,
        "article",
    );
    meta.jsonld = Some(jsonld.text());
    meta.image = image.clone();
    let rewrite = |dest: &str| page.rewrites.get(dest).cloned();
    let date = |d: &PartialDate| DateView::new(d, config);
    let view = EntryView {
        page: meta,
        entry: page.card,
        body: markdown::render(entry.body(), &rewrite, !config.allow_raw_html),
        published: date(&entry.published),
        updated: entry.updated.as_ref().map(date),
        sources: entry
            .sources
            .iter()
            .map(|s| SourceView::new(s, config))
            .collect(),
        corrections: entry
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: date(&c.date),
                text: &c.text,
            })
            .collect(),
        related: page.related.clone(),
        backlinks: page.backlinks.clone(),
        prev: page.prev,
        next: page.next,
        extra: &entry.extra,
    };
    render(&view, shared)
}

/// What a publisher's part of a sources page is made from: its name, how
/// often it is cited in all, and the citations shown, each with its entry.
#[derive(Hash)]
pub(crate) struct Cited<'c, 'a> {
    name: &'c str,
    slug: &'c str,
    count: usize,
    citations: Vec<(Mention<'c, 'a>, &'a Source)>,
}

impl<'c, 'a> Cited<'c, 'a> {
    /// The publisher as the sources pages show it.
    fn view<'v>(&'v self, shared: &'v Shared<'_>) -> PublisherView<'v, 'a> {
        PublisherView {
            id: format!("publisher-{}", self.slug),
            name: self.name,
            url: shared.urls.publisher(self.slug, 1),
            count: self.count,
            citations: self
                .citations
                .iter()
                .map(|(entry, source)| CitationView {
                    entry: *entry,
                    source: SourceView::new(source, shared.config),
                })
                .collect(),
        }
    }
}

/// What the sources page is made from: each publisher's newest citations.
#[derive(Hash)]
pub(crate) struct SourcesPage<'c, 'a> {
    publishers: Vec<Cited<'c, 'a>>,
}

fn render_sources(page: &SourcesPage<'_, '_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let url = shared.urls.path("sources/");
    let view = SourcesView {
        page: page_meta(shared, Cow::Borrowed("Sources"), "", &url, "website"),
        publishers: page.publishers.iter().map(|p| p.view(shared)).collect(),
    };
    render(&view, shared)
}

/// What one page of a publisher's citations is made from.
#[derive(Hash)]
pub(crate) struct PublisherPageOf<'c, 'a> {
    publisher: Cited<'c, 'a>,
    number: usize,
    total: usize,
}

fn render_publisher(
    page: &PublisherPageOf<'_, '_>,
    shared: &Shared<'_>,
) -> Result<Contents, Error> {
    let urls = &shared.urls;
    let (n, p) = (page.number, &page.publisher);
    let title = if n == 1 {
        format!("Sources: {}", p.name)
    } else {
        format!("Sources: {} (page {n})", p.name)
    };
    let url = urls.publisher(p.slug, n);
    let view = PublisherPageView {
        page: page_meta(shared, Cow::Owned(title), "", &url, "website"),
        publisher: p.view(shared),
        pagination: Pagination::new(n, page.total, |k| urls.publisher(p.slug, k)),
    };
    render(&view, shared)
}

/// Head metadata of the page at root-relative `url`.
fn page_meta<'v>(
    shared: &'v Shared<'_>,
    title: Cow<'v, str>,
    description: &'v str,
    url: &str,
    og_type: &'static str,
) -> PageMeta<'v> {
    let config = shared.config;
    let urls = &shared.urls;
    // Every page gets a description, even on a site that has none of its own.
    let description = [description, config.description.as_str()]
        .into_iter()
        .find(|d| !d.is_empty())
        .map_or_else(
            || {
                Cow::Owned(if title.is_empty() {
                    config.title.clone()
                } else {
                    format!("{title} — {}", config.title)
                })
            },
            Cow::Borrowed,
        );
    let site_feed = |path: &str, mime| FeedLink {
        title: Cow::Borrowed(config.title.as_str()),
        url: Cow::Owned(urls.path(path)),
        mime,
    };
    PageMeta {
        nav_current: shared.site.nav.iter().position(|link| link.url == url),
        title,
        description,
        canonical: Some(urls.absolute(url)),
        og_type,
        image: None,
        feeds: vec![
            site_feed("feed.xml", "application/atom+xml"),
            site_feed("feed.json", "application/feed+json"),
        ],
        jsonld: None,
    }
}

/// What building every page's view needs.
pub(crate) struct Pages<'c, 'a> {
    /// The linked site.
    pub site: &'a Site,
    /// Configuration, URLs and theme.
    pub shared: &'c Shared<'a>,
    /// Every entry's card.
    pub cards: &'c Cards<'a>,
    /// Cited publishers, sorted by name.
    pub publishers: &'c [Publisher],
    /// Each card as `card.html` renders it, once.
    pub fragments: &'c Fragments<'c>,
    /// Where each entry falls in the calendar.
    pub calendar: &'c Calendar,
}

impl<'c, 'a> Pages<'c, 'a> {
    /// Emits every page into `sink` in parallel; returns how many were made.
    pub(crate) fn emit(&self, pages: &'c [Page], sink: &dyn Sink) -> Result<usize, Error> {
        let made = AtomicUsize::new(0);
        pages.par_iter().try_for_each(|page| {
            let path = page.path(self.site);
            let shared = self.shared;
            let fresh = match page {
                Page::Timeline(list) => shared.emit(sink, self.timeline(path, list))?,
                Page::Entry(id) => shared.emit(sink, self.entry(path, *id))?,
                Page::Taxonomy(t) => shared.emit(sink, self.taxonomy(path, *t))?,
                Page::Sources => shared.emit(sink, self.sources(path))?,
                Page::Publisher(p) => shared.emit(sink, self.publisher(path, p))?,
                Page::NotFound => shared.emit(sink, self.not_found(path))?,
            };
            if fresh {
                made.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<(), Error>(())
        })?;
        Ok(made.into_inner())
    }

    /// Head metadata of the page at root-relative `url`.
    fn meta(
        &self,
        title: Cow<'c, str>,
        description: &'c str,
        url: &str,
        og_type: &'static str,
    ) -> PageMeta<'c> {
        page_meta(self.shared, title, description, url, og_type)
    }

    fn timeline(&self, path: String, list: &'c ListPage) -> Output<TimelinePage<'c, 'a>> {
        let page = TimelinePage {
            list,
            taxonomy: list.taxonomy.map(|t| self.site.taxonomies[t].name.as_str()),
            items: list
                .ids
                .iter()
                .map(|&id| (self.cards.card(id), self.calendar.of(id)))
                .collect(),
            fragments: Cache(self.fragments),
        };
        Output {
            path,
            view: page,
            make: render_timeline,
        }
    }

    fn entry(&self, path: String, id: usize) -> Output<EntryPage<'c, 'a>> {
        let site = self.site;
        let rel = &site.relations[id];
        let mention = |&id: &usize| self.cards.mention(id);
        let page = EntryPage {
            entry: EntryFile(&site.entries[id]),
            rewrites: &rel.rewrites,
            card: self.cards.card(id),
            related: rel.related.iter().map(mention).collect(),
            // Related entries are listed once, under "Related", even when they also link here.
            backlinks: rel
                .backlinks
                .iter()
                .filter(|b| !rel.related.contains(b))
                .map(mention)
                .collect(),
            prev: id.checked_sub(1).map(|p| mention(&p)),
            next: (id + 1 < site.entries.len()).then(|| mention(&(id + 1))),
        };
        Output {
            path,
            view: page,
            make: render_entry,
        }
    }

    fn taxonomy(&self, path: String, t: usize) -> Output<TaxonomyView<'c>> {
        let taxonomy = &self.site.taxonomies[t];
        let urls = &self.shared.urls;
        let mut terms: Vec<TermCount<'c>> = taxonomy
            .terms
            .iter()
            .map(|term| TermCount {
                name: &term.name,
                url: &term.url,
                count: term.entries.len(),
            })
            .collect();
        terms.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.name.cmp(b.name))
        });
        let heading = capitalize(&taxonomy.name);
        let url = urls.taxonomy(&taxonomy.name);
        let view = TaxonomyView {
            page: self.meta(Cow::Owned(heading.clone()), "", &url, "website"),
            taxonomy: &taxonomy.name,
            heading,
            terms,
        };
        Output {
            path,
            view,
            make: render,
        }
    }

    fn sources(&self, path: String) -> Output<SourcesPage<'c, 'a>> {
        let publishers = self
            .publishers
            .iter()
            .map(|p| {
                let shown = &p.citations[..p.citations.len().min(CITATIONS_ON_INDEX)];
                self.cited(p, shown)
            })
            .collect();
        Output {
            path,
            view: SourcesPage { publishers },
            make: render_sources,
        }
    }

    fn publisher(&self, path: String, page: &'c PublisherPage) -> Output<PublisherPageOf<'c, 'a>> {
        let publisher = &self.publishers[page.index];
        let n = page.number;
        let per_page = self.site.config.paginate.max(1);
        let start = ((n - 1) * per_page).min(publisher.citations.len());
        let shown = &publisher.citations[start..(start + per_page).min(publisher.citations.len())];
        Output {
            path,
            view: PublisherPageOf {
                publisher: self.cited(publisher, shown),
                number: n,
                total: page.total,
            },
            make: render_publisher,
        }
    }

    /// A publisher with the citations `shown`, and how many it has in all.
    fn cited(&self, p: &'c Publisher, shown: &[Citation]) -> Cited<'c, 'a> {
        Cited {
            name: &p.name,
            slug: &p.slug,
            count: p.citations.len(),
            citations: shown
                .iter()
                .map(|c| {
                    let source = &self.site.entries[c.entry].sources[c.source];
                    (self.cards.mention(c.entry), source)
                })
                .collect(),
        }
    }

    fn not_found(&self, path: String) -> Output<NotFoundView<'c>> {
        let mut page = self.meta(Cow::Borrowed("Page not found"), "", "", "website");
        page.canonical = None;
        Output {
            path,
            view: NotFoundView { page },
            make: render,
        }
    }
}
