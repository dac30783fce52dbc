//! Hugo sections (render stage): a folder with an `_index.md` is a section, and its page
//! lists what the section holds (its pages and the sections below it) in Hugo's order:
//! `weight` first (pages without one, or with 0, after those with one), then title. The
//! site navigation shows the top sections in the same order (`nav_sections`); a section
//! marked `bookHidden` is left out of it and the sections below it take its place.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::runbook::{severity_view, SeverityView};
use super::ViewContext;
use crate::diagnostics::Diagnostics;
use crate::model::{Page, Project};
use crate::render::links::relative_href;

/// One entry of a section page: a page or a section below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionEntryView {
    pub title: String,
    pub href: String,
    pub description: Option<String>,
    /// `section`, or the page's kind (`runbook`, `page`, ...).
    pub kind: String,
    /// `12 steps`, `7 pages`: what the entry holds, when there is something to count.
    pub detail: Option<String>,
    pub severity: Option<SeverityView>,
}

/// Everything `section.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionPageView {
    pub title: String,
    pub description: Option<String>,
    /// The `_index.md` body, when it has one.
    pub content_html: Option<String>,
    pub entries: Vec<SectionEntryView>,
}

/// The folder (relative to `content/`) of the section `page` opens, for an `_index.md`.
fn section_folder(page: &Page) -> Option<PathBuf> {
    page.is_section().then(|| page_folder(page))
}

/// The folder (relative to `content/`) a page's source is in.
fn page_folder(page: &Page) -> PathBuf {
    let relative = page.source.strip_prefix("content").unwrap_or(&page.source);
    relative.parent().unwrap_or(Path::new("")).to_path_buf()
}

/// The sections of a site and what each holds.
struct SiteSections<'p> {
    /// Every section page with its folder.
    sections: Vec<(&'p Page, PathBuf)>,
    folders: BTreeSet<PathBuf>,
}

impl<'p> SiteSections<'p> {
    fn new(project: &'p Project) -> Self {
        let sections: Vec<(&Page, PathBuf)> = project
            .pages
            .iter()
            .filter_map(|page| section_folder(page).map(|folder| (&**page, folder)))
            .collect();
        let folders = sections.iter().map(|(_, folder)| folder.clone()).collect();
        SiteSections { sections, folders }
    }

    /// The nearest section folder that holds `folder`, `folder` itself included when
    /// `inclusive`; `None` when no section holds it.
    fn holder(&self, folder: &Path, inclusive: bool) -> Option<&Path> {
        let mut candidates = folder.ancestors();
        if !inclusive {
            candidates.next();
        }
        candidates
            .find_map(|candidate| self.folders.get(candidate))
            .map(PathBuf::as_path)
    }

    /// The section folder a page or section belongs to.
    fn parent_of(&self, page: &Page) -> Option<&Path> {
        match section_folder(page) {
            Some(folder) if folder.as_os_str().is_empty() => None,
            Some(folder) => self.holder(&folder, false),
            None => self.holder(&page_folder(page), true),
        }
    }

    /// What the section at `folder` holds, in Hugo's order; the home page is never
    /// listed.
    fn members(&self, project: &'p Project, folder: &Path) -> Vec<&'p Page> {
        let mut members: Vec<&Page> = project
            .pages
            .iter()
            .filter(|page| page.output != Path::new("index.html"))
            .filter(|page| self.parent_of(page) == Some(folder))
            .map(|page| &**page)
            .collect();
        members.sort_by_cached_key(|page| order_key(page));
        members
    }

    /// The sections the navigation shows: the sections just below the site root, each
    /// hidden one (`bookHidden`) replaced by the sections below it.
    fn top(&self, project: &'p Project) -> Vec<&'p Page> {
        let mut shown = Vec::new();
        let mut pending: Vec<&Page> = self
            .sections
            .iter()
            .map(|(page, _)| *page)
            .filter(|page| page.output != Path::new("index.html"))
            .filter(|page| {
                self.parent_of(page)
                    .is_none_or(|p| p.as_os_str().is_empty())
            })
            .collect();
        while let Some(page) = pending.pop() {
            if page.front_matter.book_hidden == Some(true) {
                let folder = section_folder(page).unwrap_or_default();
                pending.extend(
                    self.members(project, &folder)
                        .into_iter()
                        .filter(|member| section_folder(member).is_some()),
                );
            } else {
                shown.push(page);
            }
        }
        shown.sort_by_cached_key(|page| order_key(page));
        shown
    }
}

/// Hugo's default order: pages with a weight (not 0) first, by weight; then by title
/// (its link title when it has one), without case; the output path breaks ties.
fn order_key(page: &Page) -> (bool, i64, String, PathBuf) {
    let weight = page.front_matter.weight.filter(|w| *w != 0);
    (
        weight.is_none(),
        weight.unwrap_or(0),
        entry_title(page).to_lowercase(),
        page.output.clone(),
    )
}

/// A page's title in lists and menus: its `linkTitle`, else its title.
fn entry_title(page: &Page) -> &str {
    page.front_matter
        .link_title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(&page.title)
}

/// True when every page of `kind` (the home page aside) sits in a section the navigation
/// shows (or below one), so its sections already lead to all of them.
pub fn kind_within_sections(project: &Project, kind: crate::model::PageKind) -> bool {
    let sections = SiteSections::new(project);
    // The folders the navigation leads to: its sections and everything below them.
    let shown: Vec<PathBuf> = sections
        .top(project)
        .into_iter()
        .filter_map(section_folder)
        .collect();
    project
        .pages
        .iter()
        // Section pages only list; the navigation need not lead to each of them.
        .filter(|page| page.kind == kind && !page.is_section())
        .filter(|page| page.output != Path::new("index.html"))
        .all(|page| {
            let folder = page_folder(page);
            shown.iter().any(|top| folder.starts_with(top))
        })
}

/// The navigation's section entries: title and output path of each top section, in
/// Hugo's order (see `SiteSections::top`).
pub fn nav_sections(project: &Project) -> Vec<(String, PathBuf)> {
    let sections = SiteSections::new(project);
    sections
        .top(project)
        .into_iter()
        .map(|page| (entry_title(page).to_string(), page.output.clone()))
        .collect()
}

/// The view of the section page `page` (an `_index.md`): its text and its members.
/// Problems met rendering the text go to `diagnostics`, placed in its file.
pub fn section_page_view(
    project: &Project,
    page: &Page,
    ctx: &ViewContext,
    diagnostics: &mut Diagnostics,
) -> SectionPageView {
    let sections = SiteSections::new(project);
    let folder = section_folder(page).unwrap_or_else(|| page_folder(page));
    let entries = sections
        .members(project, &folder)
        .into_iter()
        .map(|member| entry_view(&sections, project, page, member))
        .collect();
    let body = super::format::without_title_heading(page.body(), &page.title);
    let content_html = (!body.trim().is_empty())
        .then(|| super::document::page_body_html(page, body, ctx, diagnostics));
    SectionPageView {
        title: page.title.clone(),
        description: page.front_matter.description.clone(),
        content_html,
        entries,
    }
}

fn entry_view(
    sections: &SiteSections,
    project: &Project,
    section: &Page,
    member: &Page,
) -> SectionEntryView {
    let (kind, detail) = match section_folder(member) {
        Some(folder) => {
            let count = sections.members(project, &folder).len();
            let noun = if count == 1 { "page" } else { "pages" };
            ("section".to_string(), Some(format!("{count} {noun}")))
        }
        None => {
            let steps = member.runbook.as_ref().map(|r| r.steps().count());
            let detail = steps.map(|n| format!("{n} {}", if n == 1 { "step" } else { "steps" }));
            (member.kind.as_str().to_string(), detail)
        }
    };
    SectionEntryView {
        title: entry_title(member).to_string(),
        href: relative_href(&section.output, &member.output),
        description: member.front_matter.description.clone(),
        kind,
        detail,
        severity: member
            .runbook
            .as_ref()
            .and_then(|r| r.severity.as_ref())
            .map(severity_view),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PageKind;
    use crate::render::highlight::Highlighter;
    use crate::test_support::document_page;

    fn page(source: &str, output: &str, title: &str, weight: Option<i64>) -> Page {
        let mut page = document_page(PageKind::Runbook, output, title);
        page.source = PathBuf::from(source);
        page.front_matter.weight = weight;
        page
    }

    fn site() -> Project {
        let mut hidden = page(
            "content/runbooks/_index.md",
            "runbooks/index.html",
            "runbooks",
            None,
        );
        hidden.front_matter.book_hidden = Some(true);
        Project {
            pages: crate::test_support::shared_pages(vec![
                page("content/_index.md", "index.html", "Introduction", None),
                hidden,
                page(
                    "content/runbooks/node/_index.md",
                    "runbooks/node/index.html",
                    "node",
                    Some(10),
                ),
                page(
                    "content/runbooks/node/B.md",
                    "runbooks/node/b/index.html",
                    "Beta",
                    Some(20),
                ),
                page(
                    "content/runbooks/node/A.md",
                    "runbooks/node/a/index.html",
                    "alpha",
                    Some(20),
                ),
                page(
                    "content/runbooks/node/Z.md",
                    "runbooks/node/z/index.html",
                    "Zulu",
                    Some(5),
                ),
                page(
                    "content/runbooks/node/N.md",
                    "runbooks/node/n/index.html",
                    "Aaa",
                    None,
                ),
                page(
                    "content/runbooks/am/_index.md",
                    "runbooks/am/index.html",
                    "alertmanager",
                    Some(10),
                ),
                page(
                    "content/runbooks/am/deep/X.md",
                    "runbooks/am/deep/x/index.html",
                    "X",
                    None,
                ),
                page("content/docs/_index.md", "docs/index.html", "Docs", Some(1)),
            ]),
            ..Project::default()
        }
    }

    #[test]
    fn a_section_lists_its_pages_by_weight_then_title_unweighted_last() {
        let project = site();
        let ctx = ViewContext {
            highlighter: &Highlighter::new(),
            root: "../../".into(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let node = &project.pages[2];
        let view = section_page_view(&project, node, &ctx, &mut Diagnostics::new());
        let titles: Vec<&str> = view.entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Zulu", "alpha", "Beta", "Aaa"]);
        assert_eq!(view.entries[0].href, "z/index.html");
        let hidden = section_page_view(&project, &project.pages[1], &ctx, &mut Diagnostics::new());
        let sections: Vec<(&str, Option<&str>)> = hidden
            .entries
            .iter()
            .map(|e| (e.title.as_str(), e.detail.as_deref()))
            .collect();
        assert_eq!(
            sections,
            [("alertmanager", Some("1 page")), ("node", Some("4 pages"))]
        );
    }

    #[test]
    fn navigation_shows_top_sections_with_hidden_ones_replaced_by_their_children() {
        let project = site();
        let nav: Vec<String> = nav_sections(&project)
            .into_iter()
            .map(|(title, output)| format!("{title} {}", output.display()))
            .collect();
        assert_eq!(
            nav,
            [
                "Docs docs/index.html",
                "alertmanager runbooks/am/index.html",
                "node runbooks/node/index.html"
            ]
        );
        assert!(kind_within_sections(&project, PageKind::Runbook));
        let mut loose = project.clone();
        let mut page = page(
            "content/runbooks/L.md",
            "runbooks/l/index.html",
            "Loose",
            None,
        );
        page.kind = PageKind::Runbook;
        loose.pages.push(page.into());
        assert!(
            !kind_within_sections(&loose, PageKind::Runbook),
            "a runbook in the hidden section itself is not under a section the navigation shows"
        );
    }
}
