//! The link crawler: every address in every output of a built site, resolved
//! the way a browser or feed reader would (the `url` crate), and checked to
//! stay under the site's base path and to name a file of the output.
//! (`tests/browser/crawl.test.js` checks what Chromium loads; this checks the
//! files.)

use serde_json::Value;
use url::Url;

use super::html::{json_ld, tags};
use super::Tree;

/// The address a page of the output is served at (`None` for 404.html, which
/// is served at any address).
pub(crate) fn page_url(base: &str, path: &str) -> Option<String> {
    if path == "404.html" {
        return None;
    }
    Some(format!(
        "{base}{}",
        path.strip_suffix("index.html").unwrap_or(path)
    ))
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

/// The text of output file `path`.
#[track_caller]
fn text<'t>(out: &'t Tree, path: &str) -> &'t str {
    std::str::from_utf8(&out[path]).unwrap_or_else(|e| panic!("`{path}` is not UTF-8: {e}"))
}

/// Every address an output file points at: `(file, address as written, resolved)`.
/// HTML: every `href` and `src` (relative ones against the page's address), every
/// other attribute holding an address, and the JSON-LD; XML (feeds, sitemap):
/// every attribute and text holding an address, and the links inside HTML
/// content; JSON: every string holding an address and the links inside HTML
/// strings; robots.txt: its `Sitemap:` line.
pub(crate) fn every_address(out: &Tree, base: &Url) -> Vec<(String, String, Url)> {
    fn is_address(s: &str) -> bool {
        s.starts_with("http://")
            || s.starts_with("https://")
            || (s.starts_with('/') && !s.starts_with("//"))
    }
    fn from_html(html: &str, found: &mut Vec<String>) {
        for tag in tags(html) {
            for (key, value) in &tag.attrs {
                if matches!(key.as_str(), "href" | "src") || is_address(value) {
                    found.push(value.clone());
                }
            }
        }
    }
    fn from_json(v: &Value, found: &mut Vec<String>) {
        match v {
            Value::String(s) if is_address(s) => found.push(s.clone()),
            Value::String(s) if s.contains('<') => from_html(s, found),
            Value::Array(items) => items.iter().for_each(|i| from_json(i, found)),
            Value::Object(map) => map.values().for_each(|i| from_json(i, found)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    for path in out.keys().filter(|p| !p.ends_with('/')) {
        let mut found = Vec::new();
        let mut against = base.clone();
        if path.ends_with(".html") {
            let html = text(out, path);
            from_html(html, &mut found);
            for (_, doc) in json_ld(html) {
                from_json(&doc, &mut found);
            }
            match page_url(base.as_str(), path) {
                Some(url) => against = Url::parse(&url).unwrap(),
                None => {
                    // Served at any address: a relative link would break.
                    for link in &found {
                        assert!(
                            is_address(link) || link.starts_with('#'),
                            "404.html: `{link}` is relative"
                        );
                    }
                    against = base.join("some/unknown/address/").unwrap();
                }
            }
        } else if path.ends_with(".xml") {
            let doc = roxmltree::Document::parse(text(out, path))
                .unwrap_or_else(|e| panic!("`{path}` is not XML: {e}"));
            for node in doc.descendants() {
                for attr in node.attributes() {
                    if is_address(attr.value()) {
                        found.push(attr.value().to_string());
                    }
                }
                if let Some(text) = node.text().filter(|_| node.is_element()) {
                    if is_address(text.trim()) {
                        found.push(text.trim().to_string());
                    } else if text.contains('<') {
                        from_html(text, &mut found);
                    }
                }
            }
        } else if path.ends_with(".json") {
            let doc: Value = serde_json::from_str(text(out, path))
                .unwrap_or_else(|e| panic!("`{path}` is not JSON: {e}"));
            from_json(&doc, &mut found);
        } else if path == "robots.txt" {
            found.extend(
                text(out, path)
                    .lines()
                    .filter_map(|l| l.strip_prefix("Sitemap:"))
                    .map(|s| s.trim().to_string()),
            );
        }
        for link in found {
            if link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let resolved = against
                .join(&link)
                .unwrap_or_else(|e| panic!("{path}: `{link}` is not an address: {e}"));
            all.push((path.clone(), link, resolved));
        }
    }
    all
}

/// Asserts every address of every output on the site's host lies under `base`'s
/// path and names a file of the output (a folder names its `index.html`), and
/// that feeds, TimelineJS data, the sitemap and robots.txt, which are read away
/// from the site, hold only absolute addresses. Returns how many internal
/// addresses were checked.
#[track_caller]
pub(crate) fn assert_every_address_resolves(out: &Tree, base: &str) -> usize {
    let base = Url::parse(base).unwrap();
    let mut checked = 0;
    for (file, link, url) in every_address(out, &base) {
        if !file.ends_with(".html") && file != "search-index.json" {
            assert!(
                link.starts_with("http://") || link.starts_with("https://"),
                "{file}: `{link}` is not absolute"
            );
        }
        if url.origin() != base.origin() {
            continue;
        }
        let rest = url
            .path()
            .strip_prefix(base.path())
            .unwrap_or_else(|| panic!("{file}: `{link}` escapes `{}`", base.path()));
        let rest = percent_encoding::percent_decode_str(rest)
            .decode_utf8()
            .unwrap();
        let target = file_at(&rest);
        assert!(
            out.contains_key(&target),
            "{file}: `{link}` points at a missing `{target}`"
        );
        checked += 1;
    }
    checked
}
