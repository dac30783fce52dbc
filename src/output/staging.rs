//! The staging folder and the final swap.
//!
//! A build writes into a staging folder beside the target and swaps it in by renaming,
//! so readers never see half a site and a failed build leaves the previous output as it
//! was. The output it replaces is not deleted: it becomes the next build's staging folder
//! and that build writes over its files. Creating and deleting every file of the site on
//! each build was most of a build's time on ext4 (`perf` on a 1,000-page site: half of all
//! CPU in `__ext4_new_inode`, scanning for inodes that were not recently deleted);
//! writing over an existing file reuses its inode.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use walkdir::WalkDir;

use crate::diagnostics::{codes, display_path, Diagnostic};

/// Written into the kept folder: tells a person what it is, and keeps git from listing it.
const SPARE_NOTE: &str = ".gitignore";
const SPARE_NOTE_TEXT: &str =
    "# opsbook keeps the output it replaced here and writes the next build over it\n\
# (faster than creating every file anew). Safe to delete; never published.\n*\n";

/// A folder that collects the new site until `commit` swaps it in for the target.
/// Dropping it uncommitted leaves the target as it was.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Files of an earlier build found in the folder: each is written over, or removed
    /// by `commit`. Paths relative to the folder.
    earlier: Vec<PathBuf>,
    /// Files written by this build, relative to the folder.
    written: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Takes the staging folder beside `target`, creating it when there is none. A folder
    /// left by an earlier build is reused; anything in it that cannot safely be written
    /// over (links, files with other hard links, special files) is removed first.
    pub fn create(target: &Path) -> Result<Staging, Diagnostic> {
        let dir = sibling(target, "staging");
        recover_interrupted_swap(target)?;
        let earlier = match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => reusable_files(&dir).map_err(|e| write_error(&dir, &e))?,
            Ok(_) => {
                fs::remove_file(&dir).map_err(|e| write_error(&dir, &e))?;
                Vec::new()
            }
            Err(_) => Vec::new(),
        };
        fs::create_dir_all(&dir).map_err(|e| write_error(&dir, &e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            earlier,
            written: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Writes one file at `relative` (a path inside the site, never absolute or `..`).
    /// Safe to call from several threads at once.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        super::ensure_inside_output(relative)?;
        let path = self.dir.join(relative);
        if write_file(&path, bytes).is_err() {
            // An earlier build may have a file where this one needs a folder, or the
            // other way round.
            clear_way(&self.dir, relative);
            write_file(&path, bytes).map_err(|(at, e)| write_error(&at, &e))?;
        }
        self.written
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(relative.to_path_buf());
        Ok(())
    }

    /// Removes what an earlier build left and this one did not write, then swaps the
    /// staging folder in for the target. The old output becomes the staging folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.remove_stale()
            .map_err(|e| write_error(&self.dir, &e))?;
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
            // Only a real folder is kept: an output that was a symbolic link leads to
            // someone else's folder, which the next build must never write into.
            let real_folder = fs::symlink_metadata(&previous).is_ok_and(|m| m.is_dir());
            if real_folder && fs::rename(&previous, &self.dir).is_ok() {
                mark_spare(&self.dir);
            } else {
                // Removes a link itself, never what it points at.
                fs::remove_dir_all(&previous).map_err(|e| write_error(&previous, &e))?;
            }
        }
        Ok(())
    }

    /// Deletes the earlier build's files this build did not write, and the folders that
    /// leaves empty.
    fn remove_stale(&mut self) -> io::Result<()> {
        let written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(PoisonError::into_inner));
        let mut emptied = BTreeSet::new();
        for relative in self.earlier.iter().filter(|p| !written.contains(*p)) {
            match fs::remove_file(self.dir.join(relative)) {
                Ok(()) => emptied.extend(relative.parent()),
                // A file this build wrote took its place, as a folder or inside one.
                Err(e) if replaced(&e) => {}
                Err(e) => return Err(e),
            }
        }
        // Deepest first, so a folder is tried after the folders inside it.
        let mut emptied: Vec<&Path> = emptied.into_iter().collect();
        emptied.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
        for folder in emptied {
            for ancestor in folder.ancestors().filter(|a| !a.as_os_str().is_empty()) {
                // Fails, as it should, for a folder that still holds something.
                if fs::remove_dir(self.dir.join(ancestor)).is_err() {
                    break;
                }
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            mark_spare(&self.dir);
        }
    }
}

/// True when removing an earlier build's file failed because this build put something
/// else at its path.
fn replaced(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::IsADirectory
    )
}

/// A swap interrupted between its two renames leaves the old output under `previous` and
/// no target: put it back. Otherwise `previous` is a leftover and goes.
fn recover_interrupted_swap(target: &Path) -> Result<(), Diagnostic> {
    let previous = sibling(target, "previous");
    if !previous.exists() {
        return Ok(());
    }
    if target.exists() {
        fs::remove_dir_all(&previous).map_err(|e| write_error(&previous, &e))
    } else {
        fs::rename(&previous, target).map_err(|e| write_error(target, &e))
    }
}

/// The regular files under `dir` that may be written over, relative to `dir`. Everything
/// else that is not a folder is removed: a symbolic link would send a write elsewhere, and
/// writing over a file with a second hard link would change that other copy too.
fn reusable_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
        if entry.file_type().is_file() && single_link(&entry.metadata().map_err(io::Error::other)?)
        {
            files.push(relative.to_path_buf());
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(files)
}

#[cfg(unix)]
fn single_link(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() == 1
}

/// Without a link count, no file is assumed to be safe to write over.
#[cfg(not(unix))]
fn single_link(_meta: &fs::Metadata) -> bool {
    false
}

/// Creates the folders of `path` and writes it; the error names the path that failed.
///
/// An existing file is written over and then cut to length, not emptied first: ext4
/// flushes a file emptied by truncation when it is closed, and frees and reallocates
/// its blocks (`perf`: 10% of a 10,000-page build in `ext4_truncate` and writeback).
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), (PathBuf, io::Error)> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| (parent.to_path_buf(), e))?;
    }
    let write = || {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        file.write_all(bytes)?;
        file.set_len(bytes.len() as u64)
    };
    write().map_err(|e| (path.to_path_buf(), e))
}

/// Removes what stands in the way of writing `relative` under `root`: a file where a
/// folder of its path must be, or a folder where the file must be.
fn clear_way(root: &Path, relative: &Path) {
    let mut at = root.to_path_buf();
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        at.push(component);
        let Ok(meta) = fs::symlink_metadata(&at) else {
            return;
        };
        let last = components.peek().is_none();
        if last && meta.is_dir() {
            let _ = fs::remove_dir_all(&at);
        } else if !last && !meta.is_dir() {
            let _ = fs::remove_file(&at);
            return;
        }
    }
}

fn mark_spare(dir: &Path) {
    let _ = fs::write(dir.join(SPARE_NOTE), SPARE_NOTE_TEXT);
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

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn build(target: &Path, files: &[(&str, &str)]) {
        let staging = Staging::create(target).unwrap();
        for (path, text) in files {
            staging.write(Path::new(path), text.as_bytes()).unwrap();
        }
        staging.commit().unwrap();
    }

    #[test]
    fn commit_replaces_the_previous_output_entirely() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(target.join("old")).unwrap();
        fs::write(target.join("old/stale.html"), "stale").unwrap();
        build(&target, &[("a/index.html", "new")]);
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"new");
        assert_eq!(names(&target), ["a"]);
        // The replaced output is kept, marked, for the next build to write over.
        assert_eq!(names(dir.path()), [".public.opsbook-staging", "public"]);
        let spare = dir.path().join(".public.opsbook-staging");
        assert_eq!(names(&spare), [".gitignore", "old"]);
    }

    #[test]
    fn later_builds_write_over_kept_files_and_drop_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        build(
            &target,
            &[("index.html", "one"), ("gone/deep/x.html", "one")],
        );
        let long = "two, and longer than what is written over it later";
        build(
            &target,
            &[("index.html", long), ("gone/deep/x.html", "two")],
        );
        build(
            &target,
            &[("index.html", "three"), ("kept/y.html", "three")],
        );
        assert_eq!(names(&target), ["index.html", "kept"]);
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"three");
        assert_eq!(fs::read(target.join("kept/y.html")).unwrap(), b"three");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Build four writes over build two's files (the output build three replaced).
            let spare = dir.path().join(".public.opsbook-staging");
            let inode = fs::metadata(spare.join("index.html")).unwrap().ino();
            build(&target, &[("index.html", "four")]);
            assert_eq!(
                fs::metadata(target.join("index.html")).unwrap().ino(),
                inode
            );
            assert_eq!(fs::read(target.join("index.html")).unwrap(), b"four");
            assert_eq!(names(&target), ["index.html"]);
        }
    }

    #[test]
    fn a_file_and_a_folder_may_trade_places_between_builds() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        build(&target, &[("a", "file"), ("b/index.html", "in folder")]);
        build(&target, &[("c", "x")]);
        build(&target, &[("a/index.html", "in folder"), ("b", "file")]);
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"in folder");
        assert_eq!(fs::read(target.join("b")).unwrap(), b"file");
        assert_eq!(names(&target), ["a", "b"]);
    }

    #[cfg(unix)]
    #[test]
    fn kept_files_with_other_links_are_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        build(&target, &[("index.html", "one"), ("page.html", "one")]);
        build(&target, &[("index.html", "two"), ("page.html", "two")]);
        // Someone keeps a hard link to, and a symbolic link into, the kept output.
        let spare = dir.path().join(".public.opsbook-staging");
        let backup = dir.path().join("backup.html");
        fs::hard_link(spare.join("index.html"), &backup).unwrap();
        let outside = dir.path().join("outside.html");
        fs::write(&outside, "outside").unwrap();
        fs::remove_file(spare.join("page.html")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("page.html")).unwrap();
        build(&target, &[("index.html", "three"), ("page.html", "three")]);
        assert_eq!(fs::read(&backup).unwrap(), b"one");
        assert_eq!(fs::read(&outside).unwrap(), b"outside");
        assert_eq!(fs::read(target.join("page.html")).unwrap(), b"three");
        assert!(!fs::symlink_metadata(target.join("page.html"))
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_is_a_link_is_replaced_and_what_it_points_at_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("index.html"), "theirs").unwrap();
        let target = dir.path().join("public");
        std::os::unix::fs::symlink(&elsewhere, &target).unwrap();
        build(&target, &[("index.html", "one")]);
        build(&target, &[("index.html", "two")]);
        build(&target, &[("index.html", "three")]);
        assert_eq!(names(&elsewhere), ["index.html"]);
        assert_eq!(fs::read(elsewhere.join("index.html")).unwrap(), b"theirs");
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"three");
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
        assert_eq!(names(&target), ["index.html"]);
        let spare = dir.path().join(".public.opsbook-staging");
        assert!(fs::read_to_string(spare.join(".gitignore"))
            .unwrap()
            .ends_with("*\n"));
    }

    #[test]
    fn an_interrupted_swap_gets_its_output_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let previous = dir.path().join(".public.opsbook-previous");
        fs::create_dir_all(&previous).unwrap();
        fs::write(previous.join("index.html"), "old site").unwrap();
        let staging = Staging::create(&target).unwrap();
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"old site");
        assert!(!previous.exists());
        drop(staging);
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
