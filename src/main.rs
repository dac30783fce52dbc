//! The `opsbook` binary: parse arguments, run, exit with the code the run gives.

use std::process::ExitCode;

fn main() -> ExitCode {
    opsbook::cli::run()
}
