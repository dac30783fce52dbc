//! Source positions. Every model element keeps the span of the text it came from, so a
//! diagnostic about it can name `path:line:col`.

use serde::Serialize;

/// A byte range in a source file plus the 1-based line and column (in characters) of its
/// start. Lines are lines of the whole file, front matter included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub col: u32,
}

impl Span {
    /// A span of zero length at a known line and column.
    pub fn point(offset: usize, line: u32, col: u32) -> Self {
        Span {
            start: offset,
            end: offset,
            line,
            col,
        }
    }
}

/// Maps byte offsets of one text to lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        let (line, col) = self.line_col(start);
        Span {
            start,
            end,
            line,
            col,
        }
    }

    /// Byte offset of the start of a 1-based line (the end of the text past the last line).
    pub fn line_start(&self, line: u32) -> usize {
        self.line_starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// A zero-length span at a 1-based line and character column, for readers that get a
    /// position as line and column (a JSON parser, tera, a line-by-line scan). The byte
    /// offset is that character's; a column past the end of the line stops at its end.
    pub fn point(&self, line: u32, col: u32) -> Span {
        let start = self.line_start(line);
        let end = self.line_start(line.saturating_add(1));
        let text = &self.text[start..end];
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        let within = text
            .char_indices()
            .nth(col.saturating_sub(1) as usize)
            .map_or(text.len(), |(index, _)| index);
        Span::point(start + within, line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let index = LineIndex::new("ab\nçé x\n");
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(3), (2, 1));
        // "çé " is 5 bytes but 3 characters.
        assert_eq!(index.line_col(8), (2, 4));
    }

    #[test]
    fn point_has_the_byte_offset_of_its_line_and_character_column() {
        let text = "ab\r\nçé x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.point(1, 1), Span::point(0, 1, 1));
        // Line 2 starts after `ab\r\n`; `x` is its 4th character and 6th byte.
        let x = index.point(2, 4);
        assert_eq!((x.start, x.line, x.col), (9, 2, 4));
        assert_eq!(&text[x.start..x.start + 1], "x");
        assert_eq!(index.line_col(x.start), (2, 4));
        // Past the end of a line: its end, before the line break.
        assert_eq!(index.point(1, 40).start, 2);
        assert_eq!(index.point(9, 1).start, text.len());
    }

    #[test]
    fn offset_past_the_end_is_clamped() {
        let index = LineIndex::new("a\nb");
        assert_eq!(index.line_col(99), (2, 2));
    }
}
