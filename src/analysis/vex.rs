//! VEX applied to findings (analysis stage): the project's OpenVEX statements in, the
//! statement that holds for a finding out. A statement is about a finding when one of
//! its names (the vulnerability and its aliases) is one of the finding's (its id or
//! CVE) and one of its products is what the finding's scan scanned (an image, by digest
//! or else by name, narrowed to `subcomponents` when it lists them) or the finding's
//! package. Of the statements about one finding, the latest by timestamp holds (the
//! later in the site's files on a tie); the earlier ones are its history. A statement
//! about nothing any scan found gets a note.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::audit::vex::{ProductKind, VexDocument, VexProduct, VexStatement};
use crate::model::audit::{ArtifactRef, Audit, Finding};
use crate::model::Project;

/// One statement with the document it is from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VexVerdict<'a> {
    pub document: &'a VexDocument,
    pub statement: &'a VexStatement,
    /// Its place among all statements of the site (documents by source, statements in
    /// document order): the tie-break between equal timestamps.
    order: usize,
}

impl VexVerdict<'_> {
    /// Whether the statement closes the finding (`not_affected`, `fixed`).
    pub fn closes_finding(&self) -> bool {
        self.statement.status.closes_finding()
    }
}

/// What a lookup is about: the finding's names and package, in a scan of `artifact`.
#[derive(Debug, Clone, Copy)]
pub struct VexSubject<'s> {
    pub artifact: Option<&'s ArtifactRef>,
    /// Upper-case ids and CVEs.
    pub names: &'s [String],
    pub package: Option<&'s str>,
}

/// Every statement of the site, by each of its names (upper-case).
#[derive(Debug, Default)]
pub struct VexIndex<'a> {
    by_name: BTreeMap<String, Vec<VexVerdict<'a>>>,
}

impl<'a> VexIndex<'a> {
    pub fn new(project: &'a Project) -> Self {
        let mut by_name: BTreeMap<String, Vec<VexVerdict>> = BTreeMap::new();
        let statements = project
            .vex
            .iter()
            .flat_map(|document| document.statements.iter().map(move |s| (document, s)));
        for (order, (document, statement)) in statements.enumerate() {
            let verdict = VexVerdict {
                document,
                statement,
                order,
            };
            let names: BTreeSet<String> = statement
                .names()
                .map(|name| name.trim().to_ascii_uppercase())
                .collect();
            for name in names {
                by_name.entry(name).or_default().push(verdict);
            }
        }
        VexIndex { by_name }
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Every statement about the subject, oldest first; the last one holds.
    pub fn history(&self, subject: &VexSubject) -> Vec<VexVerdict<'a>> {
        let mut found: Vec<VexVerdict<'a>> = subject
            .names
            .iter()
            .filter_map(|name| self.by_name.get(name))
            .flatten()
            .filter(|verdict| applies(verdict.statement, subject))
            .copied()
            .collect();
        found.sort_by(|a, b| {
            (&a.statement.timestamp, a.order).cmp(&(&b.statement.timestamp, b.order))
        });
        found.dedup_by_key(|verdict| verdict.order);
        found
    }

    /// Every statement about a finding of `audit`, oldest first.
    pub fn history_for(&self, audit: &Audit, finding: &Finding) -> Vec<VexVerdict<'a>> {
        if self.is_empty() {
            return Vec::new();
        }
        let artifact = scanned(audit);
        let names = finding.names();
        self.history(&VexSubject {
            artifact: artifact.as_ref(),
            names: &names,
            package: finding.package.as_deref(),
        })
    }

    /// The statement that holds for a finding of `audit`.
    pub fn verdict_for(&self, audit: &Audit, finding: &Finding) -> Option<VexVerdict<'a>> {
        self.history_for(audit, finding).pop()
    }
}

/// What an audit scanned: the artifact it names, else its target read as an image name.
pub fn scanned(audit: &Audit) -> Option<ArtifactRef> {
    audit
        .artifact
        .clone()
        .or_else(|| ArtifactRef::parse(&audit.target))
}

fn applies(statement: &VexStatement, subject: &VexSubject) -> bool {
    statement
        .products
        .iter()
        .any(|product| product_applies(product, subject))
}

fn product_applies(product: &VexProduct, subject: &VexSubject) -> bool {
    let package_listed = || {
        product.subcomponents.is_empty()
            || subject
                .package
                .is_some_and(|package| product.subcomponents.iter().any(|s| s == package))
    };
    match &product.kind {
        ProductKind::Image { artifact } => {
            subject
                .artifact
                .is_some_and(|scanned| artifact.matches(scanned))
                && package_listed()
        }
        ProductKind::Package { name } => subject.package == Some(name.as_str()),
        ProductKind::Other => false,
    }
}

/// A note for each statement that no finding of any scan matches.
pub fn report_unmatched(project: &Project, index: &VexIndex, diagnostics: &mut Diagnostics) {
    if index.is_empty() {
        return;
    }
    let mut matched: BTreeSet<usize> = BTreeSet::new();
    for audit in &project.audits {
        let artifact = scanned(audit);
        for finding in &audit.findings {
            let names = finding.names();
            let subject = VexSubject {
                artifact: artifact.as_ref(),
                names: &names,
                package: finding.package.as_deref(),
            };
            matched.extend(index.history(&subject).iter().map(|v| v.order));
        }
    }
    let statements = project
        .vex
        .iter()
        .flat_map(|document| document.statements.iter().map(move |s| (document, s)));
    for (order, (document, statement)) in statements.enumerate() {
        if matched.contains(&order) {
            continue;
        }
        let products: Vec<&str> = statement.products.iter().map(|p| p.id.as_str()).collect();
        diagnostics.push(
            Diagnostic::note(
                codes::VEX_UNMATCHED,
                format!(
                    "VEX statement `{}` ({}) matches no finding of any scan",
                    statement.vulnerability,
                    statement.status.as_str()
                ),
            )
            .at(&document.source, statement.span)
            .with_help(format!(
                "check its vulnerability id and aliases and its products ({}) against the scans under `content/audits/`",
                products.join(", ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::audit::vex::parse_timestamp;
    use crate::model::audit::vex::VexStatus;
    use std::path::PathBuf;

    const IMAGE: &str = "pkg:oci/nginx@sha256%3Aabcd";

    fn statement(name: &str, status: VexStatus, when: &str, product: ProductKind) -> VexStatement {
        VexStatement {
            vulnerability: name.into(),
            aliases: vec!["SNYK-X-1".into()],
            description: None,
            products: vec![VexProduct {
                id: IMAGE.into(),
                kind: product,
                subcomponents: Vec::new(),
            }],
            status,
            justification: None,
            impact_statement: None,
            action_statement: None,
            status_notes: None,
            statement: None,
            timestamp: parse_timestamp(when),
            span: None,
        }
    }

    fn image(reference: &str) -> ProductKind {
        ProductKind::Image {
            artifact: ArtifactRef::parse(reference).unwrap(),
        }
    }

    fn project(statements: Vec<VexStatement>) -> Project {
        Project {
            vex: vec![VexDocument {
                source: PathBuf::from("content/audits/a.openvex.json"),
                raw_output: PathBuf::from("audits/a.openvex.json"),
                id: None,
                author: None,
                timestamp: None,
                version: None,
                statements,
            }],
            ..Project::default()
        }
    }

    #[test]
    fn the_latest_statement_holds_whatever_the_order_in_the_file() {
        let project = project(vec![
            statement(
                "CVE-1",
                VexStatus::NotAffected,
                "2024-03-01T00:00:00Z",
                image("nginx@sha256:abcd"),
            ),
            statement(
                "CVE-1",
                VexStatus::UnderInvestigation,
                "2024-01-01T00:00:00Z",
                image("nginx@sha256:abcd"),
            ),
            statement(
                "CVE-1",
                VexStatus::Affected,
                "2024-02-01T00:00:00+05:00",
                image("nginx@sha256:abcd"),
            ),
        ]);
        let index = VexIndex::new(&project);
        let scanned = ArtifactRef::parse("nginx@sha256:abcd").unwrap();
        let names = vec!["CVE-1".to_string()];
        let subject = VexSubject {
            artifact: Some(&scanned),
            names: &names,
            package: Some("libx"),
        };
        let statuses: Vec<VexStatus> = index
            .history(&subject)
            .iter()
            .map(|v| v.statement.status)
            .collect();
        assert_eq!(
            statuses,
            [
                VexStatus::UnderInvestigation,
                VexStatus::Affected,
                VexStatus::NotAffected
            ]
        );
        assert!(index.history(&subject).pop().unwrap().closes_finding());
    }

    #[test]
    fn another_digest_or_another_vulnerability_is_not_matched_but_an_alias_is() {
        let project = project(vec![statement(
            "CVE-1",
            VexStatus::Fixed,
            "2024-03-01T00:00:00Z",
            image("nginx@sha256:abcd"),
        )]);
        let index = VexIndex::new(&project);
        let other = ArtifactRef::parse("nginx@sha256:ffff").unwrap();
        let same = ArtifactRef::parse("nginx@sha256:abcd").unwrap();
        let found = |artifact: &ArtifactRef, name: &str| {
            let names = vec![name.to_string()];
            let subject = VexSubject {
                artifact: Some(artifact),
                names: &names,
                package: None,
            };
            !index.history(&subject).is_empty()
        };
        assert!(!found(&other, "CVE-1"));
        assert!(!found(&same, "CVE-2"));
        assert!(found(&same, "CVE-1"));
        assert!(found(&same, "SNYK-X-1"));
    }
}
