//! Analysis: the dependency map's flowchart read as dependencies between epics. A node
//! is an epic when its label names one (`Epic 1: Security`) or, when the label says
//! nothing, its id does (`E1`, `epic-1`). An edge `A --> B` means B depends on A (A must
//! finish first); a dotted edge `A -.-> B` is a soft dependency that orders work without
//! blocking it. `A <--> B` is read as a dependency both ways.

use std::collections::BTreeMap;

use super::{Finding, Subject};
use crate::diagnostics::codes;
use crate::model::graph::{EdgeEnd, FlowEdge, FlowNode, Flowchart};
use crate::model::{Plan, Span};

/// One dependency between two epics: `to` depends on `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpicEdge {
    pub from: u32,
    pub to: u32,
    /// Drawn dotted: orders work without blocking it.
    pub soft: bool,
    pub label: Option<String>,
    pub span: Span,
}

/// The epic-level dependencies of a plan's map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpicGraph {
    /// Node id to the epic it stands for.
    pub node_epics: BTreeMap<String, u32>,
    /// Where each epic's node is declared, for diagnostics.
    pub node_spans: BTreeMap<u32, Span>,
    /// Edges between two epic nodes, in source order.
    pub edges: Vec<EpicEdge>,
}

impl EpicGraph {
    pub fn from_flowchart(chart: &Flowchart) -> Self {
        let mut graph = EpicGraph::default();
        for node in &chart.nodes {
            if let Some(epic) = epic_of_node(node) {
                graph.node_epics.insert(node.id.clone(), epic);
                graph.node_spans.entry(epic).or_insert(node.span);
            }
        }
        for edge in &chart.edges {
            graph.add_edge(edge);
        }
        graph
    }

    fn add_edge(&mut self, edge: &FlowEdge) {
        let (Some(&from), Some(&to)) = (
            self.node_epics.get(&edge.from),
            self.node_epics.get(&edge.to),
        ) else {
            return;
        };
        let make = |from, to| EpicEdge {
            from,
            to,
            soft: edge.is_soft(),
            label: edge.label.clone(),
            span: edge.span,
        };
        self.edges.push(make(from, to));
        if edge.tail == EdgeEnd::Arrow && edge.head == EdgeEnd::Arrow {
            self.edges.push(make(to, from));
        }
    }

    /// Hard edges only: the dependencies that block.
    pub fn hard_edges(&self) -> impl Iterator<Item = &EpicEdge> {
        self.edges.iter().filter(|e| !e.soft)
    }

    /// The epics that directly depend on `epic` through a hard edge.
    pub fn hard_dependents(&self, epic: u32) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .hard_edges()
            .filter(|e| e.from == epic && e.to != epic)
            .map(|e| e.to)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The epic a node stands for: from its label first, else from its id.
pub fn epic_of_node(node: &FlowNode) -> Option<u32> {
    epic_number_in_label(&node.label).or_else(|| epic_number_in_id(&node.id))
}

/// `Epic 1: Security`, `epic #2`, `Epic-3 (Monitoring)`: the number after the word
/// "epic".
fn epic_number_in_label(label: &str) -> Option<u32> {
    let lower = label.to_lowercase();
    let mut search = lower.as_str();
    while let Some(at) = search.find("epic") {
        let before_ok = search[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let rest = search[at + 4..].trim_start_matches([' ', '#', '-', '_', ':']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if before_ok && !digits.is_empty() {
            return digits.parse().ok();
        }
        search = &search[at + 4..];
    }
    None
}

/// `E1`, `e2`, `epic3`, `epic-4`, `EPIC_5`: an id that is a letter prefix and a number.
fn epic_number_in_id(id: &str) -> Option<u32> {
    let lower = id.to_lowercase();
    let rest = lower
        .strip_prefix("epic")
        .or_else(|| lower.strip_prefix('e'))?
        .trim_start_matches(['-', '_']);
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

/// A note for each epic the map names that the plan does not define.
pub fn check_epics_exist(plan: &Plan, graph: &EpicGraph) -> Vec<Finding> {
    graph
        .node_spans
        .iter()
        .filter(|(epic, _)| !plan.epics.iter().any(|e| e.number == **epic))
        .map(|(epic, span)| {
            Finding::note(
                codes::DEPENDENCY_MAP_EPIC,
                format!("the dependency map names Epic {epic}, which this plan does not define"),
                *span,
                Subject::DependencyMap,
            )
            .with_help("add the epic, or fix the node's label in the map")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_plans::reference_flowchart;

    #[test]
    fn nodes_are_epics_by_label_then_by_id() {
        let node = |id: &str, label: &str| FlowNode {
            id: id.into(),
            label: label.into(),
            shape: Default::default(),
            classes: vec![],
            span: Span::default(),
        };
        assert_eq!(epic_of_node(&node("E9", "Epic 1: Security")), Some(1));
        assert_eq!(epic_of_node(&node("E4", "E4")), Some(4));
        assert_eq!(epic_of_node(&node("epic-12", "Database")), Some(12));
        assert_eq!(epic_of_node(&node("Deploy", "Deploy")), None);
        assert_eq!(epic_of_node(&node("x", "Epicentre 3")), None);
    }

    #[test]
    fn reference_map_has_six_hard_and_one_soft_epic_edges() {
        let graph = EpicGraph::from_flowchart(&reference_flowchart());
        assert_eq!(graph.node_epics.len(), 6);
        assert_eq!(graph.hard_edges().count(), 6);
        let soft: Vec<(u32, u32)> = graph
            .edges
            .iter()
            .filter(|e| e.soft)
            .map(|e| (e.from, e.to))
            .collect();
        assert_eq!(soft, [(4, 2)]);
        assert_eq!(graph.hard_dependents(1), [2, 3]);
    }
}
