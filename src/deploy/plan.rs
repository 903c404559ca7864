//! What a deploy changes: the objects the build should have, compared with
//! the remote's manifest and with what the bucket really lists. Pure data in,
//! pure data out, so every rule is tested without a server.

use std::collections::{BTreeSet, HashMap};

use super::headers::{Headers, Phase};
use super::local::Build;
use super::manifest::{Manifest, Object as Recorded};

/// An object the site should have after the deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Wanted {
    /// The bucket key: the prefix and the path.
    pub key: String,
    /// The file of the build it holds.
    pub path: String,
    pub sha256: String,
    pub headers: Headers,
}

impl Wanted {
    /// Whether `recorded` is this object with these headers.
    fn matches(&self, recorded: &Recorded) -> bool {
        recorded.sha256 == self.sha256
            && recorded.content_type == self.headers.content_type
            && recorded.cache_control == self.headers.cache_control
            && recorded.encoding.is_some() == self.headers.gzip
    }
}

/// The objects the build makes: one per file, and with `folder_keys` one more
/// at each folder's key (`entries/x/`) holding its `index.html`, for a CDN in
/// front of a bucket's REST endpoint, which has no index documents.
pub(super) fn wanted(
    build: &Build,
    headers: &HashMap<String, Headers>,
    prefix: &str,
    folder_keys: bool,
) -> Vec<Wanted> {
    let mut all = Vec::with_capacity(build.files.len());
    for file in &build.files {
        let Some(h) = headers.get(&file.path) else {
            continue;
        };
        let one = |key: String| Wanted {
            key,
            path: file.path.clone(),
            sha256: file.sha256.clone(),
            headers: h.clone(),
        };
        all.push(one(format!("{prefix}{}", file.path)));
        if folder_keys {
            if let Some(folder) = file.path.strip_suffix("index.html") {
                if folder.is_empty() || folder.ends_with('/') {
                    let key = format!("{prefix}{folder}");
                    // The bucket's root is not a key: the host's index document serves it.
                    if !key.is_empty() {
                        all.push(one(key));
                    }
                }
            }
        }
    }
    all
}

/// What the bucket holds at a key, from its listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Listed {
    pub size: u64,
    pub etag: Option<String>,
}

/// Why an object is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reason {
    /// Not published before.
    New,
    /// Its bytes changed.
    Changed,
    /// Only its headers changed (a new `cache_control` rule, say).
    Headers,
    /// Changed or removed in the bucket by hand; put back.
    Repaired,
}

impl Reason {
    pub(super) fn word(self) -> &'static str {
        match self {
            Reason::New => "new",
            Reason::Changed => "changed",
            Reason::Headers => "headers",
            Reason::Repaired => "repaired",
        }
    }
}

/// The changes to make, in the order to make them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Plan {
    /// Objects to upload, sorted by phase, then key.
    pub uploads: Vec<(Wanted, Reason)>,
    /// Objects already right.
    pub unchanged: usize,
    /// Keys dateline published before that the site no longer has.
    pub deletes: Vec<String>,
    /// Objects in the bucket dateline did not publish: never touched.
    pub foreign: usize,
}

/// Compares what the build wants with the `previous` manifest and the
/// bucket's `listed` objects under the prefix.
pub(super) fn make(
    wanted: Vec<Wanted>,
    previous: &Manifest,
    listed: &HashMap<String, Listed>,
    manifest_key: &str,
) -> Plan {
    let mut plan = Plan::default();
    let keys: BTreeSet<&str> = wanted.iter().map(|w| w.key.as_str()).collect();
    for key in previous.objects.keys().chain(&previous.retired) {
        if !keys.contains(key.as_str()) && listed.contains_key(key) && !plan.deletes.contains(key) {
            plan.deletes.push(key.clone());
        }
    }
    plan.deletes.sort();
    plan.foreign = listed
        .keys()
        .filter(|k| {
            *k != manifest_key
                && !keys.contains(k.as_str())
                && !previous.objects.contains_key(*k)
                && !previous.retired.contains(k)
        })
        .count();
    for w in wanted {
        let reason = match (previous.objects.get(&w.key), listed.get(&w.key)) {
            (None, _) => Some(Reason::New),
            (Some(_), None) => Some(Reason::Repaired),
            (Some(r), Some(l))
                if l.size != r.size
                    || (l.etag.is_some() && r.etag.is_some() && l.etag != r.etag) =>
            {
                Some(Reason::Repaired)
            }
            (Some(r), Some(_)) if r.sha256 != w.sha256 => Some(Reason::Changed),
            (Some(r), Some(_)) if !w.matches(r) => Some(Reason::Headers),
            (Some(_), Some(_)) => None,
        };
        match reason {
            Some(reason) => plan.uploads.push((w, reason)),
            None => plan.unchanged += 1,
        }
    }
    plan.uploads
        .sort_by(|(a, ra), (b, rb)| (step(a, *ra), &a.key).cmp(&(step(b, *rb), &b.key)));
    plan
}

/// When an upload goes, so no page the live site links is missing at any
/// moment: assets; then new pages, which nothing published links yet (a new
/// entry may link a new tag page, and the new tag page the entry); then
/// changed entry pages, changed list pages, and the feeds.
fn step(w: &Wanted, reason: Reason) -> u8 {
    match (w.headers.phase, reason) {
        (Phase::Assets, _) => 0,
        (Phase::EntryPages | Phase::ListPages, Reason::New) => 1,
        (Phase::EntryPages, _) => 2,
        (Phase::ListPages, _) => 3,
        (Phase::Feeds, _) => 4,
    }
}

/// The uploads in the order of [`step`], a group per step: each group is
/// done before the next starts.
pub(super) fn steps(plan: &Plan) -> Vec<Vec<&(Wanted, Reason)>> {
    let mut groups: Vec<Vec<&(Wanted, Reason)>> = Vec::new();
    let mut last = None;
    for upload in &plan.uploads {
        let this = step(&upload.0, upload.1);
        if last != Some(this) {
            groups.push(Vec::new());
            last = Some(this);
        }
        if let Some(group) = groups.last_mut() {
            group.push(upload);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(key: &str, sha: &str) -> Wanted {
        Wanted {
            key: key.into(),
            path: key.into(),
            sha256: sha.into(),
            headers: Headers {
                content_type: "text/html; charset=utf-8",
                cache_control: "short".into(),
                gzip: false,
                phase: if key.starts_with("entries/") {
                    Phase::EntryPages
                } else {
                    Phase::ListPages
                },
            },
        }
    }

    fn recorded(sha: &str, size: u64, etag: &str) -> Recorded {
        Recorded {
            sha256: sha.into(),
            size,
            content_type: "text/html; charset=utf-8".into(),
            cache_control: "short".into(),
            encoding: None,
            etag: Some(etag.into()),
        }
    }

    fn listed(size: u64, etag: &str) -> Listed {
        Listed {
            size,
            etag: Some(etag.into()),
        }
    }

    #[test]
    fn only_what_differs_is_uploaded_and_only_ours_is_deleted() {
        let mut previous = Manifest::new("https://x/");
        for (key, sha) in [
            ("index.html", "1"),
            ("entries/a/index.html", "2"),
            ("entries/b/index.html", "3"),
            ("entries/c/index.html", "4"),
            ("gone.html", "5"),
        ] {
            previous.objects.insert(key.into(), recorded(sha, 10, sha));
        }
        let mut bucket: HashMap<String, Listed> = previous
            .objects
            .iter()
            .map(|(k, r)| (k.clone(), listed(10, r.etag.as_deref().unwrap())))
            .collect();
        bucket.insert("someone-elses.pdf".into(), listed(1, "x"));
        bucket.remove("entries/b/index.html"); // removed by hand
        bucket.insert("entries/c/index.html".into(), listed(10, "edited")); // changed by hand
        let want = vec![
            wanted("index.html", "1"),
            wanted("entries/a/index.html", "2-edited"),
            wanted("entries/b/index.html", "3"),
            wanted("entries/c/index.html", "4"),
            wanted("entries/new/index.html", "6"),
        ];
        let plan = make(want, &previous, &bucket, ".dateline-deploy.json");
        let got: Vec<(&str, Reason)> = plan
            .uploads
            .iter()
            .map(|(w, r)| (w.key.as_str(), *r))
            .collect();
        // The new page first: nothing published links it yet.
        assert_eq!(
            got,
            [
                ("entries/new/index.html", Reason::New),
                ("entries/a/index.html", Reason::Changed),
                ("entries/b/index.html", Reason::Repaired),
                ("entries/c/index.html", Reason::Repaired),
            ]
        );
        assert_eq!(
            steps(&plan).iter().map(Vec::len).collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.deletes, ["gone.html"]);
        assert_eq!(plan.foreign, 1);
    }

    #[test]
    fn a_new_header_rule_reuploads_and_retired_keys_are_deleted() {
        let mut previous = Manifest::new("https://x/");
        previous
            .objects
            .insert("index.html".into(), recorded("1", 10, "e"));
        previous.retired.push("old.html".into());
        let bucket = HashMap::from([
            ("index.html".to_string(), listed(10, "e")),
            ("old.html".to_string(), listed(3, "o")),
        ]);
        let mut w = wanted("index.html", "1");
        w.headers.cache_control = "longer".into();
        let plan = make(vec![w], &previous, &bucket, ".dateline-deploy.json");
        assert_eq!(plan.uploads[0].1, Reason::Headers);
        assert_eq!(plan.deletes, ["old.html"]);
        assert_eq!(plan.foreign, 0);
    }
}
