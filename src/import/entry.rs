//! One [`Event`] → the text of its entry file: front matter that
//! `content::parse::parse` reads back without errors (dates at the precision
//! the timeline gives, the group as a tag, the media as the image or a link) and
//! a Markdown body.

use std::fmt::Write as _;

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use url::Url;

use super::html::plain_text;
use super::markdown::{link_destination, to_markdown};
use super::read::{DateParts, Event};
use crate::date::PartialDate;
use crate::slug;

/// An event ready to be written once its slug is known to be unique.
#[derive(Debug)]
pub(super) struct Draft {
    /// The start date as the file name begins: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub(super) prefix: String,
    /// The slug before duplicates are numbered.
    pub(super) slug: String,
    /// The front matter's lines, without the `---` fences.
    front: String,
    body: String,
    /// What was left out, for the editor.
    pub(super) notes: Vec<String>,
}

impl Draft {
    /// The file name and text of the entry with slug `slug`, published at
    /// `published` (RFC 3339). The file name gives the slug unless the slug
    /// itself starts like a date the file name's date would swallow (`2017` +
    /// `10-x`); the front matter then says it.
    pub(super) fn finish(self, slug: &str, published: &str) -> (String, String) {
        let stem = format!("{}-{slug}", self.prefix);
        let mut text = format!("---\n{}", self.front);
        // The import is when the entries go up on this site: without it
        // `published` would be the event's date and feed readers would file
        // them among items years old.
        let _ = writeln!(text, "published: {published}");
        if slug::from_stem(&stem) != slug {
            let _ = writeln!(text, "slug: {slug}");
        }
        text.push_str("---\n");
        if !self.body.is_empty() {
            text.push('\n');
            text.push_str(&self.body);
            text.push('\n');
        }
        (format!("{stem}.md"), text)
    }
}

/// The draft entry for `event`, or what is wrong with it.
pub(super) fn draft(event: &Event, tz: Tz) -> Result<Draft, String> {
    let start = date_text(&event.start, tz)?;
    let prefix = start.get(..10).unwrap_or(&start).to_string();
    let display = event.display_date.as_deref().map(plain_text);
    let end = event.end.as_ref().map(|e| date_text(e, tz)).transpose()?;
    check_order(&start, end.as_deref(), tz)?;
    let title = plain_text(&event.headline);
    if title.is_empty() {
        return Err("the event has no headline".into());
    }
    let slug = event
        .unique_id
        .as_deref()
        .map(slug::normalize)
        .filter(|s| !s.is_empty())
        .or_else(|| Some(slug::normalize(&title)).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "event".to_string());
    let mut notes = Vec::new();
    let mut front = String::new();
    let _ = writeln!(front, "title: {}", quote(&title));
    let qualifier = qualifier(display.as_deref());
    let _ = writeln!(front, "date: {start}{qualifier}");
    if let Some(end) = end {
        let _ = writeln!(front, "end_date: {end}");
    }
    if let Some(group) = &event.group {
        match tag(group) {
            Ok(tag) => {
                let _ = writeln!(front, "tags: [{}]", quote(&tag));
            }
            Err(note) => notes.push(note),
        }
    }
    let mut body = to_markdown(&event.text);
    match event.media.as_deref().map(media) {
        Some(Media::Image(url)) => front.push_str(&image(event, &url, &title)),
        Some(Media::Link(url)) => {
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            let _ = write!(body, "[Media](<{}>)", link_destination(&url));
        }
        Some(Media::Dropped(note)) => notes.push(note),
        None => {}
    }
    if let Some(display) = display {
        let _ = writeln!(front, "extra:\n  display_date: {}", quote(&display));
    }
    Ok(Draft {
        prefix,
        slug,
        front,
        body,
        notes,
    })
}

/// The tag a group becomes. A group whose text has no letter or digit
/// (`</script>`, `★`, or a script `slug::normalize` does not transliterate, such
/// as Cyrillic) has no URL to give its term page: dateline would refuse the entry
/// at build. It is dropped with a note naming the event rather than refused, so
/// one odd label does not block the whole import; the editor can add a tag.
fn tag(group: &str) -> Result<String, String> {
    let text = plain_text(group);
    if slug::normalize(&text).is_empty() {
        return Err(format!(
            "group `{}` has no letters or digits to make a tag URL from, so the entry has no tag; add `tags: [\"…\"]` by hand",
            excerpt(group)
        ));
    }
    Ok(text)
}

/// Where an event's media goes.
enum Media {
    /// An http(s) address of an image file: the entry's `image`.
    Image(Url),
    /// Any other http(s) address: a `[Media](<…>)` link after the body.
    Link(Url),
    /// Anything else, with the note that says so.
    Dropped(String),
}

/// Sorts the media address. Only an address that parses as http(s) is written,
/// and only in the URL crate's serialisation, which percent-encodes spaces,
/// quotes and `<>`: written as is, `https://x.org/v> <img src=x onerror=…>`
/// became raw HTML in the body, and script under `allow_raw_html: true`.
/// Anything else (embed code such as `<iframe …>` or a tweet's `<blockquote>`,
/// which TimelineJS accepts; a relative path; `javascript:`) is dropped with a
/// note naming the event: dateline has no field for it, and refusing the whole
/// import would make the editor delete it from the timeline first.
fn media(raw: &str) -> Media {
    let Some(url) = Url::parse(raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
    else {
        return Media::Dropped(format!(
            "media `{}` is not an http(s) address and is not imported; add it to the entry by hand",
            excerpt(raw)
        ));
    };
    let path = url.path().to_ascii_lowercase();
    let is_image = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"]
        .iter()
        .any(|e| path.ends_with(e));
    if is_image {
        Media::Image(url)
    } else {
        Media::Link(url)
    }
}

/// `raw` shortened for a note, with control characters (which a terminal
/// would act on) shown as spaces.
fn excerpt(raw: &str) -> String {
    let mut shown: String = raw
        .chars()
        .take(60)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if raw.chars().nth(60).is_some() {
        shown.push('…');
    }
    shown
}

/// The `image:` block. The text alternative is the event's, else its caption,
/// else the headline, since dateline requires one.
fn image(event: &Event, url: &Url, title: &str) -> String {
    let caption = event
        .caption
        .as_deref()
        .map(plain_text)
        .filter(|c| !c.is_empty());
    let alt = event
        .alt
        .as_deref()
        .map(plain_text)
        .filter(|a| !a.is_empty())
        .or_else(|| caption.clone())
        .unwrap_or_else(|| title.to_string());
    let mut y = format!(
        "image:\n  src: {}\n  alt: {}\n",
        quote(url.as_str()),
        quote(&alt)
    );
    if let Some(c) = caption {
        let _ = writeln!(y, "  caption: {}", quote(&c));
    }
    if let Some(c) = event.credit.as_deref().map(plain_text) {
        if !c.is_empty() {
            let _ = writeln!(y, "  credit: {}", quote(&c));
        }
    }
    y
}

/// `text` as a YAML double-quoted scalar on one line. Characters YAML does not
/// allow in a file (C0 and C1 controls, U+FFFE/U+FFFF) or reads as line breaks
/// (U+0085, U+2028, U+2029) are escaped, so any text reads back as written.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Refuses an end before the start, as dateline would at build.
fn check_order(start: &str, end: Option<&str>, tz: Tz) -> Result<(), String> {
    let (Ok(start), Some(Ok(last))) = (PartialDate::parse(start), end.map(PartialDate::parse))
    else {
        return Ok(());
    };
    if last.ends_before(&start, tz) {
        return Err(format!(
            "the event ends ({}) before it starts ({})",
            last.edtf(),
            start.edtf()
        ));
    }
    Ok(())
}

/// The date in dateline's form at the precision the parts know. A time is local to
/// the site's zone, since TimelineJS times carry no offset. The result is checked
/// with dateline's own date parser, so the entry reads back.
fn date_text(parts: &DateParts, tz: Tz) -> Result<String, String> {
    let text = date_parts_text(parts, tz)?;
    PartialDate::parse(&text).map_err(|e| format!("date `{text}`: {}", e.message))?;
    Ok(text)
}

fn date_parts_text(parts: &DateParts, tz: Tz) -> Result<String, String> {
    let number = |text: &str, what: &str| {
        text.parse::<u32>()
            .map_err(|_| format!("{what} `{text}` is not a number"))
    };
    if parts.year.is_empty() {
        return Err("the event has no year".into());
    }
    let year = parts
        .year
        .parse::<i32>()
        .map_err(|_| format!("year `{}` is not a number", parts.year))?;
    if !(0..=9999).contains(&year) {
        return Err(format!(
            "year {year} is outside 0–9999, which dateline cannot show"
        ));
    }
    if parts.month.is_empty() {
        return Ok(format!("{year:04}"));
    }
    let month = number(&parts.month, "month")?;
    if parts.day.is_empty() {
        return Ok(format!("{year:04}-{month:02}"));
    }
    let day = number(&parts.day, "day")?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(format!(
        "{year:04}-{month:02}-{day:02} is not a day of the calendar"
    ))?;
    if parts.time.is_empty() {
        return Ok(date.format("%Y-%m-%d").to_string());
    }
    let (hour, minute, second) = time_of_day(&parts.time)?;
    let local = date
        .and_hms_opt(hour, minute, second)
        .ok_or(format!("time `{}` is not a time of day", parts.time))?;
    let instant = tz
        .from_local_datetime(&local)
        .earliest()
        .ok_or(format!("{local} does not exist in {tz}"))?;
    Ok(instant.fixed_offset().to_rfc3339())
}

/// Reads `15:21`, `15:21:30`, `3:21 PM` or `3 pm`, as TimelineJS itself does.
fn time_of_day(text: &str) -> Result<(u32, u32, u32), String> {
    let lower = text.trim().to_ascii_lowercase();
    let (clock, meridiem) = match lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("p.m."))
    {
        Some(rest) => (rest.trim(), Some(12)),
        None => match lower
            .strip_suffix("am")
            .or_else(|| lower.strip_suffix("a.m."))
        {
            Some(rest) => (rest.trim(), Some(0)),
            None => (lower.as_str(), None),
        },
    };
    let bad =
        || format!("time `{text}` is not a time of day; write `15:21`, `15:21:30` or `3:21 PM`");
    let parts: Vec<u32> = clock
        .split(':')
        .map(|p| p.trim().parse().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let (mut hour, minute, second) = match parts.as_slice() {
        [h] => (*h, 0, 0),
        [h, m] => (*h, *m, 0),
        [h, m, s] => (*h, *m, *s),
        _ => return Err(bad()),
    };
    if let Some(offset) = meridiem {
        if !(1..=12).contains(&hour) {
            return Err(bad());
        }
        hour = hour % 12 + offset;
    }
    Ok((hour, minute, second))
}

/// The EDTF qualifier a display date implies: "c. 2006" is approximate (`~`),
/// "9 October 2017?" uncertain (`?`), as dateline's own export writes them.
fn qualifier(display: Option<&str>) -> &'static str {
    let Some(display) = display.map(|d| d.trim().to_lowercase()) else {
        return "";
    };
    if display.starts_with("c.") || display.starts_with("ca.") || display.starts_with("circa") {
        "~"
    } else if display.ends_with('?') {
        "?"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    const PUBLISHED: &str = "2026-12-08T09:30:00+01:00";
    use std::collections::BTreeSet;

    use super::*;

    fn parts(y: &str, m: &str, d: &str, t: &str) -> DateParts {
        DateParts {
            year: y.into(),
            month: m.into(),
            day: d.into(),
            time: t.into(),
        }
    }

    /// The entry dateline reads from `text`, or its diagnostics.
    fn parse(text: String) -> crate::content::entry::Entry {
        let config = crate::site::config::parse("title: T\nbase_url: https://e.org/\n", None)
            .expect("config");
        let file = crate::content::load::SourceFile {
            path: "content/2017-x.md".into(),
            text,
        };
        let (entry, diagnostics) = crate::content::parse::parse(file, &BTreeSet::new(), &config);
        entry.unwrap_or_else(|| panic!("{diagnostics:#?}"))
    }

    fn event(headline: &str) -> Event {
        Event {
            origin: "event 1".into(),
            start: parts("2017", "10", "15", ""),
            headline: headline.into(),
            ..Event::default()
        }
    }

    #[test]
    fn dates_keep_their_precision() {
        let tz = chrono_tz::America::Los_Angeles;
        assert_eq!(date_text(&parts("2006", "", "", ""), tz), Ok("2006".into()));
        assert_eq!(
            date_text(&parts("2017", "10", "", ""), tz),
            Ok("2017-10".into())
        );
        assert_eq!(
            date_text(&parts("2017", "10", "5", ""), tz),
            Ok("2017-10-05".into())
        );
        assert_eq!(
            date_text(&parts("2017", "10", "15", "12:21"), tz),
            Ok("2017-10-15T12:21:00-07:00".into())
        );
        assert!(date_text(&parts("2017", "13", "", ""), tz).is_err());
        assert!(date_text(&parts("-500", "", "", ""), tz).is_err());
        assert_eq!(
            date_text(&parts("", "", "", ""), tz),
            Err("the event has no year".into())
        );
    }

    #[test]
    fn reads_times_as_timelinejs_does() {
        assert_eq!(time_of_day("15:21"), Ok((15, 21, 0)));
        assert_eq!(time_of_day("15:21:30"), Ok((15, 21, 30)));
        assert_eq!(time_of_day("3:21 PM"), Ok((15, 21, 0)));
        assert_eq!(time_of_day("12:05 am"), Ok((0, 5, 0)));
        assert_eq!(time_of_day("12 PM"), Ok((12, 0, 0)));
        assert!(time_of_day("13:00 PM").is_err());
        assert!(time_of_day("noon").is_err());
    }

    #[test]
    fn display_dates_carry_qualifiers_back() {
        assert_eq!(qualifier(Some("c. 2006")), "~");
        assert_eq!(qualifier(Some("Circa 1990")), "~");
        assert_eq!(qualifier(Some("9 October 2017?")), "?");
        assert_eq!(qualifier(Some("Sunday")), "");
        assert_eq!(qualifier(None), "");
    }

    #[test]
    fn writes_front_matter_that_dateline_reads() {
        let event = Event {
            text: "<p>Body</p>".into(),
            group: Some("#MeToo".into()),
            media: Some("https://x.org/a.jpg".into()),
            credit: Some("AP".into()),
            display_date: Some("Sunday".into()),
            ..event("Milano&rsquo;s <b>call</b>: \"Me too\"")
        };
        let approximate = draft(
            &Event {
                display_date: Some("c. 2017".into()),
                ..event.clone()
            },
            Tz::UTC,
        )
        .expect("entry");
        assert_eq!(
            approximate.prefix, "2017-10-15",
            "the qualifier stays out of the file name"
        );
        let (_, text) = approximate.finish("x", PUBLISHED);
        assert!(text.contains("date: 2017-10-15~"), "{text}");
        let d = draft(&event, Tz::UTC).expect("entry");
        assert_eq!(
            (d.prefix.as_str(), d.slug.as_str()),
            ("2017-10-15", "milano-s-call-me-too")
        );
        let (name, text) = d.finish("milano-s-call-me-too", PUBLISHED);
        assert_eq!(name, "2017-10-15-milano-s-call-me-too.md");
        assert!(
            !text.contains("slug:"),
            "the file name says the slug: {text}"
        );
        let entry = parse(text);
        assert_eq!(entry.title, "Milano\u{2019}s call: \u{201c}Me too\u{201d}");
        assert_eq!(entry.terms[0][0].name, "#MeToo");
        assert_eq!(entry.extra["display_date"], "Sunday");
        assert!(entry.image.is_some());
        assert_eq!(
            entry.published_at.to_rfc3339(),
            "2026-12-08T08:30:00+00:00",
            "published when imported, not on the event's date"
        );
    }

    #[test]
    fn media_is_written_only_as_an_http_address() {
        let hostile = "https://x.org/v> <img src=x onerror=alert(2)> <x";
        let d = draft(
            &Event {
                media: Some(hostile.into()),
                ..event("A")
            },
            Tz::UTC,
        )
        .expect("entry");
        let (_, text) = d.finish("a", PUBLISHED);
        assert!(
            text.ends_with(
                "\n[Media](<https://x.org/v%3E%20%3Cimg%20src=x%20onerror=alert(2)%3E%20%3Cx>)\n"
            ),
            "{text}"
        );
        assert!(!text.contains("<img"), "{text}");
        for dropped in [
            "<iframe src=https://x.org></iframe>",
            "javascript:alert(1)",
            "photo.jpg",
            "http://",
        ] {
            let d = draft(
                &Event {
                    media: Some(dropped.into()),
                    ..event("A")
                },
                Tz::UTC,
            )
            .expect("entry");
            assert_eq!(d.notes.len(), 1, "{dropped}");
            assert!(
                d.notes[0].contains("not an http(s) address"),
                "{:?}",
                d.notes
            );
            let (_, text) = d.finish("a", PUBLISHED);
            assert!(!text.contains("Media") && !text.contains("image"), "{text}");
        }
    }

    #[test]
    fn image_addresses_are_serialised_and_quoted() {
        let d = draft(
            &Event {
                media: Some("https://x.org/a b\".JPG?q=\"><script>".into()),
                caption: Some("<i></i>".into()),
                alt: Some("<b></b>".into()),
                ..event("Headline")
            },
            Tz::UTC,
        )
        .expect("entry");
        let (_, text) = d.finish("a", PUBLISHED);
        assert!(
            text.contains("src: \"https://x.org/a%20b%22.JPG?q=%22%3E%3Cscript%3E\""),
            "{text}"
        );
        let entry = parse(text);
        let image = entry.image.expect("an image");
        assert_eq!(image.alt, "Headline", "empty alt and caption fall back");
        assert_eq!(image.caption, None);
    }

    #[test]
    fn groups_without_letters_or_digits_are_dropped_with_a_note() {
        for group in ["</script>", "<b></b>", "★ ★"] {
            let d = draft(
                &Event {
                    group: Some(group.into()),
                    ..event("A")
                },
                Tz::UTC,
            )
            .expect("entry");
            assert_eq!(d.notes.len(), 1, "{group}");
            assert!(d.notes[0].contains("no letters or digits"), "{:?}", d.notes);
            let (_, text) = d.finish("a", PUBLISHED);
            assert!(!text.contains("tags:"), "{text}");
            parse(text);
        }
    }

    #[test]
    fn groups_in_any_script_are_kept() {
        let d = draft(
            &Event {
                group: Some("Россия".into()),
                ..event("A")
            },
            Tz::UTC,
        )
        .expect("entry");
        assert!(d.notes.is_empty(), "{:?}", d.notes);
        let (_, text) = d.finish("a", PUBLISHED);
        assert!(text.contains("tags: [\"Россия\"]"), "{text}");
        parse(text);
    }

    #[test]
    fn titles_with_any_character_read_back() {
        let d = draft(&event("a\u{85}b\u{7f}c\u{2028}d\u{fffe}e\"\\f"), Tz::UTC).expect("entry");
        let (_, text) = d.finish("x", PUBLISHED);
        assert_eq!(parse(text).title, "a bc d\u{fffe}e\u{201d}\\f");
    }

    #[test]
    fn a_slug_the_file_name_would_change_is_written_out() {
        let year_only = Event {
            start: parts("2017", "", "", ""),
            ..event("12")
        };
        let d = draft(&year_only, Tz::UTC).expect("entry");
        let (name, text) = d.finish("12", PUBLISHED);
        assert_eq!(name, "2017-12.md");
        assert!(text.contains("\nslug: 12\n"), "{text}");
        assert_eq!(parse(text).slug, "12");
    }
}
