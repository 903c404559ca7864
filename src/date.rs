//! Partial dates: `2017`, `2017-10`, `2017-10-15` and RFC 3339 instants, each with an
//! optional EDTF qualifier (`2006~` approximate, `2017-10-09?` uncertain). An entry
//! keeps the precision it was written with through display, `<time datetime>`,
//! feeds and sorting. This is the only module that parses or formats dates.

use std::fmt::Write as _;

use chrono::format::{Item, StrftimeItems};
use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc,
};
use chrono_tz::Tz;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// `2017`
    Year,
    /// `2017-10`
    Month,
    /// `2017-10-15`
    Day,
    /// `2017-10-15T12:21:00-07:00`
    Instant,
}

/// The EDTF qualifier written after a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// No qualifier.
    Exact,
    /// `~`: "circa", displayed "c. 2006".
    Approximate,
    /// `?`: the source is unsure, displayed with a question mark.
    Uncertain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Value {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
    Instant(DateTime<FixedOffset>),
}

/// A date at the precision it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    value: Value,
    qualifier: Qualifier,
}

/// Why a text is not a date, and how to write it instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// What is wrong.
    pub message: String,
    /// The fix.
    pub help: String,
}

const FORMS: &str =
    "write `2017-10-15`, `2017-10`, `2017`, or `2017-10-15T12:21:00-07:00`; add `~` (approximate) or `?` (uncertain) after it";

/// The strftime formats used to display dates (`date_format` in `site.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateFormats {
    /// For day precision, e.g. `%-d %B %Y`.
    pub day: String,
    /// For month precision, e.g. `%B %Y`.
    pub month: String,
    /// For year precision, e.g. `%Y`.
    pub year: String,
    /// Appended after the day for dates that carry a time, e.g. `%H:%M %Z`.
    pub time: String,
}

impl Default for DateFormats {
    fn default() -> Self {
        DateFormats {
            day: "%-d %B %Y".into(),
            month: "%B %Y".into(),
            year: "%Y".into(),
            time: "%H:%M %Z".into(),
        }
    }
}

impl PartialDate {
    /// Parses one of the accepted forms, with an optional trailing `~` or `?`.
    pub fn parse(text: &str) -> Result<PartialDate, DateError> {
        let text = text.trim();
        let (body, qualifier) = match text.as_bytes().last() {
            Some(b'~') => (&text[..text.len() - 1], Qualifier::Approximate),
            Some(b'?') => (&text[..text.len() - 1], Qualifier::Uncertain),
            _ => (text, Qualifier::Exact),
        };
        let value = parse_value(body).map_err(|message| DateError {
            message,
            help: FORMS.to_string(),
        })?;
        Ok(PartialDate { value, qualifier })
    }

    /// A date at day precision.
    pub fn from_day(day: NaiveDate) -> PartialDate {
        PartialDate {
            value: Value::Day(day),
            qualifier: Qualifier::Exact,
        }
    }

    /// How much of the date is known.
    pub fn precision(&self) -> Precision {
        match self.value {
            Value::Year(_) => Precision::Year,
            Value::Month(..) => Precision::Month,
            Value::Day(_) => Precision::Day,
            Value::Instant(_) => Precision::Instant,
        }
    }

    /// The EDTF qualifier.
    pub fn qualifier(&self) -> Qualifier {
        self.qualifier
    }

    /// The calendar year.
    pub fn year(&self) -> i32 {
        match self.value {
            Value::Year(y) | Value::Month(y, _) => y,
            Value::Day(d) => d.year(),
            Value::Instant(t) => t.year(),
        }
    }

    /// The month, when the precision knows it (as written, not converted to the site's zone).
    pub fn month(&self) -> Option<u32> {
        match self.value {
            Value::Year(_) => None,
            Value::Month(_, m) => Some(m),
            Value::Day(d) => Some(d.month()),
            Value::Instant(t) => Some(t.month()),
        }
    }

    /// The day of the month, when the precision knows it.
    pub fn day(&self) -> Option<u32> {
        match self.value {
            Value::Year(_) | Value::Month(..) => None,
            Value::Day(d) => Some(d.day()),
            Value::Instant(t) => Some(t.day()),
        }
    }

    /// The hour and minute, for a date written with a time.
    pub fn time(&self) -> Option<(u32, u32)> {
        match self.value {
            Value::Instant(t) => Some((chrono::Timelike::hour(&t), chrono::Timelike::minute(&t))),
            _ => None,
        }
    }

    /// Year and month (when known) in the site's zone, for grouping: a time is
    /// converted first, so grouping agrees with timeline order.
    pub fn local_year_month(&self, tz: Tz) -> (i32, Option<u32>) {
        match self.value {
            Value::Instant(t) => {
                let local = t.with_timezone(&tz);
                (local.year(), Some(local.month()))
            }
            _ => (self.year(), self.month()),
        }
    }

    /// The first instant of the period: midnight in `tz` for dates without a time.
    pub fn start(&self, tz: Tz) -> DateTime<Utc> {
        match self.value {
            Value::Instant(t) => t.with_timezone(&Utc),
            _ => local_midnight(self.first_day(), tz),
        }
    }

    /// The first instant after the period (exclusive end).
    pub fn end(&self, tz: Tz) -> DateTime<Utc> {
        match self.value {
            Value::Instant(t) => t.with_timezone(&Utc),
            Value::Year(y) => local_midnight(first_of_month(y + 1, 1), tz),
            Value::Month(y, 12) => local_midnight(first_of_month(y + 1, 1), tz),
            Value::Month(y, m) => local_midnight(first_of_month(y, m + 1), tz),
            Value::Day(d) => local_midnight(d.succ_opt().unwrap_or(d), tz),
        }
    }

    fn first_day(&self) -> NaiveDate {
        match self.value {
            Value::Year(y) => first_of_month(y, 1),
            Value::Month(y, m) => first_of_month(y, m),
            Value::Day(d) => d,
            Value::Instant(t) => t.date_naive(),
        }
    }

    /// The value for `<time datetime>` and other machine formats, at its precision and
    /// without the qualifier, since HTML has no syntax for uncertainty.
    pub fn machine(&self) -> String {
        match self.value {
            Value::Year(y) => format!("{y:04}"),
            Value::Month(y, m) => format!("{y:04}-{m:02}"),
            Value::Day(d) => d.format("%Y-%m-%d").to_string(),
            Value::Instant(t) => t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        }
    }

    /// The date as written, in EDTF: the machine form plus `~` or `?`.
    pub fn edtf(&self) -> String {
        let suffix = match self.qualifier {
            Qualifier::Exact => "",
            Qualifier::Approximate => "~",
            Qualifier::Uncertain => "?",
        };
        format!("{}{suffix}", self.machine())
    }

    /// The date for readers: "15 October 2017", "October 2017", "c. 2006",
    /// "9 October 2017?"; a time is shown converted to `tz`.
    pub fn display(&self, formats: &DateFormats, tz: Tz) -> String {
        let local = |d: NaiveDate| local_midnight(d, tz).with_timezone(&tz);
        let plain = match self.value {
            Value::Year(_) => format_with(&local(self.first_day()), &formats.year),
            Value::Month(..) => format_with(&local(self.first_day()), &formats.month),
            Value::Day(d) => format_with(&local(d), &formats.day),
            Value::Instant(t) => {
                let t = t.with_timezone(&tz);
                format!(
                    "{}, {}",
                    format_with(&t, &formats.day),
                    format_with(&t, &formats.time)
                )
            }
        };
        match self.qualifier {
            Qualifier::Exact => plain,
            Qualifier::Approximate => format!("c. {plain}"),
            Qualifier::Uncertain => format!("{plain}?"),
        }
    }

    /// Whether this date, as the end of a range, comes before `start`: a period
    /// ends at its last instant, an instant at itself.
    pub fn ends_before(&self, start: &PartialDate, tz: Tz) -> bool {
        match self.value {
            Value::Instant(_) => self.start(tz) < start.start(tz),
            _ => self.end(tz) <= start.start(tz),
        }
    }
}

/// A year, month and day from parts known to be in range.
fn first_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

/// The first instant of `day` in `tz`. Where a clock change skips midnight, the day
/// starts at the first local time that exists.
fn local_midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    (0..=3)
        .find_map(|hours| {
            tz.from_local_datetime(&(midnight + chrono::Duration::hours(hours)))
                .earliest()
        })
        .map_or_else(
            || Utc.from_utc_datetime(&midnight),
            |t| t.with_timezone(&Utc),
        )
}

/// Formats with a strftime pattern already checked by [`check_format`]. A pattern
/// that still fails formats as ISO rather than panicking.
fn format_with(t: &DateTime<Tz>, pattern: &str) -> String {
    let mut out = String::new();
    match write!(out, "{}", t.format(pattern)) {
        Ok(()) => out,
        Err(_) => t.format("%Y-%m-%d").to_string(),
    }
}

/// Checks that chrono can format dates with `pattern`; returns the reason when not.
/// The current time in `tz` as a `published:` value: RFC 3339 to the second,
/// the form `new` and `import` write and the feeds carry.
pub fn published_now(tz: Tz) -> String {
    chrono::Utc::now()
        .with_timezone(&tz)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn check_format(pattern: &str) -> Result<(), String> {
    if StrftimeItems::new(pattern).any(|item| matches!(item, Item::Error)) {
        return Err(format!("`{pattern}` is not a valid strftime format"));
    }
    let sample = local_midnight(first_of_month(2017, 10), Tz::UTC).with_timezone(&Tz::UTC);
    let mut out = String::new();
    write!(out, "{}", sample.format(pattern))
        .map_err(|_| format!("`{pattern}` cannot format a date"))
}

fn parse_value(text: &str) -> Result<Value, String> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let not_a_date = || format!("`{text}` is not a date");
    if bytes.len() == 4 && digits(0..4) {
        return Ok(Value::Year(number(0..4) as i32));
    }
    if bytes.len() == 7 && digits(0..4) && bytes[4] == b'-' && digits(5..7) {
        let month = number(5..7);
        if !(1..=12).contains(&month) {
            return Err(format!("`{text}` has no month {month}"));
        }
        return Ok(Value::Month(number(0..4) as i32, month));
    }
    if bytes.len() == 10
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
    {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Value::Day)
            .map_err(|_| format!("`{text}` is not a day of the calendar"));
    }
    if bytes.len() > 10 && digits(0..4) && matches!(bytes[10], b'T' | b't' | b' ') {
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Ok(Value::Instant(t));
        }
        let without_offset = [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ]
        .iter()
        .any(|f| NaiveDateTime::parse_from_str(text, f).is_ok());
        if without_offset {
            return Err(format!(
                "`{text}` has a time but no offset; add one, e.g. `{text}-07:00` or `{text}Z`"
            ));
        }
    }
    Err(not_a_date())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PartialDate {
        match PartialDate::parse(text) {
            Ok(d) => d,
            Err(e) => panic!("{text}: {}", e.message),
        }
    }

    const NY: Tz = chrono_tz::America::New_York;

    #[test]
    fn parses_each_precision() {
        assert_eq!(date("2017").precision(), Precision::Year);
        assert_eq!(date("2017-10").precision(), Precision::Month);
        assert_eq!(date("2017-10-15").precision(), Precision::Day);
        assert_eq!(
            date("2017-10-15T12:21:00-07:00").precision(),
            Precision::Instant
        );
        assert_eq!(date(" 2017-10-15 ").machine(), "2017-10-15");
    }

    #[test]
    fn keeps_qualifiers_out_of_the_machine_form() {
        let approx = date("2006~");
        assert_eq!(approx.qualifier(), Qualifier::Approximate);
        assert_eq!(approx.machine(), "2006");
        assert_eq!(approx.edtf(), "2006~");
        let unsure = date("2017-10-09?");
        assert_eq!(unsure.qualifier(), Qualifier::Uncertain);
        assert_eq!(unsure.machine(), "2017-10-09");
    }

    #[test]
    fn rejects_bad_dates_with_the_forms_that_work() {
        for bad in [
            "2017-13",
            "2017-02-30",
            "15 Oct 2017",
            "17-10-15",
            "2017-1-5",
            "",
            "2017~~",
        ] {
            let err = PartialDate::parse(bad).expect_err(bad);
            assert!(err.message.contains('`'), "{bad}: {}", err.message);
            assert!(err.help.contains("2017-10-15"));
        }
        let err = PartialDate::parse("2017-10-15T12:21:00").expect_err("no offset");
        assert!(err.message.contains("no offset"), "{}", err.message);
    }

    #[test]
    fn displays_at_precision() {
        let f = DateFormats::default();
        assert_eq!(date("2017-10-15").display(&f, NY), "15 October 2017");
        assert_eq!(date("2017-10").display(&f, NY), "October 2017");
        assert_eq!(date("2017").display(&f, NY), "2017");
        assert_eq!(date("2006~").display(&f, NY), "c. 2006");
        assert_eq!(date("2017-10-09?").display(&f, NY), "9 October 2017?");
        assert_eq!(
            date("2017-10-15T12:21:00-07:00").display(&f, NY),
            "15 October 2017, 15:21 EDT"
        );
    }

    #[test]
    fn instants_keep_their_offset_in_machine_form() {
        assert_eq!(
            date("2017-10-15T12:21:00-07:00").machine(),
            "2017-10-15T12:21:00-07:00"
        );
        assert_eq!(
            date("2017-10-15t19:21:00z").machine(),
            "2017-10-15T19:21:00Z"
        );
    }

    #[test]
    fn partial_dates_start_at_local_midnight() {
        let start = date("2017-10").start(NY);
        assert_eq!(start.to_rfc3339(), "2017-10-01T04:00:00+00:00");
        assert_eq!(
            date("2017").start(Tz::UTC).to_rfc3339(),
            "2017-01-01T00:00:00+00:00"
        );
        assert_eq!(
            date("2017-12").end(Tz::UTC).to_rfc3339(),
            "2018-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn ranges_may_end_when_they_start() {
        let at = date("2017-10-15T12:00:00Z");
        assert!(
            !at.ends_before(&at, NY),
            "an instant may end where it starts"
        );
        assert!(date("2017-10-15T11:59:00Z").ends_before(&at, NY));
        assert!(!date("2017-10").ends_before(&date("2017-10-15"), NY));
        assert!(date("2017-10-14").ends_before(&date("2017-10-15"), NY));
        assert!(!date("2017-10-15").ends_before(&date("2017-10-15"), NY));
    }

    #[test]
    fn checks_formats_without_panicking() {
        assert!(check_format("%-d %B %Y").is_ok());
        assert!(check_format("%Q").is_err());
        assert!(check_format("%").is_err());
    }

    #[test]
    fn a_skipped_midnight_starts_at_the_first_local_time() {
        // São Paulo skipped midnight on 2018-11-04 (clocks went 00:00 → 01:00).
        let tz = chrono_tz::America::Sao_Paulo;
        assert_eq!(
            date("2018-11-04").start(tz).to_rfc3339(),
            "2018-11-04T03:00:00+00:00"
        );
    }
}
