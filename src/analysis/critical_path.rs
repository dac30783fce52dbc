//! Analysis: the computed schedule and critical path. Each epic starts as soon as every
//! epic it depends on through a hard edge has finished (dotted edges order work without
//! blocking it, so they are left out) and lasts its stated duration in working days
//! (else the sum of its tasks' ETAs). The critical path is the chain of epics that ends
//! last; its length is the sum of its epics' durations. It is compared with the plan's
//! declared `**Critical Path:**`.

use std::collections::{BTreeMap, BTreeSet};

use super::effort::epic_working_days;
use super::{format_days, format_epic_chain, AnalysisOptions, EpicGraph, Finding, Subject};
use crate::diagnostics::codes;
use crate::model::Plan;

/// One epic placed on the computed schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledEpic {
    pub number: u32,
    pub title: String,
    /// Working days from the start of the plan.
    pub start: f64,
    /// Working days it lasts (0 when neither a duration nor ETAs are known).
    pub days: f64,
    /// The duration as the plan wrote it (`4 hours`), when it states one.
    pub duration: Option<String>,
    /// On the computed critical path.
    pub critical: bool,
    /// On the plan's declared critical path.
    pub declared: bool,
}

impl ScheduledEpic {
    pub fn finish(&self) -> f64 {
        self.start + self.days
    }
}

/// Every epic placed by its hard dependencies, the computed critical path and the
/// declared one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComputedSchedule {
    /// In plan order.
    pub epics: Vec<ScheduledEpic>,
    /// Epic numbers, first to last.
    pub critical_path: Vec<u32>,
    /// Working days of the critical path (the plan's shortest possible length).
    pub length: f64,
    /// The plan's declared critical path (defined epics only) and its length.
    pub declared_path: Vec<u32>,
    pub declared_length: f64,
    /// The working day the durations were converted with, in hours.
    pub hours_per_day: f64,
}

/// Places every epic; `None` when the hard edges between the plan's epics form a cycle
/// (reported by the cycle analysis) so no order exists.
pub fn compute_schedule(
    plan: &Plan,
    graph: &EpicGraph,
    options: &AnalysisOptions,
) -> Option<ComputedSchedule> {
    let days: BTreeMap<u32, f64> = plan
        .epics
        .iter()
        .map(|e| (e.number, epic_working_days(e, options).unwrap_or(0.0)))
        .collect();
    let order = topological_order(&days, graph)?;
    let mut start: BTreeMap<u32, f64> = BTreeMap::new();
    let mut via: BTreeMap<u32, u32> = BTreeMap::new();
    for &epic in &order {
        let mut best: Option<(f64, u32)> = None;
        for edge in graph
            .hard_edges()
            .filter(|e| e.to == epic && days.contains_key(&e.from))
        {
            let finish = start[&edge.from] + days[&edge.from];
            if best.is_none_or(|(f, n)| {
                finish > f + 1e-9 || ((finish - f).abs() < 1e-9 && edge.from < n)
            }) {
                best = Some((finish, edge.from));
            }
        }
        start.insert(epic, best.map_or(0.0, |(f, _)| f));
        if let Some((_, from)) = best {
            via.insert(epic, from);
        }
    }
    let last = days.keys().copied().fold(None::<u32>, |best, epic| {
        let finish = start[&epic] + days[&epic];
        match best {
            Some(b) if start[&b] + days[&b] >= finish - 1e-9 => Some(b),
            _ => Some(epic),
        }
    })?;
    let mut critical_path = vec![last];
    while let Some(&previous) = via.get(critical_path.last().expect("non-empty")) {
        critical_path.push(previous);
    }
    critical_path.reverse();
    let declared_path: Vec<u32> = plan
        .critical_path
        .iter()
        .flat_map(|p| p.epics.iter().copied())
        .filter(|n| days.contains_key(n))
        .collect();
    let epics = plan
        .epics
        .iter()
        .map(|e| ScheduledEpic {
            number: e.number,
            title: e.title.clone(),
            start: start[&e.number],
            days: days[&e.number],
            duration: e.duration.as_ref().map(|d| d.raw.clone()),
            critical: critical_path.contains(&e.number),
            declared: declared_path.contains(&e.number),
        })
        .collect();
    Some(ComputedSchedule {
        epics,
        length: start[&last] + days[&last],
        declared_length: declared_path.iter().map(|n| days[n]).sum(),
        critical_path,
        declared_path,
        hours_per_day: options.hours_per_day,
    })
}

/// Kahn's algorithm over the plan's epics and the hard edges between them, lowest epic
/// number first among those ready; `None` on a cycle.
fn topological_order(days: &BTreeMap<u32, f64>, graph: &EpicGraph) -> Option<Vec<u32>> {
    let edges: BTreeSet<(u32, u32)> = graph
        .hard_edges()
        .filter(|e| days.contains_key(&e.from) && days.contains_key(&e.to))
        .map(|e| (e.from, e.to))
        .collect();
    let mut incoming: BTreeMap<u32, usize> = days.keys().map(|&n| (n, 0)).collect();
    for (_, to) in &edges {
        *incoming.get_mut(to).expect("filtered to known epics") += 1;
    }
    let mut ready: BTreeSet<u32> = incoming
        .iter()
        .filter(|(_, c)| **c == 0)
        .map(|(n, _)| *n)
        .collect();
    let mut order = Vec::new();
    while let Some(epic) = ready.pop_first() {
        order.push(epic);
        for (_, to) in edges.iter().filter(|(from, _)| *from == epic) {
            let count = incoming.get_mut(to).expect("known epic");
            *count -= 1;
            if *count == 0 {
                ready.insert(*to);
            }
        }
    }
    (order.len() == days.len()).then_some(order)
}

/// The computed critical path against the declared one; a note when none can be
/// computed, or when the declared path skips the map's edges.
pub fn check_critical_path(
    plan: &Plan,
    graph: &EpicGraph,
    schedule: Option<&ComputedSchedule>,
    options: &AnalysisOptions,
) -> Vec<Finding> {
    let Some(declared) = plan.critical_path.as_ref().filter(|p| !p.epics.is_empty()) else {
        return Vec::new();
    };
    let Some(schedule) = schedule else {
        return vec![Finding::note(
            codes::CRITICAL_PATH_MISMATCH,
            "the critical path cannot be computed: the map's hard edges form a cycle".into(),
            declared.span,
            Subject::CriticalPath,
        )];
    };
    let mut findings = Vec::new();
    if schedule.critical_path != declared.epics {
        findings.push(
            Finding::warning(
                codes::CRITICAL_PATH_MISMATCH,
                format!(
                    "critical path: computed {} ({} working days) vs declared {} ({} working days)",
                    format_epic_chain(&schedule.critical_path),
                    format_days(schedule.length),
                    format_epic_chain(&declared.epics),
                    format_days(schedule.declared_length),
                ),
                declared.span,
                Subject::CriticalPath,
            )
            .with_help(format!(
                "the longest chain of hard dependencies decides when the plan can finish \
                 (durations in working days of {} hours)",
                format_days(options.hours_per_day)
            )),
        );
    }
    let missing: Vec<String> = declared
        .epics
        .windows(2)
        .filter(|pair| {
            !graph
                .hard_edges()
                .any(|e| e.from == pair[0] && e.to == pair[1])
        })
        .map(|pair| format!("Epic {} → Epic {}", pair[0], pair[1]))
        .collect();
    if !missing.is_empty() {
        findings.push(Finding::note(
            codes::CRITICAL_PATH_MISMATCH,
            format!(
                "the declared critical path follows links the dependency map does not have as hard edges: {}",
                missing.join(", ")
            ),
            declared.span,
            Subject::CriticalPath,
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_plans::reference_plan;
    use crate::analysis::test_plans::{messages, reference_graph};

    fn schedule() -> ComputedSchedule {
        let plan = reference_plan();
        let graph = reference_graph(&plan);
        compute_schedule(&plan, &graph, &AnalysisOptions::default()).expect("no hard cycle")
    }

    #[test]
    fn reference_critical_path_is_epic_1_2_4_over_5_days() {
        let schedule = schedule();
        assert_eq!(schedule.critical_path, [1, 2, 4]);
        assert!((schedule.length - 5.0).abs() < 1e-9);
        assert_eq!(schedule.declared_path, [1, 2, 5, 6]);
        assert!((schedule.declared_length - 4.5).abs() < 1e-9);
    }

    #[test]
    fn epics_start_when_their_hard_dependencies_finish() {
        let starts: Vec<(u32, f64)> = schedule()
            .epics
            .iter()
            .map(|e| (e.number, e.start))
            .collect();
        // Epic 2 waits for Epic 1 (2 days); Epic 6 for Epic 5 (ends day 4), not Epic 3.
        assert_eq!(
            starts,
            [(1, 0.0), (2, 2.0), (3, 2.0), (4, 3.0), (5, 3.0), (6, 4.0)]
        );
    }

    #[test]
    fn computed_and_declared_paths_are_compared() {
        let plan = reference_plan();
        let graph = reference_graph(&plan);
        let options = AnalysisOptions::default();
        let schedule = compute_schedule(&plan, &graph, &options);
        let findings = check_critical_path(&plan, &graph, schedule.as_ref(), &options);
        let messages = messages(&findings);
        assert_eq!(
            messages,
            [
                "critical path: computed Epic 1 → Epic 2 → Epic 4 (5 working days) vs declared \
              Epic 1 → Epic 2 → Epic 5 → Epic 6 (4.5 working days)"
            ]
        );
    }

    #[test]
    fn hard_cycle_leaves_no_schedule() {
        let mut plan = reference_plan();
        let chart = plan
            .dependency_map
            .as_mut()
            .unwrap()
            .graph
            .as_mut()
            .unwrap();
        for edge in &mut chart.edges {
            edge.stroke = crate::model::graph::EdgeStroke::Solid;
        }
        let graph = EpicGraph::from_flowchart(chart);
        assert!(compute_schedule(&plan, &graph, &AnalysisOptions::default()).is_none());
    }
}
