//! The HTML pages: each planned [`Page`] becomes an [`Output`] whose view is what
//! the page is made from, emitted through [`Shared::emit`] and rendered with its
//! Tera template only when its fingerprint changed. Building those views is
//! cheap (a page's own template view is made only when it is rendered), so every
//! page of a 100,000-entry site is checked on every rebuild. Each kind of page
//! has its file: [`timeline`], [`entry`], [`sources`]; the term index and the
//! 404 page are here.

mod corrections;

pub(crate) use corrections::correction_anchor;
mod entry;
mod sources;
mod timeline;

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::render::cards::Cards;
use crate::render::emit::{Contents, Sink};
use crate::render::inputs::{Output, Shared};
use crate::render::plan::{Calendar, Page};
use crate::render::theme::template_error;
use crate::render::views::{
    capitalize, CorrectionsView, EntryView, FeedLink, Fragments, NotFoundView, PageMeta,
    PublisherPageView, SourcesView, TaxonomyView, TermCount, TimelineView,
};
use crate::site::link::Site;
use crate::site::sources::Publisher;

/// A view and the template that renders it.
trait Template: Serialize {
    /// The template's name under `templates/`.
    const NAME: &'static str;
}

impl Template for TimelineView<'_, '_> {
    const NAME: &'static str = "timeline.html";
}
impl Template for EntryView<'_, '_> {
    const NAME: &'static str = "entry.html";
}
impl Template for TaxonomyView<'_> {
    const NAME: &'static str = "taxonomy.html";
}
impl Template for SourcesView<'_, '_> {
    const NAME: &'static str = "sources.html";
}
impl Template for PublisherPageView<'_, '_> {
    const NAME: &'static str = "publisher.html";
}
impl Template for CorrectionsView<'_, '_> {
    const NAME: &'static str = "corrections.html";
}
impl Template for NotFoundView<'_> {
    const NAME: &'static str = "404.html";
}

/// Renders `view` with its template; every page template also receives `site`.
fn render<V: Template>(view: &V, shared: &Shared<'_>) -> Result<Contents, Error> {
    let origins = &shared.theme.origins;
    let mut context =
        tera::Context::from_serialize(view).map_err(|e| template_error(origins, V::NAME, &e))?;
    context.insert("site", &shared.site);
    let html = shared
        .theme
        .tera
        .render(V::NAME, &context)
        .map_err(|e| template_error(origins, V::NAME, &e))?;
    Ok(Contents::Bytes(html.into_bytes()))
}

/// The `<title>` of page `n` of a paginated list headed `heading`.
fn paged(heading: &str, n: usize) -> String {
    if n <= 1 {
        heading.to_string()
    } else {
        format!("{heading} (page {n})")
    }
}

/// Head metadata of the page at root-relative `url`.
fn page_meta<'v>(
    shared: &'v Shared<'_>,
    title: Cow<'v, str>,
    description: &'v str,
    url: &str,
    og_type: &'static str,
) -> PageMeta<'v> {
    let config = shared.config;
    let urls = &shared.urls;
    // Every page gets a description, even on a site that has none of its own.
    let description = [description, config.description.as_str()]
        .into_iter()
        .find(|d| !d.is_empty())
        .map_or_else(
            || {
                Cow::Owned(if title.is_empty() {
                    config.title.clone()
                } else {
                    format!("{title} — {}", config.title)
                })
            },
            Cow::Borrowed,
        );
    let site_feed = |path: &str, mime| FeedLink {
        title: Cow::Borrowed(config.title.as_str()),
        url: Cow::Owned(urls.path(path)),
        mime,
    };
    PageMeta {
        nav_current: shared.site.nav.iter().position(|link| link.url == url),
        title,
        description,
        canonical: Some(urls.absolute(url)),
        og_type,
        image: None,
        image_width: None,
        image_height: None,
        image_alt: None,
        feeds: vec![
            site_feed("feed.xml", "application/atom+xml"),
            site_feed("feed.json", "application/feed+json"),
        ],
        jsonld: None,
    }
}

/// What building every page's view needs.
pub(crate) struct Pages<'c, 'a> {
    /// The linked site.
    pub site: &'a Site,
    /// Configuration, URLs and theme.
    pub shared: &'c Shared<'a>,
    /// Every entry's card.
    pub cards: &'c Cards<'a>,
    /// Cited publishers, sorted by name.
    pub publishers: &'c [Publisher],
    /// Every correction, newest first: (entry id, index in its corrections).
    pub corrections: &'c [(usize, usize)],
    /// Each card as `card.html` renders it, once.
    pub fragments: &'c Fragments<'c>,
    /// Where each entry falls in the calendar.
    pub calendar: &'c Calendar,
}

impl<'c> Pages<'c, '_> {
    /// Emits every page into `sink` in parallel; returns how many were made.
    pub(crate) fn emit(&self, pages: &'c [Page], sink: &dyn Sink) -> Result<usize, Error> {
        let made = AtomicUsize::new(0);
        pages.par_iter().try_for_each(|page| {
            let path = page.path(self.site);
            let shared = self.shared;
            let fresh = match page {
                Page::Timeline(list) => shared.emit(sink, self.timeline(path, list))?,
                Page::Entry(id) => shared.emit(sink, self.entry(path, *id))?,
                Page::Taxonomy(t) => shared.emit(sink, self.taxonomy(path, *t))?,
                Page::Sources => shared.emit(sink, self.sources(path))?,
                Page::Publisher(p) => shared.emit(sink, self.publisher(path, p))?,
                Page::Corrections(number, total) => {
                    shared.emit(sink, self.corrections(path, *number, *total))?
                }
                Page::NotFound => shared.emit(sink, self.not_found(path))?,
            };
            if fresh {
                made.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<(), Error>(())
        })?;
        Ok(made.into_inner())
    }

    /// Head metadata of the page at root-relative `url`.
    fn meta(
        &self,
        title: Cow<'c, str>,
        description: &'c str,
        url: &str,
        og_type: &'static str,
    ) -> PageMeta<'c> {
        page_meta(self.shared, title, description, url, og_type)
    }

    fn taxonomy(&self, path: String, t: usize) -> Output<TaxonomyView<'c>> {
        let taxonomy = &self.site.taxonomies[t];
        let urls = &self.shared.urls;
        let mut terms: Vec<TermCount<'c>> = taxonomy
            .terms
            .iter()
            .map(|term| TermCount {
                name: &term.name,
                url: &term.url,
                count: term.entries.len(),
            })
            .collect();
        terms.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.name.cmp(b.name))
        });
        let heading = capitalize(&taxonomy.name);
        let url = urls.taxonomy(&taxonomy.name);
        let view = TaxonomyView {
            page: self.meta(Cow::Owned(heading.clone()), "", &url, "website"),
            taxonomy: &taxonomy.name,
            heading,
            terms,
        };
        Output {
            path,
            view,
            make: render,
        }
    }

    fn not_found(&self, path: String) -> Output<NotFoundView<'c>> {
        let mut page = self.meta(Cow::Borrowed("Page not found"), "", "", "website");
        page.canonical = None;
        Output {
            path,
            view: NotFoundView { page },
            make: render,
        }
    }
}
