//! Diagram stage: a `Flowchart` (from a mermaid block) in, inline HTML out: one SVG
//! picture per part (see `split`) followed by the plain dependency list, with no
//! JavaScript. The flow is `input` (measure) → a `GraphLayout` engine (`layout_rs`) →
//! `place` (clusters, direction, canvas) → `svg`; `text_view` writes the list. A failed
//! layout or an over-budget graph keeps the list alone and reports a diagnostic.

mod input;
pub mod layout;
mod layout_dagre;
mod layout_rs;
mod measure;
mod order;
mod place;
#[cfg(any(test, feature = "bench-api"))]
pub mod quality;
mod split;
mod svg;
mod text_view;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::graph::Flowchart;
use crate::render::markdown::escape_html as esc;
pub use layout::{GraphLayout, Layout, LayoutInput};
pub use layout_dagre::Dagre;
pub use layout_rs::LayoutRs;
pub use split::MAX_NODES;
use text_view::TextViewMode;

/// What a diagram needs besides its flowchart.
#[derive(Debug, Clone)]
pub struct DiagramOptions<'a> {
    /// Unique on the page (`dependency-map`, `diagram-2`); prefixes the SVG's ids.
    pub id: &'a str,
    /// The accessible name of the picture.
    pub title: &'a str,
    /// Node id → link target, for nodes that have a section on the page.
    pub links: &'a BTreeMap<String, String>,
}

/// The layout engine for a picture: layout-rs (fast on small graphs), or dagre when the
/// graph has subgraphs, which layout-rs cannot keep together.
pub fn engine(input: &LayoutInput) -> &'static dyn GraphLayout {
    if input.clusters.is_empty() {
        &LayoutRs
    } else {
        &Dagre
    }
}

/// A laid-out part, ready for the SVG writer (also what the quality checks read).
pub struct LaidOut {
    pub chart: Flowchart,
    pub prepared: input::Prepared,
    pub layout: Layout,
}

/// Measures and lays out one flowchart with the default engine.
pub fn lay_out(chart: &Flowchart) -> Result<LaidOut, layout::LayoutError> {
    let prepared = input::prepare(chart);
    let layout = engine(&prepared.input).layout(&prepared.input)?;
    Ok(LaidOut {
        chart: chart.clone(),
        prepared,
        layout,
    })
}

/// Measures and lays out one flowchart with a given engine (benchmarks, comparisons).
#[cfg(feature = "bench-api")]
pub fn lay_out_with(
    chart: &Flowchart,
    engine: &dyn GraphLayout,
) -> Result<LaidOut, layout::LayoutError> {
    let prepared = input::prepare(chart);
    let layout = engine.layout(&prepared.input)?;
    Ok(LaidOut {
        chart: chart.clone(),
        prepared,
        layout,
    })
}

/// The SVG of a laid-out part.
pub fn part_svg(part: &LaidOut, options: &DiagramOptions) -> String {
    let svg_options = svg::SvgOptions {
        id: options.id,
        title: options.title,
        links: options.links,
    };
    svg::write_svg(&part.chart, &part.prepared, &part.layout, &svg_options)
}

/// Draws a flowchart: its pictures and its dependency list, as HTML. What went wrong
/// drawing it goes to `diagnostics` with no path or span; the caller places them at the
/// block they came from.
pub fn render_flowchart(
    chart: &Flowchart,
    options: &DiagramOptions,
    diagnostics: &mut Diagnostics,
) -> String {
    let mut html = format!("<div class=\"diagram\" id=\"{}\">", esc(options.id));
    if chart.nodes.is_empty() {
        html.push_str("<p class=\"diagram-empty\">This flowchart has no nodes.</p></div>");
        return html;
    }
    let parts = split::split(chart);
    if parts.len() > 1 {
        diagnostics.push(
            Diagnostic::note(
                codes::DIAGRAM_SPLIT,
                format!("flowchart has {} nodes, more than the {MAX_NODES} one picture can show; drawn as an overview and {} parts", chart.nodes.len(), parts.len() - 1),
            )
            .with_help("group nodes with `subgraph … end` to choose the parts"),
        );
    }
    let mut all_drawn = true;
    for (n, part) in parts.iter().enumerate() {
        let id = if parts.len() == 1 {
            options.id.to_string()
        } else {
            format!("{}-{}", options.id, n + 1)
        };
        all_drawn &= render_part(part, &id, options, &mut html, diagnostics);
    }
    let mode = if all_drawn {
        TextViewMode::Companion
    } else {
        TextViewMode::Alone
    };
    html.push_str(&text_view::write_text_view(chart, options.links, mode));
    html.push_str("</div>");
    html
}

/// Writes one part's picture; false when it has none (over budget or layout failed).
fn render_part(
    part: &split::Part,
    id: &str,
    options: &DiagramOptions,
    html: &mut String,
    diagnostics: &mut Diagnostics,
) -> bool {
    html.push_str("<div class=\"diagram-part\">");
    if let Some(title) = &part.title {
        let _ = write!(html, "<p class=\"diagram-part-title\">{}</p>", esc(title));
    }
    let drawn = if part.chart.nodes.len() > MAX_NODES {
        diagnostics.push(
            Diagnostic::warning(
                codes::DIAGRAM_SPLIT,
                format!(
                    "a part of {} nodes is too large to draw; it is shown as a list",
                    part.chart.nodes.len()
                ),
            )
            .with_help(format!(
                "split it with `subgraph … end` blocks of at most {MAX_NODES} nodes"
            )),
        );
        html.push_str("<p class=\"diagram-note\">Too many nodes to draw; see the list.</p>");
        false
    } else {
        match lay_out(&part.chart) {
            Ok(laid_out) => {
                let title = part.title.as_deref().unwrap_or(options.title);
                let part_options = DiagramOptions {
                    id,
                    title,
                    links: options.links,
                };
                let _ = write!(
                    html,
                    "<div class=\"diagram-picture\">{}</div>",
                    part_svg(&laid_out, &part_options)
                );
                true
            }
            Err(error) => {
                diagnostics.push(
                    Diagnostic::warning(
                        codes::DIAGRAM_LAYOUT,
                        format!(
                            "the diagram could not be laid out ({}); only its list is shown",
                            error.message
                        ),
                    )
                    .with_help("simplify the graph, or report the mermaid text as a bug"),
                );
                html.push_str(
                    "<p class=\"diagram-note\">The picture could not be drawn; see the list.</p>",
                );
                false
            }
        }
    };
    html.push_str("</div>");
    drawn
}

/// Links for nodes that name an epic or a task of a plan page: `Epic 2: …` (or an id
/// `E2`/`epic2`) → `#epic-2`, `Task 1.3 …` → `#task-1-3`, when that anchor exists.
pub fn plan_links(chart: &Flowchart, anchors: &[String]) -> BTreeMap<String, String> {
    let mut links = BTreeMap::new();
    for node in &chart.nodes {
        let target = anchor_for(&node.label).or_else(|| anchor_for_id(&node.id));
        if let Some(anchor) = target.filter(|a| anchors.contains(a)) {
            links.insert(node.id.clone(), format!("#{anchor}"));
        }
    }
    links
}

fn anchor_for(label: &str) -> Option<String> {
    let words: Vec<&str> = label.split_whitespace().collect();
    let (kind, number) = (words.first()?, words.get(1)?);
    let number = number.trim_end_matches([':', ',', ')']);
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    match kind.to_ascii_lowercase().as_str() {
        "epic" if !number.contains('.') => Some(format!("epic-{number}")),
        "task" => Some(format!("task-{}", number.replace('.', "-"))),
        _ => None,
    }
}

fn anchor_for_id(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let digits = lower
        .strip_prefix("epic")
        .or_else(|| lower.strip_prefix('e'))?;
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("epic-{digits}"))
}
#[cfg(test)]
mod tests;
