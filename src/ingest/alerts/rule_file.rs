//! One rule file read with serde-saphyr: every YAML document in it, whichever of the
//! shapes Prometheus rules come in: a plain rule file (`groups:`), a `PrometheusRule`
//! manifest (`spec.groups`), or a `kind: List` whose items are such manifests. Other
//! Kubernetes objects in the same file are skipped. Only the fields opsbook shows are
//! read; the rest (`interval`, `keep_firing_for`, ...) is tolerated, since the format
//! grows. Positions come from `serde_saphyr::Spanned`, so each rule keeps the line of
//! its name and of its `runbook_url`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::alert::{AlertRule, RunbookUrl};
use crate::model::span::{LineIndex, Span};

/// One YAML document of a rule file, in any of the accepted shapes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawDocument {
    kind: Option<String>,
    /// A plain Prometheus rule file.
    groups: Option<Vec<RawGroup>>,
    /// A `PrometheusRule` manifest.
    spec: Option<RawSpec>,
    /// A `kind: List` manifest.
    items: Option<Vec<RawDocument>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawSpec {
    groups: Option<Vec<RawGroup>>,
}

#[derive(Debug, Deserialize)]
struct RawGroup {
    name: Option<String>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawRule {
    alert: Option<Spanned<String>>,
    record: Option<String>,
    expr: Option<String>,
    #[serde(rename = "for")]
    for_duration: Option<String>,
    labels: BTreeMap<String, Option<String>>,
    annotations: BTreeMap<String, Option<Spanned<String>>>,
}

/// The alerting rules of one file, in file order. Problems (YAML that does not parse, a
/// value of the wrong type, a rule without a name or an expression) are errors at their
/// line; a file that parses but holds no rule group is a warning.
pub fn read_rule_file(source: &Path, text: &str, diagnostics: &mut Diagnostics) -> Vec<AlertRule> {
    let documents: Vec<RawDocument> = match serde_saphyr::from_multiple(text) {
        Ok(documents) => documents,
        Err(error) => {
            diagnostics.push(yaml_error(source, text, &error));
            return Vec::new();
        }
    };
    let reader = RuleReader {
        source,
        lines: LineIndex::new(text),
        yaml_lines: YamlLines::new(text),
    };
    let mut groups = Vec::new();
    for document in documents {
        collect_groups(document, &mut groups);
    }
    if groups.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                codes::ALERT_FILE_WITHOUT_RULES,
                "rule file holds no rule groups (`groups:`, or `spec.groups` of a `PrometheusRule`)",
            )
            .at(source, Some(reader.lines.span(0, 0)))
            .with_help("move files that are not Prometheus rules out of the rules folder, or narrow `[alerts] rules` in opsbook.toml"),
        );
    }
    let mut rules = Vec::new();
    for group in groups {
        let name = group.name.unwrap_or_default();
        for rule in group.rules {
            if let Some(rule) = reader.alert_rule(&name, rule, diagnostics) {
                rules.push(rule);
            }
        }
    }
    rules
}

/// The rule groups of a document: its own, its spec's (for rule manifests) or its
/// items' (for lists). Other objects give none.
fn collect_groups(document: RawDocument, groups: &mut Vec<RawGroup>) {
    let kind = document.kind.as_deref().unwrap_or("");
    if kind == "List" || document.items.is_some() && kind.is_empty() {
        for item in document.items.into_iter().flatten() {
            collect_groups(item, groups);
        }
        return;
    }
    if !kind.is_empty() && kind != "PrometheusRule" {
        return;
    }
    groups.extend(document.groups.into_iter().flatten());
    groups.extend(
        document
            .spec
            .and_then(|spec| spec.groups)
            .into_iter()
            .flatten(),
    );
}

struct RuleReader<'a> {
    source: &'a Path,
    lines: LineIndex<'a>,
    yaml_lines: YamlLines<'a>,
}

impl RuleReader<'_> {
    fn span(&self, location: &Location) -> Span {
        let offset = self.yaml_lines.offset(location.line(), location.column());
        self.lines.span(offset, offset)
    }

    /// The model of one rule; `None` for a recording rule or a rule that cannot be read
    /// (reported).
    fn alert_rule(
        &self,
        group: &str,
        rule: Spanned<RawRule>,
        diagnostics: &mut Diagnostics,
    ) -> Option<AlertRule> {
        let at = self.span(&rule.referenced);
        let raw = rule.value;
        let Some(name) = raw.alert else {
            if raw.record.is_none() {
                diagnostics.push(
                    Diagnostic::error(
                        codes::ALERT_RULE_INVALID,
                        format!("a rule of group `{group}` has neither `alert:` nor `record:`"),
                    )
                    .at(self.source, Some(at))
                    .with_help("name the alert with `alert: SomethingIsWrong` (Prometheus rejects this rule as it is)"),
                );
            }
            return None;
        };
        let name_span = self.span(&name.referenced);
        let Some(expr) = raw.expr.filter(|e| !e.trim().is_empty()) else {
            diagnostics.push(
                Diagnostic::error(
                    codes::ALERT_RULE_INVALID,
                    format!("alert `{}` has no `expr:`", name.value),
                )
                .at(self.source, Some(name_span))
                .with_help("give the PromQL condition under `expr:` (Prometheus rejects this rule as it is)"),
            );
            return None;
        };
        let mut annotations = raw.annotations;
        let mut annotation = |key: &str| annotations.remove(key).flatten();
        let summary = annotation("summary").map(|s| s.value);
        let description = annotation("description").map(|s| s.value);
        let runbook_url = annotation("runbook_url")
            .filter(|url| !url.value.trim().is_empty())
            .map(|url| RunbookUrl {
                url: url.value.trim().to_string(),
                span: self.span(&url.referenced),
            });
        Some(AlertRule {
            name: name.value,
            group: group.to_string(),
            expr,
            for_duration: raw.for_duration,
            labels: raw
                .labels
                .into_iter()
                .filter_map(|(key, value)| value.map(|value| (key, value)))
                .collect(),
            summary,
            description,
            runbook_url,
            source: self.source.to_path_buf(),
            span: name_span,
        })
    }
}

/// Lines as YAML counts them, where a lone `\r` ends a line as `\n` and `\r\n` do
/// (YAML 1.2, 5.4). serde-saphyr's positions are lines and character columns of that
/// kind, while `LineIndex` (and every diagnostic) counts `\n` only: a stray `\r` would
/// put every later position a line off, past the end of the line it names. Positions
/// go through a byte offset instead, which both agree on.
struct YamlLines<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> YamlLines<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (index, &byte) in bytes.iter().enumerate() {
            let ends_line = byte == b'\n' || byte == b'\r' && bytes.get(index + 1) != Some(&b'\n');
            if ends_line {
                starts.push(index + 1);
            }
        }
        YamlLines { text, starts }
    }

    /// The byte offset of a 1-based line and character column; a position past the end
    /// of its line stops there, past the last line at the end of the text.
    fn offset(&self, line: u64, col: u64) -> usize {
        let line = usize::try_from(line.max(1) - 1).unwrap_or(usize::MAX);
        let start = self.starts.get(line).copied().unwrap_or(self.text.len());
        let end = self
            .starts
            .get(line.saturating_add(1))
            .copied()
            .unwrap_or(self.text.len());
        let content = &self.text[start..end];
        let content = content.strip_suffix('\n').unwrap_or(content);
        let content = content.strip_suffix('\r').unwrap_or(content);
        let before = usize::try_from(col.max(1) - 1).unwrap_or(usize::MAX);
        let within = content
            .char_indices()
            .nth(before)
            .map_or(content.len(), |(index, _)| index);
        start + within
    }
}

/// A serde-saphyr error as a diagnostic at its line and column.
fn yaml_error(source: &Path, text: &str, error: &serde_saphyr::Error) -> Diagnostic {
    let span = error.location().filter(|l| l.line() > 0).map(|location| {
        let offset = YamlLines::new(text).offset(location.line(), location.column());
        LineIndex::new(text).span(offset, offset)
    });
    Diagnostic::error(
        codes::ALERT_RULES_SYNTAX,
        format!("invalid rule file: {}", sentence_of(&error.to_string())),
    )
    .at(source, span)
    .with_help("fix the YAML (`promtool check rules FILE` checks a plain rule file); rules are `groups:` of `name:` and `rules:` with `alert:`, `expr:`, `for:`, `labels:` and `annotations:`")
}

/// serde-saphyr's message without its position prefix and snippet (the position is ours
/// to print).
fn sentence_of(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    let line = line.strip_prefix("error:").unwrap_or(line).trim_start();
    let sentence = match line.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(line, |(_, sentence)| sentence),
        None => line,
    };
    sentence.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<AlertRule>, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let rules = read_rule_file(Path::new("alerts/x.yaml"), text, &mut diagnostics);
        (rules, diagnostics)
    }

    fn positions(diagnostics: &Diagnostics) -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| format!("{} {}", d.location(), d.code))
            .collect()
    }

    const MANIFEST: &str = "\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: db-rules
spec:
  groups:
  - name: db.rules
    rules:
    - alert: PostgresDown
      annotations:
        summary: The primary is down.
        runbook_url: https://ops.example.org/runbooks/db/postgresdown
      expr: |
        pg_up{job=\"postgres\"} == 0
      for: 5m
      labels:
        severity: critical
    - record: job:pg_up:sum
      expr: sum by (job) (pg_up)
";

    #[test]
    fn a_prometheus_rule_manifest_gives_its_alerts_with_positions() {
        let (rules, diagnostics) = read(MANIFEST);
        assert!(diagnostics.is_empty(), "{:?}", positions(&diagnostics));
        assert_eq!(rules.len(), 1, "the recording rule is not an alert");
        let rule = &rules[0];
        assert_eq!(rule.name, "PostgresDown");
        assert_eq!(rule.group, "db.rules");
        assert_eq!(rule.expr, "pg_up{job=\"postgres\"} == 0\n");
        assert_eq!(rule.for_duration.as_deref(), Some("5m"));
        assert_eq!(rule.severity(), Some("critical"));
        assert_eq!(rule.summary.as_deref(), Some("The primary is down."));
        assert_eq!((rule.span.line, rule.span.col), (9, 14));
        let url = rule.runbook_url.as_ref().unwrap();
        assert_eq!(url.url, "https://ops.example.org/runbooks/db/postgresdown");
        assert_eq!((url.span.line, url.span.col), (12, 22));
        assert_eq!(&MANIFEST[url.span.start..url.span.start + 8], "https://");
    }

    #[test]
    fn plain_rule_files_lists_and_several_documents_are_all_read() {
        let text = "\
groups:
- name: a
  rules:
  - alert: One
    expr: up == 0
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: unrelated
---
apiVersion: v1
kind: List
items:
- apiVersion: monitoring.coreos.com/v1
  kind: PrometheusRule
  spec:
    groups:
    - name: b
      rules:
      - alert: Two
        expr: up == 0
";
        let (rules, diagnostics) = read(text);
        assert!(diagnostics.is_empty(), "{:?}", positions(&diagnostics));
        let names: Vec<(&str, &str, u32)> = rules
            .iter()
            .map(|r| (r.name.as_str(), r.group.as_str(), r.span.line))
            .collect();
        assert_eq!(names, [("One", "a", 4), ("Two", "b", 21)]);
        assert!(rules.iter().all(|r| r.runbook_url.is_none()));
    }

    #[test]
    fn fields_opsbook_does_not_show_and_unquoted_scalars_are_tolerated() {
        let text = "\
groups:
- name: k8s.rules
  interval: 30s
  limit: 10
  rules:
  - record: histogram_quantile:x
    expr: histogram_quantile(0.99, x)
    labels:
      quantile: 0.99
  - alert: Watchdog
    expr: vector(1)
    keep_firing_for: 5m
    labels:
      severity: none
      priority: 1
      paging: true
    annotations:
      description: This alert always fires.
      runbook_url: https://runbooks.example.org/runbooks/general/watchdog
";
        let (rules, diagnostics) = read(text);
        assert!(diagnostics.is_empty(), "{:?}", positions(&diagnostics));
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].labels["priority"], "1");
        assert_eq!(rules[0].labels["paging"], "true");
        assert_eq!(rules[0].for_duration, None);
    }

    #[test]
    fn broken_yaml_is_an_error_at_its_line() {
        let (rules, diagnostics) = read("groups:\n- name: a\n  rules:\n  - alert: [unclosed\n");
        assert!(rules.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, codes::ALERT_RULES_SYNTAX);
        assert!(diagnostics[0].is_error());
        assert!(
            diagnostics[0].span.is_some_and(|s| s.line >= 4),
            "{:?}",
            diagnostics[0]
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error_at_its_line() {
        let (_, diagnostics) = read(
            "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    labels: [critical]\n",
        );
        assert_eq!(positions(&diagnostics), ["alerts/x.yaml:6:13 OPS700"]);
    }

    #[test]
    fn rules_without_a_name_or_an_expression_are_errors_and_left_out() {
        let text = "groups:\n- name: a\n  rules:\n  - expr: up == 0\n  - alert: NoExpr\n  - alert: Fine\n    expr: up == 0\n";
        let (rules, diagnostics) = read(text);
        assert_eq!(rules.len(), 1);
        assert_eq!(
            positions(&diagnostics),
            ["alerts/x.yaml:4:5 OPS701", "alerts/x.yaml:5:12 OPS701"]
        );
    }

    /// Found by the `alert_rules` fuzz target: YAML ends a line at a lone `\r`, the
    /// diagnostics' line index does not, and the rules after one were placed a line
    /// below where they are written (`B` at 9:12, the `up` of the next line).
    #[test]
    fn a_lone_carriage_return_does_not_move_later_positions() {
        let text = "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up == 0\n    labels:\n\r      severity: page\n  - alert: B\n    expr: up == 1\n    annotations:\n      runbook_url: https://x.example/b\n";
        let (rules, diagnostics) = read(text);
        assert!(diagnostics.is_empty(), "{:?}", positions(&diagnostics));
        let rule = &rules[1];
        assert_eq!(rule.span.start, text.find("B\n").unwrap());
        assert_eq!((rule.span.line, rule.span.col), (8, 12));
        let url = rule.runbook_url.as_ref().unwrap();
        assert_eq!(url.span.start, text.find("https").unwrap());
        assert_eq!((url.span.line, url.span.col), (11, 20));
    }

    #[test]
    fn a_syntax_error_after_lone_carriage_returns_is_placed_on_its_line() {
        let text = "groups:\r- name: a\r  rules:\r  - alert: [unclosed\r";
        let (_, diagnostics) = read(text);
        let span = diagnostics[0].span.expect("the error has a position");
        assert!(span.start <= text.len());
        assert_eq!(
            LineIndex::new(text).line_col(span.start),
            (span.line, span.col),
            "{span:?}"
        );
    }

    #[test]
    fn a_yaml_file_without_rule_groups_is_a_warning() {
        let (rules, diagnostics) = read("route:\n  receiver: team\n");
        assert!(rules.is_empty());
        assert_eq!(positions(&diagnostics), ["alerts/x.yaml:1:1 OPS703"]);
        assert!(!diagnostics[0].is_error());
    }
}
