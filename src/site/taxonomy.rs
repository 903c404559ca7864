//! Terms per taxonomy: spellings that share a slug (`#MeToo`, `MeToo`, `metoo`) are
//! one term, shown with the spelling used most often, and a warning names every
//! other spelling so an editor can make them agree.

use std::collections::BTreeMap;

use crate::content::entry::Entry;
use crate::diagnostic::{display_path, Diagnostic};
use crate::hash::FastMap;

/// One term and the entries that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// URL name.
    pub slug: String,
    /// The spelling used most often.
    pub name: String,
    /// Entries carrying it, in timeline order.
    pub entries: Vec<usize>,
    /// Its page's URL, once the site's URLs are known (filled in by `link`).
    pub url: String,
}

/// A taxonomy (`tags`, `people`, …) and its terms sorted by slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Taxonomy {
    /// Name, also the front-matter key and URL folder.
    pub name: String,
    /// Terms, sorted by slug.
    pub terms: Vec<Term>,
}

/// Per entry, per taxonomy: indices into that taxonomy's `terms`.
pub(crate) type EntryTerms = Vec<Vec<usize>>;

/// Collects the terms of `entries` (already in timeline order). Taxonomies are
/// independent, so they are collected side by side: this is a good part of the
/// link stage, which `serve` runs again on every edit.
pub(crate) fn collect(
    names: &[String],
    entries: &[std::sync::Arc<Entry>],
) -> (Vec<Taxonomy>, Vec<EntryTerms>, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let collected: Vec<(Taxonomy, Vec<Vec<usize>>, Vec<Diagnostic>)> = names
        .par_iter()
        .enumerate()
        .map(|(t, name)| collect_one(t, name, entries))
        .collect();
    let mut entry_terms: Vec<EntryTerms> = vec![Vec::with_capacity(names.len()); entries.len()];
    let mut taxonomies = Vec::with_capacity(names.len());
    let mut warnings = Vec::new();
    for (taxonomy, per_entry, found) in collected {
        for (terms, indices) in entry_terms.iter_mut().zip(per_entry) {
            terms.push(indices);
        }
        taxonomies.push(taxonomy);
        warnings.extend(found);
    }
    (taxonomies, entry_terms, warnings)
}

/// Taxonomy `t`, called `name`: its terms, each entry's indices into them, and
/// the warnings about spellings.
fn collect_one(
    t: usize,
    taxonomy_name: &str,
    entries: &[std::sync::Arc<Entry>],
) -> (Taxonomy, Vec<Vec<usize>>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    // slug → (spelling → uses, entries); keys borrowed from the entries, and
    // sorted once at the end, since sites have tens of thousands of terms.
    let mut found: FastMap<&str, (BTreeMap<&str, usize>, Vec<usize>)> = FastMap::default();
    for (id, entry) in entries.iter().enumerate() {
        for term in &entry.terms[t] {
            let (spellings, ids) = found.entry(term.slug.as_str()).or_default();
            *spellings.entry(term.name.as_str()).or_default() += 1;
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
    }
    let mut found: Vec<_> = found.into_iter().collect();
    found.sort_unstable_by_key(|(slug, _)| *slug);
    let index_of: FastMap<&str, usize> = found
        .iter()
        .enumerate()
        .map(|(i, (slug, _))| (*slug, i))
        .collect();
    let mut terms = Vec::with_capacity(found.len());
    for (slug, (spellings, ids)) in found {
        let slug = slug.to_string();
        let name =
            most_used(&spellings).map_or_else(|| slug.clone(), std::string::ToString::to_string);
        if spellings.len() > 1 {
            let group = Spellings {
                taxonomy: taxonomy_name,
                slug: &slug,
                chosen: &name,
                spellings: &spellings,
            };
            warnings.extend(group.diagnostics(&ids, entries, t));
        }
        terms.push(Term {
            slug,
            name,
            entries: ids,
            url: String::new(),
        });
    }
    // Each entry lists its terms in the order it wrote them: the first tag is its group.
    let per_entry = entries
        .iter()
        .map(|entry| {
            let mut indices: Vec<usize> = Vec::with_capacity(entry.terms[t].len());
            for term in &entry.terms[t] {
                if let Some(&index) = index_of.get(term.slug.as_str()) {
                    if !indices.contains(&index) {
                        indices.push(index);
                    }
                }
            }
            indices
        })
        .collect();
    let taxonomy = Taxonomy {
        name: taxonomy_name.to_string(),
        terms,
    };
    (taxonomy, per_entry, warnings)
}

/// The spelling used most often; among equals, the one that sorts first by bytes,
/// so the choice never depends on file order.
pub(crate) fn most_used<K: Ord>(spellings: &BTreeMap<K, usize>) -> Option<&K> {
    spellings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(s, _)| s)
}

/// The spellings that one term slug gathers.
struct Spellings<'s> {
    taxonomy: &'s str,
    slug: &'s str,
    /// The spelling the site shows.
    chosen: &'s str,
    /// Each spelling and how often it is used.
    spellings: &'s BTreeMap<&'s str, usize>,
}

impl Spellings<'_> {
    /// A warning at each spelling other than the one shown, when they differ
    /// only in case, accents, a leading `#` or separators (`#MeToo`, `metoo`);
    /// an error when they differ in what carries meaning (`C++`, `C#`, `c`),
    /// since then two terms would share one page.
    fn diagnostics(
        &self,
        ids: &[usize],
        entries: &[std::sync::Arc<Entry>],
        t: usize,
    ) -> Vec<Diagnostic> {
        let chosen_meaning = crate::slug::meaning(self.chosen);
        let first_chosen = ids.iter().find_map(|&id| {
            let e = &entries[id];
            e.terms[t]
                .iter()
                .find(|term| term.name == self.chosen)
                .map(|term| format!("{}:{}", display_path(&e.path), term.line))
        });
        let mut out = Vec::new();
        for &id in ids {
            let entry = &entries[id];
            for term in entry.terms[t].iter().filter(|term| {
                term.name != self.chosen && self.spellings.contains_key(term.name.as_str())
            }) {
                let d = if crate::slug::meaning(&term.name) == chosen_meaning {
                    self.same_term(entry, term)
                } else {
                    let page = format!("{}/{}/", self.taxonomy, self.slug);
                    Diagnostic::error(
                        &entry.path,
                        format!(
                            "terms `{}` and `{}` are different, but both would have the page `{page}`",
                            term.name, self.chosen
                        ),
                    )
                    .help(format!(
                        "rename one so they differ in letters or digits, e.g. `C plus plus` for `C++`; `{}` is used at {}",
                        self.chosen,
                        first_chosen.as_deref().unwrap_or("another entry")
                    ))
                };
                out.push(
                    d.at_line(term.line)
                        .with_source(&entry.text, Some(&term.name)),
                );
            }
        }
        out
    }

    /// The warning for a spelling of the same term.
    fn same_term(&self, entry: &Entry, term: &crate::content::entry::TermName) -> Diagnostic {
        let others: Vec<String> = self
            .spellings
            .iter()
            .filter(|(s, _)| **s != term.name)
            .map(|(s, n)| format!("`{s}` ({n})"))
            .collect();
        Diagnostic::warning(
            &entry.path,
            format!(
                "term `{}` is spelled {} elsewhere",
                term.name,
                others.join(", ")
            ),
        )
        .help(format!(
            "use one spelling everywhere; the site shows `{}`",
            self.chosen
        ))
    }
}
