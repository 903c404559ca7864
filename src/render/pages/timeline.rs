//! Timeline pages (the index, archives, key events, a term's entries): made
//! from their place in their list and the cards they show.

use std::borrow::Cow;

use crate::error::Error;
use crate::render::cards::CardRef;
use crate::render::emit::Contents;
use crate::render::inputs::{Output, Shared};
use crate::render::pages::{page_meta, paged, render, Pages};
use crate::render::plan::{month_label, year_label, ListPage};
use crate::render::theme::template_error;
use crate::render::views::{
    capitalize, FeedLink, Fragments, ListItem, ListKind, MonthGroup, Pagination, TimelineView,
    YearGroup,
};

/// What a timeline page is made from: its place in its list, and the card and
/// local year and month of each of its entries.
#[derive(Hash)]
pub(crate) struct TimelinePage<'c, 'a> {
    list: &'c ListPage,
    /// The taxonomy of a term's list.
    taxonomy: Option<&'a str>,
    items: Vec<(CardRef<'c, 'a>, (i32, Option<u32>))>,
    /// Each card as `card.html` renders it, once for every list it is on.
    fragments: Cache<'c>,
}

/// Rendered cards: made from cards alone, which are hashed where they are
/// shown, so the cache itself is hashed as nothing.
pub(crate) struct Cache<'c>(&'c Fragments<'c>);

impl std::hash::Hash for Cache<'_> {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

/// Makes a timeline page, its cards first, so a broken `card.html` is reported
/// as itself.
fn render_timeline(page: &TimelinePage<'_, '_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let fragments = page.fragments.0;
    for (card, _) in &page.items {
        fragments.of(*card).map_err(|e| {
            template_error(&shared.theme.origins, "card.html", &e).rendering("card", card.path())
        })?;
    }
    let list = page.list;
    let urls = &shared.urls;
    let url = urls.page(&list.folder, list.number);
    let title = match (list.kind, list.number) {
        (ListKind::Index, 1) => String::new(),
        (ListKind::Index, n) => format!("Page {n}"),
        (_, n) => paged(&list.heading, n),
    };
    let mut meta = page_meta(shared, Cow::Owned(title), "", &url, "website");
    let feed_url = (list.kind == ListKind::Term).then(|| urls.feed_of(&urls.path(&list.folder)));
    if let Some(feed) = &feed_url {
        let feed = FeedLink {
            title: Cow::Owned(format!("{}: {}", shared.config.title, list.heading)),
            url: Cow::Owned(feed.clone()),
            mime: "application/atom+xml",
        };
        meta.feeds.insert(0, feed);
    }
    let labels = groups(page, shared);
    let view = TimelineView {
        page: meta,
        kind: list.kind,
        taxonomy: page.taxonomy.map(capitalize),
        feed_url,
        heading: &list.heading,
        intro: list.intro.as_deref(),
        groups: labels,
        count: list.ids.len(),
        pagination: Pagination::new(list.number, list.total, |n| urls.page(&list.folder, n)),
        empty_note: list.empty_note.filter(|_| list.ids.is_empty()),
    };
    render(&view, shared)
}

/// The page's entries grouped by local year, then month.
fn groups<'c, 'a>(page: &TimelinePage<'c, 'a>, shared: &Shared<'_>) -> Vec<YearGroup<'c, 'a>> {
    let config = shared.config;
    let urls = &shared.urls;
    let mut groups: Vec<YearGroup<'c, 'a>> = Vec::new();
    // The year and month of the group being filled: most entries join it.
    let mut current: Option<(i32, Option<u32>)> = None;
    for &(card, (year, month)) in &page.items {
        if current.is_none_or(|(y, _)| y != year) {
            groups.push(YearGroup {
                label: year_label(year, config),
                url: urls.year(year),
                id: format!("y{year:04}"),
                months: Vec::new(),
            });
        }
        let Some(group) = groups.last_mut() else {
            continue;
        };
        if current != Some((year, month)) {
            group.months.push(MonthGroup {
                label: month.map(|m| month_label(year, m, config)),
                url: month.map(|m| urls.month(year, m)),
                id: match month {
                    Some(m) => format!("y{year:04}-{m:02}"),
                    None => format!("y{year:04}-all"),
                },
                entries: Vec::new(),
            });
            current = Some((year, month));
        }
        if let Some(m) = group.months.last_mut() {
            m.entries.push(ListItem {
                card,
                fragments: page.fragments.0,
            });
        }
    }
    groups
}

impl<'c, 'a> Pages<'c, 'a> {
    pub(super) fn timeline(
        &self,
        path: String,
        list: &'c ListPage,
    ) -> Output<TimelinePage<'c, 'a>> {
        let page = TimelinePage {
            list,
            taxonomy: list.taxonomy.map(|t| self.site.taxonomies[t].name.as_str()),
            items: list
                .ids
                .iter()
                .map(|&id| (self.cards.card(id), self.calendar.of(id)))
                .collect(),
            fragments: Cache(self.fragments),
        };
        Output {
            path,
            view: page,
            make: render_timeline,
        }
    }
}
