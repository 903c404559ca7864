//! The asset policy: which files beside an entry may be published with it, and
//! under what name. An entry references a file through `image.src` or a relative
//! Markdown link or image; the file must exist under `content/`, must not be able
//! to run script from the site's own address, and takes its file name in the
//! entry's folder, so two different files may not share a name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::display_path;

/// The types of file published beside an entry: ones no browser runs script
/// from when opened at the site's own address, whatever host serves them.
/// Anything else (HTML in any of its spellings, SVG, XML, feeds, server pages,
/// scripts, unknown types) is refused unless the site trusts its contributors
/// with raw HTML (`allow_raw_html: true`).
pub(crate) const PUBLISHED_TYPES: &[&str] = &[
    // Images.
    "jpg", "jpeg", "png", "gif", "webp", "avif", // Audio and video.
    "mp3", "m4a", "aac", "oga", "ogg", "opus", "wav", "flac", "mp4", "m4v", "webm", "ogv", "mov",
    // Documents and data.
    "pdf", "txt", "csv", "tsv", "json", "vtt", "srt", "zip", "docx", "xlsx", "pptx", "odt", "ods",
    "odp", "epub",
];

/// Extensions that make a host run or render a file as a page, in any part of
/// its name: Apache reads `report.php.pdf` as PHP and `x.html.jpg` as HTML.
const SCRIPT_CAPABLE: &[&str] = &[
    "html", "htm", "shtml", "shtm", "xhtml", "xht", "svg", "svgz", "js", "mjs", "xml", "xsl",
    "xslt", "mml", "rss", "atom", "rdf", "php", "phtml", "php3", "php4", "php5", "phar", "asp",
    "aspx", "jsp", "cgi", "pl", "py", "swf",
];

/// Why `name` may not be published beside an entry, or `None` when it may.
fn unpublishable(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(['.', ' ']) {
        return Some(format!(
            "`{name}` ends with `{}`, which some hosts drop, serving it as another type",
            &name[name.len() - 1..]
        ));
    }
    let mut parts = lower.split('.');
    parts.next();
    let extensions: Vec<&str> = parts.collect();
    let Some(last) = extensions.last() else {
        return Some(format!("`{name}` has no extension, so its type is unknown"));
    };
    if let Some(risky) = extensions.iter().find(|e| SCRIPT_CAPABLE.contains(e)) {
        return Some(format!(
            "`{name}` could run script from the site's own address (`.{risky}`)"
        ));
    }
    (!PUBLISHED_TYPES.contains(last))
        .then(|| format!("`.{last}` files are not among the types dateline publishes"))
}

/// Why a reference to a file is refused: the message and its fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: &'static str,
}

/// The files one entry references, checked as they are found.
#[derive(Debug)]
pub(crate) struct References<'a> {
    /// The entry file, relative to the site root.
    entry: &'a Path,
    /// Every non-Markdown file under `content/`.
    available: &'a BTreeSet<PathBuf>,
    /// Whether the site trusts its contributors with raw HTML (and HTML files).
    allow_raw_html: bool,
    /// Name in the entry's folder → file, relative to the site root.
    files: BTreeMap<String, PathBuf>,
}

impl<'a> References<'a> {
    /// No references yet for the entry at `entry`.
    pub(crate) fn new(
        entry: &'a Path,
        available: &'a BTreeSet<PathBuf>,
        allow_raw_html: bool,
    ) -> Self {
        References {
            entry,
            available,
            allow_raw_html,
            files: BTreeMap::new(),
        }
    }

    /// Checks a reference to `rel` (as written: `written`) and records it;
    /// returns the file's name in the entry's folder.
    pub(crate) fn add(&mut self, written: &str, rel: &str) -> Result<String, Refusal> {
        let refuse = |message: String, help: &'static str| Err(Refusal { message, help });
        let Some(resolved) = resolve(self.entry, rel) else {
            return refuse(
                format!("`{written}` points outside `content/`"),
                "keep images and files inside `content/`, next to the entry",
            );
        };
        if !self.available.contains(&resolved) {
            return refuse(
                format!("file `{}` does not exist", display_path(&resolved)),
                "check the file name, or add the file next to the entry",
            );
        }
        let name = resolved
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "index.html" {
            return refuse(
                "a file named `index.html` would replace the entry's own page".into(),
                "rename the file",
            );
        }
        if let Some(why) = unpublishable(&name).filter(|_| !self.allow_raw_html) {
            return refuse(
                format!("{why}, so it is not published"),
                "publish images, audio, video, PDFs or plain text and data (see the README's list), or link to the file elsewhere, or set `allow_raw_html: true` if every contributor is trusted",
            );
        }
        match self.files.get(&name) {
            Some(other) if *other != resolved => refuse(
                format!(
                    "two different files named `{name}` are referenced (the other is `{}`)",
                    display_path(other)
                ),
                "rename one of them; an entry's files share one folder",
            ),
            _ => {
                self.files.insert(name.clone(), resolved);
                Ok(name)
            }
        }
    }

    /// Every file referenced, as (file relative to the root, name in the entry's
    /// folder), sorted by name.
    pub(crate) fn into_files(self) -> impl Iterator<Item = (PathBuf, String)> {
        self.files.into_iter().map(|(name, source)| (source, name))
    }
}

/// Resolves `rel` against the folder of the entry at `entry` (both relative to the
/// site root); `None` when it leaves `content/`.
pub(crate) fn resolve(entry: &Path, rel: &str) -> Option<PathBuf> {
    let mut parts: Vec<Component<'_>> = entry.parent()?.components().collect();
    let floor = 1; // `content`
    for part in Path::new(rel).components() {
        match part {
            Component::ParentDir => {
                if parts.len() <= floor {
                    return None;
                }
                parts.pop();
            }
            Component::Normal(_) => parts.push(part),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_stays_inside_content() {
        assert_eq!(
            resolve(Path::new("content/a/b.md"), "../c.md"),
            Some(PathBuf::from("content/c.md"))
        );
        assert_eq!(
            resolve(Path::new("content/a.md"), "./x/./y.md"),
            Some(PathBuf::from("content/x/y.md"))
        );
        assert_eq!(resolve(Path::new("content/a.md"), "../x.md"), None);
        assert_eq!(resolve(Path::new("content/a.md"), "/etc/x.md"), None);
    }

    #[test]
    fn only_types_that_cannot_run_script_are_published() {
        for good in [
            "photo.JPG",
            "clip.mp4",
            "report.final.pdf",
            "data.csv",
            "a.b.c.png",
        ] {
            assert_eq!(unpublishable(good), None, "{good}");
        }
        for bad in [
            "f.shtml",
            "x.xhtm",
            "m.mml",
            "feed.rss",
            "feed.atom",
            "d.rdf",
            "p.php",
            "p.phtml",
            "a.asp",
            "g.html.",
            "g.HTML",
            "x.html.jpg",
            "report.php.pdf",
            "notes",
            "run.exe",
            "chart.svg",
            "x.jpg ",
        ] {
            assert!(unpublishable(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn two_files_may_not_share_a_name() {
        let available: BTreeSet<PathBuf> = ["content/a/p.jpg", "content/b/p.jpg"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let mut refs = References::new(Path::new("content/x.md"), &available, false);
        assert_eq!(refs.add("a/p.jpg", "a/p.jpg"), Ok("p.jpg".into()));
        assert_eq!(refs.add("./a/p.jpg", "./a/p.jpg"), Ok("p.jpg".into()));
        let clash = refs.add("b/p.jpg", "b/p.jpg").expect_err("same name");
        assert!(clash.message.contains("two different files"), "{clash:?}");
    }
}
