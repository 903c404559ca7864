//! The few S3 requests a deploy makes (get, list, put, delete), presigned
//! by rusty-s3 and sent with ureq, with retries on what a retry can fix and
//! one clear error, naming the bucket and key, for what it cannot.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use rusty_s3::actions::{ListObjectsV2, ObjectIdentifier};
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use url::Url;

use super::credentials::Keys;
use crate::deploy::manifest::etag;
use crate::deploy::plan::Listed;
use crate::error::Error;

/// How long a signed request stays valid: far longer than any retry takes.
const SIGNED_FOR: Duration = Duration::from_secs(3600);

/// Tries of one request: transport errors, 5xx and 429 are retried with
/// doubling pauses (0.25 s to 2 s), so a passing blip costs seconds.
const TRIES: u32 = 5;

/// Largest answer read: listings of 1,000 keys are about 300 KB.
const MAX_ANSWER: u64 = 64 * 1024 * 1024;

/// A bucket and the keys to reach it.
pub(super) struct Client {
    agent: ureq::Agent,
    bucket: Bucket,
    credentials: Credentials,
    /// The target's name, for errors.
    target: String,
    /// Where requests go, for errors: `http://127.0.0.1:9000`.
    endpoint: String,
    /// Where the credentials came from, for errors.
    keys_from: String,
    /// Requests sent, retries included.
    pub requests: AtomicUsize,
    /// Body bytes sent by uploads.
    pub sent: AtomicU64,
}

/// An answer, read whole.
struct Answer {
    status: u16,
    etag: Option<String>,
    /// The body as text, for XML answers and error documents.
    body: String,
    /// The body as sent, for objects.
    bytes: Vec<u8>,
}

impl Client {
    /// A client for `bucket` at `endpoint`, path-style for anything but AWS.
    pub(super) fn new(
        target: &str,
        bucket: &str,
        region: &str,
        endpoint: Option<Url>,
        keys: &Keys,
    ) -> Result<Client, Error> {
        let (endpoint, style) = match endpoint {
            Some(url) => (url, UrlStyle::Path),
            None => {
                let aws = format!("https://s3.{region}.amazonaws.com");
                let url = Url::parse(&aws).map_err(|e| {
                    deploy_error(
                        target,
                        format!("`{region}` is not a region: {e}"),
                        "fix `region` in site.yaml or `AWS_REGION`",
                    )
                })?;
                (url, UrlStyle::VirtualHost)
            }
        };
        let shown = endpoint.as_str().trim_end_matches('/').to_string();
        let bucket =
            Bucket::new(endpoint, style, bucket.to_string(), region.to_string()).map_err(|e| {
                deploy_error(
                    target,
                    format!("cannot address bucket `{bucket}` at {shown}: {e}"),
                    "check the bucket name in `url` and the `endpoint`",
                )
            })?;
        let credentials = match &keys.token {
            Some(token) => {
                Credentials::new_with_token(keys.id.clone(), keys.secret.clone(), token.clone())
            }
            None => Credentials::new(keys.id.clone(), keys.secret.clone()),
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_recv_response(Some(Duration::from_secs(120)))
            .max_idle_connections_per_host(16)
            .user_agent(concat!("dateline/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Client {
            agent,
            bucket,
            credentials,
            target: target.to_string(),
            endpoint: shown,
            keys_from: keys.source.clone(),
            requests: AtomicUsize::new(0),
            sent: AtomicU64::new(0),
        })
    }

    /// The object at `key`, `None` when there is none.
    pub(super) fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        let url = self
            .bucket
            .get_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        let answer = self.send("GET", url, &[], None, key)?;
        match answer.status {
            200 => Ok(Some(answer.bytes)),
            404 if s3_code(&answer.body).as_deref() != Some("NoSuchBucket") => Ok(None),
            _ => Err(self.refused(&answer, "read", key)),
        }
    }

    /// Every object under `prefix`: its size and ETag by key.
    pub(super) fn list(&self, prefix: &str) -> Result<HashMap<String, Listed>, Error> {
        let mut all = HashMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = ListObjectsV2::new(&self.bucket, Some(&self.credentials));
            if !prefix.is_empty() {
                action.with_prefix(prefix);
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.as_str());
            }
            let url = action.sign(SIGNED_FOR);
            let answer = self.send("GET", url, &[], None, prefix)?;
            if answer.status != 200 {
                return Err(self.refused(&answer, "list", prefix));
            }
            let page = ListObjectsV2::parse_response(&answer.body).map_err(|e| {
                self.error(
                    format!(
                        "the listing of `{prefix}` in bucket `{}` cannot be read: {e}",
                        self.bucket.name()
                    ),
                    "is `endpoint` an S3-compatible service?",
                )
            })?;
            for object in page.contents {
                let listed = Listed {
                    size: object.size.unwrap_or(0),
                    etag: object.etag.as_deref().map(etag),
                };
                all.insert(object.key, listed);
            }
            match page.next_continuation_token {
                Some(next) => token = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// Stores `body` at `key` with `headers`; returns the object's ETag.
    pub(super) fn put(
        &self,
        key: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Result<Option<String>, Error> {
        let mut action = self.bucket.put_object(Some(&self.credentials), key);
        for (name, value) in headers {
            action.headers_mut().insert(*name, *value);
        }
        let url = action.sign(SIGNED_FOR);
        let answer = self.send("PUT", url, headers, Some(body), key)?;
        if answer.status != 200 {
            return Err(self.refused(&answer, "upload", key));
        }
        self.sent.fetch_add(body.len() as u64, Ordering::Relaxed);
        Ok(answer.etag)
    }

    /// Deletes `keys`, up to 1,000 a request.
    pub(super) fn delete(&self, keys: &[String]) -> Result<(), Error> {
        for batch in keys.chunks(1000) {
            let ids: Vec<ObjectIdentifier> = batch
                .iter()
                .map(|k| ObjectIdentifier::new(k.clone()))
                .collect();
            let mut action = self
                .bucket
                .delete_objects(Some(&self.credentials), ids.iter());
            action.set_quiet(true);
            let url = action.sign(SIGNED_FOR);
            let (body, md5) = action.body_with_md5();
            let headers = [
                ("content-md5", md5.as_str()),
                ("content-type", "application/xml"),
            ];
            let answer = self.send("POST", url, &headers, Some(body.as_bytes()), &batch[0])?;
            if answer.status != 200 {
                return Err(self.refused(&answer, "delete", &batch[0]));
            }
            if let Ok(parsed) = rusty_s3::actions::DeleteObjectsResponse::parse(&answer.body) {
                if let Some(e) = parsed.errors.first() {
                    return Err(self.error(
                        format!(
                            "bucket `{}` refused to delete `{}`: {} ({})",
                            self.bucket.name(),
                            e.key,
                            e.message,
                            e.code
                        ),
                        "check that the credentials may delete objects (s3:DeleteObject)",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Sends a request, retrying what a retry can fix.
    fn send(
        &self,
        method: &str,
        url: Url,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        key: &str,
    ) -> Result<Answer, Error> {
        let mut pause = Duration::from_millis(250);
        let mut last = String::new();
        for attempt in 1..=TRIES {
            self.requests.fetch_add(1, Ordering::Relaxed);
            match self.send_once(method, url.as_str(), headers, body) {
                Ok(answer) if answer.status < 500 && answer.status != 429 => return Ok(answer),
                Ok(answer) => {
                    last = format!(
                        "the server answered {} {}",
                        answer.status,
                        s3_message(&answer.body)
                    )
                }
                Err(e) => last = e,
            }
            if attempt < TRIES {
                std::thread::sleep(pause);
                pause *= 2;
            }
        }
        Err(self.error(
            format!("cannot reach bucket `{}` at {} (key `{key}`) after {TRIES} tries: {last}", self.bucket.name(), self.endpoint),
            "check the network and the target's `endpoint` and `region`; nothing was deleted, and deploying again resumes",
        ))
    }

    fn send_once(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Answer, String> {
        let answer = match method {
            "GET" => {
                let mut request = self.agent.get(url);
                for (k, v) in headers {
                    request = request.header(*k, *v);
                }
                request.call()
            }
            _ => {
                let mut request = if method == "PUT" {
                    self.agent.put(url)
                } else {
                    self.agent.post(url)
                };
                for (k, v) in headers {
                    request = request.header(*k, *v);
                }
                request.send(body.unwrap_or_default())
            }
        };
        let mut answer = answer.map_err(|e| e.to_string())?;
        let status = answer.status().as_u16();
        let etag = answer
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(etag);
        let bytes = answer
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_vec()
            .map_err(|e| e.to_string())?;
        Ok(Answer {
            status,
            etag,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        })
    }

    /// The error for a refused request.
    fn refused(&self, answer: &Answer, action: &str, key: &str) -> Error {
        let bucket = self.bucket.name();
        let code = s3_code(&answer.body).unwrap_or_default();
        let detail = format!("{} {}", answer.status, s3_message(&answer.body));
        let (message, help) = match code.as_str() {
            "NoSuchBucket" => (
                format!("bucket `{bucket}` does not exist at {}", self.endpoint),
                "create the bucket, or fix `url` (and `endpoint`) of the target in site.yaml".to_string(),
            ),
            "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "ExpiredToken" | "InvalidToken" | "TokenRefreshRequired" => (
                format!("bucket `{bucket}` refused the credentials from {} ({detail})", self.keys_from),
                "check `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, or `AWS_PROFILE`".to_string(),
            ),
            "AccessDenied" | "AllAccessDisabled" => (
                format!("bucket `{bucket}` denied {action} of `{key}` to the credentials from {} ({detail})", self.keys_from),
                "give the credentials s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on the bucket".to_string(),
            ),
            _ => (
                format!("bucket `{bucket}` refused to {action} `{key}` ({detail})"),
                "nothing was deleted; fix the cause and deploy again".to_string(),
            ),
        };
        self.error(message, &help)
    }

    fn error(&self, message: String, help: &str) -> Error {
        deploy_error(&self.target, message, help)
    }
}

fn deploy_error(target: &str, message: String, help: impl Into<String>) -> Error {
    Error::Deploy {
        target: target.to_string(),
        message,
        help: help.into(),
    }
}

/// The text of `<name>` in an S3 error document.
fn xml_field(body: &str, name: &str) -> Option<String> {
    let start = body.find(&format!("<{name}>"))? + name.len() + 2;
    let end = body[start..].find(&format!("</{name}>"))? + start;
    Some(body[start..end].trim().to_string())
}

fn s3_code(body: &str) -> Option<String> {
    xml_field(body, "Code")
}

/// `NoSuchKey: The specified key does not exist.`, or nothing.
fn s3_message(body: &str) -> String {
    match (xml_field(body, "Code"), xml_field(body, "Message")) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_error_documents_are_read() {
        let body = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>";
        assert_eq!(s3_code(body).as_deref(), Some("NoSuchBucket"));
        assert_eq!(
            s3_message(body),
            "NoSuchBucket: The specified bucket does not exist"
        );
        assert_eq!(s3_message("<html>bad gateway</html>"), "");
    }
}
