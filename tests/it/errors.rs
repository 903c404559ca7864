//! Bad input: each site under `tests/fixtures/errors/<case>/` has exactly one
//! mistake. `build` must exit 1, point at the file and line with a fix, and leave
//! the previous output exactly as it was.

use crate::common::{assert_same_tree, fixtures, tree, Fixture};

/// One class of mistake and what the diagnostic must say about it.
struct Case {
    /// Fixture folder under `tests/fixtures/errors/`.
    fixture: &'static str,
    /// `path:line:column:` of the mistake; `None` when there is no file to point into.
    at: Option<&'static str>,
    /// The key phrase of the message.
    says: &'static str,
    /// The key phrase of the `help:` line.
    help: &'static str,
    /// Makes the mistake when a file is awkward to keep as a fixture.
    setup: fn(&Fixture),
}

const NOTHING: fn(&Fixture) = |_| {};

const CASES: &[Case] = &[
    Case {
        fixture: "unknown-key",
        at: Some("content/bad.md:4:1:"),
        says: "unknown key `tag`",
        help: "did you mean `tags`?",
        setup: NOTHING,
    },
    Case {
        fixture: "bad-date",
        at: Some("content/bad.md:3:1:"),
        says: "`2017-10-32` is not a day of the calendar",
        help: "write `2017-10-15`",
        setup: NOTHING,
    },
    Case {
        fixture: "end-before-start",
        at: Some("content/bad.md:4:1:"),
        says: "`end_date` 2017-10-01 is before `date` 2017-10-06",
        help: "same as or later than `date`",
        setup: NOTHING,
    },
    Case {
        fixture: "broken-link",
        at: Some("content/bad.md:8:65:"),
        says: "broken link: `content/2017-10-04-gone.md` does not exist",
        help: "did you mean `2017-10-05-good.md`?",
        setup: NOTHING,
    },
    Case {
        fixture: "link-to-draft",
        at: Some("content/bad.md:8:17:"),
        says: "links to the draft `content/draft.md`",
        help: "remove `draft: true`",
        setup: NOTHING,
    },
    Case {
        fixture: "duplicate-slug",
        at: Some("content/bad.md:4:1:"),
        says: "slug `good` is also used by `content/2017-10-05-good.md`",
        help: "another `slug:`",
        setup: NOTHING,
    },
    // The parser notices the unclosed list on the next line; the help says so.
    Case {
        fixture: "bad-yaml",
        at: Some("content/bad.md:5:1:"),
        says: "invalid YAML",
        help: "this line or the one above",
        setup: NOTHING,
    },
    Case {
        fixture: "bad-slug",
        at: Some("content/bad.md:4:1:"),
        says: "slug `Bad_Slug` is not lower-case letters",
        help: "use `bad-slug`",
        setup: NOTHING,
    },
    Case {
        fixture: "missing-title",
        at: Some("content/bad.md:1:1:"),
        says: "`title` is missing",
        help: "add `title:",
        setup: NOTHING,
    },
    Case {
        fixture: "non-utf8",
        at: Some("content/bad.md:2:12:"),
        says: "file is not UTF-8 text",
        help: "save the file as UTF-8",
        setup: write_latin1,
    },
    Case {
        fixture: "unknown-config-key",
        at: Some("site.yaml:3:1:"),
        says: "unknown key `taxonomy`",
        help: "did you mean `taxonomies`?",
        setup: NOTHING,
    },
    Case {
        fixture: "bad-timezone",
        at: Some("site.yaml:3:1:"),
        says: "`America/New_Yrok` is not a time zone",
        help: "did you mean `America/New_York`?",
        setup: NOTHING,
    },
    Case {
        fixture: "bad-date-format",
        at: Some("site.yaml:3:1:"),
        says: "`%Q` is not a valid strftime format",
        help: "strftime",
        setup: NOTHING,
    },
    Case {
        fixture: "missing-config",
        at: None,
        says: "no `site.yaml` in `.`",
        help: "dateline init",
        setup: NOTHING,
    },
    Case {
        fixture: "related-missing",
        at: Some("content/bad.md:4:11:"),
        says: "`related` names `goood`, but no entry has that slug",
        help: "did you mean `good`?",
        setup: NOTHING,
    },
    Case {
        fixture: "missing-asset",
        at: Some("content/bad.md:4:15:"),
        says: "file `content/missing.png` does not exist",
        help: "add the file next to the entry",
        setup: NOTHING,
    },
];

/// "Café" in Latin-1: not UTF-8 at line 2, column 12.
fn write_latin1(fixture: &Fixture) {
    fixture.write(
        "content/bad.md",
        b"---\ntitle: \"Caf\xe9\"\ndate: 2017-10-06\n---\n\nBody.\n",
    );
}

#[test]
fn every_error_fixture_has_a_row_in_the_table() {
    let on_disk: Vec<String> = std::fs::read_dir(fixtures().join("errors"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut listed: Vec<&str> = CASES.iter().map(|c| c.fixture).collect();
    listed.sort_unstable();
    assert_eq!(
        on_disk, listed,
        "every fixture has a row in CASES and every row a fixture"
    );
}

/// Builds a good site into `out`, then the bad one over it; returns the redacted stderr.
fn build_over_good_output(case: &Case) -> String {
    let bad = Fixture::copy(&format!("errors/{}", case.fixture));
    (case.setup)(&bad);
    let out = bad.beside("public");
    Fixture::copy("minimal")
        .build(&["--output", &out])
        .success();
    let before = tree(bad.temp());
    assert!(before.contains_key("public/index.html"));

    let run = bad.build(&["--output", &out]);
    let stderr = bad.redact(&run.stderr);
    assert_eq!(
        run.code, 1,
        "{}: exit code; stderr:\n{stderr}",
        case.fixture
    );
    assert_same_tree(&before, &tree(bad.temp()));
    assert_eq!(
        run.stdout, "",
        "{}: no summary line on failure",
        case.fixture
    );
    stderr
}

#[test]
fn each_mistake_is_reported_at_its_line_and_the_previous_output_is_kept() {
    for case in CASES {
        let stderr = build_over_good_output(case);
        let name = case.fixture;
        if let Some(at) = case.at {
            assert!(
                stderr.contains(&format!("{at} error: ")),
                "{name}: expected `{at} error:` in\n{stderr}"
            );
        }
        assert!(
            stderr.contains(case.says),
            "{name}: expected `{}` in\n{stderr}",
            case.says
        );
        let help = stderr
            .lines()
            .find(|l| l.trim_start().starts_with("= help: "))
            .unwrap_or_else(|| panic!("{name}: no help line in\n{stderr}"));
        assert!(
            help.contains(case.help),
            "{name}: expected `{}` in `{help}`",
            case.help
        );
        insta::assert_snapshot!(name, stderr);
    }
}

#[test]
fn mistakes_in_several_files_are_all_reported_in_one_run() {
    let fixture = Fixture::copy("many-errors");
    let run = fixture.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for at in [
        "content/a-unknown-key.md:4:1: error: unknown key `peopel`",
        "content/b-bad-date.md:3:1: error: `date`: `15 October 2017` is not a date",
        "content/more/c-broken-link.md:6:62: error: broken link: `content/lost.md` does not exist",
    ] {
        assert!(
            run.stderr.contains(at),
            "expected `{at}` in\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.ends_with("error: 3 errors found\n"),
        "{}",
        run.stderr
    );
    assert!(!fixture.root.join("public").exists());
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn config_and_content_mistakes_are_reported_together() {
    let fixture = Fixture::copy("many-errors");
    fixture.append("site.yaml", "taxonomy: [tags]");
    let run = fixture.build(&[]);
    assert!(
        run.stderr
            .contains("site.yaml:3:1: error: unknown key `taxonomy`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/a-unknown-key.md:4:1: error"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_image_error_is_one_error_without_a_warning_about_its_file() {
    let fixture = Fixture::copy("minimal");
    fixture.write("content/photos/bridge.png", b"\x89PNG\r\n\x1a\n");
    fixture.write(
        "content/2017-10-20-no-alt.md",
        "---\ntitle: No alt\ndate: 2017-10-20\nimage: { src: photos/bridge.png }\n---\nBody.\n",
    );
    fixture.write(
        "content/2017-10-21-bad-end.md",
        "---\ntitle: Bad end\ndate: 2017-10-21\nend_date: 2017-10-32\nimage: { src: photos/bridge.png, alt: \"The bridge\" }\n---\nBody.\n",
    );
    let run = fixture.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/2017-10-20-no-alt.md:4:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/2017-10-21-bad-end.md:4:"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("no entry references this file"),
        "a follow-on of the errors above: {}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("error: 2 errors found\n"),
        "{}",
        run.stderr
    );
    // Once the entries are fixed, a file nothing references is reported again.
    fixture.write(
        "content/2017-10-20-no-alt.md",
        "---\ntitle: No alt\ndate: 2017-10-20\n---\nBody.\n",
    );
    fixture.write(
        "content/2017-10-21-bad-end.md",
        "---\ntitle: Bad end\ndate: 2017-10-21\n---\nBody.\n",
    );
    let fixed = fixture.check(&[]).success();
    assert!(
        fixed
            .stderr
            .contains("content/photos/bridge.png: warning: no entry references this file"),
        "{}",
        fixed.stderr
    );
}

#[test]
fn an_era_with_a_bad_start_is_one_error() {
    let fixture = Fixture::copy("minimal");
    fixture.append(
        "site.yaml",
        "eras:\n  - { title: \"The closure\", start: 2025-06-32, end: 2025-07-10 }",
    );
    let run = fixture.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("site.yaml:5:"), "{}", run.stderr);
    assert!(run.stderr.contains("2025-06-32"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("lacks"),
        "no follow-on: {}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("error: 1 error found\n"),
        "{}",
        run.stderr
    );
}
