//! Publishing outputs checked by clients this project did not write: `feed-rs`
//! reads the Atom and JSON feeds, `roxmltree` the sitemap and feeds as XML,
//! `serde_json` the TimelineJS3 data, the search index and the JSON-LD, and the
//! `url` crate resolves every link the way a browser would.
//!
//! Most tests build `tests/fixtures/publish`: seven entries under
//! `https://example.org/metoo/` in `America/New_York`, with partial dates, a
//! timed entry, a later `published`, an `updated`, a correction, a remote image,
//! sources with and without a publisher (and two spellings of one), an entry
//! with people but no tags, and a title full of markup.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use feed_rs::model::{Feed, FeedType};
use serde_json::Value;
use url::Url;

use crate::common::crawl::{assert_every_address_resolves, every_address, page_url};
use crate::common::html::{json_ld, tags, Tag};
use crate::common::Fixture;
use crate::support::{text_of, tl_date, Output, TlDate};

const BASE: &str = "https://example.org/metoo/";
const SITE_TITLE: &str = "Publishing outputs";
const SITE_DESCRIPTION: &str = "A fixture for feeds, exports and page metadata.";

/// What the fixture's entries are, as a reader of the outputs should see them.
struct Expected {
    slug: &'static str,
    title: &'static str,
    summary: &'static str,
    /// Term slugs, in the order the entry lists them.
    tags: &'static [&'static str],
    people: &'static [&'static str],
    /// First instant of `published` (defaults to `date`) in the site's zone.
    published: &'static str,
    /// Latest of published, updated and correction dates.
    updated: &'static str,
}

/// The fixture's entries in timeline order.
const ENTRIES: &[Expected] = &[
    Expected {
        slug: "burke",
        title: "Tarana Burke begins using the phrase",
        summary: "Activist Tarana Burke begins using the phrase “Me too” with young women.",
        tags: &["metoo"],
        people: &["tarana-burke"],
        // `2006~`: midnight on 1 January 2006 in New York (EST, UTC-5).
        published: "2006-01-01T05:00:00Z",
        updated: "2006-01-01T05:00:00Z",
    },
    Expected {
        slug: "allegations",
        title: "Allegations spread through the industry",
        summary: "Through October, more women come forward.",
        tags: &["reports"],
        people: &[],
        // `2017-10`: midnight on 1 October 2017 in New York (EDT, UTC-4).
        published: "2017-10-01T04:00:00Z",
        updated: "2017-10-01T04:00:00Z",
    },
    Expected {
        slug: "times-report",
        title: "The Times publishes its report",
        summary: "The newspaper publishes a long investigation.",
        tags: &["reports", "metoo"],
        people: &["jodi-kantor", "megan-twohey"],
        published: "2017-10-05T04:00:00Z",
        // `updated: 2017-10-06`, but the correction of 2017-10-07 is later.
        updated: "2017-10-07T04:00:00Z",
    },
    Expected {
        slug: "boycott",
        title: "Women boycott Twitter for a day",
        summary: "A day of silence on the platform, written up a week later.",
        tags: &["twitter"],
        people: &[],
        // `published: 2017-10-18T09:30:00-04:00`, a week after the event.
        published: "2017-10-18T13:30:00Z",
        updated: "2017-10-18T13:30:00Z",
    },
    Expected {
        slug: "milano-tweet",
        title: "Alyssa Milano asks women to reply \u{201c}Me too\u{201d}",
        summary: "She credits Tarana Burke the next day.",
        tags: &["twitter", "metoo"],
        people: &["alyssa-milano"],
        // 12:21 at UTC-7.
        published: "2017-10-15T19:21:00Z",
        // `updated: 2017-10-20`, the latest editorial date of the site.
        updated: "2017-10-20T04:00:00Z",
    },
    Expected {
        slug: "kantor",
        title: "Kantor explains the reporting",
        summary: "The reporter describes months of interviews.",
        tags: &[],
        people: &["jodi-kantor"],
        published: "2017-10-16T04:00:00Z",
        updated: "2017-10-16T04:00:00Z",
    },
    Expected {
        slug: "markup",
        title: "Bold <b>claims</b> & a </script> tag",
        summary: "A summary with <i>markup</i> & an ampersand.",
        tags: &["reports"],
        people: &[],
        published: "2017-10-17T04:00:00Z",
        updated: "2017-10-17T04:00:00Z",
    },
];

/// The site feed's `updated`: the tweet's `updated`, later than every `published`.
const SITE_UPDATED: &str = "2017-10-20T04:00:00Z";

fn expected(slug: &str) -> &'static Expected {
    ENTRIES
        .iter()
        .find(|e| e.slug == slug)
        .unwrap_or_else(|| panic!("no expected entry `{slug}`"))
}

fn entry_url(slug: &str) -> String {
    format!("{BASE}entries/{slug}/")
}

#[track_caller]
fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("`{text}` is not RFC 3339: {e}"))
        .with_timezone(&Utc)
}

/// Expected entries newest `published` first: the order of every feed.
fn newest_first(entries: impl Iterator<Item = &'static Expected>) -> Vec<&'static Expected> {
    let mut entries: Vec<_> = entries.collect();
    entries.sort_by_key(|e| std::cmp::Reverse(instant(e.published)));
    entries
}

fn publish() -> Fixture {
    Fixture::copy("publish")
}

// ---- Parsers ------------------------------------------------------------------

/// An output file read by feed-rs, insisting on the feed type.
#[track_caller]
fn parse_feed(out: &Output<'_>, rel: &str, kind: FeedType) -> Feed {
    let text = out.read(rel);
    let feed = feed_rs::parser::parse(text.as_bytes())
        .unwrap_or_else(|e| panic!("feed-rs cannot read `{rel}`: {e}\n{text}"));
    assert_eq!(feed.feed_type, kind, "{rel}");
    feed
}

#[track_caller]
fn parse_json(out: &Output<'_>, rel: &str) -> Value {
    let text = out.read(rel);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("`{rel}` is not JSON: {e}"))
}

/// The `href` of the feed link with `rel` (feed-rs leaves `rel` out for JSON Feed).
#[track_caller]
fn link<'f>(feed: &'f Feed, rel: &str) -> &'f str {
    let links: Vec<&str> = feed
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some(rel))
        .map(|l| l.href.as_str())
        .collect();
    assert_eq!(links.len(), 1, "one `{rel}` link: {:#?}", feed.links);
    links[0]
}

fn entry_ids(feed: &Feed) -> Vec<&str> {
    feed.entries.iter().map(|e| e.id.as_str()).collect()
}

/// The feed entry of `slug`.
#[track_caller]
fn entry_of<'f>(feed: &'f Feed, slug: &str) -> &'f feed_rs::model::Entry {
    let id = entry_url(slug);
    feed.entries
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no feed entry {id}"))
}

/// The text inside the first `<name …>…</name>` of `html`.
fn element_text(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("<{name}"))?;
    let open_end = html[start..].find('>')? + start + 1;
    let close = html[open_end..].find(&format!("</{name}>"))? + open_end;
    Some(text_of(&html[open_end..close]))
}

fn date_map(fields: &[(&str, i64)]) -> TlDate {
    fields.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
}

// ---- Atom -----------------------------------------------------------------------

#[test]
fn atom_feed_follows_rfc4287_with_the_editorial_clock() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let feed = parse_feed(&out, "feed.xml", FeedType::Atom);

    assert_eq!(feed.id, format!("{BASE}feed.xml"));
    assert_eq!(
        feed.title.as_ref().map(|t| t.content.as_str()),
        Some(SITE_TITLE)
    );
    assert_eq!(
        feed.updated,
        Some(instant(SITE_UPDATED)),
        "the latest published/updated/correction date"
    );
    assert_eq!(link(&feed, "self"), format!("{BASE}feed.xml"));
    assert_eq!(link(&feed, "alternate"), BASE);

    let order: Vec<String> = newest_first(ENTRIES.iter())
        .iter()
        .map(|e| entry_url(e.slug))
        .collect();
    assert_eq!(
        entry_ids(&feed),
        order,
        "one entry per event, newest `published` first"
    );
    // The boycott happened on the 12th but was published on the 18th: it leads.
    assert_eq!(feed.entries[0].id, entry_url("boycott"));

    for entry in &feed.entries {
        let slug = entry.id.trim_end_matches('/').rsplit('/').next().unwrap();
        let want = expected(slug);
        assert_eq!(
            entry.title.as_ref().map(|t| t.content.as_str()),
            Some(want.title),
            "{slug}"
        );
        assert_eq!(
            entry.summary.as_ref().map(|t| t.content.as_str()),
            Some(want.summary),
            "{slug}"
        );
        assert_eq!(
            entry.published,
            Some(instant(want.published)),
            "published of {slug}"
        );
        assert_eq!(
            entry.updated,
            Some(instant(want.updated)),
            "updated of {slug}"
        );
        let alternate: Vec<&str> = entry
            .links
            .iter()
            .filter(|l| l.rel.as_deref() == Some("alternate"))
            .map(|l| l.href.as_str())
            .collect();
        assert_eq!(alternate, [entry.id.as_str()], "{slug}");

        let mut categories: Vec<(&str, Option<&str>)> = entry
            .categories
            .iter()
            .map(|c| (c.term.as_str(), c.scheme.as_deref()))
            .collect();
        categories.sort_unstable();
        let (tag_scheme, people_scheme) = (format!("{BASE}tags/"), format!("{BASE}people/"));
        let mut want_categories: Vec<(&str, Option<&str>)> = want
            .tags
            .iter()
            .map(|t| (*t, Some(tag_scheme.as_str())))
            .chain(
                want.people
                    .iter()
                    .map(|p| (*p, Some(people_scheme.as_str()))),
            )
            .collect();
        want_categories.sort_unstable();
        assert_eq!(
            categories, want_categories,
            "one category per term of {slug}"
        );

        let content = entry
            .content
            .as_ref()
            .unwrap_or_else(|| panic!("{slug} has no content"));
        assert_eq!(content.content_type.to_string(), "text/html", "{slug}");
        let body = content.body.as_deref().unwrap_or_default();
        assert!(!body.is_empty(), "{slug} has empty content");
        for tag in tags(body) {
            for value in tag.attr("href").into_iter().chain(tag.attr("src")) {
                assert!(
                    value.starts_with("https://"),
                    "{slug}: content link `{value}` is not absolute"
                );
            }
        }
    }

    let report = entry_of(&feed, "times-report");
    let body = report
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .unwrap();
    let content_tags = tags(body);
    assert!(
        content_tags
            .iter()
            .any(|t| t.is("a", "href", &entry_url("milano-tweet"))),
        "a body link to another entry is absolute under the base path:\n{body}"
    );
    assert!(
        content_tags.iter().any(|t| t.is(
            "img",
            "src",
            "https://images.example.com/front-page.jpg"
        )),
        "{body}"
    );
    assert!(
        text_of(body)
            .contains("An earlier version misstated the day & the hour of the first meeting."),
        "the correction is in the content:\n{body}"
    );
    let tweet = entry_of(&feed, "milano-tweet");
    let body = tweet
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .unwrap();
    assert!(
        tags(body)
            .iter()
            .any(|t| t.is("a", "href", &entry_url("burke"))),
        "{body}"
    );
}

#[test]
fn feeds_keep_the_feed_limit_newest_published_entries() {
    let fixture = publish();
    fixture.append("site.yaml", "feed_limit: 2");
    let (out, _) = fixture.build_ok(&[]);
    let atom = parse_feed(&out, "feed.xml", FeedType::Atom);
    assert_eq!(
        entry_ids(&atom),
        [entry_url("boycott"), entry_url("markup")]
    );
    // The clock still covers every entry in scope, shown or not.
    assert_eq!(atom.updated, Some(instant(SITE_UPDATED)));
    let json = parse_feed(&out, "feed.json", FeedType::JSON);
    assert_eq!(
        entry_ids(&json),
        entry_ids(&atom),
        "the JSON Feed keeps the same limit"
    );
    let reports = parse_feed(&out, "tags/reports/feed.xml", FeedType::Atom);
    assert_eq!(
        entry_ids(&reports),
        [entry_url("markup"), entry_url("times-report")],
        "term feeds too"
    );
}

#[test]
fn every_term_has_its_own_atom_feed_linked_from_its_page() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let mut checked = Vec::new();
    for taxonomy in ["tags", "people"] {
        let of = |e: &Expected| if taxonomy == "tags" { e.tags } else { e.people };
        let terms: BTreeSet<&str> = ENTRIES.iter().flat_map(|e| of(e).iter().copied()).collect();
        for term in terms {
            let page_path = format!("{taxonomy}/{term}/index.html");
            let feed_path = format!("{taxonomy}/{term}/feed.xml");
            let page = out.read(&page_path);
            let alternates: Vec<String> = tags(&page)
                .into_iter()
                .filter(|t| {
                    t.is("link", "rel", "alternate")
                        && t.attr("type") == Some("application/atom+xml")
                })
                .filter_map(|t| t.attr("href").map(str::to_string))
                .collect();
            assert!(
                alternates.contains(&format!("/metoo/{feed_path}")),
                "{page_path} does not link its feed: {alternates:?}"
            );

            let feed = parse_feed(&out, &feed_path, FeedType::Atom);
            let members = newest_first(ENTRIES.iter().filter(|e| of(e).contains(&term)));
            assert_eq!(feed.id, format!("{BASE}{feed_path}"));
            assert_eq!(link(&feed, "self"), format!("{BASE}{feed_path}"));
            assert_eq!(
                link(&feed, "alternate"),
                format!("{BASE}{taxonomy}/{term}/")
            );
            let want: Vec<String> = members.iter().map(|e| entry_url(e.slug)).collect();
            assert_eq!(
                entry_ids(&feed),
                want,
                "{feed_path} holds only its term's entries, newest first"
            );
            let latest = members.iter().map(|e| instant(e.updated)).max();
            assert_eq!(
                feed.updated, latest,
                "{feed_path} takes `updated` from its own entries"
            );
            for entry in &feed.entries {
                assert!(
                    entry.categories.iter().any(|c| c.term == term),
                    "{feed_path}: {} lacks the category",
                    entry.id
                );
            }
            checked.push(feed_path);
        }
    }
    assert_eq!(checked.len(), 7, "{checked:?}");
    // Spelled out: Megan Twohey's only entry was corrected on 7 October, which
    // is later than its `updated` and `published`.
    let twohey = parse_feed(&out, "people/megan-twohey/feed.xml", FeedType::Atom);
    assert_eq!(twohey.updated, Some(instant("2017-10-07T04:00:00Z")));
    assert_ne!(
        twohey.updated,
        parse_feed(&out, "feed.xml", FeedType::Atom).updated
    );
}

// ---- JSON Feed ------------------------------------------------------------------

#[test]
fn json_feed_is_version_1_1_with_the_atom_feeds_items() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let atom = parse_feed(&out, "feed.xml", FeedType::Atom);
    let json = parse_feed(&out, "feed.json", FeedType::JSON);
    assert_eq!(
        entry_ids(&json),
        entry_ids(&atom),
        "same items in the same order"
    );
    for (j, a) in json.entries.iter().zip(&atom.entries) {
        assert_eq!(
            j.title.as_ref().map(|t| &t.content),
            a.title.as_ref().map(|t| &t.content),
            "{}",
            j.id
        );
        assert_eq!(
            (j.published, j.updated),
            (a.published, a.updated),
            "{}",
            j.id
        );
        assert_eq!(
            j.summary.as_ref().map(|t| &t.content),
            a.summary.as_ref().map(|t| &t.content),
            "{}",
            j.id
        );
        let body = |e: &feed_rs::model::Entry| e.content.as_ref().and_then(|c| c.body.clone());
        assert_eq!(
            body(j).map(|b| b.trim().to_string()),
            body(a).map(|b| b.trim().to_string()),
            "{}",
            j.id
        );
    }

    let doc = parse_json(&out, "feed.json");
    assert_eq!(doc["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(doc["title"], SITE_TITLE);
    assert_eq!(doc["home_page_url"], BASE);
    assert_eq!(doc["feed_url"], format!("{BASE}feed.json"));
    for item in doc["items"].as_array().unwrap() {
        assert_eq!(item["url"], item["id"], "{item}");
        assert!(
            item["content_html"].as_str().is_some_and(|c| !c.is_empty()),
            "{item}"
        );
        for key in ["date_published", "date_modified"] {
            instant(
                item[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("no {key} in {item}")),
            );
        }
    }
}

// ---- TimelineJS -----------------------------------------------------------------

#[test]
fn timeline_json_has_the_timelinejs3_fields_at_each_entrys_precision() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let doc = parse_json(&out, "timeline.json");
    assert_eq!(doc["title"]["text"]["headline"], SITE_TITLE);
    assert_eq!(doc["title"]["text"]["text"], SITE_DESCRIPTION);

    let events = doc["events"].as_array().unwrap();
    let ids: Vec<&str> = events
        .iter()
        .map(|e| e["unique_id"].as_str().unwrap())
        .collect();
    let slugs: Vec<&str> = ENTRIES.iter().map(|e| e.slug).collect();
    assert_eq!(ids, slugs, "one event per entry, `unique_id` = slug");

    type Fields = &'static [(&'static str, i64)];
    let table: &[(&str, Fields, Option<Fields>, Option<&str>)] = &[
        ("burke", &[("year", 2006)], None, Some("c. 2006")),
        ("allegations", &[("year", 2017), ("month", 10)], None, None),
        (
            "times-report",
            &[("year", 2017), ("month", 10), ("day", 5)],
            None,
            None,
        ),
        (
            "boycott",
            &[("year", 2017), ("month", 10), ("day", 12)],
            Some(&[("year", 2017), ("month", 10), ("day", 13)]),
            None,
        ),
        // 12:21 at UTC-7 is 15:21 in the site's New York.
        (
            "milano-tweet",
            &[
                ("year", 2017),
                ("month", 10),
                ("day", 15),
                ("hour", 15),
                ("minute", 21),
            ],
            None,
            None,
        ),
        (
            "kantor",
            &[("year", 2017), ("month", 10), ("day", 16)],
            None,
            None,
        ),
        (
            "markup",
            &[("year", 2017), ("month", 10), ("day", 17)],
            None,
            None,
        ),
    ];
    for (slug, start, end, display) in table {
        let event = events.iter().find(|e| e["unique_id"] == *slug).unwrap();
        assert_eq!(
            tl_date(&event["start_date"]),
            date_map(start),
            "start_date of {slug}: {event}"
        );
        assert_eq!(
            event.get("end_date").map(tl_date),
            end.map(date_map),
            "end_date of {slug}"
        );
        assert_eq!(
            event["start_date"]
                .get("display_date")
                .and_then(Value::as_str),
            *display,
            "display_date of {slug}"
        );

        let headline = event["text"]["headline"].as_str().unwrap();
        let links: Vec<String> = tags(headline)
            .into_iter()
            .filter(|t| t.name == "a")
            .filter_map(|t| t.attr("href").map(str::to_string))
            .collect();
        assert_eq!(
            links,
            [entry_url(slug)],
            "the headline links to the entry page"
        );
        assert_eq!(text_of(headline), expected(slug).title);
        assert_eq!(
            text_of(event["text"]["text"].as_str().unwrap()),
            expected(slug).summary,
            "text of {slug}"
        );
    }

    let report = events
        .iter()
        .find(|e| e["unique_id"] == "times-report")
        .unwrap();
    assert_eq!(
        report["media"]["url"],
        "https://images.example.com/front-page.jpg"
    );
    assert_eq!(report["media"]["caption"], "The front page of 5 October");
    assert_eq!(report["media"]["credit"], "Staff photographer");
    assert!(events
        .iter()
        .filter(|e| e["unique_id"] != "times-report")
        .all(|e| e.get("media").is_none()));

    for (slug, group) in [
        ("burke", "#MeToo"),
        ("allegations", "Reports"),
        ("times-report", "Reports"),
        ("boycott", "Twitter"),
        ("milano-tweet", "Twitter"),
    ] {
        let event = events.iter().find(|e| e["unique_id"] == slug).unwrap();
        assert_eq!(
            event["group"], group,
            "group of {slug} is its first tag as written"
        );
    }

    let eras = doc["eras"].as_array().expect("eras from site.yaml");
    let eras: Vec<(String, TlDate, TlDate)> = eras
        .iter()
        .map(|e| {
            (
                text_of(e["text"]["headline"].as_str().unwrap()),
                tl_date(&e["start_date"]),
                tl_date(&e["end_date"]),
            )
        })
        .collect();
    assert_eq!(
        eras,
        [
            (
                "The Weinstein reports".to_string(),
                date_map(&[("year", 2017), ("month", 10), ("day", 5)]),
                date_map(&[("year", 2017), ("month", 10), ("day", 14)])
            ),
            (
                "Me too".to_string(),
                date_map(&[("year", 2017), ("month", 10), ("day", 15)]),
                date_map(&[("year", 2017), ("month", 10), ("day", 31)])
            ),
        ]
    );
}

#[test]
fn timeline_group_is_the_first_tag_and_never_a_person() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let doc = parse_json(&out, "timeline.json");
    let kantor = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unique_id"] == "kantor")
        .unwrap();
    assert_eq!(
        kantor.get("group"),
        None,
        "`kantor` has people but no tags: {kantor}"
    );
}

#[test]
fn timeline_json_escapes_html_in_headline_and_text() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let doc = parse_json(&out, "timeline.json");
    let markup = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unique_id"] == "markup")
        .unwrap();
    let headline = markup["text"]["headline"].as_str().unwrap();
    let text = markup["text"]["text"].as_str().unwrap();
    assert!(headline.contains("&lt;b&gt;claims&lt;/b&gt;"), "{headline}");
    assert!(
        headline.contains("&amp;") && headline.contains("&lt;/script&gt;"),
        "{headline}"
    );
    assert!(text.contains("&lt;i&gt;markup&lt;/i&gt;"), "{text}");
    let elements: Vec<String> = tags(headline)
        .into_iter()
        .chain(tags(text))
        .map(|t| t.name)
        .collect();
    assert_eq!(
        elements,
        ["a", "p"],
        "TimelineJS sees no element from the title or summary"
    );
}

// ---- Search index ---------------------------------------------------------------

#[test]
fn search_index_is_compact_plain_text_for_every_entry() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let text = out.read("search-index.json");
    assert!(
        !text.trim_end().contains('\n'),
        "not compact: pretty-printed over several lines"
    );
    assert!(
        !text.contains("&lt;") && !text.contains("&amp;"),
        "plain text, not HTML"
    );
    let doc: Value = serde_json::from_str(&text).unwrap();
    let entries = doc["entries"].as_array().unwrap();
    assert_eq!(entries.len(), ENTRIES.len());

    let dates = [
        ("burke", "2006", "c. 2006"),
        ("allegations", "2017-10", "October 2017"),
        ("times-report", "2017-10-05", "5 October 2017"),
        ("boycott", "2017-10-12", "12 October 2017"),
        (
            "milano-tweet",
            "2017-10-15T12:21:00-07:00",
            "15 October 2017, 15:21 EDT",
        ),
        ("kantor", "2017-10-16", "16 October 2017"),
        ("markup", "2017-10-17", "17 October 2017"),
    ];
    for (slug, date, display) in dates {
        let want = expected(slug);
        let entry = entries
            .iter()
            .find(|e| e["slug"] == slug)
            .unwrap_or_else(|| panic!("no `{slug}`"));
        assert_eq!(entry["url"], format!("/metoo/entries/{slug}/"), "{slug}");
        assert_eq!(entry["title"], want.title, "{slug}");
        assert_eq!(entry["summary"], want.summary, "{slug}");
        assert_eq!(
            entry["date"], date,
            "ISO date at the entry's precision: {slug}"
        );
        assert_eq!(entry["display"], display, "{slug}");
        let mut terms = serde_json::Map::new();
        for (taxonomy, slugs) in [("tags", want.tags), ("people", want.people)] {
            if !slugs.is_empty() {
                terms.insert(
                    taxonomy.into(),
                    slugs.iter().map(|s| Value::from(*s)).collect(),
                );
            }
        }
        assert_eq!(entry["terms"], Value::Object(terms), "terms of {slug}");
    }
    assert_eq!(
        doc["terms"]["tags"]["metoo"], "#MeToo",
        "term names for the filter"
    );
    assert_eq!(doc["terms"]["people"]["megan-twohey"], "Megan Twohey");
}

// ---- Sitemap and robots.txt -----------------------------------------------------

/// The sitemap's `<loc>` → `<lastmod>`, asserting its shape and that every HTML
/// page but 404.html is listed exactly once, absolute under `base`.
#[track_caller]
fn sitemap(out: &Output<'_>, base: &str) -> BTreeMap<String, DateTime<Utc>> {
    let text = out.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let mut locs = BTreeMap::new();
    for url in root.children().filter(roxmltree::Node::is_element) {
        assert_eq!(url.tag_name().name(), "url");
        let child = |name: &str| {
            let found: Vec<&str> = url
                .children()
                .filter(|c| c.tag_name().name() == name)
                .filter_map(|c| c.text())
                .collect();
            assert_eq!(found.len(), 1, "one <{name}> per <url>");
            found[0]
        };
        let lastmod = instant(child("lastmod"));
        assert!(
            locs.insert(child("loc").to_string(), lastmod).is_none(),
            "{} is listed twice",
            child("loc")
        );
    }
    let pages: BTreeSet<String> = out
        .pages()
        .into_iter()
        .filter_map(|(path, _)| page_url(base, &path))
        .collect();
    assert!(pages.len() > 10, "{pages:#?}");
    assert_eq!(
        locs.keys().cloned().collect::<BTreeSet<_>>(),
        pages,
        "every HTML page but 404.html, absolute"
    );

    let robots = out.read("robots.txt");
    let sitemaps: Vec<&str> = robots
        .lines()
        .filter_map(|l| l.strip_prefix("Sitemap:"))
        .map(str::trim)
        .collect();
    assert_eq!(sitemaps, [format!("{base}sitemap.xml")], "{robots}");
    locs
}

#[test]
fn sitemap_lists_every_page_once_with_lastmod_and_robots_points_at_it() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let locs = sitemap(&out, BASE);
    for want in ENTRIES {
        assert_eq!(
            locs[&entry_url(want.slug)],
            instant(want.updated),
            "lastmod of {}",
            want.slug
        );
    }
    assert_eq!(
        locs[BASE],
        instant(SITE_UPDATED),
        "the timeline changed when its latest entry did"
    );

    // Paginated timelines: every page is listed.
    let fixture = Fixture::copy("subpath");
    let (out, _) = fixture.build_ok(&[]);
    assert!(sitemap(&out, BASE).contains_key(&format!("{BASE}page/2/")));
}

// ---- Sources --------------------------------------------------------------------

#[test]
fn sources_page_lists_each_publisher_with_its_citing_entries_newest_first() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let html = out.read("sources/index.html");
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for section in html.split("<section").skip(1) {
        let section = &section[..section.find("</section>").expect("a closed section")];
        let name = element_text(section, "h2").expect("a publisher heading");
        let entries: Vec<String> = tags(section)
            .into_iter()
            .filter_map(|t| {
                t.attr("href")
                    .and_then(|h| h.strip_prefix("/metoo/entries/"))
                    .map(|s| s.trim_end_matches('/').to_string())
            })
            .collect();
        assert!(
            found.insert(name.clone(), entries).is_none(),
            "`{name}` has two sections"
        );
    }
    let want: BTreeMap<String, Vec<String>> = [
        ("Agency", &["markup"][..]),
        // No publisher: filed under the host, `www.` dropped, both addresses together.
        ("example.com", &["boycott", "burke"]),
        ("Public Radio", &["kantor"]),
        // "the new york times" merges with the most used spelling.
        (
            "The New York Times",
            &["milano-tweet", "times-report", "allegations"],
        ),
        ("Twitter", &["milano-tweet"]),
    ]
    .into_iter()
    .map(|(name, slugs)| {
        (
            name.to_string(),
            slugs.iter().map(|s| s.to_string()).collect(),
        )
    })
    .collect();
    assert_eq!(found, want);
}

// ---- JSON-LD --------------------------------------------------------------------

#[test]
fn entry_pages_carry_a_news_article_about_an_event() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    // (slug, datePublished, dateModified, startDate, endDate)
    type Row = (
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
        Option<&'static str>,
    );
    let table: &[Row] = &[
        ("burke", "2006", None, "2006", None),
        ("allegations", "2017-10", None, "2017-10", None),
        (
            "times-report",
            "2017-10-05",
            Some("2017-10-06"),
            "2017-10-05",
            None,
        ),
        (
            "boycott",
            "2017-10-18T09:30:00-04:00",
            None,
            "2017-10-12",
            Some("2017-10-13"),
        ),
        (
            "milano-tweet",
            "2017-10-15T12:21:00-07:00",
            Some("2017-10-20"),
            "2017-10-15T12:21:00-07:00",
            None,
        ),
        ("kantor", "2017-10-16", None, "2017-10-16", None),
        ("markup", "2017-10-17", None, "2017-10-17", None),
    ];
    for &(slug, published, modified, start, end) in table {
        let page = out.read(&format!("entries/{slug}/index.html"));
        let docs = json_ld(&page);
        assert_eq!(docs.len(), 1, "{slug}: one JSON-LD document");
        let doc = &docs[0].1;
        let want = expected(slug);
        assert_eq!(doc["@context"], "https://schema.org");
        assert_eq!(doc["@type"], "NewsArticle", "{slug}");
        assert_eq!(doc["headline"], want.title, "{slug}");
        assert_eq!(doc["url"], entry_url(slug), "{slug}");
        assert_eq!(doc["datePublished"], published, "{slug}");
        assert_eq!(
            doc.get("dateModified").and_then(Value::as_str),
            modified,
            "{slug}"
        );
        assert_eq!(doc["about"]["@type"], "Event", "{slug}");
        assert_eq!(
            doc["about"]["startDate"], start,
            "{slug}: startDate at the entry's precision"
        );
        assert_eq!(
            doc["about"].get("endDate").and_then(Value::as_str),
            end,
            "{slug}"
        );
        assert_eq!(doc["isPartOf"]["@type"], "WebSite");
        assert_eq!(doc["isPartOf"]["name"], SITE_TITLE);
        assert_eq!(doc["isPartOf"]["url"], BASE);
        assert_eq!(
            doc.get("correction").is_some(),
            slug == "times-report",
            "{slug}: corrections only where published"
        );
    }

    let report = &json_ld(&out.read("entries/times-report/index.html"))[0].1;
    let corrections = report["correction"].as_array().expect("a correction list");
    assert_eq!(corrections.len(), 1);
    assert_eq!(
        corrections[0]["text"],
        "An earlier version misstated the day & the hour of the first meeting."
    );
    assert_eq!(corrections[0]["datePublished"], "2017-10-07");
    assert_eq!(report["image"], "https://images.example.com/front-page.jpg");

    let citations = |slug: &str| -> Vec<(String, String, Option<String>)> {
        let doc = &json_ld(&out.read(&format!("entries/{slug}/index.html")))[0].1;
        doc["citation"]
            .as_array()
            .unwrap_or_else(|| panic!("{slug} has no citation list"))
            .iter()
            .map(|c| {
                let s = |v: &Value| v.as_str().unwrap().to_string();
                (
                    s(&c["name"]),
                    s(&c["url"]),
                    c["publisher"]["name"].as_str().map(str::to_string),
                )
            })
            .collect()
    };
    let own =
        |v: (&str, &str, Option<&str>)| (v.0.to_string(), v.1.to_string(), v.2.map(str::to_string));
    assert_eq!(
        citations("milano-tweet"),
        [
            own((
                "Alyssa Milano on Twitter",
                "https://twitter.com/Alyssa_Milano/status/919659438700670976",
                Some("Twitter")
            )),
            own((
                "Milano\u{2019}s call",
                "https://www.nytimes.com/2017/10/16/milano.html",
                Some("the new york times")
            )),
        ]
    );
    assert_eq!(
        citations("burke"),
        [own((
            "Profile of Tarana Burke",
            "https://www.example.com/burke",
            None
        ))]
    );
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let page = out.read("entries/markup/index.html");
    let docs = json_ld(&page);
    let (text, doc) = &docs[0];
    assert!(!text.contains("</"), "the JSON text holds `</`: {text}");
    assert!(!text.contains("<!--"), "{text}");
    assert_eq!(
        doc["headline"],
        expected("markup").title,
        "the title survives as data"
    );
    assert_eq!(doc["description"], expected("markup").summary);
}

// ---- Page metadata --------------------------------------------------------------

/// The `<meta>` tags whose `attr` (name or property) is `key`.
fn metas<'t>(tags: &'t [Tag], attr: &str, key: &str) -> Vec<&'t str> {
    tags.iter()
        .filter(|t| t.is("meta", attr, key))
        .map(|t| t.attr("content").unwrap_or_default())
        .collect()
}

/// Asserts the metadata every page needs; `description` is the site's fallback.
#[track_caller]
fn assert_page_metadata(path: &str, html: &str, base: &str) {
    let all = tags(html);
    let html_tag = all
        .iter()
        .find(|t| t.name == "html")
        .expect("an <html> element");
    assert!(
        html_tag.attr("lang").is_some_and(|l| !l.is_empty()),
        "{path}: no lang"
    );
    assert_eq!(
        all.iter().filter(|t| t.name == "title").count(),
        1,
        "{path}: one <title>"
    );
    let title = element_text(html, "title").unwrap();
    assert!(!title.is_empty(), "{path}: empty <title>");

    let description = metas(&all, "name", "description");
    assert_eq!(description.len(), 1, "{path}: one meta description");
    assert!(
        !description[0].trim().is_empty(),
        "{path}: empty meta description"
    );

    let canonical: Vec<&str> = all
        .iter()
        .filter(|t| t.is("link", "rel", "canonical"))
        .filter_map(|t| t.attr("href"))
        .collect();
    let og_url = metas(&all, "property", "og:url");
    match page_url(base, path) {
        Some(url) => {
            assert_eq!(canonical, [url.as_str()], "{path}: canonical URL");
            assert_eq!(og_url, [url.as_str()], "{path}: og:url");
        }
        None => {
            assert!(
                canonical.is_empty(),
                "{path}: 404.html has no canonical URL"
            );
            assert!(og_url.is_empty(), "{path}: 404.html has no og:url");
        }
    }
    let og_title = metas(&all, "property", "og:title");
    assert!(
        og_title.len() == 1 && !og_title[0].is_empty(),
        "{path}: og:title {og_title:?}"
    );
    let og_type = if path.starts_with("entries/") {
        "article"
    } else {
        "website"
    };
    assert_eq!(metas(&all, "property", "og:type"), [og_type], "{path}");
    let og_image = metas(&all, "property", "og:image");
    assert!(
        og_image
            .iter()
            .all(|i| i.starts_with("https://") || i.starts_with("http://")),
        "{path}: og:image {og_image:?}"
    );
    let card = if og_image.is_empty() {
        "summary"
    } else {
        "summary_large_image"
    };
    assert_eq!(metas(&all, "name", "twitter:card"), [card], "{path}");
}

#[test]
fn every_page_has_title_description_canonical_and_social_tags() {
    let sub = Fixture::copy("subpath");
    let (out, _) = sub.build_ok(&[]);
    assert!(out.has("page/2/index.html"));
    for (path, html) in &out.pages() {
        assert_page_metadata(path, html, BASE);
    }
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let pages = out.pages();
    assert!(pages.len() > 15);
    for (path, html) in &pages {
        assert_page_metadata(path, html, BASE);
    }
    for want in ENTRIES {
        let all = tags(&out.read(&format!("entries/{}/index.html", want.slug)));
        assert_eq!(
            metas(&all, "name", "description"),
            [want.summary],
            "{}: the summary describes the entry",
            want.slug
        );
        assert_eq!(
            metas(&all, "property", "og:title"),
            [want.title],
            "{}",
            want.slug
        );
    }
    let page = out.read("entries/markup/index.html");
    assert_eq!(
        element_text(&page, "title").unwrap(),
        format!("{} · {SITE_TITLE}", expected("markup").title)
    );
    let report = tags(&out.read("entries/times-report/index.html"));
    assert_eq!(
        metas(&report, "property", "og:image"),
        ["https://images.example.com/front-page.jpg"]
    );
}

#[test]
fn every_page_has_a_meta_description_even_without_a_site_description() {
    let fixture = Fixture::copy("precision");
    let (out, _) = fixture.build_ok(&[]);
    for (path, html) in out.pages() {
        assert_page_metadata(&path, &html, "https://example.org/");
    }
}

// ---- Sub-path hosting -----------------------------------------------------------

#[test]
fn under_a_sub_path_every_address_in_every_output_stays_under_it_and_resolves() {
    for fixture in ["publish", "subpath"] {
        let fixture = Fixture::copy(fixture);
        let (out, _) = fixture.build_ok(&[]);
        let checked = assert_every_address_resolves(&out.tree(), BASE);
        assert!(checked > 300, "only {checked} addresses checked");
    }
    // The crawl itself catches an escaping link.
    let fixture = publish();
    let (out, _) = fixture.build_ok(&[]);
    let tree = out.tree();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert_every_address_resolves(&tree, "https://example.org/elsewhere/")
    }));
    assert!(
        result.is_err(),
        "the crawl accepts links outside the base path"
    );
}

/// Asserts that a site built with `--base-url base` uses `base` everywhere:
/// every address resolves under it, none points at the configured host, and
/// the canonical URL, the feed and the sitemap are absolute under it.
#[track_caller]
fn assert_rebased(out: &Output<'_>, base: &str) {
    let tree = out.tree();
    let checked = assert_every_address_resolves(&tree, base);
    assert!(checked > 300, "only {checked} addresses checked");
    for (file, link, url) in every_address(&tree, &Url::parse(base).unwrap()) {
        assert_ne!(
            url.host_str(),
            Some("example.org"),
            "{file} still points at the configured site: `{link}`"
        );
    }
    assert!(
        out.read("index.html")
            .contains(&format!(r#"<link rel="canonical" href="{base}">"#)),
        "the canonical URL of the timeline is `{base}`"
    );
    let atom = parse_feed(out, "feed.xml", FeedType::Atom);
    assert_eq!(atom.id, format!("{base}feed.xml"));
    sitemap(out, base);
}

#[test]
fn base_url_flag_rebases_every_output() {
    // A local preview, and a GitHub Pages project site under its own sub-path.
    for (base, path) in [
        ("http://127.0.0.1:8000/", "/"),
        (
            "https://newsroom.github.io/metoo-timeline/",
            "/metoo-timeline/",
        ),
    ] {
        let fixture = publish();
        let (out, _) = fixture.build_ok(&["--base-url", base]);
        assert_rebased(&out, base);
        let atom = parse_feed(&out, "feed.xml", FeedType::Atom);
        assert_eq!(atom.entries[0].id, format!("{base}entries/boycott/"));
        let search = parse_json(&out, "search-index.json");
        assert_eq!(search["entries"][0]["url"], format!("{path}entries/burke/"));
        // The sub-path fixture too: paginated, with an image beside an entry.
        let fixture = Fixture::copy("subpath");
        let (out, _) = fixture.build_ok(&["--base-url", base]);
        assert_rebased(&out, base);
    }
}

#[test]
fn the_corrections_log_lists_every_correction_newest_first_across_pages_with_its_feed() {
    let fixture = publish();
    fixture.append("site.yaml", "paginate: 2");
    // Two more corrected entries: three corrections on two entries, four in all.
    for (name, title, corrections) in [
        (
            "2017-10-20-late.md",
            "Late story",
            "  - { date: 2017-10-21, text: \"The name of the town was misspelt.\" }\n  - { date: 2017-10-25, text: \"A photo caption named the wrong speaker.\" }\n",
        ),
        (
            "2017-10-09-early.md",
            "Early story",
            "  - { date: 2017-10-10, text: \"The quote came from a statement, not an interview.\" }\n",
        ),
    ] {
        fixture.write(
            &format!("content/{name}"),
            format!("---\ntitle: \"{title}\"\ndate: {}\ncorrections:\n{corrections}---\nBody.\n", &name[..10]),
        );
    }
    let (out, _) = fixture.build_ok(&[]);
    let logged = |rel: &str| -> Vec<(String, String)> {
        let page = out.read(rel);
        page.split("<li><p class=\"correction-meta\">")
            .skip(1)
            .map(|item| {
                let href = item
                    .split("href=\"")
                    .nth(1)
                    .and_then(|h| h.split('"').next())
                    .unwrap_or_default();
                let time = item
                    .split("datetime=\"")
                    .nth(1)
                    .and_then(|h| h.split('"').next())
                    .unwrap_or_default();
                (time.to_string(), href.to_string())
            })
            .collect()
    };
    assert_eq!(
        [
            logged("corrections/index.html"),
            logged("corrections/page/2/index.html")
        ]
        .concat(),
        [
            ("2017-10-25", "/metoo/entries/late/#correction-2"),
            ("2017-10-21", "/metoo/entries/late/#correction-1"),
            ("2017-10-10", "/metoo/entries/early/#correction-1"),
            ("2017-10-07", "/metoo/entries/times-report/#correction-1"),
        ]
        .map(|(d, h)| (d.to_string(), h.to_string())),
        "newest first, two a page"
    );
    let first = out.read("corrections/index.html");
    assert!(
        first.contains("4 corrections to this timeline, newest first."),
        "{first}"
    );
    assert!(
        first.contains("href=\"/metoo/corrections/page/2/\""),
        "pagination"
    );
    // Each link lands on the correction, which the entry's page marks near its headline.
    let late = out.read("entries/late/index.html");
    assert!(
        late.contains("<li id=\"correction-2\"><time datetime=\"2017-10-25\">"),
        "{late}"
    );
    assert!(
        late.contains("<p class=\"corrected\"><a href=\"#corrections-heading\">Corrected <time datetime=\"2017-10-25\">"),
        "the latest correction is shown by the headline"
    );
    // The feed, read by feed-rs.
    let feed = parse_feed(&out, "corrections/feed.xml", FeedType::Atom);
    assert_eq!(
        entry_ids(&feed),
        [
            format!("{BASE}entries/late/#correction-2"),
            format!("{BASE}entries/late/#correction-1"),
            format!("{BASE}entries/early/#correction-1"),
            format!("{BASE}entries/times-report/#correction-1"),
        ]
    );
    assert_eq!(link(&feed, "self"), format!("{BASE}corrections/feed.xml"));
    assert_eq!(link(&feed, "alternate"), format!("{BASE}corrections/"));
    let newest = &feed.entries[0];
    assert_eq!(
        newest.title.as_ref().map(|t| t.content.as_str()),
        Some("Correction: Late story")
    );
    assert_eq!(
        newest.content.as_ref().and_then(|c| c.body.as_deref()),
        Some("A photo caption named the wrong speaker.")
    );
    assert_eq!(feed.updated, Some(instant("2017-10-25T04:00:00Z")));
    // Every page links the log from its footer; the log announces its feed.
    for page in [
        "index.html",
        "entries/early/index.html",
        "sources/index.html",
        "404.html",
    ] {
        assert!(
            out.read(page)
                .contains("<a href=\"/metoo/corrections/\">Corrections</a>"),
            "{page}"
        );
    }
    assert!(first.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Publishing outputs: corrections\" href=\"/metoo/corrections/feed.xml\">"));
}

#[test]
fn a_site_without_corrections_says_so_plainly() {
    let fixture = Fixture::copy("minimal");
    let (out, _) = fixture.build_ok(&[]);
    let log = out.read("corrections/index.html");
    assert!(
        log.contains("No corrections have been made to this timeline."),
        "{log}"
    );
    assert!(!log.contains("corrections-log"));
    let text = out.read("corrections/feed.xml");
    let feed = feed_rs::parser::parse(text.as_bytes()).expect("an empty feed is still a feed");
    assert!(feed.entries.is_empty());
}

#[test]
fn a_dead_or_usurped_source_links_its_archived_copy_and_marks_the_original() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/2017-10-20-sourced.md",
        "---\ntitle: Sourced\ndate: 2017-10-20\nsources:\n\
         \x20 - { title: \"Live\", url: \"https://live.example/a\", publisher: \"A\", archive_url: \"https://web.archive.org/live\" }\n\
         \x20 - { title: \"Gone\", url: \"https://gone.example/b\", publisher: \"B\", archive_url: \"https://web.archive.org/gone\", url_status: dead }\n\
         \x20 - { title: \"Taken\", url: \"https://taken.example/c\", publisher: \"C\", archive_url: \"https://web.archive.org/taken\", url_status: usurped }\n\
         ---\nBody.\n",
    );
    let (out, _) = fixture.build_ok(&[]);
    let page = out.read("entries/sourced/index.html");
    let item = |title: &str| -> String {
        let at = page
            .find(&format!(">{title}</a>"))
            .unwrap_or_else(|| panic!("{title}"));
        let start = page[..at].rfind("<li").unwrap();
        page[start..start + page[start..].find("</li>").unwrap()].to_string()
    };
    let live = item("Live");
    assert!(
        live.starts_with("<li><a href=\"https://live.example/a\">"),
        "{live}"
    );
    assert!(
        live.contains("<a class=\"archived\" href=\"https://web.archive.org/live\">Archived copy"),
        "{live}"
    );
    let gone = item("Gone");
    assert!(
        gone.starts_with("<li><a href=\"https://web.archive.org/gone\">"),
        "the copy is the link: {gone}"
    );
    assert!(
        gone.contains("the <a href=\"https://gone.example/b\">original</a> is no longer available"),
        "{gone}"
    );
    let taken = item("Taken");
    assert!(
        taken.starts_with("<li><a href=\"https://web.archive.org/taken\">"),
        "{taken}"
    );
    assert!(
        !taken.contains("taken.example"),
        "a usurped address is not linked: {taken}"
    );
    // The sources page says the same.
    let sources = out.read("sources/index.html");
    assert!(
        sources.contains("<a href=\"https://web.archive.org/gone\">Gone</a>"),
        "{sources}"
    );
    assert!(!sources.contains("href=\"https://taken.example/c\""));
    // JSON-LD keeps the work's own address and adds where it is archived.
    let doc = json_ld(&page);
    let cited = doc[0].1["citation"].as_array().expect("citations").clone();
    assert_eq!(cited[1]["url"], "https://gone.example/b");
    assert_eq!(cited[1]["archivedAt"], "https://web.archive.org/gone");
}

#[test]
fn url_status_mistakes_are_named_at_their_line() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/2017-10-20-sourced.md",
        "---\ntitle: Sourced\ndate: 2017-10-20\nsources:\n\
         \x20 - title: \"Gone\"\n    url: \"https://gone.example/b\"\n    url_status: ded\n\
         \x20 - title: \"No copy\"\n    url: \"https://gone.example/c\"\n    url_status: dead\n\
         ---\nBody.\n",
    );
    let run = fixture.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/2017-10-20-sourced.md:7:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`url_status` `ded` is not one of `live`, `dead`, `usurped`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `dead`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/2017-10-20-sourced.md:10:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("has no `archive_url`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("error: 2 errors found\n"),
        "{}",
        run.stderr
    );
}

/// An entry quoting two posts: one with every field, one known only from a report.
const POSTS: &str = "---\ntitle: Quoted\ndate: 2017-10-20\nposts:\n\
  \x20 - author: \"Alyssa Milano\"\n    handle: \"@Alyssa_Milano\"\n    platform: \"Twitter\"\n    date: 2017-10-15T13:21:00-07:00\n\
  \x20   url: \"https://twitter.example/status/1\"\n    archive_url: \"https://web.archive.org/post\"\n\
  \x20   image: { src: shot.png, alt: \"The post as it was shown\" }\n\
  \x20   text: \"Me too.\\nMore at https://example.org/more. <script>alert(1)</script> javascript:alert(2)\"\n\
  \x20 - { author: \"Evan Rachel Wood\", date: 2017-10-15?, text: \"Quoted in a report.\" }\n---\nBody.\n";

#[test]
fn quoted_posts_are_static_cards_in_the_page_feeds_json_ld_and_timelinejs() {
    let fixture = Fixture::copy("minimal");
    fixture.write("content/2017-10-20-quoted.md", POSTS);
    fixture.write(
        "content/shot.png",
        include_bytes!("../fixtures/images/photo.png"),
    );
    let (out, _) = fixture.build_ok(&[]);
    assert!(
        page_has_image(&out),
        "the post's image is published beside the entry and shown on its card"
    );
    let page = out.read("entries/quoted/index.html");
    let posts = &page[page
        .find("<section class=\"posts\"")
        .expect("a posts section")..];
    let posts = &posts[..posts.find("</section>").unwrap()];
    assert!(posts.contains("<blockquote cite=\"https://twitter.example/status/1\"><p>Me too.<br>\nMore at <a href=\"https://example.org/more\" rel=\"nofollow ugc\">https://example.org/more</a>. &lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(2)</p></blockquote>"), "{posts}");
    assert!(posts.contains("<span class=\"post-author\">Alyssa Milano</span> <span class=\"post-handle\">@Alyssa_Milano</span> on Twitter, <time datetime=\"2017-10-15T13:21:00-07:00\">"), "{posts}");
    assert!(
        posts.contains("<a href=\"https://web.archive.org/post\">Archived copy"),
        "{posts}"
    );
    // Known only from a report: no address, no link, the date's doubt kept.
    let second = &posts[posts.rfind("<figure class=\"post\">").unwrap()..];
    assert!(
        second.contains("<blockquote><p>Quoted in a report.</p></blockquote>"),
        "{second}"
    );
    assert!(!second.contains("View the post"), "{second}");
    assert!(
        second.contains("<time datetime=\"2017-10-15\">"),
        "{second}"
    );
    // No script and nothing from the platform anywhere on the page.
    assert!(!page.contains("<script>alert"), "escaped");
    assert!(!page.contains("platform.twitter") && !page.contains("widgets.js"));
    // The feed shows each post as a blockquote with its attribution.
    let feed = parse_feed(&out, "feed.xml", FeedType::Atom);
    let entry = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with("/entries/quoted/"))
        .expect("in the feed");
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .unwrap_or_default();
    assert!(html.contains("<blockquote><p>Me too.<br>"), "{html}");
    assert!(
        html.contains("— Alyssa Milano (@Alyssa_Milano) on Twitter, "),
        "{html}"
    );
    assert!(
        html.contains(": <a href=\"https://twitter.example/status/1\">the post</a>"),
        "{html}"
    );
    // JSON-LD: each post a SocialMediaPosting among the article's citations.
    let doc = json_ld(&page);
    let cited = doc[0].1["citation"].as_array().expect("citations").clone();
    let posting = cited
        .iter()
        .find(|c| c["@type"] == "SocialMediaPosting")
        .expect("a posting");
    assert_eq!(posting["author"]["name"], "Alyssa Milano");
    assert_eq!(posting["author"]["alternateName"], "@Alyssa_Milano");
    assert_eq!(posting["url"], "https://twitter.example/status/1");
    assert_eq!(posting["datePublished"], "2017-10-15T13:21:00-07:00");
    assert_eq!(posting["archivedAt"], "https://web.archive.org/post");
    assert_eq!(
        posting["sharedContent"],
        serde_json::json!({ "@type": "WebPage", "url": "https://example.org/more" }),
        "what the post links"
    );
    // TimelineJS gets the words, never the platform's address as media.
    let timeline = parse_json(&out, "timeline.json");
    let event = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unique_id"] == "quoted")
        .unwrap();
    assert!(event["media"].is_null(), "{event}");
    let text = event["text"]["text"].as_str().unwrap();
    assert!(
        text.contains("<blockquote><p>Quoted in a report.</p></blockquote>"),
        "{text}"
    );
    assert!(!text.contains("twitter.example"), "{text}");
}

fn page_has_image(out: &Output<'_>) -> bool {
    out.has("entries/quoted/shot.png")
        && out.read("entries/quoted/index.html").contains(
            "<img class=\"post-image\" src=\"/entries/quoted/shot.png\" alt=\"The post as it was shown\" width=\"64\" height=\"48\" loading=\"lazy\" decoding=\"async\">",
        )
}

/// Expands JSON-LD with PyLD, schema.org's context read as its vocabulary
/// (the machine has no network to fetch it).
fn expand_with_pyld(doc: &Value) -> Value {
    const SCRIPT: &str = r#"
import json, sys
from pyld import jsonld
def loader(url, options=None):
    if url.rstrip('/') in ('https://schema.org', 'http://schema.org'):
        return {'contentType': 'application/ld+json', 'contextUrl': None, 'documentUrl': url,
                'document': {'@context': {'@vocab': 'https://schema.org/'}}}
    raise Exception('no network: ' + url)
jsonld.set_document_loader(loader)
print(json.dumps(jsonld.expand(json.load(sys.stdin))))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (tests/it/setup.sh installs PyLD)");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(doc.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "PyLD: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn pyld_reads_the_quoted_posts_as_social_media_postings_of_the_article() {
    let fixture = Fixture::copy("minimal");
    fixture.write("content/2017-10-20-quoted.md", POSTS);
    fixture.write(
        "content/shot.png",
        include_bytes!("../fixtures/images/photo.png"),
    );
    let (out, _) = fixture.build_ok(&[]);
    let doc = json_ld(&out.read("entries/quoted/index.html"));
    let expanded = expand_with_pyld(&doc[0].1);
    let s = |key: &str| format!("https://schema.org/{key}");
    let article = &expanded[0];
    assert_eq!(article["@type"][0], s("NewsArticle"));
    let cited = article[s("citation")].as_array().expect("citations");
    let postings: Vec<&Value> = cited
        .iter()
        .filter(|c| c["@type"][0] == s("SocialMediaPosting"))
        .collect();
    assert_eq!(postings.len(), 2, "{expanded:#}");
    let first = postings[0];
    assert_eq!(
        first[s("author")][0][s("name")][0]["@value"],
        "Alyssa Milano"
    );
    assert_eq!(
        first[s("author")][0][s("alternateName")][0]["@value"],
        "@Alyssa_Milano"
    );
    assert_eq!(
        first[s("datePublished")][0]["@value"],
        "2017-10-15T13:21:00-07:00"
    );
    assert_eq!(first[s("publisher")][0][s("name")][0]["@value"], "Twitter");
    assert!(
        postings[1].get(s("url")).is_none(),
        "a post known from a report has no address"
    );
}

#[test]
fn post_mistakes_are_named_at_their_line() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/2017-10-20-quoted.md",
        "---\ntitle: Quoted\ndate: 2017-10-20\nposts:\n\
         \x20 - { author: \"A\", date: 2017-10-15, text: \"\" }\n\
         \x20 - { author: \"B\", date: 2017-10-15, text: \"x\", url: \"twitter.com/x\" }\n\
         \x20 - { author: \"C\", text: \"y\", handel: \"@c\" }\n---\nBody.\n",
    );
    let run = fixture.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/2017-10-20-quoted.md:5:",
        "`text` is empty",
        "content/2017-10-20-quoted.md:6:",
        "`url` `twitter.com/x` is not an http(s) address",
        "content/2017-10-20-quoted.md:7:",
        "did you mean `handle`?",
    ] {
        assert!(
            run.stderr.contains(expected),
            "`{expected}` in\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("content/2017-10-20-quoted.md:7:1: error: post 3 has no `date`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("error: 4 errors found\n"),
        "{}",
        run.stderr
    );
}
