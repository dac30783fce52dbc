//! `opsbook build`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report;
use crate::diagnostics::display_path;
use crate::pipeline::{self, BuildOptions};
use crate::render::views::{Paper, RunbookOptions};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site root: the folder that holds `content/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The output folder [default: <root>/public].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Paper size of the runbook PDFs.
    #[arg(long, value_enum, default_value = "a4")]
    pub paper: PaperArg,
    /// Days between runbook reviews when a runbook names no interval of its own.
    #[arg(long, default_value_t = 90)]
    pub review_days: u32,
}

/// `--paper` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

pub fn run(args: &BuildArgs) -> ExitCode {
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    let outcome = pipeline::build(&BuildOptions {
        root: args.root.clone(),
        out: out.clone(),
        runbooks: RunbookOptions::from_environment(
            match args.paper {
                PaperArg::A4 => Paper::A4,
                PaperArg::Letter => Paper::Letter,
            },
            args.review_days,
        ),
    });
    report::print_diagnostics(&outcome.diagnostics, &outcome.sources);
    if outcome.succeeded() {
        eprintln!(
            "built {} files into {}/{}",
            outcome.files_written,
            display_path(&out),
            report::summary_suffix(&outcome.diagnostics)
        );
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
