//! Alerts and runbooks (analysis stage): matches each alert rule's `runbook_url` to a
//! page of the site, and reports what does not match. Takes the project (its pages and
//! `alerts`), gives `AlertLinks`: a status per rule and the address taken as the site's.
//!
//! A `runbook_url` names a page of this site when it is relative, or when it starts with
//! the site's address: `[alerts] runbook_base_url`, else `base_url`. With neither, the
//! address is inferred: every origin (scheme, host and a leading part of the path) under
//! which some `runbook_url` names a page of this site is a candidate, and the one under
//! which most distinct URLs name pages wins (ties: the shorter path, then the first in
//! alphabetical order). The rest of the URL is matched to pages the way runbook sites
//! publish them: path segments compared ignoring case, with or without a trailing `/`,
//! `index.html`, `.html` or `.md`, so `…/runbooks/node/diskalmostfull` is
//! `content/runbooks/node/DiskAlmostFull.md`. A URL under the site's address
//! that names no page is a dead link; URLs on other sites are listed, never fetched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{codes, display_path, Diagnostic, Diagnostics, Severity};
use crate::model::alert::AlertRule;
use crate::model::{Page, PageKind, Project};

/// The configured addresses (both optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertLinkOptions {
    /// `[alerts] runbook_base_url`.
    pub runbook_base_url: Option<String>,
    /// The site's `base_url` (`--base-url` or the config's).
    pub base_url: Option<String>,
}

/// Where one alert's `runbook_url` leads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkStatus {
    /// To this page of the site (its source path).
    Covered(PathBuf),
    /// To another site; listed, not fetched.
    External,
    /// Into this site, to no page of it.
    Dead,
    /// The alert has no `runbook_url`.
    Missing,
}

impl LinkStatus {
    /// `covered`, `external`, `dead` or `none`: the word the alerts page shows.
    pub fn as_str(&self) -> &'static str {
        match self {
            LinkStatus::Covered(_) => "covered",
            LinkStatus::External => "external",
            LinkStatus::Dead => "dead",
            LinkStatus::Missing => "none",
        }
    }
}

/// Why an address is taken as the site's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginSource {
    RunbookBaseUrl,
    BaseUrl,
    /// Inferred: this many distinct `runbook_url`s under it name pages of the site.
    Inferred {
        resolving: usize,
    },
}

/// An address taken as the site's, e.g. `https://runbooks.example.org/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteOrigin {
    pub url: String,
    pub source: OriginSource,
}

impl SiteOrigin {
    /// One sentence on where the address comes from and how to set it.
    pub fn explanation(&self) -> String {
        match &self.source {
            OriginSource::RunbookBaseUrl => format!(
                "`{}` is this site's runbook address (`[alerts] runbook_base_url` in opsbook.toml)",
                self.url
            ),
            OriginSource::BaseUrl => format!(
                "`{}` is this site's address (`base_url`); set `[alerts] runbook_base_url` in opsbook.toml if the runbooks are published elsewhere",
                self.url
            ),
            OriginSource::Inferred { resolving } => format!(
                "`{}` is taken as this site's address because {resolving} runbook {} under it name{} pages of this site; set `[alerts] runbook_base_url = \"{}\"` in opsbook.toml to say so (or to choose another)",
                self.url,
                if *resolving == 1 { "URL" } else { "URLs" },
                if *resolving == 1 { "s" } else { "" },
                self.url
            ),
        }
    }
}

/// What the matching found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertLinks {
    /// One status per rule of `project.alerts.rules`, in the same order.
    pub statuses: Vec<LinkStatus>,
    /// The addresses taken as the site's, configured first; empty when none is
    /// configured and no `runbook_url` names a page of the site.
    pub origins: Vec<SiteOrigin>,
}

impl AlertLinks {
    /// The indices of the rules whose `runbook_url` leads to the page `source`.
    pub fn rules_leading_to<'a>(&'a self, source: &'a Path) -> impl Iterator<Item = usize> + 'a {
        self.statuses
            .iter()
            .enumerate()
            .filter(
                move |(_, status)| matches!(status, LinkStatus::Covered(page) if page == source),
            )
            .map(|(index, _)| index)
    }

    /// Reports dead `runbook_url`s (with `dead_severity`, as broken links), alerts
    /// without one (warnings) and runbooks no alert leads to (notes). Nothing when the
    /// site has no rule file.
    pub fn report(
        &self,
        project: &Project,
        dead_severity: Severity,
        diagnostics: &mut Diagnostics,
    ) {
        if project.alerts.is_empty() {
            return;
        }
        for (rule, status) in project.alerts.rules.iter().zip(&self.statuses) {
            match status {
                LinkStatus::Dead => diagnostics.push(self.dead_link(rule, dead_severity)),
                LinkStatus::Missing => diagnostics.push(missing_link(rule)),
                LinkStatus::Covered(_) | LinkStatus::External => {}
            }
        }
        for page in project.pages.iter().filter(|p| p.runbook.is_some()) {
            if self.rules_leading_to(&page.source).next().is_none() {
                diagnostics.push(
                    Diagnostic::note(
                        codes::RUNBOOK_WITHOUT_ALERT,
                        "no alert rule's `runbook_url` leads to this runbook",
                    )
                    .at(page.source.clone(), None)
                    .with_help("give the alerts this runbook answers its address as `runbook_url` (or remove the runbook if nothing pages for it any more)"),
                );
            }
        }
    }

    fn dead_link(&self, rule: &AlertRule, severity: Severity) -> Diagnostic {
        let url = rule.runbook_url.as_ref().map_or("", |u| u.url.as_str());
        let origin = self
            .origins
            .iter()
            .find(|o| url_under(url, &o.url).is_some());
        let rest = origin
            .and_then(|o| url_under(url, &o.url))
            .or_else(|| is_relative(url).then(|| url_segments(url)));
        let expected = rest.map(|segments| expected_file(&segments, &rule.name));
        let mut help = match &expected {
            Some(file) => format!("write the runbook as `{file}` (folder and file names are compared ignoring case), or correct the URL"),
            None => "write the runbook, or correct the URL".to_string(),
        };
        if let Some(origin) = origin {
            help.push_str("; ");
            help.push_str(&origin.explanation());
        }
        let span = rule.runbook_url.as_ref().map(|u| u.span);
        Diagnostic::new(
            codes::ALERT_RUNBOOK_DEAD,
            severity,
            format!(
                "runbook_url of alert `{}` names no page of this site: {url}",
                rule.name
            ),
        )
        .at(rule.source.clone(), span)
        .with_help(help)
    }
}

fn missing_link(rule: &AlertRule) -> Diagnostic {
    Diagnostic::warning(
        codes::ALERT_WITHOUT_RUNBOOK,
        format!("alert `{}` has no `runbook_url` annotation", rule.name),
    )
    .at(rule.source.clone(), Some(rule.span))
    .with_help("add `runbook_url:` under the rule's `annotations:` with the address of the runbook, so whoever is paged finds what to do")
}

/// `content/runbooks/node/NodeDown.md` for the URL path `runbooks/node/nodedown` of alert
/// `NodeDown`: the alert's own spelling when it is the last segment.
fn expected_file(segments: &[String], alert: &str) -> String {
    let mut parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    if let Some(last) = parts.last_mut() {
        if last.eq_ignore_ascii_case(alert) {
            *last = alert;
        }
    }
    if parts.is_empty() {
        "content/index.md".to_string()
    } else {
        format!("content/{}.md", parts.join("/"))
    }
}

/// Matches every rule's `runbook_url` to the pages of `project`.
pub fn match_alerts(project: &Project, options: &AlertLinkOptions) -> AlertLinks {
    let pages = PageKeys::new(project);
    let mut origins = Vec::new();
    let configured = [
        (&options.runbook_base_url, OriginSource::RunbookBaseUrl),
        (&options.base_url, OriginSource::BaseUrl),
    ];
    for (url, source) in configured {
        if let Some(url) = url.as_deref().and_then(normalised_origin) {
            if !origins.iter().any(|o: &SiteOrigin| o.url == url) {
                origins.push(SiteOrigin { url, source });
            }
        }
    }
    if origins.is_empty() {
        origins.extend(infer_origin(project, &pages));
    }
    let statuses = project
        .alerts
        .rules
        .iter()
        .map(|rule| status_of(rule, &origins, &pages))
        .collect();
    AlertLinks { statuses, origins }
}

fn status_of(rule: &AlertRule, origins: &[SiteOrigin], pages: &PageKeys) -> LinkStatus {
    let Some(url) = rule.runbook_url.as_ref().map(|u| u.url.as_str()) else {
        return LinkStatus::Missing;
    };
    let rest = if is_relative(url) {
        Some(url_segments(url))
    } else {
        origins
            .iter()
            .find_map(|origin| url_under(url, &origin.url))
    };
    match rest {
        Some(segments) => pages
            .find(&segments.join("/"))
            .map_or(LinkStatus::Dead, |page| {
                LinkStatus::Covered(page.to_path_buf())
            }),
        None => LinkStatus::External,
    }
}

/// The candidate origin with the most distinct resolving URLs.
fn infer_origin(project: &Project, pages: &PageKeys) -> Option<SiteOrigin> {
    let mut urls: Vec<&str> = project
        .alerts
        .rules
        .iter()
        .filter_map(|rule| rule.runbook_url.as_ref().map(|u| u.url.as_str()))
        .filter(|url| !is_relative(url))
        .collect();
    urls.sort_unstable();
    urls.dedup();
    // Origin -> (resolving URLs, path segments in the origin).
    let mut candidates: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for url in urls {
        let Some((origin, segments)) = split_absolute(url) else {
            continue;
        };
        for split in 0..segments.len() {
            if pages.find(&segments[split..].join("/")).is_some() {
                let mut prefix = origin.clone();
                for segment in &segments[..split] {
                    prefix.push_str(segment);
                    prefix.push('/');
                }
                candidates.entry(prefix).or_insert((0, split)).0 += 1;
            }
        }
    }
    candidates
        .into_iter()
        .min_by(|(a_url, (a_count, a_depth)), (b_url, (b_count, b_depth))| {
            b_count
                .cmp(a_count)
                .then(a_depth.cmp(b_depth))
                .then(a_url.cmp(b_url))
        })
        .map(|(url, (resolving, _))| SiteOrigin {
            url,
            source: OriginSource::Inferred { resolving },
        })
}

/// Every page by the lower-case path it is published at (and the path of its source,
/// for sites that give pages another name), runbooks first when two pages share one.
struct PageKeys<'a> {
    by_key: BTreeMap<String, &'a Path>,
}

impl<'a> PageKeys<'a> {
    fn new(project: &'a Project) -> Self {
        let mut by_key = BTreeMap::new();
        let runbooks_first = project
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Runbook)
            .chain(project.pages.iter().filter(|p| p.kind != PageKind::Runbook));
        for page in runbooks_first {
            for key in page_keys(page) {
                by_key.entry(key).or_insert(page.source.as_path());
            }
        }
        PageKeys { by_key }
    }

    fn find(&self, key: &str) -> Option<&'a Path> {
        self.by_key.get(key).copied()
    }
}

fn page_keys(page: &Page) -> Vec<String> {
    let output = display_path(&page.output);
    let mut keys = vec![url_segments(&output).join("/")];
    let source = display_path(&page.source);
    let content = source.strip_prefix("content/").unwrap_or(&source);
    let mut from_source = url_segments(content);
    if from_source
        .last()
        .is_some_and(|last| ["index", "_index", "readme"].contains(&last.as_str()))
    {
        from_source.pop();
    }
    let from_source = from_source.join("/");
    if from_source != keys[0] {
        keys.push(from_source);
    }
    keys
}

/// A URL with a scheme (`https:`, `mailto:`) or starting with `//` is not relative.
fn is_relative(url: &str) -> bool {
    if url.starts_with("//") {
        return false;
    }
    let scheme = url.split(':').next().unwrap_or("");
    !(url.contains(':')
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
}

/// `https://host/` (lower case) and the path's segments of an absolute URL.
fn split_absolute(url: &str) -> Option<(String, Vec<String>)> {
    let (scheme, rest) = url.split_once("://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(['?', '#']).next().unwrap_or(host);
    if host.is_empty() {
        return None;
    }
    let origin = format!(
        "{}://{}/",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    );
    Some((origin, url_segments(path)))
}

/// A configured address as `https://host/path/` in lower case.
fn normalised_origin(url: &str) -> Option<String> {
    let (mut origin, segments) = split_absolute(url.trim())?;
    for segment in segments {
        origin.push_str(&segment);
        origin.push('/');
    }
    Some(origin)
}

/// The segments of `url` after `origin` (as `normalised_origin` gives it), when the URL
/// is under it.
fn url_under(url: &str, origin: &str) -> Option<Vec<String>> {
    let (url_origin, segments) = split_absolute(url)?;
    let (base, base_segments) = split_absolute(origin)?;
    (url_origin == base && segments.starts_with(&base_segments))
        .then(|| segments[base_segments.len()..].to_vec())
}

/// A path's segments as pages are matched: query and fragment dropped, percent-escapes
/// decoded, lower case, without a final `index.html` and without `.html`, `.htm` or
/// `.md` at the end.
fn url_segments(path: &str) -> Vec<String> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut segments: Vec<String> = path
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && *s != ".")
        .map(|s| percent_decoded(s).to_lowercase())
        .collect();
    if segments
        .last()
        .is_some_and(|s| s == "index.html" || s == "index.htm")
    {
        segments.pop();
    }
    if let Some(last) = segments.last_mut() {
        for extension in [".html", ".htm", ".md"] {
            if let Some(stem) = last.strip_suffix(extension) {
                *last = stem.to_string();
                break;
            }
        }
    }
    segments
}

fn percent_decoded(segment: &str) -> String {
    if !segment.contains('%') {
        return segment.to_string();
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::alert::{AlertRules, RunbookUrl};
    use crate::model::runbook::Runbook;
    use crate::model::span::Span;
    use crate::test_support::document_page;

    fn runbook(source: &str, output: &str) -> Page {
        let mut page = document_page(PageKind::Runbook, output, "x");
        page.source = PathBuf::from(source);
        page.runbook = Some(Runbook::default());
        page
    }

    fn rule(name: &str, url: Option<&str>) -> AlertRule {
        AlertRule {
            name: name.into(),
            group: "g".into(),
            expr: "up == 0".into(),
            for_duration: None,
            labels: BTreeMap::new(),
            summary: None,
            description: None,
            runbook_url: url.map(|url| RunbookUrl {
                url: url.into(),
                span: Span::point(0, 7, 22),
            }),
            source: PathBuf::from("alerts/rules.yaml"),
            span: Span::point(0, 3, 14),
        }
    }

    fn project(rules: Vec<AlertRule>) -> Project {
        Project {
            pages: crate::test_support::shared_pages(vec![
                runbook(
                    "content/runbooks/node/NodeDiskFull.md",
                    "runbooks/node/NodeDiskFull/index.html",
                ),
                runbook(
                    "content/runbooks/node/NodeDown.md",
                    "runbooks/node/NodeDown/index.html",
                ),
                document_page(PageKind::Page, "about/index.html", "About"),
            ]),
            alerts: AlertRules {
                files: vec![PathBuf::from("alerts/rules.yaml")],
                rules,
            },
            ..Project::default()
        }
    }

    fn words(links: &AlertLinks) -> Vec<&str> {
        links.statuses.iter().map(LinkStatus::as_str).collect()
    }

    #[test]
    fn the_sites_address_is_inferred_from_the_urls_that_name_its_pages() {
        let project = project(vec![
            rule(
                "NodeDiskFull",
                Some("https://Runbooks.example.org/runbooks/node/nodediskfull"),
            ),
            rule(
                "NodeDown",
                Some("https://runbooks.example.org/runbooks/node/nodedown/"),
            ),
            rule(
                "NodeGone",
                Some("https://runbooks.example.org/runbooks/node/nodegone"),
            ),
            rule(
                "Elsewhere",
                Some("https://wiki.example.com/runbooks/node/nodedown"),
            ),
            rule("Bare", None),
        ]);
        let links = match_alerts(&project, &AlertLinkOptions::default());
        assert_eq!(
            words(&links),
            ["covered", "covered", "dead", "external", "none"]
        );
        assert_eq!(
            links.origins,
            [SiteOrigin {
                url: "https://runbooks.example.org/".into(),
                source: OriginSource::Inferred { resolving: 2 }
            }]
        );
        assert_eq!(
            links.statuses[0],
            LinkStatus::Covered("content/runbooks/node/NodeDiskFull.md".into())
        );
        let leading: Vec<usize> = links
            .rules_leading_to(Path::new("content/runbooks/node/NodeDown.md"))
            .collect();
        assert_eq!(leading, [1]);
    }

    #[test]
    fn a_tie_between_origins_goes_to_the_shorter_path() {
        let mut project = project(vec![rule(
            "NodeDown",
            Some("https://a.example.org/runbooks/node/nodedown"),
        )]);
        // `node/nodedown` also names a page, so `https://a.example.org/runbooks/` is a
        // candidate with as many URLs as `https://a.example.org/`.
        project
            .pages
            .push(runbook("content/node/NodeDown.md", "node/NodeDown/index.html").into());
        let links = match_alerts(&project, &AlertLinkOptions::default());
        assert_eq!(links.origins[0].url, "https://a.example.org/");
    }

    #[test]
    fn a_configured_address_wins_and_relative_urls_are_the_sites_own() {
        let project = project(vec![
            rule(
                "NodeDown",
                Some("https://ops.example.com/docs/runbooks/node/NodeDown.html"),
            ),
            rule(
                "NodeDiskFull",
                Some("https://runbooks.example.org/runbooks/node/nodediskfull"),
            ),
            rule("Relative", Some("runbooks/node/nodegone")),
            rule(
                "RelativeOk",
                Some("/runbooks/node/NodeDiskFull/index.html#diagnosis"),
            ),
        ]);
        let options = AlertLinkOptions {
            runbook_base_url: Some("https://ops.example.com/docs".into()),
            base_url: None,
        };
        let links = match_alerts(&project, &options);
        assert_eq!(words(&links), ["covered", "external", "dead", "covered"]);
        assert_eq!(links.origins[0].source, OriginSource::RunbookBaseUrl);
        assert_eq!(links.origins[0].url, "https://ops.example.com/docs/");
    }

    #[test]
    fn dead_links_are_reported_at_the_url_with_the_file_to_write() {
        let project = project(vec![
            rule(
                "NodeDown",
                Some("https://runbooks.example.org/runbooks/node/nodedown"),
            ),
            rule(
                "NodeGone",
                Some("https://runbooks.example.org/runbooks/node/nodegone"),
            ),
            rule("Bare", None),
        ]);
        let links = match_alerts(&project, &AlertLinkOptions::default());
        let mut diagnostics = Diagnostics::new();
        links.report(&project, Severity::Error, &mut diagnostics);
        let found: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{} {} {}", d.location(), d.code, d.severity.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                "alerts/rules.yaml:7:22 OPS710 error",
                "alerts/rules.yaml:3:14 OPS711 warning",
                "content/runbooks/node/NodeDiskFull.md OPS712 note",
            ]
        );
        let help = diagnostics[0].help.as_deref().unwrap();
        assert!(
            help.contains("`content/runbooks/node/NodeGone.md`"),
            "{help}"
        );
        assert!(
            help.contains("runbook_base_url = \"https://runbooks.example.org/\""),
            "{help}"
        );
    }

    #[test]
    fn a_site_without_rule_files_reports_nothing() {
        let mut project = project(Vec::new());
        project.alerts = AlertRules::default();
        let links = match_alerts(&project, &AlertLinkOptions::default());
        let mut diagnostics = Diagnostics::new();
        links.report(&project, Severity::Error, &mut diagnostics);
        assert!(diagnostics.is_empty());
        assert!(links.origins.is_empty());
    }

    #[test]
    fn url_paths_are_matched_ignoring_case_endings_and_escapes() {
        assert_eq!(
            url_segments("/Runbooks/Node%20A/index.html?x=1"),
            ["runbooks", "node a"]
        );
        assert_eq!(url_segments("runbooks/x.md#step-2"), ["runbooks", "x"]);
        assert!(is_relative("../runbooks/x"));
        assert!(!is_relative("https://x.org/a"));
        assert!(!is_relative("//x.org/a"));
    }
}
