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

use std::sync::Arc;

use super::links::FileRecord;
use super::search::SearchMemo;
use super::RenderOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::memo::{KeyHasher, Memo, MemoKey, MemoRound};
use crate::model::{Page, PageKind, Project};

/// The part of every page's key the whole site shares (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteKey(MemoKey);

#[cfg(test)]
impl From<MemoKey> for SiteKey {
    fn from(key: MemoKey) -> SiteKey {
        SiteKey(key)
    }
}

/// A page as rendered: its HTML (links rewritten), what the link check needs of it and
/// what its render found.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    /// Shared: the memo and the build hand the same bytes around.
    pub html: Arc<[u8]>,
    pub links: FileRecord,
    pub diagnostics: Diagnostics,
}

/// The pages of serve's last build, by output path.
pub type PageMemo = Memo<RenderedPage>;

/// What `serve` keeps of its last build's render: the pages, and each page's search
/// index entry. Cheap to clone: both are shared.
#[derive(Debug, Clone, Default)]
pub struct RenderMemos {
    pub pages: Arc<PageMemo>,
    pub search: Arc<SearchMemo>,
}

/// The page as `render` makes it (HTML or error, and what it found), or as it was kept
/// under the same key in `round`. A page made without an error is kept for the next
/// build. `unprintable` says its runbook PDF could not be made (the page says so instead
/// of linking it).
pub fn render_or_reuse(
    round: &MemoRound<'_, RenderedPage>,
    site: SiteKey,
    page: &Page,
    unprintable: bool,
    render: impl FnOnce() -> (Result<Vec<u8>, Diagnostic>, Diagnostics),
) -> (Result<Arc<RenderedPage>, Diagnostic>, Diagnostics) {
    let key = page_key(site, page, unprintable);
    if let Some(kept) = round.find(&page.output, key) {
        let found = kept.diagnostics.clone();
        return (Ok(kept), found);
    }
    let (result, found) = render();
    let result = result.map(|html| {
        let made = RenderedPage {
            links: FileRecord::scan(&page.output, &html),
            html: html.into(),
            diagnostics: found.clone(),
        };
        round.keep(&page.output, key, made)
    });
    (result, found)
}

/// The key of `page` in a build whose pages share `site`: its file and `site`.
pub fn page_key(site: SiteKey, page: &Page, unprintable: bool) -> MemoKey {
    let mut hasher = KeyHasher::new();
    hasher.add_debug(&site.0);
    hasher.add(&page.source);
    hasher.add(&page.text);
    hasher.add(&unprintable);
    hasher.finish()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::document_page;

    fn page(output: &str, title: &str) -> Page {
        document_page(PageKind::Page, output, title)
    }

    fn site(n: u32) -> SiteKey {
        let mut hasher = KeyHasher::new();
        hasher.add(&n);
        SiteKey(hasher.finish())
    }

    /// Renders `page` in a new round of `memo`; a render makes `made`.
    fn html(memo: &PageMemo, page: &Page, unprintable: bool, shared: u32, made: &str) -> String {
        let render = || (Ok(made.as_bytes().to_vec()), Diagnostics::new());
        let (result, _) = render_or_reuse(&memo.round(), site(shared), page, unprintable, render);
        String::from_utf8(result.unwrap().html.to_vec()).unwrap()
    }

    #[test]
    fn a_page_is_reused_while_its_text_its_printability_and_the_site_stay_the_same() {
        let memo = PageMemo::default();
        let a = page("a/index.html", "A");
        assert_eq!(html(&memo, &a, false, 1, "first"), "first");
        assert_eq!(html(&memo, &a, false, 1, "second"), "first");
        let mut edited = a.clone();
        edited.text.push_str("more\n");
        assert_eq!(html(&memo, &edited, false, 1, "third"), "third");
        assert_eq!(html(&memo, &edited, true, 1, "fourth"), "fourth");
        assert_eq!(html(&memo, &edited, true, 2, "fifth"), "fifth");
        assert_eq!(html(&memo, &edited, true, 2, "sixth"), "fifth");
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
