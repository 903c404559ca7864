//! Running `git`: every call goes through here, so each failure becomes the
//! same kind of error and no call inherits the variables of a calling git.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::super::fail;
use crate::diagnostic::display_path;
use crate::error::Error;
use crate::site::config::Target;

/// Variables a calling git sets (dateline run from a hook, `git rebase -x`)
/// that would point these commands at the site's own repository.
const INHERITED: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_QUARANTINE_PATH",
];

/// What one `git` call printed.
#[derive(Debug)]
pub(super) struct Output {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// `git` for one target's cache repository.
#[derive(Clone)]
pub(super) struct Git<'a> {
    pub target: &'a Target,
    /// The cache repository, absolute.
    pub git_dir: PathBuf,
    /// The site root: relative remotes in `site.yaml` are relative to it.
    pub cwd: PathBuf,
    /// Variables set on every call (the identity, the temporary index).
    pub env: Vec<(&'static str, OsString)>,
}

impl Git<'_> {
    /// The same, with `name` set to `value` on every call.
    pub(super) fn with(&self, name: &'static str, value: impl Into<OsString>) -> Self {
        let mut git = self.clone();
        git.env.push((name, value.into()));
        git
    }

    /// The same, run in `folder`.
    pub(super) fn in_folder(&self, folder: &Path) -> Self {
        let mut git = self.clone();
        git.cwd = folder.to_path_buf();
        git
    }

    /// `git <args>` on the cache repository.
    fn command(&self, args: &[&str], in_cache: bool) -> Command {
        let mut command = Command::new("git");
        if in_cache {
            command.arg("--git-dir").arg(&self.git_dir);
        }
        command.args(args).current_dir(&self.cwd);
        for name in INHERITED {
            command.env_remove(name);
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Runs `git <args>` with `input` on its standard input; `Err` only when
    /// git cannot be started at all.
    pub(super) fn try_run(&self, args: &[&str], input: &[u8]) -> Result<Output, Error> {
        self.spawn(self.command(args, true), input)
    }

    /// Runs `git <args>` and insists on success.
    pub(super) fn run(&self, args: &[&str], input: &[u8]) -> Result<String, Error> {
        let out = self.try_run(args, input)?;
        if out.ok {
            return Ok(out.stdout);
        }
        Err(fail(
            self.target,
            format!(
                "`git {}` failed: {}",
                args.join(" "),
                last_lines(&out.stderr, 3)
            ),
            format!(
                "`{}` is only a cache: if git calls it damaged, delete it and deploy again",
                display_path(&self.git_dir)
            ),
        ))
    }

    /// A setting of the user's git configuration as seen from the site root
    /// (so a repository's own `user.name` counts), or `None`.
    pub(super) fn config(&self, key: &str) -> Result<Option<String>, Error> {
        let out = self.spawn(self.command(&["config", "--get", key], false), b"")?;
        let value = out.stdout.trim();
        Ok((out.ok && !value.is_empty()).then(|| value.to_string()))
    }

    fn spawn(&self, mut command: Command, input: &[u8]) -> Result<Output, Error> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                fail(
                    self.target,
                    format!("cannot run `git`: {e}"),
                    "install git (https://git-scm.com), or put it on the PATH",
                )
            })?;
        // Written from another thread: git may answer before reading it all
        // (`hash-object --stdin-paths`), and a full pipe would block both.
        let writer = child.stdin.take().map(|mut stdin| {
            let input = input.to_vec();
            std::thread::spawn(move || stdin.write_all(&input))
        });
        let out = child.wait_with_output().map_err(|e| {
            fail(
                self.target,
                format!("`git` did not finish: {e}"),
                "deploy again",
            )
        })?;
        if let Some(writer) = writer {
            // A git that stopped reading has failed, and says why on stderr.
            let _ = writer.join();
        }
        Ok(Output {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}

/// Lines git adds to every failure of a remote, which say nothing of this one.
const BOILERPLATE: &[&str] = &[
    "To ",
    "hint:",
    "error: failed to push some refs",
    "fatal: Could not read from remote repository",
    "Please make sure you have the correct access rights",
    "and the repository exists",
];

/// The last `n` lines git wrote that say something, on one line.
pub(super) fn last_lines(stderr: &str, n: usize) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !BOILERPLATE.iter().any(|b| l.starts_with(b)))
        .collect();
    match lines.len() {
        0 => stderr
            .trim()
            .lines()
            .last()
            .unwrap_or("git said nothing")
            .to_string(),
        len => lines[len.saturating_sub(n)..].join(" / "),
    }
}

/// `path` as an absolute path, so git finds it whatever its working folder.
pub(super) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_git_says_of_a_failure_leaves_out_its_boilerplate() {
        let push = "remote: deploys are frozen\nTo /srv/x.git\n ! [remote rejected] abc -> gh-pages (pre-receive hook declined)\nerror: failed to push some refs to '/srv/x.git'\n";
        assert_eq!(
            last_lines(push, 3),
            "remote: deploys are frozen / ! [remote rejected] abc -> gh-pages (pre-receive hook declined)"
        );
        let read = "fatal: '/srv/nope.git' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n";
        assert_eq!(
            last_lines(read, 3),
            "fatal: '/srv/nope.git' does not appear to be a git repository"
        );
        assert_eq!(last_lines("", 3), "git said nothing");
    }
}
