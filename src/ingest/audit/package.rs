//! Package facts from free text (ingest stage): scanners that write SARIF put the package
//! and its versions in different places: a purl in a logical location
//! (`pkg:deb/debian/apt@2.6.1`), `Package:` / `Installed Version:` / `Fixed Version:`
//! lines in the message (Trivy), `target: name@version` in a location message (Trivy),
//! `reports name at version v` (Grype), or a rule description `(CVE-…) name@version`
//! (Snyk). Also finds CVE ids in text.

/// What is known about the affected package.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PackageFacts {
    pub package: Option<String>,
    pub installed_version: Option<String>,
    pub fixed_version: Option<String>,
}

impl PackageFacts {
    /// Takes from `other` what is still unknown. A version is only taken together with
    /// the package it belongs to, or for the package already known.
    pub fn fill_from(&mut self, other: &PackageFacts) {
        let same_package = match (&self.package, &other.package) {
            (Some(mine), Some(theirs)) => mine == theirs,
            _ => true,
        };
        if !same_package {
            return;
        }
        if self.package.is_none() {
            self.package.clone_from(&other.package);
        }
        if self.installed_version.is_none() {
            self.installed_version.clone_from(&other.installed_version);
        }
        if self.fixed_version.is_none() {
            self.fixed_version.clone_from(&other.fixed_version);
        }
    }
}

/// Reads every pattern above from one text.
pub fn package_facts(text: &str) -> PackageFacts {
    let mut facts = labelled_lines(text);
    if let Some(purl) = purl_facts(text) {
        facts.fill_from(&purl);
    }
    if let Some(at) = target_name_at_version(text) {
        facts.fill_from(&at);
    }
    if let Some(grype) = reports_at_version(text) {
        facts.fill_from(&grype);
    }
    facts
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// `Package: apt` / `Installed Version: 2.6.1` / `Fixed Version: 2.6.2` lines.
fn labelled_lines(text: &str) -> PackageFacts {
    let mut facts = PackageFacts::default();
    for line in text.lines() {
        let Some((label, value)) = line.split_once(':') else {
            continue;
        };
        let slot = match label.trim().to_ascii_lowercase().as_str() {
            "package" | "pkgname" => &mut facts.package,
            "installed version" | "installedversion" => &mut facts.installed_version,
            "fixed version" | "fixedversion" => &mut facts.fixed_version,
            _ => continue,
        };
        if slot.is_none() {
            *slot = non_empty(value);
        }
    }
    facts
}

/// `pkg:deb/debian/apt@2.6.1?arch=amd64` gives `apt` and `2.6.1`.
fn purl_facts(text: &str) -> Option<PackageFacts> {
    let start = text.find("pkg:")?;
    let purl = text[start..].split_whitespace().next()?;
    let purl = purl.split(['?', '#']).next()?;
    let (path, version) = purl.rsplit_once('@')?;
    let name = path.rsplit('/').next()?.replace("%40", "@");
    Some(PackageFacts {
        package: non_empty(&name),
        installed_version: non_empty(&version.replace("%2B", "+")),
        fixed_version: None,
    })
}

/// `library/nginx: apt@2.6.1` gives `apt` and `2.6.1` (`@scope/pkg@1.0` keeps the scope).
fn target_name_at_version(text: &str) -> Option<PackageFacts> {
    let line = text.lines().next()?;
    let (_, rest) = line.rsplit_once(": ")?;
    let rest = rest.trim();
    if rest.contains(char::is_whitespace) || rest.starts_with("pkg:") {
        return None;
    }
    let (name, version) = rest.rsplit_once('@')?;
    if name.is_empty() || version.is_empty() {
        return None;
    }
    Some(PackageFacts {
        package: non_empty(name),
        installed_version: non_empty(version),
        fixed_version: None,
    })
}

/// Grype: `... reports gpgv at version 2.2.40-1.1 which ...`.
fn reports_at_version(text: &str) -> Option<PackageFacts> {
    let (_, rest) = text.split_once(" reports ")?;
    let (name, rest) = rest.split_once(" at version ")?;
    let version = rest.split_whitespace().next()?;
    if name.contains(char::is_whitespace) {
        return None;
    }
    Some(PackageFacts {
        package: non_empty(name),
        installed_version: non_empty(version),
        fixed_version: None,
    })
}

/// Snyk's rule description: `(CVE-2024-11111) libheifx/libheifx-1@1.0.11-1` gives
/// `libheifx-1` and `1.0.11-1` (without a CVE it is only `glibc/libc6@2.36-9`).
/// Debian-style `source/binary` names give the binary package, which is what other
/// scanners name; scoped npm names (`@babel/core`) and paths with dots
/// (`golang.org/x/net`) are kept whole. Prose is not read: the text must be that one
/// `name@version`.
pub fn name_at_version_after_ids(text: &str) -> Option<PackageFacts> {
    let text = text.trim();
    let rest = match text.strip_prefix('(') {
        Some(ids) => ids.split_once(") ")?.1,
        None => text,
    };
    let token = rest.trim();
    if token.contains(char::is_whitespace) {
        return None;
    }
    let (name, version) = token.rsplit_once('@')?;
    if name.is_empty() || version.is_empty() {
        return None;
    }
    let name = match name.split_once('/') {
        Some((source, binary))
            if !name.starts_with('@') && !source.contains('.') && !binary.contains('/') =>
        {
            binary
        }
        _ => name,
    };
    Some(PackageFacts {
        package: non_empty(name),
        installed_version: non_empty(version),
        fixed_version: None,
    })
}

/// The first `CVE-YYYY-NNNN…` in the text, upper-cased.
pub fn cve_in(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let mut from = 0;
    while let Some(found) = upper[from..].find("CVE-") {
        let start = from + found;
        let rest = &bytes[start + 4..];
        let year = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if year == 4 && rest.get(4) == Some(&b'-') {
            let number = rest[5..].iter().take_while(|b| b.is_ascii_digit()).count();
            if number >= 4 {
                return Some(upper[start..start + 9 + number].to_string());
            }
        }
        from = start + 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(p: &str, i: &str, f: Option<&str>) -> PackageFacts {
        PackageFacts {
            package: Some(p.into()),
            installed_version: Some(i.into()),
            fixed_version: f.map(Into::into),
        }
    }

    #[test]
    fn trivy_message_lines_give_package_and_versions() {
        let text = "Package: apt\nInstalled Version: 2.6.1\nVulnerability CVE-2011-3374\nSeverity: LOW\nFixed Version: \nLink: x";
        assert_eq!(package_facts(text), facts("apt", "2.6.1", None));
    }

    #[test]
    fn purl_location_message_and_grype_message_are_read() {
        assert_eq!(
            package_facts("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64"),
            facts("libc6", "2.36-9+deb12u4", None)
        );
        assert_eq!(
            package_facts("library/nginx: apt@2.6.1"),
            facts("apt", "2.6.1", None)
        );
        assert_eq!(
            package_facts("library/nginx: @babel/core@7.1.0"),
            facts("@babel/core", "7.1.0", None)
        );
        assert_eq!(
            package_facts("The path /usr reports gpgv at version 2.2.40 which would be bad"),
            facts("gpgv", "2.2.40", None)
        );
    }

    #[test]
    fn snyk_descriptions_give_the_binary_package_and_its_version() {
        assert_eq!(
            name_at_version_after_ids("(CVE-2024-11111) libheifx/libheifx-1@1.0.11-1"),
            Some(facts("libheifx-1", "1.0.11-1", None))
        );
        assert_eq!(
            name_at_version_after_ids("(CVE-2020-8203,CVE-2021-23337) @babel/core@7.1.0"),
            Some(facts("@babel/core", "7.1.0", None))
        );
        assert_eq!(
            name_at_version_after_ids("(CVE-2023-1) golang.org/x/net@0.7.0"),
            Some(facts("golang.org/x/net", "0.7.0", None))
        );
        assert_eq!(
            name_at_version_after_ids("glibc/libc6@2.36-9+deb12u3"),
            Some(facts("libc6", "2.36-9+deb12u3", None))
        );
        assert_eq!(name_at_version_after_ids("Tar 1.15.1 does not warn"), None);
        assert_eq!(name_at_version_after_ids("See user@example.org now"), None);
    }

    #[test]
    fn cve_ids_are_found_in_ids_and_text() {
        assert_eq!(
            cve_in("CVE-2022-3219-gpgv").as_deref(),
            Some("CVE-2022-3219")
        );
        assert_eq!(
            cve_in("see cve-2023-12345.").as_deref(),
            Some("CVE-2023-12345")
        );
        assert_eq!(cve_in("CVE-22-1 GHSA-x"), None);
    }
}
