//! Diagram stage, from flowchart to layout input: node indexes, measured sizes, the edges
//! between indexes and the clusters with all their members (nested ones included).

use std::collections::BTreeMap;

use super::layout::{ClusterSpec, EdgeSpec, LayoutInput, NodeSpec};
use super::measure::{label_size, node_size, text_size, wrap_lines, LABEL_FONT, LINE_HEIGHT};
use crate::model::graph::{Flowchart, NodeShape};

/// The layout input and the wrapped text lines of each node and edge label.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub input: LayoutInput,
    pub node_lines: Vec<Vec<String>>,
    pub edge_lines: Vec<Option<Vec<String>>>,
}

pub fn prepare(chart: &Flowchart) -> Prepared {
    let index: BTreeMap<&str, usize> = chart
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let node_lines: Vec<Vec<String>> = chart.nodes.iter().map(|n| wrap_lines(&n.label)).collect();
    let nodes = chart
        .nodes
        .iter()
        .zip(&node_lines)
        .map(|(node, lines)| {
            let (width, height) = node_size(lines, node.shape);
            NodeSpec {
                width,
                height,
                round: node.shape == NodeShape::Circle,
            }
        })
        .collect();
    let edge_lines: Vec<Option<Vec<String>>> = chart
        .edges
        .iter()
        .map(|e| e.label.as_deref().map(wrap_lines))
        .collect();
    let edges = chart
        .edges
        .iter()
        .zip(&edge_lines)
        .filter_map(|(edge, lines)| {
            Some(EdgeSpec {
                from: *index.get(edge.from.as_str())?,
                to: *index.get(edge.to.as_str())?,
                label: lines.as_deref().map(label_size),
                soft: edge.is_soft(),
            })
        })
        .collect();
    let clusters = chart
        .subgraphs
        .iter()
        .map(|s| {
            let members = members_of(chart, &s.id, 0)
                .into_iter()
                .filter_map(|id| index.get(id.as_str()).copied())
                .collect();
            let (title_width, title_height) = text_size(std::slice::from_ref(&s.title), LABEL_FONT);
            ClusterSpec {
                members,
                title_height: title_height + LABEL_FONT * (LINE_HEIGHT - 1.0) + 6.0,
                title_width,
            }
        })
        .collect();
    Prepared {
        input: LayoutInput {
            direction: chart.direction,
            nodes,
            edges,
            clusters,
        },
        node_lines,
        edge_lines,
    }
}

/// Node ids inside a subgraph and its nested subgraphs (depth-capped against loops).
pub fn members_of(chart: &Flowchart, id: &str, depth: usize) -> Vec<String> {
    let Some(subgraph) = chart.subgraphs.iter().find(|s| s.id == id) else {
        return Vec::new();
    };
    let mut members = subgraph.nodes.clone();
    if depth < 16 {
        for inner in &subgraph.subgraphs {
            members.extend(members_of(chart, inner, depth + 1));
        }
    }
    members
}
