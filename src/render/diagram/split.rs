//! Diagram stage, the picture budget: a flowchart of more than `MAX_NODES` nodes cannot
//! be read as one picture (and lays out slowly), so it is split: one part per top-level
//! subgraph (else per connected group of nodes) plus an overview where each part is one
//! node. A part still over budget gets no picture, only the text list.

use std::collections::BTreeMap;

use super::input::members_of;
use crate::model::graph::{EdgeStroke, FlowEdge, FlowNode, Flowchart, NodeShape, Subgraph};

/// Most nodes drawn in one picture.
pub const MAX_NODES: usize = 60;

/// One picture to draw.
#[derive(Debug, Clone)]
pub struct Part {
    /// `None` for a graph drawn whole.
    pub title: Option<String>,
    pub chart: Flowchart,
}

/// The pictures for a flowchart: itself when within budget, else the overview and
/// the parts.
pub fn split(chart: &Flowchart) -> Vec<Part> {
    if chart.nodes.len() <= MAX_NODES {
        return vec![Part {
            title: None,
            chart: chart.clone(),
        }];
    }
    let groups = groups(chart);
    let mut parts = vec![Part {
        title: Some("Overview: one box per part".to_string()),
        chart: overview(chart, &groups),
    }];
    for group in &groups {
        parts.push(Part {
            title: Some(group.title.clone()),
            chart: sub_chart(chart, group),
        });
    }
    parts
}

struct Group {
    id: String,
    title: String,
    nodes: Vec<String>,
}

/// Top-level subgraphs, then connected groups of the nodes outside them.
fn groups(chart: &Flowchart) -> Vec<Group> {
    let nested: Vec<&String> = chart.subgraphs.iter().flat_map(|s| &s.subgraphs).collect();
    let mut group_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut groups = Vec::new();
    for subgraph in chart.subgraphs.iter().filter(|s| !nested.contains(&&s.id)) {
        let nodes: Vec<String> = members_of(chart, &subgraph.id, 0)
            .into_iter()
            .filter(|id| !group_of.contains_key(id))
            .collect();
        for id in &nodes {
            group_of.insert(id.clone(), groups.len());
        }
        groups.push(Group {
            id: format!("part{}", groups.len() + 1),
            title: subgraph.title.clone(),
            nodes,
        });
    }
    // Connected groups of the rest, by union-find over the edges between them.
    let rest: Vec<&FlowNode> = chart
        .nodes
        .iter()
        .filter(|n| !group_of.contains_key(&n.id))
        .collect();
    let mut root: BTreeMap<&str, &str> = rest
        .iter()
        .map(|n| (n.id.as_str(), n.id.as_str()))
        .collect();
    fn find<'a>(root: &BTreeMap<&'a str, &'a str>, mut id: &'a str) -> &'a str {
        while let Some(&up) = root.get(id) {
            if up == id {
                break;
            }
            id = up;
        }
        id
    }
    for edge in &chart.edges {
        if root.contains_key(edge.from.as_str()) && root.contains_key(edge.to.as_str()) {
            let (a, b) = (find(&root, &edge.from), find(&root, &edge.to));
            if a != b {
                let (keep, drop) = if a < b { (a, b) } else { (b, a) };
                root.insert(drop, keep);
            }
        }
    }
    let mut by_root: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for node in &rest {
        by_root
            .entry(find(&root, &node.id))
            .or_default()
            .push(node.id.clone());
    }
    let mut connected: Vec<Vec<String>> = by_root.into_values().collect();
    connected.sort_by_key(|nodes| chart.nodes.iter().position(|n| n.id == nodes[0]));
    for nodes in connected {
        let first = chart
            .node(&nodes[0])
            .map_or(nodes[0].clone(), |n| n.label.replace('\n', " "));
        let title = format!("{first} and {} more", nodes.len() - 1);
        groups.push(Group {
            id: format!("part{}", groups.len() + 1),
            title,
            nodes,
        });
    }
    groups
}

/// One node per group; one edge per pair of groups that any edge joins.
fn overview(chart: &Flowchart, groups: &[Group]) -> Flowchart {
    let group_of: BTreeMap<&str, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.nodes.iter().map(move |n| (n.as_str(), i)))
        .collect();
    let nodes = groups
        .iter()
        .map(|g| FlowNode {
            id: g.id.clone(),
            label: format!("{}\n({} nodes)", g.title, g.nodes.len()),
            shape: NodeShape::Rounded,
            classes: Vec::new(),
            span: Default::default(),
        })
        .collect();
    let mut pairs: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    for edge in &chart.edges {
        if let (Some(&a), Some(&b)) = (
            group_of.get(edge.from.as_str()),
            group_of.get(edge.to.as_str()),
        ) {
            if a != b {
                let soft = pairs.entry((a, b)).or_insert(true);
                *soft &= edge.is_soft();
            }
        }
    }
    let edges = pairs
        .into_iter()
        .map(|((a, b), soft)| FlowEdge {
            from: groups[a].id.clone(),
            to: groups[b].id.clone(),
            label: None,
            stroke: if soft {
                EdgeStroke::Dotted
            } else {
                EdgeStroke::Solid
            },
            head: Default::default(),
            tail: crate::model::graph::EdgeEnd::None,
            span: Default::default(),
        })
        .collect();
    Flowchart {
        direction: chart.direction,
        nodes,
        edges,
        subgraphs: Vec::new(),
    }
}

/// The nodes of one group, the edges among them and the subgraphs inside it.
fn sub_chart(chart: &Flowchart, group: &Group) -> Flowchart {
    let inside = |id: &String| group.nodes.contains(id);
    let subgraphs: Vec<Subgraph> = chart
        .subgraphs
        .iter()
        .filter(|s| !s.nodes.is_empty() && s.nodes.iter().all(inside))
        .cloned()
        .collect();
    Flowchart {
        direction: chart.direction,
        nodes: chart
            .nodes
            .iter()
            .filter(|n| inside(&n.id))
            .cloned()
            .collect(),
        edges: chart
            .edges
            .iter()
            .filter(|e| inside(&e.from) && inside(&e.to))
            .cloned()
            .collect(),
        subgraphs,
    }
}
