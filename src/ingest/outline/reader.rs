//! Outline, the walk: pulldown-cmark's events over the body in, the `Outline` out. The
//! options are those the runbook reader has always used (tables, task lists, footnotes,
//! strikethrough), so headings keep their `{#id}` text as written.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::lines::{body_lines, clamp_to_boundary, read_marker, SourceLine};
use super::{
    Cell, CodeBlock, Heading, HtmlBlock, Line, LineKind, ListItem, Outline, Paragraph, Table,
};

/// Reads the outline of the body of `text` that starts at `body_start` (moved back to a
/// character boundary if it is inside one).
pub fn read_outline(text: &str, body_start: usize) -> Outline<'_> {
    let body_start = clamp_to_boundary(text, body_start);
    let mut walk = Walk::new(text, body_start);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(&text[body_start..], options).into_offset_iter();
    for (event, range) in parser {
        walk.event(event, body_start + range.start..body_start + range.end);
    }
    walk.finish()
}

/// A heading whose end event has not come yet.
struct OpenHeading {
    level: u8,
    range: Range<usize>,
    plain: String,
    /// From the start of the first inline event to the end of the last.
    inline: Option<Range<usize>>,
}

/// A code block whose end event has not come yet.
struct OpenCode {
    fenced: bool,
    language: Option<String>,
    text: String,
    range: Range<usize>,
    /// From the start of the first content event to the end of the last.
    content: Option<Range<usize>>,
}

/// A table whose end event has not come yet.
struct OpenTable<'a> {
    table: Table<'a>,
    in_head: bool,
}

/// A block that holds list items: a list (with the number its next item shows) or a
/// block quote.
enum Container {
    List { next: Option<u64> },
    Quote,
}

/// The walk's state.
struct Walk<'a> {
    text: &'a str,
    lines: Vec<SourceLine<'a>>,
    kinds: Vec<Option<LineKind>>,
    outline: Outline<'a>,
    heading: Option<OpenHeading>,
    code: Option<OpenCode>,
    table: Option<OpenTable<'a>>,
    containers: Vec<Container>,
    /// Indices of the list items being read, innermost last.
    items: Vec<usize>,
}

impl<'a> Walk<'a> {
    fn new(text: &'a str, body_start: usize) -> Self {
        let lines = body_lines(text, body_start);
        Walk {
            text,
            kinds: vec![None; lines.len()],
            lines,
            outline: Outline {
                body_start,
                body_end: text.len(),
                ..Outline::default()
            },
            heading: None,
            code: None,
            table: None,
            containers: Vec::new(),
            items: Vec::new(),
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        let inside_heading = !matches!(event, Event::End(TagEnd::Heading(_)));
        if let Some(heading) = self.heading.as_mut().filter(|_| inside_heading) {
            let inline = heading.inline.get_or_insert(range.clone());
            inline.end = inline.end.max(range.end);
        }
        if matches!(event, Event::Code(_)) {
            self.outline.code_spans.push(range.clone());
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            // Inline HTML in a heading is part of its words (shown as text later).
            Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) => {
                if let Some(code) = self.code.as_mut() {
                    code.text.push_str(&text);
                    let content = code.content.get_or_insert(range.clone());
                    content.end = range.end;
                } else if let Some(heading) = self.heading.as_mut() {
                    heading.plain.push_str(&text);
                }
            }
            Event::TaskListMarker(checked) => {
                if let Some(&index) = self.items.last() {
                    self.outline.list_items[index].task = Some(checked);
                }
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.heading = Some(OpenHeading {
                    level: level as u8,
                    range,
                    plain: String::new(),
                    inline: None,
                });
            }
            Tag::CodeBlock(kind) => {
                let (fenced, language) = match kind {
                    CodeBlockKind::Fenced(info) => {
                        (true, info.split_whitespace().next().map(str::to_string))
                    }
                    CodeBlockKind::Indented => (false, None),
                };
                self.code = Some(OpenCode {
                    fenced,
                    language,
                    text: String::new(),
                    range,
                    content: None,
                });
            }
            Tag::List(start) => self.containers.push(Container::List { next: start }),
            Tag::BlockQuote(_) => self.containers.push(Container::Quote),
            Tag::Item => self.start_item(range),
            Tag::Table(_) => {
                self.table = Some(OpenTable {
                    table: Table {
                        header: Vec::new(),
                        rows: Vec::new(),
                        range: self.whole_lines(&range),
                    },
                    in_head: false,
                });
            }
            Tag::Paragraph => {
                let paragraph = Paragraph {
                    range: self.whole_lines(&range),
                    top_level: self.containers.is_empty(),
                };
                self.outline.paragraphs.push(paragraph);
            }
            Tag::HtmlBlock => {
                let range = self.whole_lines(&range);
                let text = &self.text[range.clone()];
                self.outline.html_blocks.push(HtmlBlock { text, range });
            }
            Tag::TableHead => self.with_table(|open| open.in_head = true),
            Tag::TableRow => self.with_table(|open| open.table.rows.push(Vec::new())),
            Tag::TableCell => {
                let cell = self.cell(range);
                self.with_table(|open| {
                    if open.in_head {
                        open.table.header.push(cell);
                    } else if let Some(row) = open.table.rows.last_mut() {
                        row.push(cell);
                    }
                });
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::CodeBlock => self.end_code(),
            TagEnd::List(_) | TagEnd::BlockQuote(_) => {
                self.containers.pop();
            }
            TagEnd::Item => {
                self.items.pop();
            }
            TagEnd::TableHead => self.with_table(|open| open.in_head = false),
            TagEnd::Table => {
                if let Some(open) = self.table.take() {
                    self.outline.tables.push(open.table);
                }
            }
            _ => {}
        }
    }

    fn with_table(&mut self, change: impl FnOnce(&mut OpenTable<'a>)) {
        if let Some(open) = self.table.as_mut() {
            change(open);
        }
    }

    fn cell(&self, range: Range<usize>) -> Cell<'a> {
        let raw = &self.text[range.clone()];
        let text = raw.trim();
        let start = range.start + (raw.len() - raw.trim_start().len());
        Cell {
            text,
            range: start..start + text.len(),
        }
    }

    fn start_item(&mut self, range: Range<usize>) {
        let quoted = self
            .containers
            .iter()
            .any(|c| matches!(c, Container::Quote));
        let lists = self
            .containers
            .iter()
            .filter(|c| matches!(c, Container::List { .. }))
            .count();
        let (ordered, number) = match self.containers.last_mut() {
            Some(Container::List { next: Some(next) }) => {
                let number = *next;
                *next += 1;
                (true, Some(number))
            }
            _ => (false, None),
        };
        let line_index = self.line_index(range.start);
        let line = self.lines[line_index];
        let marker_text = &self.text[range.start.min(line.end())..line.end()];
        let (text, text_start) = read_marker(marker_text, range.start)
            .map_or(("", range.start), |marker| (marker.text, marker.text_start));
        let index = self.outline.list_items.len();
        self.outline.list_items.push(ListItem {
            ordered,
            number,
            depth: lists.saturating_sub(1),
            quoted,
            task: None,
            text,
            text_start,
            line,
            range: self.whole_lines(&range),
        });
        self.kinds[line_index] = Some(LineKind::Item(index));
        self.items.push(index);
    }

    fn end_heading(&mut self) {
        let Some(open) = self.heading.take() else {
            return;
        };
        let range = self.whole_lines(&open.range);
        let (text, text_start) = self.heading_text(&open);
        let index = self.outline.headings.len();
        let first_line = self.line_index(range.start);
        self.outline.headings.push(Heading {
            level: open.level,
            text,
            text_start,
            plain: open.plain,
            line: self.lines[first_line],
            range: range.clone(),
        });
        self.mark(&range, LineKind::Heading(index));
    }

    /// The source text of a heading: for `## Title ##`, from after the marks and the
    /// space to the end of the last inline part; for a setext heading, its inline parts.
    fn heading_text(&self, open: &OpenHeading) -> (&'a str, usize) {
        let source = &self.text[open.range.clone()];
        let indent = source.len() - source.trim_start_matches(' ').len();
        let from_marks = &source[indent..];
        let marks = from_marks.len() - from_marks.trim_start_matches('#').len();
        let after_marks = &from_marks[marks..];
        let is_atx = marks == usize::from(open.level)
            && (after_marks.is_empty() || after_marks.starts_with(char::is_whitespace));
        let start = if is_atx {
            let spaces = after_marks.len() - after_marks.trim_start_matches([' ', '\t']).len();
            open.range.start + indent + marks + spaces
        } else {
            open.inline.as_ref().map_or(open.range.start, |r| r.start)
        };
        let end = open.inline.as_ref().map_or(start, |r| r.end).max(start);
        let raw = &self.text[start..end];
        let text = raw.trim();
        (text, start + (raw.len() - raw.trim_start().len()))
    }

    fn end_code(&mut self) {
        let Some(open) = self.code.take() else {
            return;
        };
        let lines = open.content.as_ref().map_or_else(Vec::new, |content| {
            self.lines[self.line_index(content.start)..]
                .iter()
                .take_while(|line| line.start < content.end)
                .copied()
                .collect()
        });
        let opening = open
            .fenced
            .then(|| self.lines[self.line_index(open.range.start)]);
        let index = self.outline.code_blocks.len();
        self.mark(&open.range, LineKind::Code(index));
        self.outline.code_blocks.push(CodeBlock {
            fenced: open.fenced,
            language: open.language,
            text: open.text,
            range: open.range,
            opening,
            lines,
        });
    }

    /// Gives every line that `range` touches the kind `kind`.
    fn mark(&mut self, range: &Range<usize>, kind: LineKind) {
        let first = self.line_index(range.start);
        for index in first..self.lines.len() {
            let line = self.lines[index];
            if index > first && line.start >= range.end {
                break;
            }
            self.kinds[index] = Some(kind);
        }
    }

    /// The index of the line that holds `offset` (the last line for the end of the text).
    fn line_index(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|line| line.start <= offset)
            .saturating_sub(1)
    }

    /// `range` widened to whole lines: from the start of its first line to past the line
    /// ending of its last.
    fn whole_lines(&self, range: &Range<usize>) -> Range<usize> {
        let first = self.line_index(range.start);
        let start = self.lines.get(first).map_or(range.start, |line| line.start);
        let last_offset = if range.end > range.start && self.text[..range.end].ends_with('\n') {
            range.end - 1
        } else {
            range.end
        };
        let end = self
            .lines
            .get(self.line_index(last_offset))
            .map_or(range.end, |line| line.next);
        start..end.max(range.end)
    }

    fn finish(mut self) -> Outline<'a> {
        self.outline.lines = self
            .lines
            .iter()
            .zip(&self.kinds)
            .map(|(line, kind)| {
                let kind = kind.unwrap_or(if line.text.trim().is_empty() {
                    LineKind::Blank
                } else {
                    LineKind::Text
                });
                Line {
                    source: *line,
                    kind,
                }
            })
            .collect();
        self.outline
    }
}
