//! `dateline serve`: builds the site into memory, serves it over HTTP on loopback
//! (under the site's base path, so links work as published), watches `content/`,
//! `site.yaml`, `static/` and `themes/`, rebuilds only what changed, and tells open
//! tabs to reload through Server-Sent Events. A broken edit keeps the last good
//! site served and shows the errors in the terminal and in an overlay on the page.
//! The reload script is added to pages as they are served, never written to disk.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::error::Error;
use crate::render::{self, Contents, OutputFile, Sink};
use crate::site::workspace::Workspace;
use crate::Options;

/// Where the events stream lives, under the site's base path.
const EVENTS: &str = "__dateline/events";

/// One served file and the fingerprint it was rendered from.
#[derive(Debug, Clone)]
struct Served {
    bytes: Arc<[u8]>,
    fingerprint: u64,
}

type Files = crate::hash::FastMap<String, Served>;

/// What the HTTP threads read and the rebuild loop writes.
#[derive(Default)]
struct Shared {
    files: RwLock<Arc<Files>>,
    /// The errors of the last rebuild, when it failed.
    failure: RwLock<Option<String>>,
    /// The site's base path, e.g. `/metoo/`.
    base: RwLock<String>,
    /// One sender per open events stream.
    clients: Mutex<Vec<mpsc::Sender<String>>>,
    /// A digest of the warnings printed last, so unchanged ones are not repeated.
    warnings: Mutex<u64>,
}

impl Shared {
    /// Sends an event to every open tab, forgetting tabs that closed.
    fn broadcast(&self, event: &str) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(event.to_string()).is_ok());
        }
    }
}

/// A sink that keeps the site in memory, reusing the previous build's bytes for
/// every output whose fingerprint did not change.
struct MemorySink {
    previous: Arc<Files>,
    next: Mutex<Files>,
}

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        let bytes: Arc<[u8]> = match file.contents {
            Contents::Bytes(b) => b.into(),
            Contents::Static(b) => b.into(),
            Contents::Copy(path) => std::fs::read(&path)
                .map_err(Error::io("read", &path))?
                .into(),
        };
        if let Ok(mut next) = self.next.lock() {
            next.insert(
                file.path,
                Served {
                    bytes,
                    fingerprint: file.fingerprint,
                },
            );
        }
        Ok(())
    }

    fn reuse(&self, path: &str, fingerprint: u64) -> bool {
        match self.previous.get(path) {
            Some(old) if old.fingerprint == fingerprint => {
                if let Ok(mut next) = self.next.lock() {
                    next.insert(path.to_string(), old.clone());
                }
                true
            }
            _ => false,
        }
    }
}

/// Options of `serve` besides the site's.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on; port 0 picks a free one.
    pub address: SocketAddr,
    /// Print the time of each stage of every rebuild.
    pub timings: bool,
}

/// Serves the site until the process is stopped. `ready` receives the URL once
/// the server listens (the caller prints it).
pub fn run(options: Options, serve: &ServeOptions, ready: impl FnOnce(&str)) -> Result<(), Error> {
    let server = listen(serve.address)?;
    let address = server.server_addr().to_ip().unwrap_or(serve.address);
    let origin = url::Url::parse(&format!("http://{address}/")).map_err(|e| Error::Serve {
        address: address.to_string(),
        message: e.to_string(),
    })?;
    let shared = Arc::new(Shared::default());
    let options = Options {
        local_origin: Some(origin.clone()),
        ..options
    };
    let root = options.root.clone();
    let mut workspace = Workspace::open_live(options);
    let mut hashes = render::Memo::default();
    rebuild(
        &mut workspace,
        &mut hashes,
        &shared,
        Instant::now(),
        "built",
        serve.timings,
    );
    let base = read(&shared.base);
    ready(&format!(
        "{}{}",
        origin.as_str().trim_end_matches('/'),
        base
    ));

    let http = Arc::clone(&shared);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let shared = Arc::clone(&http);
            std::thread::spawn(move || respond(request, &shared));
        }
    });

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, EventKind::Access(_)) {
                let _ = tx.send(event.paths);
            }
        }
    })
    .map_err(|e| Error::Serve {
        address: address.to_string(),
        message: format!("cannot watch files: {e}"),
    })?;
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
        workspace.refresh(&changed);
        if serve.timings {
            eprintln!(
                "{:>18}: {:>8.1} ms",
                "read changes",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        rebuild(
            &mut workspace,
            &mut hashes,
            &shared,
            started,
            "rebuilt",
            serve.timings,
        );
    }
    Ok(())
}

/// Listens on `address` with Nagle's algorithm off: tiny_http writes a response
/// in several pieces, and on a kept-alive connection the last would wait ~40 ms
/// for the browser's delayed acknowledgement. Accepted sockets inherit the option
/// on Linux.
fn listen(address: SocketAddr) -> Result<tiny_http::Server, Error> {
    let failed = |message: String| Error::Serve {
        address: address.to_string(),
        message,
    };
    let listener = std::net::TcpListener::bind(address).map_err(|e| failed(e.to_string()))?;
    #[cfg(unix)]
    let _ = rustix::net::sockopt::set_tcp_nodelay(&listener, true);
    tiny_http::Server::from_listener(listener, None).map_err(|e| failed(e.to_string()))
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

/// Compiles and renders the workspace into memory, swaps it in on success and
/// tells open tabs; on failure keeps the last good site and reports the errors.
fn rebuild(
    workspace: &mut Workspace,
    hashes: &mut render::Memo,
    shared: &Shared,
    started: Instant,
    verb: &str,
    timings: bool,
) {
    if let Some(config) = workspace.config() {
        if let Ok(mut base) = shared.base.write() {
            config.base_url.path().clone_into(&mut base);
        }
    }
    let previous = Arc::clone(&read_arc(&shared.files));
    let sink = MemorySink {
        next: Mutex::new(crate::hash::fast_map(previous.len())),
        previous,
    };
    let compiling = Instant::now();
    let result = workspace.compile().and_then(|compiled| {
        if timings {
            eprintln!(
                "{:>18}: {:>8.1} ms",
                "link and check",
                compiling.elapsed().as_secs_f64() * 1000.0
            );
        }
        let stats = render::rebuild(
            &compiled.site,
            &compiled.theme,
            &workspace.options().root,
            &sink,
            hashes,
        )?;
        if timings {
            for (stage, time) in &stats.timings {
                eprintln!("{stage:>18}: {:>8.1} ms", time.as_secs_f64() * 1000.0);
            }
        }
        Ok((compiled, stats))
    });
    match result {
        Ok((compiled, stats)) => {
            let files = sink.next.into_inner().unwrap_or_default();
            if let Ok(mut current) = shared.files.write() {
                *current = Arc::new(files);
            }
            let was_failing = shared
                .failure
                .write()
                .map(|mut f| f.take().is_some())
                .unwrap_or(false);
            report_warnings(shared, &compiled.warnings);
            println!(
                "{verb} {} entries in {} ms: {} of {} files changed",
                compiled.site.entries.len(),
                started.elapsed().as_millis(),
                stats.made,
                stats.files
            );
            if stats.made > 0 || was_failing {
                shared.broadcast("event: reload\ndata: {}\n\n");
            }
        }
        Err(e) => {
            let text = failure_text(&e);
            eprintln!("{text}");
            println!(
                "{verb} with errors in {} ms; still serving the last good site",
                started.elapsed().as_millis()
            );
            let event = format!(
                "event: failed\ndata: {}\n\n",
                serde_json::to_string(&text).unwrap_or_default()
            );
            if let Ok(mut failure) = shared.failure.write() {
                *failure = Some(text);
            }
            shared.broadcast(&event);
        }
    }
}

/// Most warnings printed after a rebuild; `dateline check` lists them all.
const WARNINGS_SHOWN: usize = 20;

/// Prints the warnings when they differ from the last rebuild's, at most
/// [`WARNINGS_SHOWN`], so an edit elsewhere does not repeat them every time.
fn report_warnings(shared: &Shared, warnings: &[crate::Diagnostic]) {
    let digest = crate::render::fingerprint(&warnings);
    let changed = shared
        .warnings
        .lock()
        .map(|mut last| std::mem::replace(&mut *last, digest) != digest)
        .unwrap_or(true);
    if !changed {
        return;
    }
    for w in warnings.iter().take(WARNINGS_SHOWN) {
        eprintln!("{w}\n");
    }
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!(
            "… and {} more warnings; `dateline check` lists them all\n",
            warnings.len() - WARNINGS_SHOWN
        );
    }
}

fn failure_text(error: &Error) -> String {
    let mut text = String::new();
    if let Error::Invalid(diagnostics) = error {
        for d in diagnostics {
            text.push_str(&d.to_string());
            text.push_str("\n\n");
        }
    }
    text.push_str(&format!("error: {error}"));
    if let Some(help) = error.help() {
        text.push_str(&format!("\n  = help: {help}"));
    }
    text
}

fn read<T: Clone + Default>(lock: &RwLock<T>) -> T {
    lock.read().map(|v| v.clone()).unwrap_or_default()
}

fn read_arc(lock: &RwLock<Arc<Files>>) -> Arc<Files> {
    lock.read().map(|v| Arc::clone(&v)).unwrap_or_default()
}

/// Answers one request: the events stream, a file of the site, or the 404 page.
fn respond(request: tiny_http::Request, shared: &Shared) {
    let base = read(&shared.base);
    let raw = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let path = percent_encoding::percent_decode_str(&raw)
        .decode_utf8_lossy()
        .into_owned();
    if path == format!("{base}{EVENTS}") {
        return events(request, shared);
    }
    let Some(rel) = path.strip_prefix(&base) else {
        if path == "/" || path.is_empty() {
            return redirect(request, &base);
        }
        return not_found(request, shared);
    };
    let files = read_arc(&shared.files);
    let mut key = rel.to_string();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    match files.get(&key) {
        Some(file) => send(request, 200, &key, &file.bytes, shared),
        // `/entries/x` → `/entries/x/`, as static hosts do.
        None if files.contains_key(&format!("{key}/index.html")) => {
            redirect(request, &format!("{raw}/"))
        }
        None if read(&shared.failure).is_some() && files.is_empty() => {
            let page = b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dateline</title></head><body><main><h1>The site has errors</h1></main></body></html>";
            send(request, 503, "index.html", page, shared);
        }
        None => not_found(request, shared),
    }
}

fn not_found(request: tiny_http::Request, shared: &Shared) {
    let files = read_arc(&shared.files);
    let body = files
        .get("404.html")
        .map_or_else(|| Arc::from(&b"Not found"[..]), |f| Arc::clone(&f.bytes));
    send(request, 404, "404.html", &body, shared);
}

fn redirect(request: tiny_http::Request, to: &str) {
    let mut response = tiny_http::Response::empty(302);
    add_header(&mut response, "Location", to);
    let _ = request.respond(response);
}

/// Adds a header; a value HTTP cannot carry is left out rather than sent broken.
fn add_header<R: std::io::Read>(response: &mut tiny_http::Response<R>, name: &str, value: &str) {
    if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        response.add_header(h);
    }
}

/// Sends a file with its content type; HTML pages get the reload script.
fn send(request: tiny_http::Request, status: u16, path: &str, bytes: &[u8], shared: &Shared) {
    let mime = content_type(path);
    let body = if mime.starts_with("text/html") {
        with_reload_script(bytes, &read(&shared.base))
    } else {
        bytes.to_vec()
    };
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    add_header(&mut response, "Content-Type", mime);
    add_header(&mut response, "Cache-Control", "no-store");
    let _ = request.respond(response);
}

/// Keeps an events stream open, sending each rebuild's outcome as it happens.
fn events(request: tiny_http::Request, shared: &Shared) {
    let (tx, rx) = mpsc::channel::<String>();
    if let Some(failure) = read(&shared.failure) {
        let _ = tx.send(format!(
            "event: failed\ndata: {}\n\n",
            serde_json::to_string(&failure).unwrap_or_default()
        ));
    }
    if let Ok(mut clients) = shared.clients.lock() {
        clients.push(tx);
    }
    // tiny_http buffers chunked bodies, so the stream is written by hand and
    // flushed after every event.
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let event = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => event,
            Err(mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(event.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

fn content_type(path: &str) -> &'static str {
    match path
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// The page with the live-reload script before `</body>`: it reloads on a
/// rebuild and shows build errors in an overlay until they are fixed.
fn with_reload_script(html: &[u8], base: &str) -> Vec<u8> {
    let script = format!(
        r#"<script>
(() => {{
  const events = new EventSource({url});
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("failed", (e) => {{
    let box = document.getElementById("dateline-errors");
    if (!box) {{
      box = document.createElement("div");
      box.id = "dateline-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:1rem;z-index:99999;overflow:auto;background:#1b1b1f;color:#fff;padding:1rem 1.25rem;border:3px solid #ff8a80;border-radius:8px;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.append(box);
    }}
    box.textContent = "dateline: the last edit has errors; the page shows the last good build.\n\n" + JSON.parse(e.data);
  }});
}})();
</script>
"#,
        url = serde_json::to_string(&format!("{base}{EVENTS}")).unwrap_or_default()
    );
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_the_script_before_the_end_of_body() {
        let page = with_reload_script(b"<html><body><p>x</p></body></html>", "/metoo/");
        let page = String::from_utf8(page).unwrap_or_default();
        assert!(
            page.contains("new EventSource(\"/metoo/__dateline/events\")"),
            "{page}"
        );
        assert!(page.ends_with("</script>\n</body></html>"), "{page}");
    }

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

    #[test]
    fn names_content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("x/photo.JPG"), "image/jpeg");
    }
}
