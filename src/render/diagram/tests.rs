//! Diagram tests: the seed map's structure, the quality measures on fixture diagrams,
//! escaping, splitting, and a property test over random small graphs.

use std::collections::BTreeMap;

use super::*;
use crate::ingest::mermaid::{parse_flowchart, Origin};

pub(crate) const SEED: &str = include_str!("../../../tests/fixtures/diagrams/seed-map.mmd");
pub(crate) const TEN: &str = include_str!("../../../tests/fixtures/diagrams/ten-nodes.mmd");
pub(crate) const THIRTY: &str = include_str!("../../../tests/fixtures/diagrams/thirty-nodes.mmd");

fn chart(text: &str) -> Flowchart {
    parse_flowchart(text, Origin::start())
        .chart
        .expect("fixture parses")
}

/// The diagram's HTML and what went wrong drawing it.
fn render(text: &str) -> (String, Diagnostics) {
    let links = BTreeMap::new();
    let mut diagnostics = Diagnostics::new();
    let html = render_flowchart(
        &chart(text),
        &DiagramOptions {
            id: "d",
            title: "Test",
            links: &links,
        },
        &mut diagnostics,
    );
    (html, diagnostics)
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn seed_map_draws_six_nodes_seven_edges_one_dotted_two_labelled_no_script() {
    let html = render(SEED).0;
    assert_eq!(count(&html, "class=\"node "), 6, "{html}");
    assert_eq!(count(&html, "class=\"edge "), 7);
    assert_eq!(count(&html, "class=\"edge dotted\""), 1);
    assert_eq!(count(&html, "class=\"edge-label\""), 2);
    assert!(!html.contains("<script"));
    assert!(!html.contains("style="));
}

#[test]
fn seed_map_lists_depends_on_and_blocks_with_the_soft_edge_marked() {
    let html = render(SEED).0;
    assert!(html.contains("<details class=\"diagram-text\">"), "{html}");
    assert!(html.contains("Epic 2: Production</span> <span class=\"dependency-verb\">depends on</span> Epic 1: Security, Epic 4: Database <span class=\"dependency-note\">(dotted: soft)</span>"), "{html}");
}

#[test]
fn svg_ids_are_prefixed_and_the_canvas_is_a_viewbox() {
    let html = render(SEED).0;
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap_or(0)])
        .collect();
    assert!(
        ids.iter().all(|id| *id == "d" || id.starts_with("d-")),
        "{ids:?}"
    );
    assert!(html.contains("viewBox=\"0 0 "));
}

#[test]
fn plan_nodes_link_to_epic_and_task_sections_that_exist() {
    let c = chart(
        "graph TD\nE1[Epic 1: Security] --> T[Task 1.2 Rotate]\nE9[Epic 9: Gone] --> X[Other]",
    );
    let anchors = vec!["epic-1".to_string(), "task-1-2".to_string()];
    let links = plan_links(&c, &anchors);
    assert_eq!(links.get("E1").map(String::as_str), Some("#epic-1"));
    assert_eq!(links.get("T").map(String::as_str), Some("#task-1-2"));
    assert!(!links.contains_key("E9"));
    let html = render_flowchart(
        &c,
        &DiagramOptions {
            id: "m",
            title: "Map",
            links: &links,
        },
        &mut Diagnostics::new(),
    );
    assert!(html.contains("<a href=\"#epic-1\" class=\"node-link\">"));
}

/// The quality bar on the fixture diagrams: labels on their edges, no edge through a
/// box that is not one of its ends, no text outside its box or the canvas, and
/// cluster boxes that hold only their members.
#[test]
fn fixture_diagrams_meet_the_geometry_quality_bar() {
    for (name, text) in [("seed", SEED), ("ten", TEN), ("thirty", THIRTY)] {
        let part = lay_out(&chart(text)).expect("lays out");
        let q = quality::measure(&part);
        assert_eq!(q.edges_through_boxes, 0, "{name}: {q:?}");
        assert!(q.max_label_distance < 2.0, "{name}: {q:?}");
        assert_eq!(q.clipped_texts, 0, "{name}: {q:?}");
        assert_eq!(q.labels_over_nodes, 0, "{name}: {q:?}");
        assert_eq!(q.clusters_over_other_nodes, 0, "{name}: {q:?}");
    }
}

#[test]
fn graphs_over_budget_are_split_into_an_overview_and_parts() {
    let mut text = String::from("graph TD\n");
    for group in 0..3 {
        text.push_str(&format!("subgraph g{group} [Group {group}]\n"));
        for i in 0..25 {
            text.push_str(&format!("n{group}_{i} --> n{group}_{}\n", i + 1));
        }
        text.push_str("end\n");
    }
    text.push_str("n0_25 --> n1_0\nn1_25 --> n2_0\n");
    let (html, diagnostics) = render(&text);
    assert_eq!(count(&html, "<svg "), 4, "overview + 3 parts");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].code,
        crate::diagnostics::codes::DIAGRAM_SPLIT
    );
}

#[test]
fn every_direction_lays_out_inside_the_canvas() {
    for dir in ["TD", "BT", "LR", "RL"] {
        let part =
            lay_out(&chart(&SEED.replace("graph TD", &format!("graph {dir}")))).expect("lays out");
        assert_eq!(quality::measure(&part).clipped_texts, 0, "{dir}");
    }
}

/// A tiny deterministic generator (xorshift), so the property test needs no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const NASTY: &[&str] = &[
    "<script>",
    "a&b",
    "\"q\"",
    "it's",
    "x > y",
    "<&\"'>",
    "Épic ü",
    "",
    "long label with several words in it",
];
const OPS: &[&str] = &["-->", "---", "-.->", "==>", "--o", "--x", "<-->"];

fn random_graph(rng: &mut Rng) -> String {
    let nodes = rng.below(7);
    let mut text =
        String::from(["graph TD\n", "flowchart LR\n", "graph BT\n", "graph RL\n"][rng.below(4)]);
    let label = |rng: &mut Rng| format!("\"{}\"", NASTY[rng.below(NASTY.len())].replace('"', "'"));
    for i in 0..nodes {
        text.push_str(&format!("n{i}[{}]\n", label(rng)));
    }
    if nodes > 0 && rng.below(4) == 0 {
        text.push_str("subgraph s [\"<b>&group\"]\n");
        text.push_str(&format!("n{}\nend\n", rng.below(nodes)));
    }
    for _ in 0..rng.below(10) {
        if nodes == 0 {
            break;
        }
        let (a, b) = (rng.below(nodes), rng.below(nodes));
        let op = OPS[rng.below(OPS.len())];
        if rng.below(2) == 0 {
            text.push_str(&format!(
                "n{a} {op}|{}| n{b}\n",
                NASTY[rng.below(NASTY.len())].replace('|', "")
            ));
        } else {
            text.push_str(&format!("n{a} {op} n{b}\n"));
        }
    }
    text
}

/// 10,000 random small graphs (cycles, self-loops, duplicate edges, empty graphs,
/// labels with markup characters): no panic escapes, the SVG is well-formed XML, and no
/// markup from a label reaches the output unescaped.
#[test]
fn random_small_graphs_never_panic_and_always_give_well_formed_escaped_svg() {
    let mut rng = Rng(0x0005_eed0_f0b5_b00c);
    let links = BTreeMap::new();
    for case in 0..10_000 {
        let text = random_graph(&mut rng);
        let read = parse_flowchart(&text, Origin::start());
        let Ok(chart) = read.chart else {
            continue;
        };
        let html = &render_flowchart(
            &chart,
            &DiagramOptions {
                id: "p",
                title: "<t&>",
                links: &links,
            },
            &mut Diagnostics::new(),
        );
        assert!(
            !html.contains("<script") && !html.contains("<b>") && !html.contains("&group"),
            "case {case}: {text}\n{html}"
        );
        for svg in html.split("<svg ").skip(1) {
            let svg = format!("<svg {}", &svg[..svg.find("</svg>").expect("closed") + 6]);
            if let Err(error) = roxmltree::Document::parse(&svg) {
                panic!("case {case}: {error}\n{text}\n{svg}");
            }
        }
        let wrapped = format!("<root>{html}</root>");
        roxmltree::Document::parse(&wrapped).unwrap_or_else(|e| panic!("case {case}: {e}\n{html}"));
    }
}
