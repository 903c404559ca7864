//! Warnings over a linked site: things that do not break the build but that an
//! editor should fix before publishing. `check --strict` makes them errors.

use crate::diagnostic::Diagnostic;
use crate::site::link::Site;

/// Summaries longer than this read as articles on the timeline.
const LONG_SUMMARY: usize = 300;

/// Every warning about `site`.
pub(crate) fn warnings(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // No warning for an entry nothing links to: the timeline links every entry,
    // and most events follow from none in particular (it fired on most entries
    // of a new site and buried the warnings worth reading).
    for entry in site.entries.iter() {
        let line_of = |key: &str| {
            entry
                .text
                .lines()
                .position(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':'))
                .map_or(1, |i| i + 1)
        };
        if entry.sources.is_empty() {
            out.push(
                Diagnostic::warning(&entry.path, "entry cites no sources")
                    .at_line(1)
                    .help("add `sources: [{ title: \"…\", url: \"https://…\", publisher: \"…\" }]` so readers can verify it"),
            );
        }
        for (i, source) in entry
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.publisher.is_none())
        {
            let line = entry
                .text
                .lines()
                .position(|l| l.contains(&source.url))
                .map_or(line_of("sources"), |n| n + 1);
            out.push(
                Diagnostic::warning(&entry.path, format!("source {} has no publisher", i + 1))
                    .at_line(line)
                    .with_source(&entry.text, Some(&source.url))
                    .help("add `publisher: \"…\"` so readers and the sources page know who reported it"),
            );
        }
        if entry.summary.chars().count() > LONG_SUMMARY {
            out.push(
                Diagnostic::warning(
                    &entry.path,
                    format!(
                        "summary is {} characters long",
                        entry.summary.chars().count()
                    ),
                )
                .at_line(line_of("summary"))
                .help(format!(
                    "keep it under {LONG_SUMMARY} characters: one or two sentences"
                )),
            );
        }
        if entry.image.as_ref().is_some_and(|i| i.credit.is_none()) {
            let line = line_of("image");
            out.push(
                Diagnostic::warning(&entry.path, "image has no credit")
                    .at_line(line)
                    .with_source(&entry.text, Some("image"))
                    .help("add `credit: \"Photographer / Agency\"` under `image`"),
            );
        }
    }
    out
}
