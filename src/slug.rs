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

/// Lower case; accented Latin letters lose their accent; letters of other
/// scripts are written in Latin letters (Київ → `kiyiv`, Αθήνα → `athena`,
/// 台北 → `tai-bei`, fullwidth Ｍｅｔｏｏ → `metoo`), so URLs stay ASCII on every
/// host; every run of other characters becomes one `-`; leading and trailing
/// `-` are trimmed; cut at a `-` boundary to [`MAX_LEN`]. Empty only for text
/// with no letters or digits in any script.
pub fn normalize(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |c: char, slug: &mut String| {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    };
    for c in text.chars() {
        match c {
            'ß' => push('s', &mut slug),
            'æ' | 'Æ' => push('a', &mut slug),
            'ø' | 'Ø' => push('o', &mut slug),
            'đ' | 'Đ' => push('d', &mut slug),
            'ł' | 'Ł' => push('l', &mut slug),
            c if c.is_ascii() => push(c, &mut slug),
            // An accent written apart from its letter.
            c if is_combining_mark(c) => {}
            // Latin letters lose their accents; what is left of them, if not
            // ASCII, separates words, as it always has.
            '\u{80}'..='\u{24f}' => {
                for d in std::iter::once(c).nfd().filter(|d| !is_combining_mark(*d)) {
                    push(d, &mut slug);
                }
            }
            // Only letters and digits of other scripts: a symbol's name (`🔥`
            // is "fire") is not what the text says.
            c if c.is_alphanumeric() => {
                for t in deunicode::deunicode_char(c).unwrap_or("").chars() {
                    push(t, &mut slug);
                }
            }
            _ => push(' ', &mut slug),
        }
    }
    if slug.len() > MAX_LEN {
        let cut = slug[..MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        slug.truncate(cut);
    }
    slug
}

/// What of a term carries its meaning, to tell spellings of one term (`#MeToo`,
/// `MeToo`, `metoo`) from different terms that share a slug (`C++`, `C#`,
/// `c`): its letters and digits without case or accents, and the symbols among
/// them; a leading `#`, spaces, `-`, `_`, `.`, slashes and apostrophes do not count.
pub(crate) fn meaning(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for c in term
        .trim_start_matches('#')
        .nfd()
        .filter(|c| !is_combining_mark(*c))
    {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !(c.is_whitespace() || matches!(c, '-' | '_' | '.' | '/' | '\\' | '\'' | '’')) {
            out.push(c);
        }
    }
    out
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
        assert_eq!(normalize("🔥 ✓"), "");
    }

    #[test]
    fn every_script_gets_a_slug_in_latin_letters() {
        assert_eq!(normalize("Київ"), "kiyiv");
        assert_eq!(normalize("Αθήνα"), "athena");
        assert_eq!(normalize("台北"), "tai-bei");
        assert_eq!(normalize("東京"), "dong-jing");
        assert_eq!(normalize("Ｍｅｔｏｏ"), "metoo");
        assert_eq!(normalize("Москва 2017"), "moskva-2017");
        assert_eq!(
            normalize("e\u{301}te\u{301}"),
            "ete",
            "accents written apart go too"
        );
    }

    #[test]
    fn meaning_keeps_what_tells_terms_apart() {
        assert_eq!(meaning("#MeToo"), meaning("metoo"));
        assert_eq!(meaning("New York"), meaning("new-york"));
        assert_eq!(meaning("Évan"), meaning("evan"));
        assert_ne!(meaning("C++"), meaning("c"));
        assert_ne!(meaning("C#"), meaning("c"));
        assert_ne!(meaning("C++"), meaning("C#"));
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
