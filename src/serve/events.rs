//! The events stream open tabs listen to (Server-Sent Events): each rebuild's
//! outcome is written to every subscriber from one thread, so a thousand open
//! tabs cost a thousand sockets, not a thousand threads, and past
//! [`MAX_STREAMS`] a new tab is refused rather than the server falling over.

use std::io::Write;
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Duration;

/// Most open event streams.
pub(super) const MAX_STREAMS: usize = 64;

/// How often an idle stream hears from the server, so closed tabs are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What the events thread is told.
pub(super) enum Message {
    /// A tab asked for the stream; `failure` is the current build error, if any.
    Subscribe {
        /// The tab's connection, its request already read.
        stream: TcpStream,
        /// The errors of the last rebuild, when it failed.
        failure: Option<String>,
    },
    /// An event to send every tab.
    Send(String),
}

/// The `failed` event for a build error.
pub(super) fn failed(text: &str) -> String {
    format!(
        "event: failed\ndata: {}\n\n",
        serde_json::to_string(text).unwrap_or_default()
    )
}

/// The reload event.
pub(super) const RELOAD: &str = "event: reload\ndata: {}\n\n";

/// Serves the streams until every sender of `messages` is gone.
pub(super) fn run(messages: &mpsc::Receiver<Message>) {
    let mut streams: Vec<TcpStream> = Vec::new();
    loop {
        match messages.recv_timeout(KEEP_ALIVE) {
            Ok(Message::Subscribe {
                mut stream,
                failure,
            }) => {
                if streams.len() >= MAX_STREAMS {
                    let _ = stream.write_all(BUSY.as_bytes());
                    continue;
                }
                let mut head = String::from(HEAD);
                if let Some(text) = failure {
                    head.push_str(&failed(&text));
                }
                if stream.write_all(head.as_bytes()).is_ok() {
                    streams.push(stream);
                }
            }
            Ok(Message::Send(event)) => send(&mut streams, &event),
            Err(mpsc::RecvTimeoutError::Timeout) => send(&mut streams, ": keep-alive\n\n"),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Writes `event` to every stream, forgetting those that are gone or stuck.
fn send(streams: &mut Vec<TcpStream>, event: &str) {
    streams.retain_mut(|s| {
        s.write_all(event.as_bytes())
            .and_then(|()| s.flush())
            .is_ok()
    });
}

const HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\n: connected\n\n";

const BUSY: &str = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 24\r\nRetry-After: 5\r\nConnection: close\r\n\r\ntoo many open event tabs";
