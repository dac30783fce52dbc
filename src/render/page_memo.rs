//! Pages `serve` rendered in its last build, handed back when nothing they are made from
//! has changed (render stage; `serve` owns the memo and keeps it between its builds).
//! Rendering the pages is nine tenths of a build without PDFs, and an author's edit
//! changes one page: with the memo, a rebuild renders that page and the files that list
//! every page, and hands back the rest.
//!
//! Correctness rests on the key, so it is built from what a page's HTML can read, not
//! from what an edit is guessed to touch:
//! - the page's own file: its source path and text (the page model is read from them,
//!   and from the tracker, which is in the site key);
//! - `SiteKey`, hashed once per build: the theme, every render option (plan analyses,
//!   tracker status, alert links, runbook settings, site title, base URL), and of every
//!   page what navigation and links read (source, output, kind, title, front matter, and
//!   whether it is a plan, a runbook or a section), plus the assets, audits, VEX
//!   documents, tracker and alert rules whole.
//!
//! Pages that list other pages read more than that (a Hugo section page, a runbook
//! folder's index): they are never kept, nor are the files that are not pages of their
//! own (home, indexes, search, sitemap), which every build renders. A page rendered with
//! an error is not kept either. `serve/edit_sequences.rs` checks random edit sequences
//! against clean builds.

use std::collections::HashMap;
use std::fmt::{self, Debug, Write as _};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::RenderOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Page, PageKind, Project};

/// A hash of everything one page's HTML is made from. Keys live in one process only, so
/// the hash need not be stable across versions; two SipHash streams make it 128 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageKey(u128);

/// The part of every page's key the whole site shares (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteKey(u128);

/// A page as rendered: its HTML (links rewritten) and what its render found.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub html: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// The pages of the last build, by output path, each under the key it was made with.
#[derive(Debug, Default)]
pub struct PageMemo {
    kept: Mutex<HashMap<PathBuf, (PageKey, RenderedPage)>>,
    /// What the last round did.
    last: Mutex<MemoCounts>,
}

/// How many pages a build took from the memo and how many it rendered (of those it
/// may keep).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoCounts {
    pub reused: usize,
    pub rendered: usize,
}

impl PageMemo {
    /// Starts a build's round: the pages kept so far can be found, and only the pages this
    /// build finds or keeps stay once it ends, so pages deleted or renamed are let go.
    pub fn round(&self, site: SiteKey) -> MemoRound<'_> {
        let previous = std::mem::take(&mut *lock(&self.kept));
        MemoRound {
            memo: self,
            site,
            previous: Mutex::new(previous),
            next: Mutex::new(HashMap::new()),
            counts: Mutex::default(),
        }
    }

    /// What the last build's round did.
    pub fn last_counts(&self) -> MemoCounts {
        *lock(&self.last)
    }

    /// How many pages are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        lock(&self.kept).len()
    }
}

/// One build's use of the memo; what it found and kept becomes the memo when it drops.
pub struct MemoRound<'a> {
    memo: &'a PageMemo,
    site: SiteKey,
    previous: Mutex<HashMap<PathBuf, (PageKey, RenderedPage)>>,
    next: Mutex<HashMap<PathBuf, (PageKey, RenderedPage)>>,
    counts: Mutex<MemoCounts>,
}

impl MemoRound<'_> {
    /// The page as `render` makes it (HTML or error, and what it found), or as it was
    /// kept under the same key. A page made without an error is kept for the next build.
    pub fn render_or_reuse(
        &self,
        page: &Page,
        unprintable: bool,
        render: impl FnOnce() -> (Result<Vec<u8>, Diagnostic>, Diagnostics),
    ) -> (Result<Vec<u8>, Diagnostic>, Diagnostics) {
        let key = self.key(page, unprintable);
        if let Some(kept) = self.find(&page.output, key) {
            lock(&self.counts).reused += 1;
            return (Ok(kept.html), kept.diagnostics);
        }
        lock(&self.counts).rendered += 1;
        let (result, found) = render();
        if let Ok(html) = &result {
            let made = RenderedPage {
                html: html.clone(),
                diagnostics: found.clone(),
            };
            self.keep(&page.output, key, made);
        }
        (result, found)
    }

    /// The key of `page` in this build. `unprintable` says its runbook PDF could not be
    /// made (the page says so instead of linking it).
    pub fn key(&self, page: &Page, unprintable: bool) -> PageKey {
        let mut hasher = KeyHasher::new();
        hasher.add(&self.site.0);
        hasher.add(&page.source);
        hasher.add(&page.text);
        hasher.add(&unprintable);
        PageKey(hasher.finish())
    }

    /// The page kept at `output` under `key`, if it is still the same.
    pub fn find(&self, output: &Path, key: PageKey) -> Option<RenderedPage> {
        let (kept_key, page) = lock(&self.previous).remove(output)?;
        if kept_key != key {
            return None;
        }
        lock(&self.next).insert(output.to_path_buf(), (key, page.clone()));
        Some(page)
    }

    /// Keeps a page just rendered for the next build.
    pub fn keep(&self, output: &Path, key: PageKey, page: RenderedPage) {
        lock(&self.next).insert(output.to_path_buf(), (key, page));
    }
}

impl Drop for MemoRound<'_> {
    fn drop(&mut self) {
        *lock(&self.memo.kept) = std::mem::take(&mut *lock(&self.next));
        *lock(&self.memo.last) = *lock(&self.counts);
    }
}

/// Whether `page` may be kept: not when its render reads more of other pages than the
/// site key holds (a Hugo section page and a runbook folder's index list their pages).
pub fn can_keep(page: &Page) -> bool {
    let lists_pages =
        page.is_section() || (page.kind == PageKind::Runbook && page.runbook.is_none());
    !lists_pages
}

/// Hashes what every page of `project` shares; `theme` is the theme's fingerprint.
pub fn site_key(project: &Project, options: &RenderOptions, theme: u64) -> SiteKey {
    let mut hasher = KeyHasher::new();
    hasher.add(&theme);
    hasher.add_debug(&options.site_title);
    hasher.add_debug(&options.base_url);
    hasher.add_debug(&options.analyses);
    hasher.add_debug(&options.status);
    hasher.add_debug(&options.working_day);
    hasher.add_debug(&options.alert_links);
    hasher.add_debug(&options.audit_severity);
    hasher.add(&options.defer_pdfs);
    let runbooks = &options.runbooks;
    hasher.add(&(runbooks.review_days, &runbooks.as_of, &runbooks.build_label));
    hasher.add_debug(&runbooks.paper);
    hasher.add(&runbooks.pdf);
    // Pages never show the fonts' bytes; a font named differently is another font.
    for font in &runbooks.pdf_fonts {
        hasher.add(&(&font.path, font.bytes.len()));
    }
    hasher.add(&project.root);
    for page in &project.pages {
        hasher.add(&(&page.source, &page.output, &page.title));
        hasher.add_debug(&page.kind);
        hasher.add_debug(&page.front_matter);
        hasher.add(&(
            super::views::is_plan_page(page),
            page.runbook.is_some(),
            page.is_section(),
        ));
    }
    for asset in &project.assets {
        hasher.add(&(&asset.source, &asset.output, &asset.text));
    }
    hasher.add_debug(&project.audits);
    hasher.add_debug(&project.vex);
    hasher.add_debug(&project.tracker);
    hasher.add_debug(&project.alerts);
    SiteKey(hasher.finish())
}

/// Two SipHash streams started apart, for a 128-bit key.
struct KeyHasher {
    first: DefaultHasher,
    second: DefaultHasher,
}

impl KeyHasher {
    fn new() -> KeyHasher {
        let mut second = DefaultHasher::new();
        second.write_u64(0x9e37_79b9_7f4a_7c15);
        KeyHasher {
            first: DefaultHasher::new(),
            second,
        }
    }

    fn add<T: Hash + ?Sized>(&mut self, value: &T) {
        value.hash(&mut self.first);
        value.hash(&mut self.second);
    }

    /// Hashes the value's `Debug` text, for model types that do not implement `Hash`
    /// (their `Debug` shows every field); the text is fed through, never kept.
    fn add_debug(&mut self, value: &dyn Debug) {
        // Writing into a hasher cannot fail.
        let _ = write!(DebugFeed(self), "{value:?}");
        self.add(&0xffu8);
    }

    fn finish(&self) -> u128 {
        (u128::from(self.first.finish()) << 64) | u128::from(self.second.finish())
    }
}

struct DebugFeed<'a>(&'a mut KeyHasher);

impl fmt::Write for DebugFeed<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.first.write(text.as_bytes());
        self.0.second.write(text.as_bytes());
        Ok(())
    }
}

/// The value behind `mutex`, even if a thread panicked while holding it (the maps are
/// only ever inserted into or taken whole).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::document_page;

    fn page(output: &str, title: &str) -> Page {
        document_page(PageKind::Page, output, title)
    }

    fn rendered(html: &str) -> RenderedPage {
        RenderedPage {
            html: html.as_bytes().to_vec(),
            diagnostics: Diagnostics::new(),
        }
    }

    #[test]
    fn a_page_is_found_under_its_key_only_and_unused_pages_are_let_go() {
        let memo = PageMemo::default();
        let a = page("a/index.html", "A");
        let b = page("b/index.html", "B");
        let site = SiteKey(7);
        {
            let round = memo.round(site);
            round.keep(&a.output, round.key(&a, false), rendered("a1"));
            round.keep(&b.output, round.key(&b, false), rendered("b1"));
        }
        assert_eq!(memo.len(), 2);
        {
            let round = memo.round(site);
            let found = round.find(&a.output, round.key(&a, false)).unwrap();
            assert_eq!(found.html, b"a1");
            // The same page with another text, or unprintable now, is another page.
            let mut edited = a.clone();
            edited.text.push_str("more\n");
            assert!(round.find(&a.output, round.key(&edited, false)).is_none());
            assert!(round.find(&b.output, round.key(&b, true)).is_none());
        }
        // `b` was not found under its key in that round, so it is gone; `a` stays.
        assert_eq!(memo.len(), 1);
        let round = memo.round(SiteKey(8));
        assert!(round.find(&a.output, round.key(&a, false)).is_none());
    }

    #[test]
    fn the_site_key_changes_with_what_pages_share_and_not_with_a_body() {
        let options = RenderOptions::default();
        let mut project = Project::default();
        project.pages.push(page("a/index.html", "A"));
        project.pages.push(page("b/index.html", "B"));
        let before = site_key(&project, &options, 1);
        assert_eq!(before, site_key(&project, &options, 1));
        assert_ne!(before, site_key(&project, &options, 2), "theme");
        let mut body = project.clone();
        body.pages[0].text = "# A\n\nsecond body\n".into();
        assert_eq!(before, site_key(&body, &options, 1));
        let mut retitled = project.clone();
        retitled.pages[0].title = "Another".into();
        assert_ne!(before, site_key(&retitled, &options, 1));
        let mut removed = project.clone();
        removed.pages.pop();
        assert_ne!(before, site_key(&removed, &options, 1));
        let titled = RenderOptions {
            site_title: Some("Ops".into()),
            ..RenderOptions::default()
        };
        assert_ne!(before, site_key(&project, &titled, 1));
    }
}
