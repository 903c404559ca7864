//! `dateline build` on fixture sites: which files are written, in what order
//! entries appear, how dates, links, assets, terms and raw HTML come out.

use crate::common::html::attributes;
use crate::common::Fixture;
use crate::support::{card, card_slugs, links, list_item, main_of, plain_text, section, times};

#[test]
fn minimal_site_writes_every_page_and_nothing_else() {
    let fixture = Fixture::copy("minimal");
    let (out, run) = fixture.build_ok(&[]);
    // Theme files are also published under a hash of their contents.
    // Sorted after the hashes are taken out: the hashed names sort by their hash.
    let mut paths: Vec<String> = out.paths().iter().map(|p| unhashed(p)).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            ".dateline-manifest",
            ".dateline-output",
            "2017/10/index.html",
            "2017/index.html",
            "404.html",
            "corrections/feed.xml",
            "corrections/index.html",
            "dateline.#.css",
            "dateline.#.js",
            "dateline.css",
            "dateline.js",
            "entries/first-day/index.html",
            "entries/milano-tweet/index.html",
            "entries/times-report/index.html",
            "favicon.#.svg",
            "favicon.svg",
            "feed.json",
            "feed.xml",
            "index.html",
            "key/index.html",
            "people/alyssa-milano/feed.xml",
            "people/alyssa-milano/index.html",
            "people/index.html",
            "people/jodi-kantor/feed.xml",
            "people/jodi-kantor/index.html",
            "robots.txt",
            "search-index.json",
            "search/d.#.json",
            "search/f.#.bin",
            "search/f.#.bin",
            "search/index.json",
            "search/k.#.bin",
            "search/w.#.bin",
            "sitemap.xml",
            "sources/agency/index.html",
            "sources/index.html",
            "sources/the-times/index.html",
            "sources/twitter/index.html",
            "tags/index.html",
            "tags/reports/feed.xml",
            "tags/reports/index.html",
            "tags/twitter/feed.xml",
            "tags/twitter/index.html",
            "timeline.json",
        ]
    );
    assert_eq!(run.stderr, "", "a clean site builds without diagnostics");
    assert!(
        run.stdout.starts_with("built 3 entries into "),
        "{}",
        run.stdout
    );
}

/// `path` with a 10-digit hexadecimal part of its name written `#`.
fn unhashed(path: &str) -> String {
    path.split('.')
        .map(|part| {
            if part.len() == 10 && part.bytes().all(|b| b.is_ascii_hexdigit()) {
                "#"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[test]
fn pages_link_theme_files_by_a_hash_of_their_contents() {
    let fixture = Fixture::copy("minimal");
    let (out, _) = fixture.build_ok(&[]);
    let stylesheet = |out: &crate::support::Output<'_>| -> String {
        let page = out.read("entries/first-day/index.html");
        let at = page
            .find("rel=\"stylesheet\" href=\"")
            .expect("a style sheet")
            + 24;
        page[at..].split('"').next().expect("quoted").to_string()
    };
    let first = stylesheet(&out);
    let name = first.rsplit('/').next().expect("a name");
    assert_eq!(unhashed(name), "dateline.#.css", "{first}");
    assert_eq!(out.read(name), out.read("dateline.css"), "the same file");
    // A site's own style sheet replaces the theme's, under its own hash, and
    // every page links the new name.
    fixture.write("static/dateline.css", "body { color: teal }\n");
    let (out, _) = fixture.build_ok(&[]);
    let second = stylesheet(&out);
    assert_ne!(first, second);
    let name = second.rsplit('/').next().expect("a name");
    assert_eq!(out.read(name), "body { color: teal }\n");
    assert!(out.read("index.html").contains(&second));
}

#[test]
fn a_site_css_is_linked_after_the_theme_and_restyles_it_with_a_few_lines() {
    let fixture = Fixture::copy("minimal");
    let (out, _) = fixture.build_ok(&[]);
    let sheets = |out: &crate::support::Output<'_>, page: &str| -> Vec<String> {
        out.read(page)
            .split("<link rel=\"stylesheet\" href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(|href| unhashed(href.rsplit('/').next().unwrap_or_default()))
            .collect()
    };
    assert_eq!(
        sheets(&out, "index.html"),
        ["dateline.#.css"],
        "none without one"
    );
    // Three colours, without copying the theme's sheet.
    let custom = ":root { --accent: #005a9c; --link: #005a9c; --bg: #fffdf5; }\n";
    fixture.write("static/site.css", custom);
    let (out, _) = fixture.build_ok(&[]);
    for page in [
        "index.html",
        "entries/first-day/index.html",
        "key/index.html",
        "404.html",
    ] {
        assert_eq!(
            sheets(&out, page),
            ["dateline.#.css", "site.#.css"],
            "{page}: the site's sheet comes after the theme's, so it wins"
        );
    }
    let href = out
        .read("index.html")
        .split('"')
        .find(|s| s.contains("/site.") && s.ends_with(".css"))
        .expect("linked")
        .to_string();
    assert_eq!(out.read(href.rsplit('/').next().unwrap()), custom);
    // The theme's colours are custom properties, so those lines reach every
    // rule: no colour is written out anywhere else in its sheet.
    let theme = out.read("dateline.css");
    for (n, line) in theme.lines().enumerate() {
        for declaration in line.split(['{', ';', '}']) {
            let Some((property, value)) = declaration.split_once(':') else {
                continue;
            };
            let colour = value.contains('#') || value.contains("rgb(");
            assert!(
                !colour || property.trim().starts_with("--"),
                "dateline.css:{}: a colour outside a custom property: {line}",
                n + 1
            );
        }
    }
}

#[test]
fn library_build_and_check_agree_with_the_binary() {
    let fixture = Fixture::copy("minimal");
    let out = fixture.root.join("lib-public");
    let report = dateline::build(&fixture.options(), &out).unwrap();
    assert_eq!(report.entries, 3);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(out.join("entries/times-report/index.html").is_file());
    let checked = dateline::check(&fixture.options()).unwrap();
    let counts = |r: &dateline::BuildReport| (r.entries, r.stats.pages, r.stats.files);
    assert_eq!(counts(&checked), counts(&report));
}

#[test]
fn minimal_pages_show_titles_terms_and_key_events() {
    let fixture = Fixture::copy("minimal");
    let (out, _) = fixture.build_ok(&[]);
    let entry = out.read("entries/milano-tweet/index.html");
    assert!(
        entry.contains("<h1>Alyssa Milano asks for replies</h1>"),
        "{}",
        main_of(&entry)
    );
    assert!(entry.contains(r#"<a href="/tags/twitter/">Twitter</a>"#));
    assert!(entry.contains(r#"<a href="/people/alyssa-milano/">Alyssa Milano</a>"#));
    assert_eq!(card_slugs(&out.read("key/index.html")), ["times-report"]);
    assert_eq!(
        card_slugs(&out.read("tags/twitter/index.html")),
        ["milano-tweet", "first-day"]
    );
    assert_eq!(
        plain_text(list_item(&out.read("tags/index.html"), "/tags/reports/")),
        "Reports 2 events"
    );
}

const PRECISION_ORDER: [&str; 12] = [
    "burke",
    "year-only",
    "month-only",
    "day-one",
    "report",
    "unsure",
    "boycott",
    "tweet",
    "b-alpha",
    "a-beta",
    "tie-a",
    "tie-z",
];

#[test]
fn precision_orders_by_instant_then_precision_then_title_then_slug() {
    let fixture = Fixture::copy("precision");
    let (out, _) = fixture.build_ok(&[]);
    assert_eq!(card_slugs(&out.read("index.html")), PRECISION_ORDER);
}

#[test]
fn newest_first_is_the_exact_reverse() {
    let fixture = Fixture::copy("precision");
    fixture.append("site.yaml", "order: newest-first");
    let (out, _) = fixture.build_ok(&[]);
    let mut reversed = PRECISION_ORDER;
    reversed.reverse();
    assert_eq!(card_slugs(&out.read("index.html")), reversed);
}

#[test]
fn dates_keep_their_precision_and_show_their_qualifier() {
    let fixture = Fixture::copy("precision");
    let (out, _) = fixture.build_ok(&[]);
    let index = out.read("index.html");
    let expected = [
        ("burke", "2006", "c. 2006"),
        ("year-only", "2017", "2017"),
        ("month-only", "2017-10", "October 2017"),
        ("report", "2017-10-05", "5 October 2017"),
        ("unsure", "2017-10-09", "9 October 2017?"),
        // Written at UTC-7, displayed in the site's America/New_York.
        (
            "tweet",
            "2017-10-15T12:21:00-07:00",
            "15 October 2017, 15:21 EDT",
        ),
    ];
    for (slug, datetime, display) in expected {
        assert_eq!(
            times(card(&index, slug)),
            [(datetime, display)],
            "card of {slug}"
        );
        let page = out.read(&format!("entries/{slug}/index.html"));
        assert_eq!(
            times(main_of(&page)).first(),
            Some(&(datetime, display)),
            "page of {slug}"
        );
    }
    let range: Vec<&str> = times(card(&index, "boycott"))
        .into_iter()
        .map(|(datetime, _)| datetime)
        .collect();
    assert_eq!(
        range,
        ["2017-10-12", "2017-10-13"],
        "a range has a <time> at each end"
    );
    assert!(plain_text(card(&index, "boycott")).contains("13 October 2017"));
}

#[test]
fn year_and_month_archives_hold_their_entries() {
    let fixture = Fixture::copy("precision");
    let (out, _) = fixture.build_ok(&[]);
    assert_eq!(card_slugs(&out.read("2006/index.html")), ["burke"]);
    assert_eq!(
        card_slugs(&out.read("2017/index.html")),
        &PRECISION_ORDER[1..]
    );
    assert_eq!(
        card_slugs(&out.read("2017/10/index.html")),
        &PRECISION_ORDER[2..]
    );
    assert!(
        !out.has("2006/01/index.html") && !out.has("2017/01/index.html"),
        "no month archive for year-only dates"
    );
}

#[test]
fn an_end_date_equal_to_the_date_is_accepted() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/same.md",
        "---\ntitle: \"Same instant\"\ndate: 2017-10-15T12:00:00Z\nend_date: 2017-10-15T12:00:00Z\n---\nBody.\n",
    );
    fixture.build_ok(&[]);
}

#[test]
fn body_links_to_md_files_become_entry_urls() {
    let fixture = Fixture::copy("links");
    let (out, _) = fixture.build_ok(&[]);
    let report = out.read("entries/report/index.html");
    assert!(
        report.contains(r#"<a href="/metoo/entries/tweet/#reactions">the reply</a>"#),
        "subfolder + fragment:\n{}",
        main_of(&report)
    );
    let tweet = out.read("entries/tweet/index.html");
    assert!(
        tweet.contains(r#"<a href="/metoo/entries/report/">the report</a>"#),
        "`../`:\n{}",
        main_of(&tweet)
    );
    for (page, html) in out.pages() {
        assert!(
            !links(&html).iter().any(|l| l.contains(".md")),
            "{page} still links to a .md file"
        );
    }
}

#[test]
fn backlinks_related_and_neighbours_are_shown() {
    let fixture = Fixture::copy("links");
    let (out, _) = fixture.build_ok(&[]);
    let report = out.read("entries/report/index.html");
    let referenced = section(&report, "Referenced by").expect("a Referenced by section");
    assert_eq!(
        attributes(referenced, "href"),
        ["/metoo/entries/tweet/", "/metoo/entries/aftermath/"]
    );
    let aftermath = out.read("entries/aftermath/index.html");
    let related = section(&aftermath, "Related").expect("a Related section");
    assert_eq!(attributes(related, "href"), ["/metoo/entries/report/"]);
    let tweet = out.read("entries/tweet/index.html");
    assert!(
        tweet.contains(r#"<a href="/metoo/entries/report/" rel="prev">"#),
        "{}",
        main_of(&tweet)
    );
    assert!(
        tweet.contains(r#"<a href="/metoo/entries/aftermath/" rel="next">"#),
        "{}",
        main_of(&tweet)
    );
    assert!(
        !report.contains(r#"rel="prev""#) && !aftermath.contains(r#"rel="next""#),
        "first and last have one neighbour"
    );
}

#[test]
fn referenced_files_are_copied_beside_their_entry() {
    let fixture = Fixture::copy("links");
    let (out, run) = fixture.build_ok(&[]);
    for (source, copy, entry) in [
        ("content/lead.png", "entries/report/lead.png", "report"),
        (
            "content/events/chart.png",
            "entries/tweet/chart.png",
            "tweet",
        ),
    ] {
        assert_eq!(
            std::fs::read(out.dir.join(copy)).unwrap(),
            std::fs::read(fixture.root.join(source)).unwrap(),
            "{copy}"
        );
        let page = out.read(&format!("entries/{entry}/index.html"));
        assert!(
            page.contains(&format!(r#"src="/metoo/{copy}""#)),
            "{}",
            main_of(&page)
        );
    }
    assert!(
        card(&out.read("index.html"), "report").contains(r#"src="/metoo/entries/report/lead.png""#)
    );
    assert!(
        !out.paths().iter().any(|p| p.ends_with("unused.txt")),
        "unreferenced files are not published"
    );
    assert!(
        run.stderr
            .contains("content/unused.txt: warning: no entry references this file"),
        "{}",
        run.stderr
    );
}

/// The text of every output file whose name ends with one of `endings`.
fn text_of(out: &crate::support::Output, endings: &[&str]) -> String {
    out.tree()
        .into_iter()
        .filter(|(path, _)| endings.iter().any(|e| path.ends_with(e)))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect()
}

/// Every file where text is read as HTML: pages, the Atom feeds, and TimelineJS data.
const HTML_CONTEXTS: &[&str] = &[".html", ".xml", "timeline.json"];

/// Every text file of the output.
const ALL_TEXT: &[&str] = &[".html", ".xml", ".json", ".txt", ".css"];

/// Whether the visible text of `html` has the word "Draft".
fn marked_draft(html: &str) -> bool {
    plain_text(html)
        .split_whitespace()
        .any(|word| word == "Draft")
}

#[test]
fn drafts_are_left_out_of_every_file() {
    let fixture = Fixture::copy("drafts");
    let (out, run) = fixture.build_ok(&[]);
    assert!(!out.has("entries/secret/index.html"));
    assert!(out.has("entries/public/index.html"));
    let text = text_of(&out, ALL_TEXT);
    for leftover in ["Unfinished draft event", "/entries/secret/", "Unready"] {
        assert!(!text.contains(leftover), "`{leftover}` is in the output");
    }
    for (page, html) in out.pages() {
        assert!(!marked_draft(&html), "{page} shows a Draft mark");
    }
    assert!(!run.stdout.contains("preview"), "{}", run.stdout);
}

#[test]
fn drafts_flag_shows_drafts_marked_as_such() {
    let fixture = Fixture::copy("drafts");
    let (out, run) = fixture.build_ok(&["--drafts"]);
    let page = out.read("entries/secret/index.html");
    assert!(marked_draft(main_of(&page)), "{}", main_of(&page));
    assert!(marked_draft(card(&out.read("index.html"), "secret")));
    assert!(!marked_draft(card(&out.read("index.html"), "public")));
    assert!(out.has("tags/unready/index.html"));
    assert!(
        run.stdout.contains("preview"),
        "the summary warns about the preview: {}",
        run.stdout
    );
}

#[test]
fn drafts_flag_marks_drafts_in_the_feeds_too() {
    let fixture = Fixture::copy("drafts");
    let (out, _) = fixture.build_ok(&["--drafts"]);
    let atom = out.read("feed.xml");
    let entry = atom
        .split("<entry>")
        .find(|e| e.contains("/entries/secret/"))
        .expect("the draft is in the Atom feed");
    assert!(entry.contains("Draft"), "{entry}");
    let json: serde_json::Value = serde_json::from_str(&out.read("feed.json")).unwrap();
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["url"].as_str().unwrap().ends_with("/entries/secret/"))
        .unwrap();
    assert!(item.to_string().contains("Draft"), "{item}");
}

#[test]
fn entries_published_later_are_held_back_and_links_to_them_become_text() {
    let fixture = Fixture::copy("future");
    let (out, run) = fixture.build_ok(&["--now", "2020-01-01T00:00:00Z"]);
    assert!(!out.has("entries/embargoed/index.html"));
    assert!(!text_of(&out, ALL_TEXT).contains("Embargoed story"));
    let teaser = out.read("entries/teaser/index.html");
    assert!(
        teaser.contains("<p>More in the embargoed story soon.</p>"),
        "{}",
        main_of(&teaser)
    );
    assert!(
        run.stderr.contains("content/2017-10-05-teaser.md:8:31: warning: `content/2017-10-06-embargoed.md` is not published until 2030-01-01"),
        "{}",
        run.stderr
    );

    let (out, _) = fixture.build_ok(&["--now", "2020-01-01T00:00:00Z", "--future"]);
    assert!(out.has("entries/embargoed/index.html"));
    assert!(out
        .read("entries/teaser/index.html")
        .contains(r#"<a href="/entries/embargoed/">the embargoed story</a>"#));
}

#[test]
fn term_spellings_merge_under_one_slug() {
    let fixture = Fixture::copy("taxonomy");
    let (out, run) = fixture.build_ok(&[]);
    let term_pages: Vec<String> = out
        .paths()
        .into_iter()
        .filter(|p| p.starts_with("tags/") && p.ends_with(".html"))
        .collect();
    assert_eq!(
        term_pages,
        [
            "tags/index.html",
            "tags/metoo/index.html",
            "tags/twitter/index.html"
        ]
    );
    let term = out.read("tags/metoo/index.html");
    assert!(
        term.contains("<h1>#MeToo</h1>"),
        "most used spelling:\n{}",
        main_of(&term)
    );
    assert_eq!(card_slugs(&term), ["1", "2", "3", "4"]);
    let list = out.read("tags/index.html");
    assert_eq!(
        plain_text(list_item(&list, "/tags/metoo/")),
        "#MeToo 4 events"
    );
    assert_eq!(
        plain_text(list_item(&list, "/tags/twitter/")),
        "Twitter 1 event"
    );
    for spelling in ["MeToo", "metoo"] {
        assert!(
            run.stderr
                .contains(&format!("warning: term `{spelling}` is spelled ")),
            "{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("the site shows `#MeToo`"));
}

#[test]
fn raw_html_is_sanitized_by_default_and_titles_are_escaped() {
    let fixture = Fixture::copy("raw-html");
    let (out, _) = fixture.build_ok(&[]);
    let text = text_of(&out, HTML_CONTEXTS);
    // The JSON-LD `<script>` of entry pages is the theme's own, so look for the payloads.
    for unsafe_bit in [
        "<script>alert",
        "</script> in it",
        "onerror",
        "javascript:",
        "<b>bold",
    ] {
        assert!(
            !text.contains(unsafe_bit),
            "`{unsafe_bit}` is in the output"
        );
    }
    let page = out.read("entries/raw/index.html");
    let escaped = "Headline with &lt;script&gt;alert(\u{2018}title\u{2019})&lt;/script&gt; in it";
    assert!(page.contains(&format!("<title>{escaped} · Raw HTML</title>")));
    assert!(page.contains(&format!("<h1>{escaped}</h1>")));
    assert!(out.read("index.html").contains(escaped));
    assert!(
        page.contains("<span>inline HTML</span>"),
        "harmless HTML stays:\n{}",
        main_of(&page)
    );
    assert!(
        page.contains("raw link") && page.contains("markdown link"),
        "link texts stay"
    );
}

#[test]
fn raw_html_is_kept_when_allowed_but_not_in_titles_or_markdown_links() {
    let fixture = Fixture::copy("raw-html");
    fixture.append("site.yaml", "allow_raw_html: true");
    let (out, _) = fixture.build_ok(&[]);
    let body = main_of(&out.read("entries/raw/index.html")).to_string();
    for kept in [
        "<script>alert('body')</script>",
        r#"onerror="alert('img')""#,
        r#"href="javascript:alert('raw')""#,
    ] {
        assert!(body.contains(kept), "`{kept}` is missing:\n{body}");
    }
    assert!(
        !body.contains("alert('md')"),
        "Markdown `javascript:` links are dropped in every mode"
    );
    assert!(
        !text_of(&out, HTML_CONTEXTS).contains("<script>alert('title')"),
        "titles are always escaped"
    );
}

#[test]
fn a_bom_and_crlf_line_endings_are_accepted() {
    let fixture = Fixture::copy("minimal");
    let text = "\u{feff}---\r\ntitle: \"Windows editor\"\r\ndate: 2017-10-20\r\nsources:\r\n  - { title: \"S\", url: \"https://example.com/s\" }\r\n---\r\n\r\nWritten on Windows.\r\n";
    fixture.write("content/2017-10-20-windows.md", text);
    let (out, _) = fixture.build_ok(&[]);
    let page = out.read("entries/windows/index.html");
    assert!(
        page.contains("<h1>Windows editor</h1>") && page.contains("<p>Written on Windows.</p>"),
        "{}",
        main_of(&page)
    );
    assert!(!page.contains('\r') && !page.contains('\u{feff}'));
}

#[test]
fn long_timelines_are_paginated_with_links_between_pages() {
    let fixture = Fixture::copy("paginated");
    let (out, _) = fixture.build_ok(&[]);
    let pages = [
        ("index.html", vec!["event-1", "event-2"]),
        ("page/2/index.html", vec!["event-3", "event-4"]),
        ("page/3/index.html", vec!["event-5"]),
    ];
    for (path, slugs) in &pages {
        let html = out.read(path);
        assert_eq!(&card_slugs(&html), slugs, "{path}");
        let nav = &html[html
            .find(r#"<nav class="pagination""#)
            .unwrap_or_else(|| panic!("{path} has no pagination"))..];
        let hrefs = attributes(&nav[..nav.find("</nav>").unwrap()], "href");
        for target in ["/", "/page/2/", "/page/3/"] {
            assert!(
                hrefs.contains(&target),
                "{path} does not link to {target}: {hrefs:?}"
            );
        }
    }
    assert!(!out.has("page/4/index.html") && !out.has("page/1/index.html"));
    assert!(out
        .read("page/2/index.html")
        .contains(r#"<a href="/page/3/" rel="next">"#));
    assert!(out
        .read("page/2/index.html")
        .contains(r#"<a href="/" rel="prev">"#));
}

#[test]
fn long_paginations_link_the_ends_and_the_neighbourhood_not_every_page() {
    let fixture = Fixture::copy("paginated");
    fixture.write(
        "site.yaml",
        "title: \"Paginated\"\nbase_url: \"https://example.org/\"\npaginate: 1\n",
    );
    for n in 6..=20 {
        fixture.write(
            &format!("content/2017-10-{n:02}-event-{n}.md"),
            format!("---\ntitle: \"Event {n}\"\ndate: 2017-10-{n:02}\n---\n\nEvent number {n}.\n"),
        );
    }
    let (out, _) = fixture.build_ok(&[]);
    let nav_of = |path: &str| {
        let html = out.read(path);
        let nav = &html[html.find(r#"<nav class="pagination""#).expect("pagination")..];
        nav[..nav.find("</nav>").expect("end of nav")].to_string()
    };
    // Newest first: page 10 of 20, linking pages 1, 8–12 and 20, and its neighbours.
    let middle = nav_of("page/10/index.html");
    let hrefs = attributes(&middle, "href");
    assert_eq!(
        hrefs,
        [
            "/page/9/",
            "/",
            "/page/8/",
            "/page/9/",
            "/page/10/",
            "/page/11/",
            "/page/12/",
            "/page/20/",
            "/page/11/"
        ]
    );
    assert_eq!(
        middle
            .matches(r#"<li class="gap" aria-hidden="true">…</li>"#)
            .count(),
        2
    );
    assert!(
        middle.contains(r#"<a href="/page/10/" aria-current="page">10</a>"#),
        "{middle}"
    );
    assert!(
        middle.contains(r#"<span class="vh">Last page, </span>20</a>"#),
        "{middle}"
    );
    // The first page has one gap, before the last page.
    let first = nav_of("index.html");
    assert_eq!(
        attributes(&first, "href"),
        ["/", "/page/2/", "/page/3/", "/page/20/", "/page/2/"]
    );
    assert_eq!(first.matches("class=\"gap\"").count(), 1);
}

#[test]
fn the_site_navigation_marks_only_the_page_it_links_to() {
    let fixture = Fixture::copy("minimal");
    // A tag whose page ends in `/key/` once looked like the key-events page.
    let path = fixture.root.join("content/2017-10-15-milano-tweet.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("tags: [", "tags: [\"Key\", ", 1)).unwrap();
    let (out, _) = fixture.build_ok(&[]);
    let current = |path: &str| -> Vec<String> {
        let html = out.read(path);
        let nav = &html[html.find(r#"<nav class="site-nav""#).expect("site nav")..];
        let nav = &nav[..nav.find("</nav>").expect("end of nav")];
        nav.split("<li>")
            .filter(|item| item.contains("aria-current"))
            .map(plain_text)
            .collect()
    };
    assert_eq!(current("index.html"), ["Timeline"]);
    assert_eq!(current("key/index.html"), ["Key events"]);
    assert_eq!(current("tags/index.html"), ["Tags"]);
    assert_eq!(current("people/index.html"), ["People"]);
    assert_eq!(current("sources/index.html"), ["Sources"]);
    assert!(current("tags/key/index.html").is_empty());
    assert!(current("entries/milano-tweet/index.html").is_empty());
}

/// What a terminal's progress bar is told, counted.
struct Steps(std::sync::atomic::AtomicU64);

impl dateline::Progress for Steps {
    fn start(&self, _stage: &'static str, _total: u64) {}
    fn advance(&self, n: u64) {
        self.0.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn a_build_with_a_progress_display_still_keeps_unchanged_files() {
    let fixture = Fixture::copy("minimal");
    let steps = std::sync::Arc::new(Steps(std::sync::atomic::AtomicU64::new(0)));
    let options = dateline::Options {
        progress: Some(dateline::ProgressHandle(steps.clone())),
        ..fixture.options()
    };
    let out = fixture.root.join("public");
    let first = dateline::build(&options, &out).expect("first build");
    assert!(first.stats.made > 0);
    let second = dateline::build(&options, &out).expect("second build");
    assert_eq!(second.stats.made, 0, "nothing rendered again");
    assert!(
        steps.0.load(std::sync::atomic::Ordering::Relaxed) >= 2 * second.stats.files as u64,
        "kept files count as progress too"
    );
}
