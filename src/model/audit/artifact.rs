//! What a scan scanned (model): an artifact named by a reference such as
//! `nginx@sha256:13d2…` or `ghcr.io/acme/api:1.4`. Ingest reads it from each format
//! (SARIF run properties, Grype's logical locations, Trivy's `ArtifactName`); analysis
//! groups scans of one artifact by it and matches VEX products against it. File paths
//! inside the artifact are locations of findings, never the artifact.

use std::fmt;

use serde::Serialize;

/// One scanned artifact: its name and, when the scan names it, its content digest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ArtifactRef {
    /// The name without the registry defaults Docker adds (`docker.io/library/nginx`
    /// reads `nginx`), with its tag when it has one and no digest (`api:1.4`).
    pub name: String,
    /// `sha256:<hex>`, lower-case, when the scan names the digest.
    pub digest: Option<String>,
}

impl ArtifactRef {
    /// Reads `name`, `name:tag`, `name@sha256:hex` or `name:tag@sha256:hex`, with or
    /// without a registry. `None` for text that cannot be an image reference (empty,
    /// whitespace, a URL with a scheme).
    pub fn parse(reference: &str) -> Option<ArtifactRef> {
        let reference = reference.trim();
        if reference.is_empty() || reference.contains(char::is_whitespace) {
            return None;
        }
        if reference.contains("://") {
            return None;
        }
        let (name, digest) = match reference.split_once('@') {
            Some((name, digest)) => (name, parse_digest(digest)),
            None => (reference, None),
        };
        if name.is_empty() {
            return None;
        }
        // A digest pins the content: a tag beside it adds nothing to the identity.
        let name = match &digest {
            Some(_) => without_tag(name),
            None => name,
        };
        Some(ArtifactRef {
            name: normalize_image_name(name),
            digest,
        })
    }

    /// `nginx@sha256:5f0c1e9a7b3d`: the name and the first 12 hex digits of the digest,
    /// as `docker images` shortens ids.
    pub fn short(&self) -> String {
        match &self.digest {
            Some(digest) => {
                let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
                let cut = hex.char_indices().nth(12).map_or(hex.len(), |(i, _)| i);
                format!("{}@sha256:{}", self.name, &hex[..cut])
            }
            None => self.name.clone(),
        }
    }

    /// Whether `other` names this artifact: the same digest when both have one, else the
    /// same (normalised) name.
    pub fn matches(&self, other: &ArtifactRef) -> bool {
        match (&self.digest, &other.digest) {
            (Some(mine), Some(theirs)) => mine == theirs,
            _ => {
                let (mine, theirs) = (without_tag(&self.name), without_tag(&other.name));
                // `api:1.4` and `api:1.5` are two images; `api` may be either.
                let tags_agree = self.name.len() == mine.len()
                    || other.name.len() == theirs.len()
                    || self.name == other.name;
                mine == theirs && tags_agree
            }
        }
    }
}

impl fmt::Display for ArtifactRef {
    /// The full reference: `nginx@sha256:<64 hex>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.digest {
            Some(digest) => write!(f, "{}@{digest}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// `sha256:<hex>` (also `sha256%3A<hex>` as purls encode it), lower-cased; `None` when
/// the text is not a digest.
pub fn parse_digest(text: &str) -> Option<String> {
    let text = text.trim();
    let hex = text
        .strip_prefix("sha256:")
        .or_else(|| text.strip_prefix("sha256%3A"))
        .or_else(|| text.strip_prefix("sha256%3a"))?;
    let hex: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
    (!hex.is_empty()).then(|| format!("sha256:{}", hex.to_ascii_lowercase()))
}

/// Docker Hub's implicit parts dropped: `docker.io/library/nginx`,
/// `index.docker.io/library/nginx` and `library/nginx` all read `nginx`.
pub fn normalize_image_name(name: &str) -> String {
    let mut name = name.trim();
    for registry in [
        "docker.io/",
        "index.docker.io/",
        "registry-1.docker.io/",
        "registry.hub.docker.com/",
    ] {
        if let Some(rest) = name.strip_prefix(registry) {
            name = rest;
            break;
        }
    }
    name.strip_prefix("library/").unwrap_or(name).to_string()
}

/// `api:1.4` reads `api`; a registry port (`host:5000/api`) is kept.
fn without_tag(name: &str) -> &str {
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    match name[last_slash..].rfind(':') {
        Some(colon) => &name[..last_slash + colon],
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "5f0c1e9a7b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";

    #[test]
    fn references_drop_docker_hub_defaults_and_keep_the_digest() {
        let image = ArtifactRef::parse(&format!("docker.io/library/nginx:1.25@sha256:{HEX}"));
        let image = image.unwrap();
        assert_eq!(image.name, "nginx");
        assert_eq!(image.digest.as_deref(), Some(&*format!("sha256:{HEX}")));
        assert_eq!(image.short(), "nginx@sha256:5f0c1e9a7b3d");
        let tagged = ArtifactRef::parse("ghcr.io/acme/api:1.4").unwrap();
        assert_eq!(
            (tagged.name.as_str(), tagged.digest),
            ("ghcr.io/acme/api:1.4", None)
        );
        assert_eq!(ArtifactRef::parse("  "), None);
        assert_eq!(ArtifactRef::parse("https://example.org/x"), None);
    }

    #[test]
    fn the_same_digest_matches_whatever_the_name_and_names_match_without_one() {
        let by_digest = ArtifactRef::parse(&format!("nginx@sha256:{HEX}")).unwrap();
        let renamed = ArtifactRef::parse(&format!("mirror.example/nginx@sha256:{HEX}")).unwrap();
        assert!(by_digest.matches(&renamed));
        let other = ArtifactRef::parse("nginx@sha256:ffff").unwrap();
        assert!(!by_digest.matches(&other));
        let by_name = ArtifactRef::parse("library/nginx").unwrap();
        assert!(by_digest.matches(&by_name));
        let tagged = ArtifactRef::parse("nginx:1.25").unwrap();
        assert!(tagged.matches(&by_name));
        assert!(!tagged.matches(&ArtifactRef::parse("nginx:1.26").unwrap()));
    }

    #[test]
    fn purl_encoded_digests_are_read() {
        assert_eq!(
            parse_digest("sha256%3A13D2?arch=amd64").as_deref(),
            Some("sha256:13d2")
        );
        assert_eq!(parse_digest("md5:aa"), None);
    }
}
