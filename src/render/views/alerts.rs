//! The views of alert rules (render stage): the alerts that lead to one runbook (shown
//! on its page and printed in its PDF), and the alerts page, which lists every alert
//! with its runbook and the status of its `runbook_url`, with counts. Alerts are listed
//! by name: the rules of one alert (say a warning and a critical threshold) share a row.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::{output_href, ViewContext};
use crate::analysis::alert_links::{AlertLinks, LinkStatus, OriginSource, SiteOrigin};
use crate::diagnostics::display_path;
use crate::model::alert::AlertRule;
use crate::model::{Page, Project};
use crate::render::promql::highlight_promql;

/// Where the alerts page is written.
pub const ALERTS_PAGE: &str = "alerts/index.html";

/// The alerts page's path, when the build writes one: the site has rule files and no
/// page of its own at that place.
/// Asked for by every page (its navigation): a site without rule files answers at once,
/// and output paths are compared as written (opsbook makes them, one form each), not
/// component by component, which made a 10,000-page build quadratic.
pub fn alerts_page(project: &Project) -> Option<&'static Path> {
    if project.alerts.is_empty() {
        return None;
    }
    let taken = project
        .pages
        .iter()
        .any(|page| page.output.as_os_str() == ALERTS_PAGE);
    (!taken).then_some(Path::new(ALERTS_PAGE))
}

/// An alert's severity label as a badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertSeverityView {
    /// As the rule writes it, e.g. `critical`.
    pub text: String,
    /// The badge colour, e.g. `priority-p0`.
    pub class: String,
}

/// One rule as a runbook page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertRuleView {
    pub name: String,
    /// The alert's row on the alerts page, when there is one.
    pub alerts_href: Option<String>,
    pub severity: Option<AlertSeverityView>,
    pub for_duration: Option<String>,
    /// The expression, highlighted as PromQL.
    pub expr_html: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// `alerts/node.yaml:42`.
    pub source: String,
    pub group: String,
}

/// The rules whose `runbook_url` leads to `page`, in rule-file order.
pub fn runbook_alerts_view(
    project: &Project,
    links: &AlertLinks,
    page: &Page,
    ctx: &ViewContext,
) -> Vec<AlertRuleView> {
    let mut rules = links.rules_leading_to(&page.source).peekable();
    if rules.peek().is_none() {
        return Vec::new();
    }
    let alerts_page = alerts_page(project);
    rules
        .filter_map(|index| project.alerts.rules.get(index))
        .map(|rule| AlertRuleView {
            name: rule.name.clone(),
            alerts_href: alerts_page.map(|path| {
                format!(
                    "{}#{}",
                    output_href(&ctx.root, path),
                    alert_anchor(&rule.name)
                )
            }),
            severity: rule.severity().map(severity_view),
            for_duration: rule.for_duration.clone(),
            expr_html: highlight_promql(rule.expr.trim_end()),
            summary: rule.summary.clone(),
            description: rule.description.clone(),
            source: rule_place(rule),
            group: rule.group.clone(),
        })
        .collect()
}

/// `alerts/node.yaml:42`.
pub fn rule_place(rule: &AlertRule) -> String {
    format!("{}:{}", display_path(&rule.source), rule.span.line)
}

/// `alert-NodeDown`: alert names are `[a-zA-Z_:][a-zA-Z0-9_:]*`; anything else becomes
/// `-`.
fn alert_anchor(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("alert-{safe}")
}

/// Severity labels as people write them, on the runbooks' P0–P4 colours.
pub fn severity_view(severity: &str) -> AlertSeverityView {
    let level = match severity.to_ascii_lowercase().as_str() {
        "critical" | "page" | "emergency" | "fatal" | "disaster" => 0,
        "error" | "high" | "major" => 1,
        "warning" | "warn" | "medium" | "average" => 2,
        "info" | "low" | "minor" | "notice" => 3,
        _ => 4,
    };
    AlertSeverityView {
        text: severity.to_string(),
        class: format!("priority-p{level}"),
    }
}

/// Everything `alerts.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertsPageView {
    pub title: String,
    pub rule_count: usize,
    /// The rule files, relative to the site root.
    pub files: Vec<String>,
    /// Alerts (distinct names) by status, in the order: covered, dead, none, external.
    pub counts: Vec<StatusCountView>,
    /// The address taken as the site's, and why, when there is one.
    pub origin: Option<OriginView>,
    /// Set when no address is configured or could be inferred.
    pub no_origin: bool,
    pub rows: Vec<AlertRowView>,
}

/// The address `runbook_url`s must start with to name a page of this site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OriginView {
    pub url: String,
    /// `runbook_base_url`, `base_url` or `inferred`.
    pub source: String,
    /// For an inferred address: how many distinct URLs under it name pages of the site.
    pub resolving: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCountView {
    /// `covered`, `dead`, `none`, `external`.
    pub status: String,
    pub label: String,
    pub count: usize,
}

/// One alert name: its rules, their runbooks and the worst status among them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertRowView {
    pub name: String,
    pub anchor: String,
    pub status: String,
    pub status_label: String,
    pub severities: Vec<AlertSeverityView>,
    pub summary: Option<String>,
    pub runbooks: Vec<RunbookTargetView>,
    pub rules: Vec<RuleRefView>,
}

/// Where one of an alert's `runbook_url`s leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunbookTargetView {
    /// The runbook's title, for a page of this site.
    pub title: Option<String>,
    /// The page-relative link to it, for a page of this site.
    pub href: Option<String>,
    /// The URL as written, for a dead or external link.
    pub url: Option<String>,
    /// `covered`, `dead` or `external`.
    pub status: String,
    /// The link to another site's runbook: only an `http(s)` URL (in any case) is a
    /// link; `javascript:`, `data:` or `vbscript:` written in a rule stays text.
    pub external_href: Option<String>,
}

/// An `http://` or `https://` address, whatever the case of its scheme.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// One rule of an alert: where it is defined and what differs between rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRefView {
    pub source: String,
    pub group: String,
    pub severity: Option<AlertSeverityView>,
    pub for_duration: Option<String>,
}

fn status_label(status: &LinkStatus) -> &'static str {
    match status {
        LinkStatus::Covered(_) => "covered",
        LinkStatus::Dead => "dead link",
        LinkStatus::Missing => "no runbook_url",
        LinkStatus::External => "other site",
    }
}

/// The alerts page: every alert name, problems first (dead links, then alerts without a
/// `runbook_url`, then links to other sites, then covered alerts), by name within each.
pub fn alerts_page_view(
    project: &Project,
    links: &AlertLinks,
    ctx: &ViewContext,
) -> AlertsPageView {
    let mut by_name: BTreeMap<&str, Vec<(&AlertRule, &LinkStatus)>> = BTreeMap::new();
    for (rule, status) in project.alerts.rules.iter().zip(&links.statuses) {
        by_name.entry(&rule.name).or_default().push((rule, status));
    }
    let mut rows: Vec<(u8, AlertRowView)> = by_name
        .into_iter()
        .map(|(name, rules)| {
            let worst = rules
                .iter()
                .map(|(_, s)| *s)
                .max()
                .unwrap_or(&LinkStatus::Missing);
            (
                status_rank(worst),
                alert_row(project, name, &rules, worst, ctx),
            )
        })
        .collect();
    rows.sort_by(|(a_rank, a), (b_rank, b)| a_rank.cmp(b_rank).then(a.name.cmp(&b.name)));
    let counts = [
        ("covered", "covered"),
        ("dead", "dead link"),
        ("none", "no runbook_url"),
        ("external", "other site"),
    ]
    .into_iter()
    .map(|(status, label)| StatusCountView {
        status: status.to_string(),
        label: label.to_string(),
        count: rows.iter().filter(|(_, row)| row.status == status).count(),
    })
    .collect();
    AlertsPageView {
        title: "Alerts".to_string(),
        rule_count: project.alerts.rules.len(),
        files: project
            .alerts
            .files
            .iter()
            .map(|f| display_path(f))
            .collect(),
        counts,
        origin: links.origins.first().map(origin_view),
        no_origin: links.origins.is_empty(),
        rows: rows.into_iter().map(|(_, row)| row).collect(),
    }
}

fn origin_view(origin: &SiteOrigin) -> OriginView {
    let (source, resolving) = match origin.source {
        OriginSource::RunbookBaseUrl => ("runbook_base_url", 0),
        OriginSource::BaseUrl => ("base_url", 0),
        OriginSource::Inferred { resolving } => ("inferred", resolving),
    };
    OriginView {
        url: origin.url.clone(),
        source: source.to_string(),
        resolving,
    }
}

fn status_rank(status: &LinkStatus) -> u8 {
    match status {
        LinkStatus::Dead => 0,
        LinkStatus::Missing => 1,
        LinkStatus::External => 2,
        LinkStatus::Covered(_) => 3,
    }
}

fn alert_row(
    project: &Project,
    name: &str,
    rules: &[(&AlertRule, &LinkStatus)],
    worst: &LinkStatus,
    ctx: &ViewContext,
) -> AlertRowView {
    let mut severities: Vec<AlertSeverityView> = Vec::new();
    let mut runbooks: Vec<RunbookTargetView> = Vec::new();
    for (rule, status) in rules {
        if let Some(severity) = rule.severity().map(severity_view) {
            if !severities.contains(&severity) {
                severities.push(severity);
            }
        }
        if let Some(target) = runbook_target(project, rule, status, ctx) {
            if !runbooks.contains(&target) {
                runbooks.push(target);
            }
        }
    }
    AlertRowView {
        name: name.to_string(),
        anchor: alert_anchor(name),
        status: worst.as_str().to_string(),
        status_label: status_label(worst).to_string(),
        severities,
        summary: rules.iter().find_map(|(rule, _)| rule.summary.clone()),
        runbooks,
        rules: rules
            .iter()
            .map(|(rule, _)| RuleRefView {
                source: rule_place(rule),
                group: rule.group.clone(),
                severity: rule.severity().map(severity_view),
                for_duration: rule.for_duration.clone(),
            })
            .collect(),
    }
}

fn runbook_target(
    project: &Project,
    rule: &AlertRule,
    status: &LinkStatus,
    ctx: &ViewContext,
) -> Option<RunbookTargetView> {
    let url = rule.runbook_url.as_ref()?.url.clone();
    let target = match status {
        LinkStatus::Covered(source) => {
            let page = project.pages.iter().find(|p| &p.source == source)?;
            RunbookTargetView {
                title: Some(page.title.clone()),
                href: Some(output_href(&ctx.root, &page.output)),
                url: None,
                status: status.as_str().to_string(),
                external_href: None,
            }
        }
        LinkStatus::Dead | LinkStatus::External => RunbookTargetView {
            title: None,
            href: None,
            external_href: (matches!(status, LinkStatus::External) && is_web_url(&url))
                .then(|| url.clone()),
            url: Some(url),
            status: status.as_str().to_string(),
        },
        LinkStatus::Missing => return None,
    };
    Some(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::alert_links::{match_alerts, AlertLinkOptions};
    use crate::model::alert::{AlertRules, RunbookUrl};
    use crate::model::runbook::Runbook;
    use crate::model::span::Span;
    use crate::model::PageKind;
    use crate::render::highlight::Highlighter;
    use crate::test_support::document_page;
    use std::path::PathBuf;

    fn rule(name: &str, severity: &str, url: Option<&str>, line: u32) -> AlertRule {
        AlertRule {
            name: name.into(),
            group: "node".into(),
            expr: "node_up == 0\n".into(),
            for_duration: Some("5m".into()),
            labels: [("severity".to_string(), severity.to_string())].into(),
            summary: Some(format!("{name} fired.")),
            description: None,
            runbook_url: url.map(|url| RunbookUrl {
                url: url.into(),
                span: Span::point(0, line + 2, 22),
            }),
            source: PathBuf::from("alerts/node.yaml"),
            span: Span::point(0, line, 14),
        }
    }

    fn project() -> Project {
        let mut runbook = document_page(
            PageKind::Runbook,
            "runbooks/node/NodeDown/index.html",
            "Node down",
        );
        runbook.source = PathBuf::from("content/runbooks/node/NodeDown.md");
        runbook.runbook = Some(Runbook::default());
        let base = "https://rb.example.org/runbooks/node/";
        Project {
            pages: crate::test_support::shared_pages(vec![runbook]),
            alerts: AlertRules {
                files: vec![PathBuf::from("alerts/node.yaml")],
                rules: vec![
                    rule("NodeDown", "warning", Some(&format!("{base}nodedown")), 10),
                    rule("NodeDown", "critical", Some(&format!("{base}nodedown")), 20),
                    rule("NodeGone", "critical", Some(&format!("{base}nodegone")), 30),
                    rule("NodeQuiet", "info", None, 40),
                ],
            },
            ..Project::default()
        }
    }

    #[test]
    fn only_web_addresses_of_other_sites_are_links() {
        assert!(is_web_url("HTTPS://runbooks.example.com/x"));
        assert!(!is_web_url("JaVaScRiPt:prompt(1)"));
        assert!(!is_web_url("data:text/html,<script>alert(1)</script>"));
        assert!(!is_web_url("vbscript:msgbox(1)"));
    }

    #[test]
    fn the_alerts_page_counts_alert_names_and_lists_problems_first() {
        let project = project();
        let links = match_alerts(&project, &AlertLinkOptions::default());
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: "../".into(),
            working_day: Default::default(),
        };
        let view = alerts_page_view(&project, &links, &ctx);
        let counts: Vec<(&str, usize)> = view
            .counts
            .iter()
            .map(|c| (c.status.as_str(), c.count))
            .collect();
        assert_eq!(
            counts,
            [("covered", 1), ("dead", 1), ("none", 1), ("external", 0)]
        );
        let names: Vec<&str> = view.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["NodeGone", "NodeQuiet", "NodeDown"]);
        let down = &view.rows[2];
        assert_eq!(down.rules.len(), 2);
        assert_eq!(down.severities.len(), 2);
        assert_eq!(down.runbooks.len(), 1);
        assert_eq!(
            down.runbooks[0].href.as_deref(),
            Some("../runbooks/node/NodeDown/index.html")
        );
        assert_eq!(down.rules[1].source, "alerts/node.yaml:20");
        let origin = view.origin.unwrap();
        assert_eq!(
            (
                origin.url.as_str(),
                origin.source.as_str(),
                origin.resolving
            ),
            ("https://rb.example.org/", "inferred", 1)
        );
    }

    #[test]
    fn a_runbook_shows_the_rules_that_lead_to_it_with_their_expression() {
        let project = project();
        let links = match_alerts(&project, &AlertLinkOptions::default());
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: "../../../".into(),
            working_day: Default::default(),
        };
        let view = runbook_alerts_view(&project, &links, &project.pages[0], &ctx);
        let shown: Vec<(&str, &str)> = view
            .iter()
            .map(|a| (a.name.as_str(), a.severity.as_ref().unwrap().class.as_str()))
            .collect();
        assert_eq!(
            shown,
            [("NodeDown", "priority-p2"), ("NodeDown", "priority-p0")]
        );
        assert_eq!(
            view[0].alerts_href.as_deref(),
            Some("../../../alerts/index.html#alert-NodeDown")
        );
        assert!(view[0].expr_html.contains("data-lang=\"promql\""));
        assert_eq!(view[0].source, "alerts/node.yaml:10");
    }
}
