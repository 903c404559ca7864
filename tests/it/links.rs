//! `check --links` against a local HTTP server the test starts, answering each
//! path as a real host might: 200, permanent and temporary redirect chains, 404,
//! 410, 429 with `Retry-After`, 503, a hang past the timeout, and a port that
//! refuses connections. Never a real host.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::common::Fixture;

/// A server on loopback that answers by path and counts requests per path.
struct Server {
    port: u16,
    asked: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let asked: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let counts = Arc::clone(&asked);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counts = Arc::clone(&counts);
                std::thread::spawn(move || answer(stream, &counts));
            }
        });
        Server { port, asked }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn asked(&self, path: &str) -> usize {
        self.asked.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.asked.lock().unwrap().values().sum()
    }
}

fn answer(mut stream: TcpStream, counts: &Mutex<HashMap<String, usize>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let n = {
        let mut c = counts.lock().unwrap();
        let n = c.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let (status, headers): (&str, &[(&str, &str)]) = match path.as_str() {
        "/ok" | "/archived" | "/post" => ("200 OK", &[]),
        "/moved" => ("301 Moved Permanently", &[("Location", "/ok")]),
        "/chain" => ("308 Permanent Redirect", &[("Location", "/temporary")]),
        "/temporary" => ("302 Found", &[("Location", "/ok")]),
        "/gone" => ("404 Not Found", &[]),
        "/removed" => ("410 Gone", &[]),
        "/busy-once" if n == 1 => ("429 Too Many Requests", &[("Retry-After", "1")]),
        "/busy-once" => ("200 OK", &[]),
        "/busy" => ("429 Too Many Requests", &[("Retry-After", "3600")]),
        "/broken" => ("503 Service Unavailable", &[]),
        "/hang" => {
            std::thread::sleep(Duration::from_secs(4));
            ("200 OK", &[])
        }
        _ => ("404 Not Found", &[]),
    };
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\nok");
    let _ = stream.write_all(head.as_bytes());
}

/// A port nothing listens on.
fn refused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// An entry citing every kind of address the server answers.
fn site(server: &Server) -> Fixture {
    let fixture = Fixture::copy("minimal");
    let refused = format!("http://127.0.0.1:{}/nothing", refused_port());
    let source = |title: &str, url: &str, more: &str| {
        format!("  - {{ title: \"{title}\", url: \"{url}\", publisher: \"P\"{more} }}\n")
    };
    let mut text = String::from("---\ntitle: Cited\ndate: 2017-10-20\nsources:\n");
    text += &source("Fine", &server.url("/ok"), "");
    text += &source("Moved", &server.url("/moved"), "");
    text += &source("Chain", &server.url("/chain"), "");
    text += &source("Temporary", &server.url("/temporary"), "");
    text += &source("Gone", &server.url("/gone"), "");
    text += &source(
        "Removed",
        &server.url("/removed"),
        &format!(", archive_url: \"{}\"", server.url("/archived")),
    );
    text += &source("Busy once", &server.url("/busy-once"), "");
    text += &source("Busy", &server.url("/busy"), "");
    text += &source("Broken", &server.url("/broken"), "");
    text += &source("Hang", &server.url("/hang"), "");
    text += &source("Refused", &refused, "");
    text += &format!(
        "posts:\n  - {{ author: \"A\", date: 2017-10-15, text: \"x\", url: \"{}\" }}\n---\nSee [the report]({}) and [a gone page]({}).\n",
        server.url("/post"),
        server.url("/ok"),
        server.url("/gone")
    );
    fixture.write("content/2017-10-20-cited.md", text);
    fixture
}

const FILE: &str = "content/2017-10-20-cited.md";

/// Each warning's `line: message`, from `check --format json`.
fn findings(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == FILE)
        .map(|d| format!("{}: {}", d["line"], d["message"].as_str().unwrap()))
        .collect()
}

#[test]
fn check_links_reports_dead_moved_and_unanswered_addresses_at_their_lines() {
    let server = Server::start();
    let fixture = site(&server);
    // `build` never asks the network.
    fixture.build(&[]).success();
    assert_eq!(server.total(), 0, "a build requested an address");

    // Loopback addresses are refused unless asked for: content must not make
    // the machine that checks links request its own services.
    let guarded = fixture.check(&["--links", "--format", "json"]);
    let doc: Value = serde_json::from_str(&guarded.stdout).unwrap();
    let refused = findings(&doc);
    assert_eq!(server.total(), 0, "a private address was requested");
    assert!(
        refused.iter().all(|f| f.contains(
            "was not requested: `127.0.0.1` is 127.0.0.1, on this machine or a private network"
        )),
        "{refused:#?}"
    );
    assert_eq!(
        refused.len(),
        15,
        "every use of every address: {refused:#?}"
    );

    let args = [
        "--links",
        "--link-private",
        "--link-timeout",
        "2",
        "--format",
        "json",
    ];
    let run = fixture.check(&args);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let u = |p: &str| server.url(p);
    let found = findings(&doc);
    let expect = |line: usize, message: String| {
        let want = format!("{line}: {message}");
        assert!(found.contains(&want), "missing `{want}` in\n{found:#?}");
    };
    expect(
        6,
        format!("`{}` has moved permanently to `{}`", u("/moved"), u("/ok")),
    );
    expect(
        7,
        format!("`{}` has moved permanently to `{}`", u("/chain"), u("/ok")),
    );
    expect(9, format!("`{}` is dead: HTTP 404", u("/gone")));
    expect(10, format!("`{}` is dead: HTTP 410", u("/removed")));
    expect(
        12,
        format!(
            "`{}` could not be checked: HTTP 429, asked to wait 3600 s",
            u("/busy")
        ),
    );
    expect(
        13,
        format!("`{}` could not be checked: HTTP 503", u("/broken")),
    );
    expect(14, format!("`{}` did not answer within 2 s", u("/hang")));
    assert!(
        found.iter().any(|f| f.starts_with("15: `http://127.0.0.1:")
            && f.ends_with("is dead: the connection was refused")),
        "{found:#?}"
    );
    // The body's dead link, at its own line.
    expect(19, format!("`{}` is dead: HTTP 404", u("/gone")));
    assert_eq!(
        found.len(),
        9,
        "fine, temporary-redirect, post and waited-for 429 addresses are not findings:\n{found:#?}"
    );
    // The fix depends on what the address is.
    let help_of = |needle: &str| -> String {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["message"].as_str().unwrap().contains(needle) && d["line"] != 19)
            .map(|d| d["help"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    assert!(help_of("/gone").contains("add `archive_url: \"…\"` and `url_status: dead`"));
    assert!(help_of("/removed").contains("add `url_status: dead` to the source"));
    assert!(help_of("/moved").contains(&format!("write the new address instead: `{}`", u("/ok"))));
    assert_eq!(
        server.asked("/busy-once"),
        2,
        "a 429 that says how long is waited for once"
    );
    assert_eq!(
        server.asked("/gone"),
        1,
        "one request per address, however often it is used"
    );

    // Text output and --strict.
    let strict = fixture.check(&[
        "--links",
        "--link-private",
        "--link-timeout",
        "2",
        "--strict",
    ]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict.stderr.contains(&format!("{FILE}:9:")),
        "{}",
        strict.stderr
    );

    // Lasting answers come from the cache: only the unanswered are asked again.
    let before = server.total();
    let lasting =
        ["/ok", "/gone", "/moved", "/chain", "/removed", "/post"].map(|p| server.asked(p));
    let again = fixture.check(&args);
    assert_eq!(
        findings(&serde_json::from_str(&again.stdout).unwrap()),
        found
    );
    let asked_again = server.total() - before;
    assert_eq!(
        ["/ok", "/gone", "/moved", "/chain", "/removed", "/post"].map(|p| server.asked(p)),
        lasting,
        "lasting answers are cached"
    );
    assert!(
        asked_again <= 3,
        "only /busy, /broken and /hang are asked again: {asked_again}"
    );
    assert!(fixture.root.join(".dateline-cache/links.json").is_file());
    // With the cache turned off, everything is asked again.
    fixture.check(&[
        "--links",
        "--link-private",
        "--link-timeout",
        "2",
        "--link-cache-hours",
        "0",
    ]);
    assert!(server.asked("/gone") == 2 && server.asked("/ok") > lasting[0]);
}

#[test]
fn link_options_need_links() {
    let fixture = Fixture::copy("minimal");
    let run = fixture.check(&["--link-timeout", "2"]);
    assert_eq!(run.code, 2, "a usage error: {}", run.stderr);
    assert!(run.stderr.contains("--links"), "{}", run.stderr);
}
