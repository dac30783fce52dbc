//! Finds out when the site's sources change, for `serve`: scans the modification time and
//! size of every file under `content/`, `templates/`, `static/`, `.beads/` and `alerts/`
//! (the default rule files), and of `opsbook.toml`. Editor temp files and hidden files
//! are left out (the same names ingest skips), so saving in vim or emacs causes one
//! rebuild, not three.
//!
//! The scan is the truth; OS file events (inotify, FSEvents, through the `notify`
//! crate) only say when to scan. Polling alone made an author wait for the next poll and
//! then for two more scans to see the change settle, and a scan of a 10,000-page site
//! takes 30 ms: 150 ms or more of every edit's wait. With events, a change is scanned
//! as soon as its writes stop arriving. Events are not always there (network mounts,
//! WSL, some containers give none; the platform may refuse the watch), so polling goes
//! on beside them, slowly, and alone where there are no events.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use notify::{EventKind, RecursiveMode, Watcher as _};
use walkdir::WalkDir;

use crate::ingest::discover::is_ignored_file_name;

/// How long writes must have stopped before a change is scanned, when events tell of
/// them: an editor's save is a few writes within a millisecond or two.
const EVENT_SETTLE: Duration = Duration::from_millis(10);

/// The longest a stream of events (a `git checkout` of many files) delays the scan.
const EVENT_SETTLE_LIMIT: Duration = Duration::from_secs(1);

/// With events, the sources are still polled this often, for changes no event tells of.
const POLL_BESIDE_EVENTS: Duration = Duration::from_secs(2);

/// The folders and files under the site root whose changes trigger a rebuild, beside
/// the folders `[alerts] rules` names (`watched_paths`).
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
pub struct Watcher {
    root: PathBuf,
    /// The shortest wait between two scans (as asked for).
    base_interval: Duration,
    /// The wait now: longer for a site that takes long to scan.
    interval: Duration,
    /// How long a change must stay the same before it is reported.
    settle: Duration,
    last: Fingerprint,
    /// The OS's file events, when it gives them.
    events: Option<FileEvents>,
}

impl Watcher {
    /// Starts from the site as it is now.
    pub fn new(root: &Path, interval: Duration) -> Watcher {
        Watcher {
            root: root.to_path_buf(),
            base_interval: interval,
            interval,
            settle: interval / 5,
            events: FileEvents::watch(root),
            last: fingerprint(root),
        }
    }

    /// Whether the OS tells of changes (else the watcher only polls).
    #[cfg(test)]
    pub fn has_events(&self) -> bool {
        self.events.is_some()
    }

    /// Blocks until the sources changed and then stayed the same for a moment (the
    /// debounce: an editor's save, or a `git checkout`, is several writes). With events,
    /// the moment is `EVENT_SETTLE` without one; when polling, a fifth of the polling
    /// interval but at least two scans' time: every millisecond here is one the author
    /// waits for the page.
    pub fn wait_for_change(&mut self) {
        loop {
            let told = match &mut self.events {
                Some(events) => {
                    let told = events.wait(self.interval.max(POLL_BESIDE_EVENTS));
                    events.watch_new_folders(&self.root);
                    told
                }
                None => {
                    thread::sleep(self.interval);
                    false
                }
            };
            let mut current = self.scan();
            if current == self.last {
                continue;
            }
            if !told {
                loop {
                    thread::sleep(self.settle);
                    let next = self.scan();
                    if next == current {
                        break;
                    }
                    current = next;
                }
            }
            self.last = current;
            return;
        }
    }
}

/// The OS's file events for the watched sources, as a channel the watcher waits on.
struct FileEvents {
    /// Dropping it ends the events.
    watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    /// The source folders watched (with their subfolders).
    folders: Vec<PathBuf>,
}

impl FileEvents {
    /// Watches the root itself (not its subfolders), for `opsbook.toml` and for a source
    /// folder made later, and every source folder that exists. `None` when the OS gives
    /// no events; the watcher then polls alone.
    fn watch(root: &Path) -> Option<FileEvents> {
        let (sender, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(sender).ok()?;
        watcher.watch(root, RecursiveMode::NonRecursive).ok()?;
        let mut events = FileEvents {
            watcher,
            events,
            folders: Vec::new(),
        };
        events.watch_new_folders(root);
        Some(events)
    }

    /// Starts watching the source folders made since the last call. A folder that
    /// cannot be watched is left to the polling.
    fn watch_new_folders(&mut self, root: &Path) {
        // The root's own top level is watched from the start.
        for (path, _) in watched_paths(root)
            .into_iter()
            .filter(|(_, depth)| *depth > 1)
        {
            if path.is_dir()
                && !self.folders.contains(&path)
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.folders.push(path);
            }
        }
    }

    /// Waits up to `timeout` for an event that may change a source; true when one came
    /// (and the writes it belongs to have stopped).
    fn wait(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) if may_change_sources(&event) => break,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => return false,
                // The OS stopped telling: polling goes on.
                Err(RecvTimeoutError::Disconnected) => {
                    thread::sleep(left);
                    return false;
                }
            }
        }
        let limit = Instant::now() + EVENT_SETTLE_LIMIT;
        while Instant::now() < limit {
            if let Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) =
                self.events.recv_timeout(EVENT_SETTLE)
            {
                break;
            }
        }
        true
    }
}

/// Whether an event may change what the site is built from: not a mere read, and not
/// only of files ingest skips (editor temp files). An error may have lost events.
fn may_change_sources(event: &notify::Result<notify::Event>) -> bool {
    let Ok(event) = event else {
        return true;
    };
    !matches!(event.kind, EventKind::Access(_))
        && (event.paths.is_empty()
            || event.paths.iter().any(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .is_none_or(|name| !is_ignored_file_name(name))
            }))
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
    for (watched, depth) in watched_paths(root) {
        let walker = WalkDir::new(watched)
            .max_depth(depth)
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

/// Every path to watch, each with how deep to look into it: the sources of every site
/// (`WATCHED`), and the folders the rule file patterns of `opsbook.toml` start from
/// (read again each time: the configuration may change). A pattern with no folder of
/// its own (`*.rules.yml`) has its files at the root, whose top level is watched then.
fn watched_paths(root: &Path) -> Vec<(PathBuf, usize)> {
    let mut paths: Vec<(PathBuf, usize)> = WATCHED
        .iter()
        .map(|watched| (root.join(watched), usize::MAX))
        .collect();
    let mut ignored = crate::diagnostics::Diagnostics::new();
    let config = crate::config::load_config(root, &mut ignored).config;
    for glob in config.alerts.rules.iter().flatten() {
        let folder = crate::ingest::alerts::pattern_folder(glob);
        let watched = match folder.as_os_str().is_empty() {
            true => (root.to_path_buf(), 1),
            false => (root.join(folder), usize::MAX),
        };
        let covered = paths
            .iter()
            .any(|(path, depth)| *depth == usize::MAX && watched.0.starts_with(path));
        if !covered {
            paths.push(watched);
        }
    }
    paths
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

    /// The watcher waiting for its next change on a thread of its own, so a change it
    /// misses fails a test after a while instead of hanging it; the channel hands it
    /// back once it reported one.
    fn waiting(mut watcher: Watcher) -> Receiver<Watcher> {
        let (sender, receiver) = mpsc::channel();
        thread::spawn(move || {
            watcher.wait_for_change();
            let _ = sender.send(watcher);
        });
        receiver
    }

    /// Waits for the watcher's next change; `None` when none is reported within `limit`.
    fn next_change(watcher: Watcher, limit: Duration) -> Option<(Watcher, Duration)> {
        let started = Instant::now();
        let watcher = waiting(watcher).recv_timeout(limit).ok()?;
        Some((watcher, started.elapsed()))
    }

    /// Writes `text` to `path` in 100 ms, on a thread of its own.
    fn write_soon(path: PathBuf, text: &'static str) -> thread::JoinHandle<()> {
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(100));
            fs::write(path, text).unwrap();
        })
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn with_os_events_a_change_is_seen_long_before_the_next_poll() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().to_path_buf();
        fs::create_dir_all(root.join("content/runbooks")).unwrap();
        fs::write(root.join("content/runbooks/a.md"), "# A").unwrap();
        // A poll every minute: only an event can report the change within seconds.
        let watcher = Watcher::new(&root, Duration::from_secs(60));
        assert!(watcher.has_events(), "inotify gives events on Linux");
        let writer = write_soon(root.join("content/runbooks/a.md"), "# A changed");
        let (watcher, waited) = next_change(watcher, Duration::from_secs(20))
            .expect("the edit was not reported within 20 s");
        writer.join().unwrap();
        assert!(waited < Duration::from_secs(10), "took {waited:?}");
        // An editor's temp file is no change; a new source folder is.
        let receiver = waiting(watcher);
        thread::sleep(Duration::from_millis(100));
        fs::write(root.join("content/runbooks/.a.md.swp"), "x").unwrap();
        assert!(receiver.recv_timeout(Duration::from_millis(500)).is_err());
        fs::create_dir_all(root.join("alerts")).unwrap();
        fs::write(root.join("alerts/rules.yml"), "groups: []\n").unwrap();
        let watcher = receiver
            .recv_timeout(Duration::from_secs(20))
            .expect("the new rule file was not reported within 20 s");
        assert!(watcher
            .last
            .iter()
            .any(|(path, ..)| path.ends_with("alerts/rules.yml")));
        // The new folder is watched too: its next edit is an event.
        let writer = write_soon(root.join("alerts/rules.yml"), "groups: [] # edited\n");
        let (_, waited) = next_change(watcher, Duration::from_secs(20))
            .expect("the rule edit was not reported within 20 s");
        writer.join().unwrap();
        assert!(waited < Duration::from_secs(10), "took {waited:?}");
    }

    #[test]
    fn rule_files_the_configuration_names_are_watched_wherever_they_are() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        fs::create_dir_all(root.join("content")).unwrap();
        fs::create_dir_all(root.join("monitoring/rules")).unwrap();
        fs::create_dir_all(root.join("public")).unwrap();
        fs::write(root.join("monitoring/rules/node.yml"), "groups: []\n").unwrap();
        fs::write(root.join("top.rules.yml"), "groups: []\n").unwrap();
        fs::write(root.join("public/index.html"), "x").unwrap();
        let seen = |root: &Path| -> Vec<PathBuf> {
            let files = fingerprint(root).into_iter().map(|(path, ..)| path);
            files
                .map(|path| path.strip_prefix(root).unwrap().to_path_buf())
                .collect()
        };
        assert!(!seen(root).contains(&PathBuf::from("monitoring/rules/node.yml")));
        fs::write(
            root.join("opsbook.toml"),
            "[alerts]\nrules = [\"monitoring/rules/**/*.yml\", \"*.rules.yml\"]\n",
        )
        .unwrap();
        let seen = seen(root);
        assert!(
            seen.contains(&PathBuf::from("monitoring/rules/node.yml")),
            "{seen:?}"
        );
        assert!(seen.contains(&PathBuf::from("top.rules.yml")), "{seen:?}");
        assert!(
            !seen.contains(&PathBuf::from("public/index.html")),
            "{seen:?}"
        );
    }

    #[test]
    fn a_change_is_reported_once_it_has_settled() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().to_path_buf();
        fs::create_dir_all(root.join("templates")).unwrap();
        let receiver = waiting(Watcher::new(&root, Duration::from_millis(20)));
        thread::sleep(Duration::from_millis(50));
        fs::write(root.join("templates/page.html"), "x").unwrap();
        let watcher = receiver
            .recv_timeout(Duration::from_secs(10))
            .expect("the watcher did not report the change within 10 s");
        let page = root.join("templates/page.html");
        assert!(watcher.last.iter().any(|(path, ..)| *path == page));
    }
}
