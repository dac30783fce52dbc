//! The readers as the fuzz targets in `fuzz/` call them, behind the `fuzz-api` feature
//! (off by default, like `bench-api`, so the compiler still reports code nothing calls).
//!
//! Each function feeds one input to one ingest reader the way the loader does and panics
//! when the reader breaks a promise the later stages rely on: it must not panic itself,
//! and every span it reports, in a diagnostic or in the model it returns, must lie inside
//! the text, on character boundaries, with the line and column of its start. A fuzz
//! target is then one line, and a crash it finds is reproduced by calling the same
//! function from a test. Keep this list to the readers: anything else stays private.

use std::path::Path;

use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::ingest::alerts::rule_file;
use crate::ingest::audit::{merge, npm_audit, sarif, trivy, vex, ReadAudit};
use crate::ingest::mermaid::{parse_flowchart, Origin};
use crate::ingest::outline::read_outline;
use crate::ingest::{beads, diagrams, front_matter, plan, runbook};
use crate::model::span::LineIndex;

/// The path the readers put in their diagnostics; never read.
const SOURCE: &str = "content/fuzz.md";

/// A page's front matter block (`---` YAML `---`) and where its body starts.
pub fn front_matter(text: &str) {
    let mut diagnostics = Diagnostics::new();
    let parsed = front_matter::parse_front_matter(Path::new(SOURCE), text, &mut diagnostics);
    assert!(
        text.is_char_boundary(parsed.body_start),
        "body start {} is not a character boundary of a {}-byte text",
        parsed.body_start,
        text.len()
    );
    check_diagnostics(text, &diagnostics);
}

/// A plan page: front matter, the outline, the plan reader and its mermaid blocks.
pub fn plan(text: &str) {
    let source = Path::new(SOURCE);
    let mut diagnostics = Diagnostics::new();
    let parsed = front_matter::parse_front_matter(source, text, &mut diagnostics);
    let outline = read_outline(text, parsed.body_start);
    let plan = plan::read_plan(source, text, &outline, None, &mut diagnostics);
    let diagrams = diagrams::read_diagrams(source, text, &outline, Some(&plan), &mut diagnostics);
    check_model(text, &plan);
    check_model(text, &diagrams);
    check_diagnostics(text, &diagnostics);
}

/// A runbook page: front matter, the outline and the runbook reader.
pub fn runbook(text: &str) {
    let source = Path::new(SOURCE);
    let mut diagnostics = Diagnostics::new();
    let parsed = front_matter::parse_front_matter(source, text, &mut diagnostics);
    let outline = read_outline(text, parsed.body_start);
    let runbook = runbook::read_runbook(
        source,
        text,
        outline,
        &parsed.front_matter,
        &mut diagnostics,
    );
    check_model(text, &runbook);
    check_diagnostics(text, &diagnostics);
}

/// The text of one mermaid block, standing alone as a file.
pub fn mermaid(text: &str) {
    let origin = Origin {
        offset: 0,
        line: 1,
        col: 1,
    };
    let read = parse_flowchart(text, origin);
    match &read.chart {
        Ok(chart) => check_model(text, chart),
        Err(problem) => check_span(
            text,
            problem.span.start,
            problem.span.end,
            problem.span.line,
            problem.span.col,
        ),
    }
    for problem in &read.ignored {
        let span = problem.span;
        check_span(text, span.start, span.end, span.line, span.col);
    }
}

/// A SARIF file's bytes.
pub fn sarif(bytes: &[u8]) {
    check_audit(sarif::read_sarif(bytes));
}

/// A Trivy JSON report's bytes.
pub fn trivy(bytes: &[u8]) {
    check_audit(trivy::read_trivy(bytes));
}

/// An `npm audit --json` report's bytes.
pub fn npm_audit(bytes: &[u8]) {
    check_audit(npm_audit::read_npm_audit(bytes));
}

/// A beads tracker, `.beads/issues.jsonl`.
pub fn tracker(text: &str) {
    let mut diagnostics = Diagnostics::new();
    let tracker = beads::parse_tracker(
        Path::new(beads::DEFAULT_TRACKER_PATH),
        text,
        &mut diagnostics,
    );
    check_model(text, &tracker);
    check_diagnostics(text, &diagnostics);
}

/// The site configuration, `opsbook.toml`.
pub fn config(text: &str) {
    let mut diagnostics = Diagnostics::new();
    crate::config::parse_config(text, &mut diagnostics);
    check_diagnostics(text, &diagnostics);
}

/// An OpenVEX document's bytes, decoded as the audit loader decodes them (lossily, so
/// a stray byte is a replacement character, not a lost file). A statement the reader
/// keeps has what its callers look up: a vulnerability name and at least one product.
pub fn vex(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut diagnostics = Diagnostics::new();
    let read = vex::read_vex(
        Path::new("content/audits/fuzz.openvex.json"),
        Path::new("audits/fuzz.openvex.json"),
        &text,
        &mut diagnostics,
    );
    if let Ok(document) = &read {
        for statement in &document.statements {
            assert!(
                !statement.vulnerability.trim().is_empty(),
                "a kept VEX statement names no vulnerability"
            );
            assert!(
                !statement.products.is_empty(),
                "a kept VEX statement names no product"
            );
        }
        check_model(&text, document);
    }
    check_diagnostics(&text, &diagnostics);
}

/// A Prometheus rule file (plain, `PrometheusRule` manifest or `kind: List`), without
/// the byte order mark the loader drops. A rule the reader keeps has an expression (a
/// rule without one is reported and left out).
pub fn alert_rules(text: &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut diagnostics = Diagnostics::new();
    let rules =
        rule_file::read_rule_file(Path::new("alerts/fuzz.rules.yaml"), text, &mut diagnostics);
    for rule in &rules {
        assert!(
            !rule.expr.trim().is_empty(),
            "alert `{}` was kept without an expression",
            rule.name
        );
    }
    check_model(text, &rules);
    check_diagnostics(text, &diagnostics);
}

/// What the audit loader does with a reader's result: duplicates are merged.
fn check_audit(read: Result<ReadAudit, serde_json::Error>) {
    if let Ok(read) = read {
        let count = read.findings.len();
        let merged = merge::merge_duplicates(read.findings);
        assert!(merged.len() <= count, "merging made findings");
    }
}

fn check_diagnostics(text: &str, diagnostics: &Diagnostics) {
    for diagnostic in diagnostics {
        if let Some(span) = diagnostic.span {
            check_span(text, span.start, span.end, span.line, span.col);
        }
    }
}

/// Checks every span in the model, found in its serialised form (an object with exactly
/// the keys `start`, `end`, `line` and `col`), so a new model field is covered unasked.
fn check_model(text: &str, model: &impl Serialize) {
    let value = serde_json::to_value(model).expect("the model serialises");
    let mut stack = vec![&value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => {
                if let Some([start, end, line, col]) = span_fields(map) {
                    check_span(text, start as usize, end as usize, line as u32, col as u32);
                } else {
                    stack.extend(map.values());
                }
            }
            _ => {}
        }
    }
}

fn span_fields(map: &serde_json::Map<String, serde_json::Value>) -> Option<[u64; 4]> {
    if map.len() != 4 {
        return None;
    }
    let field = |name: &str| map.get(name).and_then(serde_json::Value::as_u64);
    Some([
        field("start")?,
        field("end")?,
        field("line")?,
        field("col")?,
    ])
}

fn check_span(text: &str, start: usize, end: usize, line: u32, col: u32) {
    assert!(
        start <= end && end <= text.len(),
        "span {start}..{end} is not inside a {}-byte text",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "span {start}..{end} cuts a character"
    );
    assert_eq!(
        LineIndex::new(text).line_col(start),
        (line, col),
        "span {start}..{end} names the wrong line:col"
    );
}
