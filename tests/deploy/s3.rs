//! `dateline deploy` to S3-compatible servers on loopback: moto and s3s-fs,
//! read back with boto3.

use std::collections::BTreeMap;

use crate::common::{self, Fixture, Run};
use crate::servers::{free_port, Kind, Server, KEY, SECRET};

const BUCKET: &str = "news-bucket";
const PREFIX: &str = "metoo/";

/// The bundled site with a target on `server`; `extra` adds fields to it.
fn site(server: &Server, extra: &str) -> Fixture {
    let fixture = Fixture::bundled();
    fixture.append(
        "site.yaml",
        &format!(
            "deploy:\n  - name: production\n    url: \"s3://{BUCKET}/{PREFIX}\"\n    endpoint: \"{}\"\n{extra}",
            server.endpoint
        ),
    );
    fixture.run(&["build", "--quiet"]).success();
    fixture
}

/// `dateline deploy <args>` with the servers' credentials and nothing else
/// of the machine's AWS set-up.
fn deploy(fixture: &Fixture, args: &[&str]) -> Run {
    deploy_as(fixture, args, KEY, SECRET)
}

fn deploy_as(fixture: &Fixture, args: &[&str], key: &str, secret: &str) -> Run {
    let mut command = common::command(&fixture.root, &[&["deploy"], args].concat());
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("AWS_")) {
        command.env_remove(name);
    }
    command
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_CONFIG_FILE", "/nonexistent");
    common::run(&mut command, Some(std::time::Duration::from_secs(120)))
}

/// The build's files: path → SHA-256, read with an independent hasher (Python's).
fn built(fixture: &Fixture) -> BTreeMap<String, String> {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg("import hashlib, os, sys, json\nroot = sys.argv[1]\nout = {}\nfor d, _, fs in os.walk(root):\n    for f in fs:\n        p = os.path.join(d, f)\n        r = os.path.relpath(p, root)\n        if not r.startswith('.dateline-'):\n            out[r] = hashlib.sha256(open(p, 'rb').read()).hexdigest()\nprint(json.dumps(out))")
        .arg(fixture.root.join("public"))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The bucket under the prefix: path (without prefix) → SHA-256, the
/// manifest left out.
fn published(server: &Server) -> BTreeMap<String, String> {
    server
        .objects(BUCKET, PREFIX)
        .into_iter()
        .filter(|(k, _)| !k.ends_with(".dateline-deploy.json"))
        .map(|(k, v)| {
            (
                k.strip_prefix(PREFIX).unwrap().to_string(),
                v["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// "N uploaded" from the summary line.
fn count(run: &Run, word: &str) -> usize {
    let line = run.stdout.lines().last().unwrap_or_default();
    let before = line.split(&format!(" {word}")).next().unwrap();
    before
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no `{word}` in {line:?}"))
}

fn edit_one_entry(fixture: &Fixture) -> String {
    let name = std::fs::read_dir(fixture.root.join("content"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .min()
        .unwrap();
    fixture.append(
        &format!("content/{name}"),
        "\nA correction was added to this entry.\n",
    );
    name
}

/// First deploy, no-change deploy, one edit, one deletion: the bucket is the
/// build each time, and only what changed is sent.
fn converges_on(kind: Kind) {
    let server = Server::start(kind, BUCKET);
    let fixture = site(&server, "");
    let first = deploy(&fixture, &[]).success();
    let files = built(&fixture);
    assert_eq!(published(&server), files, "{}", first.stdout);
    assert_eq!(count(&first, "uploaded"), files.len());

    let again = deploy(&fixture, &[]).success();
    assert_eq!(
        (count(&again, "uploaded"), count(&again, "unchanged")),
        (0, files.len()),
        "{}",
        again.stdout
    );
    // The manifest and the listing: a no-change deploy reads, never writes.
    assert!(
        again.stdout.contains("0 B sent") && again.stdout.contains(", 2 requests"),
        "{}",
        again.stdout
    );

    edit_one_entry(&fixture);
    fixture.run(&["build", "--quiet"]).success();
    let edited = built(&fixture);
    let changed = edited
        .iter()
        .filter(|(p, sha)| files.get(*p) != Some(sha))
        .count();
    assert!(
        changed > 0 && changed < files.len() / 2,
        "{changed} of {} files changed",
        files.len()
    );
    let third = deploy(&fixture, &[]).success();
    assert_eq!(count(&third, "uploaded"), changed, "{}", third.stdout);
    assert_eq!(published(&server), edited);

    let extra = "content/2017-10-31-extra.md";
    fixture.write(
        extra,
        "---\ntitle: An extra event\ndate: 2017-10-31\n---\nText.\n",
    );
    fixture.run(&["build", "--quiet"]).success();
    deploy(&fixture, &[]).success();
    assert!(published(&server).contains_key("entries/extra/index.html"));
    std::fs::remove_file(fixture.root.join(extra)).unwrap();
    fixture.run(&["build", "--quiet"]).success();
    let fewer = built(&fixture);
    let fourth = deploy(&fixture, &[]).success();
    assert!(count(&fourth, "deleted") >= 1, "{}", fourth.stdout);
    assert_eq!(published(&server), fewer);
}

#[test]
fn moto_gets_exactly_the_build_and_then_only_what_changed() {
    converges_on(Kind::Moto);
}

#[test]
fn s3s_fs_gets_exactly_the_build_and_then_only_what_changed() {
    converges_on(Kind::S3sFs);
}

#[test]
fn each_object_has_its_type_caching_and_encoding() {
    let server = Server::start(Kind::Moto, BUCKET);
    let fixture = site(
        &server,
        "    gzip: true\n    cache_control: { pages: \"max-age=60\" }\n",
    );
    deploy(&fixture, &[]).success();
    let objects = server.objects(BUCKET, PREFIX);
    let get = |key: &str| &objects[&format!("{PREFIX}{key}")];
    assert_eq!(
        get("index.html")["content_type"],
        "text/html; charset=utf-8"
    );
    assert_eq!(get("index.html")["cache_control"], "max-age=60");
    assert_eq!(get("index.html")["encoding"], "gzip");
    assert_eq!(
        get("feed.xml")["content_type"],
        "application/atom+xml; charset=utf-8"
    );
    assert_eq!(
        get("feed.xml")["cache_control"],
        "public, max-age=300, must-revalidate"
    );
    assert_eq!(
        get("feed.json")["content_type"],
        "application/feed+json; charset=utf-8"
    );
    let hashed = objects
        .keys()
        .find(|k| {
            k.starts_with(&format!("{PREFIX}dateline."))
                && k.ends_with(".css")
                && k.len() > "metoo/dateline.css".len()
        })
        .unwrap();
    assert_eq!(
        objects[hashed]["cache_control"],
        "public, max-age=31536000, immutable"
    );
    assert_ne!(
        get("dateline.css")["cache_control"],
        objects[hashed]["cache_control"]
    );
    // The decoded bodies are the build's bytes (checked by `published` too).
    assert_eq!(published(&server), built(&fixture));
}

#[test]
fn hand_made_changes_are_repaired_and_foreign_objects_kept() {
    let server = Server::start(Kind::Moto, BUCKET);
    let fixture = site(&server, "");
    deploy(&fixture, &[]).success();
    server.python(&format!(
        "s3.put_object(Bucket={BUCKET:?}, Key='{PREFIX}index.html', Body=b'defaced')\ns3.delete_object(Bucket={BUCKET:?}, Key='{PREFIX}feed.xml')\ns3.put_object(Bucket={BUCKET:?}, Key='{PREFIX}press-kit.pdf', Body=b'ours, not dateline')\ns3.put_object(Bucket={BUCKET:?}, Key='other-site/index.html', Body=b'x')"
    ));
    let run = deploy(&fixture, &[]).success();
    assert_eq!(count(&run, "uploaded"), 2, "{}", run.stdout);
    let expected = built(&fixture);
    let mut got = published(&server);
    assert!(
        got.remove("press-kit.pdf").is_some(),
        "a foreign object was deleted"
    );
    assert_eq!(got, expected);
    assert!(server
        .objects(BUCKET, "other-site/")
        .contains_key("other-site/index.html"));
}

#[test]
fn deletes_past_the_limit_and_dry_runs_change_nothing() {
    let server = Server::start(Kind::Moto, BUCKET);
    let fixture = site(&server, "");
    deploy(&fixture, &[]).success();
    let before = published(&server);
    // The wrong folder: an almost empty site.
    std::fs::remove_dir_all(fixture.root.join("content")).unwrap();
    fixture.write(
        "content/2017-10-15-one.md",
        "---\ntitle: One event\ndate: 2017-10-15\n---\nText.\n",
    );
    fixture.run(&["build", "--quiet"]).success();
    let guarded = deploy(&fixture, &["--max-deletes", "3"]);
    assert_eq!(guarded.code, 1);
    assert!(
        guarded.stderr.contains("more than `--max-deletes` 3")
            && guarded.stderr.contains("s3://news-bucket/metoo/"),
        "{}",
        guarded.stderr
    );
    assert_eq!(published(&server), before);

    let dry = deploy(&fixture, &["--dry-run", "--max-deletes", "1000"]).success();
    assert!(dry.stdout.contains("nothing changed"), "{}", dry.stdout);
    assert!(
        dry.stdout
            .lines()
            .any(|l| l.starts_with("delete metoo/entries/")),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout
            .lines()
            .any(|l| l.starts_with("upload metoo/index.html (changed")),
        "{}",
        dry.stdout
    );
    assert_eq!(published(&server), before);
}

#[test]
fn previews_and_unfinished_builds_are_refused() {
    let server = Server::start(Kind::Moto, BUCKET);
    let fixture = site(&server, "");
    fixture.run(&["build", "--quiet", "--drafts"]).success();
    let drafts = deploy(&fixture, &["--force"]);
    assert_eq!(drafts.code, 1);
    assert!(
        drafts.stderr.contains("built with `--drafts`"),
        "{}",
        drafts.stderr
    );

    fixture
        .run(&["build", "--quiet", "--base-url", "http://127.0.0.1:1111/"])
        .success();
    let preview = deploy(&fixture, &[]);
    assert_eq!(preview.code, 1);
    assert!(
        preview
            .stderr
            .contains("preview built for http://127.0.0.1:1111/"),
        "{}",
        preview.stderr
    );
    assert!(
        published(&server).is_empty(),
        "a refused deploy uploaded something"
    );
    deploy(&fixture, &["--force"]).success();

    let missing = deploy(&fixture, &["--output", &fixture.beside("nowhere")]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("does not exist"),
        "{}",
        missing.stderr
    );
    let unknown = deploy(&fixture, &["prodution"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `production`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn bad_credentials_a_missing_bucket_and_no_server_are_clear_errors() {
    let server = Server::start(Kind::S3sFs, BUCKET);
    let fixture = site(&server, "");
    let refused = deploy_as(&fixture, &[], KEY, "not-the-secret");
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("refused the credentials")
            && refused.stderr.contains("news-bucket"),
        "{}",
        refused.stderr
    );

    let other = Fixture::bundled();
    other.append("site.yaml", &format!("deploy:\n  - {{ name: production, url: \"s3://no-such-bucket/\", endpoint: \"{}\" }}\n", server.endpoint));
    other.run(&["build", "--quiet"]).success();
    let missing = deploy(&other, &[]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("`no-such-bucket` does not exist"),
        "{}",
        missing.stderr
    );

    let closed = Fixture::bundled();
    closed.append("site.yaml", &format!("deploy:\n  - {{ name: production, url: \"s3://gone-bucket/\", endpoint: \"http://127.0.0.1:{}\" }}\n", free_port()));
    closed.run(&["build", "--quiet"]).success();
    let unreachable = deploy(&closed, &[]);
    assert_eq!(unreachable.code, 1);
    assert!(
        unreachable
            .stderr
            .contains("cannot reach bucket `gone-bucket`")
            && unreachable.stderr.contains("after 5 tries"),
        "{}",
        unreachable.stderr
    );
    assert!(unreachable.took.as_secs() < 30, "{:?}", unreachable.took);
}

#[test]
fn cloudfront_is_told_exactly_the_changed_paths() {
    let server = Server::start(Kind::Moto, BUCKET);
    let id = server.python(
        "d = cloudfront.create_distribution(DistributionConfig=dict(CallerReference='t', Comment='', Enabled=True, Origins=dict(Quantity=1, Items=[dict(Id='o', DomainName='news-bucket.s3.amazonaws.com', S3OriginConfig=dict(OriginAccessIdentity=''))]), DefaultCacheBehavior=dict(TargetOriginId='o', ViewerProtocolPolicy='allow-all', MinTTL=0, ForwardedValues=dict(QueryString=False, Cookies=dict(Forward='none')))))\nprint(d['Distribution']['Id'])",
    );
    let fixture = Fixture::copy("minimal");
    fixture.append(
        "site.yaml",
        &format!("deploy:\n  - {{ name: production, url: \"s3://{BUCKET}/{PREFIX}\", endpoint: \"{}\", cloudfront: {} }}\n", server.endpoint, id.trim()),
    );
    fixture.run(&["build", "--quiet"]).success();
    let command_env = |args: &[&str]| {
        let mut command = common::command(&fixture.root, &[&["deploy"], args].concat());
        command
            .env("AWS_ACCESS_KEY_ID", KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_ENDPOINT_URL_CLOUDFRONT", &server.endpoint);
        common::run(&mut command, None).success()
    };
    command_env(&[]);
    let list = format!("print(json.dumps([i['Id'] for i in cloudfront.list_invalidations(DistributionId={:?})['InvalidationList'].get('Items', [])]))", id.trim());
    let first: Vec<String> = serde_json::from_str(&server.python(&list)).unwrap();
    assert_eq!(
        first.len(),
        1,
        "the first deploy invalidates what it uploaded"
    );
    let before = built(&fixture);
    edit_one_entry(&fixture);
    fixture.run(&["build", "--quiet"]).success();
    let after = built(&fixture);
    // Changed files, and the search chunks the edit replaced, which are deleted.
    let mut changed: Vec<String> = after
        .iter()
        .filter(|(p, sha)| before.get(*p) != Some(*sha))
        .map(|(p, _)| p.clone())
        .collect();
    changed.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    let run = command_env(&[]);
    assert!(run.stdout.contains("invalidated"), "{}", run.stdout);
    let paths = server.python(&format!(
        "l = [i['Id'] for i in cloudfront.list_invalidations(DistributionId={:?})['InvalidationList']['Items'] if i['Id'] != {:?}]\nassert len(l) == 1, l\ni = cloudfront.get_invalidation(DistributionId={:?}, Id=l[0])\nprint(json.dumps(sorted(i['Invalidation']['InvalidationBatch']['Paths']['Items'])))",
        id.trim(),
        first[0],
        id.trim()
    ));
    let paths: Vec<String> = serde_json::from_str(&paths).unwrap();
    // Each changed file by its URL on the site (base_url `https://example.org/`),
    // and each changed folder page by its folder's URL too; nothing else.
    let mut expected: Vec<String> = changed.iter().map(|p| format!("/{p}")).collect();
    expected.extend(
        changed
            .iter()
            .filter_map(|p| p.strip_suffix("index.html"))
            .map(|folder| format!("/{folder}")),
    );
    expected.sort();
    assert!(
        expected.len() < 100 && expected.iter().any(|p| p.ends_with('/')),
        "{expected:?}"
    );
    assert_eq!(paths, expected);
}

/// Links a reader can follow from the front page, through every page they
/// reach, that name no object: what a reader would find missing.
fn broken_links(server: &Server) -> Vec<String> {
    let code = format!(
        r##"
import re
keys = set()
for page in s3.get_paginator('list_objects_v2').paginate(Bucket={BUCKET:?}, Prefix={PREFIX:?}):
    keys.update(o['Key'] for o in page.get('Contents', []))
broken = []
seen = set()
todo = ['{PREFIX}index.html']
while todo:
    key = todo.pop()
    if key in seen or not key.endswith('.html'):
        continue
    seen.add(key)
    body = s3.get_object(Bucket={BUCKET:?}, Key=key)['Body'].read().decode()
    for link in re.findall(r'(?:href|src)="(/{PREFIX}[^"#?]*)', body):
        target = link[1:] + ('index.html' if link.endswith('/') else '')
        if target not in keys:
            broken.append(key + ' -> ' + link)
        else:
            todo.append(target)
print(json.dumps(broken))
"##
    );
    serde_json::from_str(&server.python(&code)).unwrap()
}

#[test]
fn a_deploy_killed_midway_leaves_a_readable_site_and_the_next_converges() {
    let server = Server::start(Kind::Moto, BUCKET);
    let fixture = site(&server, "");
    deploy(&fixture, &[]).success();
    // A new entry, linked from the timeline and its terms' pages.
    fixture.write(
        "content/2017-10-31-late.md",
        "---\ntitle: A late event\ndate: 2017-10-31\ntags: [reports]\n---\nIt happened late.\n",
    );
    edit_one_entry(&fixture);
    fixture.run(&["build", "--quiet"]).success();

    let port = free_port();
    let answered = fixture.temp().join("uploads");
    let proxy_script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/deploy/stall_proxy.py");
    let mut proxy = std::process::Command::new("python3")
        .arg(proxy_script)
        .args([
            &port.to_string(),
            &server.endpoint,
            "2",
            answered.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    let site_yaml = std::fs::read_to_string(fixture.root.join("site.yaml")).unwrap();
    fixture.write(
        "site.yaml",
        site_yaml.replace(&server.endpoint, &format!("http://127.0.0.1:{port}")),
    );
    let mut command = common::command(&fixture.root, &["deploy"]);
    command
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET);
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while std::fs::read_to_string(&answered).map_or(true, |n| n.trim() != "2") {
        assert!(
            started.elapsed().as_secs() < 60,
            "the deploy made no uploads"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = proxy.kill();
    let _ = proxy.wait();

    let partial = published(&server);
    assert_ne!(
        partial,
        built(&fixture),
        "the deploy was not cut off midway"
    );
    assert_eq!(
        broken_links(&server),
        Vec::<String>::new(),
        "a reader meets a missing page"
    );

    fixture.write("site.yaml", site_yaml);
    let resumed = deploy(&fixture, &[]).success();
    assert_eq!(published(&server), built(&fixture), "{}", resumed.stdout);
    assert_eq!(broken_links(&server), Vec::<String>::new());
    let last = deploy(&fixture, &[]).success();
    assert_eq!(count(&last, "uploaded"), 0, "{}", last.stdout);
}

#[test]
fn folder_keys_serve_folder_urls_from_the_rest_endpoint() {
    let server = Server::start(Kind::Moto, BUCKET);
    let fixture = site(&server, "    folder_keys: true\n");
    deploy(&fixture, &[]).success();
    let objects = server.objects(BUCKET, PREFIX);
    let entry = objects
        .keys()
        .find(|k| k.starts_with("metoo/entries/") && k.ends_with("/index.html"))
        .unwrap();
    let folder = entry.strip_suffix("index.html").unwrap();
    assert_eq!(objects[folder]["sha256"], objects[entry.as_str()]["sha256"]);
    assert_eq!(objects[folder]["content_type"], "text/html; charset=utf-8");
    assert_eq!(
        objects[PREFIX]["sha256"],
        objects["metoo/index.html"]["sha256"]
    );
    let again = deploy(&fixture, &[]).success();
    assert_eq!(count(&again, "uploaded"), 0, "{}", again.stdout);
}
