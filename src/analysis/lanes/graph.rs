//! Lane health, the dependency graph: the plan's edges lifted to its lanes. Dependencies
//! that name an id or a lane the plan does not have (`OPS346`); cycles among the lanes'
//! hard dependencies, spelled out (`OPS347`); and, when there is none, the schedule: the
//! sum of the lanes' times and the longest chain of lanes by their times, which the
//! stated totals are checked against and the swimlane highlights.

use std::collections::BTreeSet;

use super::durations::{lane_minutes, MinuteRange};
use crate::analysis::{Finding, Subject};
use crate::diagnostics::codes;
use crate::model::duration::DayLength;
use crate::model::plan::{DependencyEnd, DependencyStrength, Plan};

/// The lanes' computed schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneSchedule {
    /// The day length the minutes were counted in.
    pub day: DayLength,
    /// Each lane's time, by position in `plan.lanes` (`None`: the plan gives none).
    pub lane_minutes: Vec<Option<MinuteRange>>,
    /// Every lane one after another; `None` when a lane has no time.
    pub sequential: Option<MinuteRange>,
    /// The longest chain of lanes along hard dependencies, by lane key, first to last.
    pub critical_chain: Vec<String>,
    /// Its time; `None` when a lane has no time.
    pub critical_minutes: Option<MinuteRange>,
}

impl LaneSchedule {
    /// `Track 0 → Track 1`.
    pub fn chain_labels(&self, plan: &Plan) -> String {
        self.critical_chain
            .iter()
            .filter_map(|key| plan.lane(key))
            .map(|lane| lane.label.clone())
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

/// `OPS346` for every dependency with an end the plan does not have.
pub fn check_dependency_ends(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    for dependency in &plan.dependencies {
        let DependencyEnd::Missing(name) = &dependency.from else {
            continue;
        };
        let Some(span) = dependency.span else {
            continue;
        };
        let waiting = end_name(plan, &dependency.to);
        let message = format!("{waiting} depends on `{name}`, which this plan does not have");
        findings.push(
            Finding::warning(
                codes::DEPENDENCY_UNKNOWN_END,
                message,
                span,
                subject_of(&dependency.to),
            )
            .with_help(
                "correct the id or lane, or add it to the plan so its status and place are known",
            ),
        );
    }
    findings
}

fn end_name(plan: &Plan, end: &DependencyEnd) -> String {
    match end {
        DependencyEnd::Lane(key) => plan
            .lane(key)
            .map_or_else(|| key.clone(), |l| l.label.clone()),
        DependencyEnd::Item(key) => plan.work_item(key).map_or_else(
            || format!("`{key}`"),
            |item| format!("`{}`", super::tracker_state::item_name(item)),
        ),
        DependencyEnd::Missing(name) => format!("`{name}`"),
    }
}

fn subject_of(end: &DependencyEnd) -> Subject {
    match end {
        DependencyEnd::Lane(key) => Subject::Lane(key.clone()),
        DependencyEnd::Item(key) => Subject::WorkItem(key.clone()),
        DependencyEnd::Missing(_) => Subject::Lanes,
    }
}

/// The hard edges between lanes, by lane position, without repeats and self-loops.
fn lane_edges(plan: &Plan) -> BTreeSet<(usize, usize)> {
    let position = |end: &DependencyEnd| {
        let lane = plan.lane_of(end)?;
        plan.lanes.iter().position(|l| l.key == lane.key)
    };
    plan.dependencies
        .iter()
        .filter(|d| d.strength == DependencyStrength::Hard)
        .filter_map(|d| Some((position(&d.from)?, position(&d.to)?)))
        .filter(|(from, to)| from != to)
        .collect()
}

/// `OPS347` for a cycle of hard lane dependencies; else the schedule.
pub fn compute_lane_schedule(plan: &Plan, day: DayLength) -> (Vec<Finding>, Option<LaneSchedule>) {
    let edges = lane_edges(plan);
    let Some(order) = topological_order(plan.lanes.len(), &edges) else {
        return (vec![cycle_finding(plan, &edges)], None);
    };
    let minutes: Vec<Option<MinuteRange>> = plan
        .lanes
        .iter()
        .map(|lane| lane_minutes(plan, lane, day))
        .collect();
    let sequential = minutes
        .iter()
        .try_fold(MinuteRange::default(), |sum, m| m.map(|m| sum.add(m)));
    let (critical_chain, critical_minutes) = longest_chain(&order, &edges, &minutes);
    let schedule = LaneSchedule {
        day,
        lane_minutes: minutes,
        sequential: sequential.filter(|_| !plan.lanes.is_empty()),
        critical_chain: critical_chain
            .into_iter()
            .map(|at| plan.lanes[at].key.clone())
            .collect(),
        critical_minutes,
    };
    (Vec::new(), Some(schedule))
}

/// Lanes in an order where every edge goes forward; `None` when there is a cycle.
fn topological_order(count: usize, edges: &BTreeSet<(usize, usize)>) -> Option<Vec<usize>> {
    let mut incoming = vec![0usize; count];
    for &(_, to) in edges {
        incoming[to] += 1;
    }
    let mut ready: Vec<usize> = (0..count).filter(|&at| incoming[at] == 0).rev().collect();
    let mut order = Vec::new();
    while let Some(at) = ready.pop() {
        order.push(at);
        for &(from, to) in edges {
            if from == at {
                incoming[to] -= 1;
                if incoming[to] == 0 {
                    ready.push(to);
                }
            }
        }
    }
    (order.len() == count).then_some(order)
}

/// The chain of lanes with the longest upper-end time, and its time; no time when a lane
/// on it has none.
fn longest_chain(
    order: &[usize],
    edges: &BTreeSet<(usize, usize)>,
    minutes: &[Option<MinuteRange>],
) -> (Vec<usize>, Option<MinuteRange>) {
    let count = minutes.len();
    let mut best: Vec<(MinuteRange, Option<usize>)> = vec![(MinuteRange::default(), None); count];
    for &at in order {
        let own = minutes[at].unwrap_or_default();
        let before = edges
            .iter()
            .filter(|(_, to)| *to == at)
            .map(|&(from, _)| (best[from].0, Some(from)))
            .max_by_key(|(m, from)| (m.high, m.low, std::cmp::Reverse(*from)))
            .unwrap_or((MinuteRange::default(), None));
        best[at] = (before.0.add(own), before.1);
    }
    let Some(end) =
        (0..count).max_by_key(|&at| (best[at].0.high, best[at].0.low, std::cmp::Reverse(at)))
    else {
        return (Vec::new(), None);
    };
    let mut chain = vec![end];
    while let Some(previous) = best[*chain.last().expect("never empty")].1 {
        chain.push(previous);
    }
    chain.reverse();
    let complete = chain.iter().all(|&at| minutes[at].is_some());
    (chain, complete.then_some(best[end].0))
}

/// One finding spelling out a cycle of hard lane dependencies.
fn cycle_finding(plan: &Plan, edges: &BTreeSet<(usize, usize)>) -> Finding {
    let cycle = find_cycle(plan.lanes.len(), edges).unwrap_or_default();
    let mut names: Vec<String> = cycle
        .iter()
        .map(|&at| plan.lanes[at].label.clone())
        .collect();
    if let Some(first) = names.first().cloned() {
        names.push(first);
    }
    let span = cycle
        .first()
        .map_or_else(Default::default, |&at| plan.lanes[at].span);
    let subject = cycle.first().map_or(Subject::Lanes, |&at| {
        Subject::Lane(plan.lanes[at].key.clone())
    });
    Finding::warning(
        codes::LANE_DEPENDENCY_CYCLE,
        format!(
            "the lanes' hard dependencies form a cycle: {}",
            names.join(" → ")
        ),
        span,
        subject,
    )
    .with_help("no lane of the cycle can start; make one of its dependencies soft or remove it")
}

/// A cycle among `edges`, as lane positions from its lowest lane.
fn find_cycle(count: usize, edges: &BTreeSet<(usize, usize)>) -> Option<Vec<usize>> {
    for start in 0..count {
        let mut path = vec![start];
        if extend(start, edges, &mut path) {
            return Some(path);
        }
    }
    None
}

fn extend(start: usize, edges: &BTreeSet<(usize, usize)>, path: &mut Vec<usize>) -> bool {
    let last = *path.last().expect("never empty");
    for &(from, to) in edges {
        if from != last || to < start {
            continue;
        }
        if to == start {
            return true;
        }
        if !path.contains(&to) {
            path.push(to);
            if extend(start, edges, path) {
                return true;
            }
            path.pop();
        }
    }
    false
}
