//! Cards: the light record of an entry that every list page, the feeds and the
//! exports show. A card is made only from its [`CardInputs`], a borrowed copy of
//! exactly the entry fields and site facts it shows, and the card's hash is the
//! hash of those inputs. So a list page can be fingerprinted without making a
//! single card, and an edit of an entry's words, which no card shows, changes no
//! card and no list page.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::{Serialize, Serializer};

use crate::content::entry::{Image, ImageSrc};
use crate::date::{PartialDate, Precision, Qualifier};
use crate::render::images;
use crate::render::inputs::{Copied, Shared};
use crate::render::views::DateView;
use crate::site::config::{DayCounter, Order};
use crate::site::link::Site;
use crate::site::taxonomy::{Taxonomy, Term};

/// A term as a link.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct TermLink<'a> {
    /// Display spelling.
    pub name: &'a str,
    /// Term page URL.
    pub url: &'a str,
    /// The term's slug, for feed categories and the search index.
    pub slug: &'a str,
}

/// An entry's terms of one taxonomy.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct TermGroup<'a> {
    /// Taxonomy name.
    pub taxonomy: &'a str,
    /// Terms.
    pub terms: Vec<TermLink<'a>>,
}

/// The image of an entry.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct ImageView {
    /// URL (root-relative or absolute).
    pub src: String,
    /// Text alternative.
    pub alt: String,
    /// Caption.
    pub caption: Option<String>,
    /// Credit.
    pub credit: Option<String>,
    /// Width in CSS pixels as displayed (EXIF orientation applied), for the
    /// `<img>` so the page does not jump when it loads; `None` when unknown
    /// (an image elsewhere).
    pub width: Option<u32>,
    /// Height, likewise.
    pub height: Option<u32>,
    /// The smaller copies published beside it, for `<img srcset>`; `None`
    /// when there are none.
    pub srcset: Option<String>,
}

/// A reference to one of the site's eras.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct EraRef {
    /// Position in `eras`, for styling (`era-0`, `era-1`, …).
    pub index: usize,
    /// The era's title.
    pub title: String,
    /// First day, as displayed.
    pub start: String,
    /// Last day, as displayed.
    pub end: String,
}

/// The light record of an entry used on every list page (`card.html` receives it
/// as `entry`). It borrows what the site already holds, so 100,000 cards copy as
/// little as possible.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Card<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Page URL.
    pub url: String,
    /// Headline.
    pub title: &'a str,
    /// When it happened.
    pub date: DateView,
    /// Last day, for ranges.
    pub end_date: Option<DateView>,
    /// Plain-text summary.
    pub summary: &'a str,
    /// 1, 2 or 3.
    pub importance: u8,
    /// Shown only in previews.
    pub draft: bool,
    /// Terms per taxonomy (taxonomies without terms omitted).
    pub terms: Vec<TermGroup<'a>>,
    /// Lead image.
    pub image: Option<ImageView>,
    /// The era (from `site.yaml`) the event falls in.
    pub era: Option<EraRef>,
    /// "Day N" of the story, when `day_counter` is on and the event is not before day 1.
    pub day: Option<i64>,
    /// For a range within one month ("15–16 October 2017"): the start as shown
    /// before the dash ("15"); `None` when the range is written in full.
    pub range_start: Option<String>,
    /// The year archive holding the entry.
    pub year_url: String,
    /// The month archive holding the entry, when its month is known.
    pub month_url: Option<String>,
    /// The entry on the timeline: its index page and anchor.
    pub timeline_url: String,
    /// Heading level of the card on timeline pages: 4 under a month heading, 3
    /// for events known only to the year, which sit directly under the year.
    pub level: u8,
}

/// What a short mention of an entry needs (related lists, previous/next,
/// citations): far lighter than a [`Card`] when thousands are listed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntryRef<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Page URL.
    pub url: &'a str,
    /// Headline.
    pub title: &'a str,
    /// When it happened.
    pub date: &'a DateView,
    /// Last day, for ranges.
    pub end_date: Option<&'a DateView>,
    /// The start of a range within one month, as shown before the dash.
    pub range_start: Option<&'a str>,
    /// 1, 2 or 3.
    pub importance: u8,
    /// Shown only in previews.
    pub draft: bool,
}

impl<'a> From<&'a Card<'a>> for EntryRef<'a> {
    fn from(card: &'a Card<'a>) -> Self {
        EntryRef {
            slug: card.slug,
            url: &card.url,
            title: card.title,
            date: &card.date,
            end_date: card.end_date.as_ref(),
            range_start: card.range_start.as_deref(),
            importance: card.importance,
            draft: card.draft,
        }
    }
}

/// The hash of each term of each taxonomy (its slug, name and URL), made once
/// per render: the terms of every card are hashed on every rebuild.
pub(crate) struct TermHashes(Vec<Vec<u64>>);

impl TermHashes {
    /// The hashes of `site`'s terms.
    pub(crate) fn new(site: &Site) -> Self {
        TermHashes(
            site.taxonomies
                .iter()
                .map(|t| {
                    t.terms
                        .iter()
                        .map(|term| crate::hash::fingerprint(&(&term.slug, &term.name, &term.url)))
                        .collect()
                })
                .collect(),
        )
    }
}

/// The terms of one entry: the entry's indices into the site's taxonomies. It
/// hashes exactly the terms it yields, each by its hash in [`TermHashes`].
#[derive(Clone, Copy)]
pub(crate) struct TermsOf<'a> {
    taxonomies: &'a [Taxonomy],
    hashes: &'a TermHashes,
    /// Per taxonomy, the entry's indices into its terms.
    indices: &'a [Vec<usize>],
}

impl std::fmt::Debug for TermsOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.indices).finish()
    }
}

impl<'a> TermsOf<'a> {
    /// The terms of entry `id` of `site`, whose terms' hashes are `hashes`.
    pub(crate) fn new(site: &'a Site, hashes: &'a TermHashes, id: usize) -> Self {
        TermsOf {
            taxonomies: &site.taxonomies,
            hashes,
            indices: &site.relations[id].terms,
        }
    }

    /// Each taxonomy with its terms, in the site's order, taxonomies without
    /// terms included.
    pub(crate) fn groups(&self) -> impl Iterator<Item = (&'a str, impl Iterator<Item = &'a Term>)> {
        let taxonomies = self.taxonomies;
        taxonomies
            .iter()
            .zip(self.indices)
            .map(|(t, ids)| (t.name.as_str(), ids.iter().map(|&i| &t.terms[i])))
    }
}

impl Hash for TermsOf<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        for (t, indices) in self.indices.iter().enumerate() {
            for &i in indices {
                self.hashes.0[t][i].hash(h);
            }
            h.write_u8(0xff);
        }
    }
}

/// Everything a card shows, borrowed from the site: the card is made from these
/// and from [`Shared`] alone, and hashed as these.
#[derive(Debug, Hash)]
pub(crate) struct CardInputs<'a> {
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    importance: u8,
    draft: bool,
    date: PartialDate,
    end_date: Option<PartialDate>,
    /// `date` and `end_date` as displayed.
    shown: &'a (String, Option<String>),
    /// The first instant of `date`, which places it in an era.
    start: DateTime<Utc>,
    image: Option<&'a Image>,
    /// The image file beside the entry, and its size and modification time,
    /// so a replaced photo gets new `width` and `height`.
    image_file: Option<Copied>,
    terms: TermsOf<'a>,
    /// The entry's place in the timeline, oldest first, and how many there are:
    /// which index page lists it.
    position: (usize, usize),
    /// Day 1 of the story, when `day_counter` counts.
    day_origin: Option<PartialDate>,
}

impl<'a> CardInputs<'a> {
    /// The inputs of the card of entry `id`.
    fn new(
        site: &'a Site,
        terms: &'a TermHashes,
        id: usize,
        day_origin: Option<PartialDate>,
        root: &Path,
    ) -> Self {
        let entry = &site.entries[id];
        let image_file = entry
            .image
            .as_ref()
            .and_then(|i| local_file(entry, i))
            .map(|source| Copied::disk(&root.join(source)));
        CardInputs {
            image_file,
            slug: &entry.slug,
            title: &entry.title,
            summary: &entry.summary,
            importance: entry.importance,
            draft: entry.draft,
            date: entry.date,
            end_date: entry.end_date,
            shown: &entry.shown,
            start: entry.start,
            image: entry.image.as_ref(),
            terms: TermsOf::new(site, terms, id),
            position: (id, site.entries.len()),
            day_origin,
        }
    }
}

impl<'a> Card<'a> {
    /// The card made of `inputs`.
    fn new(inputs: CardInputs<'a>, shared: &Shared<'_>) -> Self {
        let config = shared.config;
        let urls = &shared.urls;
        let terms = inputs
            .terms
            .groups()
            .map(|(taxonomy, terms)| TermGroup {
                taxonomy,
                terms: terms
                    .map(|term| TermLink {
                        name: &term.name,
                        url: &term.url,
                        slug: &term.slug,
                    })
                    .collect(),
            })
            .filter(|g| !g.terms.is_empty())
            .collect();
        let tz = config.timezone;
        let (year, month) = inputs.date.local_year_month(tz);
        let end_date = inputs
            .end_date
            .as_ref()
            .zip(inputs.shown.1.clone())
            .map(|(d, shown)| DateView::shown(d, shown));
        let range_start = inputs
            .end_date
            .as_ref()
            .zip(end_date.as_ref())
            .and_then(|(end, shown)| short_range_start(&inputs.date, end, &shown.display));
        // Position on the index, which lists entries in the site's order.
        let (id, total) = inputs.position;
        let position = match config.order {
            Order::OldestFirst => id,
            Order::NewestFirst => total - 1 - id,
        };
        let index_page = urls.page("", position / config.paginate.max(1) + 1);
        let url = urls.entry(inputs.slug);
        Card {
            slug: inputs.slug,
            image: inputs.image.map(|image| {
                let file = match &inputs.image_file {
                    Some(Copied::Disk { path, .. }) => Some(path.as_path()),
                    _ => None,
                };
                sized_view(image, inputs.slug, file, shared)
            }),
            url,
            title: inputs.title,
            date: DateView::shown(&inputs.date, inputs.shown.0.clone()),
            end_date,
            summary: inputs.summary,
            importance: inputs.importance,
            draft: inputs.draft,
            terms,
            era: era_of(inputs.start, shared),
            day: day_of(&inputs.date, inputs.day_origin, shared),
            range_start,
            year_url: urls.year(year),
            month_url: month.map(|m| urls.month(year, m)),
            timeline_url: urls.anchor(&index_page, inputs.slug),
            level: if month.is_some() { 4 } else { 3 },
        }
    }
}

/// Every entry's card, each made the first time it is asked for (a full build
/// needs them all, a rebuild after one edit a handful), and every card's hash,
/// computed at once from the cards' inputs.
pub(crate) struct Cards<'a> {
    site: &'a Site,
    shared: &'a Shared<'a>,
    terms: &'a TermHashes,
    day_origin: Option<PartialDate>,
    hashes: Vec<u64>,
    made: Vec<OnceLock<Card<'a>>>,
}

impl<'a> Cards<'a> {
    /// The cards of `site`'s entries, none made yet.
    pub(crate) fn new(site: &'a Site, shared: &'a Shared<'a>, terms: &'a TermHashes) -> Self {
        let day_origin = day_origin(site, shared);
        let hashes = (0..site.entries.len())
            .into_par_iter()
            .map(|id| {
                let inputs = CardInputs::new(site, terms, id, day_origin, shared.root());
                crate::hash::fingerprint(&inputs)
            })
            .collect();
        Cards {
            site,
            shared,
            terms,
            day_origin,
            hashes,
            made: (0..site.entries.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The card of entry `id`, if there is such an entry.
    pub(crate) fn get(&self, id: usize) -> Option<&Card<'a>> {
        let made = self.made.get(id)?;
        Some(made.get_or_init(|| {
            Card::new(
                CardInputs::new(
                    self.site,
                    self.terms,
                    id,
                    self.day_origin,
                    self.shared.root(),
                ),
                self.shared,
            )
        }))
    }

    /// How many entries there are.
    pub(crate) fn len(&self) -> usize {
        self.made.len()
    }

    /// The card of entry `id` as a view value: hashed without being made.
    pub(crate) fn card(&self, id: usize) -> CardRef<'_, 'a> {
        CardRef { cards: self, id }
    }

    /// The terms of entry `id`, as a view value.
    pub(crate) fn terms(&self, id: usize) -> TermsOf<'a> {
        TermsOf::new(self.site, self.terms, id)
    }

    /// A short mention of entry `id`, as a view value.
    pub(crate) fn mention(&self, id: usize) -> Mention<'_, 'a> {
        Mention(self.card(id))
    }
}

impl<'a> std::ops::Index<usize> for Cards<'a> {
    type Output = Card<'a>;

    /// Panics when there is no entry `id`, as a slice does.
    fn index(&self, id: usize) -> &Card<'a> {
        match self.get(id) {
            Some(card) => card,
            None => panic!("no entry {id} among {} cards", self.len()),
        }
    }
}

/// An entry's card in a view: hashed as its inputs, made when serialised.
#[derive(Clone, Copy)]
pub(crate) struct CardRef<'c, 'a> {
    cards: &'c Cards<'a>,
    id: usize,
}

impl<'c, 'a> CardRef<'c, 'a> {
    /// The card itself, made now if it was not yet.
    pub(crate) fn get(&self) -> &'c Card<'a> {
        &self.cards[self.id]
    }

    /// The entry's file, for errors.
    pub(crate) fn path(&self) -> &'a std::path::Path {
        &self.cards.site.entries[self.id].path
    }

    /// The entry's id.
    pub(crate) fn id(&self) -> usize {
        self.id
    }
}

impl Hash for CardRef<'_, '_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.cards.hashes[self.id].hash(h);
    }
}

impl Serialize for CardRef<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

/// A short mention of an entry in a view ([`EntryRef`]): hashed as its card.
#[derive(Clone, Copy, Hash)]
pub(crate) struct Mention<'c, 'a>(CardRef<'c, 'a>);

impl Serialize for Mention<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        EntryRef::from(self.0.get()).serialize(serializer)
    }
}

/// The start of a range shown as "15–16 October 2017": both ends exact days of
/// the same month, and the end's display beginning with its day number (so a
/// US-style "October 16, 2017" format keeps the full "start – end").
fn short_range_start(start: &PartialDate, end: &PartialDate, end_shown: &str) -> Option<String> {
    let exact_day =
        |d: &PartialDate| d.precision() == Precision::Day && d.qualifier() == Qualifier::Exact;
    let same_month = start.year() == end.year() && start.month() == end.month();
    let end_day = end.day()?;
    (exact_day(start)
        && exact_day(end)
        && same_month
        && end_shown.starts_with(&format!("{end_day} ")))
    .then(|| start.day().map(|d| d.to_string()))
    .flatten()
}

/// The first era whose days contain an event starting at `start`.
fn era_of(start: DateTime<Utc>, shared: &Shared<'_>) -> Option<EraRef> {
    let config = shared.config;
    let tz = config.timezone;
    config
        .eras
        .iter()
        .enumerate()
        .find(|(_, era)| era.start.start(tz) <= start && start < era.end.end(tz))
        .map(|(index, era)| EraRef {
            index,
            title: era.title.clone(),
            start: era.start.display(&config.date_format, tz),
            end: era.end.display(&config.date_format, tz),
        })
}

/// Day 1 of the story, when the site counts days: the configured date, or the
/// first event known to the day (counting from an event known only to its year
/// would make up a day 1).
fn day_origin(site: &Site, shared: &Shared<'_>) -> Option<PartialDate> {
    match shared.config.day_counter {
        DayCounter::Off => None,
        DayCounter::FirstEvent => site
            .entries
            .iter()
            .find(|e| e.date.precision() >= Precision::Day)
            .map(|e| e.date),
        DayCounter::From(date) => Some(date),
    }
}

/// Day N of the story for events known to the day, counting the origin's day as
/// day 1, in the site's zone.
fn day_of(date: &PartialDate, origin: Option<PartialDate>, shared: &Shared<'_>) -> Option<i64> {
    let tz = shared.config.timezone;
    if date.precision() < Precision::Day {
        return None; // "Day 12" would claim more than an event known only to the month knows.
    }
    let day = |d: &PartialDate| d.start(tz).with_timezone(&tz).date_naive();
    let n = (day(date) - day(&origin?)).num_days() + 1;
    (n >= 1).then_some(n)
}

/// The image as the entry's pages show it; a local file is in the folder of
/// the entry `slug`.
/// The source of a local image among the entry's files, relative to the root.
pub(crate) fn local_file<'e>(
    entry: &'e crate::content::entry::Entry,
    image: &Image,
) -> Option<&'e Path> {
    let ImageSrc::Local(name) = &image.src else {
        return None;
    };
    entry
        .assets
        .iter()
        .find(|a| &a.name == name)
        .map(|a| a.source.as_path())
}

/// The view of `image` beside entry `slug`, with the size and `srcset` of
/// its published files when it is the local file at `file`.
pub(crate) fn sized_view(
    image: &Image,
    slug: &str,
    file: Option<&Path>,
    shared: &Shared<'_>,
) -> ImageView {
    let mut view = image_view(image, slug, shared);
    let display = file.and_then(images::display_size);
    let resized = file.is_some_and(images::strippable);
    match (display, &image.src) {
        // Copies are made of JPEG, PNG and WebP files only (see `derivatives`).
        (Some(display), ImageSrc::Local(name)) if resized => {
            let (srcset, (w, h)) = crate::render::derivatives::srcset(shared, slug, name, display);
            (view.width, view.height, view.srcset) = (Some(w), Some(h), srcset);
        }
        (Some((w, h)), _) => (view.width, view.height) = (Some(w), Some(h)),
        (None, _) => {}
    }
    view
}

pub(crate) fn image_view(image: &Image, slug: &str, shared: &Shared<'_>) -> ImageView {
    let src = match &image.src {
        ImageSrc::Remote(url) => url.clone(),
        ImageSrc::Local(name) => shared.urls.entry_file(slug, name),
    };
    ImageView {
        src,
        alt: image.alt.clone(),
        caption: image.caption.clone(),
        credit: image.credit.clone(),
        width: None,
        height: None,
        srcset: None,
    }
}
