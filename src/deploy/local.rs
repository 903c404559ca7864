//! The build being published: refused unless it is a complete dateline build
//! of this site and not a preview; then its files, each with its SHA-256.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::fail;
use crate::diagnostic::display_path;
use crate::error::Error;
use crate::output::{Stamp, MANIFEST, MARKER};
use crate::site::config::{Config, Target};

/// A file of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct File {
    /// Its path in the output, `/`-separated: `entries/x/index.html`.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, in lower-case hex: what decides whether it changed.
    pub sha256: String,
}

/// A build that passed every check.
#[derive(Debug)]
pub(super) struct Build {
    /// The output folder.
    pub folder: PathBuf,
    /// Every file the build wrote, sorted by path.
    pub files: Vec<File>,
    /// Files found in the folder that the build did not write; not published.
    pub warnings: Vec<String>,
}

impl Build {
    /// The bytes of the file at `path`.
    pub(super) fn read(&self, path: &str) -> Result<Vec<u8>, Error> {
        let full = self.folder.join(path);
        fs::read(&full).map_err(Error::io("read", &full))
    }
}

const REBUILD: &str =
    "run `dateline build`, then deploy again: deploy publishes the last build and never builds one";

/// Reads and checks the build in `folder` for `target`.
pub(super) fn read(
    folder: &Path,
    config: &Config,
    target: &Target,
    force: bool,
) -> Result<Build, Error> {
    let shown = display_path(folder);
    if !folder.is_dir() {
        return Err(fail(
            target,
            format!("`{shown}` does not exist or is not a folder"),
            REBUILD,
        ));
    }
    let Some(stamp) = Stamp::read(folder) else {
        return Err(fail(
            target,
            format!("`{shown}` is not a dateline build (it has no `{MARKER}`)"),
            format!("{REBUILD}; pass `--output` if the site was built elsewhere"),
        ));
    };
    refuse_preview(&stamp, config, target, force, &shown)?;
    let listed = fs::read_to_string(folder.join(MANIFEST)).map_err(|_| {
        fail(
            target,
            format!("`{shown}` holds an unfinished build (it has no `{MANIFEST}`)"),
            REBUILD,
        )
    })?;
    let mut paths: Vec<String> = listed
        .lines()
        .filter_map(|line| line.split_once(' ').map(|(_, path)| path.to_string()))
        .collect();
    paths.sort();
    paths.dedup();
    if paths.is_empty() {
        return Err(fail(target, format!("`{shown}` lists no files"), REBUILD));
    }
    let files = paths
        .par_iter()
        .map(|path| {
            hash_file(folder, path).map_err(|why| {
                fail(
                    target,
                    format!("`{shown}` is not a complete build: `{path}` {why}"),
                    REBUILD,
                )
            })
        })
        .collect::<Result<Vec<File>, Error>>()?;
    let warnings = strays(folder, &paths);
    Ok(Build {
        folder: folder.to_path_buf(),
        files,
        warnings,
    })
}

/// Refuses a preview build: drafts and future entries always; a build for
/// another address unless `force`.
fn refuse_preview(
    stamp: &Stamp,
    config: &Config,
    target: &Target,
    force: bool,
    shown: &str,
) -> Result<(), Error> {
    for p in &stamp.preview {
        let flag = match p.as_str() {
            "drafts" => "--drafts",
            "future" => "--future",
            _ => continue,
        };
        return Err(fail(
            target,
            format!("`{shown}` was built with `{flag}`: it shows entries that are not published"),
            format!("run `dateline build` without `{flag}`, then deploy again"),
        ));
    }
    if force {
        return Ok(());
    }
    let site = config.site_url.as_str();
    if let Some(url) = stamp
        .preview
        .iter()
        .find_map(|p| p.strip_prefix("base_url "))
    {
        return Err(fail(
            target,
            format!("`{shown}` is a preview built for {url}, not for the site's base_url {site}: its links would point there"),
            "run `dateline build` without `--base-url`, then deploy again; or pass `--force` to publish it as it is",
        ));
    }
    if stamp.site != site {
        return Err(fail(
            target,
            format!("`{shown}` was built for {}, but site.yaml's base_url is now {site}", stamp.site),
            "run `dateline build` so the pages link the new address, then deploy again; or pass `--force` to publish it as it is",
        ));
    }
    Ok(())
}

/// The file at `path` as published, or why it cannot be.
fn hash_file(folder: &Path, path: &str) -> Result<File, &'static str> {
    let plain = !path.is_empty()
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if !plain {
        return Err("is not a plain path");
    }
    let full = folder.join(path);
    let meta = fs::symlink_metadata(&full).map_err(|_| "is missing")?;
    if !meta.is_file() {
        return Err("is not a regular file (a link or a folder)");
    }
    let mut file = fs::File::open(&full).map_err(|_| "cannot be read")?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(|_| "cannot be read")?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok(File {
        path: path.to_string(),
        size,
        sha256: hex(&hasher.finalize()),
    })
}

/// Files in the folder the build did not write: someone put them there by
/// hand. They are not published, and the editor is told.
fn strays(folder: &Path, paths: &[String]) -> Vec<String> {
    let known: HashSet<&str> = paths.iter().map(String::as_str).collect();
    let mut found: Vec<String> = walkdir::WalkDir::new(folder)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(folder).ok()?;
            let rel = display_path(rel);
            (!rel.starts_with(".dateline-") && !known.contains(rel.as_str())).then_some(rel)
        })
        .collect();
    found.sort();
    let shown = display_path(folder);
    match found.len() {
        0 => Vec::new(),
        n => vec![format!(
            "{n} file{} in `{shown}` not written by the build {} not published (`{}`{}); put files to publish in `static/`",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" },
            found[0],
            if n > 1 { ", …" } else { "" }
        )],
    }
}

/// Lower-case hex of `bytes`.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "a//b", "./a", ""] {
            assert_eq!(hash_file(dir.path(), bad), Err("is not a plain path"));
        }
        fs::write(dir.path().join("a.txt"), "abc").unwrap();
        let file = hash_file(dir.path(), "a.txt").unwrap();
        // SHA-256 of "abc", FIPS 180-2 appendix B.1.
        assert_eq!(
            file.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(file.size, 3);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_build_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("x.txt")).unwrap();
        assert!(hash_file(dir.path(), "x.txt").is_err());
    }
}
