//! `dateline import timelinejs`: turns a TimelineJS3 timeline (its JSON, or the
//! Google-Sheet template exported as CSV) into one entry file per event under
//! `content/`, keeping each date's precision, so a newsroom moves an existing
//! timeline in one command. Nothing is written if any event is invalid or any
//! target file already exists.
//!
//! The stages: `read` turns the file into `Event`s; `entry` turns each event
//! into a draft entry, its HTML fields read by `html` (plain text) and
//! `markdown` (the body); [`convert`] gives each draft a unique file name; and
//! [`timelinejs`] refuses existing files and writes. Everything but the last
//! step is a pure function of the input text, which the fuzzer calls.

mod entry;
mod html;
mod markdown;
mod read;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::content::load::CONTENT_DIR;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::slug;

/// The two files TimelineJS3 timelines come as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The timeline's JSON (`{"events": […]}`).
    Json,
    /// The Google-Sheet template's CSV export.
    Csv,
}

impl Format {
    /// The format of `file`: CSV for a `.csv` extension, JSON otherwise.
    pub fn of(file: &Path) -> Format {
        match file.extension() {
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Json,
        }
    }
}

/// One entry file an import would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// Relative to the site root: `content/<date>-<slug>.md`.
    pub path: PathBuf,
    /// The whole file.
    pub text: String,
}

/// What a timeline converts to.
#[derive(Debug, Default)]
pub struct Conversion {
    /// One file per event, in the timeline's order, with unique names.
    pub planned: Vec<Planned>,
    /// Things the editor should know: the title slide and eras, media and
    /// groups that were left out.
    pub notes: Vec<String>,
}

/// What an import wrote.
#[derive(Debug)]
pub struct ImportReport {
    /// Files written, relative to the site root.
    pub written: Vec<PathBuf>,
    /// Things the editor should know (title slide and eras not imported).
    pub notes: Vec<String>,
}

/// Imports `file` (`.json` or `.csv`) into `<root>/content/`.
pub fn timelinejs(file: &Path, root: &Path) -> Result<ImportReport, Error> {
    let bytes = std::fs::read(file).map_err(Error::io("read", file))?;
    let text = crate::content::load::decode(file, bytes).map_err(|d| Error::Invalid(vec![d]))?;
    let tz = crate::site::config::load(root, None).map_or(Tz::UTC, |c| c.timezone);
    let published = crate::date::published_now(tz);
    let conversion =
        convert(file, &text, Format::of(file), tz, &published).map_err(Error::Invalid)?;
    refuse_existing(root, &conversion.planned)?;
    let written = write(root, conversion.planned)?;
    Ok(ImportReport {
        written,
        notes: conversion.notes,
    })
}

/// Reads the timeline in `text` (from `file`, for messages) and plans each entry
/// file's name and text, times local to `tz`, each entry `published` then (RFC
/// 3339). Every invalid event is reported,
/// each naming the event or row and what to fix.
pub fn convert(
    file: &Path,
    text: &str,
    format: Format,
    tz: Tz,
    published: &str,
) -> Result<Conversion, Vec<Diagnostic>> {
    let timeline = match format {
        Format::Json => read::json(file, text),
        Format::Csv => read::csv(file, text),
    }
    .map_err(|d| vec![d.with_source(text, None)])?;
    let mut conversion = Conversion {
        planned: Vec::with_capacity(timeline.events.len()),
        notes: timeline.notes,
    };
    let mut problems = Vec::new();
    let mut names = Names::default();
    for event in &timeline.events {
        let draft = match entry::draft(event, tz) {
            Ok(draft) => draft,
            Err(message) => {
                let mut d = Diagnostic::error(file, format!("{}: {message}", event.origin))
                    .help("fix the event in the source timeline and import again");
                if let Some(line) = event.line {
                    d = d.at_line(line).with_source(text, None);
                }
                problems.push(d);
                continue;
            }
        };
        let origin = &event.origin;
        let notes = draft.notes.iter().map(|n| format!("{origin}: {n}"));
        conversion.notes.extend(notes);
        let slug = names.claim(&draft.prefix, &draft.slug);
        let (name, text) = draft.finish(&slug, published);
        conversion.planned.push(Planned {
            path: Path::new(CONTENT_DIR).join(name),
            text,
        });
    }
    if problems.is_empty() {
        Ok(conversion)
    } else {
        Err(problems)
    }
}

/// The slugs and file names given so far. Two events with the same slug become
/// `slug`, `slug-2`, `slug-3`, …: the first number not taken, as before, but the
/// search for a base slug resumes where its last one stopped, so 20,000 events
/// with one headline cost 40,000 look-ups rather than 200 million.
#[derive(Debug, Default)]
struct Names {
    slugs: HashSet<String>,
    files: HashSet<String>,
    /// The next number to try for each stem (the base slug, or what `-n` leaves
    /// of a long one).
    next: HashMap<String, usize>,
    /// How many names were tried, which the tests count instead of timing.
    #[cfg(test)]
    tries: usize,
}

impl Names {
    /// A slug for an entry whose file name starts with `prefix`, unique among the
    /// slugs and file names given so far (`2017` + `10-x` and `2017-10` + `x`
    /// would share a file name).
    fn claim(&mut self, prefix: &str, base: &str) -> String {
        if self.take(prefix, base) {
            return base.to_string();
        }
        let mut n = 2;
        loop {
            // Counted by stem rather than by base: long bases that are cut to one
            // stem share its numbers, so they too skip what is taken.
            let kept = stem(base, n);
            let resume = self.next.get(kept).copied().unwrap_or(n);
            if resume > n && stem(base, resume) == kept {
                n = resume;
            }
            let slug = format!("{kept}-{n}");
            n += 1;
            let free = self.take(prefix, &slug);
            let next = self.next.entry(kept.to_string()).or_insert(n);
            *next = (*next).max(n);
            if free {
                return slug;
            }
        }
    }

    /// Takes `slug` when it and its file name are both free.
    fn take(&mut self, prefix: &str, slug: &str) -> bool {
        #[cfg(test)]
        {
            self.tries += 1;
        }
        let file = format!("{prefix}-{slug}");
        if self.slugs.contains(slug) || self.files.contains(&file) {
            return false;
        }
        self.slugs.insert(slug.to_string());
        self.files.insert(file);
        true
    }
}

/// What `base-n` keeps of `base`: all of it, unless `base-n` would pass
/// [`slug::MAX_LEN`] (a longer slug is not valid, and the file name's would be
/// cut back to `base`); then it is cut at a `-`.
fn stem(base: &str, n: usize) -> &str {
    let digits = n.checked_ilog10().map_or(1, |d| d as usize + 1);
    let room = slug::MAX_LEN.saturating_sub(digits + 1);
    match base.get(..room) {
        Some(head) if head.len() < base.len() => {
            let cut = head.rfind('-').filter(|&c| c > 0).unwrap_or(room);
            head.get(..cut).unwrap_or(head).trim_end_matches('-')
        }
        _ => base,
    }
}

/// Refuses the import when any planned file exists, naming every one.
fn refuse_existing(root: &Path, planned: &[Planned]) -> Result<(), Error> {
    let problems: Vec<Diagnostic> = planned
        .iter()
        .filter(|p| root.join(&p.path).exists())
        .map(|p| {
            Diagnostic::error(&p.path, "already exists; import does not overwrite files")
                .help("move or delete the existing file, or import into a new site with `--root`")
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Writes the planned files, returning their paths relative to `root`.
fn write(root: &Path, planned: Vec<Planned>) -> Result<Vec<PathBuf>, Error> {
    let content = root.join(CONTENT_DIR);
    std::fs::create_dir_all(&content).map_err(Error::io("create folder", &content))?;
    let mut written = Vec::with_capacity(planned.len());
    for Planned { path, text } in planned {
        use std::io::Write;
        let full = root.join(&path);
        // `create_new` so a file that appeared since the check is still not overwritten.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)
            .map_err(Error::io("create", &full))?;
        f.write_all(text.as_bytes())
            .map_err(Error::io("write", &full))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: &str = "2026-12-08T09:30:00Z";

    fn names_of(json: &str) -> Vec<String> {
        let conversion = convert(Path::new("t.json"), json, Format::Json, Tz::UTC, PUBLISHED)
            .expect("valid timeline");
        conversion
            .planned
            .iter()
            .map(|p| p.path.to_string_lossy().into_owned())
            .collect()
    }

    /// A JSON event on `date` (`2017`, `2017-10`, `2017-10-05`).
    fn event(date: &str, headline: &str) -> String {
        let parts: Vec<String> = date
            .split('-')
            .zip(["year", "month", "day"])
            .map(|(value, key)| format!("\"{key}\": \"{value}\""))
            .collect();
        format!(
            r#"{{ "start_date": {{ {} }}, "text": {{ "headline": "{headline}" }} }}"#,
            parts.join(", ")
        )
    }

    fn timeline(events: &[String]) -> String {
        format!("{{ \"events\": [{}] }}", events.join(","))
    }

    #[test]
    fn duplicate_slugs_are_numbered_as_before() {
        let events: Vec<String> = ["A", "A", "A-2", "A", "B"]
            .iter()
            .map(|h| event("2017", h))
            .collect();
        assert_eq!(
            names_of(&timeline(&events)),
            [
                "content/2017-a.md",
                "content/2017-a-2.md",
                "content/2017-a-2-2.md",
                "content/2017-a-3.md",
                "content/2017-b.md",
            ]
        );
    }

    #[test]
    fn many_events_with_one_headline_are_numbered_in_linear_time() {
        let mut claimed = Names::default();
        let names: Vec<String> = (0..20_000).map(|_| claimed.claim("2017", "same")).collect();
        // Each event tries its own slug and then one numbered name; the search
        // that started from `-2` every time tried 200 million.
        assert_eq!(claimed.tries, 2 * 20_000 - 1);
        assert_eq!(names[0], "same");
        assert_eq!(names[1], "same-2");
        assert_eq!(names[19_999], "same-20000");
        let unique: HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn long_slugs_cut_to_one_stem_share_their_numbers() {
        // 2,000 headlines that differ only past the length limit, each twice:
        // every duplicate is cut to the same stem, and must not try every number
        // the others took.
        let mut names = Names::default();
        let common = "x".repeat(slug::MAX_LEN - 6);
        let slugs: Vec<String> = (0..2_000)
            .flat_map(|i| [i, i])
            .map(|i| names.claim("2017", &format!("{common}-{i:05}")))
            .collect();
        let unique: HashSet<&String> = slugs.iter().collect();
        assert_eq!(unique.len(), slugs.len());
        assert!(slugs.iter().all(|s| slug::is_valid(s)));
        assert!(names.tries < 4 * slugs.len(), "{} tries", names.tries);
    }

    #[test]
    fn file_names_stay_unique_when_slugs_look_like_dates() {
        let json = timeline(&[event("2017", "10 x"), event("2017-10", "x")]);
        let conversion = convert(Path::new("t.json"), &json, Format::Json, Tz::UTC, PUBLISHED)
            .expect("valid timeline");
        let files: Vec<(String, bool)> = conversion
            .planned
            .iter()
            .map(|p| {
                let name = p.path.to_string_lossy().into_owned();
                (name, p.text.contains("\nslug: "))
            })
            .collect();
        assert_eq!(
            files,
            [
                ("content/2017-10-x.md".to_string(), true),
                ("content/2017-10-x-2.md".to_string(), false)
            ],
            "the first says its slug `10-x`, which its file name would make `x`"
        );
    }

    #[test]
    fn numbered_slugs_stay_within_the_length_limit() {
        let base = format!("{}-{}", "a".repeat(60), "b".repeat(59));
        assert_eq!(base.len(), slug::MAX_LEN);
        let mut names = Names::default();
        let first = names.claim("2017", &base);
        assert_eq!(first, base);
        let two = names.claim("2017", &base);
        assert_eq!(two, format!("{}-2", "a".repeat(60)));
        assert!(slug::is_valid(&two));
        let long = "c".repeat(slug::MAX_LEN);
        let n = format!("{}-12", stem(&long, 12));
        assert!(slug::is_valid(&n), "{n}");
        assert_eq!(stem("short", 3), "short");
        assert_eq!(stem(&"d".repeat(118), 9), "d".repeat(118));
        assert_eq!(stem(&"d".repeat(118), 10), "d".repeat(117));
    }

    #[test]
    fn every_invalid_event_is_named() {
        let events = [
            event("2017", "fine"),
            event("13000", "too late"),
            event("2017", "<b></b>"),
        ];
        let problems = convert(
            Path::new("t.json"),
            &timeline(&events),
            Format::Json,
            Tz::UTC,
            PUBLISHED,
        )
        .expect_err("invalid");
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "event 2: year 13000 is outside 0–9999, which dateline cannot show",
                "event 3: the event has no headline"
            ]
        );
    }

    #[test]
    fn csv_problems_point_at_their_line() {
        let csv = "Year,Headline\n2017,A\n2017,\"<a title=İ href=éx></a>\"\n";
        let problems = convert(Path::new("t.csv"), csv, Format::Csv, Tz::UTC, PUBLISHED)
            .expect_err("no headline");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.starts_with("row 3: "),
            "{:?}",
            problems[0]
        );
        assert_eq!(problems[0].span.map(|s| s.line), Some(3));
    }

    #[test]
    fn notes_name_their_event() {
        let json = r#"{ "events": [{ "start_date": { "year": "2017" }, "text": { "headline": "A" },
            "media": { "url": "<iframe src=x>" }, "group": "</script>" }] }"#;
        let conversion =
            convert(Path::new("t.json"), json, Format::Json, Tz::UTC, PUBLISHED).expect("valid");
        assert_eq!(conversion.notes.len(), 2, "{:?}", conversion.notes);
        assert!(conversion.notes.iter().all(|n| n.starts_with("event 1: ")));
    }
}
