//! Fuzz target `import_json`: see `dateline_fuzz::import_json` in fuzz/src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::import_json(data));
