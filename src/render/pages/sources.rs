//! The sources index and each publisher's pages of citations: made from the
//! sources cited and the cards of the entries that cite them.

use std::borrow::Cow;

use crate::content::entry::Source;
use crate::error::Error;
use crate::render::cards::Mention;
use crate::render::emit::Contents;
use crate::render::inputs::{Output, Shared};
use crate::render::pages::{page_meta, paged, render, Pages};
use crate::render::plan::{PublisherPage, CITATIONS_ON_INDEX};
use crate::render::views::{
    CitationView, Pagination, PublisherPageView, PublisherView, SourceView, SourcesView,
};
use crate::site::sources::{Citation, Publisher};

/// What a publisher's part of a sources page is made from: its name, how
/// often it is cited in all, and the citations shown, each with its entry.
#[derive(Hash)]
pub(crate) struct Cited<'c, 'a> {
    name: &'c str,
    slug: &'c str,
    count: usize,
    citations: Vec<(Mention<'c, 'a>, &'a Source)>,
}

impl<'a> Cited<'_, 'a> {
    /// The publisher as the sources pages show it.
    fn view<'v>(&'v self, shared: &'v Shared<'_>) -> PublisherView<'v, 'a> {
        PublisherView {
            id: format!("publisher-{}", self.slug),
            name: self.name,
            url: shared.urls.publisher(self.slug, 1),
            count: self.count,
            citations: self
                .citations
                .iter()
                .map(|(entry, source)| CitationView {
                    entry: *entry,
                    source: SourceView::new(source, shared.config),
                })
                .collect(),
        }
    }
}

/// What the sources page is made from: each publisher's newest citations.
#[derive(Hash)]
pub(crate) struct SourcesPage<'c, 'a> {
    publishers: Vec<Cited<'c, 'a>>,
}

fn render_sources(page: &SourcesPage<'_, '_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let url = shared.urls.path("sources/");
    let view = SourcesView {
        page: page_meta(shared, Cow::Borrowed("Sources"), "", &url, "website"),
        publishers: page.publishers.iter().map(|p| p.view(shared)).collect(),
    };
    render(&view, shared)
}

/// What one page of a publisher's citations is made from.
#[derive(Hash)]
pub(crate) struct PublisherPageOf<'c, 'a> {
    publisher: Cited<'c, 'a>,
    number: usize,
    total: usize,
}

fn render_publisher(
    page: &PublisherPageOf<'_, '_>,
    shared: &Shared<'_>,
) -> Result<Contents, Error> {
    let urls = &shared.urls;
    let (n, p) = (page.number, &page.publisher);
    let title = paged(&format!("Sources: {}", p.name), n);
    let url = urls.publisher(p.slug, n);
    let view = PublisherPageView {
        page: page_meta(shared, Cow::Owned(title), "", &url, "website"),
        publisher: p.view(shared),
        pagination: Pagination::new(n, page.total, |k| urls.publisher(p.slug, k)),
    };
    render(&view, shared)
}

impl<'c, 'a> Pages<'c, 'a> {
    pub(super) fn sources(&self, path: String) -> Output<SourcesPage<'c, 'a>> {
        let publishers = self
            .publishers
            .iter()
            .map(|p| {
                let shown = &p.citations[..p.citations.len().min(CITATIONS_ON_INDEX)];
                self.cited(p, shown)
            })
            .collect();
        Output {
            path,
            view: SourcesPage { publishers },
            make: render_sources,
        }
    }

    pub(super) fn publisher(
        &self,
        path: String,
        page: &'c PublisherPage,
    ) -> Output<PublisherPageOf<'c, 'a>> {
        let publisher = &self.publishers[page.index];
        let n = page.number;
        let per_page = self.site.config.paginate.max(1);
        let start = ((n - 1) * per_page).min(publisher.citations.len());
        let shown = &publisher.citations[start..(start + per_page).min(publisher.citations.len())];
        Output {
            path,
            view: PublisherPageOf {
                publisher: self.cited(publisher, shown),
                number: n,
                total: page.total,
            },
            make: render_publisher,
        }
    }

    /// A publisher with the citations `shown`, and how many it has in all.
    fn cited(&self, p: &'c Publisher, shown: &[Citation]) -> Cited<'c, 'a> {
        Cited {
            name: &p.name,
            slug: &p.slug,
            count: p.citations.len(),
            citations: shown
                .iter()
                .map(|c| {
                    let source = &self.site.entries[c.entry].sources[c.source];
                    (self.cards.mention(c.entry), source)
                })
                .collect(),
        }
    }
}
