//! Rendering: the linked site → every output file, each handed to a [`Sink`] as
//! soon as it is made, in parallel, so rendered pages are never all held in
//! memory. What a file is made from, and so when it is current, is decided in one
//! place, [`inputs`]; this module only puts the stages in order: the pages
//! ([`pages`], planned by [`plan`], shown through [`views`] and [`cards`]), the
//! feeds, the exports, and the copied files.

pub(crate) mod cards;
pub(crate) mod derivatives;
pub(crate) mod emit;
pub(crate) mod feeds;
pub(crate) mod images;
pub(crate) mod inputs;
pub(crate) mod jsonld;
pub(crate) mod pages;
pub(crate) mod plan;
pub(crate) mod posts;
#[cfg(test)]
mod reference;
pub(crate) mod search;
pub(crate) mod search_index;
pub(crate) mod sitemap;
pub(crate) mod theme;
pub(crate) mod timelinejs;
pub(crate) mod views;

use std::collections::BTreeSet;

use rayon::prelude::*;
use std::path::Path;

use crate::error::Error;
use crate::render::cards::Cards;
use std::sync::atomic::AtomicU64;

use crate::limits;
use crate::render::emit::{Bounded, OutputFile, Sink};
use crate::render::inputs::{Copied, Output, Shared};
use crate::render::pages::Pages;
use crate::render::theme::{StaticSource, Theme};
use crate::render::views::Fragments;
use crate::site::link::Site;
use crate::site::sources;

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

/// Renders the whole site into `sink`; `root` is the site root, for copying
/// assets. A file the sink still holds from the same inputs is not made again:
/// after an edit, `serve` and `build` make only what the edit changed.
pub(crate) fn site(
    site: &Site,
    theme: &Theme,
    root: &Path,
    sink: &dyn Sink,
) -> Result<Stats, Error> {
    let mut clock = crate::Clock::default();
    let shared = Shared::new(&site.config, theme, site.drafts, root);
    let terms = cards::TermHashes::new(site);
    let cards = Cards::new(site, &shared, &terms);
    clock.lap("  cards");
    let publishers = sources::collect(site);
    let calendar = plan::Calendar::new(site);
    let corrections = plan::corrections(site);
    let pages = plan::plan(site, &calendar, &publishers, corrections.len());
    let sitemap = plan::sitemap(site, &pages);
    clock.lap("  plan");
    // A site's own static files take their paths from generated ones: a site's
    // `robots.txt` replaces dateline's.
    let taken: BTreeSet<&str> = theme.static_files.keys().map(String::as_str).collect();
    let input: u64 = site.entries.iter().map(|e| e.text.len() as u64).sum();
    let bounded = Bounded {
        inner: sink,
        limit: limits::OUTPUT_BASE + limits::OUTPUT_PER_INPUT * input,
        input,
        taken: AtomicU64::new(0),
    };
    // Files beside entries (photos stripped or resized among them) are as
    // large as the files they come from, not made from the entries' text, so
    // they are outside the bound; a static file still takes their path.
    let photos = Shadowed {
        inner: sink,
        taken: &taken,
    };
    let generated = Shadowed {
        inner: &bounded,
        taken: &taken,
    };
    let fragments = Fragments::new(&theme.tera, site.entries.len());
    let made = Pages {
        site,
        shared: &shared,
        cards: &cards,
        publishers: &publishers,
        corrections: &corrections,
        fragments: &fragments,
        calendar: &calendar,
    }
    .emit(&pages, &generated)?;
    // Card fragments serve list pages only; free them before the large exports.
    drop(fragments);
    let mut stats = Stats {
        pages: pages.len(),
        files: pages.len(),
        made,
        timings: Vec::new(),
    };
    drop(pages);
    clock.lap("  pages");
    // The search index beside the feeds, exports and copies, which leave a core
    // mostly idle: on large sites that hides a third of its cost.
    let (search, rest) = rayon::join(
        || {
            let mut clock = crate::Clock::default();
            let made = search::emit(site, &cards, &shared, &generated, &mut clock);
            let parts = clock.into_laps();
            let total = parts.iter().map(|(_, t)| *t).sum();
            let laps = std::iter::once(("    search (beside them)", total)).chain(parts);
            made.map(|made| (made, laps.collect::<crate::Timings>()))
        },
        || {
            let mut clock = crate::Clock::default();
            let mut stats = Stats::default();
            add(
                &mut stats,
                feeds::emit(site, &cards, &corrections, &shared, &generated)?,
            );
            clock.lap("    feeds");
            add(&mut stats, sitemap::emit(&sitemap, &shared, &generated)?);
            for export in [timelinejs::emit, search_index::emit] {
                add(
                    &mut stats,
                    (1, usize::from(export(site, &cards, &shared, &generated)?)),
                );
            }
            clock.lap("    exports");
            add(
                &mut stats,
                copies(site, theme, root, &shared, sink, &photos)?,
            );
            clock.lap("    copies");
            stats.timings = clock.into_laps();
            Ok::<_, Error>(stats)
        },
    );
    let (rest, (searched, search_laps)) = (rest?, search?);
    add(&mut stats, (rest.files, rest.made));
    add(&mut stats, searched);
    clock.lap("  feeds, exports, copies, search");
    stats.timings = clock.into_laps();
    stats.timings.extend(rest.timings);
    stats.timings.extend(search_laps);
    Ok(stats)
}

/// Adds (files, files made) to `stats`.
fn add(stats: &mut Stats, (files, made): (usize, usize)) {
    stats.files += files;
    stats.made += made;
}

/// Emits the copied files: the theme's and the site's static files into `sink`,
/// and every entry's assets into `generated`, where a static file takes their
/// path. Returns (files, files made).
fn copies(
    site: &Site,
    theme: &Theme,
    root: &Path,
    shared: &Shared<'_>,
    sink: &dyn Sink,
    generated: &dyn Sink,
) -> Result<(usize, usize), Error> {
    // Each static file at its name, and a theme file at its hashed name too:
    // a page built before a theme change may still be cached somewhere.
    let statics = theme.static_files.iter().flat_map(|(name, source)| {
        let copied = || match source {
            StaticSource::Embedded(bytes) => Copied::Embedded(bytes),
            StaticSource::Disk(path) => Copied::disk(path),
        };
        let hashed = theme.hashed.get(name).map(|h| (h.clone(), copied(), sink));
        std::iter::once((name.clone(), copied(), sink)).chain(hashed)
    });
    // A photo beside an entry is published at the site's widths too.
    let assets = site.entries.iter().flat_map(|entry| {
        entry.assets.iter().flat_map(|asset| {
            let source = root.join(&asset.source);
            derivatives::published(shared, &source, &asset.name)
                .into_iter()
                .map(|(name, file)| (shared.urls.entry_file_path(&entry.slug, &name), file))
        })
    });
    let (mut files, mut made) = (0, 0);
    for (path, view, sink) in statics {
        files += 1;
        let output = Output {
            path,
            view,
            make: Copied::make,
        };
        made += usize::from(shared.emit(sink, output)?);
    }
    let assets: Vec<(String, derivatives::Published)> = assets.collect();
    files += assets.len();
    // In parallel: a photo's copies are encoded on every core.
    let fresh = assets
        .into_par_iter()
        .map(|(path, view)| {
            let output = Output {
                path,
                view,
                make: derivatives::Published::make,
            };
            shared.emit(generated, output)
        })
        .collect::<Result<Vec<bool>, Error>>()?;
    made += fresh.into_iter().filter(|&f| f).count();
    Ok((files, made))
}

/// A sink for generated files that skips the paths a static file takes, as if
/// it still held them.
struct Shadowed<'a> {
    inner: &'a dyn Sink,
    taken: &'a BTreeSet<&'a str>,
}

impl Sink for Shadowed<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.inner.put(file)
    }

    fn reuse(&self, path: &str, fingerprint: u64) -> Option<u64> {
        if self.taken.contains(path) {
            return Some(0);
        }
        self.inner.reuse(path, fingerprint)
    }

    fn held(&self, path: &str, fingerprint: u64) -> Option<Vec<u8>> {
        self.inner.held(path, fingerprint)
    }
}
