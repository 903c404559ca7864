//! The loaded state of a site: its configuration, its theme, and every content
//! file's parse result. `build` and `check` load it once; `serve` keeps it and
//! refreshes only what changed on disk before compiling again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;

use crate::content::entry::Entry;
use crate::content::load::{self, SourceFile, CONTENT_DIR};
use crate::content::parse;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::render::theme::{self, Theme};
use crate::site::config::{self, Config};
use crate::site::link::{self, Selection};
use crate::site::lint;
use crate::site::relink;
use crate::{Compiled, Options};

/// One content file's parse result.
#[derive(Debug, Clone)]
struct ParsedFile {
    entry: Option<Arc<Entry>>,
    diagnostics: Vec<Diagnostic>,
}

impl ParsedFile {
    /// A file that could not be read or decoded.
    fn unreadable(diagnostic: Diagnostic) -> Self {
        ParsedFile {
            entry: None,
            diagnostics: vec![diagnostic],
        }
    }
}

/// What a site with a readable `site.yaml` holds.
#[derive(Debug)]
struct Loaded {
    /// The configuration: best effort when it has mistakes.
    config: Config,
    /// The mistakes of `site.yaml`.
    config_diagnostics: Vec<Diagnostic>,
    /// The theme, or why it cannot be used.
    theme: Result<Arc<Theme>, Error>,
    /// Every entry file's parse result, by path relative to the root.
    files: BTreeMap<PathBuf, ParsedFile>,
    /// Every other file under `content/`.
    assets: BTreeSet<PathBuf>,
    /// Problems of the content folder itself (missing, unreadable, symbolic links).
    load_diagnostics: Vec<Diagnostic>,
}

/// The site as last read from disk.
#[derive(Debug)]
pub(crate) struct Workspace {
    options: Options,
    /// The site, or why its `site.yaml` cannot be read at all.
    site: Result<Loaded, Error>,
    /// The last linked site, kept by `serve` for the next edit; `None` for a
    /// one-off build, or after a change that linking must see whole.
    memo: Option<relink::Memo>,
    /// Whether to keep `memo`: `serve` compiles again after every edit.
    live: bool,
    /// Entry files refreshed (parsed again, deleted or unreadable) since the last
    /// link; linking takes and clears it.
    edited: BTreeSet<PathBuf>,
}

impl Workspace {
    /// Reads the whole site.
    pub(crate) fn open(options: Options) -> Workspace {
        let site = load_site(&options);
        Workspace {
            options,
            site,
            memo: None,
            live: false,
            edited: BTreeSet::new(),
        }
    }

    /// Reads the whole site, to be compiled again after each refresh: linking
    /// then keeps what an edit of an entry's words cannot change.
    pub(crate) fn open_live(options: Options) -> Workspace {
        Workspace {
            live: true,
            ..Workspace::open(options)
        }
    }

    /// The options the workspace was opened with.
    pub(crate) fn options(&self) -> &Options {
        &self.options
    }

    /// The configuration, when `site.yaml` could be read.
    pub(crate) fn config(&self) -> Option<&Config> {
        self.site.as_ref().ok().map(|s| &s.config)
    }

    /// Re-reads what `changed` (paths on disk) affects: one entry file is parsed
    /// again alone; configuration, theme, assets and folders reload more.
    pub(crate) fn refresh(&mut self, changed: &[PathBuf]) {
        let root = &self.options.root;
        let rel: Vec<&Path> = changed
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p))
            .collect();
        if self.site.is_err() || rel.iter().any(|p| *p == Path::new(config::FILE_NAME)) {
            return self.reload();
        }
        let Ok(site) = &mut self.site else {
            return;
        };
        if rel
            .iter()
            .any(|p| p.starts_with("themes") || p.starts_with("static"))
        {
            site.theme = theme::load(root, &site.config).map(Arc::new);
        }
        let content: Vec<&Path> = rel
            .into_iter()
            .filter(|p| p.starts_with(CONTENT_DIR))
            .collect();
        if content.is_empty() {
            return;
        }
        if !content
            .iter()
            .all(|p| load::is_entry_path(p) && !root.join(p).is_dir())
        {
            self.memo = None;
            let (files, assets, diagnostics) = read_content(&self.options, &site.config);
            (site.files, site.assets, site.load_diagnostics) = (files, assets, diagnostics);
            return;
        }
        let mut sources = Vec::new();
        for path in content {
            self.edited.insert(path.to_path_buf());
            match load::read_entry(root, path) {
                Some(Ok(source)) => sources.push(source),
                Some(Err(d)) => {
                    site.files
                        .insert(path.to_path_buf(), ParsedFile::unreadable(d));
                }
                // Deleted, or replaced by something that is not a plain file.
                None => {
                    site.files.remove(path);
                }
            }
        }
        site.files.extend(parse_files(
            &self.options,
            sources,
            &site.assets,
            &site.config,
        ));
    }

    /// Reads the whole site again.
    fn reload(&mut self) {
        self.memo = None;
        self.edited.clear();
        self.site = load_site(&self.options);
    }

    /// Validates and links the current state, gathering every problem.
    pub(crate) fn compile(&mut self) -> Result<Compiled, Error> {
        let site = match &self.site {
            Ok(site) => site,
            Err(e) => return Err(e.clone()),
        };
        let mut diagnostics = site.config_diagnostics.clone();
        diagnostics.extend(site.load_diagnostics.iter().cloned());
        let mut entries = Vec::with_capacity(site.files.len());
        let mut unparsed = BTreeSet::new();
        for (path, file) in &site.files {
            diagnostics.extend(file.diagnostics.iter().cloned());
            match &file.entry {
                Some(entry) => entries.push(Arc::clone(entry)),
                None => {
                    unparsed.insert(path.clone());
                }
            }
        }
        diagnostics.extend(unreferenced(&site.assets, &entries, &unparsed));
        let o = &self.options;
        let selection = Selection {
            drafts: o.drafts,
            future: o.future,
            now: o.now.unwrap_or_else(Utc::now),
        };
        let config = site.config.clone();
        let theme = match &site.theme {
            Ok(theme) => Some(Arc::clone(theme)),
            Err(Error::Invalid(found)) => {
                diagnostics.extend(found.iter().cloned());
                None
            }
            Err(e) => return Err(e.clone()),
        };
        let linked = self.link(entries, config, selection, &unparsed);
        let site = match linked {
            Ok((site, warnings)) => {
                diagnostics.extend(warnings);
                diagnostics.extend(lint::warnings(&site));
                Some(site)
            }
            Err(found) => {
                diagnostics.extend(found);
                None
            }
        };
        diagnostics.sort_by(Diagnostic::order);
        match (site, theme) {
            (Some(site), Some(theme)) if !diagnostics.iter().any(Diagnostic::is_error) => {
                Ok(Compiled {
                    site,
                    theme,
                    warnings: diagnostics,
                })
            }
            _ => Err(Error::Invalid(diagnostics)),
        }
    }

    /// Links `entries`: from the memo when only entries' words changed since
    /// the last link, or from scratch, then remembering the result.
    fn link(
        &mut self,
        entries: Vec<Arc<Entry>>,
        config: Config,
        selection: Selection,
        unparsed: &BTreeSet<PathBuf>,
    ) -> Result<(link::Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        let edited = std::mem::take(&mut self.edited);
        if let (Some(memo), Ok(site)) = (&mut self.memo, &self.site) {
            let reparsed: Option<Vec<Arc<Entry>>> = edited
                .iter()
                .map(|path| site.files.get(path)?.entry.clone())
                .collect();
            if let Some(linked) = reparsed.and_then(|e| memo.relink(&e, selection.now)) {
                return Ok(linked);
            }
        }
        self.memo = None;
        let linked = link::site(&entries, config, selection, unparsed)?;
        if self.live {
            self.memo = Some(relink::Memo::new(&linked.0, &linked.1, &entries, selection));
        }
        Ok(linked)
    }
}

/// Reads `site.yaml`, the theme and every content file.
fn load_site(options: &Options) -> Result<Loaded, Error> {
    let root = &options.root;
    let (mut config, config_diagnostics) = config::load_lenient(root, options.base_url.as_ref())?;
    if let Some(origin) = &options.local_origin {
        // `serve` answers at its own address, under the published base path.
        let mut local = origin.clone();
        local.set_path(config.base_url.path());
        config.base_url = local;
    }
    let theme = theme::load(root, &config).map(Arc::new);
    let (files, assets, load_diagnostics) = read_content(options, &config);
    Ok(Loaded {
        config,
        config_diagnostics,
        theme,
        files,
        assets,
        load_diagnostics,
    })
}

/// Every file under `content/`: entry files parsed, the others listed as assets.
fn read_content(
    options: &Options,
    config: &Config,
) -> (
    BTreeMap<PathBuf, ParsedFile>,
    BTreeSet<PathBuf>,
    Vec<Diagnostic>,
) {
    match load::content(&options.root) {
        Ok(content) => {
            let assets: BTreeSet<PathBuf> = content.assets.into_iter().collect();
            let files = parse_files(options, content.sources, &assets, config);
            (files, assets, content.diagnostics)
        }
        Err(Error::Invalid(found)) => (BTreeMap::new(), BTreeSet::new(), found),
        Err(e) => {
            let d = Diagnostic::error(CONTENT_DIR, e.to_string());
            (BTreeMap::new(), BTreeSet::new(), vec![d])
        }
    }
}

/// Parses `sources` in parallel, reporting progress.
fn parse_files(
    options: &Options,
    sources: Vec<SourceFile>,
    assets: &BTreeSet<PathBuf>,
    config: &Config,
) -> BTreeMap<PathBuf, ParsedFile> {
    let progress = options.progress.as_ref();
    if let Some(p) = progress {
        p.0.start("parsing", sources.len() as u64);
    }
    let tick = || {
        if let Some(p) = progress {
            p.0.advance(1);
        }
    };
    parse::parse_all(sources, assets, config, &tick)
        .into_iter()
        .map(|(path, (entry, diagnostics))| {
            let file = ParsedFile {
                entry: entry.map(Arc::new),
                diagnostics,
            };
            (path, file)
        })
        .collect()
}

/// A warning for each file under `content/` that no entry references. Files
/// in or below the folder of an entry that failed to parse are left out: that
/// entry may be the one that references them (a missing `alt` would otherwise
/// add a warning about its image to the one error it is).
fn unreferenced(
    assets: &BTreeSet<PathBuf>,
    entries: &[Arc<Entry>],
    unparsed: &BTreeSet<PathBuf>,
) -> Vec<Diagnostic> {
    let referenced: BTreeSet<&PathBuf> = entries
        .iter()
        .flat_map(|e| e.assets.iter().map(|a| &a.source))
        .collect();
    let beside_failed = |asset: &Path| {
        unparsed
            .iter()
            .filter_map(|entry| entry.parent())
            .any(|folder| asset.starts_with(folder))
    };
    assets.iter().filter(|a| !referenced.contains(a) && !beside_failed(a)).map(|path| {
        Diagnostic::warning(path, "no entry references this file, so it is not published")
            .help("link it from an entry (`![alt](photo.jpg)` or `image: { src: photo.jpg }`), or move it out of `content/`")
    }).collect()
}
