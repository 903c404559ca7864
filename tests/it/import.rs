//! `dateline import timelinejs` through the real binary: a TimelineJS3 JSON file
//! and the Google-Sheet template's CSV export (`tests/fixtures/timelinejs`, with
//! the CRLF line endings Google Sheets writes) come back out of `build` as the
//! same events with the same dates; bad input and existing files are refused
//! with nothing written; HTML is read as a browser reads it (any attribute, any
//! entity), a media address never becomes markup, a group with no letters is
//! dropped with a note, and duplicate headlines keep their numbered names.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{assert_same_tree, dateline, fixtures, tree, Fixture, Run};
use crate::support::{main_of, text_of, tl_date, TlDate};

/// One TimelineJS event as a reader of the timeline sees it.
#[derive(Debug, PartialEq, Eq)]
struct Event {
    start: TlDate,
    end: Option<TlDate>,
    display_date: Option<String>,
    text: String,
    media: Option<String>,
    group: Option<String>,
}

/// The events of a TimelineJS3 JSON document by headline text.
fn events_of_json(doc: &Value) -> BTreeMap<String, Event> {
    let text = |v: &Value| v.as_str().map(text_of);
    doc["events"]
        .as_array()
        .expect("an `events` list")
        .iter()
        .map(|e| {
            let event = Event {
                start: tl_date(&e["start_date"]),
                end: e.get("end_date").map(tl_date),
                display_date: text(&e["start_date"]["display_date"])
                    .or_else(|| text(&e["display_date"])),
                text: text(&e["text"]["text"]).unwrap_or_default(),
                media: text(&e["media"]["url"]),
                group: text(&e["group"]),
            };
            (text(&e["text"]["headline"]).expect("a headline"), event)
        })
        .collect()
}

/// The events of a Google-Sheet template CSV export by headline text (title and
/// era rows left out), read with the `csv` crate.
fn events_of_csv(text: &str) -> BTreeMap<String, Event> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let mut events = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let get = |name: &str| {
            record
                .get(headers.iter().position(|h| h == name).unwrap())
                .unwrap()
                .trim()
                .to_string()
        };
        let opt = |name: &str| Some(get(name)).filter(|s| !s.is_empty());
        if matches!(get("Type").as_str(), "title" | "era") {
            continue;
        }
        let date = |year: &str, month: &str, day: &str, time: &str| {
            let mut d = BTreeMap::new();
            for (key, column) in [("year", year), ("month", month), ("day", day)] {
                if let Some(v) = opt(column) {
                    d.insert(key.to_string(), v.parse::<i64>().unwrap());
                }
            }
            if let Some(time) = opt(time) {
                let (h, m) = time.split_once(':').unwrap();
                d.insert("hour".to_string(), h.parse().unwrap());
                d.insert("minute".to_string(), m.parse().unwrap());
            }
            d
        };
        let event = Event {
            start: date("Year", "Month", "Day", "Time"),
            end: opt("End Year").map(|_| date("End Year", "End Month", "End Day", "End Time")),
            display_date: opt("Display Date"),
            text: text_of(&get("Text")),
            media: opt("Media"),
            group: opt("Group"),
        };
        events.insert(text_of(&get("Headline")), event);
    }
    events
}

/// Runs `dateline import timelinejs <file> --root <root>` from outside the root.
fn import(fixture: &Fixture, file: &str) -> Run {
    let file = fixture.root.join(file);
    let root = fixture.root.to_str().unwrap();
    dateline(
        fixture.temp(),
        &[
            "import",
            "timelinejs",
            file.to_str().unwrap(),
            "--root",
            root,
        ],
    )
}

/// Imports `file` into a fresh copy of the fixture, builds, and returns the
/// input's events and the exported `timeline.json`'s events.
fn round_trip(file: &str) -> (BTreeMap<String, Event>, BTreeMap<String, Event>) {
    let fixture = Fixture::copy("timelinejs");
    let input = std::fs::read_to_string(fixture.root.join(file)).unwrap();
    let before = if file.ends_with(".csv") {
        events_of_csv(&input)
    } else {
        events_of_json(&serde_json::from_str(&input).unwrap())
    };
    let run = import(&fixture, file).success();
    let written = std::fs::read_dir(fixture.root.join("content"))
        .unwrap()
        .count();
    assert_eq!(
        written,
        before.len(),
        "one entry per event:\n{}",
        run.stdout
    );
    let (out, _) = fixture.build_ok(&[]);
    let exported: Value = serde_json::from_str(&out.read("timeline.json")).unwrap();
    (before, events_of_json(&exported))
}

#[test]
fn json_import_round_trips_through_the_exported_timeline() {
    let (before, after) = round_trip("timeline.json");
    assert_eq!(before.len(), 6);
    assert_eq!(after, before);
}

#[test]
fn csv_import_round_trips_through_the_exported_timeline() {
    let csv = std::fs::read_to_string(fixtures().join("timelinejs/timeline.csv")).unwrap();
    assert!(
        csv.contains("\r\n"),
        "the fixture keeps Google Sheets' CRLF line endings"
    );
    let (before, after) = round_trip("timeline.csv");
    assert_eq!(before.len(), 6, "the title and era rows are not events");
    assert_eq!(after, before);
    // The sheet and the JSON describe the same timeline.
    let (from_json, _) = round_trip("timeline.json");
    assert_eq!(before, from_json);
}

#[test]
fn importing_twice_refuses_and_writes_nothing() {
    for file in ["timeline.json", "timeline.csv"] {
        let fixture = Fixture::copy("timelinejs");
        import(&fixture, file).success();
        let imported = tree(fixture.temp());
        let again = import(&fixture, file);
        assert_eq!(again.code, 1, "{file}: {}", again.stderr);
        assert!(again.stderr.contains("already exists"), "{}", again.stderr);
        assert_same_tree(&imported, &tree(fixture.temp()));

        // With one file gone, the others still exist: still nothing is written.
        let first = std::fs::read_dir(fixture.root.join("content"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        std::fs::remove_file(&first).unwrap();
        let before = tree(fixture.temp());
        let partial = import(&fixture, file);
        assert_eq!(partial.code, 1, "{file}: {}", partial.stderr);
        assert_same_tree(&before, &tree(fixture.temp()));
    }
}

#[test]
fn an_invalid_event_is_refused_by_name_and_nothing_is_written() {
    let fixture = Fixture::copy("timelinejs");
    let before = tree(fixture.temp());
    let run = import(&fixture, "invalid.json");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let error = run
        .stderr
        .lines()
        .find(|l| l.contains("error:"))
        .unwrap_or_else(|| panic!("no error line:\n{}", run.stderr));
    assert!(
        error.contains("event 2") && error.contains("13"),
        "the message names the event and its month: {error}"
    );
    assert_same_tree(&before, &tree(fixture.temp()));
}

#[test]
fn an_event_ending_before_it_starts_is_refused_and_nothing_is_written() {
    let fixture = Fixture::copy("timelinejs");
    fixture.write(
        "backwards.json",
        r#"{ "events": [
            { "start_date": { "year": "2017", "month": "10", "day": "6" }, "text": { "headline": "A valid event" } },
            { "start_date": { "year": "2017", "month": "10", "day": "5" }, "end_date": { "year": "2016" },
              "text": { "headline": "Ends a year before it starts" } }
        ] }"#,
    );
    let before = tree(fixture.temp());
    let run = import(&fixture, "backwards.json");
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("event 2"), "{}", run.stderr);
    assert_same_tree(&before, &tree(fixture.temp()));
}

#[test]
fn csv_times_are_read_as_timelinejs_reads_them() {
    let fixture = Fixture::copy("timelinejs");
    let csv = std::fs::read_to_string(fixture.root.join("timeline.csv")).unwrap();
    assert!(csv.contains(",15:21,"));
    fixture.write("timeline.csv", csv.replace(",15:21,", ",3:21 PM,"));
    import(&fixture, "timeline.csv").success();
    let (out, _) = fixture.build_ok(&[]);
    let exported: Value = serde_json::from_str(&out.read("timeline.json")).unwrap();
    let events = events_of_json(&exported);
    let tweet = &events["Alyssa Milano asks women to reply \u{201c}Me too\u{201d}"];
    assert_eq!(
        (tweet.start.get("hour"), tweet.start.get("minute")),
        (Some(&15), Some(&21))
    );
}

/// Writes `contents` as `file` into a fresh copy of the fixture and imports it.
fn import_new(file: &str, contents: &str) -> (Fixture, Run) {
    let fixture = Fixture::copy("timelinejs");
    fixture.write(file, contents);
    let run = import(&fixture, file);
    (fixture, run)
}

/// The headlines of the exported `timeline.json`.
fn exported_headlines(fixture: &Fixture) -> Vec<String> {
    let (out, _) = fixture.build_ok(&[]);
    let exported: Value = serde_json::from_str(&out.read("timeline.json")).unwrap();
    let mut headlines: Vec<String> = events_of_json(&exported).into_keys().collect();
    headlines.sort();
    headlines
}

#[test]
fn html_with_non_ascii_attributes_imports_from_json_and_csv() {
    // `İ` is longer lower-cased, and the old converter sliced the tag at an
    // offset found in its lower-cased copy: "byte index … is not a char boundary".
    let json = r#"{ "events": [{ "start_date": { "year": "2017", "month": "10", "day": "5" },
        "text": { "headline": "<a title=\"İ\" href=éx>The headline</a>",
                  "text": "<p><a title=\"İ\" href=éx>relative</a> and <a title=\"İ\" href=\"https://x.org/é\">absolute</a></p>" } }] }"#;
    let (fixture, run) = import_new("hostile.json", json);
    run.success();
    assert_eq!(exported_headlines(&fixture), ["The headline"]);
    let entry =
        std::fs::read_to_string(fixture.root.join("content/2017-10-05-the-headline.md")).unwrap();
    assert!(
        entry.ends_with("\nrelative and [absolute](<https://x.org/%C3%A9>)\n"),
        "{entry}"
    );

    let csv = "Year,Month,Day,Headline,Text\r\n2017,10,5,\"<a title=\"\"İ\"\" href=éx>The headline</a>\",text\r\n";
    let (fixture, run) = import_new("hostile.csv", csv);
    run.success();
    assert_eq!(exported_headlines(&fixture), ["The headline"]);
}

#[test]
fn every_named_and_numeric_entity_is_decoded() {
    let json = r#"{ "events": [{ "start_date": { "year": "2017" },
        "text": { "headline": "Burke&rsquo;s phrase &mdash; &#x2014; &#8212; &amp;amp; &hellip;",
                  "text": "<p>It&rsquo;s &ldquo;quoted&rdquo; &amp;amp; &eacute;t&eacute;</p>" } }] }"#;
    let (fixture, run) = import_new("entities.json", json);
    run.success();
    assert_eq!(
        exported_headlines(&fixture),
        ["Burke\u{2019}s phrase — — — &amp; …"]
    );
    let out = fixture.output();
    let page = out.read("entries/burke-s-phrase-amp/index.html");
    let main = main_of(&page);
    assert!(
        main.contains("It\u{2019}s \u{201c}quoted\u{201d} &amp;amp; été"),
        "{main}"
    );
}

#[test]
fn a_media_address_never_becomes_html_even_with_raw_html_allowed() {
    let json = r#"{ "events": [
        { "start_date": { "year": "2017" }, "text": { "headline": "Hostile media" },
          "media": { "url": "https://x.org/v> <img src=x onerror=alert(2)> <x" } },
        { "start_date": { "year": "2017" }, "text": { "headline": "Embedded media" },
          "media": { "url": "<iframe src=\"https://x.org/\"></iframe>" } },
        { "start_date": { "year": "2017" }, "text": { "headline": "Hostile image" },
          "media": { "url": "https://x.org/a.jpg?\"><script>alert(3)</script>", "caption": "c" } }
    ] }"#;
    let fixture = Fixture::copy("timelinejs");
    fixture.append("site.yaml", "allow_raw_html: true");
    fixture.write("media.json", json);
    let run = import(&fixture, "media.json").success();
    assert!(
        run.stderr.contains("event 2: media `<iframe")
            && run.stderr.contains("is not an http(s) address"),
        "the dropped embed is named in a note:\n{}",
        run.stderr
    );
    let (out, _) = fixture.build_ok(&[]);
    let hostile = out.read("entries/hostile-media/index.html");
    let main = main_of(&hostile);
    assert!(
        !main.contains("<img") && !main.contains(" onerror"),
        "{main}"
    );
    assert!(
        main.contains(r#"href="https://x.org/v%3E%20%3Cimg%20src=x%20onerror=alert(2)%3E%20%3Cx""#),
        "{main}"
    );
    let embedded = out.read("entries/embedded-media/index.html");
    assert!(!main_of(&embedded).contains("iframe"));
    let image = out.read("entries/hostile-image/index.html");
    assert!(!image.contains("<script>alert(3)"), "{image}");
}

#[test]
fn a_group_without_letters_or_digits_is_dropped_with_a_note_and_the_site_builds() {
    let csv = "Year,Headline,Group\r\n2017,Script group,</script>\r\n2017,Star group,★\r\n2017,Kept group,#MeToo\r\n";
    let (fixture, run) = import_new("groups.csv", csv);
    let run = run.success();
    for row in ["row 2: group `</script>`", "row 3: group `★`"] {
        assert!(
            run.stderr.contains(row),
            "no note for {row}:\n{}",
            run.stderr
        );
    }
    let (out, _) = fixture.build_ok(&[]);
    assert!(out.has("tags/metoo/index.html"), "{:#?}", out.paths());
}

#[test]
fn many_events_with_one_headline_get_the_numbered_names_they_always_had() {
    // 20,000 events with one headline took over a minute of CPU in a release
    // build while the suffix search was quadratic, and 0.2 s now (most of the
    // wall time is creating the files). A debug build spends about 3 s on
    // 20,000, so this imports 2,000 and checks the names, which must not change;
    // `Names`' unit test counts the look-ups rather than timing them.
    let event = r#"{ "start_date": { "year": "2017", "month": "10", "day": "5" }, "text": { "headline": "Same headline" } }"#;
    let json = format!("{{ \"events\": [{}] }}", vec![event; 2_000].join(","));
    let (fixture, run) = import_new("same.json", &json);
    run.success();
    let mut names: Vec<String> = std::fs::read_dir(fixture.root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = std::iter::once("2017-10-05-same-headline.md".to_string())
        .chain((2..=2_000).map(|n| format!("2017-10-05-same-headline-{n}.md")))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
}
