//! Fuzz target `frontmatter`: see `dateline_fuzz::frontmatter` in fuzz/src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::frontmatter(data));
