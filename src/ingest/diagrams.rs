//! Mermaid blocks of a page body (ingest stage): the page's text in, every
//! ```` ```mermaid ```` fence read into a flowchart (`model::diagram::PageDiagrams`) out,
//! with its syntax error (OPS350) or ignored statements (OPS351) reported at file lines
//! and columns. Render draws from the model and never parses mermaid, so a broken block
//! is found while the site is read, on every page kind, whether or not it is drawn.
//!
//! The fences come from the shared outline reader (`ingest::outline`), which reads
//! CommonMark with pulldown-cmark as render does, so ingest and render agree on which
//! blocks there are and on their text (the options that differ only change headings).

use std::path::Path;

use super::mermaid::{parse_flowchart, Origin};
use super::outline::Outline;
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::diagram::{MermaidBlock, PageDiagrams};
use crate::model::span::LineIndex;
use crate::model::Plan;

/// A fenced mermaid block as CommonMark reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MermaidFence {
    /// File offset of the block's first content line (after the opening fence line).
    start: usize,
    /// The content, a list item's indentation removed.
    text: String,
}

/// Every fenced block of the page whose language is `mermaid` (as render matches it: the
/// first word of the info string, case included), in order. `text` is the whole file.
fn find_mermaid_fences(text: &str, outline: &Outline) -> Vec<MermaidFence> {
    outline
        .code_blocks
        .iter()
        .filter(|block| block.fenced && block.language.as_deref() == Some("mermaid"))
        .map(|block| MermaidFence {
            start: content_start(text, block.range.start),
            text: block.text.clone(),
        })
        .collect()
}

/// Offset of a fenced block's first content line: after the opening fence's line.
fn content_start(text: &str, block_start: usize) -> usize {
    text.get(block_start..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |at| block_start + at + 1)
}

/// Reads every mermaid block of a page (`text` is the whole file, the body starts at
/// `body_start`): the blocks for the model and the problems found in them.
///
/// A structured plan's dependency map is read and reported by the plan reader, with a
/// message that names the map; its block is kept here for drawing but not reported again.
/// (An unstructured plan is drawn as a document, so its map block is reported as every
/// block is, besides the plan reader's report.)
pub fn read_diagrams(
    source: &Path,
    text: &str,
    outline: &Outline,
    plan: Option<&Plan>,
    diagnostics: &mut Diagnostics,
) -> PageDiagrams {
    let fences = find_mermaid_fences(text, outline);
    if fences.is_empty() {
        return PageDiagrams::default();
    }
    let index = LineIndex::new(text);
    let map_start = plan
        .filter(|plan| plan.is_structured())
        .and_then(|plan| plan.dependency_map.as_ref())
        .map(|map| map.span.start);
    let blocks = fences
        .into_iter()
        .map(|fence| {
            let mut found = Diagnostics::new();
            let block = read_block(source, &index, fence, &mut found);
            let is_map =
                map_start.is_some_and(|at| (block.span.start..=block.span.end).contains(&at));
            if !is_map {
                diagnostics.append(found);
            }
            block
        })
        .collect();
    PageDiagrams::new(blocks)
}

/// One block: its flowchart, or the syntax error that leaves it shown as code.
fn read_block(
    source: &Path,
    index: &LineIndex,
    fence: MermaidFence,
    diagnostics: &mut Diagnostics,
) -> MermaidBlock {
    let read = parse_flowchart(&fence.text, Origin::at(index, fence.start));
    for note in read.ignored {
        let mut diagnostic =
            Diagnostic::note(codes::MERMAID_IGNORED, note.message).at(source, Some(note.span));
        diagnostic.help = note.help;
        diagnostics.push(diagnostic);
    }
    let chart = match read.chart {
        Ok(chart) => Some(chart),
        Err(problem) => {
            let mut diagnostic = Diagnostic::warning(
                codes::MERMAID_SYNTAX,
                format!(
                    "mermaid syntax error: {}; the block is shown as code",
                    problem.message
                ),
            )
            .at(source, Some(problem.span));
            diagnostic.help = problem.help;
            diagnostics.push(diagnostic);
            None
        }
    };
    let span = index.span(fence.start, fence.start + fence.text.len());
    MermaidBlock {
        source: fence.text,
        span,
        chart,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::Span;

    fn read_at(
        source: &str,
        text: &str,
        body_start: usize,
        plan: Option<&Plan>,
    ) -> (PageDiagrams, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let outline = crate::ingest::outline::read_outline(text, body_start);
        let diagrams = read_diagrams(Path::new(source), text, &outline, plan, &mut diagnostics);
        (diagrams, diagnostics)
    }

    fn read(text: &str, body_start: usize) -> (PageDiagrams, Vec<String>) {
        let (diagrams, diagnostics) = read_at("content/p.md", text, body_start, None);
        let shown = diagnostics
            .iter()
            .map(|d| {
                let span = d.span.unwrap_or_default();
                format!(
                    "{}:{}: {}[{}] {}",
                    span.line,
                    span.col,
                    d.severity.as_str(),
                    d.code,
                    d.message
                )
            })
            .collect();
        (diagrams, shown)
    }

    #[test]
    fn fences_are_found_at_file_offsets_in_lists_and_with_info_words() {
        let text = "---\ntitle: T\n---\n# T\n\n```mermaid\ngraph TD\nA --> B\n```\n\n- step\n\n  ~~~mermaid title\n  graph LR\n  C --> D\n  ~~~\n\n    mermaid indented\n\n```bash\nmermaid\n```\n";
        let outline = crate::ingest::outline::read_outline(text, 17);
        let fences = find_mermaid_fences(text, &outline);
        let starts: Vec<usize> = fences.iter().map(|f| f.start).collect();
        let texts: Vec<&str> = fences.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts, ["graph TD\nA --> B\n", "graph LR\nC --> D\n"]);
        assert_eq!(&text[starts[0]..starts[0] + 8], "graph TD");
        assert_eq!(&text[starts[1]..starts[1] + 10], "  graph LR");
    }

    #[test]
    fn a_syntax_error_is_a_warning_at_its_file_line_and_column() {
        let text =
            "---\ntitle: T\n---\nIntro.\n\n```mermaid\nflowchart TD\n  X --> Y[broken\n```\n";
        let (diagrams, shown) = read(text, 17);
        assert_eq!(
            shown,
            ["8:10: warning[OPS350] mermaid syntax error: the label opened with `[` is not closed with `]`; the block is shown as code"]
        );
        assert_eq!(diagrams.blocks().len(), 1);
        assert_eq!(diagrams.flowchart("flowchart TD\n  X --> Y[broken\n"), None);
    }

    #[test]
    fn a_readable_block_keeps_its_chart_and_notes_what_it_ignores() {
        let text = "# T\n\n```mermaid\ngraph TD\n  A --> B\n  classDef x fill:#f00\n```\n";
        let (diagrams, shown) = read(text, 0);
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(
            shown[0].starts_with("6:3: note[OPS351] `classDef`"),
            "{shown:?}"
        );
        let block = &diagrams.blocks()[0];
        assert_eq!(
            block.span,
            Span {
                start: 16,
                end: 58,
                line: 4,
                col: 1
            }
        );
        let chart = diagrams
            .flowchart("graph TD\n  A --> B\n  classDef x fill:#f00\n")
            .expect("chart");
        assert_eq!(chart.nodes.len(), 2);
        assert_eq!(chart.edges.len(), 1);
    }

    #[test]
    fn crlf_blocks_are_read_at_their_file_positions_and_found_by_lf_text() {
        let text = "# T\r\n\r\n```mermaid\r\ngraph TD\r\n  A --> B[\r\n```\r\n";
        let (diagrams, shown) = read(text, 0);
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(shown[0].starts_with("5:10: warning[OPS350]"), "{shown:?}");
        let text = text.replace("B[", "B");
        let (diagrams_ok, shown) = read(&text, 0);
        assert!(shown.is_empty(), "{shown:?}");
        assert!(diagrams_ok.flowchart("graph TD\n  A --> B\n").is_some());
        assert_eq!(diagrams.flowchart("graph TD\n  A --> B[\n"), None);
    }

    #[test]
    fn a_structured_plans_dependency_map_is_reported_once_by_the_plan_reader() {
        let text = "# P\n\n## Epic 1: One\n\n```bash\nbd create \"A\" -t task -p 0\n```\n\n## Dependencies\n\n```mermaid\ngraph TD\n  A --> B\n  style A fill:#f00\n```\n";
        let mut plan_diagnostics = Diagnostics::new();
        let plan = crate::ingest::plan::parse_plan(
            Path::new("content/plans/p.md"),
            text,
            0,
            &mut plan_diagnostics,
        );
        assert!(plan.is_structured() && plan.dependency_map.is_some());
        let (diagrams, diagnostics) = read_at("content/plans/p.md", text, 0, Some(&plan));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(diagrams
            .flowchart("graph TD\n  A --> B\n  style A fill:#f00\n")
            .is_some());
        let (_, unstructured) = read_at("content/p.md", text, 0, None);
        assert_eq!(unstructured.len(), 1, "a document's block is reported");
    }
}
