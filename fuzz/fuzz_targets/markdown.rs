//! Fuzz target `markdown`: see `dateline_fuzz::markdown` in fuzz/src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::markdown(data));
