//! `.dateline-cache/links.json`: each address's lasting answer and when it was
//! asked. A missing or unreadable cache is an empty one; deleting it only makes
//! the next run ask again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Outcome;

#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Cache {
    /// Address → (seconds since the epoch when asked, answer).
    links: BTreeMap<String, (u64, Outcome)>,
}

fn file(root: &Path) -> PathBuf {
    root.join(".dateline-cache").join("links.json")
}

fn seconds(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Cache {
    pub(super) fn load(root: &Path) -> Cache {
        std::fs::read(file(root))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// The answer for `url` if it was asked less than `max_age` before `now`.
    pub(super) fn fresh(&self, url: &str, now: SystemTime, max_age: Duration) -> Option<Outcome> {
        let (asked, outcome) = self.links.get(url)?;
        (seconds(now).saturating_sub(*asked) < max_age.as_secs()).then(|| outcome.clone())
    }

    /// Keeps `outcome` for `url` when it lasts; forgets `url` otherwise.
    pub(super) fn remember(&mut self, url: &str, outcome: &Outcome, now: SystemTime) {
        if outcome.lasting() {
            self.links
                .insert(url.to_string(), (seconds(now), outcome.clone()));
        } else {
            self.links.remove(url);
        }
    }

    /// Writes the cache beside a temporary copy swapped in, so a run stopped
    /// half-way leaves the previous cache whole. A cache that cannot be written
    /// costs only the next run's time, so it is not an error.
    pub(super) fn save(&self, root: &Path) {
        let path = file(root);
        let Some(dir) = path.parent() else { return };
        let Ok(bytes) = serde_json::to_vec(self) else {
            return;
        };
        let temporary = dir.join("links.json.tmp");
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&temporary, bytes))
            .and_then(|()| std::fs::rename(&temporary, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}
