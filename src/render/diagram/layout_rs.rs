//! Diagram stage, the layout-rs engine: `LayoutInput` in, `Layout` out. The only module
//! that knows the `layout-rs` crate (0.1.3, pinned). It is fed through the builder API,
//! never DOT text, with the guards its known faults need:
//!
//! - nothing is called for an empty graph (the crate panics on one);
//! - cycles are broken here: nodes are ordered topologically over the hard edges, every
//!   edge is added pointing forward in that order (reversed ones are turned back after
//!   layout), hard edges first and soft (dotted) ones last, and `dag.set_validate(false)`
//!   is set. Added this way the crate's per-edge reachability search stays linear
//!   instead of exponential on chains of diamonds;
//! - self-loops and unlabelled duplicate edges are kept away from the crate (both were
//!   part of its panic repros) and drawn here;
//! - every call runs inside `catch_unwind`, so a geometry panic becomes an `Err`.
//!
//! The crate draws through a `RenderBackend`; ours only records each edge's curve. Node
//! positions are read from the graph afterwards, and label centres are the points where
//! each edge passes through the crate's label connector, so a label is always on its edge.

use std::collections::BTreeMap;

use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point as LrPoint;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::layout::{
    guarded_layout, EdgeCurve, GraphLayout, Layout, LayoutError, LayoutInput, Point, Rect,
};
use super::order::{forward_edges, topological_order};
use super::place::{finish_layout, self_loop};
use crate::model::graph::FlowDirection;

/// The layout-rs engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct LayoutRs;

impl GraphLayout for LayoutRs {
    fn name(&self) -> &'static str {
        "layout-rs"
    }

    fn layout(&self, input: &LayoutInput) -> Result<Layout, LayoutError> {
        guarded_layout(self.name(), input, run)
    }
}

/// Records the curves the crate draws for edges; everything else is drawn by us.
#[derive(Default)]
struct CurveRecorder {
    curves: BTreeMap<usize, Vec<(LrPoint, LrPoint)>>,
}

impl RenderBackend for CurveRecorder {
    fn draw_rect(
        &mut self,
        _: LrPoint,
        _: LrPoint,
        _: &StyleAttr,
        _: Option<String>,
        _: Option<ClipHandle>,
    ) {
    }
    fn draw_line(&mut self, _: LrPoint, _: LrPoint, _: &StyleAttr, _: Option<String>) {}
    fn draw_circle(&mut self, _: LrPoint, _: LrPoint, _: &StyleAttr, _: Option<String>) {}
    fn draw_text(&mut self, _: LrPoint, _: &str, _: &StyleAttr) {}
    fn draw_arrow(
        &mut self,
        path: &[(LrPoint, LrPoint)],
        _: bool,
        _: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        if let Some(index) = properties.and_then(|p| p.parse::<usize>().ok()) {
            self.curves.insert(index, path.to_vec());
        }
    }
    fn create_clip(&mut self, _: LrPoint, _: LrPoint, _: usize) -> ClipHandle {
        0
    }
}

fn run(input: &LayoutInput) -> Result<Layout, LayoutError> {
    let orientation = match input.direction {
        FlowDirection::LeftRight | FlowDirection::RightLeft => Orientation::LeftToRight,
        FlowDirection::TopDown | FlowDirection::BottomUp => Orientation::TopToBottom,
    };
    let mut graph = VisualGraph::new(orientation);
    graph.dag.set_validate(false);
    let order = topological_order(input);
    let look = StyleAttr::new(Color::fast("black"), 1, None, 0, 12);
    let mut handles = vec![None; input.nodes.len()];
    for &node in &order {
        let spec = input.nodes[node];
        let shape = if spec.round {
            ShapeKind::new_circle("")
        } else {
            ShapeKind::new_box("")
        };
        let size = LrPoint::new(spec.width, spec.height);
        handles[node] = Some(graph.add_node(Element::create(
            shape,
            look.clone(),
            orientation.flip(),
            size,
        )));
    }
    let plan = forward_edges(input, &order);
    for edge in &plan.drawn {
        let spec = &input.edges[edge.index];
        let (from, to) = if edge.reversed {
            (spec.to, spec.from)
        } else {
            (spec.from, spec.to)
        };
        let (text, edge_look) = label_placeholder(spec.label);
        let arrow = Arrow::with_properties(
            LineEndKind::None,
            LineEndKind::None,
            LineStyleKind::Normal,
            &text,
            &edge_look,
            edge.index.to_string(),
            &None,
            &None,
        );
        let (Some(from), Some(to)) = (handles[from], handles[to]) else {
            return Err(LayoutError {
                message: "edge to an unknown node".into(),
            });
        };
        graph.add_edge(arrow, from, to);
    }
    let mut recorder = CurveRecorder::default();
    graph.do_it(false, false, false, &mut recorder);
    let nodes: Vec<Rect> = handles
        .iter()
        .map(|h| h.map(|h| rect_of(&graph, h)).unwrap_or_default())
        .collect();
    let connectors = label_connectors(&graph);
    let mut edges = vec![EdgeCurve::default(); input.edges.len()];
    for edge in &plan.drawn {
        let path = recorder
            .curves
            .get(&edge.index)
            .ok_or_else(|| LayoutError {
                message: "layout-rs drew no curve for an edge".into(),
            })?;
        let mut curve = curve_of(path, input.edges[edge.index].label.is_some(), &connectors);
        if edge.reversed {
            curve = curve.reversed();
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
        edges[index] = self_loop(&nodes[spec.from], spec.label);
    }
    Ok(finish_layout(input, nodes, edges))
}

/// The crate sizes a label connector from its text (1 em per character) and padding;
/// a run of `x` in a font as tall as our label reserves at least our label's box.
fn label_placeholder(label: Option<(f64, f64)>) -> (String, StyleAttr) {
    match label {
        Some((width, height)) => {
            let font = height.ceil().max(1.0);
            let count = (width / font).ceil().max(1.0) as usize;
            let look = StyleAttr::new(Color::fast("black"), 1, None, 0, font as usize);
            ("x".repeat(count), look)
        }
        None => (
            String::new(),
            StyleAttr::new(Color::fast("black"), 1, None, 0, 12),
        ),
    }
}

fn rect_of(graph: &VisualGraph, handle: layout::adt::dag::NodeHandle) -> Rect {
    let pos = graph.pos(handle);
    let middle = pos.middle();
    let size = pos.size(false);
    Rect {
        cx: middle.x,
        cy: middle.y,
        width: size.x,
        height: size.y,
    }
}

/// Centres of the connectors the crate made for edge labels.
fn label_connectors(graph: &VisualGraph) -> Vec<Point> {
    graph
        .iter_nodes()
        .filter(|&h| matches!(&graph.element(h).shape, ShapeKind::Connector(Some(_))))
        .map(|h| {
            let c = graph.pos(h).center();
            Point::new(c.x, c.y)
        })
        .collect()
}

/// The crate's path format: `(start, control)` then `(control, point)` per later point,
/// where each control after the first is mirrored through the previous point (SVG `S`).
fn curve_of(path: &[(LrPoint, LrPoint)], labelled: bool, connectors: &[Point]) -> EdgeCurve {
    let p = |q: LrPoint| Point::new(q.x, q.y);
    let Some(first) = path.first() else {
        return EdgeCurve::default();
    };
    let mut curve = EdgeCurve {
        start: p(first.0),
        segments: Vec::new(),
        label: None,
    };
    let mut c1 = p(first.1);
    for (control, point) in path.iter().skip(1) {
        let (c2, end) = (p(*control), p(*point));
        curve.segments.push([c1, c2, end]);
        c1 = Point::new(2.0 * end.x - c2.x, 2.0 * end.y - c2.y);
    }
    if labelled {
        let inner = curve.segments.iter().rev().skip(1).map(|s| s[2]);
        curve.label = inner
            .min_by(|a, b| nearest(*a, connectors).total_cmp(&nearest(*b, connectors)))
            .or_else(|| curve.sample(2).get(1).copied());
    }
    curve
}

fn nearest(p: Point, targets: &[Point]) -> f64 {
    targets
        .iter()
        .map(|t| (t.x - p.x).hypot(t.y - p.y))
        .fold(f64::INFINITY, f64::min)
}
