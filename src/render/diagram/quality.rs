//! Diagram stage, quality measures computed from a layout's geometry: the numbers the
//! quality tests assert and the benchmark reports. Nothing here changes a drawing.

use super::layout::{Point, Rect};
use super::measure::{text_size, NODE_FONT};
use super::LaidOut;

/// What is wrong with a drawing, counted.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QualityReport {
    /// (edge, node) pairs where the edge crosses a node box that is not one of its ends.
    pub edges_through_boxes: usize,
    /// The largest distance from an edge label's box to its own edge.
    pub max_label_distance: f64,
    /// Node texts wider or taller than their box, and boxes outside the canvas.
    pub clipped_texts: usize,
    /// Edge labels that cover a node box.
    pub labels_over_nodes: usize,
    /// Cluster boxes that cover a node that is not a member.
    pub clusters_over_other_nodes: usize,
}

/// Measures one laid-out part.
pub fn measure(part: &LaidOut) -> QualityReport {
    let layout = &part.layout;
    let input = &part.prepared.input;
    let mut report = QualityReport::default();
    for (edge, curve) in input.edges.iter().zip(&layout.edges) {
        let samples = curve.sample(24);
        for (n, node) in layout.nodes.iter().enumerate() {
            if n == edge.from || n == edge.to {
                continue;
            }
            let inner = node.inflate(-3.0);
            if samples.iter().any(|p| inner.contains(*p)) {
                report.edges_through_boxes += 1;
            }
        }
        if let (Some(at), Some((w, h))) = (curve.label, edge.label) {
            let label = Rect {
                cx: at.x,
                cy: at.y,
                width: w,
                height: h,
            };
            let distance = samples
                .iter()
                .map(|p| distance_to_rect(*p, &label))
                .fold(f64::INFINITY, f64::min);
            report.max_label_distance = report.max_label_distance.max(distance);
            report.labels_over_nodes += layout
                .nodes
                .iter()
                .enumerate()
                .filter(|(n, node)| *n != edge.from && *n != edge.to && node.intersects(&label))
                .count();
            if !inside_canvas(&label, layout.width, layout.height) {
                report.clipped_texts += 1;
            }
        }
    }
    for (node, lines) in layout.nodes.iter().zip(&part.prepared.node_lines) {
        let (w, h) = text_size(lines, NODE_FONT);
        if w > node.width - 2.0
            || h > node.height
            || !inside_canvas(node, layout.width, layout.height)
        {
            report.clipped_texts += 1;
        }
    }
    for (cluster, spec) in layout.clusters.iter().zip(&input.clusters) {
        report.clusters_over_other_nodes += layout
            .nodes
            .iter()
            .enumerate()
            .filter(|(n, node)| !spec.members.contains(n) && cluster.intersects(node))
            .count();
    }
    report
}

fn distance_to_rect(p: Point, r: &Rect) -> f64 {
    let dx = (r.left() - p.x).max(p.x - r.right()).max(0.0);
    let dy = (r.top() - p.y).max(p.y - r.bottom()).max(0.0);
    dx.hypot(dy)
}

fn inside_canvas(r: &Rect, width: f64, height: f64) -> bool {
    r.left() >= -0.5 && r.top() >= -0.5 && r.right() <= width + 0.5 && r.bottom() <= height + 0.5
}
