//! The reader's search: an index of the whole site under `search/`, split into
//! content-addressed chunks so a page loads only the few it needs for a query
//! and a deploy uploads only the chunks an edit changed. The theme's
//! `dateline.js` reads it; `search-index.json` (see [`super::search_index`]) is
//! the export for tools and no page fetches it.
//!
//! The stages: [`text`] turns an entry into words (folded, the same way the
//! script folds a query), [`index`] collects each word's entries, in parallel,
//! and groups words that share a stem, [`files`] cuts the result into chunks.
//!
//! # The format (version 1)
//!
//! Entries are numbered 0‥n by date, oldest first (the site's entry order);
//! `newest_first` in the table says the timeline pages show them the other
//! way, and so should ties between results. A *list* of entry ids is a varint `h` then either, when `h` is even,
//! `h / 2` varints, each the gap to the previous id (the first from −1), or, when
//! `h` is odd, a bitmap of `h >> 1` bytes, bit `i` of byte `j` (least
//! significant first) meaning entry `8j + i`. Varints are LEB128.
//!
//! - `search/index.json`, the table of contents, the only file with a stable
//!   name: `{"v":1, "n", "newest_first", "language", "words":[[first, file]…], "docs":{"per",
//!   "files":[…]}, "taxonomies":[{"name", "param", "top":[[slug, name, count]…],
//!   "file", "rest":[[first, file]…]}…], "months":[[key, first, count]…],
//!   "key": file}`. Every file name is relative to `search/`.
//! - `w.<hash>.bin`, words: one run of the sorted vocabulary; chunk `i` holds the
//!   words from `words[i][0]` up to `words[i+1][0]` (code-point order). A chunk
//!   is records to its end: a varint length and the word's UTF-8 bytes, then a
//!   varint `r`: 0 means two lists follow, the entries where the word is in the
//!   title or a term (*strong*), then the other entries with it (*weak*); `r > 0`
//!   means the lists of the chunk's record `r − 1`, a word with the same stem.
//! - `d.<hash>.json`, entries: chunk `k` holds entries `k·per` on, each
//!   `[url, title, date shown, machine date, snippet, importance,
//!   [[taxonomy index, slug, name]…]]`; `url` is relative to the site root.
//! - `f.<hash>.bin`, a taxonomy's terms: records to the end, a varint length and
//!   the term's slug, then its list. `file` holds the `top` terms; the others are
//!   in the `rest` chunks by slug, like words.
//! - `k.<hash>.bin`, one list: the key events.
//! - `months`: per month (`YYYY-MM`) or year (`YYYY`, entries dated only by
//!   year) in the site's order, the first id and the count; entries are dated in
//!   that order, so a date range is a range of ids.

pub(crate) mod files;
pub(crate) mod index;
pub(crate) mod text;

use serde::Deserialize;

use crate::error::Error;
use crate::hash::{fast_map, fingerprint, FastSet};
use crate::render::cards::Cards;
use crate::render::emit::{Contents, OutputFile, Sink};
use crate::render::inputs::Shared;
use crate::render::timelinejs::json_line;
use crate::site::config::Order;
use crate::site::link::Site;

/// The table of contents: the one file of the index with a fixed name.
const TOC: &str = "search/index.json";

/// Emits the index into `sink`; returns (files, files made). When no entry
/// changed since the files the sink holds, nothing is indexed: the previous
/// table names every chunk, and they are all kept. After an edit only the
/// chunks whose bytes changed are made; the table goes last, so a reader never
/// gets a table that names a chunk not yet there.
pub(crate) fn emit(
    site: &Site,
    cards: &Cards<'_>,
    shared: &Shared<'_>,
    sink: &dyn Sink,
    clock: &mut crate::Clock,
) -> Result<(usize, usize), Error> {
    // An entry's slug comes from its file's name as well as its text.
    let inputs: Vec<(&std::path::Path, u64)> = site
        .entries
        .iter()
        .map(|e| (e.path.as_path(), e.text_hash))
        .collect();
    let print = shared.fingerprint(TOC, &(inputs, &site.config.language));
    let mut kept = fast_map::<String, ()>(0);
    if let Some(names) = sink.held(TOC, print).as_deref().and_then(chunk_names) {
        for name in &names {
            if sink.reuse(&path(name), chunk_print(name)).is_some() {
                kept.insert(name.clone(), ());
            }
        }
        if kept.len() == names.len() && sink.reuse(TOC, print).is_some() {
            clock.lap("      kept");
            return Ok((names.len() + 1, 0));
        }
    }
    let kept: FastSet<String> = kept.into_keys().collect();

    let index = index::build(&site.entries, &site.config.language);
    clock.lap("      index words");
    let words = files::word_chunks(&index);
    drop(index);
    clock.lap("      words chunks");
    let (per, docs) = files::doc_chunks(site, cards);
    clock.lap("      entries chunks");
    let (taxonomies, terms) = files::taxonomy_chunks(site);
    let key = files::key_chunk(&site.entries);
    let toc = files::Toc {
        v: 1,
        n: site.entries.len(),
        newest_first: site.config.order == Order::NewestFirst,
        language: site.config.language.clone(),
        words: words
            .iter()
            .map(|(first, c)| (first.clone(), c.name.clone()))
            .collect(),
        docs: files::Docs {
            per,
            files: docs.iter().map(|c| c.name.clone()).collect(),
        },
        taxonomies,
        months: files::months(&site.entries),
        key: key.name.clone(),
    };
    let chunks = words.into_iter().map(|(_, c)| c).chain(docs).chain(terms);
    let mut seen = FastSet::default();
    let mut made = 1;
    for chunk in chunks.chain(std::iter::once(key)) {
        // Two chunks with the same bytes are one file.
        if !seen.insert(chunk.name.clone()) {
            continue;
        }
        let (path, print) = (path(&chunk.name), chunk_print(&chunk.name));
        if kept.contains(&chunk.name) || sink.reuse(&path, print).is_some() {
            continue;
        }
        made += 1;
        sink.put(OutputFile {
            path,
            contents: Contents::Bytes(chunk.bytes),
            fingerprint: print,
        })?;
    }
    sink.put(OutputFile {
        path: TOC.into(),
        contents: Contents::Bytes(json_line(&toc, 64 * 1024)),
        fingerprint: print,
    })?;
    clock.lap("      terms, writing");
    Ok((seen.len() + 1, made))
}

fn path(name: &str) -> String {
    format!("search/{name}")
}

/// A chunk's name is a hash of its bytes, so the name is all its inputs.
fn chunk_print(name: &str) -> u64 {
    fingerprint(&name)
}

/// Every chunk a table of contents names.
fn chunk_names(toc: &[u8]) -> Option<Vec<String>> {
    #[derive(Deserialize)]
    struct Names {
        words: Vec<(String, String)>,
        docs: DocNames,
        taxonomies: Vec<TaxonomyNames>,
        key: String,
    }
    #[derive(Deserialize)]
    struct DocNames {
        files: Vec<String>,
    }
    #[derive(Deserialize)]
    struct TaxonomyNames {
        file: String,
        rest: Vec<(String, String)>,
    }
    let names: Names = serde_json::from_slice(toc).ok()?;
    let mut out: Vec<String> = names.words.into_iter().map(|w| w.1).collect();
    out.extend(names.docs.files);
    for t in names.taxonomies {
        out.push(t.file);
        out.extend(t.rest.into_iter().map(|r| r.1));
    }
    out.push(names.key);
    out.sort();
    out.dedup();
    Some(out)
}
