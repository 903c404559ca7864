//! `check --links`: every address the site sends readers to (sources, their
//! archived copies, quoted posts, links in bodies) requested once, a few hosts at
//! a time, each finding a warning at the line that holds the address, with the
//! fix. Only `check` runs it: a build never depends on the network. Results are
//! kept in `.dateline-cache/links.json` for `max_age`, so a second run is instant.
//!
//! `targets` lists what to request, `probe` requests one address, `cache` keeps
//! the answers.

mod cache;
mod probe;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::content::entry::{Entry, UrlStatus};
use crate::content::markdown::{self, LinkKind};
use crate::diagnostic::Diagnostic;
use crate::site::link::Site;

pub(crate) use probe::Outcome;

/// How `check --links` requests addresses.
#[derive(Debug, Clone)]
pub struct LinkSettings {
    /// How long one request may take, redirects included.
    pub timeout: Duration,
    /// How long an answer is kept in the cache before it is asked again.
    pub max_age: Duration,
    /// Requests in flight to one host at a time.
    pub per_host: usize,
    /// Requests in flight at a time.
    pub workers: usize,
    /// The longest `Retry-After` a `429` may ask for and still be waited for.
    pub longest_wait: Duration,
    /// Request addresses on this machine or its private network too. Off by
    /// default: anyone who can edit `content/` could otherwise make the CI
    /// runner that checks links request its cloud's metadata service or an
    /// internal admin page.
    pub private: bool,
}

impl Default for LinkSettings {
    fn default() -> Self {
        LinkSettings {
            timeout: Duration::from_secs(10),
            max_age: Duration::from_secs(24 * 3600),
            per_host: 2,
            workers: 8,
            longest_wait: Duration::from_secs(30),
            private: false,
        }
    }
}

/// Where an address is used, and as what: the fix depends on it.
#[derive(Debug, Clone)]
struct Use {
    path: PathBuf,
    line: usize,
    what: What,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    /// A source's address; whether it has an archived copy.
    Source { archived: bool },
    /// An archived copy, of a source or a post.
    Archive,
    /// A quoted post's address; whether it has an archived copy.
    Post { archived: bool },
    /// A link in a body.
    Body,
}

/// Every finding of the site's addresses, requested or read from the cache
/// under `root`.
pub(crate) fn check(site: &Site, root: &Path, settings: &LinkSettings) -> Vec<Diagnostic> {
    let targets = targets(&site.entries);
    let now = std::time::SystemTime::now();
    let mut cache = cache::Cache::load(root);
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    let mut asked = Vec::new();
    for url in targets.keys() {
        match cache.fresh(url, now, settings.max_age) {
            Some(outcome) => {
                outcomes.insert(url.clone(), outcome);
            }
            None => asked.push(url.clone()),
        }
    }
    for (url, outcome) in request_all(asked, settings) {
        cache.remember(&url, &outcome, now);
        outcomes.insert(url, outcome);
    }
    cache.save(root);
    let texts: HashMap<&Path, &str> = site
        .entries
        .iter()
        .map(|e| (e.path.as_path(), e.text.as_str()))
        .collect();
    let mut out = Vec::new();
    for (url, uses) in &targets {
        let Some(outcome) = outcomes.get(url) else {
            continue;
        };
        for u in uses {
            if let Some(d) = finding(url, outcome, u) {
                let text = texts.get(u.path.as_path()).copied().unwrap_or_default();
                out.push(d.at_line(u.line).with_source(text, Some(url)));
            }
        }
    }
    out.sort_by(Diagnostic::order);
    out
}

/// Every `http(s)` address of `entries`, with where each is used.
fn targets(entries: &[std::sync::Arc<Entry>]) -> std::collections::BTreeMap<String, Vec<Use>> {
    let mut all: std::collections::BTreeMap<String, Vec<Use>> = Default::default();
    for entry in entries {
        let mut add = |url: &str, line: usize, what: What| {
            all.entry(url.to_string()).or_default().push(Use {
                path: entry.path.clone(),
                line,
                what,
            });
        };
        let line_of = |url: &str| {
            entry
                .text
                .lines()
                .position(|l| holds(l, url))
                .map_or(1, |i| i + 1)
        };
        for s in &entry.sources {
            let archived = s.archive_url.is_some();
            // An address already marked dead or usurped is not asked again.
            if s.url_status == UrlStatus::Live {
                add(&s.url, line_of(&s.url), What::Source { archived });
            }
            if let Some(copy) = &s.archive_url {
                add(copy, line_of(copy), What::Archive);
            }
        }
        for p in &entry.posts {
            let archived = p.archive_url.is_some();
            if let Some(url) = &p.url {
                add(url, line_of(url), What::Post { archived });
            }
            if let Some(copy) = &p.archive_url {
                add(copy, line_of(copy), What::Archive);
            }
        }
        let body = entry.body();
        for link in markdown::scan(body).links {
            let web = link.dest.starts_with("http://") || link.dest.starts_with("https://");
            if web && matches!(markdown::classify(&link.dest), LinkKind::External) {
                let at = entry.body_start + link.offset;
                let line = entry.text[..at].matches('\n').count() + 1;
                add(&link.dest, line, What::Body);
            }
        }
    }
    all
}

/// Whether `line` holds `url` whole, not only as the start of a longer address
/// (`…/busy` in `…/busy-once`).
fn holds(line: &str, url: &str) -> bool {
    line.match_indices(url).any(|(at, _)| {
        line[at + url.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || "\"')>,}]".contains(c))
    })
}

/// The warning for `url`, used as `u`, answering `outcome`; `None` when fine.
fn finding(url: &str, outcome: &Outcome, u: &Use) -> Option<Diagnostic> {
    let d = |message: String| Diagnostic::warning(&u.path, message);
    Some(match outcome {
        Outcome::Fine => return None,
        Outcome::Moved { to } => d(format!("`{url}` has moved permanently to `{to}`"))
            .help(format!("write the new address instead: `{to}`")),
        Outcome::Dead { why } => {
            let help = match u.what {
                What::Source { archived: true } => {
                    "add `url_status: dead` to the source, so readers are sent to its archived copy"
                }
                What::Source { archived: false } => {
                    "find a copy on an archive (https://web.archive.org/), then add `archive_url: \"…\"` and `url_status: dead` to the source"
                }
                What::Post { archived: true } => "the archived copy is linked; the post itself is gone",
                What::Post { archived: false } => {
                    "find a copy on an archive (https://web.archive.org/) and add `archive_url: \"…\"` to the post"
                }
                What::Archive => "the archived copy is gone too: find another copy on an archive",
                What::Body => "link an archived copy (https://web.archive.org/) instead, or remove the link",
            };
            d(format!("`{url}` is dead: {why}")).help(help)
        }
        Outcome::TimedOut { seconds } => d(format!("`{url}` did not answer within {seconds} s"))
            .help("check it by hand; it is asked again on the next `check --links`"),
        Outcome::Limited { why } => d(format!("`{url}` could not be checked: {why}"))
            .help("run `dateline check --links` again later"),
        Outcome::Failed { why } => d(format!("`{url}` could not be checked: {why}"))
            .help("check it by hand; it is asked again on the next `check --links`"),
        Outcome::Private { why } => d(format!("`{url}` was not requested: {why}"))
            .help("readers cannot reach it either; link a public address, or pass `--link-private` to check it"),
    })
}

/// Requests every address of `urls`, `settings.workers` at a time and at most
/// `settings.per_host` to one host, so a site citing one newspaper a thousand
/// times does not flood it.
fn request_all(urls: Vec<String>, settings: &LinkSettings) -> Vec<(String, Outcome)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent = probe::agent(settings);
    let host = |url: &str| {
        url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default()
    };
    struct Queue {
        waiting: VecDeque<(String, String)>,
        in_flight: HashMap<String, usize>,
    }
    let queue = Mutex::new(Queue {
        waiting: urls.into_iter().map(|u| (host(&u), u)).collect(),
        in_flight: HashMap::new(),
    });
    let turn = Condvar::new();
    let done = Mutex::new(Vec::new());
    let workers = settings.workers.max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let (host, url) = {
                    let Ok(mut q) = queue.lock() else { return };
                    loop {
                        if q.waiting.is_empty() {
                            return;
                        }
                        let free = q.waiting.iter().position(|(h, _)| {
                            q.in_flight.get(h).copied().unwrap_or(0) < settings.per_host.max(1)
                        });
                        if let Some(i) = free {
                            let Some(next) = q.waiting.remove(i) else {
                                return;
                            };
                            *q.in_flight.entry(next.0.clone()).or_default() += 1;
                            break next;
                        }
                        q = match turn.wait(q) {
                            Ok(q) => q,
                            Err(_) => return,
                        };
                    }
                };
                let outcome = probe::probe(&agent, &url, settings);
                if let Ok(mut q) = queue.lock() {
                    if let Some(n) = q.in_flight.get_mut(&host) {
                        *n = n.saturating_sub(1);
                    }
                }
                turn.notify_all();
                if let Ok(mut d) = done.lock() {
                    d.push((url, outcome));
                }
            });
        }
    });
    done.into_inner().unwrap_or_default()
}
