//! Diagram stage, the SVG writer: a laid-out flowchart in, one self-contained inline
//! `<svg>` out. Ids are prefixed with the diagram's id so several diagrams can share a
//! page; sizes come from a tight `viewBox` (the `width`/`height` attributes are only the
//! natural size, which CSS lets shrink to the container); colours and strokes are CSS
//! classes (with plain fallbacks for viewers without the stylesheet); every string from
//! the source is escaped. No script, no `style` attribute.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::input::Prepared;
use super::layout::{EdgeCurve, Layout, Point, Rect};
use super::measure::{LABEL_FONT, LINE_HEIGHT, NODE_FONT};
use crate::model::graph::{EdgeEnd, EdgeStroke, FlowEdge, FlowNode, Flowchart, NodeShape};
use crate::render::markdown::escape_html as esc;

/// What the writer needs besides the geometry.
#[derive(Debug, Clone)]
pub struct SvgOptions<'a> {
    /// Unique on the page; prefixes every id inside the SVG.
    pub id: &'a str,
    /// The accessible name of the picture.
    pub title: &'a str,
    /// Node id → link target (e.g. `#epic-2`).
    pub links: &'a BTreeMap<String, String>,
}

/// Writes the SVG for a laid-out flowchart.
pub fn write_svg(
    chart: &Flowchart,
    prepared: &Prepared,
    layout: &Layout,
    options: &SvgOptions,
) -> String {
    let mut out = String::with_capacity(4096);
    let id = options.id;
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram-svg\" id=\"{id}-svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">",
        w = num(layout.width),
        h = num(layout.height),
    );
    let _ = write!(
        out,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(options.title),
        esc(&describe(chart))
    );
    write_markers(&mut out, id);
    write_clusters(&mut out, chart, layout);
    out.push_str("<g class=\"edges\">");
    for (i, edge) in chart.edges.iter().enumerate() {
        if let Some(curve) = layout.edges.get(i) {
            write_edge(&mut out, chart, edge, curve, id);
        }
    }
    out.push_str("</g><g class=\"edge-labels\">");
    for (i, edge) in chart.edges.iter().enumerate() {
        let at = layout.edges.get(i).and_then(|c| c.label);
        let lines = prepared.edge_lines.get(i).and_then(|l| l.as_ref());
        let size = prepared.input.edges.get(i).and_then(|e| e.label);
        if let (Some(at), Some(lines), Some(size), Some(label)) = (at, lines, size, &edge.label) {
            write_edge_label(&mut out, at, size, lines, label);
        }
    }
    out.push_str("</g><g class=\"nodes\">");
    for (i, node) in chart.nodes.iter().enumerate() {
        if let (Some(rect), Some(lines)) = (layout.nodes.get(i), prepared.node_lines.get(i)) {
            write_node(&mut out, node, rect, lines, options.links.get(&node.id));
        }
    }
    out.push_str("</g></svg>");
    out
}

/// The short text alternative; the full dependency list follows the picture as HTML.
fn describe(chart: &Flowchart) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "Flowchart with {} and {}; the same links are listed as text after the picture.",
        plural(chart.nodes.len(), "node", "nodes"),
        plural(chart.edges.len(), "edge", "edges")
    )
}

/// Rounds to 0.1 and drops a trailing `.0`, so output is short and stable.
fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

fn pt(p: Point) -> String {
    format!("{} {}", num(p.x), num(p.y))
}

fn write_markers(out: &mut String, id: &str) {
    let _ = write!(
        out,
        "<defs>\
<marker id=\"{id}-arrow\" class=\"marker\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" class=\"marker-fill\" fill=\"#555\"/></marker>\
<marker id=\"{id}-circle\" class=\"marker\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><circle cx=\"5\" cy=\"5\" r=\"4\" class=\"marker-fill\" fill=\"#555\"/></marker>\
<marker id=\"{id}-cross\" class=\"marker\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M1 1L9 9M1 9L9 1\" class=\"marker-stroke\" stroke=\"#555\" stroke-width=\"2\"/></marker>\
</defs>"
    );
}

fn write_clusters(out: &mut String, chart: &Flowchart, layout: &Layout) {
    if chart.subgraphs.is_empty() {
        return;
    }
    out.push_str("<g class=\"clusters\">");
    for (subgraph, rect) in chart.subgraphs.iter().zip(&layout.clusters) {
        if rect.width <= 0.0 {
            continue;
        }
        let _ = write!(
            out,
            "<g class=\"cluster\"><title>{title}</title><rect class=\"cluster-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#f6f7f9\" stroke=\"#999\"/><text class=\"cluster-title\" x=\"{}\" y=\"{}\" font-size=\"{}\">{title}</text></g>",
            num(rect.left()),
            num(rect.top()),
            num(rect.width),
            num(rect.height),
            num(rect.left() + 10.0),
            num(rect.top() + LABEL_FONT * LINE_HEIGHT + 2.0),
            num(LABEL_FONT),
            title = esc(&subgraph.title),
        );
    }
    out.push_str("</g>");
}

fn stroke_class(stroke: EdgeStroke) -> &'static str {
    match stroke {
        EdgeStroke::Solid => "solid",
        EdgeStroke::Dotted => "dotted",
        EdgeStroke::Thick => "thick",
    }
}

fn marker(end: EdgeEnd, id: &str) -> Option<String> {
    let name = match end {
        EdgeEnd::None => return None,
        EdgeEnd::Arrow => "arrow",
        EdgeEnd::Circle => "circle",
        EdgeEnd::Cross => "cross",
    };
    Some(format!("url(#{id}-{name})"))
}

fn node_label<'a>(chart: &'a Flowchart, id: &'a str) -> &'a str {
    chart.node(id).map_or(id, |n| n.label.as_str())
}

fn write_edge(out: &mut String, chart: &Flowchart, edge: &FlowEdge, curve: &EdgeCurve, id: &str) {
    let mut d = format!("M{}", pt(curve.start));
    for [c1, c2, end] in &curve.segments {
        let _ = write!(d, "C{} {} {}", pt(*c1), pt(*c2), pt(*end));
    }
    let mut title = format!(
        "{} → {}",
        node_label(chart, &edge.from).replace('\n', " "),
        node_label(chart, &edge.to).replace('\n', " ")
    );
    if let Some(label) = &edge.label {
        let _ = write!(title, ": {}", label.replace('\n', " "));
    }
    if edge.is_soft() {
        title.push_str(" (dotted: soft dependency)");
    }
    let _ = write!(
        out,
        "<g class=\"edge {}\"><title>{}</title><path d=\"{d}\" fill=\"none\" stroke=\"#555\"",
        stroke_class(edge.stroke),
        esc(&title)
    );
    if let Some(m) = marker(edge.tail, id) {
        let _ = write!(out, " marker-start=\"{m}\"");
    }
    if let Some(m) = marker(edge.head, id) {
        let _ = write!(out, " marker-end=\"{m}\"");
    }
    out.push_str("/></g>");
}

fn write_edge_label(out: &mut String, at: Point, size: (f64, f64), lines: &[String], label: &str) {
    let rect = Rect {
        cx: at.x,
        cy: at.y,
        width: size.0,
        height: size.1,
    };
    let _ = write!(
        out,
        "<g class=\"edge-label\"><title>{}</title><rect class=\"edge-label-bg\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#fff\"/>",
        esc(label),
        num(rect.left()),
        num(rect.top()),
        num(rect.width),
        num(rect.height)
    );
    write_text(out, at, lines, LABEL_FONT, "edge-label-text");
    out.push_str("</g>");
}

fn write_text(out: &mut String, at: Point, lines: &[String], font: f64, class: &str) {
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\" font-size=\"{}\">",
        num(at.x),
        num(font)
    );
    let step = font * LINE_HEIGHT;
    let first = at.y - step * (lines.len() as f64 - 1.0) / 2.0;
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
            num(at.x),
            num(first + step * i as f64),
            esc(line)
        );
    }
    out.push_str("</text>");
}

fn shape_name(shape: NodeShape) -> &'static str {
    match shape {
        NodeShape::Rectangle => "rectangle",
        NodeShape::Rounded => "rounded",
        NodeShape::Stadium => "stadium",
        NodeShape::Subroutine => "subroutine",
        NodeShape::Cylinder => "cylinder",
        NodeShape::Circle => "circle",
        NodeShape::Diamond => "diamond",
        NodeShape::Hexagon => "hexagon",
        NodeShape::Flag => "flag",
        NodeShape::Parallelogram => "parallelogram",
    }
}

/// Author classes are kept when they are plain words, prefixed so they cannot clash
/// with the theme's own classes.
fn author_classes(node: &FlowNode) -> String {
    node.classes
        .iter()
        .filter(|c| {
            !c.is_empty()
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        })
        .map(|c| format!(" mm-{c}"))
        .collect()
}

fn write_node(
    out: &mut String,
    node: &FlowNode,
    rect: &Rect,
    lines: &[String],
    link: Option<&String>,
) {
    if let Some(href) = link {
        let _ = write!(out, "<a href=\"{}\" class=\"node-link\">", esc(href));
    }
    let linked = if link.is_some() { " linked" } else { "" };
    let tooltip = match link {
        Some(_) => format!("{} (go to its section)", node.label.replace('\n', " ")),
        None => node.label.replace('\n', " "),
    };
    let _ = write!(
        out,
        "<g class=\"node {}{linked}{}\"><title>{}</title>",
        shape_name(node.shape),
        author_classes(node),
        esc(&tooltip)
    );
    write_shape(out, node.shape, rect);
    write_text(
        out,
        Point::new(rect.cx, rect.cy),
        lines,
        NODE_FONT,
        "node-text",
    );
    out.push_str("</g>");
    if link.is_some() {
        out.push_str("</a>");
    }
}

const SHAPE_PAINT: &str = "class=\"node-shape\" fill=\"#fff\" stroke=\"#333\"";

fn polygon(out: &mut String, points: &[(f64, f64)]) {
    let list: Vec<String> = points
        .iter()
        .map(|&(x, y)| format!("{},{}", num(x), num(y)))
        .collect();
    let _ = write!(
        out,
        "<polygon {SHAPE_PAINT} points=\"{}\"/>",
        list.join(" ")
    );
}

fn write_shape(out: &mut String, shape: NodeShape, r: &Rect) {
    let (l, t, rt, b, cx, cy) = (r.left(), r.top(), r.right(), r.bottom(), r.cx, r.cy);
    let rect = |out: &mut String, rx: f64| {
        let _ = write!(
            out,
            "<rect {SHAPE_PAINT} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/>",
            num(l),
            num(t),
            num(r.width),
            num(r.height),
            num(rx)
        );
    };
    match shape {
        NodeShape::Rectangle => rect(out, 2.0),
        NodeShape::Rounded => rect(out, 8.0),
        NodeShape::Stadium => rect(out, r.height / 2.0),
        NodeShape::Subroutine => {
            rect(out, 0.0);
            let _ = write!(
                out,
                "<path class=\"node-shape-line\" fill=\"none\" stroke=\"#333\" d=\"M{a} {t}V{b}M{z} {t}V{b}\"/>",
                a = num(l + 8.0),
                z = num(rt - 8.0),
                t = num(t),
                b = num(b)
            );
        }
        NodeShape::Cylinder => {
            let ry = 8.0;
            let _ = write!(
                out,
                "<path {SHAPE_PAINT} d=\"M{l} {t1}A{rx} {ry} 0 0 0 {rt} {t1}V{b1}A{rx} {ry} 0 0 1 {l} {b1}Z\"/><path class=\"node-shape-line\" fill=\"none\" stroke=\"#333\" d=\"M{l} {t1}A{rx} {ry} 0 0 1 {rt} {t1}\"/>",
                l = num(l),
                rt = num(rt),
                t1 = num(t + ry),
                b1 = num(b - ry),
                rx = num(r.width / 2.0),
                ry = num(ry)
            );
        }
        NodeShape::Circle => {
            let _ = write!(
                out,
                "<circle {SHAPE_PAINT} cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
                num(cx),
                num(cy),
                num(r.width.min(r.height) / 2.0)
            );
        }
        NodeShape::Diamond => polygon(out, &[(cx, t), (rt, cy), (cx, b), (l, cy)]),
        NodeShape::Hexagon => {
            let inset = r.height / 2.0;
            polygon(
                out,
                &[
                    (l + inset, t),
                    (rt - inset, t),
                    (rt, cy),
                    (rt - inset, b),
                    (l + inset, b),
                    (l, cy),
                ],
            );
        }
        NodeShape::Flag => polygon(out, &[(l, t), (rt, t), (rt, b), (l, b), (l + 14.0, cy)]),
        NodeShape::Parallelogram => polygon(out, &[(l + 14.0, t), (rt, t), (rt - 14.0, b), (l, b)]),
    }
}
