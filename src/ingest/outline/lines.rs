//! Outline, lines: a text and the offset where its markdown body starts in, the body's
//! lines with their positions in the whole file out; also the one reader of a list item
//! marker at the start of a line, which the outline uses for list items and which
//! conventions use on lines that are not markdown (the lines of a code block, shell
//! comments).

/// One line of the file, without its line ending (`\n` or `\r\n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLine<'a> {
    pub text: &'a str,
    /// Byte offset of the line's first character in the whole file.
    pub start: usize,
    /// Byte offset just past the line ending: where the next line starts.
    pub next: usize,
}

impl<'a> SourceLine<'a> {
    /// Byte offset just past the line's last character (before the line ending).
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// The line without leading whitespace, and the file offset where that text starts.
    pub fn trimmed_start(&self) -> (&'a str, usize) {
        let rest = self.text.trim_start();
        (rest, self.start + (self.text.len() - rest.len()))
    }
}

/// `body_start` moved back to a character boundary of `text` (and into it).
pub(super) fn clamp_to_boundary(text: &str, body_start: usize) -> usize {
    let mut start = body_start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    start
}

/// The lines of `text` from `body_start` on (see [`clamp_to_boundary`]), each with its
/// offset in the whole text.
pub(super) fn body_lines(text: &str, body_start: usize) -> Vec<SourceLine<'_>> {
    let start = clamp_to_boundary(text, body_start);
    let mut lines = Vec::new();
    let mut offset = start;
    for raw in text[start..].split_inclusive('\n') {
        let without_lf = raw.strip_suffix('\n').unwrap_or(raw);
        let line = without_lf.strip_suffix('\r').unwrap_or(without_lf);
        lines.push(SourceLine {
            text: line,
            start: offset,
            next: offset + raw.len(),
        });
        offset += raw.len();
    }
    lines
}

/// A list item marker and the text after it, read from the start of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListLine<'a> {
    /// `1.` or `1)` rather than `-`, `*` or `+`.
    pub ordered: bool,
    /// Text after the marker, trimmed (a task box `[ ]` is part of it).
    pub text: &'a str,
    /// File offset of `text`.
    pub text_start: usize,
}

/// Reads `- text`, `* text`, `+ text`, `1. text` or `1) text` at the start of `text`
/// (already left-trimmed, at file offset `text_start`). A lone `-` or `*` is not an
/// item here: on a line of its own it is more likely a rule or a stray mark.
pub fn read_list_line(text: &str, text_start: usize) -> Option<ListLine<'_>> {
    let line = read_marker(text, text_start)?;
    let lone_bullet = line.text.is_empty() && !line.ordered && text.starts_with(['-', '*']);
    (!lone_bullet).then_some(line)
}

/// The marker and text of a list item whose marker starts `text`, empty text allowed.
pub(super) fn read_marker(text: &str, text_start: usize) -> Option<ListLine<'_>> {
    let (ordered, marker_len) = if text.starts_with(['-', '*', '+']) {
        (false, 1)
    } else {
        let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after = &text[digits..];
        if digits == 0 || digits > 9 || !after.starts_with(['.', ')']) {
            return None;
        }
        (true, digits + 1)
    };
    let after = &text[marker_len..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let leading = after.len() - after.trim_start().len();
    Some(ListLine {
        ordered,
        text: after.trim(),
        text_start: text_start + marker_len + leading,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_lines_lose_their_carriage_return_but_keep_offsets() {
        let lines = body_lines("ab\r\ncd\r\n", 0);
        assert_eq!(lines[0].text, "ab");
        assert_eq!(lines[0].next, 4);
        assert_eq!(lines[1].text, "cd");
        assert_eq!(lines[1].start, 4);
        assert_eq!(lines[1].end(), 6);
    }

    #[test]
    fn body_start_inside_a_character_is_moved_back_to_its_boundary() {
        let lines = body_lines("é\nx", 1);
        assert_eq!(lines[0].text, "é");
        assert_eq!(lines[0].start, 0);
        assert_eq!(clamp_to_boundary("é", 99), 2);
    }

    #[test]
    fn list_lines_know_their_kind_and_text_offset() {
        let item = read_list_line("12. twelve", 10).expect("ordered item");
        assert!(item.ordered);
        assert_eq!(item.text, "twelve");
        assert_eq!(item.text_start, 14);
        let item = read_list_line("-  dash", 0).expect("bullet item");
        assert!(!item.ordered);
        assert_eq!(item.text, "dash");
        assert_eq!(item.text_start, 3);
        assert!(read_list_line("**bold**", 0).is_none());
        assert!(read_list_line("2025-12-23", 0).is_none());
        assert!(read_list_line("-", 0).is_none());
        assert_eq!(read_marker("-", 0).map(|m| m.text), Some(""));
    }
}
