//! Diagram stage, the dagre engine: `LayoutInput` in, `Layout` out. The only module that
//! knows the `dagre` crate (0.1.2, a Rust port of dagre.js, pinned). It is used for
//! flowcharts with subgraphs, because layout-rs has no clusters: its members scatter and a
//! box drawn around them covers other nodes (5 such overlaps on the 30-node fixture;
//! dagre: 0). dagre lays out compound graphs, returns real label positions, and breaks
//! cycles itself; edges are still given hard-first in topological order so the edge it
//! reverses is a soft one. Every call runs inside `catch_unwind`.

use dagre::graph::{Graph, GraphOptions};
use dagre::layout::types::LabelPos;
use dagre::{layout, EdgeLabel, LayoutOptions, NodeLabel, RankDir};

use super::layout::{
    guarded_layout, EdgeCurve, GraphLayout, Layout, LayoutError, LayoutInput, Point, Rect,
};
use super::order::{forward_edges, topological_order};
use super::place::{finish_layout, CLUSTER_PADDING};
use crate::model::graph::FlowDirection;

/// The dagre engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dagre;

impl GraphLayout for Dagre {
    fn name(&self) -> &'static str {
        "dagre"
    }

    fn layout(&self, input: &LayoutInput) -> Result<Layout, LayoutError> {
        guarded_layout(self.name(), input, run)
    }
}

fn node_key(i: usize) -> String {
    format!("n{i}")
}

fn cluster_key(i: usize) -> String {
    format!("c{i}")
}

/// The smallest cluster holding all of `members` other than `skip`.
fn smallest_holder(input: &LayoutInput, members: &[usize], skip: Option<usize>) -> Option<usize> {
    (0..input.clusters.len())
        .filter(|&c| Some(c) != skip)
        .filter(|&c| {
            let holder = &input.clusters[c].members;
            holder.len() > members.len() || skip.is_none()
        })
        .filter(|&c| {
            members
                .iter()
                .all(|m| input.clusters[c].members.contains(m))
        })
        .min_by_key(|&c| (input.clusters[c].members.len(), c))
}

fn run(input: &LayoutInput) -> Result<Layout, LayoutError> {
    let mut g: Graph<NodeLabel, EdgeLabel> = Graph::with_options(GraphOptions {
        directed: true,
        multigraph: true,
        compound: true,
    });
    let order = topological_order(input);
    for &n in &order {
        let spec = input.nodes[n];
        g.set_node(
            node_key(n),
            Some(NodeLabel {
                width: spec.width,
                height: spec.height,
                ..Default::default()
            }),
        );
    }
    for (c, cluster) in input.clusters.iter().enumerate() {
        if cluster.members.is_empty() {
            continue;
        }
        let padding = CLUSTER_PADDING + cluster.title_height;
        g.set_node(
            cluster_key(c),
            Some(NodeLabel {
                padding,
                ..Default::default()
            }),
        );
    }
    for (c, cluster) in input.clusters.iter().enumerate() {
        if let Some(parent) = smallest_holder(input, &cluster.members, Some(c))
            .filter(|_| !cluster.members.is_empty())
        {
            g.set_parent(&cluster_key(c), Some(&cluster_key(parent)));
        }
    }
    for n in 0..input.nodes.len() {
        if let Some(c) = smallest_holder(input, &[n], None) {
            g.set_parent(&node_key(n), Some(&cluster_key(c)));
        }
    }
    let plan = forward_edges(input, &order);
    for edge in &plan.drawn {
        let spec = &input.edges[edge.index];
        let mut label = EdgeLabel::default();
        if let Some((w, h)) = spec.label {
            label.width = w;
            label.height = h;
            label.labelpos = LabelPos::Center;
        }
        g.set_edge(
            node_key(spec.from),
            node_key(spec.to),
            Some(label),
            Some(&format!("e{}", edge.index)),
        );
    }
    let rankdir = match input.direction {
        FlowDirection::LeftRight | FlowDirection::RightLeft => RankDir::LR,
        _ => RankDir::TB,
    };
    let options = LayoutOptions {
        rankdir,
        nodesep: 30.0,
        ranksep: 45.0,
        edgesep: 15.0,
        marginx: 0.0,
        marginy: 0.0,
        ..Default::default()
    };
    layout(&mut g, Some(options));
    let nodes = (0..input.nodes.len())
        .map(|n| {
            let label = g.node(&node_key(n)).ok_or_else(missing)?;
            Ok(Rect {
                cx: label.x.ok_or_else(missing)?,
                cy: label.y.ok_or_else(missing)?,
                width: label.width,
                height: label.height,
            })
        })
        .collect::<Result<Vec<Rect>, LayoutError>>()?;
    let mut edges = vec![EdgeCurve::default(); input.edges.len()];
    for edge in &plan.drawn {
        let spec = &input.edges[edge.index];
        let label = g
            .edge(
                &node_key(spec.from),
                &node_key(spec.to),
                Some(&format!("e{}", edge.index)),
            )
            .ok_or_else(missing)?;
        let points: Vec<Point> = label.points.iter().map(|p| Point::new(p.x, p.y)).collect();
        let mut curve = smooth(&points);
        if spec.label.is_some() {
            curve.label = label.x.zip(label.y).map(|(x, y)| Point::new(x, y));
        }
        edges[edge.index] = curve;
    }
    for &(index, same_as) in &plan.duplicates {
        let same_way = input.edges[index].from == input.edges[same_as].from;
        edges[index] = if same_way {
            edges[same_as].clone()
        } else {
            edges[same_as].reversed()
        };
    }
    for &index in &plan.self_loops {
        let spec = &input.edges[index];
        edges[index] = super::place::self_loop(&nodes[spec.from], spec.label);
    }
    Ok(finish_layout(input, nodes, edges))
}

fn missing() -> LayoutError {
    LayoutError {
        message: "dagre left a node or edge without a position".to_string(),
    }
}

/// A polyline drawn as a smooth curve through its points (Catmull-Rom as cubic Béziers).
fn smooth(points: &[Point]) -> EdgeCurve {
    let Some(&start) = points.first() else {
        return EdgeCurve::default();
    };
    let mut segments = Vec::new();
    for i in 1..points.len() {
        let p0 = points[i.saturating_sub(2).min(i - 1)];
        let (p1, p2) = (points[i - 1], points[i]);
        let p3 = points[(i + 1).min(points.len() - 1)];
        let c1 = Point::new(p1.x + (p2.x - p0.x) / 6.0, p1.y + (p2.y - p0.y) / 6.0);
        let c2 = Point::new(p2.x - (p3.x - p1.x) / 6.0, p2.y - (p3.y - p1.y) / 6.0);
        segments.push([c1, c2, p2]);
    }
    EdgeCurve {
        start,
        segments,
        label: None,
    }
}
