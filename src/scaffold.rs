//! `dateline new` (one entry file with its front matter filled in) and `dateline
//! init` (a working site skeleton). Neither ever overwrites a file.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::date::PartialDate;
use crate::diagnostic::{display_path, Diagnostic};
use crate::error::Error;
use crate::site::config;
use crate::slug;

/// Writes `content/<date>-<slug>.md` for a new entry titled `title`, dated `date`
/// or today in the site's zone. Returns the path written, relative to `root`.
pub fn new_entry(root: &Path, title: &str, date: Option<PartialDate>) -> Result<PathBuf, Error> {
    let config = config::load(root, None)?;
    let title = title.trim();
    let slug = slug::normalize(title);
    if slug.is_empty() {
        let d = Diagnostic::error(
            "",
            format!("the title `{title}` has no letters or digits to make a file name from"),
        )
        .help("give a title with words in it, e.g. `dateline new \"Milano's call\"`");
        return Err(Error::Invalid(vec![d]));
    }
    let date = date.unwrap_or_else(|| {
        PartialDate::from_day(Utc::now().with_timezone(&config.timezone).date_naive())
    });
    let machine = date.machine();
    let prefix = machine.get(..10).unwrap_or(&machine);
    let content = Path::new(crate::content::load::CONTENT_DIR);
    let same_file = content.join(format!("{prefix}-{slug}.md"));
    let rel = if root.join(&same_file).exists() {
        // The same title on the same day: most likely `new` run twice.
        same_file
    } else {
        content.join(format!(
            "{prefix}-{}.md",
            free_slug(&root.join(content), &slug)
        ))
    };
    let mut text = String::from("---\n");
    let _ = writeln!(
        text,
        "title: {}",
        serde_json::to_string(title).unwrap_or_default()
    );
    let _ = writeln!(text, "date: {}", date.edtf());
    // Written now, whenever the event was: without it `published` would be the
    // event's date, and feed readers would file a new entry about 2019 in 2019.
    let _ = writeln!(
        text,
        "published: {}",
        crate::date::published_now(config.timezone)
    );
    let _ = writeln!(
        text,
        "# Terms for the tag and people pages; quote terms that start with #, e.g. [\"#MeToo\"]."
    );
    for taxonomy in &config.taxonomies {
        let _ = writeln!(text, "{taxonomy}: []");
    }
    text.push_str("# Where the facts come from, one per line:\n#   - { title: \"…\", url: \"https://…\", publisher: \"…\", date: 2017-10-15 }\nsources: []\n---\n\n");
    text.push_str(
        "Write what happened. The first paragraph is the summary shown on the timeline.\n",
    );
    create_new(&root.join(&rel), &rel, &text)?;
    Ok(rel)
}

/// `slug`, or `slug-2`, `slug-3`, … when an entry under `content` already has
/// it: two entries with one slug would fail the next build.
fn free_slug(content: &Path, slug: &str) -> String {
    let taken: std::collections::HashSet<String> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| Some(slug::from_stem(e.path().file_stem()?.to_str()?)))
        .collect();
    std::iter::once(slug.to_string())
        .chain((2..).map(|n| format!("{slug}-{n}")))
        .find(|s| !taken.contains(s))
        .unwrap_or_else(|| slug.to_string())
}

/// Creates a working site in `dir`: `site.yaml`, one sample entry and a
/// `.gitignore`. Refuses a folder that is not empty.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let non_empty = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if non_empty || dir.is_file() {
        let d = Diagnostic::error(dir, "is not empty; `init` only creates new sites")
            .help("choose a new folder name, e.g. `dateline init my-timeline`");
        return Err(Error::Invalid(vec![d]));
    }
    let today = Utc::now().date_naive();
    let files: [(PathBuf, String); 3] = [
        (PathBuf::from(config::FILE_NAME), SITE_YAML.to_string()),
        (
            PathBuf::from(".gitignore"),
            "public/\n.dateline-cache/\n".to_string(),
        ),
        (
            Path::new(crate::content::load::CONTENT_DIR)
                .join(format!("{}-first-event.md", today.format("%Y-%m-%d"))),
            SAMPLE_ENTRY.replace("DATE", &today.format("%Y-%m-%d").to_string()),
        ),
    ];
    for (rel, text) in &files {
        create_new(&dir.join(rel), rel, text)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// Writes a file that must not exist yet, creating its folder.
fn create_new(path: &Path, shown: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(Error::io("create folder", parent))?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let d =
                Diagnostic::error(shown, "already exists; it is not overwritten").help(format!(
                    "edit `{}`, or choose another title or `--date`",
                    display_path(shown)
                ));
            return Err(Error::Invalid(vec![d]));
        }
        Err(e) => return Err(Error::io("create", path)(e)),
    };
    file.write_all(text.as_bytes())
        .map_err(Error::io("write", path))
}

const SITE_YAML: &str = r#"# dateline site configuration. Every key is optional except title and base_url.
title: "My timeline"
description: "What this timeline follows, in one sentence."
# The address the site will be published at; its path is the prefix of every link.
base_url: "https://example.org/"
language: en
# Dates without a time start at midnight here; times are shown in this zone.
timezone: UTC
# Front-matter keys that group entries into pages, e.g. /tags/<term>/.
taxonomies: [tags, people]
# oldest-first or newest-first
order: oldest-first
# Named phases of the story, shown on the timeline:
# eras:
#   - { title: "The first week", start: 2017-10-05, end: 2017-10-11 }
"#;

const SAMPLE_ENTRY: &str = r#"---
title: "The first event of the timeline"
date: DATE
tags: ["Example"]
people: []
sources:
  - { title: "Where this fact was reported", url: "https://example.org/report", publisher: "Example News" }
---

Each file in `content/` is one event. This first paragraph becomes the summary on
the timeline. Link to another event with a relative link to its file, for example
`[the next step](2017-10-16-next-step.md)`.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_then_new_then_build() {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = dir.path().join("site");
        let written = init(&site).expect("init");
        assert_eq!(written.len(), 3);
        assert!(init(&site).is_err(), "a second init refuses");
        let rel = new_entry(
            &site,
            "Milano's call: \"Me too\"",
            PartialDate::parse("2017-10-15").ok(),
        )
        .expect("new");
        assert_eq!(rel, Path::new("content/2017-10-15-milano-s-call-me-too.md"));
        assert!(matches!(
            new_entry(
                &site,
                "Milano's call: \"Me too\"",
                PartialDate::parse("2017-10-15").ok()
            ),
            Err(Error::Invalid(_))
        ));
        // The same title on another day takes a free slug.
        let other = new_entry(
            &site,
            "Milano's call: \"Me too\"",
            PartialDate::parse("2019-10-15").ok(),
        )
        .expect("new");
        assert_eq!(
            other,
            Path::new("content/2019-10-15-milano-s-call-me-too-2.md")
        );
        // Published when written, not when the event happened.
        let text = std::fs::read_to_string(site.join(&other)).expect("read");
        let published = text
            .lines()
            .find_map(|l| l.strip_prefix("published: "))
            .expect("published");
        let published = chrono::DateTime::parse_from_rfc3339(published).expect("RFC 3339");
        assert!(
            (Utc::now() - published.with_timezone(&Utc))
                .num_minutes()
                .abs()
                < 5
        );
        let options = crate::Options::new(&site);
        let compiled = crate::compile(&options).expect("the new site compiles");
        assert_eq!(compiled.site.entries.len(), 3);
        assert_eq!(
            compiled.site.entries[0].title,
            "Milano\u{2019}s call: \u{201c}Me too\u{201d}"
        );
    }
}
