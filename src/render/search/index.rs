//! Every word of the site → the entries that have it, split by where: a word in
//! an entry's title or terms is *strong* for it, a word only in the summary,
//! body or sources is *weak*. Entries are indexed in parallel batches of
//! consecutive ids, so each batch's lists come out sorted and join end to end.

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};

use crate::content::entry::Entry;
use crate::hash::{fast_map, FastMap};
use crate::render::search::text;

/// Entry ids in increasing order, as LEB128 gaps (the first from −1): about a
/// byte and a half per id, a sixth of a `Vec<u32>`, on the largest sites.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ids {
    bytes: Vec<u8>,
    len: u32,
    /// The last id plus one; 0 when empty.
    end: u32,
}

impl Ids {
    /// Adds `id`, which must be larger than every id so far.
    pub(crate) fn push(&mut self, id: u32) {
        debug_assert!(self.len == 0 || id >= self.end);
        put_varint(&mut self.bytes, u64::from(id + 1 - self.end));
        self.len += 1;
        self.end = id + 1;
    }

    /// Adds every id of `other`, all larger than those here.
    fn append(&mut self, other: &Ids) {
        let Some((first, used)) = varint(&other.bytes) else {
            return;
        };
        // `other`'s first gap counts from −1; here it counts from our last id.
        let first_id = first as u32 - 1;
        put_varint(&mut self.bytes, u64::from(first_id + 1 - self.end));
        self.bytes.extend_from_slice(&other.bytes[used..]);
        self.len += other.len;
        self.end = other.end;
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The ids, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let mut rest = &self.bytes[..];
        let mut last: i64 = -1;
        std::iter::from_fn(move || {
            let (gap, used) = varint(rest)?;
            rest = &rest[used..];
            last += gap as i64;
            Some(last as u32)
        })
    }

    /// The list as the search files store it: gaps, or a bitmap when smaller.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let bitmap = self.end.div_ceil(8) as usize;
        if self.is_empty() || self.bytes.len() <= bitmap {
            put_varint(out, u64::from(self.len) * 2);
            out.extend_from_slice(&self.bytes);
        } else {
            put_varint(out, (bitmap as u64) << 1 | 1);
            let start = out.len();
            out.resize(start + bitmap, 0);
            for id in self.iter() {
                out[start + (id / 8) as usize] |= 1 << (id % 8);
            }
        }
    }
}

impl FromIterator<u32> for Ids {
    fn from_iter<I: IntoIterator<Item = u32>>(ids: I) -> Self {
        let mut out = Ids::default();
        ids.into_iter().for_each(|id| out.push(id));
        out
    }
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The varint at the start of `bytes` and how many bytes it took.
pub(crate) fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut n = 0u64;
    for (i, b) in bytes.iter().enumerate().take(10) {
        n |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, i + 1));
        }
    }
    None
}

/// Where a word is found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Postings {
    /// In the title or a term.
    pub strong: Ids,
    /// Only in the summary, body or sources.
    pub weak: Ids,
}

/// One word as it is written, and the entries that have it.
#[derive(Debug)]
pub(crate) struct Word {
    pub form: String,
    /// Its stem group: words of a group are found by each other.
    pub group: u32,
}

/// The whole site's words, sorted, and the lists of each stem group.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub words: Vec<Word>,
    pub groups: Vec<Postings>,
}

/// Indexes `entries` (ids are positions) for `language`'s stemmer.
pub(crate) fn build(entries: &[std::sync::Arc<Entry>], language: &str) -> Index {
    let threads = rayon::current_num_threads().max(1);
    // A few batches per thread keep every core busy to the end, few enough that
    // joining them costs little.
    let per = entries.len().div_ceil(threads * 4).max(64);
    let batches: Vec<Batch> = entries
        .par_chunks(per)
        .enumerate()
        .map(|(batch, chunk)| index_batch((batch * per) as u32, chunk))
        .collect();
    let mut joined: FastMap<Box<str>, Postings> = fast_map(1 << 16);
    for mut batch in batches {
        let short = batch.short.iter().map(|(k, &i)| (Box::from(k.as_str()), i));
        for (form, i) in short.chain(batch.long) {
            let from = std::mem::take(&mut batch.postings[i as usize]);
            let into = joined.entry(form).or_default();
            into.strong.append(&from.strong);
            into.weak.append(&from.weak);
        }
    }
    let mut words: Vec<(Box<str>, Postings)> = joined.into_iter().collect();
    words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    group(words, stemmer_for(language))
}

/// A word of up to 23 bytes, held in the key itself: nearly every word is, and
/// comparing keys then reads no other memory. Indexing is mostly these lookups.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Short([u8; 24]);

impl Short {
    fn new(word: &str) -> Option<Short> {
        if word.len() > 23 {
            return None;
        }
        let mut key = [0; 24];
        key[..word.len()].copy_from_slice(word.as_bytes());
        key[23] = word.len() as u8;
        Some(Short(key))
    }

    fn as_str(&self) -> &str {
        let len = usize::from(self.0[23]).min(23);
        std::str::from_utf8(&self.0[..len]).unwrap_or_default()
    }
}

/// One batch's words while indexing. The tables map a word to its number, so
/// they stay small enough for the cache; `last` says which entry counted a word
/// last, so a word an entry repeats is counted once (strong when it is strong
/// anywhere: strong fields go first).
#[derive(Default)]
struct Batch {
    short: FastMap<Short, u32>,
    /// The rare words too long for a [`Short`].
    long: FastMap<Box<str>, u32>,
    /// Per word number: the last entry id plus one; 0 for none.
    last: Vec<u32>,
    postings: Vec<Postings>,
}

impl Batch {
    /// The number of `word`, given one if it is new.
    fn number(&mut self, word: &str) -> usize {
        let next = self.postings.len() as u32;
        let n = match Short::new(word) {
            Some(key) => *self.short.entry(key).or_insert(next),
            // Rare enough that boxing each time costs nothing measurable.
            None => *self.long.entry(word.into()).or_insert(next),
        };
        if n == next {
            self.postings.push(Postings::default());
            self.last.push(0);
        }
        n as usize
    }

    /// Counts `word` for entry `id`.
    fn add(&mut self, word: &str, id: u32, strong: bool) {
        if word.len() > crate::limits::SEARCH_WORD_BYTES {
            return;
        }
        let n = self.number(word);
        if self.last[n] == id + 1 {
            return;
        }
        self.last[n] = id + 1;
        let postings = &mut self.postings[n];
        if strong {
            postings.strong.push(id);
        } else {
            postings.weak.push(id);
        }
    }
}

fn index_batch(first: u32, entries: &[std::sync::Arc<Entry>]) -> Batch {
    let mut seen = Batch {
        short: fast_map(1 << 14),
        ..Batch::default()
    };
    let mut buf = String::new();
    for (i, entry) in entries.iter().enumerate() {
        let id = first + i as u32;
        let mut strong = |w: &str| seen.add(w, id, true);
        text::words(&entry.title, &mut buf, &mut strong);
        for term in entry.terms.iter().flatten() {
            text::words(&term.name, &mut buf, &mut strong);
        }
        let mut weak = |w: &str| seen.add(w, id, false);
        text::words(&entry.summary, &mut buf, &mut weak);
        text::markdown_words(entry.body(), &mut buf, &mut weak);
        for source in &entry.sources {
            text::words(&source.title, &mut buf, &mut weak);
            if let Some(publisher) = &source.publisher {
                text::words(publisher, &mut buf, &mut weak);
            }
        }
        // A quoted post's words are the story's too: "when did she post X".
        for post in &entry.posts {
            text::words(&post.text, &mut buf, &mut weak);
            text::words(&post.author, &mut buf, &mut weak);
        }
    }
    seen
}

/// Joins the lists of words that share a stem: "allegation" finds "alleged".
fn group(words: Vec<(Box<str>, Postings)>, stemmer: Option<Stemmer>) -> Index {
    let mut by_stem: FastMap<String, u32> = fast_map(words.len());
    let mut members: Vec<Vec<Postings>> = Vec::new();
    let mut index = Index::default();
    for (form, postings) in words {
        let stem = match &stemmer {
            Some(s) => s.stem(&form).into_owned(),
            None => form.to_string(),
        };
        let next = members.len() as u32;
        let group = *by_stem.entry(stem).or_insert(next);
        if group == next {
            members.push(Vec::new());
        }
        members[group as usize].push(postings);
        index.words.push(Word {
            form: form.into(),
            group,
        });
    }
    index.groups = members.into_iter().map(union).collect();
    index
}

/// One list for a stem group; an entry strong for any of its words is strong.
fn union(mut lists: Vec<Postings>) -> Postings {
    if lists.len() == 1 {
        return lists.pop().unwrap_or_default();
    }
    let collect = |pick: fn(&Postings) -> &Ids| {
        let mut ids: Vec<u32> = lists.iter().flat_map(|p| pick(p).iter()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let strong = collect(|p| &p.strong);
    let weak = collect(|p| &p.weak);
    let weak = weak
        .into_iter()
        .filter(|id| strong.binary_search(id).is_err());
    Postings {
        weak: weak.collect(),
        strong: strong.into_iter().collect(),
    }
}

/// The Snowball stemmer for a BCP 47 language tag, if there is one.
pub(crate) fn stemmer_for(language: &str) -> Option<Stemmer> {
    let primary = language.split(['-', '_']).next()?.to_ascii_lowercase();
    let algorithm = match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_join_end_to_end() {
        let a: Ids = [0, 3, 200, 70_000].into_iter().collect();
        assert_eq!(a.iter().collect::<Vec<_>>(), [0, 3, 200, 70_000]);
        let mut b: Ids = [1].into_iter().collect();
        let c: Ids = [5, 9, 100_000].into_iter().collect();
        b.append(&c);
        assert_eq!(b.iter().collect::<Vec<_>>(), [1, 5, 9, 100_000]);
        assert_eq!(b.len, 4);
        let mut empty = Ids::default();
        empty.append(&c);
        assert_eq!(empty, c);
    }

    #[test]
    fn short_words_live_in_their_key_and_long_ones_are_boxed() {
        for word in ["", "a", "milano's", "exactly-twenty-three-by", "café"] {
            assert_eq!(
                Short::new(word).map(|k| k.as_str().to_string()),
                Some(word.to_string())
            );
        }
        assert!(Short::new("twenty-four-bytes-long-x").is_none());
        let mut batch = Batch::default();
        for (word, id, strong) in [
            ("twenty-four-bytes-long-x", 3, false),
            ("a", 3, true),
            ("twenty-four-bytes-long-x", 3, true),
            ("a", 4, false),
            ("twenty-four-bytes-long-x", 5, true),
        ] {
            batch.add(word, id, strong);
        }
        assert_eq!((batch.short.len(), batch.long.len()), (1, 1));
        let long = &batch.postings[batch.long["twenty-four-bytes-long-x"] as usize];
        assert_eq!(
            long.weak.iter().collect::<Vec<_>>(),
            [3],
            "counted once per entry, as first seen"
        );
        assert_eq!(long.strong.iter().collect::<Vec<_>>(), [5]);
        batch.add(&"x".repeat(65), 6, false);
        assert_eq!(batch.long.len(), 1, "a 65-byte run is not a word");
    }

    #[test]
    fn a_dense_list_is_stored_as_a_bitmap() {
        let dense: Ids = (0..100).step_by(2).collect();
        let mut out = Vec::new();
        dense.encode(&mut out);
        // 100 ids fit 13 bytes of bitmap; gaps would take 50.
        assert_eq!(varint(&out), Some((13 << 1 | 1, 1)));
        assert_eq!(out.len(), 14);
        assert_eq!(out[1], 0b0101_0101);
        let sparse: Ids = [7, 5000].into_iter().collect();
        let mut out = Vec::new();
        sparse.encode(&mut out);
        assert_eq!(out, [4, 8, 0x81, 0x27]);
    }

    #[test]
    fn words_sharing_a_stem_share_a_list_and_strong_wins() {
        let p = |strong: &[u32], weak: &[u32]| Postings {
            strong: strong.iter().copied().collect(),
            weak: weak.iter().copied().collect(),
        };
        let words = vec![
            ("alleg".into(), p(&[], &[9])),
            ("allegation".into(), p(&[2], &[4])),
            ("allegations".into(), p(&[], &[2, 7])),
            ("bridge".into(), p(&[1], &[])),
        ];
        let index = group(words, stemmer_for("en-GB"));
        let groups: Vec<u32> = index.words.iter().map(|w| w.group).collect();
        assert_eq!(groups, [0, 0, 0, 1]);
        assert_eq!(index.groups[0], p(&[2], &[4, 7, 9]));
        assert!(stemmer_for("zh").is_none());
    }
}
