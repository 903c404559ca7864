//! The theme: templates compiled once into Tera, and static files to copy. The
//! default theme is embedded in the binary; a site overrides any file by placing
//! one at the same relative path under `themes/<theme>/`, and files in the site's
//! `static/` win over the theme's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostic::{display_path, Diagnostic};
use crate::error::Error;
use crate::site::config::Config;

/// Every file of the default theme, compiled in. A unit test checks this list
/// against `themes/default/`.
const DEFAULT: &[(&str, &[u8])] = &[
    (
        "templates/404.html",
        include_bytes!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/card.html",
        include_bytes!("../../themes/default/templates/card.html"),
    ),
    (
        "templates/corrections.html",
        include_bytes!("../../themes/default/templates/corrections.html"),
    ),
    (
        "templates/entry.html",
        include_bytes!("../../themes/default/templates/entry.html"),
    ),
    (
        "templates/components.html",
        include_bytes!("../../themes/default/templates/components.html"),
    ),
    (
        "templates/publisher.html",
        include_bytes!("../../themes/default/templates/publisher.html"),
    ),
    (
        "templates/sources.html",
        include_bytes!("../../themes/default/templates/sources.html"),
    ),
    (
        "templates/taxonomy.html",
        include_bytes!("../../themes/default/templates/taxonomy.html"),
    ),
    (
        "templates/timeline.html",
        include_bytes!("../../themes/default/templates/timeline.html"),
    ),
    (
        "static/dateline.css",
        include_bytes!("../../themes/default/static/dateline.css"),
    ),
    (
        "static/dateline.js",
        include_bytes!("../../themes/default/static/dateline.js"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

/// Where a static file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StaticSource {
    /// Embedded in the binary.
    Embedded(&'static [u8]),
    /// A file on disk (absolute path).
    Disk(PathBuf),
}

/// The resolved theme.
#[derive(Debug)]
pub(crate) struct Theme {
    /// Every template, compiled.
    pub tera: Tera,
    /// Output path (relative to the output root) → source.
    pub static_files: BTreeMap<String, StaticSource>,
    /// The theme's static files by name → the same file under a name that
    /// carries a hash of its contents (`dateline.css` → `dateline.3f9a2c41d0.css`).
    /// Pages link the hashed name, so a host may cache it for a year: a new
    /// style sheet has a new name.
    pub hashed: BTreeMap<String, String>,
    /// Hash of every template's source and of the hashed names: a changed
    /// template or style sheet changes every page.
    pub fingerprint: u64,
    /// Where each template comes from, as the editor knows it, for errors.
    pub origins: Origins,
}

/// Template name → the file it was read from as the editor knows it:
/// `themes/gazette/templates/entry.html`, or `entry.html (built-in default
/// theme)` for a template the binary carries.
#[derive(Debug, Default, Clone)]
pub(crate) struct Origins(BTreeMap<String, String>);

impl Origins {
    /// The file `name` was read from.
    pub(crate) fn of(&self, name: &str) -> String {
        self.0
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }
}

/// A file of this name in `static/` (or the theme's) is linked after the
/// theme's style sheet on every page.
pub(crate) const SITE_STYLESHEET: &str = "site.css";

/// Resolves the theme named in `config` for the site at `root`.
pub(crate) fn load(root: &Path, config: &Config) -> Result<Theme, Error> {
    let dir = root.join("themes").join(&config.theme);
    if config.theme != "default" && !dir.is_dir() {
        let d = Diagnostic::error(
            crate::site::config::FILE_NAME,
            format!(
                "theme `{}` not found: there is no folder `{}`",
                config.theme,
                display_path(&Path::new("themes").join(&config.theme))
            ),
        )
        .help("create the folder, or remove `theme:` to use the built-in default theme");
        return Err(Error::Invalid(vec![d]));
    }
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    let mut origins = Origins::default();
    let mut static_files = BTreeMap::new();
    // The names templates link: the theme's own static files, whatever folder
    // a site's copy of one of them comes from.
    let mut theme_files: Vec<String> = Vec::new();
    for (path, bytes) in DEFAULT {
        if let Some(name) = path.strip_prefix("templates/") {
            let builtin = format!("{name} (built-in default theme)");
            origins.0.insert(name.to_string(), builtin);
            templates.insert(
                name.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
            );
        } else if let Some(name) = path.strip_prefix("static/") {
            static_files.insert(name.to_string(), StaticSource::Embedded(bytes));
            theme_files.push(name.to_string());
        }
    }
    for (name, path) in files_under(&dir.join("templates"))? {
        let text = std::fs::read(&path).map_err(Error::io("read", &path))?;
        let text = crate::content::load::decode(path.strip_prefix(root).unwrap_or(&path), text)
            .map_err(|d| Error::Invalid(vec![d]))?;
        let rel = Path::new("themes")
            .join(&config.theme)
            .join("templates")
            .join(&name);
        origins.0.insert(name.clone(), display_path(&rel));
        templates.insert(name, text);
    }
    for (folder, of_theme) in [(dir.join("static"), true), (root.join("static"), false)] {
        for (name, path) in files_under(&folder)? {
            if of_theme {
                theme_files.push(name.clone());
            }
            static_files.insert(name, StaticSource::Disk(path));
        }
    }
    // The site's own style sheet, linked after the theme's, so a few lines of
    // custom properties restyle the theme without copying it.
    if static_files.contains_key(SITE_STYLESHEET) {
        theme_files.push(SITE_STYLESHEET.to_string());
    }
    let hashed = hashed_names(&static_files, &theme_files)?;
    let mut tera = Tera::new();
    tera.set_escape_fn(crate::escape::html_to);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| {
            let folder = Path::new("themes").join(&config.theme).join("templates");
            template_error(&origins, &display_path(&folder), &e)
        })?;
    let fingerprint = crate::hash::fingerprint(&(&templates, &hashed));
    Ok(Theme {
        tera,
        static_files,
        hashed,
        fingerprint,
        origins,
    })
}

/// Each of `names` (files of `static_files`) → its name with a hash of its
/// contents before the extension. Theme files are small: reading them to hash
/// costs less than a page.
fn hashed_names(
    static_files: &BTreeMap<String, StaticSource>,
    names: &[String],
) -> Result<BTreeMap<String, String>, Error> {
    let mut hashed = BTreeMap::new();
    for name in names {
        let Some(source) = static_files.get(name) else {
            continue;
        };
        let print = match source {
            StaticSource::Embedded(bytes) => crate::hash::fingerprint(bytes),
            StaticSource::Disk(path) => {
                crate::hash::fingerprint(&std::fs::read(path).map_err(Error::io("read", path))?)
            }
        };
        let (folder, file) = name
            .rsplit_once('/')
            .map_or(("", name.as_str()), |(f, n)| (f, n));
        let (stem, extension) = match file.rsplit_once('.') {
            Some((stem, extension)) if !stem.is_empty() => (stem, format!(".{extension}")),
            _ => (file, String::new()),
        };
        let folder = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let short = format!("{print:016x}");
        hashed.insert(
            name.clone(),
            format!("{folder}{stem}.{}{extension}", &short[..10]),
        );
    }
    Ok(hashed)
}

/// Files under `dir`, as (`/`-separated relative path, absolute path), sorted;
/// hidden files and symbolic links skipped. A missing folder has no files.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for item in walker {
        let item = item.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::Io {
                action: "read",
                path,
                source: e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("file system loop")),
            }
        })?;
        if item.file_type().is_file() {
            let rel = item.path().strip_prefix(dir).unwrap_or(item.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, item.path().to_path_buf()));
        }
    }
    Ok(out)
}

/// A Tera error with every cause, since Tera puts the useful part in the
/// sources, named by the file it happened in (Tera knows it; `name`, the
/// template being rendered, otherwise) as the editor knows that file.
pub(crate) fn template_error(origins: &Origins, name: &str, error: &tera::Error) -> Error {
    let file = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report)
            if !report.filename().is_empty() =>
        {
            report.filename()
        }
        _ => name,
    };
    let shown = origins.of(file);
    // Tera formats its errors like ours; the caller's line already says "error:".
    let text = error.to_string();
    let mut message = text.strip_prefix("error: ").unwrap_or(&text).to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    // The excerpt's ` --> entry.html:8:18` names the file as the editor has it.
    if !shown.ends_with(')') {
        message = message.replace(&format!(" --> {file}:"), &format!(" --> {shown}:"));
    }
    Error::Template {
        name: shown,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_matches_the_theme_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = files_under(&dir.join("templates"))
            .expect("templates")
            .into_iter()
            .map(|(n, _)| format!("templates/{n}"))
            .chain(
                files_under(&dir.join("static"))
                    .expect("static")
                    .into_iter()
                    .map(|(n, _)| format!("static/{n}")),
            )
            .collect();
        let mut embedded: Vec<String> = DEFAULT.iter().map(|(p, _)| p.to_string()).collect();
        let mut on_disk = on_disk;
        embedded.sort();
        on_disk.sort();
        assert_eq!(embedded, on_disk, "update DEFAULT in theme.rs");
    }
}
