//! Alerting rules: the Prometheus alerts whose `runbook_url` annotations lead an on-call
//! engineer to a runbook. Read by `ingest::alerts` from the site's rule files (plain
//! Prometheus rule files, `PrometheusRule` manifests, Kubernetes lists); matched to the
//! runbook pages by `analysis::alert_links`. Every rule keeps the file and position it
//! came from, so a dead `runbook_url` is reported at its line.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::span::Span;

/// Every alerting rule of the site, in file order, and the files they were read from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AlertRules {
    /// The rule files read, relative to the site root, sorted.
    pub files: Vec<PathBuf>,
    /// The alerting rules (recording rules are left out), file by file in file order.
    pub rules: Vec<AlertRule>,
}

impl AlertRules {
    /// True when the site has no rule file at all (then nothing about alerts is shown
    /// or reported).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.rules.is_empty()
    }
}

/// One alerting rule (`- alert: Name` in a rule group).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRule {
    /// The alert's name (`alert:`), e.g. `DiskAlmostFull`.
    pub name: String,
    /// The name of its rule group (`groups[].name`).
    pub group: String,
    /// The PromQL expression, as written (block scalars keep their line breaks).
    pub expr: String,
    /// How long the condition must hold before the alert fires (`for: 10m`), as written.
    pub for_duration: Option<String>,
    /// The rule's labels (`severity: critical`, ...), sorted by name.
    pub labels: BTreeMap<String, String>,
    /// `annotations.summary`.
    pub summary: Option<String>,
    /// `annotations.description`.
    pub description: Option<String>,
    /// `annotations.runbook_url`, with the position of its value.
    pub runbook_url: Option<RunbookUrl>,
    /// The rule file, relative to the site root.
    pub source: PathBuf,
    /// Where the alert's name is written in the rule file.
    pub span: Span,
}

impl AlertRule {
    /// The `severity` label, when the rule has one.
    pub fn severity(&self) -> Option<&str> {
        self.labels.get("severity").map(String::as_str)
    }
}

/// A `runbook_url` annotation and where its value is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunbookUrl {
    pub url: String,
    pub span: Span,
}
