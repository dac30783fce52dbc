//! Finding the rule files: glob patterns relative to the site root, matched segment by
//! segment (`*` and `?` within one segment, `**` for any number of folders). Each
//! pattern's walk starts at its literal folders (`alerts/` for `alerts/**/*.yaml`), so
//! a pattern never walks the whole site; hidden files and folders are skipped and
//! symlinks are not followed, so no file from outside the site is read.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::RuleFileOptions;
use crate::diagnostics::{codes, Diagnostic, Diagnostics};

/// The rule files a site has without configuration: YAML files under `alerts/`.
pub const DEFAULT_RULE_GLOBS: &[&str] = &["alerts/**/*.yaml", "alerts/**/*.yml"];

/// Every file that one of the patterns matches, relative to the root, sorted and once.
pub fn find_rule_files(
    root: &Path,
    options: &RuleFileOptions,
    diagnostics: &mut Diagnostics,
) -> Vec<PathBuf> {
    let mut files = BTreeSet::new();
    for glob in &options.globs {
        let matched = files_matching(root, glob);
        if matched.is_empty() && options.configured {
            diagnostics.push(
                Diagnostic::warning(
                    codes::ALERT_RULES_NOT_FOUND,
                    format!("`[alerts] rules` pattern `{glob}` matches no file"),
                )
                .at(crate::config::CONFIG_FILE, None)
                .with_help("patterns are relative to the site root, e.g. `monitoring/**/*.rules.yml`; `**` stands for any number of folders"),
            );
        }
        files.extend(matched);
    }
    files.into_iter().collect()
}

/// The folder a pattern's files are all under, relative to the site root: its segments
/// before the first wildcard, but the last (`monitoring/rules` for
/// `monitoring/rules/**/*.yml`; empty for `*.yml`). `serve` watches it.
pub fn pattern_folder(glob: &str) -> PathBuf {
    let segments: Vec<&str> = glob.split('/').filter(|s| !s.is_empty()).collect();
    let literal = segments
        .iter()
        .take_while(|s| !has_wildcard(s))
        .count()
        .min(segments.len().saturating_sub(1));
    segments[..literal].iter().collect()
}

fn files_matching(root: &Path, glob: &str) -> Vec<PathBuf> {
    let segments: Vec<&str> = glob.split('/').filter(|s| !s.is_empty()).collect();
    let walk_root = root.join(pattern_folder(glob));
    if !walk_root.is_dir() {
        return Vec::new();
    }
    WalkDir::new(&walk_root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()))
        .filter_map(Result::ok)
        // Links, FIFOs and devices are kept: the reader reports them (never opens them).
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| entry.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .filter(|relative| {
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            matches_segments(&segments, &parts)
        })
        .collect()
}

fn has_wildcard(segment: &str) -> bool {
    segment.contains(['*', '?'])
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Whether the path's segments match the pattern's (`**` matches zero or more).
fn matches_segments(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| matches_segments(rest, &path[skip..])),
        Some((first, rest)) => match path.split_first() {
            Some((name, path_rest)) => {
                matches_name(first.as_bytes(), name.as_bytes()) && matches_segments(rest, path_rest)
            }
            None => false,
        },
    }
}

/// One segment: `*` is any run of characters, `?` one byte, anything else itself.
fn matches_name(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|skip| matches_name(rest, &name[skip..])),
        Some((b'?', rest)) => !name.is_empty() && matches_name(rest, &name[1..]),
        Some((c, rest)) => name.first() == Some(c) && matches_name(rest, &name[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        let pattern: Vec<&str> = pattern.split('/').collect();
        let path: Vec<&str> = path.split('/').collect();
        matches_segments(&pattern, &path)
    }

    #[test]
    fn double_star_matches_any_number_of_folders() {
        assert!(matches("alerts/**/*.yaml", "alerts/node.yaml"));
        assert!(matches("alerts/**/*.yaml", "alerts/k8s/prod/node.yaml"));
        assert!(!matches("alerts/**/*.yaml", "alerts/node.yml"));
        assert!(!matches("alerts/*.yaml", "alerts/k8s/node.yaml"));
        assert!(matches("ops/rules-??.yml", "ops/rules-01.yml"));
        assert!(!matches("ops/rules-??.yml", "ops/rules-1.yml"));
    }

    #[test]
    fn files_are_found_sorted_and_hidden_ones_skipped() {
        let site = tempfile::tempdir().unwrap();
        for file in [
            "alerts/b.yaml",
            "alerts/a.yml",
            "alerts/deep/c.yaml",
            "alerts/.hidden.yaml",
            "alerts/notes.md",
            "other/d.yaml",
        ] {
            let path = site.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "groups: []\n").unwrap();
        }
        let mut diagnostics = Diagnostics::new();
        let found = find_rule_files(site.path(), &RuleFileOptions::default(), &mut diagnostics);
        let found: Vec<String> = found
            .iter()
            .map(|p| crate::diagnostics::display_path(p))
            .collect();
        assert_eq!(
            found,
            ["alerts/a.yml", "alerts/b.yaml", "alerts/deep/c.yaml"]
        );
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn a_configured_pattern_that_matches_nothing_is_a_warning() {
        let site = tempfile::tempdir().unwrap();
        let options = RuleFileOptions {
            globs: vec!["monitoring/*.rules".into()],
            configured: true,
        };
        let mut diagnostics = Diagnostics::new();
        assert!(find_rule_files(site.path(), &options, &mut diagnostics).is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, codes::ALERT_RULES_NOT_FOUND);
    }
}
