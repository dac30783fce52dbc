//! Pages `serve` rendered in its last build, handed back when nothing they are made from
//! has changed (render stage; `serve` owns the memo and keeps it between its builds).
//! Rendering the pages is nine tenths of a build without PDFs, and an author's edit
//! changes one page: with the memo, a rebuild renders that page and the files that list
//! every page, and hands back the rest.
//!
//! Correctness rests on what is compared, so it is what a page's HTML can read, not
//! what an edit is guessed to touch:
//! - the page itself: the page model it was rendered from is kept and compared (the
//!   very same `Arc` when ingest handed the page on unread, else field by field), and
//!   the key holds its source path;
//! - `SiteKey`, hashed once per build: the theme, every render option (plan analyses,
//!   tracker status, alert links, runbook settings, site title, base URL), and of every
//!   page what navigation and links read (source, output, kind, title, front matter, and
//!   whether it is a plan, a runbook or a section), plus the assets, audits, VEX
//!   documents, tracker and alert rules whole.
//!
//! Pages that list other pages read more than that (a Hugo section page, a runbook
//! folder's index), and so do the files that are not pages of their own (home, indexes,
//! search page, 404 page): they are made again in every build from a fresh view, but
//! the template is only run again when its context changed (`ListingMemo`): with
//! thousands of pages, running the templates of the lists was most of a rebuild. A page
//! rendered with an error is not kept. `serve/edit_sequences.rs` checks random edit
//! sequences against clean builds.

use std::any::Any;
use std::path::Path;
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
    /// The page it was rendered from, compared with the page now (`same_page`):
    /// cheaper than hashing every page's text in every build.
    from: Arc<Page>,
}

/// The pages of serve's last build, by output path.
pub type PageMemo = Memo<RenderedPage>;

/// What `serve` keeps of its last build's render: the pages, each page's search index
/// entry, and the files made from a template and a view alone. Cheap to clone: all of
/// it is shared.
#[derive(Debug, Clone, Default)]
pub struct RenderMemos {
    pub pages: Arc<PageMemo>,
    pub search: Arc<SearchMemo>,
    pub listings: Arc<ListingMemo>,
}

/// What a page view of a listing must be to be kept and compared.
pub trait ListingView: serde::Serialize + PartialEq + Send + Sync + 'static {}

impl<V: serde::Serialize + PartialEq + Send + Sync + 'static> ListingView for V {}

/// What a listing is made from: the template's context but its `page`, and the page
/// view, compared as it is (cheaper than comparing it as tera's values, and than
/// making those).
pub struct Listing<V> {
    pub context: tera::Context,
    pub page: V,
}

/// A file made by running one template on one context (a list of pages, an index):
/// the HTML and everything it was made from. Tera's templates read nothing but the
/// context (the theme registers no function), so an equal context, template and theme
/// make equal HTML.
pub struct RenderedListing {
    template: String,
    theme: u64,
    context: tera::Context,
    page: Box<dyn Any + Send + Sync>,
    /// Shared: the memo and the build hand the same bytes around.
    pub html: Arc<[u8]>,
    /// What the link check needs of it, read once when it was made.
    pub links: FileRecord,
}

/// The page view is any type; its bytes are what matters when it is looked at.
impl std::fmt::Debug for RenderedListing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderedListing")
            .field("template", &self.template)
            .field("html_bytes", &self.html.len())
            .finish_non_exhaustive()
    }
}

/// The listings of serve's last build, by output path.
pub type ListingMemo = Memo<RenderedListing>;

/// The file `render` makes of the listing with `template` at `output`, or the one
/// made from an equal listing, template and theme in the last build.
pub fn render_listing_or_reuse<V: ListingView>(
    round: &MemoRound<'_, RenderedListing>,
    output: &Path,
    (template, theme): (&str, u64),
    Listing { context, page }: Listing<V>,
    render: impl FnOnce(&tera::Context) -> Result<Vec<u8>, Diagnostic>,
) -> Result<Arc<RenderedListing>, Diagnostic> {
    let same = |_, kept: &RenderedListing| {
        kept.theme == theme
            && kept.template == template
            && kept.context == context
            && kept.page.downcast_ref::<V>() == Some(&page)
    };
    if let Some(kept) = round.find_if(output, same) {
        return Ok(kept);
    }
    let mut full = context.clone();
    full.insert("page", &page);
    let html = render(&full)?;
    let made = RenderedListing {
        template: template.to_string(),
        theme,
        context,
        page: Box::new(page),
        links: FileRecord::scan(output, &html),
        html: html.into(),
    };
    // Where it is kept is all the key says; the rest is compared.
    Ok(round.keep(output, KeyHasher::new().finish(), made))
}

/// The page as `render` makes it (HTML or error, and what it found), or as it was kept
/// under the same key in `round`. A page made without an error is kept for the next
/// build. `unprintable` says its runbook PDF could not be made (the page says so instead
/// of linking it).
pub fn render_or_reuse(
    round: &MemoRound<'_, RenderedPage>,
    site: SiteKey,
    page: &Arc<Page>,
    unprintable: bool,
    render: impl FnOnce() -> (Result<Vec<u8>, Diagnostic>, Diagnostics),
) -> (Result<Arc<RenderedPage>, Diagnostic>, Diagnostics) {
    let key = page_key(site, page, unprintable);
    if let Some(kept) = round.find_if(&page.output, |kept_key, kept| {
        kept_key == key && same_page(&kept.from, page)
    }) {
        let found = kept.diagnostics.clone();
        return (Ok(kept), found);
    }
    let (result, found) = render();
    let result = result.map(|html| match round.last_kept(&page.output) {
        Some(last) if *last.html == *html && last.diagnostics == found => {
            share_unchanged(round, key, page, last)
        }
        _ => {
            let made = RenderedPage {
                links: FileRecord::scan(&page.output, &html),
                html: html.into(),
                diagnostics: found.clone(),
                from: Arc::clone(page),
            };
            round.keep(&page.output, key, made)
        }
    });
    (result, found)
}

/// Keeps `last`, the page the last build rendered at `page`'s output, for a render that
/// made the same bytes again under a new key (a title elsewhere changed the site key,
/// and this page shows none of it). The bytes just made are let go at once, so a rebuild
/// of every page holds one copy of the pages that did not change, not two, and the
/// served site sees the very same file.
fn share_unchanged(
    round: &MemoRound<'_, RenderedPage>,
    key: MemoKey,
    page: &Arc<Page>,
    last: Arc<RenderedPage>,
) -> Arc<RenderedPage> {
    let last = if Arc::ptr_eq(&last.from, page) {
        last
    } else {
        Arc::new(RenderedPage {
            html: Arc::clone(&last.html),
            links: last.links.clone(),
            diagnostics: last.diagnostics.clone(),
            from: Arc::clone(page),
        })
    };
    round.keep_shared(&page.output, key, last)
}

/// Whether `kept`, the page something was made from in the last build, is `page` now:
/// the very same page (ingest hands an unchanged page on as it is), else an equal one.
pub fn same_page(kept: &Arc<Page>, page: &Arc<Page>) -> bool {
    Arc::ptr_eq(kept, page) || kept == page
}

/// The key of `page` in a build whose pages share `site`: its source path and `site`
/// (the page itself is compared, not hashed: see `RenderedPage::from`).
fn page_key(site: SiteKey, page: &Page, unprintable: bool) -> MemoKey {
    let mut hasher = KeyHasher::new();
    hasher.add_debug(&site.0);
    hasher.add(&page.source);
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

    /// The page `render_or_reuse` hands back in a new round of `memo` under `shared`; a
    /// render makes `made`.
    fn rendered(
        memo: &PageMemo,
        page: &Arc<Page>,
        unprintable: bool,
        shared: u32,
        made: &str,
    ) -> Arc<RenderedPage> {
        let render = || (Ok(made.as_bytes().to_vec()), Diagnostics::new());
        let (result, _) = render_or_reuse(&memo.round(), site(shared), page, unprintable, render);
        result.unwrap()
    }

    /// The HTML of `rendered`.
    fn html(
        memo: &PageMemo,
        page: &Arc<Page>,
        unprintable: bool,
        shared: u32,
        made: &str,
    ) -> String {
        let page = rendered(memo, page, unprintable, shared, made);
        String::from_utf8(page.html.to_vec()).unwrap()
    }

    #[test]
    fn a_page_is_reused_while_its_text_its_printability_and_the_site_stay_the_same() {
        let memo = PageMemo::default();
        let a = Arc::new(page("a/index.html", "A"));
        assert_eq!(html(&memo, &a, false, 1, "first"), "first");
        assert_eq!(html(&memo, &a, false, 1, "second"), "first");
        // The same text read again (another `Page`) is the same page.
        let reread = Arc::new(page("a/index.html", "A"));
        assert_eq!(html(&memo, &reread, false, 1, "second"), "first");
        let mut edited = (*a).clone();
        edited.text = format!("{}more\n", a.text).into();
        let edited = Arc::new(edited);
        assert_eq!(html(&memo, &edited, false, 1, "third"), "third");
        assert_eq!(html(&memo, &edited, true, 1, "fourth"), "fourth");
        assert_eq!(html(&memo, &edited, true, 2, "fifth"), "fifth");
        assert_eq!(html(&memo, &edited, true, 2, "sixth"), "fifth");
    }

    #[test]
    fn a_page_rendered_again_to_the_same_bytes_shares_the_last_ones() {
        let memo = PageMemo::default();
        let a = Arc::new(page("a/index.html", "A"));
        let first = rendered(&memo, &a, false, 1, "same");
        // The site key changed (a title elsewhere) but the page shows none of it.
        let again = rendered(&memo, &a, false, 2, "same");
        assert!(Arc::ptr_eq(&first, &again), "the kept page itself");
        // A page read again, equal: its bytes are shared, the page it came from is new.
        let reread = Arc::new(page("a/index.html", "A"));
        let third = rendered(&memo, &reread, false, 3, "same");
        assert!(Arc::ptr_eq(&first.html, &third.html));
        assert!(Arc::ptr_eq(&third.from, &reread));
        // Other bytes are other bytes, and the next round compares with those.
        let changed = rendered(&memo, &reread, false, 4, "other");
        assert_eq!(&*changed.html, b"other");
        assert!(Arc::ptr_eq(
            &rendered(&memo, &reread, false, 4, "x"),
            &changed
        ));
    }

    /// Runs a listing of `titles` in a new round of `memo`; a run makes `made`.
    fn listing(
        memo: &ListingMemo,
        (template, theme): (&str, u64),
        titles: &[&str],
        made: &str,
    ) -> String {
        let mut context = tera::Context::new();
        context.insert("site", "Ops");
        let page: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
        let render = |context: &tera::Context| {
            assert!(context.contains_key("page"), "the view is in the context");
            Ok(made.as_bytes().to_vec())
        };
        let round = memo.round();
        let output = Path::new("runbooks/index.html");
        let listing = Listing { context, page };
        let made = render_listing_or_reuse(&round, output, (template, theme), listing, render);
        String::from_utf8(made.unwrap().html.to_vec()).unwrap()
    }

    #[test]
    fn a_listing_runs_its_template_again_only_for_another_context_template_or_theme() {
        let memo = ListingMemo::default();
        let made_with = ("runbooks.html", 1);
        assert_eq!(listing(&memo, made_with, &["A", "B"], "first"), "first");
        assert_eq!(listing(&memo, made_with, &["A", "B"], "second"), "first");
        assert_eq!(listing(&memo, made_with, &["A", "C"], "third"), "third");
        assert_eq!(
            listing(&memo, ("home.html", 1), &["A", "C"], "fourth"),
            "fourth"
        );
        assert_eq!(
            listing(&memo, ("home.html", 2), &["A", "C"], "fifth"),
            "fifth"
        );
        assert_eq!(
            listing(&memo, ("home.html", 2), &["A", "C"], "sixth"),
            "fifth"
        );
    }

    #[test]
    fn the_site_key_changes_with_what_pages_share_and_not_with_a_body() {
        let options = RenderOptions::default();
        let mut project = Project::default();
        project.pages.push(page("a/index.html", "A").into());
        project.pages.push(page("b/index.html", "B").into());
        let before = site_key(&project, &options, 1);
        assert_eq!(before, site_key(&project, &options, 1));
        assert_ne!(before, site_key(&project, &options, 2), "theme");
        let mut body = project.clone();
        Arc::make_mut(&mut body.pages[0]).text = "# A\n\nsecond body\n".into();
        assert_eq!(before, site_key(&body, &options, 1));
        let mut retitled = project.clone();
        Arc::make_mut(&mut retitled.pages[0]).title = "Another".into();
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
