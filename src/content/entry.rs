//! The entry model: what one content file says once it is validated, before it
//! is linked to the others. [`crate::content::parse`] makes these; nothing later
//! changes them.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::date::PartialDate;

/// A cited source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    /// Headline of the cited piece.
    pub title: String,
    /// Its `http(s)` address.
    pub url: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published.
    pub date: Option<PartialDate>,
    /// A copy on an archive service.
    pub archive_url: Option<String>,
    /// Whether `url` still shows the piece (Wikipedia's `url-status`).
    pub url_status: UrlStatus,
}

/// Whether a source's address still shows what was cited, as Wikipedia's
/// citations say it: a dead or usurped address sends readers to the archived copy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum UrlStatus {
    /// The address still shows the piece.
    #[default]
    Live,
    /// The piece is gone; the archived copy is the link, the original is marked.
    Dead,
    /// The address now belongs to someone else: it is not linked at all.
    Usurped,
}

impl UrlStatus {
    /// Every status by the name `url_status` takes.
    pub const NAMES: [(&'static str, UrlStatus); 3] = [
        ("live", UrlStatus::Live),
        ("dead", UrlStatus::Dead),
        ("usurped", UrlStatus::Usurped),
    ];

    /// The name `url_status` takes.
    pub fn name(self) -> &'static str {
        match self {
            UrlStatus::Live => "live",
            UrlStatus::Dead => "dead",
            UrlStatus::Usurped => "usurped",
        }
    }
}

/// A social post the entry quotes, shown as a static card: no embed script,
/// nothing loaded from the platform, and still readable once the post is gone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Post {
    /// The post's `http(s)` address; `None` for a post known only from a
    /// report that quotes it.
    pub url: Option<String>,
    /// Who posted it.
    pub author: String,
    /// The author's handle, e.g. `@Alyssa_Milano`.
    pub handle: Option<String>,
    /// Where, e.g. `Twitter`.
    pub platform: Option<String>,
    /// When, at any precision an entry's date takes.
    pub date: PartialDate,
    /// The words, plain text; line breaks are kept.
    pub text: String,
    /// A copy on an archive service.
    pub archive_url: Option<String>,
    /// An image the post carried.
    pub image: Option<Image>,
}

/// Where an entry's image comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ImageSrc {
    /// An absolute `http(s)` URL, used as is.
    Remote(String),
    /// A file copied beside the entry page, by file name.
    Local(String),
}

/// The entry's lead image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Image {
    /// Where the image is.
    pub src: ImageSrc,
    /// Text alternative; required.
    pub alt: String,
    /// Caption shown below.
    pub caption: Option<String>,
    /// Photographer or agency.
    pub credit: Option<String>,
}

/// A published correction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Correction {
    /// When it was made.
    pub date: PartialDate,
    /// What was corrected.
    pub text: String,
}

/// A value with the file line it was written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line.
    pub line: usize,
}

/// A taxonomy term as an entry writes it, with the slug of its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermName {
    /// The spelling written (`#MeToo`).
    pub name: String,
    /// The term's slug (`metoo`), computed once when the file is parsed.
    pub slug: String,
    /// 1-based line.
    pub line: usize,
}

/// A body link to another entry's file, not yet resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryLink {
    /// The destination as written, the key for rewriting it.
    pub dest: String,
    /// The target file, relative to the site root (`content/x.md`).
    pub target: PathBuf,
    /// `#fragment` to keep, without `#`.
    pub fragment: Option<String>,
    /// 1-based file line.
    pub line: usize,
}

/// A file copied into the entry's output folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    /// The file, relative to the site root.
    pub source: PathBuf,
    /// Its name in the entry's folder.
    pub name: String,
}

/// A validated entry, before linking.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// The whole file text, for excerpts in later diagnostics.
    pub text: String,
    /// Hash of `text`, computed once, for output fingerprints.
    pub text_hash: u64,
    /// First instant of `date` in the site's zone: the timeline order.
    pub start: DateTime<Utc>,
    /// First instant of `published`: feed order and held-back entries.
    pub published_at: DateTime<Utc>,
    /// Last editorial change: the latest of `published`, `updated` and corrections.
    pub edited_at: DateTime<Utc>,
    /// `date` and `end_date` as readers see them, formatted once.
    pub shown: (String, Option<String>),
    /// URL name.
    pub slug: String,
    /// Line of an explicit `slug:`.
    pub slug_line: Option<usize>,
    /// Headline, plain text.
    pub title: String,
    /// When it happened.
    pub date: PartialDate,
    /// Last day of a multi-day event.
    pub end_date: Option<PartialDate>,
    /// Plain-text summary (given, or the first paragraph cut near 200 characters,
    /// at a sentence end when one is near).
    pub summary: String,
    /// Terms per taxonomy, in the order of `Config::taxonomies`.
    pub terms: Vec<Vec<TermName>>,
    /// Cited sources.
    pub sources: Vec<Source>,
    /// Social posts quoted.
    pub posts: Vec<Post>,
    /// Explicit links to other entries, by slug.
    pub related: Vec<Located<String>>,
    /// Lead image.
    pub image: Option<Image>,
    /// When the entry went live on this site (`date` when not given).
    pub published: PartialDate,
    /// Whether the file gives `published`, rather than defaulting to `date`.
    pub published_given: bool,
    /// Last substantive update.
    pub updated: Option<PartialDate>,
    /// Published corrections.
    pub corrections: Vec<Correction>,
    /// 1 key event, 2 normal, 3 minor.
    pub importance: u8,
    /// Excluded unless `--drafts`.
    pub draft: bool,
    /// Free-form data for templates.
    pub extra: Value,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    /// Links to other entries found in the body.
    pub links: Vec<EntryLink>,
    /// Files to copy beside the page.
    pub assets: Vec<Asset>,
    /// Body link destinations that point at assets, with the asset's name.
    pub asset_links: Vec<(String, String)>,
    /// Body links from the host's root (`/entries/x/`), checked against the
    /// base path when the site is linked.
    pub rooted_links: Vec<Located<String>>,
}

impl Entry {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}
