//! Analysis: priorities that contradict each other. A task more urgent than its epic
//! (a P0 task in a P1 epic), an epic whose `bd create --priority` differs from its
//! `**Priority:**` line, and P0 work scheduled on a later day than less urgent work.

use super::schedule::day_range;
use super::{Finding, Subject, TimelineMatches};
use crate::diagnostics::codes;
use crate::model::plan::{Plan, Priority};

/// Every priority contradiction of the plan.
pub fn check_priorities(plan: &Plan, timeline: &TimelineMatches) -> Vec<Finding> {
    let mut findings = check_epic_priorities(plan);
    findings.extend(check_urgent_work_order(plan, timeline));
    findings
}

fn check_epic_priorities(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    for epic in &plan.epics {
        let Some(field) = &epic.priority else {
            continue;
        };
        if let Some(command) = epic
            .creation
            .as_ref()
            .filter(|c| c.priority.is_some_and(|p| p != field.level))
        {
            let created = command.priority.map(Priority::label).unwrap_or_default();
            findings.push(Finding::warning(
                codes::TASK_PRIORITY_ABOVE_EPIC,
                format!(
                    "Epic {} is {} in its Priority line but created with --priority {}",
                    epic.number,
                    field.level.label(),
                    created
                ),
                command.span,
                Subject::Epic(epic.number),
            ));
        }
        for task in &epic.tasks {
            let Some(level) = task.creation.priority.filter(|p| *p < field.level) else {
                continue;
            };
            findings.push(
                Finding::warning(
                    codes::TASK_PRIORITY_ABOVE_EPIC,
                    format!(
                        "Task {} is {} but its Epic {} is only {}",
                        task.id,
                        level.label(),
                        epic.number,
                        field.level.label()
                    ),
                    task.creation.span,
                    Subject::Task(task.id.clone()),
                )
                .with_help(format!(
                    "raise Epic {} to {} or lower the task: an epic is as urgent as its most urgent task",
                    epic.number,
                    level.label()
                )),
            );
        }
    }
    findings
}

/// P0 tasks scheduled on a later day than P1/P2 work.
fn check_urgent_work_order(plan: &Plan, timeline: &TimelineMatches) -> Vec<Finding> {
    let scheduled: Vec<(&crate::model::plan::Task, Priority, u32)> = plan
        .tasks()
        .filter_map(|t| Some((t, t.creation.priority?, timeline.task_day(&t.id)?)))
        .collect();
    let mut findings = Vec::new();
    for (task, priority, day) in scheduled.iter().filter(|(_, p, _)| *p == Priority(0)) {
        let earlier: Vec<&(&crate::model::plan::Task, Priority, u32)> = scheduled
            .iter()
            .filter(|(_, p, d)| p > priority && d < day)
            .collect();
        let Some(first) = earlier.iter().min_by_key(|(t, _, d)| (*d, t.span.start)) else {
            continue;
        };
        let days: Vec<u32> = earlier.iter().map(|(_, _, d)| *d).collect();
        let count = earlier.len();
        findings.push(
            Finding::warning(
                codes::PRIORITY_ORDER,
                format!(
                    "P0 Task {} is scheduled on Day {day}, after {count} less urgent task{} on {} \
                     (first: Task {} ({}) on Day {})",
                    task.id,
                    if count == 1 { "" } else { "s" },
                    day_range(&days),
                    first.0.id,
                    first.1.label(),
                    first.2
                ),
                task.span,
                Subject::Task(task.id.clone()),
            )
            .with_help("schedule P0 work first, or lower the task's priority"),
        );
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_plans::reference_plan;
    use crate::analysis::timeline_match::match_timeline;

    fn messages() -> Vec<String> {
        let plan = reference_plan();
        check_priorities(&plan, &match_timeline(&plan))
            .into_iter()
            .map(|f| f.diagnostic.message)
            .collect()
    }

    #[test]
    fn p0_task_in_a_p1_epic_is_reported() {
        assert!(messages().contains(&"Task 6.1 is P0 but its Epic 6 is only P1".to_string()));
    }

    #[test]
    fn p0_work_after_p1_work_is_reported() {
        let messages = messages();
        let order: Vec<&String> = messages
            .iter()
            .filter(|m| m.starts_with("P0 Task"))
            .collect();
        assert_eq!(
            order,
            [
                "P0 Task 6.1 is scheduled on Day 6, after 8 less urgent tasks on Days 3–5 \
              (first: Task 3.2 (P1) on Day 3)"
            ]
        );
    }
}
