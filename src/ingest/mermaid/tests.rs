//! One test per syntax form, and the positions of syntax errors.

use super::*;
use crate::model::graph::{EdgeEnd, EdgeStroke, FlowDirection, NodeShape};

fn chart(text: &str) -> Flowchart {
    match parse_flowchart(text, Origin::start()).chart {
        Ok(chart) => chart,
        Err(problem) => panic!(
            "{}:{}: {}",
            problem.span.line, problem.span.col, problem.message
        ),
    }
}

fn error(text: &str) -> (u32, u32, String) {
    let problem = parse_flowchart(text, Origin::start())
        .chart
        .expect_err("a syntax error");
    (problem.span.line, problem.span.col, problem.message)
}

#[test]
fn header_directions_are_read() {
    assert_eq!(chart("graph TD\nA").direction, FlowDirection::TopDown);
    assert_eq!(chart("graph TB\nA").direction, FlowDirection::TopDown);
    assert_eq!(chart("flowchart BT\nA").direction, FlowDirection::BottomUp);
    assert_eq!(chart("flowchart LR\nA").direction, FlowDirection::LeftRight);
    assert_eq!(chart("graph RL;A").direction, FlowDirection::RightLeft);
    assert_eq!(chart("graph\nA").direction, FlowDirection::TopDown);
}

#[test]
fn every_node_shape_is_read_with_its_label() {
    let c = chart(
        "graph TD\nA\nB[box]\nC(round)\nD([stadium])\nE[[sub]]\nF[(db)]\nG((circle))\nH{diamond}\nI{{hex}}\nJ>flag]\nK[/para/]\n",
    );
    let shapes: Vec<(&str, &str, NodeShape)> = c
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str(), n.shape))
        .collect();
    assert_eq!(
        shapes,
        [
            ("A", "A", NodeShape::Rectangle),
            ("B", "box", NodeShape::Rectangle),
            ("C", "round", NodeShape::Rounded),
            ("D", "stadium", NodeShape::Stadium),
            ("E", "sub", NodeShape::Subroutine),
            ("F", "db", NodeShape::Cylinder),
            ("G", "circle", NodeShape::Circle),
            ("H", "diamond", NodeShape::Diamond),
            ("I", "hex", NodeShape::Hexagon),
            ("J", "flag", NodeShape::Flag),
            ("K", "para", NodeShape::Parallelogram),
        ]
    );
}

#[test]
fn quoted_labels_keep_brackets_and_br_becomes_a_line_break() {
    let c = chart("graph TD\nA[\"a (b) [c]\"] --> B[one<br/>two]");
    assert_eq!(c.nodes[0].label, "a (b) [c]");
    assert_eq!(c.nodes[1].label, "one\ntwo");
}

#[test]
fn edge_operators_give_stroke_and_ends() {
    let c = chart("graph TD\nA --> B\nA --- C\nA -.-> D\nA ==> E\nA --o F\nA --x G\nA <--> H\n");
    let edges: Vec<(&str, EdgeStroke, EdgeEnd, EdgeEnd)> = c
        .edges
        .iter()
        .map(|e| (e.to.as_str(), e.stroke, e.tail, e.head))
        .collect();
    assert_eq!(
        edges,
        [
            ("B", EdgeStroke::Solid, EdgeEnd::None, EdgeEnd::Arrow),
            ("C", EdgeStroke::Solid, EdgeEnd::None, EdgeEnd::None),
            ("D", EdgeStroke::Dotted, EdgeEnd::None, EdgeEnd::Arrow),
            ("E", EdgeStroke::Thick, EdgeEnd::None, EdgeEnd::Arrow),
            ("F", EdgeStroke::Solid, EdgeEnd::None, EdgeEnd::Circle),
            ("G", EdgeStroke::Solid, EdgeEnd::None, EdgeEnd::Cross),
            ("H", EdgeStroke::Solid, EdgeEnd::Arrow, EdgeEnd::Arrow),
        ]
    );
}

#[test]
fn edge_labels_in_all_four_forms() {
    let c = chart(
        "graph TD\nA -->|one| B\nA -- two --> C\nA -. three .-> D\nA == four ==> E\nA-->|x y|F",
    );
    let labels: Vec<(Option<&str>, EdgeStroke)> = c
        .edges
        .iter()
        .map(|e| (e.label.as_deref(), e.stroke))
        .collect();
    assert_eq!(
        labels,
        [
            (Some("one"), EdgeStroke::Solid),
            (Some("two"), EdgeStroke::Solid),
            (Some("three"), EdgeStroke::Dotted),
            (Some("four"), EdgeStroke::Thick),
            (Some("x y"), EdgeStroke::Solid),
        ]
    );
    assert!(c.edges.iter().all(|e| e.head == EdgeEnd::Arrow));
}

#[test]
fn chains_and_ampersands_expand_to_every_edge() {
    let c = chart("graph LR\nA --> B --> C\nD & E --> F & G");
    let pairs: Vec<(&str, &str)> = c
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("A", "B"),
            ("B", "C"),
            ("D", "F"),
            ("D", "G"),
            ("E", "F"),
            ("E", "G")
        ]
    );
}

#[test]
fn nested_subgraphs_with_titles_and_directions() {
    let c = chart(
        "flowchart TD\nsubgraph ops [Operations]\n  direction LR\n  A --> B\n  subgraph inner[\"Inner box\"]\n    C\n  end\nend\nsubgraph Plain title\nD\nend\nA --> D",
    );
    assert_eq!(c.subgraphs.len(), 3);
    assert_eq!(c.subgraphs[0].id, "ops");
    assert_eq!(c.subgraphs[0].title, "Operations");
    assert_eq!(c.subgraphs[0].direction, Some(FlowDirection::LeftRight));
    assert_eq!(c.subgraphs[0].nodes, ["A", "B"]);
    assert_eq!(c.subgraphs[0].subgraphs, ["inner"]);
    assert_eq!(c.subgraphs[1].title, "Inner box");
    assert_eq!(c.subgraphs[1].nodes, ["C"]);
    assert_eq!(c.subgraphs[2].title, "Plain title");
}

#[test]
fn comments_and_semicolons_are_statement_ends() {
    let c = chart("%% a comment\ngraph TD\nA --> B; B --> C %% trailing\n%% A --> Z\n");
    assert_eq!(c.edges.len(), 2);
    assert!(c.node("Z").is_none());
}

#[test]
fn class_statements_apply_and_style_statements_are_noted() {
    let read = parse_flowchart(
        "graph TD\nA:::hot --> B\nclass B cold\nclassDef hot fill:#f00\nstyle A fill:#0f0\nlinkStyle 0 stroke:red\nclick A \"https://x\"\n",
        Origin::start(),
    );
    let c = read.chart.expect("parses");
    assert_eq!(c.nodes[0].classes, ["hot"]);
    assert_eq!(c.nodes[1].classes, ["cold"]);
    let lines: Vec<u32> = read.ignored.iter().map(|p| p.span.line).collect();
    assert_eq!(lines, [4, 5, 6, 7]);
}

#[test]
fn later_label_replaces_the_id_label() {
    let c = chart("graph TD\nA --> B\nB[Named]");
    assert_eq!(c.node("B").map(|n| n.label.as_str()), Some("Named"));
    assert_eq!(c.nodes.len(), 2);
}

#[test]
fn unclosed_label_is_reported_at_its_opening_bracket() {
    assert_eq!(
        error("graph TD\n  A --> B[oops\n"),
        (
            2,
            10,
            "the label opened with `[` is not closed with `]`".to_string()
        )
    );
}

#[test]
fn errors_name_line_and_column() {
    assert_eq!(error("pie\n").0, 1);
    assert_eq!(error("graph XY\n").1, 7);
    assert_eq!(
        error("graph TD\nA -->\n"),
        (2, 3, "this edge has no target node".to_string())
    );
    assert_eq!(error("graph TD\nend\n").0, 2);
    assert_eq!(error("graph TD\nsubgraph s\nA\n").0, 2);
    assert_eq!(error("graph TD\nA -->|x B\n").1, 6);
    assert_eq!(error("graph TD\nA -- x B\n").1, 3);
}

#[test]
fn positions_are_shifted_by_the_origin() {
    let read = parse_flowchart(
        "graph TD\nA --> B[x\n",
        Origin {
            offset: 100,
            line: 10,
            col: 1,
        },
    );
    let problem = read.chart.expect_err("error");
    assert_eq!(
        (problem.span.line, problem.span.col, problem.span.start),
        (11, 8, 116)
    );
}
