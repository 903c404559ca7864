//! `dateline serve`, `new` and `init` as an editor uses them: the real binary on a
//! free loopback port, fetched over plain HTTP, with files edited under it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::{bin, dateline, Fixture};

/// How long an edit may take to show; generous, since CI machines are slow.
const WAIT: Duration = Duration::from_secs(15);

/// A running `dateline serve`, stopped when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    /// `http://127.0.0.1:PORT/base/`
    url: String,
    /// Host and port.
    pub(crate) address: String,
}

impl Server {
    pub(crate) fn start(fixture: &Fixture) -> Server {
        let mut child = Command::new(bin())
            .args(["serve", "--port", "0", "--root"])
            .arg(&fixture.root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = loop {
            let line = rx.recv_timeout(WAIT).expect("serve prints its address");
            if line.starts_with("serving ") {
                break line;
            }
        };
        let url = line.split_whitespace().nth(1).unwrap().to_string();
        let address = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        Server {
            child,
            url,
            address,
        }
    }

    /// The whole response to `GET path` (absolute path on the server).
    pub(crate) fn fetch(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    /// `GET path`: status and body.
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        let response = self.fetch(path);
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (status, body)
    }

    /// The response head of `GET path`, for redirects.
    fn head_of(&self, path: &str) -> String {
        let response = self.fetch(path);
        response.split("\r\n\r\n").next().unwrap_or("").to_string()
    }

    /// The site's base path, e.g. `/`.
    pub(crate) fn base(&self) -> String {
        format!("/{}", self.url.splitn(4, '/').nth(3).unwrap_or(""))
    }

    /// Opens the live-reload stream, as a page would; events arrive on the receiver.
    pub(crate) fn events(&self) -> mpsc::Receiver<String> {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "GET {}__dateline/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.base(),
            self.address
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        // Wait until the server has registered the stream.
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
                if line.starts_with(": connected") {
                    break;
                }
            }
        }
        rx
    }

    /// Polls `path` until its body satisfies `ready`; returns the last body.
    fn wait_for(&self, path: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let (_, body) = self.get(path);
            if ready(&body) || Instant::now() > deadline {
                return body;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for an `event: <name>` line and returns the data line after it.
fn next_event(events: &mpsc::Receiver<String>, name: &str) -> Option<String> {
    let deadline = Instant::now() + WAIT;
    let mut seen = false;
    while Instant::now() < deadline {
        match events.recv_timeout(Duration::from_millis(100)) {
            Ok(line) if line == format!("event: {name}") => seen = true,
            Ok(line) if seen && line.starts_with("data: ") => return Some(line),
            _ => {}
        }
    }
    None
}

const ENTRY: &str = "content/2017-10-05-times-report.md";

#[test]
fn serves_pages_with_the_reload_script_and_a_404() {
    let fixture = Fixture::copy("minimal");
    let server = Server::start(&fixture);
    let base = server.base();
    let (status, page) = server.get(&format!("{base}entries/times-report/"));
    assert_eq!(status, 200);
    assert!(page.contains("data-slug") || page.contains("<h1"), "{page}");
    assert!(
        page.contains("__dateline/events"),
        "serve adds the reload script"
    );
    let (status, missing) = server.get(&format!("{base}no/such/page/"));
    assert_eq!(status, 404);
    assert!(
        missing.contains("Page not found"),
        "the site's own 404 page: {missing}"
    );
    let head = server.head_of(&format!("{base}entries/times-report"));
    assert!(
        head.starts_with("HTTP/1.0 302") || head.starts_with("HTTP/1.1 302"),
        "{head}"
    );
    assert!(
        head.contains(&format!("Location: {base}entries/times-report/")),
        "{head}"
    );
    let (status, css) = server.get(&format!("{base}dateline.css"));
    assert_eq!(status, 200);
    assert!(!css.contains("__dateline"), "only HTML gets the script");
}

#[test]
fn an_edit_shows_up_and_open_pages_reload() {
    let fixture = Fixture::copy("minimal");
    let server = Server::start(&fixture);
    let page = format!("{}entries/times-report/", server.base());
    let events = server.events();
    fixture.append(ENTRY, "\nA freshly added sentence about the report.");
    let body = server.wait_for(&page, |b| b.contains("A freshly added sentence"));
    assert!(
        body.contains("A freshly added sentence"),
        "the edit is served:\n{body}"
    );
    assert!(
        next_event(&events, "reload").is_some(),
        "open pages are told to reload"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_the_error() {
    let fixture = Fixture::copy("minimal");
    let server = Server::start(&fixture);
    let page = format!("{}entries/times-report/", server.base());
    let (_, before) = server.get(&page);
    let events = server.events();
    let good = std::fs::read_to_string(fixture.root.join(ENTRY)).unwrap();
    fixture.write(
        ENTRY,
        good.replacen("date: 2017-10-05", "date: 2017-10-55", 1),
    );
    let failure = next_event(&events, "failed").expect("pages are told about the error");
    assert!(
        failure.contains("content/2017-10-05-times-report.md:3:"),
        "names the file and line: {failure}"
    );
    let (status, during) = server.get(&page);
    assert_eq!(
        (status, during.split("<script>\n(() =>").next()),
        (200, before.split("<script>\n(() =>").next()),
        "the last good page stays served"
    );
    fixture.write(ENTRY, good.replacen("Kantor", "Kantor (fixed)", 1));
    assert!(
        next_event(&events, "reload").is_some(),
        "fixing the file reloads the pages"
    );
    let after = server.wait_for(&page, |b| b.contains("(fixed)"));
    assert!(after.contains("(fixed)"), "{after}");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let fixture = Fixture::copy("minimal");
    let server = Server::start(&fixture);
    let port = server.address.rsplit(':').next().unwrap();
    let run = dateline(&fixture.root, &["serve", "--port", port]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("cannot serve on 127.0.0.1:") && run.stderr.contains("--port 0"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_makes_a_site_that_builds_from_anywhere_and_refuses_a_non_empty_folder() {
    let temp = tempfile::tempdir().unwrap();
    let run = dateline(temp.path(), &["init", "newsroom"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("dateline serve") && run.stdout.contains("dateline build"),
        "prints the next commands: {}",
        run.stdout
    );
    assert!(temp.path().join("newsroom/.gitignore").is_file());
    let elsewhere = tempfile::tempdir().unwrap();
    let root = temp.path().join("newsroom");
    let build = dateline(
        elsewhere.path(),
        &["build", "--root", root.to_str().unwrap()],
    );
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(root.join("public/index.html").is_file());
    assert!(
        !elsewhere.path().join("public").exists(),
        "nothing is written in the working directory"
    );
    let again = dateline(temp.path(), &["init", "newsroom"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
}

#[test]
fn new_writes_an_entry_that_builds_and_never_overwrites() {
    let fixture = Fixture::copy("minimal");
    let run = fixture.run(&["new", "Weinstein is fired", "--date", "2017-10-08"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "content/2017-10-08-weinstein-is-fired.md"
    );
    let text = std::fs::read_to_string(
        fixture
            .root
            .join("content/2017-10-08-weinstein-is-fired.md"),
    )
    .unwrap();
    assert!(
        text.contains("title: \"Weinstein is fired\"") && text.contains("date: 2017-10-08"),
        "{text}"
    );
    assert!(
        text.contains("tags: []") && text.contains("people: []") && text.contains("sources: []"),
        "{text}"
    );
    fixture.build(&[]).success();
    assert!(fixture
        .output()
        .has("entries/weinstein-is-fired/index.html"));
    let again = fixture.run(&["new", "Weinstein is fired", "--date", "2017-10-08"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(
            fixture
                .root
                .join("content/2017-10-08-weinstein-is-fired.md")
        )
        .unwrap(),
        text
    );
    assert_eq!(
        fixture.run(&["new", "x", "--date", "2017-13"]).code,
        2,
        "a bad --date is a usage error"
    );
}

#[test]
fn the_reload_script_never_reaches_a_build() {
    let fixture = Fixture::copy("minimal");
    let (out, _) = fixture.build_ok(&[]);
    for (path, page) in out.pages() {
        assert!(
            !page.contains("__dateline"),
            "{path} holds the serve-only script"
        );
    }
}

/// `serve --open` where no browser can be opened says so, and leaves no
/// defunct opener behind.
#[cfg(target_os = "linux")]
#[test]
fn open_without_a_browser_says_so_and_reaps_the_opener() {
    use std::os::unix::fs::PermissionsExt;
    let fixture = Fixture::copy("minimal");
    let tools = fixture.temp().join("tools");
    std::fs::create_dir(&tools).unwrap();
    let opener = tools.join("xdg-open");
    std::fs::write(&opener, "#!/bin/sh\necho 'no display' >&2\nexit 3\n").unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = Command::new(bin())
        .args(["serve", "--port", "0", "--open", "--root"])
        .arg(&fixture.root)
        .env("PATH", format!("{}:/usr/bin:/bin", tools.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let note = loop {
        match rx.recv_timeout(WAIT) {
            Ok(line) if line.starts_with("note: no browser could be opened") => break Some(line),
            Ok(_) => {}
            Err(_) => break None,
        }
    };
    let children =
        std::fs::read_to_string(format!("/proc/{}/task/{}/children", child.id(), child.id()))
            .unwrap_or_default();
    let zombies: Vec<&str> = children
        .split_whitespace()
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|stat| stat.split_whitespace().nth(2) == Some("Z"))
        })
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    assert!(note.is_some(), "serve said nothing about the failed opener");
    assert!(zombies.is_empty(), "defunct children: {zombies:?}");
}
