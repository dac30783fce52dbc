//! `opsbook check`: every stage of a build except writing, for CI. Prints every
//! diagnostic at once and exits 0 when clean, 1 when there are errors (or warnings with
//! `--deny-warnings`); clap gives 2 for a wrong command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report::{self, Format, ReportOptions};
use crate::config::find_site_root;
use crate::diagnostics::Severity;
use crate::pipeline::{self, BuildOptions, Mode};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site root, or any folder inside the site.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// How diagnostics are printed: `human` on stderr, or `json` (JSON Lines on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Judge publish safety as for a public deploy: secrets, logins and local paths in
    /// what would be published are errors.
    #[arg(long)]
    pub public: bool,
    /// Fail when an unsuppressed audit finding at or above this severity exists:
    /// critical, high, medium, low or info (default: `[audits] fail_on` in opsbook.toml).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<crate::model::audit::Severity>,
    /// Do not typeset the runbook PDFs: faster, but characters no PDF font covers are
    /// not reported.
    #[arg(long)]
    pub no_pdf: bool,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let root = find_site_root(&args.root);
    let options = BuildOptions {
        root: root.clone(),
        public: args.public,
        fail_on: args.fail_on,
        no_pdf: args.no_pdf,
        ..BuildOptions::default()
    };
    let outcome = pipeline::run(&options, &Mode::Check);
    let options = ReportOptions::from_env(args.format, &root);
    report::report(&outcome.diagnostics, &outcome.sources, &options);
    let has = |severity| outcome.diagnostics.iter().any(|d| d.severity == severity);
    let failed = has(Severity::Error) || (args.deny_warnings && has(Severity::Warning));
    let verdict = if failed {
        "check failed"
    } else {
        "check passed"
    };
    eprintln!(
        "{verdict}: {} in {} files",
        report::counts(&outcome.diagnostics),
        outcome.files_rendered
    );
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
