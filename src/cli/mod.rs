//! The command line (clap derive): one file per command, each with its own `*Args`.
//! Exit codes: 0 success, 1 the site has errors, 2 the command line itself is wrong.

mod build;
mod check;
mod dump_model;
mod explain;
mod export;
mod init;
mod new;
mod report;
mod scaffold;
mod serve;

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
    /// Check the site: every stage of a build except writing; for CI.
    Check(check::CheckArgs),
    /// Scaffold a new site that builds and passes `check`.
    Init(init::InitArgs),
    /// Add a plan, runbook or audit page from a template.
    New(new::NewArgs),
    /// Print the typed model of the site as JSON (for debugging and acceptance checks).
    DumpModel(dump_model::DumpModelArgs),
    /// Serve the site on 127.0.0.1, rebuilding in memory and reloading pages on every change.
    Serve(serve::ServeArgs),
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
        Command::Serve(args) => serve::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Init(args) => init::run(&args),
        Command::New(args) => new::run(&args),
        Command::Export(args) => export::run(&args),
    }
}
