//! What a host is told of each published file: its `Content-Type` (from
//! dateline's own table), its `Cache-Control` (by class, overridable in
//! `site.yaml`), whether it is stored gzip-compressed, and the phase it is
//! uploaded in, so a reader never gets a page that links one not there yet.

use std::collections::HashMap;

use super::local::File;
use crate::site::config::Target;

/// The class of a file that decides when it is uploaded (`plan::steps`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Phase {
    /// Images, style sheets, scripts, files: what pages link.
    Assets,
    /// `entries/**`: what the lists link.
    EntryPages,
    /// The timeline, archives, term pages, sources, key, 404.
    ListPages,
    /// Feeds, sitemap, `timeline.json` and the search files: they announce
    /// entries, so they go once the entries are there.
    Feeds,
}

/// A file's headers as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Headers {
    pub content_type: &'static str,
    pub cache_control: String,
    /// Whether the stored bytes are gzip-compressed (`Content-Encoding: gzip`).
    pub gzip: bool,
    pub phase: Phase,
}

/// Files that announce or index the site, wherever they are (term feeds too).
fn is_feed(name: &str) -> bool {
    matches!(
        name,
        "feed.xml" | "feed.json" | "sitemap.xml" | "search-index.json" | "timeline.json"
    )
}

/// A chunk of the search index (`search/w.0123456789.bin`): named by a hash of
/// its bytes, so it can be cached for good; only `search/index.json`, which
/// names the chunks, changes in place.
fn is_search_chunk(path: &str) -> bool {
    path.strip_prefix("search/")
        .and_then(|name| name.split('.').nth(1))
        .is_some_and(|hash| hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The headers of every file of the build, by path.
pub(super) fn of_all(files: &[File], target: &Target) -> HashMap<String, Headers> {
    let by_path: HashMap<&str, &File> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    files
        .iter()
        .map(|file| {
            let hashed = unhashed_name(&file.path)
                .and_then(|plain| by_path.get(plain.as_str()))
                .is_some_and(|plain| plain.sha256 == file.sha256);
            (file.path.clone(), of(&file.path, hashed, target))
        })
        .collect()
}

/// The headers of the file at `path`; `hashed` when its name carries its
/// content's hash, so it can be cached for good.
fn of(path: &str, hashed: bool, target: &Target) -> Headers {
    let name = path.rsplit('/').next().unwrap_or(path);
    let content_type = crate::media::content_type(path);
    let rules = &target.cache_control;
    let html = name.ends_with(".html");
    let (cache_control, phase) = if is_feed(name) || path == "search/index.json" {
        (&rules.feeds, Phase::Feeds)
    } else if is_search_chunk(path) {
        // Before the table that names them, like any asset.
        (&rules.hashed, Phase::Assets)
    } else if html && path.starts_with("entries/") {
        (&rules.pages, Phase::EntryPages)
    } else if html {
        (&rules.pages, Phase::ListPages)
    } else if hashed {
        (&rules.hashed, Phase::Assets)
    } else {
        (&rules.assets, Phase::Assets)
    };
    Headers {
        content_type,
        cache_control: cache_control.clone(),
        // The search's binary chunks shrink by a fifth; other binary files are
        // compressed already.
        gzip: target.gzip && (compressible(content_type) || is_search_chunk(path)),
        phase,
    }
}

/// Text types gain from gzip; images, audio, video and archives are already
/// compressed.
fn compressible(content_type: &str) -> bool {
    content_type.contains("charset=utf-8") || content_type == "image/svg+xml"
}

/// `dateline.css` for `dateline.3f9a2c01be.css`: the name without a ten-digit
/// hex part before its extension, when it has one.
fn unhashed_name(path: &str) -> Option<String> {
    let (folder, name) = path.rsplit_once('/').map_or(("", path), |(f, n)| (f, n));
    let (rest, extension) = name.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    let is_hash = hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_hash || stem.is_empty() {
        return None;
    }
    Some(if folder.is_empty() {
        format!("{stem}.{extension}")
    } else {
        format!("{folder}/{stem}.{extension}")
    })
}

/// Gzip of `bytes`, the same bytes for the same input (no time, no name), so
/// a rebuild does not look like a change.
pub(super) fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::best(),
    );
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// The text of a stored object that may be gzip-compressed: HTTP clients
/// differ on whether they undo a `Content-Encoding`, so both are taken.
pub(super) fn gunzip(stored: &[u8]) -> String {
    use std::io::Read;
    if !stored.starts_with(&[0x1f, 0x8b]) {
        return String::from_utf8_lossy(stored).into_owned();
    }
    let mut text = String::new();
    match flate2::read::GzDecoder::new(stored).read_to_string(&mut text) {
        Ok(_) => text,
        // Not JSON either way: the manifest's reader says so.
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::config::Remote;

    fn target(gzip: bool) -> Target {
        Target {
            name: "production".into(),
            line: 1,
            remote: Remote::Git {
                remote: "x".into(),
                branch: "y".into(),
            },
            gzip,
            folder_keys: false,
            cache_control: Default::default(),
        }
    }

    fn file(path: &str, sha: &str) -> File {
        File {
            path: path.into(),
            size: 1,
            sha256: sha.into(),
        }
    }

    #[test]
    fn each_class_has_its_phase_and_caching() {
        let files = [
            file("dateline.css", "a"),
            file("dateline.0123456789.css", "a"),
            file("img/x.0123456789.png", "b"),
            file("entries/x/index.html", "c"),
            file("index.html", "d"),
            file("tags/a/feed.xml", "e"),
            file("search-index.json", "f"),
            file("search/index.json", "g"),
            file("search/w.0123456789.bin", "h"),
            file("search/d.0123456789.json", "i"),
        ];
        let all = of_all(&files, &target(true));
        let rules = target(true).cache_control;
        assert_eq!(all["dateline.0123456789.css"].cache_control, rules.hashed);
        assert_eq!(all["dateline.css"].cache_control, rules.assets);
        // A hash-like name without a twin of the same bytes is not immutable.
        assert_eq!(all["img/x.0123456789.png"].cache_control, rules.assets);
        assert_eq!(all["entries/x/index.html"].phase, Phase::EntryPages);
        assert_eq!(all["index.html"].phase, Phase::ListPages);
        assert_eq!(all["tags/a/feed.xml"].phase, Phase::Feeds);
        assert_eq!(
            all["tags/a/feed.xml"].content_type,
            "application/atom+xml; charset=utf-8"
        );
        assert!(all["search-index.json"].gzip);
        // The search's chunks are named by their bytes; its table is not.
        assert_eq!(all["search/index.json"].cache_control, rules.feeds);
        assert_eq!(all["search/index.json"].phase, Phase::Feeds);
        for chunk in ["search/w.0123456789.bin", "search/d.0123456789.json"] {
            assert_eq!(all[chunk].cache_control, rules.hashed, "{chunk}");
            assert_eq!(all[chunk].phase, Phase::Assets, "{chunk}: before the table");
            assert!(all[chunk].gzip, "{chunk}");
        }
        assert!(!all["img/x.0123456789.png"].gzip);
        assert!(!of_all(&files, &target(false))["index.html"].gzip);
    }

    #[test]
    fn gzip_is_deterministic_and_reads_back() {
        use std::io::Read;
        let text = "a timeline ".repeat(100);
        assert_eq!(gzip(text.as_bytes()), gzip(text.as_bytes()));
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gzip(text.as_bytes())[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        assert_eq!(gunzip(&gzip(text.as_bytes())), text);
        assert_eq!(gunzip(text.as_bytes()), text);
    }

    #[test]
    fn hashed_names_are_recognised() {
        assert_eq!(
            unhashed_name("a/b.0123456789.css").as_deref(),
            Some("a/b.css")
        );
        assert_eq!(unhashed_name("b.012345678.css"), None);
        assert_eq!(unhashed_name("b.css"), None);
    }
}
