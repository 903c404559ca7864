//! User-facing diagnostics: an error or warning about one place in one file,
//! printed as `path:line:column: error: message`, a source excerpt with a caret,
//! and the fix. Every stage returns these as values; `main` prints them.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Reported; fails only `check --strict`.
    Warning,
}

/// A 1-based position in a file, with the width of the problem for the caret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// How many characters the caret underlines (at least one).
    pub len: usize,
}

impl Span {
    /// A span of one character at `line:column`.
    pub fn at(line: usize, column: usize) -> Self {
        Span {
            line,
            column,
            len: 1,
        }
    }
}

/// One problem found in the site, located in a file relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root, e.g. `content/2017-10-15-me-too.md`.
    pub path: PathBuf,
    /// Where in the file, when known.
    pub span: Option<Span>,
    /// What is wrong, lower case, naming the offending value in backticks.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The part of the source line the span points into, for the excerpt.
    pub excerpt: Option<Excerpt>,
    /// On the last diagnostic of a file with more than [`MAX_PER_FILE`], how
    /// many were not kept: it stands for them in counts and sorts after the rest.
    pub left_out: Option<LeftOut>,
}

/// How many diagnostics about one file were counted but not kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LeftOut {
    /// Errors among them.
    pub errors: usize,
    /// Warnings among them.
    pub warnings: usize,
}

impl LeftOut {
    /// Counts one more of `severity`.
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
    }

    fn total(self) -> usize {
        self.errors + self.warnings
    }
}

/// Errors and warnings in a list of diagnostics, counting those left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many errors.
    pub errors: usize,
    /// How many warnings.
    pub warnings: usize,
}

impl Tally {
    /// Counts `diagnostics`; a summary of left-out ones counts as what it stands for.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut tally = Tally::default();
        for d in diagnostics {
            match (d.left_out, d.severity) {
                (Some(left), _) => {
                    tally.errors += left.errors;
                    tally.warnings += left.warnings;
                }
                (None, Severity::Error) => tally.errors += 1,
                (None, Severity::Warning) => tally.warnings += 1,
            }
        }
        tally
    }
}

/// A window of a source line around a problem: at most [`EXCERPT_WIDTH`]
/// characters, so a diagnostic about a 500 KB line does not keep the line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Excerpt {
    /// The window, with `…` where the line is cut.
    pub text: String,
    /// 1-based column of the problem in `text`.
    pub column: usize,
}

impl Diagnostic {
    /// An error in `path` with no position yet.
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            span: None,
            message: message.into(),
            help: None,
            excerpt: None,
            left_out: None,
        }
    }

    /// The diagnostic that ends the list of `path` when `left` more were found
    /// than kept; `what` names them ("problems"). An error when any of them is.
    pub fn left_out(path: impl Into<PathBuf>, left: LeftOut, what: &str) -> Self {
        let mut d = Diagnostic::error(
            path,
            format!("… and {} more {what} in this file", left.total()),
        )
        .help(format!(
            "dateline lists {MAX_PER_FILE} per file; fix these and build again"
        ));
        if left.errors == 0 {
            d.severity = Severity::Warning;
        }
        d.left_out = Some(left);
        d
    }

    /// Makes this diagnostic, and any it stands for, an error (`check --strict`).
    pub fn make_error(&mut self) {
        self.severity = Severity::Error;
        if let Some(left) = self.left_out.as_mut() {
            left.errors += std::mem::take(&mut left.warnings);
        }
    }

    /// The order diagnostics are shown in: by file, then position, errors
    /// first on one spot; a file's summary of left-out ones last.
    pub fn order(&self, other: &Self) -> std::cmp::Ordering {
        fn key(d: &Diagnostic) -> (&std::ffi::OsStr, bool, Option<Span>, Severity) {
            (d.path.as_os_str(), d.left_out.is_some(), d.span, d.severity)
        }
        key(self).cmp(&key(other))
    }

    /// A warning in `path` with no position yet.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Places the diagnostic at `span`.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Places the diagnostic at the start of `line` (1-based).
    pub fn at_line(self, line: usize) -> Self {
        self.at(Span::at(line, 1))
    }

    /// Adds the fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds an excerpt taken from `source` at the diagnostic's line, and widens the
    /// caret to the first occurrence of `needle` on that line when given.
    pub fn with_source(self, source: &str, needle: Option<&str>) -> Self {
        let line = self
            .span
            .and_then(|span| source.lines().nth(span.line.saturating_sub(1)));
        match line {
            Some(text) => self.with_line(text, needle),
            None => self,
        }
    }

    /// Adds an excerpt of `text`, the line the diagnostic's span is on, and
    /// widens the caret to the first occurrence of `needle` on it when given.
    pub fn with_line(self, text: &str, needle: Option<&str>) -> Self {
        self.with_line_from(text, 0, needle)
    }

    /// [`Diagnostic::with_line`], looking for `needle` only from byte `from`
    /// of the line on: a line with the same link twice points at each in turn.
    pub fn with_line_from(mut self, text: &str, from: usize, needle: Option<&str>) -> Self {
        let Some(span) = self.span.as_mut() else {
            return self;
        };
        let found = needle.filter(|n| !n.is_empty()).and_then(|n| {
            let rest = text.get(from..)?;
            Some(from + rest.find(n)?)
        });
        if let Some(found) = found {
            span.column = text[..found].chars().count() + 1;
            span.len = needle.map_or(1, |n| n.chars().count()).max(1);
        }
        let (window, column) = excerpt_window(&text.replace('\t', " "), span.column);
        self.excerpt = Some(Excerpt {
            text: window,
            column,
        });
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The diagnostic as text, with terminal colours when `color` is true: the
    /// location line, the source line with a caret under the problem, and the fix.
    pub fn render(&self, color: bool) -> String {
        use anstyle::{AnsiColor, Style};
        let paint = |style: Style, text: &str| {
            if color {
                format!("{}{text}{}", style.render(), style.render_reset())
            } else {
                text.to_string()
            }
        };
        let (label, tone) = match self.severity {
            Severity::Error => ("error", AnsiColor::Red),
            Severity::Warning => ("warning", AnsiColor::Yellow),
        };
        let strong = Style::new().bold();
        let accent = Style::new().bold().fg_color(Some(tone.into()));
        let frame = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
        let path = printable(&display_path(&self.path));
        let location = match self.span {
            Some(s) => format!("{path}:{}:{}:", s.line, s.column),
            None => format!("{path}:"),
        };
        let mut out = format!(
            "{} {} {}",
            paint(strong, &location),
            paint(accent, &format!("{label}:")),
            paint(strong, &printable(&self.message))
        );
        if let (Some(span), Some(excerpt)) = (self.span, &self.excerpt) {
            let gutter = span.line.to_string().len();
            let (text, column) = printable_window(excerpt);
            let bar = paint(frame, "|");
            let caret = format!(
                "{}{}",
                " ".repeat(column.saturating_sub(1)),
                "^".repeat(span.len.clamp(1, EXCERPT_WIDTH))
            );
            out.push_str(&format!(
                "\n{:gutter$} {bar}\n{} {bar} {text}\n{:gutter$} {bar} {}",
                "",
                paint(frame, &span.line.to_string()),
                "",
                paint(accent, &caret)
            ));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!(
                "\n  {} {}",
                paint(strong, "= help:"),
                printable(help)
            ));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Most diagnostics kept about one file: a file with a mistake repeated ten
/// thousand times needs the first few to be fixed, not ten thousand messages.
pub const MAX_PER_FILE: usize = 100;

/// Diagnostics about one file, collected while reading it, with excerpts from its text.
#[derive(Debug)]
pub struct FileReport<'a> {
    path: &'a Path,
    source: &'a str,
    /// Byte offset of the start of each line of `source`, found on the first
    /// diagnostic, so each later one finds its line at once.
    line_starts: Vec<usize>,
    /// What was found so far, at most [`MAX_PER_FILE`].
    pub diagnostics: Vec<Diagnostic>,
    /// How many more there were.
    left_out: LeftOut,
}

impl<'a> FileReport<'a> {
    /// Starts a report on `path` (relative to the site root) whose text is `source`.
    pub fn new(path: &'a Path, source: &'a str) -> Self {
        FileReport {
            path,
            source,
            line_starts: Vec::new(),
            diagnostics: Vec::new(),
            left_out: LeftOut::default(),
        }
    }

    /// Every diagnostic, and one more that counts those left out.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        if self.left_out.total() > 0 {
            self.diagnostics
                .push(Diagnostic::left_out(self.path, self.left_out, "problems"));
        }
        self.diagnostics
    }

    /// The text of line `line` (1-based).
    fn line(&mut self, line: usize) -> Option<&'a str> {
        if self.line_starts.is_empty() {
            self.line_starts = std::iter::once(0)
                .chain(self.source.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
        }
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.source.len(), |&next| next - 1);
        self.source.get(start..end)
    }

    /// Keeps `d`, unless the file already has its share.
    fn keep(&mut self, d: Diagnostic) {
        if self.diagnostics.len() < MAX_PER_FILE {
            self.diagnostics.push(d);
        } else {
            self.leave_out(d.severity);
        }
    }

    /// Counts one more diagnostic of `severity` left out.
    fn leave_out(&mut self, severity: Severity) {
        self.left_out.add(severity);
    }

    /// Records an error at `line`, underlining `needle` on that line when given.
    pub fn error(
        &mut self,
        line: usize,
        needle: Option<&str>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(Severity::Error, (line, 0), needle, message.into(), help);
    }

    /// Whether one more diagnostic of `severity` will be kept; when not, it
    /// is counted as left out. For messages that cost a search to write (a
    /// "did you mean"), which a hostile file can repeat forty thousand times.
    pub fn has_room(&mut self, severity: Severity) -> bool {
        let room = self.diagnostics.len() < MAX_PER_FILE;
        if !room {
            self.leave_out(severity);
        }
        room
    }

    /// Records an error at `line`:`column`, when the position is known to the column.
    pub fn error_at(
        &mut self,
        line: usize,
        column: usize,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let mut d = Diagnostic::error(self.path, message).at(Span::at(line, column));
        if let Some(text) = self.line(line) {
            d = d.with_line(text, None);
        }
        d.help = help;
        self.keep(d);
    }

    /// Records a warning at `line`.
    pub fn warning(
        &mut self,
        line: usize,
        needle: Option<&str>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(Severity::Warning, (line, 0), needle, message.into(), help);
    }

    /// Records a problem of `severity` at `line`, underlining the first
    /// `needle` from byte `from` of the line on: one line may hold the same
    /// link many times, and each should point at itself.
    pub fn push(
        &mut self,
        severity: Severity,
        (line, from): (usize, usize),
        needle: Option<&str>,
        message: String,
        help: Option<String>,
    ) {
        if self.diagnostics.len() >= MAX_PER_FILE {
            self.leave_out(severity);
            return;
        }
        let mut d = Diagnostic::error(self.path, message).at_line(line);
        if let Some(text) = self.line(line) {
            d = d.with_line_from(text, from, needle);
        }
        d.severity = severity;
        d.help = help;
        self.keep(d);
    }
}

/// Widest source excerpt shown, in characters.
pub const EXCERPT_WIDTH: usize = 120;

/// An excerpt made safe for a terminal, with the caret's column in it.
fn printable_window(excerpt: &Excerpt) -> (String, usize) {
    let before: String = excerpt
        .text
        .chars()
        .take(excerpt.column.saturating_sub(1))
        .collect();
    let shift = printable(&before).chars().count() - before.chars().count();
    (printable(&excerpt.text), excerpt.column + shift)
}

/// A long line cut to a window around `column` (1-based), with `…` where it is
/// cut; returns the text and the column within it. A 500 KB line of raw HTML
/// would otherwise fill the terminal.
fn excerpt_window(line: &str, column: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= EXCERPT_WIDTH {
        return (line.to_string(), column);
    }
    let start = column
        .saturating_sub(EXCERPT_WIDTH / 3)
        .min(count - EXCERPT_WIDTH);
    let window: String = line.chars().skip(start).take(EXCERPT_WIDTH).collect();
    let lead = if start > 0 { "…" } else { "" };
    let tail = if start + EXCERPT_WIDTH < count {
        "…"
    } else {
        ""
    };
    (
        format!("{lead}{window}{tail}"),
        column - start + lead.chars().count(),
    )
}

/// Contributor text as it may safely reach a terminal or CI log: control
/// characters (an escape sequence could clear the screen or fake a line) are
/// shown as `\u{1b}` instead.
pub fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Paths in diagnostics use `/` on every platform, so messages read the same in CI logs.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The known word closest to `word`, when it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(&word, &k.to_lowercase()), k))
        .filter(|(distance, k)| *distance <= (k.chars().count() / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

/// A `help:` text for an unknown word: "did you mean `x`?" or the list of known ones.
pub fn did_you_mean(word: &str, known: &[&str]) -> String {
    match suggest(word, known.iter().copied()) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("known keys are {}", backticked(known)),
    }
}

/// `a`, `b` and `c` in backticks, comma separated.
pub fn backticked(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_location_excerpt_caret_and_help() {
        let d = Diagnostic::error("content/a.md", "unknown key `tag`")
            .at_line(3)
            .with_source("---\ntitle: x\ntag: [a]\n---\n", Some("tag"))
            .help("did you mean `tags`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:1: error: unknown key `tag`\n  |\n3 | tag: [a]\n  | ^^^\n  = help: did you mean `tags`?"
        );
    }

    #[test]
    fn colours_only_when_asked() {
        let d = Diagnostic::error("content/a.md", "bad")
            .at_line(1)
            .with_source("tag: x", Some("tag"));
        assert!(!d.render(false).contains('\x1b'));
        let coloured = d.render(true);
        assert!(coloured.contains("\x1b["), "{coloured:?}");
        assert!(coloured.contains("^^^"));
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let line = format!("{}BAD{}", "a".repeat(500), "b".repeat(500));
        let d = Diagnostic::error("content/a.md", "bad")
            .at_line(1)
            .with_source(&line, Some("BAD"));
        let text = d.render(false);
        let excerpt = text.lines().nth(2).unwrap_or_default();
        let caret = text.lines().nth(3).unwrap_or_default();
        assert!(excerpt.chars().count() < 140, "{excerpt}");
        assert_eq!(
            excerpt.find("BAD").map(|i| excerpt[..i].chars().count()),
            caret.find('^').map(|i| caret[..i].chars().count())
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let d = Diagnostic::error("content/a.md", "slug `x\u{1b}[2Jok` is bad")
            .at_line(1)
            .with_source("slug: x\u{1b}[2J", None);
        let text = d.render(false);
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.contains("\\u{1b}[2Jok"), "{text}");
    }

    #[test]
    fn without_span_prints_only_the_path() {
        let d = Diagnostic::warning("content/b.md", "entry has no sources");
        assert_eq!(d.to_string(), "content/b.md: warning: entry has no sources");
    }

    #[test]
    fn suggests_close_words_only() {
        let known = ["tags", "people", "title", "date", "end_date"];
        assert_eq!(suggest("tag", known), Some("tags"));
        assert_eq!(suggest("enddate", known), Some("end_date"));
        assert_eq!(suggest("Titel", known), Some("title"));
        assert_eq!(suggest("completely-different", known), None);
    }
}
