//! The view of an ordinary page (runbook, audit, page) and of a plan file that follows
//! none of the plan conventions: its title, front matter facts and rendered markdown.

use serde::Serialize;

use super::format::without_title_heading;
use super::ViewContext;
use crate::diagnostics::Diagnostics;
use crate::model::{Page, PageKind};
use crate::render::markdown::{render_markdown_in_file, MarkdownOrigin, RawHtml};

/// Everything `page.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentView {
    pub title: String,
    /// `runbook`, `audit`, `page` or `plan`.
    pub kind: String,
    pub description: Option<String>,
    /// Front matter facts worth showing (date, owner, severity, ...), in a fixed order.
    pub meta: Vec<MetaView>,
    pub tags: Vec<String>,
    /// A note shown above the text, e.g. that the plan conventions were not found.
    pub note: Option<String>,
    /// The markdown body as HTML, without a first heading that repeats the title.
    pub content_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetaView {
    pub label: String,
    pub value: String,
}

const UNSTRUCTURED_PLAN_NOTE: &str = "The plan conventions were not found in this file \
(no epic sections, no tasks, no timeline days), so it is shown as a document.";

/// The view of a page rendered as a document. Problems met rendering the body (e.g. a
/// diagram too large to draw) go to `diagnostics`, placed in the page's file.
pub fn document_view(
    page: &Page,
    ctx: &ViewContext,
    diagnostics: &mut Diagnostics,
) -> DocumentView {
    let front = &page.front_matter;
    let meta = [
        ("Status", &front.status),
        ("Severity", &front.severity),
        ("Owner", &front.owner),
        ("Date", &front.date),
        ("Updated", &front.updated),
    ]
    .into_iter()
    .filter_map(|(label, value)| {
        value.as_ref().map(|value| MetaView {
            label: label.to_string(),
            value: value.clone(),
        })
    })
    .collect();
    let unstructured_plan =
        page.kind == PageKind::Plan && page.plan.as_ref().is_none_or(|plan| !plan.is_structured());
    let mut view = DocumentView {
        title: page.title.clone(),
        kind: page.kind.as_str().to_string(),
        description: front.description.clone(),
        meta,
        tags: front.tags.clone(),
        note: unstructured_plan.then(|| UNSTRUCTURED_PLAN_NOTE.to_string()),
        content_html: String::new(),
    };
    let body = without_title_heading(page.body(), &page.title);
    view.content_html = page_body_html(page, body, ctx, diagnostics);
    view
}

/// `body`, a slice of `page`'s text, as HTML: raw HTML sanitised, diagrams drawn, and what
/// is found placed in the page's file.
pub(super) fn page_body_html(
    page: &Page,
    body: &str,
    ctx: &ViewContext,
    diagnostics: &mut Diagnostics,
) -> String {
    // `body` is a slice of the page text, so its offset there is a pointer difference.
    let offset = (body.as_ptr() as usize).saturating_sub(page.text.as_ptr() as usize);
    let origin = MarkdownOrigin {
        file: &page.text,
        offset: offset.min(page.text.len()),
    };
    let mut found = Diagnostics::new();
    let html = render_markdown_in_file(
        body,
        ctx.highlighter,
        RawHtml::Sanitize,
        Some(origin),
        &page.diagrams,
        &mut found,
    );
    diagnostics.extend(found.into_iter().map(|mut d| {
        d.path = Some(page.source.clone());
        d
    }));
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Plan;
    use crate::render::highlight::Highlighter;
    use crate::test_support::{document_page, plan_page, sample_plan};

    fn ctx(highlighter: &Highlighter) -> ViewContext<'_> {
        ViewContext {
            highlighter,
            root: "../../".into(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        }
    }

    #[test]
    fn unstructured_plan_carries_the_note_and_documents_do_not() {
        let highlighter = Highlighter::new();
        let unstructured = document_view(
            &plan_page("notes", Plan::default()),
            &ctx(&highlighter),
            &mut Diagnostics::new(),
        );
        assert!(unstructured
            .note
            .as_deref()
            .is_some_and(|n| n.contains("plan conventions")));
        let structured = document_view(
            &plan_page("devops", sample_plan()),
            &ctx(&highlighter),
            &mut Diagnostics::new(),
        );
        assert_eq!(structured.note, None);
        let runbook = document_page(PageKind::Runbook, "runbooks/r/index.html", "Restore");
        assert_eq!(
            document_view(&runbook, &ctx(&highlighter), &mut Diagnostics::new()).note,
            None
        );
    }

    #[test]
    fn front_matter_facts_are_listed_in_a_fixed_order() {
        let highlighter = Highlighter::new();
        let mut page = document_page(PageKind::Audit, "audits/a/index.html", "Audit");
        page.front_matter.owner = Some("sre".into());
        page.front_matter.status = Some("open".into());
        let view = document_view(&page, &ctx(&highlighter), &mut Diagnostics::new());
        let labels: Vec<&str> = view.meta.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, ["Status", "Owner"]);
        assert_eq!(view.kind, "audit");
    }
}
