//! What `serve` is serving right now: the last good site and, when the latest rebuild
//! failed, its diagnostics. Shared between the rebuild thread and the connection
//! threads; event streams wait on it for the next rebuild.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;

use crate::output::MemorySite;

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
}

/// What an event stream tells the page (`data:` of a `state` event, as JSON).
#[derive(Debug, Serialize)]
pub struct StateEvent<'a> {
    pub generation: u64,
    pub error: Option<&'a str>,
}

impl Snapshot {
    pub fn event(&self) -> StateEvent<'_> {
        StateEvent {
            generation: self.generation,
            error: self.failure.as_deref().map(String::as_str),
        }
    }
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

    /// A build succeeded: serve `site` from now on and clear any failure.
    pub fn publish_site(&self, site: MemorySite) {
        let mut current = self.lock();
        current.site = Some(Arc::new(site));
        current.generation += 1;
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
        live.publish_site(site);
        live.publish_failure("content/a.md:2:8: error[OPS101]: bad".into());
        let snapshot = live.snapshot();
        assert_eq!(snapshot.generation, 1);
        assert_eq!(snapshot.version, 2);
        assert_eq!(snapshot.site.unwrap().get("index.html"), Some(&b"good"[..]));
        let event = serde_json::to_string(&live.snapshot().event()).unwrap();
        assert_eq!(
            event,
            r#"{"generation":1,"error":"content/a.md:2:8: error[OPS101]: bad"}"#
        );
        live.publish_site(MemorySite::default());
        assert_eq!(live.snapshot().failure, None);
        assert_eq!(live.snapshot().generation, 2);
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
