//! Shared helpers: fixture sites copied into temporary folders, the real
//! `dateline` binary, output trees as data, and a few HTML probes small enough
//! to need no parser.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A whole folder as data: `/`-separated relative path → bytes. Folders are
/// included as `path/` with no bytes, so a new empty folder is a difference too.
pub(crate) type Tree = BTreeMap<String, Vec<u8>>;

/// The folder holding the fixture sites.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture site copied to `<temp>/site`, so each test owns its files and the
/// temporary folder around the root can hold outputs and staging folders.
pub(crate) struct Fixture {
    temp: TempDir,
    /// The site root (the folder holding `site.yaml`).
    pub(crate) root: PathBuf,
}

impl Fixture {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub(crate) fn copy(name: &str) -> Fixture {
        let from = fixtures().join(name);
        assert!(from.is_dir(), "no fixture `{}`", from.display());
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("site");
        copy_tree(&from, &root);
        Fixture { temp, root }
    }

    /// Copies the repository's own site (`site.yaml` and `content/`).
    pub(crate) fn bundled() -> Fixture {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("site");
        copy_tree(&repo.join("content"), &root.join("content"));
        std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
        Fixture { temp, root }
    }

    /// The temporary folder around the root.
    pub(crate) fn temp(&self) -> &Path {
        self.temp.path()
    }

    /// A path beside the root, e.g. for `--output`, as a string for arguments.
    pub(crate) fn beside(&self, name: &str) -> String {
        self.temp.path().join(name).to_str().unwrap().to_string()
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

    /// Runs `dateline build <args>` in the root.
    pub(crate) fn build(&self, args: &[&str]) -> Run {
        self.run(&[&["build"], args].concat())
    }

    /// Runs `dateline check <args>` in the root.
    pub(crate) fn check(&self, args: &[&str]) -> Run {
        self.run(&[&["check"], args].concat())
    }

    /// Builds into the default `public/`, insisting on success.
    pub(crate) fn build_ok(&self, args: &[&str]) -> (Output<'_>, Run) {
        let run = self.build(args).success();
        (self.output(), run)
    }

    /// The default output folder, `<root>/public`.
    pub(crate) fn output(&self) -> Output<'_> {
        Output {
            dir: self.root.join("public"),
            _fixture: PhantomData,
        }
    }

    /// Library options for this site, as `build` would make them without flags.
    pub(crate) fn options(&self) -> dateline::Options {
        dateline::Options::new(&self.root)
    }

    /// `text` with this fixture's temporary path replaced by `[ROOT]`, for snapshots.
    pub(crate) fn redact(&self, text: &str) -> String {
        text.replace(self.root.to_str().unwrap(), "[ROOT]")
            .replace(self.temp.path().to_str().unwrap(), "[TEMP]")
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    /// Exit code (-1 when killed by a signal).
    pub(crate) code: i32,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
}

impl Run {
    /// Asserts exit code 0, showing stderr otherwise.
    #[track_caller]
    pub(crate) fn success(self) -> Run {
        assert_eq!(self.code, 0, "dateline failed:\n{}", self.stderr);
        self
    }
}

/// Runs the real binary in `cwd`.
pub(crate) fn dateline(cwd: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A built site. It borrows its fixture, whose temporary folder must outlive it.
pub(crate) struct Output<'f> {
    /// Its folder.
    pub(crate) dir: PathBuf,
    _fixture: PhantomData<&'f Fixture>,
}

impl Output<'_> {
    /// The text of an output file; panics with the list of files when it is missing.
    #[track_caller]
    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| {
            panic!(
                "cannot read `{rel}` ({e}); the output holds {:#?}",
                self.paths()
            )
        })
    }

    /// Whether the output holds the file `rel`.
    pub(crate) fn has(&self, rel: &str) -> bool {
        self.dir.join(rel).is_file()
    }

    /// Every file path, sorted.
    pub(crate) fn paths(&self) -> Vec<String> {
        tree(&self.dir)
            .into_keys()
            .filter(|p| !p.ends_with('/'))
            .collect()
    }

    /// Every HTML page as (path, text).
    pub(crate) fn pages(&self) -> Vec<(String, String)> {
        tree(&self.dir)
            .into_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, bytes)| (p, String::from_utf8(bytes).unwrap()))
            .collect()
    }
}

/// Copies the folder `from` to `to`, which must not exist yet.
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

/// The output file a site path (below the base path) is served from: a folder's
/// `index.html`, or the file itself.
pub(crate) fn file_at(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Snapshot of everything under `dir` (an empty tree when it does not exist).
pub(crate) fn tree(dir: &Path) -> Tree {
    if !dir.exists() {
        return Tree::new();
    }
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|item| {
            let item = item.unwrap();
            let rel = item
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            if item.file_type().is_dir() {
                (format!("{rel}/"), Vec::new())
            } else {
                (rel, std::fs::read(item.path()).unwrap())
            }
        })
        .collect()
}

/// Asserts two trees are byte-for-byte equal, naming the paths that differ.
#[track_caller]
pub(crate) fn assert_same_tree(left: &Tree, right: &Tree) {
    let differ: Vec<&String> = left
        .keys()
        .chain(right.keys())
        .filter(|p| left.get(*p) != right.get(*p))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(differ.is_empty(), "trees differ at {differ:#?}");
}

/// The `<main>` element of a page.
#[track_caller]
pub(crate) fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html[start..].find("</main>").expect("a closed <main>") + start;
    &html[start..end + "</main>".len()]
}

/// The value of every `name="…"` attribute, in document order.
pub(crate) fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Every `href` and `src` value of a page.
pub(crate) fn links(html: &str) -> Vec<&str> {
    let mut all = attributes(html, "href");
    all.extend(attributes(html, "src"));
    all
}

/// Slugs of the entry cards on a timeline page, in display order.
pub(crate) fn card_slugs(html: &str) -> Vec<&str> {
    attributes(html, "data-slug")
}

/// The card of entry `slug` on a timeline page: from the element carrying its
/// `data-slug` to the end of its `<article>`.
#[track_caller]
pub(crate) fn card<'a>(html: &'a str, slug: &str) -> &'a str {
    let slug_at = html
        .find(&format!(" data-slug=\"{slug}\""))
        .unwrap_or_else(|| panic!("no card for `{slug}`"));
    let start = html[..slug_at].rfind('<').unwrap();
    let end = html[start..].find("</article>").unwrap() + start;
    &html[start..end]
}

/// `(datetime, text)` of every `<time>` element, in order.
pub(crate) fn times(html: &str) -> Vec<(&str, &str)> {
    html.match_indices("<time datetime=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let (datetime, rest) = rest.split_once("\">").unwrap();
            (datetime, &rest[..rest.find("</time>").unwrap()])
        })
        .collect()
}

/// The section of an entry page under the heading `title` ("Related", "Referenced by").
pub(crate) fn section<'a>(html: &'a str, title: &str) -> Option<&'a str> {
    let start = html.find(&format!(">{title}</h2>"))?;
    let end = html[start..].find("</section>")? + start;
    Some(&html[start..end])
}

/// The `<li>` element holding a link to `href`.
#[track_caller]
pub(crate) fn list_item<'a>(html: &'a str, href: &str) -> &'a str {
    let link = html
        .find(&format!(" href=\"{href}\""))
        .unwrap_or_else(|| panic!("no link to `{href}`"));
    let start = html[..link].rfind("<li").unwrap();
    let end = html[link..].find("</li>").unwrap() + link;
    &html[start..end]
}

/// The text of an HTML fragment: tags dropped, whitespace collapsed.
pub(crate) fn plain_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
