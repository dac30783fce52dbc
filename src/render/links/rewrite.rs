//! Rewriting the links an author wrote (render stage): in a page's finished HTML, each link
//! whose destination is a source file of the site (`./other.md`) gets the page-relative URL
//! of the generated file instead. Links made by templates are left alone: only the
//! destinations found in the page's own markdown are touched, in order.

use std::collections::{BTreeMap, VecDeque};

use super::html::{attributes, percent_decode};
use super::{normalize_href, SourceLinks};
use crate::model::Page;

/// The page's HTML with its source-file links pointing at the generated pages.
pub fn rewrite_page_links(links: &SourceLinks, page: &Page, html: Vec<u8>) -> Vec<u8> {
    let html = match String::from_utf8(html) {
        Ok(html) => html,
        Err(error) => return error.into_bytes(),
    };
    let mut pending: BTreeMap<String, VecDeque<String>> = BTreeMap::new();
    for link in links.author_links(page) {
        if let Some(rewritten) = link.rewritten {
            pending
                .entry(percent_decode(&link.dest))
                .or_default()
                .push_back(rewritten);
        }
    }
    if pending.is_empty() {
        return html.into_bytes();
    }
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for attribute in attributes(&html) {
        if !matches!(attribute.name.as_ref(), "href" | "src") {
            continue;
        }
        let key = normalize_href(attribute.value);
        if let Some(rewritten) = pending.get_mut(&key).and_then(VecDeque::pop_front) {
            out.push_str(&html[copied..attribute.range.start]);
            out.push_str(&rewritten);
            copied = attribute.range.end;
        }
    }
    out.push_str(&html[copied..]);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PageKind, Project};
    use crate::test_support::document_page;
    use std::path::PathBuf;

    #[test]
    fn only_the_authors_source_links_are_rewritten() {
        let mut index = document_page(PageKind::Runbook, "runbooks/index.html", "Index");
        index.source = PathBuf::from("content/runbooks/README.md");
        index.text = "[DB](p0-db.md#step-2) and [gone](gone.md) and [web](https://x.io)\n".into();
        let mut db = document_page(PageKind::Runbook, "runbooks/p0-db/index.html", "DB");
        db.source = PathBuf::from("content/runbooks/p0-db.md");
        let project = Project {
            pages: crate::test_support::shared_pages(vec![index.clone(), db]),
            ..Project::default()
        };
        let links = SourceLinks::new(&project);
        let html = concat!(
            r#"<nav><a href="../index.html">Home</a></nav>"#,
            r#"<p><a href="p0-db.md#step-2">DB</a> and <a href="gone.md">gone</a> and "#,
            r#"<a href="https://x.io">web</a></p>"#
        );
        let out = String::from_utf8(rewrite_page_links(&links, &index, html.into())).unwrap();
        assert_eq!(
            out,
            concat!(
                r#"<nav><a href="../index.html">Home</a></nav>"#,
                r#"<p><a href="p0-db/index.html#step-2">DB</a> and <a href="gone.md">gone</a> and "#,
                r#"<a href="https://x.io">web</a></p>"#
            )
        );
    }
}
