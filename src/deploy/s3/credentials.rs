//! AWS credentials and region, from where every AWS tool reads them: the
//! environment, then the profile in the shared credentials and config files.
//! Never from `site.yaml`.

use std::collections::HashMap;
use std::path::PathBuf;

/// An access key, its secret and, for temporary credentials, a session token.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Keys {
    pub id: String,
    pub secret: String,
    pub token: Option<String>,
    /// Where they were found, for messages: `environment` or `profile default`.
    pub source: String,
}

impl std::fmt::Debug for Keys {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keys({}, from {})", self.id, self.source)
    }
}

/// The environment, as a map, so tests can give their own.
pub(super) type Env = HashMap<String, String>;

/// The process's environment.
pub(super) fn environment() -> Env {
    std::env::vars().collect()
}

fn var<'e>(env: &'e Env, name: &str) -> Option<&'e str> {
    env.get(name).map(String::as_str).filter(|v| !v.is_empty())
}

fn profile(env: &Env) -> &str {
    var(env, "AWS_PROFILE").unwrap_or("default")
}

/// The keys to sign with, or why none were found.
pub(super) fn keys(env: &Env) -> Result<Keys, String> {
    if let (Some(id), Some(secret)) = (
        var(env, "AWS_ACCESS_KEY_ID"),
        var(env, "AWS_SECRET_ACCESS_KEY"),
    ) {
        return Ok(Keys {
            id: id.into(),
            secret: secret.into(),
            token: var(env, "AWS_SESSION_TOKEN").map(str::to_string),
            source: "the environment".into(),
        });
    }
    let name = profile(env);
    let path = var(env, "AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home(env).map(|h| h.join(".aws").join("credentials")));
    let section = path
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| ini_section(&text, name));
    let found = section.as_ref().and_then(|s| {
        Some(Keys {
            id: s.get("aws_access_key_id")?.clone(),
            secret: s.get("aws_secret_access_key")?.clone(),
            token: s.get("aws_session_token").cloned(),
            source: format!("profile `{name}`"),
        })
    });
    found.ok_or_else(|| {
        format!(
            "no AWS credentials: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are not set, and {} has no profile `{name}` with keys",
            path.map_or("there is no shared credentials file".into(), |p| format!("`{}`", p.display()))
        )
    })
}

/// The region: `site.yaml`'s, then `AWS_REGION`, `AWS_DEFAULT_REGION`, the
/// profile's in `~/.aws/config`, and last `us-east-1`, as the AWS CLI does.
pub(super) fn region(configured: Option<&str>, env: &Env) -> String {
    if let Some(r) = configured
        .or_else(|| var(env, "AWS_REGION"))
        .or_else(|| var(env, "AWS_DEFAULT_REGION"))
    {
        return r.to_string();
    }
    let name = profile(env);
    let section = if name == "default" {
        "default".to_string()
    } else {
        format!("profile {name}")
    };
    var(env, "AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home(env).map(|h| h.join(".aws").join("config")))
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| ini_section(&text, &section))
        .and_then(|s| s.get("region").cloned())
        .unwrap_or_else(|| "us-east-1".into())
}

/// The endpoint AWS tools are pointed at by the environment, for `service`
/// (`S3`, `CLOUDFRONT`): `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`.
pub(super) fn endpoint(service: &str, env: &Env) -> Option<String> {
    var(env, &format!("AWS_ENDPOINT_URL_{service}"))
        .or_else(|| var(env, "AWS_ENDPOINT_URL"))
        .map(str::to_string)
}

fn home(env: &Env) -> Option<PathBuf> {
    var(env, "HOME")
        .or_else(|| var(env, "USERPROFILE"))
        .map(PathBuf::from)
}

/// The `key = value` pairs of `[name]` in an INI file.
fn ini_section(text: &str, name: &str) -> Option<HashMap<String, String>> {
    let mut current: Option<&str> = None;
    let mut found: Option<HashMap<String, String>> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(header.trim());
            if current == Some(name) {
                found.get_or_insert_with(HashMap::new);
            }
            continue;
        }
        if current == Some(name) {
            if let (Some(map), Some((k, v))) = (found.as_mut(), line.split_once('=')) {
                map.insert(k.trim().to_lowercase(), v.trim().to_string());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_environment_comes_first_then_the_profile() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials");
        std::fs::write(&file, "[default]\naws_access_key_id = AKIDEFAULT\naws_secret_access_key = s1\n\n[news]\n# comment\naws_access_key_id=AKIDNEWS\naws_secret_access_key=s2\naws_session_token = t\n").unwrap();
        let path = file.to_str().unwrap();
        let from_env = keys(&env(&[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_SHARED_CREDENTIALS_FILE", path),
        ]))
        .unwrap();
        assert_eq!(from_env.id, "AKIDENV");
        let default = keys(&env(&[("AWS_SHARED_CREDENTIALS_FILE", path)])).unwrap();
        assert_eq!((default.id.as_str(), default.token), ("AKIDEFAULT", None));
        let news = keys(&env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", path),
            ("AWS_PROFILE", "news"),
        ]))
        .unwrap();
        assert_eq!(
            (news.id.as_str(), news.token.as_deref()),
            ("AKIDNEWS", Some("t"))
        );
        let missing = keys(&env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", path),
            ("AWS_PROFILE", "nope"),
        ]))
        .unwrap_err();
        assert!(missing.contains("no profile `nope`"), "{missing}");
        assert!(!format!("{news:?}").contains("s2"));
    }

    #[test]
    fn the_region_follows_the_aws_cli_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config");
        std::fs::write(&file, "[profile news]\nregion = eu-west-3\n").unwrap();
        let path = file.to_str().unwrap();
        assert_eq!(
            region(Some("ap-south-1"), &env(&[("AWS_REGION", "x")])),
            "ap-south-1"
        );
        assert_eq!(
            region(None, &env(&[("AWS_DEFAULT_REGION", "ca-central-1")])),
            "ca-central-1"
        );
        assert_eq!(
            region(
                None,
                &env(&[("AWS_CONFIG_FILE", path), ("AWS_PROFILE", "news")])
            ),
            "eu-west-3"
        );
        assert_eq!(
            region(None, &env(&[("AWS_CONFIG_FILE", path)])),
            "us-east-1"
        );
    }
}
