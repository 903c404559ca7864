//! What every output is made from: the one place that knows what a file depends
//! on, so that `build`'s reuse of its previous output, `serve`'s in-memory site
//! and the manifest all agree on when a file is current.
//!
//! Every file of the site is an [`Output`]: its path, a *view* (the plain data its
//! template or writer receives) and a *maker*, a function pointer from the view and
//! the site-wide [`Shared`] values to the file's bytes. A function pointer captures
//! nothing, so the bytes can depend only on the view and on `Shared`, and the
//! fingerprint hashes exactly those two: the view through [`Hash`], derived on every
//! view type so the compiler refuses a field that is not hashed, and `Shared`
//! through its identity (configuration, theme, drafts, this program). Forgetting an
//! input would mean a maker reading something that is in neither, and the types
//! leave it nothing else to read.
//!
//! Hashing a view must cost less than rendering it, or nothing is saved. So where
//! the template's own view would be costly to build, the output's view is what
//! the template's view is made from, and the maker builds the template's view:
//! an entry's page is made from the entry's file, where its links point and the
//! cards it mentions ([`crate::render::pages::EntryPage`]), and a card is made,
//! when a page shows it, from borrowed copies of what it shows
//! ([`crate::render::cards::CardInputs`]), and hashed as those.

use std::hash::{Hash, Hasher};
use std::path::Path;

use crate::content::entry::Entry;
use crate::error::Error;
use crate::hash::fingerprint;
use crate::render::emit::{Contents, OutputFile, Sink};
use crate::render::theme::Theme;
use crate::render::views::SiteView;
use crate::site::config::Config;
use crate::urls::Urls;

/// What every output may read besides its view: the configuration, the URLs it
/// gives, the theme, and what every page shows of the site (drafts included).
pub(crate) struct Shared<'a> {
    /// The site's configuration.
    pub config: &'a Config,
    /// URLs under its base URL.
    pub urls: Urls,
    /// Templates and static files.
    pub theme: &'a Theme,
    /// What every page shows of the site (title, navigation, style sheet).
    pub site: SiteView,
    /// The site root, to name files in diagnostics; not part of any fingerprint.
    root: &'a Path,
    /// Hash of everything above, and of this program.
    identity: u64,
}

impl<'a> Shared<'a> {
    /// The shared values of a site whose taxonomies are `taxonomies`.
    pub(crate) fn new(config: &'a Config, theme: &'a Theme, drafts: bool, root: &'a Path) -> Self {
        let urls = Urls::new(&config.base_url);
        let site = SiteView::new(config, &urls, &theme.hashed, drafts);
        let identity = fingerprint(&(config, theme.fingerprint, drafts, program_identity()));
        Shared {
            config,
            urls,
            theme,
            site,
            root,
            identity,
        }
    }

    /// The site root.
    pub(crate) fn root(&self) -> &'a Path {
        self.root
    }

    /// `path` relative to the site root, as diagnostics name files.
    pub(crate) fn relative(&self, path: &Path) -> std::path::PathBuf {
        path.strip_prefix(self.root).unwrap_or(path).to_path_buf()
    }

    /// The fingerprint of an output at `path` made from `view`.
    pub(crate) fn fingerprint<V: Hash>(&self, path: &str, view: &V) -> u64 {
        fingerprint(&(self.identity, path, view))
    }

    /// Puts `output` into `sink`, made only when the sink does not still hold
    /// it from the same inputs. Returns whether it was made.
    pub(crate) fn emit<V: Hash>(&self, sink: &dyn Sink, output: Output<V>) -> Result<bool, Error> {
        let print = self.fingerprint(&output.path, &output.view);
        if sink.reuse(&output.path, print).is_some() {
            return Ok(false);
        }
        let contents = (output.make)(&output.view, self)?;
        sink.put(OutputFile {
            path: output.path,
            contents,
            fingerprint: print,
        })?;
        Ok(true)
    }
}

/// Makes a file's bytes from its view and the shared values, and from nothing else.
pub(crate) type Maker<V> = fn(&V, &Shared<'_>) -> Result<Contents, Error>;

/// One file of the site before it is made.
pub(crate) struct Output<V> {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// Everything the file shows.
    pub view: V,
    /// How it is made.
    pub make: Maker<V>,
}

/// An entry in a view, hashed as its file: every field of an [`Entry`] is read
/// from its file's path and text, under the configuration in [`Shared`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntryFile<'a>(pub &'a Entry);

impl Hash for EntryFile<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (self.0.path.as_os_str(), self.0.text_hash).hash(h);
    }
}

/// A file copied into the output: its source and the identity of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Copied {
    /// Embedded in the binary (the default theme's files).
    Embedded(&'static [u8]),
    /// A file on disk (absolute path), known by its path, size and modification
    /// time: reading every image to hash it would cost more than copying it.
    Disk {
        /// The file.
        path: std::path::PathBuf,
        /// Its size, when it could be read.
        len: Option<u64>,
        /// Its modification time, when it could be read.
        modified: Option<std::time::SystemTime>,
    },
}

impl Copied {
    /// A file on disk at `path`, as it is now.
    pub(crate) fn disk(path: &Path) -> Self {
        let meta = std::fs::metadata(path).ok();
        Copied::Disk {
            path: path.to_path_buf(),
            len: meta.as_ref().map(std::fs::Metadata::len),
            modified: meta.and_then(|m| m.modified().ok()),
        }
    }

    /// The maker of a copied file: a JPEG, PNG or WebP without its metadata
    /// (see [`crate::render::images`]) unless the site keeps it, any other
    /// file as it is.
    pub(crate) fn make(&self, shared: &Shared<'_>) -> Result<Contents, Error> {
        Ok(match self {
            Copied::Embedded(bytes) => Contents::Static(bytes),
            Copied::Disk { path, .. }
                if !shared.config.keep_image_metadata
                    && crate::render::images::strippable(path) =>
            {
                let bytes = std::fs::read(path).map_err(Error::io("read", path))?;
                let stripped = crate::render::images::strip(path, bytes).map_err(|why| {
                    let shown = shared.relative(path);
                    let d = crate::diagnostic::Diagnostic::error(
                        &shown,
                        format!("cannot publish this image without its metadata: {why}"),
                    )
                    .help("export the image again from a photo editor, or set `keep_image_metadata: true` in site.yaml to publish files as they are");
                    Error::Invalid(vec![d])
                })?;
                Contents::Bytes(stripped)
            }
            Copied::Disk { path, .. } => Contents::Copy(path.clone()),
        })
    }
}

/// This program's version and executable, so a new dateline never keeps pages an
/// older one rendered.
fn program_identity() -> (&'static str, u64) {
    let exe = std::env::current_exe()
        .map(|p| fingerprint(&Copied::disk(&p)))
        .unwrap_or_default();
    (env!("CARGO_PKG_VERSION"), exe)
}
