use std::collections::BTreeSet;
use std::path::PathBuf;

use super::*;
use crate::content::entry::{Asset, ImageSrc};
use crate::date::Precision;

fn config() -> Config {
    crate::site::config::parse("title: T\nbase_url: https://example.org/metoo/\n", None)
        .expect("config")
}

fn parse_text(path: &str, text: &str) -> (Option<Entry>, Vec<String>) {
    parse_with_assets(path, text, &[])
}

fn parse_with_assets(path: &str, text: &str, assets: &[&str]) -> (Option<Entry>, Vec<String>) {
    let assets: BTreeSet<PathBuf> = assets.iter().map(PathBuf::from).collect();
    let file = SourceFile {
        path: PathBuf::from(path),
        text: text.to_string(),
    };
    let (entry, diagnostics) = parse(file, &assets, &config());
    (entry, diagnostics.iter().map(ToString::to_string).collect())
}

fn ok(path: &str, text: &str) -> Entry {
    let (entry, messages) = parse_text(path, text);
    entry.unwrap_or_else(|| panic!("{messages:#?}"))
}

#[test]
fn reads_every_key() {
    let e = ok(
        "content/2017-10-15-milano.md",
        r##"---
title: "Milano's call"
date: 2017-10-15T12:21:00-07:00
end_date: 2017-10-16
summary: "  A short   summary. "
tags: ["#MeToo", Twitter]
people: [Alyssa Milano]
sources:
  - { title: "Tweet", url: "https://twitter.com/x", publisher: Twitter, date: 2017-10-15 }
related: [other-entry]
image: { src: "https://example.org/a.jpg", alt: "A photo", credit: "AP" }
published: 2017-10-16
updated: 2017-10-20
corrections:
  - { date: 2017-10-20, text: "Fixed the time." }
importance: 1
draft: false
extra: { color: red }
---
Body text.
"##,
    );
    assert_eq!(e.slug, "milano");
    assert_eq!(e.title, "Milano\u{2019}s call", "curled as the body is");
    assert_eq!(e.date.precision(), Precision::Instant);
    assert_eq!(e.end_date.map(|d| d.machine()), Some("2017-10-16".into()));
    assert_eq!(e.summary, "A short summary.");
    let terms: Vec<Vec<&str>> = e
        .terms
        .iter()
        .map(|t| t.iter().map(|l| l.name.as_str()).collect())
        .collect();
    assert_eq!(terms, [vec!["#MeToo", "Twitter"], vec!["Alyssa Milano"]]);
    assert_eq!(e.sources[0].publisher.as_deref(), Some("Twitter"));
    assert_eq!(e.related[0].value, "other-entry");
    assert_eq!(
        e.image.as_ref().map(|i| i.src.clone()),
        Some(ImageSrc::Remote("https://example.org/a.jpg".into()))
    );
    assert_eq!(e.published.machine(), "2017-10-16");
    assert_eq!(e.corrections.len(), 1);
    assert_eq!((e.importance, e.draft), (1, false));
    assert_eq!(e.extra["color"], "red");
    assert_eq!(e.body(), "Body text.\n");
}

#[test]
fn unquoted_year_and_month_are_dates() {
    let e = ok(
        "content/2006-burke.md",
        "---\ntitle: Burke\ndate: 2006\n---\n",
    );
    assert_eq!(
        (e.date.precision(), e.date.machine()),
        (Precision::Year, "2006".into())
    );
    assert_eq!(e.published, e.date, "published defaults to date");
    let e = ok("content/x.md", "---\ntitle: X\ndate: 2017-10\n---\n");
    assert_eq!(e.date.precision(), Precision::Month);
    let e = ok("content/x.md", "---\ntitle: X\ndate: 2006~\n---\n");
    assert_eq!(e.date.edtf(), "2006~");
}

#[test]
fn unknown_key_names_line_and_nearest_key() {
    let (entry, messages) =
        parse_text("content/a.md", "---\ntitle: A\ndate: 2017\ntag: [x]\n---\n");
    assert!(entry.is_none());
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].starts_with("content/a.md:4:1: error: unknown key `tag`"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("did you mean `tags`?"),
        "{}",
        messages[0]
    );
}

#[test]
fn reports_every_problem_in_a_file() {
    let (_, messages) = parse_text(
        "content/a.md",
        "---\ntitle: \"\"\ndate: 15 Oct 2017\nimportance: 5\ndraft: yes\nslug: Bad_Slug\n---\n",
    );
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert!(messages
        .iter()
        .any(|m| m.contains("content/a.md:3:") && m.contains("`15 Oct 2017` is not a date")));
    assert!(messages.iter().any(|m| m.contains("use `bad-slug`")));
}

#[test]
fn missing_title_and_date_are_errors() {
    let (_, messages) = parse_text("content/a.md", "---\nsummary: x\n---\n");
    assert_eq!(messages.len(), 2, "{messages:#?}");
}

#[test]
fn end_date_must_not_precede_date() {
    let (_, messages) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017-10-15\nend_date: 2017-10-14\n---\n",
    );
    assert!(
        messages[0].starts_with(
            "content/a.md:4:1: error: `end_date` 2017-10-14 is before `date` 2017-10-15"
        ),
        "{messages:#?}"
    );
    // A month that contains the start day does not precede it.
    assert!(parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017-10-15\nend_date: 2017-10\n---\n"
    )
    .0
    .is_some());
}

#[test]
fn slugs_come_from_file_names_without_dates() {
    assert_eq!(
        ok(
            "content/2017-10-05-nyt-report.md",
            "---\ntitle: A\ndate: 2017\n---\n"
        )
        .slug,
        "nyt-report"
    );
    assert_eq!(
        ok("content/sub/Ça Va.md", "---\ntitle: A\ndate: 2017\n---\n").slug,
        "ca-va"
    );
    let (_, messages) = parse_text("content/2017-10-05.md", "---\ntitle: A\ndate: 2017\n---\n");
    assert!(messages[0].contains("gives no slug"), "{messages:#?}");
    assert!(
        ok(
            "content/2017-10-05.md",
            "---\ntitle: A\ndate: 2017\nslug: nyt\n---\n"
        )
        .slug
            == "nyt"
    );
}

#[test]
fn unquoted_hash_gets_a_quoting_hint() {
    let (_, messages) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\ntags: #MeToo\n---\n",
    );
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(messages[0].contains("must be quoted"), "{}", messages[0]);
}

#[test]
fn sources_are_checked_field_by_field() {
    let (_, messages) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\nsources:\n  - title: ok\n    url: https://a.org\n  - title: bad\n    url: javascript:alert(1)\n  - title: typo\n    link: https://b.org\n---\n",
    );
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].starts_with("content/a.md:8:5: error: `url` `javascript:alert(1)`"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].starts_with("content/a.md:9:") && messages[1].contains("source 3 has no `url`"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].starts_with("content/a.md:10:") && messages[2].contains("unknown key `link`"),
        "{}",
        messages[2]
    );
}

#[test]
fn image_needs_alt_and_an_existing_file() {
    let (_, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\nimage: { src: https://x.org/a.jpg }\n---\n",
    );
    assert!(m[0].contains("no `alt`"), "{m:#?}");
    let (_, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\nimage:\n  src: missing.jpg\n  alt: x\n---\n",
    );
    assert!(
        m[0].starts_with("content/a.md:5:") && m[0].contains("does not exist"),
        "{m:#?}"
    );
    let (e, m) = parse_with_assets(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\nimage: { src: img/p.jpg, alt: x }\n---\n",
        &["content/img/p.jpg"],
    );
    let e = e.unwrap_or_else(|| panic!("{m:#?}"));
    assert_eq!(
        e.image.map(|i| i.src),
        Some(ImageSrc::Local("p.jpg".into()))
    );
    assert_eq!(
        e.assets,
        [Asset {
            source: "content/img/p.jpg".into(),
            name: "p.jpg".into()
        }]
    );
}

#[test]
fn body_links_are_resolved_relative_to_the_file() {
    let (e, m) = parse_with_assets(
        "content/2017/a.md",
        "---\ntitle: A\ndate: 2017\n---\nSee [b](../b.md#part), [c](c.md), [web](https://x.org) and ![p](p.png).\n",
        &["content/2017/p.png"],
    );
    let e = e.unwrap_or_else(|| panic!("{m:#?}"));
    assert_eq!(e.asset_links, [("p.png".to_string(), "p.png".to_string())]);
    let targets: Vec<(&str, Option<&str>, usize)> = e
        .links
        .iter()
        .map(|l| {
            (
                l.target.to_str().unwrap_or(""),
                l.fragment.as_deref(),
                l.line,
            )
        })
        .collect();
    assert_eq!(
        targets,
        [
            ("content/b.md", Some("part"), 5),
            ("content/2017/c.md", None, 5)
        ]
    );
    let (_, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\n---\n\n[x](../../etc/passwd.md)\n",
    );
    assert!(
        m[0].starts_with("content/a.md:6:") && m[0].contains("outside `content/`"),
        "{m:#?}"
    );
}

#[test]
fn javascript_links_warn_but_do_not_fail() {
    let (e, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\n---\n[x](javascript:alert(1))\n",
    );
    assert!(e.is_some());
    assert!(
        m[0].contains("warning: link to `javascript:alert(1)` is removed"),
        "{m:#?}"
    );
}

#[test]
fn default_summary_is_the_first_paragraph_cut_near_200() {
    let long = "word ".repeat(80);
    let e = ok(
        "content/a.md",
        &format!("---\ntitle: A\ndate: 2017\n---\n# Heading\n\n{long}\n\nSecond.\n"),
    );
    assert!(
        e.summary.ends_with('…') && e.summary.chars().count() <= 201,
        "{}",
        e.summary
    );
}

#[test]
fn front_matter_problems_name_the_fix() {
    let (_, m) = parse_text("content/a.md", "# Just markdown\n");
    assert!(
        m[0].contains("does not start with front matter") && m[0].contains("help:"),
        "{m:#?}"
    );
    let (_, m) = parse_text("content/a.md", "---\ntitle: [unclosed\ndate: 2017\n---\n");
    assert!(
        m[0].starts_with("content/a.md:") && m[0].contains("invalid YAML"),
        "{m:#?}"
    );
}

#[test]
fn yaml_errors_point_at_their_column_and_duplicates_at_the_second_key() {
    let (_, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\ntags: [a, b\nsources: []\n---\n",
    );
    assert!(
        m[0].starts_with("content/a.md:5:8: error: invalid YAML"),
        "{m:#?}"
    );
    let (_, m) = parse_text("content/a.md", "---\ntitle: A\ndate: 2017\ntitle: B\n---\n");
    assert!(
        m[0].starts_with("content/a.md:4:1: error: invalid YAML: key `title` is written twice"),
        "{m:#?}"
    );
    assert!(m[0].contains("merge the two"), "{m:#?}");
}

#[test]
fn dates_outside_what_feeds_can_carry_are_refused_at_their_line() {
    let (_, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 0000-01-01T00:00:00+14:00\n---\n",
    );
    assert!(
        m[0].starts_with("content/a.md:3:1: error: `date` 0000-01-01T00:00:00+14:00 falls outside the years 0000 to 9999 in UTC"),
        "{m:#?}"
    );
    let (e, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 0000-01-01T00:00:00Z\n---\n",
    );
    assert!(e.is_some(), "{m:#?}");
}

#[test]
fn a_hash_in_a_list_and_a_tab_in_the_indentation_are_named_where_they_are() {
    // The parser blames the line after the `#`, and calls a tab "a character
    // that cannot start any token".
    let (_, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\ntags: [#BridgeClosed, Transport]\nsources: []\n---\n",
    );
    assert!(
        m[0].starts_with("content/a.md:4:8: error: invalid YAML: `#` starts a comment in YAML, so `#BridgeClosed`"),
        "{m:#?}"
    );
    assert!(m[0].contains("quote the term"), "{m:#?}");
    let (_, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\nsources:\n\t- { title: x, url: \"https://e.org/\" }\n---\n",
    );
    assert!(
        m[0].starts_with("content/a.md:5:1: error: invalid YAML: this line is indented with a tab"),
        "{m:#?}"
    );
    // A quoted `#` is text, and a comment after a closed list is a comment.
    let (e, m) = parse_text(
        "content/a.md",
        "---\ntitle: A\ndate: 2017\ntags: [\"#MeToo\", b] # the hashtag\n---\n",
    );
    assert!(e.is_some(), "{m:#?}");
}
