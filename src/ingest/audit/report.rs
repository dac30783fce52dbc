//! Markdown audit reports (ingest stage): an audit page (kind `audit`) in, an `Audit`
//! out. Facts come from front matter (`date`, `scope`, `grade`, `target_grade`,
//! `status`, `findings:` with `id`, `title`, `severity`, `area`, `status`,
//! `remediated_by`) and from the bold-label style (`**Status**: ✅ COMPLETE`,
//! `**Date**: 2026-01-05`); front matter wins. Findings may also be written in the body:
//! a heading followed by bold labels, one of them `**Severity**`. The body is read through
//! the shared outline, so headings and labels inside code blocks are only examples.

use std::ops::Range;

use serde::Deserialize;

use super::severity::severity_from_word;
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::ingest::front_matter::parse_front_matter_as;
use crate::ingest::outline::{read_outline, Outline};
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

/// A finding as the report writes it (front matter or body), before it is checked and
/// turned into a `Finding`.
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
pub fn read_report(page: &Page, diagnostics: &mut Diagnostics) -> Option<Audit> {
    let raw: RawReport = match parse_front_matter_as(&page.source, &page.text) {
        Ok(raw) => raw,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    let outline = read_outline(&page.text, page.body_start);
    let labels = BoldLabels::within(&outline, outline.body_start..outline.body_end);
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
    findings.extend(body_findings(page, &outline, &index, diagnostics));
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
        artifact: None,
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

/// The values of `**Label**: value` and `**Label:** value` fields outside code, by
/// lower-case label, in order.
struct BoldLabels(Vec<(String, String)>);

impl BoldLabels {
    /// The fields on the lines of `outline` that start in `range`.
    fn within(outline: &Outline, range: Range<usize>) -> Self {
        let fields = outline
            .label_lines(range)
            .iter()
            .flat_map(|line| line.labels.iter())
            .filter(|field| !field.value.is_empty())
            .map(|field| (field.label.to_ascii_lowercase(), field.value.to_string()))
            .collect();
        BoldLabels(fields)
    }

    fn get(&self, label: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
    }
}

fn front_matter_findings(
    page: &Page,
    raw: Vec<RawFinding>,
    index: &LineIndex,
    diagnostics: &mut Diagnostics,
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
            let mut raw = raw;
            if let Some(ids) = offset.and_then(|offset| raw_task_ids(front_matter, offset)) {
                raw.remediated_by = TaskIds(ids);
            }
            report_finding(page, raw, n + 1, span, diagnostics)
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

fn report_finding(
    page: &Page,
    parts: RawFinding,
    number: usize,
    span: Option<Span>,
    diagnostics: &mut Diagnostics,
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
    finding.remediated_by = parts.remediated_by.0;
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

/// Findings written in the body: a `##`–`####` heading (`### F-1: Title`) whose text up
/// to the next such heading has a `**Severity**:` label.
fn body_findings(
    page: &Page,
    outline: &Outline,
    index: &LineIndex,
    diagnostics: &mut Diagnostics,
) -> Vec<Finding> {
    let heads: Vec<_> = outline
        .headings
        .iter()
        .filter(|heading| (2..=4).contains(&heading.level))
        .collect();
    let mut findings = Vec::new();
    for (n, heading) in heads.iter().enumerate() {
        let end = heads
            .get(n + 1)
            .map_or(outline.body_end, |next| next.range.start);
        let labels = BoldLabels::within(outline, heading.range.end..end);
        let Some(severity) = labels.get("severity") else {
            continue;
        };
        let (id, title) = split_heading(heading.text);
        let offset = heading.range.start;
        let parts = RawFinding {
            id: Some(id.unwrap_or_else(|| crate::model::anchor::slugify(&title))),
            title: Some(title),
            severity: Some(severity),
            area: labels.get("area"),
            status: labels.get("status"),
            package: labels.get("package"),
            remediated_by: TaskIds(
                labels
                    .get("remediated by")
                    .map(|v| split_ids(&v))
                    .unwrap_or_default(),
            ),
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
    fn bold_labels_in_both_colon_styles_outside_code() {
        let text = "**Status**: ✅ COMPLETE\n- **Date:** 2026-01-05\n**bold** text\n```\n**Scope:** x\n```\n";
        let outline = read_outline(text, 0);
        let labels = BoldLabels::within(&outline, 0..text.len());
        assert_eq!(labels.get("status").as_deref(), Some("✅ COMPLETE"));
        assert_eq!(labels.get("date").as_deref(), Some("2026-01-05"));
        assert_eq!(labels.0.len(), 2);
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

    fn report_page(text: &str) -> Page {
        let parsed = crate::ingest::front_matter::parse_front_matter(
            std::path::Path::new("audits/review.md"),
            text,
            &mut Diagnostics::new(),
        );
        Page {
            source: "audits/review.md".into(),
            kind: crate::model::PageKind::Audit,
            front_matter: parsed.front_matter,
            text: text.into(),
            body_start: parsed.body_start,
            title: "Review".to_string(),
            output: "audits/review/index.html".into(),
            plan: None,
            runbook: None,
            diagrams: Default::default(),
        }
    }

    #[test]
    fn finding_heading_inside_a_fenced_block_is_not_a_finding() {
        let text = "---\nscope: api\n---\n# Review\n\n\
                    ### F-1: Real finding\n**Severity**: high\n\n\
                    How to write a finding:\n\n\
                    ```markdown\n### CVE-2024-1234: Example title\n**Severity**: critical\n**Status**: open\n```\n";
        let mut diagnostics = Diagnostics::new();
        let audit = read_report(&report_page(text), &mut diagnostics).expect("a report");
        let ids: Vec<&str> = audit.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["F-1"]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
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
