//! Fuzz target `config`: see `dateline_fuzz::config` in fuzz/src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::config(data));
