//! Diagram stage, the text view: every flowchart as a plain "depends on / blocks" list
//! (an edge `A --> B` reads "B depends on A", "A blocks B"). It follows every picture
//! and stands alone when a graph has no picture (layout failed, or over budget). It is
//! HTML that reads on a phone, in print and in a screen reader.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::graph::{EdgeEnd, FlowEdge, Flowchart};
use crate::render::markdown::escape_html as esc;

/// How the list is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextViewMode {
    /// Folded under a summary: the picture says the same.
    Companion,
    /// Open: there is no picture.
    Alone,
}

/// One neighbour in the list, with what the edge says.
struct Link<'a> {
    node: &'a str,
    edge: &'a FlowEdge,
}

/// The list as HTML.
pub fn write_text_view(
    chart: &Flowchart,
    links: &BTreeMap<String, String>,
    mode: TextViewMode,
) -> String {
    let mut depends: BTreeMap<&str, Vec<Link>> = BTreeMap::new();
    let mut blocks: BTreeMap<&str, Vec<Link>> = BTreeMap::new();
    for edge in &chart.edges {
        depends.entry(&edge.to).or_default().push(Link {
            node: &edge.from,
            edge,
        });
        blocks.entry(&edge.from).or_default().push(Link {
            node: &edge.to,
            edge,
        });
        if edge.tail != EdgeEnd::None {
            depends.entry(&edge.from).or_default().push(Link {
                node: &edge.to,
                edge,
            });
            blocks.entry(&edge.to).or_default().push(Link {
                node: &edge.from,
                edge,
            });
        }
    }
    let mut out = String::new();
    match mode {
        TextViewMode::Companion => out
            .push_str("<details class=\"diagram-text\"><summary>Dependencies as a list</summary>"),
        TextViewMode::Alone => out.push_str("<div class=\"diagram-text diagram-text-alone\">"),
    }
    out.push_str("<ul class=\"dependency-list\">");
    for node in &chart.nodes {
        let _ = write!(
            out,
            "<li><span class=\"dependency-node\">{}</span>",
            name(chart, &node.id, links)
        );
        write_links(
            &mut out,
            chart,
            "depends on",
            depends.get(node.id.as_str()),
            links,
        );
        write_links(
            &mut out,
            chart,
            "blocks",
            blocks.get(node.id.as_str()),
            links,
        );
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out.push_str(match mode {
        TextViewMode::Companion => "</details>",
        TextViewMode::Alone => "</div>",
    });
    out
}

fn name(chart: &Flowchart, id: &str, links: &BTreeMap<String, String>) -> String {
    let label = chart
        .node(id)
        .map_or(id, |n| n.label.as_str())
        .replace('\n', " ");
    match links.get(id) {
        Some(href) => format!("<a href=\"{}\">{}</a>", esc(href), esc(&label)),
        None => esc(&label),
    }
}

fn write_links(
    out: &mut String,
    chart: &Flowchart,
    verb: &str,
    list: Option<&Vec<Link>>,
    links: &BTreeMap<String, String>,
) {
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        return;
    };
    let _ = write!(out, " <span class=\"dependency-verb\">{verb}</span> ");
    let items: Vec<String> = list
        .iter()
        .map(|link| {
            let mut item = name(chart, link.node, links);
            let mut notes = Vec::new();
            if let Some(label) = &link.edge.label {
                notes.push(esc(&label.replace('\n', " ")));
            }
            if link.edge.is_soft() {
                notes.push("dotted: soft".to_string());
            }
            if !notes.is_empty() {
                let _ = write!(
                    item,
                    " <span class=\"dependency-note\">({})</span>",
                    notes.join(", ")
                );
            }
            item
        })
        .collect();
    out.push_str(&items.join(", "));
    out.push(';');
}
