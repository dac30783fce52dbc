//! The command line (clap derive): one file per command, each with its own `*Args`.
//! Exit codes: 0 success, 1 the site has errors, 2 the command line itself is wrong.

mod build;
mod dump_model;
mod explain;
mod export;
mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// opsbook: DevOps plans, audit results and runbooks as one static site.
#[derive(Debug, Parser)]
#[command(name = "opsbook", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds).
    Build(build::BuildArgs),
    /// Print the typed model of the site as JSON (for debugging and acceptance checks).
    DumpModel(dump_model::DumpModelArgs),
    /// Write a plan in another tool's format (`export beads PLAN`).
    Export(export::ExportArgs),
}

/// Parses the process arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::DumpModel(args) => dump_model::run(&args),
        Command::Export(args) => export::run(&args),
    }
}
