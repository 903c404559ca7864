//! The two TimelineJS3 inputs read into one list of [`Event`]s: the timeline's
//! JSON (`{"events": […]}`, as TimelineJS loads it) and the Google-Sheet template
//! exported as CSV. Fields are kept as written, HTML and all; what they mean is
//! decided in `entry.rs`.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::diagnostic::Diagnostic;

/// One event as read from either format.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Event {
    /// Where it came from, for messages: "event 3", "row 5".
    pub(super) origin: String,
    /// The line of the file it starts on, when the reader knows it (CSV).
    pub(super) line: Option<usize>,
    /// Date parts as written.
    pub(super) start: DateParts,
    /// End date parts, when given.
    pub(super) end: Option<DateParts>,
    /// Display date text, when the timeline overrides the computed one.
    pub(super) display_date: Option<String>,
    /// Headline (may hold HTML).
    pub(super) headline: String,
    /// Body (may hold HTML).
    pub(super) text: String,
    /// Media URL.
    pub(super) media: Option<String>,
    /// Media caption.
    pub(super) caption: Option<String>,
    /// Media credit.
    pub(super) credit: Option<String>,
    /// Media text alternative.
    pub(super) alt: Option<String>,
    /// Group, which becomes a tag.
    pub(super) group: Option<String>,
    /// TimelineJS `unique_id`, preferred for the slug.
    pub(super) unique_id: Option<String>,
}

/// TimelineJS date fields, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct DateParts {
    /// Year.
    pub(super) year: String,
    /// Month.
    pub(super) month: String,
    /// Day.
    pub(super) day: String,
    /// `HH:MM[:SS]`, or hour, minute and second joined by the reader.
    pub(super) time: String,
}

/// What a file holds: its events, and notes on what is not imported.
#[derive(Debug, Default)]
pub(super) struct Timeline {
    /// The events, in the file's order.
    pub(super) events: Vec<Event>,
    /// The title slide and eras, which belong in `site.yaml`.
    pub(super) notes: Vec<String>,
}

/// Reads a TimelineJS3 JSON document.
pub(super) fn json(file: &Path, text: &str) -> Result<Timeline, Diagnostic> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(file, format!("not valid JSON: {e}"))
            .at_line(e.line())
            .help("export the timeline's JSON again, or use the Google Sheet's CSV export")
    })?;
    let Some(items) = doc.get("events").and_then(Value::as_array) else {
        return Err(Diagnostic::error(
            file,
            "no `events` list: this is not a TimelineJS3 timeline",
        )
        .help("a TimelineJS3 file is a JSON object with an `events` list"));
    };
    let events = items
        .iter()
        .enumerate()
        .map(|(i, e)| json_event(i, e))
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
    Ok(Timeline { events, notes })
}

/// A JSON value as text: strings trimmed, numbers as written, anything else empty.
fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn optional(v: Option<&Value>) -> Option<String> {
    Some(text_of(v)).filter(|t| !t.is_empty())
}

/// A TimelineJS date object's parts; the time is joined as `H:M[:S]`.
fn json_date(d: &Value) -> DateParts {
    let time = match (
        optional(d.get("hour")),
        optional(d.get("minute")),
        optional(d.get("second")),
    ) {
        (Some(h), m, Some(s)) => format!("{h}:{}:{s}", m.unwrap_or_else(|| "00".into())),
        (Some(h), m, None) => format!("{h}:{}", m.unwrap_or_else(|| "00".into())),
        _ => String::new(),
    };
    DateParts {
        year: text_of(d.get("year")),
        month: text_of(d.get("month")),
        day: text_of(d.get("day")),
        time,
    }
}

fn json_event(i: usize, e: &Value) -> Event {
    Event {
        origin: format!("event {}", i + 1),
        line: None,
        start: e.get("start_date").map(json_date).unwrap_or_default(),
        end: e
            .get("end_date")
            .map(json_date)
            .filter(|p| !p.year.is_empty()),
        display_date: optional(e.get("display_date")).or_else(|| {
            e.get("start_date")
                .and_then(|d| optional(d.get("display_date")))
        }),
        headline: text_of(e.pointer("/text/headline")),
        text: text_of(e.pointer("/text/text")),
        media: optional(e.pointer("/media/url")),
        caption: optional(e.pointer("/media/caption")),
        credit: optional(e.pointer("/media/credit")),
        alt: optional(e.pointer("/media/alt")),
        group: optional(e.get("group")),
        unique_id: optional(e.get("unique_id")),
    }
}

/// The template's columns by lower-cased header, the first of equal headers
/// winning. A map, so a sheet with a huge header row costs no more per cell.
struct Columns(HashMap<String, usize>);

impl Columns {
    fn new(headers: &csv::StringRecord) -> Columns {
        let mut map = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            map.entry(h.trim().to_lowercase()).or_insert(i);
        }
        Columns(map)
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.0.get(name).copied()
    }
}

/// Reads the Google-Sheet template's CSV export (File → Download → CSV).
pub(super) fn csv(file: &Path, text: &str) -> Result<Timeline, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Diagnostic::error(file, format!("cannot read the CSV header: {e}")))?;
    let columns = Columns::new(headers);
    if columns.find("year").is_none() || columns.find("headline").is_none() {
        return Err(
            Diagnostic::error(file, "the CSV has no `Year` and `Headline` columns")
                .at_line(1)
                .help("export the TimelineJS Google Sheet template with File → Download → CSV"),
        );
    }
    let mut timeline = Timeline::default();
    for (i, record) in reader.records().enumerate() {
        // The sheet's row number, as the editor sees it (the header is row 1).
        let row = i + 2;
        let record =
            record.map_err(|e| Diagnostic::error(file, format!("row {row}: {e}")).at_line(row))?;
        let line = record
            .position()
            .map_or(row, |p| usize::try_from(p.line()).unwrap_or(row));
        let get = |name: &str| {
            columns
                .find(name)
                .and_then(|c| record.get(c))
                .map_or("", str::trim)
                .to_string()
        };
        match get("type").to_lowercase().as_str() {
            "title" => {
                timeline.notes.push(format!(
                    "row {row}: the title slide is not imported: put it in `site.yaml`"
                ));
                continue;
            }
            "era" => {
                timeline.notes.push(format!(
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
        timeline.events.push(csv_event(row, line, get));
    }
    Ok(timeline)
}

fn csv_event(row: usize, line: usize, get: impl Fn(&str) -> String) -> Event {
    let opt = |name: &str| Some(get(name)).filter(|t| !t.is_empty());
    let end = DateParts {
        year: get("end year"),
        month: get("end month"),
        day: get("end day"),
        time: get("end time"),
    };
    Event {
        origin: format!("row {row}"),
        line: Some(line),
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_events_and_notes() {
        let t = json(
            Path::new("t.json"),
            r#"{ "title": {}, "eras": [{}], "events": [
                { "start_date": { "year": 2017, "month": "10", "hour": 9, "second": 5 },
                  "text": { "headline": " A ", "text": "<p>B</p>" },
                  "media": { "url": "https://x.org/a.jpg", "alt": "" }, "group": "G" },
                "not an event"
            ] }"#,
        )
        .expect("valid");
        assert_eq!(t.notes.len(), 2);
        assert_eq!(t.events.len(), 2);
        let e = &t.events[0];
        assert_eq!((e.origin.as_str(), e.headline.as_str()), ("event 1", "A"));
        assert_eq!(e.start.year, "2017");
        assert_eq!(e.start.time, "9:00:5");
        assert_eq!(e.alt, None);
        assert_eq!(t.events[1].headline, "");
    }

    #[test]
    fn json_that_is_not_a_timeline_is_refused() {
        let e = json(Path::new("t.json"), "[1, 2]").expect_err("no events");
        assert!(e.message.contains("`events`"), "{}", e.message);
        let e = json(Path::new("t.json"), "{\n\"events\": [").expect_err("bad JSON");
        assert!(e.message.contains("not valid JSON"), "{}", e.message);
    }

    #[test]
    fn csv_rows_know_their_row_and_line() {
        let t = csv(
            Path::new("t.csv"),
            "Year,Headline,Text,Type\n,Title,x,title\n2017,\"Two\nlines\",t,\n2018,B,,\n",
        )
        .expect("valid");
        assert_eq!(t.notes.len(), 1);
        let rows: Vec<(&str, Option<usize>)> = t
            .events
            .iter()
            .map(|e| (e.origin.as_str(), e.line))
            .collect();
        assert_eq!(rows, [("row 3", Some(3)), ("row 4", Some(5))]);
        let e = csv(Path::new("t.csv"), "a,b\n1,2\n").expect_err("no columns");
        assert!(e.message.contains("`Year`"), "{}", e.message);
    }
}
