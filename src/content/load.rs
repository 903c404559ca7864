//! Walks `content/` and reads every entry file: names starting with `.` or `_` are
//! skipped, symbolic links are reported and never followed, files are sorted by
//! path, text is checked to be UTF-8 with any BOM stripped and CRLF normalised here
//! and nowhere else. Other files are listed as assets for entries to reference.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// Name of the content folder under the site root.
pub(crate) const CONTENT_DIR: &str = "content";

/// One entry file's text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, e.g. `content/2017-10-15-me-too.md`.
    pub path: PathBuf,
    /// The text, BOM stripped and line endings normalised to `\n`.
    pub text: String,
}

/// What `content/` holds.
#[derive(Debug, Default)]
pub(crate) struct Content {
    /// Entry files, sorted by path.
    pub sources: Vec<SourceFile>,
    /// Other files (images, PDFs), relative to the site root, sorted.
    pub assets: Vec<PathBuf>,
    /// Files that could not be read, or were not UTF-8 (errors), and skipped links (warnings).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every entry under `<root>/content`.
pub(crate) fn content(root: &Path) -> Result<Content, Error> {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        let d = Diagnostic::error(CONTENT_DIR, "there is no `content` folder")
            .help("create `content/` and put one Markdown file per event in it (`dateline new \"Title\"` writes one)");
        return Err(Error::Invalid(vec![d]));
    }
    let mut content = Content::default();
    let mut entry_paths = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for item in walker {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| PathBuf::from(CONTENT_DIR), |p| relative(root, p));
                let reason = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                content.diagnostics.push(
                    Diagnostic::error(path, format!("cannot read: {reason}"))
                        .help("check the file's permissions"),
                );
                continue;
            }
        };
        let rel = relative(root, item.path());
        let kind = item.file_type();
        if kind.is_symlink() {
            content.diagnostics.push(
                Diagnostic::warning(rel, "symbolic link is not followed")
                    .help("copy the file into `content/` instead; links are skipped so nothing outside the site is published"),
            );
        } else if kind.is_file() {
            if rel.extension().is_some_and(|e| e == "md") {
                entry_paths.push(rel);
            } else {
                content.assets.push(rel);
            }
        }
    }
    let read: Vec<Result<SourceFile, Diagnostic>> = entry_paths
        .into_par_iter()
        .map(|path| read_source(root, path))
        .collect();
    for file in read {
        match file {
            Ok(file) => content.sources.push(file),
            Err(d) => content.diagnostics.push(d),
        }
    }
    Ok(content)
}

/// Checks that `bytes` are UTF-8, strips a BOM and turns CRLF into LF. The bytes
/// become the text without a copy: on large sites a second copy of every file
/// doubled peak memory.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = &bytes[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        Diagnostic::error(path, "file is not UTF-8 text")
            .at(crate::diagnostic::Span::at(line, column))
            .help("save the file as UTF-8 in your editor (most offer \"Save with encoding\")")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    Ok(text)
}

/// Whether `rel` (relative to the site root) is a file [`content`] reads as an
/// entry: a Markdown file under no folder whose name is hidden.
pub(crate) fn is_entry_path(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "md")
        && rel.components().all(|c| !is_hidden(c.as_os_str()))
}

/// Reads one entry file again (`serve`, after an edit); `None` when it is gone
/// or no longer a plain file.
pub(crate) fn read_entry(root: &Path, rel: &Path) -> Option<Result<SourceFile, Diagnostic>> {
    let path = root.join(rel);
    if !std::fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    Some(read_source(root, rel.to_path_buf()))
}

/// Reads and decodes the entry file at `rel`.
fn read_source(root: &Path, rel: PathBuf) -> Result<SourceFile, Diagnostic> {
    let size = std::fs::metadata(root.join(&rel)).map_or(0, |m| m.len());
    if size > crate::limits::ENTRY_FILE {
        let (mb, max) = (size >> 20, crate::limits::ENTRY_FILE >> 20);
        return Err(Diagnostic::error(
            rel,
            format!("the file is {mb} MB; an entry file may be up to {max} MB"),
        )
        .help(
            "split the event into several entries, or link a long document as a file beside it",
        ));
    }
    let bytes = std::fs::read(root.join(&rel))
        .map_err(|e| Diagnostic::error(rel.clone(), format!("cannot read: {e}")))?;
    let text = decode(&rel, bytes)?;
    Ok(SourceFile { path: rel, text })
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') || n.starts_with('_'))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_crlf() {
        let text = decode(
            Path::new("a.md"),
            "\u{feff}---\r\ntitle: x\r\n---\r\n".as_bytes().to_vec(),
        )
        .expect("utf-8");
        assert_eq!(text, "---\ntitle: x\n---\n");
    }

    #[test]
    fn names_the_line_of_invalid_utf8() {
        let d = decode(
            Path::new("content/a.md"),
            b"---\ntitle: caf\xe9\n---\n".to_vec(),
        )
        .expect_err("latin-1");
        assert_eq!(
            d.to_string().lines().next(),
            Some("content/a.md:2:11: error: file is not UTF-8 text")
        );
    }
}
