//! The remote's side: the branch's last commit fetched into the cache, and
//! the new one pushed on top of it.

use std::collections::BTreeSet;

use super::super::fail;
use super::command::{last_lines, Git};
use super::tree::{self, Tree, FILE, LISTING};
use super::Place;
use crate::error::Error;

/// The branch's last commit, and what dateline knows of its tree.
pub(super) struct Previous {
    pub commit: Option<String>,
    pub tree: Tree,
    /// The paths the last deploy listed in [`LISTING`].
    pub published: BTreeSet<String>,
}

/// Fetches the branch's last commit into the cache; an empty [`Previous`]
/// when the remote has no such branch yet (the first deploy).
pub(super) fn fetch(git: &Git<'_>, place: &Place<'_>) -> Result<Previous, Error> {
    let head = format!("refs/heads/{}", place.branch);
    // `ls-remote` fails only for a remote it cannot read, and lists nothing
    // for a missing branch: the two cases `fetch` would not tell apart.
    let listed = git.try_run(&["ls-remote", "--heads", place.remote, &head], b"")?;
    if !listed.ok {
        return Err(fail(
            git.target,
            format!("`{}` cannot be reached or is not a git repository: {}", place.remote, last_lines(&listed.stderr, 3)),
            "check the target's `url` in site.yaml, the network, and that you may read the repository (ssh key or credentials)",
        ));
    }
    let exists = listed
        .stdout
        .lines()
        .any(|l| l.split('\t').nth(1) == Some(head.as_str()));
    if !exists {
        return Ok(Previous {
            commit: None,
            tree: Tree::new(),
            published: BTreeSet::new(),
        });
    }
    let refspec = format!("+{head}:{}", place.fetched());
    git.run(
        &[
            "fetch",
            "-q",
            "--no-tags",
            "--depth=1",
            place.remote,
            &refspec,
        ],
        b"",
    )?;
    let commit = git.run(
        &[
            "rev-parse",
            "--verify",
            &format!("{}^{{commit}}", place.fetched()),
        ],
        b"",
    )?;
    read_previous(git, commit.trim().to_string())
}

/// The tree of `commit` and the paths its [`LISTING`] names.
fn read_previous(git: &Git<'_>, commit: String) -> Result<Previous, Error> {
    let tree =
        tree::parse_ls_tree(&git.run(&["ls-tree", "-r", "-z", "--full-tree", &commit], b"")?);
    let published = match tree.get(LISTING) {
        Some(entry) if entry.mode == FILE => {
            tree::parse_listing(&git.run(&["cat-file", "blob", &entry.object], b"")?)
        }
        _ => BTreeSet::new(),
    };
    Ok(Previous {
        commit: Some(commit),
        tree,
        published,
    })
}

/// Pushes `commit` as the branch's new tip, never forced.
pub(super) fn push(git: &Git<'_>, place: &Place<'_>, commit: &str) -> Result<(), Error> {
    let refspec = format!("{commit}:refs/heads/{}", place.branch);
    let out = git.try_run(&["push", "-q", place.remote, &refspec], b"")?;
    if out.ok {
        return Ok(());
    }
    Err(fail(
        git.target,
        format!(
            "{} refused the push: {}",
            place.shown(),
            last_lines(&out.stderr, 3)
        ),
        push_help(&out.stderr),
    ))
}

/// What to do about a refused push, from git's reason.
fn push_help(stderr: &str) -> &'static str {
    // Pushing a commit whose parent is no longer the branch's tip.
    let raced = ["non-fast-forward", "fetch first", "stale info"]
        .iter()
        .any(|s| stderr.contains(s));
    if raced {
        "someone pushed to the branch meanwhile: deploy again, and the new commit will follow theirs"
    } else {
        "check that you may push to the branch (permissions, branch protection, a hook of the remote); nothing was changed"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_behind_someone_elses_is_told_to_deploy_again() {
        let raced = " ! [rejected]        abc -> gh-pages (fetch first)\nhint: Updates were rejected because the remote contains work that you do not\n";
        assert!(push_help(raced).starts_with("someone pushed to the branch meanwhile"));
        let hook = " ! [remote rejected] abc -> gh-pages (pre-receive hook declined)\n";
        assert!(push_help(hook).starts_with("check that you may push"));
    }
}
