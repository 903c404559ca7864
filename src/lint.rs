//! Warnings over a linked site: things that do not break the build but that an
//! editor should fix before publishing. `check --strict` makes them errors.

use crate::diagnostic::Diagnostic;
use crate::link::Site;

/// Every warning about `site`.
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for entry in &site.entries {
        let line_of = |key: &str| {
            entry.text.lines().position(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':')).map_or(1, |i| i + 1)
        };
        if entry.sources.is_empty() {
            out.push(
                Diagnostic::warning(&entry.path, "entry cites no sources")
                    .at_line(1)
                    .help("add `sources: [{ title: \"…\", url: \"https://…\", publisher: \"…\" }]` so readers can verify it"),
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
