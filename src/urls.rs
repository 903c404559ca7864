//! The only place that builds URLs. Every internal link starts with the base path
//! of `base_url` (`/metoo/`), so the site works under a sub-path; absolute URLs for
//! feeds and metadata add the scheme and host.

use url::Url;

/// Top-level folders and names the site's own outputs take (`/entries/`,
/// `/page/2/`, `/key/`, …), which a taxonomy's folder must not take too. Year
/// archives are four digits, which no taxonomy name may be.
pub(crate) const RESERVED_FOLDERS: &[&str] = &[
    "entries",
    "page",
    "key",
    "sources",
    "corrections",
    "static",
    "feed",
    "search",
    "timeline",
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
        self.joined(&[rel.trim_start_matches('/')])
    }

    /// The root path followed by `parts`, made in one allocation: a site makes
    /// a few URLs per entry on every rebuild.
    fn joined(&self, parts: &[&str]) -> String {
        let root = self.base.path();
        let mut url =
            String::with_capacity(root.len() + parts.iter().map(|p| p.len()).sum::<usize>());
        url.push_str(root);
        parts.iter().for_each(|p| url.push_str(p));
        url
    }

    /// The page of one entry.
    pub fn entry(&self, slug: &str) -> String {
        self.joined(&["entries/", slug, "/"])
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
        self.path(&year_folder(year))
    }

    /// A month archive.
    pub fn month(&self, year: i32, month: u32) -> String {
        self.path(&month_folder(year, month))
    }

    /// The list of terms of a taxonomy.
    pub fn taxonomy(&self, taxonomy: &str) -> String {
        self.path(&format!("{taxonomy}/"))
    }

    /// The timeline of one term.
    pub fn term(&self, taxonomy: &str, term: &str) -> String {
        self.path(&term_folder(taxonomy, term))
    }

    /// A file in an entry's folder (an image beside the entry).
    pub fn entry_file(&self, slug: &str, name: &str) -> String {
        format!("{}{name}", self.entry(slug))
    }

    /// Page `n` of a publisher's citations.
    pub fn publisher(&self, slug: &str, n: usize) -> String {
        self.page(&format!("sources/{slug}/"), n)
    }

    /// The Atom feed of the list whose first page is at `page_url` (a term's).
    pub fn feed_of(&self, page_url: &str) -> String {
        format!("{page_url}feed.xml")
    }

    /// An entry's place on a timeline page at `page_url`.
    pub fn anchor(&self, page_url: &str, slug: &str) -> String {
        format!("{page_url}#e-{slug}")
    }

    /// An absolute URL for a root-relative one (`/metoo/x/` → `https://host/metoo/x/`).
    pub fn absolute(&self, root_relative: &str) -> String {
        let origin = self.base.origin().ascii_serialization();
        format!("{origin}{root_relative}")
    }

    /// `url` made absolute when it is root-relative (a file of the site); an
    /// absolute `http(s)` URL (an image elsewhere) stays as it is.
    pub fn absolute_if_local(&self, url: &str) -> String {
        if url.starts_with('/') {
            self.absolute(url)
        } else {
            url.to_string()
        }
    }

    /// Where the page at root-relative `url` is written, relative to the output
    /// root: `/metoo/entries/x/` → `entries/x/index.html`.
    pub fn output_path(&self, url: &str) -> String {
        let rel = url.strip_prefix(self.root()).unwrap_or(url);
        let mut path = String::with_capacity(rel.len() + "index.html".len());
        path.push_str(rel);
        path.push_str("index.html");
        path
    }

    /// Where a file in an entry's folder is written, relative to the output root.
    pub fn entry_file_path(&self, slug: &str, name: &str) -> String {
        format!("entries/{slug}/{name}")
    }

    /// Where the file at root-relative `url` is written, relative to the output
    /// root: `/metoo/tags/x/feed.xml` → `tags/x/feed.xml`.
    pub fn file_path(&self, url: &str) -> String {
        url.strip_prefix(self.root()).unwrap_or(url).to_string()
    }
}

/// The folder of a year's archive, relative to the root: `2017/`.
pub(crate) fn year_folder(year: i32) -> String {
    format!("{year:04}/")
}

/// The folder of a month's archive, relative to the root: `2017/10/`.
pub(crate) fn month_folder(year: i32, month: u32) -> String {
    format!("{year:04}/{month:02}/")
}

/// The folder of a term's timeline, relative to the root: `tags/metoo/`.
pub(crate) fn term_folder(taxonomy: &str, term: &str) -> String {
    format!("{taxonomy}/{term}/")
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
        assert_eq!(u.entry_file("x", "a.jpg"), "/metoo/entries/x/a.jpg");
        assert_eq!(u.publisher("nyt", 2), "/metoo/sources/nyt/page/2/");
        assert_eq!(u.output_path(&u.entry("x")), "entries/x/index.html");
        assert_eq!(u.output_path(u.root()), "index.html");
        assert_eq!(
            u.absolute_if_local("https://x.org/a.jpg"),
            "https://x.org/a.jpg"
        );
    }

    #[test]
    fn works_at_the_domain_root_and_with_ports() {
        let u = urls("http://127.0.0.1:8000/");
        assert_eq!(u.path("static/style.css"), "/static/style.css");
        assert_eq!(u.absolute("/feed.xml"), "http://127.0.0.1:8000/feed.xml");
    }
}
