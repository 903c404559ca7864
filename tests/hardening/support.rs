//! Helpers of the hardening tests alone (the rest is in `tests/common/`): a
//! [`Site`] built into `<temp>/out` with a fixed clock and a time limit, and
//! checks that a built page is well-formed and safe.

use std::ops::Deref;
use std::path::PathBuf;
use std::time::Duration;

use crate::common::{command, fixtures, run, tree, Fixture, Run, Tree};

/// A fixed clock, so no entry is held back and output is reproducible.
pub(crate) const NOW: &str = "2030-01-01T00:00:00Z";

/// A [`Fixture`] built into `<temp>/out`, beside the root, so the temporary
/// folder around both shows anything written beside them.
pub(crate) struct Site {
    fixture: Fixture,
    /// The output folder used by [`Site::build`].
    pub(crate) out: PathBuf,
}

impl Deref for Site {
    type Target = Fixture;

    fn deref(&self) -> &Fixture {
        &self.fixture
    }
}

impl Site {
    /// An empty site with a minimal `site.yaml` and an empty `content/`.
    pub(crate) fn new() -> Site {
        Site::with_config("title: \"Hostile\"\nbase_url: \"https://example.org/sub/\"\n")
    }

    /// An empty site with this `site.yaml`.
    pub(crate) fn with_config(config: &str) -> Site {
        let fixture = Fixture::with_config(config);
        let out = fixture.temp().join("out");
        Site { fixture, out }
    }

    /// `tests/fixtures/hostile/<name>/` over a [`Site::new`], whose
    /// `site.yaml` it keeps unless the folder has one.
    pub(crate) fn hostile(name: &str) -> Site {
        let from = fixtures().join("hostile").join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        let site = Site::new();
        site.copy_over(&from);
        site
    }

    /// Runs `dateline build --output <out> --now NOW <args>` in the root,
    /// failing the test after `limit`.
    pub(crate) fn build_within(&self, args: &[&str], limit: Duration) -> Run {
        let out = self.out.to_str().unwrap();
        let all: Vec<&str> = ["build", "--output", out, "--now", NOW]
            .iter()
            .copied()
            .chain(args.iter().copied())
            .collect();
        run(&mut command(&self.root, &all), Some(limit))
    }

    /// [`Site::build_within`] five minutes, far more than any case needs.
    pub(crate) fn build(&self, args: &[&str]) -> Run {
        self.build_within(args, Duration::from_secs(300))
    }

    /// Every file under the output, as (relative path, bytes).
    pub(crate) fn output(&self) -> Tree {
        tree(&self.out)
    }
}

/// Elements the default theme itself uses that user content must never produce.
const THEME_ELEMENTS: &[&str] = &["meta", "link", "title", "form", "noscript"];

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
        } else if !(is_theme_script(open) && body.is_empty()) {
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

/// Whether the opening tag `open` loads the theme's script: `dateline.js`, at
/// its content-hashed name (`dateline.4c029d62cc.js`).
fn is_theme_script(open: &str) -> bool {
    let Some(src) = open
        .split(" src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
    else {
        return false;
    };
    let name = src.rsplit('/').next().unwrap_or(src);
    let hash = name
        .strip_prefix("dateline.")
        .and_then(|n| n.strip_suffix(".js"));
    hash.is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}
