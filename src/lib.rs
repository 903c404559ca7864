//! dateline: a static-site generator for news timelines.
//!
//! The build is a pipeline of plain data, one module per stage:
//! `config` (site.yaml) → `load` (files) → `entry` (front matter, via `frontmatter`,
//! `yaml`, `date`, `markdown`) → `link` (order, links, backlinks, `taxonomy`) →
//! `lint` (warnings) → `render` (pages, via `views` and `theme`; `feeds`,
//! `exports` and the `sources` index are further outputs) → `output`
//! (atomic write). `main.rs` only parses the command line and prints.

pub mod config;
pub mod date;
pub mod diagnostic;
pub mod entry;
pub mod error;
pub mod exports;
pub mod feeds;
pub mod frontmatter;
pub mod import;
pub mod link;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod output;
pub mod render;
pub mod slug;
pub mod sources;
pub mod taxonomy;
pub mod theme;
pub mod urls;
pub mod views;
pub mod xml;
pub mod yaml;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

pub use crate::diagnostic::{Diagnostic, Severity};
pub use crate::error::Error;
use crate::link::{Selection, Site};
use crate::theme::Theme;

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
}

/// A validated, linked site ready to render.
#[derive(Debug)]
pub struct Compiled {
    /// The site.
    pub site: Site,
    /// Its theme.
    pub theme: Theme,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Entries published.
    pub entries: usize,
    /// Pages and files written.
    pub stats: render::Stats,
    /// Warnings to show.
    pub warnings: Vec<Diagnostic>,
}

/// Everything `check` does: load, validate and link, gathering every problem.
pub fn compile(options: &Options) -> Result<Compiled, Error> {
    let root = &options.root;
    let config = config::load(root, options.base_url.as_ref())?;
    let content = load::content(root)?;
    let mut diagnostics = content.diagnostics;
    let assets: BTreeSet<PathBuf> = content.assets.iter().cloned().collect();
    let all_paths: Vec<PathBuf> = content.sources.iter().map(|s| s.path.clone()).collect();
    let (entries, found) = entry::parse_all(content.sources, &assets, &config);
    diagnostics.extend(found);
    let parsed: BTreeSet<&PathBuf> = entries.iter().map(|e| &e.path).collect();
    let unparsed: BTreeSet<PathBuf> = all_paths.into_iter().filter(|p| !parsed.contains(p)).collect();
    let referenced: BTreeSet<PathBuf> = entries.iter().flat_map(|e| e.assets.iter().map(|a| a.source.clone())).collect();
    let selection = Selection { drafts: options.drafts, future: options.future, now: options.now.unwrap_or_else(Utc::now) };
    let theme = theme::load(root, &config);
    let site = match link::site(entries, config, selection, &unparsed) {
        Ok((site, warnings)) => {
            diagnostics.extend(warnings);
            Some(site)
        }
        Err(found) => {
            diagnostics.extend(found);
            None
        }
    };
    diagnostics.extend(unreferenced_assets(&assets, &referenced));
    let theme = match theme {
        Ok(theme) => Some(theme),
        Err(Error::Invalid(found)) => {
            diagnostics.extend(found);
            None
        }
        Err(e) => return Err(e),
    };
    if let Some(site) = &site {
        diagnostics.extend(lint::warnings(site));
    }
    diagnostics.sort_by(|a, b| (&a.path, a.span, a.severity).cmp(&(&b.path, b.span, b.severity)));
    match (site, theme) {
        (Some(site), Some(theme)) if !diagnostics.iter().any(Diagnostic::is_error) => {
            Ok(Compiled { site, theme, warnings: diagnostics })
        }
        _ => Err(Error::Invalid(diagnostics)),
    }
}

/// Builds the site into `output`, replacing it only when everything succeeded.
pub fn build(options: &Options, output: &Path) -> Result<BuildReport, Error> {
    let compiled = compile(options)?;
    let staging = output::Staging::begin(output)?;
    let stats = render::site(&compiled.site, &compiled.theme, &options.root, &staging)?;
    staging.commit()?;
    Ok(BuildReport { entries: compiled.site.entries.len(), stats, warnings: compiled.warnings })
}

/// Runs every validation of `build`, rendering included, and writes nothing.
pub fn check(options: &Options) -> Result<BuildReport, Error> {
    let compiled = compile(options)?;
    let stats = render::site(&compiled.site, &compiled.theme, &options.root, &render::Discard)?;
    Ok(BuildReport { entries: compiled.site.entries.len(), stats, warnings: compiled.warnings })
}

fn unreferenced_assets(assets: &BTreeSet<PathBuf>, referenced: &BTreeSet<PathBuf>) -> Vec<Diagnostic> {
    assets
        .difference(referenced)
        .map(|path| {
            Diagnostic::warning(path, "no entry references this file, so it is not published")
                .help("link it from an entry (`![alt](photo.jpg)` or `image: { src: photo.jpg }`), or move it out of `content/`")
        })
        .collect()
}
