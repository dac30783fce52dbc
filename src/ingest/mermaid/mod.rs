//! Mermaid flowchart reader (ingest stage): the text of a ```` ```mermaid ```` block in,
//! a `model::graph::Flowchart` out, or a syntax error at the exact line and column of
//! the file the block sits in. Only the flowchart language (`graph` / `flowchart`) is
//! read; styling statements are accepted and reported as notes when they are ignored.
//!
//! `lexer` scans the low-level pieces (ids, labels, edge operators) and `parser` turns
//! statements into nodes, edges and subgraphs.

mod lexer;
mod parser;
#[cfg(test)]
mod tests;

use crate::model::graph::Flowchart;
use crate::model::span::{LineIndex, Span};

/// Where a mermaid text sits in its file, so positions inside it can be reported as
/// file lines and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origin {
    /// Byte offset of the mermaid text's first character in the file.
    pub offset: usize,
    /// 1-based line of that character in the file.
    pub line: u32,
    /// 1-based column (in characters) of that character.
    pub col: u32,
}

impl Origin {
    /// The origin of `offset` in the file `index` is made from.
    pub fn at(index: &LineIndex, offset: usize) -> Self {
        let (line, col) = index.line_col(offset);
        Origin { offset, line, col }
    }

    /// The origin of a text that is a whole file (or stands alone).
    #[cfg(any(test, feature = "bench-api"))]
    pub fn start() -> Self {
        Origin {
            offset: 0,
            line: 1,
            col: 1,
        }
    }
}

/// A problem found in a mermaid text, placed in file coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MermaidProblem {
    pub message: String,
    pub help: Option<String>,
    pub span: Span,
}

/// The result of reading one mermaid text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MermaidRead {
    /// The flowchart, or the first syntax error (the diagram then falls back to its
    /// source shown as code).
    pub chart: Result<Flowchart, MermaidProblem>,
    /// Statements that were accepted but not applied (`classDef`, `style`, `click`, ...).
    pub ignored: Vec<MermaidProblem>,
}

/// Reads a mermaid flowchart. `origin` places the text in its file.
pub fn parse_flowchart(text: &str, origin: Origin) -> MermaidRead {
    let locator = Locator::new(text, origin);
    parser::Parser::new(text, &locator).run()
}

/// Turns byte offsets inside the mermaid text into file spans.
pub(crate) struct Locator<'a> {
    index: LineIndex<'a>,
    origin: Origin,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str, origin: Origin) -> Self {
        Locator {
            index: LineIndex::new(text),
            origin,
        }
    }

    /// The file span of `start..end` (offsets inside the mermaid text).
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        let (line, col) = self.index.line_col(start);
        let col = if line == 1 {
            col + self.origin.col.max(1) - 1
        } else {
            col
        };
        Span {
            start: self.origin.offset + start,
            end: self.origin.offset + end,
            line: line + self.origin.line.max(1) - 1,
            col,
        }
    }
}
