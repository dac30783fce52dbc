//! Trivy JSON reader (ingest stage): `trivy --format json` output (`SchemaVersion: 2`) in,
//! findings out: `Results[].Vulnerabilities`, `Misconfigurations` (failed checks only)
//! and `Secrets` (never the matched secret text). Lenient: only the fields used are
//! declared.
//!
//! A scan of a container image (`ArtifactType: container_image`, or `Metadata` with
//! `RepoDigests`) names its artifact: every finding's target is the image, and a
//! result's own target (a lockfile or a path inside the image) is its location.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::artifact::image_with_digests;
use super::package::cve_in;
use super::severity::{resolve_severity, Signals};
use super::ReadAudit;
use crate::model::audit::{Finding, Location, Rule, ToolRun};

const TOOL: &str = "Trivy";

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct RawReport {
    created_at: Option<String>,
    artifact_name: Option<String>,
    artifact_type: Option<String>,
    metadata: RawMetadata,
    results: Vec<RawResult>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct RawMetadata {
    repo_digests: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct RawResult {
    target: String,
    vulnerabilities: Vec<RawVulnerability>,
    misconfigurations: Vec<RawMisconfiguration>,
    secrets: Vec<RawSecret>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct RawVulnerability {
    #[serde(rename = "VulnerabilityID")]
    vulnerability_id: String,
    pkg_name: Option<String>,
    installed_version: Option<String>,
    fixed_version: Option<String>,
    severity_source: Option<String>,
    #[serde(rename = "PrimaryURL")]
    primary_url: Option<String>,
    title: Option<String>,
    description: Option<String>,
    severity: Option<String>,
    #[serde(rename = "CVSS")]
    cvss: BTreeMap<String, RawCvss>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct RawCvss {
    v3_score: Option<f64>,
    v2_score: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct RawMisconfiguration {
    #[serde(rename = "ID")]
    id: String,
    title: Option<String>,
    description: Option<String>,
    message: Option<String>,
    resolution: Option<String>,
    severity: Option<String>,
    #[serde(rename = "PrimaryURL")]
    primary_url: Option<String>,
    status: Option<String>,
    cause_metadata: RawCause,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct RawCause {
    resource: Option<String>,
    start_line: Option<u32>,
    end_line: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct RawSecret {
    #[serde(rename = "RuleID")]
    rule_id: String,
    category: Option<String>,
    severity: Option<String>,
    title: Option<String>,
    start_line: Option<u32>,
    end_line: Option<u32>,
}

/// Reads a Trivy JSON report. The error is serde_json's, with the line and column.
pub fn read_trivy(bytes: &[u8]) -> Result<ReadAudit, serde_json::Error> {
    let report: RawReport = serde_json::from_slice(bytes)?;
    let is_image = report.artifact_type.as_deref() == Some("container_image")
        || !report.metadata.repo_digests.is_empty();
    let artifact = report
        .artifact_name
        .as_deref()
        .filter(|_| is_image)
        .and_then(|name| image_with_digests(name, &report.metadata.repo_digests));
    let mut read = ReadAudit {
        date: report.created_at.as_deref().and_then(super::date_prefix),
        target_hint: report.artifact_name.clone(),
        artifact,
        ..ReadAudit::default()
    };
    let image = read.artifact.as_ref().and(report.artifact_name.as_deref());
    let mut results = 0;
    for result in &report.results {
        let first = read.findings.len();
        for vulnerability in &result.vulnerabilities {
            read.findings.push(vulnerability_finding(
                vulnerability,
                &result.target,
                &mut read.rules,
            ));
        }
        for check in result.misconfigurations.iter().filter(|m| is_failure(m)) {
            read.findings.push(misconfiguration_finding(
                check,
                &result.target,
                &mut read.rules,
            ));
        }
        for secret in &result.secrets {
            read.findings.push(secret_finding(secret, &result.target));
        }
        if let Some(image) = image {
            for finding in &mut read.findings[first..] {
                place_inside_image(finding, image);
            }
        }
        results += result.vulnerabilities.len() + result.secrets.len();
        results += result
            .misconfigurations
            .iter()
            .filter(|m| is_failure(m))
            .count();
    }
    read.tools.push(ToolRun {
        name: TOOL.to_string(),
        version: None,
        results,
    });
    Ok(read)
}

/// A finding of an image scan: the image is the target; a result target that is not
/// the image's own OS line (`app:1.4 (alpine 3.19.1)`) is where in the image it was
/// found (`app/package-lock.json`), unless the finding has a location already.
fn place_inside_image(finding: &mut Finding, image: &str) {
    let result_target = std::mem::replace(&mut finding.target, image.to_string());
    let inside = !result_target.starts_with(image) && !result_target.is_empty();
    if inside && finding.location.is_none() {
        finding.location = Some(Location {
            uri: Some(result_target),
            ..Location::default()
        });
    }
}

/// Passed checks are listed too when Trivy runs with `--include-non-failures`.
fn is_failure(check: &RawMisconfiguration) -> bool {
    check
        .status
        .as_deref()
        .is_none_or(|status| !status.eq_ignore_ascii_case("PASS"))
}

/// The CVSS score of the vendor Trivy took the severity from, else NVD's, else the
/// first vendor's; a v3 score before a v2 score.
fn cvss_score(v: &RawVulnerability) -> Option<(f64, String)> {
    let preferred = v.severity_source.as_deref().into_iter().chain(["nvd"]);
    let vendors = preferred.chain(v.cvss.keys().map(String::as_str));
    vendors
        .filter_map(|vendor| v.cvss.get(vendor).map(|c| (vendor, c)))
        .find_map(|(vendor, c)| {
            c.v3_score
                .map(|s| (s, format!("CVSS {vendor} v3")))
                .or_else(|| c.v2_score.map(|s| (s, format!("CVSS {vendor} v2"))))
        })
        .filter(|(score, _)| (0.0..=10.0).contains(score))
}

fn vulnerability_finding(
    v: &RawVulnerability,
    target: &str,
    rules: &mut BTreeMap<String, Rule>,
) -> Finding {
    let score = cvss_score(v);
    let signals = Signals {
        score: score
            .as_ref()
            .map(|(value, field)| (*value, field.as_str())),
        word: v.severity.as_deref().map(|w| (w, "Trivy Severity")),
        level: None,
    };
    let (severity, severity_source) = resolve_severity(&signals);
    rules
        .entry(v.vulnerability_id.clone())
        .or_insert_with(|| Rule {
            id: v.vulnerability_id.clone(),
            title: v.title.clone(),
            help_markdown: v.description.clone(),
            help_uri: v.primary_url.clone(),
        });
    let mut finding = base_finding(&v.vulnerability_id, target, severity, severity_source);
    finding.cve = cve_in(&v.vulnerability_id);
    finding.title = v
        .title
        .clone()
        .unwrap_or_else(|| v.vulnerability_id.clone());
    finding.package.clone_from(&v.pkg_name);
    finding.installed_version.clone_from(&v.installed_version);
    finding.fixed_version = v.fixed_version.clone().filter(|f| !f.trim().is_empty());
    finding.links = v.primary_url.iter().cloned().collect();
    finding
}

fn misconfiguration_finding(
    m: &RawMisconfiguration,
    target: &str,
    rules: &mut BTreeMap<String, Rule>,
) -> Finding {
    let signals = Signals {
        word: m.severity.as_deref().map(|w| (w, "Trivy Severity")),
        ..Signals::default()
    };
    let (severity, severity_source) = resolve_severity(&signals);
    rules.entry(m.id.clone()).or_insert_with(|| {
        let help = [m.description.as_deref(), m.resolution.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n\n**Resolution:** ");
        Rule {
            id: m.id.clone(),
            title: m.title.clone(),
            help_markdown: (!help.is_empty()).then_some(help),
            help_uri: m.primary_url.clone(),
        }
    });
    let mut finding = base_finding(&m.id, target, severity, severity_source);
    finding.title = m
        .message
        .clone()
        .or_else(|| m.title.clone())
        .unwrap_or_else(|| m.id.clone());
    finding.location = Some(Location {
        uri: Some(target.to_string()),
        start_line: m.cause_metadata.start_line,
        end_line: m.cause_metadata.end_line,
        logical: m.cause_metadata.resource.clone(),
    });
    finding
}

/// The matched text is left out on purpose: a site must not republish a secret.
fn secret_finding(s: &RawSecret, target: &str) -> Finding {
    let signals = Signals {
        word: s.severity.as_deref().map(|w| (w, "Trivy Severity")),
        ..Signals::default()
    };
    let (severity, severity_source) = resolve_severity(&signals);
    let mut finding = base_finding(&s.rule_id, target, severity, severity_source);
    finding.title = s
        .title
        .clone()
        .or_else(|| s.category.clone())
        .unwrap_or_else(|| s.rule_id.clone());
    finding.area = s.category.clone();
    finding.location = Some(Location {
        uri: Some(target.to_string()),
        start_line: s.start_line,
        end_line: s.end_line,
        logical: None,
    });
    finding
}

fn base_finding(
    id: &str,
    target: &str,
    severity: crate::model::audit::Severity,
    severity_source: crate::model::audit::SeveritySource,
) -> Finding {
    super::blank_finding(id, TOOL, target, (severity, severity_source))
}
