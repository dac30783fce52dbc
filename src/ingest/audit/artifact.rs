//! Artifact identity (ingest stage): the places where scanners name what they scanned,
//! read into an `ArtifactRef`. SARIF run properties (`imageName`, `repoDigests`, as
//! Trivy writes them), Grype's logical locations (`<image>@<layer digest>:<path>`), a
//! location that is an image reference with a digest (`nginx@sha256:…`, as Snyk writes
//! it), Trivy JSON's `ArtifactName` and `Metadata.RepoDigests`. A path inside the image
//! is a location of a finding, never the artifact.

use std::collections::BTreeMap;

use crate::model::audit::artifact::parse_digest;
use crate::model::audit::ArtifactRef;

/// The artifact an image reference names, with the digest taken from `repo_digests`
/// when the reference has none (`nginx` with `["nginx@sha256:…"]`): the entry for the
/// same repository, else the first.
pub fn image_with_digests(reference: &str, repo_digests: &[String]) -> Option<ArtifactRef> {
    let mut artifact = ArtifactRef::parse(reference)?;
    if artifact.digest.is_none() {
        let pinned: Vec<ArtifactRef> = repo_digests
            .iter()
            .filter_map(|entry| ArtifactRef::parse(entry))
            .filter(|entry| entry.digest.is_some())
            .collect();
        let same_repository = pinned.iter().find(|entry| {
            let name = ArtifactRef {
                name: entry.name.clone(),
                digest: None,
            };
            name.matches(&ArtifactRef {
                name: artifact.name.clone(),
                digest: None,
            })
        });
        if let Some(entry) = same_repository.or(pinned.first()) {
            artifact.digest.clone_from(&entry.digest);
            if same_repository.is_some() {
                // The digest pins the image; the tag no longer adds anything.
                artifact.name.clone_from(&entry.name);
            }
        }
    }
    Some(artifact)
}

/// The image a finding's location names, when it names one:
/// - Grype's logical location `nginx@sha256:<image>@sha256:<layer>:/usr/share/doc/tar`,
///   whose last digest is the layer's and whose tail is the path inside the image;
/// - a location that is an image reference pinned by digest (`nginx@sha256:…`).
///
/// Plain paths and names without a digest are not taken: `Dockerfile` or `src/app.js`
/// could be anything.
pub fn image_in_location(text: &str) -> Option<ArtifactRef> {
    let text = text.trim();
    if text.starts_with("pkg:") || text.contains(char::is_whitespace) {
        return None;
    }
    match text.split_once(":/") {
        Some((reference, _path)) => {
            // `<image>@sha256:<layer>`: drop the layer.
            let (image, layer) = reference.rsplit_once('@')?;
            parse_digest(layer)?;
            ArtifactRef::parse(image)
        }
        None => ArtifactRef::parse(text).filter(|image| image.digest.is_some()),
    }
}

/// The image most locations name (the first in sorted order on a tie).
pub fn most_common_image<'a>(locations: impl Iterator<Item = &'a str>) -> Option<ArtifactRef> {
    let mut counts: BTreeMap<ArtifactRef, usize> = BTreeMap::new();
    for image in locations.filter_map(image_in_location) {
        *counts.entry(image).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(image, _)| image)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "5f0c1e9a7b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";
    const LAYER: &str = "511780f88f80081112aea1bfdca6c800e1983e401b338e20b2c6e97f384e4299";

    #[test]
    fn grype_logical_locations_name_the_image_not_the_layer_or_the_path() {
        let pinned = format!("nginx@sha256:{HEX}@sha256:{LAYER}:/usr/share/doc/tar/copyright");
        let image = image_in_location(&pinned).unwrap();
        assert_eq!(image.to_string(), format!("nginx@sha256:{HEX}"));
        let tagged = format!("nginx:1.25@sha256:{LAYER}:/var/lib/dpkg/status");
        let image = image_in_location(&tagged).unwrap();
        assert_eq!((image.name.as_str(), image.digest), ("nginx:1.25", None));
    }

    #[test]
    fn only_references_with_a_digest_are_taken_from_plain_locations() {
        assert!(image_in_location(&format!("nginx@sha256:{HEX}")).is_some());
        assert_eq!(image_in_location("library/nginx"), None);
        assert_eq!(
            image_in_location("image//usr/share/doc/tar/copyright"),
            None
        );
        assert_eq!(image_in_location("pkg:deb/debian/tar@1.34"), None);
    }

    #[test]
    fn repo_digests_pin_an_image_named_without_one() {
        let digests = vec![format!("docker.io/library/nginx@sha256:{HEX}")];
        let image = image_with_digests("nginx:latest", &digests).unwrap();
        assert_eq!(image.to_string(), format!("nginx@sha256:{HEX}"));
        let unpinned = image_with_digests("nginx:latest", &[]).unwrap();
        assert_eq!(unpinned.to_string(), "nginx:latest");
    }
}
