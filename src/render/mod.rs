//! Plans every page of the site (timeline and its pages, year and month archives,
//! key events, entries, taxonomies, sources, 404), renders them with Tera in
//! parallel, and hands each finished file to a [`Sink`] as soon as it is made, so
//! rendered pages are never all held in memory. Every output carries a fingerprint
//! of what it is made from; a sink that still holds the same fingerprint (`serve`)
//! lets the page skip rendering.

pub mod exports;
pub mod feeds;
pub mod jsonld;
pub mod plan;
pub mod theme;
pub mod views;

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use tera::Context;

use crate::content::entry::Entry;
use crate::content::markdown;
use crate::error::Error;
use crate::render::plan::{
    month_label, publisher_url, year_label, ListPage, Page, PublisherPage, CITATIONS_ON_INDEX,
};
use crate::render::theme::{template_error, StaticSource, Theme};
use crate::render::views::{
    capitalize, Cards, CitationView, CorrectionView, DateView, EntryRef, EntryView, FeedLink,
    ListItem, MonthGroup, NavLink, NotFoundView, PageMeta, Pagination, PublisherPageView,
    PublisherView, SiteView, SourceView, SourcesView, TaxonomyView, TermCount, TimelineView,
    YearGroup,
};
use crate::site::link::{Relations, Site};
use crate::site::sources;
use crate::site::taxonomy::Taxonomy;

/// One file of the output.
#[derive(Debug)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// What to write.
    pub contents: Contents,
    /// Hash of everything the file is made from.
    pub fingerprint: u64,
}

/// The bytes of an output file.
#[derive(Debug)]
pub enum Contents {
    /// Rendered here.
    Bytes(Vec<u8>),
    /// Embedded in the binary.
    Static(&'static [u8]),
    /// Copied from a file (absolute path).
    Copy(std::path::PathBuf),
}

/// Receives output files as they are rendered, from several threads.
pub trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile) -> Result<(), Error>;

    /// Whether the sink still holds `path` made from inputs with `fingerprint`, so
    /// it need not be rendered again. The sink keeps the file when it says yes.
    fn reuse(&self, _path: &str, _fingerprint: u64) -> bool {
        false
    }
}

pub use crate::hash::fingerprint;

/// What every output is rendered from, with the hashes its fingerprints use.
pub struct Inputs<'a> {
    /// The linked site.
    pub site: &'a Site,
    /// Each entry's card.
    pub cards: &'a Cards<'a>,
    /// Hash of each card: what list pages and neighbours show of an entry.
    pub card_hashes: &'a [u64],
    /// Hash of each entry's file and link targets: what its own page and feed content show.
    pub entry_hashes: &'a [u64],
    /// Hash of each source of each entry: what the sources pages show of it
    /// besides its card.
    pub source_hashes: &'a [Arc<[u64]>],
    /// Hash of configuration and theme: everything every page shows.
    pub global: u64,
    /// Paths the site's own `static/` files take: a site's `robots.txt` replaces
    /// the generated one.
    pub shadowed: &'a std::collections::BTreeSet<String>,
}

impl Inputs<'_> {
    /// Puts `make()` into `sink` under `path` unless the sink still holds it.
    /// Returns whether it was made.
    pub fn emit(
        &self,
        sink: &dyn Sink,
        path: &str,
        fingerprint: u64,
        make: impl FnOnce() -> Result<Contents, Error>,
    ) -> Result<bool, Error> {
        if self.shadowed.contains(path) {
            return Ok(false);
        }
        Self::emit_always(sink, path, fingerprint, make)
    }

    /// Like [`Inputs::emit`], for the files that shadow others: the site's own.
    pub fn emit_always(
        sink: &dyn Sink,
        path: &str,
        fingerprint: u64,
        make: impl FnOnce() -> Result<Contents, Error>,
    ) -> Result<bool, Error> {
        if sink.reuse(path, fingerprint) {
            return Ok(false);
        }
        sink.put(OutputFile {
            path: path.to_string(),
            contents: make()?,
            fingerprint,
        })?;
        Ok(true)
    }
}

/// Discards everything: `check` renders to find template errors and writes nothing.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), Error> {
        Ok(())
    }
}

/// Counts of what was rendered, and where the time went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Time per part of rendering: pages, feeds, exports, copies.
    pub timings: crate::Timings,
    /// HTML pages.
    pub pages: usize,
    /// Every file, pages included.
    pub files: usize,
    /// Files made this time (the rest were still current in the sink).
    pub made: usize,
}

/// Renders the whole site into `sink`. `root` is the site root, for copying assets.
pub fn site(site: &Site, theme: &Theme, root: &Path, sink: &dyn Sink) -> Result<Stats, Error> {
    rebuild(site, theme, root, sink, &mut Memo::default())
}

/// What one render keeps for the next: each entry's hashes. They still hold for
/// an entry that was not parsed again, while the site was re-linked from the
/// same links ([`crate::site::link::Memo`]) under the same configuration and theme.
#[derive(Debug, Default)]
pub struct Memo {
    global: u64,
    relations: Option<Arc<[Relations]>>,
    taxonomies: Option<Arc<[Taxonomy]>>,
    entries: Vec<Arc<Entry>>,
    card_hashes: Vec<u64>,
    entry_hashes: Vec<u64>,
    source_hashes: Vec<Arc<[u64]>>,
}

/// Renders like [`site`], hashing again only the entries `memo` does not know,
/// and keeps this render's hashes in `memo` when it succeeds. `serve` renders
/// after every edit; there, this and the sink's reuse make the cost of a
/// rebuild follow the edit more than the size of the site.
pub fn rebuild(
    site: &Site,
    theme: &Theme,
    root: &Path,
    sink: &dyn Sink,
    memo: &mut Memo,
) -> Result<Stats, Error> {
    let mut lap = std::time::Instant::now();
    let mut timings = crate::Timings::new();
    let mut time = |stage: &'static str| {
        let now = std::time::Instant::now();
        timings.push((stage, now - lap));
        lap = now;
    };
    let taxonomy_names: Vec<&str> = site.taxonomies.iter().map(|t| t.name.as_str()).collect();
    let global = fingerprint(&(
        &site.config,
        theme.fingerprint,
        site.drafts,
        taxonomy_names,
        program_identity(),
    ));
    let same_links = memo.global == global
        && memo.entries.len() == site.entries.len()
        && memo
            .relations
            .as_ref()
            .is_some_and(|r| Arc::ptr_eq(r, &site.relations))
        && memo
            .taxonomies
            .as_ref()
            .is_some_and(|t| Arc::ptr_eq(t, &site.taxonomies));
    // Cards are made here, in parallel, for the entries hashed again; the rest
    // only when a page that is rendered shows them.
    let cards = Cards::new(site);
    let hashes: Vec<(u64, u64, Arc<[u64]>)> = (0..site.entries.len())
        .into_par_iter()
        .map(|id| {
            if same_links && Arc::ptr_eq(&memo.entries[id], &site.entries[id]) {
                (
                    memo.card_hashes[id],
                    memo.entry_hashes[id],
                    memo.source_hashes[id].clone(),
                )
            } else {
                let sources = site.entries[id].sources.iter().map(fingerprint).collect();
                (fingerprint(&cards[id]), entry_hash(site, id), sources)
            }
        })
        .collect();
    let mut card_hashes = Vec::with_capacity(hashes.len());
    let mut entry_hashes = Vec::with_capacity(hashes.len());
    let mut source_hashes = Vec::with_capacity(hashes.len());
    for (card, entry, sources) in hashes {
        card_hashes.push(card);
        entry_hashes.push(entry);
        source_hashes.push(sources);
    }
    time("  cards");
    let shadowed: std::collections::BTreeSet<String> = theme.static_files.keys().cloned().collect();
    let inputs = Inputs {
        site,
        cards: &cards,
        card_hashes: &card_hashes,
        entry_hashes: &entry_hashes,
        source_hashes: &source_hashes,
        global,
        shadowed: &shadowed,
    };
    let site_view = site_view(site);
    let publishers = sources::collect(site);
    let pages = plan::plan(site, &publishers);
    let updated: Vec<DateTime<Utc>> = (0..site.entries.len())
        .map(|id| feeds::entry_updated(site, id))
        .collect();
    let latest = updated
        .iter()
        .copied()
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    let sitemap: Vec<(String, DateTime<Utc>)> = pages
        .iter()
        .filter_map(|p| p.url(site).map(|url| (url, p.updated(&updated, latest))))
        .collect();
    // Each card is rendered once, however many lists show it, and only when a list
    // that shows it is rendered (after one edit, `serve` renders a handful).
    let fragments: Vec<OnceLock<String>> =
        (0..site.entries.len()).map(|_| OnceLock::new()).collect();
    let cx = RenderCx {
        site,
        theme,
        cards: &cards,
        fragments: &fragments,
        view: &site_view,
        inputs: &inputs,
        publishers: &publishers,
    };
    time("  cards and plan");
    let page_count = pages.len();
    let made = AtomicUsize::new(0);
    pages.into_par_iter().try_for_each(|page| {
        let path = page.path(site);
        let print = cx.fingerprint(&page);
        if inputs.emit(sink, &path, print, || {
            cx.render(page)
                .map(|html| Contents::Bytes(html.into_bytes()))
        })? {
            made.fetch_add(1, Ordering::Relaxed);
        }
        Ok::<(), Error>(())
    })?;
    // Card fragments serve list pages only; free them before the large exports.
    drop(fragments);
    time("  pages");
    let mut stats = Stats {
        pages: page_count,
        files: page_count,
        made: made.into_inner(),
        timings: Vec::new(),
    };
    let feeds = feeds::files(&inputs, sink)?;
    time("  feeds");
    let exports = exports::files(&inputs, &sitemap, sink)?;
    time("  exports");
    for (files, made) in [feeds, exports] {
        stats.files += files;
        stats.made += made;
    }
    // Static files first: they take their paths even from generated files.
    let mut others: Vec<(String, Contents, u64)> = Vec::new();
    for (name, source) in &theme.static_files {
        match source {
            StaticSource::Embedded(bytes) => {
                others.push((name.clone(), Contents::Static(bytes), fingerprint(bytes)))
            }
            StaticSource::Disk(path) => others.push((
                name.clone(),
                Contents::Copy(path.clone()),
                file_fingerprint(path),
            )),
        }
    }
    for entry in &site.entries {
        for asset in &entry.assets {
            let source = root.join(&asset.source);
            let print = file_fingerprint(&source);
            others.push((
                format!("entries/{}/{}", entry.slug, asset.name),
                Contents::Copy(source),
                print,
            ));
        }
    }
    for (path, contents, print) in others {
        stats.files += 1;
        let made = if shadowed.contains(&path) {
            Inputs::emit_always(sink, &path, print, || Ok(contents))?
        } else {
            inputs.emit(sink, &path, print, || Ok(contents))?
        };
        if made {
            stats.made += 1;
        }
    }
    time("  copies");
    stats.timings = timings;
    *memo = Memo {
        global,
        relations: Some(Arc::clone(&site.relations)),
        taxonomies: Some(Arc::clone(&site.taxonomies)),
        entries: site.entries.clone(),
        card_hashes,
        entry_hashes,
        source_hashes,
    };
    Ok(stats)
}

/// This program's version and executable, so a new dateline never keeps pages an
/// older one rendered.
fn program_identity() -> (&'static str, u64) {
    let exe = std::env::current_exe()
        .map(|p| file_fingerprint(&p))
        .unwrap_or_default();
    (env!("CARGO_PKG_VERSION"), exe)
}

/// A copied file's identity: its path, size and modification time.
fn file_fingerprint(path: &Path) -> u64 {
    let meta = std::fs::metadata(path).ok();
    fingerprint(&(
        path,
        meta.as_ref().map(std::fs::Metadata::len),
        meta.and_then(|m| m.modified().ok()),
    ))
}

/// What an entry's own page and feed content are made from besides its card:
/// its file and where its links point.
fn entry_hash(site: &Site, id: usize) -> u64 {
    fingerprint(&(site.entries[id].text_hash, &site.relations[id].rewrites))
}

fn site_view(site: &Site) -> SiteView<'_> {
    let urls = &site.urls;
    let key_url = urls.path("key/");
    let sources_url = urls.path("sources/");
    SiteView {
        title: &site.config.title,
        description: &site.config.description,
        language: &site.config.language,
        root: urls.root(),
        nav: std::iter::once(("Timeline".to_string(), urls.root().to_string()))
            .chain(std::iter::once(("Key events".to_string(), key_url.clone())))
            .chain(
                site.taxonomies
                    .iter()
                    .map(|t| (capitalize(&t.name), urls.taxonomy(&t.name))),
            )
            .chain(std::iter::once((
                "Sources".to_string(),
                sources_url.clone(),
            )))
            .map(|(label, url)| NavLink { label, url })
            .collect(),
        taxonomy_names: site.taxonomies.iter().map(|t| t.name.as_str()).collect(),
        key_url,
        sources_url,
        stylesheet: urls.path("dateline.css"),
        script: urls.path("dateline.js"),
        drafts: site.drafts,
    }
}

/// What every page render needs.
struct RenderCx<'a, 'c> {
    site: &'a Site,
    theme: &'a Theme,
    cards: &'a Cards<'c>,
    /// Each card rendered by `card.html`, once it is first needed.
    fragments: &'a [OnceLock<String>],
    /// Cited publishers, sorted by name.
    publishers: &'a [sources::Publisher],
    view: &'a SiteView<'a>,
    inputs: &'a Inputs<'c>,
}

impl RenderCx<'_, '_> {
    /// A hash of everything `page` shows; the same hash means the same bytes.
    fn fingerprint(&self, page: &Page) -> u64 {
        let i = self.inputs;
        let cards = |ids: &[usize]| {
            ids.iter()
                .map(|&id| i.card_hashes[id])
                .collect::<Vec<u64>>()
        };
        let mut h = crate::hash::stable_hasher();
        i.global.hash(&mut h);
        match page {
            Page::Timeline(l) => {
                (
                    &l.folder,
                    l.kind,
                    &l.heading,
                    &l.intro,
                    l.number,
                    l.total,
                    l.empty_note,
                )
                    .hash(&mut h);
                cards(&l.ids).hash(&mut h);
            }
            Page::Entry(id) => {
                let rel = &self.site.relations[*id];
                let neighbours = [id.checked_sub(1), Some(id + 1)]
                    .map(|n| n.and_then(|n| i.card_hashes.get(n).copied()));
                (
                    i.entry_hashes[*id],
                    i.card_hashes[*id],
                    cards(&rel.related),
                    cards(&rel.backlinks),
                    neighbours,
                )
                    .hash(&mut h);
            }
            Page::Taxonomy(t) => {
                let taxonomy = &self.site.taxonomies[*t];
                taxonomy.name.hash(&mut h);
                for term in &taxonomy.terms {
                    (&term.slug, &term.name, term.entries.len()).hash(&mut h);
                }
            }
            Page::Sources => {
                for p in self.publishers {
                    (&p.slug, &p.name, p.citations.len()).hash(&mut h);
                    self.citations_hash(
                        &p.citations[..p.citations.len().min(CITATIONS_ON_INDEX)],
                        &mut h,
                    );
                }
            }
            Page::Publisher(p) => {
                let publisher = &self.publishers[p.index];
                // The page also says how many citations the publisher has in all.
                (
                    &publisher.slug,
                    &publisher.name,
                    publisher.citations.len(),
                    p.number,
                    p.total,
                )
                    .hash(&mut h);
                self.citations_hash(self.citations_on(publisher, p.number), &mut h);
            }
            Page::NotFound => "404".hash(&mut h),
        }
        h.finish()
    }

    fn citations_hash(&self, citations: &[sources::Citation], h: &mut ahash::AHasher) {
        for c in citations {
            (
                self.inputs.card_hashes[c.entry],
                self.inputs.source_hashes[c.entry][c.source],
            )
                .hash(h);
        }
    }

    /// The citations on page `n` of a publisher's page.
    fn citations_on<'p>(
        &self,
        publisher: &'p sources::Publisher,
        n: usize,
    ) -> &'p [sources::Citation] {
        let per_page = self.site.config.paginate.max(1);
        let start = ((n - 1) * per_page).min(publisher.citations.len());
        &publisher.citations[start..(start + per_page).min(publisher.citations.len())]
    }

    fn citation_views(&self, citations: &[sources::Citation]) -> Vec<CitationView<'_>> {
        citations
            .iter()
            .map(|c| CitationView {
                entry: EntryRef::from(&self.cards[c.entry]),
                source: source_view(&self.site.entries[c.entry].sources[c.source], self.site),
            })
            .collect()
    }

    fn render(&self, page: Page) -> Result<String, Error> {
        match page {
            Page::Timeline(list) => self.timeline(list),
            Page::Entry(id) => self.entry(id),
            Page::Taxonomy(t) => self.taxonomy(t),
            Page::Sources => self.sources(),
            Page::Publisher(p) => self.publisher(p),
            Page::NotFound => {
                let mut page = self.meta("Page not found".into(), String::new(), "", "website");
                page.canonical = None;
                let view = NotFoundView {
                    site: self.view,
                    page,
                };
                self.template("404.html", &view)
            }
        }
    }

    fn template(&self, name: &str, view: &impl serde::Serialize) -> Result<String, Error> {
        let context = Context::from_serialize(view).map_err(|e| template_error(name, &e))?;
        self.theme
            .tera
            .render(name, &context)
            .map_err(|e| template_error(name, &e))
    }

    fn meta(
        &self,
        title: String,
        description: String,
        url: &str,
        og_type: &'static str,
    ) -> PageMeta {
        let urls = &self.site.urls;
        // Every page gets a description, even on a site that has none of its own.
        let description = [description, self.site.config.description.clone()]
            .into_iter()
            .find(|d| !d.is_empty())
            .unwrap_or_else(|| {
                if title.is_empty() {
                    self.site.config.title.clone()
                } else {
                    format!("{title} — {}", self.site.config.title)
                }
            });
        let feeds = vec![
            FeedLink {
                title: self.site.config.title.clone(),
                url: urls.path("feed.xml"),
                mime: "application/atom+xml",
            },
            FeedLink {
                title: self.site.config.title.clone(),
                url: urls.path("feed.json"),
                mime: "application/feed+json",
            },
        ];
        PageMeta {
            nav_current: self.view.nav.iter().position(|link| link.url == url),
            title,
            description,
            canonical: Some(urls.absolute(url)),
            og_type,
            image: None,
            feeds,
            jsonld: None,
        }
    }

    fn timeline(&self, list: ListPage) -> Result<String, Error> {
        let urls = &self.site.urls;
        let url = urls.page(&list.folder, list.number);
        let pagination = Pagination::new(list.number, list.total, |n| urls.page(&list.folder, n));
        let title = match (list.kind, list.number) {
            ("index", 1) => String::new(),
            ("index", n) => format!("Page {n}"),
            (_, 1) => list.heading.clone(),
            (_, n) => format!("{} (page {n})", list.heading),
        };
        let mut page = self.meta(title, String::new(), &url, "website");
        let feed_url =
            (list.kind == "term").then(|| feeds::term_feed_url(&urls.path(&list.folder)));
        if let Some(feed) = &feed_url {
            page.feeds.insert(
                0,
                FeedLink {
                    title: format!("{}: {}", self.site.config.title, list.heading),
                    url: feed.clone(),
                    mime: "application/atom+xml",
                },
            );
        }
        let view = TimelineView {
            site: self.view,
            page,
            kind: list.kind,
            taxonomy: list
                .taxonomy
                .map(|t| capitalize(&self.site.taxonomies[t].name)),
            feed_url,
            heading: list.heading,
            intro: list.intro,
            groups: self.groups(&list.ids)?,
            count: list.ids.len(),
            pagination,
            empty_note: list.empty_note.filter(|_| list.ids.is_empty()),
        };
        self.template("timeline.html", &view)
    }

    /// Groups consecutive entries by local year, then month.
    /// The card of entry `id` as rendered by `card.html`, rendered on first use.
    fn fragment(&self, id: usize) -> Result<&str, Error> {
        if let Some(html) = self.fragments[id].get() {
            return Ok(html);
        }
        let mut context = Context::new();
        context.insert("entry", &self.cards[id]);
        let mut html = self
            .theme
            .tera
            .render("card.html", &context)
            .map_err(|e| template_error("card.html", &e))?;
        // Kept until the last list page is written: without the spare capacity of
        // Tera's growing buffer, which can double the size of 100,000 cards.
        html.shrink_to_fit();
        // Two threads may render the same card at once; both get the same bytes.
        Ok(self.fragments[id].get_or_init(|| html))
    }

    fn groups(&self, ids: &[usize]) -> Result<Vec<YearGroup<'_>>, Error> {
        let tz = self.site.config.timezone;
        let urls = &self.site.urls;
        let mut groups: Vec<YearGroup<'_>> = Vec::new();
        for &id in ids {
            let (year, month) = self.site.entries[id].date.local_year_month(tz);
            if groups.last().is_none_or(|g| g.id != format!("y{year:04}")) {
                groups.push(YearGroup {
                    label: year_label(year, self.site),
                    url: urls.year(year),
                    id: format!("y{year:04}"),
                    months: Vec::new(),
                });
            }
            let Some(group) = groups.last_mut() else {
                continue;
            };
            let month_id = match month {
                Some(m) => format!("y{year:04}-{m:02}"),
                None => format!("y{year:04}-all"),
            };
            if group.months.last().is_none_or(|m| m.id != month_id) {
                group.months.push(MonthGroup {
                    label: month.map(|m| month_label(year, m, self.site)),
                    url: month.map(|m| urls.month(year, m)),
                    id: month_id,
                    entries: Vec::new(),
                });
            }
            if let Some(m) = group.months.last_mut() {
                let card = &self.cards[id];
                m.entries.push(ListItem {
                    html: self.fragment(id)?,
                    slug: card.slug,
                    era: card.era.as_ref(),
                });
            }
        }
        Ok(groups)
    }

    fn entry(&self, id: usize) -> Result<String, Error> {
        let site = self.site;
        let entry = &site.entries[id];
        let rel = &site.relations[id];
        let card = &self.cards[id];
        let rewrite = |dest: &str| rel.rewrites.get(dest).cloned();
        let body = markdown::render(entry.body(), &rewrite, !site.config.allow_raw_html);
        let date = |d: &crate::date::PartialDate| DateView::new(d, site);
        let mut page = self.meta(
            entry.title.clone(),
            entry.summary.clone(),
            &card.url,
            "article",
        );
        page.image = card.image.as_ref().map(|i| {
            if i.src.starts_with('/') {
                site.urls.absolute(&i.src)
            } else {
                i.src.clone()
            }
        });
        page.jsonld = Some(jsonld::entry(site, id, page.image.as_deref()));
        let view = EntryView {
            site: self.view,
            page,
            entry: card,
            body,
            published: date(&entry.published),
            updated: entry.updated.as_ref().map(date),
            sources: entry.sources.iter().map(|s| source_view(s, site)).collect(),
            corrections: entry
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    date: date(&c.date),
                    text: &c.text,
                })
                .collect(),
            related: rel
                .related
                .iter()
                .map(|&r| EntryRef::from(&self.cards[r]))
                .collect(),
            // Related entries are listed once, under "Related", even when they also link here.
            backlinks: rel
                .backlinks
                .iter()
                .filter(|b| !rel.related.contains(b))
                .map(|&b| EntryRef::from(&self.cards[b]))
                .collect(),
            prev: id.checked_sub(1).map(|p| EntryRef::from(&self.cards[p])),
            next: self.cards.get(id + 1).map(EntryRef::from),
            extra: &entry.extra,
        };
        self.template("entry.html", &view)
    }

    fn sources(&self) -> Result<String, Error> {
        let site = self.site;
        let publishers = self
            .publishers
            .iter()
            .map(|p| PublisherView {
                id: format!("publisher-{}", p.slug),
                name: &p.name,
                url: publisher_url(site, p, 1),
                count: p.citations.len(),
                citations: self
                    .citation_views(&p.citations[..p.citations.len().min(CITATIONS_ON_INDEX)]),
            })
            .collect();
        let url = site.urls.path("sources/");
        let view = SourcesView {
            site: self.view,
            page: self.meta("Sources".into(), String::new(), &url, "website"),
            publishers,
        };
        self.template("sources.html", &view)
    }

    fn publisher(&self, page: PublisherPage) -> Result<String, Error> {
        let site = self.site;
        let publisher = &self.publishers[page.index];
        let (n, total) = (page.number, page.total);
        let url = publisher_url(site, publisher, n);
        let title = if n == 1 {
            format!("Sources: {}", publisher.name)
        } else {
            format!("Sources: {} (page {n})", publisher.name)
        };
        let pagination = Pagination::new(n, total, |k| publisher_url(site, publisher, k));
        let view = PublisherPageView {
            site: self.view,
            page: self.meta(title, String::new(), &url, "website"),
            publisher: PublisherView {
                id: format!("publisher-{}", publisher.slug),
                name: &publisher.name,
                url: publisher_url(site, publisher, 1),
                count: publisher.citations.len(),
                citations: self.citation_views(self.citations_on(publisher, n)),
            },
            pagination,
        };
        self.template("publisher.html", &view)
    }

    fn taxonomy(&self, t: usize) -> Result<String, Error> {
        let taxonomy = &self.site.taxonomies[t];
        let urls = &self.site.urls;
        let mut terms: Vec<TermCount> = taxonomy
            .terms
            .iter()
            .map(|term| TermCount {
                name: term.name.clone(),
                url: urls.term(&taxonomy.name, &term.slug),
                count: term.entries.len(),
            })
            .collect();
        terms.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.name.cmp(&b.name))
        });
        let heading = capitalize(&taxonomy.name);
        let url = urls.taxonomy(&taxonomy.name);
        let view = TaxonomyView {
            site: self.view,
            page: self.meta(heading.clone(), String::new(), &url, "website"),
            taxonomy: &taxonomy.name,
            heading,
            terms,
        };
        self.template("taxonomy.html", &view)
    }
}

fn source_view<'a>(s: &'a crate::content::entry::Source, site: &Site) -> SourceView<'a> {
    SourceView {
        title: &s.title,
        url: &s.url,
        publisher: s.publisher.as_deref(),
        date: s.date.as_ref().map(|d| DateView::new(d, site)),
        archive_url: s.archive_url.as_deref(),
    }
}
