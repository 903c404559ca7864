//! Entry pages: made, when rendered, from the entry's file, where its links
//! point, and the cards of the entries it mentions.

use std::borrow::Cow;

use crate::content::markdown;
use crate::date::PartialDate;
use crate::error::Error;
use crate::render::cards::{CardRef, Mention};
use crate::render::emit::Contents;
use crate::render::inputs::{EntryFile, Output, Shared};
use crate::render::jsonld::JsonLd;
use crate::render::pages::{page_meta, render, Pages};
use crate::render::views::{CorrectionView, DateView, EntryView, PostView, SourceView};
use crate::site::link::Rewrites;

/// What an entry's page is made from: the entry's file, where its links point,
/// and the cards of the entries it mentions. A site has a page per entry, so the
/// page's view ([`EntryView`], with its body and JSON-LD) is made from these
/// only when the page is rendered, and the page is fingerprinted as these.
#[derive(Hash)]
pub(crate) struct EntryPage<'c, 'a> {
    entry: EntryFile<'a>,
    rewrites: &'a Rewrites,
    card: CardRef<'c, 'a>,
    related: Vec<Mention<'c, 'a>>,
    backlinks: Vec<Mention<'c, 'a>>,
    prev: Option<Mention<'c, 'a>>,
    next: Option<Mention<'c, 'a>>,
}

/// Makes an entry's page from what it is made of.
fn render_entry(page: &EntryPage<'_, '_>, shared: &Shared<'_>) -> Result<Contents, Error> {
    let config = shared.config;
    let urls = &shared.urls;
    let entry = page.entry.0;
    let url = urls.entry(&entry.slug);
    let card = page.card.get();
    let image = card.image.as_ref().map(|i| urls.absolute_if_local(&i.src));
    let jsonld = JsonLd {
        entry,
        url: urls.absolute(&url),
        home: urls.absolute(urls.root()),
        site_title: &config.title,
        author: config.author.as_ref().map(|a| a.name.as_str()),
        image: image.as_deref(),
    };
    let mut meta = page_meta(
        shared,
        Cow::Borrowed(&entry.title),
        &entry.summary,
        &url,
        "article",
    );
    meta.jsonld = Some(jsonld.text());
    meta.image = image.clone();
    if let Some(view) = &card.image {
        (meta.image_width, meta.image_height) = (view.width, view.height);
        meta.image_alt = Some(view.alt.clone());
    }
    let rewrite = |dest: &str| page.rewrites.get(dest).cloned();
    let date = |d: &PartialDate| DateView::new(d, config);
    let view = EntryView {
        page: meta,
        entry: page.card,
        body: markdown::render(entry.body(), &rewrite, !config.allow_raw_html),
        published: date(&entry.published),
        updated: entry.updated.as_ref().map(date),
        sources: entry
            .sources
            .iter()
            .map(|s| SourceView::new(s, config))
            .collect(),
        posts: entry
            .posts
            .iter()
            .map(|p| PostView {
                url: p.url.as_deref(),
                author: &p.author,
                handle: p.handle.as_deref(),
                platform: p.platform.as_deref(),
                date: date(&p.date),
                text_html: crate::render::posts::text_html(&p.text),
                archive_url: p.archive_url.as_deref(),
                image: p.image.as_ref().map(|i| {
                    let file =
                        crate::render::cards::local_file(entry, i).map(|s| shared.root().join(s));
                    crate::render::cards::sized_view(i, &entry.slug, file.as_deref(), shared)
                }),
            })
            .collect(),
        corrections: entry
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: date(&c.date),
                text: &c.text,
            })
            .collect(),
        corrected: entry
            .corrections
            .iter()
            .max_by_key(|c| c.date.start(config.timezone))
            .map(|c| date(&c.date)),
        related: page.related.clone(),
        backlinks: page.backlinks.clone(),
        prev: page.prev,
        next: page.next,
        extra: &entry.extra,
    };
    render(&view, shared).map_err(|e| e.rendering("page", &entry.path))
}

impl<'c, 'a> Pages<'c, 'a> {
    pub(super) fn entry(&self, path: String, id: usize) -> Output<EntryPage<'c, 'a>> {
        let site = self.site;
        let rel = &site.relations[id];
        let mention = |&id: &usize| self.cards.mention(id);
        let page = EntryPage {
            entry: EntryFile(&site.entries[id]),
            rewrites: &rel.rewrites,
            card: self.cards.card(id),
            related: rel.related.iter().map(mention).collect(),
            // Related entries are listed once, under "Related", even when they also link here.
            backlinks: rel
                .backlinks
                .iter()
                .filter(|b| !rel.related.contains(b))
                .map(mention)
                .collect(),
            prev: id.checked_sub(1).map(|p| mention(&p)),
            next: (id + 1 < site.entries.len()).then(|| mention(&(id + 1))),
        };
        Output {
            path,
            view: page,
            make: render_entry,
        }
    }
}
