//! Fuzz target `date`: see `dateline_fuzz::date` in fuzz/src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::date(data));
