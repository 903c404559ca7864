//! The remote's own record of what dateline published there, stored beside
//! the site as `<prefix>.dateline-deploy.json`: each key's SHA-256, stored
//! size, headers and ETag. A deploy decides by it, not by times or ETags
//! (which multipart uploads and encryption change); the ETag and size only
//! tell that an object was changed or removed by hand.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The manifest's key, after the target's prefix.
pub(super) const NAME: &str = ".dateline-deploy.json";

/// The version of the format this dateline writes and reads.
const VERSION: u32 = 1;

/// What dateline published to a target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Manifest {
    /// The format's version.
    pub dateline: u32,
    /// The site's `base_url`, for a person reading the bucket.
    pub site: String,
    /// Every object published, by key.
    pub objects: BTreeMap<String, Object>,
    /// Keys published before and no longer part of the site, still to be
    /// deleted: they are recorded before the deletes, so a deploy stopped
    /// between the two leaves nothing behind that the next one cannot find.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
}

/// One published object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Object {
    /// SHA-256 of the file as built (before compression).
    pub sha256: String,
    /// Size as stored (after compression), to notice a hand-made change.
    pub size: u64,
    pub content_type: String,
    pub cache_control: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The ETag the host answered with, to notice a hand-made change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

impl Manifest {
    /// An empty manifest for `site`.
    pub(super) fn new(site: &str) -> Manifest {
        Manifest {
            dateline: VERSION,
            site: site.to_string(),
            ..Manifest::default()
        }
    }

    /// Reads a stored manifest; `Err` says why it cannot be used.
    pub(super) fn parse(text: &str) -> Result<Manifest, String> {
        let manifest: Manifest = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if manifest.dateline > VERSION {
            return Err(format!(
                "it was written by a newer dateline (format {}); update dateline",
                manifest.dateline
            ));
        }
        Ok(manifest)
    }

    /// The manifest as JSON, compact: it is stored compressed, and a person
    /// reads it through `jq`.
    pub(super) fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// An ETag without its quotes, as listings and answers differ on them.
pub(super) fn etag(raw: &str) -> String {
    raw.trim().trim_matches('"').to_string()
}
