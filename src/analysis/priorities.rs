//! Analysis: priorities that contradict each other. A task more urgent than its epic
//! (a P0 task in a P1 epic), an epic whose `bd create --priority` differs from its
//! `**Priority:**` line, and P0 work scheduled on a later day than work of less urgent
//! epics.

use super::schedule::day_range;
use super::{Finding, Subject, TimelineMatches};
use crate::diagnostics::codes;
use crate::model::plan::{Plan, Priority, Task};

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

/// A scheduled task, its priority, the priority of the work it belongs to (its epic's,
/// when stated and more urgent) and its day.
struct Scheduled<'a> {
    task: &'a Task,
    priority: Priority,
    work_priority: Priority,
    day: u32,
}

/// P0 tasks scheduled on a later day than less urgent work. A P1 task inside a P0 epic
/// is part of P0 work (finishing the epic), so only tasks whose epic is not P0 count as
/// less urgent work.
fn check_urgent_work_order(plan: &Plan, timeline: &TimelineMatches) -> Vec<Finding> {
    let scheduled: Vec<Scheduled> = plan
        .epics
        .iter()
        .flat_map(|epic| epic.tasks.iter().map(move |task| (epic, task)))
        .filter_map(|(epic, task)| {
            let priority = task.creation.priority?;
            let epic_priority = epic.priority.as_ref().map(|p| p.level);
            Some(Scheduled {
                task,
                priority,
                work_priority: epic_priority.map_or(priority, |e| e.min(priority)),
                day: timeline.task_day(&task.id)?,
            })
        })
        .collect();
    let mut findings = Vec::new();
    for urgent in scheduled.iter().filter(|s| s.priority == Priority(0)) {
        let earlier: Vec<&Scheduled> = scheduled
            .iter()
            .filter(|s| s.work_priority > Priority(0) && s.day < urgent.day)
            .collect();
        let Some(first) = earlier.iter().min_by_key(|s| (s.day, s.task.span.start)) else {
            continue;
        };
        let days: Vec<u32> = earlier.iter().map(|s| s.day).collect();
        let count = earlier.len();
        findings.push(
            Finding::warning(
                codes::PRIORITY_ORDER,
                format!(
                    "P0 Task {} is scheduled on Day {}, after {count} task{} of less urgent epics on {} \
                     (first: Task {} ({}) on Day {})",
                    urgent.task.id,
                    urgent.day,
                    if count == 1 { "" } else { "s" },
                    day_range(&days),
                    first.task.id,
                    first.priority.label(),
                    first.day
                ),
                urgent.task.span,
                Subject::Task(urgent.task.id.clone()),
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
    fn p1_tasks_of_a_p0_epic_count_as_urgent_work() {
        // Tasks 3.2 and 3.3 are P1 but belong to Epic 3, a P0 epic, and are scheduled
        // before P0 Task 6.1. As P0 work they do not make it late: its finding counts
        // only the 6 tasks of the P1 epics 4 and 5, not 8, and starts at Task 4.1.
        let plan = reference_plan();
        let timeline = match_timeline(&plan);
        let epic_3 = plan.epics.iter().find(|e| e.number == 3).expect("Epic 3");
        assert_eq!(epic_3.priority.as_ref().map(|p| p.level), Some(Priority(0)));
        let day = |id: &str| timeline.task_day(id).expect("the task is scheduled");
        for id in ["3.2", "3.3"] {
            let task = epic_3.tasks.iter().find(|t| t.id == id).expect("task");
            assert_eq!(task.creation.priority, Some(Priority(1)), "{id}");
            assert!(day(id) < day("6.1"), "{id}");
        }
        let task_6_1: Vec<String> = messages()
            .into_iter()
            .filter(|m| m.starts_with("P0 Task 6.1 "))
            .collect();
        assert_eq!(
            task_6_1,
            ["P0 Task 6.1 is scheduled on Day 6, after 6 tasks of less urgent epics on Days 4–5 \
              (first: Task 4.1 (P1) on Day 4)"]
        );
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
                "P0 Task 6.1 is scheduled on Day 6, after 6 tasks of less urgent epics on Days 4–5 \
              (first: Task 4.1 (P1) on Day 4)"
            ]
        );
    }
}
