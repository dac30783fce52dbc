//! The staging folder and the final swap.
//!
//! A build writes into a staging folder beside the target and swaps it in, so readers
//! never see half a site and a failed build leaves the previous output as it was. The
//! output it replaces is not deleted: it becomes the next build's staging folder and that
//! build writes over its files. Creating and deleting every file of the site on each build
//! was most of a build's time on ext4 (`perf` on a 1,000-page site: half of all CPU in
//! `__ext4_new_inode`, scanning for inodes that were not recently deleted); writing over
//! an existing file reuses its inode.
//!
//! The swap is one `renameat2(RENAME_EXCHANGE)` on Linux: the target and the staging
//! folder trade places atomically, so a build killed at any moment leaves a complete
//! output (the old one or the new one). Where the call is unsupported (another system, a
//! file system without it) the swap is two renames, `target` -> `.<name>.opsbook-previous`
//! and staging -> `target`; a build killed between them leaves no target, and the next
//! build puts the previous output back before it does anything else. The whole of it runs
//! under the output lock (`lock`), so two builds never share a staging folder.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use walkdir::WalkDir;

use super::lock::OutputLock;
use crate::diagnostics::{codes, display_path, Diagnostic};

/// Written into the kept folder: tells a person what it is, and keeps git from listing it.
const SPARE_NOTE: &str = ".gitignore";
const SPARE_NOTE_TEXT: &str =
    "# opsbook keeps the output it replaced here and writes the next build over it\n\
# (faster than creating every file anew). Safe to delete; never published.\n*\n";

/// How a build waits for another one that is writing the same output.
#[derive(Clone, Copy)]
pub struct LockWait<'a> {
    /// Give up after this long (`--lock-timeout`); `None` waits as long as it takes.
    pub timeout: Option<Duration>,
    /// Told, once, that the build is waiting.
    pub on_wait: &'a dyn Fn(&str),
}

/// A folder that collects the new site until `commit` swaps it in for the target.
/// Dropping it uncommitted leaves the target as it was.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// What an earlier build left in the folder: each file is written over, or removed
    /// by `commit`.
    earlier: Earlier,
    /// Files written by this build, relative to the folder.
    written: Mutex<HashSet<PathBuf>>,
    committed: bool,
    /// What taking the folder found and put right (an interrupted swap), to report.
    /// Boxed: a staging folder is moved around whole and this is rarely there.
    repaired: Option<Box<Diagnostic>>,
    /// Held until the staging folder is swapped in or given up; declared last so it is
    /// released after everything else is done.
    _lock: OutputLock,
}

impl Staging {
    /// Locks the output (waiting as `wait` says), repairs a swap an earlier build left
    /// half done, and takes the staging folder beside `target`, creating it when there is
    /// none. A folder left by an earlier build is reused; anything in it that cannot
    /// safely be written over (links, files with other hard links, special files) is
    /// removed first.
    pub fn create(target: &Path, wait: LockWait) -> Result<Staging, Diagnostic> {
        let lock = OutputLock::acquire(target, wait.timeout, wait.on_wait)?;
        let dir = sibling(target, "staging");
        let repaired = recover_interrupted_swap(target, &dir)?;
        let earlier = match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => reusable_files(&dir).map_err(|e| write_error(&dir, &e))?,
            Ok(_) => {
                fs::remove_file(&dir).map_err(|e| write_error(&dir, &e))?;
                Earlier::default()
            }
            Err(_) => Earlier::default(),
        };
        fs::create_dir_all(&dir).map_err(|e| write_error(&dir, &e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            earlier,
            written: Mutex::new(HashSet::new()),
            committed: false,
            repaired: repaired.map(Box::new),
            _lock: lock,
        })
    }

    /// The warning about a half-done swap this build found and repaired, once.
    pub fn take_repair_warning(&mut self) -> Option<Diagnostic> {
        self.repaired.take().map(|warning| *warning)
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
        if fs::symlink_metadata(&self.target).is_err() {
            // Nothing to replace: one rename, atomic on its own.
            fs::rename(&self.dir, &self.target).map_err(|e| write_error(&self.target, &e))?;
            self.committed = true;
            return Ok(());
        }
        match exchange(&self.dir, &self.target) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::Unsupported => {
                swap_by_renames(&self.dir, &self.target)?;
            }
            Err(error) => return Err(write_error(&self.target, &error)),
        }
        self.committed = true;
        keep_replaced(&self.dir)
    }

    /// Deletes the earlier build's files this build did not write, and the folders that
    /// leaves empty (or that were empty already).
    fn remove_stale(&mut self) -> io::Result<()> {
        let written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(PoisonError::into_inner));
        // Folders an earlier, interrupted removal emptied are tried like the ones this
        // one empties.
        let mut emptied: BTreeSet<&Path> = self
            .earlier
            .empty_folders
            .iter()
            .map(PathBuf::as_path)
            .collect();
        for relative in self.earlier.files.iter().filter(|p| !written.contains(*p)) {
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

/// Trades the places of `a` and `b` (both exist) in one step: `renameat2` with
/// `RENAME_EXCHANGE`. `Unsupported` when the system or the file system lacks it.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // ENOSYS: a kernel before 3.15; EINVAL: a file system without the flag.
        Err(Errno::NOSYS | Errno::INVAL | Errno::OPNOTSUPP) => {
            Err(io::ErrorKind::Unsupported.into())
        }
        Err(errno) => Err(errno.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The swap where the exchange is unsupported: `target` -> `previous`, `staging` ->
/// `target`, `previous` -> `staging`. Killed between the first two, it leaves no target;
/// `recover_interrupted_swap` puts the previous output back on the next build.
fn swap_by_renames(staging: &Path, target: &Path) -> Result<(), Diagnostic> {
    let previous = sibling(target, "previous");
    fs::rename(target, &previous).map_err(|e| write_error(target, &e))?;
    if let Err(error) = fs::rename(staging, target) {
        // Put the old site back so the target is never left empty.
        let _ = fs::rename(&previous, target);
        return Err(write_error(target, &error));
    }
    if fs::rename(&previous, staging).is_err() {
        remove_any(&previous).map_err(|e| write_error(&previous, &e))?;
    }
    Ok(())
}

/// After the swap the replaced output sits at the staging path. Only a real folder is
/// kept: an output that was a symbolic link leads to someone else's folder, which the
/// next build must never write into, so the link itself goes (never what it points at).
fn keep_replaced(staging: &Path) -> Result<(), Diagnostic> {
    match fs::symlink_metadata(staging) {
        Ok(meta) if meta.is_dir() => {
            mark_spare(staging);
            Ok(())
        }
        Ok(_) => fs::remove_file(staging).map_err(|e| write_error(staging, &e)),
        Err(_) => Ok(()),
    }
}

/// Removes a folder with what it holds, or a file or link (never what a link points at).
fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(_) => Ok(()),
    }
}

/// Puts right what a build killed in the middle of `swap_by_renames` left. Without a
/// target, the previous output is complete under `previous`: it goes back (a warning
/// says so). With a target, `previous` is the replaced output the last rename did not
/// move: it becomes the staging folder when there is none, else it goes.
fn recover_interrupted_swap(
    target: &Path,
    staging: &Path,
) -> Result<Option<Diagnostic>, Diagnostic> {
    let previous = sibling(target, "previous");
    let Ok(kept) = fs::symlink_metadata(&previous) else {
        return Ok(None);
    };
    if fs::symlink_metadata(target).is_err() {
        fs::rename(&previous, target).map_err(|e| write_error(target, &e))?;
        return Ok(Some(
            Diagnostic::warning(
                codes::SWAP_REPAIRED,
                format!(
                    "an earlier build was stopped while swapping in `{}` and left it missing; the output it replaced was put back",
                    display_path(target)
                ),
            )
            .with_help("nothing to do: this build replaces it as usual"),
        ));
    }
    let reusable = kept.is_dir() && fs::symlink_metadata(staging).is_err();
    if !(reusable && fs::rename(&previous, staging).is_ok()) {
        remove_any(&previous).map_err(|e| write_error(&previous, &e))?;
    }
    Ok(None)
}

/// What an earlier build left in the staging folder, relative to it.
#[derive(Debug, Default)]
struct Earlier {
    /// The regular files, each written over or removed by `commit`.
    files: Vec<PathBuf>,
    /// Folders that hold nothing: a build killed while removing stale files leaves them
    /// (their files gone, the folders not yet), and `commit` removes them unless this
    /// build writes into them.
    empty_folders: Vec<PathBuf>,
}

/// The regular files under `dir` that may be written over, and its empty folders.
/// Everything else that is not a folder is removed: a symbolic link would send a write
/// elsewhere, and writing over a file with a second hard link would change that other copy
/// too.
fn reusable_files(dir: &Path) -> io::Result<Earlier> {
    let mut earlier = Earlier::default();
    let mut folders = Vec::new();
    let mut holding = HashSet::new();
    for entry in WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            folders.push(relative.to_path_buf());
        } else if entry.file_type().is_file()
            && single_link(&entry.metadata().map_err(io::Error::other)?)
        {
            earlier.files.push(relative.to_path_buf());
        } else {
            fs::remove_file(entry.path())?;
            continue;
        }
        holding.extend(relative.parent().map(Path::to_path_buf));
    }
    earlier.empty_folders = folders
        .into_iter()
        .filter(|folder| !holding.contains(folder))
        .collect();
    Ok(earlier)
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
pub(super) fn sibling(target: &Path, what: &str) -> PathBuf {
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

    fn silent(_: &str) {}

    /// Tests never wait: a lock that is taken is a failure at once.
    const NO_WAIT: LockWait<'static> = LockWait {
        timeout: Some(Duration::ZERO),
        on_wait: &silent,
    };

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn build(target: &Path, files: &[(&str, &str)]) {
        let staging = Staging::create(target, NO_WAIT).unwrap();
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
        // The replaced output is kept, marked, for the next build to write over; the lock
        // file stays (see `lock`).
        assert_eq!(
            names(dir.path()),
            [".public.opsbook-lock", ".public.opsbook-staging", "public"]
        );
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

    /// A build killed while removing the stale files of its staging folder leaves folders
    /// it emptied; the next build removes them (or writes into them).
    #[test]
    fn folders_left_empty_by_an_interrupted_build_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        build(&target, &[("index.html", "one")]);
        let spare = dir.path().join(".public.opsbook-staging");
        fs::create_dir_all(spare.join("gone/deep")).unwrap();
        fs::create_dir_all(spare.join("gone/also")).unwrap();
        fs::create_dir_all(spare.join("kept")).unwrap();
        build(
            &target,
            &[("index.html", "two"), ("kept/index.html", "two")],
        );
        assert_eq!(names(&target), ["index.html", "kept"]);
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
            let staging = Staging::create(&target, NO_WAIT).unwrap();
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
        let mut staging = Staging::create(&target, NO_WAIT).unwrap();
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"old site");
        assert!(!previous.exists());
        let warning = staging.take_repair_warning().unwrap();
        assert_eq!(warning.code, codes::SWAP_REPAIRED);
        assert_eq!(warning.severity, crate::diagnostics::Severity::Warning);
        assert!(staging.take_repair_warning().is_none());
    }

    /// Every state `swap_by_renames` can be killed in, as the next build finds it: the
    /// target is complete afterwards, the old site or the new, and nothing is left over.
    #[test]
    fn the_next_build_repairs_a_swap_by_renames_killed_at_any_step() {
        type State = (&'static [(&'static str, &'static str)], &'static str);
        let states: [State; 4] = [
            // Folder and its site before the first rename, after it, after the second,
            // after the third; then what the target must hold.
            (&[("public", "old"), ("staging", "new")], "old"),
            (&[("previous", "old"), ("staging", "new")], "old"),
            (&[("previous", "old"), ("public", "new")], "new"),
            (&[("public", "new"), ("staging", "old")], "new"),
        ];
        for (step, (folders, expected)) in states.into_iter().enumerate() {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("public");
            for (folder, site) in folders {
                let path = match *folder {
                    "public" => target.clone(),
                    other => dir.path().join(format!(".public.opsbook-{other}")),
                };
                fs::create_dir_all(&path).unwrap();
                fs::write(path.join("index.html"), site).unwrap();
            }
            let staging = Staging::create(&target, NO_WAIT).unwrap();
            assert_eq!(
                fs::read_to_string(target.join("index.html")).unwrap(),
                expected,
                "killed after step {step}"
            );
            assert!(!dir.path().join(".public.opsbook-previous").exists());
            drop(staging);
            build(&target, &[("index.html", "next")]);
            assert_eq!(names(&target), ["index.html"], "after step {step}");
            assert_eq!(fs::read(target.join("index.html")).unwrap(), b"next");
        }
    }

    #[test]
    fn the_two_rename_swap_gives_what_the_exchange_gives() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let staging = dir.path().join(".public.opsbook-staging");
        for (path, text) in [(&target, "old"), (&staging, "new")] {
            fs::create_dir_all(path).unwrap();
            fs::write(path.join("index.html"), text).unwrap();
        }
        swap_by_renames(&staging, &target).unwrap();
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"new");
        assert_eq!(fs::read(staging.join("index.html")).unwrap(), b"old");
        assert_eq!(names(dir.path()), [".public.opsbook-staging", "public"]);
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn the_swap_is_one_exchange_that_never_moves_the_target_aside() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let staging = dir.path().join(".public.opsbook-staging");
        for (path, text) in [(&target, "old"), (&staging, "new")] {
            fs::create_dir_all(path).unwrap();
            fs::write(path.join("index.html"), text).unwrap();
        }
        exchange(&staging, &target).unwrap();
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"new");
        assert_eq!(fs::read(staging.join("index.html")).unwrap(), b"old");
        assert!(!dir.path().join(".public.opsbook-previous").exists());
    }

    #[test]
    fn a_second_build_cannot_take_the_output_while_the_first_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = Staging::create(&target, NO_WAIT).unwrap();
        first.write(Path::new("index.html"), b"first").unwrap();
        let refused = Staging::create(&target, NO_WAIT).unwrap_err();
        assert_eq!(refused.code, codes::OUTPUT_LOCKED);
        first.commit().unwrap();
        build(&target, &[("index.html", "second")]);
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"second");
    }

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public"), NO_WAIT).unwrap();
        assert!(staging.write(Path::new("../escape.html"), b"x").is_err());
        assert!(staging.write(Path::new("/abs.html"), b"x").is_err());
        assert!(!dir.path().join("escape.html").exists());
    }
}
