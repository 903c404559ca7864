//! Slug rules shared by entries, taxonomy terms and publishers: the pattern
//! `^[a-z0-9]+(-[a-z0-9]+)*$`, and the normalisation that turns any text into it.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Longest slug we accept, in bytes. It becomes a folder name, and file systems limit
/// names to 255 bytes; the rest is headroom for readable URLs.
pub(crate) const MAX_LEN: usize = 120;

/// Whether `text` already is a valid slug.
pub fn is_valid(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_LEN
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Lower case; accented Latin letters lose their accent; every run of other
/// characters becomes one `-`; leading and trailing `-` are trimmed; cut at a
/// `-` boundary to [`MAX_LEN`]. May return an empty string.
pub fn normalize(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        let c = match c {
            'ß' => 's',
            'æ' | 'Æ' => 'a',
            'ø' | 'Ø' => 'o',
            'đ' | 'Đ' => 'd',
            'ł' | 'Ł' => 'l',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if slug.len() > MAX_LEN {
        let cut = slug[..MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        slug.truncate(cut);
    }
    slug
}

/// The default slug for a content file stem: the stem without a leading
/// `YYYY-MM-DD-`, `YYYY-MM-` or `YYYY-` date, normalised.
pub(crate) fn from_stem(stem: &str) -> String {
    normalize(strip_date_prefix(stem))
}

fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let mut end = 0;
    if digits(0..4) {
        end = 4;
        if b.get(4) == Some(&b'-') && digits(5..7) {
            end = 7;
            if b.get(7) == Some(&b'-') && digits(8..10) {
                end = 10;
            }
        }
    }
    match b.get(end) {
        _ if end == 0 => stem,
        None => "",
        Some(b'-') => &stem[end + 1..],
        Some(_) => stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_the_pattern() {
        for good in ["a", "me-too", "2017", "a1-b2-c3"] {
            assert!(is_valid(good), "{good}");
        }
        for bad in [
            "", "-a", "a-", "a--b", "Me-too", "me_too", "é", "a/b", "../x",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
        assert!(!is_valid(&"a".repeat(MAX_LEN + 1)));
    }

    #[test]
    fn normalizes_any_text() {
        assert_eq!(normalize("#MeToo"), "metoo");
        assert_eq!(normalize("MeToo"), "metoo");
        assert_eq!(normalize("Alyssa Milano"), "alyssa-milano");
        assert_eq!(normalize("Évan  Råchel_Wood!"), "evan-rachel-wood");
        assert_eq!(normalize("Straße"), "strase");
        assert_eq!(normalize("../../etc/passwd"), "etc-passwd");
        assert_eq!(normalize("a\\b\0c"), "a-b-c");
        assert_eq!(normalize("..."), "");
        assert_eq!(normalize("東京"), "");
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        let slug = normalize(&"word ".repeat(100));
        assert!(slug.len() <= MAX_LEN && is_valid(&slug), "{slug}");
    }

    #[test]
    fn strips_date_prefixes_from_stems() {
        assert_eq!(from_stem("2017-10-15-milano-tweet"), "milano-tweet");
        assert_eq!(from_stem("2017-10-milano-essay"), "milano-essay");
        assert_eq!(from_stem("2006-tarana-burke"), "tarana-burke");
        assert_eq!(from_stem("2017-10-05"), "");
        assert_eq!(from_stem("2017"), "");
        assert_eq!(from_stem("20170-x"), "20170-x");
        assert_eq!(from_stem("Weinstein Fired"), "weinstein-fired");
    }
}
