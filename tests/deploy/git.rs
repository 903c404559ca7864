//! The git target: a bare repository in the test's temporary folder is the
//! remote, and the branch is read back with plain `git` commands, a reader
//! independent of dateline's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::{self, Fixture, Run};

const BRANCH: &str = "gh-pages";

/// An entry nothing links to, for the tests that delete one.
const EXTRA: &str = "content/2017-10-20-follow-up.md";

/// A built site whose `pages` target is a bare repository beside it, and a
/// home folder whose git configuration names a test editor.
struct Site {
    fixture: Fixture,
    remote: PathBuf,
    home: PathBuf,
}

impl Site {
    fn new() -> Site {
        let fixture = Fixture::copy("minimal");
        let remote = fixture.temp().join("remote.git");
        let home = fixture.temp().join("home");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(
            home.join(".gitconfig"),
            "[user]\n\tname = Test Editor\n\temail = editor@example.org\n",
        )
        .unwrap();
        fixture.write(EXTRA, "---\ntitle: \"A follow-up\"\ndate: 2017-10-20\ntags: [\"Follow-ups\"]\nsources:\n  - { title: \"More\", url: \"https://example.com/more\", publisher: \"Wire\" }\n---\n\nLater.\n");
        let site = Site {
            fixture,
            remote,
            home,
        };
        site.git(&["init", "--bare", "-q"]);
        site.target(&format!("git+file://{}#{BRANCH}", site.remote.display()));
        site.build();
        site
    }

    /// Adds a `pages` target with this `url` to `site.yaml`.
    fn target(&self, url: &str) {
        self.fixture.append(
            "site.yaml",
            &format!("deploy:\n  - {{ name: pages, url: \"{url}\" }}"),
        );
    }

    fn build(&self) {
        self.fixture.run(&["build"]).success();
    }

    /// `dateline deploy <args>`, with the test's home folder and no
    /// identity from the environment.
    fn deploy(&self, args: &[&str]) -> Run {
        let mut command = common::command(&self.fixture.root, &[&["deploy"], args].concat());
        isolate(&mut command, &self.home);
        common::run(&mut command, Some(Duration::from_secs(120)))
    }

    /// `git <args>` on the remote, insisting on success: its output.
    fn git(&self, args: &[&str]) -> String {
        git_in(&self.remote, &self.home, args)
    }

    /// The branch's tip.
    fn tip(&self) -> String {
        self.git(&["rev-parse", &format!("refs/heads/{BRANCH}")])
            .trim()
            .to_string()
    }

    /// Whether the remote has the branch at all.
    fn has_branch(&self) -> bool {
        !self
            .git(&["for-each-ref", &format!("refs/heads/{BRANCH}")])
            .trim()
            .is_empty()
    }

    /// Path → blob of the branch's tree, read with `ls-tree`.
    fn published(&self) -> BTreeMap<String, String> {
        self.git(&["ls-tree", "-r", BRANCH])
            .lines()
            .map(|line| {
                let (head, path) = line.split_once('\t').unwrap();
                (
                    path.to_string(),
                    head.split(' ').nth(2).unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The bytes of a file of the branch.
    fn show(&self, path: &str) -> String {
        self.git(&["cat-file", "blob", &format!("{BRANCH}:{path}")])
    }

    /// The paths of the build in `public/` that are published: all but dateline's bookkeeping.
    fn built(&self) -> BTreeMap<String, Vec<u8>> {
        common::tree(&self.fixture.root.join("public"))
            .into_iter()
            .filter(|(p, _)| !p.ends_with('/') && !p.starts_with(".dateline-"))
            .collect()
    }

    /// What the branch should hold for the current build, without foreign files.
    fn expected_paths(&self) -> BTreeSet<String> {
        let mut paths: BTreeSet<String> = self.built().into_keys().collect();
        paths.insert(".nojekyll".into());
        paths.insert(".dateline-deploy".into());
        paths
    }

    /// Edits the body of one entry and rebuilds.
    fn edit_entry(&self) {
        self.fixture.append(
            "content/2017-10-16-first-day.md",
            "\nA correction: the count was revised.",
        );
        self.build();
    }

    /// Commits `path` to the branch as someone else would, from a clone.
    fn commit_foreign(&self, path: &str, contents: &str) {
        let work = self.fixture.temp().join("someone-else");
        let home = &self.home;
        run_git(
            None,
            home,
            &[
                "clone",
                "-q",
                "-b",
                BRANCH,
                self.remote.to_str().unwrap(),
                work.to_str().unwrap(),
            ],
        );
        std::fs::write(work.join(path), contents).unwrap();
        run_git(Some(&work), home, &["add", path]);
        run_git(
            Some(&work),
            home,
            &["commit", "-q", "-m", "Add a custom domain"],
        );
        run_git(Some(&work), home, &["push", "-q", "origin", BRANCH]);
    }
}

/// Keeps the machine's git configuration and identity out of `command`.
fn isolate(command: &mut Command, home: &Path) {
    for name in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_AUTHOR_DATE",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_COMMITTER_DATE",
        "EMAIL",
        "GIT_DIR",
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_COUNT",
    ] {
        command.env_remove(name);
    }
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1");
}

fn git_in(git_dir: &Path, home: &Path, args: &[&str]) -> String {
    let dir = format!("--git-dir={}", git_dir.display());
    run_git(None, home, &[&[dir.as_str()], args].concat())
}

fn run_git(cwd: Option<&Path>, home: &Path, args: &[&str]) -> String {
    let mut command = Command::new("git");
    command.args(args);
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    isolate(&mut command, home);
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_first_deploy_creates_the_branch_with_the_build_and_nothing_else() {
    let site = Site::new();
    let run = site.deploy(&[]).success();
    let published = site.published();
    let paths: BTreeSet<String> = published.keys().cloned().collect();
    assert_eq!(paths, site.expected_paths());
    assert!(!paths.contains(".dateline-output") && !paths.contains(".dateline-manifest"));
    for (path, bytes) in site.built() {
        assert_eq!(site.show(&path).as_bytes(), bytes, "{path}");
    }
    assert_eq!(site.show(".nojekyll"), "");
    assert!(site
        .show(".dateline-deploy")
        .contains("\nentries/first-day/index.html\n"));
    // An orphan commit, by the editor git knows, saying what it did.
    let commit = site.git(&["cat-file", "-p", BRANCH]);
    assert!(!commit.contains("\nparent "), "{commit}");
    assert!(
        commit.contains("author Test Editor <editor@example.org>"),
        "{commit}"
    );
    assert!(
        commit.contains(&format!(
            "dateline deploy: {} changed, 0 deleted",
            site.built().len()
        )),
        "{commit}"
    );
    assert!(commit.contains("https://example.org/"), "{commit}");
    let tip = site.tip();
    assert!(
        run.stdout.contains(&format!(
            "{} uploaded, 0 unchanged, 0 deleted",
            site.built().len()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!("commit {}", &tip[..12])),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("{}#{BRANCH}", site.remote.display())),
        "{}",
        run.stdout
    );
    assert!(site
        .fixture
        .root
        .join(".dateline-cache/deploy/pages.git/HEAD")
        .is_file());
}

#[test]
fn a_deploy_with_nothing_changed_makes_no_commit() {
    let site = Site::new();
    site.deploy(&[]).success();
    let tip = site.tip();
    site.build();
    let run = site.deploy(&[]).success();
    assert_eq!(site.tip(), tip);
    assert!(
        run.stdout.contains(&format!(
            "0 uploaded, {} unchanged, 0 deleted",
            site.built().len()
        )),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("commit "), "{}", run.stdout);
}

#[test]
fn an_edited_entry_is_one_commit_on_the_last_with_only_the_changed_files() {
    let site = Site::new();
    site.deploy(&[]).success();
    let before_tip = site.tip();
    let before = site.built();
    site.edit_entry();
    let after = site.built();
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(p, bytes)| before.get(*p) != Some(bytes))
        .map(|(p, _)| p.clone())
        .collect();
    assert!(changed.contains("entries/first-day/index.html"));
    // The search index's content-addressed chunks: an edit replaces one with
    // another, and the branch's listing of files changes with them.
    let mut expected = changed.clone();
    expected.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    if before.keys().ne(after.keys()) {
        expected.insert(".dateline-deploy".to_string());
    }
    let run = site.deploy(&[]).success();
    let tip = site.tip();
    assert_eq!(
        site.git(&["rev-parse", &format!("{tip}^")]).trim(),
        before_tip
    );
    let diff: BTreeSet<String> = site
        .git(&["diff-tree", "-r", "--name-only", "--no-commit-id", &tip])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(diff, expected);
    let deleted = before.keys().filter(|p| !after.contains_key(*p)).count();
    assert!(
        run.stdout.contains(&format!(
            "{} uploaded, {} unchanged, {} deleted",
            changed.len(),
            after.len() - changed.len(),
            deleted
        )),
        "{}",
        run.stdout
    );
    assert!(site
        .git(&["log", "-1", "--format=%s", BRANCH])
        .contains(&format!("{} changed, {deleted} deleted", changed.len())));
}

#[test]
fn a_deleted_entry_leaves_the_branch_and_a_foreign_file_stays() {
    let site = Site::new();
    site.deploy(&[]).success();
    site.commit_foreign("CNAME", "timeline.example.org\n");
    let foreign_tip = site.tip();
    std::fs::remove_file(site.fixture.root.join(EXTRA)).unwrap();
    site.build();
    let run = site.deploy(&[]).success();
    let published = site.published();
    let mut expected = site.expected_paths();
    expected.insert("CNAME".into());
    assert_eq!(published.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(!published.contains_key("entries/follow-up/index.html"));
    assert!(published.contains_key("entries/first-day/index.html"));
    assert_eq!(site.show("CNAME"), "timeline.example.org\n");
    assert_eq!(
        site.git(&["rev-parse", &format!("{BRANCH}^")]).trim(),
        foreign_tip
    );
    assert!(!site.show(".dateline-deploy").contains("CNAME"));
    assert!(!run.stdout.contains(" 0 deleted"), "{}", run.stdout);
}

#[test]
fn more_deletes_than_allowed_stop_the_deploy_before_any_change() {
    let site = Site::new();
    site.deploy(&[]).success();
    let tip = site.tip();
    std::fs::remove_file(site.fixture.root.join(EXTRA)).unwrap();
    site.build();
    let run = site.deploy(&["--max-deletes", "1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("--max-deletes"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{}#{BRANCH}", site.remote.display())),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("pages"), "{}", run.stderr);
    assert_eq!(site.tip(), tip);
    site.deploy(&["--max-deletes", "50"]).success();
    assert_ne!(site.tip(), tip);
}

#[test]
fn a_dry_run_shows_the_plan_and_pushes_nothing() {
    let site = Site::new();
    let run = site.deploy(&["--dry-run"]).success();
    assert!(!site.has_branch());
    assert!(
        run.stdout.contains("upload index.html (new)"),
        "{}",
        run.stdout
    );
    site.deploy(&[]).success();
    let tip = site.tip();
    site.edit_entry();
    let run = site.deploy(&["--dry-run"]).success();
    assert_eq!(site.tip(), tip);
    assert!(
        run.stdout
            .contains("upload entries/first-day/index.html (changed)"),
        "{}",
        run.stdout
    );
    // Only the search index's content-addressed chunks are new after an edit.
    assert!(
        run.stdout
            .lines()
            .filter(|l| l.ends_with("(new)"))
            .all(|l| l.starts_with("upload search/")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("would deploy to pages"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_push_the_remote_refuses_is_one_clear_error_and_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new();
    site.deploy(&[]).success();
    let tip = site.tip();
    let hook = site.remote.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'deploys are frozen during the election' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    site.edit_entry();
    let run = site.deploy(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{}#{BRANCH}", site.remote.display())),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("refused the push"), "{}", run.stderr);
    assert!(
        run.stderr.contains("pre-receive hook declined"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("deploys are frozen during the election"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(site.tip(), tip);
}

#[test]
fn a_remote_that_is_missing_or_not_a_repository_is_a_clear_error() {
    for remote in ["nowhere.git", "plain-folder"] {
        let fixture = Fixture::copy("minimal");
        let path = fixture.temp().join(remote);
        if remote == "plain-folder" {
            std::fs::create_dir_all(&path).unwrap();
        }
        let site = Site {
            remote: path.clone(),
            home: fixture.temp().to_path_buf(),
            fixture,
        };
        site.target(&format!("git+{}#{BRANCH}", path.display()));
        site.build();
        let run = site.deploy(&[]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("cannot be reached or is not a git repository"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(path.to_str().unwrap()),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn a_relative_remote_is_found_from_the_site_root() {
    let site = Site::new();
    let fixture = &site.fixture;
    let config = std::fs::read_to_string(fixture.root.join("site.yaml")).unwrap();
    let config = config.replace(
        &format!("file://{}", site.remote.display()),
        "../remote.git",
    );
    fixture.write("site.yaml", config);
    let mut command = common::command(fixture.temp(), &["deploy", "--root", "site"]);
    isolate(&mut command, &site.home);
    common::run(&mut command, Some(Duration::from_secs(120))).success();
    assert!(site.has_branch());
}

#[test]
fn without_a_configured_identity_dateline_commits_as_itself_unless_told() {
    let site = Site::new();
    std::fs::remove_file(site.home.join(".gitconfig")).unwrap();
    site.deploy(&[]).success();
    let commit = site.git(&["cat-file", "-p", BRANCH]);
    assert!(
        commit.contains("author dateline <dateline@localhost>"),
        "{commit}"
    );
    assert!(
        commit.contains("committer dateline <dateline@localhost>"),
        "{commit}"
    );
    // What the environment sets is kept.
    site.edit_entry();
    let mut command = common::command(&site.fixture.root, &["deploy"]);
    isolate(&mut command, &site.home);
    command
        .env("GIT_AUTHOR_NAME", "CI Runner")
        .env("GIT_AUTHOR_EMAIL", "ci@example.org");
    common::run(&mut command, Some(Duration::from_secs(120))).success();
    let commit = site.git(&["cat-file", "-p", BRANCH]);
    assert!(
        commit.contains("author CI Runner <ci@example.org>"),
        "{commit}"
    );
    assert!(
        commit.contains("committer dateline <dateline@localhost>"),
        "{commit}"
    );
}

#[test]
fn the_site_repositorys_own_identity_counts_and_the_environment_comes_first() {
    let site = Site::new();
    std::fs::remove_file(site.home.join(".gitconfig")).unwrap();
    let root = &site.fixture.root;
    run_git(Some(root), &site.home, &["init", "-q"]);
    run_git(
        Some(root),
        &site.home,
        &["config", "user.name", "Desk Editor"],
    );
    run_git(
        Some(root),
        &site.home,
        &["config", "user.email", "desk@example.org"],
    );
    let mut command = common::command(root, &["deploy"]);
    isolate(&mut command, &site.home);
    command.env("GIT_COMMITTER_NAME", "Release Bot");
    common::run(&mut command, Some(Duration::from_secs(120))).success();
    let commit = site.git(&["cat-file", "-p", BRANCH]);
    assert!(
        commit.contains("author Desk Editor <desk@example.org>"),
        "{commit}"
    );
    assert!(
        commit.contains("committer Release Bot <desk@example.org>"),
        "{commit}"
    );
}
