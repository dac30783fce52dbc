//! Analysis stage: publish safety. Takes what a build will publish (every page's source
//! text and every text asset under `content/`, as ingest read them: no file is read
//! here) and gives a diagnostic for each private
//! key, cloud or API token, password in a URL, login to a public IPv4 address and local
//! user path found in it, at its `path:line:col`.
//!
//! A hit is a warning by default, so an urgent runbook fix still ships. With `--public`
//! (previews and public deploys) it is an error, unless the site allows that exact value.
//! A secret is never printed whole: messages and the source line under them show it
//! redacted (`AKIA…(20 chars)`).

mod detectors;

use std::collections::BTreeSet;
use std::path::Path;

pub use detectors::{Detectors, Leak, LeakKind};

use crate::diagnostics::{codes, Diagnostic, Diagnostics, Severity};
use crate::model::span::LineIndex;
use crate::model::Project;

/// How hits are judged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishSafetyOptions {
    /// The output is for the public (`--public`): hits are errors, not warnings.
    pub public: bool,
    /// Exact values that may be published (a documented example key, a public
    /// bastion's login); from the site config. A value here is never reported.
    pub allowed: BTreeSet<String>,
}

/// Scans every page and every text asset of the project. Assets that are not UTF-8
/// (images, archives) have no text and are skipped; ingest has reported any it could
/// not read.
pub fn scan_project(
    project: &Project,
    options: &PublishSafetyOptions,
    diagnostics: &mut Diagnostics,
) {
    let detectors = Detectors::new();
    for page in &project.pages {
        scan_text(&detectors, &page.source, &page.text, options, diagnostics);
    }
    for asset in &project.assets {
        if let Some(text) = &asset.text {
            scan_text(&detectors, &asset.source, text, options, diagnostics);
        }
    }
}

/// Adds the diagnostics for one text (a page's whole file, front matter included, so lines
/// are lines of the file).
pub fn scan_text(
    detectors: &Detectors,
    path: &Path,
    text: &str,
    options: &PublishSafetyOptions,
    diagnostics: &mut Diagnostics,
) {
    let leaks = detectors.find_leaks(text);
    if leaks.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    let hits = leaks
        .iter()
        .filter(|leak| !options.allowed.contains(&text[leak.start..leak.end]))
        .map(|leak| {
            let span = index.span(leak.start, leak.end);
            leak_diagnostic(leak, text, &index, options.public).at(path, Some(span))
        });
    diagnostics.extend(hits);
}

/// `first 4 characters…(N chars)`: enough to tell which key it is, never the key. A
/// value shorter than 12 characters (a password) shows no characters at all, because
/// four of eight would give half of it away.
pub fn redact(value: &str) -> String {
    let length = value.chars().count();
    let shown: String = if length >= 12 {
        value.chars().take(4).collect()
    } else {
        String::new()
    };
    format!("{shown}…({length} chars)")
}

/// How a value appears in a message: secrets redacted, private details as they are.
/// A password in a URL keeps its scheme, user and host, which help find it.
fn shown_value(kind: LeakKind, value: &str) -> String {
    match kind {
        LeakKind::PasswordInUrl => match redact_url_password(value) {
            Some(shown) => shown,
            None => redact(value),
        },
        LeakKind::PrivateKey => {
            let header = value.lines().next().unwrap_or(value);
            format!("{header} …({} chars)", value.chars().count())
        }
        kind if kind.is_secret() => redact(value),
        _ => value.to_string(),
    }
}

/// `postgres://app:s3cr3t@db` as `postgres://app:…(6 chars)@db`.
fn redact_url_password(url: &str) -> Option<String> {
    let scheme_end = url.find("://")? + 3;
    let at = url.rfind('@')?;
    let colon = scheme_end + url[scheme_end..at].find(':')?;
    Some(format!(
        "{}{}{}",
        &url[..=colon],
        redact(&url[colon + 1..at]),
        &url[at..]
    ))
}

fn leak_diagnostic(leak: &Leak, text: &str, index: &LineIndex, public: bool) -> Diagnostic {
    let value = &text[leak.start..leak.end];
    let shown = shown_value(leak.kind, value);
    let (code, what, fix) = describe(leak.kind);
    let severity = if public {
        Severity::Error
    } else {
        Severity::Warning
    };
    let audience = if public { " by this public build" } else { "" };
    let allow = if leak.kind.is_secret() {
        "; if it is a published example, allow its exact value in the site config"
    } else {
        "; if it may be published, allow this exact value in the site config"
    };
    let mut diagnostic = Diagnostic::new(
        code,
        severity,
        format!("{what} `{shown}` would be published{audience}"),
    )
    .with_help(format!("{fix}{allow}"));
    diagnostic.source_line = Some(source_line_shown(leak, text, index, &shown));
    diagnostic
}

/// The line the hit starts on, with a secret replaced by its redacted form so the line
/// under the diagnostic never shows it.
fn source_line_shown(leak: &Leak, text: &str, index: &LineIndex, shown: &str) -> String {
    let (line, _) = index.line_col(leak.start);
    let line_start = index.line_start(line);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line_text = text[line_start..line_end].trim_end_matches('\r');
    if !leak.kind.is_secret() {
        return line_text.to_string();
    }
    let before = &text[line_start..leak.start];
    let after = if leak.end < line_end {
        text[leak.end..line_end].trim_end_matches('\r')
    } else {
        ""
    };
    format!("{before}{shown}{after}")
}

/// The code, the name of what was found and what to do about it.
fn describe(kind: LeakKind) -> (&'static str, String, &'static str) {
    match kind {
        LeakKind::PrivateKey => (
            codes::PUBLISH_PRIVATE_KEY,
            "private key".to_string(),
            "remove the key from the file and replace it: a key that was committed must be treated as leaked",
        ),
        LeakKind::Token(issuer) => (
            codes::PUBLISH_TOKEN,
            issuer.to_string(),
            "remove the token and revoke it with its issuer; refer to it by the name of the secret that holds it",
        ),
        LeakKind::PasswordInUrl => (
            codes::PUBLISH_PASSWORD_IN_URL,
            "password in a URL".to_string(),
            "write the URL with a placeholder such as `${DB_PASSWORD}` and change the password",
        ),
        LeakKind::PublicLogin => (
            codes::PUBLISH_PUBLIC_LOGIN,
            "login to a public IP address".to_string(),
            "use a host name or an inventory alias, or a documentation address (203.0.113.0/24)",
        ),
        LeakKind::LocalUserPath => (
            codes::PUBLISH_LOCAL_USER_PATH,
            "local user path".to_string(),
            "use a path relative to the repository, or `~` for the home folder",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Asset;
    use std::path::PathBuf;

    fn scan(text: &str, options: &PublishSafetyOptions) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let path = Path::new("content/x.md");
        scan_text(&Detectors::new(), path, text, options, &mut diagnostics);
        diagnostics
    }

    const PLAN: &str = "# Plan\n\n```bash\n#   1. ssh deployer@103.54.153.248\ncd \"c:\\Users\\luaho\\Demo project\"\n```\n";

    #[test]
    fn hits_are_warnings_with_line_and_column_by_default() {
        let diagnostics = scan(PLAN, &PublishSafetyOptions::default());
        let found: Vec<(String, Severity, &str)> = diagnostics
            .iter()
            .map(|d| (d.location(), d.severity, d.code))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "content/x.md:4:12".to_string(),
                    Severity::Warning,
                    codes::PUBLISH_PUBLIC_LOGIN
                ),
                (
                    "content/x.md:5:5".to_string(),
                    Severity::Warning,
                    codes::PUBLISH_LOCAL_USER_PATH
                ),
            ]
        );
        assert!(diagnostics[0].message.contains("`deployer@103.54.153.248`"));
        assert!(diagnostics[1].message.contains(r"`c:\Users\luaho`"));
    }

    #[test]
    fn public_turns_warnings_into_errors() {
        let options = PublishSafetyOptions {
            public: true,
            ..PublishSafetyOptions::default()
        };
        let diagnostics = scan(PLAN, &options);
        assert_eq!(diagnostics.len(), 2);
        assert!(diagnostics.iter().all(Diagnostic::is_error));
    }

    #[test]
    fn allow_list_exempts_exactly_the_value_it_names() {
        let options = PublishSafetyOptions {
            public: true,
            allowed: ["deployer@103.54.153.248".to_string()].into(),
        };
        let text = format!("{PLAN}ssh deployer@103.54.153.249\n");
        let diagnostics = scan(&text, &options);
        let locations: Vec<String> = diagnostics.iter().map(Diagnostic::location).collect();
        assert_eq!(locations, ["content/x.md:5:5", "content/x.md:7:5"]);
    }

    #[test]
    fn redaction_shows_four_characters_and_the_length_of_long_values_only() {
        assert_eq!(redact("AKIAZ7Q3LRPXB2MWN4TD"), "AKIA…(20 chars)");
        assert_eq!(redact("hunter2"), "…(7 chars)");
        assert_eq!(
            shown_value(
                LeakKind::PasswordInUrl,
                "postgres://app:s3cr3t-Pw@db.internal"
            ),
            "postgres://app:…(9 chars)@db.internal"
        );
    }

    #[test]
    fn no_diagnostic_text_contains_the_whole_secret() {
        let secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        let password = "correct-horse-battery";
        let text = format!("key: {secret}\nurl: https://ops:{password}@api.example.com/x\n");
        let diagnostics = scan(&text, &PublishSafetyOptions::default());
        assert_eq!(diagnostics.len(), 2);
        for diagnostic in &diagnostics {
            let rendered = diagnostic.render(&Default::default());
            assert!(!rendered.contains(secret), "{rendered}");
            assert!(!rendered.contains(password), "{rendered}");
            assert!(rendered.contains("…("), "{rendered}");
        }
        assert_eq!(
            diagnostics[0].source_line.as_deref(),
            Some("key: sk_l…(32 chars)")
        );
    }

    #[test]
    fn assets_are_scanned_from_the_text_ingest_read_not_from_disk() {
        let asset = |source: &str, text: Option<&str>| Asset {
            source: PathBuf::from(source),
            output: PathBuf::from(source.trim_start_matches("content/")),
            text: text.map(str::to_string),
        };
        let project = Project {
            // No such folder: a scan that read files would fail here.
            root: PathBuf::from("/nonexistent-site-root"),
            assets: vec![
                asset("content/deploy.sh", Some("ssh deployer@103.54.153.248\n")),
                asset("content/logo.png", None),
            ],
            ..Project::default()
        };
        let mut diagnostics = Diagnostics::new();
        scan_project(&project, &PublishSafetyOptions::default(), &mut diagnostics);
        let found: Vec<(String, &str)> =
            diagnostics.iter().map(|d| (d.location(), d.code)).collect();
        assert_eq!(
            found,
            [(
                "content/deploy.sh:1:5".to_string(),
                codes::PUBLISH_PUBLIC_LOGIN
            )]
        );
    }

    #[test]
    fn non_secret_hits_show_the_source_line_as_it_is() {
        let diagnostics = scan(PLAN, &PublishSafetyOptions::default());
        assert_eq!(
            diagnostics[0].source_line.as_deref(),
            Some("#   1. ssh deployer@103.54.153.248")
        );
    }
}
