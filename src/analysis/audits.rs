//! Audit analyses (analysis stage): `&Project` in, facts and diagnostics out.
//! - findings ↔ plan: which tasks remediate a finding (its own `remediated_by`, or a
//!   report finding with the same id or CVE), and which findings a task remediates;
//! - the diff of an audit against the previous audit of the same target, by date;
//! - diagnostics: a `remediated_by` naming no task, an open critical/high finding with
//!   no remediating task;
//! - the `--fail-on` gate.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::audit::{Audit, Finding, Severity};
use crate::model::{Page, Project};

/// A plan task a finding links to.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRef<'a> {
    pub page: &'a Page,
    pub id: String,
    pub title: String,
}

/// Every task of every plan by id (`1.2`), in page order.
pub fn tasks_by_id(project: &Project) -> BTreeMap<&str, Vec<TaskRef<'_>>> {
    let mut tasks: BTreeMap<&str, Vec<TaskRef>> = BTreeMap::new();
    for (page, plan) in project.plans() {
        for task in plan.tasks() {
            tasks.entry(task.id.as_str()).or_default().push(TaskRef {
                page,
                id: task.id.clone(),
                title: task.creation.title.clone(),
            });
        }
    }
    tasks
}

/// Task ids that reports give for a finding id or CVE (`CVE-2023-1` → `["1.2"]`), so a
/// report can link scanner findings to the plan.
fn remediations_by_key(project: &Project) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let findings = project.audits.iter().flat_map(|a| a.findings.iter());
    for finding in findings.filter(|f| !f.remediated_by.is_empty()) {
        for key in std::iter::once(&finding.id).chain(finding.cve.as_ref()) {
            map.entry(key.to_ascii_uppercase())
                .or_default()
                .extend(finding.remediated_by.iter().cloned());
        }
    }
    map
}

/// Answers "which tasks remediate this finding" for one project.
pub struct Remediations {
    by_key: BTreeMap<String, BTreeSet<String>>,
}

impl Remediations {
    pub fn new(project: &Project) -> Self {
        Remediations {
            by_key: remediations_by_key(project),
        }
    }

    /// The finding's own task ids, then those reports give for its id or CVE; sorted.
    pub fn task_ids(&self, finding: &Finding) -> Vec<String> {
        let mut ids: BTreeSet<String> = finding.remediated_by.iter().cloned().collect();
        for key in std::iter::once(&finding.id).chain(finding.cve.as_ref()) {
            if let Some(more) = self.by_key.get(&key.to_ascii_uppercase()) {
                ids.extend(more.iter().cloned());
            }
        }
        ids.into_iter().collect()
    }
}

/// Every finding whose remediating tasks include `task_id`, with its audit.
pub fn findings_remediated_by<'a>(
    project: &'a Project,
    remediations: &Remediations,
    task_id: &str,
) -> Vec<(&'a Audit, &'a Finding)> {
    project
        .audits
        .iter()
        .flat_map(|audit| audit.findings.iter().map(move |f| (audit, f)))
        .filter(|(_, finding)| {
            remediations
                .task_ids(finding)
                .iter()
                .any(|id| id == task_id)
        })
        .collect()
}

/// What changed since the previous audit of the same target.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditDiff<'a> {
    pub previous: &'a Audit,
    /// In this audit, not in the previous one.
    pub new: Vec<&'a Finding>,
    /// In the previous audit, gone from this one.
    pub fixed: Vec<&'a Finding>,
    pub unchanged: Vec<&'a Finding>,
}

/// Findings are the same across audits when they name the same id (CVE when known) in
/// the same package of the same target; the version may change without a fix.
fn diff_key(finding: &Finding) -> (String, String, String) {
    (
        finding.cve.clone().unwrap_or_else(|| finding.id.clone()),
        finding.package.clone().unwrap_or_default(),
        finding.target.clone(),
    )
}

/// The latest earlier-dated audit of the same target. Audits without a date have no
/// previous audit and are nobody's previous audit.
pub fn previous_audit<'a>(project: &'a Project, audit: &Audit) -> Option<&'a Audit> {
    let date = audit.date.as_deref()?;
    project
        .audits
        .iter()
        .filter(|other| other.target == audit.target && other.source != audit.source)
        .filter(|other| other.date.as_deref().is_some_and(|d| d < date))
        .max_by(|a, b| a.date.cmp(&b.date).then(a.source.cmp(&b.source)))
}

/// The diff against `previous_audit`, when there is one.
pub fn diff_against_previous<'a>(project: &'a Project, audit: &'a Audit) -> Option<AuditDiff<'a>> {
    let previous = previous_audit(project, audit)?;
    let before: BTreeSet<_> = previous.findings.iter().map(diff_key).collect();
    let now: BTreeSet<_> = audit.findings.iter().map(diff_key).collect();
    let (unchanged, new) = audit
        .findings
        .iter()
        .partition(|f| before.contains(&diff_key(f)));
    let fixed = previous
        .findings
        .iter()
        .filter(|f| !now.contains(&diff_key(f)))
        .collect();
    Some(AuditDiff {
        previous,
        new,
        fixed,
        unchanged,
    })
}

/// The audit problems a build reports: task ids no plan has, and open critical/high
/// findings nothing remediates.
pub fn check_audits(project: &Project, diagnostics: &mut Diagnostics) {
    let tasks = tasks_by_id(project);
    let remediations = Remediations::new(project);
    for audit in &project.audits {
        for finding in &audit.findings {
            for id in &finding.remediated_by {
                if !tasks.contains_key(id.as_str()) {
                    diagnostics.push(unknown_task(audit, finding, id, &tasks));
                }
            }
            let serious = finding.severity >= Severity::High;
            if serious && finding.is_open() && remediations.task_ids(finding).is_empty() {
                diagnostics.push(unremediated(audit, finding));
            }
        }
    }
}

fn unknown_task(
    audit: &Audit,
    finding: &Finding,
    id: &str,
    tasks: &BTreeMap<&str, Vec<TaskRef>>,
) -> Diagnostic {
    let known: Vec<&str> = tasks.keys().copied().take(12).collect();
    let help = if known.is_empty() {
        "the site has no plan with tasks; add the plan under `content/plans/`".to_string()
    } else {
        format!("use a task id from a plan, e.g. {}", known.join(", "))
    };
    Diagnostic::warning(
        codes::AUDIT_UNKNOWN_TASK,
        format!(
            "finding `{}` is remediated by task `{id}`, which no plan has",
            finding.id
        ),
    )
    .at(&audit.source, finding.span)
    .with_help(help)
}

fn unremediated(audit: &Audit, finding: &Finding) -> Diagnostic {
    let package = finding
        .package
        .as_deref()
        .map(|p| format!(" in {p}"))
        .unwrap_or_default();
    Diagnostic::warning(
        codes::AUDIT_UNREMEDIATED,
        format!(
            "open {} finding `{}`{package} has no remediating plan task",
            finding.severity, finding.id
        ),
    )
    .at(&audit.source, finding.span)
    .with_help(format!(
        "name a plan task in an audit report finding (`id: {}` with `remediated_by: [1.2]`), or mark it accepted",
        finding.id
    ))
}

/// `--fail-on`: one error per unsuppressed finding at or above `threshold` (findings a
/// report marks fixed or accepted do not count either).
pub fn gate(project: &Project, threshold: Severity, diagnostics: &mut Diagnostics) {
    let errors = project
        .audits
        .iter()
        .flat_map(|audit| audit.findings.iter().map(move |f| (audit, f)))
        .filter(|(_, f)| f.severity >= threshold && f.is_open())
        .map(|(audit, finding)| {
            let package = match (&finding.package, &finding.installed_version) {
                (Some(p), Some(v)) => format!(" in {p} {v}"),
                (Some(p), None) => format!(" in {p}"),
                _ => String::new(),
            };
            Diagnostic::error(
                codes::AUDIT_GATE,
                format!(
                    "{} finding `{}`{package} ({}) is at or above --fail-on {threshold}",
                    finding.severity,
                    finding.id,
                    finding.tools.join(", ")
                ),
            )
            .at(&audit.source, finding.span)
            .with_help("fix it, or mark it suppressed in the tool or `status: accepted` in an audit report")
        });
    diagnostics.extend(errors);
}
