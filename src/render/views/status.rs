//! Tracker status on the plan page (render stage): takes the plan's view and the status
//! the analysis found (`model::status::PlanStatus`), and adds each task's status badge,
//! each epic's and the plan's progress (closed tasks of all tasks), and the success
//! criteria ticked by the plan's `done:` front matter.

use std::collections::HashMap;

use serde::Serialize;

use super::plan::{ChecklistView, PlanView};
use crate::model::status::{CriterionRef, IssueMatch, ItemStatus, PlanStatus};

/// A task's or epic's tracker status, as a badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusBadgeView {
    /// The tracker's word (`in_progress`), or `none` when no issue was found.
    pub word: String,
    /// `In progress`.
    pub label: String,
    /// `status-in-progress`.
    pub class: String,
    /// The issue id (`bd-a1b2`), when matched.
    pub issue_id: Option<String>,
    /// How the issue was found, for the tooltip: `pinned`, or `title match 0.82`.
    pub how: Option<String>,
}

/// Closed tasks of all tasks, for a `<progress>` bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressView {
    pub closed: usize,
    pub total: usize,
    pub in_progress: usize,
    /// `7 of 21 tasks closed`.
    pub text: String,
    /// `2 in progress, 12 without an issue`, or empty.
    pub detail: String,
}

/// Adds the status to a plan view built by `plan_view` from the same plan.
pub fn apply_plan_status(view: &mut PlanView, status: &PlanStatus) {
    tick_criteria(view, &status.ticked);
    if !status.has_tracker {
        return;
    }
    // By key, first of each, as `PlanStatus::task` finds them: one lookup per task
    // instead of a walk through all tasks (a 10,000-task plan took 50 million compares).
    let mut by_key: HashMap<&str, &ItemStatus> = HashMap::new();
    for item in &status.tasks {
        by_key.entry(item.key.as_str()).or_insert(item);
    }
    let mut all: Vec<&ItemStatus> = Vec::new();
    for epic in &mut view.epics {
        let items: Vec<&ItemStatus> = epic
            .tasks
            .iter()
            .filter_map(|task| by_key.get(task.id.as_str()).copied())
            .collect();
        for (task, item) in epic.tasks.iter_mut().zip(&items) {
            task.status = Some(badge(item));
        }
        epic.status = status
            .epic(epic.number)
            .and_then(|item| item.matched.as_ref())
            .map(matched_badge);
        if !items.is_empty() {
            epic.progress = Some(progress(&items));
        }
        all.extend(items);
    }
    // A lane plan's progress comes from its items' tracker ids (see `plan_lanes`).
    if !all.is_empty() {
        view.progress = Some(progress(&all));
    }
}

fn badge(item: &ItemStatus) -> StatusBadgeView {
    match &item.matched {
        Some(matched) => matched_badge(matched),
        None => StatusBadgeView {
            word: "none".into(),
            label: "No issue".into(),
            class: "status-none".into(),
            issue_id: None,
            how: None,
        },
    }
}

fn matched_badge(matched: &IssueMatch) -> StatusBadgeView {
    let word = matched.status.as_str().to_string();
    let how = match matched.kind {
        crate::model::status::MatchKind::Pinned => "pinned".to_string(),
        crate::model::status::MatchKind::Title => format!("title match {:.2}", matched.score),
    };
    StatusBadgeView {
        label: status_label(&word),
        class: format!("status-{}", css_word(&word)),
        issue_id: Some(matched.issue_id.clone()),
        how: Some(how),
        word,
    }
}

/// `in_progress` → `In progress`.
pub(super) fn status_label(word: &str) -> String {
    let spaced = word.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A status word as a CSS class part: lower-case letters, digits and `-` only.
pub(super) fn css_word(word: &str) -> String {
    word.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn progress(items: &[&ItemStatus]) -> ProgressView {
    let status_of = |item: &&ItemStatus| item.matched.as_ref().map(|m| m.status.clone());
    let closed = items
        .iter()
        .filter(|item| status_of(item).is_some_and(|s| s.is_closed()))
        .count();
    let in_progress = items
        .iter()
        .filter(|item| status_of(item).is_some_and(|s| s.as_str() == "in_progress"))
        .count();
    let unmatched = items.iter().filter(|item| item.matched.is_none()).count();
    let total = items.len();
    let noun = if total == 1 { "task" } else { "tasks" };
    let mut detail = Vec::new();
    if in_progress > 0 {
        detail.push(format!("{in_progress} in progress"));
    }
    if unmatched > 0 {
        detail.push(format!("{unmatched} without an issue"));
    }
    ProgressView {
        closed,
        total,
        in_progress,
        text: format!("{closed} of {total} {noun} closed"),
        detail: detail.join(", "),
    }
}

fn tick_criteria(view: &mut PlanView, ticked: &[CriterionRef]) {
    for criterion in ticked {
        let (list, index) = match *criterion {
            CriterionRef::Epic(e, c) => (view.epics.get_mut(e).map(|e| &mut e.criteria), c),
            CriterionRef::Metric(g, i) => (view.metrics.get_mut(g).map(|g| &mut g.checklist), i),
        };
        if let Some(list) = list {
            tick(list, index);
        }
    }
}

fn tick(list: &mut ChecklistView, index: usize) {
    if let Some(item) = list.items.get_mut(index) {
        item.checked = true;
        item.ticked_by_front_matter = true;
    }
    list.recount();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::status::{IssueStatus, MatchKind};
    use crate::render::highlight::Highlighter;
    use crate::render::views::plan::plan_view;
    use crate::render::views::ViewContext;
    use crate::test_support::{plan_page, sample_plan};

    fn item(key: &str, status: Option<IssueStatus>) -> ItemStatus {
        ItemStatus {
            key: key.into(),
            title: String::new(),
            matched: status.map(|status| IssueMatch {
                issue_id: format!("bd-{key}"),
                issue_title: String::new(),
                status,
                kind: MatchKind::Title,
                score: 0.8,
            }),
            near_miss: None,
        }
    }

    fn view_with(status: &PlanStatus) -> PlanView {
        let plan = sample_plan();
        let page = plan_page("devops", plan.clone());
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: "../../".into(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let mut view = plan_view(
            &page,
            &plan,
            &ctx,
            &mut crate::diagnostics::Diagnostics::new(),
        );
        apply_plan_status(&mut view, status);
        view
    }

    fn tracked() -> PlanStatus {
        PlanStatus {
            has_tracker: true,
            tasks: vec![
                item("1.1", Some(IssueStatus::Closed)),
                item("1.2", Some(IssueStatus::InProgress)),
                item("2.1", None),
            ],
            epics: vec![
                item("epic-1", Some(IssueStatus::Open)),
                item("epic-2", None),
            ],
            ticked: Vec::new(),
        }
    }

    #[test]
    fn progress_counts_closed_tasks_per_epic_and_for_the_plan() {
        let view = view_with(&tracked());
        let plan = view.progress.as_ref().unwrap();
        assert_eq!(plan.text, "1 of 3 tasks closed");
        assert_eq!(plan.detail, "1 in progress, 1 without an issue");
        let first = view.epics[0].progress.as_ref().unwrap();
        assert_eq!((first.closed, first.total), (1, 2));
        assert_eq!(
            view.epics[1].progress.as_ref().unwrap().text,
            "0 of 1 task closed"
        );
    }

    #[test]
    fn tasks_get_badges_and_unmatched_ones_say_so() {
        let view = view_with(&tracked());
        let badges: Vec<(String, String)> = view
            .epics
            .iter()
            .flat_map(|e| e.tasks.iter())
            .map(|t| {
                let badge = t.status.as_ref().unwrap();
                (badge.class.clone(), badge.label.clone())
            })
            .collect();
        assert_eq!(
            badges,
            [
                ("status-closed".into(), "Closed".into()),
                ("status-in-progress".into(), "In progress".into()),
                ("status-none".into(), "No issue".into()),
            ]
        );
        assert_eq!(view.epics[0].status.as_ref().unwrap().word, "open");
        assert!(view.epics[1].status.is_none());
    }

    #[test]
    fn without_a_tracker_there_are_no_badges_or_bars() {
        let status = PlanStatus::default();
        let view = view_with(&status);
        assert!(view.progress.is_none());
        assert!(view.epics.iter().all(|e| e.progress.is_none()));
        assert!(view.epics[0].tasks[0].status.is_none());
    }

    #[test]
    fn done_ticks_criteria_and_the_checklist_progress_counts_them() {
        let status = PlanStatus {
            ticked: vec![CriterionRef::Epic(0, 1), CriterionRef::Epic(1, 0)],
            ..PlanStatus::default()
        };
        let view = view_with(&status);
        assert_eq!(view.epics[0].criteria.progress, "2 of 2 done");
        assert_eq!(view.epics[1].criteria.progress, "1 of 1 done");
        assert!(view.epics[0].criteria.items[1].ticked_by_front_matter);
        assert!(!view.epics[0].criteria.items[0].ticked_by_front_matter);
    }
}
