//! `site.yaml` → [`Config`]: every key validated, defaults applied, unknown keys
//! reported with the nearest known one. First stage of the pipeline.

use std::path::Path;

use chrono_tz::Tz;
use serde::Serialize;
use serde_json::Value;
use url::Url;

use crate::content::yaml;
use crate::date::{check_format, DateFormats, PartialDate};
use crate::diagnostic::{did_you_mean, suggest, Diagnostic, FileReport};
use crate::error::Error;
use crate::slug;

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
    "author",
    "eras",
    "day_counter",
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
    /// Author for feeds.
    pub author: Option<Author>,
    /// Named phases of the story.
    pub eras: Vec<Era>,
    /// Show "Day N" on entry pages, counted from this origin.
    pub day_counter: DayCounter,
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
        author: raw.author,
        eras: raw.eras,
        day_counter: raw.day_counter.unwrap_or(DayCounter::Off),
    };
    (config, report.diagnostics)
}

/// Fields as read, before defaults.
#[derive(Default)]
struct Raw {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<Url>,
    language: Option<String>,
    theme: Option<String>,
    taxonomies: Option<Vec<String>>,
    order: Option<Order>,
    timezone: Option<Tz>,
    date_format: Option<DateFormats>,
    feed_limit: Option<usize>,
    paginate: Option<usize>,
    allow_raw_html: Option<bool>,
    author: Option<Author>,
    eras: Vec<Era>,
    day_counter: Option<DayCounter>,
}

fn read_field(
    raw: &mut Raw,
    field: &yaml::Field,
    mapping: &yaml::Mapping<'_>,
    report: &mut FileReport<'_>,
) {
    let line = field.line;
    let key = field.key.as_str();
    let v = &field.value;
    if !KEYS.contains(&key) {
        report.error(
            line,
            Some(key),
            format!("unknown key `{key}`"),
            Some(did_you_mean(key, KEYS)),
        );
        return;
    }
    if key == "eras" {
        raw.eras = eras(mapping, line, v, report);
        return;
    }
    let result: Result<(), FieldError> = (|| {
        let plain = |r: Result<String, String>| r.map_err(|m| (m, None));
        match key {
            "title" => raw.title = Some(plain(non_empty(v))?),
            "description" => raw.description = Some(plain(yaml::text(v))?),
            "base_url" => raw.base_url = Some(parse_base_url(&plain(yaml::text(v))?)?),
            "language" => {
                let lang = plain(yaml::text(v))?;
                if !is_language_tag(&lang) {
                    return Err((format!("`{lang}` is not a language tag"), Some("use a BCP 47 tag such as `en`, `en-GB` or `de`".into())));
                }
                raw.language = Some(lang);
            }
            "theme" => {
                let theme = plain(yaml::text(v))?;
                if !slug::is_valid(&theme) && !theme.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') || theme.is_empty() {
                    return Err((format!("`{theme}` is not a theme folder name"), Some("use the name of a folder under `themes/`, e.g. `default`".into())));
                }
                raw.theme = Some(theme);
            }
            "taxonomies" => raw.taxonomies = Some(taxonomies(v)?),
            "order" => {
                raw.order = Some(match plain(yaml::text(v))?.as_str() {
                    "oldest-first" => Order::OldestFirst,
                    "newest-first" => Order::NewestFirst,
                    other => return Err((format!("`{other}` is not an order"), Some("use `oldest-first` or `newest-first`".into()))),
                })
            }
            "timezone" => {
                let name = plain(yaml::text(v))?;
                raw.timezone = Some(name.parse::<Tz>().map_err(|_| {
                    let help = suggest(&name, chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()))
                        .map_or("use an IANA zone name such as `America/New_York` or `UTC`".to_string(), |n| format!("did you mean `{n}`?"));
                    (format!("`{name}` is not a time zone"), Some(help))
                })?);
            }
            "date_format" => raw.date_format = Some(date_format(v)?),
            "feed_limit" => raw.feed_limit = Some(positive(v)?),
            "paginate" => raw.paginate = Some(positive(v)?),
            "allow_raw_html" => raw.allow_raw_html = Some(yaml::boolean(v).map_err(|m| (m, None))?),
            "author" => raw.author = author(v)?,
            "day_counter" => {
                raw.day_counter = Some(match v {
                    Value::Bool(false) | Value::Null => DayCounter::Off,
                    Value::Bool(true) => DayCounter::FirstEvent,
                    other => DayCounter::From(yaml::date(other).map_err(|e| (e.message, Some("write `day_counter: true` (from the first event) or a date such as `day_counter: 2017-10-05`".to_string())))?),
                })
            }
            _ => {}
        }
        Ok(())
    })();
    if let Err((message, help)) = result {
        report.error(line, Some(key), format!("`{key}`: {message}"), help);
    }
}

type FieldError = (String, Option<String>);

fn non_empty(v: &Value) -> Result<String, String> {
    let t = yaml::text(v)?;
    if t.trim().is_empty() {
        return Err("must not be empty".into());
    }
    Ok(t)
}

fn positive(v: &Value) -> Result<usize, FieldError> {
    match yaml::integer(v) {
        Ok(n) if n >= 1 => Ok(n as usize),
        Ok(n) => Err((format!("must be at least 1, found {n}"), None)),
        Err(m) => Err((m, None)),
    }
}

fn parse_base_url(text: &str) -> Result<Url, FieldError> {
    parse_url(text).map_err(|m| {
        (
            m,
            Some("write an absolute address such as `https://example.org/metoo/`".into()),
        )
    })
}

/// Parses an absolute `http(s)` site address and makes its path end with `/`.
pub fn parse_url(text: &str) -> Result<Url, String> {
    let mut url =
        Url::parse(text.trim()).map_err(|e| format!("`{text}` is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("`{text}` must start with `http://` or `https://`"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("`{text}` must not have a `?query` or `#fragment`"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn taxonomies(v: &Value) -> Result<Vec<String>, FieldError> {
    let names = yaml::text_list(v).map_err(|m| (m, None))?;
    let mut seen = Vec::new();
    for name in names {
        if !slug::is_valid(&name) {
            return Err((
                format!("taxonomy `{name}` is not a valid name"),
                Some("use lower-case letters, digits and `-`, e.g. `places`".into()),
            ));
        }
        if FRONT_MATTER_KEYS.contains(&name.as_str())
            || crate::urls::RESERVED_FOLDERS.contains(&name.as_str())
            || name.bytes().all(|b| b.is_ascii_digit())
        {
            return Err((
                format!("taxonomy `{name}` clashes with a front-matter key or an output folder"),
                Some("choose another name".into()),
            ));
        }
        if seen.contains(&name) {
            return Err((format!("taxonomy `{name}` is listed twice"), None));
        }
        seen.push(name);
    }
    Ok(seen)
}

fn date_format(v: &Value) -> Result<DateFormats, FieldError> {
    let Value::Object(map) = v else {
        return Err((
            format!("expected a map, found {}", yaml::kind(v)),
            Some(
                "write `date_format: { day: \"%-d %B %Y\", month: \"%B %Y\", year: \"%Y\" }`"
                    .into(),
            ),
        ));
    };
    let mut formats = DateFormats::default();
    for (key, value) in map {
        let pattern = yaml::text(value).map_err(|m| (format!("`{key}`: {m}"), None))?;
        check_format(&pattern).map_err(|m| (m, Some("see the strftime table at https://docs.rs/chrono/latest/chrono/format/strftime/".into())))?;
        match key.as_str() {
            "day" => formats.day = pattern,
            "month" => formats.month = pattern,
            "year" => formats.year = pattern,
            "time" => formats.time = pattern,
            other => {
                return Err((
                    format!("unknown key `{other}`"),
                    Some(did_you_mean(other, &["day", "month", "year", "time"])),
                ))
            }
        }
    }
    Ok(formats)
}

fn author(v: &Value) -> Result<Option<Author>, FieldError> {
    match v {
        Value::Null => Ok(None),
        Value::String(name) => Ok(Some(Author {
            name: name.clone(),
            url: None,
        })),
        Value::Object(map) => {
            let mut author = Author {
                name: String::new(),
                url: None,
            };
            for (key, value) in map {
                let text = yaml::text(value).map_err(|m| (format!("`{key}`: {m}"), None))?;
                match key.as_str() {
                    "name" => author.name = text,
                    "url" => author.url = Some(text),
                    other => {
                        return Err((
                            format!("unknown key `{other}`"),
                            Some(did_you_mean(other, &["name", "url"])),
                        ))
                    }
                }
            }
            if author.name.is_empty() {
                return Err((
                    "`name` is missing".into(),
                    Some("write `author: { name: \"Newsroom\", url: \"https://…\" }`".into()),
                ));
            }
            Ok(Some(author))
        }
        other => Err((format!("expected a map, found {}", yaml::kind(other)), None)),
    }
}

/// The eras of the story: each `{title, start, end}`, in the order written.
fn eras(
    mapping: &yaml::Mapping<'_>,
    line: usize,
    v: &Value,
    report: &mut FileReport<'_>,
) -> Vec<Era> {
    const ERAS: yaml::ListShape<'static> = yaml::ListShape {
        key: "eras",
        noun: "era",
        fields: &["title", "start", "end"],
        required: &["title", "start", "end"],
        help: "write `- { title: \"…\", start: 2017-10-05, end: 2017-10-14 }` items",
    };
    let items = mapping.list_of_maps(line, v, &ERAS, report);
    let mut eras = Vec::with_capacity(items.len());
    for item in items {
        let title = era_field(report, &item, "title", |v| {
            non_empty(v).map_err(|m| (m, None))
        });
        let date = |v: &Value| yaml::date(v).map_err(|e| (e.message, Some(e.help)));
        let start = era_field(report, &item, "start", date);
        let end = era_field(report, &item, "end", date);
        let (Some(title), Some(start), Some(end)) = (title, start, end) else {
            continue;
        };
        if end.ends_before(&start, Tz::UTC) {
            report.error(
                item.line_of("end"),
                Some("end"),
                format!("era `{title}` ends before it starts"),
                Some("make `end` the same as or later than `start`".into()),
            );
        }
        eras.push(Era { title, start, end });
    }
    eras
}

/// Field `key` of an era, read by `read`; a problem is reported at its line.
fn era_field<T>(
    report: &mut FileReport<'_>,
    item: &yaml::Item<'_>,
    key: &str,
    read: impl Fn(&Value) -> Result<T, FieldError>,
) -> Option<T> {
    let value = item.map.get(key)?;
    read(value)
        .map_err(|(message, help)| {
            report.error(
                item.line_of(key),
                Some(key),
                format!("`{key}`: {message}"),
                help,
            )
        })
        .ok()
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
