//! The data of one runbook PDF (render stage): the page and its runbook model in, the
//! JSON the Typst template reads from `/data.json` out. Every user string travels as a
//! JSON string; characters no embedded font covers are replaced by U+FFFD (and reported
//! by the caller) so the print never shows empty boxes silently. Nesting the template cannot
//! typeset is flattened (`ast`) with a warning at its line of the runbook's file.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::ast::{markdown_blocks, MAX_BLOCK_NESTING, MAX_INLINE_NESTING};
use crate::config::{Paper, RunbookOptions};
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::alert::AlertRule;
use crate::model::plan::Text;
use crate::model::runbook::{Outcome, Part, Section, Step, StepKind};
use crate::model::span::{LineIndex, Span};
use crate::model::{Page, Runbook};

/// The template's data for one runbook. Nesting flattened for the PDF is reported into
/// `diagnostics`.
pub fn runbook_data(
    page: &Page,
    runbook: &Runbook,
    options: &RunbookOptions,
    diagnostics: &mut Diagnostics,
) -> Value {
    let severity = runbook.severity.as_ref().map(|s| {
        json!({"label": s.label, "text": format!("{} {}", s.label, s.name), "level": s.level, "original": s.original})
    });
    let mut number = 0usize;
    let sections: Vec<Value> = runbook
        .sections
        .iter()
        .map(|section| section_data(section, &mut number, &mut |t| blocks(page, t, diagnostics)))
        .collect();
    json!({
        "title": page.title,
        "severity": severity,
        "facts": facts(runbook, options),
        "paper": match options.paper { Paper::A4 => "a4", Paper::Letter => "us-letter" },
        "footer": footer(runbook, options),
        "intro": runbook.intro.as_ref().map(|t| blocks(page, t, diagnostics)),
        "sections": sections,
        "steps": number,
    })
}

/// The template's blocks for one runbook text; each place where nesting had to be
/// flattened is a warning at its line.
fn blocks(page: &Page, text: &Text, diagnostics: &mut Diagnostics) -> Value {
    let made = markdown_blocks(&text.text);
    for offset in made.flattened {
        diagnostics.push(
            Diagnostic::warning(
                codes::PDF_NESTING_FLATTENED,
                format!(
                    "nesting deeper than the PDF can typeset (over {MAX_BLOCK_NESTING} lists and quotes, or {MAX_INLINE_NESTING} emphases, inside one another) is flattened in the PDF from here on"
                ),
            )
            .at(PathBuf::from(&page.source), Some(file_span(page, text, offset)))
            .with_help("the web page keeps the nesting; the PDF shows the deeper levels' text in order, each item led by its number or bullet"),
        );
    }
    made.tree
}

/// Where the first thing that is not blank in `text` is in the page's file.
pub fn text_start(page: &Page, text: &Text) -> Span {
    let blank = text.text.len() - text.text.trim_start().len();
    file_span(page, text, blank)
}

/// Where byte `offset` of `text` is in the page's file. A runbook text is whole lines of
/// the file from its span on, with some lines left out (branch and field lines): each of
/// its lines is found again in the file, in order.
fn file_span(page: &Page, text: &Text, offset: usize) -> Span {
    let file: &str = &page.text;
    let line_start = text.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut at = text.span.start.min(file.len());
    for line in text.text[..line_start].split_inclusive('\n') {
        at = find_line(file, at, line) + line.len();
    }
    let line = text.text[line_start..]
        .split_inclusive('\n')
        .next()
        .unwrap_or("");
    let start = find_line(file, at.min(file.len()), line) + (offset - line_start);
    LineIndex::new(file).span(start.min(file.len()), start.min(file.len()))
}

/// Where `line` is in `file`: at `from`, or at the start of a later line (`from` when
/// it is nowhere, which only a text that is not from this file gives).
fn find_line(file: &str, from: usize, line: &str) -> usize {
    let mut at = from;
    while at < file.len() {
        if file[at..].starts_with(line) {
            return at;
        }
        match file[at..].find('\n') {
            Some(end) => at += end + 1,
            None => break,
        }
    }
    from
}

fn section_data(
    section: &Section,
    number: &mut usize,
    blocks: &mut dyn FnMut(&Text) -> Value,
) -> Value {
    let parts: Vec<Value> = section
        .parts
        .iter()
        .map(|part| match part {
            Part::Markdown(text) => json!({"t": "blocks", "c": blocks(text)}),
            Part::Step(step) => {
                *number += 1;
                step_data(step, *number, blocks)
            }
        })
        .collect();
    json!({"id": section.id, "title": section.title, "parts": parts})
}

fn step_data(step: &Step, number: usize, blocks: &mut dyn FnMut(&Text) -> Value) -> Value {
    // List items keep the author's number; headed steps their label (`Step 2`).
    let prefix = match step.kind {
        StepKind::ListItem => format!("{}.", step.label),
        StepKind::Step | StepKind::Scenario => format!("{}:", step.label),
    };
    let branches: Vec<Value> = step
        .branches
        .iter()
        .map(|b| {
            json!({
                "outcome": match b.outcome { Outcome::Success => "Success", Outcome::Failure => "Failure" },
                "text": b.text.replace(['*', '`'], ""),
                "target": b.target,
            })
        })
        .collect();
    json!({
        "t": "step",
        "number": number,
        "id": step.id,
        "prefix": prefix,
        "title": step.title,
        "body": blocks(&step.body),
        "branches": branches,
    })
}

fn facts(runbook: &Runbook, options: &RunbookOptions) -> Vec<Value> {
    let review = runbook.review_interval.as_ref().map_or_else(
        || format!("every {} days (site default)", options.review_days),
        |i| format!("{} ({} days)", i.text, i.days()),
    );
    let text = |t: &Option<crate::model::plan::Text>| t.as_ref().map(|t| t.text.clone());
    [
        (
            "Severity",
            runbook
                .severity
                .as_ref()
                .map(|s| format!("{} {} (as written: {})", s.label, s.name, s.original)),
        ),
        ("MTTR target", runbook.mttr.as_ref().map(|t| t.text.clone())),
        ("RTO", runbook.rto.as_ref().map(|t| t.text.clone())),
        ("RPO", runbook.rpo.as_ref().map(|t| t.text.clone())),
        ("Status", text(&runbook.status)),
        ("Owner", text(&runbook.owner)),
        (
            "Last updated",
            runbook.last_updated.as_ref().map(|d| d.text.clone()),
        ),
        (
            "Last tested",
            runbook.last_tested.as_ref().map(|d| d.text.clone()),
        ),
        ("Review", Some(review)),
        (
            "Alerts",
            (!runbook.alerts.is_empty()).then(|| runbook.alerts.join(", ")),
        ),
        (
            "Related tasks",
            (!runbook.related_tasks.is_empty()).then(|| runbook.related_tasks.join(", ")),
        ),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| json!({"label": label, "value": v})))
    .collect()
}

/// The alerts that lead to the runbook, for the PDF's "Alerts that lead here" list.
pub fn alerts_data(alerts: &[&AlertRule]) -> Value {
    alerts
        .iter()
        .map(|rule| {
            json!({
                "name": rule.name,
                "severity": rule.severity(),
                "for_duration": rule.for_duration,
                "summary": rule.summary,
                "expr": rule.expr.trim_end(),
                "source": format!("{}:{}", rule.source.to_string_lossy().replace('\\', "/"), rule.span.line),
                "group": rule.group,
            })
        })
        .collect()
}

/// "Printed copy" plus the build (commit or date) or else the runbook's own date; never
/// the clock.
fn footer(runbook: &Runbook, options: &RunbookOptions) -> String {
    let when = options.build_label.clone().or_else(|| {
        runbook
            .last_updated
            .as_ref()
            .map(|d| format!("runbook updated {}", d.text))
    });
    match when {
        Some(when) => format!("Printed copy ({when}): check the site for the current version"),
        None => "Printed copy: check the site for the current version".to_string(),
    }
}

/// Keys whose strings are never printed (anchors, node types, languages, drawings).
const NOT_PRINTED: &[&str] = &["id", "target", "t", "lang", "paper", "svg", "url"];

/// Replaces every character in the strings of `value` that `keep` rejects with U+FFFD.
pub fn replace_chars(value: &mut Value, keep: &dyn Fn(char) -> bool) {
    match value {
        Value::String(s) if !s.chars().all(keep) => {
            *s = s
                .chars()
                .map(|c| if keep(c) { c } else { '\u{FFFD}' })
                .collect();
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_chars(v, keep)),
        Value::Object(map) => map
            .iter_mut()
            .filter(|(key, _)| !NOT_PRINTED.contains(&key.as_str()))
            .for_each(|(_, v)| replace_chars(v, keep)),
        _ => {}
    }
}

/// Every string in `value`, joined, for the font coverage check.
pub fn all_text(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Array(items) => items.iter().for_each(|v| all_text(v, out)),
        Value::Object(map) => map
            .iter()
            .filter(|(key, _)| !NOT_PRINTED.contains(&key.as_str()))
            .for_each(|(_, v)| all_text(v, out)),
        _ => {}
    }
}
