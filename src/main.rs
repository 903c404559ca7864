//! The `dateline` command: parses arguments, calls the library, prints
//! diagnostics to stderr and the summary line to stdout, and maps the result to
//! an exit code (0 success, 1 content or build errors, 2 usage errors via clap).
//! Everything the command prints is printed here.

mod cli;

// Rendering allocates many small strings on every core; glibc's allocator spent
// about a sixth of build time in malloc/free under contention (perf, 10,000 entries).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use dateline::serve::Report;
use dateline::{BuildReport, Diagnostic, Error, Progress, ProgressHandle, Tally};

use crate::cli::{
    BuildArgs, CheckArgs, Cli, Command, DeployArgs, Format, ImportArgs, ImportCommand, InitArgs,
    NewArgs, ServeArgs,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let result = match cli.command {
        Command::Build(args) => build(&args, started),
        Command::Check(args) => return check(&args),
        Command::Serve(args) => serve(&args),
        Command::New(args) => new(&args),
        Command::Init(args) => init(&args),
        Command::Deploy(args) => deploy(&args),
        Command::Import(ImportCommand::Timelinejs(args)) => import(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn build(args: &BuildArgs, started: Instant) -> Result<(), Error> {
    let bar = (!args.quiet && std::io::stdout().is_terminal()).then(Bar::new);
    let options = dateline::Options {
        base_url: args.base_url.clone(),
        progress: bar.clone().map(|b| ProgressHandle(b as Arc<dyn Progress>)),
        force: args.force,
        ..args.site.options()
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.site.root.join("public"));
    let result = dateline::build(&options, &output);
    if let Some(bar) = &bar {
        bar.0.finish_and_clear();
    }
    let report = result?;
    print_warnings_capped(&report.warnings);
    if args.timings {
        for (stage, time) in &report.timings {
            print_timing(stage, *time);
        }
        if let Some(kib) = dateline::peak_memory_kib() {
            eprintln!("{:>18}: {:>8.1} MiB", "peak memory", kib as f64 / 1024.0);
        }
    }
    if !args.quiet {
        let preview = if args.site.drafts {
            " (preview with drafts: do not publish)"
        } else {
            ""
        };
        say(&format!(
            "built {}{} into {} ({} pages, {} files){} in {}{preview}",
            plural(report.entries, "entry", "entries"),
            held_back_note(report.held_back),
            output.display(),
            report.stats.pages,
            report.stats.files,
            warning_note(&report.warnings),
            elapsed(started.elapsed()),
        ));
    }
    Ok(())
}

fn check(args: &CheckArgs) -> ExitCode {
    let options = args.site.options();
    let result = if args.links {
        let settings = dateline::LinkSettings {
            timeout: std::time::Duration::from_secs(args.link_timeout.max(1)),
            max_age: std::time::Duration::from_secs(args.link_cache_hours * 3600),
            private: args.link_private,
            ..dateline::LinkSettings::default()
        };
        dateline::check_links(&options, &settings)
    } else {
        dateline::check(&options)
    };
    match args.format {
        Format::Json => check_json(result, args.strict),
        Format::Text => check_text(result, args.strict),
    }
}

fn serve(args: &ServeArgs) -> Result<(), Error> {
    let options = args.site.options();
    let serve = dateline::serve::ServeOptions {
        address: std::net::SocketAddr::new(args.bind, args.port),
        timings: args.timings,
    };
    let open = args.open;
    let report = |report: Report<'_>| {
        match report {
        Report::Serving(url) => {
            say(&format!("serving {url} (Ctrl-C stops)"));
            if open {
                open_browser(url);
            }
        }
        Report::Exposed(address) => eprintln!(
            "warning: serving on {address}, which other machines may reach: anyone who can connect sees the site as you do, drafts included\n  = help: leave out `--bind` to serve on 127.0.0.1 only"
        ),
        Report::Timing(stage, time) => print_timing(stage, time),
        Report::Warnings(warnings) => print_warnings_capped(warnings),
        Report::Built {
            first,
            built,
            elapsed,
        } => say(&format!(
            "{} {}{} in {} ms: {} of {} files changed",
            if first { "built" } else { "rebuilt" },
            plural(built.entries, "entry", "entries"),
            held_back_note(built.held_back),
            elapsed.as_millis(),
            built.stats.made,
            built.stats.files
        )),
        Report::Failed {
            first,
            error,
            elapsed,
        } => {
            print_error(error);
            say(&format!(
                "{} with errors in {} ms; still serving the last good site",
                if first { "built" } else { "rebuilt" },
                elapsed.as_millis()
            ));
        }
    }
    };
    dateline::serve::run(options, &serve, &report)
}

fn new(args: &NewArgs) -> Result<(), Error> {
    let path = dateline::scaffold::new_entry(&args.root, &args.title, args.date)?;
    say(&dateline::diagnostic::display_path(&path));
    Ok(())
}

fn init(args: &InitArgs) -> Result<(), Error> {
    dateline::scaffold::init(&args.dir)?;
    let dir = args.dir.display();
    say(&format!(
        "created a new site in {dir}
next:
  cd {dir}
  dateline serve      # preview at http://127.0.0.1:1111/, reloading as you edit
  dateline build      # write the site to public/"
    ));
    Ok(())
}

fn deploy(args: &DeployArgs) -> Result<(), Error> {
    let bar = (!args.quiet && std::io::stdout().is_terminal()).then(Bar::new);
    let options = dateline::deploy::DeployOptions {
        root: args.root.clone(),
        output: args.output.clone(),
        target: args.target.clone(),
        dry_run: args.dry_run,
        max_deletes: args.max_deletes,
        force: args.force,
        progress: bar.clone().map(|b| ProgressHandle(b as Arc<dyn Progress>)),
    };
    let result = dateline::deploy::deploy(&options);
    if let Some(bar) = &bar {
        bar.0.finish_and_clear();
    }
    let report = result?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    for line in &report.plan {
        say(line);
    }
    if args.quiet {
        return Ok(());
    }
    let bytes = dateline::deploy::human_bytes(report.bytes);
    let requests = match report.requests {
        0 => String::new(),
        n => format!(", {}", plural(n, "request", "requests")),
    };
    let extra = match (&report.commit, report.invalidated.len()) {
        (Some(commit), _) => format!("; commit {}", &commit[..commit.len().min(12)]),
        (None, 0) => String::new(),
        (None, n) => format!("; {} invalidated", plural(n, "path", "paths")),
    };
    say(&if report.dry_run {
        format!(
            "would deploy to {} ({}): {} to upload ({bytes}), {} unchanged, {} to delete; nothing changed (dry run{requests})",
            report.target, report.remote, report.uploaded, report.unchanged, report.deleted
        )
    } else {
        format!(
            "deployed to {} ({}): {} uploaded, {} unchanged, {} deleted; {bytes} sent in {}{requests}{extra}",
            report.target,
            report.remote,
            report.uploaded,
            report.unchanged,
            report.deleted,
            elapsed(Duration::from_secs_f64(report.seconds))
        )
    });
    Ok(())
}

fn import(args: &ImportArgs) -> Result<(), Error> {
    let report = dateline::import::timelinejs(&args.file, &args.root)?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for path in &report.written {
        say(&dateline::diagnostic::display_path(path));
    }
    say(&format!(
        "imported {} from {}",
        plural(report.written.len(), "entry", "entries"),
        args.file.display()
    ));
    Ok(())
}

fn check_text(result: Result<BuildReport, Error>, strict: bool) -> ExitCode {
    let mut report = match result {
        Ok(report) => report,
        Err(e) => return fail(&e),
    };
    if strict {
        report.warnings.iter_mut().for_each(Diagnostic::make_error);
    }
    print_diagnostics(&report.warnings);
    let errors = Tally::of(&report.warnings).errors;
    if errors > 0 {
        say(&format!(
            "check failed: {} (warnings count as errors with --strict)",
            plural(errors, "error", "errors")
        ));
        return ExitCode::FAILURE;
    }
    say(&format!(
        "checked {}{}: no errors{}",
        plural(report.entries, "entry", "entries"),
        held_back_note(report.held_back),
        warning_note(&report.warnings)
    ));
    ExitCode::SUCCESS
}

fn check_json(result: Result<BuildReport, Error>, strict: bool) -> ExitCode {
    let (mut diagnostics, entries) = match result {
        Ok(report) => (report.warnings, Some(report.entries)),
        Err(Error::Invalid(found)) => (found, None),
        Err(e) => {
            let mut d = Diagnostic::error("", e.to_string());
            d.help = e.help();
            (vec![d], None)
        }
    };
    if strict {
        diagnostics.iter_mut().for_each(Diagnostic::make_error);
    }
    let tally = Tally::of(&diagnostics);
    let list: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": d.severity,
                "path": dateline::diagnostic::display_path(&d.path),
                "line": d.span.map(|s| s.line),
                "column": d.span.map(|s| s.column),
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "diagnostics": list,
        "errors": tally.errors,
        "warnings": tally.warnings,
        "entries": entries,
    });
    say(&doc.to_string());
    if tally.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn fail(error: &Error) -> ExitCode {
    print_error(error);
    if error.is_usage() {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

/// An error with its diagnostics and its fix, on stderr.
fn print_error(error: &Error) {
    if let Error::Invalid(diagnostics) = error {
        print_diagnostics(diagnostics);
    }
    let mut text = format!("error: {error}");
    if let Some(help) = error.help() {
        text.push_str(&format!("\n  = help: {help}"));
    }
    eprintln!("{text}");
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let color = use_color();
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{}\n", d.render(color));
    }
}

fn print_timing(stage: &str, time: Duration) {
    eprintln!("{stage:>18}: {:>8.1} ms", time.as_secs_f64() * 1000.0);
}

/// Opens `url` with the desktop's opener. A machine without one (no display,
/// no opener) gets a note and keeps the printed address; the opener is waited
/// for on its own thread, so it never lingers as a zombie.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let note =
        format!("note: no browser could be opened (`{opener}` failed); open {url} in a browser");
    match started {
        Ok(mut child) => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|status| status.success()) {
                    eprintln!("{note}");
                }
            });
        }
        Err(_) => eprintln!("{note}"),
    }
}

/// Most warnings `build` and `serve` print; `check` lists them all.
const WARNINGS_SHOWN: usize = 20;

/// Prints warnings, at most [`WARNINGS_SHOWN`], so a site with thousands of
/// them still shows its summary line on screen.
fn print_warnings_capped(warnings: &[Diagnostic]) {
    print_diagnostics(&warnings[..warnings.len().min(WARNINGS_SHOWN)]);
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!(
            "… and {} more warnings; `dateline check` lists them all\n",
            warnings.len() - WARNINGS_SHOWN
        );
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (no-color.org).
fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A progress line on stderr, drawn only for runs long enough to notice.
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new() -> Arc<Bar> {
        let bar = indicatif::ProgressBar::with_draw_target(
            None,
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        Arc::new(Bar(bar))
    }
}

impl Progress for Bar {
    fn start(&self, stage: &'static str, total: u64) {
        self.0.set_position(0);
        self.0.set_length(total);
        let template = if total > 0 {
            "{msg:>9} {bar:30} {pos}/{len}"
        } else {
            "{msg:>9} {pos} files"
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            self.0.set_style(style);
        }
        self.0.set_message(stage);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

/// Prints the summary line; a closed stdout (`| head`) is not an error.
fn say(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// ", 2 held back until 2030-01-01 09:00 UTC" when entries wait for their
/// `published` time.
fn held_back_note(held: dateline::HeldBack) -> String {
    match held.first {
        Some(first) if held.count > 0 => format!(
            " ({} held back; the first is published {}; `--future` shows them)",
            held.count,
            first.format("%Y-%m-%d %H:%M UTC")
        ),
        _ => String::new(),
    }
}

fn warning_note(diagnostics: &[Diagnostic]) -> String {
    match Tally::of(diagnostics).warnings {
        0 => String::new(),
        n => format!(", {}", plural(n, "warning", "warnings")),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn elapsed(time: Duration) -> String {
    let ms = time.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}
