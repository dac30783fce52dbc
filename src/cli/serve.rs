//! `opsbook serve`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::report;
use crate::serve::{self, BuildReport, ServeOptions, ServeReporter};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site root: the folder that holds `content/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
}

/// How often the sources are polled; a change is served about twice this later.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

pub fn run(args: &ServeArgs) -> ExitCode {
    let options = ServeOptions {
        root: args.root.clone(),
        port: args.port,
        poll_interval: POLL_INTERVAL,
    };
    match serve::serve(&options, TerminalReporter) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {error}", args.port);
            eprintln!("  = help: pick another port with `--port`");
            ExitCode::from(1)
        }
    }
}

/// Prints serve's progress on stderr.
struct TerminalReporter;

impl ServeReporter for TerminalReporter {
    fn listening(&mut self, address: SocketAddr) {
        eprintln!("serving the site at http://{address}/ (Ctrl-C to stop)");
    }

    fn built(&mut self, build: &BuildReport) {
        report::print_diagnostics(build.diagnostics, build.sources);
        let what = if build.first { "built" } else { "rebuilt" };
        let millis = build.elapsed.as_millis();
        match build.files {
            Some(files) => eprintln!(
                "{what} {files} files in memory in {millis} ms ({} pages rendered, {} unchanged){}",
                build.pages.made,
                build.pages.reused,
                report::summary_suffix(build.diagnostics)
            ),
            None => eprintln!(
                "{what}: failed ({}); still serving the last good site",
                report::counts(build.diagnostics)
            ),
        }
    }
}
