//! Smaller copies of each photo, so a reader on a phone does not download a
//! camera's 6,000 pixels: every JPEG, PNG and WebP beside an entry is published
//! at the site's `image_widths` below its own width (never larger), the largest
//! in place of the original when the photo is wider. Pages offer them in
//! `srcset`. Re-encoding drops all metadata; the EXIF orientation is applied to
//! the pixels first, so nothing is published on its side.
//!
//! Encoding is the slow part, so each copy is kept in `.dateline-cache/images/`
//! under a hash of the source's bytes and the settings: a rebuild, or `serve`
//! after an edit elsewhere, encodes nothing again, and deleting the folder only
//! costs time.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::render::emit::Contents;
use crate::render::images;
use crate::render::inputs::{Copied, Shared};

/// The most pixels a photo may have to be resized: a larger one (or a small
/// file that claims to be one, a decompression bomb) is an error naming it.
pub(crate) const MAX_PIXELS: u64 = 100_000_000;

/// JPEG quality of the copies: visually lossless for news photos at a third
/// of a camera's size.
const JPEG_QUALITY: u8 = 82;

/// Changes whenever the encoding does, so old cache entries are not reused.
const ENCODING: &str = "catmull-rom/jpeg-82/v1";

/// What is published of a photo displayed at `display` (width, height).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sizes {
    /// The width the main file is resized to; `None` when it is published at
    /// its own size.
    pub main: Option<u32>,
    /// The main file's size as published.
    pub main_size: (u32, u32),
    /// The smaller copies' widths.
    pub smaller: Vec<u32>,
}

/// The sizes of a photo displayed at `display`, for the site's `widths`
/// (sorted): never upscaled.
pub(crate) fn sizes(display: (u32, u32), widths: &[u32]) -> Sizes {
    let (w, h) = display;
    let main = widths.last().copied().filter(|&max| w > max);
    let main_size = main.map_or(display, |m| (m, scaled(h, m, w)));
    let smaller = widths
        .iter()
        .copied()
        .filter(|&x| x < main_size.0)
        .collect();
    Sizes {
        main,
        main_size,
        smaller,
    }
}

/// `h` scaled by `to / from`, rounded, at least 1.
fn scaled(h: u32, to: u32, from: u32) -> u32 {
    let v = (u64::from(h) * u64::from(to) + u64::from(from) / 2) / u64::from(from.max(1));
    u32::try_from(v).unwrap_or(u32::MAX).max(1)
}

/// The file name of the copy of `name` at `width`: `photo.jpg` → `photo.480w.jpg`.
pub(crate) fn name(name: &str, width: u32) -> String {
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{width}w.{extension}"),
        None => format!("{name}.{width}w"),
    }
}

/// The `srcset` of a photo named `name` beside entry `slug`, displayed at
/// `display`, and the size of its main file; `None` when there is nothing
/// smaller to offer.
pub(crate) fn srcset(
    shared: &Shared<'_>,
    slug: &str,
    name: &str,
    display: (u32, u32),
) -> (Option<String>, (u32, u32)) {
    let s = sizes(display, &shared.config.image_widths);
    if s.smaller.is_empty() {
        return (None, s.main_size);
    }
    let urls = &shared.urls;
    let mut set: Vec<String> = s
        .smaller
        .iter()
        .map(|&w| format!("{} {w}w", urls.entry_file(slug, &self::name(name, w))))
        .collect();
    set.push(format!(
        "{} {}w",
        urls.entry_file(slug, name),
        s.main_size.0
    ));
    (Some(set.join(", ")), s.main_size)
}

/// A photo beside an entry, as one published file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Published {
    /// The file as it is, or without its metadata (see [`images`]).
    Copied(Copied),
    /// A copy of the file `width` pixels wide.
    Resized {
        /// The photo.
        source: Copied,
        /// The width to publish it at.
        width: u32,
    },
}

/// The files published for the asset at `source`: (output name, file).
pub(crate) fn published(
    shared: &Shared<'_>,
    source: &Path,
    name: &str,
) -> Vec<(String, Published)> {
    let copied = Copied::disk(source);
    let display = images::strippable(source)
        .then(|| images::display_size(source))
        .flatten();
    let Some(display) = display else {
        return vec![(name.to_string(), Published::Copied(copied))];
    };
    let s = sizes(display, &shared.config.image_widths);
    let main = match s.main {
        Some(width) => Published::Resized {
            source: copied.clone(),
            width,
        },
        None => Published::Copied(copied.clone()),
    };
    std::iter::once((name.to_string(), main))
        .chain(s.smaller.iter().map(|&width| {
            let file = Published::Resized {
                source: copied.clone(),
                width,
            };
            (self::name(name, width), file)
        }))
        .collect()
}

impl Published {
    /// The maker of a published photo file.
    pub(crate) fn make(&self, shared: &Shared<'_>) -> Result<Contents, Error> {
        match self {
            Published::Copied(copied) => copied.make(shared),
            Published::Resized { source, width } => {
                let Copied::Disk { path, .. } = source else {
                    return source.make(shared);
                };
                resized(shared, path, *width)
            }
        }
    }
}

/// The copy of the photo at `path`, `width` pixels wide: from the cache, or
/// encoded now and kept there.
fn resized(shared: &Shared<'_>, path: &Path, width: u32) -> Result<Contents, Error> {
    let shown = shared.relative(path);
    let bytes = std::fs::read(path).map_err(Error::io("read", path))?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let key = crate::hash::fingerprint(&(&bytes, width, ENCODING));
    let cached = cache_dir(shared).join(format!("{key:016x}.{extension}"));
    if cached.is_file() {
        return Ok(Contents::Copy(cached));
    }
    let refuse = |why: String| {
        let d = Diagnostic::error(&shown, format!("cannot make the {width}-pixel copy of this photo: {why}"))
            .help("export it again from a photo editor, or publish it elsewhere and link its https address");
        Error::Invalid(vec![d])
    };
    let encoded = encode(&bytes, &extension, width).map_err(refuse)?;
    keep(&cached, &encoded);
    Ok(Contents::Bytes(encoded))
}

fn cache_dir(shared: &Shared<'_>) -> PathBuf {
    shared.root().join(".dateline-cache").join("images")
}

/// Writes `bytes` to `path` through a temporary file, so two threads making
/// the same copy, or a run stopped half-way, never leave half a file. A cache
/// that cannot be written costs the next build time only.
fn keep(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    let temporary = dir.join(format!(
        ".{}.{:?}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("copy"),
        std::thread::current().id()
    ));
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&temporary, bytes))
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

/// The photo in `bytes`, turned upright and resized to `width`, encoded as
/// its `extension` says (WebP losslessly: the `image` crate has no lossy WebP
/// encoder).
fn encode(bytes: &[u8], extension: &str, width: u32) -> Result<Vec<u8>, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    let side = u32::try_from(MAX_PIXELS).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "it has {} megapixels, more than the {} dateline resizes",
            u64::from(w) * u64::from(h) / 1_000_000,
            MAX_PIXELS / 1_000_000
        ));
    }
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    picture.apply_orientation(orientation);
    let height = scaled(picture.height(), width, picture.width());
    let small = picture.resize_exact(width, height, image::imageops::FilterType::CatmullRom);
    let mut out = Cursor::new(Vec::new());
    match extension {
        "jpg" | "jpeg" => {
            let encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            small.to_rgb8().write_with_encoder(encoder)
        }
        "webp" => small.write_to(&mut out, image::ImageFormat::WebP),
        _ => small.write_to(&mut out, image::ImageFormat::Png),
    }
    .map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_offered_at_the_widths_below_their_own_and_never_enlarged() {
        let widths = [480, 960, 1600];
        assert_eq!(
            sizes((4000, 3000), &widths),
            Sizes {
                main: Some(1600),
                main_size: (1600, 1200),
                smaller: vec![480, 960]
            }
        );
        assert_eq!(
            sizes((1000, 500), &widths),
            Sizes {
                main: None,
                main_size: (1000, 500),
                smaller: vec![480, 960]
            }
        );
        assert_eq!(sizes((300, 200), &widths).smaller, Vec::<u32>::new());
        assert_eq!(name("photo.jpg", 480), "photo.480w.jpg");
        assert_eq!(name("a.b.png", 960), "a.b.960w.png");
    }

    #[test]
    fn a_bad_photo_is_an_error_never_a_panic() {
        assert!(encode(b"not a photo", "jpg", 480).is_err());
        let jpeg = include_bytes!("../../tests/fixtures/images/photo.jpg");
        for end in (0..jpeg.len()).step_by(37) {
            let _ = encode(&jpeg[..end], "jpg", 32);
        }
        let small = encode(jpeg, "jpg", 32).expect("a photo");
        let size = imagesize::blob_size(&small).expect("a JPEG");
        assert_eq!((size.width, size.height), (32, 24));
    }
}
