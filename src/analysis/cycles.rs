//! Analysis: cycles in the dependency map, spelled out in full (`Epic 2 → Epic 4 ⇢
//! Epic 2`), with each dotted (soft) edge drawn `⇢` and named. Works on the flowchart's
//! nodes, epics or not; a node that stands for an epic is called `Epic N`.
//!
//! Every elementary cycle is reported once, starting at its earliest-declared node.
//! Parallel edges between the same two nodes count once (a hard one wins, because a
//! hard edge makes the cycle binding). The search is bounded so a dense map cannot make
//! a build slow.

use super::epic_graph::epic_of_node;
use super::{Finding, Subject};
use crate::diagnostics::codes;
use crate::model::graph::{FlowEdge, Flowchart};
use crate::model::Span;

/// At most this many cycles are reported; more than that says "untangle the map" anyway.
const MAX_CYCLES: usize = 20;
/// Bound on search steps.
const MAX_STEPS: usize = 100_000;

/// A cycle as node indices and the edge taken from each node to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle<'a> {
    pub nodes: Vec<usize>,
    pub edges: Vec<&'a FlowEdge>,
}

/// Adjacency lists: for each node, `(next node, edge)`, one edge per pair.
fn adjacency(chart: &Flowchart) -> Vec<Vec<(usize, &FlowEdge)>> {
    let index = |id: &str| chart.nodes.iter().position(|n| n.id == id);
    let mut adjacency: Vec<Vec<(usize, &FlowEdge)>> = vec![Vec::new(); chart.nodes.len()];
    for edge in &chart.edges {
        let (Some(from), Some(to)) = (index(&edge.from), index(&edge.to)) else {
            continue;
        };
        let list = &mut adjacency[from];
        match list.iter_mut().find(|(next, _)| *next == to) {
            Some(slot) if slot.1.is_soft() && !edge.is_soft() => slot.1 = edge,
            Some(_) => {}
            None => list.push((to, edge)),
        }
    }
    adjacency
}

/// Every elementary cycle of the chart (bounded), each starting at its lowest node.
pub fn cycles_of(chart: &Flowchart) -> Vec<Cycle<'_>> {
    let adjacency = adjacency(chart);
    let mut cycles = Vec::new();
    let mut steps = 0usize;
    for start in 0..chart.nodes.len() {
        let mut path = vec![start];
        let mut edges = Vec::new();
        let mut on_path = vec![false; chart.nodes.len()];
        on_path[start] = true;
        search(
            &adjacency,
            start,
            &mut path,
            &mut edges,
            &mut on_path,
            &mut cycles,
            &mut steps,
        );
        if cycles.len() >= MAX_CYCLES || steps >= MAX_STEPS {
            break;
        }
    }
    cycles.truncate(MAX_CYCLES);
    cycles
}

/// Depth-first search for paths back to `start` through nodes after it.
fn search<'a>(
    adjacency: &[Vec<(usize, &'a FlowEdge)>],
    start: usize,
    path: &mut Vec<usize>,
    edges: &mut Vec<&'a FlowEdge>,
    on_path: &mut [bool],
    cycles: &mut Vec<Cycle<'a>>,
    steps: &mut usize,
) {
    let current = *path.last().expect("path starts with its start node");
    for &(next, edge) in &adjacency[current] {
        *steps += 1;
        if cycles.len() >= MAX_CYCLES || *steps >= MAX_STEPS {
            return;
        }
        if next == start {
            let mut cycle_edges = edges.clone();
            cycle_edges.push(edge);
            cycles.push(Cycle {
                nodes: path.clone(),
                edges: cycle_edges,
            });
        } else if next > start && !on_path[next] {
            on_path[next] = true;
            path.push(next);
            edges.push(edge);
            search(adjacency, start, path, edges, on_path, cycles, steps);
            edges.pop();
            path.pop();
            on_path[next] = false;
        }
    }
}

/// `Epic 2` for a node that is an epic, else its label's first line.
fn node_name(chart: &Flowchart, index: usize) -> String {
    let node = &chart.nodes[index];
    match epic_of_node(node) {
        Some(epic) => format!("Epic {epic}"),
        None => node.label.lines().next().unwrap_or(&node.id).to_string(),
    }
}

/// `Epic 2 → Epic 4 ⇢ Epic 2`: solid and thick edges `→`, dotted ones `⇢`.
pub fn spell_cycle(chart: &Flowchart, cycle: &Cycle) -> String {
    let mut text = node_name(chart, cycle.nodes[0]);
    for (i, edge) in cycle.edges.iter().enumerate() {
        let next = cycle.nodes.get(i + 1).copied().unwrap_or(cycle.nodes[0]);
        let arrow = if edge.is_soft() { " ⇢ " } else { " → " };
        text.push_str(arrow);
        text.push_str(&node_name(chart, next));
    }
    text
}

/// A warning for each cycle, naming its soft edges.
pub fn find_cycles(chart: &Flowchart) -> Vec<Finding> {
    cycles_of(chart)
        .iter()
        .map(|cycle| {
            let path = spell_cycle(chart, cycle);
            let soft: Vec<String> = cycle
                .edges
                .iter()
                .enumerate()
                .filter(|(_, e)| e.is_soft())
                .map(|(i, _)| {
                    let from = node_name(chart, cycle.nodes[i]);
                    let to = node_name(chart, *cycle.nodes.get(i + 1).unwrap_or(&cycle.nodes[0]));
                    format!("{from} ⇢ {to}")
                })
                .collect();
            let (message, help) = if soft.is_empty() {
                (
                    format!(
                        "dependency cycle: {path} (all edges are hard: no order can satisfy it)"
                    ),
                    "remove or reverse one of the edges",
                )
            } else {
                (
                    format!(
                        "dependency cycle: {path} through the dotted (soft) edge{} {}",
                        if soft.len() > 1 { "s" } else { "" },
                        soft.join(", ")
                    ),
                    "say which epic really comes first: drop the soft edge or reverse the hard one",
                )
            };
            let span = cycle
                .edges
                .iter()
                .find(|e| e.is_soft())
                .or(cycle.edges.first())
                .map_or(Span::default(), |e| e.span);
            Finding::warning(
                codes::DEPENDENCY_CYCLE,
                message,
                span,
                Subject::DependencyMap,
            )
            .with_help(help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_plans::messages;
    use crate::analysis::test_plans::{edge, node, reference_flowchart};
    use crate::model::graph::EdgeStroke;

    #[test]
    fn cycle_through_dotted_edge_is_reported_as_soft() {
        let findings = find_cycles(&reference_flowchart());
        let messages = messages(&findings);
        assert_eq!(
            messages,
            ["dependency cycle: Epic 2 → Epic 4 ⇢ Epic 2 through the dotted (soft) edge Epic 4 ⇢ Epic 2"]
        );
        assert_eq!(findings[0].diagnostic.span.map(|s| s.line), Some(488));
    }

    #[test]
    fn hard_cycle_and_self_loop_are_spelled_out() {
        let chart = Flowchart {
            nodes: vec![
                node("a", "Build", 1),
                node("b", "Test", 2),
                node("c", "Ship", 3),
            ],
            edges: vec![
                edge("a", "b", None, EdgeStroke::Solid, 1),
                edge("b", "c", None, EdgeStroke::Thick, 2),
                edge("c", "a", None, EdgeStroke::Solid, 3),
                edge("c", "c", None, EdgeStroke::Solid, 4),
            ],
            ..Flowchart::default()
        };
        let cycles: Vec<String> = cycles_of(&chart)
            .iter()
            .map(|c| spell_cycle(&chart, c))
            .collect();
        assert_eq!(cycles, ["Build → Test → Ship → Build", "Ship → Ship"]);
        assert!(find_cycles(&chart)[0]
            .diagnostic
            .message
            .contains("all edges are hard"));
    }

    #[test]
    fn dense_graph_reports_a_bounded_number_of_cycles() {
        let ids: Vec<String> = (0..12).map(|i| format!("n{i}")).collect();
        let mut chart = Flowchart::default();
        for id in &ids {
            chart.nodes.push(node(id, id, 1));
        }
        for a in &ids {
            for b in &ids {
                chart.edges.push(edge(a, b, None, EdgeStroke::Solid, 1));
            }
        }
        assert_eq!(cycles_of(&chart).len(), MAX_CYCLES);
    }
}
