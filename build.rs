//! Records which commit the binary was built from, for `dateline --version`
//! (`dateline 0.1.0 (abc1234 2026-12-07)`): a bug report then names the exact
//! source. The version itself is Cargo.toml's, the one place every package
//! (crate, wheel, npm) takes it from.
//!
//! A build from a source tarball has no `.git`, and one on a machine without git
//! has no way to ask: both say `unknown commit` instead of failing. Packagers who
//! know the commit can pass it as `DATELINE_COMMIT="abc1234 2026-12-07"`.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=DATELINE_COMMIT");
    let commit = std::env::var("DATELINE_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(from_git)
        .unwrap_or_else(|| "unknown commit".to_owned());
    println!("cargo:rustc-env=DATELINE_COMMIT={commit}");
}

/// `abc1234 2026-12-07` for HEAD, or None outside a git checkout of dateline.
fn from_git() -> Option<String> {
    // A source tarball unpacked inside some other repository must not take that
    // repository's commit: only a checkout whose top is this package counts.
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    let here = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    if top.canonicalize().ok()? != here.canonicalize().ok()? {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself (a checkout or a detached commit) and
    // the branch it points at (a new commit). Paths come from git, because in a
    // worktree they live under the main checkout's .git/worktrees/.
    for name in ["HEAD", "packed-refs"] {
        watch(git(&["rev-parse", "--git-path", name]));
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(git(&["rev-parse", "--git-path", &branch]));
    }
    git(&[
        "log",
        "-1",
        "--no-show-signature",
        "--date=short",
        "--format=%h %cd",
    ])
}

fn watch(path: Option<String>) {
    // A path that does not exist would make cargo rerun this script every build.
    if let Some(path) = path.map(PathBuf::from).filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// The trimmed output of a successful git command, or None (no git, no repository).
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_owned())
}
