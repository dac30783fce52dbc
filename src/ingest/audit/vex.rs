//! OpenVEX reader (ingest stage): a `*.openvex.json` / `*.vex.json` document's text in,
//! `VexDocument` plus positioned diagnostics out. Lenient about what it does not use
//! (unknown fields, OpenVEX 0.0.x's plain-string vulnerability and products), strict
//! about what decides a finding's fate: each statement needs a vulnerability, a product
//! and one of the four statuses; `not_affected` needs a justification (one of the
//! spec's five) or an impact statement; `affected` an action statement; timestamps are
//! RFC 3339. A statement that breaks these is an error at its `path:line:col` and is
//! left out; the rest of the document still applies.

use std::path::Path;

use serde::Deserialize;

use super::json_path::{element_offsets, value_offset, Step};
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::audit::artifact::parse_digest;
use crate::model::audit::vex::{
    Justification, ProductKind, Timestamp, VexDocument, VexProduct, VexStatement, VexStatus,
};
use crate::model::audit::ArtifactRef;
use crate::model::date::days_of_iso;
use crate::model::span::LineIndex;

/// True for a file named like an OpenVEX document.
pub fn is_vex_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".openvex.json") || name.ends_with(".vex.json")
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawDocument {
    #[serde(rename = "@id")]
    id: Option<String>,
    author: Option<String>,
    timestamp: Option<String>,
    version: Option<RawVersion>,
    statements: Option<Vec<RawStatement>>,
}

/// `version` is a number in 0.2.0 and was a string before.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawVersion {
    Number(u64),
    Text(String),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawStatement {
    vulnerability: Option<RawVulnerability>,
    products: Vec<RawProduct>,
    /// OpenVEX 0.0.x put the subcomponents beside the products.
    subcomponents: Vec<RawProduct>,
    status: Option<String>,
    justification: Option<String>,
    impact_statement: Option<String>,
    action_statement: Option<String>,
    status_notes: Option<String>,
    statement: Option<String>,
    timestamp: Option<String>,
    last_updated: Option<String>,
}

/// A vulnerability object (0.2.0) or its bare name (0.0.x).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawVulnerability {
    Name(String),
    Object(RawVulnerabilityObject),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawVulnerabilityObject {
    name: Option<String>,
    #[serde(rename = "@id")]
    id: Option<String>,
    description: Option<String>,
    aliases: Vec<String>,
}

/// A component object (0.2.0) or its bare identifier (0.0.x).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawProduct {
    Id(String),
    Object(RawComponent),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawComponent {
    #[serde(rename = "@id")]
    id: Option<String>,
    identifiers: RawIdentifiers,
    subcomponents: Vec<RawProduct>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawIdentifiers {
    purl: Option<String>,
}

impl RawProduct {
    /// The `@id`, else the purl identifier.
    fn identifier(&self) -> Option<&str> {
        match self {
            RawProduct::Id(id) => Some(id.as_str()),
            RawProduct::Object(c) => c.id.as_deref().or(c.identifiers.purl.as_deref()),
        }
        .map(str::trim)
        .filter(|id| !id.is_empty())
    }
}

/// Everything one document's checks need: its path, its text and where it collects.
struct Reading<'a> {
    source: &'a Path,
    text: &'a str,
    index: LineIndex<'a>,
    diagnostics: &'a mut Diagnostics,
}

impl Reading<'_> {
    fn error_at(&mut self, offset: usize, message: String, help: &str) {
        let span = self.index.span(offset, offset);
        self.diagnostics.push(
            Diagnostic::error(codes::VEX_MALFORMED, message)
                .at(self.source, Some(span))
                .with_help(help.to_string()),
        );
    }

    /// The offset of `path`, else of the nearest enclosing value that exists.
    fn offset_of(&self, path: &[Step]) -> usize {
        (0..=path.len())
            .rev()
            .find_map(|len| value_offset(self.text, &path[..len]))
            .unwrap_or(0)
    }
}

/// Reads a VEX document from its text. JSON errors (syntax, a field of the wrong type)
/// are `serde_json::Error`s for the caller to place; the spec's rules are checked here.
pub fn read_vex(
    source: &Path,
    raw_output: &Path,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Result<VexDocument, serde_json::Error> {
    let raw: RawDocument = serde_json::from_str(text)?;
    let mut reading = Reading {
        source,
        text,
        index: LineIndex::new(text),
        diagnostics,
    };
    let timestamp = raw
        .timestamp
        .as_deref()
        .and_then(|written| checked_timestamp(&mut reading, written, &[Step::Key("timestamp")]));
    let mut document = VexDocument {
        source: source.to_path_buf(),
        raw_output: raw_output.to_path_buf(),
        id: raw.id,
        author: raw.author,
        timestamp,
        version: raw.version.and_then(|v| match v {
            RawVersion::Number(n) => Some(n),
            RawVersion::Text(t) => t.trim().parse().ok(),
        }),
        statements: Vec::new(),
    };
    let Some(statements) = raw.statements else {
        reading.error_at(
            0,
            "OpenVEX document has no `statements`".to_string(),
            "a VEX document lists its statements in `statements: [...]`",
        );
        return Ok(document);
    };
    let offsets = element_offsets(text, &[Step::Key("statements")]);
    for (number, raw) in statements.into_iter().enumerate() {
        let offset = offsets.get(number).copied().unwrap_or(0);
        let inherited = document.timestamp.clone();
        if let Some(statement) = read_statement(&mut reading, raw, number, offset, inherited) {
            document.statements.push(statement);
        }
    }
    Ok(document)
}

fn read_statement(
    reading: &mut Reading,
    raw: RawStatement,
    number: usize,
    offset: usize,
    inherited: Option<Timestamp>,
) -> Option<VexStatement> {
    let at = |key: &'static str| [Step::Key("statements"), Step::Index(number), Step::Key(key)];
    let ordinal = number + 1;
    let (vulnerability, aliases, description) = match raw.vulnerability {
        Some(RawVulnerability::Name(name)) => (Some(name), Vec::new(), None),
        Some(RawVulnerability::Object(v)) => (v.name.or(v.id), v.aliases, v.description),
        None => (None, Vec::new(), None),
    };
    let Some(vulnerability) = vulnerability.filter(|name| !name.trim().is_empty()) else {
        let place = reading.offset_of(&at("vulnerability"));
        reading.error_at(
            place,
            format!("VEX statement {ordinal} names no vulnerability"),
            "give it `vulnerability: {\"name\": \"CVE-…\"}`",
        );
        return None;
    };
    let status = check_status(reading, raw.status.as_deref(), &at("status"), ordinal)?;
    let justification = match raw.justification.as_deref() {
        Some(word) => Some(check_justification(reading, word, &at("justification"))?),
        None => None,
    };
    let mut statement = VexStatement {
        vulnerability: vulnerability.trim().to_string(),
        aliases: aliases.into_iter().map(|a| a.trim().to_string()).collect(),
        description,
        products: products(&raw.products, &raw.subcomponents),
        status,
        justification,
        impact_statement: raw.impact_statement,
        action_statement: raw.action_statement,
        status_notes: raw.status_notes,
        statement: raw.statement,
        timestamp: None,
        span: Some(reading.index.span(offset, offset)),
    };
    if !has_what_its_status_needs(reading, &statement, offset) {
        return None;
    }
    if statement.products.is_empty() {
        reading.error_at(
            reading.offset_of(&at("products")),
            format!("VEX statement {ordinal} ({vulnerability}) names no product"),
            "list what it is about in `products: [{\"@id\": \"pkg:oci/NAME@sha256%3A…\"}]`",
        );
        return None;
    }
    let own = match (&raw.last_updated, &raw.timestamp) {
        (Some(written), _) => Some((written, "last_updated")),
        (None, Some(written)) => Some((written, "timestamp")),
        (None, None) => None,
    };
    statement.timestamp = match own {
        Some((written, key)) => Some(checked_timestamp(reading, written, &at(key))?),
        None => inherited,
    };
    Some(statement)
}

fn check_status(
    reading: &mut Reading,
    word: Option<&str>,
    path: &[Step],
    ordinal: usize,
) -> Option<VexStatus> {
    let all: Vec<&str> = VexStatus::ALL.iter().map(|s| s.as_str()).collect();
    let help = format!("use one of {}", all.join(", "));
    match word {
        Some(word) => {
            let status = VexStatus::parse(word);
            if status.is_none() {
                let offset = reading.offset_of(path);
                reading.error_at(offset, format!("`{word}` is not an OpenVEX status"), &help);
            }
            status
        }
        None => {
            let offset = reading.offset_of(path);
            reading.error_at(
                offset,
                format!("VEX statement {ordinal} has no `status`"),
                &help,
            );
            None
        }
    }
}

fn check_justification(reading: &mut Reading, word: &str, path: &[Step]) -> Option<Justification> {
    let justification = Justification::parse(word);
    if justification.is_none() {
        let all: Vec<&str> = Justification::ALL.iter().map(|j| j.as_str()).collect();
        let offset = reading.offset_of(path);
        reading.error_at(
            offset,
            format!("`{word}` is not an OpenVEX justification"),
            &format!("use one of {}", all.join(", ")),
        );
    }
    justification
}

/// `not_affected` must say why, `affected` what to do (OpenVEX 0.2.0).
fn has_what_its_status_needs(
    reading: &mut Reading,
    statement: &VexStatement,
    offset: usize,
) -> bool {
    let says = |text: &Option<String>| text.as_deref().is_some_and(|t| !t.trim().is_empty());
    let (missing, help) = match statement.status {
        VexStatus::NotAffected
            if statement.justification.is_none() && !says(&statement.impact_statement) =>
        {
            (
                "a `justification` or an `impact_statement`",
                "say why, e.g. `\"justification\": \"component_not_present\"`",
            )
        }
        VexStatus::Affected if !says(&statement.action_statement) => (
            "an `action_statement`",
            "say what to do about it in `action_statement`",
        ),
        _ => return true,
    };
    reading.error_at(
        offset,
        format!(
            "VEX statement `{}` is `{}` without {missing}",
            statement.vulnerability,
            statement.status.as_str()
        ),
        help,
    );
    false
}

fn checked_timestamp(reading: &mut Reading, written: &str, path: &[Step]) -> Option<Timestamp> {
    let timestamp = parse_timestamp(written);
    if timestamp.is_none() {
        let offset = reading.offset_of(path);
        reading.error_at(
            offset,
            format!("`{written}` is not an RFC 3339 timestamp"),
            "write it as `2023-08-15T19:55:22Z` or with an offset (`-06:00`)",
        );
    }
    timestamp
}

/// Products with the statement-level subcomponents (0.0.x) added to each.
fn products(raw: &[RawProduct], statement_subcomponents: &[RawProduct]) -> Vec<VexProduct> {
    raw.iter()
        .filter_map(|product| {
            let id = product.identifier()?;
            let nested = match product {
                RawProduct::Object(c) => c.subcomponents.as_slice(),
                RawProduct::Id(_) => &[],
            };
            let subcomponents = nested
                .iter()
                .chain(statement_subcomponents)
                .filter_map(RawProduct::identifier)
                .map(package_name)
                .collect();
            Some(VexProduct {
                id: id.to_string(),
                kind: product_kind(id),
                subcomponents,
            })
        })
        .collect()
}

/// `pkg:oci/…` and `pkg:docker/…` purls and image references are images; other purls
/// are packages; anything else (a CPE, a URL) is kept but matches nothing.
fn product_kind(id: &str) -> ProductKind {
    if let Some(purl) = Purl::parse(id) {
        if purl.kind == "oci" || purl.kind == "docker" {
            let name = purl.repository_url.unwrap_or(purl.name);
            let digest = purl.version.as_deref().and_then(parse_digest);
            let reference = match digest {
                Some(digest) => format!("{name}@{digest}"),
                None => name,
            };
            if let Some(artifact) = ArtifactRef::parse(&reference) {
                return ProductKind::Image { artifact };
            }
            return ProductKind::Other;
        }
        return ProductKind::Package { name: purl.name };
    }
    if id.starts_with("cpe:") {
        return ProductKind::Other;
    }
    match ArtifactRef::parse(id) {
        Some(artifact) => ProductKind::Image { artifact },
        None => ProductKind::Other,
    }
}

/// A subcomponent's package name: the purl's name, else the identifier as written.
fn package_name(id: &str) -> String {
    Purl::parse(id).map_or_else(|| id.to_string(), |purl| purl.name)
}

/// The parts of a package URL opsbook matches on.
struct Purl {
    kind: String,
    /// The last path segment, percent-decoded (`login`, `@babel/core` for npm scopes).
    name: String,
    version: Option<String>,
    /// The `repository_url` qualifier of an OCI purl (`index.docker.io/library/nginx`).
    repository_url: Option<String>,
}

impl Purl {
    fn parse(text: &str) -> Option<Purl> {
        let rest = text.trim().strip_prefix("pkg:")?;
        let (rest, qualifiers) = match rest.split_once('?') {
            Some((rest, qualifiers)) => (rest, qualifiers.split('#').next().unwrap_or("")),
            None => (rest.split('#').next().unwrap_or(rest), ""),
        };
        let (path, version) = match rest.rsplit_once('@') {
            Some((path, version)) if !path.ends_with('/') => (path, Some(decode(version))),
            _ => (rest, None),
        };
        let (kind, path) = path.split_once('/')?;
        let mut segments = path.rsplit('/');
        let last = segments.next()?;
        // npm's scope is part of the name it reports (`@babel/core`).
        let name = match segments.next() {
            Some(scope) if kind.eq_ignore_ascii_case("npm") && decode(scope).starts_with('@') => {
                format!("{}/{}", decode(scope), decode(last))
            }
            _ => decode(last),
        };
        let repository_url = qualifiers
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "repository_url")
            .map(|(_, value)| decode(value));
        (!name.is_empty()).then(|| Purl {
            kind: kind.to_ascii_lowercase(),
            name,
            version,
            repository_url,
        })
    }
}

/// Percent-decoding of the few characters purls encode in practice.
fn decode(text: &str) -> String {
    text.replace("%3A", ":")
        .replace("%3a", ":")
        .replace("%2B", "+")
        .replace("%2b", "+")
        .replace("%40", "@")
        .replace("%2F", "/")
        .replace("%2f", "/")
}

/// RFC 3339: `2023-08-15T19:55:22.076684217-06:00`, `2023-08-15T19:55:22Z`.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let written = text.trim();
    let days = days_of_iso(written.get(..10)?)?;
    let rest = written.get(10..)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let number = |s: &str| -> Option<i64> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let hours = number(rest.get(0..2)?)?;
    let minutes = number(rest.get(3..5)?)?;
    let seconds = number(rest.get(6..8)?)?;
    if rest.get(2..3)? != ":"
        || rest.get(5..6)? != ":"
        || hours > 23
        || minutes > 59
        || seconds > 60
    {
        return None;
    }
    let mut rest = &rest[8..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let padded = format!("{:0<9}", &fraction[..digits.min(9)]);
        nanos = padded.parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.get(3..4)? != ":" {
                return None;
            }
            sign * (number(&rest[1..3])? * 3600 + number(&rest[4..6])? * 60)
        }
    };
    Some(Timestamp {
        text: written.to_string(),
        seconds: days * 86_400 + hours * 3600 + minutes * 60 + seconds - offset_seconds,
        nanos,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (VexDocument, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let document = read_vex(
            Path::new("content/audits/x.openvex.json"),
            Path::new("audits/x.openvex.json"),
            text,
            &mut diagnostics,
        )
        .expect("valid JSON");
        (document, diagnostics)
    }

    #[test]
    fn timestamps_compare_as_instants_across_offsets() {
        let mountain = parse_timestamp("2023-08-15T19:55:22.076684217-06:00").unwrap();
        let utc = parse_timestamp("2023-08-16T01:55:22.1Z").unwrap();
        assert!(mountain < utc);
        assert_eq!(mountain.seconds, utc.seconds);
        assert_eq!(mountain.nanos, 76_684_217);
        assert_eq!(parse_timestamp("2023-08-15"), None);
        assert_eq!(parse_timestamp("2023-08-15T25:00:00Z"), None);
        assert_eq!(parse_timestamp("2023-08-15T10:00:00+0100"), None);
    }

    #[test]
    fn oci_purls_are_images_and_other_purls_packages() {
        let image = product_kind(
            "pkg:oci/nginx@sha256%3A13d2?repository_url=index.docker.io/library/nginx",
        );
        let ProductKind::Image { artifact } = image else {
            panic!("{image:?}")
        };
        assert_eq!(artifact.to_string(), "nginx@sha256:13d2");
        assert_eq!(
            product_kind("pkg:deb/debian/login@1:4.13%2Bdfsg1-1?arch=amd64"),
            ProductKind::Package {
                name: "login".into()
            }
        );
        assert_eq!(
            product_kind("pkg:npm/%40babel/core@7.1.0"),
            ProductKind::Package {
                name: "@babel/core".into()
            }
        );
        assert_eq!(
            product_kind("cpe:2.3:a:nginx:nginx:1.25:*:*:*:*:*:*:*"),
            ProductKind::Other
        );
    }

    #[test]
    fn an_unknown_status_is_an_error_at_its_value_and_the_statement_is_left_out() {
        let (document, diagnostics) = read(
            "{\n  \"statements\": [\n    {\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [{\"@id\": \"nginx\"}], \"status\": \"fixed\"},\n    {\"vulnerability\": {\"name\": \"CVE-2\"}, \"products\": [{\"@id\": \"nginx\"}],\n     \"status\": \"not-affected\"}\n  ]\n}\n",
        );
        assert_eq!(document.statements.len(), 1);
        assert_eq!(diagnostics.len(), 1);
        let error = &diagnostics[0];
        assert_eq!(error.code, codes::VEX_MALFORMED);
        assert_eq!(error.location(), "content/audits/x.openvex.json:5:16");
        assert!(
            error.message.contains("`not-affected`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn not_affected_without_a_reason_and_a_missing_product_are_errors() {
        let (document, diagnostics) = read(
            r#"{"statements": [
  {"vulnerability": "CVE-1", "products": ["nginx"], "status": "not_affected"},
  {"vulnerability": {"name": "CVE-2"}, "status": "fixed"},
  {"vulnerability": {"name": "CVE-3"}, "products": ["nginx"], "status": "affected", "action_statement": "upgrade"}
]}"#,
        );
        let places: Vec<String> = diagnostics.iter().map(Diagnostic::location).collect();
        assert_eq!(
            places,
            [
                "content/audits/x.openvex.json:2:3",
                "content/audits/x.openvex.json:3:3"
            ]
        );
        assert_eq!(document.statements.len(), 1);
        assert_eq!(document.statements[0].vulnerability, "CVE-3");
    }

    #[test]
    fn statements_inherit_the_document_timestamp() {
        let (document, diagnostics) = read(
            r#"{"timestamp": "2024-01-02T03:04:05Z", "statements": [
  {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:oci/app@sha256%3Aab", "subcomponents": [{"@id": "pkg:deb/debian/zlib1g@1.2"}]}], "status": "under_investigation"},
  {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:oci/app@sha256%3Aab"}], "status": "fixed", "timestamp": "2024-02-01T00:00:00Z"}
]}"#,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let dates: Vec<&str> = document
            .statements
            .iter()
            .map(|s| s.timestamp.as_ref().unwrap().date())
            .collect();
        assert_eq!(dates, ["2024-01-02", "2024-02-01"]);
        assert_eq!(document.statements[0].products[0].subcomponents, ["zlib1g"]);
    }
}
