//! Plan reader, the lane recognisers' view of a plan: the file text, its outline and line
//! index, and the questions every recogniser asks of them (which headings enclose a
//! place, which lines a set of ranges leaves unread). Shared by `tracks`, `work_items`,
//! `checklists` and `cross_deps`.

use std::ops::Range;

use crate::ingest::outline::{LineKind, Outline};
use crate::model::plan::Text;
use crate::model::span::{LineIndex, Span};

use super::labelled::is_thematic_break;

/// The plan as the lane recognisers read it.
pub(super) struct LaneSource<'r, 'a> {
    pub text: &'a str,
    pub outline: &'r Outline<'a>,
    pub index: &'r LineIndex<'a>,
    /// The section of each heading of the outline, by heading index.
    pub sections: Vec<Range<usize>>,
}

impl<'r, 'a> LaneSource<'r, 'a> {
    pub fn new(text: &'a str, outline: &'r Outline<'a>, index: &'r LineIndex<'a>) -> Self {
        let sections = (0..outline.headings.len())
            .map(|h| outline.section(h))
            .collect();
        LaneSource {
            text,
            outline,
            index,
            sections,
        }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        self.index.span(range.start, range.end)
    }

    /// A `Text` for `value`, a slice of the file that starts at `start`.
    pub fn text_at(&self, value: &str, start: usize) -> Text {
        Text {
            text: value.to_string(),
            span: self.span(start..start + value.len()),
        }
    }

    /// The headings whose sections hold `offset`, nearest (deepest) first, without the
    /// heading on whose line `offset` is.
    pub fn enclosing_headings(&self, offset: usize) -> Vec<usize> {
        let mut found: Vec<usize> = (0..self.outline.headings.len())
            .filter(|&h| {
                let heading = &self.outline.headings[h];
                self.sections[h].contains(&offset) && !heading.range.contains(&offset)
            })
            .collect();
        found.sort_by_key(|&h| std::cmp::Reverse(self.outline.headings[h].range.start));
        found
    }

    /// The markdown in `ranges` that no range of `consumed` covers, as chunks of whole
    /// lines. A chunk of blank lines, rules and headings alone says nothing and is left
    /// out; a chunk indented as a whole (the body of a list item) is dedented.
    pub fn unread_chunks(&self, ranges: &[Range<usize>], consumed: &[Range<usize>]) -> Vec<Text> {
        let mut chunks = Vec::new();
        let mut current: Option<(usize, usize)> = None;
        for line in &self.outline.lines {
            let start = line.source.start;
            let inside = ranges.iter().any(|r| r.contains(&start));
            let unread = inside && !consumed.iter().any(|r| r.contains(&start));
            match (unread, current) {
                (true, None) => current = Some((start, line.source.next)),
                (true, Some((from, _))) => current = Some((from, line.source.next)),
                (false, Some((from, to))) => {
                    chunks.extend(self.chunk(from..to));
                    current = None;
                }
                (false, None) => {}
            }
        }
        if let Some((from, to)) = current {
            chunks.extend(self.chunk(from..to));
        }
        chunks
    }

    /// The chunk in `range` when it says something.
    fn chunk(&self, range: Range<usize>) -> Option<Text> {
        let says_something = self.outline.lines.iter().any(|line| {
            range.contains(&line.source.start)
                && match line.kind {
                    LineKind::Blank | LineKind::Heading(_) => false,
                    LineKind::Text => !is_thematic_break(line.source.text),
                    LineKind::Code(_) | LineKind::Item(_) => true,
                }
        });
        if !says_something {
            return None;
        }
        let written = self.text[range.clone()].trim_end();
        let written = trim_trailing_rules(written);
        let indent = written
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0);
        let text = if indent == 0 {
            written.replace("\r\n", "\n")
        } else {
            written
                .lines()
                .map(|line| line.get(indent..).unwrap_or(line.trim_start()))
                .collect::<Vec<_>>()
                .join("\n")
        };
        Some(Text {
            text,
            span: self.span(range.start..range.start + written.len()),
        })
    }
}

/// `body` without the rules (`---`) and blank lines that end it.
fn trim_trailing_rules(body: &str) -> &str {
    let mut body = body.trim_end();
    while let Some((rest, last)) = body.rsplit_once('\n') {
        if !is_thematic_break(last) {
            return body;
        }
        body = rest.trim_end();
    }
    if is_thematic_break(body) {
        ""
    } else {
        body
    }
}
