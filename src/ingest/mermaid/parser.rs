//! Mermaid reader, the statements: header, node/edge chains (`A & B --> C --> D`),
//! `subgraph … end`, `direction`, and the styling statements. Builds the `Flowchart`
//! in source order; the first syntax error ends the read.

use std::collections::BTreeMap;

use super::lexer::{Cursor, EdgeOp, ScanError};
use super::{Locator, MermaidProblem, MermaidRead};
use crate::model::graph::{FlowDirection, FlowEdge, FlowNode, Flowchart, NodeShape, Subgraph};

/// Statements opsbook accepts without applying them.
const IGNORED: &[&str] = &[
    "classDef",
    "style",
    "linkStyle",
    "click",
    "accTitle",
    "accDescr",
];

pub(super) struct Parser<'a> {
    cur: Cursor<'a>,
    locator: &'a Locator<'a>,
    chart: Flowchart,
    /// Node id → index in `chart.nodes`.
    index: BTreeMap<String, usize>,
    /// Indexes of the open subgraphs, innermost last.
    open: Vec<usize>,
    /// Nodes already placed in a subgraph (a node belongs to the first one it shows up in).
    placed: BTreeMap<String, usize>,
    ignored: Vec<MermaidProblem>,
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str, locator: &'a Locator<'a>) -> Self {
        Parser {
            cur: Cursor::new(text),
            locator,
            chart: Flowchart::default(),
            index: BTreeMap::new(),
            open: Vec::new(),
            placed: BTreeMap::new(),
            ignored: Vec::new(),
        }
    }

    pub fn run(mut self) -> MermaidRead {
        let result = self.read_all();
        let chart = match result {
            Ok(()) => Ok(self.chart),
            Err(error) => Err(MermaidProblem {
                message: error.message,
                help: error.help,
                span: self.locator.span(error.at, error.at),
            }),
        };
        MermaidRead {
            chart,
            ignored: self.ignored,
        }
    }

    fn read_all(&mut self) -> Result<(), ScanError> {
        self.read_header()?;
        loop {
            self.skip_blank_lines();
            if self.cur.rest().is_empty() {
                break;
            }
            self.read_statement()?;
            self.cur.skip_blanks();
            if !self.cur.at_statement_end() {
                let found: String = self.cur.rest().chars().take(12).collect();
                return Err(ScanError::new(
                    self.cur.pos,
                    format!("unexpected `{}`", found.trim_end()),
                )
                .help("a statement is a node, an edge chain like `A --> B`, or a keyword such as `subgraph`"));
            }
            self.cur.skip_statement_end();
        }
        if let Some(&open) = self.open.last() {
            let at = self.chart.subgraphs[open].span.start - self.locator_base();
            return Err(ScanError::new(
                at,
                format!(
                    "subgraph `{}` is never closed",
                    self.chart.subgraphs[open].id
                ),
            )
            .help("add a line `end` after its last statement"));
        }
        Ok(())
    }

    /// File offset of the text's start, to turn stored spans back into text offsets.
    fn locator_base(&self) -> usize {
        self.locator.span(0, 0).start
    }

    fn skip_blank_lines(&mut self) {
        loop {
            self.cur.skip_blanks();
            match self.cur.peek() {
                Some('\n' | '\r' | ';') => self.cur.pos += 1,
                Some('%') if self.cur.rest().starts_with("%%") => self.cur.skip_line(),
                _ => break,
            }
        }
    }

    fn read_header(&mut self) -> Result<(), ScanError> {
        self.skip_blank_lines();
        let at = self.cur.pos;
        let keyword = self.cur.scan_id().map(|(s, e)| &self.cur.text[s..e]);
        if !matches!(keyword, Some("graph" | "flowchart" | "flowchart-elk")) {
            return Err(ScanError::new(
                at,
                "a mermaid diagram here must start with `graph` or `flowchart`",
            )
            .help("opsbook draws flowcharts: start the block with `graph TD` or `flowchart LR`"));
        }
        self.cur.skip_blanks();
        if !self.cur.at_statement_end() {
            let dir_at = self.cur.pos;
            let word = self.cur.take_statement_rest();
            self.chart.direction = parse_direction(word).ok_or_else(|| {
                ScanError::new(dir_at, format!("unknown direction `{word}`"))
                    .help("use TD, TB, BT, LR or RL")
            })?;
        }
        self.cur.skip_statement_end();
        Ok(())
    }

    fn read_statement(&mut self) -> Result<(), ScanError> {
        let at = self.cur.pos;
        let mut probe = Cursor {
            text: self.cur.text,
            pos: at,
        };
        let word = probe
            .scan_id()
            .map(|(s, e)| &self.cur.text[s..e])
            .unwrap_or("");
        let keyword_ends = probe.at_statement_end() || probe.rest().starts_with([' ', '\t']);
        match word {
            "subgraph" if keyword_ends => {
                self.cur.pos = probe.pos;
                self.open_subgraph(at)
            }
            "end" if probe.at_statement_end() => {
                self.cur.pos = probe.pos;
                self.close_subgraph(at)
            }
            "direction" if keyword_ends => {
                self.cur.pos = probe.pos;
                self.read_direction()
            }
            "class" if keyword_ends => {
                self.cur.pos = probe.pos;
                self.read_class();
                Ok(())
            }
            w if keyword_ends && IGNORED.contains(&w) => {
                self.cur.pos = probe.pos;
                self.cur.take_statement_rest();
                self.note_ignored(at, w);
                Ok(())
            }
            _ => self.read_chain(),
        }
    }

    fn note_ignored(&mut self, at: usize, keyword: &str) {
        self.ignored.push(MermaidProblem {
            message: format!("`{keyword}` is accepted but not applied: diagrams use the site theme's colours and links"),
            help: Some("remove the statement, or keep it for other mermaid renderers".to_string()),
            span: self.locator.span(at, at + keyword.len()),
        });
    }

    fn open_subgraph(&mut self, at: usize) -> Result<(), ScanError> {
        self.cur.skip_blanks();
        let rest_at = self.cur.pos;
        let rest = self.cur.take_statement_rest();
        let (id, title) = split_subgraph_header(rest).ok_or_else(|| {
            ScanError::new(rest_at, "a subgraph needs a name").help("write `subgraph id [Title]`")
        })?;
        let span = self.locator.span(at, self.cur.pos);
        self.chart.subgraphs.push(Subgraph {
            id: id.clone(),
            title,
            direction: None,
            nodes: Vec::new(),
            subgraphs: Vec::new(),
            span,
        });
        let new = self.chart.subgraphs.len() - 1;
        if let Some(&parent) = self.open.last() {
            self.chart.subgraphs[parent].subgraphs.push(id);
        }
        self.open.push(new);
        Ok(())
    }

    fn close_subgraph(&mut self, at: usize) -> Result<(), ScanError> {
        self.open.pop().map(|_| ()).ok_or_else(|| {
            ScanError::new(at, "`end` without an open subgraph")
                .help("remove this `end`, or open a block with `subgraph id [Title]` above it")
        })
    }

    fn read_direction(&mut self) -> Result<(), ScanError> {
        self.cur.skip_blanks();
        let at = self.cur.pos;
        let word = self.cur.take_statement_rest();
        let direction = parse_direction(word).ok_or_else(|| {
            ScanError::new(at, format!("unknown direction `{word}`"))
                .help("use TD, TB, BT, LR or RL")
        })?;
        if let Some(&open) = self.open.last() {
            self.chart.subgraphs[open].direction = Some(direction);
        }
        Ok(())
    }

    /// `class A,B name`: gives the nodes a class.
    fn read_class(&mut self) {
        let rest = self.cur.take_statement_rest();
        let mut words = rest.split_whitespace();
        let (Some(ids), Some(class)) = (words.next(), words.next()) else {
            return;
        };
        for id in ids.split(',') {
            if let Some(&i) = self.index.get(id.trim()) {
                push_class(&mut self.chart.nodes[i], class);
            }
        }
    }

    /// `A & B --> C -->|x| D`: node groups joined by edges.
    fn read_chain(&mut self) -> Result<(), ScanError> {
        let mut previous = self.read_group()?;
        loop {
            self.cur.skip_blanks();
            let op_at = self.cur.pos;
            let Some(op) = self.cur.scan_edge()? else {
                return Ok(());
            };
            self.cur.skip_blanks();
            if self.cur.at_statement_end() {
                return Err(ScanError::new(op_at, "this edge has no target node")
                    .help("write the node the edge leads to after the arrow: `A --> B`"));
            }
            let targets = self.read_group()?;
            let span = self.locator.span(op_at, self.cur.pos);
            for from in &previous {
                for to in &targets {
                    self.push_edge(from, to, &op, span);
                }
            }
            previous = targets;
        }
    }

    fn push_edge(&mut self, from: &str, to: &str, op: &EdgeOp, span: crate::model::span::Span) {
        self.chart.edges.push(FlowEdge {
            from: from.to_string(),
            to: to.to_string(),
            label: op.label.clone(),
            stroke: op.stroke,
            head: op.head,
            tail: op.tail,
            span,
        });
    }

    /// `A`, `A[label]`, `A & B:::cls`: returns the ids.
    fn read_group(&mut self) -> Result<Vec<String>, ScanError> {
        let mut ids = vec![self.read_node()?];
        loop {
            let save = self.cur.pos;
            self.cur.skip_blanks();
            if self.cur.eat("&") {
                self.cur.skip_blanks();
                ids.push(self.read_node()?);
            } else {
                self.cur.pos = save;
                return Ok(ids);
            }
        }
    }

    fn read_node(&mut self) -> Result<String, ScanError> {
        let at = self.cur.pos;
        let Some((start, end)) = self.cur.scan_id() else {
            let found: String = self.cur.rest().chars().take(8).collect();
            return Err(ScanError::new(
                at,
                format!("expected a node id, found `{}`", found.trim_end()),
            )
            .help("node ids are letters, digits and `_`, e.g. `A`, `db_1`"));
        };
        let id = self.cur.text[start..end].to_string();
        let shape = self.cur.scan_shape()?;
        let class = if self.cur.eat(":::") {
            self.cur
                .scan_id()
                .map(|(s, e)| self.cur.text[s..e].to_string())
        } else {
            None
        };
        let span = self.locator.span(start, self.cur.pos);
        self.upsert_node(&id, shape, span);
        if let (Some(class), Some(&i)) = (class, self.index.get(&id)) {
            push_class(&mut self.chart.nodes[i], &class);
        }
        self.place_in_subgraph(&id);
        Ok(id)
    }

    fn upsert_node(
        &mut self,
        id: &str,
        shape: Option<(NodeShape, String)>,
        span: crate::model::span::Span,
    ) {
        match self.index.get(id) {
            Some(&i) => {
                if let Some((shape, label)) = shape {
                    let node = &mut self.chart.nodes[i];
                    node.shape = shape;
                    node.label = if label.is_empty() {
                        id.to_string()
                    } else {
                        label
                    };
                }
            }
            None => {
                let (shape, label) = shape.unwrap_or((NodeShape::Rectangle, String::new()));
                self.index.insert(id.to_string(), self.chart.nodes.len());
                self.chart.nodes.push(FlowNode {
                    id: id.to_string(),
                    label: if label.is_empty() {
                        id.to_string()
                    } else {
                        label
                    },
                    shape,
                    classes: Vec::new(),
                    span,
                });
            }
        }
    }

    fn place_in_subgraph(&mut self, id: &str) {
        let Some(&open) = self.open.last() else {
            return;
        };
        if !self.placed.contains_key(id) {
            self.placed.insert(id.to_string(), open);
            self.chart.subgraphs[open].nodes.push(id.to_string());
        }
    }
}

fn push_class(node: &mut FlowNode, class: &str) {
    if !node.classes.iter().any(|c| c == class) {
        node.classes.push(class.to_string());
    }
}

fn parse_direction(word: &str) -> Option<FlowDirection> {
    match word.trim() {
        "TD" | "TB" | "v" => Some(FlowDirection::TopDown),
        "BT" | "^" => Some(FlowDirection::BottomUp),
        "LR" | ">" => Some(FlowDirection::LeftRight),
        "RL" | "<" => Some(FlowDirection::RightLeft),
        _ => None,
    }
}

/// `id [Title]`, `id["Title"]`, `"Title"` or `Some Title` → (id, title).
fn split_subgraph_header(rest: &str) -> Option<(String, String)> {
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    if let Some(open) = rest.find('[') {
        let id = rest[..open].trim();
        let title = rest[open + 1..]
            .trim_end()
            .strip_suffix(']')
            .unwrap_or(&rest[open + 1..]);
        let title = title.trim().trim_matches('"').trim();
        let id = if id.is_empty() { title } else { id };
        return Some((id.to_string(), super::lexer::clean_label(title)));
    }
    let title = rest.trim_matches('"');
    Some((title.to_string(), super::lexer::clean_label(title)))
}
