//! OpenVEX documents (model): what a team decided about vulnerabilities in what it ships
//! (`not_affected` with a justification, `fixed`, `affected`, `under_investigation`), so
//! triage survives the next scan. Read by `ingest::audit::vex`; `analysis::vex` applies
//! the latest statement per vulnerability and product to the scanners' findings.

use std::cmp::Ordering;
use std::path::PathBuf;

use serde::Serialize;

use super::artifact::ArtifactRef;
use crate::model::span::Span;

/// One OpenVEX document under `content/audits/`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VexDocument {
    /// Path relative to the site root (`content/audits/nginx.openvex.json`).
    pub source: PathBuf,
    /// The file as published, relative to the output root.
    pub raw_output: PathBuf,
    /// The document's `@id`.
    pub id: Option<String>,
    pub author: Option<String>,
    pub timestamp: Option<Timestamp>,
    pub version: Option<u64>,
    /// In the order the document lists them.
    pub statements: Vec<VexStatement>,
}

/// One statement: a status of one vulnerability in some products.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VexStatement {
    /// The vulnerability's name (`CVE-2024-11111`).
    pub vulnerability: String,
    /// Other names of it (`SNYK-DEBIAN12-LIBDE265-3361563`, `GHSA-…`).
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub products: Vec<VexProduct>,
    pub status: VexStatus,
    /// Why it is `not_affected` (one of the spec's five labels).
    pub justification: Option<Justification>,
    /// How it is `not_affected`, in the team's words.
    pub impact_statement: Option<String>,
    /// What to do about it (`affected`).
    pub action_statement: Option<String>,
    pub status_notes: Option<String>,
    /// A free-text `statement` (written by older tools and the OpenVEX examples).
    pub statement: Option<String>,
    /// The statement's own `timestamp` (or `last_updated`), else the document's.
    pub timestamp: Option<Timestamp>,
    /// Where the statement starts in its file.
    pub span: Option<Span>,
}

impl VexStatement {
    /// The vulnerability's name and its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.vulnerability.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The team's words about the status: the impact statement, the action statement, the
    /// status notes and the free-text statement, in that order, joined.
    pub fn explanation(&self) -> Option<String> {
        let parts: Vec<&str> = [
            &self.impact_statement,
            &self.action_statement,
            &self.status_notes,
            &self.statement,
        ]
        .into_iter()
        .flatten()
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
        .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// What a statement is about: an image (matched against what scans scanned), a package
/// (matched against findings' packages), or something else kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VexProduct {
    /// The product's `@id` (or purl identifier) as written.
    pub id: String,
    pub kind: ProductKind,
    /// Packages inside the product the statement is limited to (`subcomponents`), by
    /// name; empty when it applies to the whole product.
    pub subcomponents: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProductKind {
    /// `pkg:oci/nginx@sha256%3A…`, `pkg:docker/…`, or an image reference.
    Image { artifact: ArtifactRef },
    /// `pkg:deb/debian/login@1:4.13`, `pkg:npm/lodash@4.17.20`: that package in any scan.
    Package { name: String },
    /// An identifier opsbook cannot match (a CPE, a URL); such a statement matches nothing.
    Other,
}

/// The four statuses of OpenVEX 0.2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl VexStatus {
    pub const ALL: [VexStatus; 4] = [
        VexStatus::NotAffected,
        VexStatus::Affected,
        VexStatus::Fixed,
        VexStatus::UnderInvestigation,
    ];

    /// The spec's word: `not_affected`.
    pub fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }

    /// For people: `not affected`.
    pub fn label(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under investigation",
        }
    }

    pub fn parse(word: &str) -> Option<VexStatus> {
        VexStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == word.trim())
    }

    /// `not_affected` and `fixed` close a finding: it no longer counts as open or for
    /// `--fail-on`. `affected` and `under_investigation` leave it open.
    pub fn closes_finding(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }
}

/// The five justifications OpenVEX allows for `not_affected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Justification {
    ComponentNotPresent,
    VulnerableCodeNotPresent,
    VulnerableCodeNotInExecutePath,
    VulnerableCodeCannotBeControlledByAdversary,
    InlineMitigationsAlreadyExist,
}

impl Justification {
    pub const ALL: [Justification; 5] = [
        Justification::ComponentNotPresent,
        Justification::VulnerableCodeNotPresent,
        Justification::VulnerableCodeNotInExecutePath,
        Justification::VulnerableCodeCannotBeControlledByAdversary,
        Justification::InlineMitigationsAlreadyExist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Justification::ComponentNotPresent => "component_not_present",
            Justification::VulnerableCodeNotPresent => "vulnerable_code_not_present",
            Justification::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
            Justification::VulnerableCodeCannotBeControlledByAdversary => {
                "vulnerable_code_cannot_be_controlled_by_adversary"
            }
            Justification::InlineMitigationsAlreadyExist => "inline_mitigations_already_exist",
        }
    }

    /// For people: `component not present`.
    pub fn label(self) -> String {
        self.as_str().replace('_', " ")
    }

    pub fn parse(word: &str) -> Option<Justification> {
        Justification::ALL
            .into_iter()
            .find(|j| j.as_str() == word.trim())
    }
}

/// An RFC 3339 time as written, with the instant it names (for "latest wins").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timestamp {
    /// As written (`2023-08-15T19:55:22.076684217-06:00`).
    pub text: String,
    /// Seconds since 1970-01-01T00:00:00Z.
    #[serde(skip)]
    pub seconds: i64,
    /// Nanoseconds within the second.
    #[serde(skip)]
    pub nanos: u32,
}

impl Timestamp {
    /// `2023-08-15`, the UTC-independent date as written.
    pub fn date(&self) -> &str {
        self.text.get(..10).unwrap_or(&self.text)
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    /// By instant; the same instant written two ways compares by text, so the order is
    /// total and stable.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.seconds, self.nanos, &self.text).cmp(&(other.seconds, other.nanos, &other.text))
    }
}
