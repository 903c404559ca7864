//! Bounded work on any input (the second hardening round): each input below
//! once stalled a build for half a minute or more, or took gigabytes of memory,
//! or made hundreds of megabytes of output from one file. Each must now build
//! or fail fast, within a memory limit, with the limit named at its line.
//! `bench/hostile.sh` times the same cases on a release binary.

use std::process::Command;
use std::time::Duration;

use crate::common::{bin, run, Run};
use crate::support::{Site, NOW};

/// Long enough for a debug build on a slow CI machine; the code before the
/// round took longer than this on every case (release: 14 s to over 60 s).
const LIMIT: Duration = Duration::from_secs(20);

/// The address space a build may take, in KiB: the code before the round took
/// 1 GB and more on two of these cases, and was killed at 3.8 GB on a third.
const MEMORY_KIB: u64 = 1 << 20;

const HEAD: &str = "---\ntitle: x\ndate: 2017-10-15\n";

/// Builds a site whose only entry is `text`, within [`LIMIT`] and [`MEMORY_KIB`].
fn build(text: &str) -> Run {
    let site = Site::new();
    site.write("content/2017-10-15-x.md", text);
    let script =
        format!("ulimit -v {MEMORY_KIB} && exec \"$0\" build --output \"$1\" --now {NOW} --quiet");
    let mut command = Command::new("sh");
    command
        .current_dir(&site.root)
        .args(["-c", &script, &bin(), site.out.to_str().unwrap()]);
    run(&mut command, Some(LIMIT))
}

/// Asserts the build failed, saying `says`, and printed little.
#[track_caller]
fn refused(run: &Run, says: &str) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(says), "{}", run.stderr);
    assert!(
        run.stderr.len() < 100_000,
        "{} bytes of messages",
        run.stderr.len()
    );
}

#[test]
fn flow_lists_and_maps_nested_deeply_are_refused_before_the_parser_sees_them() {
    let n = 100_000;
    let lists = format!("{HEAD}extra: {}{}\n---\n", "[".repeat(n), "]".repeat(n));
    refused(&build(&lists), "lists and maps nest more than 64 deep");
    let maps = format!(
        "{HEAD}extra: {}{}\n---\n",
        "{a: ".repeat(n / 2),
        "}".repeat(n / 2)
    );
    refused(&build(&maps), "lists and maps nest more than 64 deep");
}

#[test]
fn markdown_nesting_around_raw_html_counts_towards_the_html_limit() {
    let quotes = format!("{HEAD}---\n{} x <b>y</b>\n", "> ".repeat(100_000));
    refused(
        &build(&quotes),
        "the body's HTML nests more than 100 elements deep",
    );
    // The same quotes without raw HTML are not sanitised, and build.
    let plain = format!("{HEAD}---\n{} x\n", "> ".repeat(1_000));
    assert_eq!(build(&plain).code, 0);
}

#[test]
fn stray_end_tags_do_not_undo_nesting_but_omitted_end_tags_do() {
    let stray = format!("{HEAD}---\n{}\n", "<div></x>".repeat(100_000));
    refused(
        &build(&stray),
        "the body's HTML nests more than 100 elements deep",
    );
    let items = format!("{HEAD}---\n<ul>{}</ul>\n", "<li>item".repeat(101));
    let run = build(&items);
    assert_eq!(
        run.code, 0,
        "101 `<li>` without end tags nest 2 deep: {}",
        run.stderr
    );
}

#[test]
fn a_mistake_repeated_on_one_long_line_is_reported_briefly() {
    let removed = format!("{HEAD}---\n{}\n", "[a](javascript:x) ".repeat(5_000));
    let run = build(&removed);
    assert_eq!(run.code, 0, "removed links are warnings: {}", run.stderr);
    let missing = format!("{HEAD}---\n{}\n", "[a](y) ".repeat(10_000));
    let run = build(&missing);
    refused(&run, "… and 9900 more problems in this file");
    assert_eq!(run.stderr.matches("does not exist").count(), 100);
    // The count is of every problem, and the note of those left out comes
    // after the ones shown, not among them.
    assert!(run.stderr.contains("10000 errors found"), "{}", run.stderr);
    let note = run.stderr.find("more problems").unwrap();
    assert!(run.stderr[note..].find("does not exist").is_none());
    // Each message points at its own link: `[a](y) ` is 7 characters, and the
    // destination is the 5th.
    for (i, column) in [5, 12, 19, 698].iter().enumerate() {
        let at = format!("content/2017-10-15-x.md:5:{column}: error: file");
        assert!(
            run.stderr.contains(&at),
            "link {i}: no `{at}` in {}",
            &run.stderr[..2000]
        );
    }
}

#[test]
fn long_lists_take_time_in_proportion() {
    let sources: String = (0..20_000)
        .map(|i| format!("  - title: S{i}\n    url: https://e.org/{i}\n    publisher: P\n"))
        .collect();
    refused(
        &build(&format!("{HEAD}sources:\n{sources}---\n")),
        "`sources` lists 20000 items; dateline allows up to 100",
    );
    let tags: String = (0..40_000).map(|i| format!("  - t{i}\n")).collect();
    refused(
        &build(&format!("{HEAD}tags:\n{tags}---\n")),
        "`tags` lists 40000 terms",
    );
    let keys: String = (0..40_000).map(|i| format!("k{i}: v\n")).collect();
    refused(
        &build(&format!("{HEAD}{keys}---\n")),
        "… and 39900 more problems in this file",
    );
    // The same keys inside a source or the image: each key's line was found
    // by a search of the lines below it, so 40,000 took half a minute.
    let nested =
        |indent: &str| -> String { (0..40_000).map(|i| format!("{indent}k{i}: v\n")).collect() };
    let source = format!(
        "{HEAD}sources:\n  - title: t\n    url: https://e.org/\n{}---\n",
        nested("    ")
    );
    refused(&build(&source), "unknown key `k0` in source 1");
    let image = format!(
        "{HEAD}image:\n  src: https://e.org/a.png\n  alt: a\n{}---\n",
        nested("  ")
    );
    let run = build(&image);
    refused(&run, "unknown key `k0` in `image`");
    assert!(
        run.stderr.contains("x.md:7:3: error: unknown key `k0`"),
        "{}",
        &run.stderr[..500]
    );
}

#[test]
fn long_values_are_refused_at_their_line_with_the_limit_named() {
    let terms = |p: &str| {
        let list: Vec<String> = (0..100).map(|i| format!("{p}{i}")).collect();
        list.join(", ")
    };
    let text = format!(
        "---\ntitle: {}\ndate: 2017-10-15\ntags: [{}]\npeople: [{}]\n---\n",
        "w".repeat(1_000_000),
        terms("t"),
        terms("p")
    );
    let run = build(&text);
    refused(&run, "content/2017-10-15-x.md:2:1: error: `title` is 1000000 characters long; dateline allows up to 300");
    let summary = format!("{HEAD}summary: \"{}\"\n---\n", "s".repeat(1001));
    refused(
        &build(&summary),
        "`summary` is 1001 characters long; dateline allows up to 1000",
    );
}

#[test]
fn a_description_repeated_on_every_page_has_a_limit_too() {
    let site = Site::with_config(&format!(
        "title: T\nbase_url: https://example.org/\ndescription: \"{}\"\n",
        "d".repeat(5000)
    ));
    site.write("content/2017-10-15-x.md", format!("{HEAD}---\n"));
    let run = site.build(&[]);
    refused(
        &run,
        "site.yaml:3:1: error: `description`: 5000 characters, more than the 1000 dateline allows",
    );
}

#[test]
fn numbers_too_large_and_alias_bombs_are_named_for_what_they_are() {
    let run = build(&format!("{HEAD}importance: 99999999999999999999999\n---\n"));
    refused(&run, "content/2017-10-15-x.md:4:13: error: invalid YAML: the number `99999999999999999999999` is too large");
    assert!(!run.stderr.contains("u128"), "{}", run.stderr);
}
