//! The HTTP side of `serve`: each request answered from the files in memory,
//! under the site's base path, with the live-reload script added to pages.
//!
//! `serve` is for the editor at this machine, so it answers only what a browser
//! of theirs would send: `GET` and `HEAD` (405 otherwise), a `Host` that names
//! the address it listens on (421 otherwise: a page elsewhere cannot reach
//! drafts by DNS rebinding), no request body (413), a head of at most
//! [`MAX_HEAD`] bytes (431). A fixed pool of [`WORKERS`] threads answers, fed
//! by a queue of [`QUEUE`] connections; a connection past that gets a 503 and
//! the listener goes on, so a flood degrades to refusals, never to a dead
//! server. Every response says `X-Content-Type-Options: nosniff`.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::serve::events::{self, Message};
use crate::serve::live::Files;

/// Where the events stream lives, under the site's base path.
const EVENTS: &str = "__dateline/events";

/// Largest request head (request line and headers), in bytes.
pub(super) const MAX_HEAD: usize = 16 * 1024;

/// Threads answering requests.
pub(super) const WORKERS: usize = 8;

/// Accepted connections waiting for a worker; one more is refused.
pub(super) const QUEUE: usize = 64;

/// How long a connection may take to send a request, or sit idle between two.
const IDLE: Duration = Duration::from_secs(5);

/// Requests one kept-alive connection may make.
const REQUESTS_PER_CONNECTION: usize = 1000;

/// What the HTTP threads read and the rebuild loop writes.
pub(super) struct State {
    /// The last good site.
    pub(super) files: RwLock<Arc<Files>>,
    /// The errors of the last rebuild, when it failed.
    pub(super) failure: RwLock<Option<String>>,
    /// The site's base path as its URLs write it, e.g. `/my%20news/`.
    pub(super) base: RwLock<String>,
    /// The address listened on, which a request's `Host` must name.
    address: SocketAddr,
    /// The events thread.
    events: Mutex<mpsc::Sender<Message>>,
}

impl State {
    /// Tells every open tab `event`.
    pub(super) fn broadcast(&self, event: String) {
        if let Ok(events) = self.events.lock() {
            let _ = events.send(Message::Send(event));
        }
    }
}

pub(super) fn read<T: Clone + Default>(lock: &RwLock<T>) -> T {
    lock.read().map(|v| v.clone()).unwrap_or_default()
}

/// Starts the events thread, the workers and the accept loop on `listener`;
/// returns what they share.
pub(super) fn start(listener: TcpListener) -> Result<Arc<State>, Error> {
    let address = listener.local_addr().map_err(|e| failed_at(None, &e))?;
    let spawn = |name: &str, work: Box<dyn FnOnce() + Send>| {
        std::thread::Builder::new()
            .name(name.into())
            .spawn(work)
            .map(drop)
            .map_err(|e| failed_at(Some(address), &e))
    };
    let (events, messages) = mpsc::channel();
    spawn("events", Box::new(move || events::run(&messages)))?;
    let state = Arc::new(State {
        files: RwLock::default(),
        failure: RwLock::default(),
        base: RwLock::default(),
        address,
        events: Mutex::new(events),
    });
    let (queue, waiting) = mpsc::sync_channel::<TcpStream>(QUEUE);
    let waiting = Arc::new(Mutex::new(waiting));
    for n in 0..WORKERS {
        let (state, waiting) = (Arc::clone(&state), Arc::clone(&waiting));
        spawn(
            &format!("http-{n}"),
            Box::new(move || loop {
                let next = waiting.lock().ok().and_then(|w| w.recv().ok());
                let Some(stream) = next else { return };
                connection(stream, &state);
            }),
        )?;
    }
    spawn("accept", Box::new(move || accept(&listener, &queue)))?;
    Ok(state)
}

fn failed_at(address: Option<SocketAddr>, e: &std::io::Error) -> Error {
    Error::Serve {
        address: address.map(|a| a.to_string()).unwrap_or_default(),
        message: e.to_string(),
    }
}

/// Hands each new connection to the workers, or refuses it when they are all
/// busy and the queue is full.
fn accept(listener: &TcpListener, queue: &mpsc::SyncSender<TcpStream>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, most likely: give the others time to close.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let _ = stream.set_read_timeout(Some(IDLE));
        let _ = stream.set_write_timeout(Some(IDLE));
        if let Err(mpsc::TrySendError::Full(mut stream)) = queue.try_send(stream) {
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let _ = respond(&mut stream, &Response::text(503, "busy"), false);
        }
    }
}

/// A request as far as `serve` reads one.
struct Request {
    method: String,
    /// The path and query as sent.
    target: String,
    host: Option<String>,
    /// Whether the request has a body.
    body: bool,
    /// Whether the client wants the connection kept open.
    keep_alive: bool,
}

/// Answers the requests of one connection until it closes, idles or errs.
fn connection(mut stream: TcpStream, state: &State) {
    let mut buffer = Vec::new();
    for _ in 0..REQUESTS_PER_CONNECTION {
        let request = match read_request(&mut stream, &mut buffer) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(status) => {
                let _ = respond(&mut stream, &Response::text(status, "bad request"), false);
                return;
            }
        };
        if let Some(refusal) = refusal(&request, state.address) {
            let _ = respond(&mut stream, &refusal, false);
            return;
        }
        let head = request.method == "HEAD";
        let base = read(&state.base);
        if decode(path_of(&request.target)) == decode(&format!("{base}{EVENTS}")) && !head {
            let failure = read(&state.failure);
            if let Ok(events) = state.events.lock() {
                let _ = events.send(Message::Subscribe { stream, failure });
            }
            return;
        }
        let response = answer(&request.target, &base, state);
        if respond(&mut stream, &response, head).is_err() || !request.keep_alive {
            return;
        }
    }
}

/// Reads one request head into `buffer` (which keeps what follows it);
/// `Ok(None)` when the connection closed or idled first, `Err(status)` for a
/// request `serve` will not read.
fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Option<Request>, u16> {
    let started = Instant::now();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find_head_end(buffer) {
            let request = parse(&buffer[..end])?;
            buffer.drain(..end);
            return Ok(Some(request));
        }
        if buffer.len() > MAX_HEAD {
            return Err(431);
        }
        if started.elapsed() > IDLE {
            return Ok(None);
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The end of the first request head in `bytes`, past its blank line.
fn find_head_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
}

fn parse(head: &[u8]) -> Result<Request, u16> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => return Err(431),
        Err(_) => return Err(400),
    }
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let length = header("content-length").and_then(|l| l.parse::<u64>().ok());
    let close = header("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
    let version = parsed.version.unwrap_or(0);
    Ok(Request {
        method: parsed.method.unwrap_or_default().to_string(),
        target: parsed.path.unwrap_or("/").to_string(),
        host: header("host"),
        body: length.is_some_and(|l| l > 0) || header("transfer-encoding").is_some(),
        keep_alive: version == 1 && !close,
    })
}

/// Why a request is not answered, as the response that says so.
fn refusal(request: &Request, bound: SocketAddr) -> Option<Response> {
    if request.method != "GET" && request.method != "HEAD" {
        let mut r = Response::text(405, "only GET and HEAD");
        r.headers.push(("Allow", "GET, HEAD".into()));
        return Some(r);
    }
    if request.body {
        return Some(Response::text(413, "no request body is read"));
    }
    if !host_allowed(request.host.as_deref(), bound) {
        return Some(Response::text(
            421,
            "this server answers only at its own address",
        ));
    }
    None
}

/// Whether `host` (a request's `Host`) names the address `serve` listens on:
/// that address or, on loopback, `localhost`; any address of this machine
/// when it listens on all of them. A name that is not an address is refused, so
/// a page elsewhere whose name resolves here (DNS rebinding) gets nothing.
fn host_allowed(host: Option<&str>, bound: SocketAddr) -> bool {
    let Some(host) = host else {
        return false;
    };
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !name.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            (name, port.parse::<u16>().ok())
        }
        _ => (host, None),
    };
    if port.is_some_and(|p| p != bound.port()) {
        return false;
    }
    let name = name.trim_start_matches('[').trim_end_matches(']');
    let local = bound.ip().is_loopback() || bound.ip().is_unspecified();
    match name.parse::<IpAddr>() {
        Ok(ip) => {
            bound.ip().is_unspecified()
                || ip == bound.ip()
                || (ip.is_loopback() && bound.ip().is_loopback())
        }
        Err(_) => {
            let name = name.to_ascii_lowercase();
            local && (name == "localhost" || name.ends_with(".localhost"))
        }
    }
}

/// A response before it is written.
struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, text: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: text.as_bytes().to_vec(),
        }
    }

    fn redirect(to: String) -> Response {
        Response {
            status: 302,
            headers: vec![("Location", to)],
            body: Vec::new(),
        }
    }

    /// A file of the site; HTML pages get the reload script.
    fn file(status: u16, path: &str, bytes: &[u8], base: &str) -> Response {
        let mime = crate::media::content_type(path);
        let body = if mime.starts_with("text/html") {
            with_reload_script(bytes, base)
        } else {
            bytes.to_vec()
        };
        Response {
            status,
            headers: vec![("Content-Type", mime.into())],
            body,
        }
    }
}

/// Writes `response`; its body only when the request was not `HEAD`.
fn respond(stream: &mut TcpStream, response: &Response, head: bool) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        // A value HTTP cannot carry is left out rather than sent broken.
        if !value.contains(['\r', '\n']) {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n",
        response.body.len()
    ));
    stream.write_all(out.as_bytes())?;
    if !head {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// The path of a request target, without its query or fragment.
fn path_of(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or("/")
}

/// A path percent-decoded, so `/my%20news/` and `/my news/` compare equal.
fn decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

/// The response to a `GET` of `target`: a file of the site, the 404 page, or
/// a redirect to the base path or to a folder's URL with its slash.
fn answer(target: &str, base: &str, state: &State) -> Response {
    let raw = path_of(target);
    let path = decode(raw);
    let Some(rel) = path.strip_prefix(&decode(base)) else {
        if path == "/" || path.is_empty() {
            return Response::redirect(base.to_string());
        }
        return not_found(state, base);
    };
    let files = state
        .files
        .read()
        .map(|f| Arc::clone(&f))
        .unwrap_or_default();
    let mut key = rel.to_string();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    match files.get(&key) {
        Some(file) => Response::file(200, &key, &file.bytes, base),
        // `/entries/x` → `/entries/x/`, as static hosts do.
        None if files.contains_key(&format!("{key}/index.html")) => {
            Response::redirect(format!("{raw}/"))
        }
        None if read(&state.failure).is_some() && files.is_empty() => {
            let page = b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dateline</title></head><body><main><h1>The site has errors</h1></main></body></html>";
            Response::file(503, "index.html", page, base)
        }
        None => not_found(state, base),
    }
}

fn not_found(state: &State, base: &str) -> Response {
    let files = state
        .files
        .read()
        .map(|f| Arc::clone(&f))
        .unwrap_or_default();
    match files.get("404.html") {
        Some(page) => Response::file(404, "404.html", &page.bytes, base),
        None => Response::text(404, "Not found"),
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
    fn only_hosts_that_name_the_address_listened_on_are_answered() {
        let loopback: SocketAddr = "127.0.0.1:1111".parse().unwrap_or_else(|_| unreachable!());
        for good in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "app.localhost:1111",
            "127.0.0.2:1111",
        ] {
            assert!(host_allowed(Some(good), loopback), "{good}");
        }
        for bad in [
            "rebind.attacker.example",
            "rebind.attacker.example:1111",
            "127.0.0.1:2222",
            "10.0.0.5:1111",
            "",
        ] {
            assert!(!host_allowed(Some(bad), loopback), "{bad}");
        }
        assert!(!host_allowed(None, loopback));
        let v6: SocketAddr = "[::1]:1111".parse().unwrap_or_else(|_| unreachable!());
        assert!(host_allowed(Some("[::1]:1111"), v6));
        let all: SocketAddr = "0.0.0.0:1111".parse().unwrap_or_else(|_| unreachable!());
        assert!(host_allowed(Some("192.168.1.20:1111"), all));
        assert!(!host_allowed(Some("evil.example:1111"), all));
    }
}
