//! Property tests: sites generated from arbitrary strings as titles, terms,
//! slugs, summaries, source titles and file names (with `../`, `/`, `\`, NUL,
//! 300+ bytes, markup, and Unicode that normalises to the same slug) either
//! build or return errors — never panic — and a build writes nothing outside
//! its output folder, leaves the site untouched and no staging folder behind,
//! and produces only well-formed, script-free pages.
//!
//! Builds run in-process through the library (a panic fails the property) and
//! into a fresh temporary folder per case. Case counts keep each property to a
//! few seconds; `PROPTEST_CASES=2000 cargo test --test hardening properties`
//! runs a longer search.

use std::collections::BTreeSet;

use proptest::prelude::*;

use crate::common::{differences, tree};
use crate::support::{check_output, entry, yaml_quote, Site, NOW};

/// Pieces a hostile or careless contributor writes.
const PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",
    "</title><script>x</script>",
    "javascript:alert(1)",
    "data:text/html,<script>x</script>",
    "../",
    "../../",
    "/",
    "\\",
    "..\\..\\",
    "\0",
    ".",
    "..",
    "_",
    "-",
    " ",
    "\t",
    "\n",
    "#",
    "#MeToo",
    "metoo",
    "MeToo",
    "é",
    "e\u{301}",
    "É",
    "Ｍｅｔｏｏ",
    "ß",
    "İ",
    "ﬁ",
    "東京",
    "🙂",
    "\u{200b}",
    "\u{2028}",
    "\u{feff}",
    "\u{202e}",
    "&amp;",
    "&lt;",
    "&#60;",
    "{{ site.title }}",
    "{% raw %}",
    "]]>",
    "<![CDATA[",
    "</script>",
    "<!--",
    "`",
    "|",
    "*",
    "[x](javascript:alert(1))",
    "CON",
    "aux",
    "index.html",
    "feed.xml",
    "%2e%2e%2f",
    "~",
    "?",
    ":",
    "'",
    "\"",
];

/// One hostile string: pieces and arbitrary characters, sometimes 300+ bytes.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_string),
        2 => "[a-zA-Z0-9 ]{1,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(16).collect()),
        1 => (1usize..5).prop_map(|n| "long-word".repeat(n * 12)),
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|parts| parts.concat())
}

/// An entry of a generated site.
#[derive(Debug, Clone)]
struct GenEntry {
    file: String,
    title: String,
    slug: Option<String>,
    summary: Option<String>,
    tags: Vec<String>,
    people: Vec<String>,
    source_title: String,
    alt: String,
    body: String,
}

/// A hostile string that still has a letter or digit most of the time, so
/// most generated sites get past validation and reach the renderer.
fn mostly_valid() -> impl Strategy<Value = String> {
    (hostile(), proptest::bool::weighted(0.85)).prop_map(|(s, fix)| {
        if fix {
            format!("{s} z{}", s.len())
        } else {
            s
        }
    })
}

fn gen_entry() -> impl Strategy<Value = GenEntry> {
    (
        (
            mostly_valid(),
            mostly_valid(),
            proptest::option::weighted(0.15, hostile()),
            proptest::option::weighted(0.5, hostile()),
        ),
        (
            proptest::collection::vec(mostly_valid(), 0..4),
            proptest::collection::vec(mostly_valid(), 0..3),
        ),
        (mostly_valid(), mostly_valid(), hostile()),
    )
        .prop_map(
            |((file, title, slug, summary), (tags, people), (source_title, alt, body))| GenEntry {
                file,
                title,
                slug,
                summary,
                tags,
                people,
                source_title,
                alt,
                body,
            },
        )
}

/// Writes the entry; `false` when the OS refuses its file name (NUL, too long)
/// or the name would leave `content/` (those cases are about the build, not
/// about this test writing outside its folder).
fn write_entry(site: &Site, e: &GenEntry, n: usize) -> bool {
    let parts: Vec<&str> = e.file.split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
        || parts.len() > 3
    {
        return false;
    }
    let list = |terms: &[String]| {
        format!(
            "[{}]",
            terms
                .iter()
                .map(|t| yaml_quote(t))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut front = format!(
        "title: {}\ndate: 2017-10-{:02}\n",
        yaml_quote(&e.title),
        1 + n % 28
    );
    if let Some(slug) = &e.slug {
        front += &format!("slug: {}\n", yaml_quote(slug));
    }
    if let Some(summary) = &e.summary {
        front += &format!("summary: {}\n", yaml_quote(summary));
    }
    front += &format!("tags: {}\npeople: {}\n", list(&e.tags), list(&e.people));
    front += &format!(
        "sources:\n  - title: {}\n    url: \"https://example.org/a?b=<c>&d\"\n    publisher: {}\n",
        yaml_quote(&e.source_title),
        yaml_quote(&e.title)
    );
    front += &format!(
        "image: {{ src: \"https://example.org/p.jpg\", alt: {}, caption: {} }}\n",
        yaml_quote(&e.alt),
        yaml_quote(&e.title)
    );
    let path = site.root.join("content").join(format!("{}.md", e.file));
    if path
        .parent()
        .is_some_and(|p| std::fs::create_dir_all(p).is_err())
    {
        return false;
    }
    std::fs::write(&path, entry(&front, &e.body)).is_ok()
}

/// Builds `site` in-process and checks every promise; returns a failure message.
fn build_and_check(site: &Site) -> Result<bool, String> {
    let before_site = tree(&site.root);
    let mut options = dateline::Options::new(&site.root);
    options.now = Some(NOW.parse().unwrap());
    let result = dateline::build(&options, &site.out);
    // Nothing beside the output: the temporary folder holds the site and, after
    // a success, the output; nothing else (no staging folder, no stray file).
    let mut beside: BTreeSet<String> = std::fs::read_dir(site.temp())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.remove("site");
    let built = result.is_ok();
    if built && !beside.remove("out") {
        return Err("the build succeeded but wrote no output folder".into());
    }
    if !beside.is_empty() {
        return Err(format!(
            "written beside the output: {beside:?} (result {result:?})"
        ));
    }
    let after_site = tree(&site.root);
    if before_site != after_site {
        return Err(format!(
            "the site changed: {:?}",
            differences(&before_site, &after_site)
        ));
    }
    if std::env::var_os("HARDENING_STATS").is_some() {
        match &result {
            Ok(_) => eprintln!("case: built"),
            Err(dateline::Error::Invalid(d)) => d.iter().filter(|d| d.is_error()).for_each(|d| {
                eprintln!(
                    "case: refused: {}",
                    d.to_string()
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .split(": error: ")
                        .nth(1)
                        .unwrap_or_default()
                        .chars()
                        .take(40)
                        .collect::<String>()
                )
            }),
            Err(e) => eprintln!("case: failed: {e}"),
        }
    }
    match result {
        Ok(_) => {
            let out = site.output();
            let problems = check_output(&out);
            if !problems.is_empty() {
                return Err(problems.join("\n"));
            }
            Ok(true)
        }
        Err(dateline::Error::Invalid(diagnostics)) => {
            if diagnostics.iter().any(|d| d.is_error()) {
                Ok(false)
            } else {
                Err(format!(
                    "failed without an error diagnostic: {diagnostics:?}"
                ))
            }
        }
        Err(other) => Err(format!("failed with a non-content error: {other}")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary strings everywhere a contributor writes text or names a file.
    #[test]
    fn any_site_builds_or_fails_cleanly_and_stays_inside_its_output(entries in proptest::collection::vec(gen_entry(), 1..4)) {
        let site = Site::new();
        let written = entries.iter().enumerate().filter(|(n, e)| write_entry(&site, e, *n)).count();
        prop_assume!(written > 0);
        build_and_check(&site).map_err(TestCaseError::fail)?;
    }

    /// Names that differ only in case, accents or Unicode form normalise to one
    /// slug: the build must fail with a duplicate-slug error, never overwrite.
    #[test]
    fn names_that_normalise_alike_are_a_duplicate_slug(base in "[a-z]{1,8}( [a-z]{1,8}){0,2}", variant in 0usize..4) {
        let other = match variant {
            0 => base.to_uppercase(),
            1 => base.replace('e', "é").replace('a', "á"),
            2 => base.replace('e', "e\u{301}").replace('a', "a\u{301}"),
            _ => base.replace(' ', "__"),
        };
        prop_assume!(other != base);
        let site = Site::new();
        site.write(&format!("content/{base}.md"), entry("title: \"A\"\ndate: 2017-10-01", "a"));
        site.write(&format!("content/{other}.md"), entry("title: \"B\"\ndate: 2017-10-02", "b"));
        let mut options = dateline::Options::new(&site.root);
        options.now = Some(NOW.parse().unwrap());
        match dateline::build(&options, &site.out) {
            Err(dateline::Error::Invalid(d)) => {
                let text: Vec<String> = d.iter().map(ToString::to_string).collect();
                prop_assert!(text.iter().any(|t| t.contains("is also used by")), "{text:?}");
            }
            other => prop_assert!(false, "expected a duplicate-slug error, got {other:?}"),
        }
        prop_assert!(!site.out.exists());
    }
}
