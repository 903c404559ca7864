//! The asset policy: which files beside an entry may be published with it, and
//! under what name. An entry references a file through `image.src` or a relative
//! Markdown link or image; the file must exist under `content/`, must not be able
//! to run script from the site's own address, and takes its file name in the
//! entry's folder, so two different files may not share a name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::display_path;

/// Asset types that can run script when opened from the site's own address.
const SCRIPT_CAPABLE: &[&str] = &[
    "html", "htm", "xhtml", "xht", "svg", "svgz", "js", "mjs", "xml", "xsl", "xslt",
];

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
        let extension = resolved
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if !self.allow_raw_html && SCRIPT_CAPABLE.contains(&extension.as_str()) {
            return refuse(
                format!("`{name}` could run script from the site's own address, so it is not published"),
                "publish it elsewhere and link to it, convert it (an SVG chart to PNG), or set `allow_raw_html: true` if every contributor is trusted",
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
