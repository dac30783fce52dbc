//! Audit analyses (analysis stage): `&Project` in, facts and diagnostics out.
//! - findings ↔ plan: which tasks remediate a finding (its own `remediated_by`, or a
//!   report finding with the same id or CVE), and which findings a task remediates;
//! - the diff of an audit against the previous audit of the same target, by date;
//! - diagnostics: a `remediated_by` naming no task, an open critical/high finding with
//!   no remediating task, VEX statements about nothing, a severity policy naming no tool;
//! - the `--fail-on` gate: each scan compared on an artifact page counts once per
//!   distinct finding, at the severity settled on; VEX `not_affected` and `fixed` do not
//!   count.
//!
//! `AuditFacts` holds what the audit pages share: the VEX index and the artifact groups.

use std::collections::{BTreeMap, BTreeSet};

use super::artifacts::{group_artifacts, ArtifactFinding, ArtifactGroup};
use super::vex::{report_unmatched, VexIndex, VexVerdict};
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::audit::{Audit, Finding, Severity, SeverityPolicy};
use crate::model::{Page, Project, Span};

/// What every audit page and the gate need about the site's audits, made once.
#[derive(Debug)]
pub struct AuditFacts<'a> {
    pub vex: VexIndex<'a>,
    pub artifacts: Vec<ArtifactGroup<'a>>,
    pub policy: SeverityPolicy,
}

impl<'a> AuditFacts<'a> {
    pub fn new(project: &'a Project, policy: &SeverityPolicy) -> Self {
        let vex = VexIndex::new(project);
        let artifacts = group_artifacts(project, &vex, policy);
        AuditFacts {
            vex,
            artifacts,
            policy: policy.clone(),
        }
    }

    /// The artifact page that compares `audit` with other scans, or on which it is an
    /// earlier scan.
    pub fn artifact_of(&self, audit: &Audit) -> Option<&ArtifactGroup<'a>> {
        self.artifacts.iter().find(|group| {
            group.compares(audit) || group.earlier.iter().any(|a| std::ptr::eq(*a, audit))
        })
    }

    /// The VEX statement that holds for a finding of `audit`.
    pub fn verdict(&self, audit: &Audit, finding: &Finding) -> Option<VexVerdict<'a>> {
        self.vex.verdict_for(audit, finding)
    }

    /// Still open: not suppressed or closed in a report, not closed by VEX.
    pub fn is_open(&self, audit: &Audit, finding: &Finding) -> bool {
        finding.is_open()
            && !self
                .verdict(audit, finding)
                .is_some_and(|v| v.closes_finding())
    }
}

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

/// The audit problems a build reports: task ids no plan has, open critical/high
/// findings nothing remediates, VEX statements about nothing, and a severity policy
/// naming a tool no scan comes from (`policy_span`: where opsbook.toml says it).
pub fn check_audits(
    project: &Project,
    policy: &SeverityPolicy,
    policy_span: Option<Span>,
    diagnostics: &mut Diagnostics,
) {
    let tasks = tasks_by_id(project);
    let remediations = Remediations::new(project);
    let vex = VexIndex::new(project);
    for audit in &project.audits {
        for finding in &audit.findings {
            for id in &finding.remediated_by {
                if !tasks.contains_key(id.as_str()) {
                    diagnostics.push(unknown_task(audit, finding, id, &tasks));
                }
            }
            let serious = finding.severity >= Severity::High;
            let open = finding.is_open()
                && !vex
                    .verdict_for(audit, finding)
                    .is_some_and(|v| v.closes_finding());
            if serious && open && remediations.task_ids(finding).is_empty() {
                diagnostics.push(unremediated(audit, finding));
            }
        }
    }
    report_unmatched(project, &vex, diagnostics);
    check_policy_tool(project, policy, policy_span, diagnostics);
}

/// `[audits] severity = "Trivy"` when no scan comes from Trivy: a typo, most likely.
fn check_policy_tool(
    project: &Project,
    policy: &SeverityPolicy,
    span: Option<Span>,
    diagnostics: &mut Diagnostics,
) {
    let SeverityPolicy::Tool(wanted) = policy else {
        return;
    };
    let tools: BTreeSet<&str> = project
        .audits
        .iter()
        .filter(|audit| audit.raw_output.is_some())
        .flat_map(|audit| audit.tools.iter().map(|t| t.name.as_str()))
        .collect();
    if project.audits.is_empty() || tools.iter().any(|t| t.eq_ignore_ascii_case(wanted)) {
        return;
    }
    let known: Vec<&str> = tools.into_iter().collect();
    diagnostics.push(
        Diagnostic::warning(
            codes::AUDIT_SEVERITY_TOOL,
            format!("`[audits] severity` names `{wanted}`, but no scan of the site comes from it; the highest severity is used"),
        )
        .at(crate::config::CONFIG_FILE, span)
        .with_help(if known.is_empty() {
            "use `highest` or `lowest`".to_string()
        } else {
            format!("use `highest`, `lowest` or one of the scanners: {}", known.join(", "))
        }),
    );
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

/// `--fail-on`: one error per open finding at or above `threshold`. A scan compared on
/// an artifact page counts through its artifact's distinct findings (one error for what
/// several scanners report, at the severity settled on), an older scan there not at all;
/// other audits count finding by finding. Suppressed findings, findings a report marks
/// fixed or accepted, and findings VEX closes do not count.
pub fn gate(
    project: &Project,
    policy: &SeverityPolicy,
    threshold: Severity,
    diagnostics: &mut Diagnostics,
) {
    let facts = AuditFacts::new(project, policy);
    for group in &facts.artifacts {
        let failing = group
            .findings
            .iter()
            .filter(|f| f.severity >= threshold && f.is_open());
        diagnostics.extend(failing.map(|finding| artifact_gate_error(group, finding, threshold)));
    }
    let on_artifact_pages = |audit: &Audit| facts.artifact_of(audit).is_some();
    let errors = project
        .audits
        .iter()
        .filter(|audit| !on_artifact_pages(audit))
        .flat_map(|audit| audit.findings.iter().map(move |f| (audit, f)))
        .filter(|(audit, f)| f.severity >= threshold && facts.is_open(audit, f))
        .map(|(audit, finding)| {
            let package = package_phrase(
                finding.package.as_deref(),
                finding.installed_version.as_deref(),
            );
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
            .with_help(GATE_HELP)
        });
    diagnostics.extend(errors);
}

const GATE_HELP: &str = "fix it, mark it suppressed in the tool or `status: accepted` in an audit report, or record `not_affected` or `fixed` in an OpenVEX document";

/// ` in libssl3 3.0.8-1`, ` in libssl3`, or nothing.
fn package_phrase(package: Option<&str>, version: Option<&str>) -> String {
    match (package, version) {
        (Some(p), Some(v)) => format!(" in {p} {v}"),
        (Some(p), None) => format!(" in {p}"),
        _ => String::new(),
    }
}

fn artifact_gate_error(
    group: &ArtifactGroup,
    finding: &ArtifactFinding,
    threshold: Severity,
) -> Diagnostic {
    let versions = finding.installed_versions().join(", ");
    let package = package_phrase(
        finding.package.as_deref(),
        (!versions.is_empty()).then_some(versions.as_str()),
    );
    let first = &finding.reports[0];
    Diagnostic::error(
        codes::AUDIT_GATE,
        format!(
            "{} finding `{}`{package} of {} ({}) is at or above --fail-on {threshold}",
            finding.severity,
            finding.vulnerability,
            group.artifact.short(),
            finding.tools().join(", ")
        ),
    )
    .at(&first.audit.source, first.finding.span)
    .with_help(GATE_HELP)
}
