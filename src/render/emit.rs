//! The output contract between rendering and whatever keeps the files: a finished
//! [`OutputFile`] and the [`Sink`] that takes it. `build` writes files to a staging
//! folder, `serve` keeps them in memory, `check` discards them; all three only see
//! this module, so the stage that writes depends on nothing that renders.

use crate::error::Error;

/// One file of the output.
#[derive(Debug)]
pub(crate) struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// What to write.
    pub contents: Contents,
    /// Hash of everything the file is made from (see [`crate::render::inputs`]).
    pub fingerprint: u64,
}

/// The bytes of an output file.
#[derive(Debug)]
pub(crate) enum Contents {
    /// Rendered here.
    Bytes(Vec<u8>),
    /// Embedded in the binary.
    Static(&'static [u8]),
    /// Copied from a file (absolute path).
    Copy(std::path::PathBuf),
}

/// Receives output files as they are rendered, from several threads.
pub(crate) trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile) -> Result<(), Error>;

    /// Whether the sink still holds `path` made from inputs with `fingerprint`, so
    /// it need not be rendered again. The sink keeps the file when it says yes.
    fn reuse(&self, _path: &str, _fingerprint: u64) -> bool {
        false
    }
}

/// Discards everything: `check` renders to find template errors and writes nothing.
pub(crate) struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), Error> {
        Ok(())
    }
}

/// A sink that calls `tick` for every file it takes or keeps, for a progress display.
pub(crate) struct Counted<'a> {
    /// Where the files go.
    pub inner: &'a dyn Sink,
    /// Called once per file.
    pub tick: &'a (dyn Fn() + Sync),
}

impl Sink for Counted<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        (self.tick)();
        self.inner.put(file)
    }

    fn reuse(&self, path: &str, fingerprint: u64) -> bool {
        let kept = self.inner.reuse(path, fingerprint);
        if kept {
            (self.tick)();
        }
        kept
    }
}
