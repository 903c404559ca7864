//! `Vec<Entry>` → [`Site`]: drops drafts and held-back entries, puts the rest in
//! timeline order, resolves `.md` body links and `related` slugs, computes
//! backlinks and terms. Every broken link and duplicate slug is gathered before
//! failing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::content::entry::Entry;
use crate::content::markdown::Rewrite;
use crate::diagnostic::{display_path, suggest, Diagnostic};
use crate::hash::FastMap;
use crate::site::config::Config;
use crate::site::taxonomy::{self, EntryTerms, Taxonomy};
use crate::urls::Urls;

/// Which entries a build includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Include drafts (a preview).
    pub drafts: bool,
    /// Include entries whose `published` is later than `now`.
    pub future: bool,
    /// The clock for held-back entries.
    pub now: DateTime<Utc>,
}

/// How an entry relates to the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
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
pub struct Rewrites(Vec<(String, Rewrite)>);

impl Rewrites {
    /// Sets the rewrite of `dest`.
    pub fn insert(&mut self, dest: String, rewrite: Rewrite) {
        match self.0.binary_search_by(|(d, _)| d.as_str().cmp(&dest)) {
            Ok(i) => self.0[i].1 = rewrite,
            Err(i) => self.0.insert(i, (dest, rewrite)),
        }
    }

    /// The rewrite of `dest`, if it has one.
    pub fn get(&self, dest: &str) -> Option<&Rewrite> {
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
pub struct Site {
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
}

/// Links `entries`; returns the site and warnings, or every error found. Links into
/// `unparsed` files (which failed with their own errors) are not reported again.
pub fn site(
    entries: Vec<Arc<Entry>>,
    config: Config,
    selection: Selection,
    unparsed: &BTreeSet<PathBuf>,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diagnostics = duplicate_slugs(&entries);
    let tz = config.timezone;
    let included = |e: &Entry| {
        (selection.drafts || !e.draft) && (selection.future || e.published_at <= selection.now)
    };

    // Timeline order: earliest instant, coarser precision, title, slug.
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
    let mut id_of = vec![None; entries.len()];
    for (id, &old) in order.iter().enumerate() {
        id_of[old] = Some(id);
    }
    // Keyed by the path's bytes: paths here are built component by component, so
    // equal bytes are equal paths, and hashing bytes is much cheaper.
    let by_path: FastMap<&std::ffi::OsStr, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.path.as_os_str(), i))
        .collect();
    let by_slug: FastMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.slug.as_str(), i))
        .collect();
    let urls = Urls::new(&config.base_url);
    // The slugs files that failed to parse would most likely have had.
    let unparsed_slugs: BTreeSet<String> = unparsed
        .iter()
        .filter_map(|p| p.file_stem())
        .map(|stem| crate::slug::from_stem(&stem.to_string_lossy()))
        .collect();

    let mut relations = vec![Relations::default(); order.len()];
    for (id, &old) in order.iter().enumerate() {
        let entry = &entries[old];
        let target_state = |target: usize| -> Target {
            let t = &entries[target];
            match id_of[target] {
                Some(tid) => Target::Included(tid),
                None if t.draft && !selection.drafts => Target::Draft,
                None => Target::HeldBack,
            }
        };
        let rel = &mut relations[id];
        for link in &entry.links {
            let Some(&target) = by_path.get(link.target.as_os_str()) else {
                if !unparsed.contains(&link.target) {
                    diagnostics.push(broken_link(
                        entry,
                        link.line,
                        &link.dest,
                        &link.target,
                        &entries,
                    ));
                }
                continue;
            };
            match target_state(target) {
                Target::Included(tid) => {
                    let mut url = urls.entry(&entries[target].slug);
                    if let Some(f) = &link.fragment {
                        url = format!("{url}#{f}");
                    }
                    rel.rewrites.insert(link.dest.clone(), Rewrite::To(url));
                    if !rel.linked.contains(&tid) {
                        rel.linked.push(tid);
                    }
                }
                Target::Draft => diagnostics.push(link_to_draft(
                    entry,
                    link.line,
                    &link.dest,
                    &entries[target],
                )),
                Target::HeldBack => {
                    rel.rewrites.insert(link.dest.clone(), Rewrite::Unlink);
                    diagnostics.push(link_to_held_back(
                        entry,
                        link.line,
                        &link.dest,
                        &entries[target],
                        tz,
                    ));
                }
            }
        }
        for (dest, name) in &entry.asset_links {
            rel.rewrites.insert(
                dest.clone(),
                Rewrite::To(format!("{}{name}", urls.entry(&entry.slug))),
            );
        }
        for related in &entry.related {
            let Some(&target) = by_slug.get(related.value.as_str()) else {
                if unparsed_slugs.contains(&related.value) {
                    continue;
                }
                let help = suggest(&related.value, entries.iter().map(|e| e.slug.as_str())).map_or(
                    "use the slug of another entry (its file name without the date and `.md`)"
                        .to_string(),
                    |s| format!("did you mean `{s}`?"),
                );
                diagnostics.push(
                    Diagnostic::error(
                        &entry.path,
                        format!(
                            "`related` names `{}`, but no entry has that slug",
                            related.value
                        ),
                    )
                    .at_line(related.line)
                    .with_source(&entry.text, Some(&related.value))
                    .help(help),
                );
                continue;
            };
            match target_state(target) {
                Target::Included(tid) if tid == id => {}
                Target::Included(tid) => {
                    if !rel.related.contains(&tid) {
                        rel.related.push(tid);
                    }
                }
                Target::Draft => diagnostics.push(link_to_draft(
                    entry,
                    related.line,
                    &related.value,
                    &entries[target],
                )),
                Target::HeldBack => diagnostics.push(link_to_held_back(
                    entry,
                    related.line,
                    &related.value,
                    &entries[target],
                    tz,
                )),
            }
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }

    // Backlinks: every entry that links to another, in the linker's timeline order.
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
    for (id, rel) in relations.iter().enumerate() {
        for &target in rel.linked.iter().chain(&rel.related) {
            if target != id && backlinks[target].last() != Some(&id) {
                backlinks[target].push(id);
            }
        }
    }
    let entries: Vec<Arc<Entry>> = order.iter().map(|&old| Arc::clone(&entries[old])).collect();
    let (mut taxonomies, terms, warnings) = taxonomy::collect(&config.taxonomies, &entries);
    for taxonomy in &mut taxonomies {
        for term in &mut taxonomy.terms {
            term.url = urls.term(&taxonomy.name, &term.slug);
        }
    }
    diagnostics.extend(warnings);
    for ((rel, back), terms) in relations.iter_mut().zip(backlinks).zip(terms) {
        rel.backlinks = back;
        rel.terms = terms;
    }
    let site = Site {
        config,
        urls,
        entries,
        relations: relations.into(),
        taxonomies: taxonomies.into(),
        drafts: selection.drafts,
    };
    Ok((site, diagnostics))
}

/// A linked site kept for the next edit. Most edits change an entry's words, not
/// its place in the timeline, its links or its terms; re-linking after those is
/// swapping the new entries in, so `serve` spends time on the edit, not on the
/// size of the site.
#[derive(Debug)]
pub struct Memo {
    site: Site,
    /// The warnings linking gave.
    warnings: Vec<Diagnostic>,
    /// The entry id of each included file.
    ids: FastMap<PathBuf, usize>,
    /// When the first held-back entry comes out: from then the site includes more.
    stale_at: Option<DateTime<Utc>>,
}

impl Memo {
    /// Remembers `site`, linked with `selection`, and the `warnings` linking gave.
    /// `entries` are all the parsed entries, included or not: the held-back ones
    /// tell when the memo goes stale.
    pub fn new(
        site: &Site,
        warnings: &[Diagnostic],
        entries: &[Arc<Entry>],
        selection: Selection,
    ) -> Memo {
        let stale_at = entries
            .iter()
            .filter(|e| (selection.drafts || !e.draft) && !selection.future)
            .map(|e| e.published_at)
            .filter(|&at| at > selection.now)
            .min();
        Memo {
            site: site.clone(),
            warnings: warnings.to_vec(),
            ids: site
                .entries
                .iter()
                .enumerate()
                .map(|(id, e)| (e.path.clone(), id))
                .collect(),
            stale_at,
        }
    }

    /// The site with `edited` entries (new parses of files it included) swapped
    /// in, and the warnings of linking it; `None` when linking must run again:
    /// an edit changed what linking reads, a file is new, or an entry is due out.
    /// The memo keeps the swapped-in entries for the next edit.
    pub fn relink(
        &mut self,
        edited: &[Arc<Entry>],
        now: DateTime<Utc>,
    ) -> Option<(Site, Vec<Diagnostic>)> {
        if self.stale_at.is_some_and(|at| at <= now) {
            return None;
        }
        let mut ids = Vec::with_capacity(edited.len());
        for entry in edited {
            let id = *self.ids.get(&entry.path)?;
            // A warning quotes its entry's lines, which the edit may have moved.
            let warned = self.warnings.iter().any(|d| d.path == entry.path);
            if warned || !links_alike(&self.site.entries[id], entry) {
                return None;
            }
            ids.push(id);
        }
        for (id, entry) in ids.into_iter().zip(edited) {
            self.site.entries[id] = Arc::clone(entry);
        }
        Some((self.site.clone(), self.warnings.clone()))
    }
}

/// Whether linking reads the same of `a` as of `b`: the timeline order, the
/// inclusion, the links, `related` and the terms. Line numbers only place
/// warnings, which [`Memo::relink`] checks apart. Some comparisons are stricter
/// than linking needs (`published` with its `~` or `?`): those edits link again.
fn links_alike(a: &Entry, b: &Entry) -> bool {
    fn link(l: &crate::content::entry::EntryLink) -> (&str, &std::path::Path, Option<&str>) {
        (&l.dest, &l.target, l.fragment.as_deref())
    }
    fn term(t: &crate::content::entry::TermName) -> (&str, &str) {
        (&t.slug, &t.name)
    }
    a.path == b.path
        && a.slug == b.slug
        && a.title == b.title
        && a.start == b.start
        && a.date.precision() == b.date.precision()
        && a.published == b.published
        && a.published_at == b.published_at
        && a.draft == b.draft
        && a.asset_links == b.asset_links
        && a.links.iter().map(link).eq(b.links.iter().map(link))
        && a.related
            .iter()
            .map(|r| &r.value)
            .eq(b.related.iter().map(|r| &r.value))
        && a.terms.len() == b.terms.len()
        && a.terms
            .iter()
            .zip(&b.terms)
            .all(|(x, y)| x.iter().map(term).eq(y.iter().map(term)))
}

enum Target {
    Included(usize),
    Draft,
    HeldBack,
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

fn broken_link(
    entry: &Entry,
    line: usize,
    dest: &str,
    target: &std::path::Path,
    entries: &[Arc<Entry>],
) -> Diagnostic {
    let wanted = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let names: Vec<String> = entries
        .iter()
        .filter_map(|e| e.path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let help = suggest(&wanted, names.iter().map(String::as_str)).map_or(
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
            shared(entries(files)),
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
            site(shared(files), config(), selection(), &BTreeSet::new()).expect("links");
        assert_eq!(slugs(&site, &site.relations[2].backlinks), ["a", "b"]);
        assert_eq!(
            site.relations[1].rewrites.get("c.md#x"),
            Some(&Rewrite::To("/metoo/entries/c/#x".into()))
        );
        assert_eq!(slugs(&site, &site.relations[0].related), ["c"]);
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
            site(shared(files), config(), selection(), &BTreeSet::new()).expect_err("broken");
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
            shared(files.clone()),
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
        site(shared(files), config(), selection, &BTreeSet::new()).expect("links")
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

    fn parsed(path: &str, text: &str) -> Arc<Entry> {
        let file = SourceFile {
            path: PathBuf::from(path),
            text: text.to_string(),
        };
        let (entry, d) = crate::content::parse::parse(file, &BTreeSet::new(), &config());
        Arc::new(entry.unwrap_or_else(|| panic!("{d:#?}")))
    }

    const A: &str = "---\ntitle: A\ndate: 2017-10-05\ntags: [Hollywood]\n---\n\nSee [B](b.md).\n";
    const B: &str = "---\ntitle: B\ndate: 2017-10-08\n---\n\nWords.\n";
    const LATER: &str = "---\ntitle: L\ndate: 2017-10-09\npublished: 2031-01-01\n---\n";

    fn memo_of(texts: &[(&str, &str)]) -> (Memo, Site) {
        let entries: Vec<Arc<Entry>> = texts.iter().map(|(p, t)| parsed(p, t)).collect();
        let (site, warnings) =
            site(entries.clone(), config(), selection(), &BTreeSet::new()).expect("links");
        (Memo::new(&site, &warnings, &entries, selection()), site)
    }

    #[test]
    fn the_memo_swaps_in_entries_whose_words_changed_and_keeps_them() {
        let (mut memo, before) = memo_of(&[("content/a.md", A), ("content/b.md", B)]);
        let now = selection().now;
        let a = parsed("content/a.md", &A.replace("See", "Read more:\n\nSee"));
        let (site, _) = memo.relink(&[Arc::clone(&a)], now).expect("words only");
        assert!(Arc::ptr_eq(&site.entries[0], &a));
        assert!(Arc::ptr_eq(&site.relations, &before.relations));
        let b = parsed("content/b.md", &B.replace("Words", "Other words"));
        let (site, _) = memo.relink(&[Arc::clone(&b)], now).expect("words only");
        assert!(Arc::ptr_eq(&site.entries[1], &b));
        assert!(Arc::ptr_eq(&site.entries[0], &a), "the first edit was kept");
    }

    #[test]
    fn the_memo_refuses_edits_that_change_what_linking_reads() {
        let (mut memo, _) = memo_of(&[("content/a.md", A), ("content/b.md", B)]);
        let now = selection().now;
        for (what, text) in [
            ("title", A.replace("title: A", "title: Z")),
            ("date", A.replace("2017-10-05", "2017-10-09")),
            ("tag", A.replace("[Hollywood]", "[Hollywood, Boards]")),
            ("tag spelling", A.replace("[Hollywood]", "[hollywood]")),
            ("link", A.replace("See [B](b.md).", "See B.")),
            ("related", A.replace("tags:", "related: [b]\ntags:")),
            ("draft", A.replace("tags:", "draft: true\ntags:")),
        ] {
            let edited = parsed("content/a.md", &text);
            assert!(memo.relink(&[edited], now).is_none(), "{what} changed");
        }
        let new_file = parsed("content/c.md", B);
        assert!(memo.relink(&[new_file], now).is_none(), "a new file");
    }

    #[test]
    fn the_memo_expires_when_a_held_back_entry_comes_out() {
        let (mut memo, site) = memo_of(&[("content/b.md", B), ("content/later.md", LATER)]);
        assert_eq!(site.entries.len(), 1);
        let b = parsed("content/b.md", &B.replace("Words", "Other words"));
        let before: DateTime<Utc> = "2030-12-31T23:59:59Z".parse().expect("time");
        assert!(memo.relink(&[Arc::clone(&b)], before).is_some());
        let after: DateTime<Utc> = "2031-01-01T12:00:00Z".parse().expect("time");
        assert!(memo.relink(&[b], after).is_none());
    }

    #[test]
    fn the_memo_refuses_an_entry_with_a_warning_whose_lines_may_have_moved() {
        let spelled = A.replace("[Hollywood]", "[\"#MeToo\"]");
        let other = B.replace("date:", "tags: [metoo]\ndate:");
        let (mut memo, _) = memo_of(&[("content/a.md", &spelled), ("content/b.md", &other)]);
        let edited = parsed("content/b.md", &other.replace("Words", "Other words"));
        assert!(memo.relink(&[edited], selection().now).is_none());
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
