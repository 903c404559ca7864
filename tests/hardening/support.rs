//! Helpers for the hardening tests: sites in temporary folders, the real binary
//! with a time limit, folder snapshots, and checks that a built page is
//! well-formed and safe.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The `dateline` executable: `$DATELINE_BIN` when set (e.g. a release build
/// for the slow kill loop), else the one cargo built for this test — copied
/// once per test run into a private folder, because dateline fingerprints its
/// own executable (a rebuilt binary re-renders everything) and a shared target
/// folder may be rebuilt by another job while these tests run.
pub(crate) fn bin() -> String {
    static COPY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let from = std::env::var("DATELINE_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_dateline").to_string());
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hardening-bin");
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

/// A fixed clock, so no entry is held back and output is reproducible.
pub(crate) const NOW: &str = "2030-01-01T00:00:00Z";

/// A site in `<temp>/site`, built into `<temp>/out`, so the temporary folder
/// around both shows anything written beside them.
pub(crate) struct Site {
    temp: TempDir,
    /// The site root.
    pub(crate) root: PathBuf,
    /// The output folder used by [`Site::build`].
    pub(crate) out: PathBuf,
}

impl Site {
    /// An empty site with a minimal `site.yaml` and an empty `content/`.
    pub(crate) fn new() -> Site {
        Site::with_config("title: \"Hostile\"\nbase_url: \"https://example.org/sub/\"\n")
    }

    /// An empty site with this `site.yaml`.
    pub(crate) fn with_config(config: &str) -> Site {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.yaml"), config).unwrap();
        let out = temp.path().join("out");
        Site { temp, root, out }
    }

    /// A copy of the folder `from` (holding `site.yaml` and `content/`).
    pub(crate) fn copy_of(from: &Path) -> Site {
        let site = Site::new();
        for item in walkdir::WalkDir::new(from).sort_by_file_name() {
            let item = item.unwrap();
            let to = site.root.join(item.path().strip_prefix(from).unwrap());
            if item.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(item.path(), &to).unwrap();
            }
        }
        site
    }

    /// The temporary folder holding `site/` and `out/`.
    pub(crate) fn temp(&self) -> &Path {
        self.temp.path()
    }

    /// Writes a file under the root, creating folders.
    pub(crate) fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// Runs `dateline build --output <out> --now NOW <args>` in the root.
    pub(crate) fn build(&self, args: &[&str]) -> Run {
        let out = self.out.to_str().unwrap();
        let all: Vec<&str> = ["build", "--output", out, "--now", NOW]
            .iter()
            .copied()
            .chain(args.iter().copied())
            .collect();
        run(&self.root, &all, Duration::from_secs(300))
    }

    /// Every file under the output, as (relative path, bytes).
    pub(crate) fn output(&self) -> Tree {
        tree(&self.out)
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    /// Exit code; -1 when killed by a signal.
    pub(crate) code: i32,
    /// Standard output.
    #[allow(dead_code)]
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
    /// Wall time.
    pub(crate) took: Duration,
}

/// Runs the binary in `cwd`, killing it after `limit` (the test then fails).
pub(crate) fn run(cwd: &Path, args: &[&str], limit: Duration) -> Run {
    run_command(Command::new(bin()).current_dir(cwd).args(args), limit)
}

/// Runs `command` with piped output, killing it after `limit`.
pub(crate) fn run_command(command: &mut Command, limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`dateline {:?}` still running after {limit:?}",
                command.get_args().collect::<Vec<_>>()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        took: started.elapsed(),
    }
}

/// A folder as data: `/`-separated relative path → bytes; folders as `path/`,
/// symbolic links as `path@` with their target.
pub(crate) type Tree = BTreeMap<String, Vec<u8>>;

/// Snapshot of everything under `dir`; empty when it does not exist.
pub(crate) fn tree(dir: &Path) -> Tree {
    let mut out = Tree::new();
    if std::fs::symlink_metadata(dir).is_err() {
        return out;
    }
    for item in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
    {
        let item = item.unwrap();
        let rel = item
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let kind = item.file_type();
        if kind.is_symlink() {
            let target = std::fs::read_link(item.path()).unwrap();
            out.insert(
                format!("{rel}@"),
                target.to_string_lossy().into_owned().into_bytes(),
            );
        } else if kind.is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
        } else {
            out.insert(rel, std::fs::read(item.path()).unwrap());
        }
    }
    out
}

/// The paths that differ between two trees.
pub(crate) fn differences(left: &Tree, right: &Tree) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    keys.into_iter()
        .filter(|k| left.get(*k) != right.get(*k))
        .cloned()
        .collect()
}

/// Elements the default theme itself uses that user content must never produce.
const THEME_ELEMENTS: &[&str] = &["meta", "link", "title", "form"];

/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements whose end tag HTML lets an author leave out.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "rt",
    "rp", "optgroup",
];

/// Checks that a page is well-formed enough and safe: the doctype first, one
/// `<html>` closed at the end, every other element closed in order, no
/// unescaped user markup (only the theme's own scripts; no event handlers; no
/// script addresses; JSON-LD free of `<`).
pub(crate) fn check_page(path: &str, html: &str) -> Result<(), String> {
    let fail = |why: String| Err(format!("{path}: {why}"));
    if !html.starts_with("<!DOCTYPE html>") {
        return fail(format!(
            "does not start with <!DOCTYPE html>: {:?}",
            &html[..html.len().min(40)]
        ));
    }
    if html.matches("<html").count() != 1
        || html.matches("</html>").count() != 1
        || !html.trim_end().ends_with("</html>")
    {
        return fail("not exactly one <html> … </html> ending the page".into());
    }
    // Script contents are not markup; check them apart and blank them out.
    let mut rest = html;
    let mut markup = String::with_capacity(html.len());
    while let Some(start) = rest.find("<script") {
        let open_end = rest[start..]
            .find('>')
            .map(|e| start + e + 1)
            .ok_or("unclosed <script tag")?;
        let close = rest[open_end..]
            .find("</script>")
            .map(|e| open_end + e)
            .ok_or("unclosed <script>")?;
        let open = &rest[start..open_end];
        let body = &rest[open_end..close];
        if open.contains("application/ld+json") {
            if body.contains('<') {
                return fail(format!("`<` inside JSON-LD: {body:?}"));
            }
            if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
                return fail(format!("JSON-LD does not parse ({e}): {body:?}"));
            }
        } else if !(open.contains(" src=\"") && open.contains("dateline.js") && body.is_empty()) {
            return fail(format!("a script that is not the theme's: {open}{body}"));
        }
        markup.push_str(&rest[..start]);
        rest = &rest[close + "</script>".len()..];
    }
    markup.push_str(rest);
    if let Err(e) = crate::harness::check_safe_html_allowing(&markup, THEME_ELEMENTS) {
        return fail(e);
    }
    balanced(&markup).or_else(fail)
}

/// Whether every element of `html` is closed in order (void elements and
/// optional end tags excepted).
fn balanced(html: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        let rest = &html[i..];
        if rest.starts_with("!--") {
            i += rest.find("-->").ok_or("unclosed comment")? + 3;
            continue;
        }
        if rest.starts_with('!') {
            continue;
        }
        let (closing, rest) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            return Err(format!(
                "a raw `<` in text: {:?}",
                &html[i.saturating_sub(20)..(i + 20).min(html.len())]
            ));
        }
        let name = rest[..name_len].to_ascii_lowercase();
        if closing {
            while stack
                .last()
                .is_some_and(|top| *top != name && OPTIONAL_END.contains(&top.as_str()))
            {
                stack.pop();
            }
            match stack.pop() {
                Some(top) if top == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else if !VOID.contains(&name.as_str()) {
            let tag_end = rest.find('>').ok_or("unclosed tag")?;
            if !rest[..tag_end].ends_with('/') {
                stack.push(name);
            }
        }
    }
    stack.retain(|t| !OPTIONAL_END.contains(&t.as_str()));
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed elements {stack:?}"))
    }
}

/// Checks every file of a built site: HTML pages with [`check_page`], XML with
/// a parser, JSON with a parser. Returns every problem.
pub(crate) fn check_output(out: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in out {
        if path.ends_with(".html") {
            match std::str::from_utf8(bytes) {
                Ok(html) => problems.extend(check_page(path, html).err()),
                Err(e) => problems.push(format!("{path}: not UTF-8: {e}")),
            }
        } else if path.ends_with(".xml") {
            let text = String::from_utf8_lossy(bytes);
            match roxmltree::Document::parse(&text) {
                // Atom carries HTML as escaped text in `type="html"` elements.
                Ok(doc) => {
                    for node in doc
                        .descendants()
                        .filter(|n| n.attribute("type") == Some("html"))
                    {
                        let html: String = node.descendants().filter_map(|n| n.text()).collect();
                        if let Err(e) = crate::harness::check_safe_html(&html) {
                            problems
                                .push(format!("{path}: <{}> HTML: {e}", node.tag_name().name()));
                        }
                    }
                }
                Err(e) => problems.push(format!("{path}: XML does not parse: {e}")),
            }
        } else if path.ends_with(".json") {
            match serde_json::from_slice::<serde_json::Value>(bytes) {
                // JSON Feed's `content_html` and TimelineJS's `headline`/`text` are HTML.
                Ok(value) => json_html(path, &value, None, &mut problems),
                Err(e) => problems.push(format!("{path}: JSON does not parse: {e}")),
            }
        }
    }
    problems
}

/// Checks the strings of a JSON file that its readers treat as HTML.
fn json_html(path: &str, value: &serde_json::Value, key: Option<&str>, problems: &mut Vec<String>) {
    let html_key = match path {
        "timeline.json" => matches!(key, Some("headline" | "text" | "caption" | "credit")),
        _ if path.ends_with("feed.json") => key == Some("content_html"),
        _ => false,
    };
    match value {
        serde_json::Value::String(s) if html_key => {
            if let Err(e) = crate::harness::check_safe_html(s) {
                problems.push(format!("{path}: `{}`: {e}", key.unwrap_or_default()));
            }
        }
        serde_json::Value::Array(items) => {
            items.iter().for_each(|v| json_html(path, v, key, problems))
        }
        serde_json::Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| json_html(path, v, Some(k), problems)),
        _ => {}
    }
}

/// Output files (HTML, XML) holding C0 control characters other than tab,
/// newline, form feed and carriage return, which HTML5 and XML 1.0 forbid.
pub(crate) fn control_characters(out: &Tree) -> Vec<String> {
    out.iter()
        .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".xml"))
        .filter(|(_, b)| {
            b.iter()
                .any(|&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c))
        })
        .map(|(p, _)| p.clone())
        .collect()
}

/// Quotes any string as a YAML double-quoted scalar: everything outside
/// printable ASCII is escaped, so YAML reads back exactly `text`.
pub(crate) fn yaml_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An entry file with this front matter (already YAML) and body.
pub(crate) fn entry(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n\n{body}\n")
}

/// The value of every `name="…"` attribute of a page, in document order.
pub(crate) fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .collect()
}
