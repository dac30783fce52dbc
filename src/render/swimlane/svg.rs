//! Swimlane SVG writer: draws what `layout` placed. Lanes first, then the order links
//! and item boxes, then the arrows (so their heads sit on top of the boxes they touch),
//! then the legend. Every colour is a class; presentation attributes are only fallbacks.

use std::fmt::Write as _;

use super::layout::{
    EdgeRoute, Geometry, ItemGeometry, LaneGeometry, LegendEntry, Point, Rect, Swatch, ID_FONT,
    INSET, LANE_TITLE_LINE, LEGEND_SWATCH, MARK_ROOM, TITLE_LINE,
};
use super::text::format_minutes;
use super::{EdgeKind, EdgeSource, SwimEnd, SwimItem, SwimStatus, SwimlaneInput};
use crate::render::markdown::escape_html as esc;

/// Writes the whole SVG.
pub(super) fn write_swimlane(input: &SwimlaneInput, geometry: &Geometry, id: &str) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let id = esc(id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swimlane-svg\" id=\"{id}-svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">",
        w = num(geometry.width),
        h = num(geometry.height),
    );
    let _ = write!(
        out,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(&input.title),
        esc(&describe(input))
    );
    out.push_str("<g class=\"sl-lanes\">");
    for (lane, placed) in input.lanes.iter().zip(&geometry.lanes) {
        write_lane(&mut out, lane, placed);
    }
    out.push_str("</g><g class=\"sl-order\">");
    for link in &geometry.order_links {
        let class = if link.critical {
            "sl-order-link sl-edge-critical"
        } else {
            "sl-order-link"
        };
        let _ = write!(
            out,
            "<g class=\"{class}\"><path class=\"sl-edge-line\" d=\"{}\" fill=\"none\" stroke=\"#888\"/>{}</g>",
            path_data(&[link.from, link.to]),
            arrow_head(link.from, link.to)
        );
    }
    out.push_str("</g><g class=\"sl-items\">");
    for (lane, placed) in input.lanes.iter().zip(&geometry.lanes) {
        for (item, at) in lane.items.iter().zip(&placed.items) {
            write_item(&mut out, item, at);
        }
    }
    out.push_str("</g><g class=\"sl-edges\">");
    for route in &geometry.edges {
        write_edge(&mut out, input, route);
    }
    out.push_str("</g><g class=\"sl-legend\">");
    for entry in &geometry.legend {
        write_legend_entry(&mut out, entry);
    }
    out.push_str("</g></svg>");
    out
}

fn write_lane(out: &mut String, lane: &super::LaneRow, placed: &LaneGeometry) {
    let band = placed.band;
    let header = placed.header;
    out.push_str("<g class=\"sl-lane\">");
    let _ = write!(
        out,
        "<rect class=\"sl-band\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#f6f8fa\" stroke=\"#d1d9e0\"/>",
        num(band.x),
        num(band.y),
        num(band.w),
        num(band.h)
    );
    match &lane.href {
        Some(href) => {
            let _ = write!(out, "<a class=\"sl-lane-link\" href=\"{}\">", esc(href));
        }
        None => out.push_str("<g>"),
    }
    let mut tooltip = lane.title.clone();
    if let Some(owner) = &lane.owner {
        let _ = write!(tooltip, " · owner: {owner}");
    }
    let _ = write!(tooltip, " · {}", placed.meta);
    if let Some(duration) = &lane.duration {
        let _ = write!(tooltip, " · {duration}");
    }
    let _ = write!(
        out,
        "<title>{}</title><rect class=\"sl-header\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#eaeef2\"/>",
        esc(&tooltip),
        num(header.x),
        num(header.y),
        num(header.w),
        num(header.h)
    );
    let x = header.x + INSET;
    let mut y = header.y + INSET + 12.0;
    write_lines(
        out,
        "sl-lane-title",
        x,
        y,
        LANE_TITLE_LINE,
        &placed.title_lines,
    );
    y += placed.title_lines.len() as f64 * LANE_TITLE_LINE;
    if let Some(owner) = &placed.owner {
        write_lines(
            out,
            "sl-lane-owner",
            x,
            y,
            16.0,
            std::slice::from_ref(owner),
        );
        y += 16.0;
    }
    write_lines(
        out,
        "sl-lane-meta",
        x,
        y,
        16.0,
        std::slice::from_ref(&placed.meta),
    );
    if let Some((closed, total)) = placed.progress {
        write_progress(out, x, y + 6.0, header.w - 2.0 * INSET, closed, total);
        y += 12.0;
    }
    if let Some(duration) = &placed.duration {
        y += 16.0;
        write_lines(
            out,
            "sl-lane-meta",
            x,
            y,
            16.0,
            std::slice::from_ref(duration),
        );
    }
    out.push_str(if lane.href.is_some() { "</a>" } else { "</g>" });
    out.push_str("</g>");
}

/// A bar of `width` with the closed share filled.
fn write_progress(out: &mut String, x: f64, y: f64, width: f64, closed: usize, total: usize) {
    let done = if total == 0 {
        0.0
    } else {
        width * closed as f64 / total as f64
    };
    let _ = write!(
        out,
        "<rect class=\"sl-progress\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"5\" rx=\"2.5\" fill=\"#d1d9e0\"/><rect class=\"sl-progress-done\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"5\" rx=\"2.5\" fill=\"#1a7f37\"/>",
        num(x),
        num(y),
        num(width),
        num(x),
        num(y),
        num(done)
    );
}

fn write_item(out: &mut String, item: &SwimItem, at: &ItemGeometry) {
    let mut class = format!("sl-item sl-status-{}", item.status.class());
    if at.critical {
        class.push_str(" sl-critical");
    }
    match &item.href {
        Some(href) => {
            let _ = write!(out, "<a class=\"{class}\" href=\"{}\">", esc(href));
        }
        None => {
            let _ = write!(out, "<g class=\"{class}\">");
        }
    }
    let rect = at.rect;
    let _ = write!(
        out,
        "<title>{}</title><rect class=\"sl-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"5\" fill=\"#ffffff\" stroke=\"#888\"/>",
        esc(&item_tooltip(item, at.critical)),
        num(rect.x),
        num(rect.y),
        num(rect.w),
        num(rect.h)
    );
    write_mark(
        out,
        item.status,
        (
            rect.right() - INSET - MARK_ROOM / 2.0 + 2.0,
            rect.y + INSET + 6.0,
        ),
    );
    let x = rect.x + INSET;
    let id_class = if item.id.is_some() {
        "sl-id"
    } else {
        "sl-id sl-id-missing"
    };
    write_lines(
        out,
        id_class,
        x,
        rect.y + INSET + ID_FONT - 1.0,
        0.0,
        std::slice::from_ref(&at.id_text),
    );
    write_lines(
        out,
        "sl-title",
        x,
        rect.y + INSET + ID_FONT + 16.0,
        TITLE_LINE,
        &at.title_lines,
    );
    if let Some(estimate) = &at.estimate {
        write_lines(
            out,
            "sl-estimate",
            x,
            rect.bottom() - INSET,
            0.0,
            std::slice::from_ref(estimate),
        );
    }
    out.push_str(if item.href.is_some() { "</a>" } else { "</g>" });
}

/// The status's shape, so colour is never the only cue: a tick, a half-filled circle,
/// an empty circle, a barred circle, a dashed circle, a question mark.
fn write_mark(out: &mut String, status: SwimStatus, (cx, cy): Point) {
    let circle = |extra: &str| {
        format!(
            "<circle class=\"sl-mark\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"none\" stroke=\"#555\"{extra}/>",
            num(cx),
            num(cy)
        )
    };
    let mark = match status {
        SwimStatus::Closed => format!(
            "<path class=\"sl-mark\" d=\"M{} {} l3 3.5 l6 -7\" fill=\"none\" stroke=\"#555\"/>",
            num(cx - 4.5),
            num(cy)
        ),
        SwimStatus::InProgress => format!(
            "{}<path class=\"sl-mark-fill\" d=\"M{} {} A5 5 0 0 1 {} {} Z\" fill=\"#555\"/>",
            circle(""),
            num(cx),
            num(cy - 5.0),
            num(cx),
            num(cy + 5.0)
        ),
        SwimStatus::Open => circle(""),
        SwimStatus::Blocked => format!(
            "{}<path class=\"sl-mark\" d=\"M{} {} L{} {}\" stroke=\"#555\"/>",
            circle(""),
            num(cx - 3.5),
            num(cy + 3.5),
            num(cx + 3.5),
            num(cy - 3.5)
        ),
        SwimStatus::Planned => circle(" stroke-dasharray=\"2 2\""),
        SwimStatus::Untracked => format!(
            "<text class=\"sl-mark-text\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">?</text>",
            num(cx),
            num(cy + 4.5)
        ),
    };
    out.push_str(&mark);
}

fn write_edge(out: &mut String, input: &SwimlaneInput, route: &EdgeRoute) {
    let edge = &input.edges[route.edge];
    let mut class = format!(
        "sl-edge sl-edge-{} sl-edge-{}",
        kind_class(edge.kind),
        source_word(edge.source)
    );
    if route.critical {
        class.push_str(" sl-edge-critical");
    }
    let dash = match edge.kind {
        EdgeKind::Hard => "",
        EdgeKind::Soft => " stroke-dasharray=\"5 4\"",
    };
    let title = format!(
        "{} → {}: {}, from the {}",
        end_name(input, edge.from),
        end_name(input, edge.to),
        kind_words(edge.kind),
        source_word(edge.source)
    );
    let points = &route.points;
    let (before, tip) = (points[points.len() - 2], points[points.len() - 1]);
    let _ = write!(
        out,
        "<g class=\"{class}\"><title>{}</title><path class=\"sl-edge-line\" d=\"{}\" fill=\"none\" stroke=\"#555\"{dash}/>{}</g>",
        esc(&title),
        rounded_path(points),
        arrow_head(before, tip)
    );
}

fn write_legend_entry(out: &mut String, entry: &LegendEntry) {
    let (x, y) = (entry.x, entry.y);
    let swatch = Rect {
        x,
        y: y + 2.0,
        w: LEGEND_SWATCH,
        h: 16.0,
    };
    match entry.swatch {
        Swatch::Status(status) => {
            let _ = write!(
                out,
                "<g class=\"sl-item sl-status-{}\"><rect class=\"sl-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" stroke=\"#888\"/>",
                status.class(),
                num(swatch.x),
                num(swatch.y),
                num(swatch.w),
                num(swatch.h)
            );
            write_mark(out, status, (swatch.cx(), swatch.cy()));
            out.push_str("</g>");
        }
        Swatch::Edge(kind, source) => {
            let dash = match kind {
                EdgeKind::Hard => "",
                EdgeKind::Soft => " stroke-dasharray=\"5 4\"",
            };
            let (from, to) = ((swatch.x, swatch.cy()), (swatch.right(), swatch.cy()));
            let _ = write!(
                out,
                "<g class=\"sl-edge sl-edge-{} sl-edge-{}\"><path class=\"sl-edge-line\" d=\"{}\" fill=\"none\" stroke=\"#555\"{dash}/>{}</g>",
                kind_class(kind),
                source_word(source),
                path_data(&[from, to]),
                arrow_head(from, to)
            );
        }
        Swatch::Critical => {
            let _ = write!(
                out,
                "<g class=\"sl-item sl-critical\"><rect class=\"sl-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" stroke=\"#cf222e\"/></g>",
                num(swatch.x),
                num(swatch.y),
                num(swatch.w),
                num(swatch.h)
            );
        }
    }
    write_lines(
        out,
        "sl-legend-label",
        x + LEGEND_SWATCH + 6.0,
        y + 14.0,
        0.0,
        std::slice::from_ref(&entry.label),
    );
}

/// `<text>` with one `<tspan>` per line, the first baseline at `y`.
fn write_lines(out: &mut String, class: &str, x: f64, y: f64, line_height: f64, lines: &[String]) {
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{}\" y=\"{}\">",
        num(x),
        num(y)
    );
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            let _ = write!(out, "<tspan>{}</tspan>", esc(line));
        } else {
            let _ = write!(
                out,
                "<tspan x=\"{}\" dy=\"{}\">{}</tspan>",
                num(x),
                num(line_height),
                esc(line)
            );
        }
    }
    out.push_str("</text>");
}

fn item_tooltip(item: &SwimItem, critical: bool) -> String {
    let mut text = match &item.id {
        Some(id) => format!("{id}: {}", item.title),
        None => item.title.clone(),
    };
    let _ = write!(text, " · {}", item.status.label());
    if let Some(minutes) = item.estimate_minutes {
        let _ = write!(text, " · estimate {}", format_minutes(minutes));
    }
    if critical {
        text.push_str(" · on the longest chain");
    }
    text
}

/// An item's id (else its title) or a lane's title, for arrow tooltips and the text
/// description.
fn end_name(input: &SwimlaneInput, end: SwimEnd) -> String {
    match end {
        SwimEnd::Item(at) => input
            .lanes
            .get(at.lane)
            .and_then(|l| l.items.get(at.item))
            .map(|i| i.id.clone().unwrap_or_else(|| i.title.clone()))
            .unwrap_or_default(),
        SwimEnd::Lane(index) => input
            .lanes
            .get(index)
            .map(|l| l.title.clone())
            .unwrap_or_default(),
    }
}

/// What the picture shows, in words, for screen readers.
fn describe(input: &SwimlaneInput) -> String {
    let items: Vec<&SwimItem> = input.lanes.iter().flat_map(|l| &l.items).collect();
    let mut text = format!(
        "{} lane{}, {} item{}",
        input.lanes.len(),
        plural(input.lanes.len()),
        items.len(),
        plural(items.len())
    );
    let counts: Vec<String> = SwimStatus::ALL
        .into_iter()
        .filter_map(|status| {
            let n = items.iter().filter(|i| i.status == status).count();
            (n > 0).then(|| format!("{n} {}", status.label()))
        })
        .collect();
    if !counts.is_empty() {
        let _ = write!(text, " ({})", counts.join(", "));
    }
    text.push_str(". ");
    let lanes: Vec<String> = input
        .lanes
        .iter()
        .map(|lane| {
            let ids: Vec<String> = lane
                .items
                .iter()
                .map(|i| i.id.clone().unwrap_or_else(|| i.title.clone()))
                .collect();
            let owner = lane
                .owner
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            format!("{}{owner}: {}", lane.title, ids.join(", "))
        })
        .collect();
    text.push_str(&lanes.join("; "));
    text.push('.');
    if !input.edges.is_empty() {
        let tracker = input
            .edges
            .iter()
            .filter(|e| e.source == EdgeSource::Tracker)
            .count();
        let _ = write!(
            text,
            " {} dependency arrow{} ({} from the plan, {tracker} from the tracker).",
            input.edges.len(),
            plural(input.edges.len()),
            input.edges.len() - tracker
        );
    }
    if !input.longest_chain.is_empty() {
        let chain: Vec<String> = input
            .longest_chain
            .iter()
            .map(|&at| end_name(input, SwimEnd::Item(at)))
            .collect();
        let _ = write!(text, " Longest chain by estimates: {}.", chain.join(" → "));
    }
    text
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn kind_class(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Hard => "hard",
        EdgeKind::Soft => "soft",
    }
}

fn kind_words(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Hard => "needs it done first",
        EdgeKind::Soft => "soft dependency",
    }
}

fn source_word(source: EdgeSource) -> &'static str {
    match source {
        EdgeSource::Plan => "plan",
        EdgeSource::Tracker => "tracker",
    }
}

/// Length of an arrow head, and how far the line stops short of the tip.
const HEAD_LENGTH: f64 = 7.0;

/// A filled triangle at `tip`, pointing along `before` → `tip`.
fn arrow_head(before: Point, tip: Point) -> String {
    let (dx, dy) = (tip.0 - before.0, tip.1 - before.1);
    let length = (dx * dx + dy * dy).sqrt().max(f64::EPSILON);
    let (ux, uy) = (dx / length, dy / length);
    let base = (tip.0 - ux * HEAD_LENGTH, tip.1 - uy * HEAD_LENGTH);
    let (px, py) = (-uy * 4.0, ux * 4.0);
    format!(
        "<path class=\"sl-edge-head\" d=\"M{} {} L{} {} L{} {} Z\" fill=\"#555\"/>",
        num(tip.0),
        num(tip.1),
        num(base.0 + px),
        num(base.1 + py),
        num(base.0 - px),
        num(base.1 - py)
    )
}

/// A straight polyline's path data, the last point pulled back under the arrow head.
fn path_data(points: &[Point]) -> String {
    let mut d = String::new();
    let last = points.len() - 1;
    for (i, &point) in points.iter().enumerate() {
        let point = if i == last && i > 0 {
            pull_back(points[i - 1], point)
        } else {
            point
        };
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { " L" },
            num(point.0),
            num(point.1)
        );
    }
    d
}

/// A polyline with its corners rounded (radius up to 5, less on short segments), the last
/// point pulled back under the arrow head.
fn rounded_path(points: &[Point]) -> String {
    if points.len() < 3 {
        return path_data(points);
    }
    let mut d = format!("M{} {}", num(points[0].0), num(points[0].1));
    for i in 1..points.len() - 1 {
        let (prev, corner, next) = (points[i - 1], points[i], points[i + 1]);
        let into = distance(prev, corner);
        let out = distance(corner, next);
        let radius = 5.0_f64.min(into / 2.0).min(out / 2.0);
        let start = toward(corner, prev, radius);
        let end = toward(corner, next, radius);
        let _ = write!(
            d,
            " L{} {} Q{} {} {} {}",
            num(start.0),
            num(start.1),
            num(corner.0),
            num(corner.1),
            num(end.0),
            num(end.1)
        );
    }
    let last = points.len() - 1;
    let end = pull_back(points[last - 1], points[last]);
    let _ = write!(d, " L{} {}", num(end.0), num(end.1));
    d
}

fn distance(a: Point, b: Point) -> f64 {
    ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt()
}

/// The point `by` units from `from` toward `to`.
fn toward(from: Point, to: Point, by: f64) -> Point {
    let length = distance(from, to);
    if length <= f64::EPSILON {
        return from;
    }
    (
        from.0 + (to.0 - from.0) * by / length,
        from.1 + (to.1 - from.1) * by / length,
    )
}

/// `tip` moved back toward `before` so a line's end hides under the arrow head.
fn pull_back(before: Point, tip: Point) -> Point {
    let back = (HEAD_LENGTH - 1.0).min(distance(before, tip));
    toward(tip, before, back)
}

/// A number for an attribute: one decimal, without a trailing `.0`.
fn num(value: f64) -> String {
    let text = format!("{value:.1}");
    match text.strip_suffix(".0") {
        Some(whole) if whole != "-0" => whole.to_string(),
        Some(_) => "0".to_string(),
        None => text,
    }
}
