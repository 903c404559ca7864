//! When each entry file reached the site's git repository: the evidence `check`
//! uses to warn about a `published` that defaults to an event long before the
//! entry went up. Read only by `check`, never by `build` or `serve`, so a
//! build does not start a process or depend on git.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeDelta, Utc};

use crate::content::entry::Entry;
use crate::content::load::CONTENT_DIR;
use crate::diagnostic::Diagnostic;

/// How long after its event an entry may go up before a `published` that
/// defaults to the event's date is worth a warning: a desk that adds last
/// week's event has not misdated it by much.
const GRACE: TimeDelta = TimeDelta::days(7);

/// When each file under `content/` was first committed, and which files are
/// not committed yet. `None` when the root is not in a git work tree, git is
/// missing, or the clone is shallow (there every file looks added at the tip).
#[derive(Debug, Default)]
pub(crate) struct History {
    added: HashMap<PathBuf, DateTime<Utc>>,
    untracked: std::collections::HashSet<PathBuf>,
}

impl History {
    pub(crate) fn read(root: &Path) -> Option<History> {
        let shallow = git(root, &["rev-parse", "--is-shallow-repository"])?;
        if shallow.trim() != "false" {
            return None;
        }
        let mut history = History::default();
        // Newest first, so the last time seen for a path is when it was added.
        let log = git(
            root,
            &[
                "log",
                "--format=%x00%ct",
                "--name-only",
                "--diff-filter=A",
                "--relative",
                "--",
                CONTENT_DIR,
            ],
        )?;
        let mut when = None;
        for line in log.lines() {
            if let Some(stamp) = line.strip_prefix('\0') {
                when = stamp
                    .trim()
                    .parse()
                    .ok()
                    .and_then(|s| DateTime::from_timestamp(s, 0));
            } else if let (Some(when), false) = (when, line.is_empty()) {
                history.added.insert(PathBuf::from(line), when);
            }
        }
        let others = git(
            root,
            &[
                "ls-files",
                "--others",
                "--exclude-standard",
                "--",
                CONTENT_DIR,
            ],
        )?;
        history.untracked = others.lines().map(PathBuf::from).collect();
        Some(history)
    }

    /// Warnings for entries without `published` that went up more than
    /// [`GRACE`] after their event ended, as of `now` for files not committed.
    pub(crate) fn late_entries(
        &self,
        entries: &[std::sync::Arc<Entry>],
        tz: chrono_tz::Tz,
        now: DateTime<Utc>,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for entry in entries.iter().filter(|e| !e.published_given) {
            let (went_up, how) = if self.untracked.contains(&entry.path) {
                (now, "this file is not committed yet".to_string())
            } else if let Some(&added) = self.added.get(&entry.path) {
                let day = added.with_timezone(&tz).format("%Y-%m-%d");
                (added, format!("this file was first committed on {day}"))
            } else {
                continue;
            };
            let event_end = entry.end_date.unwrap_or(entry.date).end(tz);
            if went_up <= event_end + GRACE {
                continue;
            }
            let line = entry
                .text
                .lines()
                .position(|l| l.starts_with("date:"))
                .map_or(1, |i| i + 1);
            let stamp = went_up.with_timezone(&tz).format("%Y-%m-%d");
            out.push(
                Diagnostic::warning(
                    &entry.path,
                    format!(
                        "`published` is not given, so the page and the feeds say this entry went up on its event's date, {}, but {how}",
                        entry.shown.0
                    ),
                )
                .at_line(line)
                .with_source(&entry.text, Some("date"))
                .help(format!(
                    "add `published: {stamp}` (when the entry went up on this site) under `date`"
                )),
            );
        }
        out
    }
}

/// The output of `git -C root <args>`, or `None` when it cannot run or fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(["-c", "core.quotePath=false", "-C"])
        .arg(root)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
