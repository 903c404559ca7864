//! Generates a timeline of N entries, each with a 12-megapixel photo, for the
//! images benchmark: `cargo run --release --example photos -- N DIR`.
//!
//! Writes `DIR/dateline/` (a dateline site: `content/<date>-photo-<n>.md` beside
//! `photo-<n>.jpg`) and `DIR/hugo/content/photos/<n>/` (the same photos as Hugo
//! page bundles), so both tools process identical bytes. Each photo is 4000 ×
//! 3000, a gradient with shapes and noise, so it compresses like a photograph
//! (about 1–2 MB), and deterministic: the same N gives the same files.

use std::path::Path;

use image::{ImageBuffer, Rgb};

fn photo(n: u32) -> ImageBuffer<Rgb<u8>, Vec<u8>> {
    let (w, h) = (4000u32, 3000u32);
    let mut state = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    ImageBuffer::from_fn(w, h, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = (state % 24) as u32;
        let r = (x * 255 / w + n * 37 + noise) % 256;
        let g = (y * 255 / h + n * 11 + noise) % 256;
        let inside = (x / 500 + y / 500 + n).is_multiple_of(3);
        let b = if inside { 200 } else { (x + y) * 255 / (w + h) } + noise;
        Rgb([r as u8, g as u8, (b % 256) as u8])
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(dir)) = (args.get(1).and_then(|a| a.parse::<u32>().ok()), args.get(2))
    else {
        eprintln!("usage: photos N DIR");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    let site = dir.join("dateline");
    let content = site.join("content");
    std::fs::create_dir_all(&content).expect("create the content folder");
    std::fs::write(
        site.join("site.yaml"),
        "title: \"Photos\"\nbase_url: \"https://example.org/\"\n",
    )
    .expect("write site.yaml");
    for i in 0..n {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let name = format!("photo-{i}.jpg");
        let path = content.join(&name);
        photo(i).save(&path).expect("write the photo");
        let md = format!(
            "---\ntitle: \"Photo {i}\"\ndate: 2020-{month:02}-{day:02}\nimage: {{ src: {name}, alt: \"Photo {i}\" }}\n---\nA photographed event.\n"
        );
        std::fs::write(
            content.join(format!("2020-{month:02}-{day:02}-photo-{i}.md")),
            md,
        )
        .expect("write the entry");
        let bundle = dir.join("hugo/content/photos").join(i.to_string());
        std::fs::create_dir_all(&bundle).expect("create the bundle");
        std::fs::copy(&path, bundle.join("photo.jpg")).expect("copy the photo");
        std::fs::write(
            bundle.join("index.md"),
            format!("---\ntitle: \"Photo {i}\"\n---\nA photographed event.\n"),
        )
        .expect("write the bundle");
    }
}
