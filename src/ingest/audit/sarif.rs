//! SARIF 2.1.0 reader (ingest stage): a SARIF file's bytes in, findings on the common
//! scale out. Lenient: only the fields opsbook uses are declared, every one optional,
//! unknown fields are skipped without being kept, so a 10 MB file costs little more
//! than its own strings.
//!
//! Several runs (and tools) per file; a result's rule is found by `ruleIndex`, then
//! `rule.index`, then id; a result without `level` takes its rule's
//! `defaultConfiguration.level`, else `warning` (the spec's default).
//!
//! What a run scanned (its artifact) comes from its properties (`imageName`,
//! `repoDigests`), else from the image its results' locations name (Grype, Snyk); when
//! it is known, every finding's target is that artifact and file paths stay locations.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::artifact::{image_with_digests, most_common_image};
use super::package::{cve_in, name_at_version_after_ids, package_facts, PackageFacts};
use super::severity::{parse_score, resolve_severity, Signals};
use super::ReadAudit;
use crate::model::audit::{ArtifactRef, Finding, Location, Rule, ToolRun};
use crate::model::char_refs;

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawLog {
    runs: Vec<RawRun>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawRun {
    tool: RawTool,
    results: Vec<RawResult>,
    invocations: Vec<RawInvocation>,
    properties: RawRunProperties,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawTool {
    driver: RawDriver,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawDriver {
    name: String,
    version: Option<String>,
    semantic_version: Option<String>,
    rules: Vec<RawRule>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawInvocation {
    start_time_utc: Option<String>,
    end_time_utc: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawRunProperties {
    image_name: Option<String>,
    repo_digests: Vec<String>,
    target: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawRule {
    id: String,
    name: Option<String>,
    short_description: Option<RawMessage>,
    full_description: Option<RawMessage>,
    help: Option<RawMessage>,
    help_uri: Option<String>,
    default_configuration: Option<RawConfiguration>,
    properties: RawProperties,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawConfiguration {
    level: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawMessage {
    text: Option<String>,
    markdown: Option<String>,
}

/// The property bag: only the keys the severity mapping and package facts read.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawProperties {
    #[serde(rename = "security-severity")]
    security_severity: Option<ScoreValue>,
    tags: Vec<String>,
    #[serde(alias = "packageName", alias = "PkgName")]
    package: Option<String>,
    #[serde(alias = "installedVersion", alias = "InstalledVersion")]
    package_version: Option<String>,
    #[serde(alias = "fixedVersion", alias = "FixedVersion")]
    fixed_version: Option<String>,
}

/// `security-severity` is a string in the spec's examples and a number in some tools.
#[derive(Deserialize)]
#[serde(untagged)]
enum ScoreValue {
    Number(f64),
    Text(String),
}

impl ScoreValue {
    fn score(&self) -> Option<f64> {
        match self {
            ScoreValue::Number(n) => parse_score(&n.to_string()),
            ScoreValue::Text(t) => parse_score(t),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawResult {
    rule_id: Option<String>,
    rule_index: Option<usize>,
    rule: Option<RawRuleReference>,
    level: Option<String>,
    message: RawMessage,
    locations: Vec<RawLocation>,
    partial_fingerprints: BTreeMap<String, String>,
    suppressions: Vec<RawSuppression>,
    properties: RawProperties,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawRuleReference {
    id: Option<String>,
    index: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawLocation {
    physical_location: Option<RawPhysicalLocation>,
    logical_locations: Vec<RawLogicalLocation>,
    message: Option<RawMessage>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawPhysicalLocation {
    artifact_location: Option<RawArtifactLocation>,
    region: Option<RawRegion>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawArtifactLocation {
    uri: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawRegion {
    start_line: Option<u32>,
    end_line: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawLogicalLocation {
    fully_qualified_name: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawSuppression {
    status: Option<String>,
}

/// Reads a SARIF log. The error is serde_json's, with the line and column.
pub fn read_sarif(bytes: &[u8]) -> Result<ReadAudit, serde_json::Error> {
    let log: RawLog = serde_json::from_slice(bytes)?;
    let mut read = ReadAudit::default();
    for run in log.runs {
        read_run(run, &mut read);
    }
    Ok(read)
}

fn read_run(run: RawRun, read: &mut ReadAudit) {
    let tool = run.tool.driver.name.trim().to_string();
    let tool = if tool.is_empty() {
        "unnamed tool".to_string()
    } else {
        tool
    };
    read.tools.push(ToolRun {
        name: tool.clone(),
        version: run
            .tool
            .driver
            .semantic_version
            .clone()
            .or_else(|| run.tool.driver.version.clone()),
        results: run.results.len(),
    });
    if read.date.is_none() {
        read.date = run
            .invocations
            .iter()
            .find_map(|i| i.start_time_utc.as_deref().or(i.end_time_utc.as_deref()))
            .and_then(super::date_prefix);
    }
    let artifact = run_artifact(&run);
    // Named like the artifact, so every scanner's scan of one image has one target.
    let run_target = artifact.as_ref().map(|a| a.name.clone()).or_else(|| {
        run.properties
            .image_name
            .as_deref()
            .or(run.properties.target.as_deref())
            .map(without_digest)
    });
    if read.target_hint.is_none() {
        read.target_hint.clone_from(&run_target);
    }
    if read.artifact.is_none() {
        read.artifact.clone_from(&artifact);
    }
    let rules = &run.tool.driver.rules;
    for rule in rules {
        read.rules
            .entry(rule.id.clone())
            .or_insert_with(|| rule_model(rule));
    }
    let scan = RunScan {
        tool: &tool,
        target: run_target.as_deref(),
        names_artifact: artifact.is_some(),
    };
    for result in &run.results {
        let rule = find_rule(rules, result);
        read.findings.push(finding(result, rule, &scan));
    }
}

/// What every finding of one run shares.
struct RunScan<'a> {
    tool: &'a str,
    /// The run's target: the image it names, else nothing.
    target: Option<&'a str>,
    /// Whether the run names what it scanned: then a finding's file is a location
    /// inside it, not a target of its own.
    names_artifact: bool,
}

/// The run's artifact: its `imageName` (pinned by `repoDigests`), else the image most of
/// its results' locations name.
fn run_artifact(run: &RawRun) -> Option<ArtifactRef> {
    let properties = &run.properties;
    if let Some(image) = properties
        .image_name
        .as_deref()
        .and_then(|name| image_with_digests(name, &properties.repo_digests))
    {
        return Some(image);
    }
    let locations = run.results.iter().flat_map(|result| {
        result.locations.iter().flat_map(|location| {
            let logical = location
                .logical_locations
                .iter()
                .filter_map(|l| l.fully_qualified_name.as_deref());
            let physical = location
                .physical_location
                .as_ref()
                .and_then(|p| p.artifact_location.as_ref())
                .and_then(|a| a.uri.as_deref());
            logical.chain(physical)
        })
    });
    most_common_image(locations)
}

/// `nginx@sha256:…` reads `nginx`.
fn without_digest(image: &str) -> String {
    image.split("@sha256:").next().unwrap_or(image).to_string()
}

fn find_rule<'r>(rules: &'r [RawRule], result: &RawResult) -> Option<&'r RawRule> {
    let reference = result.rule.as_ref();
    let index = result
        .rule_index
        .or_else(|| reference.and_then(|r| r.index));
    let id = result
        .rule_id
        .as_deref()
        .or_else(|| reference.and_then(|r| r.id.as_deref()));
    index
        .and_then(|i| rules.get(i))
        .filter(|rule| id.is_none_or(|id| rule.id == id))
        .or_else(|| id.and_then(|id| rules.iter().find(|rule| rule.id == id)))
}

/// A message's plain text as it was meant: SARIF's `text` is plain text, but Trivy's
/// template writes it HTML-escaped (`doesn&#39;t`), which a page would show as written.
/// (`markdown` needs nothing: markdown decodes references itself.)
fn plain_text(message: &Option<RawMessage>) -> Option<String> {
    let text = message.as_ref()?.text.as_deref()?;
    Some(char_refs::decode(text))
}

fn rule_model(rule: &RawRule) -> Rule {
    let text = |m: &Option<RawMessage>| m.as_ref().and_then(|m| m.text.clone());
    Rule {
        id: rule.id.clone(),
        title: plain_text(&rule.short_description).or_else(|| rule.name.clone()),
        help_markdown: rule
            .help
            .as_ref()
            .and_then(|h| h.markdown.clone().or_else(|| h.text.clone()))
            .or_else(|| text(&rule.full_description)),
        help_uri: rule.help_uri.clone(),
    }
}

fn finding(result: &RawResult, rule: Option<&RawRule>, scan: &RunScan) -> Finding {
    let id = result
        .rule_id
        .clone()
        .or_else(|| result.rule.as_ref().and_then(|r| r.id.clone()))
        .or_else(|| rule.map(|r| r.id.clone()))
        .unwrap_or_else(|| "unnamed-rule".to_string());
    let (severity, severity_source) = resolve_severity(&signals(result, rule));
    let message = result.message.text.as_deref().unwrap_or_default();
    let location = result.locations.first().map(location_model);
    let facts = result_package(result, rule, message);
    let file = location.as_ref().and_then(|l| l.uri.clone());
    let target = match (&facts.package, file) {
        (Some(_), Some(uri)) if !scan.names_artifact => uri,
        _ => scan.target.map(without_digest).unwrap_or_default(),
    };
    let title = rule
        .and_then(|r| plain_text(&r.short_description))
        .or_else(|| message.lines().next().map(char_refs::decode))
        .unwrap_or_else(|| id.clone());
    // Some scanners (Snyk) name findings by their own ids and write the CVE only in the
    // rule's description.
    let rule_texts = rule.into_iter().flat_map(|r| {
        [&r.full_description, &r.help]
            .into_iter()
            .flatten()
            .filter_map(|m| m.text.as_deref().or(m.markdown.as_deref()))
    });
    let cve = cve_in(&id)
        .or_else(|| cve_in(message))
        .or_else(|| rule_texts.into_iter().find_map(cve_in));
    Finding {
        cve,
        title,
        severity,
        severity_source,
        tools: vec![scan.tool.to_string()],
        target,
        package: facts.package,
        installed_version: facts.installed_version,
        fixed_version: facts.fixed_version,
        location,
        rule_id: rule.map(|r| r.id.clone()),
        links: Vec::new(),
        fingerprints: result.partial_fingerprints.clone(),
        suppressed: result
            .suppressions
            .iter()
            .any(|s| s.status.as_deref().is_none_or(|st| st == "accepted")),
        status: None,
        area: None,
        remediated_by: Vec::new(),
        span: None,
        per_tool: Vec::new(),
        id,
    }
}

/// The result's own properties win over its rule's.
fn signals<'a>(result: &'a RawResult, rule: Option<&'a RawRule>) -> Signals<'a> {
    let score = result
        .properties
        .security_severity
        .as_ref()
        .or_else(|| rule.and_then(|r| r.properties.security_severity.as_ref()))
        .and_then(ScoreValue::score)
        .map(|value| (value, "security-severity"));
    let word = result
        .properties
        .tags
        .iter()
        .chain(rule.iter().flat_map(|r| r.properties.tags.iter()))
        .find(|tag| super::severity::severity_from_word(tag).is_some())
        .map(|tag| (tag.as_str(), "tag"));
    let level = match (&result.level, rule) {
        (Some(level), _) => Some((level.as_str(), "result")),
        (None, Some(rule)) => rule
            .default_configuration
            .as_ref()
            .and_then(|c| c.level.as_deref())
            .map(|level| (level, "rule default")),
        (None, None) => None,
    };
    Signals { score, word, level }
}

/// Package facts from the result's properties, then its rule's description when it is
/// `(CVE-…) name@version` (Snyk), then its logical locations (purls), then its message
/// and location messages.
fn result_package(result: &RawResult, rule: Option<&RawRule>, message: &str) -> PackageFacts {
    let props = &result.properties;
    let mut facts = PackageFacts {
        package: props.package.clone(),
        installed_version: props.package_version.clone(),
        fixed_version: props.fixed_version.clone(),
    };
    let described = rule
        .and_then(|r| r.full_description.as_ref())
        .and_then(|d| d.text.as_deref())
        .and_then(name_at_version_after_ids);
    if let Some(described) = described {
        facts.fill_from(&described);
    }
    let logical = result
        .locations
        .iter()
        .flat_map(|l| l.logical_locations.iter())
        .filter_map(|l| l.fully_qualified_name.as_deref().or(l.name.as_deref()));
    let location_messages = result
        .locations
        .iter()
        .filter_map(|l| l.message.as_ref().and_then(|m| m.text.as_deref()));
    for text in logical
        .chain(std::iter::once(message))
        .chain(location_messages)
    {
        facts.fill_from(&package_facts(text));
    }
    facts
}

fn location_model(location: &RawLocation) -> Location {
    let physical = location.physical_location.as_ref();
    let region = physical.and_then(|p| p.region.as_ref());
    Location {
        uri: physical
            .and_then(|p| p.artifact_location.as_ref())
            .and_then(|a| a.uri.clone()),
        start_line: region.and_then(|r| r.start_line),
        end_line: region.and_then(|r| r.end_line),
        logical: location
            .logical_locations
            .first()
            .and_then(|l| l.fully_qualified_name.clone().or_else(|| l.name.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaped_plain_text_reads_as_the_scanner_meant_it() {
        // As Trivy's SARIF writes it: the rule's short description HTML-escaped, and its
        // markdown help left to the markdown renderer.
        let sarif = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Trivy",
            "rules":[{"id":"CVE-2021-40528",
              "shortDescription":{"text":"libgcrypt: ElGamal doesn&#39;t have &#34;semantic security&#34;"},
              "help":{"markdown":"the vendor&#39;s position"}}]}},
          "results":[{"ruleId":"CVE-2021-40528","ruleIndex":0,"message":{"text":"x"}},
                     {"ruleId":"other","message":{"text":"a &amp; b&#39;s\nmore"}}]}]}"#;
        let read = read_sarif(sarif.as_bytes()).unwrap();
        let titles: Vec<&str> = read.findings.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                r#"libgcrypt: ElGamal doesn't have "semantic security""#,
                "a & b's"
            ]
        );
        let rule = &read.rules["CVE-2021-40528"];
        assert_eq!(rule.title.as_deref(), titles.first().copied());
        assert_eq!(
            rule.help_markdown.as_deref(),
            Some("the vendor&#39;s position")
        );
    }
}
