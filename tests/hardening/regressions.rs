//! Every input saved under `fuzz/regressions/<target>/` (inputs the fuzzers
//! flagged, minimised, and hand-written hostile inputs for each parser) runs
//! through the same harness function as the fuzz target, so a problem found
//! once stays fixed. A new crash goes there as a file named for what it is.

use std::path::Path;

use crate::harness;

#[test]
fn every_saved_fuzz_input_runs_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut failures = Vec::new();
    let mut total = 0;
    for (target, run) in harness::TARGETS {
        let dir = root.join(target);
        let files = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file());
        for file in files {
            if file.file_name().to_string_lossy().starts_with('.')
                || file.file_name() == "README.md"
            {
                continue;
            }
            let bytes = std::fs::read(file.path()).unwrap();
            total += 1;
            if let Err(e) = std::panic::catch_unwind(|| run(&bytes)) {
                let message = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!(
                    "{target}: {}: {}",
                    file.path().strip_prefix(&root).unwrap().display(),
                    message.lines().next().unwrap_or_default()
                ));
            }
        }
    }
    assert!(total >= 4, "only {total} inputs under {}", root.display());
    assert!(
        failures.is_empty(),
        "{} of {total} saved fuzz inputs fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
