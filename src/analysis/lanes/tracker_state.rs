//! Lane health, tracker state: what the tracker says against the plan's order. The plan's
//! epic closed while items of the plan are open (and an item closed while its embedded
//! sub-items are open): `OPS340`. An item closed while items before it in its lane are
//! open, when a lane is worked in order: `OPS341`. The ids the tracker lacks, in one note
//! per plan: `OPS437`.

use super::code_list;
use crate::analysis::{Finding, Subject};
use crate::diagnostics::codes;
use crate::model::plan::{Plan, WorkItem};

/// The plan's epic, and every item with sub-items, closed while work in it is open.
pub fn check_closed_epic(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(epic) = &plan.epic {
        let closed = epic
            .tracker
            .as_ref()
            .is_some_and(|issue| issue.status.is_closed());
        let open: Vec<&str> = plan
            .work_items()
            .filter(|item| item.is_open())
            .map(item_name)
            .collect();
        if closed && !open.is_empty() {
            let total = plan.work_items().count();
            let message = format!(
                "the plan's epic `{}` is closed in the tracker while {} of its {total} items are open: {}",
                epic.id.text,
                open.len(),
                code_list(&open)
            );
            findings.push(
                Finding::warning(
                    codes::CLOSED_WITH_OPEN_ITEMS,
                    message,
                    epic.id.span,
                    Subject::Lanes,
                )
                .with_help("reopen the epic, or close (or move out of the plan) the open items"),
            );
        }
    }
    for item in plan.work_items().filter(|item| item.is_closed()) {
        let open: Vec<&str> = item
            .sub_items
            .iter()
            .filter(|s| s.is_open())
            .map(item_name)
            .collect();
        if !open.is_empty() {
            let (noun, verb) = if open.len() == 1 {
                ("sub-item", "is")
            } else {
                ("sub-items", "are")
            };
            let message = format!(
                "`{}` is closed in the tracker while its {noun} {} {verb} open",
                item_name(item),
                code_list(&open)
            );
            findings.push(
                Finding::warning(
                    codes::CLOSED_WITH_OPEN_ITEMS,
                    message,
                    item.span,
                    item_subject(item),
                )
                .with_help("reopen the item, or close its sub-items"),
            );
        }
    }
    findings
}

/// Items closed while items before them in their lane's order are open.
pub fn check_lane_order(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    for lane in &plan.lanes {
        for (at, item) in lane.items.iter().enumerate() {
            if !item.is_closed() {
                continue;
            }
            let open_before: Vec<&str> = lane.items[..at]
                .iter()
                .filter(|earlier| earlier.is_open())
                .map(item_name)
                .collect();
            if open_before.is_empty() {
                continue;
            }
            let verb = if open_before.len() == 1 { "is" } else { "are" };
            let message = format!(
                "`{}` is closed in the tracker while {}, before it in {}, {verb} open",
                item_name(item),
                code_list(&open_before),
                lane.label
            );
            findings.push(
                Finding::warning(codes::CLOSED_BEFORE_EARLIER_ITEMS, message, item.span, item_subject(item))
                    .with_help(format!(
                        "the lane is worked in order: close the items before it, or reorder {}'s items as they were done",
                        lane.label
                    )),
            );
        }
    }
    findings
}

/// One note naming every work item id the site's tracker does not have.
pub fn check_untracked_ids(plan: &Plan) -> Vec<Finding> {
    if !plan.tracker_joined {
        return Vec::new();
    }
    let with_ids: Vec<&WorkItem> = plan
        .work_items()
        .filter(|i| i.tracker_id.is_some())
        .collect();
    let missing: Vec<&WorkItem> = with_ids
        .iter()
        .copied()
        .filter(|i| i.tracker.is_none())
        .collect();
    let Some(first) = missing.first() else {
        return Vec::new();
    };
    let ids: Vec<String> = missing
        .iter()
        .map(|i| format!("`{}`", item_name(i)))
        .collect();
    let total = with_ids.len();
    let message = match missing.len() {
        1 => format!(
            "1 of the plan's {total} work item ids is not in the tracker: {}",
            ids[0]
        ),
        n => format!(
            "{n} of the plan's {total} work item ids are not in the tracker: {}",
            ids.join(", ")
        ),
    };
    vec![Finding::note(
        codes::PLAN_IDS_NOT_IN_TRACKER,
        message,
        first.span,
        item_subject(first),
    )
    .with_help(
        "their status is unknown; create them in the tracker (`bd create`) or correct the ids",
    )]
}

/// How an item is named in a finding: its tracker id, else its title.
pub(super) fn item_name(item: &WorkItem) -> &str {
    item.tracker_id.as_deref().unwrap_or(&item.title)
}

pub(super) fn item_subject(item: &WorkItem) -> Subject {
    Subject::WorkItem(item.key.clone())
}
