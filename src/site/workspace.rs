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
use crate::{Compiled, Options};

/// One content file's parse result.
#[derive(Debug, Clone)]
struct ParsedFile {
    entry: Option<Arc<Entry>>,
    diagnostics: Vec<Diagnostic>,
}

/// The site as last read from disk.
#[derive(Debug)]
pub struct Workspace {
    options: Options,
    /// `None` when `site.yaml` is missing; best effort when it has mistakes.
    config: Option<Config>,
    /// The mistakes of `site.yaml`.
    config_diagnostics: Vec<Diagnostic>,
    /// `None` when a template does not compile.
    theme: Option<Arc<Theme>>,
    files: BTreeMap<PathBuf, ParsedFile>,
    assets: BTreeSet<PathBuf>,
    /// Problems of the content folder itself (missing, unreadable, symbolic links).
    load_diagnostics: Vec<Diagnostic>,
    /// Whether to keep `memo`: `serve` compiles again after every edit.
    live: bool,
    /// The last linked site, while only single entry files changed since.
    memo: Option<link::Memo>,
    /// Entry files refreshed (parsed again, deleted or unreadable) since the last
    /// link; linking takes and clears it.
    edited: BTreeSet<PathBuf>,
}

/// What a refresh re-read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refresh {
    /// Entry files parsed again.
    pub parsed: usize,
    /// Whether configuration or theme were read again.
    pub reloaded: bool,
}

impl Workspace {
    /// Reads the whole site.
    pub fn open(options: Options) -> Workspace {
        let mut w = Workspace {
            options,
            config: None,
            config_diagnostics: Vec::new(),
            theme: None,
            files: BTreeMap::new(),
            assets: BTreeSet::new(),
            load_diagnostics: Vec::new(),
            live: false,
            memo: None,
            edited: BTreeSet::new(),
        };
        w.reload_config();
        w.reload_theme();
        w.reload_content();
        w
    }

    /// Reads the whole site, to be compiled again after each refresh: linking
    /// then keeps what an edit of an entry's words cannot change.
    pub fn open_live(options: Options) -> Workspace {
        Workspace {
            live: true,
            ..Workspace::open(options)
        }
    }

    /// The options the workspace was opened with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    fn reload_config(&mut self) {
        let origin = self.options.local_origin.as_ref();
        let loaded = config::load_lenient(&self.options.root, self.options.base_url.as_ref()).ok();
        self.config_diagnostics = loaded.as_ref().map(|(_, d)| d.clone()).unwrap_or_default();
        self.config = loaded.map(|(mut c, _)| {
            if let Some(origin) = origin {
                let mut local = origin.clone();
                local.set_path(c.base_url.path());
                c.base_url = local;
            }
            c
        });
    }

    /// The configuration, when `site.yaml` is valid.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    fn reload_theme(&mut self) {
        self.theme = self
            .config
            .as_ref()
            .and_then(|c| theme::load(&self.options.root, c).ok())
            .map(Arc::new);
    }

    fn reload_content(&mut self) {
        self.memo = None;
        self.files.clear();
        self.assets.clear();
        self.load_diagnostics.clear();
        let Some(config) = &self.config else { return };
        match load::content(&self.options.root) {
            Ok(content) => {
                self.assets = content.assets.into_iter().collect();
                self.load_diagnostics = content.diagnostics;
                self.parse(content.sources, config.clone());
            }
            Err(Error::Invalid(found)) => self.load_diagnostics = found,
            Err(e) => self.load_diagnostics = vec![Diagnostic::error(CONTENT_DIR, e.to_string())],
        }
    }

    fn parse(&mut self, sources: Vec<SourceFile>, config: Config) {
        let progress = self.options.progress.clone();
        if let Some(p) = &progress {
            p.0.start("parsing", sources.len() as u64);
        }
        let tick = || {
            if let Some(p) = &progress {
                p.0.advance(1);
            }
        };
        for (path, (entry, diagnostics)) in parse::parse_all(sources, &self.assets, &config, &tick)
        {
            self.files.insert(
                path,
                ParsedFile {
                    entry: entry.map(Arc::new),
                    diagnostics,
                },
            );
        }
    }

    /// Re-reads what `changed` (paths on disk) affects: one entry file is parsed
    /// again alone; configuration, theme, assets and folders reload more.
    pub fn refresh(&mut self, changed: &[PathBuf]) -> Refresh {
        let root = self.options.root.clone();
        let rel: Vec<PathBuf> = changed
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap_or(p).to_path_buf())
            .collect();
        let mut refresh = Refresh::default();
        if rel.iter().any(|p| p == Path::new(config::FILE_NAME)) {
            self.reload_config();
            self.reload_theme();
            self.reload_content();
            return Refresh {
                parsed: self.files.len(),
                reloaded: true,
            };
        }
        if rel
            .iter()
            .any(|p| p.starts_with("themes") || p.starts_with("static"))
        {
            self.reload_theme();
            refresh.reloaded = true;
        }
        let content: Vec<&PathBuf> = rel.iter().filter(|p| p.starts_with(CONTENT_DIR)).collect();
        let single_entries = content
            .iter()
            .all(|p| is_entry_file(p) && !root.join(p).is_dir());
        if !single_entries {
            self.reload_content();
            refresh.parsed = self.files.len();
            return refresh;
        }
        let Some(config) = self.config.clone() else {
            return refresh;
        };
        let mut sources = Vec::new();
        self.edited.extend(content.iter().map(|p| (*p).clone()));
        for path in content {
            match std::fs::symlink_metadata(root.join(path)) {
                Ok(meta) if meta.is_file() => match std::fs::read(root.join(path)) {
                    Ok(bytes) => match load::decode(path, bytes) {
                        Ok(text) => sources.push(SourceFile {
                            path: path.clone(),
                            text,
                        }),
                        Err(d) => {
                            self.files.insert(
                                path.clone(),
                                ParsedFile {
                                    entry: None,
                                    diagnostics: vec![d],
                                },
                            );
                        }
                    },
                    Err(e) => {
                        let d = Diagnostic::error(path.clone(), format!("cannot read: {e}"));
                        self.files.insert(
                            path.clone(),
                            ParsedFile {
                                entry: None,
                                diagnostics: vec![d],
                            },
                        );
                    }
                },
                // Deleted, or replaced by something that is not a plain file.
                _ => {
                    self.files.remove(path);
                }
            }
        }
        refresh.parsed = sources.len();
        self.parse(sources, config);
        refresh
    }

    /// Validates and links the current state, gathering every problem.
    pub fn compile(&mut self) -> Result<Compiled, Error> {
        let root = &self.options.root;
        let config = match &self.config {
            Some(c) => c.clone(),
            None => {
                return Err(config::load(root, self.options.base_url.as_ref())
                    .err()
                    .unwrap_or(Error::MissingConfig(root.clone())))
            }
        };
        let theme = match &self.theme {
            Some(t) => Ok(Arc::clone(t)),
            None => theme::load(root, &config).map(Arc::new),
        };
        let mut diagnostics = self.config_diagnostics.clone();
        diagnostics.extend(self.load_diagnostics.iter().cloned());
        let mut entries = Vec::with_capacity(self.files.len());
        let mut unparsed = BTreeSet::new();
        for (path, file) in &self.files {
            diagnostics.extend(file.diagnostics.iter().cloned());
            match &file.entry {
                Some(entry) => entries.push(Arc::clone(entry)),
                None => {
                    unparsed.insert(path.clone());
                }
            }
        }
        let referenced: BTreeSet<&PathBuf> = entries
            .iter()
            .flat_map(|e| e.assets.iter().map(|a| &a.source))
            .collect();
        diagnostics.extend(self.assets.iter().filter(|a| !referenced.contains(a)).map(|path| {
            Diagnostic::warning(path, "no entry references this file, so it is not published")
                .help("link it from an entry (`![alt](photo.jpg)` or `image: { src: photo.jpg }`), or move it out of `content/`")
        }));
        let o = &self.options;
        let selection = Selection {
            drafts: o.drafts,
            future: o.future,
            now: o.now.unwrap_or_else(Utc::now),
        };
        let site = match self.link(entries, config, selection, &unparsed) {
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
        let theme = match theme {
            Ok(theme) => Some(theme),
            Err(Error::Invalid(found)) => {
                diagnostics.extend(found);
                None
            }
            Err(e) => return Err(e),
        };
        diagnostics.sort_by(|a, b| {
            (a.path.as_os_str(), a.span, a.severity).cmp(&(b.path.as_os_str(), b.span, b.severity))
        });
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
}

impl Workspace {
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
        if let Some(memo) = &mut self.memo {
            let reparsed: Option<Vec<Arc<Entry>>> = edited
                .iter()
                .map(|path| self.files.get(path)?.entry.clone())
                .collect();
            if let Some(linked) = reparsed.and_then(|e| memo.relink(&e, selection.now)) {
                return Ok(linked);
            }
        }
        self.memo = None;
        if !self.live {
            return link::site(entries, config, selection, unparsed);
        }
        let all = entries.clone();
        let linked = link::site(entries, config, selection, unparsed)?;
        self.memo = Some(link::Memo::new(&linked.0, &linked.1, &all, selection));
        Ok(linked)
    }
}

/// A Markdown file that `load` would read: not hidden, not under a hidden folder.
fn is_entry_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
        && path
            .components()
            .all(|c| !c.as_os_str().to_string_lossy().starts_with(['.', '_']))
}
