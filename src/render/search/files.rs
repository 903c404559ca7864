//! The index cut into the files a reader's browser fetches (the format is in
//! [`super`]): chunks named by a hash of their bytes, so an edit changes the
//! names of only the chunks it touched, and a table of contents.

use serde::Serialize;

use crate::content::entry::Entry;
use crate::hash::{fast_map, fingerprint};
use crate::render::cards::Cards;
use crate::render::search::index::{put_varint, Ids, Index};
use crate::render::search::text;
use crate::site::link::Site;

/// At most this many words chunks, whatever the site's size: with the entries
/// and terms chunks the index stays under 2,000 files (Cloudflare Pages allows
/// 20,000 in all, and every file is a request a deploy makes).
pub(crate) const MAX_WORD_CHUNKS: usize = 700;
/// At most this many entries chunks.
pub(crate) const MAX_DOC_CHUNKS: usize = 1200;
/// The smallest words chunk worth a request.
const WORDS_TARGET: usize = 12 * 1024;
/// Terms chunks past the facets' top terms.
const TERMS_TARGET: usize = 24 * 1024;
/// Terms a taxonomy offers as facets.
const TOP_TERMS: usize = 20;
/// A result's snippet, in characters.
pub(crate) const SNIPPET: usize = 160;

/// One file of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// Under `search/`, e.g. `w.0123456789.bin`.
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Chunk {
    fn new(kind: char, extension: &str, bytes: Vec<u8>) -> Chunk {
        let hash = fingerprint(&bytes) & 0xff_ffff_ffff;
        Chunk {
            name: format!("{kind}.{hash:010x}.{extension}"),
            bytes,
        }
    }
}

/// The table of contents, `search/index.json`.
#[derive(Debug, Serialize)]
pub(crate) struct Toc {
    pub v: u32,
    pub n: usize,
    pub newest_first: bool,
    pub language: String,
    /// The first word of each words chunk, and the chunk.
    pub words: Vec<(String, String)>,
    pub docs: Docs,
    pub taxonomies: Vec<TaxonomyToc>,
    /// Per month or year: its key, its first entry, how many.
    pub months: Vec<(String, u32, u32)>,
    /// The key events' list.
    pub key: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Docs {
    pub per: usize,
    pub files: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TaxonomyToc {
    pub name: String,
    /// Its URL parameter: `tag` for `tags`, `category` for `categories`.
    pub param: String,
    /// The terms offered as facets: slug, name, entries.
    pub top: Vec<(String, String, usize)>,
    pub file: String,
    /// The first slug of each chunk of the other terms, and the chunk.
    pub rest: Vec<(String, String)>,
}

/// Cuts the sorted vocabulary into runs of about `target` bytes. A cut falls
/// where a word's hash says so once a run is big enough, so it depends on the
/// words near it and not on everything before: an added word changes one or
/// two chunks, not every chunk after it.
pub(crate) fn word_chunks(index: &Index) -> Vec<(String, Chunk)> {
    let lists: Vec<Vec<u8>> = index
        .groups
        .iter()
        .map(|p| {
            let mut out = Vec::new();
            p.strong.encode(&mut out);
            p.weak.encode(&mut out);
            out
        })
        .collect();
    let total: usize = index.words.iter().map(|w| w.form.len() + 2).sum::<usize>()
        + lists.iter().map(Vec::len).sum::<usize>();
    let target = WORDS_TARGET.max(total / MAX_WORD_CHUNKS);
    let mut chunks = Vec::new();
    let mut first = String::new();
    let mut bytes = Vec::new();
    // Within a chunk, the record that holds each group's lists.
    let mut written = fast_map::<u32, u32>(256);
    let mut records = 0u32;
    for word in &index.words {
        let cut = bytes.len() >= 2 * target
            || (bytes.len() >= target && fingerprint(&word.form) % 4 == 0);
        if cut {
            chunks.push((
                std::mem::take(&mut first),
                Chunk::new('w', "bin", std::mem::take(&mut bytes)),
            ));
            first = word.form.clone();
            written.clear();
            records = 0;
        }
        put_varint(&mut bytes, word.form.len() as u64);
        bytes.extend_from_slice(word.form.as_bytes());
        match written.get(&word.group) {
            Some(&record) => put_varint(&mut bytes, u64::from(record) + 1),
            None => {
                put_varint(&mut bytes, 0);
                bytes.extend_from_slice(&lists[word.group as usize]);
                written.insert(word.group, records);
            }
        }
        records += 1;
    }
    if !bytes.is_empty() || chunks.is_empty() {
        chunks.push((first, Chunk::new('w', "bin", bytes)));
    }
    chunks
}

/// One entry as a result shows it.
#[derive(Serialize)]
struct Doc<'a>(
    String,
    &'a str,
    &'a str,
    &'a str,
    String,
    u8,
    Vec<(usize, &'a str, &'a str)>,
);

/// The entries' records, `per` to a chunk.
pub(crate) fn doc_chunks(site: &Site, cards: &Cards<'_>) -> (usize, Vec<Chunk>) {
    let n = site.entries.len();
    // Small chunks: the ten results a query shows may sit in ten of them.
    let per = n.div_ceil(MAX_DOC_CHUNKS).max(16);
    let chunks = (0..n)
        .step_by(per)
        .map(|start| {
            let docs: Vec<Doc<'_>> = (start..n.min(start + per))
                .map(|id| {
                    let entry = &site.entries[id];
                    let card = cards.card(id);
                    let card = card.get();
                    let terms = cards
                        .terms(id)
                        .groups()
                        .enumerate()
                        .flat_map(|(t, terms)| {
                            terms
                                .1
                                .map(move |term| (t, term.slug.as_str(), term.name.as_str()))
                        })
                        .collect();
                    Doc(
                        format!("entries/{}/", entry.slug),
                        &entry.title,
                        &card.date.display,
                        &card.date.machine,
                        snippet_of(entry),
                        entry.importance,
                        terms,
                    )
                })
                .collect();
            let bytes = serde_json::to_vec(&docs).unwrap_or_default();
            Chunk::new('d', "json", bytes)
        })
        .collect();
    (per, chunks)
}

fn snippet_of(entry: &Entry) -> String {
    let summary = entry.summary.trim();
    if summary.is_empty() {
        return text::snippet(entry.body(), SNIPPET);
    }
    if summary.chars().count() <= SNIPPET {
        return summary.to_string();
    }
    text::snippet(summary, SNIPPET)
}

/// Each taxonomy's terms: the facets' top terms in one chunk, the rest by slug.
pub(crate) fn taxonomy_chunks(site: &Site) -> (Vec<TaxonomyToc>, Vec<Chunk>) {
    let mut chunks = Vec::new();
    let mut tocs = Vec::new();
    for taxonomy in site.taxonomies.iter() {
        let mut by_count: Vec<usize> = (0..taxonomy.terms.len()).collect();
        by_count.sort_by(|&a, &b| {
            let (a, b) = (&taxonomy.terms[a], &taxonomy.terms[b]);
            b.entries
                .len()
                .cmp(&a.entries.len())
                .then(a.slug.cmp(&b.slug))
        });
        let (top, _) = by_count.split_at(by_count.len().min(TOP_TERMS));
        let mut is_top = vec![false; taxonomy.terms.len()];
        top.iter().for_each(|&t| is_top[t] = true);
        let record = |out: &mut Vec<u8>, t: usize| {
            let term = &taxonomy.terms[t];
            put_varint(out, term.slug.len() as u64);
            out.extend_from_slice(term.slug.as_bytes());
            let mut ids: Vec<u32> = term.entries.iter().map(|&id| id as u32).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.into_iter().collect::<Ids>().encode(out);
        };
        let mut top_bytes = Vec::new();
        let mut sorted_top = top.to_vec();
        sorted_top.sort_unstable();
        sorted_top.iter().for_each(|&t| record(&mut top_bytes, t));
        let top_chunk = Chunk::new('f', "bin", top_bytes);
        let mut rest = Vec::new();
        let mut bytes = Vec::new();
        let mut first = String::new();
        for t in (0..taxonomy.terms.len()).filter(|&t| !is_top[t]) {
            let slug = &taxonomy.terms[t].slug;
            if bytes.len() >= TERMS_TARGET && fingerprint(slug) % 4 == 0 {
                rest.push((
                    std::mem::take(&mut first),
                    Chunk::new('f', "bin", std::mem::take(&mut bytes)),
                ));
            }
            if bytes.is_empty() {
                first = slug.clone();
            }
            record(&mut bytes, t);
        }
        if !bytes.is_empty() {
            rest.push((first, Chunk::new('f', "bin", bytes)));
        }
        tocs.push(TaxonomyToc {
            name: taxonomy.name.clone(),
            param: param(&taxonomy.name),
            top: top
                .iter()
                .map(|&t| {
                    let term = &taxonomy.terms[t];
                    (term.slug.clone(), term.name.clone(), term.entries.len())
                })
                .collect(),
            file: top_chunk.name.clone(),
            rest: rest
                .iter()
                .map(|(first, c)| (first.clone(), c.name.clone()))
                .collect(),
        });
        chunks.push(top_chunk);
        chunks.extend(rest.into_iter().map(|(_, c)| c));
    }
    (tocs, chunks)
}

/// A taxonomy's URL parameter, singular where English makes it easy, so a shared
/// link reads naturally: `?tag=metoo&people=alyssa-milano`.
pub(crate) fn param(taxonomy: &str) -> String {
    // The search's own parameters keep their meaning: `keys` stays `keys`.
    let own = |p: &str| matches!(p, "q" | "key" | "from" | "to");
    let singular = singular(taxonomy);
    if own(&singular) {
        taxonomy.to_string()
    } else {
        singular
    }
}

fn singular(taxonomy: &str) -> String {
    if let Some(stem) = taxonomy.strip_suffix("ies") {
        format!("{stem}y")
    } else if taxonomy.ends_with('s') && !taxonomy.ends_with("ss") {
        taxonomy[..taxonomy.len() - 1].to_string()
    } else {
        taxonomy.to_string()
    }
}

/// Runs of entries in one month (or one year, for entries dated by year only):
/// entries are in date order, so a date range is a range of ids.
pub(crate) fn months(entries: &[std::sync::Arc<Entry>]) -> Vec<(String, u32, u32)> {
    let mut out: Vec<(String, u32, u32)> = Vec::new();
    for (id, entry) in entries.iter().enumerate() {
        let key = match entry.date.month() {
            Some(month) => format!("{:04}-{month:02}", entry.date.year()),
            None => format!("{:04}", entry.date.year()),
        };
        match out.last_mut() {
            Some(last) if last.0 == key => last.2 += 1,
            _ => out.push((key, id as u32, 1)),
        }
    }
    out
}

/// The key events' list.
pub(crate) fn key_chunk(entries: &[std::sync::Arc<Entry>]) -> Chunk {
    let ids: Ids = (0..entries.len() as u32)
        .filter(|&id| entries[id as usize].importance == 1)
        .collect();
    let mut bytes = Vec::new();
    ids.encode(&mut bytes);
    Chunk::new('k', "bin", bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::index::{Postings, Word};

    fn index(words: &[&str]) -> Index {
        Index {
            words: words
                .iter()
                .enumerate()
                .map(|(i, w)| Word {
                    form: (*w).into(),
                    group: i as u32,
                })
                .collect(),
            // Lists that depend on the word, not on its place.
            groups: words
                .iter()
                .map(|w| Postings {
                    strong: Ids::default(),
                    weak: (0..(fingerprint(w) % 7) as u32 * 300).step_by(3).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn an_added_word_changes_at_most_two_chunks() {
        let mut words: Vec<String> = (0..20_000).map(|i| format!("w{:05}", i * 2)).collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let before = word_chunks(&index(&refs));
        assert!(before.len() > 20, "{} chunks", before.len());
        words.insert(10_001, "w10001x".into());
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let after = word_chunks(&index(&refs));
        let old: std::collections::HashSet<_> = before.iter().map(|c| &c.1.name).collect();
        let changed = after.iter().filter(|c| !old.contains(&c.1.name)).count();
        assert!((1..=2).contains(&changed), "{changed} chunks changed");
    }

    #[test]
    fn words_of_one_stem_in_a_chunk_share_their_lists() {
        let mut ix = index(&["allegation", "allegations", "bridge"]);
        ix.words[1].group = 0;
        let chunks = word_chunks(&ix);
        assert_eq!(chunks.len(), 1);
        let bytes = &chunks[0].1.bytes;
        // "allegation", lists; "allegations", same as record 0; "bridge", lists.
        assert_eq!(&bytes[..12], b"\x0aallegation\x00");
        let second = bytes
            .windows(12)
            .position(|w| w == b"\x0ballegations")
            .unwrap_or(0);
        assert_eq!(bytes[second + 12], 1, "a reference to record 0");
        assert_eq!(bytes[second + 13], 6, "then \"bridge\"");
    }

    #[test]
    fn parameters_read_as_english() {
        assert_eq!(param("tags"), "tag");
        assert_eq!(param("categories"), "category");
        assert_eq!(param("people"), "people");
        assert_eq!(param("press"), "press");
        assert_eq!(param("keys"), "keys", "not the key events' parameter");
    }
}
