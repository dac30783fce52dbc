//! Plan reader, the tracker join: a plan's work items and the site's tracker in, each
//! item with its tracker issue (status, priority, type, estimate, closed date and
//! reason), the tracker's `blocks` and `parent-child` edges between the plan's own items,
//! and one note listing the ids the tracker lacks. Ids are compared without case.

use std::path::Path;

use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::ingest::beads::TrackerIndex;
use crate::model::plan::{
    Dependency, DependencyEnd, DependencySource, DependencyStrength, Plan, Priority, TrackedIssue,
    WorkItem,
};
use crate::model::span::Span;
use crate::model::status::TrackerIssue;

/// Joins `plan` to the tracker; the note for missing ids names `source`.
pub(super) fn join_tracker(
    plan: &mut Plan,
    tracker: &TrackerIndex<'_>,
    source: &Path,
    diagnostics: &mut Diagnostics,
) {
    plan.tracker_joined = true;
    let mut missing: Vec<(String, Span)> = Vec::new();
    for lane in &mut plan.lanes {
        for item in &mut lane.items {
            attach(item, tracker, &mut missing);
        }
    }
    if let Some(epic) = &mut plan.epic {
        epic.tracker = tracker.issue(&epic.id.text).map(tracked);
    }
    let edges = tracker_edges(plan, tracker);
    for edge in edges {
        let known = plan
            .dependencies
            .iter()
            .any(|other| other.from == edge.from && other.to == edge.to);
        if !known {
            plan.dependencies.push(edge);
        }
    }
    if let Some(note) = missing_note(&missing, tracker, plan) {
        diagnostics.push(note.at(source, missing.first().map(|(_, span)| *span)));
    }
}

/// Attaches the issue of `item` and of its sub-items; records ids the tracker lacks.
fn attach(item: &mut WorkItem, tracker: &TrackerIndex<'_>, missing: &mut Vec<(String, Span)>) {
    if let Some(id) = &item.tracker_id {
        match tracker.issue(id) {
            Some(issue) => {
                if item.title.is_empty() {
                    item.title = issue.title.clone();
                }
                item.tracker = Some(tracked(issue));
            }
            None => {
                if !missing
                    .iter()
                    .any(|(known, _)| known.eq_ignore_ascii_case(id))
                {
                    missing.push((id.clone(), item.span));
                }
            }
        }
    }
    if item.title.is_empty() {
        item.title = item.tracker_id.clone().unwrap_or_default();
    }
    for sub_item in &mut item.sub_items {
        attach(sub_item, tracker, missing);
    }
}

fn tracked(issue: &TrackerIssue) -> TrackedIssue {
    TrackedIssue {
        id: issue.id.clone(),
        title: issue.title.clone(),
        status: issue.status.clone(),
        priority: Priority(issue.priority),
        issue_type: issue.issue_type.clone(),
        estimated_minutes: issue.estimated_minutes,
        closed_at: issue.closed_at.clone(),
        close_reason: issue.close_reason.clone(),
        updated_at: issue.updated_at.clone(),
    }
}

/// The tracker's `blocks` (hard) and `parent-child` (soft) edges whose two ends are both
/// items of the plan: the issue waits for (or is a child of) `depends_on`.
fn tracker_edges(plan: &Plan, tracker: &TrackerIndex<'_>) -> Vec<Dependency> {
    let mut edges = Vec::new();
    for item in plan.work_items() {
        let Some(issue) = item.tracker_id.as_deref().and_then(|id| tracker.issue(id)) else {
            continue;
        };
        for dependency in &issue.dependencies {
            let (source, strength) = match dependency.kind.0.as_str() {
                "blocks" => (DependencySource::TrackerBlocks, DependencyStrength::Hard),
                "parent-child" => (
                    DependencySource::TrackerParentChild,
                    DependencyStrength::Soft,
                ),
                _ => continue,
            };
            let other = dependency.depends_on.to_lowercase();
            if other == item.key || plan.work_item(&other).is_none() {
                continue;
            }
            edges.push(Dependency {
                from: DependencyEnd::Item(other),
                to: DependencyEnd::Item(item.key.clone()),
                strength,
                source,
                span: None,
            });
        }
    }
    edges
}

/// One note for the whole plan naming every id the tracker lacks.
fn missing_note(
    missing: &[(String, Span)],
    tracker: &TrackerIndex<'_>,
    plan: &Plan,
) -> Option<Diagnostic> {
    if missing.is_empty() {
        return None;
    }
    let ids: Vec<String> = missing.iter().map(|(id, _)| format!("`{id}`")).collect();
    let items = plan
        .work_items()
        .filter(|item| item.tracker_id.is_some())
        .count();
    let message = match missing.len() {
        1 => format!(
            "1 of the plan's {items} work item ids is not in the tracker: {}",
            ids[0]
        ),
        n => format!(
            "{n} of the plan's {items} work item ids are not in the tracker: {}",
            ids.join(", ")
        ),
    };
    Some(
        Diagnostic::note(codes::PLAN_IDS_NOT_IN_TRACKER, message).with_help(format!(
            "their status is unknown; create them in the tracker (`bd create`) or correct the ids ({} has {} issues)",
            tracker.tracker.path.display(),
            tracker.tracker.issues.len()
        )),
    )
}
