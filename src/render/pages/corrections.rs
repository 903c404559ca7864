//! The corrections log: every correction on the site, newest first, each with
//! the entry it corrects; paginated like the timeline.

use std::borrow::Cow;

use crate::content::entry::Correction;
use crate::error::Error;
use crate::render::cards::Mention;
use crate::render::emit::Contents;
use crate::render::inputs::{Output, Shared};
use crate::render::pages::{page_meta, paged, render, Pages};
use crate::render::plan::CORRECTIONS;
use crate::render::views::{CorrectionsView, DateView, FeedLink, LoggedCorrection, Pagination};

/// What one page of the log is made from: its corrections, each with the
/// entry's mention and its place among the entry's corrections, and the count.
#[derive(Hash)]
pub(crate) struct CorrectionsPage<'c, 'a> {
    items: Vec<(Mention<'c, 'a>, usize, &'a Correction)>,
    count: usize,
    number: usize,
    total: usize,
}

fn render_corrections(
    page: &CorrectionsPage<'_, '_>,
    shared: &Shared<'_>,
) -> Result<Contents, Error> {
    let urls = &shared.urls;
    let n = page.number;
    let title = Cow::Owned(paged("Corrections", n));
    let url = urls.page(CORRECTIONS, n);
    let feed_url = urls.path(&format!("{CORRECTIONS}feed.xml"));
    let mut meta = page_meta(shared, title, "", &url, "website");
    meta.feeds.push(FeedLink {
        title: Cow::Owned(format!("{}: corrections", shared.config.title)),
        url: Cow::Owned(feed_url.clone()),
        mime: "application/atom+xml",
    });
    let view = CorrectionsView {
        page: meta,
        count: page.count,
        corrections: page
            .items
            .iter()
            .map(|(entry, i, c)| LoggedCorrection {
                date: DateView::new(&c.date, shared.config),
                text: &c.text,
                entry: *entry,
                anchor: correction_anchor(*i),
            })
            .collect(),
        feed_url,
        pagination: Pagination::new(n, page.total, |k| urls.page(CORRECTIONS, k)),
    };
    render(&view, shared)
}

/// The fragment id of an entry's correction `i` (0-based) on its page.
pub(crate) fn correction_anchor(i: usize) -> String {
    format!("correction-{}", i + 1)
}

impl<'c, 'a> Pages<'c, 'a> {
    pub(super) fn corrections(
        &self,
        path: String,
        number: usize,
        total: usize,
    ) -> Output<CorrectionsPage<'c, 'a>> {
        let per_page = self.site.config.paginate.max(1);
        let all = self.corrections;
        let start = ((number - 1) * per_page).min(all.len());
        let items = all[start..(start + per_page).min(all.len())]
            .iter()
            .map(|&(id, c)| {
                (
                    self.cards.mention(id),
                    c,
                    &self.site.entries[id].corrections[c],
                )
            })
            .collect();
        Output {
            path,
            view: CorrectionsPage {
                items,
                count: all.len(),
                number,
                total,
            },
            make: render_corrections,
        }
    }
}
