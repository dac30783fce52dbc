//! Lane health, checklists against the tracker (`OPS348`): an item's or a lane's
//! checklist all ticked while the tracker has its work open, or boxes left unticked
//! while all its work is closed. Only work the tracker knows counts; planned items and
//! ids it lacks say nothing either way.

use super::tracker_state::item_name;
use crate::analysis::{Finding, Subject};
use crate::diagnostics::codes;
use crate::model::plan::{Checklist, Plan, WorkItem};

/// Findings for the checklists of every item and lane.
pub fn check_checklists(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    for lane in &plan.lanes {
        for item in lane.all_items() {
            let work = [item];
            let owner = format!("`{}`", item_name(item));
            findings.extend(item.checklists.iter().filter_map(|list| {
                compare(list, &work, &owner, Subject::WorkItem(item.key.clone()))
            }));
        }
        let work: Vec<&WorkItem> = lane.items.iter().collect();
        findings.extend(lane.checklists.iter().filter_map(|list| {
            compare(
                list,
                &work,
                &format!("{}'s items", lane.label),
                Subject::Lane(lane.key.clone()),
            )
        }));
    }
    findings
}

fn compare(list: &Checklist, work: &[&WorkItem], whose: &str, subject: Subject) -> Option<Finding> {
    let boxes = list.box_count();
    let known: Vec<&&WorkItem> = work.iter().filter(|item| item.tracker.is_some()).collect();
    if boxes == 0 || known.is_empty() {
        return None;
    }
    let open = known.iter().filter(|item| item.is_open()).count();
    let all_ticked = list.ticked() == boxes;
    let message = if all_ticked && open > 0 {
        format!(
            "`{}` is all ticked ({boxes} of {boxes}) while {whose} {} open in the tracker",
            list.title,
            if work.len() == 1 { "is" } else { "are" }
        )
    } else if !all_ticked && open == 0 && known.len() == work.len() {
        format!(
            "`{}` has {} of {boxes} boxes unticked while {whose} {} closed in the tracker",
            list.title,
            list.open(),
            if work.len() == 1 { "is" } else { "are all" }
        )
    } else {
        return None;
    };
    Some(
        Finding::note(
            codes::CHECKLIST_STATUS_MISMATCH,
            message,
            list.span,
            subject,
        )
        .with_help("tick the boxes that are done, or reopen the work that is not"),
    )
}
