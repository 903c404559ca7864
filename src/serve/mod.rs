//! `dateline serve`: builds the site into memory ([`live`]), serves it over HTTP
//! on loopback ([`http`], under the site's base path, so links work as
//! published), watches `content/`, `site.yaml`, `static/` and `themes/`,
//! rebuilds only what changed, and tells open tabs to reload through
//! Server-Sent Events. A broken edit keeps the last good site served and shows
//! the errors in the terminal and in an overlay on the page. The reload script is
//! added to pages as they are served, never written to disk. Everything the
//! editor reads in the terminal goes through the caller's report function.

mod events;
mod http;
pub mod live;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::serve::http::State;
use crate::serve::live::{Built, LiveSite};
use crate::Options;

/// Options of `serve` besides the site's.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on; port 0 picks a free one.
    pub address: SocketAddr,
    /// Report the time of each stage of every rebuild.
    pub timings: bool,
}

/// What `serve` has to tell its editor, as it happens.
#[derive(Debug)]
pub enum Report<'a> {
    /// The server listens at this URL.
    Serving(&'a str),
    /// The server listens on an address other machines may reach.
    Exposed(SocketAddr),
    /// A stage of a rebuild took this long.
    Timing(&'static str, Duration),
    /// The warnings of a rebuild, when they differ from the last ones reported.
    Warnings(&'a [Diagnostic]),
    /// A build (the first) or a rebuild succeeded.
    Built {
        /// Whether this is the first build.
        first: bool,
        /// What it did.
        built: &'a Built,
        /// How long it took from the first file event.
        elapsed: Duration,
    },
    /// A build or rebuild failed; the last good site stays served.
    Failed {
        /// Whether this is the first build.
        first: bool,
        /// What went wrong.
        error: &'a Error,
        /// How long it took.
        elapsed: Duration,
    },
}

/// Serves the site until the process is stopped, telling `report` what happens.
pub fn run(
    options: Options,
    serve: &ServeOptions,
    report: &dyn Fn(Report<'_>),
) -> Result<(), Error> {
    let listener = std::net::TcpListener::bind(serve.address).map_err(|e| Error::Serve {
        address: serve.address.to_string(),
        message: e.to_string(),
    })?;
    let address = listener.local_addr().unwrap_or(serve.address);
    let origin = url::Url::parse(&format!("http://{address}/")).map_err(|e| Error::Serve {
        address: address.to_string(),
        message: e.to_string(),
    })?;
    let root = options.root.clone();
    // Watching starts before the first build, so an edit made as soon as the
    // address is printed (or during the build) is never missed.
    let (tx, rx) = mpsc::channel();
    let _watcher = watch(&root, tx).map_err(|message| Error::Serve {
        address: address.to_string(),
        message,
    })?;
    let mut live = LiveSite::open(Options {
        local_origin: Some(origin.clone()),
        ..options
    });
    let state = http::start(listener)?;
    if !address.ip().is_loopback() {
        report(Report::Exposed(address));
    }
    let mut loop_state = Loop {
        state: &state,
        report,
        timings: serve.timings,
        warnings: None,
    };
    loop_state.rebuild(&mut live, &[], Instant::now(), true);
    let base = http::read(&state.base);
    report(Report::Serving(&format!(
        "{}{}",
        origin.as_str().trim_end_matches('/'),
        base
    )));

    let absolute_root = std::path::absolute(&root).unwrap_or(root);
    while let Ok(first) = rx.recv() {
        let started = Instant::now();
        let mut changed = BTreeSet::new();
        collect(&absolute_root, first, &mut changed);
        // Editors write a file in several steps; wait until they are quiet.
        let deadline = started + Duration::from_millis(300);
        while let Ok(more) = rx.recv_timeout(
            Duration::from_millis(10).min(deadline.saturating_duration_since(Instant::now())),
        ) {
            collect(&absolute_root, more, &mut changed);
        }
        if changed.is_empty() {
            continue;
        }
        let changed: Vec<PathBuf> = changed.into_iter().collect();
        loop_state.rebuild(&mut live, &changed, started, false);
    }
    Ok(())
}

/// Watches the site's inputs, sending the paths of each change to `tx`.
fn watch(
    root: &Path,
    tx: mpsc::Sender<Vec<PathBuf>>,
) -> Result<notify::RecommendedWatcher, String> {
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, EventKind::Access(_)) {
                let _ = tx.send(event.paths);
            }
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    for (path, mode) in [
        ("content", RecursiveMode::Recursive),
        ("themes", RecursiveMode::Recursive),
        ("static", RecursiveMode::Recursive),
        ("", RecursiveMode::NonRecursive),
    ] {
        let path = root.join(path);
        if path.exists() {
            let _ = watcher.watch(&path, mode);
        }
    }
    Ok(watcher)
}

/// Keeps the paths that matter to the site, relative to the root.
fn collect(root: &Path, paths: Vec<PathBuf>, into: &mut BTreeSet<PathBuf>) {
    for path in paths {
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let relevant = rel == Path::new(crate::site::config::FILE_NAME)
            || ["content", "themes", "static"]
                .iter()
                .any(|d| rel.starts_with(d));
        if relevant {
            into.insert(rel.to_path_buf());
        }
    }
}

/// The rebuild loop's own state.
struct Loop<'a> {
    state: &'a State,
    report: &'a dyn Fn(Report<'_>),
    timings: bool,
    /// A digest of the warnings reported last, so unchanged ones are not repeated.
    warnings: Option<u64>,
}

impl Loop<'_> {
    /// Rebuilds after `changed`, swaps the new site in on success and tells open
    /// tabs; on failure keeps the last good site and reports the errors.
    fn rebuild(&mut self, live: &mut LiveSite, changed: &[PathBuf], started: Instant, first: bool) {
        let result = live.rebuild(changed);
        if let Some(base) = live.base_path() {
            if let Ok(mut current) = self.state.base.write() {
                *current = base;
            }
        }
        match result {
            Ok(built) => {
                if self.timings {
                    for (stage, time) in &built.timings {
                        (self.report)(Report::Timing(stage, *time));
                    }
                }
                if let Ok(mut files) = self.state.files.write() {
                    *files = Arc::clone(live.files());
                }
                let was_failing = self
                    .state
                    .failure
                    .write()
                    .is_ok_and(|mut f| f.take().is_some());
                let digest = crate::hash::fingerprint(&built.warnings);
                if self.warnings.replace(digest) != Some(digest) {
                    (self.report)(Report::Warnings(&built.warnings));
                }
                (self.report)(Report::Built {
                    first,
                    built: &built,
                    elapsed: started.elapsed(),
                });
                if built.stats.made > 0 || was_failing {
                    self.state.broadcast(events::RELOAD.to_string());
                }
            }
            Err(e) => {
                (self.report)(Report::Failed {
                    first,
                    error: &e,
                    elapsed: started.elapsed(),
                });
                let text = e.describe();
                let event = events::failed(&text);
                if let Ok(mut failure) = self.state.failure.write() {
                    *failure = Some(text);
                }
                self.state.broadcast(event);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_site_paths() {
        let mut changed = BTreeSet::new();
        let root = Path::new("/site");
        collect(
            root,
            vec![
                "/site/content/a.md".into(),
                "/site/public/index.html".into(),
                "/site/site.yaml".into(),
                "/site/.git/x".into(),
            ],
            &mut changed,
        );
        let kept: Vec<&str> = changed.iter().filter_map(|p| p.to_str()).collect();
        assert_eq!(kept, ["content/a.md", "site.yaml"]);
    }
}
