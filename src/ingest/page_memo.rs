//! Pages `serve` read in its last build, handed back when their file has not changed
//! (ingest stage; `serve` owns the memo and keeps it between its builds). Reading a page
//! (encoding repair, front matter, shortcodes, the outline, the plan, runbook and diagram
//! readers) is most of ingest, and an author's edit changes one file.
//!
//! A page is made from its path, its file's text and, for a plan, the tracker it joins
//! its work items to: the key hashes exactly those, so a page is read again when its
//! file or the tracker changed, and reused otherwise. What reading it found is kept with
//! it and reported again, so a reused page warns as a fresh one does.
//!
//! Reading and hashing every file is still most of a rebuild of a large site, so a file
//! whose size and modification time are those it had when it was read is not read again
//! (`reuse_unchanged`), as `make` and Cargo decide. Only a time well before the read is
//! trusted: file systems keep times in steps (a few milliseconds, two seconds on FAT),
//! and a file written again within the step it was read in would show the same time
//! (git calls such entries "racily clean"); those files are read and compared by text.

use std::fs::Metadata;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::diagnostics::Diagnostics;
use crate::memo::{KeyHasher, Memo, MemoKey, MemoRound};
use crate::model::status::Tracker;
use crate::model::Page;

/// How long before its read a file's modification time must be for the time to be
/// trusted (see the module documentation).
const RACY_MARGIN: Duration = Duration::from_secs(2);

/// A page as read, and what reading it found.
#[derive(Debug, Clone)]
pub struct ReadPage {
    pub page: Arc<Page>,
    pub diagnostics: Diagnostics,
    /// The tracker the page was read with.
    tracker: TrackerKey,
    /// The file's size and time when it was read, when they can be trusted to show a
    /// later change.
    stamp: Option<FileStamp>,
}

/// A file's size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: SystemTime,
}

impl FileStamp {
    /// The stamp of a file with `metadata`; `None` where the platform has no times.
    pub fn of(metadata: &Metadata) -> Option<FileStamp> {
        Some(FileStamp {
            len: metadata.len(),
            modified: metadata.modified().ok()?,
        })
    }

    /// The stamp, if it can show a change made after `read_at` (see `RACY_MARGIN`).
    fn settled(self, read_at: SystemTime) -> Option<FileStamp> {
        (self.modified + RACY_MARGIN <= read_at).then_some(self)
    }
}

/// When a file was read, and its stamp just before.
#[derive(Debug, Clone, Copy)]
pub struct ReadAt {
    pub time: SystemTime,
    pub stamp: Option<FileStamp>,
}

/// The pages of serve's last build, by source path.
pub type ReadMemo = Memo<ReadPage>;

/// What every page's key shares: the tracker (`None` without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerKey(MemoKey);

/// Hashes the tracker once per build.
pub fn tracker_key(tracker: Option<&Tracker>) -> TrackerKey {
    let mut hasher = KeyHasher::new();
    hasher.add_debug(&tracker);
    TrackerKey(hasher.finish())
}

/// The page kept for `source` in `round` if its file still has the `stamp` it was read
/// with (and the tracker is the same), without reading the file; what reading it found
/// goes to `diagnostics` again.
pub fn reuse_unchanged(
    round: &MemoRound<'_, ReadPage>,
    tracker: TrackerKey,
    source: &Path,
    stamp: Option<FileStamp>,
    diagnostics: &mut Diagnostics,
) -> Option<Arc<Page>> {
    let stamp = stamp?;
    let kept = round.find_if(source, |_, kept| {
        kept.tracker == tracker && kept.stamp == Some(stamp)
    })?;
    diagnostics.extend(kept.diagnostics.iter().cloned());
    Some(Arc::clone(&kept.page))
}

/// The page `read` makes of the file at `source` with `text`, read as `read_at` says
/// (and what it found, into `diagnostics`), or the one kept under the same key in
/// `round`.
pub fn read_or_reuse(
    round: &MemoRound<'_, ReadPage>,
    tracker: TrackerKey,
    source: &Path,
    (text, read_at): (&str, ReadAt),
    diagnostics: &mut Diagnostics,
    read: impl FnOnce(&mut Diagnostics) -> Option<Page>,
) -> Option<Arc<Page>> {
    let mut hasher = KeyHasher::new();
    hasher.add_debug(&tracker.0);
    hasher.add(source);
    hasher.add(text);
    let key = hasher.finish();
    let stamp = read_at.stamp.and_then(|stamp| stamp.settled(read_at.time));
    let kept = match round.find(source, key) {
        // Same text: the page is the same, only its stamp may be newer.
        Some(kept) => ReadPage {
            stamp,
            ..(*kept).clone()
        },
        None => {
            let mut found = Diagnostics::new();
            let page = read(&mut found).map(Arc::new);
            let Some(page) = page else {
                diagnostics.append(found);
                return None;
            };
            ReadPage {
                page,
                diagnostics: found,
                tracker,
                stamp,
            }
        }
    };
    diagnostics.extend(kept.diagnostics.iter().cloned());
    Some(Arc::clone(&round.keep(source, key, kept).page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PageKind;
    use crate::test_support::document_page;

    const SOURCE: &str = "content/a.md";

    /// Reads `text` at `content/a.md` in a new round (the file's time unknown); a read
    /// gives a page titled `made`.
    fn title(memo: &ReadMemo, tracker: Option<&Tracker>, text: &str, made: &str) -> String {
        let mut diagnostics = Diagnostics::new();
        let read = |_: &mut Diagnostics| Some(document_page(PageKind::Page, "a/index.html", made));
        let round = memo.round();
        let key = tracker_key(tracker);
        let read_at = ReadAt {
            time: SystemTime::now(),
            stamp: None,
        };
        let source = Path::new(SOURCE);
        let page = read_or_reuse(&round, key, source, (text, read_at), &mut diagnostics, read);
        page.unwrap().title.clone()
    }

    #[test]
    fn a_page_is_read_again_when_its_text_or_the_tracker_changes() {
        let memo = ReadMemo::default();
        assert_eq!(title(&memo, None, "# A\n", "First"), "First");
        assert_eq!(title(&memo, None, "# A\n", "Second"), "First");
        assert_eq!(title(&memo, None, "# A!\n", "Third"), "Third");
        let tracker = Tracker::default();
        assert_eq!(title(&memo, Some(&tracker), "# A!\n", "Fourth"), "Fourth");
        assert_eq!(title(&memo, Some(&tracker), "# A!\n", "Fifth"), "Fourth");
    }

    /// Loads `content/a.md` as ingest does in one round: the kept page when the file
    /// shows a trusted `stamp`, else by `text`, read at `time`; a read gives `made`.
    fn load(
        memo: &ReadMemo,
        tracker: Option<&Tracker>,
        (stamp, time): (FileStamp, SystemTime),
        text: &str,
        made: &str,
    ) -> String {
        let mut diagnostics = Diagnostics::new();
        let key = tracker_key(tracker);
        let round = memo.round();
        let source = Path::new(SOURCE);
        if let Some(page) = reuse_unchanged(&round, key, source, Some(stamp), &mut diagnostics) {
            return page.title.clone();
        }
        let read = |_: &mut Diagnostics| Some(document_page(PageKind::Page, "a/index.html", made));
        let read_at = ReadAt {
            time,
            stamp: Some(stamp),
        };
        let page = read_or_reuse(&round, key, source, (text, read_at), &mut diagnostics, read);
        page.unwrap().title.clone()
    }

    #[test]
    fn a_file_with_the_stamp_it_was_read_with_is_not_read_again() {
        let memo = ReadMemo::default();
        let now = SystemTime::now();
        let stamp = FileStamp {
            len: 4,
            modified: now - Duration::from_secs(60),
        };
        assert_eq!(load(&memo, None, (stamp, now), "# A\n", "First"), "First");
        // The stamp is trusted: the text is not even looked at.
        assert_eq!(load(&memo, None, (stamp, now), "# B\n", "Second"), "First");
        // Another size, another time, another tracker: the file is read.
        let longer = FileStamp { len: 5, ..stamp };
        assert_eq!(load(&memo, None, (longer, now), "# B\n", "Third"), "Third");
        let later = FileStamp {
            modified: now - Duration::from_secs(30),
            ..longer
        };
        assert_eq!(load(&memo, None, (later, now), "# B\n", "Fourth"), "Third");
        assert_eq!(load(&memo, None, (later, now), "# C\n", "Fifth"), "Third");
        let tracker = Tracker::default();
        let with_tracker = Some(&tracker);
        assert_eq!(
            load(&memo, with_tracker, (later, now), "# C\n", "Sixth"),
            "Sixth"
        );
    }

    #[test]
    fn a_stamp_from_just_before_the_read_is_not_trusted() {
        let memo = ReadMemo::default();
        let now = SystemTime::now();
        let stamp = FileStamp {
            len: 4,
            modified: now - RACY_MARGIN / 2,
        };
        assert_eq!(load(&memo, None, (stamp, now), "# A\n", "First"), "First");
        // The file may have been written again within the same tick: read by its text.
        assert_eq!(load(&memo, None, (stamp, now), "# B\n", "Second"), "Second");
        // Read again later, the same stamp is old enough to trust.
        let later = now + RACY_MARGIN;
        assert_eq!(
            load(&memo, None, (stamp, later), "# B\n", "Third"),
            "Second"
        );
        assert_eq!(
            load(&memo, None, (stamp, later), "# C\n", "Fourth"),
            "Second"
        );
    }
}
