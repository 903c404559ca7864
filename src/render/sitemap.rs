//! `/sitemap.xml` (every page with its latest editorial change) and `/robots.txt`
//! (which points crawlers at the sitemap).

use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::error::Error;
use crate::escape;
use crate::render::emit::{Contents, Sink};
use crate::render::inputs::{Output, Shared};

/// The sitemap's view: each page's root-relative URL and latest editorial change.
#[derive(Hash)]
struct Pages<'p>(&'p [(String, DateTime<Utc>)]);

fn sitemap(pages: &Pages<'_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let mut x = String::with_capacity(pages.0.len() * 120 + 200);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in pages.0 {
        let _ = writeln!(
            x,
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>",
            escape::xml(&shared.urls.absolute(url)),
            lastmod.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
    }
    x.push_str("</urlset>\n");
    Ok(Contents::Bytes(x.into_bytes()))
}

fn robots(_: &(), shared: &Shared<'_>) -> Result<Contents, Error> {
    let urls = &shared.urls;
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.absolute(&urls.path("sitemap.xml"))
    );
    Ok(Contents::Bytes(text.into_bytes()))
}

/// Emits `/sitemap.xml` for `pages` and `/robots.txt`; returns (files, files made).
pub(crate) fn emit(
    pages: &[(String, DateTime<Utc>)],
    shared: &Shared<'_>,
    sink: &dyn Sink,
) -> Result<(usize, usize), Error> {
    let sitemap = Output {
        path: "sitemap.xml".into(),
        view: Pages(pages),
        make: sitemap,
    };
    let robots = Output {
        path: "robots.txt".into(),
        view: (),
        make: robots,
    };
    let made = usize::from(shared.emit(sink, sitemap)?) + usize::from(shared.emit(sink, robots)?);
    Ok((2, made))
}
