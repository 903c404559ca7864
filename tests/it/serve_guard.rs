//! `serve` for its editor only, tried with real sockets: only its own address
//! as `Host`, only `GET` and `HEAD`, bounded heads and no bodies, a fixed pool
//! of threads however many connections and event streams are opened, and a
//! listener that keeps answering after a flood.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::Fixture;
use crate::serve::Server;

/// Sends `request` as is and returns the whole response (or what came before
/// the server closed or went quiet for a second).
fn raw(address: &str, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

fn status(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The number of threads of the process `pid` (Linux).
fn threads(pid: u32) -> usize {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

#[test]
fn only_a_host_naming_the_address_gets_an_answer() {
    let fixture = Fixture::copy("drafts");
    let server = Server::start(&fixture);
    let base = server.base();
    let get = |host: &str| {
        raw(
            &server.address,
            format!("GET {base} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    };
    let port = server.address.rsplit(':').next().unwrap().to_string();
    assert_eq!(status(&get(&server.address)), 200);
    assert_eq!(status(&get(&format!("localhost:{port}"))), 200);
    for host in [
        "rebind.attacker.example",
        &format!("rebind.attacker.example:{port}"),
        "127.0.0.1:1",
    ] {
        let response = get(host);
        assert_eq!(status(&response), 421, "{host}: {response}");
        assert!(!response.contains("<main"), "no page for {host}");
    }
    let none = raw(
        &server.address,
        format!("GET {base} HTTP/1.1\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(status(&none), 421);
}

#[test]
fn only_get_and_head_are_answered_and_every_answer_says_nosniff() {
    let fixture = Fixture::copy("minimal");
    let server = Server::start(&fixture);
    let base = server.base();
    let host = &server.address;
    for method in ["POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH"] {
        let response = raw(
            host,
            format!("{method} {base} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert_eq!(status(&response), 405, "{method}: {response}");
        assert!(response.contains("Allow: GET, HEAD"), "{response}");
    }
    let head = raw(
        host,
        format!("HEAD {base} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(status(&head), 200);
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body: {head}");
    for path in [
        base.clone(),
        format!("{base}dateline.css"),
        format!("{base}missing/"),
    ] {
        let response = raw(
            host,
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert!(
            response.contains("X-Content-Type-Options: nosniff\r\n"),
            "{path}: {response}"
        );
        assert!(response.contains("Content-Type: "), "{path}");
    }
}

#[test]
fn huge_heads_and_bodies_are_refused_and_the_server_stays_small() {
    let fixture = Fixture::copy("minimal");
    let server = Server::start(&fixture);
    let base = server.base();
    let host = &server.address;
    let mut big = format!("GET {base} HTTP/1.1\r\nHost: {host}\r\n").into_bytes();
    big.extend(format!("X-Padding: {}\r\n", "a".repeat(8 << 20)).into_bytes());
    big.extend(b"\r\n");
    assert_eq!(status(&raw(host, &big)), 431);
    let body = format!("GET {base} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 600000000\r\n\r\n");
    assert_eq!(status(&raw(host, body.as_bytes())), 413);
    let status_file =
        std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let rss_kb: u64 = status_file
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    assert!(rss_kb < 200 << 10, "serve grew to {rss_kb} KiB");
    assert_eq!(server.get(&base).0, 200, "still answering");
}

#[test]
fn a_flood_of_connections_and_event_streams_keeps_the_threads_bounded_and_the_listener_alive() {
    let fixture = Fixture::copy("minimal");
    let server = Server::start(&fixture);
    let base = server.base();
    let pid = server.child.id();
    let before = threads(pid);
    // Connections that never send a request, and event streams that stay open.
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(&server.address).ok())
        .collect();
    let streams: Vec<TcpStream> = (0..200)
        .filter_map(|_| {
            let mut s = TcpStream::connect(&server.address).ok()?;
            write!(
                s,
                "GET {base}__dateline/events HTTP/1.1\r\nHost: {}\r\n\r\n",
                server.address
            )
            .ok()?;
            Some(s)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let during = threads(pid);
    assert!(
        during <= before + 2,
        "{before} threads before, {during} during the flood"
    );
    drop(idle);
    drop(streams);
    // Once the flood is gone, pages are served again.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (code, _) = server.get(&base);
        if code == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the listener stopped answering");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_base_path_with_a_space_is_served_at_the_printed_address() {
    let fixture = Fixture::copy("minimal");
    let config = std::fs::read_to_string(fixture.root.join("site.yaml")).unwrap();
    let config = config
        .lines()
        .map(|l| {
            if l.starts_with("base_url:") {
                "base_url: \"https://example.org/my news/\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fixture.write("site.yaml", format!("{config}\n"));
    let server = Server::start(&fixture);
    let base = server.base();
    assert_eq!(base, "/my%20news/");
    assert_eq!(server.get(&base).0, 200, "the printed address answers");
}
