//! Discovery (ingest stage): walks `content/` with walkdir and lists the files that make
//! the site, sorted so every build sees them in the same order.
//!
//! Hidden files and editor temp files are skipped. Symlinks are followed only while they
//! stay inside the site root: a link that leads out of it is reported and skipped, so a
//! build never publishes a file from elsewhere on the machine.

use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::audit::is_scanner_output;
use crate::diagnostics::{codes, Diagnostic, Diagnostics};

/// What a discovered file becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileRole {
    /// A markdown page.
    Page,
    /// Any other file, published as it is.
    Asset,
}

/// A file under `content/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContentFile {
    /// Path relative to the site root, e.g. `content/plans/x.md`.
    pub source: PathBuf,
    /// Path relative to `content/`, e.g. `plans/x.md`.
    pub relative: PathBuf,
    pub role: FileRole,
}

/// Lists the files under `<root>/content`. A missing or empty content folder is an error.
pub fn discover_content(root: &Path, diagnostics: &mut Diagnostics) -> Vec<ContentFile> {
    let content = root.join("content");
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(codes::NO_CONTENT, "the site has no `content/` folder")
                .at("content", None)
                .with_help("create `content/` with at least one markdown page (e.g. `content/index.md`), or pass `--root` pointing at the site"),
        );
        return Vec::new();
    }
    let root_canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    // The walk's own problems, so that only they decide whether "no pages" is news.
    let mut found = Diagnostics::new();
    let mut link_warnings = Diagnostics::new();
    let walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || (!is_ignored_name(entry)
                    && stays_inside(entry, &root_canonical, root, &mut link_warnings))
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if let Some(file) = content_file(root, &content, entry.path()) {
                    files.push(file);
                }
            }
            Ok(_) => {}
            Err(error) => found.push(walk_error(root, &error)),
        }
    }
    found.append(link_warnings);
    let publishable = |f: &ContentFile| f.role == FileRole::Page || is_scanner_output(f);
    if !files.iter().any(publishable) && !found.has_errors() {
        found.push(
            Diagnostic::error(codes::NO_CONTENT, "`content/` holds no markdown pages and no scanner output")
                .at("content", None)
                .with_help("add a page such as `content/index.md`, a plan in `content/plans/`, or scanner output (SARIF, Trivy or npm audit JSON) in `content/audits/`"),
        );
    }
    diagnostics.append(found);
    files.sort();
    files
}

fn content_file(root: &Path, content: &Path, path: &Path) -> Option<ContentFile> {
    let relative = path.strip_prefix(content).ok()?.to_path_buf();
    let source = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let is_markdown = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let role = if is_markdown {
        FileRole::Page
    } else {
        FileRole::Asset
    };
    Some(ContentFile {
        source,
        relative,
        role,
    })
}

/// Hidden files and folders, and the temp files editors leave beside the files they edit.
pub fn is_ignored_file_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".orig",
            ".crdownload",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

fn is_ignored_name(entry: &DirEntry) -> bool {
    entry.file_name().to_str().is_none_or(is_ignored_file_name)
}

/// False (with a warning) for a symlink whose target is outside the site root.
fn stays_inside(
    entry: &DirEntry,
    root_canonical: &Path,
    root: &Path,
    diagnostics: &mut Diagnostics,
) -> bool {
    if !entry.path_is_symlink() {
        return true;
    }
    // A dangling link cannot be followed at all; the walker reports it as unreadable.
    let Ok(target) = entry.path().canonicalize() else {
        return true;
    };
    let inside = target.starts_with(root_canonical);
    if !inside {
        let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
        diagnostics.push(
            Diagnostic::warning(
                codes::SYMLINK_OUTSIDE,
                "symlink leads outside the site root and is not followed",
            )
            .at(shown, None)
            .with_help("copy the file into the site, or point the link at a file inside it"),
        );
    }
    inside
}

fn walk_error(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let path = error
        .path()
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf());
    let message = match error.loop_ancestor() {
        Some(_) => "symlink loop; the folder is skipped".to_string(),
        None => format!(
            "cannot read: {}",
            error
                .io_error()
                .map_or_else(|| error.to_string(), |e| e.to_string())
        ),
    };
    let diagnostic = Diagnostic::error(codes::IO, message)
        .with_help("check the file's permissions, or remove it from `content/`");
    match path {
        Some(path) => diagnostic.at(path, None),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    fn discover(root: &Path) -> (Vec<ContentFile>, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let files = discover_content(root, &mut diagnostics);
        (files, diagnostics)
    }

    fn relatives(files: &[ContentFile]) -> Vec<String> {
        files
            .iter()
            .map(|f| f.relative.to_string_lossy().replace('\\', "/"))
            .collect()
    }

    #[test]
    fn pages_and_assets_are_listed_in_sorted_order() {
        let dir = site(&[
            ("content/plans/b.md", "# B"),
            ("content/a.md", "# A"),
            ("content/img/x.png", "png"),
        ]);
        let (files, diagnostics) = discover(dir.path());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(relatives(&files), ["a.md", "img/x.png", "plans/b.md"]);
        assert_eq!(files[1].role, FileRole::Asset);
        assert_eq!(files[2].source, Path::new("content/plans/b.md"));
    }

    #[test]
    fn hidden_and_editor_temp_files_are_skipped() {
        let dir = site(&[
            ("content/a.md", "# A"),
            ("content/.hidden.md", "x"),
            ("content/.git/config", "x"),
            ("content/a.md~", "x"),
            ("content/.a.md.swp", "x"),
            ("content/#a.md#", "x"),
            ("content/4913", "x"),
        ]);
        let (files, _) = discover(dir.path());
        assert_eq!(relatives(&files), ["a.md"]);
    }

    #[test]
    fn missing_content_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let (_, diagnostics) = discover(dir.path());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, codes::NO_CONTENT);
        assert!(diagnostics[0].is_error());
    }

    #[test]
    fn content_without_pages_is_an_error() {
        let dir = site(&[("content/notes.txt", "x")]);
        let (_, diagnostics) = discover(dir.path());
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("no markdown pages"));
    }

    #[test]
    fn scanner_output_alone_is_content_but_other_audit_files_are_not() {
        let dir = site(&[("content/audits/scan.sarif.json", "{}")]);
        let (files, diagnostics) = discover(dir.path());
        assert_eq!(files.len(), 1);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let dir = site(&[("content/audits/logo.png", "x")]);
        let (_, diagnostics) = discover(dir.path());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, codes::NO_CONTENT);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_out_of_the_site_is_reported_and_not_followed() {
        let outside = site(&[("secret.md", "# secret")]);
        let dir = site(&[("content/a.md", "# A"), ("inside.md", "# in")]);
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            dir.path().join("content/leak.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("content/leakdir")).unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("inside.md"),
            dir.path().join("content/ok.md"),
        )
        .unwrap();
        let (files, diagnostics) = discover(dir.path());
        assert_eq!(relatives(&files), ["a.md", "ok.md"]);
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        assert!(diagnostics.iter().all(|d| d.code == codes::SYMLINK_OUTSIDE));
    }
}
