//! The fuzz harnesses: one function per target, each taking the raw fuzzer input.
//!
//! This file is shared: the `cargo fuzz` targets in `fuzz_targets/` call these
//! functions, and the integration test `tests/hardening` includes this file with
//! `#[path]` and runs every saved input of `fuzz/regressions/<target>/` through
//! the same function, so a crash found once stays fixed. It depends only on
//! `dateline` and its own dependencies (`chrono_tz`, `url`).
//!
//! Every harness must never panic on any input; a panic here is a bug in
//! `src/`, except for the explicit `assert!`s of the safety oracle
//! ([`assert_safe_html`]), which encode the sanitising promises of SPEC §2.

#![allow(clippy::unwrap_used, dead_code)]

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use chrono_tz::Tz;
use dateline::date::{DateFormats, PartialDate};
use dateline::parsers::markdown::{self, Rewrite};
use dateline::parsers::SourceFile;

/// A harness: takes the raw fuzzer input; panics on a bug.
pub type Harness = fn(&[u8]);

/// Every fuzz target by name, with its harness, for the regression runner.
pub const TARGETS: &[(&str, Harness)] = &[
    ("frontmatter", frontmatter),
    ("date", date),
    ("markdown", markdown),
    ("config", config),
    ("import_json", import_json),
    ("import_csv", import_csv),
];

/// A minimal valid configuration: a title and a base URL.
pub fn base_config() -> dateline::parsers::Config {
    dateline::parsers::config("title: T\nbase_url: https://e.org/\n", None)
        .expect("the base configuration is valid")
}

/// Zones with awkward rules: no DST, southern DST, a 30-minute offset, a date-line jump.
const ZONES: &[Tz] = &[
    Tz::UTC,
    Tz::America__New_York,
    Tz::Australia__Lord_Howe,
    Tz::Pacific__Apia,
    Tz::Asia__Kathmandu,
];

/// Front matter parse and validate: the input is the whole file, read as
/// `load` reads it (UTF-8 check, BOM, CRLF), then parsed as one entry of a site
/// that holds two assets. When the entry is valid its body is also rendered, in
/// both modes, and the sanitised output must be safe.
pub fn frontmatter(data: &[u8]) {
    let path = Path::new("content/2017-10-05-fuzz.md");
    let text = match dateline::parsers::decode(path, data.to_vec()) {
        Ok(text) => text,
        Err(d) => {
            let _ = d.render(false);
            return;
        }
    };
    let assets: BTreeSet<PathBuf> = [
        "content/photo.jpg",
        "content/sub/doc.pdf",
        "content/other.md",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    let config = base_config();
    let (entry, diagnostics) = dateline::parsers::entry(
        SourceFile {
            path: path.to_path_buf(),
            text,
        },
        &assets,
        &config,
    );
    for d in &diagnostics {
        let _ = d.render(false);
        let _ = d.render(true);
    }
    if let Some(entry) = entry {
        assert!(
            !diagnostics.iter().any(|d| d.is_error()),
            "an entry is returned only without errors"
        );
        assert!(
            dateline::parsers::is_slug(&entry.slug),
            "slug {:?} breaks the slug pattern",
            entry.slug
        );
        for list in &entry.terms {
            for term in list {
                assert!(
                    dateline::parsers::is_slug(&term.slug),
                    "term {:?} has slug {:?}",
                    term.name,
                    term.slug
                );
            }
        }
        for asset in &entry.assets {
            assert!(
                asset.source.starts_with("content"),
                "asset {:?} outside content/",
                asset.source
            );
            assert!(
                !asset.name.is_empty() && !asset.name.contains(['/', '\\', '\0']),
                "asset name {:?}",
                asset.name
            );
        }
        for source in &entry.sources {
            // Kept as written (it is the `href`), so a browser must read it as http(s) too.
            let scheme = url::Url::parse(&source.url).map(|u| u.scheme().to_string());
            assert!(
                matches!(scheme.as_deref(), Ok("http" | "https")),
                "source url {:?}",
                source.url
            );
            assert!(
                unsafe_scheme(&source.url).is_none(),
                "source url {:?}",
                source.url
            );
        }
        let _ = entry.date.display(&DateFormats::default(), Tz::UTC);
        let body = entry.body().to_string();
        let rewrite = |dest: &str| {
            entry
                .links
                .iter()
                .any(|l| l.dest == dest)
                .then(|| Rewrite::To("/entries/other/".into()))
        };
        let safe = markdown::render(&body, &rewrite, true);
        assert_safe_html(&safe, &body);
        let _ = markdown::render(&body, &rewrite, false);
    }
}

/// The date parser, and everything done with a parsed date: display in several
/// zones and precisions, period bounds, ordering, and the round trip through
/// its EDTF form.
pub fn date(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(d) = PartialDate::parse(text) else {
        return;
    };
    let formats = DateFormats::default();
    let odd = DateFormats {
        day: "%A %e %b %Y %j %U".into(),
        month: "%b %y".into(),
        year: "%C %G".into(),
        time: "%H:%M:%S%.3f %z %Z".into(),
    };
    for &tz in ZONES {
        let _ = d.display(&formats, tz);
        let _ = d.display(&odd, tz);
        let (start, end) = (d.start(tz), d.end(tz));
        assert!(
            start <= end,
            "{text:?}: period starts {start} after it ends {end} in {tz}"
        );
        let _ = d.local_year_month(tz);
        let _ = d.ends_before(&d, tz);
    }
    let (_, _, _, _) = (d.year(), d.month(), d.day(), d.time());
    let edtf = d.edtf();
    let again = PartialDate::parse(&edtf).unwrap_or_else(|e| {
        panic!(
            "{text:?} → EDTF {edtf:?} does not parse back: {}",
            e.message
        )
    });
    assert_eq!(again.edtf(), edtf, "{text:?}: EDTF round trip");
    assert_eq!(again.precision(), d.precision(), "{text:?}: precision kept");
}

/// Markdown rendering with link rewriting and sanitising. The first byte picks
/// the mode (bit 0: sanitise) and how links are rewritten; the rest is the body.
/// With sanitising on, or with no raw HTML in the body, the output must be safe.
pub fn markdown(data: &[u8]) {
    let (flags, body) = match data.split_first() {
        Some((f, rest)) => (*f, rest),
        None => (0, data),
    };
    let body = String::from_utf8_lossy(body);
    let sanitize = flags & 1 == 1;
    let scan = markdown::scan(&body);
    let _ = markdown::truncate_words(&scan.first_paragraph, markdown::SUMMARY_LEN);
    for link in &scan.links {
        assert!(
            link.offset <= body.len(),
            "link offset {} past the body",
            link.offset
        );
        let _ = markdown::classify(&link.dest);
    }
    // Rewrites as the linker does: `.md` links to entry URLs (or unlinked when
    // the target is held back), assets to their name beside the page.
    let unlink_held = flags & 2 == 2;
    let rewrite = |dest: &str| match markdown::classify(dest) {
        markdown::LinkKind::Entry { .. } if unlink_held && dest.len().is_multiple_of(2) => {
            Some(Rewrite::Unlink)
        }
        markdown::LinkKind::Entry { fragment, .. } => Some(Rewrite::To(format!(
            "/base/entries/e/{}",
            fragment.map(|f| format!("#{f}")).unwrap_or_default()
        ))),
        markdown::LinkKind::Asset { path } => path
            .rsplit('/')
            .next()
            .map(|name| Rewrite::To(name.to_string())),
        _ => None,
    };
    let html = markdown::render(&body, &rewrite, sanitize);
    // A body without `<` holds no raw HTML: its output must be safe unsanitised too.
    if sanitize || !body.contains('<') {
        assert_safe_html(&html, &body);
    }
}

/// `site.yaml` loading: the input is the file's bytes, read as `load_lenient`
/// reads it; a configuration that passes is then used to format dates and URLs.
pub fn config(data: &[u8]) {
    let text = match dateline::parsers::decode(Path::new("site.yaml"), data.to_vec()) {
        Ok(text) => text,
        Err(_) => return,
    };
    let (lenient, diagnostics) = dateline::parsers::config_lenient(&text, None);
    for d in &diagnostics {
        let _ = d.render(false);
    }
    let _ = lenient.base_path();
    let over = url::Url::parse("https://preview.example/sub/").unwrap();
    let _ = dateline::parsers::config(&text, Some(&over));
    if let Ok(config) = dateline::parsers::config(&text, None) {
        assert!(
            config.base_url.path().ends_with('/'),
            "base path {:?} does not end with /",
            config.base_url.path()
        );
        let urls = dateline::parsers::Urls::new(&config.base_url);
        let _ = urls.absolute(&urls.entry("a"));
        for sample in [
            "2017-10-15T12:21:00-07:00",
            "2017-10-15",
            "2017-10",
            "2017~",
            "0001-01-01",
            "9999-12-31T23:59:59+14:00",
        ] {
            let d = PartialDate::parse(sample).unwrap();
            let _ = d.display(&config.date_format, config.timezone);
            let _ = d.start(config.timezone);
        }
        for era in &config.eras {
            let _ = era.start.display(&config.date_format, config.timezone);
        }
    }
}

/// `dateline import timelinejs` on a TimelineJS3 JSON file, without the file
/// system: see [`import`].
pub fn import_json(data: &[u8]) {
    import(
        data,
        dateline::import::Format::Json,
        Path::new("timeline.json"),
    );
}

/// `dateline import timelinejs` on a Google-Sheet CSV export: see [`import`].
pub fn import_csv(data: &[u8]) {
    import(
        data,
        dateline::import::Format::Csv,
        Path::new("timeline.csv"),
    );
}

/// The input is the file, read as the command reads it; `import::convert` then
/// reads the events and plans every entry file. Either it refuses with at least
/// one error, or every planned file has a plain, unique name under `content/`,
/// reads back with `entry::parse` without a diagnostic and with a unique slug,
/// and its body renders safe even unsanitised (`allow_raw_html: true`).
pub fn import(data: &[u8], format: dateline::import::Format, file: &Path) {
    let Ok(text) = dateline::parsers::decode(file, data.to_vec()) else {
        return;
    };
    // A zone with DST gaps, so local times that do not exist are exercised.
    let config = dateline::parsers::config(
        "title: T\nbase_url: https://e.org/\ntimezone: America/New_York\n",
        None,
    )
    .expect("the import configuration is valid");
    let conversion = match dateline::import::convert(
        file,
        &text,
        format,
        config.timezone,
        "2026-01-01T00:00:00Z",
    ) {
        Ok(conversion) => conversion,
        Err(diagnostics) => {
            assert!(
                diagnostics.iter().any(|d| d.is_error()),
                "refused without an error"
            );
            for d in &diagnostics {
                let _ = d.render(false);
            }
            return;
        }
    };
    let mut names = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    for planned in &conversion.planned {
        let name = file_name_in_content(&planned.path);
        assert!(names.insert(name.clone()), "two files are named {name:?}");
        let entry = read_back(planned, &config);
        assert!(
            slugs.insert(entry.slug.clone()),
            "two entries have slug {:?}",
            entry.slug
        );
        let html = markdown::render(entry.body(), &|_| None, false);
        assert_safe_html(&html, &planned.text);
    }
}

/// The file name of `path`, which must be a plain `.md` name right under
/// `content/`, not hidden from the loader (`.`/`_`).
fn file_name_in_content(path: &Path) -> String {
    let mut parts = path.components();
    assert_eq!(
        parts.next(),
        Some(Component::Normal("content".as_ref())),
        "{path:?} is not under content/"
    );
    let name = match (parts.next(), parts.next()) {
        (Some(Component::Normal(name)), None) => name.to_string_lossy().into_owned(),
        _ => panic!("{path:?} is not a plain file name in content/"),
    };
    assert!(
        name.ends_with(".md") && !name.starts_with(['.', '_']) && !name.contains(['\\', '\0']),
        "file name {name:?}"
    );
    name
}

/// The entry a planned file is read back as, as `build` reads it; panics on
/// any diagnostic.
fn read_back(
    planned: &dateline::import::Planned,
    config: &dateline::parsers::Config,
) -> dateline::parsers::Entry {
    let text = dateline::parsers::decode(&planned.path, planned.text.clone().into_bytes())
        .expect("planned text is UTF-8");
    let source = SourceFile {
        path: planned.path.clone(),
        text,
    };
    match dateline::parsers::entry(source, &BTreeSet::new(), config) {
        (Some(entry), diagnostics) if diagnostics.is_empty() => entry,
        (_, diagnostics) => panic!(
            "{:?} does not read back: {diagnostics:#?}\n--- file ---\n{}",
            planned.path, planned.text
        ),
    }
}

/// Asserts that `html` cannot run script: no script-capable element, no event
/// handler attribute, and no `javascript:`/`vbscript:`/`data:` address in a URL
/// attribute, read as a browser reads them (entities decoded, tabs and newlines
/// dropped, leading spaces and control characters stripped, case folded).
pub fn assert_safe_html(html: &str, input: &str) {
    if let Err(why) = check_safe_html(html) {
        panic!("unsafe HTML: {why}\n--- input ---\n{input:?}\n--- output ---\n{html}");
    }
}

/// Elements that run script or change how the rest of the page is read.
const FORBIDDEN_TAGS: &[&str] = &[
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "base",
    "meta",
    "link",
    "form",
    "frame",
    "frameset",
    "applet",
    "svg",
    "math",
    "template",
    "noscript",
    "xmp",
    "plaintext",
    "textarea",
    "title",
];

/// Attributes holding addresses a browser follows or loads.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "background",
    "cite",
    "xlink:href",
    "srcset",
    "data",
    "longdesc",
    "usemap",
];

/// The check behind [`assert_safe_html`], returning what is wrong.
pub fn check_safe_html(html: &str) -> Result<(), String> {
    check_safe_html_allowing(html, &[])
}

/// [`check_safe_html`] for a whole page, whose theme may use some of the
/// forbidden elements itself (`<meta>`, `<link>`, `<title>`, `<form>`).
pub fn check_safe_html_allowing(html: &str, allowed: &[&str]) -> Result<(), String> {
    for tag in start_tags(html) {
        let name = tag.name.to_ascii_lowercase();
        if FORBIDDEN_TAGS.contains(&name.as_str()) && !allowed.contains(&name.as_str()) {
            return Err(format!("element <{name}>"));
        }
        for (attr, value) in &tag.attributes {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                return Err(format!("event handler attribute `{attr}` on <{name}>"));
            }
            if attr == "style" && value.to_ascii_lowercase().contains("expression(") {
                return Err(format!("style expression on <{name}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                if let Some(scheme) = unsafe_scheme(&decode_entities(value)) {
                    return Err(format!(
                        "`{scheme}:` address in {attr} of <{name}>: {value:?}"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// A start tag: its name and attributes (raw values, entities not decoded).
#[derive(Debug)]
pub struct StartTag {
    /// As written.
    pub name: String,
    /// Name and value, in order.
    pub attributes: Vec<(String, String)>,
}

/// The start tags of `html`, tokenised like the HTML5 "data" and "tag" states
/// (comments and doctypes skipped). Enough for serialised output, which quotes
/// every value.
pub fn start_tags(html: &str) -> Vec<StartTag> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if i >= b.len() || !(b[i].is_ascii_alphabetic()) {
            continue; // `</x`, `<!x`, `<?`, or text `<`
        }
        let start = i;
        while i < b.len() && !matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') {
            i += 1;
        }
        let name = html[start..i].to_string();
        let mut attributes = Vec::new();
        loop {
            while i < b.len() && matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let a = i;
            i += 1; // the first character may be `=`
            while i < b.len()
                && !matches!(
                    b[i],
                    b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>' | b'='
                )
            {
                i += 1;
            }
            let attr = html[a..i].to_string();
            while i < b.len() && matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let v = i + 1;
                    let end = html[v..].find(q as char).map_or(b.len(), |e| v + e);
                    value = html[v..end].to_string();
                    i = (end + 1).min(b.len());
                } else {
                    let v = i;
                    while i < b.len()
                        && !matches!(b[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'>')
                    {
                        i += 1;
                    }
                    value = html[v..i].to_string();
                }
            }
            attributes.push((attr, value));
        }
        tags.push(StartTag { name, attributes });
    }
    tags
}

/// Decodes numeric character references and the named ones that matter for
/// schemes; others are left as written.
pub fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let body_end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |e| e + 1);
        let body = &rest[1..body_end];
        let decoded = if let Some(num) = body.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            n.map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
        } else {
            match body.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[body_end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `javascript`, `vbscript` or `data` when a browser would read `url` with that scheme.
pub fn unsafe_scheme(url: &str) -> Option<&'static str> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript", "vbscript", "data"]
        .into_iter()
        .find(|s| cleaned.strip_prefix(s).is_some_and(|r| r.starts_with(':')))
}

/// Runs `harness` on every file under `dir` (recursively), returning how many.
pub fn replay(dir: &Path, harness: fn(&[u8])) -> usize {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(list) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut items: Vec<PathBuf> = list.filter_map(Result::ok).map(|e| e.path()).collect();
        items.sort();
        for p in items {
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
            {
                let bytes = std::fs::read(&p).unwrap();
                harness(&bytes);
                n += 1;
            }
        }
    }
    n
}
