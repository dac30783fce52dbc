//! The alert runbook convention (ingest stage): runbooks written as Meaning / Impact /
//! Diagnosis / Mitigation (the Prometheus and Kubernetes runbook sites) say what to do in
//! prose, not in numbered steps. In their Diagnosis and Mitigation sections, when the
//! other conventions find no step there, each instruction is a step: a paragraph with
//! the code blocks right after it (its commands), an item of a bullet list, or a code
//! block that stands alone. What is not an instruction stays text: a paragraph that leads
//! into a list (`Other things to check:`), a list of bare links (references), a
//! line an author left as a to-do marker for later and anything inside a raw HTML element such as `<details>`.
//!
//! Takes the shared outline; gives each step's range, title and body range in the file.

use std::ops::Range;

use crate::ingest::outline::{ListItem, Outline};
use crate::model::runbook::SectionKind;

/// One step found in prose: its whole range, its title and the range of its body (the
/// text after the title; the whole instruction when the title is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProseStep {
    pub range: Range<usize>,
    pub title: String,
    pub body: Range<usize>,
}

/// True for a runbook whose sections follow the convention: at least two of Meaning,
/// Impact, Diagnosis and Mitigation, one of them Diagnosis or Mitigation.
pub fn follows_alert_convention(kinds: &[SectionKind]) -> bool {
    use SectionKind::{Diagnosis, Impact, Meaning, Mitigation};
    let named = [Meaning, Impact, Diagnosis, Mitigation]
        .iter()
        .filter(|kind| kinds.contains(kind))
        .count();
    named >= 2 && (kinds.contains(&Diagnosis) || kinds.contains(&Mitigation))
}

/// True for the sections whose instructions are steps.
pub fn has_prose_steps(kind: SectionKind) -> bool {
    matches!(kind, SectionKind::Diagnosis | SectionKind::Mitigation)
}

/// A piece of the section that may be (part of) a step.
#[derive(Debug, Clone)]
enum Candidate<'o, 'a> {
    Paragraph(Range<usize>),
    Code(Range<usize>),
    Item(&'o ListItem<'a>),
}

impl Candidate<'_, '_> {
    fn range(&self) -> Range<usize> {
        match self {
            Candidate::Paragraph(range) | Candidate::Code(range) => range.clone(),
            Candidate::Item(item) => item.range.clone(),
        }
    }
}

/// The steps of the section body `range` of `text`, in order.
pub fn prose_steps(outline: &Outline, text: &str, range: Range<usize>) -> Vec<ProseStep> {
    let candidates = candidates(outline, text, range);
    let mut steps: Vec<ProseStep> = Vec::new();
    // Whether the last step may still take the code blocks that follow it.
    let mut open = false;
    for candidate in &candidates {
        let range = candidate.range();
        match candidate {
            Candidate::Code(_) => {
                let last = steps.last_mut().filter(|_| open);
                match last {
                    Some(step) if text[step.range.end..range.start].trim().is_empty() => {
                        step.range.end = range.end;
                        step.body.end = range.end;
                    }
                    _ => steps.push(code_step(outline, range)),
                }
                open = true;
            }
            Candidate::Paragraph(_) => {
                let paragraph = text[range.clone()].trim();
                let leads_into_list = paragraph.ends_with(':')
                    && outline.list_items.iter().any(|item| {
                        item.range.start >= range.end
                            && text[range.end..item.range.start].trim().is_empty()
                    });
                if leads_into_list || is_placeholder(paragraph) || is_label(paragraph) {
                    open = false;
                    continue;
                }
                steps.push(paragraph_step(outline, text, range));
                open = true;
            }
            Candidate::Item(item) => {
                steps.push(item_step(item));
                open = false;
            }
        }
    }
    steps
}

/// Top-level paragraphs, code blocks and bullet items of `range`, in order, leaving out
/// what sits inside a raw HTML element and the items of lists of bare links.
fn candidates<'o, 'a>(
    outline: &'o Outline<'a>,
    text: &str,
    range: Range<usize>,
) -> Vec<Candidate<'o, 'a>> {
    let inside_html = html_element_ranges(outline);
    let usable =
        |start: usize| range.contains(&start) && !inside_html.iter().any(|r| r.contains(&start));
    let top_items: Vec<&ListItem> = outline
        .list_items
        .iter()
        .filter(|item| item.depth == 0 && !item.quoted && usable(item.range.start))
        .collect();
    let in_item = |start: usize| top_items.iter().any(|item| item.range.contains(&start));
    let mut found: Vec<Candidate> = Vec::new();
    found.extend(
        outline
            .paragraphs
            .iter()
            .filter(|p| p.top_level && usable(p.range.start))
            .map(|p| Candidate::Paragraph(p.range.clone())),
    );
    found.extend(
        outline
            .code_blocks
            .iter()
            .filter(|code| usable(code.range.start) && !in_item(code.range.start))
            .filter(|code| !line_is_quoted(text, code.range.start))
            .map(|code| Candidate::Code(code.range.clone())),
    );
    for list in lists(text, &top_items) {
        if list.iter().any(|item| item.ordered) || list.iter().all(|item| is_bare_link(text, item))
        {
            continue;
        }
        found.extend(list.into_iter().map(Candidate::Item));
    }
    found.sort_by_key(|candidate| candidate.range().start);
    found
}

/// Groups top-level items into lists: items with only blank lines between them.
fn lists<'o, 'a>(text: &str, items: &[&'o ListItem<'a>]) -> Vec<Vec<&'o ListItem<'a>>> {
    let mut lists: Vec<Vec<&ListItem>> = Vec::new();
    for item in items {
        let joins = lists
            .last()
            .and_then(|list| list.last())
            .is_some_and(|last| {
                last.ordered == item.ordered
                    && last.range.end <= item.range.start
                    && text[last.range.end..item.range.start].trim().is_empty()
            });
        match lists.last_mut() {
            Some(list) if joins => list.push(item),
            _ => lists.push(vec![item]),
        }
    }
    lists
}

/// An item that is only a link (`- [1](https://...)`): a reference, not an instruction.
fn is_bare_link(text: &str, item: &ListItem) -> bool {
    let first = item.text.trim();
    let markdown_link = first.starts_with('[')
        && first.ends_with(')')
        && first
            .find("](")
            .is_some_and(|i| !first[i + 2..].contains(char::is_whitespace));
    let autolink = first.starts_with('<') && first.ends_with('>') && first.contains("://");
    let url = first.starts_with("http") && first.contains("://") && !first.contains(' ');
    let more_lines = &text[item.line.next.min(item.range.end)..item.range.end];
    more_lines.trim().is_empty() && (markdown_link || autolink || url)
}

/// A paragraph that is only a bold label (`**When mixed with other alerts**:`): it names
/// what follows, as a heading would.
fn is_label(paragraph: &str) -> bool {
    let text = paragraph.trim().trim_end_matches(':');
    let inner = text
        .strip_prefix("**")
        .and_then(|t| t.strip_suffix("**"))
        .or_else(|| text.strip_prefix("__").and_then(|t| t.strip_suffix("__")));
    inner.is_some_and(|inner| !inner.contains("**") && !inner.contains('\n'))
}

/// A paragraph that only holds a placeholder for text to come.
fn is_placeholder(paragraph: &str) -> bool {
    let word = paragraph.trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
    ["todo", "tbd", "fixme", "tba", "n/a", "wip"].contains(&word.to_lowercase().as_str())
}

fn line_is_quoted(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..].trim_start().starts_with('>')
}

/// The ranges between a raw HTML block that opens an element (`<details>`) and the block
/// that closes it; what is inside belongs to the element, not to a step.
fn html_element_ranges(outline: &Outline) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for block in &outline.html_blocks {
        let before = depth;
        depth = open_element_depth(block.text, depth);
        if before == 0 && depth > 0 {
            start = block.range.end;
        } else if before > 0 && depth == 0 {
            ranges.push(start..block.range.start);
        }
    }
    if depth > 0 {
        ranges.push(start..outline.body_end);
    }
    ranges
}

/// Elements that have no end tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// How many elements are open after `html`, starting from `depth`.
fn open_element_depth(html: &str, mut depth: usize) -> usize {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - name_start);
        if name_len == 0 {
            continue;
        }
        let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let self_closing = rest[..tag_end].ends_with('/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing && !VOID_ELEMENTS.contains(&name.as_str()) {
            depth += 1;
        }
    }
    depth
}

/// A paragraph's step: its first sentence is the title and the rest the body, unless
/// that sentence holds a link, an image or HTML (a title is plain text and would lose
/// it): then the whole paragraph is the body.
fn paragraph_step(outline: &Outline, text: &str, range: Range<usize>) -> ProseStep {
    let paragraph = &text[range.clone()];
    let leading = paragraph.len() - paragraph.trim_start().len();
    let start = range.start + leading;
    match first_sentence_end(outline, text, start, range.end) {
        Some(end) => ProseStep {
            title: plain_words(&text[start..end]),
            body: end..range.end,
            range,
        },
        None => ProseStep {
            title: String::new(),
            body: range.clone(),
            range,
        },
    }
}

/// Where the first sentence starting at `start` ends (after its `.`, `!` or `?`),
/// when it can be a title: plain words, not too long.
fn first_sentence_end(outline: &Outline, text: &str, start: usize, end: usize) -> Option<usize> {
    let paragraph = &text[start..end];
    let mut sentence_end = paragraph.trim_end().len();
    for (at, c) in paragraph.char_indices() {
        if !matches!(c, '.' | '!' | '?')
            || outline.code_spans.iter().any(|r| r.contains(&(start + at)))
        {
            continue;
        }
        let after = &paragraph[at + 1..];
        let next_word = after.trim_start_matches([' ', '\t', '\r', '\n']);
        let ends = after.starts_with(char::is_whitespace)
            && next_word.starts_with(|n: char| n.is_uppercase() || n == '`' || n == '[');
        if ends {
            sentence_end = at + 1;
            break;
        }
    }
    let sentence = &paragraph[..sentence_end];
    // `<node>` in a code span is text; a link or tag outside one is markup.
    let has_markup = sentence.char_indices().any(|(at, c)| {
        matches!(c, '[' | '<') && !outline.code_spans.iter().any(|r| r.contains(&(start + at)))
    });
    (!has_markup && sentence.chars().count() <= 200).then_some(start + sentence_end)
}

/// A bullet item's step: its first line is the title unless it holds a link (then the
/// item's whole text is the body).
fn item_step(item: &ListItem) -> ProseStep {
    let first_line_end = item.line.next.min(item.range.end);
    if item.text.contains('[') || item.text.contains('<') {
        return ProseStep {
            range: item.range.clone(),
            title: String::new(),
            body: item.text_start..item.range.end,
        };
    }
    ProseStep {
        range: item.range.clone(),
        title: plain_words(item.text),
        body: first_line_end..item.range.end,
    }
}

/// A code block with no instruction before it: its first command is the title.
fn code_step(outline: &Outline, range: Range<usize>) -> ProseStep {
    let command = outline
        .code_blocks
        .iter()
        .find(|code| code.range == range)
        .and_then(|code| {
            code.lines
                .iter()
                .map(|line| line.text.trim())
                .find(|line| !line.is_empty())
                .map(|line| line.trim_start_matches(['$', '#', '>']).trim().to_string())
        })
        .unwrap_or_default();
    let title = if command.chars().count() > 80 {
        format!("Run {}…", command.chars().take(78).collect::<String>())
    } else if command.is_empty() {
        String::new()
    } else {
        format!("Run {command}")
    };
    ProseStep {
        body: range.clone(),
        range,
        title,
    }
}

/// The words of a line of markdown: emphasis and code marks removed, line breaks made
/// spaces, a trailing `:` or `.` dropped.
fn plain_words(markdown: &str) -> String {
    let words: Vec<&str> = markdown.split_whitespace().collect();
    words
        .join(" ")
        .replace("**", "")
        .replace("__", "")
        .replace('`', "")
        .trim_end_matches([':', '.'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::outline::read_outline;

    fn steps(body: &str) -> Vec<(String, String)> {
        let outline = read_outline(body, 0);
        prose_steps(&outline, body, 0..body.len())
            .into_iter()
            .map(|step| (step.title, body[step.body].trim().to_string()))
            .collect()
    }

    #[test]
    fn a_paragraph_and_the_code_after_it_are_one_step_titled_by_its_first_sentence() {
        let body = "Verify the `config-reloader` logs. Here an example.\n\n```shell\n$ kubectl logs x\n```\n\nYou can also check the file, e.g. the default one.\n";
        let found = steps(body);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "Verify the config-reloader logs");
        assert!(found[0].1.starts_with("Here an example."), "{found:?}");
        assert!(found[0].1.ends_with("```"), "{found:?}");
        assert_eq!(
            found[1].0,
            "You can also check the file, e.g. the default one"
        );
    }

    #[test]
    fn a_paragraph_of_one_placeholder_word_is_a_placeholder_in_any_case() {
        for word in ["tbd", "Tbd.", "todo:", "(wip)", "n/a", "tba", "fixme"] {
            assert!(is_placeholder(word), "{word}");
        }
        for text in ["tbd soon", "Restart it", "wipe the cache"] {
            assert!(!is_placeholder(text), "{text}");
        }
    }

    #[test]
    fn bullets_are_steps_but_lead_ins_references_and_placeholders_are_not() {
        let body = "TBD\n\n**When it is the disk**:\n\nOther things to check:\n\n- app waits for the database\n- read only filesystem\n\nReferences:\n\n- [1](https://a.io/x)\n- [2](https://b.io/y)\n";
        let found = steps(body);
        let titles: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            titles,
            ["app waits for the database", "read only filesystem"]
        );
    }

    #[test]
    fn a_tag_in_a_code_span_is_text_in_a_title() {
        let body =
            "Count the pods by running `kubectl get pods --field-selector spec.nodeName=<node>`\n";
        let found = steps(body);
        assert_eq!(
            found[0].0,
            "Count the pods by running kubectl get pods --field-selector spec.nodeName=<node>"
        );
    }

    #[test]
    fn a_sentence_with_a_link_is_kept_whole_in_the_body() {
        let body = "See [the other runbook](./Other.md) for mitigation steps.\n\n- [Increase the queue](https://x.io/q)\n- Spread services\n";
        let found = steps(body);
        assert_eq!(found[0].0, "");
        assert!(
            found[0].1.starts_with("See [the other runbook]"),
            "{found:?}"
        );
        assert_eq!(found[1].0, "");
        assert_eq!(found[1].1, "[Increase the queue](https://x.io/q)");
        assert_eq!(found[2].0, "Spread services");
    }

    #[test]
    fn a_lone_code_block_is_a_step_named_by_its_command() {
        let body = "```shell\nkubectl get pod -l app=alertmanager\n\nNAME READY\n```\n\nFind the root cause in the events.\n";
        let found = steps(body);
        assert_eq!(found[0].0, "Run kubectl get pod -l app=alertmanager");
        assert_eq!(found[1].0, "Find the root cause in the events");
    }

    #[test]
    fn what_sits_inside_details_is_not_a_step() {
        let body = "<details>\n<summary>Context</summary>\n\nThe filesystem fills.\n\n</details>\n\nClean up the images.\n";
        let found = steps(body);
        let titles: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(titles, ["Clean up the images"]);
    }

    #[test]
    fn the_convention_needs_two_of_its_sections_one_of_them_an_action() {
        use SectionKind::*;
        assert!(follows_alert_convention(&[
            Meaning, Impact, Diagnosis, Mitigation
        ]));
        assert!(follows_alert_convention(&[Other, Diagnosis, Mitigation]));
        assert!(!follows_alert_convention(&[Meaning, Impact]));
        assert!(!follows_alert_convention(&[Detection, Diagnosis]));
    }
}
