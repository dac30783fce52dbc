//! Diagram stage, finishing a layout whatever the engine: self-loops, cluster boxes
//! around their members, the mirror for bottom-up and right-to-left flows, and a shift
//! so every coordinate sits inside a tight canvas with a small margin.

use super::layout::{EdgeCurve, Layout, LayoutInput, Point, Rect};
use crate::model::graph::FlowDirection;

/// Space around the drawing.
pub const MARGIN: f64 = 8.0;
/// Space between a cluster's box and its members.
pub const CLUSTER_PADDING: f64 = 10.0;

/// A loop on the right side of a node, its label to the right of the loop.
pub fn self_loop(node: &Rect, label: Option<(f64, f64)>) -> EdgeCurve {
    let x = node.right();
    let reach = 28.0;
    let (top, bottom) = (node.cy - node.height / 4.0, node.cy + node.height / 4.0);
    let start = Point::new(x, top);
    let mid = Point::new(x + reach, node.cy);
    EdgeCurve {
        start,
        segments: vec![
            [
                Point::new(x + reach * 0.6, top - 6.0),
                Point::new(x + reach, top),
                mid,
            ],
            [
                Point::new(x + reach, bottom),
                Point::new(x + reach * 0.6, bottom + 6.0),
                Point::new(x, bottom),
            ],
        ],
        label: label.map(|(w, _)| Point::new(mid.x + w / 2.0 - 4.0, mid.y)),
    }
}

/// Adds cluster boxes, applies the flow direction's mirror and moves everything into a
/// canvas that starts at `MARGIN`.
pub fn finish_layout(input: &LayoutInput, nodes: Vec<Rect>, edges: Vec<EdgeCurve>) -> Layout {
    let mut layout = Layout {
        clusters: Vec::new(),
        nodes,
        edges,
        width: 0.0,
        height: 0.0,
    };
    match input.direction {
        FlowDirection::BottomUp => transform(&mut layout, |p| Point::new(p.x, -p.y)),
        FlowDirection::RightLeft => transform(&mut layout, |p| Point::new(-p.x, p.y)),
        _ => {}
    }
    layout.clusters = cluster_boxes(input, &layout.nodes);
    let bounds = bounds(input, &layout);
    let (dx, dy) = (MARGIN - bounds.left(), MARGIN - bounds.top());
    transform(&mut layout, |p| Point::new(p.x + dx, p.y + dy));
    for cluster in &mut layout.clusters {
        cluster.cx += dx;
        cluster.cy += dy;
    }
    layout.width = bounds.width + 2.0 * MARGIN;
    layout.height = bounds.height + 2.0 * MARGIN;
    layout
}

/// Each cluster holds its member nodes and every smaller cluster whose members it
/// holds, plus padding and a title band.
fn cluster_boxes(input: &LayoutInput, nodes: &[Rect]) -> Vec<Rect> {
    let mut order: Vec<usize> = (0..input.clusters.len()).collect();
    order.sort_by_key(|&i| input.clusters[i].members.len());
    let mut boxes = vec![Rect::default(); input.clusters.len()];
    for &i in &order {
        let cluster = &input.clusters[i];
        let mut parts: Vec<Rect> = cluster
            .members
            .iter()
            .filter_map(|&m| nodes.get(m).copied())
            .collect();
        for &j in &order {
            let inner = &input.clusters[j];
            if j != i
                && inner.members.len() < cluster.members.len()
                && inner.members.iter().all(|m| cluster.members.contains(m))
                && boxes[j].width > 0.0
            {
                parts.push(boxes[j]);
            }
        }
        let Some(union) = union(&parts) else {
            continue;
        };
        let padded = union.inflate(CLUSTER_PADDING);
        let width = padded
            .width
            .max(cluster.title_width + 2.0 * CLUSTER_PADDING);
        boxes[i] = Rect::from_corners(
            padded.cx - width / 2.0,
            padded.top() - cluster.title_height,
            padded.cx + width / 2.0,
            padded.bottom(),
        );
    }
    boxes
}

fn union(rects: &[Rect]) -> Option<Rect> {
    let first = rects.first()?;
    let (mut l, mut t, mut r, mut b) = (first.left(), first.top(), first.right(), first.bottom());
    for rect in &rects[1..] {
        l = l.min(rect.left());
        t = t.min(rect.top());
        r = r.max(rect.right());
        b = b.max(rect.bottom());
    }
    Some(Rect::from_corners(l, t, r, b))
}

/// Everything drawn: nodes, clusters, curves and label boxes.
fn bounds(input: &LayoutInput, layout: &Layout) -> Rect {
    let mut parts: Vec<Rect> = layout.nodes.clone();
    parts.extend(layout.clusters.iter().filter(|c| c.width > 0.0).copied());
    for (edge, spec) in layout.edges.iter().zip(&input.edges) {
        parts.extend(edge.sample(8).into_iter().map(|p| Rect {
            cx: p.x,
            cy: p.y,
            width: 4.0,
            height: 4.0,
        }));
        if let (Some(at), Some((w, h))) = (edge.label, spec.label) {
            parts.push(Rect {
                cx: at.x,
                cy: at.y,
                width: w,
                height: h,
            });
        }
    }
    union(&parts).unwrap_or_default()
}

fn transform(layout: &mut Layout, f: impl Fn(Point) -> Point) {
    for node in &mut layout.nodes {
        let c = f(Point::new(node.cx, node.cy));
        node.cx = c.x;
        node.cy = c.y;
    }
    for edge in &mut layout.edges {
        edge.start = f(edge.start);
        for segment in &mut edge.segments {
            for point in segment.iter_mut() {
                *point = f(*point);
            }
        }
        edge.label = edge.label.map(&f);
    }
}
