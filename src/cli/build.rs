//! `opsbook build`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report;
use crate::diagnostics::display_path;
use crate::model::audit::Severity;
use crate::pipeline::{self, BuildOptions};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site root: the folder that holds `content/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The output folder [default: <root>/public].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Fail (exit 1, nothing written) when an unsuppressed audit finding at or above this
    /// severity exists: critical, high, medium, low or info.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
}

pub fn run(args: &BuildArgs) -> ExitCode {
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    let outcome = pipeline::build(&BuildOptions {
        root: args.root.clone(),
        out: out.clone(),
        fail_on: args.fail_on,
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
