//! The artifact page's view (render stage): one `ArtifactGroup` (the latest scan of each
//! scanner of one artifact) in, `ArtifactView` out: which scans are compared, how many
//! distinct findings all or only some scanners saw, every severity disagreement with
//! each scanner's value and where it came from, the severity settled on, the findings in
//! triage order with the VEX statement that holds, and every VEX statement about the
//! artifact (superseded ones too, so the history of a decision stays readable).

use std::collections::BTreeMap;

use serde::Serialize;

use super::audit::{finding_anchor, SeverityCountView};
use super::findings::{triage_groups, vex_view, FilterView, SeverityGroupView, TriageKey, VexView};
use super::{LinkView, ViewContext};
use crate::analysis::artifacts::{ArtifactFinding, ArtifactGroup};
use crate::analysis::audits::AuditFacts;
use crate::analysis::vex::VexVerdict;
use crate::model::anchor::{slugify, IdAllocator};
use crate::model::audit::{Audit, Severity};

/// Everything `artifact.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArtifactView {
    /// `nginx@sha256:5f0c1e9a7b3d`.
    pub title: String,
    /// The full reference, `nginx@sha256:<64 hex>`.
    pub reference: String,
    pub name: String,
    pub digest: Option<String>,
    /// How the severity is settled when scanners disagree.
    pub policy: String,
    pub tools: Vec<String>,
    pub scans: Vec<ScanView>,
    /// Older scans of the same tools, not compared.
    pub earlier: Vec<LinkView>,
    pub vex_documents: Vec<LinkView>,
    pub distinct: usize,
    pub open: usize,
    pub closed_by_vex: usize,
    pub seen_by_all: usize,
    pub seen_by_some: usize,
    /// Distinct findings per settled severity, most serious first.
    pub counts: Vec<SeverityCountView>,
    pub disagreements: Vec<DisagreementView>,
    /// The findings table's id and its number of columns.
    pub table_anchor: String,
    pub columns: usize,
    pub has_vex: bool,
    /// Whether any finding has a fix (else the "Fixed in" column is left out).
    pub has_fix: bool,
    pub severities: Vec<SeverityGroupView<ArtifactFindingView>>,
    pub filter: FilterView,
    pub statements: Vec<StatementView>,
}

/// One scanner's scan compared on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanView {
    pub tool: String,
    pub link: LinkView,
    pub date: Option<String>,
    /// Its findings (as the scanner counts them, before matching across scanners).
    pub findings: usize,
    pub open: usize,
    /// Distinct findings no other scanner reported.
    pub only_this: usize,
}

/// One scanner's value for a finding (`None` where it did not report it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolValueView {
    pub tool: String,
    pub severity: Option<String>,
    /// `security-severity 10.0`.
    pub source: Option<String>,
}

/// A finding the scanners gave different severities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisagreementView {
    pub vulnerability: String,
    pub package: Option<String>,
    /// `#…`: the finding's row below.
    pub href: String,
    /// One per tool of the artifact, in the order of `tools`.
    pub values: Vec<ToolValueView>,
    pub settled: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArtifactFindingView {
    pub anchor: String,
    pub vulnerability: String,
    /// The other ids the scanners use (`CVE-2004-0001-TAR`, `SNYK-…`).
    pub other_names: Vec<String>,
    pub title: String,
    pub package: Option<String>,
    pub installed: Option<String>,
    pub fixed_version: Option<String>,
    pub has_fix: bool,
    /// Settled severity.
    pub severity: String,
    pub disagrees: bool,
    /// What each reporting scanner said, by tool.
    pub values: Vec<ToolValueView>,
    pub tools: Vec<String>,
    /// `Grype|Trivy`, for the filter script.
    pub tools_attr: String,
    pub seen_by_all: bool,
    pub vex: Option<VexView>,
    /// Each scanner's row on its own page, then the CVE record.
    pub links: Vec<LinkView>,
}

/// A VEX statement about the artifact, and whether it still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementView {
    pub vulnerability: String,
    /// The packages of the artifact it is about.
    pub packages: Vec<String>,
    pub status: String,
    pub label: String,
    pub justification: Option<String>,
    pub explanation: Option<String>,
    pub date: Option<String>,
    pub document: LinkView,
    /// False when a later statement replaces it.
    pub holds: bool,
}

pub fn artifact_view(group: &ArtifactGroup, facts: &AuditFacts, ctx: &ViewContext) -> ArtifactView {
    let root = &ctx.root;
    let table_anchor = "artifact-findings".to_string();
    let mut ids = IdAllocator::default();
    ids.allocate(&table_anchor);
    let rows: Vec<(TriageKey, ArtifactFindingView)> = group
        .findings
        .iter()
        .map(|finding| {
            let view = finding_view(group, finding, &mut ids, root);
            let key = TriageKey {
                severity: finding.severity,
                open: finding.is_open(),
                has_fix: view.has_fix,
                package: finding.package.clone().unwrap_or_default(),
                id: finding.vulnerability.clone(),
            };
            (key, view)
        })
        .collect();
    let anchors: BTreeMap<(String, Option<String>), String> = rows
        .iter()
        .map(|(_, row)| {
            (
                (row.vulnerability.clone(), row.package.clone()),
                row.anchor.clone(),
            )
        })
        .collect();
    let has_vex = rows.iter().any(|(_, row)| row.vex.is_some());
    let has_fix = rows.iter().any(|(_, row)| row.has_fix);
    let filter = FilterView::new(
        group.findings.iter().map(|f| f.severity),
        group.tools.iter().cloned(),
        rows.iter()
            .filter_map(|(_, r)| r.vex.as_ref().map(|v| (v.status.clone(), v.label.clone()))),
        rows.iter().any(|(_, r)| r.has_fix),
    );
    let seen_by_all = group.seen_by_all();
    ArtifactView {
        title: group.artifact.short(),
        reference: group.artifact.to_string(),
        name: group.artifact.name.clone(),
        digest: group.artifact.digest.clone(),
        policy: facts.policy.describe(),
        tools: group.tools.clone(),
        scans: scan_views(group, facts, root),
        earlier: group
            .earlier
            .iter()
            .map(|audit| audit_link(audit, root))
            .collect(),
        vex_documents: vex_documents(group, root),
        distinct: group.findings.len(),
        open: group.open(),
        closed_by_vex: group
            .findings
            .iter()
            .filter(|f| f.verdict.is_some_and(|v| v.closes_finding()))
            .count(),
        seen_by_all,
        seen_by_some: group.findings.len() - seen_by_all,
        counts: Severity::ALL_DESCENDING
            .into_iter()
            .map(|severity| SeverityCountView {
                severity: severity.to_string(),
                count: group
                    .findings
                    .iter()
                    .filter(|f| f.severity == severity)
                    .count(),
            })
            .collect(),
        disagreements: disagreements(group, &anchors),
        table_anchor: table_anchor.clone(),
        columns: 6 + usize::from(has_fix) + usize::from(has_vex),
        has_vex,
        has_fix,
        severities: triage_groups(rows, &table_anchor),
        filter,
        statements: statements(group, root),
    }
}

fn audit_link(audit: &Audit, root: &str) -> LinkView {
    LinkView {
        title: audit.title.clone(),
        href: format!(
            "{root}{}",
            audit.output.to_string_lossy().replace('\\', "/")
        ),
        description: audit.date.clone(),
    }
}

fn scan_views(group: &ArtifactGroup, facts: &AuditFacts, root: &str) -> Vec<ScanView> {
    let mut views = Vec::new();
    for tool in &group.tools {
        let Some(audit) = group
            .scans
            .iter()
            .find(|audit| audit.tools.iter().any(|t| &t.name == tool))
        else {
            continue;
        };
        let reported = audit.findings.iter().filter(|f| f.tools.contains(tool));
        let (findings, open) = reported.fold((0, 0), |(all, open), f| {
            (all + 1, open + usize::from(facts.is_open(audit, f)))
        });
        let only_this = group
            .findings
            .iter()
            .filter(|f| f.tools() == [tool.as_str()])
            .count();
        views.push(ScanView {
            tool: tool.clone(),
            link: audit_link(audit, root),
            date: audit.date.clone(),
            findings,
            open,
            only_this,
        });
    }
    views
}

fn vex_documents(group: &ArtifactGroup, root: &str) -> Vec<LinkView> {
    let mut documents: BTreeMap<String, LinkView> = BTreeMap::new();
    let verdicts = group
        .findings
        .iter()
        .flat_map(|f| f.history.iter().chain(f.verdict.iter()));
    for verdict in verdicts {
        let raw = &verdict.document.raw_output;
        let href = format!("{root}{}", raw.to_string_lossy().replace('\\', "/"));
        documents.entry(href.clone()).or_insert_with(|| LinkView {
            title: raw
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            href,
            description: verdict.document.author.clone(),
        });
    }
    documents.into_values().collect()
}

fn tool_value(tool: &str, finding: &ArtifactFinding) -> ToolValueView {
    let value = finding.tool_values().into_iter().find(|v| v.tool == tool);
    ToolValueView {
        tool: tool.to_string(),
        severity: value.map(|v| v.severity.to_string()),
        source: value.map(|v| v.source.describe()),
    }
}

fn disagreements(
    group: &ArtifactGroup,
    anchors: &BTreeMap<(String, Option<String>), String>,
) -> Vec<DisagreementView> {
    let mut list: Vec<&ArtifactFinding> = group.findings.iter().filter(|f| f.disagrees()).collect();
    list.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.package.cmp(&b.package))
            .then(a.vulnerability.cmp(&b.vulnerability))
    });
    list.into_iter()
        .map(|finding| DisagreementView {
            vulnerability: finding.vulnerability.clone(),
            package: finding.package.clone(),
            href: anchors
                .get(&(finding.vulnerability.clone(), finding.package.clone()))
                .map(|anchor| format!("#{anchor}"))
                .unwrap_or_default(),
            values: group
                .tools
                .iter()
                .map(|tool| tool_value(tool, finding))
                .collect(),
            settled: finding.severity.to_string(),
        })
        .collect()
}

fn finding_view(
    group: &ArtifactGroup,
    finding: &ArtifactFinding,
    ids: &mut IdAllocator,
    root: &str,
) -> ArtifactFindingView {
    let package = finding.package.clone();
    let anchor = ids.allocate(&slugify(&format!(
        "finding {} {}",
        finding.vulnerability,
        package.as_deref().unwrap_or_default()
    )));
    let tools: Vec<String> = finding.tools().into_iter().map(str::to_string).collect();
    let mut links: Vec<LinkView> = finding
        .reports
        .iter()
        .map(|report| LinkView {
            title: report.value.tool.clone(),
            href: format!(
                "{root}{}#{}",
                report.audit.output.to_string_lossy().replace('\\', "/"),
                finding_anchor(report.finding)
            ),
            description: None,
        })
        .collect();
    links.dedup_by(|a, b| a.title == b.title);
    if finding.vulnerability.starts_with("CVE-") {
        links.push(LinkView {
            title: finding.vulnerability.clone(),
            href: format!("https://www.cve.org/CVERecord?id={}", finding.vulnerability),
            description: None,
        });
    }
    let installed = finding.installed_versions().join(", ");
    ArtifactFindingView {
        anchor,
        vulnerability: finding.vulnerability.clone(),
        other_names: finding
            .other_ids()
            .into_iter()
            .map(str::to_string)
            .collect(),
        title: finding.title().to_string(),
        package,
        installed: (!installed.is_empty()).then_some(installed),
        fixed_version: finding.fixed_version().map(str::to_string),
        has_fix: finding.has_fix(),
        severity: finding.severity.to_string(),
        disagrees: finding.disagrees(),
        values: tools.iter().map(|tool| tool_value(tool, finding)).collect(),
        tools_attr: tools.join("|"),
        seen_by_all: tools.len() == group.tools.len(),
        tools,
        vex: finding
            .verdict
            .as_ref()
            .map(|verdict| vex_view(verdict, finding.history.len(), root)),
        links,
    }
}

/// Every statement about a finding of the artifact, oldest first, with the packages it
/// is about.
fn statements(group: &ArtifactGroup, root: &str) -> Vec<StatementView> {
    let mut found: Vec<(VexVerdict, Vec<String>, bool)> = Vec::new();
    for finding in &group.findings {
        let package = finding.package.clone().unwrap_or_default();
        let history = finding.history.iter().map(|v| (v, false));
        for (verdict, holds) in history.chain(finding.verdict.iter().map(|v| (v, true))) {
            match found
                .iter_mut()
                .find(|(known, _, _)| std::ptr::eq(known.statement, verdict.statement))
            {
                Some((_, packages, known_holds)) => {
                    if !packages.contains(&package) {
                        packages.push(package.clone());
                    }
                    *known_holds |= holds;
                }
                None => found.push((*verdict, vec![package.clone()], holds)),
            }
        }
    }
    found.sort_by(|(a, _, _), (b, _, _)| {
        (&a.statement.vulnerability, &a.statement.timestamp)
            .cmp(&(&b.statement.vulnerability, &b.statement.timestamp))
    });
    found
        .into_iter()
        .map(|(verdict, mut packages, holds)| {
            packages.sort();
            let view = vex_view(&verdict, 0, root);
            StatementView {
                vulnerability: verdict.statement.vulnerability.clone(),
                packages: packages.into_iter().filter(|p| !p.is_empty()).collect(),
                status: view.status,
                label: view.label,
                justification: view.justification,
                explanation: view.explanation,
                date: view.date,
                document: view.document,
                holds,
            }
        })
        .collect()
}
