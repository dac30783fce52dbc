//! Runbook metadata (ingest stage): bold-label lines and front matter in, the runbook's
//! severity, targets, status, owner, dates, review interval, alerts and related tasks
//! out. When both give a field, the front matter wins and a note says so; a value that
//! cannot be read (a severity off the scale, a date that is not a date) is a warning and
//! is kept as written where the model allows.

use std::path::Path;

use super::labels::{Field, LabelLine};
use super::values::{read_date, read_severity};
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::ingest::duration::{parse_duration, parse_interval};
use crate::model::plan::Text;
use crate::model::runbook::{DateField, Interval, RunbookSeverity, Target};
use crate::model::span::{LineIndex, Span};
use crate::model::{FrontMatter, Runbook};

/// Where metadata can come from for one page.
pub struct MetadataSources<'a> {
    pub source: &'a Path,
    /// The whole file.
    pub text: &'a str,
    pub body_start: usize,
    /// Label lines, with ranges in the whole file.
    pub labels: &'a [LabelLine],
    pub front_matter: &'a FrontMatter,
}

/// A field's value as text, and where it is in the file.
struct Value {
    text: String,
    span: Span,
}

/// Sets every metadata field of `runbook` from the label lines and the front matter.
pub fn apply_metadata(
    runbook: &mut Runbook,
    sources: &MetadataSources,
    diagnostics: &mut Diagnostics,
) {
    let index = LineIndex::new(sources.text);
    let mut pick = |field: Field| pick_value(field, sources, &index, diagnostics);
    let severity = pick(Field::Severity);
    let mttr = pick(Field::Mttr);
    let rto = pick(Field::Rto);
    let rpo = pick(Field::Rpo);
    let status = pick(Field::Status);
    let owner = pick(Field::Owner);
    let last_updated = pick(Field::LastUpdated);
    let last_tested = pick(Field::LastTested);
    let interval = pick(Field::ReviewInterval);
    let alerts = pick(Field::Alerts);
    let tasks = pick(Field::RelatedTasks);
    let source = sources.source;
    runbook.severity = severity.and_then(|v| severity_of(v, source, diagnostics));
    runbook.mttr = mttr.map(|v| target_of(v, "MTTR", source, diagnostics));
    runbook.rto = rto.map(|v| target_of(v, "RTO", source, diagnostics));
    runbook.rpo = rpo.map(|v| target_of(v, "RPO", source, diagnostics));
    runbook.status = status.map(|v| Text {
        text: v.text,
        span: v.span,
    });
    runbook.owner = owner.map(|v| Text {
        text: v.text,
        span: v.span,
    });
    runbook.last_updated = last_updated.map(|v| date_of(v, source, diagnostics));
    runbook.last_tested = last_tested.map(|v| date_of(v, source, diagnostics));
    runbook.review_interval = interval.and_then(|v| interval_of(v, source, diagnostics));
    runbook.alerts = list_of(alerts, &sources.front_matter.alerts);
    runbook.related_tasks = list_of(tasks, &sources.front_matter.related_tasks);
}

/// The field's value: front matter first, else the first label line. A note when both
/// are given.
fn pick_value(
    field: Field,
    sources: &MetadataSources,
    index: &LineIndex,
    diagnostics: &mut Diagnostics,
) -> Option<Value> {
    let label = sources.labels.iter().find(|l| l.field == field);
    let label_value = label.map(|l| Value {
        text: l.value.clone(),
        span: index.span(l.value_range.start, l.value_range.end),
    });
    let Some(front) = front_matter_text(field, sources.front_matter) else {
        return label_value;
    };
    let key = field.front_matter_key();
    let span = front_matter_key_span(sources.text, sources.body_start, key, index);
    if let Some(label_value) = label_value {
        diagnostics.push(
            Diagnostic::note(
                codes::RUNBOOK_FIELD_TWICE,
                format!(
                    "`{key}` is given by the front matter (`{front}`) and by this label (`{}`); the front matter wins",
                    label_value.text
                ),
            )
            .at(sources.source, Some(label_value.span))
            .with_help(format!("remove one of the two, or make them agree (front matter `{key}:` is on line {})", span.line)),
        );
    }
    Some(Value { text: front, span })
}

fn front_matter_text(field: Field, front: &FrontMatter) -> Option<String> {
    let value = match field {
        Field::Severity => front.severity.clone(),
        Field::Mttr => front.mttr.clone(),
        Field::Rto => front.rto.clone(),
        Field::Rpo => front.rpo.clone(),
        Field::Status => front.status.clone(),
        Field::Owner => front.owner.clone(),
        Field::LastUpdated => front.updated.clone().or_else(|| front.date.clone()),
        Field::LastTested => front.last_tested.clone(),
        Field::ReviewInterval => front.review_interval.clone(),
        Field::Alerts => (!front.alerts.is_empty()).then(|| front.alerts.join(", ")),
        Field::RelatedTasks => {
            (!front.related_tasks.is_empty()).then(|| front.related_tasks.join(", "))
        }
    };
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The line of `key:` in the front matter block, or the file's first line.
fn front_matter_key_span(text: &str, body_start: usize, key: &str, index: &LineIndex) -> Span {
    let block = &text[..body_start];
    let mut offset = 0;
    for line in block.split_inclusive('\n') {
        if line.trim_start().starts_with(&format!("{key}:")) {
            return index.span(offset, offset + line.trim_end().len());
        }
        offset += line.len();
    }
    index.span(0, 0)
}

fn severity_of(
    value: Value,
    source: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<RunbookSeverity> {
    match read_severity(&value.text) {
        Some(read) => Some(RunbookSeverity {
            level: read.level,
            label: format!("P{}", read.level),
            name: read.name,
            original: value.text,
            span: value.span,
        }),
        None => {
            diagnostics.push(
                Diagnostic::warning(
                    codes::RUNBOOK_VALUE,
                    format!(
                        "severity `{}` is not on the P0–P4 or SEV1–SEV5 scale",
                        value.text
                    ),
                )
                .with_help("write e.g. `P0 (Critical)`, `SEV2` or `critical`")
                .at(source, Some(value.span)),
            );
            None
        }
    }
}

fn target_of(value: Value, name: &str, source: &Path, diagnostics: &mut Diagnostics) -> Target {
    let duration = parse_duration(&value.text);
    if duration.is_none() {
        diagnostics.push(
            Diagnostic::warning(
                codes::RUNBOOK_VALUE,
                format!(
                    "{name} target `{}` is not a duration; it is shown as written",
                    value.text
                ),
            )
            .with_help("write a duration such as `10 minutes`, `1 hour` or `1h 30m`")
            .at(source, Some(value.span)),
        );
    }
    Target {
        text: value.text,
        duration,
        span: value.span,
    }
}

fn date_of(value: Value, source: &Path, diagnostics: &mut Diagnostics) -> DateField {
    let iso = read_date(&value.text);
    if iso.is_none() {
        diagnostics.push(
            Diagnostic::warning(
                codes::RUNBOOK_VALUE,
                format!(
                    "date `{}` is not a calendar date; review staleness cannot be checked",
                    value.text
                ),
            )
            .with_help("write the date as YYYY-MM-DD, e.g. `2026-01-04`")
            .at(source, Some(value.span)),
        );
    }
    DateField {
        text: value.text,
        iso,
        span: value.span,
    }
}

fn interval_of(value: Value, source: &Path, diagnostics: &mut Diagnostics) -> Option<Interval> {
    match parse_interval(&value.text) {
        Some(duration) => Some(Interval {
            text: value.text,
            duration,
            span: value.span,
        }),
        None => {
            diagnostics.push(
                Diagnostic::warning(
                    codes::RUNBOOK_VALUE,
                    format!(
                        "review interval `{}` cannot be read; the site default applies",
                        value.text
                    ),
                )
                .with_help("write e.g. `Monthly`, `Quarterly` or `90 days`")
                .at(source, Some(value.span)),
            );
            None
        }
    }
}

/// Names from front matter (a list) or a label line (comma separated, code marks removed).
fn list_of(value: Option<Value>, front: &[String]) -> Vec<String> {
    if !front.is_empty() {
        return front.iter().map(|s| s.trim().to_string()).collect();
    }
    value.map_or_else(Vec::new, |v| {
        v.text
            .split(',')
            .map(|name| name.trim().trim_matches('`').trim().to_string())
            .filter(|name| !name.is_empty())
            .collect()
    })
}
