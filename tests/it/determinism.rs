//! The same input always gives byte-identical output, whatever the thread
//! scheduling, the output folder's name or the time of the build.

use std::path::Path;
use std::time::Duration;

use crate::common::{dateline, differences, tree, Fixture, Tree};

/// The fixture sites built twice, besides the bundled one.
const FIXTURES: &[&str] = &[
    "precision",
    "links",
    "subpath",
    "taxonomy",
    "paginated",
    "publish",
];

/// Outputs that carry dates, the likeliest to show a build clock: each must be
/// among the files compared.
const DATED: &[&str] = &[
    "feed.xml",
    "feed.json",
    "timeline.json",
    "search-index.json",
    "sitemap.xml",
    "robots.txt",
];

#[track_caller]
fn assert_same(what: &str, first: &Tree, again: &Tree) {
    let differ = differences(first, again);
    assert!(differ.is_empty(), "{what}: builds differ at {differ:#?}");
}

#[test]
fn the_same_input_builds_byte_identical_trees() {
    // The bundled site, built from the repository itself (and cleanly).
    let root = env!("CARGO_MANIFEST_DIR");
    let temp = tempfile::tempdir().unwrap();
    let bundled = |name: &str| {
        let out = temp.path().join(name);
        let run = dateline(
            temp.path(),
            &["build", "--root", root, "--output", out.to_str().unwrap()],
        )
        .success();
        assert!(
            !run.stderr.contains("warning"),
            "the bundled site has warnings:\n{}",
            run.stderr
        );
        tree(&out)
    };
    let first_bundled = bundled("first");
    let entries = first_bundled
        .keys()
        .filter(|p| p.starts_with("entries/") && p.ends_with("/index.html"))
        .count();
    assert!(entries >= 12, "only {entries} entry pages");

    let fixtures: Vec<(&str, Fixture, Tree)> = FIXTURES
        .iter()
        .map(|&name| {
            let fixture = Fixture::copy(name);
            let (out, _) = fixture.build_ok(&[]);
            let first = out.tree();
            (name, fixture, first)
        })
        .collect();
    for (name, first) in std::iter::once(("bundled", &first_bundled))
        .chain(fixtures.iter().map(|(name, _, first)| (*name, first)))
    {
        for file in DATED {
            assert!(first.contains_key(*file), "{name}: {file} was not built");
        }
    }
    let (_, _, publish) = fixtures
        .iter()
        .find(|(name, ..)| *name == "publish")
        .unwrap();
    assert!(publish.contains_key("tags/metoo/feed.xml"), "a term feed");

    // Long enough for any second-resolution build clock to show.
    std::thread::sleep(Duration::from_millis(2100));

    assert_same("bundled", &first_bundled, &bundled("second"));
    for (name, fixture, first) in &fixtures {
        // Into another folder, then again over the first output.
        let other = fixture.beside("other");
        fixture.build(&["--output", &other]).success();
        assert_same(name, first, &tree(Path::new(&other)));
        let (out, _) = fixture.build_ok(&[]);
        assert_same(name, first, &out.tree());
    }
}
