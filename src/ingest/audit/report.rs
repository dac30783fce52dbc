//! Markdown audit reports (ingest stage): an audit page (kind `audit`) in, an `Audit`
//! out. Facts come from front matter (`date`, `scope`, `grade`, `target_grade`,
//! `status`, `findings:` with `id`, `title`, `severity`, `area`, `status`,
//! `remediated_by`) and from the bold-label style (`**Status**: ✅ COMPLETE`,
//! `**Date**: 2026-01-05`); front matter wins. Findings may also be written in the body:
//! a heading followed by bold labels, one of them `**Severity**`.

use serde::Deserialize;

use super::severity::severity_from_word;
use crate::diagnostics::{codes, Diagnostic};
use crate::ingest::front_matter::parse_front_matter_as;
use crate::model::audit::{
    Audit, AuditFormat, Finding, ReportFacts, Severity, SeveritySource, ToolRun,
};
use crate::model::span::LineIndex;
use crate::model::{Page, Span};

/// The report's own front matter keys, beside the common ones (`title`, `date`,
/// `status`, `severity`), so they are not reported as unknown on audit pages.
pub const REPORT_KEYS: &[&str] = &[
    "scope",
    "grade",
    "target_grade",
    "target-grade",
    "findings",
    "auditor",
];

/// The tool name report findings are listed under.
const REPORT_TOOL: &str = "audit report";

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawReport {
    date: Option<String>,
    scope: Option<String>,
    grade: Option<String>,
    #[serde(alias = "target-grade", alias = "targetGrade")]
    target_grade: Option<String>,
    status: Option<String>,
    findings: Vec<RawFinding>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawFinding {
    id: Option<String>,
    title: Option<String>,
    severity: Option<String>,
    area: Option<String>,
    status: Option<String>,
    package: Option<String>,
    #[serde(alias = "remediated-by", alias = "remediatedBy")]
    remediated_by: TaskIds,
}

/// `remediated_by: 1.2`, `remediated_by: "1.2, 3.1"` or `remediated_by: [1.2, 3.1]`.
/// YAML reads `1.2` as a number, so numbers are accepted too; the ids are then re-read
/// from the line as written (`2.10` stays `2.10`) by `raw_task_ids`.
#[derive(Default)]
struct TaskIds(Vec<String>);

impl<'de> Deserialize<'de> for TaskIds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TaskIdsVisitor)
    }
}

struct TaskIdsVisitor;

impl<'de> serde::de::Visitor<'de> for TaskIdsVisitor {
    type Value = TaskIds;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a task id such as 1.2, or a list of them")
    }

    fn visit_str<E>(self, text: &str) -> Result<TaskIds, E> {
        Ok(TaskIds(split_ids(text)))
    }

    fn visit_f64<E>(self, value: f64) -> Result<TaskIds, E> {
        Ok(TaskIds(vec![value.to_string()]))
    }

    fn visit_i64<E>(self, value: i64) -> Result<TaskIds, E> {
        Ok(TaskIds(vec![value.to_string()]))
    }

    fn visit_u64<E>(self, value: u64) -> Result<TaskIds, E> {
        Ok(TaskIds(vec![value.to_string()]))
    }

    fn visit_unit<E>(self) -> Result<TaskIds, E> {
        Ok(TaskIds::default())
    }

    fn visit_none<E>(self) -> Result<TaskIds, E> {
        Ok(TaskIds::default())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<TaskIds, A::Error> {
        let mut ids = Vec::new();
        while let Some(TaskIds(more)) = seq.next_element::<TaskIds>()? {
            ids.extend(more);
        }
        Ok(TaskIds(ids))
    }
}

fn split_ids(text: &str) -> Vec<String> {
    text.split(',')
        .map(|item| {
            item.trim()
                .trim_matches(['"', '\'', '[', ']'])
                .trim()
                .to_string()
        })
        .filter(|item| !item.is_empty())
        .collect()
}

/// The task ids of the `remediated_by:` line that follows offset `from` in the front
/// matter, before the next finding starts, as written.
fn raw_task_ids(front_matter: &str, from: usize) -> Option<Vec<String>> {
    let rest = front_matter.get(from..)?;
    for (n, line) in rest.lines().enumerate() {
        let trimmed = line.trim_start();
        if n > 0 && trimmed.starts_with("- ") {
            return None;
        }
        let key_value = trimmed.trim_start_matches("- ");
        for key in ["remediated_by:", "remediated-by:", "remediatedBy:"] {
            if let Some(value) = key_value.strip_prefix(key) {
                let value = value.split(" #").next().unwrap_or(value).trim();
                return (!value.is_empty()).then(|| split_ids(value));
            }
        }
    }
    None
}

/// True when an unknown-key warning is about one of the report's own keys.
pub fn is_report_key_warning(diagnostic: &Diagnostic) -> bool {
    diagnostic.code == codes::FRONT_MATTER_UNKNOWN_KEY
        && REPORT_KEYS.iter().any(|key| {
            diagnostic
                .message
                .starts_with(&format!("unknown front matter key `{key}`"))
        })
}

/// The audit an audit page describes, or `None` for a page under `audits/` that is no
/// report (no findings, no grade, no scope: an introduction, say).
pub fn read_report(page: &Page, diagnostics: &mut Vec<Diagnostic>) -> Option<Audit> {
    let raw: RawReport = match parse_front_matter_as(&page.source, &page.text) {
        Ok(raw) => raw,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    let labels = bold_labels(page.body());
    let facts = ReportFacts {
        scope: raw.scope.clone().or_else(|| labels.get("scope")),
        grade: raw.grade.clone().or_else(|| labels.get("grade")),
        target_grade: raw
            .target_grade
            .clone()
            .or_else(|| labels.get("target grade")),
        status: raw.status.clone().or_else(|| labels.get("status")),
    };
    let index = LineIndex::new(&page.text);
    let mut findings = front_matter_findings(page, raw.findings, &index, diagnostics);
    findings.extend(body_findings(page, &index, diagnostics));
    if findings.is_empty() && facts.grade.is_none() && facts.scope.is_none() {
        return None;
    }
    let target = facts.scope.clone().unwrap_or_else(|| page.title.clone());
    for finding in &mut findings {
        finding.target.clone_from(&target);
    }
    let date = raw
        .date
        .or_else(|| page.front_matter.date.clone())
        .or_else(|| labels.get("date"));
    Some(Audit {
        source: page.source.clone(),
        output: page.output.clone(),
        raw_output: None,
        title: page.title.clone(),
        format: AuditFormat::Report,
        target,
        date: date.and_then(|d| super::date_prefix(&d).or(Some(d))),
        tools: vec![ToolRun {
            name: REPORT_TOOL.to_string(),
            version: None,
            results: findings.len(),
        }],
        rules: Default::default(),
        results_read: findings.len(),
        findings,
        report: Some(facts),
    })
}

/// `**Label**: value` and `**Label:** value` lines, by lower-case label.
struct BoldLabels(Vec<(String, String, usize)>);

impl BoldLabels {
    fn get(&self, label: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(l, _, _)| l == label)
            .map(|(_, v, _)| v.clone())
    }
}

/// Each bold-label line with its byte offset in `text`.
fn bold_labels(text: &str) -> BoldLabels {
    let mut labels = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some((label, value)) = bold_label(line) {
            labels.push((label, value, offset));
        }
        offset += line.len();
    }
    BoldLabels(labels)
}

fn bold_label(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    let line = ["- ", "* ", "+ "]
        .iter()
        .find_map(|marker| line.strip_prefix(marker))
        .unwrap_or(line)
        .trim_start();
    let rest = line.strip_prefix("**")?;
    let (label, value) = rest.split_once("**")?;
    let (label, value) = match label.strip_suffix(':') {
        Some(label) => (label, value),
        None => (label, value.trim_start().strip_prefix(':')?),
    };
    let value = value.trim();
    (!value.is_empty()).then(|| (label.trim().to_ascii_lowercase(), value.to_string()))
}

fn front_matter_findings(
    page: &Page,
    raw: Vec<RawFinding>,
    index: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Finding> {
    let front_matter = &page.text[..page.body_start];
    raw.into_iter()
        .enumerate()
        .map(|(n, raw)| {
            let offset = raw
                .id
                .as_deref()
                .and_then(|id| key_value_offset(front_matter, "id", id));
            let span = offset.map(|offset| index.span(offset, offset));
            let remediated_by = offset
                .and_then(|offset| raw_task_ids(front_matter, offset))
                .unwrap_or(raw.remediated_by.0);
            let parts = ReportFinding {
                id: raw.id,
                title: raw.title,
                severity: raw.severity,
                area: raw.area,
                status: raw.status,
                package: raw.package,
                remediated_by,
            };
            report_finding(page, parts, n + 1, span, diagnostics)
        })
        .collect()
}

/// The offset of the `key: value` line (value quoted or not), if there is one.
fn key_value_offset(text: &str, key: &str, value: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
        if let Some(rest) = trimmed.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            if rest.trim().trim_matches(['"', '\'']) == value {
                return Some(offset + line.len() - line.trim_start().len());
            }
        }
        offset += line.len();
    }
    None
}

/// A report finding before it is checked and turned into a `Finding`.
struct ReportFinding {
    id: Option<String>,
    title: Option<String>,
    severity: Option<String>,
    area: Option<String>,
    status: Option<String>,
    package: Option<String>,
    remediated_by: Vec<String>,
}

fn report_finding(
    page: &Page,
    parts: ReportFinding,
    number: usize,
    span: Option<Span>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Finding {
    let id = parts.id.unwrap_or_else(|| {
        diagnostics.push(
            Diagnostic::warning(
                codes::AUDIT_REPORT_FINDING,
                format!("finding {number} has no `id`; it is shown as `finding-{number}`"),
            )
            .at(&page.source, span)
            .with_help("give each finding an `id:` so it can be compared across audits"),
        );
        format!("finding-{number}")
    });
    let word = parts.severity.unwrap_or_else(|| "info".to_string());
    let severity = severity_from_word(&word).unwrap_or_else(|| {
        diagnostics.push(
            Diagnostic::warning(
                codes::AUDIT_REPORT_FINDING,
                format!("finding `{id}` has severity `{word}`, which is not on the scale; shown as info"),
            )
            .at(&page.source, span)
            .with_help("use critical, high, medium, low or info"),
        );
        Severity::Info
    });
    let source = SeveritySource::Report { word: word.clone() };
    let mut finding = super::blank_finding(&id, REPORT_TOOL, "", (severity, source));
    finding.title = parts.title.unwrap_or_else(|| id.clone());
    finding.cve = super::package::cve_in(&id);
    finding.package = parts.package;
    finding.area = parts.area;
    finding.suppressed = parts.status.as_deref().is_some_and(is_accepted_status);
    finding.status = parts.status;
    finding.remediated_by = parts.remediated_by;
    finding.span = span;
    finding
}

/// `accepted`, `risk accepted`, `suppressed`, `wontfix`: the team decided to live with it.
fn is_accepted_status(status: &str) -> bool {
    let status = status.to_ascii_lowercase();
    [
        "accepted",
        "suppressed",
        "wontfix",
        "won't fix",
        "false positive",
    ]
    .iter()
    .any(|word| status.contains(word))
}

/// Findings written in the body: a heading (`### F-1: Title`) whose section has a
/// `**Severity**:` label.
fn body_findings(
    page: &Page,
    index: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Finding> {
    let body = page.body();
    let mut findings = Vec::new();
    for (heading, section, offset) in sections(body) {
        let labels = bold_labels(section);
        let Some(severity) = labels.get("severity") else {
            continue;
        };
        let (id, title) = split_heading(heading);
        let offset = page.body_start + offset;
        let parts = ReportFinding {
            id: Some(id.unwrap_or_else(|| crate::model::anchor::slugify(&title))),
            title: Some(title),
            severity: Some(severity),
            area: labels.get("area"),
            status: labels.get("status"),
            package: labels.get("package"),
            remediated_by: labels
                .get("remediated by")
                .map(|v| split_ids(&v))
                .unwrap_or_default(),
        };
        let span = Some(index.span(offset, offset));
        findings.push(report_finding(
            page,
            parts,
            findings.len() + 1,
            span,
            diagnostics,
        ));
    }
    findings
}

/// Each `##`–`####` heading with the text up to the next heading and its offset.
fn sections(body: &str) -> Vec<(&str, &str, usize)> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (2..=4).contains(&hashes) && line[hashes..].starts_with(' ') {
            starts.push((offset, offset + line.len(), line[hashes..].trim()));
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, (start, content, heading))| {
            let end = starts.get(i + 1).map_or(body.len(), |next| next.0);
            (*heading, &body[*content..end], *start)
        })
        .collect()
}

/// `F-1: Weak TLS` gives `F-1` and `Weak TLS`; a heading without an id keeps its text.
fn split_heading(heading: &str) -> (Option<String>, String) {
    let heading = heading.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '[');
    let split = heading
        .split_once(": ")
        .or_else(|| heading.split_once(" - "))
        .or_else(|| heading.split_once(" — "));
    match split {
        Some((id, title)) if !id.contains(' ') && id.chars().any(|c| c.is_ascii_digit()) => {
            let id = id.trim_matches(['[', ']']).to_string();
            (Some(id), title.trim().to_string())
        }
        _ => (None, heading.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_labels_in_both_colon_styles() {
        assert_eq!(
            bold_label("**Status**: ✅ COMPLETE"),
            Some(("status".into(), "✅ COMPLETE".into()))
        );
        assert_eq!(
            bold_label("- **Date:** 2026-01-05"),
            Some(("date".into(), "2026-01-05".into()))
        );
        assert_eq!(bold_label("**bold** text"), None);
    }

    #[test]
    fn headings_with_ids_split_into_id_and_title() {
        assert_eq!(
            split_heading("F-1: Weak TLS ciphers"),
            (Some("F-1".into()), "Weak TLS ciphers".into())
        );
        assert_eq!(split_heading("Summary"), (None, "Summary".into()));
        assert_eq!(
            split_heading("🔴 [H-2] - Open port"),
            (Some("H-2".into()), "Open port".into())
        );
    }

    #[test]
    fn remediated_by_is_read_as_written_in_any_form() {
        let front_matter = "findings:\n  - id: A\n    remediated_by: [1.2, 2.10]\n  - id: B\n    severity: low\n  - id: C\n    remediated_by: 3.1 # soon\n";
        let a = front_matter.find("id: A").unwrap();
        let b = front_matter.find("id: B").unwrap();
        let c = front_matter.find("id: C").unwrap();
        assert_eq!(raw_task_ids(front_matter, a).unwrap(), ["1.2", "2.10"]);
        assert_eq!(raw_task_ids(front_matter, b), None);
        assert_eq!(raw_task_ids(front_matter, c).unwrap(), ["3.1"]);
        assert_eq!(split_ids("\"1.2\", 'x.y'"), ["1.2", "x.y"]);
    }
}
