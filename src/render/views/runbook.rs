//! The views of runbooks (render stage): one runbook page (header card, sections, steps
//! with their branches) and the runbook index (a row per runbook, ordered by severity).
//! Runbook text is rendered like every author's page: raw HTML through the allow-list
//! (`render::markdown::sanitize`), so a runbook written for Hugo or GitHub keeps its
//! `<details>` blocks and nothing pasted from a chat or a ticket can add script.

use std::path::Path;

use serde::Serialize;

use super::format::format_minutes;
use super::ViewContext;
use crate::config::RunbookOptions;
use crate::diagnostics::Diagnostics;
use crate::model::date::{days_of_iso, iso_of_days};
use crate::model::runbook::{Outcome, Part, RunbookSeverity, Section, Step, StepKind, Target};
use crate::model::{Page, Runbook};
use crate::render::links::relative_href;
use crate::render::markdown::{
    render_markdown_in_file, render_markdown_with, MarkdownOrigin, RawHtml,
};

/// Severity as a badge: words and colour class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeverityView {
    /// `P0`.
    pub label: String,
    /// `P0 Critical`.
    pub text: String,
    /// As the author wrote it (`SEV1`), shown when it differs from the label.
    pub original: Option<String>,
    pub class: String,
    pub level: u8,
}

/// When the runbook is due for review and whether it is late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewView {
    pub interval_days: u32,
    /// `YYYY-MM-DD`, when the last update is a date.
    pub due: Option<String>,
    /// Known only when the build has a reference date.
    pub stale: Option<bool>,
    pub days_overdue: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactView {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchView {
    /// `success` or `failure`.
    pub outcome: String,
    pub text: String,
    /// `#step-3`, when the branch names a step or section.
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepView {
    pub id: String,
    /// `Step 1`, `Scenario A`, or `3.` for list items.
    pub label: String,
    pub title: String,
    /// `step`, `scenario` or `item`.
    pub kind: String,
    pub body_html: String,
    pub branches: Vec<BranchView>,
}

/// Markdown or a step; exactly one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartView {
    pub html: Option<String>,
    pub step: Option<StepView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    /// The section kind as a class (`immediate_actions`), for styling.
    pub kind: String,
    pub parts: Vec<PartView>,
}

/// Everything `runbook.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunbookView {
    pub title: String,
    /// Key for the reader's ticked steps in `localStorage`.
    pub storage_key: String,
    pub severity: Option<SeverityView>,
    pub facts: Vec<FactView>,
    pub review: ReviewView,
    pub alerts: Vec<String>,
    pub related_tasks: Vec<String>,
    /// `<slug>.pdf`, next to the page, when PDFs are built.
    pub pdf_href: Option<String>,
    /// PDFs are built but this runbook's could not be made: the page says so where the
    /// link would be.
    pub pdf_missing: bool,
    pub intro_html: Option<String>,
    pub sections: Vec<SectionView>,
    pub step_count: usize,
    /// The alert rules whose `runbook_url` leads here (set by the caller, which knows
    /// the site's alert links).
    pub alert_rules: Vec<super::AlertRuleView>,
}

/// Renders runbook markdown (raw HTML through the allow-list) with positions in the runbook's file, so
/// a diagram that cannot be drawn whole is reported at its line; the problems are
/// collected in `found`.
fn render_in_page(
    page: &Page,
    text: &str,
    ctx: &ViewContext,
    found: &std::cell::RefCell<Diagnostics>,
) -> String {
    // The model keeps section text as written; find it in the file only when it holds a
    // diagram, the one thing that reports positions while drawing.
    let offset = if text.contains("```mermaid") {
        page.text.find(text)
    } else {
        None
    };
    let origin = offset.map(|offset| MarkdownOrigin {
        file: &page.text,
        offset,
    });
    let mut drawn = Diagnostics::new();
    let html = render_markdown_in_file(
        text,
        ctx.highlighter,
        RawHtml::Sanitize,
        origin,
        &page.diagrams,
        &mut drawn,
    );
    found.borrow_mut().extend(drawn.into_iter().map(|mut d| {
        d.path = Some(page.source.clone());
        d
    }));
    html
}

/// The view of one runbook page. Problems met drawing its diagrams go to
/// `diagnostics`, placed in the runbook's file.
pub fn runbook_view(
    page: &Page,
    runbook: &Runbook,
    ctx: &ViewContext,
    options: &RunbookOptions,
    pdf_name: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> RunbookView {
    let found = std::cell::RefCell::new(Diagnostics::new());
    let markdown = |text: &str| render_in_page(page, text, ctx, &found);
    let sections: Vec<SectionView> = runbook
        .sections
        .iter()
        .map(|section| section_view(section, &markdown))
        .collect();
    let view = RunbookView {
        title: page.title.clone(),
        storage_key: format!("opsbook:runbook:{}", page.output.to_string_lossy()),
        severity: runbook.severity.as_ref().map(severity_view),
        facts: facts(runbook, options),
        review: review_view(runbook, options),
        alerts: runbook.alerts.clone(),
        related_tasks: runbook.related_tasks.clone(),
        pdf_href: pdf_name.map(str::to_string),
        pdf_missing: false,
        intro_html: runbook.intro.as_ref().map(|t| markdown(&t.text)),
        step_count: runbook.steps().count(),
        sections,
        alert_rules: Vec::new(),
    };
    diagnostics.append(found.into_inner());
    view
}

fn section_view(section: &Section, markdown: &dyn Fn(&str) -> String) -> SectionView {
    let parts = section
        .parts
        .iter()
        .map(|part| match part {
            Part::Markdown(text) => PartView {
                html: Some(markdown(&text.text)),
                step: None,
            },
            Part::Step(step) => PartView {
                html: None,
                step: Some(step_view(step, markdown)),
            },
        })
        .collect();
    SectionView {
        id: section.id.clone(),
        title: section.title.clone(),
        kind: serde_json::to_value(section.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        parts,
    }
}

fn step_view(step: &Step, markdown: &dyn Fn(&str) -> String) -> StepView {
    let (kind, label) = match step.kind {
        StepKind::Step => ("step", step.label.clone()),
        StepKind::Scenario => ("scenario", step.label.clone()),
        StepKind::ListItem => ("item", format!("{}.", step.label)),
    };
    StepView {
        id: step.id.clone(),
        label,
        title: step.title.clone(),
        kind: kind.to_string(),
        body_html: markdown(&step.body.text),
        branches: step
            .branches
            .iter()
            .map(|b| BranchView {
                outcome: match b.outcome {
                    Outcome::Success => "success".into(),
                    Outcome::Failure => "failure".into(),
                },
                text: b.text.replace(['*', '`'], ""),
                href: b.target.as_ref().map(|id| format!("#{id}")),
            })
            .collect(),
    }
}

pub(crate) fn severity_view(severity: &RunbookSeverity) -> SeverityView {
    let text = format!("{} {}", severity.label, severity.name);
    let original = (!severity.original.eq_ignore_ascii_case(&severity.label)
        && !severity.original.eq_ignore_ascii_case(&text)
        && !severity
            .original
            .to_lowercase()
            .starts_with(&severity.label.to_lowercase()))
    .then(|| severity.original.clone());
    SeverityView {
        label: severity.label.clone(),
        text,
        original,
        class: format!("priority-p{}", severity.level.min(4)),
        level: severity.level,
    }
}

fn target_text(target: &Target) -> String {
    match target.minutes() {
        Some(minutes) if target.text.trim().chars().all(|c| c.is_ascii_digit()) => {
            format_minutes(minutes)
        }
        _ => target.text.clone(),
    }
}

fn facts(runbook: &Runbook, options: &RunbookOptions) -> Vec<FactView> {
    let interval = runbook.review_interval.as_ref().map_or_else(
        || format!("every {} days (site default)", options.review_days),
        |i| format!("{} ({} days)", i.text, i.days()),
    );
    [
        ("MTTR target", runbook.mttr.as_ref().map(target_text)),
        ("RTO", runbook.rto.as_ref().map(target_text)),
        ("RPO", runbook.rpo.as_ref().map(target_text)),
        ("Owner", runbook.owner.as_ref().map(|t| t.text.clone())),
        ("Status", runbook.status.as_ref().map(|t| t.text.clone())),
        (
            "Last updated",
            runbook.last_updated.as_ref().map(|d| d.text.clone()),
        ),
        (
            "Last tested",
            runbook.last_tested.as_ref().map(|d| d.text.clone()),
        ),
        ("Review", Some(interval)),
    ]
    .into_iter()
    .filter_map(|(label, value)| {
        value.map(|value| FactView {
            label: label.to_string(),
            value,
        })
    })
    .collect()
}

pub(crate) fn review_view(runbook: &Runbook, options: &RunbookOptions) -> ReviewView {
    let interval_days = runbook
        .review_interval
        .as_ref()
        .map_or(options.review_days, |i| i.days());
    let last = runbook
        .last_updated
        .as_ref()
        .and_then(|d| d.iso.as_deref())
        .and_then(days_of_iso);
    let due_days = last.map(|days| days + i64::from(interval_days));
    let as_of = options.as_of.as_deref().and_then(days_of_iso);
    let overdue = due_days.zip(as_of).map(|(due, today)| today - due);
    ReviewView {
        interval_days,
        due: due_days.map(iso_of_days),
        stale: overdue.map(|days| days > 0),
        days_overdue: overdue.filter(|days| *days > 0),
    }
}

/// One row of the runbook index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunbookRowView {
    pub title: String,
    pub href: String,
    pub severity: Option<SeverityView>,
    /// Sort key: the severity level, 9 when unknown.
    pub severity_rank: u8,
    pub mttr: Option<String>,
    /// Sort key for MTTR in minutes.
    pub mttr_minutes: Option<u32>,
    pub owner: Option<String>,
    pub last_updated: Option<String>,
    pub review: ReviewView,
    pub step_count: usize,
}

/// Everything `runbooks.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunbookIndexView {
    pub title: String,
    pub intro_html: Option<String>,
    pub rows: Vec<RunbookRowView>,
}

/// The index of every runbook, most severe first, then by title, for the index page
/// written at `at` (rows link the shortest way from there: `db/index.html`). `intro` is
/// the runbook folder's own page (its README), when there is one.
pub fn runbook_index_view(
    runbooks: &[(&Page, &Runbook)],
    intro: Option<&Page>,
    at: &Path,
    ctx: &ViewContext,
    options: &RunbookOptions,
) -> RunbookIndexView {
    let mut rows: Vec<RunbookRowView> = runbooks
        .iter()
        .map(|(page, runbook)| RunbookRowView {
            title: page.title.clone(),
            href: relative_href(at, &page.output),
            severity: runbook.severity.as_ref().map(severity_view),
            severity_rank: runbook.severity.as_ref().map_or(9, |s| s.level),
            mttr: runbook.mttr.as_ref().map(target_text),
            mttr_minutes: runbook.mttr.as_ref().and_then(|t| t.minutes()),
            owner: runbook.owner.as_ref().map(|t| t.text.clone()),
            last_updated: runbook.last_updated.as_ref().map(|d| d.text.clone()),
            review: review_view(runbook, options),
            step_count: runbook.steps().count(),
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.severity_rank, &a.title, &a.href).cmp(&(b.severity_rank, &b.title, &b.href))
    });
    let intro_html = intro.map(|page| {
        let body = super::format::without_title_heading(page.body(), &page.title);
        render_markdown_with(body, ctx.highlighter, RawHtml::Sanitize, &page.diagrams)
    });
    RunbookIndexView {
        title: intro.map_or_else(|| "Runbooks".to_string(), |p| p.title.clone()),
        intro_html,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::duration::{Duration, DurationUnit};
    use crate::model::runbook::{DateField, Interval};
    use crate::model::Span;

    fn dated(iso: &str, interval: Option<u32>) -> Runbook {
        Runbook {
            last_updated: Some(DateField {
                text: iso.into(),
                iso: Some(iso.into()),
                span: Span::default(),
            }),
            review_interval: interval.map(|days| Interval {
                text: format!("{days} days"),
                duration: Duration::of(f64::from(days), DurationUnit::Days),
                span: Span::default(),
            }),
            ..Runbook::default()
        }
    }

    #[test]
    fn review_is_due_one_interval_after_the_last_update() {
        let options = RunbookOptions::default();
        let review = review_view(&dated("2026-01-04", None), &options);
        assert_eq!(review.due.as_deref(), Some("2026-04-04"));
        assert_eq!(review.stale, None, "no reference date, no verdict");
        let monthly = review_view(&dated("2026-01-04", Some(30)), &options);
        assert_eq!(monthly.due.as_deref(), Some("2026-02-03"));
    }

    #[test]
    fn staleness_is_judged_on_the_builds_reference_date() {
        let options = RunbookOptions {
            as_of: Some("2026-03-05".into()),
            ..RunbookOptions::default()
        };
        let review = review_view(&dated("2026-01-04", Some(30)), &options);
        assert_eq!((review.stale, review.days_overdue), (Some(true), Some(30)));
        let fresh = review_view(&dated("2026-03-01", Some(30)), &options);
        assert_eq!((fresh.stale, fresh.days_overdue), (Some(false), None));
    }

    #[test]
    fn severity_keeps_the_authors_form_only_when_it_differs() {
        let sev = |original: &str, level| RunbookSeverity {
            level,
            label: format!("P{level}"),
            name: "Critical".into(),
            original: original.into(),
            span: Span::default(),
        };
        assert_eq!(severity_view(&sev("P0 (Critical)", 0)).original, None);
        let view = severity_view(&sev("SEV1", 0));
        assert_eq!(view.original.as_deref(), Some("SEV1"));
        assert_eq!(
            (view.text.as_str(), view.class.as_str()),
            ("P0 Critical", "priority-p0")
        );
    }
}
