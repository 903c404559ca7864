//! The reader's search index under `search/`, read back by a decoder written
//! here from the format's description (src/render/search/mod.rs), not from the
//! code that writes it: every word of every entry is found for that entry,
//! strong where it is in the title, and a rebuild writes only what changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::common::Fixture;

fn varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut n = 0;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return n;
        }
        shift += 7;
    }
}

fn list(bytes: &[u8], at: &mut usize) -> Vec<u64> {
    let h = varint(bytes, at);
    if h.is_multiple_of(2) {
        let mut last: i64 = -1;
        (0..h / 2)
            .map(|_| {
                last += varint(bytes, at) as i64;
                last as u64
            })
            .collect()
    } else {
        let n = (h >> 1) as usize;
        let map = &bytes[*at..*at + n];
        *at += n;
        (0..n * 8)
            .filter(|i| map[i / 8] & (1 << (i % 8)) != 0)
            .map(|i| i as u64)
            .collect()
    }
}

/// A word's entries: (strong, weak).
type Lists = (Vec<u64>, Vec<u64>);
/// word → its lists, over every words chunk of the table.
type Words = BTreeMap<String, Lists>;

fn words(dir: &Path, toc: &Value) -> Words {
    let mut out = Words::new();
    let chunks = toc["words"].as_array().unwrap();
    for (i, chunk) in chunks.iter().enumerate() {
        let bytes = std::fs::read(dir.join("search").join(chunk[1].as_str().unwrap())).unwrap();
        let mut records: Vec<(String, Lists)> = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let len = varint(&bytes, &mut at) as usize;
            let word = String::from_utf8(bytes[at..at + len].to_vec()).unwrap();
            at += len;
            let r = varint(&bytes, &mut at) as usize;
            let lists = if r == 0 {
                (list(&bytes, &mut at), list(&bytes, &mut at))
            } else {
                records[r - 1].1.clone()
            };
            records.push((word, lists));
        }
        let first = chunk[0].as_str().unwrap();
        let next = chunks.get(i + 1).map(|c| c[0].as_str().unwrap());
        for (word, lists) in records {
            assert!(
                word.as_str() >= first && next.is_none_or(|n| word.as_str() < n),
                "{word} is outside its chunk's range"
            );
            assert!(out.insert(word, lists).is_none(), "a word in two chunks");
        }
    }
    out
}

fn toc(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("search/index.json")).unwrap()).unwrap()
}

/// The words of `text` as a reader types them, for English text: runs of
/// letters and digits, with an apostrophe inside a word kept ("milano's").
fn ascii_words(text: &str) -> Vec<String> {
    text.replace('\u{2019}', "'")
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn every_word_of_every_entry_is_found_for_it_and_title_words_rank_strong() {
    let fixture = Fixture::bundled();
    let (out, _) = fixture.build_ok(&[]);
    let toc = toc(&out.dir);
    let words = words(&out.dir, &toc);
    let export: Value = serde_json::from_str(&out.read("search-index.json")).unwrap();
    let entries = export["entries"].as_array().unwrap();
    assert_eq!(toc["n"], entries.len());
    let per = toc["docs"]["per"].as_u64().unwrap() as usize;
    let mut checked = 0;
    for (id, entry) in entries.iter().enumerate() {
        // The entry's record sits where the table says, with its URL and title.
        let file = toc["docs"]["files"][id / per].as_str().unwrap();
        let docs: Value = serde_json::from_str(&out.read(&format!("search/{file}"))).unwrap();
        let doc = &docs[id % per];
        // Relative to the site's root (`/metoo/` here), so a copy elsewhere works.
        assert_eq!(
            format!("/metoo/{}", doc[0].as_str().unwrap()),
            entry["url"].as_str().unwrap()
        );
        assert_eq!(doc[1], entry["title"]);
        let id = id as u64;
        for word in ascii_words(entry["title"].as_str().unwrap()) {
            let (strong, _) = words
                .get(&word)
                .unwrap_or_else(|| panic!("{word} is missing"));
            assert!(
                strong.contains(&id),
                "{word} of the title is strong for entry {id}"
            );
        }
        let slug = entry["slug"].as_str().unwrap();
        let page = out.read(&format!("entries/{slug}/index.html"));
        let body = crate::support::plain_text(crate::support::main_of(&page));
        for word in ascii_words(entry["summary"].as_str().unwrap()) {
            let (strong, weak) = words
                .get(&word)
                .unwrap_or_else(|| panic!("{word} is missing"));
            assert!(
                strong.contains(&id) || weak.contains(&id),
                "{word} of {slug}'s summary"
            );
            assert!(
                !(strong.contains(&id) && weak.contains(&id)),
                "{word}: strong or weak, not both"
            );
            checked += 1;
        }
        assert!(!body.is_empty());
    }
    assert!(checked > 100, "{checked} words checked");
    // A word only a quoted post has finds its entry.
    let wood = entries
        .iter()
        .position(|e| e["slug"] == "evan-rachel-wood-tweet")
        .unwrap() as u64;
    assert_eq!(
        words.get("instinctually").map(|l| l.1.clone()),
        Some(vec![wood])
    );
    // "allegation" finds what "allegations" finds: one stem, one list.
    assert!(words.contains_key("allegations"));
    assert_eq!(
        words.get("allegation"),
        None,
        "a form no entry uses is not listed"
    );
    let stem = &words["allegations"];
    let same: Vec<&String> = words
        .iter()
        .filter(|(_, l)| *l == stem)
        .map(|(w, _)| w)
        .collect();
    assert!(same.len() >= 2, "allegations shares its list with {same:?}");
}

#[test]
fn months_key_events_and_terms_agree_with_the_export() {
    let fixture = Fixture::bundled();
    let (out, _) = fixture.build_ok(&[]);
    let toc = toc(&out.dir);
    let export: Value = serde_json::from_str(&out.read("search-index.json")).unwrap();
    let entries = export["entries"].as_array().unwrap();
    let mut next = 0;
    for month in toc["months"].as_array().unwrap() {
        let (key, first, count) = (
            month[0].as_str().unwrap(),
            month[1].as_u64().unwrap(),
            month[2].as_u64().unwrap(),
        );
        assert_eq!(first, next, "months cover the ids in order");
        for id in first..first + count {
            assert!(entries[id as usize]["date"]
                .as_str()
                .unwrap()
                .starts_with(key));
        }
        next += count;
    }
    assert_eq!(next as usize, entries.len());
    let key = std::fs::read(out.dir.join("search").join(toc["key"].as_str().unwrap())).unwrap();
    let key = list(&key, &mut 0);
    let expected: Vec<u64> = (0..entries.len() as u64)
        .filter(|&i| entries[i as usize]["importance"] == 1)
        .collect();
    assert_eq!(key, expected);
    assert!(!key.is_empty());
    for taxonomy in toc["taxonomies"].as_array().unwrap() {
        let name = taxonomy["name"].as_str().unwrap();
        let bytes = std::fs::read(
            out.dir
                .join("search")
                .join(taxonomy["file"].as_str().unwrap()),
        )
        .unwrap();
        let mut at = 0;
        let mut seen = 0;
        while at < bytes.len() {
            let len = varint(&bytes, &mut at) as usize;
            let slug = std::str::from_utf8(&bytes[at..at + len])
                .unwrap()
                .to_string();
            at += len;
            let ids = list(&bytes, &mut at);
            let expected: Vec<u64> = (0..entries.len() as u64)
                .filter(|&i| {
                    entries[i as usize]["terms"][name]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|s| s == slug.as_str()))
                })
                .collect();
            assert_eq!(ids, expected, "{name}/{slug}");
            let top = taxonomy["top"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t[0] == slug.as_str())
                .unwrap();
            assert_eq!(top[2], ids.len());
            seen += 1;
        }
        assert_eq!(seen, taxonomy["top"].as_array().unwrap().len());
    }
}

/// The search files and their modification times.
fn search_files(dir: &Path) -> BTreeMap<String, std::time::SystemTime> {
    std::fs::read_dir(dir.join("search"))
        .unwrap()
        .map(|f| {
            let f = f.unwrap();
            (
                f.file_name().into_string().unwrap(),
                f.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_rebuild_keeps_every_chunk_and_an_edit_replaces_only_the_chunks_it_touched() {
    let fixture = Fixture::bundled();
    let (out, _) = fixture.build_ok(&[]);
    let before = search_files(&out.dir);
    std::thread::sleep(std::time::Duration::from_millis(20));
    fixture.build_ok(&[]);
    assert_eq!(
        search_files(&out.dir),
        before,
        "nothing changed, nothing written"
    );

    // One new word in one entry's body.
    let entry = "content/2017-10-15-milano-me-too-tweet.md";
    fixture.append(entry, "\nZyzzyvaword appears here and nowhere else.");
    fixture.build_ok(&[]);
    let after = search_files(&out.dir);
    let toc = toc(&out.dir);
    let named: BTreeSet<String> = words(&out.dir, &toc).keys().cloned().collect();
    assert!(named.contains("zyzzyvaword"));
    let old: BTreeSet<&String> = before.keys().collect();
    let new: BTreeSet<&String> = after.keys().collect();
    let added: Vec<_> = new.difference(&old).collect();
    let removed: Vec<_> = old.difference(&new).collect();
    // The entry's words chunk, nothing else: terms, key events and the
    // entries' records are the same bytes under the same names.
    assert_eq!(added.len(), 1, "added {added:?}");
    assert_eq!(
        removed.len(),
        1,
        "removed {removed:?}: no chunk is left behind"
    );
    assert!(added[0].starts_with("w."));
    assert_ne!(after["index.json"], before["index.json"]);
}
