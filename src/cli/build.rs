//! `opsbook build`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::report::{self, Format, ReportOptions};
use crate::config::{find_site_root, Paper};
use crate::diagnostics::{self, display_path, Diagnostics};
use crate::model::audit::Severity;
use crate::pipeline::{self, BuildOptions, Mode};
use crate::render::sitemap::parse_base_url;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site root: the folder that holds `content/` (or any folder inside the site;
    /// the root is found by walking up to `opsbook.toml` or `content/`).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The output folder [default: <root>/public].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The build is for the public (a preview or a public deploy): secrets, logins and
    /// local paths found in what is published are errors, not warnings.
    #[arg(long)]
    pub public: bool,
    /// The absolute URL the site is published at, e.g. https://ops.example.com/; used only
    /// for canonical links and sitemap.xml (all other links stay page-relative).
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Fail (exit 1, nothing written) when an unsuppressed audit finding at or above this
    /// severity exists: critical, high, medium, low or info.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Print each plan task and epic with the tracker issue it was matched to, how and
    /// with what score.
    #[arg(long)]
    pub explain: bool,
    /// Paper size of the runbook PDFs.
    #[arg(long, value_enum, default_value = "a4")]
    pub paper: PaperArg,
    /// Days between runbook reviews when a runbook names no interval of its own
    /// [default: `[runbooks] review_interval_days` in opsbook.toml, else 90].
    #[arg(long)]
    pub review_days: Option<u32>,
    /// Leave out the runbook PDFs (they are made by default when opsbook is built with
    /// the `pdf` feature).
    #[arg(long)]
    pub no_pdf: bool,
    /// Fail (exit 1, previous output kept) on every error. Without it a runbook whose PDF
    /// cannot be made is an error that costs only that PDF: the site, the runbook's page
    /// included, is still published.
    #[arg(long)]
    pub strict: bool,
    /// Seconds to wait for another build writing the same output folder before failing
    /// (0: fail at once) [default: wait until it is done].
    #[arg(long, value_name = "SECS")]
    pub lock_timeout: Option<u64>,
}

/// `--paper` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

pub fn run(args: &BuildArgs) -> ExitCode {
    let root = find_site_root(&args.root);
    let out = args.out.clone().unwrap_or_else(|| root.join("public"));
    let options = BuildOptions {
        root: root.clone(),
        public: args.public,
        base_url: args.base_url.clone(),
        fail_on: args.fail_on,
        paper: match args.paper {
            PaperArg::A4 => Paper::A4,
            PaperArg::Letter => Paper::Letter,
        },
        review_days: args.review_days,
        no_pdf: args.no_pdf,
        serve_memory: None,
        strict: args.strict,
        lock_timeout: args.lock_timeout.map(Duration::from_secs),
    };
    let outcome = pipeline::run(&options, &Mode::Build { out: out.clone() });
    let options = ReportOptions::from_env(args.format, &root);
    report::report(&outcome.diagnostics, &outcome.sources, &options);
    if args.explain {
        print!("{}", super::explain::explain_status(&outcome.status));
    }
    if outcome.succeeded() {
        eprintln!(
            "built {} files into {}/{}",
            outcome.files_written,
            display_path(&out),
            published_suffix(&outcome.diagnostics)
        );
        let pdfs = outcome.pdfs;
        if pdfs.made + pdfs.reused > 0 {
            eprintln!(
                "runbook PDFs: {} made, {} reused from the cache",
                pdfs.made, pdfs.reused
            );
        }
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "build failed: {}; {} left untouched",
            report::counts(&outcome.diagnostics),
            display_path(&out)
        );
        ExitCode::from(1)
    }
}

/// After the success line: the warnings, or the errors that did not stop the build (the
/// runbook PDFs left out) and how to make them stop it.
fn published_suffix(diagnostics: &Diagnostics) -> String {
    let left_out: std::collections::BTreeSet<_> = diagnostics
        .iter()
        .filter(|d| d.severity == diagnostics::Severity::Error)
        .map(|d| &d.path)
        .collect();
    match left_out.len() {
        0 => report::summary_suffix(diagnostics),
        n => format!(
            " ({}): the PDF of {n} runbook{} was left out and its page says so; --strict fails the build instead",
            report::counts(diagnostics),
            if n == 1 { "" } else { "s" }
        ),
    }
}
