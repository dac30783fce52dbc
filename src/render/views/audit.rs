//! The audit pages' views (render stage): an audit (with the project, for the diff and
//! the plan links, and the site's `AuditFacts`, for VEX and the artifact page) in,
//! `AuditView` out: counts by severity and open, the severity chart per tool and target,
//! findings by target in triage order (`findings`), the VEX statement that holds for
//! each, the diff against the previous audit, rule help as escaped markdown and links.
//! Also the audits index and the findings a plan task remediates.

use std::collections::BTreeMap;

use serde::Serialize;

use super::findings::{triage_groups, vex_view, FilterView, SeverityGroupView, TriageKey, VexView};
use super::format::without_title_heading;
use super::plan::{anchor_part, PlanView};
use super::{page_href, LinkView, ViewContext};
use crate::analysis::audits::{
    diff_against_previous, tasks_by_id, AuditDiff, AuditFacts, Remediations,
};
use crate::model::anchor::{slugify, IdAllocator};
use crate::model::audit::artifact::normalize_image_name;
use crate::model::audit::vex::{VexDocument, VexStatement};
use crate::model::audit::{Audit, AuditFormat, Finding, Rule, Severity};
use crate::model::{Page, PageDiagrams, Project};
use crate::render::markdown::{render_markdown, render_markdown_with, RawHtml};
use crate::render::severity_chart::{render_severity_chart, ChartGroup};

/// Everything `audit.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditView {
    pub title: String,
    pub format: String,
    pub target: String,
    pub date: Option<String>,
    /// Link to the scanner file as published, for scanner outputs.
    pub raw: Option<LinkView>,
    /// The full reference of what the scan scanned (`nginx@sha256:…`), when it says.
    pub artifact: Option<String>,
    /// The artifact page that compares this scan with other scanners' scans.
    pub artifact_page: Option<ArtifactLinkView>,
    pub tools: Vec<String>,
    pub report: Vec<FactView>,
    /// The report's own text (author's markdown).
    pub body_html: Option<String>,
    pub counts: Vec<SeverityCountView>,
    pub results_read: usize,
    pub findings_total: usize,
    /// Findings that still need work (not suppressed, fixed, accepted or closed by VEX).
    pub open: usize,
    /// Findings a VEX statement closes (`not_affected`, `fixed`).
    pub closed_by_vex: usize,
    /// Results that were the same finding seen by another tool.
    pub merged: usize,
    pub suppressed: usize,
    pub chart_svg: String,
    pub diff: Option<DiffView>,
    pub groups: Vec<TargetGroupView>,
    pub filter: FilterView,
    pub rules: Vec<RuleView>,
}

/// A link to an artifact page, with the other scanners compared there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArtifactLinkView {
    pub link: LinkView,
    /// `Grype, Trivy`: the tools of the artifact's latest scans.
    pub tools: String,
    /// Whether this scan is older than the same tool's latest scan of the artifact.
    pub superseded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactView {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeverityCountView {
    pub severity: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffView {
    pub previous: LinkView,
    pub previous_date: String,
    pub new: usize,
    pub fixed: usize,
    pub unchanged: usize,
    /// The findings that are gone, so the page says what was fixed.
    pub fixed_findings: Vec<FindingBriefView>,
}

/// A finding in a short list (fixed since last time, remediated by a task).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingBriefView {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub package: Option<String>,
    pub href: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetGroupView {
    pub target: String,
    pub anchor: String,
    pub findings: usize,
    pub open: usize,
    /// Whether any finding of the target has a location (else the column is left out).
    pub has_locations: bool,
    /// Whether any finding has a VEX statement (else the column is left out).
    pub has_vex: bool,
    /// Number of columns, for the row group headings' `colspan`.
    pub columns: usize,
    /// Open findings by severity, most severe first, then the closed ones.
    pub severities: Vec<SeverityGroupView<FindingView>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub severity: String,
    /// `security-severity 7.5`: where the severity came from.
    pub severity_source: String,
    pub tools: Vec<String>,
    /// `Grype|Trivy`: the tools for the filter script (names may hold spaces).
    pub tools_attr: String,
    pub package: Option<String>,
    pub installed_version: Option<String>,
    pub fixed_version: Option<String>,
    pub has_fix: bool,
    pub location: Option<String>,
    pub vex: Option<VexView>,
    pub rule_href: Option<String>,
    pub links: Vec<LinkView>,
    pub suppressed: bool,
    pub status: Option<String>,
    pub area: Option<String>,
    pub tasks: Vec<LinkView>,
    /// `new` or `unchanged` when there is a previous audit.
    pub change: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleView {
    pub id: String,
    pub anchor: String,
    pub title: Option<String>,
    /// Scanner text as HTML, raw HTML escaped.
    pub help_html: Option<String>,
    pub help_uri: Option<String>,
}

/// The view of one audit's page. `page` is the report's page, for reports.
pub fn audit_view(
    project: &Project,
    facts: &AuditFacts,
    audit: &Audit,
    page: Option<&Page>,
    ctx: &ViewContext,
) -> AuditView {
    let diff = diff_against_previous(project, audit);
    let remediations = Remediations::new(project);
    let groups = target_groups(project, facts, audit, &remediations, diff.as_ref(), ctx);
    let cited: Vec<&Rule> = cited_rules(audit);
    let open = audit
        .findings
        .iter()
        .filter(|f| facts.is_open(audit, f))
        .count();
    let closed_by_vex = audit
        .findings
        .iter()
        .filter(|f| facts.verdict(audit, f).is_some_and(|v| v.closes_finding()))
        .count();
    let rows = || {
        groups
            .iter()
            .flat_map(|g| g.severities.iter())
            .flat_map(|s| s.rows.iter())
    };
    let filter = FilterView::new(
        audit.findings.iter().map(|f| f.severity),
        audit.tools.iter().map(|t| t.name.clone()),
        rows().filter_map(|r| r.vex.as_ref().map(|v| (v.status.clone(), v.label.clone()))),
        rows().any(|r| r.has_fix),
    );
    AuditView {
        title: audit.title.clone(),
        format: audit.format.label().to_string(),
        target: audit.target.clone(),
        date: audit.date.clone(),
        raw: audit.raw_output.as_ref().map(|raw| LinkView {
            title: raw
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            href: format!("{}{}", ctx.root, raw.to_string_lossy().replace('\\', "/")),
            description: None,
        }),
        artifact: audit.artifact.as_ref().map(ToString::to_string),
        artifact_page: facts.artifact_of(audit).map(|group| ArtifactLinkView {
            link: LinkView {
                title: group.artifact.short(),
                href: format!(
                    "{}{}",
                    ctx.root,
                    group.output.to_string_lossy().replace('\\', "/")
                ),
                description: None,
            },
            tools: group.tools.join(", "),
            superseded: !group.compares(audit),
        }),
        tools: audit
            .tools
            .iter()
            .map(|t| match &t.version {
                Some(v) => format!("{} {v} ({} results)", t.name, t.results),
                None => format!("{} ({} results)", t.name, t.results),
            })
            .collect(),
        report: report_facts(audit),
        body_html: page.map(|p| {
            let body = without_title_heading(p.body(), &p.title);
            render_markdown(body, ctx.highlighter, &p.diagrams)
        }),
        counts: audit
            .counts()
            .into_iter()
            .map(|(s, count)| SeverityCountView {
                severity: s.to_string(),
                count,
            })
            .collect(),
        results_read: audit.results_read,
        findings_total: audit.findings.len(),
        open,
        closed_by_vex,
        merged: audit.results_read.saturating_sub(audit.findings.len()),
        suppressed: audit.findings.iter().filter(|f| f.suppressed).count(),
        chart_svg: render_severity_chart(
            "severity-chart",
            &format!("Findings by severity: {}", audit.title),
            &chart_groups(audit),
        ),
        diff: diff.as_ref().map(|d| diff_view(d, ctx)),
        groups,
        filter,
        rules: cited.into_iter().map(|r| rule_view(r, ctx)).collect(),
    }
}

fn report_facts(audit: &Audit) -> Vec<FactView> {
    let Some(report) = &audit.report else {
        return Vec::new();
    };
    let fact = |label: &str, value: &Option<String>| {
        value.as_ref().map(|v| FactView {
            label: label.to_string(),
            value: v.clone(),
        })
    };
    [
        fact("Grade", &report.grade),
        fact("Target grade", &report.target_grade),
        fact("Status", &report.status),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// One chart group per (tool, target); a merged finding counts for each of its tools.
fn chart_groups(audit: &Audit) -> Vec<ChartGroup> {
    let mut counts: BTreeMap<(&str, &str), BTreeMap<Severity, usize>> = BTreeMap::new();
    for finding in &audit.findings {
        for tool in &finding.tools {
            *counts
                .entry((tool.as_str(), finding.target.as_str()))
                .or_default()
                .entry(finding.severity)
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((tool, target), by_severity)| ChartGroup {
            label: format!("{tool} · {target}"),
            counts: Severity::ALL_DESCENDING
                .into_iter()
                .map(|s| (s, by_severity.get(&s).copied().unwrap_or(0)))
                .collect(),
        })
        .collect()
}

/// Rules that a finding of this audit cites, by id.
fn cited_rules(audit: &Audit) -> Vec<&Rule> {
    let mut ids: Vec<&str> = audit
        .findings
        .iter()
        .filter_map(|f| f.rule_id.as_deref())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| audit.rules.get(id))
        .collect()
}

fn rule_anchor(id: &str) -> String {
    format!("rule-{}", slugify(id))
}

fn rule_view(rule: &Rule, ctx: &ViewContext) -> RuleView {
    RuleView {
        id: rule.id.clone(),
        anchor: rule_anchor(&rule.id),
        title: rule.title.clone(),
        help_html: rule.help_markdown.as_deref().map(|md| {
            render_markdown_with(md, ctx.highlighter, RawHtml::Escape, &PageDiagrams::NONE)
        }),
        help_uri: rule.help_uri.clone().filter(|uri| is_web_link(uri)),
    }
}

/// Only http(s) links from scanner files become `href`s.
fn is_web_link(uri: &str) -> bool {
    let lower = uri.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

fn diff_view(diff: &AuditDiff, ctx: &ViewContext) -> DiffView {
    DiffView {
        previous: LinkView {
            title: diff.previous.title.clone(),
            href: format!(
                "{}{}",
                ctx.root,
                diff.previous.output.to_string_lossy().replace('\\', "/")
            ),
            description: None,
        },
        previous_date: diff.previous.date.clone().unwrap_or_default(),
        new: diff.new.len(),
        fixed: diff.fixed.len(),
        unchanged: diff.unchanged.len(),
        fixed_findings: diff.fixed.iter().map(|f| brief(f, None)).collect(),
    }
}

fn brief(finding: &Finding, href: Option<String>) -> FindingBriefView {
    FindingBriefView {
        id: finding.id.clone(),
        title: finding.title.clone(),
        severity: finding.severity.to_string(),
        package: finding.package.clone(),
        href,
        status: finding.status.clone(),
    }
}

/// Findings by target, each target's in triage order (see `findings::triage_groups`).
fn target_groups(
    project: &Project,
    facts: &AuditFacts,
    audit: &Audit,
    remediations: &Remediations,
    diff: Option<&AuditDiff>,
    ctx: &ViewContext,
) -> Vec<TargetGroupView> {
    let tasks = tasks_by_id(project);
    let mut by_target: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &audit.findings {
        by_target
            .entry(finding.target.as_str())
            .or_default()
            .push(finding);
    }
    let mut ids = IdAllocator::default();
    let task_links = |finding: &Finding| -> Vec<LinkView> {
        remediations
            .task_ids(finding)
            .iter()
            .flat_map(|id| tasks.get(id.as_str()).into_iter().flatten())
            .map(|task| LinkView {
                title: format!("Task {}: {}", task.id, task.title),
                href: format!(
                    "{}#task-{}",
                    page_href(&ctx.root, task.page),
                    anchor_part(&task.id)
                ),
                description: None,
            })
            .collect()
    };
    by_target
        .into_iter()
        .map(|(target, findings)| {
            let anchor = ids.allocate(&format!("target-{}", slugify(target)));
            let has_locations = findings.iter().any(|f| location_text(f).is_some());
            let rows: Vec<(TriageKey, FindingView)> = findings
                .iter()
                .map(|finding| {
                    let history = facts.vex.history_for(audit, finding);
                    let vex = history
                        .split_last()
                        .map(|(last, earlier)| vex_view(last, earlier.len(), &ctx.root));
                    let view =
                        finding_view(finding, audit, &mut ids, task_links(finding), diff, vex);
                    let key = TriageKey {
                        severity: finding.severity,
                        open: facts.is_open(audit, finding),
                        has_fix: view.has_fix,
                        package: finding.package.clone().unwrap_or_default(),
                        id: finding.id.clone(),
                    };
                    (key, view)
                })
                .collect();
            let open = rows.iter().filter(|(key, _)| key.open).count();
            let has_vex = rows.iter().any(|(_, row)| row.vex.is_some());
            TargetGroupView {
                target: target.to_string(),
                findings: rows.len(),
                open,
                has_locations,
                has_vex,
                columns: 7 + usize::from(has_locations) + usize::from(has_vex),
                severities: triage_groups(rows, &anchor),
                anchor,
            }
        })
        .collect()
}

fn finding_view(
    finding: &Finding,
    audit: &Audit,
    ids: &mut IdAllocator,
    tasks: Vec<LinkView>,
    diff: Option<&AuditDiff>,
    vex: Option<VexView>,
) -> FindingView {
    let anchor = ids.allocate(&finding_anchor(finding));
    let rule = finding
        .rule_id
        .as_deref()
        .and_then(|id| audit.rules.get(id));
    FindingView {
        id: finding.id.clone(),
        anchor,
        title: finding.title.clone(),
        severity: finding.severity.to_string(),
        severity_source: finding.severity_source.describe(),
        tools: finding.tools.clone(),
        tools_attr: finding.tools.join("|"),
        package: finding.package.clone(),
        installed_version: finding.installed_version.clone(),
        fixed_version: finding.fixed_version.clone(),
        has_fix: finding.has_fix(),
        location: location_text(finding),
        vex,
        rule_href: rule.map(|r| format!("#{}", rule_anchor(&r.id))),
        links: finding_links(finding, rule),
        suppressed: finding.suppressed,
        status: finding.status.clone(),
        area: finding.area.clone(),
        tasks,
        change: diff.map(|d| {
            let unchanged = d.unchanged.iter().any(|f| std::ptr::eq(*f, finding));
            if unchanged { "unchanged" } else { "new" }.to_string()
        }),
    }
}

/// `finding-cve-2023-1-openssl`, the row's id.
pub(crate) fn finding_anchor(finding: &Finding) -> String {
    let package = finding.package.as_deref().unwrap_or_default();
    slugify(&format!("finding {} {package}", finding.id))
}

/// Where it is; for package findings a line number says nothing (images have none),
/// and a location that names the scanned image itself (`library/nginx` in a scan of
/// `nginx`) is no location.
fn location_text(finding: &Finding) -> Option<String> {
    let location = finding.location.as_ref()?;
    if finding.package.is_some() {
        let is_target = |uri: &String| {
            *uri == finding.target
                || normalize_image_name(uri) == normalize_image_name(&finding.target)
        };
        let uri = location.uri.clone().filter(|u| !is_target(u));
        return uri.or_else(|| location.logical.clone());
    }
    location.describe()
}

fn finding_links(finding: &Finding, rule: Option<&Rule>) -> Vec<LinkView> {
    let link = |title: &str, href: &str| LinkView {
        title: title.to_string(),
        href: href.to_string(),
        description: None,
    };
    let mut links = Vec::new();
    if let Some(uri) = rule
        .and_then(|r| r.help_uri.as_deref())
        .filter(|u| is_web_link(u))
    {
        links.push(link("Rule help", uri));
    }
    if let Some(cve) = &finding.cve {
        links.push(link(
            cve,
            &format!("https://www.cve.org/CVERecord?id={cve}"),
        ));
    }
    for href in finding.links.iter().filter(|u| is_web_link(u)) {
        if !links.iter().any(|l| &l.href == href) {
            links.push(link("Advisory", href));
        }
    }
    links
}

/// One line per audit on the audits index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditSummaryView {
    pub link: LinkView,
    pub format: String,
    pub target: String,
    pub date: Option<String>,
    pub counts: Vec<SeverityCountView>,
    pub total: usize,
    /// Findings still open (VEX, suppressions and report statuses applied).
    pub open: usize,
    pub grade: Option<String>,
    /// `2 new, 5 fixed since 2024-04-01`.
    pub change: Option<String>,
}

/// One artifact page on the audits index and the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArtifactSummaryView {
    pub link: LinkView,
    /// `Grype, Trivy`.
    pub tools: String,
    pub distinct: usize,
    pub open: usize,
    pub disagreements: usize,
}

/// One VEX document on the audits index, with its statements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VexDocumentView {
    pub anchor: String,
    pub raw: LinkView,
    pub author: Option<String>,
    pub date: Option<String>,
    pub statements: Vec<VexStatementView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VexStatementView {
    pub vulnerability: String,
    /// `SNYK-DEBIAN12-LIBDE265-3361563, …`.
    pub aliases: String,
    pub status: String,
    pub label: String,
    pub justification: Option<String>,
    pub explanation: Option<String>,
    pub products: Vec<String>,
    pub date: Option<String>,
    /// A later statement about the same vulnerability and product holds instead.
    pub superseded: bool,
}

/// The audits index (`audits/index.html`): the artifact pages, every audit (newest
/// first within a target) and the VEX documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditsIndexView {
    pub title: String,
    pub artifacts: Vec<ArtifactSummaryView>,
    pub audits: Vec<AuditSummaryView>,
    pub vex: Vec<VexDocumentView>,
}

pub fn audits_index_view(
    project: &Project,
    facts: &AuditFacts,
    ctx: &ViewContext,
) -> AuditsIndexView {
    let mut audits: Vec<&Audit> = project.audits.iter().collect();
    audits.sort_by(|a, b| {
        a.target
            .cmp(&b.target)
            .then(b.date.cmp(&a.date))
            .then(a.source.cmp(&b.source))
    });
    AuditsIndexView {
        title: "Audits".to_string(),
        artifacts: artifact_summaries(facts, &ctx.root),
        audits: audits
            .into_iter()
            .map(|audit| audit_summary(project, facts, audit, ctx))
            .collect(),
        vex: vex_documents(project, ctx),
    }
}

fn audit_summary(
    project: &Project,
    facts: &AuditFacts,
    audit: &Audit,
    ctx: &ViewContext,
) -> AuditSummaryView {
    AuditSummaryView {
        link: LinkView {
            title: audit.title.clone(),
            href: format!(
                "{}{}",
                ctx.root,
                audit.output.to_string_lossy().replace('\\', "/")
            ),
            description: None,
        },
        format: audit.format.label().to_string(),
        target: audit.target.clone(),
        date: audit.date.clone(),
        counts: audit
            .counts()
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, count)| SeverityCountView {
                severity: s.to_string(),
                count,
            })
            .collect(),
        total: audit.findings.len(),
        open: audit
            .findings
            .iter()
            .filter(|f| facts.is_open(audit, f))
            .count(),
        grade: audit.report.as_ref().and_then(|r| r.grade.clone()),
        change: diff_against_previous(project, audit).map(|d| {
            format!(
                "{} new, {} fixed since {}",
                d.new.len(),
                d.fixed.len(),
                d.previous.date.as_deref().unwrap_or("?")
            )
        }),
    }
}

/// Every artifact page, with its key figures.
pub fn artifact_summaries(facts: &AuditFacts, root: &str) -> Vec<ArtifactSummaryView> {
    facts
        .artifacts
        .iter()
        .map(|group| ArtifactSummaryView {
            link: LinkView {
                title: group.artifact.short(),
                href: format!(
                    "{root}{}",
                    group.output.to_string_lossy().replace('\\', "/")
                ),
                description: None,
            },
            tools: group.tools.join(", "),
            distinct: group.findings.len(),
            open: group.open(),
            disagreements: group.findings.iter().filter(|f| f.disagrees()).count(),
        })
        .collect()
}

/// `vex-nginx-openvex-json`: a VEX document's section on the audits index.
fn vex_anchor(document: &VexDocument) -> String {
    let name = document
        .raw_output
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    format!("vex-{}", slugify(&name))
}

fn vex_documents(project: &Project, ctx: &ViewContext) -> Vec<VexDocumentView> {
    let superseded = superseded_statements(project);
    let mut order = 0;
    project
        .vex
        .iter()
        .map(|document| VexDocumentView {
            anchor: vex_anchor(document),
            raw: LinkView {
                title: document
                    .raw_output
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                href: format!(
                    "{}{}",
                    ctx.root,
                    document.raw_output.to_string_lossy().replace('\\', "/")
                ),
                description: None,
            },
            author: document.author.clone(),
            date: document.timestamp.as_ref().map(|t| t.date().to_string()),
            statements: document
                .statements
                .iter()
                .map(|statement| {
                    order += 1;
                    VexStatementView {
                        vulnerability: statement.vulnerability.clone(),
                        aliases: statement.aliases.join(", "),
                        status: statement.status.as_str().to_string(),
                        label: statement.status.label().to_string(),
                        justification: statement.justification.map(|j| j.label()),
                        explanation: statement.explanation(),
                        products: statement.products.iter().map(|p| p.id.clone()).collect(),
                        date: statement.timestamp.as_ref().map(|t| t.date().to_string()),
                        superseded: superseded.contains(&(order - 1)),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The statements (by their place among all statements) that a later statement about
/// the same vulnerability and product replaces.
fn superseded_statements(project: &Project) -> std::collections::BTreeSet<usize> {
    let all: Vec<&VexStatement> = project
        .vex
        .iter()
        .flat_map(|document| document.statements.iter())
        .collect();
    let names = |s: &VexStatement| -> std::collections::BTreeSet<String> {
        s.names().map(|n| n.trim().to_ascii_uppercase()).collect()
    };
    let mut superseded = std::collections::BTreeSet::new();
    for (i, older) in all.iter().enumerate() {
        let older_names = names(older);
        let replaced = all.iter().enumerate().any(|(j, newer)| {
            let later = (&newer.timestamp, j) > (&older.timestamp, i);
            later
                && newer.products.iter().any(|p| older.products.contains(p))
                && !older_names.is_disjoint(&names(newer))
        });
        if replaced {
            superseded.insert(i);
        }
    }
    superseded
}

/// Adds the artifact pages and VEX documents to the home page's Audits list (making it
/// when the site has no other audit page): artifact pages first, as the summary of the
/// scans below them.
pub fn add_audit_links(
    groups: &mut Vec<super::PageGroupView>,
    project: &Project,
    facts: &AuditFacts,
    root: &str,
) {
    let artifacts: Vec<LinkView> = artifact_summaries(facts, root)
        .into_iter()
        .map(|summary| LinkView {
            title: format!("Artifact {}", summary.link.title),
            href: summary.link.href,
            description: Some(format!(
                "{} distinct findings from {}, {} open",
                summary.distinct, summary.tools, summary.open
            )),
        })
        .collect();
    let vex: Vec<LinkView> = project
        .vex
        .iter()
        .map(|document| LinkView {
            title: format!(
                "VEX {}",
                document
                    .raw_output
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ),
            href: format!("{root}audits/index.html#{}", vex_anchor(document)),
            description: Some(format!(
                "{} {}",
                document.statements.len(),
                if document.statements.len() == 1 {
                    "statement"
                } else {
                    "statements"
                }
            )),
        })
        .collect();
    if artifacts.is_empty() && vex.is_empty() {
        return;
    }
    let index = match groups.iter().position(|g| g.kind == "audit") {
        Some(index) => index,
        None => {
            // After plans and runbooks, before other pages, as `page_groups` orders kinds.
            let at = groups
                .iter()
                .position(|g| g.kind == "page")
                .unwrap_or(groups.len());
            let (heading, anchor) = super::kind_heading(crate::model::PageKind::Audit);
            groups.insert(
                at,
                super::PageGroupView {
                    kind: "audit".to_string(),
                    heading: heading.to_string(),
                    anchor: anchor.to_string(),
                    pages: Vec::new(),
                },
            );
            at
        }
    };
    let pages = &mut groups[index].pages;
    let rest = std::mem::take(pages);
    pages.extend(artifacts);
    pages.extend(rest);
    pages.extend(vex);
}

/// Fills each task of a plan view with the findings it remediates.
pub fn attach_remediations(view: &mut PlanView, project: &Project, ctx: &ViewContext) {
    if project.audits.is_empty() {
        return;
    }
    let remediations = Remediations::new(project);
    for task in view.epics.iter_mut().flat_map(|e| e.tasks.iter_mut()) {
        task.remediates =
            crate::analysis::audits::findings_remediated_by(project, &remediations, &task.id)
                .into_iter()
                .map(|(audit, finding)| {
                    let href = format!(
                        "{}{}#{}",
                        ctx.root,
                        audit.output.to_string_lossy().replace('\\', "/"),
                        finding_anchor(finding)
                    );
                    brief(finding, Some(href))
                })
                .collect();
    }
}

/// Whether the audit is a written report (its page is rendered as the audit page).
pub fn is_report(audit: &Audit) -> bool {
    audit.format == AuditFormat::Report
}
