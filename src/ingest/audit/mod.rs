//! Audit ingest: scanner output files and written audit reports under `content/audits/`
//! in, `model::audit::Audit`s plus diagnostics out.
//!
//! A file is recognised by its content, not only its name: any `.json`, `.sarif` or
//! `.sarif.json` file, and any other file under `audits/` that starts with `{`, is probed
//! for the keys that tell SARIF (`runs`), Trivy JSON (`SchemaVersion` + `Results`) and
//! `npm audit --json` (`auditReportVersion`) apart. Invalid JSON is an error at its
//! `path:line:col`. Markdown pages of kind `audit` are read by `report`. OpenVEX
//! documents (`*.openvex.json`, `*.vex.json`, or any JSON with `@context` and
//! `statements`) are read by `vex`.

pub mod artifact;
pub mod json_path;
pub mod merge;
pub mod npm_audit;
pub mod package;
pub mod report;
pub mod sarif;
pub mod severity;
pub mod trivy;
pub mod vex;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::discover::ContentFile;
use crate::diagnostics::{codes, Diagnostic, Diagnostics, SourceCache};
use crate::model::audit::vex::VexDocument;
use crate::model::audit::{
    ArtifactRef, Audit, AuditFormat, Finding, Rule, Severity, SeveritySource, ToolRun,
};
use crate::model::span::LineIndex;

/// What one reader got from one file, before the resolve step names and merges it.
#[derive(Debug, Default)]
pub struct ReadAudit {
    pub tools: Vec<ToolRun>,
    pub rules: BTreeMap<String, Rule>,
    pub findings: Vec<Finding>,
    /// `YYYY-MM-DD`, when the file says.
    pub date: Option<String>,
    /// What the file says it scanned (an image name, an artifact name).
    pub target_hint: Option<String>,
    /// The artifact the file names (an image and its digest), when it names one.
    pub artifact: Option<ArtifactRef>,
    /// Inconsistencies worth a warning (e.g. a total that does not match).
    pub notes: Vec<String>,
}

/// The keys that tell the formats apart; every other key is skipped unread.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Probe {
    runs: Option<IgnoredAny>,
    #[serde(rename = "SchemaVersion")]
    schema_version: Option<IgnoredAny>,
    #[serde(rename = "Results")]
    results: Option<IgnoredAny>,
    #[serde(rename = "ArtifactName")]
    artifact_name: Option<IgnoredAny>,
    #[serde(rename = "auditReportVersion")]
    audit_report_version: Option<IgnoredAny>,
    #[serde(rename = "@context")]
    context: Option<IgnoredAny>,
    statements: Option<IgnoredAny>,
}

/// What a JSON file turned out to be.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    Sarif,
    Trivy,
    Npm,
    Vex,
    /// Valid JSON, but none of the formats.
    Unknown,
}

/// Whether a non-markdown file under `content/` should be probed as an audit.
pub fn is_audit_candidate(file: &ContentFile) -> bool {
    file.relative
        .components()
        .next()
        .is_some_and(|first| first.as_os_str() == "audits")
}

/// True for a file under `content/audits/` named like scanner output (`.json`, `.sarif`):
/// a site may publish nothing else (a CI job that publishes one scan).
pub fn is_scanner_output(file: &ContentFile) -> bool {
    is_audit_candidate(file) && has_audit_extension(&file.source)
}

fn has_audit_extension(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".json") || name.ends_with(".sarif")
}

/// What a file under `content/audits/` turned out to hold.
#[derive(Debug)]
pub enum AuditFile {
    /// A scanner's output.
    Scan(Audit),
    /// An OpenVEX document.
    Vex(VexDocument),
}

/// Reads one file under `content/audits/` as an audit or a VEX document. `None`
/// (without a diagnostic) when the file is not JSON at all, such as an image beside the
/// reports.
pub fn read_audit_file(
    root: &Path,
    file: &ContentFile,
    sources: &mut SourceCache,
    diagnostics: &mut Diagnostics,
) -> Option<AuditFile> {
    let full = root.join(&file.source);
    let by_name = has_audit_extension(&file.source);
    if !by_name && !starts_like_json(&full) {
        return None;
    }
    let bytes = match fs::read(&full) {
        // JSON has no byte order mark, but scanners run on Windows write one.
        Ok(mut bytes) if bytes.starts_with(b"\xef\xbb\xbf") => {
            bytes.drain(..3);
            bytes
        }
        Ok(bytes) => bytes,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(codes::IO, format!("cannot read audit file: {error}"))
                    .at(&file.source, None),
            );
            return None;
        }
    };
    let shape = match probe(&bytes) {
        Ok(_) if vex::is_vex_name(&file.source) => Shape::Vex,
        Ok(shape) => shape,
        Err(error) if by_name || !error.is_data() => {
            diagnostics.push(json_error(&file.source, &bytes, &error, sources));
            return None;
        }
        Err(_) => return None,
    };
    let (format, read) = match shape {
        Shape::Sarif => (AuditFormat::Sarif, sarif::read_sarif(&bytes)),
        Shape::Trivy => (AuditFormat::TrivyJson, trivy::read_trivy(&bytes)),
        Shape::Npm => (AuditFormat::NpmAudit, npm_audit::read_npm_audit(&bytes)),
        Shape::Vex => return read_vex_file(file, &bytes, sources, diagnostics),
        Shape::Unknown => {
            if by_name {
                diagnostics.push(unknown_format(&file.source));
            }
            return None;
        }
    };
    match read {
        Ok(read) => Some(AuditFile::Scan(resolve(file, format, read, diagnostics))),
        Err(error) => {
            diagnostics.push(json_error(&file.source, &bytes, &error, sources));
            None
        }
    }
}

/// A VEX document's statements; its text is kept for the carets of its diagnostics.
fn read_vex_file(
    file: &ContentFile,
    bytes: &[u8],
    sources: &mut SourceCache,
    diagnostics: &mut Diagnostics,
) -> Option<AuditFile> {
    let text = String::from_utf8_lossy(bytes);
    let before = diagnostics.len();
    let read = vex::read_vex(&file.source, &file.relative, &text, diagnostics);
    if diagnostics.len() > before {
        sources.insert(PathBuf::from(&file.source), text.as_ref());
    }
    match read {
        Ok(document) => Some(AuditFile::Vex(document)),
        Err(error) => {
            diagnostics.push(json_error(&file.source, bytes, &error, sources));
            None
        }
    }
}

/// True when the first non-blank byte of the file is `{`.
fn starts_like_json(path: &Path) -> bool {
    let mut head = [0u8; 256];
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let read = file.read(&mut head).unwrap_or(0);
    let text = head[..read]
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&head[..read]);
    text.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

fn probe(bytes: &[u8]) -> Result<Shape, serde_json::Error> {
    let probe: Probe = serde_json::from_slice(bytes)?;
    let shape = if probe.runs.is_some() {
        Shape::Sarif
    } else if probe.schema_version.is_some()
        && (probe.results.is_some() || probe.artifact_name.is_some())
    {
        Shape::Trivy
    } else if probe.audit_report_version.is_some() {
        Shape::Npm
    } else if probe.context.is_some() && probe.statements.is_some() {
        Shape::Vex
    } else {
        Shape::Unknown
    };
    Ok(shape)
}

/// Names the audit, finds its target and date, merges duplicate findings.
fn resolve(
    file: &ContentFile,
    format: AuditFormat,
    read: ReadAudit,
    diagnostics: &mut Diagnostics,
) -> Audit {
    let stem = audit_stem(&file.relative);
    for note in &read.notes {
        diagnostics.push(
            Diagnostic::warning(codes::AUDIT_INCONSISTENT, note.clone())
                .at(&file.source, None)
                .with_help("the findings listed in the file are shown; check the tool's output"),
        );
    }
    let target = read
        .target_hint
        .clone()
        .or_else(|| most_common_target(&read.findings))
        .unwrap_or_else(|| stem.clone());
    let results_read = read.findings.len();
    let mut findings = read.findings;
    for finding in findings.iter_mut().filter(|f| f.target.is_empty()) {
        finding.target.clone_from(&target);
    }
    let findings = merge::merge_duplicates(findings);
    let tools: Vec<&str> = unique_tool_names(&read.tools);
    let date = read.date.or_else(|| date_in(&stem));
    let artifact = read.artifact;
    // The digest tells two scans of `nginx` apart; the title says which one this is.
    let scanned = artifact
        .as_ref()
        .map_or_else(|| target.clone(), ArtifactRef::short);
    let title = format!("{} scan of {scanned}", tools.join(" + "));
    let parent = file.relative.parent().unwrap_or(Path::new(""));
    Audit {
        source: file.source.clone(),
        output: parent.join(&stem).join("index.html"),
        raw_output: Some(file.relative.clone()),
        title,
        format,
        target,
        artifact,
        date,
        tools: read.tools,
        rules: read.rules,
        findings,
        results_read,
        report: None,
    }
}

fn unique_tool_names(tools: &[ToolRun]) -> Vec<&str> {
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
    names.dedup();
    names
}

/// `nginx-trivy.sarif.json` reads `nginx-trivy`.
fn audit_stem(relative: &Path) -> String {
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let cut = [".sarif.json", ".sarif", ".json"]
        .iter()
        .find(|suffix| lower.ends_with(*suffix))
        .map(|suffix| name.len() - suffix.len())
        .or_else(|| name.rfind('.').filter(|&dot| dot > 0))
        .unwrap_or(name.len());
    name[..cut].to_string()
}

/// The target most findings name (the first in sorted order on a tie).
fn most_common_target(findings: &[Finding]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in findings.iter().filter(|f| !f.target.is_empty()) {
        *counts.entry(&finding.target).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(t, _)| t.to_string())
}

/// `2024-05-01T10:00:00Z` reads `2024-05-01`.
pub fn date_prefix(text: &str) -> Option<String> {
    let head = text.trim().get(..10)?;
    is_date(head).then(|| head.to_string())
}

/// The first `YYYY-MM-DD` inside a name (`nginx-2024-05-01`).
fn date_in(text: &str) -> Option<String> {
    (0..text.len().saturating_sub(9))
        .filter_map(|i| text.get(i..i + 10))
        .find(|candidate| is_date(candidate))
        .map(str::to_string)
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// A scanner finding with only its id, tool, target and severity filled in.
pub(crate) fn blank_finding(
    id: &str,
    tool: &str,
    target: &str,
    (severity, severity_source): (Severity, SeveritySource),
) -> Finding {
    Finding {
        id: id.to_string(),
        cve: None,
        title: id.to_string(),
        severity,
        severity_source,
        tools: vec![tool.to_string()],
        target: target.to_string(),
        package: None,
        installed_version: None,
        fixed_version: None,
        location: None,
        rule_id: None,
        links: Vec::new(),
        fingerprints: BTreeMap::new(),
        suppressed: false,
        status: None,
        area: None,
        remediated_by: Vec::new(),
        span: None,
        per_tool: Vec::new(),
    }
}

/// serde_json's line and column as a diagnostic. The source line is kept for the caret
/// only when it is short (a minified 10 MB file is one line).
fn json_error(
    source: &Path,
    bytes: &[u8],
    error: &serde_json::Error,
    sources: &mut SourceCache,
) -> Diagnostic {
    let line = u32::try_from(error.line()).unwrap_or(u32::MAX);
    let col = u32::try_from(error.column().max(1)).unwrap_or(u32::MAX);
    let text = String::from_utf8_lossy(bytes);
    let index = LineIndex::new(&text);
    let offset = index.line_start(line);
    let line_len = text[offset.min(text.len())..]
        .find('\n')
        .unwrap_or(text.len() - offset.min(text.len()));
    if line_len <= 300 {
        sources.insert(PathBuf::from(source), text.as_ref());
    }
    let what = if error.is_eof() {
        "the file ends in the middle of the JSON (truncated?)"
    } else if error.is_syntax() {
        "invalid JSON"
    } else {
        "unexpected JSON for this audit format"
    };
    let message = error.to_string();
    let detail = message.split(" at line ").next().unwrap_or(&message);
    Diagnostic::error(codes::AUDIT_JSON, format!("{what}: {detail}"))
        .at(source, Some(crate::model::Span::point(offset, line, col)))
        .with_help("re-export the scanner output (e.g. `trivy image --format sarif -o FILE`), or move the file out of `content/audits/`")
}

fn unknown_format(source: &Path) -> Diagnostic {
    Diagnostic::note(
        codes::AUDIT_UNKNOWN_FORMAT,
        "JSON file under `audits/` is not SARIF, Trivy JSON or npm audit JSON; published as it is",
    )
    .at(source, None)
    .with_help("SARIF has `runs`, Trivy JSON `SchemaVersion` and `Results`, npm audit `auditReportVersion`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_drop_sarif_and_json_suffixes() {
        assert_eq!(
            audit_stem(Path::new("audits/nginx-trivy.sarif.json")),
            "nginx-trivy"
        );
        assert_eq!(audit_stem(Path::new("audits/x.SARIF")), "x");
        assert_eq!(audit_stem(Path::new("audits/npm.json")), "npm");
        assert_eq!(audit_stem(Path::new("audits/scan.txt")), "scan");
    }

    #[test]
    fn dates_come_from_timestamps_or_names() {
        assert_eq!(
            date_prefix("2024-05-01T10:00:00Z").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(
            date_in("nginx-2024-05-01-trivy").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(date_in("nginx"), None);
    }

    #[test]
    fn probe_tells_formats_apart_by_keys() {
        let kind = |json: &str| probe(json.as_bytes()).unwrap();
        assert_eq!(kind(r#"{"version":"2.1.0","runs":[]}"#), Shape::Sarif);
        assert_eq!(kind(r#"{"SchemaVersion":2,"Results":[]}"#), Shape::Trivy);
        assert_eq!(kind(r#"{"auditReportVersion":2}"#), Shape::Npm);
        assert_eq!(kind(r#"{"name":"x"}"#), Shape::Unknown);
        assert_eq!(
            kind(r#"{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}"#),
            Shape::Vex
        );
    }
}
