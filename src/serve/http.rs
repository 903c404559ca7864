//! The HTTP side of `serve`: each request answered from the files in memory,
//! under the site's base path, with the live-reload script added to pages and
//! an events stream that tells open tabs about each rebuild.

use std::io::Write as _;
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::Duration;

use crate::serve::live::Files;

/// Where the events stream lives, under the site's base path.
pub(super) const EVENTS: &str = "__dateline/events";

/// What the HTTP threads read and the rebuild loop writes.
#[derive(Default)]
pub(super) struct State {
    /// The last good site.
    pub(super) files: RwLock<Arc<Files>>,
    /// The errors of the last rebuild, when it failed.
    pub(super) failure: RwLock<Option<String>>,
    /// The site's base path, e.g. `/metoo/`.
    pub(super) base: RwLock<String>,
    /// One sender per open events stream.
    clients: Mutex<Vec<mpsc::Sender<String>>>,
}

impl State {
    /// Sends an event to every open tab, forgetting tabs that closed.
    pub(super) fn broadcast(&self, event: &str) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(event.to_string()).is_ok());
        }
    }
}

pub(super) fn read<T: Clone + Default>(lock: &RwLock<T>) -> T {
    lock.read().map(|v| v.clone()).unwrap_or_default()
}

fn read_arc(lock: &RwLock<Arc<Files>>) -> Arc<Files> {
    lock.read().map(|v| Arc::clone(&v)).unwrap_or_default()
}

/// Answers one request: the events stream, a file of the site, or the 404 page.
pub(super) fn respond(request: tiny_http::Request, shared: &State) {
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
            redirect(request, &format!("{raw}/"));
        }
        None if read(&shared.failure).is_some() && files.is_empty() => {
            let page = b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dateline</title></head><body><main><h1>The site has errors</h1></main></body></html>";
            send(request, 503, "index.html", page, shared);
        }
        None => not_found(request, shared),
    }
}

fn not_found(request: tiny_http::Request, shared: &State) {
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
fn send(request: tiny_http::Request, status: u16, path: &str, bytes: &[u8], shared: &State) {
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
fn events(request: tiny_http::Request, shared: &State) {
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
    let url = serde_json::to_string(&format!("{base}{EVENTS}")).unwrap_or_default();
    let script = include_str!("reload.js").replace("EVENTS_URL", &url);
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
    fn names_content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("x/photo.JPG"), "image/jpeg");
    }
}
