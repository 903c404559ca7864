//! `dateline deploy`: publishes the output folder of the last build to a
//! target `site.yaml` names, and never builds.
//!
//! The stages, each a module: [`local`] (is the folder a complete build of
//! this site, and not a preview? its files and their SHA-256) → [`headers`]
//! (each file's type, caching, encoding and upload phase) → [`plan`] (what
//! differs from the remote's own manifest and listing) → [`s3`] or [`git`]
//! (carry it out: assets, entry pages, list pages, feeds, the manifest, and
//! deletes last). Nothing is changed remotely before every check has passed.

mod git;
mod headers;
mod local;
mod manifest;
mod plan;
mod s3;

use std::path::PathBuf;
use std::time::Instant;

use crate::error::Error;
use crate::site::config::{self, Remote, Target};
use crate::ProgressHandle;

/// Most objects a deploy deletes unless told otherwise: a wrong `--output` or
/// target shows as thousands of deletes, and is stopped before any change.
pub const MAX_DELETES: usize = 256;

/// What `dateline deploy` was asked to do.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The folder holding `site.yaml`.
    pub root: PathBuf,
    /// The build to publish; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// The target's name; default the first in `site.yaml`.
    pub target: Option<String>,
    /// Print the plan and change nothing.
    pub dry_run: bool,
    /// Abort, before any change, when more deletes than this are planned.
    pub max_deletes: usize,
    /// Publish a build whose base URL is not `base_url`.
    pub force: bool,
    /// Where to report progress of long uploads.
    pub progress: Option<ProgressHandle>,
}

/// What a deploy did, or with `--dry-run` would do.
#[derive(Debug, Clone, Default)]
pub struct DeployReport {
    /// The target's name.
    pub target: String,
    /// The bucket and prefix, or the git remote and branch.
    pub remote: String,
    /// Objects (or files, for git) written.
    pub uploaded: usize,
    /// Objects left as they were.
    pub unchanged: usize,
    /// Objects removed: files the previous deploy published and this build has not.
    pub deleted: usize,
    /// Bytes sent (for git: of the changed files, before git compresses them).
    pub bytes: u64,
    /// HTTP requests made (S3 and CloudFront); 0 for git.
    pub requests: usize,
    /// Whether nothing was changed because `--dry-run` was given.
    pub dry_run: bool,
    /// One line per planned change, for `--dry-run`: `upload entries/x/index.html (changed)`.
    pub plan: Vec<String>,
    /// Paths sent to CloudFront for invalidation.
    pub invalidated: Vec<String>,
    /// The commit pushed, for a git target.
    pub commit: Option<String>,
    /// Things the editor should know that did not stop the deploy.
    pub warnings: Vec<String>,
    /// Seconds taken.
    pub seconds: f64,
}

/// Publishes the build at `options.output` to the target.
pub fn deploy(options: &DeployOptions) -> Result<DeployReport, Error> {
    let started = Instant::now();
    let config = config::load(&options.root, None)?;
    let target = find_target(&config.deploy, options.target.as_deref())?;
    let folder = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let build = local::read(&folder, &config, target, options.force)?;
    let mut report = match &target.remote {
        Remote::S3 { .. } => s3::deploy(target, &config, &build, options)?,
        Remote::Git { remote, branch } => git::deploy(
            target,
            &git::Place {
                remote,
                branch,
                cache: &options.root.join(".dateline-cache").join("deploy"),
            },
            &build,
            options,
        )?,
    };
    report.warnings.splice(0..0, build.warnings.iter().cloned());
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn find_target<'a>(targets: &'a config::Targets, name: Option<&str>) -> Result<&'a Target, Error> {
    targets.find(name).ok_or_else(|| Error::UnknownTarget {
        name: name.map(str::to_string),
        known: targets.names().into_iter().map(str::to_string).collect(),
    })
}

/// A refusal or failure of `target`.
fn fail(target: &Target, message: impl Into<String>, help: impl Into<String>) -> Error {
    Error::Deploy {
        target: target.name.clone(),
        message: message.into(),
        help: help.into(),
    }
}

/// `n` bytes for people: `812 B`, `41.3 KB`, `12.0 MB`.
pub fn human_bytes(n: u64) -> String {
    match n {
        0..1000 => format!("{n} B"),
        1000..1_000_000 => format!("{:.1} KB", n as f64 / 1e3),
        _ => format!("{:.1} MB", n as f64 / 1e6),
    }
}
