//! The only place that builds URLs. Every internal link starts with the base path
//! of `base_url` (`/metoo/`), so the site works under a sub-path; absolute URLs for
//! feeds and metadata add the scheme and host.

use url::Url;

/// Top-level folders and names the site's own outputs take (`/entries/`,
/// `/page/2/`, `/key/`, …), which a taxonomy's folder must not take too. Year
/// archives are four digits, which no taxonomy name may be.
pub const RESERVED_FOLDERS: &[&str] = &[
    "entries", "page", "key", "sources", "static", "feed", "search", "timeline",
];

/// Builds the site's URLs from its base URL.
#[derive(Debug, Clone)]
pub struct Urls {
    base: Url,
}

impl Urls {
    /// URLs under `base` (an absolute URL whose path ends with `/`).
    pub fn new(base: &Url) -> Self {
        Urls { base: base.clone() }
    }

    /// The site's root path, e.g. `/metoo/`.
    pub fn root(&self) -> &str {
        self.base.path()
    }

    /// A root-relative URL for a path under the site, e.g. `static/style.css`.
    pub fn path(&self, rel: &str) -> String {
        format!("{}{}", self.base.path(), rel.trim_start_matches('/'))
    }

    /// The page of one entry.
    pub fn entry(&self, slug: &str) -> String {
        self.path(&format!("entries/{slug}/"))
    }

    /// Page `n` (1-based) of a paginated list whose first page is at `first`.
    pub fn page(&self, first: &str, n: usize) -> String {
        if n <= 1 {
            self.path(first)
        } else {
            self.path(&format!("{first}page/{n}/"))
        }
    }

    /// A year archive.
    pub fn year(&self, year: i32) -> String {
        self.path(&format!("{year:04}/"))
    }

    /// A month archive.
    pub fn month(&self, year: i32, month: u32) -> String {
        self.path(&format!("{year:04}/{month:02}/"))
    }

    /// The list of terms of a taxonomy.
    pub fn taxonomy(&self, taxonomy: &str) -> String {
        self.path(&format!("{taxonomy}/"))
    }

    /// The timeline of one term.
    pub fn term(&self, taxonomy: &str, term: &str) -> String {
        self.path(&format!("{taxonomy}/{term}/"))
    }

    /// An absolute URL for a root-relative one (`/metoo/x/` → `https://host/metoo/x/`).
    pub fn absolute(&self, root_relative: &str) -> String {
        let origin = self.base.origin().ascii_serialization();
        format!("{origin}{root_relative}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(base: &str) -> Urls {
        Urls::new(&crate::site::config::parse_url(base).expect("url"))
    }

    #[test]
    fn every_url_carries_the_base_path() {
        let u = urls("https://example.org/metoo");
        assert_eq!(u.root(), "/metoo/");
        assert_eq!(u.entry("a-b"), "/metoo/entries/a-b/");
        assert_eq!(u.page("", 1), "/metoo/");
        assert_eq!(u.page("", 2), "/metoo/page/2/");
        assert_eq!(u.page("tags/metoo/", 3), "/metoo/tags/metoo/page/3/");
        assert_eq!(u.year(2006), "/metoo/2006/");
        assert_eq!(u.month(2017, 9), "/metoo/2017/09/");
        assert_eq!(
            u.term("people", "alyssa-milano"),
            "/metoo/people/alyssa-milano/"
        );
        assert_eq!(
            u.absolute(&u.entry("x")),
            "https://example.org/metoo/entries/x/"
        );
    }

    #[test]
    fn works_at_the_domain_root_and_with_ports() {
        let u = urls("http://127.0.0.1:8000/");
        assert_eq!(u.path("static/style.css"), "/static/style.css");
        assert_eq!(u.absolute("/feed.xml"), "http://127.0.0.1:8000/feed.xml");
    }
}
