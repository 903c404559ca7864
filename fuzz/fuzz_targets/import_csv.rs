//! Fuzz target `import_csv`: see `dateline_fuzz::import_csv` in fuzz/src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::import_csv(data));
