//! The site as `serve` keeps it: a live workspace, refreshed file by file, and
//! the last good build in memory. A rebuild makes only the files whose
//! fingerprint changed and keeps the previous bytes of every other one; a failed
//! rebuild keeps the whole previous site.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::hash::FastMap;
use crate::render::emit::{Contents, OutputFile, Sink};
use crate::site::workspace::Workspace;
use crate::Options;

/// One served file and the fingerprint it was made from.
#[derive(Debug, Clone)]
pub struct Served {
    /// The file's bytes.
    pub bytes: Arc<[u8]>,
    /// What they were made from.
    pub fingerprint: u64,
}

/// Every file of the site by output path (`entries/x/index.html`).
pub type Files = FastMap<String, Served>;

/// What a successful rebuild did.
#[derive(Debug)]
pub struct Built {
    /// Entries published.
    pub entries: usize,
    /// Files made and files in all.
    pub stats: crate::render::Stats,
    /// Warnings about the site.
    pub warnings: Vec<Diagnostic>,
    /// Entries held back until they are published.
    pub held_back: crate::HeldBack,
    /// Time per stage: reading the changes, linking, and each part of rendering.
    pub timings: crate::Timings,
}

/// A site kept in memory and rebuilt after each edit.
#[derive(Debug)]
pub struct LiveSite {
    workspace: Workspace,
    files: Arc<Files>,
}

impl LiveSite {
    /// Reads the site; nothing is built until [`LiveSite::rebuild`].
    pub fn open(options: Options) -> LiveSite {
        LiveSite {
            workspace: Workspace::open_live(options),
            files: Arc::new(Files::default()),
        }
    }

    /// Re-reads what `changed` (paths on disk) affects, then builds the site
    /// into memory. On success the new files replace the old; on failure the
    /// last good site stays.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Built, Error> {
        let mut clock = crate::Clock::default();
        if !changed.is_empty() {
            self.workspace.refresh(changed);
        }
        clock.lap("read changes");
        let compiled = self.workspace.compile()?;
        clock.lap("link and check");
        let sink = MemorySink {
            next: Mutex::new(crate::hash::fast_map(self.files.len())),
            previous: &self.files,
        };
        let root = &self.workspace.options().root;
        let stats = crate::render::site(&compiled.site, &compiled.theme, root, &sink)?;
        let files = sink.next.into_inner().map_err(|_| poisoned())?;
        self.files = Arc::new(files);
        let mut timings = clock.into_laps();
        timings.extend(stats.timings.iter().copied());
        Ok(Built {
            entries: compiled.site.entries.len(),
            stats,
            warnings: compiled.warnings,
            held_back: compiled.site.held_back,
            timings,
        })
    }

    /// The files of the last good build.
    pub fn files(&self) -> &Arc<Files> {
        &self.files
    }

    /// The site's base path (`/metoo/`), when its configuration could be read.
    pub fn base_path(&self) -> Option<String> {
        self.workspace
            .config()
            .map(|c| c.base_url.path().to_string())
    }
}

fn poisoned() -> Error {
    Error::Serve {
        address: String::new(),
        message: "a rendering thread failed".into(),
    }
}

/// A sink that keeps the site in memory, reusing the previous build's bytes for
/// every output whose fingerprint did not change.
struct MemorySink<'p> {
    previous: &'p Files,
    next: Mutex<Files>,
}

impl Sink for MemorySink<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        let bytes: Arc<[u8]> = match file.contents {
            Contents::Bytes(b) => b.into(),
            Contents::Static(b) => b.into(),
            Contents::Copy(path) => std::fs::read(&path)
                .map_err(Error::io("read", &path))?
                .into(),
        };
        let served = Served {
            bytes,
            fingerprint: file.fingerprint,
        };
        self.next
            .lock()
            .map_err(|_| poisoned())?
            .insert(file.path, served);
        Ok(())
    }

    fn reuse(&self, path: &str, fingerprint: u64) -> Option<u64> {
        let old = self
            .previous
            .get(path)
            .filter(|old| old.fingerprint == fingerprint)?;
        let mut next = self.next.lock().ok()?;
        next.insert(path.to_string(), old.clone());
        Some(old.bytes.len() as u64)
    }

    fn held(&self, path: &str, fingerprint: u64) -> Option<Vec<u8>> {
        let old = self.previous.get(path)?;
        (old.fingerprint == fingerprint).then(|| old.bytes.to_vec())
    }
}
