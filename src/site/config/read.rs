//! The reader of each `site.yaml` key: its value checked and turned into the
//! type [`Config`] holds, or a message and its fix.

use chrono_tz::Tz;
use serde_json::Value;
use url::Url;

use super::{Author, DayCounter, Era, Order, FRONT_MATTER_KEYS, KEYS};
use crate::content::typography::smarten;
use crate::content::yaml;
use crate::date::{check_format, DateFormats};
use crate::diagnostic::{did_you_mean, suggest, FileReport, Severity};
use crate::limits;
use crate::slug;

/// Fields as read, before defaults.
#[derive(Default)]
pub(super) struct Raw {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) base_url: Option<Url>,
    pub(super) language: Option<String>,
    pub(super) theme: Option<String>,
    pub(super) taxonomies: Option<Vec<String>>,
    pub(super) order: Option<Order>,
    pub(super) timezone: Option<Tz>,
    pub(super) date_format: Option<DateFormats>,
    pub(super) feed_limit: Option<usize>,
    pub(super) paginate: Option<usize>,
    pub(super) allow_raw_html: Option<bool>,
    pub(super) keep_image_metadata: Option<bool>,
    pub(super) image_widths: Option<Vec<u32>>,
    pub(super) author: Option<Author>,
    pub(super) eras: Vec<Era>,
    pub(super) day_counter: Option<DayCounter>,
    pub(super) deploy: super::Targets,
}

pub(super) fn read_field(
    raw: &mut Raw,
    field: &yaml::Field,
    mapping: &yaml::Mapping<'_>,
    report: &mut FileReport<'_>,
) {
    let line = field.line;
    let key = field.key.as_str();
    let v = &field.value;
    if !KEYS.contains(&key) {
        if report.has_room(Severity::Error) {
            report.error(
                line,
                Some(key),
                format!("unknown key `{key}`"),
                Some(did_you_mean(key, KEYS)),
            );
        }
        return;
    }
    if key == "eras" {
        raw.eras = eras(mapping, line, v, report);
        return;
    }
    if key == "deploy" {
        raw.deploy = super::deploy::targets(mapping, line, v, report);
        return;
    }
    let result: Result<(), FieldError> = (|| {
        let plain = |r: Result<String, String>| r.map_err(|m| (m, None));
        match key {
            // Curled as entries' titles and bodies are.
            "title" => {
                let title = fits(plain(non_empty(v))?, limits::SITE_TITLE)?;
                raw.title = Some(smarten(&title));
            }
            "description" => {
                let description = fits(plain(yaml::text(v))?, limits::DESCRIPTION)?;
                raw.description = Some(smarten(&description));
            }
            "base_url" => raw.base_url = Some(parse_base_url(&plain(yaml::text(v))?)?),
            "language" => {
                let lang = plain(yaml::text(v))?;
                if !is_language_tag(&lang) {
                    return Err((
                        format!("`{lang}` is not a language tag"),
                        Some("use a BCP 47 tag such as `en`, `en-GB` or `de`".into()),
                    ));
                }
                raw.language = Some(lang);
            }
            "theme" => {
                let theme = plain(yaml::text(v))?;
                if !slug::is_valid(&theme)
                    && !theme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    || theme.is_empty()
                {
                    return Err((
                        format!("`{theme}` is not a theme folder name"),
                        Some("use the name of a folder under `themes/`, e.g. `default`".into()),
                    ));
                }
                raw.theme = Some(theme);
            }
            "taxonomies" => raw.taxonomies = Some(taxonomies(v)?),
            "order" => {
                raw.order = Some(match plain(yaml::text(v))?.as_str() {
                    "oldest-first" => Order::OldestFirst,
                    "newest-first" => Order::NewestFirst,
                    other => {
                        return Err((
                            format!("`{other}` is not an order"),
                            Some("use `oldest-first` or `newest-first`".into()),
                        ))
                    }
                });
            }
            "timezone" => {
                let name = plain(yaml::text(v))?;
                raw.timezone = Some(name.parse::<Tz>().map_err(|_| {
                    let help = suggest(&name, chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()))
                        .map_or(
                            "use an IANA zone name such as `America/New_York` or `UTC`".to_string(),
                            |n| format!("did you mean `{n}`?"),
                        );
                    (format!("`{name}` is not a time zone"), Some(help))
                })?);
            }
            "date_format" => raw.date_format = Some(date_format(v)?),
            "feed_limit" => raw.feed_limit = Some(positive(v)?),
            "paginate" => raw.paginate = Some(positive(v)?),
            "allow_raw_html" => raw.allow_raw_html = Some(yaml::boolean(v).map_err(|m| (m, None))?),
            "keep_image_metadata" => {
                raw.keep_image_metadata = Some(yaml::boolean(v).map_err(|m| (m, None))?);
            }
            "image_widths" => raw.image_widths = Some(image_widths(v)?),
            "author" => raw.author = author(v)?,
            "day_counter" => {
                raw.day_counter = Some(match v {
                    Value::Bool(false) | Value::Null => DayCounter::Off,
                    Value::Bool(true) => DayCounter::FirstEvent,
                    other => DayCounter::From(yaml::date(other).map_err(|e| (e.message, Some("write `day_counter: true` (from the first event) or a date such as `day_counter: 2017-10-05`".to_string())))?),
                });
            }
            _ => {}
        }
        Ok(())
    })();
    if let Err((message, help)) = result {
        report.error(line, Some(key), format!("`{key}`: {message}"), help);
    }
}

pub(super) type FieldError = (String, Option<String>);

/// `text`, when it has at most `max` characters.
fn fits(text: String, max: usize) -> Result<String, FieldError> {
    let n = text.chars().count();
    if n > max {
        return Err((
            format!("{n} characters, more than the {max} dateline allows"),
            Some("shorten it: it is repeated on every page that shows it".into()),
        ));
    }
    Ok(text)
}

fn non_empty(v: &Value) -> Result<String, String> {
    let t = yaml::text(v)?;
    if t.trim().is_empty() {
        return Err("must not be empty".into());
    }
    Ok(t)
}

/// `image_widths`: one to eight widths between 100 and 8,000 pixels, sorted.
fn image_widths(v: &Value) -> Result<Vec<u32>, FieldError> {
    let help =
        || Some("write a few widths in pixels, e.g. `image_widths: [480, 960, 1600]`".to_string());
    let Value::Array(items) = v else {
        return Err(("expected a list of widths".into(), help()));
    };
    if items.is_empty() || items.len() > 8 {
        return Err((
            format!("give one to eight widths, found {}", items.len()),
            help(),
        ));
    }
    let mut widths = Vec::with_capacity(items.len());
    for item in items {
        match yaml::integer(item) {
            Ok(n @ 100..=8000) => widths.push(u32::try_from(n).unwrap_or(8000)),
            Ok(n) => {
                return Err((
                    format!("width {n} is not between 100 and 8000 pixels"),
                    help(),
                ))
            }
            Err(m) => return Err((m, help())),
        }
    }
    widths.sort_unstable();
    widths.dedup();
    Ok(widths)
}

fn positive(v: &Value) -> Result<usize, FieldError> {
    match yaml::integer(v) {
        Ok(n) if n >= 1 => usize::try_from(n)
            .map_err(|_| (format!("{n} is more than this machine can count"), None)),
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
                    "name" => author.name = fits(text, limits::SITE_TITLE)?,
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
    let count = v.as_array().map_or(0, Vec::len);
    if let Some((message, help)) = limits::too_many("eras", count, limits::ERAS) {
        report.error(line, Some("eras"), message, Some(help));
        return Vec::new();
    }
    let items = mapping.list_of_maps(line, v, &ERAS, report);
    let mut eras = Vec::with_capacity(items.len());
    for item in items {
        let title = era_field(report, &item, "title", |v| {
            fits(non_empty(v).map_err(|m| (m, None))?, limits::ERA_TITLE).map(|t| smarten(&t))
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
            );
        })
        .ok()
}
