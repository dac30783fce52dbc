//! Finds out when the site's sources change, for `serve`: polls the modification time and
//! size of every file under `content/`, `templates/`, `static/`, `.beads/` and `alerts/`
//! (the default rule files), and of `opsbook.toml`. Editor temp files and hidden files
//! are left out (the same names ingest skips), so saving in vim or emacs causes one
//! rebuild, not three.
//!
//! Polling instead of OS file events (the `notify` crate): a site is a few hundred files,
//! so one scan costs well under a millisecond; it behaves the same on every platform,
//! inside containers and on network mounts, and needs no dependency.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, SystemTime};

use walkdir::WalkDir;

use crate::ingest::discover::is_ignored_file_name;

/// The folders and files under the site root whose changes trigger a rebuild.
const WATCHED: &[&str] = &[
    "content",
    "templates",
    "static",
    ".beads",
    "opsbook.toml",
    "alerts",
];

/// Path, modification time and size of each watched file, in the order the walk met
/// them. Only compared whole: a walk of unchanged folders meets the same files in the
/// same order, and any difference (a file added, removed, changed, or met in another
/// order) is a change. A list, not a map: a scan runs twenty times a second, and sorting
/// a thousand paths into a map was most of its cost.
pub type Fingerprint = Vec<(PathBuf, Option<SystemTime>, u64)>;

/// Polls the site and reports settled changes.
#[derive(Debug)]
pub struct Watcher {
    root: PathBuf,
    /// The shortest wait between two scans (as asked for).
    base_interval: Duration,
    /// The wait now: longer for a site that takes long to scan.
    interval: Duration,
    /// How long a change must stay the same before it is reported.
    settle: Duration,
    last: Fingerprint,
}

impl Watcher {
    /// Starts from the site as it is now.
    pub fn new(root: &Path, interval: Duration) -> Watcher {
        Watcher {
            root: root.to_path_buf(),
            base_interval: interval,
            interval,
            settle: interval / 5,
            last: fingerprint(root),
        }
    }

    /// Blocks until the sources changed and then stayed the same for a moment (the
    /// debounce: an editor's save, or a `git checkout`, is several writes). The moment
    /// is short, a fifth of the polling interval but at least two scans' time: every
    /// millisecond here is one the author waits for the page.
    pub fn wait_for_change(&mut self) {
        loop {
            thread::sleep(self.interval);
            let mut current = self.scan();
            if current == self.last {
                continue;
            }
            loop {
                thread::sleep(self.settle);
                let next = self.scan();
                if next == current {
                    break;
                }
                current = next;
            }
            self.last = current;
            return;
        }
    }
}

impl Watcher {
    /// One fingerprint of the site. A large site takes a while to scan; the interval
    /// grows to four scans' time, so polling never takes more than a fifth of a core.
    fn scan(&mut self) -> Fingerprint {
        let started = std::time::Instant::now();
        let found = fingerprint(&self.root);
        let took = started.elapsed();
        self.interval = self.base_interval.max(took * 4);
        self.settle = (self.base_interval / 5).max(took * 2);
        found
    }
}

/// The fingerprint of every watched file under `root`.
pub fn fingerprint(root: &Path) -> Fingerprint {
    let mut files = Fingerprint::with_capacity(1024);
    for watched in WATCHED {
        let walker = WalkDir::new(root.join(watched))
            .follow_links(true)
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0
                    || entry
                        .file_name()
                        .to_str()
                        .is_some_and(|name| !is_ignored_file_name(name))
            });
        for entry in walker.flatten() {
            if let Ok(metadata) = entry.metadata() {
                if metadata.is_file() {
                    let modified = metadata.modified().ok();
                    files.push((entry.into_path(), modified, metadata.len()));
                }
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn fingerprint_sees_sources_but_not_editor_temp_files_or_the_output() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        fs::create_dir_all(root.join("content")).unwrap();
        fs::create_dir_all(root.join("public")).unwrap();
        fs::write(root.join("content/a.md"), "# A").unwrap();
        fs::write(root.join("opsbook.toml"), "title = 'x'").unwrap();
        let before = fingerprint(root);
        assert_eq!(before.len(), 2);
        fs::write(root.join("content/.a.md.swp"), "x").unwrap();
        fs::write(root.join("content/a.md~"), "x").unwrap();
        fs::write(root.join("content/#a.md#"), "x").unwrap();
        fs::write(root.join("public/index.html"), "x").unwrap();
        assert_eq!(fingerprint(root), before);
        fs::write(root.join("content/a.md"), "# A changed").unwrap();
        assert_ne!(fingerprint(root), before);
    }

    #[test]
    fn a_change_is_reported_once_it_has_settled() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().to_path_buf();
        fs::create_dir_all(root.join("templates")).unwrap();
        let mut watcher = Watcher::new(&root, Duration::from_millis(20));
        // The watcher waits on a thread of its own, so a change it misses fails the test
        // after a while instead of hanging it.
        let (sender, receiver) = std::sync::mpsc::channel();
        thread::spawn(move || {
            watcher.wait_for_change();
            let _ = sender.send(watcher);
        });
        thread::sleep(Duration::from_millis(50));
        fs::write(root.join("templates/page.html"), "x").unwrap();
        let watcher = receiver
            .recv_timeout(Duration::from_secs(10))
            .expect("the watcher did not report the change within 10 s");
        let page = root.join("templates/page.html");
        assert!(watcher.last.iter().any(|(path, ..)| *path == page));
    }
}
