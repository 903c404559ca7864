//! Publishing to a branch of a git repository (GitHub or Codeberg Pages).
//!
//! Each deploy is one new commit on the branch whose parent is the branch's
//! last commit on the remote, so the history shows every deploy and a bad one
//! is undone with `git revert`. The work happens in a bare cache repository,
//! `<root>/.dateline-cache/deploy/<target>.git`: the branch is fetched into
//! it (its last commit only), the build's files are hashed into it (git keeps
//! one blob per content, so unchanged files cost nothing to send), and the
//! tree is written through a temporary index, never a checkout. Only the
//! build's listed files are published (not its `.dateline-output` marker or
//! `.dateline-manifest`), with an empty `.nojekyll` so that GitHub Pages does
//! not drop folders starting with `_`. The commit is pushed with plain `git
//! push`, never forced: if someone pushed meanwhile, the push is refused and
//! nothing changes.
//!
//! Files someone else put on the branch (a `CNAME` committed through GitHub's
//! web page, say) are never deleted: the branch holds a `.dateline-deploy`
//! file listing the paths dateline published, and a deploy deletes only
//! listed paths the build no longer has. Every other file of the last tree is
//! carried into the new one, unless the build needs its path (the build's
//! file wins) or needs a folder where it is (it goes, with a warning). A
//! branch that no dateline deploy wrote yet has no listing, so all its files
//! are kept: remove what is no longer wanted with a commit of your own.

mod command;
mod objects;
mod remote;
mod tree;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use self::command::{absolute, Git};
use self::objects::{commit, hash_build, message, write_tree};
use self::remote::{fetch, push};
use self::tree::Change;
use super::local::Build;
use super::{fail, DeployOptions, DeployReport};
use crate::error::Error;
use crate::site::config::Target;

/// The branch to publish to, and the local cache repository to work in.
pub(super) struct Place<'a> {
    /// The remote as git takes it.
    pub remote: &'a str,
    /// The branch.
    pub branch: &'a str,
    /// Folder of the cache repositories, `<root>/.dateline-cache/deploy`.
    pub cache: &'a Path,
}

impl Place<'_> {
    /// `remote#branch`, as messages and the report name it.
    fn shown(&self) -> String {
        format!("{}#{}", self.remote, self.branch)
    }

    /// The ref of the cache repository the branch is fetched into.
    fn fetched(&self) -> String {
        format!("refs/dateline/{}", self.branch)
    }
}

pub(super) fn deploy(
    target: &Target,
    place: &Place<'_>,
    build: &Build,
    options: &DeployOptions,
) -> Result<DeployReport, Error> {
    let git = open(target, place, &options.root)?;
    let previous = fetch(&git, place)?;
    let objects = hash_build(&git, build)?;
    let change = tree::plan(&previous.tree, &previous.published, &objects);
    let mut report = report(target, place, build, &change);
    report.warnings.extend(displaced(&change, place));
    if options.dry_run {
        report.dry_run = true;
        report.plan = plan_lines(&change);
        if change.deletes.len() > options.max_deletes {
            report.warnings.push(format!(
                "without `--dry-run` this deploy would stop: it deletes {} files, more than `--max-deletes {}` allows",
                change.deletes.len(),
                options.max_deletes
            ));
        }
        return Ok(report);
    }
    if change.deletes.len() > options.max_deletes {
        return Err(too_many_deletes(target, &change, place, options));
    }
    let tree = write_tree(
        &git,
        change.tree.clone(),
        objects.iter().map(|(p, _)| p.as_str()),
    )?;
    if let Some(parent) = &previous.commit {
        if git
            .run(&["rev-parse", &format!("{parent}^{{tree}}")], b"")?
            .trim()
            == tree
        {
            return Ok(report);
        }
    }
    let message = message(&change, build);
    let commit = commit(&git, &tree, previous.commit.as_deref(), &message)?;
    push(&git, place, &commit)?;
    report.commit = Some(commit);
    Ok(report)
}

/// The target's cache repository, made on its first deploy.
fn open<'a>(target: &'a Target, place: &Place<'_>, root: &Path) -> Result<Git<'a>, Error> {
    let cache = absolute(place.cache);
    let git = Git {
        target,
        git_dir: cache.join(format!("{}.git", target.name)),
        cwd: absolute(root),
        env: Vec::new(),
    };
    if !git.git_dir.join("HEAD").is_file() {
        fs::create_dir_all(&cache).map_err(Error::io("create", &cache))?;
        git.run(&["init", "--bare", "-q"], b"")?;
    }
    Ok(git)
}

/// The summary of `change`, as if it were carried out.
fn report(target: &Target, place: &Place<'_>, build: &Build, change: &Change) -> DeployReport {
    let sizes: HashMap<&str, u64> = build
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.size))
        .collect();
    DeployReport {
        target: target.name.clone(),
        remote: place.shown(),
        uploaded: change.uploads.len(),
        unchanged: change.unchanged,
        deleted: change.deletes.len(),
        bytes: change
            .uploads
            .iter()
            .filter_map(|(p, _)| sizes.get(p.as_str()))
            .sum(),
        ..DeployReport::default()
    }
}

/// One line per change, for `--dry-run`.
fn plan_lines(change: &Change) -> Vec<String> {
    let uploads = change
        .uploads
        .iter()
        .map(|(p, r)| format!("upload {p} ({})", r.word()));
    let deletes = change.deletes.iter().map(|p| format!("delete {p}"));
    uploads.chain(deletes).collect()
}

/// A warning for files someone else committed that stood in the build's way.
fn displaced(change: &Change, place: &Place<'_>) -> Option<String> {
    let first = change.displaced.first()?;
    Some(format!(
        "{} file(s) on {} that dateline did not publish are replaced, as the build needs their path for a folder or a file (`{first}`); the previous commit still has them",
        change.displaced.len(),
        place.shown()
    ))
}

/// The refusal of more deletes than `--max-deletes` allows.
fn too_many_deletes(
    target: &Target,
    change: &Change,
    place: &Place<'_>,
    options: &DeployOptions,
) -> Error {
    let n = change.deletes.len();
    fail(
        target,
        format!(
            "{n} files the last deploy published to {} are not in this build, more than the {} a deploy deletes unless told (`{}`, …); nothing was changed",
            place.shown(),
            options.max_deletes,
            change.deletes[0]
        ),
        format!("check `--output` and the target; if the build is right, pass `--max-deletes {n}`"),
    )
}
