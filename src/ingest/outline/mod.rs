//! The outline of a markdown body (ingest stage): the whole file text and the offset
//! where its body starts in, the body's structure out: headings, sections, code blocks,
//! list items (task boxes included), tables and every line, with byte offsets in the
//! whole file. Also the one reader of `**Label:** value` fields (`labels`).
//!
//! This is the only place in ingest that decides what is a heading, a fenced block or a
//! list item. pulldown-cmark decides it, as when the page is rendered, so nothing inside
//! a fence or an HTML block is taken for a heading, and what a reader of the page sees
//! as a heading is one here too. The conventions of plans, runbooks and audit reports
//! are small recognisers over this outline; each keeps its meaning in its own module.

mod labels;
mod lines;
mod reader;

use std::ops::Range;

pub use labels::{read_bold_labels, BoldLabel};
pub use lines::{read_list_line, SourceLine};
pub use reader::read_outline;

/// A heading, ATX (`## Title`) or setext (`Title` over `---`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading<'a> {
    pub level: u8,
    /// The heading's source text, trimmed: without the `#` marks, a closing run of `#`
    /// or the underline; emphasis and code marks kept as written.
    pub text: &'a str,
    /// File offset of `text`.
    pub text_start: usize,
    /// The words as shown: emphasis and code marks and escapes removed, inline HTML kept.
    pub plain: String,
    /// The heading's first line.
    pub line: SourceLine<'a>,
    /// Whole lines, from the start of the first to past the line ending of the last.
    pub range: Range<usize>,
}

/// A code block: fenced (```` ``` ```` or `~~~`, possibly unterminated) or indented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock<'a> {
    pub fenced: bool,
    /// The first word of the info string as written (`bash`, `Mermaid`); `None` for an
    /// indented block or a fence without one.
    pub language: Option<String>,
    /// The content as CommonMark reads it: the indentation of the list item the block
    /// sits in removed, `\n` line endings.
    pub text: String,
    /// From the opening fence (or the first content character of an indented block) to
    /// the end of the closing fence or of the last content line.
    pub range: Range<usize>,
    /// The opening fence's line, for a fenced block.
    pub opening: Option<SourceLine<'a>>,
    /// The content lines as written in the file, indentation included.
    pub lines: Vec<SourceLine<'a>>,
}

impl CodeBlock<'_> {
    /// True when the language is `name`, compared without ASCII case.
    pub fn is_language(&self, name: &str) -> bool {
        self.language
            .as_deref()
            .is_some_and(|language| language.eq_ignore_ascii_case(name))
    }

    /// True for blocks whose lines are shell commands.
    pub fn is_shell(&self) -> bool {
        ["bash", "sh", "shell", "zsh", "console", "shell-session"]
            .iter()
            .any(|name| self.is_language(name))
    }

    /// The content lines as written, joined by `\n` whatever the file's line endings,
    /// so CRLF and LF files give the same text.
    pub fn content(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|line| line.text).collect();
        lines.join("\n")
    }

    /// File offsets of the content, from the start of the first content line to the end
    /// of the last; an empty range after the opening fence when there is no content.
    pub fn content_range(&self) -> (usize, usize) {
        let empty_at = self.opening.map_or(self.range.start, |line| line.end());
        let start = self.lines.first().map_or(empty_at, |line| line.start);
        let end = self.lines.last().map_or(start, |line| line.end());
        (start, end)
    }
}

/// An item of a bullet or ordered list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem<'a> {
    pub ordered: bool,
    /// The number shown for an ordered item: its list's start plus its position.
    pub number: Option<u64>,
    /// How many lists the item's own list sits in (0 for a top-level list).
    pub depth: usize,
    /// True when the item is inside a block quote.
    pub quoted: bool,
    /// The task box state of a task list item (`- [x] done` gives `Some(true)`).
    pub task: Option<bool>,
    /// The rest of the first line after the marker, trimmed (a task box included).
    pub text: &'a str,
    /// File offset of `text`.
    pub text_start: usize,
    /// The line the marker is on.
    pub line: SourceLine<'a>,
    /// Whole lines: the item with its continuation lines and nested blocks.
    pub range: Range<usize>,
}

/// A paragraph of the body, as whole lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub range: Range<usize>,
    /// True when it sits in no list item and no block quote.
    pub top_level: bool,
}

/// Raw HTML written as a block of lines (`<details>` on a line of its own), as whole
/// lines; the text is the HTML as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlBlock<'a> {
    pub text: &'a str,
    pub range: Range<usize>,
}

/// A table cell: its source text, trimmed, and where that text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell<'a> {
    pub text: &'a str,
    pub range: Range<usize>,
}

/// A table: the header row's cells and each body row's cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table<'a> {
    pub header: Vec<Cell<'a>>,
    pub rows: Vec<Vec<Cell<'a>>>,
    /// Whole lines, header to last row.
    pub range: Range<usize>,
}

/// What a line of the body is. A line where several blocks start (`- # Title`) belongs
/// to the innermost one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Whitespace only, outside code.
    Blank,
    /// A line of the heading with this index in `Outline::headings`.
    Heading(usize),
    /// A line of the code block with this index, fences included.
    Code(usize),
    /// The line where the list item with this index starts.
    Item(usize),
    /// Any other line: paragraph text, a continuation line, a rule, a table row, HTML.
    Text,
}

/// One line of the body and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub source: SourceLine<'a>,
    pub kind: LineKind,
}

/// The body read as a sequence: each heading and code block once, other lines one by
/// one, in source order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block<'o, 'a> {
    Blank(SourceLine<'a>),
    Heading(&'o Heading<'a>),
    Code(&'o CodeBlock<'a>),
    Item(&'o ListItem<'a>),
    Text(SourceLine<'a>),
}

/// A text line outside code and headings that starts with bold labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledLine<'a> {
    pub line: SourceLine<'a>,
    pub labels: Vec<BoldLabel<'a>>,
}

/// The structure of one markdown body; every offset is a position in the whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline<'a> {
    /// Where the body starts (on a character boundary).
    pub body_start: usize,
    /// Where the body ends: the length of the file.
    pub body_end: usize,
    pub lines: Vec<Line<'a>>,
    pub headings: Vec<Heading<'a>>,
    pub code_blocks: Vec<CodeBlock<'a>>,
    pub list_items: Vec<ListItem<'a>>,
    pub tables: Vec<Table<'a>>,
    pub paragraphs: Vec<Paragraph>,
    pub html_blocks: Vec<HtmlBlock<'a>>,
    /// Inline code spans (`` `code` ``), backticks included.
    pub code_spans: Vec<Range<usize>>,
}

impl<'a> Outline<'a> {
    /// The body as a sequence of blocks.
    pub fn blocks(&self) -> Vec<Block<'_, 'a>> {
        let mut blocks = Vec::new();
        let mut last: Option<LineKind> = None;
        for line in &self.lines {
            let repeated = last == Some(line.kind);
            last = Some(line.kind);
            let block = match line.kind {
                LineKind::Blank => Block::Blank(line.source),
                LineKind::Text => Block::Text(line.source),
                LineKind::Item(index) => Block::Item(&self.list_items[index]),
                // A heading or code block is one block, however many lines it has.
                LineKind::Heading(_) | LineKind::Code(_) if repeated => continue,
                LineKind::Heading(index) => Block::Heading(&self.headings[index]),
                LineKind::Code(index) => Block::Code(&self.code_blocks[index]),
            };
            blocks.push(block);
        }
        blocks
    }

    /// The index of the line that holds file offset `offset`.
    fn line_at(&self, offset: usize) -> Option<usize> {
        let after = self
            .lines
            .partition_point(|line| line.source.start <= offset);
        after.checked_sub(1)
    }

    /// True when `offset` lies on a line of a code block (its fences included).
    pub fn in_code(&self, offset: usize) -> bool {
        self.line_at(offset)
            .is_some_and(|index| matches!(self.lines[index].kind, LineKind::Code(_)))
    }

    /// The section of the heading with index `heading`: from the heading's first line to
    /// the next heading of the same or a higher level, or to the end of the body. It always
    /// holds the heading itself: pulldown-cmark can give headings that overlap (a lone `\r`
    /// ends an ATX heading's line, then the next lines make a setext heading that starts
    /// where it does), and readers cut the heading's body from its end to the section's.
    pub fn section(&self, heading: usize) -> Range<usize> {
        let Some(head) = self.headings.get(heading) else {
            return self.body_end..self.body_end;
        };
        let end = self.headings[heading + 1..]
            .iter()
            .find(|next| next.level <= head.level)
            .map_or(self.body_end, |next| next.range.start);
        head.range.start..end.max(head.range.end)
    }

    /// The lines in `range` outside code blocks and headings that start with bold labels.
    pub fn label_lines(&self, range: Range<usize>) -> Vec<LabelledLine<'a>> {
        self.lines
            .iter()
            .filter(|line| range.contains(&line.source.start))
            .filter(|line| matches!(line.kind, LineKind::Text | LineKind::Item(_)))
            .filter_map(|line| {
                let labels = read_bold_labels(line.source.text, line.source.start);
                (!labels.is_empty()).then_some(LabelledLine {
                    line: line.source,
                    labels,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
