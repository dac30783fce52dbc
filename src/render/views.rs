//! View structs: what templates see (render stage). Built from the borrowed model by the
//! `*_view` functions; templates never see the model itself, so a template change cannot
//! depend on how ingest happened to shape the data, and the model never holds HTML.
//!
//! Every link in a view is page-relative: the `root` prefix from the page being rendered
//! to the output root, then the target's output path with an explicit `index.html`. The
//! site then works from `file://` and under any sub-path.

mod alerts;
mod artifact;
mod audit;
mod command;
mod document;
mod findings;
mod format;
mod health;
mod home;
mod plan;
mod plan_lanes;
mod plan_swimlane;
mod plans_index;
mod runbook;
mod section;
mod status;
mod timelines;

use std::path::Path;

use serde::Serialize;

use super::highlight::Highlighter;
use crate::model::duration::DayLength;
use crate::model::{Page, PageKind, Project};

pub use alerts::{alerts_page, alerts_page_view, runbook_alerts_view, AlertRuleView};
pub use artifact::artifact_view;
pub use audit::{add_audit_links, attach_remediations, audit_view, audits_index_view, is_report};
pub use document::document_view;
pub use health::health_view;
pub use home::{home_view, PageGroupView};
pub use plan::plan_view;
#[cfg(test)]
pub use plan::PlanView;
pub use plan_swimlane::swimlane_html;
pub use plans_index::{is_plan_page, plans_index_view, PLANS_INDEX};
pub use runbook::{runbook_index_view, runbook_view};
pub use section::section_page_view;
pub use status::apply_plan_status;
pub use timelines::timelines_view;

/// What every view builder needs besides the model.
pub struct ViewContext<'a> {
    pub highlighter: &'a Highlighter,
    /// Relative prefix from the page being rendered to the output root: "" for index.html,
    /// "../../" for plans/x/index.html. Every link is page-relative (root + target path with
    /// explicit index.html), so the site works from file:// and under any sub-path.
    pub root: String,
    /// The plan's working day, for ETA totals (see `RenderOptions::working_day`).
    pub working_day: DayLength,
}

/// A link: its text and its page-relative (or in-page `#anchor`) target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkView {
    pub title: String,
    pub href: String,
    /// A one-line description (front matter `description`), when there is one.
    pub description: Option<String>,
}

/// One entry of the site navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavLinkView {
    pub title: String,
    pub href: String,
}

/// What every template sees as `site`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteView {
    pub title: String,
    /// Prefix from the current page to the output root (`""`, `"../../"`).
    pub root: String,
    /// The site navigation: home, the plans index, then the home page's section (or index)
    /// for each other kind of page that exists.
    pub nav: Vec<NavLinkView>,
    /// The page's absolute canonical URL; only when the site has a base URL.
    pub canonical: Option<String>,
}

/// The `site` view for one page: `root` is that page's prefix to the output root.
/// Rendering many pages, build the `SiteNav` once and call `SiteNav::view`.
#[cfg(test)]
pub fn site_view(project: &Project, site_title: &str, root: &str) -> SiteView {
    SiteNav::new(project).view(site_title, root)
}

/// The site navigation, worked out once per build: each page only prefixes its `root`
/// (finding the plans for every page made a 10,000-page build quadratic).
#[derive(Debug, Clone, Default)]
pub struct SiteNav {
    /// Entries after Home: title and target. The target is an output path
    /// (`plans/index.html`) or, starting with `#`, a section of the home page.
    entries: Vec<(String, String)>,
}

impl SiteNav {
    /// Home, one "Plans" entry for the plans index (a header listing every plan by title
    /// took ten lines on a site with 19 plans), then the home page's section for each
    /// other kind of page that exists.
    pub fn new(project: &Project) -> SiteNav {
        let mut entries = Vec::new();
        if project.pages.iter().any(|page| is_plan_page(page)) {
            let (heading, _) = kind_heading(PageKind::Plan);
            entries.push((heading.to_string(), PLANS_INDEX.to_string()));
        }
        // Hugo sections (folders with an `_index.md`), in their own order; a kind whose
        // pages all sit in them needs no entry of its own.
        let sections = section::nav_sections(project);
        let has_sections = !sections.is_empty();
        for (title, output) in sections {
            entries.push((title, forward_slashes(&output)));
        }
        for kind in [PageKind::Runbook, PageKind::Audit, PageKind::Page] {
            if kind == PageKind::Audit {
                if let Some(path) = alerts_page(project) {
                    entries.push(("Alerts".to_string(), forward_slashes(path)));
                }
            }
            if has_sections
                && kind != PageKind::Audit
                && section::kind_within_sections(project, kind)
            {
                continue;
            }
            if kind == PageKind::Audit && (!project.audits.is_empty() || !project.vex.is_empty()) {
                let target = "audits/index.html".to_string();
                entries.push(("Audits".to_string(), target));
                continue;
            }
            let has_pages = project
                .pages
                .iter()
                .any(|page| page.kind == kind && !is_home_page(page));
            if has_pages {
                let (heading, anchor) = kind_heading(kind);
                entries.push((heading.to_string(), format!("#{anchor}")));
            }
        }
        SiteNav { entries }
    }

    /// The `site` view for the page whose prefix to the output root is `root`.
    pub fn view(&self, site_title: &str, root: &str) -> SiteView {
        let home = format!("{root}index.html");
        let mut nav = Vec::with_capacity(self.entries.len() + 1);
        nav.push(NavLinkView {
            title: String::from("Home"),
            href: home.clone(),
        });
        nav.extend(self.entries.iter().map(|(title, target)| {
            let href = if target.starts_with('#') {
                format!("{home}{target}")
            } else {
                format!("{root}{target}")
            };
            NavLinkView {
                title: title.clone(),
                href,
            }
        }));
        SiteView {
            title: site_title.to_string(),
            root: root.to_string(),
            nav,
            canonical: None,
        }
    }
}

/// `root` + the page's output path, with forward slashes on every platform.
pub fn page_href(root: &str, page: &Page) -> String {
    output_href(root, &page.output)
}

/// The page-relative link to any output file.
pub fn output_href(root: &str, output: &Path) -> String {
    format!("{root}{}", forward_slashes(output))
}

fn forward_slashes(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The page written as the site's `index.html` (`content/index.md`); it is the home
/// page's own text, so it is not listed among the other pages.
pub(crate) fn is_home_page(page: &Page) -> bool {
    page.output == Path::new("index.html")
}

/// The heading and anchor of the home page's list for a kind of page.
pub(crate) fn kind_heading(kind: PageKind) -> (&'static str, &'static str) {
    match kind {
        PageKind::Plan => ("Plans", "plans"),
        PageKind::Runbook => ("Runbooks", "runbooks"),
        PageKind::Audit => ("Audits", "audits"),
        PageKind::Page => ("Pages", "pages"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{document_page, plan_page, sample_plan};

    #[test]
    fn nav_links_home_the_plans_index_and_other_kinds_relative_to_the_page() {
        let project = Project {
            root: Default::default(),
            pages: crate::test_support::shared_pages(vec![
                plan_page("devops", sample_plan()),
                plan_page("notes", crate::model::Plan::default()),
                document_page(PageKind::Runbook, "runbooks/restore/index.html", "Restore"),
            ]),
            ..Project::default()
        };
        let site = site_view(&project, "Ops", "../../");
        let nav: Vec<(&str, &str)> = site
            .nav
            .iter()
            .map(|l| (l.title.as_str(), l.href.as_str()))
            .collect();
        assert_eq!(
            nav,
            [
                ("Home", "../../index.html"),
                ("Plans", "../../plans/index.html"),
                ("Runbooks", "../../index.html#runbooks")
            ]
        );
        assert_eq!(site.root, "../../");
    }

    #[test]
    fn a_site_without_plans_has_no_plans_entry() {
        let project = Project {
            pages: crate::test_support::shared_pages(vec![document_page(
                PageKind::Page,
                "about/index.html",
                "About",
            )]),
            ..Project::default()
        };
        let site = site_view(&project, "Ops", "");
        let titles: Vec<&str> = site.nav.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(titles, ["Home", "Pages"]);
    }
}
