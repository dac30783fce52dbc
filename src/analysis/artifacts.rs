//! Scans of one artifact compared (analysis stage): the project's scanner outputs in,
//! one `ArtifactGroup` per artifact that several scanners' files describe out.
//!
//! Scans are grouped by what they scanned: the same digest, else the same name (a scan
//! without a digest joins the one group of its name; with two digests of that name it is
//! ambiguous and stays alone). Each tool counts with its latest scan of the artifact (by
//! date, then file); older ones are history. A group whose latest scans are at least two
//! files gets an artifact page.
//!
//! Findings are distinct by vulnerability and package: two reports are one finding when
//! they share the package and any name (id or CVE: Grype's `CVE-2004-0001-tar`, Trivy's
//! `CVE-2004-0001` and Snyk's `SNYK-…` whose description names the CVE). The severity
//! settled on follows `[audits] severity` (highest by default); the VEX statement that
//! holds for the finding decides whether it is still open.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::vex::{VexIndex, VexSubject, VexVerdict};
use crate::model::anchor::slugify;
use crate::model::audit::{ArtifactRef, Audit, Finding, Severity, SeverityPolicy, ToolSeverity};
use crate::model::Project;

/// One artifact and every scan of it.
#[derive(Debug)]
pub struct ArtifactGroup<'a> {
    /// The artifact, with its digest when any scan names one.
    pub artifact: ArtifactRef,
    /// The latest scan of each tool, by source path.
    pub scans: Vec<&'a Audit>,
    /// Older scans of a tool that has a newer one here.
    pub earlier: Vec<&'a Audit>,
    /// The tools of `scans`, sorted.
    pub tools: Vec<String>,
    /// Distinct findings, by vulnerability then package.
    pub findings: Vec<ArtifactFinding<'a>>,
    /// The artifact page, relative to the output root.
    pub output: PathBuf,
}

/// What one tool reported about a distinct finding.
#[derive(Debug, Clone)]
pub struct ScannerReport<'a> {
    pub audit: &'a Audit,
    pub finding: &'a Finding,
    pub value: ToolSeverity,
}

/// One (vulnerability, package) of the artifact and what each scanner said about it.
#[derive(Debug, Clone)]
pub struct ArtifactFinding<'a> {
    /// The CVE when any report names one, else the first report's id.
    pub vulnerability: String,
    pub package: Option<String>,
    /// Sorted by tool.
    pub reports: Vec<ScannerReport<'a>>,
    /// The severity settled on (`[audits] severity`).
    pub severity: Severity,
    /// The VEX statement that holds, if any, and the earlier ones.
    pub verdict: Option<VexVerdict<'a>>,
    pub history: Vec<VexVerdict<'a>>,
}

impl ArtifactFinding<'_> {
    /// One value per tool (its most serious, should it report the finding twice).
    pub fn tool_values(&self) -> Vec<&ToolSeverity> {
        let mut values: Vec<&ToolSeverity> = Vec::new();
        for report in &self.reports {
            match values.iter_mut().find(|v| v.tool == report.value.tool) {
                Some(kept) if kept.severity < report.value.severity => *kept = &report.value,
                Some(_) => {}
                None => values.push(&report.value),
            }
        }
        values
    }

    pub fn tools(&self) -> Vec<&str> {
        self.tool_values().iter().map(|v| v.tool.as_str()).collect()
    }

    /// Whether the scanners gave it different severities.
    pub fn disagrees(&self) -> bool {
        let values: BTreeSet<Severity> = self.reports.iter().map(|r| r.value.severity).collect();
        values.len() > 1
    }

    /// Still needs work: not suppressed by every tool, not closed by VEX.
    pub fn is_open(&self) -> bool {
        let suppressed = self.reports.iter().all(|r| r.finding.suppressed);
        !suppressed && !self.verdict.is_some_and(|v| v.closes_finding())
    }

    pub fn has_fix(&self) -> bool {
        self.reports.iter().any(|r| r.finding.has_fix())
    }

    /// The first fix a report names.
    pub fn fixed_version(&self) -> Option<&str> {
        self.reports.iter().find_map(|r| {
            r.finding
                .fixed_version
                .as_deref()
                .filter(|f| !f.trim().is_empty())
        })
    }

    /// The installed versions the reports name, sorted and unique.
    pub fn installed_versions(&self) -> Vec<&str> {
        let versions: BTreeSet<&str> = self
            .reports
            .iter()
            .filter_map(|r| r.finding.installed_version.as_deref())
            .collect();
        versions.into_iter().collect()
    }

    /// The first report's title that is more than a restatement of the id (Grype's
    /// `CVE-2004-0001 low vulnerability for tar package`), else the first that differs
    /// from its id, else the first.
    pub fn title(&self) -> &str {
        let findings = || self.reports.iter().map(|r| r.finding);
        findings()
            .find(|f| {
                !f.title
                    .to_ascii_uppercase()
                    .contains(&self.vulnerability.to_ascii_uppercase())
            })
            .or_else(|| findings().find(|f| f.title != f.id))
            .or_else(|| findings().next())
            .map_or("", |f| f.title.as_str())
    }

    /// The ids the scanners use other than `vulnerability`, as they write them.
    pub fn other_ids(&self) -> Vec<&str> {
        let ids: BTreeSet<&str> = self
            .reports
            .iter()
            .map(|r| r.finding.id.as_str())
            .filter(|id| !id.eq_ignore_ascii_case(&self.vulnerability))
            .collect();
        ids.into_iter().collect()
    }
}

impl ArtifactGroup<'_> {
    /// Findings every tool of the artifact reported.
    pub fn seen_by_all(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.tools().len() == self.tools.len())
            .count()
    }

    pub fn open(&self) -> usize {
        self.findings.iter().filter(|f| f.is_open()).count()
    }

    /// Whether `audit` is one of the scans compared here (its latest of some tool).
    pub fn compares(&self, audit: &Audit) -> bool {
        self.scans.iter().any(|scan| std::ptr::eq(*scan, audit))
    }
}

/// Every artifact with an artifact page, by artifact.
pub fn group_artifacts<'a>(
    project: &'a Project,
    vex: &VexIndex<'a>,
    policy: &SeverityPolicy,
) -> Vec<ArtifactGroup<'a>> {
    let mut taken: BTreeSet<PathBuf> = project
        .pages
        .iter()
        .map(|p| p.output.clone())
        .chain(project.audits.iter().map(|a| a.output.clone()))
        .chain(project.assets.iter().map(|a| a.output.clone()))
        .collect();
    cluster_scans(project)
        .into_iter()
        .filter_map(|(artifact, scans)| {
            let (latest, earlier) = latest_per_tool(&scans);
            if latest.len() < 2 {
                return None;
            }
            let tools = tool_names(&latest);
            let findings = distinct_findings(&artifact, &latest, vex, policy);
            let output = artifact_output(&artifact, &mut taken);
            Some(ArtifactGroup {
                artifact,
                scans: latest
                    .into_iter()
                    .map(|(_, audit)| audit)
                    .fold(Vec::new(), unique),
                earlier,
                tools,
                findings,
                output,
            })
        })
        .collect()
}

fn unique<'a>(mut scans: Vec<&'a Audit>, audit: &'a Audit) -> Vec<&'a Audit> {
    if !scans.iter().any(|s| std::ptr::eq(*s, audit)) {
        scans.push(audit);
    }
    scans.sort_by(|a, b| a.source.cmp(&b.source));
    scans
}

/// Scanner files that name what they scanned, grouped by artifact: digests first, then
/// scans named without one join the single group of their name.
fn cluster_scans(project: &Project) -> Vec<(ArtifactRef, Vec<&Audit>)> {
    let mut scans: Vec<(&ArtifactRef, &Audit)> = project
        .audits
        .iter()
        .filter(|audit| audit.raw_output.is_some())
        .filter_map(|audit| audit.artifact.as_ref().map(|artifact| (artifact, audit)))
        .collect();
    scans.sort_by(|(a, x), (b, y)| {
        (a.digest.is_none(), &x.source).cmp(&(b.digest.is_none(), &y.source))
    });
    let mut clusters: Vec<(ArtifactRef, Vec<&Audit>)> = Vec::new();
    for (artifact, audit) in scans {
        let matching: Vec<usize> = clusters
            .iter()
            .enumerate()
            .filter(|(_, (known, _))| known.matches(artifact))
            .map(|(i, _)| i)
            .collect();
        match matching.as_slice() {
            [one] => clusters[*one].1.push(audit),
            _ => clusters.push((artifact.clone(), vec![audit])),
        }
    }
    clusters.sort_by(|a, b| a.0.cmp(&b.0));
    clusters
}

/// The latest scan of each tool (by date, then source), and the scans no tool counts.
fn latest_per_tool<'a>(scans: &[&'a Audit]) -> (Vec<(String, &'a Audit)>, Vec<&'a Audit>) {
    let mut latest: BTreeMap<String, &Audit> = BTreeMap::new();
    for audit in scans {
        for tool in &audit.tools {
            let newer = latest
                .get(&tool.name)
                .is_none_or(|kept| (&audit.date, &audit.source) > (&kept.date, &kept.source));
            if newer {
                latest.insert(tool.name.clone(), audit);
            }
        }
    }
    let earlier = scans
        .iter()
        .filter(|audit| !latest.values().any(|kept| std::ptr::eq(*kept, **audit)))
        .copied()
        .collect();
    let files: BTreeSet<&Path> = latest.values().map(|a| a.source.as_path()).collect();
    let latest = if files.len() < 2 {
        Vec::new()
    } else {
        latest.into_iter().collect()
    };
    (latest, earlier)
}

fn tool_names(latest: &[(String, &Audit)]) -> Vec<String> {
    latest.iter().map(|(tool, _)| tool.clone()).collect()
}

/// Reports joined into distinct findings: union-find over (name, package) keys.
fn distinct_findings<'a>(
    artifact: &ArtifactRef,
    latest: &[(String, &'a Audit)],
    vex: &VexIndex<'a>,
    policy: &SeverityPolicy,
) -> Vec<ArtifactFinding<'a>> {
    let mut reports: Vec<ScannerReport<'a>> = Vec::new();
    for (tool, audit) in latest {
        for finding in audit.findings.iter().filter(|f| f.tools.contains(tool)) {
            let values = finding.tool_severities();
            if let Some(value) = values.into_iter().find(|v| &v.tool == tool) {
                reports.push(ScannerReport {
                    audit,
                    finding,
                    value,
                });
            }
        }
    }
    let mut parent: Vec<usize> = (0..reports.len()).collect();
    let mut first_with_key: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for (index, report) in reports.iter().enumerate() {
        let package = report.finding.package.as_deref().unwrap_or("");
        for name in report.finding.names() {
            match first_with_key.get(&(name.clone(), package)) {
                Some(&other) => union(&mut parent, index, other),
                None => {
                    first_with_key.insert((name, package), index);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<ScannerReport<'a>>> = BTreeMap::new();
    for (index, report) in reports.into_iter().enumerate() {
        let root = find(&mut parent, index);
        groups.entry(root).or_default().push(report);
    }
    let mut findings: Vec<ArtifactFinding> = groups
        .into_values()
        .map(|reports| distinct_finding(artifact, reports, vex, policy))
        .collect();
    findings.sort_by(|a, b| (&a.vulnerability, &a.package).cmp(&(&b.vulnerability, &b.package)));
    findings
}

fn find(parent: &mut [usize], mut index: usize) -> usize {
    while parent[index] != index {
        parent[index] = parent[parent[index]];
        index = parent[index];
    }
    index
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    if a != b {
        let (low, high) = if a < b { (a, b) } else { (b, a) };
        parent[high] = low;
    }
}

fn distinct_finding<'a>(
    artifact: &ArtifactRef,
    mut reports: Vec<ScannerReport<'a>>,
    vex: &VexIndex<'a>,
    policy: &SeverityPolicy,
) -> ArtifactFinding<'a> {
    reports.sort_by(|a, b| {
        (&a.value.tool, &a.audit.source, &a.finding.id).cmp(&(
            &b.value.tool,
            &b.audit.source,
            &b.finding.id,
        ))
    });
    let names: BTreeSet<String> = reports.iter().flat_map(|r| r.finding.names()).collect();
    let names: Vec<String> = names.into_iter().collect();
    let vulnerability = reports
        .iter()
        .find_map(|r| r.finding.cve.clone())
        .or_else(|| reports.first().map(|r| r.finding.id.clone()))
        .unwrap_or_default();
    let package = reports.iter().find_map(|r| r.finding.package.clone());
    let values: Vec<ToolSeverity> = reports.iter().map(|r| r.value.clone()).collect();
    let severity = policy.settle(&values).unwrap_or(Severity::Info);
    let subject = VexSubject {
        artifact: Some(artifact),
        names: &names,
        package: package.as_deref(),
    };
    let mut history = vex.history(&subject);
    let verdict = history.pop();
    ArtifactFinding {
        vulnerability,
        package,
        reports,
        severity,
        verdict,
        history,
    }
}

/// `audits/artifacts/nginx-sha256-5f0c1e9a7b3d/index.html`, unique among the outputs.
fn artifact_output(artifact: &ArtifactRef, taken: &mut BTreeSet<PathBuf>) -> PathBuf {
    let slug = slugify(&artifact.short());
    let slug = if slug.is_empty() {
        "artifact".to_string()
    } else {
        slug
    };
    let mut n = 1;
    loop {
        let name = if n == 1 {
            slug.clone()
        } else {
            format!("{slug}-{n}")
        };
        let output = Path::new("audits/artifacts").join(name).join("index.html");
        if taken.insert(output.clone()) {
            return output;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::audit::blank_finding;
    use crate::model::audit::{AuditFormat, SeveritySource, ToolRun};

    fn audit(source: &str, tool: &str, image: &str, findings: Vec<Finding>) -> Audit {
        Audit {
            source: PathBuf::from(format!("content/audits/{source}")),
            output: PathBuf::from(format!("audits/{source}/index.html")),
            raw_output: Some(PathBuf::from(format!("audits/{source}"))),
            title: source.to_string(),
            format: AuditFormat::Sarif,
            target: "nginx".into(),
            artifact: ArtifactRef::parse(image),
            date: None,
            tools: vec![ToolRun {
                name: tool.into(),
                version: None,
                results: findings.len(),
            }],
            rules: BTreeMap::new(),
            results_read: findings.len(),
            findings,
            report: None,
        }
    }

    fn finding(
        tool: &str,
        id: &str,
        cve: Option<&str>,
        package: &str,
        severity: Severity,
    ) -> Finding {
        let source = SeveritySource::Level {
            level: "x".into(),
            from: "result".into(),
        };
        let mut f = blank_finding(id, tool, "nginx", (severity, source));
        f.cve = cve.map(str::to_string);
        f.package = Some(package.into());
        f
    }

    fn project() -> Project {
        Project {
            audits: vec![
                audit(
                    "grype.sarif",
                    "Grype",
                    "nginx@sha256:abcd",
                    vec![
                        finding(
                            "Grype",
                            "CVE-2004-0001-tar",
                            Some("CVE-2004-0001"),
                            "tar",
                            Severity::Critical,
                        ),
                        finding(
                            "Grype",
                            "CVE-2011-1-apt",
                            Some("CVE-2011-1"),
                            "apt",
                            Severity::Low,
                        ),
                    ],
                ),
                audit(
                    "snyk.sarif",
                    "Snyk Container",
                    "nginx@sha256:abcd",
                    vec![finding(
                        "Snyk Container",
                        "SNYK-DEBIAN12-TAR-1",
                        Some("CVE-2004-0001"),
                        "tar",
                        Severity::Medium,
                    )],
                ),
                audit(
                    "trivy.sarif",
                    "Trivy",
                    "nginx",
                    vec![finding(
                        "Trivy",
                        "CVE-2004-0001",
                        Some("CVE-2004-0001"),
                        "tar",
                        Severity::Low,
                    )],
                ),
                audit("other.sarif", "Trivy", "redis@sha256:ffff", Vec::new()),
            ],
            ..Project::default()
        }
    }

    #[test]
    fn scans_of_one_digest_and_its_name_are_one_artifact_with_distinct_findings() {
        let project = project();
        let vex = VexIndex::new(&project);
        let groups = group_artifacts(&project, &vex, &SeverityPolicy::Highest);
        assert_eq!(groups.len(), 1, "{groups:?}");
        let group = &groups[0];
        assert_eq!(group.artifact.to_string(), "nginx@sha256:abcd");
        assert_eq!(group.tools, ["Grype", "Snyk Container", "Trivy"]);
        assert_eq!(
            group.output,
            Path::new("audits/artifacts/nginx-sha256-abcd/index.html")
        );
        let keys: Vec<(&str, Vec<&str>, Severity)> = group
            .findings
            .iter()
            .map(|f| (f.vulnerability.as_str(), f.tools(), f.severity))
            .collect();
        assert_eq!(
            keys,
            [
                (
                    "CVE-2004-0001",
                    vec!["Grype", "Snyk Container", "Trivy"],
                    Severity::Critical
                ),
                ("CVE-2011-1", vec!["Grype"], Severity::Low),
            ]
        );
        assert!(group.findings[0].disagrees());
        assert_eq!(group.seen_by_all(), 1);
    }

    #[test]
    fn the_policy_settles_on_the_lowest_or_on_a_named_tool() {
        let project = project();
        let vex = VexIndex::new(&project);
        let settled = |policy: SeverityPolicy| {
            group_artifacts(&project, &vex, &policy)[0].findings[0].severity
        };
        assert_eq!(settled(SeverityPolicy::Lowest), Severity::Low);
        assert_eq!(
            settled(SeverityPolicy::Tool("snyk container".into())),
            Severity::Medium
        );
        assert_eq!(
            settled(SeverityPolicy::Tool("Clair".into())),
            Severity::Critical
        );
    }

    #[test]
    fn a_single_file_per_artifact_has_no_artifact_page() {
        let mut project = project();
        project.audits.truncate(1);
        let vex = VexIndex::new(&project);
        assert!(group_artifacts(&project, &vex, &SeverityPolicy::Highest).is_empty());
    }
}
