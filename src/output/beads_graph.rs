//! The plan as a beads graph plan (output stage): the JSON that `bd create --graph FILE`
//! takes, so a plan seeds a tracker in one call instead of one `bd create` per line.
//!
//! The form follows beads' `GraphApplyPlan` (cmd/bd/graph_apply.go): `nodes` with `key`,
//! `title`, `type`, `description`, `priority` (0-4; beads takes 2 when absent) and
//! `parent_key`; `edges` with `from_key`, `to_key` and `type`, where `from` depends on
//! `to`. Each task node also carries `estimate` (minutes; honoured by beads releases
//! that read it, a warned-about unknown field before). Parent links are given twice, as
//! `parent_key` and as a `parent-child` edge: beads skips an edge that repeats a
//! `parent_key`, and other readers see the hierarchy among the edges.
//!
//! Keys: `epic-N` for epics, the task id (`1.1`) for tasks. The dependency map's edges
//! (`E1 --> E2`: epic 2 waits for epic 1) become `blocks` edges from the later epic to
//! the earlier one; a dotted edge (a soft dependency) becomes `related`.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::duration::DayLength;
use crate::model::graph::{EdgeEnd, FlowNode, Flowchart};
use crate::model::plan::{Epic, Plan, Task};
use crate::model::status::epic_key;

/// The whole graph plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphPlan {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// One issue to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphNode {
    pub key: String,
    pub title: String,
    #[serde(rename = "type")]
    pub issue_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_key: Option<String>,
    /// Minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<u32>,
}

/// `from_key` depends on `to_key`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct GraphEdge {
    pub from_key: String,
    pub to_key: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// What the export could not carry over, for the command to report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportNotes {
    /// Dependency-map edges whose ends are not epics (`A --> B` with no `Epic N`).
    pub skipped_edges: Vec<String>,
}

/// The graph plan of `plan`. Edges of the dependency map come from `map_graph`.
pub fn plan_graph(plan: &Plan, map_graph: Option<&Flowchart>) -> (GraphPlan, ExportNotes) {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for epic in &plan.epics {
        nodes.push(epic_node(epic));
        for task in &epic.tasks {
            nodes.push(task_node(task, epic));
            edges.push(GraphEdge {
                from_key: task.id.clone(),
                to_key: epic_key(epic.number),
                kind: "parent-child".into(),
            });
        }
    }
    let mut notes = ExportNotes::default();
    if let Some(graph) = map_graph {
        edges.extend(dependency_edges(plan, graph, &mut notes));
    }
    (GraphPlan { nodes, edges }, notes)
}

fn epic_node(epic: &Epic) -> GraphNode {
    let creation = epic.creation.as_ref();
    GraphNode {
        key: epic_key(epic.number),
        title: creation.map_or_else(|| format!("Epic: {}", epic.title), |c| c.title.clone()),
        issue_type: creation.map_or_else(|| "epic".to_string(), |c| c.issue_type.clone()),
        description: epic
            .impact
            .as_ref()
            .map(|impact| format!("Impact: {}", impact.text)),
        priority: creation
            .and_then(|c| c.priority)
            .or(epic.priority.as_ref().map(|p| p.level))
            .map(|p| p.0),
        parent_key: None,
        estimate: None,
    }
}

fn task_node(task: &Task, epic: &Epic) -> GraphNode {
    GraphNode {
        key: task.id.clone(),
        title: task.creation.title.clone(),
        issue_type: task.creation.issue_type.clone(),
        description: task_description(task),
        priority: task.creation.priority.map(|p| p.0),
        parent_key: Some(epic_key(epic.number)),
        estimate: task
            .eta
            .as_ref()
            .and_then(|eta| eta.minutes(DayLength::STANDARD_WORKDAY)),
    }
}

/// The task's impact, fields and lists as plain text, the way the plan wrote them.
fn task_description(task: &Task) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(impact) = &task.impact {
        parts.push(format!("Impact: {}", impact.text));
    }
    for field in &task.fields {
        parts.push(format!("{}: {}", field.name, field.value));
    }
    for list in &task.lists {
        let items: Vec<String> = list
            .items
            .iter()
            .map(|item| format!("- {}", item.text.trim()))
            .collect();
        parts.push(format!("{}:\n{}", list.name, items.join("\n")));
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

fn dependency_edges(plan: &Plan, graph: &Flowchart, notes: &mut ExportNotes) -> Vec<GraphEdge> {
    let numbers: BTreeSet<u32> = plan.epics.iter().map(|e| e.number).collect();
    let epic_of = |id: &str| {
        graph
            .node(id)
            .and_then(epic_number)
            .or_else(|| trailing_number(id))
            .filter(|n| numbers.contains(n))
    };
    let mut edges = Vec::new();
    for edge in &graph.edges {
        let (Some(before), Some(after)) = (epic_of(&edge.from), epic_of(&edge.to)) else {
            notes
                .skipped_edges
                .push(format!("{} -> {}", edge.from, edge.to));
            continue;
        };
        let both_ways = edge.tail == EdgeEnd::Arrow;
        let kind = if edge.is_soft() || both_ways {
            "related"
        } else {
            "blocks"
        };
        let edge = GraphEdge {
            from_key: epic_key(after),
            to_key: epic_key(before),
            kind: kind.into(),
        };
        if before != after && !edges.contains(&edge) {
            edges.push(edge);
        }
    }
    edges
}

/// `Epic 3: Monitoring` → 3.
fn epic_number(node: &FlowNode) -> Option<u32> {
    let label = node.label.to_lowercase();
    let rest = &label[label.find("epic")? + 4..];
    let digits: String = rest
        .trim_start_matches([' ', '-', '_', '#'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// `E3` / `epic-3` → 3.
fn trailing_number(id: &str) -> Option<u32> {
    let digits: String = id
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::graph::{EdgeStroke, FlowEdge, NodeShape};
    use crate::model::Span;
    use crate::test_support::reference_like_plan;

    fn node(id: &str, label: &str) -> FlowNode {
        FlowNode {
            id: id.into(),
            label: label.into(),
            shape: NodeShape::Rectangle,
            classes: Vec::new(),
            span: Span::default(),
        }
    }

    fn edge(from: &str, to: &str, stroke: EdgeStroke) -> FlowEdge {
        FlowEdge {
            from: from.into(),
            to: to.into(),
            label: None,
            stroke,
            head: EdgeEnd::Arrow,
            tail: EdgeEnd::None,
            span: Span::default(),
        }
    }

    /// The reference plan's dependency map, built by hand: 6 epic nodes, 7 edges, one dotted.
    fn reference_like_map() -> Flowchart {
        use EdgeStroke::{Dotted, Solid};
        Flowchart {
            nodes: vec![
                node("E1", "Epic 1: Security"),
                node("E2", "Epic 2: Production"),
                node("E5", "Epic 5: CI/CD"),
                node("E3", "Epic 3: Monitoring"),
                node("E6", "Epic 6: Backup"),
                node("E4", "Epic 4: Database"),
            ],
            edges: vec![
                edge("E1", "E2", Solid),
                edge("E2", "E5", Solid),
                edge("E3", "E6", Solid),
                edge("E4", "E2", Dotted),
                edge("E5", "E6", Solid),
                edge("E1", "E3", Solid),
                edge("E2", "E4", Solid),
            ],
            ..Flowchart::default()
        }
    }

    #[test]
    fn reference_like_plan_exports_27_nodes_21_parent_edges_and_7_map_edges() {
        let (graph, notes) = plan_graph(&reference_like_plan(), Some(&reference_like_map()));
        let epics = graph
            .nodes
            .iter()
            .filter(|n| n.issue_type == "epic")
            .count();
        let tasks = graph
            .nodes
            .iter()
            .filter(|n| n.issue_type == "task")
            .count();
        assert_eq!((graph.nodes.len(), epics, tasks), (27, 6, 21));
        let parents = graph
            .edges
            .iter()
            .filter(|e| e.kind == "parent-child")
            .count();
        assert_eq!(parents, 21);
        assert_eq!(
            graph
                .nodes
                .iter()
                .filter(|n| n.parent_key.is_some())
                .count(),
            21
        );
        let map: Vec<(&str, &str, &str)> = graph
            .edges
            .iter()
            .filter(|e| e.kind != "parent-child")
            .map(|e| (e.from_key.as_str(), e.to_key.as_str(), e.kind.as_str()))
            .collect();
        assert_eq!(
            map,
            [
                ("epic-2", "epic-1", "blocks"),
                ("epic-5", "epic-2", "blocks"),
                ("epic-6", "epic-3", "blocks"),
                ("epic-2", "epic-4", "related"),
                ("epic-6", "epic-5", "blocks"),
                ("epic-3", "epic-1", "blocks"),
                ("epic-4", "epic-2", "blocks"),
            ]
        );
        assert!(notes.skipped_edges.is_empty());
    }

    #[test]
    fn every_parent_key_and_edge_end_names_a_node() {
        let (graph, _) = plan_graph(&reference_like_plan(), Some(&reference_like_map()));
        let keys: BTreeSet<&str> = graph.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys.len(), graph.nodes.len(), "keys are unique");
        for parent in graph.nodes.iter().filter_map(|n| n.parent_key.as_deref()) {
            assert!(keys.contains(parent), "{parent}");
        }
        for edge in &graph.edges {
            assert!(keys.contains(edge.from_key.as_str()) && keys.contains(edge.to_key.as_str()));
        }
    }

    #[test]
    fn json_has_the_field_names_bd_create_graph_reads() {
        let (graph, _) = plan_graph(&reference_like_plan(), Some(&reference_like_map()));
        let json = serde_json::to_value(&graph).unwrap();
        let epic = &json["nodes"][0];
        assert_eq!(epic["key"], "epic-1");
        assert_eq!(epic["title"], "Epic: Security Hardening & Critical Fixes");
        assert_eq!(epic["type"], "epic");
        assert_eq!(epic["priority"], 0);
        assert!(epic.get("parent_key").is_none());
        let task = &json["nodes"][1];
        assert_eq!(task["key"], "1.1");
        assert_eq!(task["title"], "Close Dokploy Dashboard Port 3000");
        assert_eq!(task["type"], "task");
        assert_eq!(task["parent_key"], "epic-1");
        assert_eq!(task["estimate"], 5);
        assert!(task["description"]
            .as_str()
            .unwrap()
            .contains("- sudo ufw delete allow 3000/tcp"));
        let edge = &json["edges"][0];
        assert_eq!(
            edge,
            &serde_json::json!({"from_key": "1.1", "to_key": "epic-1", "type": "parent-child"})
        );
    }

    #[test]
    fn without_a_map_graph_only_parent_edges_are_written() {
        let (graph, _) = plan_graph(&reference_like_plan(), None);
        assert_eq!(graph.edges.len(), 21);
    }

    #[test]
    fn map_edges_between_non_epic_nodes_are_reported_not_written() {
        let mut map = reference_like_map();
        map.nodes.push(node("QA", "Quality gate"));
        map.edges.push(edge("E6", "QA", EdgeStroke::Solid));
        let (graph, notes) = plan_graph(&reference_like_plan(), Some(&map));
        assert_eq!(graph.edges.len(), 28);
        assert_eq!(notes.skipped_edges, ["E6 -> QA"]);
    }
}
