//! `opsbook new plan|runbook|audit NAME`: adds a page from a template to the folder of its
//! kind (`content/plans/`, `content/runbooks/`, `content/audits/`). Never overwrites.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::scaffold::NewPage;
use crate::config::find_site_root;
use crate::diagnostics::display_path;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The kind of page.
    #[arg(value_enum)]
    pub kind: NewPage,
    /// The page's title; its file name is made from it (`"Disk full"` -> `disk-full.md`).
    pub name: String,
    /// The site root, or any folder inside the site.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &NewArgs) -> ExitCode {
    let Some(relative) = args.kind.path(&args.name) else {
        eprintln!(
            "error: `{}` has no letters or digits to make a file name from",
            args.name
        );
        return ExitCode::from(2);
    };
    let path = find_site_root(&args.root).join(relative);
    if let Some(parent) = path.parent() {
        if let Err(error) = fs::create_dir_all(parent) {
            eprintln!("error: cannot create `{}`: {error}", display_path(parent));
            return ExitCode::from(1);
        }
    }
    // `create_new` refuses atomically when the file exists.
    let created = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| file.write_all(args.kind.text(&args.name).as_bytes()));
    match created {
        Ok(()) => {
            eprintln!("created {}", display_path(&path));
            ExitCode::SUCCESS
        }
        Err(error) if error.kind() == ErrorKind::AlreadyExists => {
            eprintln!(
                "error: `{}` already exists; nothing was written\n  = help: choose another name, or edit the existing page",
                display_path(&path)
            );
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("error: cannot write `{}`: {error}", display_path(&path));
            ExitCode::from(1)
        }
    }
}
