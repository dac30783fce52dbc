//! `npm audit --json` reader (ingest stage): `auditReportVersion: 2` in, findings out.
//! One finding per vulnerable package, as npm counts them (`metadata.vulnerabilities`):
//! its advisories (`via` objects) give ids, titles, links and CVSS scores; a package
//! vulnerable only through a dependency (`via` names) says which. `fixAvailable` gives
//! the fix. npm does not report installed versions; the vulnerable range is kept.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::severity::{resolve_severity, Signals};
use super::ReadAudit;
use crate::model::audit::{Finding, Location, Rule, ToolRun};

const TOOL: &str = "npm audit";

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawReport {
    vulnerabilities: BTreeMap<String, RawVulnerability>,
    metadata: RawMetadata,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawMetadata {
    vulnerabilities: BTreeMap<String, u64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawVulnerability {
    name: Option<String>,
    severity: Option<String>,
    via: Vec<RawVia>,
    range: Option<String>,
    nodes: Vec<String>,
    fix_available: Option<RawFix>,
}

/// A `via` entry: an advisory, or the name of a vulnerable dependency.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawVia {
    Advisory(RawAdvisory),
    Dependency(String),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawAdvisory {
    title: Option<String>,
    url: Option<String>,
    severity: Option<String>,
    cvss: Option<RawCvss>,
    range: Option<String>,
    cwe: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawCvss {
    score: Option<f64>,
}

/// `true`, `false` or the package version that fixes it.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawFix {
    Flag(bool),
    Package(RawFixPackage),
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawFixPackage {
    name: Option<String>,
    version: Option<String>,
    is_sem_ver_major: bool,
}

/// Reads an npm audit report. The error is serde_json's, with the line and column.
pub fn read_npm_audit(bytes: &[u8]) -> Result<ReadAudit, serde_json::Error> {
    let report: RawReport = serde_json::from_slice(bytes)?;
    let mut read = ReadAudit::default();
    for (key, vulnerability) in &report.vulnerabilities {
        let finding = package_finding(key, vulnerability, &mut read.rules);
        read.findings.push(finding);
    }
    read.tools.push(ToolRun {
        name: TOOL.to_string(),
        version: None,
        results: read.findings.len(),
    });
    if let Some(total) = report.metadata.vulnerabilities.get("total") {
        if *total != read.findings.len() as u64 {
            read.notes.push(format!(
                "`metadata.vulnerabilities.total` says {total}, but {} vulnerable packages are listed",
                read.findings.len()
            ));
        }
    }
    Ok(read)
}

/// `https://github.com/advisories/GHSA-xvch-5gv4-984h` gives `GHSA-xvch-5gv4-984h`.
fn advisory_id(advisory: &RawAdvisory) -> Option<String> {
    let url = advisory.url.as_deref()?;
    let last = url.trim_end_matches('/').rsplit('/').next()?;
    (!last.is_empty()).then(|| last.to_string())
}

fn package_finding(key: &str, v: &RawVulnerability, rules: &mut BTreeMap<String, Rule>) -> Finding {
    let name = v.name.clone().unwrap_or_else(|| key.to_string());
    let advisories: Vec<&RawAdvisory> = v
        .via
        .iter()
        .filter_map(|via| match via {
            RawVia::Advisory(a) => Some(a),
            RawVia::Dependency(_) => None,
        })
        .collect();
    let dependencies: Vec<&str> = v
        .via
        .iter()
        .filter_map(|via| match via {
            RawVia::Dependency(name) => Some(name.as_str()),
            RawVia::Advisory(_) => None,
        })
        .collect();
    // npm writes a score of 0 for an advisory without one.
    let score = advisories
        .iter()
        .filter_map(|a| a.cvss.as_ref().and_then(|c| c.score))
        .filter(|s| *s > 0.0 && *s <= 10.0)
        .fold(None, |best: Option<f64>, s| {
            Some(best.map_or(s, |b| b.max(s)))
        });
    let signals = Signals {
        score: score.map(|s| (s, "CVSS score")),
        word: v.severity.as_deref().map(|w| (w, "npm severity")),
        level: None,
    };
    let ids: Vec<String> = advisories.iter().filter_map(|a| advisory_id(a)).collect();
    for (advisory, id) in advisories.iter().zip(&ids) {
        rules
            .entry(id.clone())
            .or_insert_with(|| advisory_rule(id, advisory));
    }
    let id = ids
        .first()
        .cloned()
        .unwrap_or_else(|| format!("npm:{name}"));
    let mut finding = super::blank_finding(&id, TOOL, "", resolve_severity(&signals));
    finding.title = if advisories.is_empty() {
        format!("Vulnerable through {}", dependencies.join(", "))
    } else {
        let titles: Vec<&str> = advisories
            .iter()
            .filter_map(|a| a.title.as_deref())
            .collect();
        titles.join("; ")
    };
    finding.rule_id = ids.first().cloned();
    finding.package = Some(name);
    finding.fixed_version = v.fix_available.as_ref().and_then(fix_text);
    finding.links = advisories.iter().filter_map(|a| a.url.clone()).collect();
    finding.location = Some(Location {
        uri: v.nodes.first().cloned(),
        logical: v.range.as_ref().map(|r| format!("vulnerable versions {r}")),
        ..Location::default()
    });
    finding
}

fn advisory_rule(id: &str, advisory: &RawAdvisory) -> Rule {
    let mut help = Vec::new();
    if let Some(range) = &advisory.range {
        help.push(format!("Vulnerable versions: `{range}`"));
    }
    if let Some(severity) = &advisory.severity {
        help.push(format!("Advisory severity: {severity}"));
    }
    if !advisory.cwe.is_empty() {
        help.push(format!("Weaknesses: {}", advisory.cwe.join(", ")));
    }
    Rule {
        id: id.to_string(),
        title: advisory.title.clone(),
        help_markdown: (!help.is_empty()).then(|| help.join("\n\n")),
        help_uri: advisory.url.clone(),
    }
}

fn fix_text(fix: &RawFix) -> Option<String> {
    match fix {
        RawFix::Flag(true) => Some("fix available (`npm audit fix`)".to_string()),
        RawFix::Flag(false) => None,
        RawFix::Package(p) => {
            let name = p.name.as_deref().unwrap_or("package");
            let version = p.version.as_deref().unwrap_or("?");
            let major = if p.is_sem_ver_major {
                " (major upgrade)"
            } else {
                ""
            };
            Some(format!("{name}@{version}{major}"))
        }
    }
}
