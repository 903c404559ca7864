//! `Vec<Entry>` → [`Site`]: drops drafts and held-back entries, puts the rest in
//! timeline order, resolves `.md` body links and `related` slugs, computes
//! backlinks and terms. Every broken link and duplicate slug is gathered before
//! failing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::content::entry::Entry;
use crate::content::markdown::Rewrite;
use crate::diagnostic::{display_path, suggest, Diagnostic, LeftOut, Severity, MAX_PER_FILE};
use crate::hash::FastMap;
use crate::site::config::Config;
use crate::site::taxonomy::{self, EntryTerms, Taxonomy};
use crate::urls::Urls;

/// Which entries a build includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Selection {
    /// Include drafts (a preview).
    pub drafts: bool,
    /// Include entries whose `published` is later than `now`.
    pub future: bool,
    /// The clock for held-back entries.
    pub now: DateTime<Utc>,
}

/// How an entry relates to the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Relations {
    /// Body link destinations as written → their rewritten form.
    pub rewrites: Rewrites,
    /// `related` entries, in the order written.
    pub related: Vec<usize>,
    /// Entries this one links to in its body, in the order written.
    pub linked: Vec<usize>,
    /// Entries that link here in the body or in `related`, in timeline order.
    pub backlinks: Vec<usize>,
    /// Indices into each taxonomy's terms.
    pub terms: EntryTerms,
}

/// Body link destinations as written → their rewritten form, sorted by
/// destination. An entry has a few links, and a sorted list of them takes a
/// fraction of the memory of a hash map, which counts at 100,000 entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Rewrites(Vec<(String, Rewrite)>);

impl Rewrites {
    /// Sets the rewrite of `dest`.
    pub(crate) fn insert(&mut self, dest: String, rewrite: Rewrite) {
        match self.0.binary_search_by(|(d, _)| d.as_str().cmp(&dest)) {
            Ok(i) => self.0[i].1 = rewrite,
            Err(i) => self.0.insert(i, (dest, rewrite)),
        }
    }

    /// The rewrite of `dest`, if it has one.
    pub(crate) fn get(&self, dest: &str) -> Option<&Rewrite> {
        let i = self
            .0
            .binary_search_by(|(d, _)| d.as_str().cmp(dest))
            .ok()?;
        Some(&self.0[i].1)
    }
}

/// The linked site: everything rendering needs, read-only from here on. Cheap to
/// clone: the parts linking computes are shared.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// The configuration.
    pub config: Config,
    /// URL builder.
    pub urls: Urls,
    /// Included entries in timeline order (oldest first); an index is an entry id.
    /// Shared, so a rebuild re-links without copying entries it did not re-parse.
    pub entries: Vec<Arc<Entry>>,
    /// Relations per entry id.
    pub relations: Arc<[Relations]>,
    /// Taxonomies in `config.taxonomies` order.
    pub taxonomies: Arc<[Taxonomy]>,
    /// Whether drafts are shown (a preview build).
    pub drafts: bool,
    /// Entries held back until they are published, and the first of them to come out.
    pub held_back: HeldBack,
}

/// Entries left out because they are published later than the build's clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldBack {
    /// How many.
    pub count: usize,
    /// When the first of them is published.
    pub first: Option<DateTime<Utc>>,
}

/// Links `entries`; returns the site and warnings, or every error found. Links into
/// `unparsed` files (which failed with their own errors) are not reported again.
pub(crate) fn site(
    entries: &[Arc<Entry>],
    config: Config,
    selection: Selection,
    unparsed: &BTreeSet<PathBuf>,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diagnostics = duplicate_slugs(entries);
    let held = held_back(entries, selection);
    let order = timeline_order(entries, selection);
    let urls = Urls::new(&config.base_url);
    let linker = Linker::new(entries, &order, &urls, &config, selection, unparsed);
    let mut relations: Vec<Relations> = order
        .iter()
        .enumerate()
        .map(|(id, &old)| linker.relations(id, &entries[old], &mut diagnostics))
        .collect();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    add_backlinks(&mut relations);
    let entries: Vec<Arc<Entry>> = order.iter().map(|&old| Arc::clone(&entries[old])).collect();
    let (mut taxonomies, terms, warnings) = taxonomy::collect(&config.taxonomies, &entries);
    for taxonomy in &mut taxonomies {
        for term in &mut taxonomy.terms {
            term.url = urls.term(&taxonomy.name, &term.slug);
        }
    }
    diagnostics.extend(warnings);
    for (rel, terms) in relations.iter_mut().zip(terms) {
        rel.terms = terms;
    }
    let site = Site {
        config,
        urls,
        entries,
        relations: relations.into(),
        taxonomies: taxonomies.into(),
        drafts: selection.drafts,
        held_back: held,
    };
    Ok((site, diagnostics))
}

/// The entries that are not drafts left out, but published later than now.
fn held_back(entries: &[Arc<Entry>], selection: Selection) -> HeldBack {
    if selection.future {
        return HeldBack::default();
    }
    let later: Vec<DateTime<Utc>> = entries
        .iter()
        .filter(|e| (selection.drafts || !e.draft) && e.published_at > selection.now)
        .map(|e| e.published_at)
        .collect();
    HeldBack {
        count: later.len(),
        first: later.iter().min().copied(),
    }
}

/// The included entries (indices into `entries`) in timeline order: earliest
/// instant, coarser precision, title, slug.
fn timeline_order(entries: &[Arc<Entry>], selection: Selection) -> Vec<usize> {
    let included = |e: &Entry| {
        (selection.drafts || !e.draft) && (selection.future || e.published_at <= selection.now)
    };
    let mut order: Vec<usize> = (0..entries.len())
        .filter(|&i| included(&entries[i]))
        .collect();
    // Instants were computed at parse time: converting through the time zone on
    // every comparison dominated linking large sites.
    order.sort_by_cached_key(|&i| {
        let e = &entries[i];
        (
            e.start,
            e.date.precision(),
            e.title.as_str(),
            e.slug.as_str(),
        )
    });
    order
}

/// Every entry that links to another, in the linker's timeline order, as the
/// other's backlinks.
fn add_backlinks(relations: &mut [Relations]) {
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); relations.len()];
    for (id, rel) in relations.iter().enumerate() {
        for &target in rel.linked.iter().chain(&rel.related) {
            if target != id && backlinks[target].last() != Some(&id) {
                backlinks[target].push(id);
            }
        }
    }
    for (rel, back) in relations.iter_mut().zip(backlinks) {
        rel.backlinks = back;
    }
}

/// Most "did you mean" suggestions one linking looks for.
const MAX_SUGGESTIONS: usize = 50;

/// What an entry that a link or `related` names is to this build.
enum Target {
    /// Included, with this id.
    Included(usize),
    /// A draft, and drafts are not shown.
    Draft,
    /// Published later than now.
    HeldBack,
}

/// Resolves the references of entries (body links by path, `related` by slug)
/// to the entries they name.
struct Linker<'e> {
    entries: &'e [Arc<Entry>],
    /// The id of each included entry, by its index in `entries`.
    id_of: Vec<Option<usize>>,
    // Keyed by the path's bytes: paths here are built component by component, so
    // equal bytes are equal paths, and hashing bytes is much cheaper.
    by_path: FastMap<&'e std::ffi::OsStr, usize>,
    by_slug: FastMap<&'e str, usize>,
    urls: &'e Urls,
    tz: chrono_tz::Tz,
    drafts: bool,
    /// Files that failed to parse, with their own errors.
    unparsed: &'e BTreeSet<PathBuf>,
    /// The slugs files that failed to parse would most likely have had.
    unparsed_slugs: BTreeSet<String>,
    /// How many more "did you mean" suggestions this run may look for.
    suggestions: std::cell::Cell<usize>,
}

impl<'e> Linker<'e> {
    fn new(
        entries: &'e [Arc<Entry>],
        order: &[usize],
        urls: &'e Urls,
        config: &Config,
        selection: Selection,
        unparsed: &'e BTreeSet<PathBuf>,
    ) -> Self {
        let mut id_of = vec![None; entries.len()];
        for (id, &old) in order.iter().enumerate() {
            id_of[old] = Some(id);
        }
        Linker {
            entries,
            id_of,
            by_path: entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.path.as_os_str(), i))
                .collect(),
            by_slug: entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.slug.as_str(), i))
                .collect(),
            urls,
            tz: config.timezone,
            drafts: selection.drafts,
            unparsed,
            unparsed_slugs: unparsed
                .iter()
                .filter_map(|p| p.file_stem())
                .map(|stem| crate::slug::from_stem(&stem.to_string_lossy()))
                .collect(),
            suggestions: std::cell::Cell::new(MAX_SUGGESTIONS),
        }
    }

    /// How entry `id`, `entry`, relates to the others; problems go to `out`,
    /// at most [`MAX_PER_FILE`] of them.
    fn relations(&self, id: usize, entry: &Entry, out: &mut Vec<Diagnostic>) -> Relations {
        let mut report = Capped::new(entry, out);
        let mut rel = Relations::default();
        for link in &entry.links {
            let Some(&target) = self.by_path.get(link.target.as_os_str()) else {
                if !self.unparsed.contains(&link.target) {
                    report.push(true, || {
                        self.broken_link(entry, link.line, &link.dest, &link.target)
                    });
                }
                continue;
            };
            match self.resolve(entry, target, link.line, &link.dest, &mut report) {
                Target::Included(tid) => {
                    let mut url = self.urls.entry(&self.entries[target].slug);
                    if let Some(f) = &link.fragment {
                        url = format!("{url}#{f}");
                    }
                    rel.rewrites.insert(link.dest.clone(), Rewrite::To(url));
                    if !rel.linked.contains(&tid) {
                        rel.linked.push(tid);
                    }
                }
                Target::HeldBack => rel.rewrites.insert(link.dest.clone(), Rewrite::Unlink),
                Target::Draft => {}
            }
        }
        for rooted in &entry.rooted_links {
            if let Some(target) = self.rooted(entry, rooted, &mut report) {
                match self.resolve(entry, target, rooted.line, &rooted.value, &mut report) {
                    Target::Included(tid) if !rel.linked.contains(&tid) => rel.linked.push(tid),
                    Target::HeldBack => rel.rewrites.insert(rooted.value.clone(), Rewrite::Unlink),
                    _ => {}
                }
            }
        }
        for (dest, name) in &entry.asset_links {
            let url = self.urls.entry_file(&entry.slug, name);
            rel.rewrites.insert(dest.clone(), Rewrite::To(url));
        }
        for related in &entry.related {
            let Some(&target) = self.by_slug.get(related.value.as_str()) else {
                if !self.unparsed_slugs.contains(&related.value) {
                    report.push(true, || self.related_missing(entry, related));
                }
                continue;
            };
            match self.resolve(entry, target, related.line, &related.value, &mut report) {
                Target::Included(tid) if tid != id && !rel.related.contains(&tid) => {
                    rel.related.push(tid);
                }
                _ => {}
            }
        }
        report.finish();
        rel
    }

    /// The known word closest to `wanted` among `known`, while the run's budget
    /// of suggestions lasts: each looks at every entry, and a site with
    /// thousands of broken links must not compare each with every entry.
    fn suggest<'n>(&self, wanted: &str, known: impl Iterator<Item = &'n str>) -> Option<&'n str> {
        let left = self.suggestions.get();
        if left == 0 {
            return None;
        }
        self.suggestions.set(left - 1);
        suggest(wanted, known)
    }

    fn broken_link(&self, entry: &Entry, line: usize, dest: &str, target: &Path) -> Diagnostic {
        let wanted = target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let names = self
            .entries
            .iter()
            .filter_map(|e| e.path.file_name()?.to_str());
        let help = self.suggest(wanted, names).map_or(
            "link to an existing entry with a path relative to this file".to_string(),
            |n| format!("did you mean `{n}`?"),
        );
        Diagnostic::error(
            &entry.path,
            format!("broken link: `{}` does not exist", display_path(target)),
        )
        .at_line(line)
        .with_source(&entry.text, Some(dest))
        .help(help)
    }

    /// Checks a link from the host's root (`/entries/x/`) against the base
    /// path: the entry it names when it is an entry page of this site; an
    /// error when it bypasses the base path or names no entry, a warning when
    /// it leaves the site for another page of the host.
    fn rooted(
        &self,
        entry: &Entry,
        link: &crate::content::entry::Located<String>,
        report: &mut Capped<'_>,
    ) -> Option<usize> {
        let root = self.urls.root();
        let path = link.value.split(['#', '?']).next().unwrap_or_default();
        let (inside, rest) = match path.strip_prefix(root) {
            Some(rest) => (true, rest),
            None => (false, path.trim_start_matches('/')),
        };
        let slug = rest
            .strip_prefix("entries/")
            .map(|s| s.strip_suffix('/').unwrap_or(s))
            .filter(|s| !s.is_empty() && !s.contains('/'));
        let target = slug.and_then(|s| self.by_slug.get(s).copied());
        let fix = |target: Option<usize>| {
            match target {
            Some(t) => format!(
                "link the entry's file instead, `{}`: it becomes the right address whatever `base_url` is",
                relative_path(&entry.path, &self.entries[t].path)
            ),
            None => "link the entry's file with a path relative to this one (`2017-10-15-x.md`)".into(),
        }
        };
        let problem = match (inside, slug, target) {
            (true, None, _) => return None,
            (true, Some(_), Some(t)) => return Some(t),
            (true, Some(slug), None) if self.unparsed_slugs.contains(slug) => return None,
            (true, Some(slug), None) => {
                let slugs = self.entries.iter().map(|e| e.slug.as_str());
                let help = self
                    .suggest(slug, slugs)
                    .map_or_else(|| fix(None), |s| format!("did you mean `{s}`? {}", fix(self.by_slug.get(s).copied())));
                (true, format!("broken link: no entry has the slug `{slug}`"), help)
            }
            (false, Some(_), target) => (
                true,
                format!(
                    "link `{}` skips the site's base path `{root}`, so it leads nowhere once published",
                    link.value
                ),
                fix(target),
            ),
            (false, None, _) => (
                false,
                format!(
                    "link `{}` leaves this site, which lives under `{root}`",
                    link.value
                ),
                format!(
                    "for a page of this site write `{}`; for another page of the same host, its full address (`https://…`)",
                    self.urls.path(rest)
                ),
            ),
        };
        let (error, message, help) = problem;
        report.push(error, || {
            let d = if error {
                Diagnostic::error(&entry.path, message)
            } else {
                Diagnostic::warning(&entry.path, message)
            };
            d.at_line(link.line)
                .with_source(&entry.text, Some(&link.value))
                .help(help)
        });
        None
    }

    fn related_missing(
        &self,
        entry: &Entry,
        related: &crate::content::entry::Located<String>,
    ) -> Diagnostic {
        let slugs = self.entries.iter().map(|e| e.slug.as_str());
        let help = self.suggest(&related.value, slugs).map_or(
            "use the slug of another entry (its file name without the date and `.md`)".to_string(),
            |s| format!("did you mean `{s}`?"),
        );
        Diagnostic::error(
            &entry.path,
            format!(
                "`related` names `{}`, but no entry has that slug",
                related.value
            ),
        )
        .at_line(related.line)
        .with_source(&entry.text, Some(&related.value))
        .help(help)
    }

    /// What the entry `target` (an index into the entries) is to a reference of
    /// `from`, written `written` on `line`; a draft target is an error and a
    /// held-back one a warning, in `out`.
    fn resolve(
        &self,
        from: &Entry,
        target: usize,
        line: usize,
        written: &str,
        report: &mut Capped<'_>,
    ) -> Target {
        let t = &self.entries[target];
        match self.id_of[target] {
            Some(tid) => Target::Included(tid),
            None if t.draft && !self.drafts => {
                report.push(true, || link_to_draft(from, line, written, t));
                Target::Draft
            }
            None => {
                report.push(false, || link_to_held_back(from, line, written, t, self.tz));
                Target::HeldBack
            }
        }
    }
}

/// The problems of one entry's references, at most [`MAX_PER_FILE`], made
/// only while there is room for them.
struct Capped<'o> {
    entry: &'o Entry,
    out: &'o mut Vec<Diagnostic>,
    /// How many this entry has kept.
    kept: usize,
    /// How many more it found.
    left_out: LeftOut,
}

impl<'o> Capped<'o> {
    fn new(entry: &'o Entry, out: &'o mut Vec<Diagnostic>) -> Self {
        Capped {
            entry,
            out,
            kept: 0,
            left_out: LeftOut::default(),
        }
    }

    /// Adds the problem `make` makes, while the entry has room; past it, only
    /// counts it, as an error when `error`.
    fn push(&mut self, error: bool, make: impl FnOnce() -> Diagnostic) {
        if self.kept < MAX_PER_FILE {
            self.kept += 1;
            self.out.push(make());
        } else {
            self.left_out.add(if error {
                Severity::Error
            } else {
                Severity::Warning
            });
        }
    }

    /// Counts the problems left out, in one more.
    fn finish(self) {
        if self.left_out != LeftOut::default() {
            self.out.push(Diagnostic::left_out(
                &self.entry.path,
                self.left_out,
                "broken or held-back links",
            ));
        }
    }
}

fn duplicate_slugs(entries: &[Arc<Entry>]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, &Entry> = BTreeMap::new();
    let mut out = Vec::new();
    for entry in entries {
        if let Some(other) = first.insert(&entry.slug, entry) {
            first.insert(&other.slug, other);
            let line = entry.slug_line.unwrap_or(1);
            out.push(
                Diagnostic::error(
                    &entry.path,
                    format!(
                        "slug `{}` is also used by `{}`",
                        entry.slug,
                        display_path(&other.path)
                    ),
                )
                .at_line(line)
                .with_source(&entry.text, entry.slug_line.map(|_| "slug"))
                .help("give one of the two entries another `slug:`, or rename its file"),
            );
        }
    }
    out
}

/// `to` written relative to the folder of `from` (both relative to the site
/// root), with `/` between components as a Markdown link wants.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from
        .parent()
        .map_or(Vec::new(), |p| p.components().collect());
    let to: Vec<_> = to.components().collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let up = std::iter::repeat_n("..".to_string(), from.len() - shared);
    let down = to[shared..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    up.chain(down).collect::<Vec<_>>().join("/")
}

fn link_to_draft(entry: &Entry, line: usize, written: &str, target: &Entry) -> Diagnostic {
    Diagnostic::error(&entry.path, format!("links to the draft `{}`", display_path(&target.path)))
        .at_line(line)
        .with_source(&entry.text, Some(written))
        .help("publish the target (remove `draft: true`), make this entry a draft too, or remove the link")
}

fn link_to_held_back(
    entry: &Entry,
    line: usize,
    written: &str,
    target: &Entry,
    tz: chrono_tz::Tz,
) -> Diagnostic {
    Diagnostic::warning(&entry.path, format!("`{}` is not published until {}; the link is shown as plain text", display_path(&target.path), target.published.edtf()))
        .at_line(line)
        .with_source(&entry.text, Some(written))
        .help(format!("the link appears once the target is published (build with `--future` to preview it; its first instant is {})", target.published.start(tz).to_rfc3339()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load::SourceFile;

    fn entries(files: &[(&str, &str)]) -> Vec<Entry> {
        let config = config();
        files
            .iter()
            .map(|(path, front)| {
                let file = SourceFile {
                    path: PathBuf::from(path),
                    text: format!("---\n{front}\n---\n"),
                };
                let (entry, d) = crate::content::parse::parse(file, &BTreeSet::new(), &config);
                entry.unwrap_or_else(|| panic!("{d:#?}"))
            })
            .collect()
    }

    fn config() -> Config {
        crate::site::config::parse("title: T\nbase_url: https://example.org/metoo/\n", None)
            .expect("config")
    }

    fn selection() -> Selection {
        Selection {
            drafts: false,
            future: false,
            now: "2030-01-01T00:00:00Z".parse().expect("time"),
        }
    }

    fn link(
        files: &[(&str, &str)],
        selection: Selection,
    ) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        site(
            &shared(entries(files)),
            config(),
            selection,
            &BTreeSet::new(),
        )
    }

    fn shared(entries: Vec<Entry>) -> Vec<Arc<Entry>> {
        entries.into_iter().map(Arc::new).collect()
    }

    fn slugs(site: &Site, ids: &[usize]) -> Vec<String> {
        ids.iter().map(|&i| site.entries[i].slug.clone()).collect()
    }

    #[test]
    fn orders_by_instant_then_precision_then_title_then_slug() {
        let (site, _) = link(
            &[
                ("content/c.md", "title: B\ndate: 2017-10-15"),
                ("content/a.md", "title: B\ndate: 2017-10-15"),
                ("content/m.md", "title: Z\ndate: 2017-10"),
                ("content/y.md", "title: Z\ndate: 2017"),
                ("content/t.md", "title: A\ndate: 2017-10-15"),
                ("content/early.md", "title: Z\ndate: 2006~"),
            ],
            selection(),
        )
        .expect("links");
        let all: Vec<usize> = (0..site.entries.len()).collect();
        assert_eq!(slugs(&site, &all), ["early", "y", "m", "t", "a", "c"]);
    }

    #[test]
    fn body_links_and_related_make_backlinks() {
        let mut files = entries(&[
            ("content/a.md", "title: A\ndate: 2017-10-01\nrelated: [c]"),
            ("content/b.md", "title: B\ndate: 2017-10-02"),
            ("content/c.md", "title: C\ndate: 2017-10-03"),
        ]);
        files[1].links.push(crate::content::entry::EntryLink {
            dest: "c.md#x".into(),
            target: "content/c.md".into(),
            fragment: Some("x".into()),
            line: 5,
        });
        let (site, _) =
            site(&shared(files), config(), selection(), &BTreeSet::new()).expect("links");
        assert_eq!(slugs(&site, &site.relations[2].backlinks), ["a", "b"]);
        assert_eq!(
            site.relations[1].rewrites.get("c.md#x"),
            Some(&Rewrite::To("/metoo/entries/c/#x".into()))
        );
        assert_eq!(slugs(&site, &site.relations[0].related), ["c"]);
    }

    #[test]
    fn links_from_the_host_root_are_checked_against_the_base_path() {
        let body = |links: &str| format!("title: A\ndate: 2017-10-01\n---\n{links}");
        let linking = |links: &str| {
            link(
                &[
                    ("content/2017/a.md", &body(links)),
                    ("content/b.md", "title: B\ndate: 2017-10-02"),
                ],
                selection(),
            )
        };
        // Under the base path, an entry's page works and is a backlink.
        let (site, warnings) = linking("[b](/metoo/entries/b/#x)").expect("links");
        assert_eq!(slugs(&site, &site.relations[1].backlinks), ["a"]);
        assert!(warnings.is_empty(), "{warnings:#?}");

        // Bypassing it is a 404 once published: an error naming the file to link.
        let errors = linking("[b](/entries/b/)").expect_err("bypasses the base path");
        let text = errors[0].to_string();
        assert!(
            text.contains("link `/entries/b/` skips the site's base path `/metoo/`"),
            "{text}"
        );
        assert!(
            text.contains("link the entry's file instead, `../b.md`"),
            "{text}"
        );
        assert!(text.contains("content/2017/a.md:5:5"), "{text}");

        let errors = linking("[b](/metoo/entries/bb/)").expect_err("no such slug");
        let text = errors[0].to_string();
        assert!(text.contains("no entry has the slug `bb`"), "{text}");
        assert!(text.contains("did you mean `b`?"), "{text}");

        // Another page of the host is allowed, with a warning (`check --strict`).
        let (_, warnings) = linking("[about](/about/) and [home](/metoo/)").expect("links");
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        let text = warnings[0].to_string();
        assert!(text.contains("link `/about/` leaves this site"), "{text}");
        assert!(text.contains("write `/metoo/about/`"), "{text}");
    }

    #[test]
    fn gathers_every_broken_link_and_duplicate_slug() {
        let mut files = entries(&[
            (
                "content/a.md",
                "title: A\ndate: 2017\nrelated: [missing, b]",
            ),
            ("content/b.md", "title: B\ndate: 2017"),
            ("content/x/b.md", "title: B2\ndate: 2017"),
        ]);
        files[0].links.push(crate::content::entry::EntryLink {
            dest: "bb.md".into(),
            target: "content/bb.md".into(),
            fragment: None,
            line: 9,
        });
        let errors =
            site(&shared(files), config(), selection(), &BTreeSet::new()).expect_err("broken");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 3, "{text:#?}");
        assert!(
            text.iter()
                .any(|t| t.contains("slug `b` is also used by `content/b.md`")),
            "{text:#?}"
        );
        assert!(
            text.iter().any(
                |t| t.contains("broken link: `content/bb.md` does not exist")
                    && t.contains("did you mean `b.md`?")
            ),
            "{text:#?}"
        );
        assert!(
            text.iter().any(|t| t.contains("`related` names `missing`")),
            "{text:#?}"
        );
    }

    #[test]
    fn drafts_are_excluded_and_may_not_be_linked() {
        let files = [
            ("content/a.md", "title: A\ndate: 2017\nrelated: [d]"),
            ("content/d.md", "title: D\ndate: 2017\ndraft: true"),
        ];
        let errors = link(&files, selection()).expect_err("link to draft");
        assert!(
            errors[0]
                .to_string()
                .contains("links to the draft `content/d.md`"),
            "{errors:#?}"
        );
        let (site, _) = link(
            &files,
            Selection {
                drafts: true,
                ..selection()
            },
        )
        .expect("preview");
        assert_eq!(site.entries.len(), 2);
        let (site, _) = link(
            &[("content/d.md", "title: D\ndate: 2017\ndraft: true")],
            selection(),
        )
        .expect("alone");
        assert!(site.entries.is_empty());
    }

    #[test]
    fn held_back_entries_are_absent_and_links_to_them_become_text() {
        let mut files = entries(&[
            ("content/a.md", "title: A\ndate: 2017"),
            (
                "content/later.md",
                "title: L\ndate: 2017\npublished: 2031-01-01",
            ),
        ]);
        files[0].links.push(crate::content::entry::EntryLink {
            dest: "later.md".into(),
            target: "content/later.md".into(),
            fragment: None,
            line: 5,
        });
        let (site, warnings) = site(
            &shared(files.clone()),
            config(),
            selection(),
            &BTreeSet::new(),
        )
        .expect("links");
        assert_eq!(site.entries.len(), 1);
        assert_eq!(
            site.relations[0].rewrites.get("later.md"),
            Some(&Rewrite::Unlink)
        );
        assert!(
            warnings[0]
                .to_string()
                .contains("not published until 2031-01-01"),
            "{warnings:#?}"
        );
        let (site, _) = site_with(
            files,
            Selection {
                future: true,
                ..selection()
            },
        );
        assert_eq!(site.entries.len(), 2);
    }

    fn site_with(files: Vec<Entry>, selection: Selection) -> (Site, Vec<Diagnostic>) {
        site(&shared(files), config(), selection, &BTreeSet::new()).expect("links")
    }

    #[test]
    fn terms_merge_by_slug_and_warn_about_spellings() {
        let (site, warnings) = link(
            &[
                ("content/a.md", "title: A\ndate: 2017\ntags: [\"#MeToo\"]"),
                (
                    "content/b.md",
                    "title: B\ndate: 2017\ntags: [\"#MeToo\", Twitter]",
                ),
                ("content/c.md", "title: C\ndate: 2017\ntags: [metoo]"),
            ],
            selection(),
        )
        .expect("links");
        let tags = &site.taxonomies[0];
        let names: Vec<(&str, &str, usize)> = tags
            .terms
            .iter()
            .map(|t| (t.slug.as_str(), t.name.as_str(), t.entries.len()))
            .collect();
        assert_eq!(names, [("metoo", "#MeToo", 3), ("twitter", "Twitter", 1)]);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].to_string().starts_with("content/c.md:4:"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn terms_that_differ_in_meaning_but_share_a_slug_are_an_error() {
        let errors = link(
            &[
                ("content/a.md", "title: A\ndate: 2017\ntags: [\"C++\"]"),
                ("content/b.md", "title: B\ndate: 2017\ntags: [\"C++\"]"),
                ("content/c.md", "title: C\ndate: 2017\ntags: [c]"),
                ("content/d.md", "title: D\ndate: 2017\ntags: [\"C#\"]"),
            ],
            selection(),
        )
        .map(|(_, warnings)| warnings)
        .unwrap_or_else(|e| e);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let clashes: Vec<&String> = text
            .iter()
            .filter(|t| t.contains("are different, but both would have the page `tags/c/`"))
            .collect();
        assert_eq!(clashes.len(), 2, "{text:#?}");
        assert!(clashes[0].starts_with("content/c.md:4:"), "{}", clashes[0]);
        assert!(
            clashes[0].contains("`C++` is used at content/a.md:4"),
            "{}",
            clashes[0]
        );
    }

    #[test]
    fn rewrites_are_found_whatever_the_order_they_were_set_in() {
        let mut r = Rewrites::default();
        r.insert("b.md".into(), Rewrite::Unlink);
        r.insert("a.md#x".into(), Rewrite::To("/a/#x".into()));
        r.insert("c.md".into(), Rewrite::To("/c/".into()));
        r.insert("b.md".into(), Rewrite::To("/b/".into()));
        assert_eq!(r.get("a.md#x"), Some(&Rewrite::To("/a/#x".into())));
        assert_eq!(r.get("b.md"), Some(&Rewrite::To("/b/".into())));
        assert_eq!(r.get("c.md"), Some(&Rewrite::To("/c/".into())));
        assert_eq!(r.get("d.md"), None);
        let mut other = Rewrites::default();
        other.insert("c.md".into(), Rewrite::To("/c/".into()));
        other.insert("b.md".into(), Rewrite::To("/b/".into()));
        other.insert("a.md#x".into(), Rewrite::To("/a/#x".into()));
        assert_eq!(r, other, "the same rewrites, the same value (and hash)");
    }
}
