//! The linked site kept between edits by `serve`. Most edits change an entry's
//! words, not its place in the timeline, its links or its terms; re-linking after
//! those is swapping the new entries in, so `serve` spends time on the edit, not
//! on the size of the site.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::content::entry::Entry;
use crate::diagnostic::Diagnostic;
use crate::hash::FastMap;
use crate::site::link::{Selection, Site};

/// A linked site kept for the next edit.
#[derive(Debug)]
pub(crate) struct Memo {
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
    pub(crate) fn new(
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
    pub(crate) fn relink(
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
        && a.rooted_links
            .iter()
            .map(|r| &r.value)
            .eq(b.rooted_links.iter().map(|r| &r.value))
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::content::load::SourceFile;
    use crate::site::config::Config;

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
            crate::site::link::site(&entries, config(), selection(), &BTreeSet::new())
                .expect("links");
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
}
