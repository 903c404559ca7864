//! Published JPEG, PNG and WebP files without what the camera or phone wrote
//! into them: EXIF (GPS position, device serial numbers, the embedded
//! thumbnail), XMP, IPTC, comments, and any second image a phone appends after
//! the first (MPF depth maps and previews carry their own metadata). For a
//! newsroom this protects sources, so it is the default.
//!
//! Pixels are not touched: the image data is copied byte for byte. The one
//! EXIF value kept is the orientation, rewritten alone, so a portrait photo is
//! not published on its side. Colour profiles (ICC) are kept, since they change
//! how the picture looks and say nothing about who took it.

/// The image formats whose metadata is stripped, by file name.
pub(crate) fn strippable(path: &std::path::Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(extension.as_deref(), Some("jpg" | "jpeg" | "png" | "webp"))
}

/// `bytes` of the image file named `path` without its metadata, or why it
/// cannot be read as what its name says. Each format is walked here, segment by
/// segment, rather than with img-parts: it keeps whatever follows a JPEG's first
/// scan and writes WebP EXIF in a form readers do not find.
pub(crate) fn strip(path: &std::path::Path, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("jpg" | "jpeg") => jpeg(&bytes),
        Some("png") => png(&bytes),
        Some("webp") => webp(&bytes),
        _ => Ok(bytes),
    }
}

/// How much of a file is read to learn its size and orientation: both are
/// in the header, and EXIF may not exceed one JPEG segment (64 KiB).
const HEADER_BYTES: u64 = 256 << 10;

/// The size `path` is displayed at, width by height in pixels: its stored
/// size, turned when its EXIF orientation turns it a quarter. `None` for a
/// file that is not a readable image.
pub(crate) fn display_size(path: &std::path::Path) -> Option<(u32, u32)> {
    use std::io::Read as _;
    let mut header = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(HEADER_BYTES)
        .read_to_end(&mut header)
        .ok()?;
    let size = imagesize::blob_size(&header).ok()?;
    let (w, h) = (
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    );
    let turned = if header.starts_with(&[0xFF, 0xD8]) {
        jpeg_orientation(&header)
    } else {
        webp_orientation(&header)
    };
    Some(if matches!(turned, Some(5..=8)) {
        (h, w)
    } else {
        (w, h)
    })
}

/// The EXIF orientation in a JPEG's header segments.
fn jpeg_orientation(bytes: &[u8]) -> Option<u16> {
    let mut i = 2;
    while let (Some(0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) {
        let length = usize::from(u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]));
        let contents = bytes.get(i + 4..i + 2 + length)?;
        match marker {
            0xE1 => {
                if let Some(found) = contents.strip_prefix(EXIF_PREFIX).and_then(orientation) {
                    return Some(found);
                }
            }
            0xDA => return None,
            _ => {}
        }
        i += 2 + length;
    }
    None
}

/// The EXIF orientation in a WebP's `EXIF` chunk.
fn webp_orientation(bytes: &[u8]) -> Option<u16> {
    let mut rest = bytes.get(12..).filter(|_| bytes.starts_with(b"RIFF"))?;
    while let Some(head) = rest.get(..8) {
        let length = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let data = rest.get(8..8 + length)?;
        if &head[..4] == b"EXIF" {
            return orientation(data.strip_prefix(EXIF_PREFIX).unwrap_or(data));
        }
        rest = rest.get(8 + length + (length & 1)..)?;
    }
    None
}

/// The orientation an EXIF block (TIFF data, without the `Exif\0\0` prefix)
/// gives, when it gives one other than "upright".
fn orientation(tiff: &[u8]) -> Option<u16> {
    let exif = exif::Reader::new().read_raw(tiff.to_vec()).ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = u16::try_from(field.value.get_uint(0)?).ok()?;
    (2..=8).contains(&value).then_some(value)
}

/// TIFF data holding `Orientation` and the four tags the EXIF standard
/// requires beside it in IFD0 (resolution 72 dpi, centred chroma), so strict
/// readers find nothing missing.
fn orientation_only(value: u16) -> Vec<u8> {
    const ENTRIES: u16 = 5;
    // Header, entry count, entries, next-IFD offset; then the two rationals.
    let rationals = 8 + 2 + 12 * u32::from(ENTRIES) + 4;
    let mut t = Vec::with_capacity(rationals as usize + 16);
    t.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // big-endian, IFD0 at 8
    t.extend_from_slice(&ENTRIES.to_be_bytes());
    let mut entry = |tag: u16, kind: u16, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_be_bytes());
        t.extend_from_slice(&kind.to_be_bytes());
        t.extend_from_slice(&1u32.to_be_bytes());
        t.extend_from_slice(&value);
    };
    let short = |v: u16| {
        let [a, b] = v.to_be_bytes();
        [a, b, 0, 0]
    };
    const SHORT: u16 = 3;
    const RATIONAL: u16 = 5;
    entry(0x0112, SHORT, short(value)); // Orientation
    entry(0x011A, RATIONAL, rationals.to_be_bytes()); // XResolution
    entry(0x011B, RATIONAL, (rationals + 8).to_be_bytes()); // YResolution
    entry(0x0128, SHORT, short(2)); // ResolutionUnit: inches
    entry(0x0213, SHORT, short(1)); // YCbCrPositioning: centred
    t.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    for _ in 0..2 {
        t.extend_from_slice(&72u32.to_be_bytes());
        t.extend_from_slice(&1u32.to_be_bytes());
    }
    t
}

const EXIF_PREFIX: &[u8] = b"Exif\0\0";
const ICC_PREFIX: &[u8] = b"ICC_PROFILE\0";

/// A JPEG walked marker by marker: kept are the frame, tables, scans, JFIF
/// (APP0), ICC profiles (APP2) and Adobe's colour transform (APP14); dropped are
/// every other application segment and comments, in the header and between
/// scans, and everything after the image's end. img-parts keeps whatever
/// follows the first scan, a phone's appended images included, so this is
/// done here.
fn jpeg(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err("it does not start like a JPEG file".into());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut turned = None;
    let mut i = 2;
    let mut in_scan = false;
    while i < bytes.len() {
        if in_scan {
            // Entropy-coded data: copied up to the next marker that is not a
            // stuffed byte or a restart.
            let start = i;
            let marker_at =
                |i: usize| bytes[i] == 0xFF && !matches!(bytes[i + 1], 0x00 | 0xD0..=0xD7 | 0xFF);
            while i + 1 < bytes.len() && !marker_at(i) {
                i += 1;
            }
            if i + 1 >= bytes.len() {
                return Err("it is cut short: the image data has no end".into());
            }
            out.extend_from_slice(&bytes[start..i]);
            in_scan = false;
            continue;
        }
        if bytes[i] != 0xFF {
            return Err(format!("it is damaged at byte {i}"));
        }
        let marker = *bytes.get(i + 1).ok_or("it is cut short")?;
        match marker {
            0xFF => {
                i += 1;
                continue;
            }
            0xD9 => {
                if let Some(value) = turned {
                    let mut segment = EXIF_PREFIX.to_vec();
                    segment.extend_from_slice(&orientation_only(value));
                    insert_after_app0(&mut out, &segment);
                }
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&bytes[i..i + 2]);
                i += 2;
                continue;
            }
            _ => {}
        }
        let length = bytes
            .get(i + 2..i + 4)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
            .ok_or("it is cut short")?;
        let end = i + 2 + length;
        if length < 2 || end > bytes.len() {
            return Err("it is cut short inside a segment".into());
        }
        let contents = &bytes[i + 4..end];
        let keep = match marker {
            0xE0 | 0xEE => true,
            0xE2 => contents.starts_with(ICC_PREFIX),
            0xE1 => {
                if let Some(tiff) = contents.strip_prefix(EXIF_PREFIX) {
                    turned = turned.or_else(|| orientation(tiff));
                }
                false
            }
            0xE3..=0xED | 0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(&bytes[i..end]);
        }
        in_scan = marker == 0xDA;
        i = end;
    }
    Err("it is cut short: there is no end-of-image marker".into())
}

/// Puts an APP1 segment with `contents` right after SOI and any APP0 in `out`,
/// where EXIF belongs.
fn insert_after_app0(out: &mut Vec<u8>, contents: &[u8]) {
    let mut at = 2;
    if out.get(2..4) == Some(&[0xFF, 0xE0]) {
        if let Some(l) = out.get(4..6) {
            at = 4 + usize::from(u16::from_be_bytes([l[0], l[1]]));
        }
    }
    let length = u16::try_from(contents.len() + 2).unwrap_or(u16::MAX);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&length.to_be_bytes());
    segment.extend_from_slice(contents);
    out.splice(at..at, segment);
}

/// Chunks a PNG may keep: the image, its palette and transparency, and how
/// its colours and pixel size are to be read. Text, time, EXIF and every chunk
/// an application invents are dropped, and so is anything after `IEND`.
const PNG_KEPT: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"pHYs", b"bKGD", b"acTL", b"fcTL", b"fdAT", b"cICP",
];

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// A PNG chunk by chunk, each kept one copied with its checksum.
fn png(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut rest = bytes
        .strip_prefix(PNG_SIGNATURE)
        .ok_or("it does not start like a PNG file")?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    loop {
        let (length, kind) = match rest.get(..8) {
            Some(head) => (
                u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize,
                [head[4], head[5], head[6], head[7]],
            ),
            None => return Err("it is cut short: there is no IEND chunk".into()),
        };
        let whole = length
            .checked_add(12)
            .filter(|&n| n <= rest.len())
            .ok_or("it is cut short inside a chunk")?;
        if PNG_KEPT.iter().any(|k| **k == kind) {
            out.extend_from_slice(&rest[..whole]);
        }
        if &kind == b"IEND" {
            return Ok(out);
        }
        rest = &rest[whole..];
    }
}

/// VP8X flag bits that say EXIF and XMP chunks follow.
const WEBP_EXIF_FLAG: u8 = 0x08;
const WEBP_XMP_FLAG: u8 = 0x04;

/// A WebP (RIFF) chunk by chunk: `EXIF` and `XMP ` dropped, their flags in
/// `VP8X` cleared, and an `EXIF` chunk with the orientation alone put back
/// when the photo was turned. (img-parts writes WebP EXIF with a JPEG-style
/// prefix readers do not expect, and leaves the flags as they were.)
fn webp(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let body = match bytes.get(..12) {
        Some(head) if &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" => &bytes[12..],
        _ => return Err("it does not start like a WebP file".into()),
    };
    let mut chunks: Vec<([u8; 4], &[u8])> = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let head = rest.get(..8).ok_or("it is cut short inside a chunk")?;
        let kind = [head[0], head[1], head[2], head[3]];
        let length = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let data = rest
            .get(8..8 + length)
            .ok_or("it is cut short inside a chunk")?;
        chunks.push((kind, data));
        let padded = 8 + length + (length & 1);
        rest = rest.get(padded..).unwrap_or_default();
    }
    let turned = chunks
        .iter()
        .find(|(k, _)| k == b"EXIF")
        .and_then(|(_, d)| orientation(d.strip_prefix(EXIF_PREFIX).unwrap_or(d)));
    let extended = chunks.iter().any(|(k, _)| k == b"VP8X");
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut put = |kind: &[u8; 4], data: &[u8]| {
        out.extend_from_slice(kind);
        out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(0);
        }
    };
    for (kind, data) in &chunks {
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" if !data.is_empty() => {
                let mut header = data.to_vec();
                header[0] &= !(WEBP_EXIF_FLAG | WEBP_XMP_FLAG);
                if turned.is_some() {
                    header[0] |= WEBP_EXIF_FLAG;
                }
                put(kind, &header);
            }
            _ => put(kind, data),
        }
    }
    if let (Some(value), true) = (turned, extended) {
        put(b"EXIF", &orientation_only(value));
    }
    let size = u32::try_from(out.len() - 8).map_err(|_| "it is too large")?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = include_bytes!("../../tests/fixtures/images/photo.jpg");
    const PNG: &[u8] = include_bytes!("../../tests/fixtures/images/photo.png");
    const WEBP: &[u8] = include_bytes!("../../tests/fixtures/images/photo.webp");

    /// A JPEG segment with `marker` and `contents`.
    fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(contents.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(contents);
        s
    }

    #[test]
    fn a_jpeg_keeps_its_pixels_and_orientation_and_loses_the_rest() {
        let mut exif = EXIF_PREFIX.to_vec();
        exif.extend_from_slice(&orientation_only(6));
        let mut input = JPEG[..2].to_vec();
        input.extend(segment(0xE1, &exif));
        input.extend(segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>creator</x:xmpmeta>",
        ));
        input.extend(segment(0xED, b"Photoshop 3.0\0IPTC by-line"));
        input.extend(segment(0xFE, b"a comment naming the source"));
        input.extend_from_slice(&JPEG[2..]);
        // A phone's second image after the first one's end.
        input.extend_from_slice(JPEG);
        let out = jpeg(&input).expect("a JPEG");
        let text = String::from_utf8_lossy(&out);
        for gone in ["xmpmeta", "IPTC", "comment naming"] {
            assert!(!text.contains(gone), "{gone} is still there");
        }
        assert!(out.ends_with(&[0xFF, 0xD9]));
        assert_eq!(
            out.len(),
            JPEG.len() + 4 + EXIF_PREFIX.len() + orientation_only(6).len(),
            "the image once, with the orientation alone"
        );
        let tiff_at = out
            .windows(6)
            .position(|w| w == EXIF_PREFIX)
            .expect("an EXIF block")
            + 6;
        assert_eq!(orientation(&out[tiff_at..]), Some(6));
        // The scan data is the original's, byte for byte.
        let scan = |b: &[u8]| {
            b.windows(2)
                .position(|w| w == [0xFF, 0xDA])
                .map(|i| b[i..].to_vec())
        };
        assert_eq!(scan(&out), scan(JPEG));
    }

    #[test]
    fn an_upright_image_gets_no_exif_at_all() {
        let out = jpeg(JPEG).expect("a JPEG");
        assert!(!out.windows(6).any(|w| w == EXIF_PREFIX));
        assert_eq!(png(PNG).expect("a PNG"), PNG, "nothing to strip");
        let stripped = webp(WEBP).expect("a WebP");
        assert!(!stripped.windows(4).any(|w| w == b"EXIF"));
    }

    #[test]
    fn png_text_and_exif_chunks_are_dropped() {
        let chunk = |kind: &[u8; 4], data: &[u8]| {
            let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut input = PNG[..33].to_vec(); // signature and IHDR
        input.extend(chunk(b"tEXt", b"Author\0a source"));
        input.extend(chunk(b"eXIf", &orientation_only(6)));
        input.extend(chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>"));
        input.extend_from_slice(&PNG[33..]);
        input.extend_from_slice(b"trailing bytes");
        assert_eq!(png(&input).expect("a PNG"), PNG);
    }

    #[test]
    fn every_cut_short_or_damaged_file_is_an_error_never_a_panic() {
        for (name, whole) in [
            ("photo.jpg", JPEG),
            ("photo.png", PNG),
            ("photo.webp", WEBP),
        ] {
            let path = std::path::Path::new(name);
            for end in 0..whole.len() {
                let cut = whole[..end].to_vec();
                let _ = strip(path, cut);
            }
            let mut flipped = whole.to_vec();
            for i in (0..flipped.len()).step_by(7) {
                flipped[i] ^= 0xA5;
                let _ = strip(path, flipped.clone());
            }
            assert!(strip(path, b"not an image".to_vec()).is_err(), "{name}");
            assert!(
                strip(path, whole[..whole.len() / 2].to_vec()).is_err(),
                "{name} cut in half"
            );
        }
    }
}
