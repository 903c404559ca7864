//! One content file → one [`Entry`]: the front matter is split off and read key by
//! key (unknown keys get the nearest known one), the slug is derived, the body is
//! scanned for links and files, and the summary is defaulted. Parsing is pure per
//! file, so [`parse_all`] runs in parallel and gathers every problem of every file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use crate::content::assets::References;
use crate::content::entry::{
    Asset, Correction, Entry, EntryLink, Image, Located, Post, Source, TermName,
};
use crate::content::fields::Reader;
use crate::content::frontmatter::{self, Split};
use crate::content::load::SourceFile;
use crate::content::markdown;
use crate::content::typography;
use crate::content::yaml::{self, Mapping};
use crate::date::PartialDate;
use crate::diagnostic::{did_you_mean, Diagnostic, FileReport, Severity};
use crate::limits;
use crate::site::config::{Config, FRONT_MATTER_KEYS};
use crate::slug;

/// What parsing one file gave: the entry (when it has no errors) and its diagnostics.
pub type Parsed = (Option<Entry>, Vec<Diagnostic>);

/// Parses every file in parallel, keeping the input order; `tick` runs after each.
pub(crate) fn parse_all(
    sources: Vec<SourceFile>,
    assets: &BTreeSet<PathBuf>,
    config: &Config,
    tick: &(dyn Fn() + Sync),
) -> Vec<(PathBuf, Parsed)> {
    sources
        .into_par_iter()
        .map(|file| {
            let parsed = (file.path.clone(), parse(file, assets, config));
            tick();
            parsed
        })
        .collect()
}

/// Parses one file. The entry is `None` when the file has errors.
pub fn parse(file: SourceFile, assets: &BTreeSet<PathBuf>, config: &Config) -> Parsed {
    let SourceFile { path, text } = file;
    let mut report = FileReport::new(&path, &text);
    let fields = read(&path, &text, assets, config, &mut report);
    let mut diagnostics = report.finish();
    // Lists are checked for their shape before their values are read: put the
    // problems back in the order of the file.
    diagnostics.sort_by_key(|d| d.span.map(|s| (s.line, s.column)));
    let entry = fields
        .filter(|_| !diagnostics.iter().any(Diagnostic::is_error))
        .and_then(|f| f.into_entry(path, text, config));
    (entry, diagnostics)
}

/// Everything read from one file, before it owns its text. A required value is
/// `None` until read; the file has an error when one stays `None`.
struct Fields {
    slug: String,
    slug_line: Option<usize>,
    title: Option<String>,
    date: Option<PartialDate>,
    end_date: Option<PartialDate>,
    summary: String,
    terms: Vec<Vec<TermName>>,
    sources: Vec<Source>,
    posts: Vec<Post>,
    related: Vec<Located<String>>,
    image: Option<Image>,
    published: Option<PartialDate>,
    updated: Option<PartialDate>,
    corrections: Vec<Correction>,
    importance: u8,
    draft: bool,
    extra: Value,
    body_start: usize,
    links: Vec<EntryLink>,
    assets: Vec<Asset>,
    asset_links: Vec<(String, String)>,
    rooted_links: Vec<Located<String>>,
}

impl Fields {
    /// Nothing read yet: every default in place.
    fn new(config: &Config, body_start: usize) -> Self {
        Fields {
            slug: String::new(),
            slug_line: None,
            title: None,
            date: None,
            end_date: None,
            summary: String::new(),
            terms: vec![Vec::new(); config.taxonomies.len()],
            sources: Vec::new(),
            posts: Vec::new(),
            related: Vec::new(),
            image: None,
            published: None,
            updated: None,
            corrections: Vec::new(),
            importance: 2,
            draft: false,
            extra: Value::Null,
            body_start,
            links: Vec::new(),
            assets: Vec::new(),
            asset_links: Vec::new(),
            rooted_links: Vec::new(),
        }
    }

    /// The entry, with its instants and displayed dates computed once for the
    /// site's zone and formats (a change of configuration re-parses every file);
    /// `None` when a required value is missing.
    fn into_entry(self, path: PathBuf, text: String, config: &Config) -> Option<Entry> {
        let tz = config.timezone;
        let Fields {
            slug,
            slug_line,
            title,
            date,
            end_date,
            summary,
            terms,
            sources,
            posts,
            related,
            image,
            published,
            updated,
            corrections,
            importance,
            draft,
            extra,
            body_start,
            links,
            assets,
            asset_links,
            rooted_links,
        } = self;
        let (title, date) = (title?, date?);
        let published_given = published.is_some();
        let published = published.unwrap_or(date);
        let formats = &config.date_format;
        let shown = (
            date.display(formats, tz),
            end_date.map(|d| d.display(formats, tz)),
        );
        let start = date.start(tz);
        let published_at = published.start(tz);
        let edited_at = std::iter::once(published_at)
            .chain(updated.map(|d| d.start(tz)))
            .chain(corrections.iter().map(|c| c.date.start(tz)))
            .max()
            .unwrap_or(published_at);
        let text_hash = crate::hash::fingerprint(&text);
        Some(Entry {
            path,
            text,
            text_hash,
            start,
            published_at,
            edited_at,
            shown,
            slug,
            slug_line,
            title,
            date,
            end_date,
            summary,
            terms,
            sources,
            posts,
            related,
            image,
            published,
            published_given,
            updated,
            corrections,
            importance,
            draft,
            extra,
            body_start,
            links,
            assets,
            asset_links,
            rooted_links,
        })
    }
}

/// Reads the whole file; `None` when its front matter cannot be read at all.
fn read(
    path: &Path,
    text: &str,
    assets: &BTreeSet<PathBuf>,
    config: &Config,
    report: &mut FileReport<'_>,
) -> Option<Fields> {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            report.error(e.line, None, e.message, Some(e.help.into()));
            return None;
        }
    };
    let mapping = match yaml::parse_mapping(split.yaml, split.yaml_line) {
        Ok(m) => m,
        Err(e) => {
            report.error_at(
                e.line,
                e.column,
                format!("invalid YAML: {}", e.message()),
                Some(e.help().into()),
            );
            return None;
        }
    };
    let mut reader = Reader {
        mapping: &mapping,
        report,
        files: References::new(path, assets, config.allow_raw_html),
        timezone: config.timezone,
    };
    let mut f = Fields::new(config, split.body_start);
    let summary = read_keys(&mut reader, &mapping, config, &mut f);
    check_required(&mut reader, &mapping, config, &f);
    if !written(&mapping, "slug") {
        f.slug = default_slug(&mut reader, path);
    }
    read_body(&mut reader, path, &split, config, summary, &mut f);
    let mut files: Vec<Asset> = reader
        .files
        .into_files()
        .map(|(source, name)| Asset { source, name })
        .collect();
    files.sort();
    f.assets = files;
    Some(f)
}

/// Whether the front matter writes `key` at all, valid or not.
fn written(mapping: &Mapping<'_>, key: &str) -> bool {
    mapping.fields.iter().any(|f| f.key == key)
}

/// Reads every front-matter key into `f`; returns the `summary` when one is given.
fn read_keys(
    reader: &mut Reader<'_, '_, '_>,
    mapping: &Mapping<'_>,
    config: &Config,
    f: &mut Fields,
) -> Option<String> {
    let mut summary = None;
    for field in &mapping.fields {
        let (key, v, line) = (field.key.as_str(), &field.value, field.line);
        match key {
            // Curled as bodies are, so a headline and its story match.
            "title" => {
                f.title = reader
                    .text(line, key, v, true, limits::TITLE)
                    .map(|t| typography::smarten(&t));
            }
            "date" => f.date = reader.date(line, key, v),
            "end_date" => f.end_date = reader.date(line, key, v),
            "slug" => {
                if let Some(s) = reader.slug(line, key, v) {
                    f.slug = s;
                    f.slug_line = Some(line);
                }
            }
            "summary" => {
                summary = reader
                    .text(line, key, v, false, limits::SUMMARY)
                    .map(|t| typography::smarten(&t));
            }
            "sources" => f.sources = reader.sources(line, v),
            "related" => {
                if reader.at_most(line, key, v, limits::RELATED) {
                    f.related = reader.located_list(line, key, v);
                }
            }
            "image" => f.image = reader.image(line, v),
            "published" => f.published = reader.date(line, key, v),
            "updated" => f.updated = reader.date(line, key, v),
            "corrections" => f.corrections = reader.corrections(line, v),
            "posts" => f.posts = reader.posts(line, v),
            "importance" => f.importance = reader.importance(line, key, v).unwrap_or(2),
            "draft" => f.draft = reader.boolean(line, key, v).unwrap_or(false),
            "extra" => f.extra = v.clone(),
            _ => match config.taxonomies.iter().position(|t| t == key) {
                Some(i) => f.terms[i] = reader.terms(line, key, v),
                None if reader.report.has_room(Severity::Error) => {
                    let mut known: Vec<&str> = FRONT_MATTER_KEYS.to_vec();
                    known.extend(config.taxonomies.iter().map(String::as_str));
                    reader.report.error(
                        line,
                        Some(key),
                        format!("unknown key `{key}`"),
                        Some(did_you_mean(key, &known)),
                    );
                }
                None => {}
            },
        }
    }
    summary
}

/// Reports a missing `title` or `date`, and an `end_date` before `date`.
fn check_required(
    reader: &mut Reader<'_, '_, '_>,
    mapping: &Mapping<'_>,
    config: &Config,
    f: &Fields,
) {
    if !written(mapping, "title") {
        reader.report.error(
            1,
            None,
            "`title` is missing",
            Some("add `title: \"What happened\"` to the front matter".into()),
        );
    }
    if !written(mapping, "date") {
        reader.report.error(
            1,
            None,
            "`date` is missing",
            Some("add `date: 2017-10-15` (or `2017-10`, `2017`) to the front matter".into()),
        );
    }
    if let (Some(date), Some(end)) = (f.date, f.end_date) {
        if end.ends_before(&date, config.timezone) {
            let line = mapping
                .fields
                .iter()
                .find(|f| f.key == "end_date")
                .map_or(1, |f| f.line);
            reader.report.error(
                line,
                Some("end_date"),
                format!("`end_date` {} is before `date` {}", end.edtf(), date.edtf()),
                Some("make `end_date` the same as or later than `date`, or remove it".into()),
            );
        }
    }
}

/// The slug of a file without `slug:`: its stem without a leading date.
fn default_slug(reader: &mut Reader<'_, '_, '_>, path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = slug::from_stem(&stem);
    if slug.is_empty() {
        reader.report.error(
            1,
            None,
            format!("the file name `{stem}` gives no slug for the URL"),
            Some(
                "add `slug: what-happened` to the front matter, or add words to the file name"
                    .into(),
            ),
        );
    }
    slug
}

/// Scans the body: the raw-HTML depth limit, the default summary, and the links
/// to entries and files.
fn read_body(
    reader: &mut Reader<'_, '_, '_>,
    path: &Path,
    split: &Split<'_>,
    config: &Config,
    summary: Option<String>,
    f: &mut Fields,
) {
    let body = split.body;
    let scan = markdown::scan(body);
    let limit = markdown::MAX_HTML_DEPTH;
    if let Some((_, at)) = scan.html_depth.filter(|d| d.0 > limit) {
        if !config.allow_raw_html {
            let line = split.body_line + body[..at.min(body.len())].matches('\n').count();
            reader.report.error(
                line,
                None,
                format!("the body's HTML nests more than {limit} elements deep, raw HTML and the Markdown around it together; dateline sanitises up to {limit}"),
                Some("close the elements you open, and nest quotes and lists less deeply".into()),
            );
        }
    }
    f.summary = match summary {
        Some(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        None => markdown::truncate_words(&scan.first_paragraph, markdown::SUMMARY_LEN),
    };
    let found = reader.body_links(path, &scan, body, split.body_line);
    f.links = found.entries;
    f.asset_links = found.files;
    f.rooted_links = found.rooted;
}

#[cfg(test)]
mod tests;
