//! What `serve` is serving right now: the last good site and, when the latest rebuild
//! failed, its diagnostics. Shared between the rebuild thread and the connection
//! threads; event streams wait on it for the next rebuild.
//!
//! Each file remembers the build that last changed its bytes, so an open page reloads
//! only when it changed itself, or when a file every page uses (a stylesheet, a script,
//! an image) did: an edit of one runbook reloads that runbook and the pages that list
//! it, not every open tab.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;

use crate::output::MemorySite;
use crate::render::pdf_on_demand::OnDemandPdfs;

/// One moment of the served state. Cheap to clone: the site is shared.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The last site that built without errors; `None` until one did.
    pub site: Option<Arc<MemorySite>>,
    /// Counts successful builds; a page remembers the one it came from and reloads when
    /// a newer one is announced.
    pub generation: u64,
    /// The diagnostics of the latest build when it failed.
    pub failure: Option<Arc<String>>,
    /// Counts every build, good or failed, so waiting streams see each one.
    pub version: u64,
    /// The runbook PDFs of the served site, made when first asked for.
    pub pdfs: Option<Arc<OnDemandPdfs>>,
    /// The generation that last changed each file of the site.
    pub changed_at: Arc<HashMap<String, u64>>,
    /// The generation that last changed a file pages load with them (not a page, a
    /// PDF or a data file): every page counts as changed then.
    pub shared_files_generation: u64,
}

/// What an event stream tells the page (`data:` of a `state` event, as JSON).
#[derive(Debug, Serialize)]
pub struct StateEvent<'a> {
    pub generation: u64,
    pub error: Option<&'a str>,
}

impl Snapshot {
    /// The state as the page showing `file` (a path in the site, `runbooks/x/index.html`)
    /// hears it: the generation of that page's content.
    pub fn event_for(&self, file: &str) -> StateEvent<'_> {
        StateEvent {
            generation: self.page_generation(file),
            error: self.failure.as_deref().map(String::as_str),
        }
    }

    /// The generation whose build last changed what the page at `file` shows; for a
    /// file the site does not have (a 404 page), the current generation, so that page
    /// reloads after every build.
    pub fn page_generation(&self, file: &str) -> u64 {
        match &self.site {
            Some(site) if site.get(file).is_some() => self
                .changed_at
                .get(file)
                .copied()
                .unwrap_or(self.generation)
                .max(self.shared_files_generation),
            _ => self.generation,
        }
    }
}

/// True for the files a page loads with it, whose change must reload every page.
fn is_shared_by_pages(path: &str) -> bool {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    !matches!(
        extension,
        "html" | "htm" | "pdf" | "json" | "xml" | "txt" | "md"
    ) && !matches!(path, "_headers" | "_redirects")
}

/// The generation of each file of `site` built as `generation`, given the previous site
/// and its generations: unchanged files keep theirs. Also returns whether a file pages
/// share changed (or appeared, or went).
fn changed_files(
    previous: Option<&MemorySite>,
    previous_changed: &HashMap<String, u64>,
    site: &MemorySite,
    generation: u64,
) -> (HashMap<String, u64>, bool) {
    let mut changed_at = HashMap::with_capacity(site.len());
    let mut shared_changed = false;
    for (path, _) in site.files() {
        let same = previous.is_some_and(|previous| site.same_file_in(path, previous));
        let at = match previous_changed.get(path) {
            Some(at) if same => *at,
            _ => {
                shared_changed |= is_shared_by_pages(path);
                generation
            }
        };
        changed_at.insert(path.to_string(), at);
    }
    if let Some(previous) = previous {
        shared_changed |= previous
            .files()
            .any(|(path, _)| is_shared_by_pages(path) && site.get(path).is_none());
    }
    (changed_at, shared_changed)
}

/// The served state behind a lock, with a condition variable for waiting streams.
#[derive(Debug, Default)]
pub struct LiveSite {
    current: Mutex<Snapshot>,
    changed: Condvar,
}

impl LiveSite {
    pub fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// A build succeeded: serve `site` (and its PDFs) from now on and clear any failure.
    pub fn publish_site(&self, site: MemorySite, pdfs: Option<OnDemandPdfs>) {
        let mut current = self.lock();
        let generation = current.generation + 1;
        let (changed_at, shared_changed) = changed_files(
            current.site.as_deref(),
            &current.changed_at,
            &site,
            generation,
        );
        if shared_changed {
            current.shared_files_generation = generation;
        }
        current.changed_at = Arc::new(changed_at);
        current.site = Some(Arc::new(site));
        current.pdfs = pdfs.map(Arc::new);
        current.generation = generation;
        current.failure = None;
        current.version += 1;
        self.changed.notify_all();
    }

    /// A build failed: keep the last good site, remember why.
    pub fn publish_failure(&self, diagnostics: String) {
        let mut current = self.lock();
        current.failure = Some(Arc::new(diagnostics));
        current.version += 1;
        self.changed.notify_all();
    }

    /// Waits up to `timeout` for a build newer than `seen_version`.
    pub fn wait_for_change(&self, seen_version: u64, timeout: Duration) -> Option<Snapshot> {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |current| current.version <= seen_version)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        (guard.version > seen_version).then(|| guard.clone())
    }

    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        // A panicking connection thread cannot leave a snapshot half-written (every
        // update is a few assignments), so a poisoned lock is still safe to use.
        self.current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_keeps_the_last_good_site_and_a_success_clears_it() {
        let live = LiveSite::default();
        let mut site = MemorySite::default();
        site.write(std::path::Path::new("index.html"), b"good")
            .unwrap();
        live.publish_site(site, None);
        live.publish_failure("content/a.md:2:8: error[OPS101]: bad".into());
        let snapshot = live.snapshot();
        assert_eq!(snapshot.generation, 1);
        assert_eq!(snapshot.version, 2);
        assert_eq!(snapshot.site.unwrap().get("index.html"), Some(&b"good"[..]));
        let event = serde_json::to_string(&live.snapshot().event_for("index.html")).unwrap();
        assert_eq!(
            event,
            r#"{"generation":1,"error":"content/a.md:2:8: error[OPS101]: bad"}"#
        );
        live.publish_site(MemorySite::default(), None);
        assert_eq!(live.snapshot().failure, None);
        assert_eq!(live.snapshot().generation, 2);
    }

    fn site(files: &[(&str, &str)]) -> MemorySite {
        let mut site = MemorySite::default();
        for (path, text) in files {
            site.write(std::path::Path::new(path), text.as_bytes())
                .unwrap();
        }
        site
    }

    #[test]
    fn a_page_keeps_its_generation_until_its_own_bytes_or_a_shared_file_change() {
        let live = LiveSite::default();
        let a = ("a/index.html", "a1");
        let b = ("b/index.html", "b1");
        let css = ("static/style.css", "x");
        live.publish_site(site(&[a, b, css, ("search.json", "1")]), None);
        live.publish_site(
            site(&[a, ("b/index.html", "b2"), css, ("search.json", "2")]),
            None,
        );
        let snapshot = live.snapshot();
        assert_eq!(snapshot.page_generation("a/index.html"), 1);
        assert_eq!(snapshot.page_generation("b/index.html"), 2);
        assert_eq!(snapshot.page_generation("gone/index.html"), 2);
        live.publish_site(site(&[a, ("b/index.html", "b2"), css]), None);
        assert_eq!(live.snapshot().page_generation("a/index.html"), 1);
        live.publish_site(
            site(&[a, ("b/index.html", "b2"), ("static/style.css", "y")]),
            None,
        );
        let snapshot = live.snapshot();
        assert_eq!(snapshot.page_generation("a/index.html"), 4);
        assert_eq!(snapshot.page_generation("b/index.html"), 4);
        let event = serde_json::to_string(&snapshot.event_for("a/index.html")).unwrap();
        assert_eq!(event, r#"{"generation":4,"error":null}"#);
    }

    #[test]
    fn waiting_returns_the_new_snapshot_or_nothing_after_the_timeout() {
        let live = Arc::new(LiveSite::default());
        assert!(live.wait_for_change(0, Duration::from_millis(10)).is_none());
        let publisher = Arc::clone(&live);
        let thread = std::thread::spawn(move || publisher.publish_failure("x".into()));
        let snapshot = live.wait_for_change(0, Duration::from_secs(5)).unwrap();
        assert_eq!(snapshot.version, 1);
        thread.join().unwrap();
    }
}
