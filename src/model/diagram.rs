//! The mermaid blocks of a page (model): every ```` ```mermaid ```` fence of the page's
//! body, read at ingest into a flowchart (or found to have a syntax error, reported
//! then). Render draws from here and never parses mermaid itself.

use serde::Serialize;

use super::graph::Flowchart;
use super::span::Span;

/// One ```` ```mermaid ```` block of a page body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MermaidBlock {
    /// The block's content as CommonMark reads it (a list item's indentation removed).
    pub source: String,
    /// Where the content sits in the file: from its first line to the end of `source`.
    pub span: Span,
    /// The flowchart, or `None` when the text has a syntax error: the block is then
    /// shown as code (ingest has reported why).
    pub chart: Option<Flowchart>,
}

/// The mermaid blocks of one page, in file order.
///
/// Render finds a block by its text, not by its offset: it renders texts the model has
/// cut out of the page and sometimes re-made (a runbook step's body without its list
/// indentation, a plan section with `\r\n` turned into `\n`, a body without its title),
/// where the file offset of a fence is not known, while the text of the fence is the
/// same. A flowchart depends only on that text (its spans aside, which drawing ignores).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PageDiagrams {
    blocks: Vec<MermaidBlock>,
}

impl PageDiagrams {
    /// No diagrams: for text that is not a page's (a scanner's rule help), whose mermaid
    /// blocks are shown as code.
    pub const NONE: PageDiagrams = PageDiagrams { blocks: Vec::new() };

    pub fn new(blocks: Vec<MermaidBlock>) -> Self {
        PageDiagrams { blocks }
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    #[cfg(test)]
    pub fn blocks(&self) -> &[MermaidBlock] {
        &self.blocks
    }

    /// The flowchart of the block whose content is `source` (line endings aside), if the
    /// page has such a block and it could be read.
    pub fn flowchart(&self, source: &str) -> Option<&Flowchart> {
        self.blocks
            .iter()
            .find(|block| same_lines(&block.source, source))
            .and_then(|block| block.chart.as_ref())
    }
}

/// Equal texts once `\r\n` is read as `\n`.
fn same_lines(a: &str, b: &str) -> bool {
    split_lines(a).eq(split_lines(b))
}

fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(source: &str, chart: Option<Flowchart>) -> MermaidBlock {
        MermaidBlock {
            source: source.to_string(),
            span: Span::default(),
            chart,
        }
    }

    #[test]
    fn a_block_is_found_by_its_text_whatever_its_line_endings() {
        let chart = Flowchart::default();
        let diagrams = PageDiagrams::new(vec![
            block("graph TD\r\nA --> B\r\n", Some(chart.clone())),
            block("graph TD\nA --> [\n", None),
        ]);
        assert_eq!(diagrams.flowchart("graph TD\nA --> B\n"), Some(&chart));
        assert_eq!(
            diagrams.flowchart("graph TD\nA --> [\n"),
            None,
            "syntax error"
        );
        assert_eq!(
            diagrams.flowchart("graph TD\nA --> C\n"),
            None,
            "not a block"
        );
        assert_eq!(PageDiagrams::NONE.flowchart("graph TD\nA --> B\n"), None);
    }
}
