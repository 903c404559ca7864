//! What both test binaries share: sites in temporary folders, the real
//! `dateline` binary run with an optional time limit, folders as data, HTML
//! probes ([`html`]) and the crawler that follows every address of a built site
//! ([`crawl`]).
//!
//! `tests/it/main.rs` and `tests/hardening/main.rs` include this folder with
//! `#[path = "../common/mod.rs"] mod common;` (Cargo makes no test binary of
//! `tests/common/`). What only one binary needs stays in its `support.rs`,
//! including how it builds a [`Fixture`]: `tests/it` into the default
//! `<root>/public`, `tests/hardening` into `<temp>/out` with a fixed clock.

// Each binary compiles all of this module and uses a part of it.
#![allow(dead_code)]

pub(crate) mod crawl;
pub(crate) mod html;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The folder holding the fixture sites.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A site in `<temp>/site`, so each test owns its files and the temporary
/// folder around the root can hold outputs and staging folders (and shows
/// anything written beside them).
pub(crate) struct Fixture {
    temp: TempDir,
    /// The site root (the folder holding `site.yaml`).
    pub(crate) root: PathBuf,
}

impl Fixture {
    /// An empty root in a fresh temporary folder.
    fn empty() -> Fixture {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        Fixture { temp, root }
    }

    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub(crate) fn copy(name: &str) -> Fixture {
        let from = fixtures().join(name);
        assert!(from.is_dir(), "no fixture `{}`", from.display());
        let fixture = Fixture::empty();
        copy_tree(&from, &fixture.root);
        fixture
    }

    /// Copies the repository's own site (`site.yaml` and `content/`).
    pub(crate) fn bundled() -> Fixture {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let fixture = Fixture::empty();
        copy_tree(&repo.join("content"), &fixture.root.join("content"));
        std::fs::copy(repo.join("site.yaml"), fixture.root.join("site.yaml")).unwrap();
        fixture
    }

    /// A site with this `site.yaml` and an empty `content/`.
    pub(crate) fn with_config(config: &str) -> Fixture {
        let fixture = Fixture::empty();
        fixture.write("site.yaml", config);
        std::fs::create_dir_all(fixture.root.join("content")).unwrap();
        fixture
    }

    /// Copies the folder `from` over the root, replacing files of the same name.
    pub(crate) fn copy_over(&self, from: &Path) {
        copy_tree(from, &self.root);
    }

    /// The temporary folder around the root.
    pub(crate) fn temp(&self) -> &Path {
        self.temp.path()
    }

    /// A path beside the root, e.g. for `--output`, as a string for arguments.
    pub(crate) fn beside(&self, name: &str) -> String {
        self.temp().join(name).to_str().unwrap().to_string()
    }

    /// Writes a file under the root, creating folders.
    pub(crate) fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// Appends a line to a text file under the root.
    pub(crate) fn append(&self, rel: &str, line: &str) {
        let mut text = std::fs::read_to_string(self.root.join(rel)).unwrap();
        text.push_str(line);
        text.push('\n');
        self.write(rel, text);
    }

    /// Runs `dateline <args>` with the root as working directory.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        dateline(&self.root, args)
    }
}

/// Copies the folder `from` to `to`, creating folders as needed.
fn copy_tree(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from).sort_by_file_name() {
        let item = item.unwrap();
        let dest = to.join(item.path().strip_prefix(from).unwrap());
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(item.path(), &dest).unwrap();
        }
    }
}

// ---- The binary ----------------------------------------------------------------

/// The `dateline` executable: `$DATELINE_BIN` when set (e.g. a release build
/// for the slow kill loop), else the one cargo built for these tests — linked
/// once per test run into a private folder, because dateline fingerprints its
/// own executable (a rebuilt binary re-renders everything) and a shared target
/// folder may be rebuilt by another job while these tests run.
pub(crate) fn bin() -> String {
    static COPY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let from = std::env::var("DATELINE_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_dateline").to_string());
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-bin");
        std::fs::create_dir_all(&dir).unwrap();
        // Copies left by earlier runs whose process is gone.
        for old in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            let pid = old
                .file_name()
                .to_string_lossy()
                .trim_start_matches("dateline-")
                .to_string();
            if !Path::new("/proc").join(&pid).exists() {
                let _ = std::fs::remove_file(old.path());
            }
        }
        let to = dir.join(format!("dateline-{}", std::process::id()));
        // A hard link pins this inode (cargo replaces the file, never rewrites
        // it); a copy where linking is not possible.
        let _ = std::fs::remove_file(&to);
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).unwrap();
        }
        to.to_string_lossy().into_owned()
    })
    .clone()
}

/// What one run of a command did.
#[derive(Debug)]
pub(crate) struct Run {
    /// Exit code; -1 when killed by a signal.
    pub(crate) code: i32,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
    /// Wall time.
    pub(crate) took: Duration,
}

impl Run {
    /// Asserts exit code 0, showing stderr otherwise.
    #[track_caller]
    pub(crate) fn success(self) -> Run {
        assert_eq!(self.code, 0, "dateline failed:\n{}", self.stderr);
        self
    }
}

/// `dateline <args>` in `cwd`, as a command to run with [`run`].
pub(crate) fn command(cwd: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(bin());
    command.current_dir(cwd).args(args);
    command
}

/// Runs `dateline <args>` in `cwd` to its end.
pub(crate) fn dateline(cwd: &Path, args: &[&str]) -> Run {
    run(&mut command(cwd, args), None)
}

/// Runs `command` with no input and its output piped; with a `limit`, kills it
/// after that long and fails the test.
pub(crate) fn run(command: &mut Command, limit: Option<Duration>) -> Run {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes as the child writes, so a full pipe never blocks it.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let status = match limit {
        None => child.wait().unwrap(),
        Some(limit) => loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "`{} {:?}` still running after {limit:?}",
                    command.get_program().to_string_lossy(),
                    command.get_args().collect::<Vec<_>>()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        },
    };
    let text = |bytes: Vec<u8>, name: &str| {
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"))
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: text(stdout.join().unwrap(), "stdout"),
        stderr: text(stderr.join().unwrap(), "stderr"),
        took: started.elapsed(),
    }
}

// ---- Folders as data -----------------------------------------------------------

/// A whole folder as data: `/`-separated relative path → bytes. Folders are
/// included as `path/` with no bytes, so a new empty folder is a difference
/// too; symbolic links (never followed) as `path@` with their target.
pub(crate) type Tree = BTreeMap<String, Vec<u8>>;

/// Every file, folder and symbolic link under `dir` in name order, each with
/// its key in a [`Tree`]; nothing when `dir` does not exist.
pub(crate) fn walk(dir: &Path) -> Vec<(String, walkdir::DirEntry)> {
    if std::fs::symlink_metadata(dir).is_err() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .map(|item| {
            let item = item.unwrap();
            let mut rel = item
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if cfg!(windows) {
                rel = rel.replace('\\', "/");
            }
            let kind = item.file_type();
            if kind.is_symlink() {
                rel.push('@');
            } else if kind.is_dir() {
                rel.push('/');
            }
            (rel, item)
        })
        .collect()
}

/// What a [`Tree`] holds for one item of [`walk`]: a file's bytes, a link's
/// target, nothing for a folder.
pub(crate) fn contents(item: &walkdir::DirEntry) -> Vec<u8> {
    let kind = item.file_type();
    if kind.is_symlink() {
        let target = std::fs::read_link(item.path()).unwrap();
        target.to_string_lossy().into_owned().into_bytes()
    } else if kind.is_dir() {
        Vec::new()
    } else {
        std::fs::read(item.path()).unwrap()
    }
}

/// Snapshot of everything under `dir` (an empty tree when it does not exist).
pub(crate) fn tree(dir: &Path) -> Tree {
    tree_of(dir, contents)
}

/// A [`Tree`] of `dir` with `value` of each item in place of its contents,
/// e.g. a hash, for a folder too large to hold in memory.
pub(crate) fn tree_of<T>(
    dir: &Path,
    value: impl Fn(&walkdir::DirEntry) -> T,
) -> BTreeMap<String, T> {
    walk(dir)
        .into_iter()
        .map(|(rel, item)| (rel, value(&item)))
        .collect()
}

/// The paths that differ between two trees.
pub(crate) fn differences(left: &Tree, right: &Tree) -> Vec<String> {
    let paths: BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    paths
        .into_iter()
        .filter(|p| left.get(*p) != right.get(*p))
        .cloned()
        .collect()
}

/// Asserts two trees are byte-for-byte equal, naming the paths that differ.
#[track_caller]
pub(crate) fn assert_same_tree(left: &Tree, right: &Tree) {
    let differ = differences(left, right);
    assert!(differ.is_empty(), "trees differ at {differ:#?}");
}
