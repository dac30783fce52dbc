//! `opsbook build`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report;
use crate::diagnostics::display_path;
use crate::pipeline::{self, BuildOptions};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site root: the folder that holds `content/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The output folder [default: <root>/public].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print each plan task and epic with the tracker issue it was matched to, how and
    /// with what score.
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: &BuildArgs) -> ExitCode {
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    let outcome = pipeline::build(&BuildOptions {
        root: args.root.clone(),
        out: out.clone(),
    });
    report::print_diagnostics(&outcome.diagnostics, &outcome.sources);
    if args.explain {
        print!("{}", super::explain::explain_status(&outcome.status));
    }
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
