//! Bold-label metadata lines (ingest stage): `**Severity:** P0 (Critical)`,
//! `**MTTR Target:** 10 minutes`, `**Last Updated:** 2026-01-04`. Takes the body and its
//! outline, gives each recognised label line with the field it sets and where its value
//! is. Labels the runbook conventions do not name (`**Symptoms:**`) are left as content.

use std::ops::Range;

use super::outline::Outline;

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
    /// Where the value starts and ends in the body.
    pub value_range: Range<usize>,
    /// The whole line, line break included, so it can be left out of the content.
    pub line_range: Range<usize>,
}

/// Every recognised label line of `body` outside code blocks, in order. When a field is
/// given twice, both lines are returned; the first one counts.
pub fn find_label_lines(body: &str, outline: &Outline) -> Vec<LabelLine> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if !outline.in_code(offset) {
            if let Some(found) = read_label_line(line, offset) {
                lines.push(found);
            }
        }
        offset += line.len();
    }
    lines
}

/// `**Label:** value` or `**Label**: value`, optionally as a list item.
fn read_label_line(line: &str, offset: usize) -> Option<LabelLine> {
    let content = line.trim_end();
    let indent = content.len() - content.trim_start().len();
    let mut rest = content.trim_start();
    if let Some(item) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("* ")) {
        rest = item;
    }
    let inner = rest.strip_prefix("**")?;
    let close = inner.find("**")?;
    let (label, after) = (&inner[..close], &inner[close + 2..]);
    let (label, after) = match label.strip_suffix(':') {
        Some(label) => (label, after),
        None => (label, after.strip_prefix(':')?),
    };
    let field = field_of_label(label)?;
    let value = after.trim();
    if value.is_empty() {
        return None;
    }
    let value_start = offset
        + indent
        + (content.trim_start().len() - after.len())
        + (after.len() - after.trim_start().len());
    Some(LabelLine {
        field,
        value: value.trim_matches('*').trim().to_string(),
        value_range: value_start..value_start + value.len(),
        line_range: offset..offset + line.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::outline::read_outline;
    use super::*;

    #[test]
    fn known_labels_give_fields_and_value_positions() {
        let body = "**Severity:** P0 (Critical)  \n**MTTR Target:** 10 minutes\n- **Owner**: sre\n**Symptoms:** slow\n";
        let lines = find_label_lines(body, &read_outline(body));
        let fields: Vec<Field> = lines.iter().map(|l| l.field).collect();
        assert_eq!(fields, [Field::Severity, Field::Mttr, Field::Owner]);
        assert_eq!(lines[0].value, "P0 (Critical)");
        assert_eq!(&body[lines[0].value_range.clone()], "P0 (Critical)");
        assert_eq!(&body[lines[2].value_range.clone()], "sre");
    }

    #[test]
    fn labels_inside_code_are_ignored() {
        let body = "```\n**Status:** Active\n```\n";
        assert!(find_label_lines(body, &read_outline(body)).is_empty());
    }
}
