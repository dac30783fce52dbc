//! Merging duplicates (ingest stage, resolve step): one audit's findings in, the same
//! findings with duplicates across scanners merged out. Two findings are the same when
//! they name the same CVE in the same package at the same installed version; the merged
//! finding lists every tool that saw it and keeps the most serious severity, and each
//! tool's own severity beside it (`per_tool`), so a disagreement stays visible.

use std::collections::BTreeMap;

use crate::model::audit::Finding;

type Key = (String, String, String);

/// Only findings with a CVE and a package can be matched across tools: rule ids of
/// code scanners mean different things in different tools.
fn merge_key(finding: &Finding) -> Option<Key> {
    Some((
        finding.cve.clone()?,
        finding.package.clone()?,
        finding.installed_version.clone().unwrap_or_default(),
    ))
}

/// Keeps the first-seen order of findings.
pub fn merge_duplicates(findings: Vec<Finding>) -> Vec<Finding> {
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut seen: BTreeMap<Key, usize> = BTreeMap::new();
    for finding in findings {
        match merge_key(&finding) {
            Some(key) => match seen.get(&key) {
                Some(&index) => absorb(&mut merged[index], finding),
                None => {
                    seen.insert(key, merged.len());
                    merged.push(finding);
                }
            },
            None => merged.push(finding),
        }
    }
    merged
}

fn absorb(kept: &mut Finding, other: Finding) {
    let mut per_tool = kept.tool_severities();
    for reported in other.tool_severities() {
        if !per_tool.iter().any(|r| r.tool == reported.tool) {
            per_tool.push(reported);
        }
    }
    per_tool.sort_by(|a, b| a.tool.cmp(&b.tool));
    kept.per_tool = per_tool;
    if other.severity > kept.severity {
        kept.severity = other.severity;
        kept.severity_source = other.severity_source;
    }
    for tool in other.tools {
        if !kept.tools.contains(&tool) {
            kept.tools.push(tool);
        }
    }
    kept.tools.sort();
    for link in other.links {
        if !kept.links.contains(&link) {
            kept.links.push(link);
        }
    }
    if kept.fixed_version.is_none() {
        kept.fixed_version = other.fixed_version;
    }
    if kept.location.is_none() {
        kept.location = other.location;
    }
    if kept.rule_id.is_none() {
        kept.rule_id = other.rule_id;
    }
    for (name, value) in other.fingerprints {
        kept.fingerprints.entry(name).or_insert(value);
    }
    // Suppressed only when every tool that saw it suppressed it.
    kept.suppressed = kept.suppressed && other.suppressed;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::audit::blank_finding;
    use crate::model::audit::{Severity, SeveritySource};

    fn finding(tool: &str, severity: Severity, version: &str) -> Finding {
        let source = SeveritySource::Report { word: "x".into() };
        let mut f = blank_finding("CVE-2023-0001", tool, "img", (severity, source));
        f.cve = Some("CVE-2023-0001".into());
        f.package = Some("openssl".into());
        f.installed_version = Some(version.into());
        f
    }

    #[test]
    fn same_cve_package_and_version_from_two_tools_is_one_finding() {
        let merged = merge_duplicates(vec![
            finding("Trivy", Severity::Medium, "3.0.1"),
            finding("Grype", Severity::High, "3.0.1"),
        ]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].tools, ["Grype", "Trivy"]);
        assert_eq!(merged[0].severity, Severity::High);
        let each: Vec<(&str, Severity)> = merged[0]
            .per_tool
            .iter()
            .map(|t| (t.tool.as_str(), t.severity))
            .collect();
        assert_eq!(
            each,
            [("Grype", Severity::High), ("Trivy", Severity::Medium)]
        );
    }

    #[test]
    fn another_installed_version_stays_a_separate_finding() {
        let merged = merge_duplicates(vec![
            finding("Trivy", Severity::Medium, "3.0.1"),
            finding("Grype", Severity::Medium, "3.0.2"),
        ]);
        assert_eq!(merged.len(), 2);
    }
}
