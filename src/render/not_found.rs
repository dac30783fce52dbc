//! The site's 404 page (render stage): the theme's `404.html` with the site navigation and
//! the list of runbooks, so a reader who followed a stale link during an incident is one
//! click away from the right runbook.
//!
//! Hosts such as Cloudflare Pages serve this one file for every unknown path, at any
//! depth (`/a/b/missing`), so page-relative links cannot work here. Its links start at
//! the host root (`/`) instead: such hosts always publish the site at the root. On
//! `file://` and under a sub-path nobody serves this page, so nothing else is affected.

use std::path::Path;

use serde::Serialize;

use super::views::{page_href, LinkView};
use super::SiteRenderer;
use crate::diagnostics::Diagnostic;
use crate::model::PageKind;

/// Where the page is written, relative to the output root.
pub const OUTPUT: &str = "404.html";

/// The root prefix of every link on the 404 page.
const HOST_ROOT: &str = "/";

/// What `404.html` sees as `page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotFoundView {
    /// Every runbook, by title.
    pub runbooks: Vec<LinkView>,
}

impl SiteRenderer<'_> {
    pub(super) fn render_not_found(&self) -> Result<super::Output, Diagnostic> {
        let mut context = tera::Context::new();
        context.insert("site", &self.nav.view(&self.site_title, HOST_ROOT));
        let view = not_found_view(self.project);
        self.render_listing(Path::new(OUTPUT), OUTPUT, context, view)
    }
}

fn not_found_view(project: &crate::model::Project) -> NotFoundView {
    let mut runbooks: Vec<LinkView> = project
        .pages
        .iter()
        .filter(|page| page.kind == PageKind::Runbook && page.output != Path::new("index.html"))
        .map(|page| LinkView {
            title: page.title.clone(),
            href: page_href(HOST_ROOT, page),
            description: page.front_matter.description.clone(),
        })
        .collect();
    runbooks.sort_by(|a, b| a.title.cmp(&b.title).then(a.href.cmp(&b.href)));
    NotFoundView { runbooks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;
    use crate::test_support::document_page;

    #[test]
    fn runbooks_are_listed_by_title_with_links_from_the_host_root() {
        let project = Project {
            pages: crate::test_support::shared_pages(vec![
                document_page(PageKind::Runbook, "runbooks/zeta/index.html", "Zeta"),
                document_page(PageKind::Page, "about/index.html", "About"),
                document_page(PageKind::Runbook, "runbooks/alpha/index.html", "Alpha"),
            ]),
            ..Project::default()
        };
        let view = not_found_view(&project);
        let links: Vec<(&str, &str)> = view
            .runbooks
            .iter()
            .map(|l| (l.title.as_str(), l.href.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("Alpha", "/runbooks/alpha/index.html"),
                ("Zeta", "/runbooks/zeta/index.html")
            ]
        );
    }
}
