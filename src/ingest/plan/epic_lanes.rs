//! Plan reader, the epic family as lanes: the epics and tasks the reference convention
//! gave in, one lane per epic and one work item per task out, so every structured plan
//! has the same lane shape (the plans index, the swimlane and progress read it). The
//! epics themselves stay in `Plan::epics` for their own analyses.

use crate::model::plan::{
    Checklist, ChecklistRole, DurationField, Epic, Lane, LaneKind, Plan, Step, Task, WorkItem,
};

/// One lane per epic of `plan`, in plan order.
pub(super) fn lanes_from_epics(plan: &Plan) -> Vec<Lane> {
    plan.epics.iter().map(epic_lane).collect()
}

fn epic_lane(epic: &Epic) -> Lane {
    let key = format!("epic-{}", epic.number);
    let checklists = if epic.success_criteria.is_empty() {
        Vec::new()
    } else {
        vec![Checklist {
            title: "Success criteria".to_string(),
            role: ChecklistRole::Criteria,
            items: epic.success_criteria.clone(),
            span: epic.success_criteria[0].span,
        }]
    };
    Lane {
        key,
        kind: LaneKind::Epic,
        number: Some(epic.number),
        label: format!("Epic {}", epic.number),
        title: epic.title.clone(),
        owner: None,
        file_scope: Vec::new(),
        purpose: epic.impact.clone(),
        duration: epic.duration.clone(),
        items: epic.tasks.iter().map(task_item).collect(),
        checklists,
        fields: Vec::new(),
        details: Vec::new(),
        span: epic.span,
    }
}

/// A `bd create` task as a work item: its plan id is its key; the tracker issue is
/// found by title (`analysis::status_match`), not by id, so none is attached here.
fn task_item(task: &Task) -> WorkItem {
    let estimate = task.eta.as_ref().and_then(|eta| {
        eta.duration.clone().map(|duration| DurationField {
            raw: eta.raw.clone(),
            duration,
            span: eta.span,
        })
    });
    let steps = task
        .lists
        .iter()
        .flat_map(|list| list.items.iter())
        .map(|item| Step {
            depth: 0,
            text: item.clone(),
        })
        .collect();
    WorkItem {
        estimate,
        priority: task.creation.priority,
        fields: task.fields.clone(),
        steps,
        ..WorkItem::named(
            task.id.clone(),
            None,
            task.creation.title.clone(),
            task.span,
        )
    }
}
