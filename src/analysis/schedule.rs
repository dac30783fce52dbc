//! Analysis: the author's timeline against the dependency map. When epic B depends on
//! epic A through a hard edge, A's work should come first; a task of A scheduled on a
//! later day than work of B is out of order. Days are the unit: work on the same day is
//! taken as done together (a day's morning and afternoon lists are too coarse to order
//! dependent tasks).

use std::collections::BTreeMap;

use super::{EpicGraph, Finding, Subject, TimelineMatches};
use crate::diagnostics::codes;
use crate::model::Plan;

/// One warning per task scheduled after work that depends on its epic.
pub fn check_schedule(plan: &Plan, graph: &EpicGraph, timeline: &TimelineMatches) -> Vec<Finding> {
    let mut findings = Vec::new();
    for task in plan.tasks() {
        let Some(day) = timeline.task_day(&task.id) else {
            continue;
        };
        // Dependent epic -> the days its work is scheduled before `day`.
        let mut earlier: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for dependent in graph.hard_dependents(task.epic) {
            for other in plan.tasks().filter(|t| t.epic == dependent) {
                match timeline.task_day(&other.id) {
                    Some(other_day) if other_day < day => {
                        earlier.entry(dependent).or_default().push(other_day)
                    }
                    _ => {}
                }
            }
        }
        if earlier.is_empty() {
            continue;
        }
        let parts: Vec<String> = earlier
            .iter()
            .map(|(epic, days)| format!("Epic {epic} ({})", day_range(days)))
            .collect();
        let span = timeline
            .items
            .iter()
            .find(|item| item.task.as_deref() == Some(task.id.as_str()))
            .map_or(task.span, |item| item.span);
        findings.push(
            Finding::warning(
                codes::SCHEDULE_BEFORE_DEPENDENCY,
                format!(
                    "Task {} is scheduled on Day {day}, after work of {} that depends on Epic {}",
                    task.id,
                    join_and(&parts),
                    task.epic
                ),
                span,
                Subject::TimelineDay(day),
            )
            .with_help(format!(
                "move Task {} before the work that depends on its epic, or drop the dependency",
                task.id
            )),
        );
    }
    findings
}

/// `Day 2`, `Days 1–3`.
pub(crate) fn day_range(days: &[u32]) -> String {
    let (min, max) = (
        days.iter().copied().min().unwrap_or(0),
        days.iter().copied().max().unwrap_or(0),
    );
    if min == max {
        format!("Day {min}")
    } else {
        format!("Days {min}–{max}")
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_plans::reference_plan;
    use crate::analysis::test_plans::{messages, reference_graph};
    use crate::analysis::timeline_match::match_timeline;

    #[test]
    fn task_1_4_on_day_7_follows_epic_2_and_3_work_that_depends_on_epic_1() {
        let plan = reference_plan();
        let graph = reference_graph(&plan);
        let findings = check_schedule(&plan, &graph, &match_timeline(&plan));
        let messages = messages(&findings);
        assert_eq!(
            messages,
            [
                "Task 1.4 is scheduled on Day 7, after work of Epic 2 (Days 1–2) and Epic 3 \
              (Days 1–3) that depends on Epic 1"
            ]
        );
        assert_eq!(findings[0].subject, Subject::TimelineDay(7));
    }

    #[test]
    fn soft_edges_do_not_order_the_schedule() {
        // Epic 2 softly depends on Epic 4 (dotted), yet Epic 2 work comes first: fine.
        let plan = reference_plan();
        let graph = reference_graph(&plan);
        let findings = check_schedule(&plan, &graph, &match_timeline(&plan));
        assert!(!findings
            .iter()
            .any(|f| f.diagnostic.message.starts_with("Task 4.")));
    }

    #[test]
    fn join_and_reads_naturally() {
        let parts = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&parts(&["a", "b", "c"])), "a, b and c");
        assert_eq!(day_range(&[3, 1, 2]), "Days 1–3");
        assert_eq!(day_range(&[2, 2]), "Day 2");
    }
}
