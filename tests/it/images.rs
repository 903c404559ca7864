//! Published images carry no metadata: photos given GPS positions, serial
//! numbers, XMP, IPTC, comments and an embedded thumbnail by exiftool are read
//! back from the output by exiftool, which finds only the orientation.

use serde_json::Value;

use crate::common::{fixtures, Fixture};

/// exiftool's JSON for `files`, every group and duplicate tag included.
fn exiftool(args: &[&str], files: &[std::path::PathBuf]) -> Vec<Value> {
    let out = std::process::Command::new("exiftool")
        .args(["-j", "-a", "-G1"])
        .args(args)
        .args(files)
        .output()
        .expect("exiftool runs (tests/it/setup.sh installs it)");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// A site whose entry shows a JPEG, a PNG and a WebP, each full of metadata.
fn photos() -> Fixture {
    let fixture = Fixture::copy("minimal");
    let content = fixture.root.join("content");
    for name in ["photo.jpg", "photo.png", "photo.webp"] {
        std::fs::copy(fixtures().join("images").join(name), content.join(name)).unwrap();
    }
    let tag = |args: &[&str], file: &str| {
        let status = std::process::Command::new("exiftool")
            .args(["-q", "-overwrite_original"])
            .args(args)
            .arg(content.join(file))
            .status()
            .expect("exiftool runs");
        assert!(status.success(), "exiftool {args:?} {file}");
    };
    let private = [
        "-GPSLatitude=51.5074",
        "-GPSLatitudeRef=N",
        "-GPSLongitude=0.1278",
        "-GPSLongitudeRef=W",
        "-SerialNumber=CAM-0042",
        "-BodySerialNumber=CAM-0042",
        "-Make=Acme",
        "-Model=Pocket 7",
        "-Artist=A source",
        "-XMP:Creator=A source",
        "-Orientation#=6",
    ];
    tag(&private, "photo.jpg");
    tag(
        &["-IPTC:By-line=A source", "-Comment=sent by a source"],
        "photo.jpg",
    );
    let thumbnail = format!(
        "-ThumbnailImage<={}",
        fixtures().join("images/photo.jpg").display()
    );
    tag(&[thumbnail.as_str()], "photo.jpg");
    tag(&private, "photo.webp");
    tag(
        &[&private[..10], &["-PNG:Comment=sent by a source"]].concat(),
        "photo.png",
    );
    fixture.write(
        "content/2017-10-20-photos.md",
        "---\ntitle: Photos\ndate: 2017-10-20\nimage: { src: photo.jpg, alt: \"The bridge\" }\n---\n![The river](photo.png) ![The road](photo.webp)\n",
    );
    fixture
}

/// Tags that say who, where or with what: none may be published.
const PRIVATE: &[&str] = &[
    "GPSLatitude",
    "GPSLongitude",
    "GPSPosition",
    "SerialNumber",
    "BodySerialNumber",
    "Make",
    "Model",
    "Artist",
    "Creator",
    "By-line",
    "Comment",
    "ThumbnailImage",
];

fn private_tags(info: &Value) -> Vec<String> {
    info.as_object()
        .unwrap()
        .keys()
        .filter(|k| PRIVATE.iter().any(|p| k.rsplit(':').next() == Some(*p)))
        .cloned()
        .collect()
}

#[test]
fn published_photos_carry_no_position_serial_number_or_author_but_keep_their_orientation() {
    let fixture = photos();
    let sources: Vec<_> = ["photo.jpg", "photo.png", "photo.webp"]
        .iter()
        .map(|n| fixture.root.join("content").join(n))
        .collect();
    // The inputs do carry it all, as exiftool reads them.
    for info in exiftool(&["-b"], &sources) {
        assert!(
            private_tags(&info).len() >= 5,
            "the fixture lacks metadata: {info:#}"
        );
    }
    let (out, _) = fixture.build_ok(&[]);
    let published: Vec<_> = ["photo.jpg", "photo.png", "photo.webp"]
        .iter()
        .map(|n| out.dir.join("entries/photos").join(n))
        .collect();
    for info in exiftool(&["-all", "-validate", "-warning", "-error"], &published) {
        let file = info["System:FileName"].as_str().unwrap().to_string();
        assert_eq!(
            private_tags(&info),
            Vec::<String>::new(),
            "{file} still carries them: {info:#}"
        );
        assert_eq!(info["ExifTool:Validate"], "OK", "{file}: {info:#}");
        assert!(info.get("ExifTool:Error").is_none(), "{file}: {info:#}");
        assert_eq!(
            info["Composite:ImageSize"], "64x48",
            "{file} is still the picture"
        );
        if file != "photo.png" {
            assert_eq!(
                info["IFD0:Orientation"], "Rotate 90 CW",
                "{file} is not published on its side"
            );
        }
    }
    // The page reserves the photo's space as it is displayed: turned a quarter.
    let page = out.read("entries/photos/index.html");
    assert!(
        page.contains(
            "<img src=\"/entries/photos/photo.jpg\" alt=\"The bridge\" width=\"48\" height=\"64\">"
        ),
        "{page}"
    );
    // Nothing private anywhere in the output, not only in these three files.
    for path in out.paths() {
        let bytes = std::fs::read(out.dir.join(&path)).unwrap();
        for needle in [&b"CAM-0042"[..], b"A source", b"Acme"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{path} holds {}",
                String::from_utf8_lossy(needle)
            );
        }
    }
}

#[test]
fn a_site_may_publish_images_as_they_are_and_a_damaged_one_is_named() {
    let fixture = photos();
    fixture.append("site.yaml", "keep_image_metadata: true");
    let (out, _) = fixture.build_ok(&[]);
    for name in ["photo.jpg", "photo.png", "photo.webp"] {
        assert_eq!(
            std::fs::read(out.dir.join("entries/photos").join(name)).unwrap(),
            std::fs::read(fixture.root.join("content").join(name)).unwrap(),
            "{name} as it is"
        );
    }
    let fixture = photos();
    fixture.write("content/photo.jpg", b"\xFF\xD8\xFF\xE0 not really a JPEG");
    let run = fixture.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/photo.jpg: error: cannot publish this image without its metadata: it is cut short"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("keep_image_metadata: true"),
        "{}",
        run.stderr
    );
}

/// exiftool's `ImageSize` of `file`.
fn size_of(file: &std::path::Path) -> String {
    exiftool(&["-ImageSize"], &[file.to_path_buf()])[0]["Composite:ImageSize"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_wide_photo_is_published_at_the_site_widths_upright_and_cached() {
    let fixture = Fixture::copy("minimal");
    let photo = fixture.root.join("content/wide.jpg");
    std::fs::copy(fixtures().join("images/wide.jpg"), &photo).unwrap();
    // Taken sideways: 2400 × 1600 stored, 1600 × 2400 shown.
    let status = std::process::Command::new("exiftool")
        .args([
            "-q",
            "-overwrite_original",
            "-Orientation#=6",
            "-GPSLatitude=51.5",
            "-GPSLatitudeRef=N",
        ])
        .arg(&photo)
        .status()
        .expect("exiftool runs");
    assert!(status.success());
    fixture.write(
        "content/2017-10-20-wide.md",
        "---\ntitle: Wide\ndate: 2017-10-20\nimage: { src: wide.jpg, alt: \"The square\" }\n---\nBody.\n",
    );
    fixture.append("site.yaml", "image_widths: [400, 800, 1200]");
    let started = std::time::Instant::now();
    let (out, _) = fixture.build_ok(&[]);
    let first = started.elapsed();
    let dir = out.dir.join("entries/wide");
    // Upright, never enlarged, the largest in place of the original.
    assert_eq!(size_of(&dir.join("wide.jpg")), "1200x1800");
    assert_eq!(size_of(&dir.join("wide.800w.jpg")), "800x1200");
    assert_eq!(size_of(&dir.join("wide.400w.jpg")), "400x600");
    for file in ["wide.jpg", "wide.800w.jpg", "wide.400w.jpg"] {
        let info = &exiftool(&["-all"], &[dir.join(file)])[0];
        assert!(
            private_tags(info).is_empty() && info.get("IFD0:Orientation").is_none(),
            "{file}: {info:#}"
        );
    }
    let page = out.read("entries/wide/index.html");
    assert!(
        page.contains("srcset=\"/entries/wide/wide.400w.jpg 400w, /entries/wide/wide.800w.jpg 800w, /entries/wide/wide.jpg 1200w\""),
        "{page}"
    );
    assert!(page.contains("width=\"1200\" height=\"1800\""), "{page}");
    for tag in [
        "<meta property=\"og:image:width\" content=\"1200\">",
        "<meta property=\"og:image:height\" content=\"1800\">",
        "<meta property=\"og:image:alt\" content=\"The square\">",
    ] {
        assert!(
            page.contains(tag),
            "social networks get the card's size and alt: {tag}"
        );
    }
    assert!(
        out.read("index.html")
            .contains("srcset=\"/entries/wide/wide.400w.jpg 400w,"),
        "the card offers them too"
    );
    // The copies are kept in the cache, and a build from an empty output
    // reuses them byte for byte.
    let cache = fixture.root.join(".dateline-cache/images");
    assert_eq!(
        std::fs::read_dir(&cache).unwrap().count(),
        3,
        "one per width"
    );
    let before = std::fs::read(dir.join("wide.800w.jpg")).unwrap();
    std::fs::remove_dir_all(&out.dir).unwrap();
    let started = std::time::Instant::now();
    let (out, _) = fixture.build_ok(&[]);
    let again = started.elapsed();
    assert_eq!(
        std::fs::read(out.dir.join("entries/wide/wide.800w.jpg")).unwrap(),
        before
    );
    // And without the cache the output is the same bytes.
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::remove_dir_all(&out.dir).unwrap();
    let (out, _) = fixture.build_ok(&[]);
    assert_eq!(
        std::fs::read(out.dir.join("entries/wide/wide.800w.jpg")).unwrap(),
        before
    );
    eprintln!("first build {first:?}, from the cache {again:?}");
}

#[test]
fn a_gif_is_published_as_it_is_with_its_size_and_no_copies() {
    let fixture = Fixture::copy("minimal");
    // A 600 × 400 GIF's header, then an empty image: copied, never decoded.
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&600u16.to_le_bytes());
    gif.extend_from_slice(&400u16.to_le_bytes());
    gif.extend_from_slice(&[0, 0, 0, 0x3B]);
    fixture.write("content/anim.gif", &gif);
    fixture.write(
        "content/2017-10-20-anim.md",
        "---\ntitle: Anim\ndate: 2017-10-20\nimage: { src: anim.gif, alt: \"A chart\" }\n---\nBody.\n",
    );
    let (out, _) = fixture.build_ok(&[]);
    let page = out.read("entries/anim/index.html");
    assert!(
        page.contains(
            "<img src=\"/entries/anim/anim.gif\" alt=\"A chart\" width=\"600\" height=\"400\">"
        ),
        "{page}"
    );
    assert!(
        !out.read("index.html").contains("anim.480w"),
        "no srcset of copies that are not made"
    );
    assert!(!out.has("entries/anim/anim.480w.gif"));
    assert_eq!(
        std::fs::read(out.dir.join("entries/anim/anim.gif")).unwrap(),
        gif
    );
}

#[test]
fn large_photos_do_not_count_against_the_bound_on_generated_output() {
    // The bound on pages and feeds (64 MB plus 50 times the entries' text) is
    // about what text can make; a photo published beside an entry is as large
    // as the photo it comes from, stripped or not.
    let fixture = Fixture::copy("minimal");
    let png = std::fs::read(fixtures().join("images/photo.png")).unwrap();
    let end = png.len() - 12; // IEND
    let mut big = png[..end].to_vec();
    let data = vec![0u8; 70 << 20];
    big.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    big.extend_from_slice(b"IDAT");
    big.extend_from_slice(&data);
    big.extend_from_slice(&[0, 0, 0, 0]);
    big.extend_from_slice(&png[end..]);
    fixture.write("content/big.png", &big);
    fixture.write(
        "content/2017-10-20-big.md",
        "---\ntitle: Big\ndate: 2017-10-20\nimage: { src: big.png, alt: \"A big one\" }\n---\nBody.\n",
    );
    let (out, _) = fixture.build_ok(&[]);
    assert_eq!(
        std::fs::metadata(out.dir.join("entries/big/big.png"))
            .unwrap()
            .len(),
        big.len() as u64
    );
}
