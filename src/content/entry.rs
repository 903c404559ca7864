//! One content file → one [`Entry`]: front matter validated key by key (unknown keys
//! get the nearest known one), slug derived, body scanned for links and assets,
//! summary defaulted. Parsing is pure per file, so [`parse_all`] runs in parallel and
//! gathers every problem of every file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde_json::Value;

use crate::content::load::SourceFile;
use crate::content::markdown::{self, LinkKind};
use crate::content::{frontmatter, yaml};
use crate::date::PartialDate;
use crate::diagnostic::{did_you_mean, Diagnostic, FileReport};
use crate::site::config::Config;
use crate::slug;

/// Deepest raw HTML nesting that is sanitised: the HTML parser behind the
/// sanitiser slows down with the square of the depth, so a body of 100,000 nested
/// `<div>`s would stall a build for hours.
pub const MAX_RAW_HTML_DEPTH: usize = 100;

/// Most terms one entry may carry in one taxonomy: each term page shows the
/// entry with all its terms, so the output grows with the square of the count.
pub const MAX_TERMS: usize = 100;

/// Asset types that can run script when opened from the site's own address.
const SCRIPT_CAPABLE: &[&str] = &[
    "html", "htm", "xhtml", "xht", "svg", "svgz", "js", "mjs", "xml", "xsl", "xslt",
];

/// Front-matter keys every entry may use, besides the site's taxonomies.
pub const KEYS: &[&str] = &[
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

/// A cited source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    /// Headline of the cited piece.
    pub title: String,
    /// Its `http(s)` address.
    pub url: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published.
    pub date: Option<PartialDate>,
    /// A copy on an archive service.
    pub archive_url: Option<String>,
}

/// Where an entry's image comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSrc {
    /// An absolute `http(s)` URL, used as is.
    Remote(String),
    /// A file copied beside the entry page, by file name.
    Local(String),
}

/// The entry's lead image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Where the image is.
    pub src: ImageSrc,
    /// Text alternative; required.
    pub alt: String,
    /// Caption shown below.
    pub caption: Option<String>,
    /// Photographer or agency.
    pub credit: Option<String>,
}

/// A published correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// When it was made.
    pub date: PartialDate,
    /// What was corrected.
    pub text: String,
}

/// A value with the file line it was written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line.
    pub line: usize,
}

/// A taxonomy term as an entry writes it, with the slug of its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermName {
    /// The spelling written (`#MeToo`).
    pub name: String,
    /// The term's slug (`metoo`), computed once when the file is parsed.
    pub slug: String,
    /// 1-based line.
    pub line: usize,
}

/// A body link to another entry's file, not yet resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryLink {
    /// The destination as written, the key for rewriting it.
    pub dest: String,
    /// The target file, relative to the site root (`content/x.md`).
    pub target: PathBuf,
    /// `#fragment` to keep, without `#`.
    pub fragment: Option<String>,
    /// 1-based file line.
    pub line: usize,
}

/// A file copied into the entry's output folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    /// The file, relative to the site root.
    pub source: PathBuf,
    /// Its name in the entry's folder.
    pub name: String,
}

/// A validated entry, before linking.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// The whole file text, for excerpts in later diagnostics.
    pub text: String,
    /// Hash of `text`, computed once, for output fingerprints.
    pub text_hash: u64,
    /// First instant of `date` in the site's zone: the timeline order.
    pub start: DateTime<Utc>,
    /// First instant of `published`: feed order and held-back entries.
    pub published_at: DateTime<Utc>,
    /// Last editorial change: the latest of `published`, `updated` and corrections.
    pub edited_at: DateTime<Utc>,
    /// `date` and `end_date` as readers see them, formatted once.
    pub shown: (String, Option<String>),
    /// URL name.
    pub slug: String,
    /// Line of an explicit `slug:`.
    pub slug_line: Option<usize>,
    /// Headline, plain text.
    pub title: String,
    /// When it happened.
    pub date: PartialDate,
    /// Last day of a multi-day event.
    pub end_date: Option<PartialDate>,
    /// Plain-text summary (given, or the first paragraph cut near 200 characters).
    pub summary: String,
    /// Terms per taxonomy, in the order of `Config::taxonomies`.
    pub terms: Vec<Vec<TermName>>,
    /// Cited sources.
    pub sources: Vec<Source>,
    /// Explicit links to other entries, by slug.
    pub related: Vec<Located<String>>,
    /// Lead image.
    pub image: Option<Image>,
    /// When the entry went live on this site.
    pub published: PartialDate,
    /// Last substantive update.
    pub updated: Option<PartialDate>,
    /// Published corrections.
    pub corrections: Vec<Correction>,
    /// 1 key event, 2 normal, 3 minor.
    pub importance: u8,
    /// Excluded unless `--drafts`.
    pub draft: bool,
    /// Free-form data for templates.
    pub extra: Value,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    /// Links to other entries found in the body.
    pub links: Vec<EntryLink>,
    /// Files to copy beside the page.
    pub assets: Vec<Asset>,
    /// Body link destinations that point at assets, with the asset's name.
    pub asset_links: Vec<(String, String)>,
}

impl Entry {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// What parsing one file gave: the entry (when it has no errors) and its diagnostics.
pub type Parsed = (Option<Entry>, Vec<Diagnostic>);

/// Parses every file in parallel, keeping the input order; `tick` runs after each.
pub fn parse_all(
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
pub fn parse(
    file: SourceFile,
    assets: &BTreeSet<PathBuf>,
    config: &Config,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let SourceFile { path, text } = file;
    let mut report = FileReport::new(&path, &text);
    let fields = read(&path, &text, assets, config, &mut report);
    let diagnostics = std::mem::take(&mut report.diagnostics);
    let entry = fields.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    let entry = entry.map(|f| f.into_entry(path, text, config));
    (entry, diagnostics)
}

/// Everything read from one file, before it owns its text.
struct Fields {
    slug: String,
    slug_line: Option<usize>,
    title: String,
    date: PartialDate,
    end_date: Option<PartialDate>,
    summary: String,
    terms: Vec<Vec<TermName>>,
    sources: Vec<Source>,
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
}

impl Fields {
    /// The entry, with its instants and displayed dates computed once for the
    /// site's zone and formats (a change of configuration re-parses every file).
    fn into_entry(self, path: PathBuf, text: String, config: &Config) -> Entry {
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
        } = self;
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
        Entry {
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
        }
    }
}

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
            report.error(
                e.line,
                None,
                format!("invalid YAML: {}", e.message),
                Some(yaml_help(&e.message)),
            );
            return None;
        }
    };
    let mut reader = Reader {
        path,
        assets,
        mapping: &mapping,
        report,
        files: BTreeMap::new(),
        allow_raw_html: config.allow_raw_html,
    };
    let mut f = Fields {
        slug: String::new(),
        slug_line: None,
        title: String::new(),
        date: PartialDate::from_day(chrono::NaiveDate::MIN),
        end_date: None,
        summary: String::new(),
        terms: vec![Vec::new(); config.taxonomies.len()],
        sources: Vec::new(),
        related: Vec::new(),
        image: None,
        published: None,
        updated: None,
        corrections: Vec::new(),
        importance: 2,
        draft: false,
        extra: Value::Null,
        body_start: split.body_start,
        links: Vec::new(),
        assets: Vec::new(),
        asset_links: Vec::new(),
    };
    let (mut has_title, mut has_date, mut summary) = (false, false, None);
    for field in &mapping.fields {
        let (key, v, line) = (field.key.as_str(), &field.value, field.line);
        match key {
            "title" => {
                has_title = reader
                    .text(line, key, v, true)
                    .map(|t| f.title = t)
                    .is_some()
            }
            "date" => has_date = reader.date(line, key, v).map(|d| f.date = d).is_some(),
            "end_date" => f.end_date = reader.date(line, key, v),
            "slug" => {
                if let Some(s) = reader.text(line, key, v, true) {
                    if slug::is_valid(&s) {
                        f.slug = s;
                        f.slug_line = Some(line);
                    } else {
                        let fixed = slug::normalize(&s);
                        let help = if fixed.is_empty() {
                            "use lower-case letters, digits and single `-`".to_string()
                        } else {
                            format!("use `{fixed}`")
                        };
                        reader.report.error(
                            line,
                            Some(key),
                            format!("slug `{s}` is not lower-case letters, digits and single `-`"),
                            Some(help),
                        );
                    }
                }
            }
            "summary" => summary = reader.text(line, key, v, false),
            "sources" => f.sources = reader.sources(line, v),
            "related" => f.related = reader.located_list(line, key, v),
            "image" => f.image = reader.image(line, v),
            "published" => f.published = reader.date(line, key, v),
            "updated" => f.updated = reader.date(line, key, v),
            "corrections" => f.corrections = reader.corrections(line, v),
            "importance" => match yaml::integer(v) {
                Ok(n @ 1..=3) => f.importance = n as u8,
                _ => reader.report.error(
                    line,
                    Some(key),
                    "`importance` must be 1, 2 or 3",
                    Some("1 = key event, 2 = normal (the default), 3 = minor".into()),
                ),
            },
            "draft" => match yaml::boolean(v) {
                Ok(b) => f.draft = b,
                Err(m) => reader.report.error(
                    line,
                    Some(key),
                    format!("`draft`: {m}"),
                    Some("write `draft: true` or `draft: false`".into()),
                ),
            },
            "extra" => f.extra = v.clone(),
            _ => match config.taxonomies.iter().position(|t| t == key) {
                Some(i) => f.terms[i] = reader.terms(line, key, v),
                None => {
                    let mut known: Vec<&str> = KEYS.to_vec();
                    known.extend(config.taxonomies.iter().map(String::as_str));
                    reader.report.error(
                        line,
                        Some(key),
                        format!("unknown key `{key}`"),
                        Some(did_you_mean(key, &known)),
                    );
                }
            },
        }
    }
    if !has_title && !mapping.fields.iter().any(|f| f.key == "title") {
        reader.report.error(
            1,
            None,
            "`title` is missing",
            Some("add `title: \"What happened\"` to the front matter".into()),
        );
    }
    if !has_date && !mapping.fields.iter().any(|f| f.key == "date") {
        reader.report.error(
            1,
            None,
            "`date` is missing",
            Some("add `date: 2017-10-15` (or `2017-10`, `2017`) to the front matter".into()),
        );
    }
    if let (true, Some(end)) = (has_date, f.end_date) {
        let tz = config.timezone;
        if end.ends_before(&f.date, tz) {
            let line = mapping
                .fields
                .iter()
                .find(|f| f.key == "end_date")
                .map_or(1, |f| f.line);
            reader.report.error(
                line,
                Some("end_date"),
                format!(
                    "`end_date` {} is before `date` {}",
                    end.edtf(),
                    f.date.edtf()
                ),
                Some("make `end_date` the same as or later than `date`, or remove it".into()),
            );
        }
    }
    if f.slug.is_empty() && f.slug_line.is_none() && !mapping.fields.iter().any(|f| f.key == "slug")
    {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        f.slug = slug::from_stem(&stem);
        if f.slug.is_empty() {
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
    }
    let body = split.body;
    let scan = markdown::scan(body);
    let (depth, at) = scan.raw_html_depth;
    if depth > MAX_RAW_HTML_DEPTH && !config.allow_raw_html {
        let line = split.body_line + body[..at.min(body.len())].matches('\n').count();
        reader.report.error(
            line,
            None,
            format!("raw HTML nests {depth} elements deep; dateline sanitises up to {MAX_RAW_HTML_DEPTH}"),
            Some("close the elements you open, or write the structure in Markdown".into()),
        );
    }
    f.summary = match summary {
        Some(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        None => markdown::truncate_words(&scan.first_paragraph, markdown::SUMMARY_LEN),
    };
    reader.body_links(&scan, body, split.body_line, &mut f);
    if let Some(Image {
        src: ImageSrc::Local(name),
        ..
    }) = &f.image
    {
        if let Some(source) = reader.files.get(name) {
            f.assets.push(Asset {
                source: source.clone(),
                name: name.clone(),
            });
        }
    }
    let mut all = std::mem::take(&mut f.assets);
    all.extend(reader.files.iter().map(|(name, source)| Asset {
        source: source.clone(),
        name: name.clone(),
    }));
    all.sort();
    all.dedup();
    f.assets = all;
    Some(f)
}

fn yaml_help(message: &str) -> String {
    if message.contains("duplicate") {
        "each key may appear once; merge the two".into()
    } else {
        "check indentation and quoting on this line or the one above; quote text that contains `: ` or starts with `#`, `*`, `&`, `[` or `{`".into()
    }
}

/// Reads typed values, reporting each problem at its line.
struct Reader<'m, 'r, 'f> {
    path: &'m Path,
    assets: &'m BTreeSet<PathBuf>,
    mapping: &'m yaml::Mapping<'m>,
    report: &'r mut FileReport<'f>,
    /// Asset file names referenced so far, with their source, to catch clashes.
    files: BTreeMap<String, PathBuf>,
    /// Whether the site trusts its contributors with raw HTML (and HTML files).
    allow_raw_html: bool,
}

impl Reader<'_, '_, '_> {
    fn text(&mut self, line: usize, key: &str, v: &Value, required: bool) -> Option<String> {
        match yaml::text(v) {
            Ok(t) if required && t.trim().is_empty() => {
                self.report
                    .error(line, Some(key), format!("`{key}` is empty"), None);
                None
            }
            Ok(t) => Some(t.trim().to_string()),
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

    fn date(&mut self, line: usize, key: &str, v: &Value) -> Option<PartialDate> {
        match yaml::date(v) {
            Ok(d) => Some(d),
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

    fn located_list(&mut self, line: usize, key: &str, v: &Value) -> Vec<Located<String>> {
        match yaml::text_list(v) {
            Ok(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, value)| Located {
                    value: value.trim().to_string(),
                    line: self.mapping.item_line(line, i, None),
                })
                .collect(),
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

    fn terms(&mut self, line: usize, key: &str, v: &Value) -> Vec<TermName> {
        if v.is_null() {
            if let Some(help) = self.hash_hint(key, line) {
                self.report
                    .error(line, Some(key), format!("`{key}` is empty"), Some(help));
            }
            return Vec::new();
        }
        let written = self.located_list(line, key, v);
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

    fn sources(&mut self, line: usize, v: &Value) -> Vec<Source> {
        let Value::Array(items) = v else {
            self.report.error(
                line,
                Some("sources"),
                format!("`sources`: expected a list, found {}", yaml::kind(v)),
                Some(SOURCE_HELP.into()),
            );
            return Vec::new();
        };
        let mut sources = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = |field: Option<&str>| self.mapping.item_line(line, i, field);
            let Value::Object(map) = item else {
                let l = at(None);
                self.report.error(
                    l,
                    None,
                    format!(
                        "source {}: expected a map, found {}",
                        i + 1,
                        yaml::kind(item)
                    ),
                    Some(SOURCE_HELP.into()),
                );
                continue;
            };
            let mut source = Source {
                title: String::new(),
                url: String::new(),
                publisher: None,
                date: None,
                archive_url: None,
            };
            let mut ok = true;
            for (key, value) in map {
                let l = at(Some(key));
                match key.as_str() {
                    "title" => source.title = self.text(l, key, value, true).unwrap_or_default(),
                    "url" => source.url = self.web_url(l, key, value).unwrap_or_default(),
                    "archive_url" => source.archive_url = self.web_url(l, key, value),
                    "publisher" => source.publisher = self.text(l, key, value, true),
                    "date" => source.date = self.date(l, key, value),
                    other => {
                        ok = false;
                        self.report.error(
                            l,
                            Some(other),
                            format!("unknown key `{other}` in source {}", i + 1),
                            Some(did_you_mean(
                                other,
                                &["title", "url", "publisher", "date", "archive_url"],
                            )),
                        );
                    }
                }
            }
            for (field, value) in [("title", &source.title), ("url", &source.url)] {
                if value.is_empty() && !map.contains_key(field) {
                    ok = false;
                    self.report.error(
                        at(None),
                        None,
                        format!("source {} has no `{field}`", i + 1),
                        Some(SOURCE_HELP.into()),
                    );
                }
            }
            if ok {
                sources.push(source);
            }
        }
        sources
    }

    fn web_url(&mut self, line: usize, key: &str, v: &Value) -> Option<String> {
        let text = self.text(line, key, v, true)?;
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

    fn image(&mut self, line: usize, v: &Value) -> Option<Image> {
        let Value::Object(map) = v else {
            self.report.error(
                line,
                Some("image"),
                format!("`image`: expected a map, found {}", yaml::kind(v)),
                Some(IMAGE_HELP.into()),
            );
            return None;
        };
        let at = |field: &str| self.mapping.field_line(line, field);
        let (mut src, mut alt, mut caption, mut credit) = (None, None, None, None);
        for (key, value) in map {
            let l = at(key);
            match key.as_str() {
                "src" => src = self.text(l, key, value, true).map(|s| (s, l)),
                "alt" => alt = self.text(l, key, value, false),
                "caption" => caption = self.text(l, key, value, false).filter(|s| !s.is_empty()),
                "credit" => credit = self.text(l, key, value, false).filter(|s| !s.is_empty()),
                other => self.report.error(
                    l,
                    Some(other),
                    format!("unknown key `{other}` in `image`"),
                    Some(did_you_mean(other, &["src", "alt", "caption", "credit"])),
                ),
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
            LinkKind::Asset { path } => ImageSrc::Local(self.asset(src_line, &src, &path)?),
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

    fn corrections(&mut self, line: usize, v: &Value) -> Vec<Correction> {
        let Value::Array(items) = v else {
            self.report.error(
                line,
                Some("corrections"),
                format!("`corrections`: expected a list, found {}", yaml::kind(v)),
                Some(CORRECTION_HELP.into()),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = |field: Option<&str>| self.mapping.item_line(line, i, field);
            let Value::Object(map) = item else {
                let l = at(None);
                self.report.error(
                    l,
                    None,
                    format!(
                        "correction {}: expected a map, found {}",
                        i + 1,
                        yaml::kind(item)
                    ),
                    Some(CORRECTION_HELP.into()),
                );
                continue;
            };
            let (mut date, mut text) = (None, None);
            for (key, value) in map {
                let l = at(Some(key));
                match key.as_str() {
                    "date" => date = self.date(l, key, value),
                    "text" => text = self.text(l, key, value, true),
                    other => self.report.error(
                        l,
                        Some(other),
                        format!("unknown key `{other}` in correction {}", i + 1),
                        Some(did_you_mean(other, &["date", "text"])),
                    ),
                }
            }
            match (date, text) {
                (Some(date), Some(text)) => out.push(Correction { date, text }),
                _ if map.contains_key("date") && map.contains_key("text") => {}
                _ => {
                    let l = at(None);
                    self.report.error(
                        l,
                        None,
                        format!("correction {} needs `date` and `text`", i + 1),
                        Some(CORRECTION_HELP.into()),
                    );
                }
            }
        }
        out
    }

    /// Resolves a relative asset reference; records it under its file name.
    fn asset(&mut self, line: usize, written: &str, rel: &str) -> Option<String> {
        let resolved = match resolve(self.path, rel) {
            Some(p) => p,
            None => {
                self.report.error(
                    line,
                    Some(written),
                    format!("`{written}` points outside `content/`"),
                    Some("keep images and files inside `content/`, next to the entry".into()),
                );
                return None;
            }
        };
        if !self.assets.contains(&resolved) {
            let d = crate::diagnostic::display_path(&resolved);
            self.report.error(
                line,
                Some(written),
                format!("file `{d}` does not exist"),
                Some("check the file name, or add the file next to the entry".into()),
            );
            return None;
        }
        let name = resolved
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "index.html" {
            self.report.error(
                line,
                Some(written),
                "a file named `index.html` would replace the entry's own page",
                Some("rename the file".into()),
            );
            return None;
        }
        let extension = resolved
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if !self.allow_raw_html && SCRIPT_CAPABLE.contains(&extension.as_str()) {
            self.report.error(
                line,
                Some(written),
                format!("`{name}` could run script from the site's own address, so it is not published"),
                Some("publish it elsewhere and link to it, convert it (an SVG chart to PNG), or set `allow_raw_html: true` if every contributor is trusted".into()),
            );
            return None;
        }
        match self.files.get(&name) {
            Some(other) if *other != resolved => {
                let d = crate::diagnostic::display_path(other);
                self.report.error(
                    line,
                    Some(written),
                    format!(
                        "two different files named `{name}` are referenced (the other is `{d}`)"
                    ),
                    Some("rename one of them; an entry's files share one folder".into()),
                );
                None
            }
            _ => {
                self.files.insert(name.clone(), resolved);
                Some(name)
            }
        }
    }

    fn body_links(&mut self, scan: &markdown::Scan, body: &str, body_line: usize, f: &mut Fields) {
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(body.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line_of = |offset: usize| body_line + line_starts.partition_point(|&s| s <= offset) - 1;
        for link in &scan.links {
            let line = line_of(link.offset);
            match markdown::classify(&link.dest) {
                LinkKind::Unsafe => self.report.warning(line, Some(&link.dest), format!("link to `{}` is removed", link.dest), Some("links with `javascript:`, `vbscript:` or `data:` addresses are never published".into())),
                LinkKind::Entry { path, fragment } => match resolve(self.path, &path) {
                    Some(target) => f.links.push(EntryLink { dest: link.dest.clone(), target, fragment: fragment.map(str::to_string), line }),
                    None => self.report.error(line, Some(&link.dest), format!("link `{}` points outside `content/`", link.dest), Some("link to entries inside `content/` with a path relative to this file".into())),
                },
                LinkKind::Asset { path } => {
                    if let Some(name) = self.asset(line, &link.dest, &path) {
                        f.asset_links.push((link.dest.clone(), name));
                    }
                }
                LinkKind::External | LinkKind::Local => {}
            }
        }
    }
}

const SOURCE_HELP: &str =
    "write each source as `- { title: \"…\", url: \"https://…\", publisher: \"…\" }`";
const IMAGE_HELP: &str = "write `image: { src: photo.jpg, alt: \"…\", credit: \"…\" }` with `src` a file next to the entry or an https address";
const CORRECTION_HELP: &str = "write each correction as `- { date: 2017-10-20, text: \"…\" }`";

/// Resolves `rel` against the folder of the entry at `entry` (both relative to the
/// site root); `None` when it leaves `content/`.
pub fn resolve(entry: &Path, rel: &str) -> Option<PathBuf> {
    let mut parts: Vec<Component<'_>> = entry.parent()?.components().collect();
    let floor = 1; // `content`
    for part in Path::new(rel).components() {
        match part {
            Component::ParentDir => {
                if parts.len() <= floor {
                    return None;
                }
                parts.pop();
            }
            Component::Normal(_) => parts.push(part),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

#[cfg(test)]
mod tests;
