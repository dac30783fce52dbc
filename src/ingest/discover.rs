//! Discovery (ingest stage): walks `content/` and lists the files that make the site,
//! sorted so every build sees them in the same order.
//!
//! Hidden files and editor temp files are skipped without a word. The walk itself
//! (`site_files::list_site_folder`) reports everything else it leaves out: a symlink
//! that leads out of the site root, a FIFO, socket or device, a name that is not UTF-8.

use std::path::{Path, PathBuf};

use super::audit::is_scanner_output;
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::site_files::{list_site_folder, SiteFile};

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
    // The walk's own problems, so that only they decide whether "no pages" is news.
    let mut found = Diagnostics::new();
    let mut files: Vec<ContentFile> =
        list_site_folder(root, "content", is_ignored_file_name, &mut found)
            .into_iter()
            .map(content_file)
            .collect();
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

fn content_file(file: SiteFile) -> ContentFile {
    let is_markdown = file
        .source
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let role = if is_markdown {
        FileRole::Page
    } else {
        FileRole::Asset
    };
    ContentFile {
        source: file.source,
        relative: file.relative,
        role,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
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

    #[cfg(unix)]
    #[test]
    fn a_fifo_in_content_is_reported_and_skipped_without_being_opened() {
        let dir = site(&[("content/a.md", "# A")]);
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join("content/pipe.md"))
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        let (files, diagnostics) = discover(dir.path());
        assert_eq!(relatives(&files), ["a.md"]);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, codes::NOT_REGULAR_FILE);
        assert_eq!(diagnostics[0].location(), "content/pipe.md");
        assert!(!diagnostics[0].is_error());
        assert!(diagnostics[0].message.starts_with("A FIFO (named pipe)"));
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_is_reported_with_its_bytes_shown() {
        use std::os::unix::ffi::OsStrExt;
        let dir = site(&[("content/a.md", "# A")]);
        let name = OsStr::from_bytes(b"caf\xe9.md");
        fs::write(dir.path().join("content").join(name), "# Caf").unwrap();
        fs::create_dir_all(dir.path().join("content").join(OsStr::from_bytes(b"d\xfc"))).unwrap();
        fs::write(
            dir.path()
                .join("content")
                .join(OsStr::from_bytes(b".h\xe9")),
            "x",
        )
        .unwrap();
        let (files, diagnostics) = discover(dir.path());
        assert_eq!(relatives(&files), ["a.md"]);
        let messages: Vec<(&str, &str)> = diagnostics
            .iter()
            .map(|d| (d.code, d.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    codes::NAME_NOT_UTF8,
                    "file name `caf\\xE9.md` is not valid UTF-8; it is not read or published"
                ),
                (
                    codes::NAME_NOT_UTF8,
                    "folder name `d\\xFC` is not valid UTF-8; it is not read or published"
                ),
            ]
        );
    }
}
