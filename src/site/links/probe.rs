//! One address requested: redirects followed by hand (so a permanent one can be
//! reported with its new address), a `429` waited for once when it says how
//! long, and the answer reduced to what an editor acts on.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::LinkSettings;

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// What an address answered, as the fix needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub(crate) enum Outcome {
    /// It shows a page (after any temporary redirects).
    Fine,
    /// A permanent redirect (301, 308) on the way to a page at `to`.
    Moved { to: String },
    /// Gone: 404, 410, no such host, connection refused, too many redirects.
    Dead { why: String },
    /// No answer in time.
    TimedOut { seconds: u64 },
    /// The host asked to wait (429) longer than we wait, or again after waiting.
    Limited { why: String },
    /// Any other answer (403, 5xx, a TLS failure): not known to be dead.
    Failed { why: String },
    /// Not requested: the address is on this machine or a private network.
    Private { why: String },
}

impl Outcome {
    /// Whether the answer says something about the address itself and may be
    /// kept: a timeout or a busy server is asked again next time.
    pub(crate) fn lasting(&self) -> bool {
        matches!(
            self,
            Outcome::Fine | Outcome::Moved { .. } | Outcome::Dead { .. }
        )
    }
}

/// The agent every request shares: no redirects of its own, statuses as
/// answers rather than errors, and the whole request bounded by the timeout.
pub(super) fn agent(settings: &LinkSettings) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(settings.timeout))
        .user_agent(concat!(
            "dateline/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into()
}

/// Requests `url` and follows it to an answer.
pub(super) fn probe(agent: &ureq::Agent, url: &str, settings: &LinkSettings) -> Outcome {
    let mut current = url.to_string();
    let mut moved_to: Option<String> = None;
    let mut waited = false;
    for _ in 0..=MAX_REDIRECTS {
        // Each hop, since a public address may redirect to a private one.
        if !settings.private {
            if let Some(why) = private(&current) {
                return Outcome::Private { why };
            }
        }
        let answer = agent
            .get(&current)
            .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .call();
        let response = match answer {
            Ok(response) => response,
            Err(e) => return failure(&e, settings),
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        match status {
            200..=299 => {
                return match moved_to {
                    Some(to) => Outcome::Moved { to },
                    None => Outcome::Fine,
                };
            }
            301 | 302 | 303 | 307 | 308 => {
                let Some(next) = header("location").and_then(|l| {
                    url::Url::parse(&current)
                        .ok()
                        .and_then(|base| base.join(&l).ok())
                }) else {
                    return Outcome::Failed {
                        why: format!("HTTP {status} without a usable `Location`"),
                    };
                };
                current = next.to_string();
                // Once a permanent redirect is seen, the address to write is
                // wherever the chain ends.
                if matches!(status, 301 | 308) || moved_to.is_some() {
                    moved_to = Some(current.clone());
                }
            }
            404 | 410 => {
                return Outcome::Dead {
                    why: format!("HTTP {status}"),
                };
            }
            429 => {
                let wait = header("retry-after").and_then(|r| r.trim().parse::<u64>().ok());
                match wait.map(Duration::from_secs) {
                    Some(wait) if !waited && wait <= settings.longest_wait => {
                        std::thread::sleep(wait);
                        waited = true;
                    }
                    Some(wait) => {
                        return Outcome::Limited {
                            why: format!("HTTP 429, asked to wait {} s", wait.as_secs()),
                        };
                    }
                    None => {
                        return Outcome::Limited {
                            why: "HTTP 429".into(),
                        };
                    }
                }
            }
            _ => {
                return Outcome::Failed {
                    why: format!("HTTP {status}"),
                };
            }
        }
    }
    Outcome::Dead {
        why: format!("more than {MAX_REDIRECTS} redirects"),
    }
}

/// Why `url` is not to be requested without `--link-private`: its host is, or
/// resolves to, a loopback, private, link-local or unspecified address.
fn private(url: &str) -> Option<String> {
    use std::net::{IpAddr, ToSocketAddrs};
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = parsed.port_or_known_default().unwrap_or(80);
    let addresses: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => (host, port)
            .to_socket_addrs()
            .map(|a| a.map(|s| s.ip()).collect())
            .unwrap_or_default(),
    };
    let inner = |ip: &IpAddr| match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified()
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| v4.is_loopback() || v4.is_private())
        }
    };
    addresses
        .iter()
        .find(|ip| inner(ip))
        .map(|ip| format!("`{host}` is {ip}, on this machine or a private network"))
}

/// An error before any answer, as an outcome.
fn failure(e: &ureq::Error, settings: &LinkSettings) -> Outcome {
    match e {
        ureq::Error::Timeout(_) => Outcome::TimedOut {
            seconds: settings.timeout.as_secs().max(1),
        },
        ureq::Error::HostNotFound => Outcome::Dead {
            why: "no such host".into(),
        },
        ureq::Error::ConnectionFailed => Outcome::Dead {
            why: "the connection was refused".into(),
        },
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            Outcome::Dead {
                why: "the connection was refused".into(),
            }
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Outcome::TimedOut {
            seconds: settings.timeout.as_secs().max(1),
        },
        other => Outcome::Failed {
            why: other.to_string(),
        },
    }
}
