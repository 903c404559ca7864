//! Limits on what an entry and `site.yaml` may hold. A value a page shows is
//! repeated wherever it is shown (a title on every list its entry is on, a term
//! on every card that carries it, the site's description on every page), so a
//! long value would make a huge site of a small input. Each limit is an error at
//! the value's line that names the limit; nothing is ever cut silently. The
//! README lists them.

/// Longest entry title, in characters.
pub(crate) const TITLE: usize = 300;
/// Longest `summary`, in characters.
pub(crate) const SUMMARY: usize = 1000;
/// Longest taxonomy term, in characters.
pub(crate) const TERM: usize = 100;
/// Longest source title, in characters.
pub(crate) const SOURCE_TITLE: usize = 500;
/// Longest publisher name, in characters.
pub(crate) const PUBLISHER: usize = 200;
/// Longest address (a source, an archived copy, an image elsewhere), in characters.
pub(crate) const URL: usize = 2000;
/// Longest image text alternative, in characters.
pub(crate) const ALT: usize = 500;
/// Longest image caption, in characters.
pub(crate) const CAPTION: usize = 1000;
/// Longest image credit, in characters.
pub(crate) const CREDIT: usize = 200;
/// Longest correction, in characters.
pub(crate) const CORRECTION: usize = 1000;
/// Longest quoted social post, in characters: a long thread is several posts.
pub(crate) const POST_TEXT: usize = 5000;
/// Longest post author, handle or platform, in characters.
pub(crate) const POST_AUTHOR: usize = 200;

/// Most sources one entry may cite.
pub(crate) const SOURCES: usize = 100;
/// Most corrections one entry may carry.
pub(crate) const CORRECTIONS: usize = 100;
/// Most social posts one entry may quote.
pub(crate) const POSTS: usize = 50;
/// Most entries one entry may name under `related`.
pub(crate) const RELATED: usize = 100;

/// Longest site title, in characters.
pub(crate) const SITE_TITLE: usize = 200;
/// Longest site description, in characters: it is on every page.
pub(crate) const DESCRIPTION: usize = 1000;
/// Longest era title, in characters.
pub(crate) const ERA_TITLE: usize = 200;
/// Most eras a site may have.
pub(crate) const ERAS: usize = 100;

/// Largest entry file, in bytes.
pub(crate) const ENTRY_FILE: u64 = 8 << 20;

/// The generated files of a site (pages, feeds, exports; copied files aside)
/// may be this many times the size of its entry files…
pub(crate) const OUTPUT_PER_INPUT: u64 = 50;
/// … and this much more, for the pages every site has.
pub(crate) const OUTPUT_BASE: u64 = 64 << 20;

/// The longest word the reader's search indexes, in bytes: longer runs of
/// letters (a pasted hash, a base64 blob) are not words anyone types, and one
/// of megabytes would make a words chunk of megabytes.
pub(crate) const SEARCH_WORD_BYTES: usize = 64;

/// Why a value is too long: the message and its fix, or `None` when it fits.
pub(crate) fn too_long(key: &str, text: &str, max: usize) -> Option<(String, String)> {
    let n = text.chars().count();
    (n > max).then(|| {
        (
            format!("`{key}` is {n} characters long; dateline allows up to {max}"),
            "shorten it: it is repeated on every page that shows it".to_string(),
        )
    })
}

/// Why a list is too long, or `None` when it fits.
pub(crate) fn too_many(key: &str, n: usize, max: usize) -> Option<(String, String)> {
    (n > max).then(|| {
        (
            format!("`{key}` lists {n} items; dateline allows up to {max}"),
            "keep the ones a reader needs".to_string(),
        )
    })
}
