//! The flowchart model: what a mermaid `graph`/`flowchart` block says, independent of
//! how it is drawn. Built by `ingest::mermaid`; read by the plan analyses (cycles, critical
//! path) and by the diagram renderer.

use serde::Serialize;

use super::span::Span;

/// Direction of the main flow (`graph TD`, `flowchart LR`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum FlowDirection {
    /// Top to bottom (`TD` and `TB`).
    #[default]
    TopDown,
    BottomUp,
    LeftRight,
    RightLeft,
}

/// Node shapes of the flowchart language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NodeShape {
    /// `A` or `A[..]`.
    #[default]
    Rectangle,
    /// `A(..)`.
    Rounded,
    /// `A([..])`.
    Stadium,
    /// `A[[..]]`.
    Subroutine,
    /// `A[(..)]`.
    Cylinder,
    /// `A((..))`.
    Circle,
    /// `A{..}`.
    Diamond,
    /// `A{{..}}`.
    Hexagon,
    /// `A>..]`.
    Flag,
    /// `A[/../]`.
    Parallelogram,
}

/// How an edge is drawn; the analyses treat dotted edges as soft dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EdgeStroke {
    /// `-->`, `---`.
    #[default]
    Solid,
    /// `-.->`.
    Dotted,
    /// `==>`.
    Thick,
}

/// What sits at the end of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EdgeEnd {
    /// `---`: no marker.
    None,
    /// `-->`.
    #[default]
    Arrow,
    /// `--o`.
    Circle,
    /// `--x`.
    Cross,
}

/// One node, declared or first used at `span`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowNode {
    pub id: String,
    /// The label as written, `<br/>` turned into `\n`; the id when there is no label.
    pub label: String,
    pub shape: NodeShape,
    /// Classes from `class` / `:::` (applied by the renderer when it knows them).
    pub classes: Vec<String>,
    pub span: Span,
}

/// One edge `from --> to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowEdge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    pub stroke: EdgeStroke,
    /// The marker at the `to` end.
    pub head: EdgeEnd,
    /// The marker at the `from` end (`<-->` has arrows at both ends).
    pub tail: EdgeEnd,
    pub span: Span,
}

impl FlowEdge {
    /// A dotted edge is a soft dependency: it orders work without blocking it.
    pub fn is_soft(&self) -> bool {
        self.stroke == EdgeStroke::Dotted
    }
}

/// `subgraph id [title] ... end`, possibly nested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subgraph {
    pub id: String,
    pub title: String,
    pub direction: Option<FlowDirection>,
    /// Ids of the nodes declared directly inside it.
    pub nodes: Vec<String>,
    /// Ids of subgraphs nested directly inside it.
    pub subgraphs: Vec<String>,
    pub span: Span,
}

/// A whole flowchart, nodes and edges in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Flowchart {
    pub direction: FlowDirection,
    pub nodes: Vec<FlowNode>,
    pub edges: Vec<FlowEdge>,
    pub subgraphs: Vec<Subgraph>,
}

impl Flowchart {
    pub fn node(&self, id: &str) -> Option<&FlowNode> {
        self.nodes.iter().find(|n| n.id == id)
    }
}
