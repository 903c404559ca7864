//! One CloudFront invalidation of exactly the paths a deploy changed.

use std::time::Duration;

use url::Url;

use super::credentials::{self, Env, Keys};
use super::sigv4;
use crate::error::Error;

/// Past this many paths one wildcard under the site's path is sent instead:
/// CloudFront charges by path past 1,000 a month, and a wildcard counts as one.
pub(super) const MAX_PATHS: usize = 100;

/// The URL paths readers use for the changed files `paths` of a site at
/// `base_path` (`/metoo/`): each file, and for `…/index.html` its folder too.
pub(super) fn paths_to_invalidate(base_path: &str, paths: &[&str]) -> Vec<String> {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'&')
        .add(b'*');
    let mut all: Vec<String> = Vec::new();
    for path in paths {
        let encoded = percent_encoding::utf8_percent_encode(path, SET).to_string();
        all.push(format!("{base_path}{encoded}"));
        if let Some(folder) = encoded.strip_suffix("index.html") {
            if folder.is_empty() || folder.ends_with('/') {
                all.push(format!("{base_path}{folder}"));
            }
        }
    }
    all.sort();
    all.dedup();
    if all.len() > MAX_PATHS {
        return vec![format!("{base_path}*")];
    }
    all
}

/// Asks CloudFront to invalidate `paths` of `distribution`; returns the
/// number of requests made.
pub(super) fn invalidate(
    target: &str,
    distribution: &str,
    paths: &[String],
    keys: &Keys,
    env: &Env,
) -> Result<usize, Error> {
    let fail = |message: String| {
        Error::Deploy {
        target: target.to_string(),
        message,
        help: "the files are uploaded; readers get them once the CDN's copies expire. Check `cloudfront` in site.yaml and that the credentials may call cloudfront:CreateInvalidation".into(),
    }
    };
    let base = credentials::endpoint("CLOUDFRONT", env)
        .unwrap_or_else(|| "https://cloudfront.amazonaws.com".into());
    let url = Url::parse(&format!(
        "{}/2020-05-31/distribution/{distribution}/invalidation",
        base.trim_end_matches('/')
    ))
    .map_err(|e| fail(format!("`{base}` is not an address: {e}")))?;
    let items: String = paths.iter().map(|p| format!("<Path>{p}</Path>")).collect();
    let reference = chrono::Utc::now().format("dateline-%Y%m%dT%H%M%S%.fZ");
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Paths><Quantity>{}</Quantity><Items>{items}</Items></Paths><CallerReference>{reference}</CallerReference></InvalidationBatch>",
        paths.len()
    );
    let amz_date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => return Err(fail(format!("`{base}` names no host"))),
    };
    let mut headers = vec![
        ("content-type", "application/xml".to_string()),
        ("host", host),
        ("x-amz-date", amz_date.clone()),
    ];
    if let Some(token) = &keys.token {
        headers.push(("x-amz-security-token", token.clone()));
    }
    let request = sigv4::Request {
        method: "POST",
        url: &url,
        headers: &headers,
        payload: body.as_bytes(),
    };
    let authorization = sigv4::authorization(&request, keys, "us-east-1", "cloudfront", &amz_date);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let mut post = agent
        .post(url.as_str())
        .header("authorization", &authorization);
    for (k, v) in headers.iter().filter(|(k, _)| *k != "host") {
        post = post.header(*k, v);
    }
    let mut answer = post
        .send(body.as_bytes())
        .map_err(|e| fail(format!("cannot reach CloudFront at {base}: {e}")))?;
    let status = answer.status().as_u16();
    if status == 201 || status == 200 {
        return Ok(1);
    }
    let text = answer.body_mut().read_to_string().unwrap_or_default();
    Err(fail(format!(
        "CloudFront refused the invalidation of distribution `{distribution}` ({status} {})",
        text.split("<Message>")
            .nth(1)
            .and_then(|m| m.split("</Message>").next())
            .unwrap_or("")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_pages_are_invalidated_with_and_without_index_html() {
        let paths = paths_to_invalidate(
            "/metoo/",
            &["entries/a b/index.html", "index.html", "feed.xml"],
        );
        assert_eq!(
            paths,
            [
                "/metoo/",
                "/metoo/entries/a%20b/",
                "/metoo/entries/a%20b/index.html",
                "/metoo/feed.xml",
                "/metoo/index.html"
            ]
        );
        let many: Vec<String> = (0..MAX_PATHS).map(|i| format!("{i}.html")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            paths_to_invalidate("/", &[&many[..], &["x.html"]].concat()),
            ["/*"]
        );
    }
}
