//! The tree of the new commit, worked out from the branch's last tree, the
//! list of paths the last deploy published, and the build's blobs. Pure data
//! in, pure data out, so every rule is tested without git.

use std::collections::{BTreeMap, BTreeSet};

use super::super::plan::Reason;

/// The branch's record of the paths dateline published there.
pub(super) const LISTING: &str = ".dateline-deploy";

/// Tells GitHub Pages not to run Jekyll, which drops folders starting with `_`.
pub(super) const NOJEKYLL: &str = ".nojekyll";

/// The mode of a plain file.
pub(super) const FILE: &str = "100644";

/// One entry of a tree as `ls-tree -r` lists it: a blob, or a submodule's commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub mode: String,
    pub object: String,
}

/// A whole tree, by `/`-separated path.
pub(super) type Tree = BTreeMap<String, Entry>;

/// Reads `git ls-tree -r -z` output: `<mode> <type> <object>\t<path>\0`.
pub(super) fn parse_ls_tree(text: &str) -> Tree {
    text.split('\0')
        .filter_map(|record| {
            let (head, path) = record.split_once('\t')?;
            let mut fields = head.split(' ');
            let (mode, _kind, object) = (fields.next()?, fields.next()?, fields.next()?);
            Some((
                path.to_string(),
                Entry {
                    mode: mode.into(),
                    object: object.into(),
                },
            ))
        })
        .collect()
}

/// The paths a [`LISTING`] names.
pub(super) fn parse_listing(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The text of a [`LISTING`] of `paths`.
pub(super) fn listing<'a>(paths: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::from(
        "# Written by `dateline deploy`: the files it published here, one a line.\n\
         # It deletes only these when they leave the site; files not listed are kept.\n",
    );
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// What the new commit changes.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Change {
    /// The new tree, without dateline's own [`LISTING`] and [`NOJEKYLL`].
    pub tree: Tree,
    /// Files of the build that are new or changed, by path.
    pub uploads: Vec<(String, Reason)>,
    /// Files of the build already on the branch as they are.
    pub unchanged: usize,
    /// Paths the last deploy published that the build no longer has.
    pub deletes: Vec<String>,
    /// Files dateline did not publish that had to go: a file where the build
    /// needs a folder, or the reverse.
    pub displaced: Vec<String>,
}

/// The change from the branch's `parent` tree, whose `published` paths
/// dateline wrote, to one holding the `build`'s blobs (path, object), sorted.
pub(super) fn plan(
    parent: &Tree,
    published: &BTreeSet<String>,
    build: &[(String, String)],
) -> Change {
    let mut change = Change::default();
    let paths: BTreeSet<&str> = build.iter().map(|(p, _)| p.as_str()).collect();
    let dirs: BTreeSet<&str> = paths.iter().flat_map(|p| folders(p)).collect();
    for (path, entry) in parent {
        if path == LISTING || published.contains(path) || paths.contains(path.as_str()) {
            continue;
        }
        if dirs.contains(path.as_str()) || folders(path).any(|f| paths.contains(f)) {
            change.displaced.push(path.clone());
        } else {
            change.tree.insert(path.clone(), entry.clone());
        }
    }
    change.deletes = published
        .iter()
        .filter(|p| !paths.contains(p.as_str()) && parent.contains_key(*p))
        .cloned()
        .collect();
    for (path, object) in build {
        match parent.get(path) {
            Some(old) if old.object == *object && old.mode == FILE => change.unchanged += 1,
            Some(_) => change.uploads.push((path.clone(), Reason::Changed)),
            None => change.uploads.push((path.clone(), Reason::New)),
        }
        let entry = Entry {
            mode: FILE.into(),
            object: object.clone(),
        };
        change.tree.insert(path.clone(), entry);
    }
    change
}

/// The folders above `path`: `a/b/c` → `a`, `a/b`.
fn folders(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// `tree` as `update-index -z --index-info` reads it.
pub(super) fn index_info(tree: &Tree) -> Vec<u8> {
    let mut info = Vec::new();
    for (path, entry) in tree {
        info.extend_from_slice(format!("{} {}\t{path}\0", entry.mode, entry.object).as_bytes());
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(object: &str) -> Entry {
        Entry {
            mode: FILE.into(),
            object: object.into(),
        }
    }

    fn files(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(p, o)| (p.to_string(), o.to_string()))
            .collect()
    }

    #[test]
    fn ls_tree_records_are_read_whatever_their_paths_hold() {
        let text = "100644 blob aaa\tindex.html\x00160000 commit bbb\tvendor/lib\x00100644 blob ccc\ta b\tc.html\x00";
        let tree = parse_ls_tree(text);
        assert_eq!(tree["index.html"], blob("aaa"));
        assert_eq!(tree["vendor/lib"].mode, "160000");
        assert_eq!(tree["a b\tc.html"], blob("ccc"));
        assert_eq!(tree.len(), 3);
    }

    #[test]
    fn a_listing_reads_back_as_written() {
        let text = listing(["index.html", "entries/x/index.html"].into_iter());
        let paths: Vec<String> = parse_listing(&text).into_iter().collect();
        assert_eq!(paths, ["entries/x/index.html", "index.html"]);
    }

    #[test]
    fn only_what_dateline_published_is_deleted_and_foreign_files_are_kept() {
        let parent: Tree = [
            ("index.html", "1"),
            ("entries/a/index.html", "2"),
            ("entries/gone/index.html", "3"),
            ("CNAME", "4"),
            (LISTING, "5"),
            (NOJEKYLL, "6"),
        ]
        .into_iter()
        .map(|(p, o)| (p.to_string(), blob(o)))
        .collect();
        let published = parse_listing(&listing(
            [
                "index.html",
                "entries/a/index.html",
                "entries/gone/index.html",
                "entries/vanished/index.html",
            ]
            .into_iter(),
        ));
        let build = files(&[
            ("entries/a/index.html", "2-new"),
            ("entries/b/index.html", "7"),
            ("index.html", "1"),
        ]);
        let change = plan(&parent, &published, &build);
        assert_eq!(
            change.uploads,
            [
                ("entries/a/index.html".to_string(), Reason::Changed),
                ("entries/b/index.html".to_string(), Reason::New)
            ]
        );
        assert_eq!(change.unchanged, 1);
        // Removed by hand already: nothing to delete.
        assert_eq!(change.deletes, ["entries/gone/index.html"]);
        let paths: Vec<&str> = change.tree.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                NOJEKYLL,
                "CNAME",
                "entries/a/index.html",
                "entries/b/index.html",
                "index.html"
            ]
        );
        assert_eq!(change.tree["entries/a/index.html"], blob("2-new"));
        assert!(change.displaced.is_empty());
    }

    #[test]
    fn a_branch_no_deploy_wrote_keeps_everything_and_a_file_in_the_way_goes() {
        let parent: Tree = [
            ("README.md", "1"),
            ("entries", "2"),
            ("index.html/old", "3"),
            ("index.html.bak", "4"),
        ]
        .into_iter()
        .map(|(p, o)| (p.to_string(), blob(o)))
        .collect();
        let build = files(&[("entries/x/index.html", "8"), ("index.html", "9")]);
        let change = plan(&parent, &BTreeSet::new(), &build);
        assert!(change.deletes.is_empty());
        assert_eq!(change.displaced, ["entries", "index.html/old"]);
        let paths: Vec<&str> = change.tree.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "README.md",
                "entries/x/index.html",
                "index.html",
                "index.html.bak"
            ]
        );
    }

    #[test]
    fn the_index_info_names_each_path_once_nul_terminated() {
        let tree: Tree = [("a b.html".to_string(), blob("abc"))]
            .into_iter()
            .collect();
        assert_eq!(index_info(&tree), b"100644 abc\ta b.html\0");
    }
}
