//! The plan page's Health panel (render stage): every finding of the plan analyses with
//! its severity, code and message, and a link to the section of the page it concerns.
//! Warnings come first, then notes, each in source order.

use serde::Serialize;

use super::plan::anchor_part;
use crate::analysis::{Finding, PlanAnalysis, Subject};
use crate::diagnostics::Severity;
use crate::model::Plan;

/// What `health.html` shows, as `health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthView {
    pub findings: Vec<FindingView>,
    pub warnings: usize,
    pub notes: usize,
    /// `5 warnings, 6 notes`.
    pub summary: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingView {
    /// `warning` or `note` (also the CSS modifier).
    pub severity: String,
    pub code: String,
    pub message: String,
    /// The message split at `backticks`, for code spans.
    pub message_parts: Vec<TextPartView>,
    pub help: Option<String>,
    pub help_parts: Vec<TextPartView>,
    /// In-page link to the section it concerns (`#epic-6`).
    pub href: Option<String>,
    /// What the link leads to (`Epic 6`).
    pub target: Option<String>,
    /// Source line in the plan file.
    pub line: Option<u32>,
}

/// A run of text; `code` when it was between backticks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextPartView {
    pub text: String,
    pub code: bool,
}

/// Splits `text` at backticks: odd runs are code. An unpaired backtick stays as text.
fn text_parts(text: &str) -> Vec<TextPartView> {
    let pieces: Vec<&str> = text.split('`').collect();
    let paired = pieces.len() % 2 == 1;
    let mut parts: Vec<TextPartView> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let code = paired && i % 2 == 1;
        if piece.is_empty() {
            continue;
        }
        match parts.last_mut() {
            Some(last) if !code && !last.code => {
                last.text.push('`');
                last.text.push_str(piece);
            }
            _ => parts.push(TextPartView {
                text: piece.to_string(),
                code,
            }),
        }
    }
    parts
}

/// The Health panel of a plan; `None` when the plan was not analysed.
pub fn health_view(plan: &Plan, analysis: Option<&PlanAnalysis>) -> Option<HealthView> {
    let analysis = analysis?;
    let mut findings: Vec<&Finding> = analysis.findings.iter().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.diagnostic.severity));
    let count = |severity| {
        findings
            .iter()
            .filter(|f| f.diagnostic.severity == severity)
            .count()
    };
    let (warnings, notes) = (count(Severity::Warning), count(Severity::Note));
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let summary = match (warnings, notes) {
        (0, 0) => "No contradictions found".to_string(),
        _ => format!("{}, {}", plural(warnings, "warning"), plural(notes, "note")),
    };
    Some(HealthView {
        findings: findings
            .into_iter()
            .map(|f| finding_view(f, plan))
            .collect(),
        warnings,
        notes,
        summary,
    })
}

fn finding_view(finding: &Finding, plan: &Plan) -> FindingView {
    let (href, target) = match link_for(&finding.subject, plan) {
        Some((href, target)) => (Some(href), Some(target)),
        None => (None, None),
    };
    FindingView {
        severity: finding.diagnostic.severity.as_str().to_string(),
        code: finding.diagnostic.code.to_string(),
        message: finding.diagnostic.message.clone(),
        message_parts: text_parts(&finding.diagnostic.message),
        help: finding.diagnostic.help.clone(),
        help_parts: finding
            .diagnostic
            .help
            .as_deref()
            .map(text_parts)
            .unwrap_or_default(),
        href,
        target,
        line: finding.diagnostic.span.map(|s| s.line).filter(|l| *l > 0),
    }
}

/// The in-page anchor of a subject and what to call it; `None` when the page shows no
/// section for it (e.g. a command in the cheat sheet).
fn link_for(subject: &Subject, plan: &Plan) -> Option<(String, String)> {
    let link = |anchor: String, name: String| Some((format!("#{anchor}"), name));
    match subject {
        Subject::StatedTotals => link("facts".into(), "Stated totals".into()),
        Subject::StatedPriorities if plan.overview.is_some() => {
            link("overview".into(), "Overview".into())
        }
        Subject::StatedPriorities => link("facts".into(), "Stated totals".into()),
        Subject::Epic(n) if plan.epics.iter().any(|e| e.number == *n) => {
            link(format!("epic-{n}"), format!("Epic {n}"))
        }
        Subject::Epic(_) => None,
        Subject::Task(id) => link(format!("task-{}", anchor_part(id)), format!("Task {id}")),
        Subject::TimelineDay(n) => link(format!("day-{n}"), format!("Day {n}")),
        Subject::DependencyMap => link("dependencies".into(), "Dependency map".into()),
        Subject::CriticalPath if plan.critical_path.is_some() => {
            link("critical-path".into(), "Critical path".into())
        }
        Subject::CriticalPath => link("dependencies".into(), "Dependency map".into()),
        Subject::Command => None,
        Subject::Lanes => link("lanes".into(), "Lanes".into()),
        Subject::Lane(key) => {
            let lane = plan.lane(key)?;
            link(format!("lane-{}", anchor_part(key)), lane.label.clone())
        }
        Subject::WorkItem(key) => {
            let item = plan.work_item(key)?;
            let name = item
                .tracker_id
                .clone()
                .unwrap_or_else(|| item.title.clone());
            link(format!("item-{}", anchor_part(key)), name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyse_plan, test_plans::reference_plan, AnalysisOptions};
    use crate::test_support::plan_page;

    fn view() -> HealthView {
        let plan = reference_plan();
        let page = plan_page("devops", plan.clone());
        let analysis = analyse_plan(&page, &plan, &AnalysisOptions::default());
        health_view(&plan, Some(&analysis)).expect("analysed")
    }

    #[test]
    fn warnings_come_first_and_link_to_their_sections() {
        let view = view();
        let first_note = view
            .findings
            .iter()
            .position(|f| f.severity == "note")
            .unwrap();
        assert!(view.findings[..first_note]
            .iter()
            .all(|f| f.severity == "warning"));
        assert!(view.findings[first_note..]
            .iter()
            .all(|f| f.severity == "note"));
        let effort = view.findings.iter().find(|f| f.code == "OPS322").unwrap();
        assert_eq!(effort.href.as_deref(), Some("#epic-6"));
        let schedule = view.findings.iter().find(|f| f.code == "OPS327").unwrap();
        assert_eq!(schedule.href.as_deref(), Some("#day-7"));
        let command = view.findings.iter().find(|f| f.code == "OPS330").unwrap();
        assert_eq!(command.href, None);
        assert_eq!(command.line, Some(397));
    }

    #[test]
    fn backticks_become_code_spans() {
        let parts = text_parts("use `bd dolt push` / `bd dolt pull` instead");
        let shape: Vec<(&str, bool)> = parts.iter().map(|p| (p.text.as_str(), p.code)).collect();
        assert_eq!(
            shape,
            [
                ("use ", false),
                ("bd dolt push", true),
                (" / ", false),
                ("bd dolt pull", true),
                (" instead", false)
            ]
        );
        let unpaired = text_parts("a ` b");
        assert_eq!(unpaired.len(), 1);
        assert_eq!(unpaired[0].text, "a ` b");
    }

    #[test]
    fn summary_counts_warnings_and_notes() {
        let view = view();
        assert_eq!(view.notes, 5, "the five timeline items no task covers");
        assert_eq!(view.summary, format!("{} warnings, 5 notes", view.warnings));
    }
}
