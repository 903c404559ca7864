//! Real S3-compatible servers on loopback, started and stopped by the tests:
//! moto (PyPI `moto[server]`, which also serves CloudFront) and s3s-fs
//! (crates.io), and boto3 as the independent reader of what was stored.
//! `tests/deploy/setup.sh` installs them; a missing one fails the test.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Credentials the servers accept.
pub(crate) const KEY: &str = "AKIDDATELINETEST";
pub(crate) const SECRET: &str = "dateline-test-secret";

/// Which implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Moto,
    S3sFs,
}

/// A server process, killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) endpoint: String,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free now, for a server to listen on.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn program(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain(std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo/bin")))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    found.unwrap_or_else(|| {
        panic!("`{name}` is not installed: run tests/deploy/setup.sh (./test.sh does)")
    })
}

impl Server {
    /// Starts a server of `kind` with one bucket, `bucket`.
    pub(crate) fn start(kind: Kind, bucket: &str) -> Server {
        let data = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut command = match kind {
            Kind::Moto => {
                let mut c = Command::new(program("moto_server"));
                c.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
                c
            }
            Kind::S3sFs => {
                let mut c = Command::new(program("s3s-fs"));
                c.args([
                    "--host",
                    "127.0.0.1",
                    "--port",
                    &port.to_string(),
                    "--access-key",
                    KEY,
                    "--secret-key",
                    SECRET,
                ])
                .arg(data.path());
                c
            }
        };
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            _data: data,
        };
        wait_for(port);
        server.python(&format!("s3.create_bucket(Bucket={bucket:?})"));
        server
    }

    /// Runs `code` in Python with `s3` a boto3 client of this server (and
    /// `cloudfront`, `json`, `hashlib`, `gzip`), returning what it prints.
    pub(crate) fn python(&self, code: &str) -> String {
        let script = format!(
            "import boto3, json, hashlib, gzip, sys\nfrom botocore.config import Config\nkw = dict(endpoint_url={:?}, aws_access_key_id={KEY:?}, aws_secret_access_key={SECRET:?}, region_name='us-east-1', config=Config(s3={{'addressing_style': 'path'}}))\ns3 = boto3.client('s3', **kw)\ncloudfront = boto3.client('cloudfront', **kw)\n{code}\n",
            self.endpoint
        );
        let out = Command::new("python3")
            .arg("-c")
            .arg(&script)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "python failed:\n{}\n{}",
            script,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Every object under `prefix`, read back by boto3: key → {size,
    /// content_type, cache_control, encoding, sha256 of the decoded body}.
    pub(crate) fn objects(&self, bucket: &str, prefix: &str) -> serde_json::Map<String, Value> {
        let code = format!(
            r#"
out = {{}}
for page in s3.get_paginator('list_objects_v2').paginate(Bucket={bucket:?}, Prefix={prefix:?}):
    for o in page.get('Contents', []):
        got = s3.get_object(Bucket={bucket:?}, Key=o['Key'])
        body = got['Body'].read()
        encoding = got.get('ContentEncoding')
        if encoding == 'gzip':
            body = gzip.decompress(body)
        out[o['Key']] = dict(size=o['Size'], content_type=got.get('ContentType'), cache_control=got.get('CacheControl'), encoding=encoding, sha256=hashlib.sha256(body).hexdigest())
print(json.dumps(out))
"#
        );
        let text = self.python(&code);
        serde_json::from_str::<Value>(&text)
            .unwrap()
            .as_object()
            .unwrap()
            .clone()
    }
}

/// Waits until something listens on `port` (servers take a second or two).
fn wait_for(port: u16) {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
