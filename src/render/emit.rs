//! The output contract between rendering and whatever keeps the files: a finished
//! [`OutputFile`] and the [`Sink`] that takes it. `build` writes files to a staging
//! folder, `serve` keeps them in memory, `check` discards them; all three only see
//! this module, so the stage that writes depends on nothing that renders.

use std::sync::atomic::{AtomicU64, Ordering};

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
    /// it need not be rendered again: the file's size when it does. The sink
    /// keeps the file when it says yes.
    fn reuse(&self, _path: &str, _fingerprint: u64) -> Option<u64> {
        None
    }

    /// The bytes of `path` when the sink holds it from inputs with
    /// `fingerprint`, without keeping it: the search index reads its previous
    /// table to keep every chunk it names.
    fn held(&self, _path: &str, _fingerprint: u64) -> Option<Vec<u8>> {
        None
    }
}

/// Discards everything: `check` renders to find template errors and writes nothing.
pub(crate) struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), Error> {
        Ok(())
    }
}

/// A sink that refuses to take generated files past `limit` bytes in all, kept
/// ones included: the cap on a site's output relative to its input.
pub(crate) struct Bounded<'a> {
    /// Where the files go.
    pub inner: &'a dyn Sink,
    /// Most bytes in all.
    pub limit: u64,
    /// The size of the entry files, which the limit is made from.
    pub input: u64,
    /// Bytes so far.
    pub taken: AtomicU64,
}

impl Bounded<'_> {
    /// Counts `n` more bytes; fails past the limit.
    fn count(&self, n: u64) -> Result<(), Error> {
        let taken = self.taken.fetch_add(n, Ordering::Relaxed) + n;
        if taken > self.limit {
            return Err(Error::OutputTooLarge {
                limit: self.limit,
                input: self.input,
            });
        }
        Ok(())
    }
}

impl Sink for Bounded<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        if let Contents::Bytes(bytes) = &file.contents {
            self.count(bytes.len() as u64)?;
        }
        self.inner.put(file)
    }

    fn reuse(&self, path: &str, fingerprint: u64) -> Option<u64> {
        let kept = self.inner.reuse(path, fingerprint)?;
        // Too large a kept file is made again, and refused then.
        self.count(kept).ok().map(|()| kept)
    }

    fn held(&self, path: &str, fingerprint: u64) -> Option<Vec<u8>> {
        self.inner.held(path, fingerprint)
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

    fn reuse(&self, path: &str, fingerprint: u64) -> Option<u64> {
        let kept = self.inner.reuse(path, fingerprint);
        if kept.is_some() {
            (self.tick)();
        }
        kept
    }

    fn held(&self, path: &str, fingerprint: u64) -> Option<Vec<u8>> {
        self.inner.held(path, fingerprint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: usize) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(vec![b'x'; size]),
            fingerprint: 0,
        }
    }

    /// Keeps every file it is told about, as a previous build would.
    struct Kept;

    impl Sink for Kept {
        fn put(&self, _: OutputFile) -> Result<(), Error> {
            Ok(())
        }

        fn reuse(&self, _: &str, _: u64) -> Option<u64> {
            Some(600)
        }
    }

    #[test]
    fn the_output_cap_counts_files_made_and_kept_alike() {
        let bounded = Bounded {
            inner: &Discard,
            limit: 1000,
            input: 10,
            taken: AtomicU64::new(0),
        };
        assert!(bounded.put(file("a", 600)).is_ok());
        assert!(matches!(
            bounded.put(file("b", 600)),
            Err(Error::OutputTooLarge { limit: 1000, .. })
        ));
        let kept = Bounded {
            inner: &Kept,
            limit: 1000,
            input: 10,
            taken: AtomicU64::new(0),
        };
        assert_eq!(kept.reuse("a", 1), Some(600));
        assert_eq!(
            kept.reuse("b", 1),
            None,
            "past the cap a kept file is made again, and refused"
        );
    }
}
