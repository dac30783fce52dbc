//! Pages `serve` read in its last build, handed back when their file has not changed
//! (ingest stage; `serve` owns the memo and keeps it between its builds). Reading a page
//! (encoding repair, front matter, shortcodes, the outline, the plan, runbook and diagram
//! readers) is most of ingest, and an author's edit changes one file.
//!
//! A page is made from its path, its file's text and, for a plan, the tracker it joins
//! its work items to: the key hashes exactly those, so a page is read again when its
//! file or the tracker changed, and reused otherwise. What reading it found is kept with
//! it and reported again, so a reused page warns as a fresh one does.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::memo::{KeyHasher, Memo, MemoKey, MemoRound};
use crate::model::status::Tracker;
use crate::model::Page;

/// A page as read, and what reading it found.
#[derive(Debug, Clone)]
pub struct ReadPage {
    pub page: Page,
    pub diagnostics: Diagnostics,
}

/// The pages of serve's last build, by source path.
pub type ReadMemo = Memo<ReadPage>;

/// What every page's key shares: the tracker (`None` without one).
#[derive(Debug, Clone, Copy)]
pub struct TrackerKey(MemoKey);

/// Hashes the tracker once per build.
pub fn tracker_key(tracker: Option<&Tracker>) -> TrackerKey {
    let mut hasher = KeyHasher::new();
    hasher.add_debug(&tracker);
    TrackerKey(hasher.finish())
}

/// The page `read` makes of the file at `source` with `text` (and what it found, into
/// `diagnostics`), or the one kept under the same key in `round`.
pub fn read_or_reuse(
    round: &MemoRound<'_, ReadPage>,
    tracker: TrackerKey,
    source: &Path,
    text: &str,
    diagnostics: &mut Diagnostics,
    read: impl FnOnce(&mut Diagnostics) -> Option<Page>,
) -> Option<Page> {
    let mut hasher = KeyHasher::new();
    hasher.add_debug(&tracker.0);
    hasher.add(source);
    hasher.add(text);
    let key = hasher.finish();
    if let Some(kept) = round.find(source, key) {
        diagnostics.extend(kept.diagnostics.iter().cloned());
        return Some(kept.page.clone());
    }
    let mut found = Diagnostics::new();
    let page = read(&mut found);
    if let Some(page) = &page {
        let kept = ReadPage {
            page: page.clone(),
            diagnostics: found.clone(),
        };
        let _ = round.keep(source, key, kept);
    }
    diagnostics.append(found);
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PageKind;
    use crate::test_support::document_page;

    /// Reads `text` at `content/a.md` in a new round; a read gives a page titled `made`.
    fn title(memo: &ReadMemo, tracker: Option<&Tracker>, text: &str, made: &str) -> String {
        let mut diagnostics = Diagnostics::new();
        let read = |_: &mut Diagnostics| Some(document_page(PageKind::Page, "a/index.html", made));
        let round = memo.round();
        let page = read_or_reuse(
            &round,
            tracker_key(tracker),
            Path::new("content/a.md"),
            text,
            &mut diagnostics,
            read,
        );
        page.unwrap().title
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
}
