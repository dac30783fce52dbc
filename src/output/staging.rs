//! The staging folder and the final swap.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::{codes, display_path, Diagnostic};

/// A folder that collects the new site until `commit` swaps it in for the target.
/// Dropping it uncommitted deletes it.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder beside `target`. Leftovers of an earlier build that
    /// crashed are removed first.
    pub fn create(target: &Path) -> Result<Staging, Diagnostic> {
        let dir = sibling(target, "staging");
        remove_if_present(&dir).map_err(|e| write_error(&dir, &e))?;
        remove_if_present(&sibling(target, "previous")).map_err(|e| write_error(target, &e))?;
        fs::create_dir_all(&dir).map_err(|e| write_error(&dir, &e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
        })
    }

    /// Writes one file at `relative` (a path inside the site, never absolute or `..`).
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        super::ensure_inside_output(relative)?;
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
        }
        fs::write(&path, bytes).map_err(|e| write_error(&path, &e))
    }

    /// Swaps the staging folder in for the target: the old output is moved aside, the new
    /// one renamed into place, then the old one deleted.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let previous = sibling(&self.target, "previous");
        let had_previous = self.target.exists();
        if had_previous {
            fs::rename(&self.target, &previous).map_err(|e| write_error(&self.target, &e))?;
        }
        if let Err(error) = fs::rename(&self.dir, &self.target) {
            if had_previous {
                // Put the old site back so the target is never left empty.
                let _ = fs::rename(&previous, &self.target);
            }
            return Err(write_error(&self.target, &error));
        }
        self.committed = true;
        if had_previous {
            fs::remove_dir_all(&previous).map_err(|e| write_error(&previous, &e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `<parent>/.<name>.opsbook-<what>`: hidden, beside the target, on the same file system.
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    let parent = target.parent().unwrap_or(Path::new("."));
    parent.join(format!(".{name}.opsbook-{what}"))
}

fn remove_if_present(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn write_error(path: &Path, error: &io::Error) -> Diagnostic {
    Diagnostic::error(
        codes::WRITE,
        format!("cannot write `{}`: {error}", display_path(path)),
    )
    .with_help("check that the output folder's parent exists and is writable")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_the_previous_output_entirely() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(target.join("old")).unwrap();
        fs::write(target.join("old/stale.html"), "stale").unwrap();
        let staging = Staging::create(&target).unwrap();
        staging.write(Path::new("a/index.html"), b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"new");
        assert!(!target.join("old").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn dropping_without_commit_leaves_the_previous_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("index.html"), "previous").unwrap();
        {
            let staging = Staging::create(&target).unwrap();
            staging.write(Path::new("index.html"), b"half").unwrap();
        }
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"previous");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        assert!(staging.write(Path::new("../escape.html"), b"x").is_err());
        assert!(staging.write(Path::new("/abs.html"), b"x").is_err());
        assert!(!dir.path().join("escape.html").exists());
    }
}
