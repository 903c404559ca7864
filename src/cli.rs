//! The command line, declared with clap: doc comments are the help text.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// `0.1.0 (abc1234 2026-12-07)`: the version and the commit it was built from
/// (build.rs), so a bug report names the exact source.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("DATELINE_COMMIT"),
    ")"
);

/// dateline: a static-site generator for news timelines.
#[derive(Debug, Parser)]
#[command(name = "dateline", version = VERSION, about, propagate_version = true)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder (default `<root>/public`).
    Build(BuildArgs),
    /// Run every validation of `build` and write nothing.
    Check(CheckArgs),
    /// Build, serve on loopback, and rebuild and reload open pages on every edit.
    Serve(ServeArgs),
    /// Write a new entry file, `content/<date>-<slug>.md`, with its front matter.
    New(NewArgs),
    /// Create a new site in DIR: site.yaml, one sample entry, a .gitignore.
    Init(InitArgs),
    /// Publish the last build to a target `site.yaml` lists (default: the first).
    Deploy(DeployArgs),
    /// Turn another tool's timeline into entries under `content/`.
    #[command(subcommand)]
    Import(ImportCommand),
}

/// Which site and which entries: shared by `build`, `check` and `serve`.
#[derive(Debug, Args)]
pub(crate) struct SiteArgs {
    /// Folder holding `site.yaml`.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Include drafts, marked "Draft" (a preview; do not publish it).
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Include entries whose `published` date is later than now.
    #[arg(long)]
    pub(crate) future: bool,
    /// Fix the clock for held-back entries (RFC 3339, e.g. 2017-10-16T00:00:00Z).
    #[arg(long, value_parser = parse_now)]
    pub(crate) now: Option<DateTime<Utc>>,
}

impl SiteArgs {
    /// The library's options for these arguments.
    pub(crate) fn options(&self) -> dateline::Options {
        dateline::Options {
            drafts: self.drafts,
            future: self.future,
            now: self.now,
            ..dateline::Options::new(&self.root)
        }
    }
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: std::net::IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub(crate) open: bool,
    /// Print the time of each stage of every rebuild (to stderr).
    #[arg(long)]
    pub(crate) timings: bool,
}

/// Options of `new`.
#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The entry's headline.
    pub(crate) title: String,
    /// When it happened (2017-10-15, 2017-10, 2017, or with a time); default today.
    #[arg(long, value_parser = parse_date)]
    pub(crate) date: Option<dateline::date::PartialDate>,
    /// Folder holding `site.yaml`.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

/// Options of `init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Folder to create the site in (new or empty).
    pub(crate) dir: PathBuf,
}

/// What `import` reads.
#[derive(Debug, Subcommand)]
pub(crate) enum ImportCommand {
    /// A TimelineJS3 JSON file, or its Google-Sheet template exported as CSV.
    Timelinejs(ImportArgs),
}

/// Options of `import`.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The `.json` or `.csv` file.
    pub(crate) file: PathBuf,
    /// Folder holding `site.yaml` (entries go to its `content/`).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

/// Options of `build`.
#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Output folder; replaced atomically. Default: `<root>/public`.
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// Replace `base_url` from site.yaml, e.g. for a local preview.
    #[arg(long, value_parser = parse_base_url)]
    pub(crate) base_url: Option<url::Url>,
    /// Do not print the summary line.
    #[arg(long)]
    pub(crate) quiet: bool,
    /// Replace an output folder that another dateline site built.
    #[arg(long)]
    pub(crate) force: bool,
    /// Print the time spent in each pipeline stage (to stderr).
    #[arg(long)]
    pub(crate) timings: bool,
}

/// Options of `deploy`.
#[derive(Debug, Args)]
pub(crate) struct DeployArgs {
    /// The target's `name` in site.yaml; default the first target.
    pub(crate) target: Option<String>,
    /// Folder holding `site.yaml`.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// The build to publish. Default: `<root>/public`.
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// Print what would be uploaded and deleted, and change nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Abort, before any change, if more objects than this would be deleted.
    #[arg(long, default_value_t = dateline::deploy::MAX_DELETES)]
    pub(crate) max_deletes: usize,
    /// Publish a build made with `--base-url` or for an old base_url.
    #[arg(long)]
    pub(crate) force: bool,
    /// Do not print the summary line.
    #[arg(long)]
    pub(crate) quiet: bool,
}

/// Options of `check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Treat warnings as errors.
    #[arg(long)]
    pub(crate) strict: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Also request every source, archived copy, post and body link, and warn
    /// about dead, moved and unanswered ones (never done by `build`).
    #[arg(long)]
    pub(crate) links: bool,
    /// With --links: seconds one address may take to answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, requires = "links")]
    pub(crate) link_timeout: u64,
    /// With --links: hours an answer is kept in .dateline-cache/links.json (0: ask again).
    #[arg(long, value_name = "HOURS", default_value_t = 24, requires = "links")]
    pub(crate) link_cache_hours: u64,
    /// With --links: also request addresses on this machine or a private network.
    #[arg(long, requires = "links")]
    pub(crate) link_private: bool,
}

/// Diagnostic output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// `path:line:column: error: message`, for people.
    Text,
    /// One JSON document on stdout, for tools.
    Json,
}

fn parse_base_url(text: &str) -> Result<url::Url, String> {
    dateline::parsers::parse_url(text)
}

fn parse_date(text: &str) -> Result<dateline::date::PartialDate, String> {
    dateline::date::PartialDate::parse(text).map_err(|e| format!("{}; {}", e.message, e.help))
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            dateline::date::PartialDate::parse(text)
                .map(|d| d.start(chrono_tz::Tz::UTC))
                .map_err(|_| {
                    format!("`{text}` is not an RFC 3339 time such as 2017-10-16T12:00:00Z")
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
