//! `opsbook dump-model`: the typed model as JSON on stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report;
use crate::pipeline;

#[derive(Debug, Args)]
pub struct DumpModelArgs {
    /// The site root: the folder that holds `content/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &DumpModelArgs) -> ExitCode {
    let loaded = pipeline::load(&crate::config::find_site_root(&args.root));
    report::print_diagnostics(&loaded.diagnostics, &loaded.sources);
    match serde_json::to_string_pretty(&loaded.project) {
        Ok(json) => println!("{json}"),
        Err(error) => {
            eprintln!("error: cannot serialise the model: {error}");
            return ExitCode::from(1);
        }
    }
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
