//! dateline: a static-site generator for news timelines.
//!
//! The build is a pipeline of plain data, a folder per stage:
//! `site::config` (site.yaml) → `content` (load the files, split front matter,
//! YAML, parse each entry, Markdown) → `site` (link: order, links, backlinks,
//! taxonomies; lint) → `render` (every output, each made from the view its
//! fingerprint hashes: `render::inputs`) → `output` (atomic write).
//! `site::workspace` holds the loaded state so `serve` can refresh it file by
//! file; [`build`], [`check`] and `serve::run` are the whole pipeline, below.
//! The leaves (`date`, `slug`, `urls`, `escape`, `hash`, `diagnostic`, `error`)
//! are used by every stage.
//!
//! The library's surface is what the `dateline` command and the tests need: the
//! commands ([`build`], [`check`], [`serve`], [`scaffold`], [`import`]), their
//! options and reports, the diagnostics, and [`parsers`] for the fuzz targets.

mod content;
pub mod date;
pub mod deploy;
pub mod diagnostic;
pub mod error;
mod escape;
mod hash;
pub mod import;
mod limits;
mod media;
mod output;
mod render;
pub mod scaffold;
pub mod serve;
mod site;
mod slug;
mod urls;

/// Each parser of the pipeline, callable on its own, for the fuzz targets and
/// the property tests: decoding a file, an entry file, `site.yaml`, Markdown,
/// slugs and URLs. Not a stable interface.
pub mod parsers {
    pub use crate::content::entry::*;
    pub use crate::content::load::{decode, SourceFile};
    /// Markdown: the scan at parse time and the rendering of a body.
    pub mod markdown {
        pub use crate::content::markdown::{
            classify, render, scan, truncate_words, FoundLink, LinkKind, Rewrite, Scan, SUMMARY_LEN,
        };
    }
    pub use crate::content::parse::{parse as entry, Parsed};
    pub use crate::site::config::{
        parse as config, parse_lenient as config_lenient, parse_url, Config,
    };
    pub use crate::slug::{is_valid as is_slug, normalize as slug};
    pub use crate::urls::Urls;
}

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

pub use crate::diagnostic::{Diagnostic, LeftOut, Severity, Tally};
pub use crate::error::Error;
use crate::render::theme::Theme;
pub use crate::render::Stats;
pub use crate::site::link::HeldBack;
use crate::site::link::Site;
pub use crate::site::links::LinkSettings;

/// How far a long run is, for a progress display; the library never draws it.
pub trait Progress: Send + Sync {
    /// A new stage begins; `total` is 0 when unknown.
    fn start(&self, stage: &'static str, total: u64);
    /// `n` more steps of the stage are done.
    fn advance(&self, n: u64);
}

/// A progress reporter shared by the stages of one run.
#[derive(Clone)]
pub struct ProgressHandle(pub std::sync::Arc<dyn Progress>);

impl std::fmt::Debug for ProgressHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHandle")
    }
}

/// What to build and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder holding `site.yaml`.
    pub root: PathBuf,
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<url::Url>,
    /// Include drafts, marked as such.
    pub drafts: bool,
    /// Include entries published later than `now`.
    pub future: bool,
    /// The clock for held-back entries; the system clock when `None`.
    pub now: Option<DateTime<Utc>>,
    /// Serve under this origin (`http://127.0.0.1:1111`), keeping the base path of
    /// `base_url` so links work as they will when published.
    pub local_origin: Option<url::Url>,
    /// Where to report progress, if anywhere.
    pub progress: Option<ProgressHandle>,
    /// Replace an output folder another site built.
    pub force: bool,
}

impl Options {
    /// Options for the site at `root` with every default: no drafts, no future
    /// entries, the system clock, the configured `base_url`, no progress display.
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            base_url: None,
            drafts: false,
            future: false,
            now: None,
            local_origin: None,
            progress: None,
            force: false,
        }
    }
}

/// A validated, linked site ready to render.
#[derive(Debug)]
pub(crate) struct Compiled {
    /// The site.
    pub site: Site,
    /// Its theme, shared between rebuilds.
    pub theme: std::sync::Arc<Theme>,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Wall time per pipeline stage, in the order run.
pub type Timings = Vec<(&'static str, std::time::Duration)>;

/// The process's peak resident memory so far in KiB, where the OS reports it
/// (Linux `VmHWM`), for `--timings`.
pub fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Time spent in each stage.
    pub timings: Timings,
    /// Entries published.
    pub entries: usize,
    /// Pages and files written.
    pub stats: render::Stats,
    /// Warnings to show.
    pub warnings: Vec<Diagnostic>,
    /// Entries held back until they are published.
    pub held_back: HeldBack,
}

/// Everything `check` does: load, validate and link, gathering every problem.
pub(crate) fn compile(options: &Options) -> Result<Compiled, Error> {
    site::workspace::Workspace::open(options.clone()).compile()
}

/// Builds the site into `output`, replacing it only when everything succeeded.
pub fn build(options: &Options, output: &Path) -> Result<BuildReport, Error> {
    let mut clock = Clock::default();
    let mut workspace = site::workspace::Workspace::open(options.clone());
    clock.lap("load and parse");
    let compiled = workspace.compile()?;
    clock.lap("link and check");
    refuse_output_inside_site(&options.root, output)?;
    let staging = output::Staging::begin(output, stamp(options, &compiled.site), options.force)?;
    clock.lap("prepare output");
    let stats = match &options.progress {
        Some(progress) => {
            progress.0.start("writing", 0);
            let tick = || progress.0.advance(1);
            let counted = render::emit::Counted {
                inner: &staging,
                tick: &tick,
            };
            render::site(&compiled.site, &compiled.theme, &options.root, &counted)?
        }
        None => render::site(&compiled.site, &compiled.theme, &options.root, &staging)?,
    };
    clock.lap("render and write");
    clock.laps.extend(stats.timings.iter().copied());
    staging.commit()?;
    clock.lap("swap in");
    let entries = compiled.site.entries.len();
    let held_back = compiled.site.held_back;
    drop(compiled.site);
    clock.lap("free memory");
    Ok(BuildReport {
        timings: clock.laps,
        entries,
        stats,
        warnings: compiled.warnings,
        held_back,
    })
}

/// The folders a build reads, relative to the root: an output inside one would
/// be read back by the next build as the site's own files.
const READ_FOLDERS: &[&str] = &["content", "static", "themes"];

/// Refuses an output inside a folder the build reads.
fn refuse_output_inside_site(root: &Path, output: &Path) -> Result<(), Error> {
    let absolute = |p: &Path| std::path::absolute(p).map_err(Error::io("resolve", p));
    let (root, output) = (absolute(root)?, absolute(output)?);
    for folder in READ_FOLDERS {
        let read = root.join(folder);
        if output.starts_with(&read) {
            return Err(Error::OutputInsideSite {
                output,
                read: PathBuf::from(folder),
            });
        }
    }
    Ok(())
}

/// What the output's marker says of this build: the site, and what makes it
/// a preview.
fn stamp(options: &Options, site: &Site) -> output::Stamp {
    let config = &site.config;
    let mut preview = Vec::new();
    if options.drafts {
        preview.push("drafts".to_string());
    }
    if options.future {
        preview.push("future".to_string());
    }
    if config.base_url != config.site_url {
        preview.push(format!("base_url {}", config.base_url));
    }
    output::Stamp {
        site: config.site_url.to_string(),
        preview,
    }
}

/// Runs every validation of `build`, rendering included, and writes nothing.
pub fn check(options: &Options) -> Result<BuildReport, Error> {
    check_with(options, None)
}

/// [`check`], and every address the site links to requested as `settings`
/// say (`check --links`): dead, moved and unanswered addresses are warnings
/// at their lines. Never part of `build`, so a build does not need the network.
pub fn check_links(options: &Options, settings: &LinkSettings) -> Result<BuildReport, Error> {
    check_with(options, Some(settings))
}

fn check_with(options: &Options, links: Option<&LinkSettings>) -> Result<BuildReport, Error> {
    let mut clock = Clock::default();
    let mut compiled = compile(options)?;
    clock.lap("load, parse and link");
    if let Some(history) = site::history::History::read(&options.root) {
        let site = &compiled.site;
        let late = history.late_entries(&site.entries, site.config.timezone, chrono::Utc::now());
        compiled.warnings.extend(late);
        clock.lap("read git history");
    }
    let stats = render::site(
        &compiled.site,
        &compiled.theme,
        &options.root,
        &render::emit::Discard,
    )?;
    clock.lap("render");
    if let Some(settings) = links {
        let found = site::links::check(&compiled.site, &options.root, settings);
        compiled.warnings.extend(found);
        compiled.warnings.sort_by(Diagnostic::order);
        clock.lap("check links");
    }
    Ok(BuildReport {
        timings: clock.laps,
        entries: compiled.site.entries.len(),
        stats,
        warnings: compiled.warnings,
        held_back: compiled.site.held_back,
    })
}

/// Measures consecutive stages.
pub(crate) struct Clock {
    last: std::time::Instant,
    laps: Timings,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }
}

impl Clock {
    /// Ends the stage that began at the last lap (or at the start).
    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }

    /// Every stage measured, in order.
    pub(crate) fn into_laps(self) -> Timings {
        self.laps
    }
}
