//! The oracle of incremental rebuilds. Random sequences of edits are applied to a
//! small site: an entry's words, title, date and its precision, tags and people,
//! `related` and body links, sources and publishers, corrections, importance,
//! `draft` and `published`, entries added, deleted and renamed, an image changed,
//! `site.yaml` keys, a template override and a static file. After every step,
//! `serve`'s in-memory site (the real [`LiveSite`], refreshed with the paths that
//! changed) and a `build` into the previous output must be byte for byte what a
//! build from nothing gives, or fail with the same errors.
//!
//! `cargo test` runs `ORACLE_CASES` sequences (default 12) of `ORACLE_STEPS`
//! edits (default 10); `ORACLE_CASES=500 cargo test --release --test it oracle`
//! runs more.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dateline::serve::live::LiveSite;
use dateline::Options;
use proptest::prelude::*;

use crate::common::{differences, tree, Fixture, Tree};

const PEOPLE: &[&str] = &[
    "Alyssa Milano",
    "Tarana Burke",
    "Rose McGowan",
    "Ronan Farrow",
];
const TAGS: &[&str] = &["#MeToo", "metoo", "Hollywood", "Twitter", "Boycott"];
const PUBLISHERS: &[&str] = &["The New York Times", "The New Yorker", "Variety", ""];

/// One entry of the model site.
#[derive(Debug, Clone)]
struct Entry {
    /// The file name without `.md`; changes on a rename.
    stem: String,
    /// An explicit `slug:`, which changes the entry's URL but not its file.
    slug: Option<u8>,
    title: String,
    /// Year, month and day, of which `precision` (1–3) are written; 4 adds a time.
    date: (i32, u32, u32),
    precision: u8,
    /// Written with `~` (approximate).
    approximate: bool,
    tags: Vec<usize>,
    people: Vec<usize>,
    /// Other entries, by position in the model, named under `related`.
    related: Vec<usize>,
    /// Other entries linked from the body, by position.
    links: Vec<usize>,
    /// (publisher, title) of each source.
    sources: Vec<(usize, u8)>,
    corrections: u8,
    importance: u8,
    draft: bool,
    /// `published`: none, in the past, or after the build's clock.
    published: Option<bool>,
    words: u16,
    /// Whether it shows `photo.png`, a file beside it.
    image: bool,
    /// A YAML mistake that fails the build.
    broken: bool,
}

/// The model site: what is written to disk after each edit.
#[derive(Debug, Clone)]
struct Site {
    entries: Vec<Entry>,
    paginate: u8,
    feed_limit: u8,
    newest_first: bool,
    day_counter: bool,
    places: bool,
    description: u8,
    /// A version of the site's own `card.html`, when it overrides the theme's.
    card_template: Option<u8>,
    /// A version of `static/notes.txt`, when there is one.
    static_file: Option<u8>,
    /// A version of `content/photo.png`.
    photo: u8,
}

/// One edit.
#[derive(Debug, Clone)]
enum Edit {
    Words(usize, u16),
    Title(usize, u8),
    Slug(usize, Option<u8>),
    Date(usize, u32, u32),
    Precision(usize, u8, bool),
    Tags(usize, Vec<usize>),
    People(usize, Vec<usize>),
    Related(usize, Vec<usize>),
    Links(usize, Vec<usize>),
    Sources(usize, Vec<(usize, u8)>),
    Corrections(usize, u8),
    Importance(usize, u8),
    Draft(usize, bool),
    Published(usize, Option<bool>),
    Image(usize, bool),
    Photo(u8),
    Add(u8),
    Delete(usize),
    Rename(usize, u8),
    Break(usize, bool),
    Paginate(u8),
    FeedLimit(u8),
    Order(bool),
    DayCounter(bool),
    Places(bool),
    Description(u8),
    CardTemplate(Option<u8>),
    StaticFile(Option<u8>),
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = 0..16usize;
    let few = |max: usize| proptest::collection::vec(0..max, 0..3);
    prop_oneof![
        4 => (n.clone(), 0..400u16).prop_map(|(i, w)| Edit::Words(i, w)),
        2 => (n.clone(), any::<u8>()).prop_map(|(i, t)| Edit::Title(i, t)),
        1 => (n.clone(), proptest::option::of(any::<u8>())).prop_map(|(i, s)| Edit::Slug(i, s)),
        2 => (n.clone(), 1..13u32, 1..29u32).prop_map(|(i, m, d)| Edit::Date(i, m, d)),
        1 => (n.clone(), 1..5u8, any::<bool>()).prop_map(|(i, p, a)| Edit::Precision(i, p, a)),
        2 => (n.clone(), few(TAGS.len())).prop_map(|(i, t)| Edit::Tags(i, t)),
        1 => (n.clone(), few(PEOPLE.len())).prop_map(|(i, p)| Edit::People(i, p)),
        2 => (n.clone(), few(16)).prop_map(|(i, r)| Edit::Related(i, r)),
        2 => (n.clone(), few(16)).prop_map(|(i, l)| Edit::Links(i, l)),
        2 => (n.clone(), proptest::collection::vec((0..PUBLISHERS.len(), 0..3u8), 0..3))
            .prop_map(|(i, s)| Edit::Sources(i, s)),
        1 => (n.clone(), 0..3u8).prop_map(|(i, c)| Edit::Corrections(i, c)),
        1 => (n.clone(), 1..4u8).prop_map(|(i, v)| Edit::Importance(i, v)),
        1 => (n.clone(), any::<bool>()).prop_map(|(i, d)| Edit::Draft(i, d)),
        1 => (n.clone(), proptest::option::of(any::<bool>())).prop_map(|(i, p)| Edit::Published(i, p)),
        1 => (n.clone(), any::<bool>()).prop_map(|(i, b)| Edit::Image(i, b)),
        1 => any::<u8>().prop_map(Edit::Photo),
        2 => any::<u8>().prop_map(Edit::Add),
        1 => n.clone().prop_map(Edit::Delete),
        1 => (n.clone(), any::<u8>()).prop_map(|(i, s)| Edit::Rename(i, s)),
        1 => (n.clone(), any::<bool>()).prop_map(|(i, b)| Edit::Break(i, b)),
        1 => (1..4u8).prop_map(Edit::Paginate),
        1 => (1..5u8).prop_map(Edit::FeedLimit),
        1 => any::<bool>().prop_map(Edit::Order),
        1 => any::<bool>().prop_map(Edit::DayCounter),
        1 => any::<bool>().prop_map(Edit::Places),
        1 => any::<u8>().prop_map(Edit::Description),
        1 => proptest::option::of(0..3u8).prop_map(Edit::CardTemplate),
        1 => proptest::option::of(0..3u8).prop_map(Edit::StaticFile),
    ]
}

impl Site {
    fn new() -> Site {
        let entry = |i: usize, day: u32| Entry {
            stem: format!("2017-10-{day:02}-event-{i}"),
            slug: None,
            title: format!("Event {i}"),
            date: (2017, 10, day),
            precision: 3,
            approximate: false,
            tags: vec![i % TAGS.len()],
            people: vec![i % PEOPLE.len()],
            related: Vec::new(),
            // The last links to the first: far apart, so a change of the
            // target's address changes nothing else on the linking page.
            links: if i > 0 {
                vec![if i == 4 { 0 } else { i - 1 }]
            } else {
                Vec::new()
            },
            sources: vec![(i % PUBLISHERS.len(), 0)],
            corrections: 0,
            importance: if i == 2 { 1 } else { 2 },
            draft: false,
            published: None,
            words: 20,
            image: i == 1,
            broken: false,
        };
        Site {
            entries: (0..5).map(|i| entry(i, 5 + 2 * i as u32)).collect(),
            paginate: 2,
            feed_limit: 3,
            newest_first: false,
            day_counter: true,
            places: false,
            description: 0,
            card_template: None,
            static_file: None,
            photo: 0,
        }
    }

    /// Applies `edit` to the model.
    fn apply(&mut self, edit: &Edit) {
        let len = self.entries.len();
        let at = |i: usize| (len > 0).then(|| i % len);
        let mut entry = |i: usize, change: &dyn Fn(&mut Entry)| {
            if let Some(i) = at(i) {
                change(&mut self.entries[i]);
            }
        };
        match edit.clone() {
            Edit::Words(i, w) => entry(i, &|e| e.words = w),
            Edit::Title(i, t) => entry(i, &|e| e.title = format!("Event {t}")),
            Edit::Slug(i, v) => entry(i, &|e| e.slug = v),
            Edit::Date(i, m, d) => entry(i, &|e| e.date = (2017, m, d)),
            Edit::Precision(i, p, a) => entry(i, &|e| (e.precision, e.approximate) = (p, a)),
            Edit::Tags(i, t) => entry(i, &|e| e.tags = t.clone()),
            Edit::People(i, p) => entry(i, &|e| e.people = p.clone()),
            Edit::Related(i, r) => entry(i, &|e| e.related = r.clone()),
            Edit::Links(i, l) => entry(i, &|e| e.links = l.clone()),
            Edit::Sources(i, s) => entry(i, &|e| e.sources = s.clone()),
            Edit::Corrections(i, c) => entry(i, &|e| e.corrections = c),
            Edit::Importance(i, v) => entry(i, &|e| e.importance = v),
            Edit::Draft(i, d) => entry(i, &|e| e.draft = d),
            Edit::Published(i, p) => entry(i, &|e| e.published = p),
            Edit::Image(i, b) => entry(i, &|e| e.image = b),
            Edit::Break(i, b) => entry(i, &|e| e.broken = b),
            Edit::Rename(i, s) => {
                if let Some(i) = at(i) {
                    self.entries[i].stem = format!("2017-10-renamed-{s}-{i}");
                }
            }
            Edit::Delete(i) => {
                if let Some(i) = at(i) {
                    // Links and `related` keep pointing at positions: they now
                    // name other entries.
                    self.entries.remove(i);
                }
            }
            Edit::Add(seed) => {
                let mut new = self
                    .entries
                    .first()
                    .cloned()
                    .unwrap_or_else(|| Site::new().entries[0].clone());
                new.stem = format!("2017-11-new-{seed}-{len}");
                new.title = format!("New event {seed}");
                new.date = (2017, 11, u32::from(seed % 28) + 1);
                new.broken = false;
                self.entries.push(new);
            }
            Edit::Photo(v) => self.photo = v,
            Edit::Paginate(n) => self.paginate = n,
            Edit::FeedLimit(n) => self.feed_limit = n,
            Edit::Order(b) => self.newest_first = b,
            Edit::DayCounter(b) => self.day_counter = b,
            Edit::Places(b) => self.places = b,
            Edit::Description(d) => self.description = d,
            Edit::CardTemplate(v) => self.card_template = v,
            Edit::StaticFile(v) => self.static_file = v,
        }
    }

    /// Writes the whole site under `root`, removing what the model no longer
    /// has; returns every path written or removed, as a file watcher would.
    fn write(&self, root: &Path) -> Vec<PathBuf> {
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        let mut files: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
        for file in std::fs::read_dir(&content).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                files.insert(path, None);
            }
        }
        for (i, entry) in self.entries.iter().enumerate() {
            files.insert(
                content.join(format!("{}.md", entry.stem)),
                Some(self.entry_text(i)),
            );
        }
        // A different length each time: files copied as they are are known by
        // their size and modification time.
        let photo = format!("PNG{}", "x".repeat(usize::from(self.photo) + 1));
        files.insert(content.join("photo.png"), Some(photo));
        files.insert(root.join("site.yaml"), Some(self.config_text()));
        let default = include_str!("../../themes/default/templates/card.html");
        let card = self.card_template.map(|v| {
            format!(
                "{{# version {v} #}}{}",
                default.replace("event-summary", &format!("event-summary v{v}"))
            )
        });
        files.insert(root.join("themes/default/templates/card.html"), card);
        let notes = self
            .static_file
            .map(|v| "notes ".repeat(usize::from(v) + 1));
        files.insert(root.join("static/notes.txt"), notes);
        files
            .into_iter()
            .filter(|(path, text)| match text {
                Some(text) => write_if_changed(path, text),
                None => remove(path),
            })
            .map(|(path, _)| path)
            .collect()
    }

    fn config_text(&self) -> String {
        let mut y = String::from("title: \"Oracle\"\nbase_url: \"https://example.org/oracle/\"\ntimezone: America/New_York\n");
        let _ = writeln!(y, "description: \"Version {}\"", self.description);
        let _ = writeln!(
            y,
            "paginate: {}\nfeed_limit: {}",
            self.paginate, self.feed_limit
        );
        let _ = writeln!(
            y,
            "order: {}",
            if self.newest_first {
                "newest-first"
            } else {
                "oldest-first"
            }
        );
        if self.day_counter {
            y.push_str("day_counter: true\n");
        }
        if self.places {
            y.push_str("taxonomies: [tags, people, places]\n");
        }
        y.push_str("eras:\n  - { title: \"First days\", start: 2017-10-01, end: 2017-10-09 }\n");
        y
    }

    fn entry_text(&self, i: usize) -> String {
        let e = &self.entries[i];
        let slug_of = |j: usize| {
            let target = &self.entries[j % self.entries.len()];
            match target.slug {
                Some(v) => format!("slug-{v}"),
                None => target
                    .stem
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
                    .to_string(),
            }
        };
        let (year, month, day) = e.date;
        let mut date = match e.precision {
            1 => format!("{year}"),
            2 => format!("{year}-{month:02}"),
            3 => format!("{year}-{month:02}-{day:02}"),
            _ => format!("{year}-{month:02}-{day:02}T12:{day:02}:00-04:00"),
        };
        if e.approximate && e.precision < 4 {
            date.push('~');
        }
        let mut y = String::from("---\n");
        let _ = writeln!(y, "title: \"{}\"", e.title);
        let _ = writeln!(y, "date: {date}");
        if let Some(v) = e.slug {
            let _ = writeln!(y, "slug: slug-{v}");
        }
        let list = |names: &[&str], picks: &[usize]| {
            picks
                .iter()
                .map(|&p| format!("\"{}\"", names[p % names.len()]))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(y, "tags: [{}]", list(TAGS, &e.tags));
        let _ = writeln!(y, "people: [{}]", list(PEOPLE, &e.people));
        if self.places {
            y.push_str("places: [\"Los Angeles\"]\n");
        }
        if !e.related.is_empty() && !self.entries.is_empty() {
            let slugs: Vec<String> = e.related.iter().map(|&j| slug_of(j)).collect();
            let _ = writeln!(y, "related: [{}]", slugs.join(", "));
        }
        if !e.sources.is_empty() {
            y.push_str("sources:\n");
            for (k, (p, t)) in e.sources.iter().enumerate() {
                let _ = writeln!(
                    y,
                    "  - title: \"Report {t}\"\n    url: \"https://example.com/{i}/{k}\""
                );
                let publisher = PUBLISHERS[p % PUBLISHERS.len()];
                if !publisher.is_empty() {
                    let _ = writeln!(y, "    publisher: \"{publisher}\"");
                }
            }
        }
        if e.corrections > 0 {
            y.push_str("corrections:\n");
            for c in 0..e.corrections {
                let _ = writeln!(y, "  - {{ date: 2017-10-2{c}, text: \"Fixed {c}.\" }}");
            }
        }
        let _ = writeln!(y, "importance: {}", e.importance);
        if e.draft {
            y.push_str("draft: true\n");
        }
        match e.published {
            Some(true) => y.push_str("published: 2030-01-01\n"),
            Some(false) => y.push_str("published: 2018-01-01\n"),
            None => {}
        }
        if e.image {
            y.push_str("image: { src: photo.png, alt: \"A photo\", credit: \"AP\" }\n");
        }
        if e.broken {
            y.push_str("summary: [unclosed\n");
        }
        y.push_str("---\n\n");
        let words: Vec<&str> = ["the", "board", "voted", "after", "reports"]
            .into_iter()
            .cycle()
            .take(usize::from(e.words))
            .collect();
        let _ = writeln!(y, "{}.", words.join(" "));
        for &j in &e.links {
            if !self.entries.is_empty() {
                let target = &self.entries[j % self.entries.len()];
                let _ = writeln!(y, "\nSee [{}]({}.md).", target.title, target.stem);
            }
        }
        y
    }
}

/// Writes `text` unless the file already holds it, so untouched files keep
/// their modification time, as in an editor's work; returns whether it wrote.
fn write_if_changed(path: &Path, text: &str) -> bool {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return false;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    true
}

/// Removes the file at `path`; returns whether there was one.
fn remove(path: &Path) -> bool {
    path.exists() && std::fs::remove_file(path).is_ok()
}

/// A build's files (marker and manifest left out, as `serve` has none), or its
/// errors as text.
fn built(options: &Options, out: &Path) -> Result<Tree, String> {
    dateline::build(options, out).map_err(|e| e.describe())?;
    Ok(tree(out)
        .into_iter()
        .filter(|(p, _)| !p.ends_with('/') && !p.starts_with(".dateline-"))
        .collect())
}

/// Where two outcomes differ, if they do.
fn mismatch(what: &str, got: &Result<Tree, String>, want: &Result<Tree, String>) -> Option<String> {
    match (got, want) {
        (Ok(got), Ok(want)) => {
            let differ = differences(got, want);
            (!differ.is_empty()).then(|| format!("{what} differs from a fresh build at {differ:?}"))
        }
        (Err(got), Err(want)) if got == want => None,
        (got, want) => Some(format!(
            "{what}: {} but a fresh build {}",
            got.as_ref()
                .err()
                .map_or("succeeded".into(), |e| format!("failed with\n{e}\n")),
            want.as_ref()
                .err()
                .map_or("succeeded".into(), |e| format!("failed with\n{e}\n")),
        )),
    }
}

/// Runs `edits` on a fresh model site; the first step where an incremental
/// rebuild differs from a fresh build, if any.
fn run(edits: &[Edit]) -> Result<(), String> {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("site");
    let mut model = Site::new();
    model.write(&root);
    let options = Options {
        now: Some("2027-01-01T00:00:00Z".parse().unwrap()),
        ..Options::new(&root)
    };
    let mut live = LiveSite::open(options.clone());
    let served = |live: &mut LiveSite, changed: &[PathBuf]| -> Result<Tree, String> {
        live.rebuild(changed).map_err(|e| e.describe())?;
        Ok(live
            .files()
            .iter()
            .map(|(path, file)| (path.clone(), file.bytes.to_vec()))
            .collect::<BTreeMap<_, _>>())
    };
    let kept = temp.path().join("public");
    let start = served(&mut live, &[]);
    let _ = built(&options, &kept);
    let fresh = built(&options, &temp.path().join("fresh"));
    if let Some(d) = mismatch("the first live build", &start, &fresh) {
        return Err(d);
    }
    for (step, edit) in edits.iter().enumerate() {
        model.apply(edit);
        let changed = model.write(&root);
        let fresh_dir = temp.path().join(format!("fresh-{step}"));
        let fresh = built(&options, &fresh_dir);
        let live_files = served(&mut live, &changed);
        let incremental = built(&options, &kept);
        let _ = std::fs::remove_dir_all(&fresh_dir);
        for (what, got) in [
            ("serve's site", &live_files),
            ("a build into the last output", &incremental),
        ] {
            if let Some(d) = mismatch(what, got, &fresh) {
                return Err(format!("after step {step} ({edit:?}): {d}"));
            }
        }
    }
    Ok(())
}

fn env_number(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: env_number("ORACLE_CASES", 12),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_rebuilds_equal_a_fresh_build_after_any_edits(
        edits in proptest::collection::vec(edit(), 1..=env_number("ORACLE_STEPS", 10) as usize)
    ) {
        if let Err(problem) = run(&edits) {
            prop_assert!(false, "{problem}");
        }
    }
}

/// Each kind of edit once, in an order that also crosses them (a link to an
/// entry that is then deleted, a broken file then fixed), so every kind is run
/// in every `cargo test` whatever the random cases draw.
#[test]
fn every_kind_of_edit_once() {
    let edits = [
        Edit::Slug(0, Some(3)),
        Edit::Words(0, 50),
        Edit::Title(1, 7),
        Edit::Date(2, 10, 3),
        Edit::Precision(3, 2, true),
        Edit::Tags(0, vec![1, 2]),
        Edit::People(1, vec![3]),
        Edit::Related(2, vec![0, 4]),
        Edit::Links(3, vec![1]),
        Edit::Sources(4, vec![(1, 2), (3, 0)]),
        Edit::Corrections(0, 2),
        Edit::Importance(1, 1),
        Edit::Draft(4, true),
        Edit::Draft(4, false),
        Edit::Published(2, Some(true)),
        Edit::Published(2, None),
        Edit::Image(3, true),
        Edit::Photo(9),
        Edit::Add(3),
        Edit::Rename(1, 5),
        Edit::Delete(0),
        Edit::Slug(1, None),
        Edit::Break(2, true),
        Edit::Words(3, 9),
        Edit::Break(2, false),
        Edit::Paginate(1),
        Edit::FeedLimit(1),
        Edit::Order(true),
        Edit::DayCounter(false),
        Edit::Places(true),
        Edit::Description(4),
        Edit::CardTemplate(Some(1)),
        Edit::CardTemplate(None),
        Edit::StaticFile(Some(2)),
        Edit::StaticFile(Some(0)),
        Edit::StaticFile(None),
    ];
    if let Err(problem) = run(&edits) {
        panic!("{problem}");
    }
}

/// An edit of an entry's words makes only the files that show them: its page,
/// the site's two feeds, the search index's words chunk that holds the new
/// words and its table of contents, and nothing that lists its card.
#[test]
fn an_edit_of_words_makes_only_what_shows_the_words() {
    let fixture = Fixture::bundled();
    let options = Options {
        now: Some("2027-01-01T00:00:00Z".parse().unwrap()),
        ..fixture.options()
    };
    let mut live = LiveSite::open(options);
    live.rebuild(&[]).expect("the bundled site builds");
    let milano = "content/2017-10-15-milano-me-too-tweet.md";
    fixture.append(milano, "A sentence added at the end of the body.");
    let built = live
        .rebuild(&[fixture.root.join(milano)])
        .expect("the edit builds");
    assert_eq!(
        built.stats.made, 5,
        "made {} of {} files after an edit of words",
        built.stats.made, built.stats.files
    );
    let page = &live.files()["entries/milano-me-too-tweet/index.html"];
    assert!(String::from_utf8_lossy(&page.bytes).contains("A sentence added"));
}
