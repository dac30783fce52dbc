//! Plan reader, task comments: the shell comment lines around a task's `bd create` in,
//! the task's label, ETA, impact, named fields, named lists and notes out.
//!
//! `# Task 1.1: Short name` before the command names the task; after it,
//! `# ETA: 5 minutes` and `# Impact: ...` are the task's facts, `# Name: value` is a
//! field, `# Name:` followed by `#   1. item` / `#   - item` lines is a named list, and
//! any other comment is a note.

use crate::ingest::duration::parse_duration;
use crate::ingest::outline::{read_list_line, SourceLine};
use crate::model::plan::{BdCreate, Eta, NamedList, NamedValue, Task, Text};
use crate::model::span::{LineIndex, Span};

/// Longest label, in words, that `# Label: value` may have; longer text with a colon is a
/// sentence, i.e. a note.
const MAX_LABEL_WORDS: usize = 4;

/// What one comment line says, with file offsets of its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentLine<'a> {
    /// `# Task 1.1: Close public port`; the id and label are each optional.
    TaskLabel {
        id: Option<&'a str>,
        label: Option<&'a str>,
    },
    /// `# Steps:`.
    ListHeader { name: &'a str },
    /// `# Resources: 256MB RAM` (value start offset).
    Field {
        name: &'a str,
        value: &'a str,
        value_start: usize,
    },
    /// `#   1. item` (text start offset).
    Item {
        ordered: bool,
        text: &'a str,
        text_start: usize,
    },
    /// Anything else (text start offset).
    Note { text: &'a str, text_start: usize },
}

/// Classifies the text after a `#` that starts at file offset `body_start`.
pub fn classify_comment(body: &str, body_start: usize) -> CommentLine<'_> {
    let text = body.trim();
    let text_start = body_start + (body.len() - body.trim_start().len());
    if let Some(label) = parse_task_label(text) {
        return label;
    }
    if let Some(item) = read_list_line(text, text_start) {
        return CommentLine::Item {
            ordered: item.ordered,
            text: item.text,
            text_start: item.text_start,
        };
    }
    if let Some((name, value)) = split_label(text) {
        if value.is_empty() {
            return CommentLine::ListHeader { name };
        }
        let value_start = text_start + (text.len() - value.len());
        return CommentLine::Field {
            name,
            value,
            value_start,
        };
    }
    CommentLine::Note { text, text_start }
}

/// `Task 1.1: label`, `Task 2.3 - label`, `Task 4`, `Task: label`.
fn parse_task_label(text: &str) -> Option<CommentLine<'_>> {
    let rest = text.strip_prefix("Task")?;
    let rest = if let Some(after_colon) = rest.strip_prefix(':') {
        return Some(CommentLine::TaskLabel {
            id: None,
            label: non_empty(after_colon.trim()),
        });
    } else {
        rest.strip_prefix([' ', '\t'])?.trim_start()
    };
    let id_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let id = rest[..id_len].trim_end_matches('.');
    if !id.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let label = rest[id_len..]
        .trim_start()
        .trim_start_matches([':', '-', '—', '–'])
        .trim();
    Some(CommentLine::TaskLabel {
        id: Some(id),
        label: non_empty(label),
    })
}

fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// `Name: value` where the name is a short label and the colon ends a word (so a URL's
/// `https:` is not a label).
fn split_label(text: &str) -> Option<(&str, &str)> {
    let colon = text.find(':')?;
    let name = text[..colon].trim();
    let value = &text[colon + 1..];
    if !value.is_empty() && !value.starts_with([' ', '\t']) {
        return None;
    }
    let words = name.split_whitespace().count();
    let starts_with_letter = name.starts_with(|c: char| c.is_alphabetic());
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || " /-_&()'".contains(c));
    (starts_with_letter && plain && words <= MAX_LABEL_WORDS).then_some((name, value.trim()))
}

/// A task being read: its `bd create` line and the comments seen so far.
#[derive(Debug, Clone)]
pub struct TaskDraft {
    task: Task,
    open_list: Option<NamedList>,
}

impl TaskDraft {
    /// Starts a task; `label_span` is the span of its `# Task` comment, when it has one,
    /// so the task's span covers the comment, the command and the comments after it.
    pub fn new(
        id: String,
        epic: u32,
        label: Option<String>,
        creation: BdCreate,
        label_span: Option<Span>,
    ) -> Self {
        let span = match label_span {
            Some(first) if first.start < creation.span.start => Span {
                end: creation.span.end,
                ..first
            },
            _ => creation.span,
        };
        let task = Task {
            id,
            epic,
            label,
            creation,
            eta: None,
            impact: None,
            fields: Vec::new(),
            lists: Vec::new(),
            notes: Vec::new(),
            span,
        };
        TaskDraft {
            task,
            open_list: None,
        }
    }

    /// Adds one comment line (already classified) that follows the `bd create`.
    pub fn add_comment(
        &mut self,
        comment: CommentLine<'_>,
        line: SourceLine<'_>,
        index: &LineIndex,
    ) {
        let text_at = |text: &str, start: usize| Text {
            text: text.to_string(),
            span: index.span(start, start + text.len()),
        };
        self.task.span.end = self.task.span.end.max(line.end());
        match comment {
            CommentLine::Item {
                ordered,
                text,
                text_start,
            } => self.add_item(ordered, text_at(text, text_start), line, index),
            CommentLine::ListHeader { name } => {
                self.close_list();
                let (trimmed, start) = line.trimmed_start();
                self.open_list = Some(NamedList {
                    name: name.to_string(),
                    ordered: false,
                    items: Vec::new(),
                    span: index.span(start, start + trimmed.len()),
                });
            }
            CommentLine::Field {
                name,
                value,
                value_start,
            } => {
                self.close_list();
                self.add_field(name, text_at(value, value_start));
            }
            CommentLine::Note { text, text_start } => {
                self.close_list();
                self.task.notes.push(text_at(text, text_start));
            }
            CommentLine::TaskLabel { .. } => {}
        }
    }

    /// An item belongs to the open list; without one it is a note (`- item` as written).
    fn add_item(&mut self, ordered: bool, item: Text, line: SourceLine<'_>, index: &LineIndex) {
        if let Some(list) = self.open_list.as_mut() {
            // A list is ordered when all its items are numbered.
            list.ordered = ordered && (list.items.is_empty() || list.ordered);
            list.items.push(item);
            list.span.end = line.end();
            return;
        }
        let (trimmed, start) = line.trimmed_start();
        let body = trimmed.trim_start_matches('#').trim_start();
        let body_start = start + (trimmed.len() - body.len());
        let note = body.trim_end();
        self.task.notes.push(Text {
            text: note.to_string(),
            span: index.span(body_start, body_start + note.len()),
        });
    }

    fn add_field(&mut self, name: &str, value: Text) {
        if name.eq_ignore_ascii_case("eta") && self.task.eta.is_none() {
            self.task.eta = Some(Eta {
                duration: parse_duration(&value.text),
                raw: value.text,
                span: value.span,
            });
        } else if name.eq_ignore_ascii_case("impact") && self.task.impact.is_none() {
            self.task.impact = Some(value);
        } else {
            self.task.fields.push(NamedValue {
                name: name.to_string(),
                value: value.text,
                span: value.span,
            });
        }
    }

    /// A header with no items is kept as a note (`Steps:`), not as an empty list.
    fn close_list(&mut self) {
        let Some(list) = self.open_list.take() else {
            return;
        };
        if list.items.is_empty() {
            self.task.notes.push(Text {
                text: format!("{}:", list.name),
                span: list.span,
            });
        } else {
            self.task.lists.push(list);
        }
    }

    pub fn finish(mut self) -> Task {
        self.close_list();
        self.task
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::duration::DayLength;
    use crate::model::plan::Priority;

    fn kinds(body: &str) -> CommentLine<'_> {
        classify_comment(body, 0)
    }

    #[test]
    fn task_label_comment_gives_id_and_label() {
        assert_eq!(
            kinds(" Task 2.3: Rotate keys"),
            CommentLine::TaskLabel {
                id: Some("2.3"),
                label: Some("Rotate keys")
            }
        );
        assert_eq!(
            kinds(" Task 7 - Cleanup"),
            CommentLine::TaskLabel {
                id: Some("7"),
                label: Some("Cleanup")
            }
        );
        assert_eq!(
            kinds(" Task: Untitled"),
            CommentLine::TaskLabel {
                id: None,
                label: Some("Untitled")
            }
        );
        assert!(matches!(kinds(" Tasks later"), CommentLine::Note { .. }));
    }

    #[test]
    fn headers_fields_items_and_notes_are_told_apart() {
        assert_eq!(
            kinds(" Rollout:"),
            CommentLine::ListHeader { name: "Rollout" }
        );
        assert_eq!(
            kinds(" Owner: infra team"),
            CommentLine::Field {
                name: "Owner",
                value: "infra team",
                value_start: 8
            }
        );
        assert!(matches!(
            kinds("   2. restart nginx"),
            CommentLine::Item {
                ordered: true,
                text: "restart nginx",
                text_start: 6
            }
        ));
        assert!(matches!(
            kinds(" see https://example.org"),
            CommentLine::Note { .. }
        ));
        assert!(matches!(
            kinds(" This sentence is far too long for a label: yes"),
            CommentLine::Note { .. }
        ));
    }

    fn draft_from(comments: &[&str]) -> Task {
        let text = comments.join("\n");
        let index = LineIndex::new(&text);
        let creation = BdCreate {
            title: "T".to_string(),
            issue_type: "task".to_string(),
            priority: Some(Priority(1)),
            span: Span::default(),
        };
        let mut draft = TaskDraft::new("9.1".to_string(), 9, None, creation, None);
        let mut start = 0;
        for comment in comments {
            let line = SourceLine {
                text: comment,
                start,
                next: start + comment.len() + 1,
            };
            let (trimmed, offset) = line.trimmed_start();
            let body = trimmed.strip_prefix('#').expect("comment line");
            draft.add_comment(classify_comment(body, offset + 1), line, &index);
            start += comment.len() + 1;
        }
        draft.finish()
    }

    #[test]
    fn comments_after_bd_create_fill_the_task() {
        let task = draft_from(&[
            "# ETA: 1.5 hours",
            "# Impact: Fewer pages at night",
            "# Owner: on-call",
            "# Rollout:",
            "#   1. canary",
            "#   2. everyone",
            "# Remember the changelog",
            "# Checks:",
            "#   - smoke: green",
        ]);
        let eta = task.eta.expect("eta");
        let minutes = eta.minutes(DayLength::STANDARD_WORKDAY);
        assert_eq!((eta.raw.as_str(), minutes), ("1.5 hours", Some(90)));
        assert_eq!(eta.span.line, 1);
        assert_eq!(
            task.impact.map(|i| i.text),
            Some("Fewer pages at night".to_string())
        );
        assert_eq!(task.fields.len(), 1);
        assert_eq!(
            (task.fields[0].name.as_str(), task.fields[0].value.as_str()),
            ("Owner", "on-call")
        );
        assert_eq!(task.lists.len(), 2);
        assert_eq!(task.lists[0].name, "Rollout");
        assert!(task.lists[0].ordered);
        let items: Vec<&str> = task.lists[0]
            .items
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(items, ["canary", "everyone"]);
        assert!(!task.lists[1].ordered);
        assert_eq!(task.lists[1].items[0].text, "smoke: green");
        let notes: Vec<&str> = task.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes, ["Remember the changelog"]);
    }

    #[test]
    fn list_header_without_items_becomes_a_note_and_stray_item_too() {
        let task = draft_from(&["# Steps:", "# Plain remark", "#   - orphan item"]);
        assert!(task.lists.is_empty());
        let notes: Vec<&str> = task.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes, ["Steps:", "Plain remark", "- orphan item"]);
    }

    #[test]
    fn unreadable_eta_keeps_raw_text_without_minutes() {
        let task = draft_from(&["# ETA: when it is ready"]);
        let eta = task.eta.expect("eta");
        assert_eq!(eta.raw, "when it is ready");
        assert_eq!(eta.duration, None);
    }
}
