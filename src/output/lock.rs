//! The output lock: one build at a time per output folder.
//!
//! Two builds into one `--out` at once shared one staging folder and raced over the swap:
//! both reported success and the old site stayed (issue 16). A build now holds an
//! exclusive `flock` on `.<name>.opsbook-lock` beside the output from before it touches the
//! staging folder until after the swap; a second build waits for it (saying so on stderr)
//! or, after `--lock-timeout`, fails with an error instead of publishing.
//!
//! The kernel releases an `flock` when its holder exits, however it exits, so a killed
//! build never leaves a stale lock behind; the file itself stays (deleting it would let a
//! third build lock a new file while the second still waits on the old one).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{codes, display_path, Diagnostic};

/// How often a waiting build tries the lock again.
const RETRY_EVERY: Duration = Duration::from_millis(50);

/// An exclusive lock on one output folder, held until dropped.
#[derive(Debug)]
pub struct OutputLock {
    /// Open for as long as the lock is held: closing it releases the lock.
    _file: File,
}

impl OutputLock {
    /// Locks the output folder `target`, waiting for another build that holds it: without
    /// a limit when `timeout` is `None`, else at most `timeout` (zero: not at all). The
    /// first time it has to wait, `on_wait` gets a line that says so.
    pub fn acquire(
        target: &Path,
        timeout: Option<Duration>,
        on_wait: &dyn Fn(&str),
    ) -> Result<OutputLock, Diagnostic> {
        let path = super::staging::sibling(target, "lock");
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| lock_error(&path, &e))?;
        }
        let file = open_lock_file(&path).map_err(|e| lock_error(&path, &e))?;
        let started = Instant::now();
        let mut told = false;
        loop {
            if try_lock(&file).map_err(|e| lock_error(&path, &e))? {
                record_holder(&file);
                return Ok(OutputLock { _file: file });
            }
            let waited = started.elapsed();
            if timeout.is_some_and(|limit| waited >= limit) {
                return Err(busy_error(target, &path, waited));
            }
            if !told {
                on_wait(&waiting_line(target, &path, timeout));
                told = true;
            }
            std::thread::sleep(RETRY_EVERY);
        }
    }
}

/// Opens (creating) the lock file without following a link at its path: the process id
/// is written into it, and that must never land in a file the link points at.
#[cfg(unix)]
fn open_lock_file(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open_lock_file(path: &Path) -> io::Result<File> {
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// Takes the lock if no one holds it; `false` when another process does.
#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<bool> {
    use rustix::fs::{flock, FlockOperation};
    loop {
        match flock(file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => return Ok(true),
            Err(rustix::io::Errno::WOULDBLOCK) => return Ok(false),
            Err(rustix::io::Errno::INTR) => continue,
            Err(errno) => return Err(errno.into()),
        }
    }
}

/// Other systems get no lock: opsbook is built and published from Linux and macOS, and
/// the standard library's file locks need a newer Rust than this crate's minimum.
#[cfg(not(unix))]
fn try_lock(_file: &File) -> io::Result<bool> {
    Ok(true)
}

/// Writes this process's id into the lock file, for the line a waiting build prints. Only
/// into a regular file with no other name: anything else is left as it is.
fn record_holder(mut file: &File) {
    let alone = file
        .metadata()
        .is_ok_and(|m| m.is_file() && single_link(&m));
    if alone && file.set_len(0).is_ok() {
        let _ = writeln!(file, "{}", std::process::id());
    }
}

#[cfg(unix)]
fn single_link(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() == 1
}

#[cfg(not(unix))]
fn single_link(_meta: &fs::Metadata) -> bool {
    true
}

/// ` (process 4242)` when the holder wrote its id into the lock file.
fn holder(lock: &Path) -> String {
    fs::read_to_string(lock)
        .ok()
        .and_then(|text| text.trim().parse::<u32>().ok())
        .map_or_else(String::new, |pid| format!(" (process {pid})"))
}

fn waiting_line(target: &Path, lock: &Path, timeout: Option<Duration>) -> String {
    let limit = match timeout {
        Some(limit) => format!("for up to {} s (--lock-timeout)", limit.as_secs()),
        None => "until it is done (--lock-timeout SECS gives up sooner)".to_string(),
    };
    format!(
        "waiting for another build{} that is writing `{}`: {limit}",
        holder(lock),
        display_path(target)
    )
}

fn busy_error(target: &Path, lock: &Path, waited: Duration) -> Diagnostic {
    Diagnostic::error(
        codes::OUTPUT_LOCKED,
        format!(
            "another build{} is writing `{}`; gave up after {:.1} s (--lock-timeout)",
            holder(lock),
            display_path(target),
            waited.as_secs_f64()
        ),
    )
    .at(PathBuf::from(lock), None)
    .with_help(
        "nothing was written; run the build again when the other one is done, or give \
         `--lock-timeout` more seconds (without it a build waits as long as it takes)",
    )
}

fn lock_error(lock: &Path, error: &io::Error) -> Diagnostic {
    Diagnostic::error(
        codes::OUTPUT_LOCK_FAILED,
        format!(
            "cannot lock the output folder through `{}`: {error}",
            display_path(lock)
        ),
    )
    .with_help(
        "the lock file sits beside the output folder: check that its parent exists and is \
         writable, and that the lock file is a plain file",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    fn silent(_: &str) {}

    #[test]
    fn a_second_lock_waits_for_the_first_and_gets_it_once_released() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = OutputLock::acquire(&target, Some(Duration::ZERO), &silent).unwrap();
        let lock = dir.path().join(".public.opsbook-lock");
        assert_eq!(
            fs::read_to_string(&lock).unwrap(),
            format!("{}\n", std::process::id())
        );
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            drop(first);
        });
        let lines = RefCell::new(Vec::new());
        let second = OutputLock::acquire(&target, None, &|line: &str| {
            lines.borrow_mut().push(line.to_string())
        });
        release.join().unwrap();
        assert!(second.is_ok());
        let lines = lines.into_inner();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with(&format!(
                "waiting for another build (process {}) that is writing `",
                std::process::id()
            )),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn a_lock_that_stays_taken_fails_after_the_timeout_with_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let _held = OutputLock::acquire(&target, None, &silent).unwrap();
        let started = Instant::now();
        let error =
            OutputLock::acquire(&target, Some(Duration::from_millis(150)), &silent).unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(150));
        assert_eq!(error.code, codes::OUTPUT_LOCKED);
        assert!(
            error.message.contains("another build (process "),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("public`; gave up after"),
            "{}",
            error.message
        );
        let now = OutputLock::acquire(&target, Some(Duration::ZERO), &silent).unwrap_err();
        assert_eq!(now.code, codes::OUTPUT_LOCKED);
    }

    #[test]
    fn the_lock_is_made_beside_an_output_whose_parent_does_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site/out/public");
        let _lock = OutputLock::acquire(&target, Some(Duration::ZERO), &silent).unwrap();
        assert!(dir.path().join("site/out/.public.opsbook-lock").is_file());
        assert!(!target.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_lock_path_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let precious = dir.path().join("precious.txt");
        fs::write(&precious, "keep me").unwrap();
        std::os::unix::fs::symlink(&precious, dir.path().join(".public.opsbook-lock")).unwrap();
        let error = OutputLock::acquire(&dir.path().join("public"), None, &silent).unwrap_err();
        assert_eq!(error.code, codes::OUTPUT_LOCK_FAILED);
        assert_eq!(fs::read_to_string(&precious).unwrap(), "keep me");
    }
}
