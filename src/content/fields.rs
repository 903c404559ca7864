//! Readers for the typed values of front matter: text, dates, lists of terms,
//! corrections, the image, and the links and files a body refers to (sources
//! and posts are in `citations`).
//! Each reader reports its problems at their line and returns what it could read,
//! so one run finds every mistake of a file.

use std::path::Path;

use serde_json::Value;

use crate::content::assets::References;
use crate::content::entry::{Correction, EntryLink, Image, ImageSrc, Located, TermName};
use crate::content::markdown::{self, LinkKind};
use crate::content::yaml::{self, ListShape, Mapping};
use crate::date::PartialDate;
use crate::diagnostic::{did_you_mean, FileReport, Severity};
use crate::limits;
use crate::slug;

/// Most terms one entry may carry in one taxonomy: each term page shows the
/// entry with all its terms, so the output grows with the square of the count.
pub(crate) const MAX_TERMS: usize = 100;

const CORRECTIONS: ListShape<'static> = ListShape {
    key: "corrections",
    noun: "correction",
    fields: &["date", "text"],
    required: &["date", "text"],
    help: "write each correction as `- { date: 2017-10-20, text: \"…\" }`",
};

const IMAGE_HELP: &str = "write `image: { src: photo.jpg, alt: \"…\", credit: \"…\" }` with `src` a file next to the entry or an https address";

/// Reads typed values of one file's front matter, reporting each problem at its line.
pub(crate) struct Reader<'m, 'r, 'f> {
    /// The parsed front matter, to find the lines of nested values.
    pub mapping: &'m Mapping<'m>,
    /// Where problems go.
    pub report: &'r mut FileReport<'f>,
    /// The files the entry references, checked as they are found.
    pub files: References<'m>,
    /// The site's zone, in which dates without a time begin.
    pub timezone: chrono_tz::Tz,
}

impl Reader<'_, '_, '_> {
    /// Text, trimmed, of at most `max` characters; `required` text must not be empty.
    pub(crate) fn text(
        &mut self,
        line: usize,
        key: &str,
        v: &Value,
        required: bool,
        max: usize,
    ) -> Option<String> {
        match yaml::text(v) {
            Ok(t) if required && t.trim().is_empty() => {
                self.report
                    .error(line, Some(key), format!("`{key}` is empty"), None);
                None
            }
            Ok(t) => match limits::too_long(key, t.trim(), max) {
                Some((message, help)) => {
                    self.report.error(line, Some(key), message, Some(help));
                    None
                }
                None => Some(t.trim().to_string()),
            },
            Err(_) if v.is_null() => {
                let help = self.hash_hint(key, line);
                self.report
                    .error(line, Some(key), format!("`{key}` is empty"), help);
                None
            }
            Err(m) => {
                self.report
                    .error(line, Some(key), format!("`{key}`: {m}"), None);
                None
            }
        }
    }

    /// A date in any accepted form, within the years feeds and sitemaps can
    /// carry (0000 to 9999 in UTC).
    pub(crate) fn date(&mut self, line: usize, key: &str, v: &Value) -> Option<PartialDate> {
        match yaml::date(v) {
            Ok(d) => {
                use chrono::Datelike;
                // Feeds, sitemaps and JSON-LD carry the date's first instant.
                if !(0..=9999).contains(&d.start(self.timezone).year()) {
                    self.report.error(
                        line,
                        Some(key),
                        format!("`{key}` {} falls outside the years 0000 to 9999 in UTC, which feeds and sitemaps cannot carry", d.edtf()),
                        Some("give a date within the years 0000 to 9999 (times with an offset are counted in UTC)".into()),
                    );
                    return None;
                }
                Some(d)
            }
            Err(e) => {
                self.report.error(
                    line,
                    Some(key),
                    format!("`{key}`: {}", e.message),
                    Some(e.help),
                );
                None
            }
        }
    }

    /// An explicit `slug:`, which must already be a valid slug.
    pub(crate) fn slug(&mut self, line: usize, key: &str, v: &Value) -> Option<String> {
        let s = self.text(line, key, v, true, slug::MAX_LEN)?;
        if slug::is_valid(&s) {
            return Some(s);
        }
        let fixed = slug::normalize(&s);
        let help = if fixed.is_empty() {
            "use lower-case letters, digits and single `-`".to_string()
        } else {
            format!("use `{fixed}`")
        };
        self.report.error(
            line,
            Some(key),
            format!("slug `{s}` is not lower-case letters, digits and single `-`"),
            Some(help),
        );
        None
    }

    /// `importance`: 1, 2 or 3.
    pub(crate) fn importance(&mut self, line: usize, key: &str, v: &Value) -> Option<u8> {
        match yaml::integer(v) {
            Ok(n @ 1..=3) => u8::try_from(n).ok(),
            _ => {
                self.report.error(
                    line,
                    Some(key),
                    "`importance` must be 1, 2 or 3",
                    Some("1 = key event, 2 = normal (the default), 3 = minor".into()),
                );
                None
            }
        }
    }

    /// `true` or `false`.
    pub(crate) fn boolean(&mut self, line: usize, key: &str, v: &Value) -> Option<bool> {
        match yaml::boolean(v) {
            Ok(b) => Some(b),
            Err(m) => {
                self.report.error(
                    line,
                    Some(key),
                    format!("`{key}`: {m}"),
                    Some(format!("write `{key}: true` or `{key}: false`")),
                );
                None
            }
        }
    }

    /// A list of texts, each with its line.
    pub(crate) fn located_list(
        &mut self,
        line: usize,
        key: &str,
        v: &Value,
    ) -> Vec<Located<String>> {
        match yaml::text_list(v) {
            Ok(items) => {
                let lines = self.mapping.item_lines(line, items.len());
                items
                    .into_iter()
                    .zip(lines)
                    .map(|(value, line)| Located {
                        value: value.trim().to_string(),
                        line,
                    })
                    .collect()
            }
            Err(m) => {
                self.report.error(
                    line,
                    Some(key),
                    format!("`{key}`: {m}"),
                    Some(format!("write `{key}: [\"first\", \"second\"]`")),
                );
                Vec::new()
            }
        }
    }

    /// The terms of one taxonomy, each with its slug.
    pub(crate) fn terms(&mut self, line: usize, key: &str, v: &Value) -> Vec<TermName> {
        if v.is_null() {
            if let Some(help) = self.hash_hint(key, line) {
                self.report
                    .error(line, Some(key), format!("`{key}` is empty"), Some(help));
            }
            return Vec::new();
        }
        let written = self.located_list(line, key, v);
        for term in &written {
            let n = term.value.chars().count();
            if n > limits::TERM {
                self.report.error(
                    term.line,
                    Some(&term.value),
                    format!(
                        "a term in `{key}` is {n} characters long; dateline allows up to {}",
                        limits::TERM
                    ),
                    Some("shorten it: each term is shown on every card that carries it".into()),
                );
            }
        }
        if written.len() > MAX_TERMS {
            self.report.error(
                line,
                Some(key),
                format!("`{key}` lists {} terms; an entry may have up to {MAX_TERMS} in one taxonomy", written.len()),
                Some("keep the terms a reader would follow; each one gets a page that lists this entry".into()),
            );
            return Vec::new();
        }
        let terms: Vec<TermName> = written
            .into_iter()
            .map(|t| TermName {
                slug: slug::normalize(&t.value),
                name: t.value,
                line: t.line,
            })
            .collect();
        for term in terms.iter().filter(|t| t.slug.is_empty()) {
            self.report.error(
                term.line,
                Some(&term.name),
                format!(
                    "term `{}` has no letters or digits to make its URL from",
                    term.name
                ),
                Some("use a term with at least one letter or digit".into()),
            );
        }
        terms
    }

    /// Whether the list `v` under `key` holds at most `max` items; reports it
    /// when it holds more.
    pub(crate) fn at_most(&mut self, line: usize, key: &str, v: &Value, max: usize) -> bool {
        let n = v.as_array().map_or(0, Vec::len);
        match limits::too_many(key, n, max) {
            Some((message, help)) => {
                self.report.error(line, Some(key), message, Some(help));
                false
            }
            None => true,
        }
    }

    /// `corrections`: each `{date, text}`.
    pub(crate) fn corrections(&mut self, line: usize, v: &Value) -> Vec<Correction> {
        if !self.at_most(line, "corrections", v, limits::CORRECTIONS) {
            return Vec::new();
        }
        let items = self
            .mapping
            .list_of_maps(line, v, &CORRECTIONS, self.report);
        items
            .iter()
            .filter_map(|item| {
                let field = |name: &str| item.map.get(name).map(|v| (item.line_of(name), v));
                let (date_line, date) = field("date")?;
                let (text_line, text) = field("text")?;
                let date = self.date(date_line, "date", date);
                let text = self
                    .text(text_line, "text", text, true, limits::CORRECTION)
                    .map(|t| crate::content::typography::smarten(&t));
                Some(Correction {
                    date: date?,
                    text: text?,
                })
            })
            .collect()
    }

    pub(super) fn web_url(&mut self, line: usize, key: &str, v: &Value) -> Option<String> {
        let text = self.text(line, key, v, true, limits::URL)?;
        match url::Url::parse(&text) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Some(text),
            _ => {
                self.report.error(
                    line,
                    Some(key),
                    format!("`{key}` `{text}` is not an http(s) address"),
                    Some("write the full address, starting with `https://`".into()),
                );
                None
            }
        }
    }

    /// `image`: `{src, alt, caption?, credit?}`, `src` a file beside the entry or
    /// an `http(s)` address.
    pub(crate) fn image(&mut self, line: usize, v: &Value) -> Option<Image> {
        let Value::Object(map) = v else {
            self.report.error(
                line,
                Some("image"),
                format!("`image`: expected a map, found {}", yaml::kind(v)),
                Some(IMAGE_HELP.into()),
            );
            return None;
        };
        let (mut src, mut alt, mut caption, mut credit) = (None, None, None, None);
        let lines = self.mapping.nested_lines(line, map);
        for (key, value) in map {
            let l = lines.of(key);
            match key.as_str() {
                "src" => src = self.text(l, key, value, true, limits::URL).map(|s| (s, l)),
                "alt" => alt = self.text(l, key, value, false, limits::ALT),
                "caption" => {
                    caption = self
                        .text(l, key, value, false, limits::CAPTION)
                        .filter(|s| !s.is_empty());
                }
                "credit" => {
                    credit = self
                        .text(l, key, value, false, limits::CREDIT)
                        .filter(|s| !s.is_empty());
                }
                other if self.report.has_room(Severity::Error) => self.report.error(
                    l,
                    Some(other),
                    format!("unknown key `{other}` in `image`"),
                    Some(did_you_mean(other, &["src", "alt", "caption", "credit"])),
                ),
                _ => {}
            }
        }
        let (src, src_line) = match src {
            Some(s) => s,
            None => {
                if !map.contains_key("src") {
                    self.report.error(
                        line,
                        Some("image"),
                        "`image` has no `src`",
                        Some(IMAGE_HELP.into()),
                    );
                }
                return None;
            }
        };
        let Some(alt) = alt.filter(|a| !a.is_empty()) else {
            self.report.error(
                line,
                Some("image"),
                "`image` has no `alt` text",
                Some("describe the image for readers who cannot see it: `alt: \"…\"`".into()),
            );
            return None;
        };
        let src = match markdown::classify(&src) {
            LinkKind::External if src.starts_with("http://") || src.starts_with("https://") => {
                ImageSrc::Remote(src)
            }
            LinkKind::Asset { path } => ImageSrc::Local(self.file((src_line, 0), &src, &path)?),
            _ => {
                self.report.error(
                    src_line,
                    Some(&src),
                    format!(
                        "image `{src}` is neither a file beside the entry nor an http(s) address"
                    ),
                    Some(IMAGE_HELP.into()),
                );
                return None;
            }
        };
        Some(Image {
            src,
            alt,
            caption,
            credit,
        })
    }

    /// A help text when a value is empty because an unquoted `#` began a comment.
    fn hash_hint(&self, key: &str, line: usize) -> Option<String> {
        let text = self.mapping.line_text(line)?;
        let after = text.split_once(':')?.1.trim_start();
        after.starts_with('#').then(|| {
            format!("a value starting with `#` must be quoted: `{key}: [\"{}\"]` (an unquoted `#` starts a YAML comment)", after.trim_end())
        })
    }

    /// A file the entry references at `at` (line, and byte in the line where
    /// the reference starts), as written (`written`) and as a path relative to
    /// the entry (`rel`); its name in the entry's folder.
    pub(super) fn file(&mut self, at: (usize, usize), written: &str, rel: &str) -> Option<String> {
        match self.files.add(written, rel) {
            Ok(name) => Some(name),
            Err(refusal) => {
                self.report.push(
                    Severity::Error,
                    at,
                    Some(written),
                    refusal.message,
                    Some(refusal.help.into()),
                );
                None
            }
        }
    }

    /// The body's links to other entries, to files and from the host's root,
    /// each placed at its line.
    pub(crate) fn body_links(
        &mut self,
        entry: &Path,
        scan: &markdown::Scan,
        body: &str,
        body_line: usize,
    ) -> BodyLinks {
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(body.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        // The line of a body offset, and the byte in that line where it is.
        let place = |offset: usize| {
            let index = line_starts.partition_point(|&s| s <= offset) - 1;
            (body_line + index, offset - line_starts[index])
        };
        let mut found = BodyLinks::default();
        for link in &scan.links {
            let at = place(link.offset);
            let line = at.0;
            let dest = Some(link.dest.as_str());
            match markdown::classify(&link.dest) {
                LinkKind::Unsafe => self.report.push(Severity::Warning, at, dest, format!("link to `{}` is removed", link.dest), Some("links with `javascript:`, `vbscript:` or `data:` addresses are never published".into())),
                LinkKind::Entry { path, fragment } => match crate::content::assets::resolve(entry, &path) {
                    Some(target) => found.entries.push(EntryLink { dest: link.dest.clone(), target, fragment: fragment.map(str::to_string), line }),
                    None => self.report.push(Severity::Error, at, dest, format!("link `{}` points outside `content/`", link.dest), Some("link to entries inside `content/` with a path relative to this file".into())),
                },
                LinkKind::Asset { path } => {
                    if let Some(name) = self.file(at, &link.dest, &path) {
                        found.files.push((link.dest.clone(), name));
                    }
                }
                LinkKind::Rooted => found.rooted.push(Located { value: link.dest.clone(), line }),
                LinkKind::External | LinkKind::Local => {}
            }
        }
        found
    }
}

/// What [`Reader::body_links`] finds in a body.
#[derive(Default)]
pub(crate) struct BodyLinks {
    /// Links to other entries' files.
    pub entries: Vec<EntryLink>,
    /// For each link to a file, its destination as written and the file's name.
    pub files: Vec<(String, String)>,
    /// Links from the host's root (`/entries/x/`).
    pub rooted: Vec<Located<String>>,
}
