//! Plan reader, first step: the markdown body in, a flat list of blocks out (headings,
//! fenced code blocks, list items, blank and other lines), each holding its position in
//! the whole file. Fenced code is grouped here so that nothing inside a fence can be
//! mistaken for a heading or a list item by the later steps.

/// One line of the file, without its line ending (`\n` or `\r\n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLine<'a> {
    pub text: &'a str,
    /// Byte offset of the line's first character in the whole file.
    pub start: usize,
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

/// An ATX heading (`## Title`) outside fenced code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading<'a> {
    pub level: u8,
    /// The heading text without the `#` marks, trimmed.
    pub text: &'a str,
    /// File offset of `text`.
    pub text_start: usize,
    pub line: SourceLine<'a>,
}

/// A fenced code block (```` ``` ```` or `~~~`), possibly unterminated (then it runs to
/// the end of the file, as in CommonMark).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence<'a> {
    /// The first word of the info string, lowercased (`bash`, `mermaid`, or empty).
    pub language: String,
    pub opening: SourceLine<'a>,
    /// The lines between the fences.
    pub lines: Vec<SourceLine<'a>>,
}

impl Fence<'_> {
    /// True for blocks whose lines are shell commands.
    pub fn is_shell(&self) -> bool {
        matches!(
            self.language.as_str(),
            "bash" | "sh" | "shell" | "zsh" | "console" | "shell-session"
        )
    }

    /// The block's content with lines joined by `\n` whatever the file's line endings,
    /// so CRLF and LF files give the same text.
    pub fn content(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|line| line.text).collect();
        lines.join("\n")
    }

    /// File offsets of the content, from the start of the first content line to the end
    /// of the last; an empty range after the opening fence when there is no content.
    pub fn content_range(&self) -> (usize, usize) {
        let start = self
            .lines
            .first()
            .map_or(self.opening.end(), |line| line.start);
        let end = self.lines.last().map_or(start, |line| line.end());
        (start, end)
    }
}

/// A list item line (`- text`, `* text`, `+ text`, `1. text`, `1) text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListItem<'a> {
    pub ordered: bool,
    /// Text after the marker, trimmed.
    pub text: &'a str,
    /// File offset of `text`.
    pub text_start: usize,
}

/// One element of the body, in source order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<'a> {
    Blank(SourceLine<'a>),
    Heading(Heading<'a>),
    Fence(Fence<'a>),
    Item(ListItem<'a>, SourceLine<'a>),
    /// Any other line: paragraph text, bold fields, rules.
    Text(SourceLine<'a>),
}

/// The lines of `text` from `body_start` on (clamped to a character boundary), each with
/// its offset in the whole text.
pub fn body_lines(text: &str, body_start: usize) -> Vec<SourceLine<'_>> {
    let mut start = body_start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut lines = Vec::new();
    let mut offset = start;
    let body = &text[start..];
    for raw in body.split_inclusive('\n') {
        let without_lf = raw.strip_suffix('\n').unwrap_or(raw);
        let line = without_lf.strip_suffix('\r').unwrap_or(without_lf);
        lines.push(SourceLine {
            text: line,
            start: offset,
        });
        offset += raw.len();
    }
    lines
}

/// Groups lines into blocks: fences first, then headings and list items.
pub fn split_blocks<'a>(lines: &[SourceLine<'a>]) -> Vec<Block<'a>> {
    let mut blocks = Vec::new();
    let mut index = 0;
    while let Some(line) = lines.get(index) {
        if let Some((marker, language)) = fence_opening(line.text) {
            let (fence, next) = read_fence(lines, index, marker, language);
            blocks.push(Block::Fence(fence));
            index = next;
            continue;
        }
        blocks.push(classify_line(*line));
        index += 1;
    }
    blocks
}

fn classify_line(line: SourceLine<'_>) -> Block<'_> {
    if line.text.trim().is_empty() {
        return Block::Blank(line);
    }
    if let Some(heading) = parse_heading(line) {
        return Block::Heading(heading);
    }
    let (rest, rest_start) = line.trimmed_start();
    if let Some(item) = parse_list_item(rest, rest_start) {
        return Block::Item(item, line);
    }
    Block::Text(line)
}

/// The fence marker (e.g. "```") and language of an opening fence line.
fn fence_opening(line: &str) -> Option<(&str, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let fence_char = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = rest.len() - rest.trim_start_matches(fence_char).len();
    if length < 3 {
        return None;
    }
    let (marker, info) = rest.split_at(length);
    if fence_char == '`' && info.contains('`') {
        return None;
    }
    let language = info.split_whitespace().next().unwrap_or("").to_lowercase();
    Some((marker, language))
}

fn is_fence_closing(line: &str, marker: &str) -> bool {
    let trimmed = line.trim();
    let fence_char = marker.chars().next().unwrap_or('`');
    let indent = line.len() - line.trim_start_matches(' ').len();
    indent <= 3 && trimmed.len() >= marker.len() && trimmed.chars().all(|c| c == fence_char)
}

fn read_fence<'a>(
    lines: &[SourceLine<'a>],
    open_index: usize,
    marker: &str,
    language: String,
) -> (Fence<'a>, usize) {
    let opening = lines[open_index];
    let mut content = Vec::new();
    let mut index = open_index + 1;
    while let Some(line) = lines.get(index) {
        index += 1;
        if is_fence_closing(line.text, marker) {
            break;
        }
        content.push(*line);
    }
    let fence = Fence {
        language,
        opening,
        lines: content,
    };
    (fence, index)
}

fn parse_heading(line: SourceLine<'_>) -> Option<Heading<'_>> {
    let indent = line.text.len() - line.text.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line.text[indent..];
    let level = rest.len() - rest.trim_start_matches('#').len();
    let after = &rest[level..];
    if !(1..=6).contains(&level) || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    // A closing run of `#` is not part of the text.
    let text = after.trim().trim_end_matches('#').trim_end();
    let text_start = line.start + indent + level + (after.len() - after.trim_start().len());
    Some(Heading {
        level: level as u8,
        text,
        text_start,
        line,
    })
}

/// Reads a list item marker at the start of `text` (already left-trimmed).
pub fn parse_list_item(text: &str, text_start: usize) -> Option<ListItem<'_>> {
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
    let item_text = after.trim();
    if item_text.is_empty() && !ordered && text.starts_with(['-', '*']) {
        // A lone `-` or `*` is not worth an item.
        return None;
    }
    let leading = after.len() - after.trim_start().len();
    Some(ListItem {
        ordered,
        text: item_text,
        text_start: text_start + marker_len + leading,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks_of(text: &str) -> Vec<Block<'_>> {
        split_blocks(&body_lines(text, 0))
    }

    #[test]
    fn heading_inside_fenced_code_is_not_a_heading() {
        let blocks = blocks_of("# Title\n```bash\n# not a heading\n## nor this\n```\n## Real\n");
        let headings: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) => Some(h.text),
                _ => None,
            })
            .collect();
        assert_eq!(headings, ["Title", "Real"]);
    }

    #[test]
    fn fence_keeps_language_and_content_lines() {
        let blocks = blocks_of("```Bash extra\nbd ready\n  bd sync\n```\nafter\n");
        let Block::Fence(fence) = &blocks[0] else {
            panic!("expected a fence, got {blocks:?}");
        };
        assert_eq!(fence.language, "bash");
        assert!(fence.is_shell());
        assert_eq!(fence.content(), "bd ready\n  bd sync");
        assert!(matches!(blocks[1], Block::Text(line) if line.text == "after"));
    }

    #[test]
    fn tilde_fence_is_not_closed_by_backticks() {
        let blocks = blocks_of("~~~\n```\n# inside\n~~~\n");
        assert_eq!(blocks.len(), 1);
        let Block::Fence(fence) = &blocks[0] else {
            panic!("expected a fence");
        };
        assert_eq!(fence.lines.len(), 2);
    }

    #[test]
    fn unterminated_fence_runs_to_end_of_file() {
        let blocks = blocks_of("```\n## hidden\n");
        assert_eq!(blocks.len(), 1);
    }

    #[test]
    fn crlf_lines_lose_their_carriage_return_but_keep_offsets() {
        let lines = body_lines("ab\r\ncd\r\n", 0);
        assert_eq!(lines[0].text, "ab");
        assert_eq!(lines[1].text, "cd");
        assert_eq!(lines[1].start, 4);
    }

    #[test]
    fn body_start_inside_a_character_is_moved_back_to_its_boundary() {
        let lines = body_lines("é\nx", 1);
        assert_eq!(lines[0].text, "é");
        assert_eq!(lines[0].start, 0);
    }

    #[test]
    fn list_items_know_their_kind_and_text_offset() {
        let item = parse_list_item("12. twelve", 10).expect("ordered item");
        assert!(item.ordered);
        assert_eq!(item.text, "twelve");
        assert_eq!(item.text_start, 14);
        let item = parse_list_item("-  dash", 0).expect("bullet item");
        assert!(!item.ordered);
        assert_eq!(item.text, "dash");
        assert_eq!(item.text_start, 3);
        assert!(parse_list_item("**bold**", 0).is_none());
        assert!(parse_list_item("2025-12-23", 0).is_none());
    }

    #[test]
    fn heading_needs_a_space_after_the_marks() {
        assert!(blocks_of("#hashtag\n")
            .iter()
            .all(|b| !matches!(b, Block::Heading(_))));
        let blocks = blocks_of("### Day 1 ###\n");
        assert!(matches!(&blocks[0], Block::Heading(h) if h.level == 3 && h.text == "Day 1"));
    }
}
