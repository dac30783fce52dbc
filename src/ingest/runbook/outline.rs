//! The runbook body's outline (ingest stage): markdown in, the byte ranges of its
//! headings, fenced code blocks and top-level ordered-list items out. pulldown-cmark
//! decides what is a heading or a list, so nothing inside a fence or an HTML block is
//! mistaken for one. Offsets are positions in the body string given.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// A heading: level, its plain text and the range of its whole line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingMark {
    pub level: u8,
    pub text: String,
    pub range: Range<usize>,
}

/// A code block: its fence language, its text and its range (fences included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeMark {
    pub language: Option<String>,
    pub text: String,
    pub range: Range<usize>,
}

/// An item of an ordered list that is not nested in another list or quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemMark {
    /// The item's number as shown (start of the list plus its position).
    pub number: u64,
    pub range: Range<usize>,
}

/// Everything the runbook reader needs to know about the body's structure.
#[derive(Debug, Default)]
pub struct Outline {
    pub headings: Vec<HeadingMark>,
    pub code: Vec<CodeMark>,
    pub items: Vec<ItemMark>,
}

impl Outline {
    /// True when `offset` lies inside a code block.
    pub fn in_code(&self, offset: usize) -> bool {
        self.code.iter().any(|c| c.range.contains(&offset))
    }
}

/// Reads the outline of `body`.
pub fn read_outline(body: &str) -> Outline {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let mut outline = Outline::default();
    let mut heading: Option<HeadingMark> = None;
    let mut code: Option<CodeMark> = None;
    // Nesting of lists and block quotes; only depth-0 ordered lists give steps.
    let mut containers: Vec<Option<u64>> = Vec::new();
    let mut next_number: Option<u64> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(HeadingMark {
                    level: level as u8,
                    text: String::new(),
                    range: line_range(body, range),
                });
            }
            Event::End(TagEnd::Heading(_)) => outline.headings.extend(heading.take()),
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                code = Some(CodeMark {
                    language,
                    text: String::new(),
                    range,
                });
            }
            Event::End(TagEnd::CodeBlock) => outline.code.extend(code.take()),
            // Inline HTML in a heading is part of its words (shown as text later).
            Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) => {
                if let Some(code) = code.as_mut() {
                    code.text.push_str(&text);
                } else if let Some(heading) = heading.as_mut() {
                    heading.text.push_str(&text);
                }
            }
            Event::Start(Tag::List(start)) => {
                if containers.is_empty() {
                    next_number = start;
                }
                containers.push(start);
            }
            Event::Start(Tag::BlockQuote(_)) => containers.push(None),
            Event::End(TagEnd::List(_)) | Event::End(TagEnd::BlockQuote(_)) => {
                containers.pop();
            }
            Event::Start(Tag::Item) if containers.len() == 1 => {
                if let (Some(Some(_)), Some(number)) = (containers.first(), next_number) {
                    outline.items.push(ItemMark {
                        number,
                        range: line_range(body, range),
                    });
                    next_number = Some(number + 1);
                }
            }
            _ => {}
        }
    }
    outline
}

/// Widens a range to whole lines (start of its first line, end of its last line).
fn line_range(body: &str, range: Range<usize>) -> Range<usize> {
    let start = body[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = if range.end > start && body[..range.end].ends_with('\n') {
        range.end
    } else {
        body[range.end..]
            .find('\n')
            .map_or(body.len(), |i| range.end + i + 1)
    };
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_inside_fences_are_not_headings() {
        let outline = read_outline("# T\n\n```md\n## not\n```\n\n## Real\n");
        let texts: Vec<&str> = outline.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts, ["T", "Real"]);
        assert_eq!(outline.code.len(), 1);
        assert!(outline.in_code(10));
    }

    #[test]
    fn inline_html_in_a_heading_stays_in_its_text() {
        let outline = read_outline("### Step 2: <script>x()</script>\n");
        assert_eq!(outline.headings[0].text, "Step 2: <script>x()</script>");
    }

    #[test]
    fn only_top_level_ordered_items_are_listed_with_their_numbers() {
        let body = "3. a\n   - x\n     1. nested\n4. b\n\n- bullet\n";
        let outline = read_outline(body);
        let numbers: Vec<u64> = outline.items.iter().map(|i| i.number).collect();
        assert_eq!(numbers, [3, 4]);
        assert_eq!(body[outline.items[1].range.clone()].trim_end(), "4. b");
    }
}
