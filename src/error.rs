//! The few ways a whole run can fail. Content problems are a list of
//! [`Diagnostic`]s; the rest name the path involved and, where one exists, the fix.

use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{display_path, Diagnostic};

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Content or configuration problems, all of them at once.
    #[error("{} error{} found", error_count(.0), if error_count(.0) == 1 { "" } else { "s" })]
    Invalid(Vec<Diagnostic>),
    /// The root has no `site.yaml`.
    #[error("no `site.yaml` in `{}`", display_path(.0))]
    MissingConfig(PathBuf),
    /// A file operation failed.
    #[error("cannot {action} `{}`: {source}", display_path(path))]
    Io {
        /// What was being done, as a verb: "read", "write", "create folder".
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The output folder holds files dateline did not write.
    #[error("refusing to replace `{}`: it is not empty and was not created by dateline", display_path(.0))]
    ForeignOutput(PathBuf),
    /// The output folder holds another site's build.
    #[error(
        "refusing to replace `{}`: it holds the build of another site, {site}",
        display_path(output)
    )]
    OtherSite {
        /// The output folder.
        output: PathBuf,
        /// The address of the site that built it.
        site: String,
    },
    /// The output is inside a folder the build reads.
    #[error(
        "refusing to build into `{}`: it is inside `{}`, which dateline reads",
        display_path(output),
        display_path(read)
    )]
    OutputInsideSite {
        /// The output folder.
        output: PathBuf,
        /// The folder it is inside of.
        read: PathBuf,
    },
    /// The output path is a file, not a folder.
    #[error("refusing to replace `{}`: it is a file, not a folder", display_path(.0))]
    OutputIsFile(PathBuf),
    /// The staging folder beside the output is a symbolic link or a file.
    #[error("refusing to build: `{}` is not a folder (a symbolic link or a file)", display_path(.0))]
    StagingNotFolder(PathBuf),
    /// Another build is writing the same output.
    #[error("another dateline build is writing `{}`", display_path(.0))]
    Busy(PathBuf),
    /// `serve` could not listen or watch.
    #[error("cannot serve on {address}: {message}")]
    Serve {
        /// The address asked for.
        address: String,
        /// Why.
        message: String,
    },
    /// The site's generated files would be too large for its input.
    #[error("the site's pages, feeds and exports would pass {} MB, {} times its entries ({} KB) and {} MB more", .limit / 1_000_000, crate::limits::OUTPUT_PER_INPUT, .input / 1000, crate::limits::OUTPUT_BASE / 1_000_000)]
    OutputTooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// The size of the entry files, in bytes.
        input: u64,
    },
    /// `deploy` refused to publish, or publishing failed. Nothing the remote
    /// held was deleted.
    #[error("cannot deploy to `{target}`: {message}")]
    Deploy {
        /// The target's name from `site.yaml`.
        target: String,
        /// What was refused or failed, naming the bucket or remote and the key.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// `deploy` was given a target `site.yaml` does not list: a usage error.
    #[error("{}", unknown_target(.name, .known))]
    UnknownTarget {
        /// The name asked for, `None` when none was and the site has no targets.
        name: Option<String>,
        /// The targets `site.yaml` lists.
        known: Vec<String>,
    },
    /// A template failed to compile or render.
    #[error("template `{name}`: {message}")]
    Template {
        /// The template's name, e.g. `entry.html`.
        name: String,
        /// Tera's message with all its causes.
        message: String,
    },
}

impl Clone for Error {
    /// A copy, for `serve`, which keeps the reason a site cannot be read and
    /// reports it after every edit until it is fixed. An I/O error keeps its kind
    /// and message.
    fn clone(&self) -> Self {
        match self {
            Error::Invalid(d) => Error::Invalid(d.clone()),
            Error::MissingConfig(p) => Error::MissingConfig(p.clone()),
            Error::Io {
                action,
                path,
                source,
            } => Error::Io {
                action,
                path: path.clone(),
                source: io::Error::new(source.kind(), source.to_string()),
            },
            Error::ForeignOutput(p) => Error::ForeignOutput(p.clone()),
            Error::OutputIsFile(p) => Error::OutputIsFile(p.clone()),
            Error::OtherSite { output, site } => Error::OtherSite {
                output: output.clone(),
                site: site.clone(),
            },
            Error::OutputInsideSite { output, read } => Error::OutputInsideSite {
                output: output.clone(),
                read: read.clone(),
            },
            Error::Busy(p) => Error::Busy(p.clone()),
            Error::StagingNotFolder(p) => Error::StagingNotFolder(p.clone()),
            Error::Serve { address, message } => Error::Serve {
                address: address.clone(),
                message: message.clone(),
            },
            Error::OutputTooLarge { limit, input } => Error::OutputTooLarge {
                limit: *limit,
                input: *input,
            },
            Error::Deploy {
                target,
                message,
                help,
            } => Error::Deploy {
                target: target.clone(),
                message: message.clone(),
                help: help.clone(),
            },
            Error::UnknownTarget { name, known } => Error::UnknownTarget {
                name: name.clone(),
                known: known.clone(),
            },
            Error::Template { name, message } => Error::Template {
                name: name.clone(),
                message: message.clone(),
            },
        }
    }
}

impl Error {
    /// A template error, saying which entry's `what` ("page", "card") was
    /// being rendered: a field one entry lacks (`extra.display_date`) fails
    /// only its page, and the editor needs to know which file to fix.
    pub(crate) fn rendering(self, what: &str, entry: &Path) -> Error {
        let Error::Template { name, mut message } = self else {
            return self;
        };
        let file = crate::diagnostic::display_path(entry);
        message.push_str(&format!(
            "\n  = note: while rendering the {what} of `{file}`"
        ));
        let missing = message
            .split_once("Field `")
            .and_then(|(_, rest)| rest.split_once("` is not defined"))
            .map(|(field, _)| field.to_string());
        if let Some(field) = missing.filter(|f| f != "extra" && message.contains("extra.")) {
            message.push_str(&format!(
                "\n  = help: give `{file}` `extra: {{ {field}: … }}` in its front matter, or write `{{% if extra.{field} is defined %}}` around it in the template"
            ));
        }
        Error::Template { name, message }
    }

    /// Wraps an I/O error with the action and path that failed.
    pub fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> Error + 'a {
        move |source| Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// The error as plain text: its diagnostics, the error, and its fix, as
    /// `serve`'s page overlay shows them.
    pub fn describe(&self) -> String {
        let mut text = String::new();
        if let Error::Invalid(diagnostics) = self {
            for d in diagnostics {
                text.push_str(&d.to_string());
                text.push_str("\n\n");
            }
        }
        text.push_str(&format!("error: {self}"));
        if let Some(help) = self.help() {
            text.push_str(&format!("\n  = help: {help}"));
        }
        text
    }

    /// The fix to print below the error, when there is one.
    pub fn help(&self) -> Option<String> {
        match self {
            Error::MissingConfig(_) => Some(
                "run `dateline init DIR` to create a site, or pass `--root` with the folder that holds `site.yaml`".into(),
            ),
            Error::OutputIsFile(_) => Some("pass `--output` with a folder path; dateline writes a whole site".into()),
            Error::OtherSite { .. } => Some("pass another `--output`, or `--force` if this site should replace it".into()),
            Error::OutputInsideSite { .. } => Some("build outside `content/`, `static/` and `themes/` (the default is `public/` beside `site.yaml`): files there would be read back as the site's own".into()),
            Error::ForeignOutput(_) => Some(
                "pass `--output` with a new or empty folder; dateline only replaces folders it created".into(),
            ),
            Error::Busy(_) => Some("wait for the other build to finish, then run this one again".into()),
            Error::StagingNotFolder(_) => Some("remove it: dateline writes the new site there before it swaps it in, and never follows a link there".into()),
            Error::Serve { .. } => Some("is another server using the port? pass `--port` with another number, or `--port 0` to pick a free one".into()),
            Error::OutputTooLarge { .. } => Some("a long title, summary or term is repeated on every page that lists its entry: shorten them, or give entries fewer terms".into()),
            Error::Deploy { help, .. } => Some(help.clone()),
            Error::UnknownTarget { name, known } => Some(match (name, known.is_empty()) {
                (_, true) => "add a `deploy:` list to site.yaml, e.g. `deploy: [{ name: production, url: \"s3://bucket/prefix/\" }]` (README, \"Publishing\")".into(),
                (name, false) => {
                    let known: Vec<&str> = known.iter().map(String::as_str).collect();
                    let listed = format!("site.yaml lists {}", crate::diagnostic::backticked(&known));
                    match name.as_deref().and_then(|n| crate::diagnostic::suggest(n, known.iter().copied())) {
                        Some(close) => format!("did you mean `{close}`? {listed}"),
                        None => listed,
                    }
                }
            }),
            _ => None,
        }
    }

    /// Whether the error is a usage error: the command line asked for
    /// something that does not exist (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::UnknownTarget { .. })
    }
}

fn unknown_target(name: &Option<String>, known: &[String]) -> String {
    match name {
        _ if known.is_empty() => "site.yaml lists no deploy targets".into(),
        Some(name) => format!("site.yaml lists no deploy target called `{name}`"),
        None => "no deploy target".into(),
    }
}

fn error_count(diagnostics: &[Diagnostic]) -> usize {
    crate::diagnostic::Tally::of(diagnostics).errors
}
