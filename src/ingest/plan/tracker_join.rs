//! Plan reader, the tracker join: a plan's work items and the site's tracker in, each
//! item with its tracker issue (status, priority, type, estimate, closed date and
//! reason) and the tracker's `blocks` and `parent-child` edges between the plan's own
//! items. Ids are compared without case; the ids the tracker lacks are left without an
//! issue, for `analysis::lanes` to report in one note per plan.

use crate::ingest::beads::TrackerIndex;
use crate::model::plan::{
    Dependency, DependencyEnd, DependencySource, DependencyStrength, Plan, Priority, TrackedIssue,
    WorkItem,
};
use crate::model::status::TrackerIssue;

/// Joins `plan` to the tracker.
pub(super) fn join_tracker(plan: &mut Plan, tracker: &TrackerIndex<'_>) {
    plan.tracker_joined = true;
    for lane in &mut plan.lanes {
        for item in &mut lane.items {
            attach(item, tracker);
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
}

/// Attaches the issue of `item` and of its sub-items.
fn attach(item: &mut WorkItem, tracker: &TrackerIndex<'_>) {
    if let Some(issue) = item.tracker_id.as_deref().and_then(|id| tracker.issue(id)) {
        if item.title.is_empty() {
            item.title = issue.title.clone();
        }
        item.tracker = Some(tracked(issue));
    }
    if item.title.is_empty() {
        item.title = item.tracker_id.clone().unwrap_or_default();
    }
    for sub_item in &mut item.sub_items {
        attach(sub_item, tracker);
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
