//! `dateline import timelinejs`: turns a TimelineJS3 timeline (its JSON, or the
//! Google-Sheet template exported as CSV) into one entry file per event under
//! `content/`, keeping each date's precision, so a newsroom moves an existing
//! timeline in one command. Nothing is written if any event is invalid or any
//! target file already exists.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use serde_json::Value;

use crate::date::PartialDate;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::slug;

/// One event as read from either format.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    /// Where it came from, for messages: "event 3", "row 5".
    pub origin: String,
    /// Date parts as written.
    pub start: DateParts,
    /// End date parts, when given.
    pub end: Option<DateParts>,
    /// Display date text, when the timeline overrides the computed one.
    pub display_date: Option<String>,
    /// Headline (may hold HTML).
    pub headline: String,
    /// Body (may hold HTML).
    pub text: String,
    /// Media URL.
    pub media: Option<String>,
    /// Media caption.
    pub caption: Option<String>,
    /// Media credit.
    pub credit: Option<String>,
    /// Media text alternative.
    pub alt: Option<String>,
    /// Group, which becomes a tag.
    pub group: Option<String>,
    /// TimelineJS `unique_id`, preferred for the slug.
    pub unique_id: Option<String>,
}

/// TimelineJS date fields, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateParts {
    /// Year.
    pub year: String,
    /// Month.
    pub month: String,
    /// Day.
    pub day: String,
    /// `HH:MM[:SS]`, or hour and minute joined by the reader.
    pub time: String,
}

/// What an import wrote.
#[derive(Debug)]
pub struct ImportReport {
    /// Files written, relative to the site root.
    pub written: Vec<PathBuf>,
    /// Things the editor should know (title slide and eras not imported).
    pub notes: Vec<String>,
}

/// Imports `file` (`.json` or `.csv`) into `<root>/content/`.
pub fn timelinejs(file: &Path, root: &Path) -> Result<ImportReport, Error> {
    let bytes = std::fs::read(file).map_err(Error::io("read", file))?;
    let text = crate::content::load::decode(file, bytes).map_err(|d| Error::Invalid(vec![d]))?;
    let is_csv = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (events, notes) = if is_csv {
        read_csv(file, &text)?
    } else {
        read_json(file, &text)?
    };
    let tz = crate::site::config::load(root, None).map_or(Tz::UTC, |c| c.timezone);
    let content = root.join(crate::content::load::CONTENT_DIR);
    let mut problems = Vec::new();
    let mut planned: Vec<(PathBuf, String)> = Vec::new();
    let mut used = BTreeSet::new();
    for event in &events {
        match entry_text(event, tz) {
            Ok((prefix, base_slug, text)) => {
                let mut slug = base_slug.clone();
                let mut n = 2;
                while !used.insert(slug.clone()) {
                    slug = format!("{base_slug}-{n}");
                    n += 1;
                }
                planned.push((content.join(format!("{prefix}-{slug}.md")), text));
            }
            Err(message) => problems.push(
                Diagnostic::error(file, format!("{}: {message}", event.origin))
                    .help("fix the event in the source timeline and import again"),
            ),
        }
    }
    for (path, _) in &planned {
        if path.exists() {
            let rel = path.strip_prefix(root).unwrap_or(path);
            problems.push(
                Diagnostic::error(rel, "already exists; import does not overwrite files").help(
                    "move or delete the existing file, or import into a new site with `--root`",
                ),
            );
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    std::fs::create_dir_all(&content).map_err(Error::io("create folder", &content))?;
    let mut written = Vec::new();
    for (path, text) in planned {
        // `create_new` so a file that appeared since the check is still not overwritten.
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(Error::io("create", &path))?;
        f.write_all(text.as_bytes())
            .map_err(Error::io("write", &path))?;
        written.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
    }
    Ok(ImportReport { written, notes })
}

fn read_json(file: &Path, text: &str) -> Result<(Vec<Event>, Vec<String>), Error> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        Error::Invalid(vec![Diagnostic::error(
            file,
            format!("not valid JSON: {e}"),
        )
        .at_line(e.line())
        .help(
            "export the timeline's JSON again, or use the Google Sheet's CSV export",
        )])
    })?;
    let Some(items) = doc.get("events").and_then(Value::as_array) else {
        return Err(Error::Invalid(vec![Diagnostic::error(
            file,
            "no `events` list: this is not a TimelineJS3 timeline",
        )]));
    };
    let s = |v: Option<&Value>| -> String {
        match v {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let opt = |v: Option<&Value>| Some(s(v)).filter(|t| !t.is_empty());
    let parts = |d: &Value| DateParts {
        year: s(d.get("year")),
        month: s(d.get("month")),
        day: s(d.get("day")),
        time: match (opt(d.get("hour")), opt(d.get("minute"))) {
            (Some(h), m) => format!("{h}:{}", m.unwrap_or_else(|| "00".into())),
            _ => String::new(),
        },
    };
    let events = items
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let start = e.get("start_date").map(parts).unwrap_or_default();
            Event {
                origin: format!("event {}", i + 1),
                display_date: opt(e.get("display_date"))
                    .or_else(|| e.get("start_date").and_then(|d| opt(d.get("display_date")))),
                end: e.get("end_date").map(parts).filter(|p| !p.year.is_empty()),
                start,
                headline: s(e.pointer("/text/headline")),
                text: s(e.pointer("/text/text")),
                media: opt(e.pointer("/media/url")),
                caption: opt(e.pointer("/media/caption")),
                credit: opt(e.pointer("/media/credit")),
                alt: opt(e.pointer("/media/alt")),
                group: opt(e.get("group")),
                unique_id: opt(e.get("unique_id")),
            }
        })
        .collect();
    let mut notes = Vec::new();
    if doc.get("title").is_some() {
        notes.push("the title slide is not imported: put its headline and text in `site.yaml` (`title`, `description`)".to_string());
    }
    if doc
        .get("eras")
        .and_then(Value::as_array)
        .is_some_and(|e| !e.is_empty())
    {
        notes.push("eras are not imported: copy them to `eras:` in `site.yaml`".to_string());
    }
    Ok((events, notes))
}

fn read_csv(file: &Path, text: &str) -> Result<(Vec<Event>, Vec<String>), Error> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            Error::Invalid(vec![Diagnostic::error(
                file,
                format!("cannot read the CSV header: {e}"),
            )])
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    if column("year").is_none() || column("headline").is_none() {
        return Err(Error::Invalid(vec![Diagnostic::error(
            file,
            "the CSV has no `Year` and `Headline` columns",
        )
        .help(
            "export the TimelineJS Google Sheet template with File → Download → CSV",
        )]));
    }
    let mut events = Vec::new();
    let mut notes = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| {
            Error::Invalid(vec![
                Diagnostic::error(file, format!("row {row}: {e}")).at_line(row)
            ])
        })?;
        let get = |name: &str| {
            column(name)
                .and_then(|c| record.get(c))
                .map(str::trim)
                .unwrap_or("")
                .to_string()
        };
        let opt = |name: &str| Some(get(name)).filter(|t| !t.is_empty());
        match get("type").to_lowercase().as_str() {
            "title" => {
                notes.push(format!(
                    "row {row}: the title slide is not imported: put it in `site.yaml`"
                ));
                continue;
            }
            "era" => {
                notes.push(format!(
                    "row {row}: era `{}` is not imported: add it to `eras:` in `site.yaml`",
                    get("headline")
                ));
                continue;
            }
            _ => {}
        }
        if get("year").is_empty() && get("headline").is_empty() {
            continue;
        }
        let end = DateParts {
            year: get("end year"),
            month: get("end month"),
            day: get("end day"),
            time: get("end time"),
        };
        events.push(Event {
            origin: format!("row {row}"),
            start: DateParts {
                year: get("year"),
                month: get("month"),
                day: get("day"),
                time: get("time"),
            },
            end: (!end.year.is_empty()).then_some(end),
            display_date: opt("display date"),
            headline: get("headline"),
            text: get("text"),
            media: opt("media"),
            caption: opt("media caption"),
            credit: opt("media credit"),
            alt: opt("media alt"),
            group: opt("group"),
            unique_id: None,
        });
    }
    Ok((events, notes))
}

/// The date in dateline's form at the precision the parts know. A time is local to
/// the site's zone, since TimelineJS times carry no offset.
fn date_text(parts: &DateParts, tz: Tz) -> Result<String, String> {
    let number = |text: &str, what: &str| {
        text.parse::<u32>()
            .map_err(|_| format!("{what} `{text}` is not a number"))
    };
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
        PartialDate::parse(&format!("{year:04}-{month:02}")).map_err(|e| e.message)?;
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

/// `(file name prefix, slug, file text)` for one event.
fn entry_text(event: &Event, tz: Tz) -> Result<(String, String, String), String> {
    let plain = date_text(&event.start, tz)?;
    let prefix = plain.get(..10).unwrap_or(&plain).to_string();
    let date = format!("{plain}{}", qualifier(event.display_date.as_deref()));
    let end = event.end.as_ref().map(|e| date_text(e, tz)).transpose()?;
    if let (Ok(start), Some(Ok(last))) = (
        PartialDate::parse(&plain),
        end.as_deref().map(PartialDate::parse),
    ) {
        if last.ends_before(&start, tz) {
            return Err(format!(
                "the event ends ({}) before it starts ({})",
                last.edtf(),
                start.edtf()
            ));
        }
    }
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
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut y = String::from("---\n");
    let _ = writeln!(y, "title: {}", q(&title));
    let _ = writeln!(y, "date: {date}");
    if let Some(end) = end {
        let _ = writeln!(y, "end_date: {end}");
    }
    if let Some(group) = &event.group {
        let _ = writeln!(y, "tags: [{}]", q(&plain_text(group)));
    }
    let mut body = html_to_markdown(&event.text);
    if let Some(url) = &event.media {
        if is_image(url) {
            let alt = event
                .alt
                .clone()
                .or_else(|| event.caption.as_deref().map(plain_text))
                .unwrap_or_else(|| title.clone());
            let _ = write!(y, "image:\n  src: {}\n  alt: {}\n", q(url), q(&alt));
            if let Some(c) = &event.caption {
                let _ = writeln!(y, "  caption: {}", q(&plain_text(c)));
            }
            if let Some(c) = &event.credit {
                let _ = writeln!(y, "  credit: {}", q(&plain_text(c)));
            }
        } else {
            let _ = write!(body, "\n\nMedia: <{url}>");
        }
    }
    if let Some(display) = &event.display_date {
        let _ = writeln!(y, "extra:\n  display_date: {}", q(&plain_text(display)));
    }
    y.push_str("---\n");
    if !body.trim().is_empty() {
        y.push('\n');
        y.push_str(body.trim());
        y.push('\n');
    }
    Ok((prefix, slug, y))
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

fn is_image(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("").to_lowercase();
    (url.starts_with("http://") || url.starts_with("https://"))
        && [".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"]
            .iter()
            .any(|e| path.ends_with(e))
}

/// Text with tags removed and entities decoded.
fn plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = rest[lt..].find('>').map_or("", |gt| &rest[lt + gt + 1..]);
    }
    out.push_str(rest);
    decode_entities(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Converts the simple HTML TimelineJS text holds (paragraphs, line breaks, links,
/// bold, italics) to Markdown; other tags are dropped and their text kept.
pub fn html_to_markdown(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut link_stack: Vec<Option<String>> = Vec::new();
    while let Some(lt) = rest.find('<') {
        out.push_str(&escape_markdown(&decode_entities(&rest[..lt])));
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div", true) | ("br", _) => {
                out.push_str(if name == "br" { "  \n" } else { "\n\n" })
            }
            ("strong" | "b", _) => out.push_str("**"),
            ("em" | "i", _) => out.push('*'),
            ("a", false) => {
                let href = attribute(tag, "href").filter(|h| {
                    h.starts_with("http://")
                        || h.starts_with("https://")
                        || h.starts_with("mailto:")
                });
                if href.is_some() {
                    out.push('[');
                }
                link_stack.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = link_stack.pop() {
                    let _ = write!(out, "](<{href}>)");
                }
            }
            _ => {}
        }
    }
    out.push_str(&escape_markdown(&decode_entities(rest)));
    let paragraphs: Vec<String> = out
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim_start)
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_string()
        })
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    let value = match value.chars().next()? {
        q @ ('"' | '\'') => value[1..].split(q).next()?,
        _ => value
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()?,
    };
    Some(decode_entities(value))
}

/// Escapes characters that would start Markdown markup in imported plain text.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '`' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(y: &str, m: &str, d: &str, t: &str) -> DateParts {
        DateParts {
            year: y.into(),
            month: m.into(),
            day: d.into(),
            time: t.into(),
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
    fn converts_simple_html() {
        assert_eq!(
            html_to_markdown("<p>One <b>bold</b> <a href=\"https://x.org\">link</a></p><p>Two&nbsp;&amp; <i>it</i><br>next</p>"),
            "One **bold** [link](<https://x.org>)\n\nTwo & *it*  \nnext"
        );
        assert_eq!(html_to_markdown("<span>x</span> a * b"), "x a \\* b");
        assert_eq!(
            plain_text("<a href=\"x\">Tom &amp; Jerry</a>"),
            "Tom & Jerry"
        );
    }

    #[test]
    fn writes_front_matter_that_dateline_reads() {
        let event = Event {
            origin: "event 1".into(),
            start: parts("2017", "10", "15", ""),
            headline: "Milano's <b>call</b>: \"Me too\"".into(),
            text: "<p>Body</p>".into(),
            group: Some("#MeToo".into()),
            media: Some("https://x.org/a.jpg".into()),
            credit: Some("AP".into()),
            display_date: Some("Sunday".into()),
            ..Event::default()
        };
        let (prefix, _, text) = entry_text(
            &Event {
                display_date: Some("c. 2017".into()),
                ..event.clone()
            },
            Tz::UTC,
        )
        .expect("entry");
        assert_eq!(
            prefix, "2017-10-15",
            "the qualifier stays out of the file name"
        );
        assert!(text.contains("date: 2017-10-15~"), "{text}");
        let (prefix, slug, text) = entry_text(&event, Tz::UTC).expect("entry");
        assert_eq!(
            (prefix.as_str(), slug.as_str()),
            ("2017-10-15", "milano-s-call-me-too")
        );
        let config = crate::site::config::parse("title: T\nbase_url: https://e.org/\n", None)
            .expect("config");
        let file = crate::content::load::SourceFile {
            path: "content/x.md".into(),
            text,
        };
        let (entry, diagnostics) = crate::content::parse::parse(file, &BTreeSet::new(), &config);
        let entry = entry.unwrap_or_else(|| panic!("{diagnostics:#?}"));
        assert_eq!(entry.title, "Milano's call: \"Me too\"");
        assert_eq!(entry.terms[0][0].name, "#MeToo");
        assert_eq!(entry.extra["display_date"], "Sunday");
        assert!(entry.image.is_some());
    }
}
