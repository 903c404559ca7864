//! Publishing to an S3-compatible bucket: read the remote manifest, list the
//! prefix once, plan, upload phase by phase with a pool of workers, write
//! the manifest, delete last, then invalidate the CDN's copies.

mod client;
mod cloudfront;
mod credentials;
mod sigv4;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use self::client::Client;
use super::headers;
use super::local::Build;
use super::manifest::{self, Manifest, Object};
use super::plan::{self, Plan, Reason, Wanted};
use super::{fail, human_bytes, DeployOptions, DeployReport};
use crate::error::Error;
use crate::site::config::{Config, Remote, Target};

/// Uploads in flight at once: enough to hide the round trips to a far
/// region, few enough for a newsroom's uplink.
const WORKERS: usize = 8;

/// The bucket a target names, and how to reach it.
struct Bucket<'a> {
    name: &'a str,
    prefix: &'a str,
    cloudfront: Option<&'a str>,
}

pub(super) fn deploy(
    target: &Target,
    config: &Config,
    build: &Build,
    options: &DeployOptions,
) -> Result<DeployReport, Error> {
    let Remote::S3 {
        bucket,
        prefix,
        region,
        endpoint,
        cloudfront,
    } = &target.remote
    else {
        return Err(fail(
            target,
            "is not an `s3://` target",
            "fix `url` in site.yaml",
        ));
    };
    let place = Bucket {
        name: bucket,
        prefix,
        cloudfront: cloudfront.as_deref(),
    };
    let env = credentials::environment();
    let keys = credentials::keys(&env).map_err(|m| {
        fail(target, m, "set `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or `AWS_PROFILE` with a profile in `~/.aws/credentials`")
    })?;
    let region = credentials::region(region.as_deref(), &env);
    let endpoint = match endpoint {
        Some(url) => Some(url.clone()),
        None => credentials::endpoint("S3", &env)
            .map(|e| {
                crate::site::config::parse_url(&e).map_err(|m| {
                    fail(
                        target,
                        format!("`AWS_ENDPOINT_URL`: {m}"),
                        "set it to the service's address, e.g. `http://127.0.0.1:9000`",
                    )
                })
            })
            .transpose()?,
    };
    let client = Client::new(&target.name, bucket, &region, endpoint, &keys)?;
    let manifest_key = format!("{prefix}{}", manifest::NAME);
    let previous = read_manifest(&client, target, &place, &manifest_key, config)?;
    let listed = client.list(prefix)?;
    let all_headers = headers::of_all(&build.files, target);
    let wanted = plan::wanted(build, &all_headers, prefix, target.folder_keys);
    let wanted_keys: std::collections::HashSet<String> =
        wanted.iter().map(|w| w.key.clone()).collect();
    let plan = plan::make(wanted, &previous, &listed, &manifest_key);
    let mut report = DeployReport {
        target: target.name.clone(),
        remote: format!("s3://{bucket}/{prefix}"),
        uploaded: plan.uploads.len(),
        unchanged: plan.unchanged,
        deleted: plan.deletes.len(),
        dry_run: options.dry_run,
        ..DeployReport::default()
    };
    if plan.deletes.len() > options.max_deletes {
        return Err(fail(
            target,
            format!("it would delete {} objects from s3://{bucket}/{prefix}, more than `--max-deletes` {}; nothing was changed", plan.deletes.len(), options.max_deletes),
            "check that `--output` is the right build and the target the right bucket; if so, pass `--max-deletes` with a larger number",
        ));
    }
    if options.dry_run {
        report.plan = plan_lines(&plan, build);
        report.bytes = plan
            .uploads
            .iter()
            .map(|(w, _)| file_size(build, &w.path))
            .sum();
        report.requests = client.requests.load(Ordering::Relaxed);
        return Ok(report);
    }
    let mut next = previous.clone();
    next.site = config.site_url.to_string();
    let uploaded = upload_phases(&client, build, &plan, options);
    let mut failure = None;
    for result in uploaded {
        match result {
            Ok((key, object)) => {
                next.objects.insert(key, object);
            }
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        // Record what did reach the bucket, so the next deploy resumes there.
        let _ = client.put(
            &manifest_key,
            &headers::gzip(&next.to_json()),
            &manifest_headers(),
        );
        return Err(e);
    }
    // Only what the site has now; what it no longer has is retired, below.
    next.objects.retain(|k, _| wanted_keys.contains(k.as_str()));
    next.retired = plan.deletes.clone();
    if next != previous {
        client.put(
            &manifest_key,
            &headers::gzip(&next.to_json()),
            &manifest_headers(),
        )?;
    }
    client.delete(&plan.deletes)?;
    report.bytes = client.sent.load(Ordering::Relaxed);
    report.requests = client.requests.load(Ordering::Relaxed);
    if let Some(distribution) = place.cloudfront {
        let changed: Vec<&str> = plan
            .uploads
            .iter()
            .map(|(w, _)| w.path.as_str())
            .chain(
                plan.deletes
                    .iter()
                    .map(|k| k.strip_prefix(place.prefix).unwrap_or(k)),
            )
            .collect();
        if !changed.is_empty() {
            let paths = cloudfront::paths_to_invalidate(config.site_url.path(), &changed);
            report.requests +=
                cloudfront::invalidate(&target.name, distribution, &paths, &keys, &env)?;
            report.invalidated = paths;
        }
    }
    Ok(report)
}

/// The manifest the last deploy left, or an empty one for a first deploy.
fn read_manifest(
    client: &Client,
    target: &Target,
    place: &Bucket<'_>,
    key: &str,
    config: &Config,
) -> Result<Manifest, Error> {
    let Some(stored) = client.get(key)? else {
        return Ok(Manifest::new(config.site_url.as_str()));
    };
    Manifest::parse(&headers::gunzip(&stored)).map_err(|why| {
        fail(
            target,
            format!("the deploy manifest s3://{}/{key} cannot be read: {why}", place.name),
            "delete that object to start over: every file is then uploaded again, and nothing is deleted",
        )
    })
}

fn manifest_headers() -> [(&'static str, &'static str); 2] {
    [
        ("cache-control", "no-store"),
        ("content-type", "application/json; charset=utf-8"),
    ]
}

/// Uploads every phase's objects, one phase after another; stops after the
/// first phase with a failure, so no page goes up before what it links.
fn upload_phases(
    client: &Client,
    build: &Build,
    plan: &Plan,
    options: &DeployOptions,
) -> Vec<Result<(String, Object), Error>> {
    if let Some(p) = &options.progress {
        p.0.start("upload", plan.uploads.len() as u64);
    }
    let mut results = Vec::with_capacity(plan.uploads.len());
    for jobs in plan::steps(plan) {
        let done = upload_pool(client, build, &jobs, options);
        let failed = done.iter().any(Result::is_err);
        results.extend(done);
        if failed {
            break;
        }
    }
    results
}

/// Uploads `jobs` with [`WORKERS`] threads; after a failure no new upload starts.
fn upload_pool(
    client: &Client,
    build: &Build,
    jobs: &[&(Wanted, Reason)],
    options: &DeployOptions,
) -> Vec<Result<(String, Object), Error>> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let results = Mutex::new(Vec::with_capacity(jobs.len()));
    std::thread::scope(|scope| {
        for _ in 0..WORKERS.min(jobs.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= jobs.len() || stop.load(Ordering::Relaxed) {
                    break;
                }
                let result = upload(client, build, &jobs[i].0);
                if result.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
                if let Some(p) = &options.progress {
                    p.0.advance(1);
                }
                results
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(result);
            });
        }
    });
    results.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// Uploads one object; returns its manifest record.
fn upload(client: &Client, build: &Build, wanted: &Wanted) -> Result<(String, Object), Error> {
    let bytes = build.read(&wanted.path)?;
    let h = &wanted.headers;
    let body = if h.gzip { headers::gzip(&bytes) } else { bytes };
    let mut sent = vec![
        ("cache-control", h.cache_control.as_str()),
        ("content-type", h.content_type),
        ("x-amz-meta-dateline-sha256", wanted.sha256.as_str()),
    ];
    if h.gzip {
        sent.push(("content-encoding", "gzip"));
    }
    sent.sort();
    let etag = client.put(&wanted.key, &body, &sent)?;
    let object = Object {
        sha256: wanted.sha256.clone(),
        size: body.len() as u64,
        content_type: h.content_type.to_string(),
        cache_control: h.cache_control.clone(),
        encoding: h.gzip.then(|| "gzip".to_string()),
        etag,
    };
    Ok((wanted.key.clone(), object))
}

fn file_size(build: &Build, path: &str) -> u64 {
    build
        .files
        .binary_search_by(|f| f.path.as_str().cmp(path))
        .map_or(0, |i| build.files[i].size)
}

/// `--dry-run`'s lines: each upload with its reason and size, each delete.
fn plan_lines(plan: &Plan, build: &Build) -> Vec<String> {
    let mut lines: Vec<String> = plan
        .uploads
        .iter()
        .map(|(w, reason)| {
            format!(
                "upload {} ({}, {})",
                w.key,
                reason.word(),
                human_bytes(file_size(build, &w.path))
            )
        })
        .collect();
    lines.extend(plan.deletes.iter().map(|k| format!("delete {k}")));
    if plan.foreign > 0 {
        lines.push(format!(
            "leave {} objects dateline did not publish",
            plan.foreign
        ));
    }
    lines
}
