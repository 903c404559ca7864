//! Files published beside entries by allow-list: only types no browser runs
//! script from (images, audio, video, PDFs, plain text and data). Every other
//! file an entry links is refused at the line that links it, however its name
//! is spelled, unless the site sets `allow_raw_html: true`.

use crate::support::Site;

const NAMES: &[&str] = &[
    "f.shtml",
    "x.xhtm",
    "m.mml",
    "feed.rss",
    "feed.atom",
    "d.rdf",
    "p.php",
    "p.phtml",
    "a.asp",
    "g.html.",
    "G.HTML",
    "x.html.jpg",
];

#[test]
fn every_type_that_could_run_script_is_refused_at_its_line() {
    for name in NAMES {
        let site = Site::new();
        site.write(&format!("content/{name}"), "<script>alert(1)</script>");
        site.write(
            "content/2017-10-05-x.md",
            format!("---\ntitle: X\ndate: 2017-10-05\n---\n\nSee [the file]({name}).\n"),
        );
        let run = site.build(&[]);
        assert_eq!(run.code, 1, "{name} was published: {}", run.stderr);
        assert!(
            run.stderr.contains("content/2017-10-05-x.md:6:")
                && run.stderr.contains("so it is not published"),
            "{name}: {}",
            run.stderr
        );
    }
}

#[test]
fn images_documents_and_data_are_published_and_a_trusting_site_publishes_anything() {
    let site = Site::new();
    for name in ["clip.mp4", "report.pdf", "data.csv"] {
        site.write(&format!("content/{name}"), "bytes");
    }
    // A real JPEG: published photos are read to strip their metadata.
    site.write(
        "content/photo.JPG",
        include_bytes!("../fixtures/images/photo.jpg"),
    );
    site.write(
        "content/2017-10-05-x.md",
        "---\ntitle: X\ndate: 2017-10-05\n---\n\n[a](photo.JPG) [b](clip.mp4) [c](report.pdf) [d](data.csv)\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.out.join("entries/x/report.pdf").is_file());
    let trusting =
        Site::with_config("title: T\nbase_url: https://example.org/\nallow_raw_html: true\n");
    trusting.write("content/page.shtml", "<p>trusted</p>");
    trusting.write(
        "content/2017-10-05-x.md",
        "---\ntitle: X\ndate: 2017-10-05\n---\n\n[a](page.shtml)\n",
    );
    let run = trusting.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
