//! The two kinds of hashing the pipeline does, in one place: hash maps keyed by
//! paths, slugs and terms (the linker and `serve` build them on every edit), and
//! fingerprints of what each output is made from (compared across builds).
//!
//! Both use aHash, which Tera already brings in: SipHash, the standard library's
//! default, was the largest single cost of a `serve` rebuild. Fingerprints only
//! detect change in content the editor controls, so they need a well-mixed hash
//! that is the same in every run of one binary, not a keyed one; a new binary
//! re-renders everything anyway (see `render::program_identity`).

use std::hash::{BuildHasher, Hash, Hasher};

/// A hash map with a fast hasher, for keys the site's own files provide.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

/// A hash set with the same hasher as [`FastMap`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, ahash::RandomState>;

/// An empty [`FastMap`] with room for `capacity` keys.
pub(crate) fn fast_map<K, V>(capacity: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(capacity, ahash::RandomState::new())
}

/// Fixed keys: a fingerprint must not change between runs.
const SEEDS: [u64; 4] = [
    0x6461_7465_6c69_6e65, // "dateline"
    0x2d66_696e_6765_7270, // "-fingerp"
    0x7269_6e74_2d76_3031, // "rint-v01"
    0x0123_4567_89ab_cdef,
];

/// A hasher whose result is the same in every run of this program.
pub(crate) fn stable_hasher() -> ahash::AHasher {
    ahash::RandomState::with_seeds(SEEDS[0], SEEDS[1], SEEDS[2], SEEDS[3]).build_hasher()
}

/// A hash of `value`, stable for the same input within and across runs.
pub(crate) fn fingerprint(value: &impl Hash) -> u64 {
    let mut h = stable_hasher();
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_tell_values_apart() {
        let a = fingerprint(&("entries/a/", 1u64));
        assert_eq!(a, fingerprint(&("entries/a/", 1u64)));
        assert_ne!(a, fingerprint(&("entries/a/", 2u64)));
        assert_ne!(a, fingerprint(&("entries/b/", 1u64)));
    }

    #[test]
    fn fingerprints_do_not_depend_on_a_per_process_seed() {
        // Two hashers built apart agree: nothing random went into them.
        let mut one = stable_hasher();
        let mut two = stable_hasher();
        "same".hash(&mut one);
        "same".hash(&mut two);
        assert_eq!(one.finish(), two.finish());
    }
}
