//! `serve`'s incremental rebuild (a live workspace, the link memo, the render
//! memo and a sink that keeps unchanged files) must give exactly what a fresh
//! build gives, after every kind of edit: words, titles, terms, links, drafts,
//! dates, deletions and new files.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use dateline::render::{self, Contents, OutputFile, Sink};
use dateline::site::workspace::Workspace;
use dateline::{Error, Options};

use crate::support::{assert_same_tree, tree, Fixture};

/// Path → (fingerprint, bytes).
type Files = BTreeMap<String, (u64, Vec<u8>)>;

/// Keeps files in memory and, like `serve`'s sink, keeps the previous render's
/// bytes for a path whose fingerprint did not change.
#[derive(Default)]
struct Memory {
    previous: Files,
    next: Mutex<Files>,
    put: Mutex<Vec<String>>,
}

impl Sink for Memory {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        let bytes = match file.contents {
            Contents::Bytes(b) => b,
            Contents::Static(b) => b.to_vec(),
            Contents::Copy(path) => std::fs::read(path).unwrap(),
        };
        self.put.lock().unwrap().push(file.path.clone());
        let mut next = self.next.lock().unwrap();
        next.insert(file.path, (file.fingerprint, bytes));
        Ok(())
    }

    fn reuse(&self, path: &str, fingerprint: u64) -> bool {
        match self.previous.get(path) {
            Some(old) if old.0 == fingerprint => {
                let mut next = self.next.lock().unwrap();
                next.insert(path.to_string(), old.clone());
                true
            }
            _ => false,
        }
    }
}

/// A live workspace rendered after each edit, as `serve` does it.
struct Live {
    workspace: Workspace,
    memo: render::Memo,
    files: Files,
    /// The relations of the last linked site: shared when linking was skipped.
    relations: Option<Arc<[dateline::site::link::Relations]>>,
    /// Files rendered by the last rebuild, and files in all.
    made: (usize, usize),
    /// The paths rendered by the last rebuild.
    put: Vec<String>,
}

/// What a rebuild gave: the files, or the errors as text.
type Outcome = Result<BTreeMap<String, Vec<u8>>, String>;

impl Live {
    fn open(options: Options) -> Live {
        let mut live = Live {
            workspace: Workspace::open_live(options),
            memo: render::Memo::default(),
            files: Files::new(),
            relations: None,
            made: (0, 0),
            put: Vec::new(),
        };
        live.rebuild().expect("the site builds");
        live
    }

    /// Compiles and renders; on success keeps the files, as `serve` does.
    fn rebuild(&mut self) -> Outcome {
        let compiled = self.workspace.compile().map_err(|e| e.to_string())?;
        let sink = Memory {
            previous: std::mem::take(&mut self.files),
            ..Memory::default()
        };
        let root = self.workspace.options().root.clone();
        let rendered = render::rebuild(
            &compiled.site,
            &compiled.theme,
            &root,
            &sink,
            &mut self.memo,
        );
        let next = sink.next.into_inner().unwrap();
        if rendered.is_err() {
            self.files = sink.previous;
        } else {
            self.files = next;
        }
        let stats = rendered.map_err(|e| e.to_string())?;
        self.made = (stats.made, stats.files);
        self.put = sink.put.into_inner().unwrap();
        self.relations = Some(Arc::clone(&compiled.site.relations));
        Ok(bytes_of(&self.files))
    }

    /// Tells the workspace that `rel` changed, then rebuilds.
    fn edited(&mut self, fixture: &Fixture, rel: &str) -> Outcome {
        self.workspace.refresh(&[fixture.root.join(rel)]);
        self.rebuild()
    }
}

fn bytes_of(files: &Files) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(path, (_, bytes))| (path.clone(), bytes.clone()))
        .collect()
}

/// A build from nothing.
fn fresh(options: &Options) -> Outcome {
    let mut workspace = Workspace::open(options.clone());
    let compiled = workspace.compile().map_err(|e| e.to_string())?;
    let sink = Memory::default();
    render::site(&compiled.site, &compiled.theme, &options.root, &sink)
        .map_err(|e| e.to_string())?;
    Ok(bytes_of(&sink.next.into_inner().unwrap()))
}

/// The bundled timeline, copied, with the clock fixed.
fn bundled() -> (Fixture, Options) {
    let fixture = Fixture::bundled();
    let options = Options {
        now: Some("2026-01-01T00:00:00Z".parse().unwrap()),
        ..fixture.options()
    };
    (fixture, options)
}

/// `text` with the first `from` replaced by `to`, which must be there.
fn replaced(fixture: &Fixture, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(fixture.root.join(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    fixture.write(rel, text.replacen(from, to, 1));
}

#[track_caller]
fn assert_same(live: Outcome, fresh: Outcome, what: &str) {
    match (live, fresh) {
        (Ok(live), Ok(fresh)) => {
            let paths = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(paths(&live), paths(&fresh), "{what}: other files");
            for (path, bytes) in &fresh {
                assert!(
                    live[path] == *bytes,
                    "{what}: {path} differs from a fresh build"
                );
            }
        }
        (Err(live), Err(fresh)) => assert_eq!(live, fresh, "{what}: other errors"),
        (live, fresh) => panic!(
            "{what}: the live rebuild {} but a fresh build {}",
            if live.is_ok() { "succeeded" } else { "failed" },
            if fresh.is_ok() { "succeeded" } else { "failed" },
        ),
    }
}

const MILANO: &str = "content/2017-10-15-milano-me-too-tweet.md";
const FIRED: &str = "content/2017-10-08-weinstein-company-fires-weinstein.md";
const REPORT: &str = "content/2017-10-05-new-york-times-weinstein-report.md";
const BURKE: &str = "content/2006-tarana-burke-me-too.md";

/// `build` into the output of the previous build keeps the files whose
/// fingerprint did not change; the result must equal a build into nothing.
#[track_caller]
fn assert_rebuild_is_fresh(options: &Options, out: &std::path::Path, what: &str) {
    let kept = dateline::build(options, out).map(|_| tree(out));
    let empty = tempfile::tempdir().unwrap();
    let new = empty.path().join("public");
    let fresh = dateline::build(options, &new).map(|_| tree(&new));
    match (kept, fresh) {
        (Ok(kept), Ok(fresh)) => assert_same_tree(&kept, &fresh),
        (Err(kept), Err(fresh)) => assert_eq!(kept.to_string(), fresh.to_string(), "{what}"),
        (kept, fresh) => panic!("{what}: {kept:?} but from nothing {fresh:?}"),
    }
}

#[test]
fn every_kind_of_edit_rebuilds_exactly_what_a_fresh_build_gives() {
    let (fixture, options) = bundled();
    let mut live = Live::open(options.clone());
    let out = fixture.temp().join("public");
    dateline::build(&options, &out).expect("the site builds");
    let step = |live: &mut Live, rel: &str, what: &str| {
        let outcome = live.edited(&fixture, rel);
        assert_same(outcome, fresh(&options), what);
        assert_rebuild_is_fresh(&options, &out, what);
    };

    fixture.append(MILANO, "A sentence added at the end of the body.");
    step(&mut live, MILANO, "words added");
    replaced(&fixture, FIRED, "The dismissal comes", "The firing comes");
    step(&mut live, FIRED, "words changed");
    replaced(&fixture, FIRED, "\n\nThe board", "\n\n\n\nThe board");
    step(&mut live, FIRED, "lines moved above a link");
    replaced(&fixture, FIRED, "title: \"The", "title: \"Then the");
    step(&mut live, FIRED, "title changed");
    replaced(
        &fixture,
        FIRED,
        "\"Hollywood\"]",
        "\"Hollywood\", \"Boards\"]",
    );
    step(&mut live, FIRED, "term added");
    fixture.append(
        FIRED,
        "See also [the tweet](2017-10-15-milano-me-too-tweet.md).",
    );
    step(&mut live, FIRED, "link added");
    replaced(&fixture, FIRED, "date: 2017-10-08", "date: 2017-10-09");
    step(&mut live, FIRED, "date changed");
    replaced(&fixture, MILANO, "---\n", "---\ndraft: true\n");
    step(&mut live, MILANO, "made a draft, which others link to");
    replaced(&fixture, MILANO, "draft: true\n", "published: 2030-01-01\n");
    step(&mut live, MILANO, "held back until later");
    replaced(&fixture, MILANO, "published: 2030-01-01\n", "");
    step(&mut live, MILANO, "published again");
    let report = std::fs::read_to_string(fixture.root.join(REPORT)).unwrap();
    std::fs::remove_file(fixture.root.join(REPORT)).unwrap();
    step(&mut live, REPORT, "a linked entry deleted");
    fixture.write(REPORT, &report);
    step(&mut live, REPORT, "and restored");
    fixture.write(
        "content/2017-10-17-new-entry.md",
        "---\ntitle: A new entry\ndate: 2017-10-17\ntags: [Hollywood]\n---\n\nIt follows [the firing](2017-10-08-weinstein-company-fires-weinstein.md).\n",
    );
    step(&mut live, "content/2017-10-17-new-entry.md", "a new entry");
    fixture.append(MILANO, "One more sentence.");
    step(&mut live, MILANO, "words added after all that");
}

#[test]
fn an_edit_of_words_keeps_the_links_and_renders_only_what_shows_the_words() {
    let (fixture, options) = bundled();
    let mut live = Live::open(options.clone());
    let before = live.relations.clone().unwrap();

    fixture.append(MILANO, "A sentence added at the end of the body.");
    let outcome = live.edited(&fixture, MILANO);
    assert_same(outcome, fresh(&options), "words added");
    let after = live.relations.clone().unwrap();
    assert!(
        Arc::ptr_eq(&before, &after),
        "a body edit re-linked the site"
    );
    let (made, files) = live.made;
    assert!(
        made <= 5,
        "rendered {made} of {files} files again after a body edit: {:?}",
        live.put
    );

    replaced(&fixture, MILANO, "title: \"", "title: \"Retitled: ");
    let outcome = live.edited(&fixture, MILANO);
    assert_same(outcome, fresh(&options), "title changed");
    let relinked = live.relations.clone().unwrap();
    assert!(
        !Arc::ptr_eq(&after, &relinked),
        "a new title can move the entry, so the site must be linked again"
    );
}

#[test]
fn a_new_citation_updates_every_page_of_its_publisher() {
    // Three citations per page: The New York Times, cited more often, gets several
    // pages. A citation in the oldest entry leaves the newest page's citations as
    // they were, but not its count of citations in all.
    let (fixture, options) = bundled();
    replaced(&fixture, "site.yaml", "paginate: 200", "paginate: 3");
    let mut live = Live::open(options.clone());
    let out = fixture.temp().join("public");
    dateline::build(&options, &out).expect("the site builds");
    replaced(
        &fixture,
        BURKE,
        "    publisher: \"The Wrap\"\n",
        "    publisher: \"The Wrap\"\n  - title: \"An older report\"\n    url: \"https://www.nytimes.com/older.html\"\n    publisher: \"The New York Times\"\n",
    );
    let outcome = live.edited(&fixture, BURKE);
    assert_same(outcome, fresh(&options), "a citation added");
    assert_rebuild_is_fresh(&options, &out, "a citation added");
}

#[test]
fn broken_files_and_their_fixes_rebuild_like_a_fresh_build() {
    let (fixture, options) = bundled();
    let mut live = Live::open(options.clone());
    let step = |live: &mut Live, rels: &[&str], what: &str| {
        let changed: Vec<_> = rels.iter().map(|r| fixture.root.join(r)).collect();
        live.workspace.refresh(&changed);
        assert_same(live.rebuild(), fresh(&options), what);
    };
    replaced(&fixture, REPORT, "title:", "title: [unclosed");
    step(&mut live, &[REPORT], "a linked entry broken");
    replaced(&fixture, FIRED, "The dismissal comes", "The firing comes");
    step(&mut live, &[FIRED], "words edited while it is broken");
    replaced(&fixture, REPORT, "title: [unclosed", "title:");
    step(&mut live, &[REPORT], "fixed");
    replaced(&fixture, FIRED, "The firing comes", "The sacking comes");
    step(&mut live, &[FIRED], "words edited after the fix");
    let broken = "content/2017-10-20-broken.md";
    fixture.write(broken, "---\ntitle: [\n---\n");
    step(&mut live, &[broken], "a new broken file");
    std::fs::remove_file(fixture.root.join(broken)).unwrap();
    step(&mut live, &[broken], "and deleted");
    replaced(&fixture, FIRED, "The sacking comes", "The end comes");
    replaced(&fixture, REPORT, "title:", "title: [unclosed");
    step(&mut live, &[FIRED, REPORT], "two files at once, one broken");
    replaced(&fixture, REPORT, "title: [unclosed", "title:");
    step(&mut live, &[REPORT], "fixed again");
    fixture.append(FIRED, "Words after all that.");
    step(&mut live, &[FIRED], "words at the end");
}
