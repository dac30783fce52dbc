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
    use crate::model::graph::EdgeStroke;

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

    /// The findings about Epic 4's tasks.
    fn epic_4_findings(plan: &Plan) -> Vec<String> {
        let graph = reference_graph(plan);
        check_schedule(plan, &graph, &match_timeline(plan))
            .into_iter()
            .map(|f| f.diagnostic.message)
            .filter(|message| message.starts_with("Task 4."))
            .collect()
    }

    #[test]
    fn soft_edges_do_not_order_the_schedule() {
        // Epic 2 depends on Epic 4 only through the dotted `E4 -.-> E2`, and Epic 2's
        // work (Days 1–2) comes before Epic 4's: fine. The same edge drawn solid puts
        // Epic 4's tasks out of order, so only the edge's kind makes the difference.
        let soft = reference_plan();
        assert_eq!(epic_4_findings(&soft), Vec::<String>::new());
        let mut hard = reference_plan();
        let chart = hard
            .dependency_map
            .as_mut()
            .and_then(|map| map.graph.as_mut())
            .expect("the reference plan has a dependency map");
        let edge = chart
            .edges
            .iter_mut()
            .find(|e| e.from == "E4" && e.to == "E2")
            .expect("the reference map has E4 -.-> E2");
        assert_eq!(edge.stroke, EdgeStroke::Dotted);
        edge.stroke = EdgeStroke::Solid;
        let after = |task: &str| {
            format!(
                "Task {task} is scheduled on Day 4, after work of Epic 2 (Days 1–2) that \
                 depends on Epic 4"
            )
        };
        assert_eq!(
            epic_4_findings(&hard),
            [after("4.1"), after("4.2"), after("4.3")]
        );
    }

    #[test]
    fn join_and_reads_naturally() {
        let parts = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&parts(&["a", "b", "c"])), "a, b and c");
        assert_eq!(day_range(&[3, 1, 2]), "Days 1–3");
        assert_eq!(day_range(&[2, 2]), "Day 2");
    }
}
