//! The same input always gives byte-identical output, whatever the thread
//! scheduling or the output folder's name.

use crate::support::{assert_same_tree, dateline, tree, Fixture};

#[test]
fn the_bundled_site_builds_byte_identically_and_cleanly() {
    let root = env!("CARGO_MANIFEST_DIR");
    let temp = tempfile::tempdir().unwrap();
    let build = |name: &str| {
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
    let first = build("first");
    let second = build("second");
    assert_same_tree(&first, &second);
    let entries = first
        .keys()
        .filter(|p| p.starts_with("entries/") && p.ends_with("/index.html"))
        .count();
    assert!(entries >= 12, "only {entries} entry pages");
}

#[test]
fn fixture_sites_build_byte_identically() {
    for name in ["precision", "links", "subpath", "taxonomy", "paginated"] {
        let fixture = Fixture::copy(name);
        let (out, _) = fixture.build_ok(&[]);
        let first = tree(&out.dir);
        let other = fixture.beside("other");
        fixture.build(&["--output", &other]).success();
        assert_same_tree(&first, &tree(std::path::Path::new(&other)));
        fixture.build(&[]).success();
        assert_same_tree(&first, &tree(&out.dir));
    }
}
