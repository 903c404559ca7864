//! The new commit, made in the cache: the build's files hashed into blobs,
//! the tree written through a temporary index, never a checkout, and the
//! commit with the user's identity.

use std::fs;

use super::super::fail;
use super::super::local::Build;
use super::command::{absolute, Git};
use super::tree::{self, Change, Entry, Tree, FILE, LISTING, NOJEKYLL};
use crate::diagnostic::display_path;
use crate::error::Error;
use crate::output::Stamp;

/// Writes each file of the build into the cache as a blob: (path, object).
pub(super) fn hash_build(git: &Git<'_>, build: &Build) -> Result<Vec<(String, String)>, Error> {
    // Never the build's own bookkeeping, whatever the manifest lists.
    let paths: Vec<&str> = build
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| !p.starts_with(".dateline-"))
        .collect();
    let input = paths.iter().map(|p| format!("{p}\n")).collect::<String>();
    let folder = absolute(&build.folder);
    let hashes = git.in_folder(&folder).run(
        &["hash-object", "-w", "--no-filters", "--stdin-paths"],
        input.as_bytes(),
    )?;
    let hashes: Vec<&str> = hashes.lines().collect();
    if hashes.len() != paths.len() {
        return Err(fail(
            git.target,
            format!(
                "git hashed {} of the {} files of `{}`",
                hashes.len(),
                paths.len(),
                display_path(&build.folder)
            ),
            "run `dateline build`, then deploy again",
        ));
    }
    Ok(paths
        .into_iter()
        .map(String::from)
        .zip(hashes.into_iter().map(String::from))
        .collect())
}

/// Writes `tree` with dateline's own files, the [`LISTING`] of the build's
/// `paths` and a [`NOJEKYLL`], into the cache: the tree's object.
pub(super) fn write_tree<'p>(
    git: &Git<'_>,
    mut tree: Tree,
    paths: impl Iterator<Item = &'p str>,
) -> Result<String, Error> {
    let listing = tree::listing(paths);
    tree.insert(
        LISTING.to_string(),
        Entry {
            mode: FILE.into(),
            object: blob(git, listing.as_bytes())?,
        },
    );
    if !tree.contains_key(NOJEKYLL) {
        tree.insert(
            NOJEKYLL.to_string(),
            Entry {
                mode: FILE.into(),
                object: blob(git, b"")?,
            },
        );
    }
    write_index(git, tree)
}

/// Stores `bytes` as a blob: its object.
fn blob(git: &Git<'_>, bytes: &[u8]) -> Result<String, Error> {
    Ok(git
        .run(&["hash-object", "-w", "--stdin"], bytes)?
        .trim()
        .to_string())
}

/// Writes `tree` through a temporary index, never a checkout: its object.
fn write_index(git: &Git<'_>, tree: Tree) -> Result<String, Error> {
    // One per process, so two deploys of the same target cannot mix their files.
    let index = git
        .git_dir
        .join(format!("dateline-index-{}", std::process::id()));
    let _ = fs::remove_file(&index);
    let with_index = git.with("GIT_INDEX_FILE", index.clone().into_os_string());
    let written = with_index
        .run(
            &["update-index", "-z", "--index-info"],
            &tree::index_info(&tree),
        )
        .and_then(|_| with_index.run(&["write-tree"], b""));
    let _ = fs::remove_file(&index);
    Ok(written?.trim().to_string())
}

/// The new commit of `tree` on `parent`: its hash.
pub(super) fn commit(
    git: &Git<'_>,
    tree: &str,
    parent: Option<&str>,
    message: &str,
) -> Result<String, Error> {
    let (settings, git) = identified(git)?;
    let mut args: Vec<&str> = settings.iter().flat_map(|s| ["-c", s.as_str()]).collect();
    args.extend(["commit-tree", tree, "-F", "-"]);
    if let Some(parent) = parent {
        args.extend(["-p", parent]);
    }
    Ok(git.run(&args, message.as_bytes())?.trim().to_string())
}

/// `git` with an author and committer. The user's `user.name` and
/// `user.email` as seen from the site root are passed on as settings (the
/// cache repository cannot see the site repository's own), so the
/// environment and `author.*` still come first; without them (a CI runner)
/// `dateline <dateline@localhost>`, for each variable the environment does
/// not already set.
fn identified<'a>(git: &Git<'a>) -> Result<(Vec<String>, Git<'a>), Error> {
    let mut settings = Vec::new();
    let mut git = git.clone();
    for (key, names, fallback) in [
        (
            "user.name",
            ["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"],
            "dateline",
        ),
        (
            "user.email",
            ["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"],
            "dateline@localhost",
        ),
    ] {
        match git.config(key)? {
            Some(value) => settings.push(format!("{key}={value}")),
            None => {
                for name in names.into_iter().filter(|n| std::env::var_os(n).is_none()) {
                    git = git.with(name, fallback);
                }
            }
        }
    }
    Ok((settings, git))
}

/// The commit message: what changed, and for which site.
pub(super) fn message(change: &Change, build: &Build) -> String {
    let mut text = format!(
        "dateline deploy: {} changed, {} deleted\n",
        change.uploads.len(),
        change.deletes.len()
    );
    if let Some(stamp) = Stamp::read(&build.folder).filter(|s| !s.site.is_empty()) {
        text.push_str(&format!("\nSite: {}\n", stamp.site));
    }
    text
}
