//! `opsbook init [DIR]`: scaffolds a working site (configuration, home page, a plan, a
//! runbook and an audit) that builds cleanly and passes `check`. Refuses to write into a
//! folder that already holds a site, and never overwrites a file.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::scaffold::site_files;
use crate::diagnostics::display_path;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in (created when missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The site's title.
    #[arg(long, default_value = "Operations handbook")]
    pub title: String,
}

pub fn run(args: &InitArgs) -> ExitCode {
    let files = site_files(&args.title);
    let existing: Vec<String> = files
        .iter()
        .map(|(path, _)| args.dir.join(path))
        .chain([args.dir.join("content")])
        .filter(|path| path.exists())
        .map(|path| display_path(&path))
        .collect();
    if !existing.is_empty() {
        eprintln!(
            "error: `{}` already holds a site ({} exists); nothing was written\n  = help: choose an empty folder, e.g. `opsbook init handbook`",
            display_path(&args.dir),
            existing[0]
        );
        return ExitCode::from(1);
    }
    for (relative, text) in &files {
        let path = args.dir.join(relative);
        let written = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&path, text));
        if let Err(error) = written {
            eprintln!("error: cannot write `{}`: {error}", display_path(&path));
            return ExitCode::from(1);
        }
        eprintln!("created {}", display_path(&path));
    }
    eprintln!(
        "site ready: `opsbook build --root {0}` writes {0}/public/",
        display_path(&args.dir)
    );
    ExitCode::SUCCESS
}
