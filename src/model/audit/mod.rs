//! The audit model: what scanners (SARIF, Trivy JSON, `npm audit --json`) and written
//! audit reports found, on one severity scale. Built by `ingest::audit`; analyses and
//! renderers only borrow it. No HTML here: rule help stays markdown until render.
//! `artifact` names what a scan scanned; `vex` holds the team's OpenVEX statements.

pub mod artifact;
pub mod vex;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::Serialize;

use super::span::Span;
pub use artifact::ArtifactRef;

/// The one severity scale every reader maps onto, weakest first so `Ord` compares by
/// seriousness (`Severity::High > Severity::Low`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Most serious first, the order of charts and tables.
    pub const ALL_DESCENDING: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    /// The scale's own words, case-insensitive (`high`, `HIGH`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Severity::ALL_DESCENDING
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                format!("`{text}` is not a severity (critical, high, medium, low, info)")
            })
    }
}

/// Where a finding's severity came from: the strongest signal its file had.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SeveritySource {
    /// A CVSS-style score (`security-severity`, a CVSS base score).
    Score { value: f64, field: String },
    /// The tool's own word (a `HIGH` tag, Trivy's `Severity`, npm's `moderate`).
    ToolWord { word: String, field: String },
    /// The SARIF `level` (`error`, `warning`, `note`, `none`), from the result, the
    /// rule's `defaultConfiguration`, or the spec's default `warning`.
    Level { level: String, from: String },
    /// Written by the author of an audit report.
    Report { word: String },
}

impl SeveritySource {
    /// A short human phrase: `security-severity 7.5`, `tag HIGH`, `SARIF level note`.
    pub fn describe(&self) -> String {
        match self {
            SeveritySource::Score { value, field } => format!("{field} {value:.1}"),
            SeveritySource::ToolWord { word, field } => format!("{field} {word}"),
            SeveritySource::Level { level, from } => format!("SARIF level {level} ({from})"),
            SeveritySource::Report { word } => format!("report says {word}"),
        }
    }
}

/// The format an audit was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditFormat {
    Sarif,
    TrivyJson,
    NpmAudit,
    Report,
}

impl AuditFormat {
    pub fn label(self) -> &'static str {
        match self {
            AuditFormat::Sarif => "SARIF 2.1.0",
            AuditFormat::TrivyJson => "Trivy JSON",
            AuditFormat::NpmAudit => "npm audit JSON",
            AuditFormat::Report => "audit report",
        }
    }
}

/// Where a finding is: a file and region, or a logical place (a package, a resource).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The artifact's URI or path as the tool wrote it.
    pub uri: Option<String>,
    pub start_line: Option<u32>,
    pub end_line: Option<u32>,
    /// A logical location (`pkg:deb/debian/apt@2.6.1`, a function, a resource name).
    pub logical: Option<String>,
}

impl Location {
    /// `library/nginx:1`, or the logical name, or nothing.
    pub fn describe(&self) -> Option<String> {
        match (&self.uri, self.start_line, &self.logical) {
            (Some(uri), Some(line), _) => Some(format!("{uri}:{line}")),
            (Some(uri), None, _) => Some(uri.clone()),
            (None, _, Some(logical)) => Some(logical.clone()),
            _ => None,
        }
    }
}

/// What a rule (or advisory) says once, shared by every finding that cites it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rule {
    pub id: String,
    /// The rule's short name or description.
    pub title: Option<String>,
    /// Help text as markdown (escaped when rendered: it comes from outside).
    pub help_markdown: Option<String>,
    pub help_uri: Option<String>,
}

/// One finding on the common scale. Scanner findings that describe the same CVE in the
/// same package and version are merged into one, listing every tool that saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule or vulnerability id (`CVE-2023-1234`, `AVD-DS-0002`, `F-3`).
    pub id: String,
    /// The CVE this finding is about, when one is named.
    pub cve: Option<String>,
    pub title: String,
    pub severity: Severity,
    pub severity_source: SeveritySource,
    /// Every tool that reported it, sorted (`Grype`, `Trivy`).
    pub tools: Vec<String>,
    /// What was scanned: an image, a project, a file (`library/nginx`).
    pub target: String,
    pub package: Option<String>,
    pub installed_version: Option<String>,
    /// The version that fixes it, or what the tool says about a fix.
    pub fixed_version: Option<String>,
    pub location: Option<Location>,
    /// The key of the `Rule` in the audit's `rules` (for help text and links).
    pub rule_id: Option<String>,
    /// Links about the finding (advisory, CVE record), sorted and unique.
    pub links: Vec<String>,
    /// SARIF `partialFingerprints`, as the tool wrote them.
    pub fingerprints: BTreeMap<String, String>,
    /// Suppressed in the tool (SARIF `suppressions`) or accepted in a report.
    pub suppressed: bool,
    /// A report's status word as written (`open`, `fixed`, `accepted`).
    pub status: Option<String>,
    /// A report's area (`network`, `secrets`).
    pub area: Option<String>,
    /// Plan task ids that fix it (`1.2`).
    pub remediated_by: Vec<String>,
    /// Where a report wrote it, for diagnostics.
    pub span: Option<Span>,
    /// Each tool's own severity, when the finding merges what several tools of one file
    /// reported (the finding's `severity` is the highest of them); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_tool: Vec<ToolSeverity>,
}

/// What one tool said about a finding's severity, and from which signal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolSeverity {
    pub tool: String,
    pub severity: Severity,
    pub source: SeveritySource,
}

impl Finding {
    /// Each reporting tool with its severity and its source: `per_tool` when the finding
    /// merges several tools, else the finding's own.
    pub fn tool_severities(&self) -> Vec<ToolSeverity> {
        if !self.per_tool.is_empty() {
            return self.per_tool.clone();
        }
        self.tools
            .iter()
            .map(|tool| ToolSeverity {
                tool: tool.clone(),
                severity: self.severity,
                source: self.severity_source.clone(),
            })
            .collect()
    }

    /// Every name the finding goes by: its id and its CVE (upper-case), for matching
    /// across scanners and against VEX statements.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::iter::once(&self.id)
            .chain(self.cve.as_ref())
            .map(|name| name.trim().to_ascii_uppercase())
            .collect();
        names.dedup();
        names
    }

    /// Whether the tools say how to fix it (a fixed version, or npm's fix).
    pub fn has_fix(&self) -> bool {
        self.fixed_version
            .as_deref()
            .is_some_and(|fix| !fix.trim().is_empty())
    }

    /// Whether the finding still needs work: not suppressed, not fixed or closed.
    pub fn is_open(&self) -> bool {
        if self.suppressed {
            return false;
        }
        let status = self
            .status
            .as_deref()
            .unwrap_or("open")
            .to_ascii_lowercase();
        ![
            "fixed",
            "closed",
            "resolved",
            "done",
            "complete",
            "completed",
            "remediated",
        ]
        .iter()
        .any(|word| status.contains(word))
    }
}

/// One tool run within an audit file, with what it reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolRun {
    pub name: String,
    pub version: Option<String>,
    /// Number of results read from this run, before merging.
    pub results: usize,
}

/// One audit: a scanner output file or a written audit report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    /// Path relative to the site root, e.g. `content/audits/nginx-trivy.sarif.json`.
    pub source: PathBuf,
    /// Page path relative to the output root, e.g. `audits/nginx-trivy/index.html`.
    pub output: PathBuf,
    /// The published raw file (scanner outputs only), relative to the output root.
    pub raw_output: Option<PathBuf>,
    pub title: String,
    pub format: AuditFormat,
    /// What the audit is about; audits of the same target are compared by date.
    pub target: String,
    /// What the scan says it scanned (an image and its digest), when it says; scans of
    /// the same artifact are compared on its artifact page.
    pub artifact: Option<ArtifactRef>,
    /// `YYYY-MM-DD` when the file says (or its name holds) a date.
    pub date: Option<String>,
    pub tools: Vec<ToolRun>,
    pub rules: BTreeMap<String, Rule>,
    pub findings: Vec<Finding>,
    /// Results read before duplicates across tools were merged.
    pub results_read: usize,
    /// Report facts (front matter or bold labels).
    pub report: Option<ReportFacts>,
}

/// What a written audit report says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReportFacts {
    pub scope: Option<String>,
    pub grade: Option<String>,
    pub target_grade: Option<String>,
    pub status: Option<String>,
}

/// Which severity the artifact page settles on when scanners disagree (`[audits]
/// severity` in opsbook.toml).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityPolicy {
    /// The most serious any scanner gives (the default: nothing is played down).
    #[default]
    Highest,
    /// The least serious any scanner gives.
    Lowest,
    /// What the named tool gives (`Trivy`); the highest where it did not report.
    Tool(String),
}

impl SeverityPolicy {
    /// `highest`, `lowest`, or a tool's name.
    pub fn parse(text: &str) -> Option<SeverityPolicy> {
        let text = text.trim();
        match text.to_ascii_lowercase().as_str() {
            "" => None,
            "highest" => Some(SeverityPolicy::Highest),
            "lowest" => Some(SeverityPolicy::Lowest),
            _ => Some(SeverityPolicy::Tool(text.to_string())),
        }
    }

    /// For the page: `the highest any scanner gives`.
    pub fn describe(&self) -> String {
        match self {
            SeverityPolicy::Highest => "the highest any scanner gives".to_string(),
            SeverityPolicy::Lowest => "the lowest any scanner gives".to_string(),
            SeverityPolicy::Tool(tool) => {
                format!("as {tool} rates it, else the highest any scanner gives")
            }
        }
    }

    /// The severity settled on among the tools' values (none empty).
    pub fn settle(&self, values: &[ToolSeverity]) -> Option<Severity> {
        let highest = values.iter().map(|v| v.severity).max();
        match self {
            SeverityPolicy::Highest => highest,
            SeverityPolicy::Lowest => values.iter().map(|v| v.severity).min(),
            SeverityPolicy::Tool(tool) => values
                .iter()
                .filter(|v| v.tool.eq_ignore_ascii_case(tool))
                .map(|v| v.severity)
                .max()
                .or(highest),
        }
    }
}

impl Audit {
    /// Findings per severity, most serious first, zeros included.
    pub fn counts(&self) -> Vec<(Severity, usize)> {
        Severity::ALL_DESCENDING
            .into_iter()
            .map(|s| (s, self.findings.iter().filter(|f| f.severity == s).count()))
            .collect()
    }
}
