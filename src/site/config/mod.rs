//! `site.yaml` → [`Config`]: every key validated, defaults applied, unknown keys
//! reported with the nearest known one. First stage of the pipeline; each key's
//! reader is in [`read`].

mod deploy;
mod read;

use std::path::Path;

use chrono_tz::Tz;
use serde::Serialize;
use url::Url;

use crate::content::yaml;
use crate::date::{DateFormats, PartialDate};
use crate::diagnostic::{Diagnostic, FileReport};
use crate::error::Error;

pub(crate) use deploy::{Remote, Target, Targets};
pub use read::parse_url;
use read::{read_field, Raw};

/// Name of the configuration file at the site root.
pub(crate) const FILE_NAME: &str = "site.yaml";

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "taxonomies",
    "order",
    "timezone",
    "date_format",
    "feed_limit",
    "paginate",
    "allow_raw_html",
    "keep_image_metadata",
    "image_widths",
    "author",
    "eras",
    "day_counter",
    "deploy",
];

/// Front-matter keys every entry may use, besides the site's taxonomies, which
/// are front-matter keys too and so must not take one of these names.
pub(crate) const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "date",
    "end_date",
    "slug",
    "summary",
    "sources",
    "related",
    "image",
    "published",
    "updated",
    "corrections",
    "posts",
    "importance",
    "draft",
    "extra",
];

/// Timeline order on list pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// Earliest event first (the default).
    OldestFirst,
    /// The exact reverse.
    NewestFirst,
}

/// The site's author, for feeds and metadata.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Author {
    /// Display name.
    pub name: String,
    /// Home page, when given.
    pub url: Option<String>,
}

/// A named phase of the story.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Era {
    /// Heading shown on the timeline.
    pub title: String,
    /// First day.
    pub start: PartialDate,
    /// Last day.
    pub end: PartialDate,
}

/// The validated site configuration.
#[derive(Debug, Clone, Hash)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-line description for metadata; may be empty.
    pub description: String,
    /// Absolute URL of the site; its path always ends with `/`.
    pub base_url: Url,
    /// The address `site.yaml` gives, which names the site whatever
    /// `--base-url` a preview is built with.
    pub site_url: Url,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Taxonomy names, each also a front-matter key.
    pub taxonomies: Vec<String>,
    /// Order of timeline pages.
    pub order: Order,
    /// Zone for dates without a time, and for displaying times.
    pub timezone: Tz,
    /// Display formats per precision.
    pub date_format: DateFormats,
    /// Entries in each feed.
    pub feed_limit: usize,
    /// Entries per timeline page.
    pub paginate: usize,
    /// Whether raw HTML in Markdown passes unsanitized.
    pub allow_raw_html: bool,
    /// Publish JPEG, PNG and WebP files as they are, metadata (GPS, serial
    /// numbers) included, rather than stripped.
    pub keep_image_metadata: bool,
    /// The widths, in pixels, a photo is published at: the largest replaces
    /// the original when the photo is wider, the others are offered in `srcset`.
    pub image_widths: Vec<u32>,
    /// Author for feeds.
    pub author: Option<Author>,
    /// Named phases of the story.
    pub eras: Vec<Era>,
    /// Show "Day N" on entry pages, counted from this origin.
    pub day_counter: DayCounter,
    /// Where `dateline deploy` publishes the output.
    pub deploy: Targets,
}

/// Whether entry pages show "Day N" of the story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayCounter {
    /// Not shown (the default).
    Off,
    /// Day 1 is the day of the first event.
    FirstEvent,
    /// Day 1 is this date.
    From(PartialDate),
}

impl Config {
    /// The path part of `base_url`, e.g. `/metoo/`; every internal link starts with it.
    pub fn base_path(&self) -> &str {
        self.base_url.path()
    }
}

/// Reads `<root>/site.yaml`. `base_url` from the command line replaces the file's.
pub(crate) fn load(root: &Path, base_url: Option<&Url>) -> Result<Config, Error> {
    let (config, diagnostics) = load_lenient(root, base_url)?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Invalid(diagnostics));
    }
    Ok(config)
}

/// Reads `<root>/site.yaml` even when it has mistakes: every invalid or missing
/// value falls back to its default (a placeholder for `title` and `base_url`), so
/// the content can still be checked and every error reported in one run. Fails
/// only when there is no file to read.
pub(crate) fn load_lenient(
    root: &Path,
    base_url: Option<&Url>,
) -> Result<(Config, Vec<Diagnostic>), Error> {
    let path = root.join(FILE_NAME);
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::MissingConfig(root.to_path_buf()))
        }
        Err(e) => return Err(Error::io("read", &path)(e)),
    };
    match crate::content::load::decode(Path::new(FILE_NAME), text) {
        Ok(text) => Ok(parse_lenient(&text, base_url)),
        Err(d) => Ok((parse_lenient("", base_url).0, vec![d])),
    }
}

/// Parses the text of `site.yaml`, failing on any error.
pub fn parse(text: &str, base_url_override: Option<&Url>) -> Result<Config, Error> {
    let (config, diagnostics) = parse_lenient(text, base_url_override);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Invalid(diagnostics));
    }
    Ok(config)
}

/// Parses the text of `site.yaml` into the best configuration it allows, and its problems.
pub fn parse_lenient(text: &str, base_url_override: Option<&Url>) -> (Config, Vec<Diagnostic>) {
    let file = Path::new(FILE_NAME);
    let mut report = FileReport::new(file, text);
    let mut raw = Raw::default();
    // Keys written in the file; `None` when the YAML itself is invalid, and missing
    // keys would only repeat that error.
    let written: Option<Vec<String>> = match yaml::parse_mapping(text, 1) {
        Ok(mapping) => {
            for field in &mapping.fields {
                read_field(&mut raw, field, &mapping, &mut report);
            }
            Some(mapping.fields.iter().map(|f| f.key.clone()).collect())
        }
        Err(e) => {
            report.error_at(
                e.line,
                e.column,
                format!("invalid YAML: {}", e.message()),
                Some(e.help().into()),
            );
            None
        }
    };
    let yaml_ok = written.is_some();
    let written = |key: &str| written.as_ref().is_none_or(|w| w.iter().any(|k| k == key));
    let site_url = raw.base_url.clone();
    let base_url = match (base_url_override, raw.base_url) {
        (Some(url), _) => Some(url.clone()),
        (None, Some(url)) => Some(url),
        (None, None) if written("base_url") => None,
        (None, None) => {
            report.error(1, None, "`base_url` is missing", Some("add `base_url: \"https://example.org/\"` (the address the site will be published at), or pass `--base-url`".into()));
            None
        }
    };
    if yaml_ok && raw.title.is_none() && !written("title") {
        report.error(
            1,
            None,
            "`title` is missing",
            Some("add `title: \"My timeline\"`".into()),
        );
    }
    // Stands in for a missing address so the content can still be checked.
    let placeholder = || Url::parse("https://example.invalid/").expect("a constant, valid URL");
    let config = Config {
        title: raw.title.unwrap_or_else(|| "Untitled timeline".into()),
        description: raw.description.unwrap_or_default(),
        site_url: site_url
            .or_else(|| base_url.clone())
            .unwrap_or_else(placeholder),
        base_url: base_url.unwrap_or_else(placeholder),
        language: raw.language.unwrap_or_else(|| "en".into()),
        theme: raw.theme.unwrap_or_else(|| "default".into()),
        taxonomies: raw
            .taxonomies
            .unwrap_or_else(|| vec!["tags".into(), "people".into()]),
        order: raw.order.unwrap_or(Order::OldestFirst),
        timezone: raw.timezone.unwrap_or(Tz::UTC),
        date_format: raw.date_format.unwrap_or_default(),
        feed_limit: raw.feed_limit.unwrap_or(50),
        paginate: raw.paginate.unwrap_or(200),
        allow_raw_html: raw.allow_raw_html.unwrap_or(false),
        keep_image_metadata: raw.keep_image_metadata.unwrap_or(false),
        image_widths: raw.image_widths.unwrap_or_else(|| vec![480, 960, 1600]),
        author: raw.author,
        eras: raw.eras,
        day_counter: raw.day_counter.unwrap_or(DayCounter::Off),
        deploy: raw.deploy,
    };
    (config, report.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match parse(text, None) {
            Ok(_) => Vec::new(),
            Err(Error::Invalid(d)) => d.iter().map(ToString::to_string).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    #[test]
    fn applies_defaults() {
        let c = parse("title: T\nbase_url: https://example.org/metoo\n", None).expect("valid");
        assert_eq!(c.base_path(), "/metoo/");
        assert_eq!(c.taxonomies, ["tags", "people"]);
        assert_eq!(c.order, Order::OldestFirst);
        assert_eq!(c.timezone, Tz::UTC);
        assert_eq!(
            (c.feed_limit, c.paginate, c.allow_raw_html),
            (50, 200, false)
        );
        assert_eq!(c.language, "en");
    }

    #[test]
    fn unknown_keys_suggest_the_nearest() {
        let e = errors("title: T\nbase_url: https://e.org/\ntaxonomy: [tags]\n");
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("site.yaml:3:1: error: unknown key `taxonomy`"),
            "{}",
            e[0]
        );
        assert!(e[0].contains("did you mean `taxonomies`?"), "{}", e[0]);
    }

    #[test]
    fn reports_every_problem_at_once() {
        let e = errors("title: T\nbase_url: ftp://x\ntimezone: America/New_Yrok\ndate_format: { day: \"%Q\" }\norder: sideways\npaginate: 0\n");
        assert_eq!(e.len(), 5, "{e:#?}");
        assert!(
            e[1].contains("did you mean `America/New_York`?"),
            "{}",
            e[1]
        );
    }

    #[test]
    fn requires_title_and_base_url() {
        let e = errors("description: x\n");
        assert_eq!(e.len(), 2, "{e:#?}");
        let url = parse_url("https://override.example/").expect("url");
        assert!(parse("title: T\n", Some(&url)).is_ok());
    }

    #[test]
    fn reads_eras_and_checks_their_order() {
        let c = parse("title: T\nbase_url: https://e.org/\neras:\n  - { title: A, start: 2017-10-05, end: 2017-10-14 }\n", None).expect("valid");
        assert_eq!(c.eras.len(), 1);
        let e = errors("title: T\nbase_url: https://e.org/\neras:\n  - title: A\n    start: 2017-10-05\n    end: 2017-10-01\n");
        assert!(e[0].starts_with("site.yaml:6:"), "{}", e[0]);
    }

    #[test]
    fn reads_the_day_counter() {
        let c = |v: &str| {
            parse(
                &format!("title: T\nbase_url: https://e.org/\nday_counter: {v}\n"),
                None,
            )
            .map(|c| c.day_counter)
        };
        assert!(matches!(c("false"), Ok(DayCounter::Off)));
        assert!(matches!(c("true"), Ok(DayCounter::FirstEvent)));
        assert!(matches!(c("2017-10-05"), Ok(DayCounter::From(_))));
        assert!(c("soon").is_err());
    }

    #[test]
    fn rejects_clashing_taxonomies() {
        assert_eq!(
            errors("title: T\nbase_url: https://e.org/\ntaxonomies: [tags, entries]\n").len(),
            1
        );
        assert_eq!(
            errors("title: T\nbase_url: https://e.org/\ntaxonomies: [Places]\n").len(),
            1
        );
        assert!(errors("title: T\nbase_url: https://e.org/\ntaxonomies: [places]\n").is_empty());
    }
}
