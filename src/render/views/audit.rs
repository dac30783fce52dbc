//! The audit pages' views (render stage): an audit (with the project, for the diff and
//! the plan links) in, `AuditView` out: counts by severity, the severity chart per tool
//! and target, findings grouped by target and package, the diff against the previous
//! audit, rule help as escaped markdown and links. Also the audits index and the
//! findings a plan task remediates.

use std::collections::BTreeMap;

use serde::Serialize;

use super::format::without_title_heading;
use super::plan::{anchor_part, PlanView};
use super::{page_href, LinkView, ViewContext};
use crate::analysis::audits::{diff_against_previous, tasks_by_id, AuditDiff, Remediations};
use crate::model::anchor::{slugify, IdAllocator};
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
    pub tools: Vec<String>,
    pub report: Vec<FactView>,
    /// The report's own text (author's markdown).
    pub body_html: Option<String>,
    pub counts: Vec<SeverityCountView>,
    pub results_read: usize,
    pub findings_total: usize,
    /// Results that were the same finding seen by another tool.
    pub merged: usize,
    pub suppressed: usize,
    pub chart_svg: String,
    pub diff: Option<DiffView>,
    pub groups: Vec<TargetGroupView>,
    pub rules: Vec<RuleView>,
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
    /// Whether any finding of the target has a location (else the column is left out).
    pub has_locations: bool,
    pub packages: Vec<PackageGroupView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackageGroupView {
    /// `apt`, or empty for findings without a package.
    pub package: String,
    pub findings: Vec<FindingView>,
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
    pub package: Option<String>,
    pub installed_version: Option<String>,
    pub fixed_version: Option<String>,
    pub location: Option<String>,
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
    audit: &Audit,
    page: Option<&Page>,
    ctx: &ViewContext,
) -> AuditView {
    let diff = diff_against_previous(project, audit);
    let remediations = Remediations::new(project);
    let groups = target_groups(project, audit, &remediations, diff.as_ref(), ctx);
    let cited: Vec<&Rule> = cited_rules(audit);
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
        merged: audit.results_read.saturating_sub(audit.findings.len()),
        suppressed: audit.findings.iter().filter(|f| f.suppressed).count(),
        chart_svg: render_severity_chart(
            "severity-chart",
            &format!("Findings by severity: {}", audit.title),
            &chart_groups(audit),
        ),
        diff: diff.as_ref().map(|d| diff_view(d, ctx)),
        groups,
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

/// Findings by target, then package; most serious first inside a package.
fn target_groups(
    project: &Project,
    audit: &Audit,
    remediations: &Remediations,
    diff: Option<&AuditDiff>,
    ctx: &ViewContext,
) -> Vec<TargetGroupView> {
    let tasks = tasks_by_id(project);
    let mut by_target: BTreeMap<&str, BTreeMap<&str, Vec<&Finding>>> = BTreeMap::new();
    for finding in &audit.findings {
        by_target
            .entry(finding.target.as_str())
            .or_default()
            .entry(finding.package.as_deref().unwrap_or(""))
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
        .map(|(target, packages)| TargetGroupView {
            target: target.to_string(),
            anchor: ids.allocate(&format!("target-{}", slugify(target))),
            findings: packages.values().map(Vec::len).sum(),
            has_locations: packages
                .values()
                .flatten()
                .any(|f| location_text(f).is_some()),
            packages: packages
                .into_iter()
                .map(|(package, mut findings)| {
                    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));
                    PackageGroupView {
                        package: package.to_string(),
                        findings: findings
                            .into_iter()
                            .map(|f| finding_view(f, audit, &mut ids, task_links(f), diff))
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

fn finding_view(
    finding: &Finding,
    audit: &Audit,
    ids: &mut IdAllocator,
    tasks: Vec<LinkView>,
    diff: Option<&AuditDiff>,
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
        package: finding.package.clone(),
        installed_version: finding.installed_version.clone(),
        fixed_version: finding.fixed_version.clone(),
        location: location_text(finding),
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

/// Where it is; for package findings a line number says nothing (images have none).
fn location_text(finding: &Finding) -> Option<String> {
    let location = finding.location.as_ref()?;
    if finding.package.is_some() {
        let uri = location.uri.clone().filter(|u| *u != finding.target);
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
    pub grade: Option<String>,
    /// `2 new, 5 fixed since 2024-04-01`.
    pub change: Option<String>,
}

/// The audits index (`audits/index.html`): every audit, newest first within a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditsIndexView {
    pub title: String,
    pub audits: Vec<AuditSummaryView>,
}

pub fn audits_index_view(project: &Project, ctx: &ViewContext) -> AuditsIndexView {
    let mut audits: Vec<&Audit> = project.audits.iter().collect();
    audits.sort_by(|a, b| {
        a.target
            .cmp(&b.target)
            .then(b.date.cmp(&a.date))
            .then(a.source.cmp(&b.source))
    });
    AuditsIndexView {
        title: "Audits".to_string(),
        audits: audits
            .into_iter()
            .map(|audit| AuditSummaryView {
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
                grade: audit.report.as_ref().and_then(|r| r.grade.clone()),
                change: diff_against_previous(project, audit).map(|d| {
                    format!(
                        "{} new, {} fixed since {}",
                        d.new.len(),
                        d.fixed.len(),
                        d.previous.date.as_deref().unwrap_or("?")
                    )
                }),
            })
            .collect(),
    }
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
