//! The command line: exit codes, what `--output` may replace, what `check`
//! writes (nothing) and prints, and where the summary and diagnostics go.

use serde_json::Value;

use crate::common::{assert_same_tree, dateline, tree, Fixture};

#[test]
fn exit_codes_tell_success_content_errors_and_usage_errors_apart() {
    let cases: &[(&str, &[&str], i32)] = &[
        ("minimal", &["build"], 0),
        ("minimal", &["check"], 0),
        ("errors/unknown-key", &["build"], 1),
        ("errors/unknown-key", &["check"], 1),
        ("errors/missing-config", &["check"], 1),
        ("minimal", &["frobnicate"], 2),
        ("minimal", &["build", "--frobnicate"], 2),
        ("minimal", &["build", "--base-url", "ftp://x"], 2),
        ("minimal", &["build", "--base-url", "not a url"], 2),
        ("minimal", &["build", "--now", "yesterday"], 2),
        ("minimal", &["check", "--format", "xml"], 2),
    ];
    for (fixture, args, code) in cases {
        let run = Fixture::copy(fixture).run(args);
        assert_eq!(
            run.code,
            *code,
            "dateline {} on {fixture}:\n{}",
            args.join(" "),
            run.stderr
        );
        if *code == 2 {
            assert!(
                run.stderr.contains("Usage:") || run.stderr.contains("invalid value"),
                "{}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_folder_dateline_did_not_create_is_never_replaced() {
    let fixture = Fixture::copy("minimal");
    let out = fixture.beside("mine");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(format!("{out}/notes.txt"), "my notes").unwrap();
    let before = tree(fixture.temp());
    let run = fixture.build(&["--output", &out]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("refusing to replace `{out}`")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("help:"), "{}", run.stderr);
    assert_same_tree(&before, &tree(fixture.temp()));
}

#[test]
fn an_output_inside_a_folder_the_build_reads_is_refused() {
    let fixture = Fixture::copy("minimal");
    for out in ["static", "content/out", "themes/default/x"] {
        let before = tree(&fixture.root);
        let run = fixture.build(&["--output", out]);
        assert_eq!(run.code, 1, "{out}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "refusing to build into `{}",
                fixture.root.join(out).display()
            )),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("which dateline reads"),
            "{}",
            run.stderr
        );
        assert_same_tree(&before, &tree(&fixture.root));
    }
}

#[test]
fn another_sites_output_is_replaced_only_with_force() {
    let one = Fixture::copy("minimal");
    let other = Fixture::copy("subpath");
    let out = one.beside("public-shared");
    one.build(&["--output", &out]).success();
    let run = other.build(&["--output", &out]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("it holds the build of another site"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`--force`"), "{}", run.stderr);
    other.build(&["--output", &out, "--force"]).success();
    // A preview of the same site is the same site.
    other
        .build(&[
            "--output",
            &out,
            "--drafts",
            "--base-url",
            "http://127.0.0.1:9/x/",
        ])
        .success();
    let marker = std::fs::read_to_string(format!("{out}/.dateline-output")).unwrap();
    assert!(marker.contains("preview: drafts\n"), "{marker}");
    assert!(
        marker.contains("preview: base_url http://127.0.0.1:9/x/\n"),
        "{marker}"
    );
}

#[test]
fn an_output_path_that_is_a_file_is_refused() {
    let fixture = Fixture::copy("minimal");
    let out = fixture.beside("site.zip");
    std::fs::write(&out, "not a folder").unwrap();
    let run = fixture.build(&["--output", &out]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&format!("`{out}`")), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "not a folder");
}

#[test]
fn an_empty_folder_or_a_previous_output_is_replaced() {
    let fixture = Fixture::copy("minimal");
    let out = fixture.beside("www");
    std::fs::create_dir(&out).unwrap();
    fixture.build(&["--output", &out]).success();
    fixture.write(
        "content/2017-10-20-later.md",
        "---\ntitle: Later\ndate: 2017-10-20\n---\nBody.\n",
    );
    fixture.build(&["--output", &out]).success();
    assert!(std::path::Path::new(&out)
        .join("entries/later/index.html")
        .is_file());
}

#[test]
fn check_writes_nothing() {
    for fixture in ["minimal", "errors/unknown-key"] {
        let fixture = Fixture::copy(fixture);
        let before = tree(fixture.temp());
        fixture.check(&[]);
        fixture.check(&["--format", "json", "--strict"]);
        assert_same_tree(&before, &tree(fixture.temp()));
        assert!(!fixture.root.join("public").exists());
    }
}

fn check_json(fixture: &Fixture, args: &[&str]) -> (i32, Value) {
    let run = fixture.check(&[&["--format", "json"], args].concat());
    let doc = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout));
    (run.code, doc)
}

#[test]
fn check_json_of_a_clean_site() {
    let (code, doc) = check_json(&Fixture::copy("minimal"), &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    assert_eq!(
        (&doc["errors"], &doc["warnings"], &doc["entries"]),
        (&Value::from(0), &Value::from(0), &Value::from(3))
    );
}

#[test]
fn check_json_of_a_broken_site() {
    let (code, doc) = check_json(&Fixture::copy("errors/unknown-key"), &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["warnings"], 0);
    assert_eq!(
        doc["diagnostics"],
        serde_json::json!([{
            "severity": "error",
            "path": "content/bad.md",
            "line": 4,
            "column": 1,
            "message": "unknown key `tag`",
            "help": "did you mean `tags`?",
        }])
    );
}

/// `minimal` plus one entry without sources, which is a warning.
fn site_with_a_warning() -> Fixture {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/2017-10-20-unsourced.md",
        "---\ntitle: Unsourced\ndate: 2017-10-20\n---\nBody.\n",
    );
    fixture
}

const NO_SOURCES: &str = "content/2017-10-20-unsourced.md:1:1: warning: entry cites no sources";

/// The JSON diagnostic about the entry without sources.
fn no_sources(doc: &Value) -> &Value {
    let list = doc["diagnostics"].as_array().unwrap();
    list.iter()
        .find(|d| d["message"] == "entry cites no sources")
        .unwrap_or_else(|| panic!("{doc:#}"))
}

#[test]
fn an_entry_nothing_links_to_is_not_a_warning() {
    // The timeline links every entry; most events follow from none in particular.
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/2017-10-20-later.md",
        "---\ntitle: Later\ndate: 2017-10-20\nsources:\n  - { title: \"A report\", url: \"https://example.com/later\", publisher: \"Agency\" }\n---\nBody.\n",
    );
    let strict = fixture.check(&["--strict"]);
    assert_eq!(strict.code, 0, "{}", strict.stderr);
    assert!(!strict.stderr.contains("warning"), "{}", strict.stderr);
}

#[test]
fn warnings_fail_only_a_strict_check() {
    let fixture = site_with_a_warning();
    let plain = fixture.check(&[]).success();
    assert!(plain.stderr.contains(NO_SOURCES), "{}", plain.stderr);
    assert!(plain.stdout.contains("no errors"), "{}", plain.stdout);
    let strict = fixture.check(&["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict
            .stderr
            .contains(&NO_SOURCES.replace("warning:", "error:")),
        "{}",
        strict.stderr
    );

    let (code, doc) = check_json(&fixture, &[]);
    assert_eq!((code, &doc["errors"]), (0, &Value::from(0)));
    assert_eq!(
        (&no_sources(&doc)["severity"], &no_sources(&doc)["line"]),
        (&Value::from("warning"), &Value::from(1))
    );
    let (code, doc) = check_json(&fixture, &["--strict"]);
    assert_eq!(code, 1);
    assert_eq!(no_sources(&doc)["severity"], "error");
    assert_eq!(doc["errors"], doc["diagnostics"].as_array().unwrap().len());
    fixture.build(&[]).success();
}

#[test]
fn quiet_drops_the_summary_line_only() {
    let fixture = site_with_a_warning();
    let loud = fixture.build(&[]).success();
    assert!(
        loud.stdout.starts_with("built 4 entries into "),
        "{}",
        loud.stdout
    );
    assert_eq!(
        loud.stdout.lines().count(),
        1,
        "one summary line: {}",
        loud.stdout
    );
    let quiet = fixture.build(&["--quiet"]).success();
    assert_eq!(quiet.stdout, "");
    assert_eq!(quiet.stderr, loud.stderr, "diagnostics still go to stderr");
    assert!(quiet.stderr.contains(NO_SOURCES));
}

#[test]
fn root_may_be_given_from_another_working_directory() {
    let fixture = Fixture::copy("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = fixture.root.to_str().unwrap();
    dateline(elsewhere.path(), &["build", "--root", root]).success();
    assert!(
        fixture.root.join("public/index.html").is_file(),
        "the output defaults to <root>/public"
    );
    assert!(
        tree(elsewhere.path()).is_empty(),
        "nothing is written to the working directory"
    );
    dateline(fixture.temp(), &["check", "--root", "site"]).success();
}

#[test]
fn the_staging_folder_is_gone_after_success_and_failure() {
    let fixture = Fixture::copy("minimal");
    let staging = fixture.root.join(".public.dateline-tmp");
    fixture.build(&[]).success();
    assert!(!staging.exists(), "after success");
    let good = tree(&fixture.root.join("public"));

    // Fails while rendering, after the staging folder was made.
    fixture.write(
        "themes/default/templates/404.html",
        "{{ no_such_variable }}",
    );
    let run = fixture.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("404.html"), "{}", run.stderr);
    assert!(!staging.exists(), "after a render failure");

    // Fails while checking content, before any folder is made.
    std::fs::remove_dir_all(fixture.root.join("themes")).unwrap();
    fixture.write("content/bad.md", "---\ntitle: Bad\n---\n");
    assert_eq!(fixture.build(&[]).code, 1);
    assert!(!staging.exists(), "after a content failure");
    assert_same_tree(&good, &tree(&fixture.root.join("public")));
}

#[cfg(target_os = "linux")]
#[test]
fn builds_of_sibling_outputs_do_not_block_each_other() {
    use rustix::fs::{flock, FlockOperation};
    let fixture = Fixture::copy("minimal");
    // What a running `dateline build --output <temp>/a` holds: a lock on the parent folder.
    let parent = std::fs::File::open(fixture.temp()).unwrap();
    flock(&parent, FlockOperation::NonBlockingLockExclusive).unwrap();
    let run = fixture.build(&["--output", &fixture.beside("b")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn theme_mistakes_name_the_template_line_and_the_fields_that_exist() {
    let fixture = Fixture::copy("minimal");
    fixture.build(&[]).success();
    let good = tree(&fixture.root.join("public"));

    fixture.write(
        "themes/default/templates/entry.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ entry.titel }}</h1>\n{% endblock content %}\n",
    );
    let run = fixture.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: template `themes/default/templates/entry.html`: Field `titel` is not defined."
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(" title,"),
        "lists the fields: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("--> themes/default/templates/entry.html:3:14"),
        "the file as the editor has it: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("= note: while rendering the page of `content/"),
        "{}",
        run.stderr
    );

    fixture.write(
        "themes/default/templates/entry.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ entry.title </h1>\n{% endblock content %}\n",
    );
    let run = fixture.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: template `themes/default/templates/entry.html`:"),
        "a syntax error names its file too: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("--> themes/default/templates/entry.html:3:20"),
        "{}",
        run.stderr
    );
    assert_same_tree(&good, &tree(&fixture.root.join("public")));

    // A field of `extra` one entry lacks names that entry and both fixes.
    fixture.write(
        "themes/default/templates/entry.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ extra.display_date }}</p>\n{% endblock content %}\n",
    );
    for name in ["2017-10-05-times-report.md", "2017-10-15-milano-tweet.md"] {
        let path = format!("content/{name}");
        let text = std::fs::read_to_string(fixture.root.join(&path)).unwrap();
        fixture.write(
            &path,
            text.replacen("---\n", "---\nextra: { display_date: \"Thursday\" }\n", 1),
        );
    }
    let run = fixture.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("= note: while rendering the page of `content/2017-10-16-first-day.md`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= help: give `content/2017-10-16-first-day.md` `extra: { display_date: … }` in its front matter, or write `{% if extra.display_date is defined %}`"),
        "{}",
        run.stderr
    );
    // A mistake in the parent template is named there, not in the page's template.
    std::fs::remove_file(fixture.root.join("themes/default/templates/entry.html")).unwrap();
    fixture.write(
        "themes/default/templates/base.html",
        "<html>{% block content %}{% endblock content %}{{ site.titel }}</html>\n",
    );
    let run = fixture.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: template `themes/default/templates/base.html`: Field `titel`"),
        "{}",
        run.stderr
    );
    assert_same_tree(&good, &tree(&fixture.root.join("public")));
}

#[test]
fn titles_terms_and_file_names_in_any_script_get_urls() {
    let fixture = Fixture::copy("minimal");
    let run = fixture.run(&["new", "Αθήνα: η ψηφοφορία", "--date", "2017-10-20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("content/2017-10-20-athena-e-psephophoria.md"),
        "{}",
        run.stdout
    );
    fixture.write(
        "content/2017-10-21-台北.md",
        "---\ntitle: \"台北\"\ndate: 2017-10-21\ntags: [\"Україна\", \"Ｍｅｔｏｏ\"]\n---\nText.\n",
    );
    let (out, run) = fixture.build_ok(&[]);
    assert!(
        !run.stderr.contains("no letters or digits"),
        "{}",
        run.stderr
    );
    assert!(out.has("entries/tai-bei/index.html"), "{:?}", out.paths());
    assert!(out.has("tags/ukrayina/index.html"), "{:?}", out.paths());
    assert!(out.has("tags/metoo/index.html"), "{:?}", out.paths());
}

#[test]
fn the_summary_line_says_how_many_entries_are_held_back_and_until_when() {
    let fixture = Fixture::copy("future");
    let run = fixture.build(&["--now", "2020-01-01T00:00:00Z"]).success();
    assert!(
        run.stdout.contains("built 1 entry (1 held back; the first is published 2030-01-01 00:00 UTC; `--future` shows them)"),
        "{}",
        run.stdout
    );
    let run = fixture
        .build(&["--now", "2020-01-01T00:00:00Z", "--future"])
        .success();
    assert!(!run.stdout.contains("held back"), "{}", run.stdout);
}

/// Commits everything under `root` as of `when` (`YYYY-MM-DD`), creating the
/// repository on first use.
fn commit_at(root: &std::path::Path, when: &str, paths: &[&str]) {
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=Desk", "-c", "user.email=desk@example.org"])
            .args(args)
            .current_dir(root)
            .env("GIT_AUTHOR_DATE", format!("{when}T12:00:00Z"))
            .env("GIT_COMMITTER_DATE", format!("{when}T12:00:00Z"))
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    if !root.join(".git").exists() {
        git(&["init", "-q"]);
    }
    git(&[&["add", "--"], paths].concat());
    git(&["commit", "-q", "-m", when]);
}

/// The `published` warnings in `check`'s stderr, one `file: help` per entry.
fn late_published(stderr: &str) -> Vec<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.contains("warning: `published` is not given") {
            let file = line.split(':').next().unwrap_or_default();
            let help = lines[i..]
                .iter()
                .find_map(|l| l.trim_start().strip_prefix("= help: "))
                .unwrap_or_default();
            out.push(format!("{file}: {help}"));
        }
    }
    out
}

#[test]
fn check_names_entries_committed_long_after_their_event_that_lack_published() {
    // Written the week of the events: the default (the event's date) is right.
    let fixture = Fixture::copy("minimal");
    let root = &fixture.root;
    commit_at(
        root,
        "2017-10-12",
        &["site.yaml", "content/2017-10-05-times-report.md"],
    );
    commit_at(root, "2017-10-20", &["content"]);
    let on_time = fixture.check(&[]).success();
    assert_eq!(
        late_published(&on_time.stderr),
        Vec::<String>::new(),
        "{}",
        on_time.stderr
    );

    // Added years later: one without `published`, one with it.
    fixture.write(
        "content/2019-03-01-late.md",
        "---\ntitle: Late\ndate: 2019-03-01\n---\nBody.\n",
    );
    fixture.write(
        "content/2019-03-02-stamped.md",
        "---\ntitle: Stamped\ndate: 2019-03-02\npublished: 2026-01-05\n---\nBody.\n",
    );
    commit_at(root, "2026-01-05", &["content"]);
    // Not committed yet: it goes up now.
    fixture.write(
        "content/2018-draft-of-today.md",
        "---\ntitle: Today\ndate: 2018\n---\nBody.\n",
    );
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let late = fixture.check(&[]).success();
    assert_eq!(
        late_published(&late.stderr),
        [
            format!("content/2018-draft-of-today.md: add `published: {today}` (when the entry went up on this site) under `date`"),
            "content/2019-03-01-late.md: add `published: 2026-01-05` (when the entry went up on this site) under `date`".to_string(),
        ],
        "{}",
        late.stderr
    );
    assert!(
        late.stderr
            .contains("but this file was first committed on 2026-01-05"),
        "{}",
        late.stderr
    );
    assert!(
        late.stderr.contains("but this file is not committed yet"),
        "{}",
        late.stderr
    );
    let strict = fixture.check(&["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);

    // A shallow clone makes every file look added at its tip: no guessing there.
    let shallow = fixture.temp().join("shallow");
    let url = format!("file://{}", root.display());
    let cloned = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&shallow)
        .status()
        .expect("git runs");
    assert!(cloned.success());
    let run = dateline(&shallow, &["check"]).success();
    assert_eq!(
        late_published(&run.stderr),
        Vec::<String>::new(),
        "{}",
        run.stderr
    );
    // Nor outside a repository.
    std::fs::remove_dir_all(root.join(".git")).unwrap();
    assert_eq!(
        late_published(&fixture.check(&[]).stderr),
        Vec::<String>::new()
    );
}
