//! Triage-first findings tables (render stage), shared by a scan's page and an artifact
//! page: rows in, rows grouped by severity out. Open findings come first, most severe
//! first, each severity its own row group with an anchor and a count; inside a group,
//! findings with a fix come first (they can be fixed today), then by package and id.
//! Findings that need no work (closed by VEX, suppressed, fixed or accepted) come last,
//! in one group of their own. Also the VEX column's view and the filter form's choices
//! (the form is shown only by `static/audit.js`; the page works without it).

use serde::Serialize;

use super::LinkView;
use crate::analysis::vex::VexVerdict;
use crate::model::audit::Severity;

/// What decides a row's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageKey {
    pub severity: Severity,
    pub open: bool,
    pub has_fix: bool,
    pub package: String,
    pub id: String,
}

/// One row group of a findings table: one severity of open findings, or the closed ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeverityGroupView<T> {
    /// `critical` … `info`, or `closed`.
    pub key: String,
    /// `Critical`, or `Closed`.
    pub label: String,
    /// The row group's id: `<table anchor>-critical`.
    pub anchor: String,
    pub rows: Vec<T>,
}

/// Rows grouped and ordered for triage (see the module comment). `anchor` is the id of
/// the table the groups belong to.
pub fn triage_groups<T>(mut rows: Vec<(TriageKey, T)>, anchor: &str) -> Vec<SeverityGroupView<T>> {
    rows.sort_by(|(a, _), (b, _)| {
        b.open
            .cmp(&a.open)
            .then(b.severity.cmp(&a.severity))
            .then(b.has_fix.cmp(&a.has_fix))
            .then(a.package.cmp(&b.package))
            .then(a.id.cmp(&b.id))
    });
    let mut groups: Vec<SeverityGroupView<T>> = Vec::new();
    for (key, row) in rows {
        let (name, label) = if key.open {
            (key.severity.as_str(), capitalised(key.severity.as_str()))
        } else {
            ("closed", "Closed".to_string())
        };
        match groups.last_mut() {
            Some(group) if group.key == name => group.rows.push(row),
            _ => groups.push(SeverityGroupView {
                key: name.to_string(),
                label,
                anchor: format!("{anchor}-{name}"),
                rows: vec![row],
            }),
        }
    }
    groups
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The statement that holds for a finding, as its VEX cell shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VexView {
    /// `not_affected`: the class and the filter's value.
    pub status: String,
    /// `not affected`.
    pub label: String,
    /// `component not present`.
    pub justification: Option<String>,
    /// The team's words (impact, action, notes, statement).
    pub explanation: Option<String>,
    /// `2023-08-15`, when the statement has a timestamp.
    pub date: Option<String>,
    /// The VEX file as published.
    pub document: LinkView,
    /// Earlier statements about the same finding that this one replaced.
    pub earlier: usize,
}

/// `earlier` is the number of older statements (the history before this one).
pub fn vex_view(verdict: &VexVerdict, earlier: usize, root: &str) -> VexView {
    let statement = verdict.statement;
    let raw = &verdict.document.raw_output;
    VexView {
        status: statement.status.as_str().to_string(),
        label: statement.status.label().to_string(),
        justification: statement.justification.map(|j| j.label()),
        explanation: statement.explanation(),
        date: statement.timestamp.as_ref().map(|t| t.date().to_string()),
        document: LinkView {
            title: raw
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            href: format!("{root}{}", raw.to_string_lossy().replace('\\', "/")),
            description: None,
        },
        earlier,
    }
}

/// One choice of a filter's list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FilterOptionView {
    pub value: String,
    pub label: String,
}

/// The choices of the filter form above the findings (shown by `static/audit.js`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct FilterView {
    /// Severities that have rows, most severe first.
    pub severities: Vec<String>,
    /// Scanners, when more than one reported.
    pub tools: Vec<String>,
    /// VEX statuses present, when any row has one.
    pub vex: Vec<FilterOptionView>,
    /// Whether any row has a fix (else the fix filter is left out).
    pub any_fix: bool,
}

impl FilterView {
    pub fn new(
        severities: impl IntoIterator<Item = Severity>,
        tools: impl IntoIterator<Item = String>,
        vex: impl IntoIterator<Item = (String, String)>,
        any_fix: bool,
    ) -> FilterView {
        let present: std::collections::BTreeSet<Severity> = severities.into_iter().collect();
        let tools: std::collections::BTreeSet<String> = tools.into_iter().collect();
        let vex: std::collections::BTreeSet<(String, String)> = vex.into_iter().collect();
        FilterView {
            severities: Severity::ALL_DESCENDING
                .into_iter()
                .filter(|s| present.contains(s))
                .map(|s| s.to_string())
                .collect(),
            tools: if tools.len() > 1 {
                tools.into_iter().collect()
            } else {
                Vec::new()
            },
            vex: vex
                .into_iter()
                .map(|(value, label)| FilterOptionView { value, label })
                .collect(),
            any_fix,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(severity: Severity, open: bool, has_fix: bool, package: &str) -> TriageKey {
        TriageKey {
            severity,
            open,
            has_fix,
            package: package.into(),
            id: "CVE-1".into(),
        }
    }

    #[test]
    fn open_findings_come_most_severe_first_fixable_first_and_closed_ones_last() {
        let rows = vec![
            (key(Severity::Low, true, false, "apt"), "low apt"),
            (
                key(Severity::Critical, false, true, "tar"),
                "closed critical",
            ),
            (key(Severity::High, true, false, "bash"), "high bash"),
            (
                key(Severity::High, true, true, "zlib"),
                "high zlib with fix",
            ),
            (key(Severity::Low, false, false, "login"), "closed low"),
        ];
        let groups = triage_groups(rows, "target-nginx");
        let layout: Vec<(&str, &str, Vec<&str>)> = groups
            .iter()
            .map(|g| (g.key.as_str(), g.anchor.as_str(), g.rows.clone()))
            .collect();
        assert_eq!(
            layout,
            [
                (
                    "high",
                    "target-nginx-high",
                    vec!["high zlib with fix", "high bash"]
                ),
                ("low", "target-nginx-low", vec!["low apt"]),
                (
                    "closed",
                    "target-nginx-closed",
                    vec!["closed critical", "closed low"]
                ),
            ]
        );
        assert_eq!(groups[0].label, "High");
    }
}
