//! Bold-label metadata lines (ingest stage): `**Severity:** P0 (Critical)`,
//! `**MTTR Target:** 10 minutes`, `**Last Updated:** 2026-01-04`. Takes the body's
//! outline (which reads the labels), gives each label a runbook field names, with the
//! field it sets and where its value is. Labels the runbook conventions do not name
//! (`**Symptoms:**`) are left as content.

use std::ops::Range;

use crate::ingest::outline::Outline;

/// A runbook fact that a label or a front matter key can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Severity,
    Mttr,
    Rto,
    Rpo,
    Status,
    Owner,
    LastUpdated,
    LastTested,
    ReviewInterval,
    Alerts,
    RelatedTasks,
}

impl Field {
    /// The front matter key for the field.
    pub fn front_matter_key(self) -> &'static str {
        match self {
            Field::Severity => "severity",
            Field::Mttr => "mttr",
            Field::Rto => "rto",
            Field::Rpo => "rpo",
            Field::Status => "status",
            Field::Owner => "owner",
            Field::LastUpdated => "updated",
            Field::LastTested => "last_tested",
            Field::ReviewInterval => "review_interval",
            Field::Alerts => "alerts",
            Field::RelatedTasks => "related_tasks",
        }
    }
}

/// The field a label names, compared without case, punctuation or a trailing "Target".
fn field_of_label(label: &str) -> Option<Field> {
    let words: String = label
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "target" && *w != "targets")
        .collect::<Vec<_>>()
        .join(" ");
    let field = match words.as_str() {
        "severity" | "priority" | "incident severity" => Field::Severity,
        "mttr" | "time to recover" | "mean time to recovery" => Field::Mttr,
        "rto" | "recovery time objective" => Field::Rto,
        "rpo" | "recovery point objective" => Field::Rpo,
        "status" => Field::Status,
        "owner" | "owners" | "maintainer" => Field::Owner,
        "last updated" | "updated" | "last reviewed" => Field::LastUpdated,
        "last tested" | "last drill" | "last exercised" => Field::LastTested,
        "review frequency" | "review interval" | "review cycle" => Field::ReviewInterval,
        "alerts" | "alert" => Field::Alerts,
        "related tasks" | "tasks" | "related task" => Field::RelatedTasks,
        _ => return None,
    };
    Some(field)
}

/// One recognised label line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelLine {
    pub field: Field,
    /// The value with surrounding space and markup removed.
    pub value: String,
    /// Where the value starts and ends in the file.
    pub value_range: Range<usize>,
    /// The whole line, line break included, so it can be left out of the content.
    pub line_range: Range<usize>,
}

/// Every recognised label of the body outside code blocks, in order. When a field is
/// given twice, both are returned; the first one counts. A line with a recognised label
/// is a metadata line as a whole.
pub fn find_label_lines(outline: &Outline) -> Vec<LabelLine> {
    let mut lines = Vec::new();
    for found in outline.label_lines(outline.body_start..outline.body_end) {
        for label in &found.labels {
            let Some(field) = field_of_label(label.label) else {
                continue;
            };
            if label.value.is_empty() {
                continue;
            }
            lines.push(LabelLine {
                field,
                value: label.value.trim_matches('*').trim().to_string(),
                value_range: label.value_start..label.end,
                line_range: found.line.start..found.line.next,
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::outline::read_outline;

    #[test]
    fn known_labels_give_fields_and_value_positions() {
        let body = "**Severity:** P0 (Critical)  \n**MTTR Target:** 10 minutes\n- **Owner**: sre\n**Symptoms:** slow\n**Status:** **Active**\n";
        let lines = find_label_lines(&read_outline(body, 0));
        let fields: Vec<Field> = lines.iter().map(|l| l.field).collect();
        assert_eq!(
            fields,
            [Field::Severity, Field::Mttr, Field::Owner, Field::Status]
        );
        assert_eq!(lines[0].value, "P0 (Critical)");
        assert_eq!(&body[lines[0].value_range.clone()], "P0 (Critical)");
        assert_eq!(&body[lines[2].value_range.clone()], "sre");
        assert_eq!(&body[lines[2].line_range.clone()], "- **Owner**: sre\n");
        assert_eq!(lines[3].value, "Active");
    }

    #[test]
    fn labels_inside_code_are_ignored() {
        let body = "```\n**Status:** Active\n```\n";
        assert!(find_label_lines(&read_outline(body, 0)).is_empty());
    }

    #[test]
    fn positions_are_in_the_whole_file() {
        let text = "---\ntitle: x\n---\n**Owner:** sre\n";
        let lines = find_label_lines(&read_outline(text, 17));
        assert_eq!(&text[lines[0].value_range.clone()], "sre");
        assert_eq!(lines[0].line_range, 17..text.len());
    }
}
