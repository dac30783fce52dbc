//! Markdown to searchable text (render stage, behind the `markdown` module so
//! pulldown-cmark stays in one place). Takes a page's markdown, gives its headings (with
//! the ids the HTML gives them), the lines of its code blocks and its prose as plain
//! text, each bounded so one huge page cannot swell the search index.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::parser_options;
use crate::model::anchor::{slugify, IdAllocator};

/// Limits per page.
#[derive(Debug, Clone, Copy)]
pub struct TextLimits {
    pub headings: usize,
    pub code_lines: usize,
    /// Characters of one heading or code line.
    pub line_chars: usize,
    /// Characters of prose.
    pub text_chars: usize,
}

/// One heading: its text and the id of the `<hN>` the HTML renderer writes for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingText {
    pub text: String,
    pub id: String,
}

/// The searchable text of one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlainText {
    pub headings: Vec<HeadingText>,
    /// Non-empty lines of code blocks, trimmed, each once.
    pub code_lines: Vec<String>,
    /// Paragraphs, list items, table cells and inline code, whitespace collapsed.
    pub text: String,
}

/// Where the walk over events is.
enum Inside {
    Prose,
    Heading { id: Option<String>, text: String },
    Code,
}

/// Reads `markdown` once, in order, keeping what fits in `limits`.
pub fn plain_text(markdown: &str, limits: TextLimits) -> PlainText {
    let mut out = PlainText::default();
    let mut ids = IdAllocator::default();
    let mut inside = Inside::Prose;
    for event in Parser::new_ext(markdown, parser_options()) {
        inside = match (inside, event) {
            (Inside::Prose, Event::Start(Tag::Heading { id, .. })) => Inside::Heading {
                id: id.map(|id| id.to_string()),
                text: String::new(),
            },
            (Inside::Heading { id, text }, Event::End(TagEnd::Heading(_))) => {
                let id = ids.allocate(&id.unwrap_or_else(|| slugify(&text)));
                if out.headings.len() < limits.headings {
                    let text = truncate(text.trim(), limits.line_chars).to_string();
                    out.headings.push(HeadingText { text, id });
                }
                Inside::Prose
            }
            (Inside::Heading { id, mut text }, Event::Text(t) | Event::Code(t)) => {
                text.push_str(&t);
                Inside::Heading { id, text }
            }
            (Inside::Prose, Event::Start(Tag::CodeBlock(_))) => Inside::Code,
            (Inside::Code, Event::End(TagEnd::CodeBlock)) => Inside::Prose,
            (Inside::Code, Event::Text(t)) => {
                push_code_lines(&mut out.code_lines, &t, limits);
                Inside::Code
            }
            (Inside::Prose, Event::Text(t) | Event::Code(t)) => {
                push_prose(&mut out.text, &t, limits.text_chars);
                Inside::Prose
            }
            (Inside::Prose, event) if separates_words(&event) => {
                push_prose(&mut out.text, " ", limits.text_chars);
                Inside::Prose
            }
            (inside, _) => inside,
        };
    }
    out.text.truncate(out.text.trim_end().len());
    out
}

/// Line breaks and the ends of blocks (paragraphs, items, cells) separate words; the end
/// of emphasis or a link does not (`**Owner:**,` stays `Owner:,`).
fn separates_words(event: &Event) -> bool {
    match event {
        Event::SoftBreak | Event::HardBreak => true,
        Event::End(end) => !matches!(
            end,
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link | TagEnd::Strikethrough
        ),
        _ => false,
    }
}

fn push_code_lines(lines: &mut Vec<String>, code: &str, limits: TextLimits) {
    for line in code.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if lines.len() >= limits.code_lines {
            return;
        }
        let line = truncate(line, limits.line_chars);
        if !lines.iter().any(|known| known == line) {
            lines.push(line.to_string());
        }
    }
}

/// Appends text with runs of whitespace collapsed to one space, up to `max` bytes.
fn push_prose(out: &mut String, text: &str, max: usize) {
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        if out.len() + c.len_utf8() > max {
            return;
        }
        out.push(c);
    }
}

/// At most `max` characters of `text`.
fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: TextLimits = TextLimits {
        headings: 10,
        code_lines: 10,
        line_chars: 40,
        text_chars: 200,
    };

    #[test]
    fn headings_code_lines_and_prose_are_separated() {
        let md = "# Restore `pg`\n\nWhen *FATAL: too many connections* shows,\nrun `psql`.\n\n```bash\n  pg_restore -d app dump.sql\n\npg_restore -d app dump.sql\n```\n\n## Check {#verify}\n\n- one\n- two\n";
        let text = plain_text(md, LIMITS);
        let headings: Vec<(&str, &str)> = text
            .headings
            .iter()
            .map(|h| (h.text.as_str(), h.id.as_str()))
            .collect();
        assert_eq!(
            headings,
            [("Restore pg", "restore-pg"), ("Check", "verify")]
        );
        assert_eq!(text.code_lines, ["pg_restore -d app dump.sql"]);
        assert_eq!(
            text.text,
            "When FATAL: too many connections shows, run psql. one two"
        );
    }

    #[test]
    fn repeated_headings_get_the_same_ids_as_the_html() {
        let text = plain_text("## Step\n\n## Step\n", LIMITS);
        let ids: Vec<&str> = text.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["step", "step-1"]);
    }

    #[test]
    fn every_part_is_bounded() {
        let long_line = "x".repeat(100);
        let md = format!(
            "```\n{long_line}\n{}\n```\n\n{}",
            (0..30)
                .map(|i| format!("cmd {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
            "word ".repeat(100)
        );
        let text = plain_text(&md, LIMITS);
        assert_eq!(text.code_lines.len(), 10);
        assert_eq!(text.code_lines[0].chars().count(), 40);
        assert!(text.text.len() <= 200);
    }
}
