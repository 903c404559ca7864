//! The `deploy` key of `site.yaml`: where `dateline deploy` publishes the
//! output, checked with every other key so a mistake shows in `check`, not on
//! publishing day. No credential is ever read from here.

use std::hash::{Hash, Hasher};

use serde_json::Value;
use url::Url;

use crate::content::yaml;
use crate::diagnostic::FileReport;

/// Most deploy targets a site may name.
const MAX_TARGETS: usize = 20;

/// Fields a target may have. The credential-like names are listed so they get
/// their own message rather than "unknown key".
const FIELDS: &[&str] = &[
    "name",
    "url",
    "region",
    "endpoint",
    "cloudfront",
    "gzip",
    "folder_keys",
    "cache_control",
    // Refused, with the reason:
    "access_key",
    "access_key_id",
    "aws_access_key_id",
    "secret",
    "secret_key",
    "secret_access_key",
    "aws_secret_access_key",
    "session_token",
    "aws_session_token",
    "token",
    "password",
    "credentials",
];

/// The first field of [`FIELDS`] that names a credential.
const FIRST_CREDENTIAL: usize = 8;

const CREDENTIALS_HELP: &str = "credentials never live in `site.yaml`, which is published with the site's sources: set `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (or `AWS_PROFILE`) in the environment, or use your git and ssh set-up for a git target";

/// The classes of published files that get their own `Cache-Control`.
const CACHE_CLASSES: &[&str] = &["pages", "feeds", "assets", "hashed"];

/// Where a site is published, as `site.yaml` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The name given on the command line; the first target is the default.
    pub name: String,
    /// The line of the target in `site.yaml`, for messages.
    pub line: usize,
    /// The bucket or the git remote.
    pub remote: Remote,
    /// Whether text files are stored gzip-compressed, with `Content-Encoding`.
    pub gzip: bool,
    /// Whether each `…/index.html` is also stored at its folder's key
    /// (`entries/x/`), for a CDN in front of a bucket's plain REST endpoint.
    pub folder_keys: bool,
    /// `Cache-Control` for each class of file.
    pub cache_control: CacheControl,
}

/// The storage a target publishes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remote {
    /// An S3-compatible bucket.
    S3 {
        /// Bucket name.
        bucket: String,
        /// Key prefix: empty, or ending with `/`.
        prefix: String,
        /// The region, when `site.yaml` gives it.
        region: Option<String>,
        /// A service other than AWS (R2, B2, MinIO, a local server).
        endpoint: Option<Url>,
        /// A CloudFront distribution to invalidate after an upload.
        cloudfront: Option<String>,
    },
    /// A branch of a git repository (GitHub or Codeberg Pages).
    Git {
        /// The remote as git takes it: a URL or a path.
        remote: String,
        /// The branch the site is committed to.
        branch: String,
    },
}

/// `Cache-Control` values by class of file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheControl {
    /// HTML pages: short, so a correction reaches readers within minutes.
    pub pages: String,
    /// Feeds, sitemap, `timeline.json` and the search files: as short.
    pub feeds: String,
    /// Files without a hash in their names (images next to entries, `robots.txt`):
    /// an hour, so a replaced photo reaches readers the same morning.
    pub assets: String,
    /// Files with a content hash in their names: a new version gets a new name.
    pub hashed: String,
}

impl Default for CacheControl {
    fn default() -> Self {
        let short = "public, max-age=300, must-revalidate".to_string();
        CacheControl {
            pages: short.clone(),
            feeds: short,
            assets: "public, max-age=3600".into(),
            hashed: "public, max-age=31536000, immutable".into(),
        }
    }
}

/// The deploy targets of a site. They do not change what a build writes, so
/// they are left out of the configuration's fingerprint: editing one does not
/// re-render the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets(pub Vec<Target>);

impl Hash for Targets {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl Targets {
    /// The target called `name`, or the first when `name` is `None`.
    pub fn find(&self, name: Option<&str>) -> Option<&Target> {
        match name {
            None => self.0.first(),
            Some(name) => self.0.iter().find(|t| t.name == name),
        }
    }

    /// The names of the targets, for "did you mean" and usage messages.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|t| t.name.as_str()).collect()
    }
}

/// Reads the `deploy` list at `line`, reporting each mistake at its line.
pub(super) fn targets(
    mapping: &yaml::Mapping<'_>,
    line: usize,
    v: &Value,
    report: &mut FileReport<'_>,
) -> Targets {
    const SHAPE: yaml::ListShape<'static> = yaml::ListShape {
        key: "deploy",
        noun: "deploy target",
        fields: FIELDS,
        required: &["name", "url"],
        help: "write `- { name: production, url: \"s3://bucket/prefix/\" }` items",
    };
    let count = v.as_array().map_or(0, Vec::len);
    if let Some((message, help)) = crate::limits::too_many("deploy", count, MAX_TARGETS) {
        report.error(line, Some("deploy"), message, Some(help));
        return Targets::default();
    }
    let mut targets: Vec<Target> = Vec::new();
    for item in mapping.list_of_maps(line, v, &SHAPE, report) {
        let mut ok = true;
        let mut fail = |report: &mut FileReport<'_>, key: &str, message: String, help: &str| {
            ok = false;
            report.error(item.line_of(key), Some(key), message, Some(help.into()));
        };
        for key in &FIELDS[FIRST_CREDENTIAL..] {
            if item.map.contains_key(*key) {
                fail(
                    report,
                    key,
                    format!("`{key}` in a deploy target"),
                    CREDENTIALS_HELP,
                );
            }
        }
        for (key, value) in item.map {
            if let Some(found) = credential_in(value) {
                fail(
                    report,
                    key,
                    format!("`{key}` holds what looks like an access key (`{found}`)"),
                    CREDENTIALS_HELP,
                );
            }
        }
        let text = |report: &mut FileReport<'_>, key: &str| -> Option<String> {
            let value = item.map.get(key)?;
            match yaml::text(value) {
                Ok(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                Ok(_) => {
                    report.error(
                        item.line_of(key),
                        Some(key),
                        format!("`{key}` is empty"),
                        None,
                    );
                    None
                }
                Err(m) => {
                    report.error(item.line_of(key), Some(key), format!("`{key}`: {m}"), None);
                    None
                }
            }
        };
        let name = text(report, "name");
        let url = text(report, "url");
        let region = text(report, "region");
        let endpoint = text(report, "endpoint");
        let cloudfront = text(report, "cloudfront");
        if let Some(name) = &name {
            if !crate::slug::is_valid(name) {
                fail(
                    report,
                    "name",
                    format!("`{name}` is not a target name"),
                    "use lower-case letters, digits and `-`, e.g. `production`",
                );
            } else if targets.iter().any(|t| &t.name == name) {
                fail(
                    report,
                    "name",
                    format!("two deploy targets are called `{name}`"),
                    "give each target its own name",
                );
            }
        }
        let remote = url.as_deref().and_then(|url| match remote(url) {
            Ok(r) => Some(r),
            Err((message, help)) => {
                fail(report, "url", message, help);
                None
            }
        });
        let endpoint = endpoint.and_then(|e| match super::parse_url(&e) {
            Ok(u) => Some(u),
            Err(m) => {
                fail(report, "endpoint", format!("`endpoint`: {m}"), "write the service's address, e.g. `https://<account>.r2.cloudflarestorage.com`");
                None
            }
        });
        let remote = match remote {
            Some(Remote::S3 { bucket, prefix, .. }) => Some(Remote::S3 {
                bucket,
                prefix,
                region,
                endpoint,
                cloudfront,
            }),
            Some(git @ Remote::Git { .. }) => {
                for key in ["region", "endpoint", "cloudfront", "folder_keys"] {
                    if item.map.contains_key(key) {
                        fail(
                            report,
                            key,
                            format!("`{key}` applies to `s3://` targets only"),
                            "remove it, or publish to a bucket",
                        );
                    }
                }
                Some(git)
            }
            None => None,
        };
        let flag = |report: &mut FileReport<'_>, key: &str| match item.map.get(key) {
            None => false,
            Some(v) => yaml::boolean(v).unwrap_or_else(|m| {
                report.error(item.line_of(key), Some(key), format!("`{key}`: {m}"), None);
                false
            }),
        };
        let gzip = flag(report, "gzip");
        let folder_keys = flag(report, "folder_keys");
        let cache_control = match item.map.get("cache_control") {
            None => CacheControl::default(),
            Some(v) => cache_control(v).unwrap_or_else(|(message, help)| {
                fail(report, "cache_control", message, &help);
                CacheControl::default()
            }),
        };
        if let (true, Some(name), Some(remote)) = (ok, name, remote) {
            targets.push(Target {
                name,
                line: item.line_of("name"),
                remote,
                gzip,
                folder_keys,
                cache_control,
            });
        }
    }
    Targets(targets)
}

/// A target's `url`: `s3://bucket/prefix/` or `git+<remote>#<branch>`.
fn remote(url: &str) -> Result<Remote, (String, &'static str)> {
    if let Some(rest) = url.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
            && !bucket.starts_with(['-', '.'])
            && !bucket.ends_with(['-', '.']);
        if !valid_bucket {
            return Err((
                format!("`{bucket}` is not a bucket name"),
                "bucket names are 3 to 63 lower-case letters, digits, `-` and `.`: `s3://news-bucket/metoo/`",
            ));
        }
        let prefix = prefix.trim_matches('/');
        if prefix.split('/').any(|p| p == "." || p == "..") || prefix.contains("//") {
            return Err((
                format!("`{prefix}` is not a key prefix"),
                "write the folder in the bucket, e.g. `s3://news-bucket/metoo/`",
            ));
        }
        let prefix = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        };
        return Ok(Remote::S3 {
            bucket: bucket.to_string(),
            prefix,
            region: None,
            endpoint: None,
            cloudfront: None,
        });
    }
    if let Some(rest) = url.strip_prefix("git+") {
        let (remote, branch) = rest.split_once('#').unwrap_or((rest, "gh-pages"));
        if remote.is_empty() || remote.starts_with('-') {
            return Err((
                format!("`{url}` names no git remote"),
                "write `git+<remote>#<branch>`, e.g. `git+ssh://git@github.com/newsroom/metoo.git#gh-pages`",
            ));
        }
        if Url::parse(remote).is_ok_and(|u| u.password().is_some()) {
            return Err((format!("`{url}` carries a password"), CREDENTIALS_HELP));
        }
        let plain_branch = !branch.is_empty()
            && !branch.starts_with(['-', '/'])
            && !branch.contains("..")
            && branch
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
        if !plain_branch {
            return Err((
                format!("`{branch}` is not a branch name"),
                "name the branch after `#`, e.g. `#gh-pages`",
            ));
        }
        return Ok(Remote::Git {
            remote: remote.to_string(),
            branch: branch.to_string(),
        });
    }
    Err((
        format!("`{url}` is neither an `s3://` nor a `git+` address"),
        "write `s3://bucket/prefix/` for object storage or `git+<remote>#<branch>` for a Pages branch",
    ))
}

/// `cache_control: { pages, feeds, assets, hashed }`, each replacing the default.
fn cache_control(v: &Value) -> Result<CacheControl, (String, String)> {
    let Value::Object(map) = v else {
        return Err((
            format!("`cache_control`: expected a map, found {}", yaml::kind(v)),
            "write `cache_control: { pages: \"public, max-age=60\" }`".into(),
        ));
    };
    let mut rules = CacheControl::default();
    for (key, value) in map {
        let text = yaml::text(value).map_err(|m| (format!("`{key}`: {m}"), String::new()))?;
        if text.is_empty() || text.chars().any(|c| c.is_control()) {
            return Err((
                format!("`{key}` is not a `Cache-Control` value"),
                "write a header value such as `public, max-age=300`".into(),
            ));
        }
        match key.as_str() {
            "pages" => rules.pages = text,
            "feeds" => rules.feeds = text,
            "assets" => rules.assets = text,
            "hashed" => rules.hashed = text,
            other => {
                return Err((
                    format!("unknown key `{other}` in `cache_control`"),
                    crate::diagnostic::did_you_mean(other, CACHE_CLASSES),
                ))
            }
        }
    }
    Ok(rules)
}

/// An AWS access key id written into a value (`AKIA…`, `ASIA…`): a
/// credential pasted where an address was meant.
fn credential_in(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.as_str(),
        Value::Object(map) => return map.values().find_map(credential_in),
        Value::Array(items) => return items.iter().find_map(credential_in),
        _ => return None,
    };
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(19)).find_map(|i| {
        let word = &bytes[i..i + 20];
        let starts = word.starts_with(b"AKIA") || word.starts_with(b"ASIA");
        let body = word[4..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        let bounded = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let ends = bytes.get(i + 20).is_none_or(|b| !b.is_ascii_alphanumeric());
        (starts && body && bounded && ends).then(|| format!("{}…", &text[i..i + 4]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_into_buckets_and_branches() {
        assert_eq!(
            remote("s3://news-bucket/metoo/").unwrap(),
            Remote::S3 {
                bucket: "news-bucket".into(),
                prefix: "metoo/".into(),
                region: None,
                endpoint: None,
                cloudfront: None
            }
        );
        let Remote::S3 { prefix, .. } = remote("s3://news-bucket").unwrap() else {
            panic!("a bucket")
        };
        assert_eq!(prefix, "");
        assert_eq!(
            remote("git+ssh://git@github.com/newsroom/metoo.git#gh-pages").unwrap(),
            Remote::Git {
                remote: "ssh://git@github.com/newsroom/metoo.git".into(),
                branch: "gh-pages".into()
            }
        );
        assert!(remote("s3://News_Bucket/").is_err());
        assert!(remote("s3://bucket/../x/").is_err());
        assert!(remote("https://bucket.s3.amazonaws.com/").is_err());
        assert!(remote("git+https://me:hunter2@example.org/x.git#main").is_err());
        assert!(remote("git+/srv/x.git#--force").is_err());
    }

    #[test]
    fn an_access_key_pasted_into_a_value_is_found() {
        let key = Value::String("AKIAIOSFODNN7EXAMPLE".into());
        assert_eq!(credential_in(&key).as_deref(), Some("AKIA…"));
        let endpoint = Value::String("https://AKIAIOSFODNN7EXAMPLE@example.org".into());
        assert!(credential_in(&endpoint).is_some());
        let bucket = Value::String("s3://akia-photos/AKIAish/".into());
        assert_eq!(credential_in(&bucket), None);
    }
}
