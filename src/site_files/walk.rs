//! Walking one folder of the site (`content/`, `templates/`, `static/`): the regular
//! files under it, sorted by name, following links while they stay inside the site root.
//! What is left out is reported, so no input disappears silently: a link that leads out
//! of the root (never followed, so a build never publishes a file from elsewhere on the
//! machine), a FIFO, socket or device (never opened: reading one would hang the build),
//! and a name that is not UTF-8 (it has no address on the site). The caller names what
//! it skips without a word (hidden files, editor temp files).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::read::FileKind;
use crate::diagnostics::{codes, Diagnostic, Diagnostics};

/// A regular file found under one folder of the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SiteFile {
    /// Path relative to the site root, e.g. `static/logo.svg`.
    pub source: PathBuf,
    /// Path relative to the folder walked, e.g. `logo.svg`.
    pub relative: PathBuf,
}

/// The regular files under `<root>/<folder>`, in walk order (sorted by name). Links are
/// followed while they stay inside the site root. Names `skip_name` accepts are left out
/// silently; what else is left out is reported: a link out of the root (OPS004) and a
/// FIFO, socket or device (OPS020) and a name that is not UTF-8 (OPS021) as warnings,
/// what cannot be read (OPS001) as an error. A missing folder has no files.
pub fn list_site_folder(
    root: &Path,
    folder: &str,
    skip_name: fn(&str) -> bool,
    diagnostics: &mut Diagnostics,
) -> Vec<SiteFile> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Vec::new();
    }
    let root_canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // The folder itself may be a link too; the walk checks only what is under it.
    if let Ok(target) = dir.canonicalize() {
        if !target.starts_with(&root_canonical) {
            diagnostics.push(outside_warning(Path::new(folder)));
            return Vec::new();
        }
    }
    let mut files = Vec::new();
    // Filled by the entry filter, which cannot share `diagnostics` with the loop body.
    let mut left_out = Diagnostics::new();
    let walker = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || (is_named_readably(entry, root, skip_name, &mut left_out)
                    && stays_inside(entry, &root_canonical, root, &mut left_out))
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let path = entry.path();
                files.push(SiteFile {
                    source: path.strip_prefix(root).unwrap_or(path).to_path_buf(),
                    relative: path.strip_prefix(&dir).unwrap_or(path).to_path_buf(),
                });
            }
            Ok(entry) if entry.file_type().is_dir() => {}
            Ok(entry) => diagnostics.push(not_regular_warning(root, &entry)),
            Err(error) => diagnostics.push(walk_error(root, &error)),
        }
    }
    diagnostics.append(left_out);
    files
}

/// False for a name `skip_name` accepts, and (with a warning) for a name that is not
/// UTF-8, unless it would have been skipped anyway (a hidden file).
fn is_named_readably(
    entry: &DirEntry,
    root: &Path,
    skip_name: fn(&str) -> bool,
    diagnostics: &mut Diagnostics,
) -> bool {
    let name = entry.file_name();
    if let Some(name) = name.to_str() {
        return !skip_name(name);
    }
    if skip_name(&name.to_string_lossy()) {
        return false;
    }
    let what = if entry.file_type().is_dir() {
        "folder name"
    } else {
        "file name"
    };
    let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
    diagnostics.push(
        Diagnostic::warning(
            codes::NAME_NOT_UTF8,
            format!(
                "{what} `{}` is not valid UTF-8; it is not read or published",
                escaped_name(name)
            ),
        )
        .at(shown, None)
        .with_help("rename it in UTF-8 (e.g. `convmv -f latin1 -t utf8 --notest`); a page's name becomes its address"),
    );
    false
}

/// A file name as UTF-8 with each byte that is not shown as `\xNN`.
fn escaped_name(name: &OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut shown = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            shown.push_str(chunk.valid());
            for byte in chunk.invalid() {
                shown.push_str(&format!("\\x{byte:02X}"));
            }
        }
        shown
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
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
        diagnostics.push(outside_warning(
            entry.path().strip_prefix(root).unwrap_or(entry.path()),
        ));
    }
    inside
}

fn outside_warning(shown: &Path) -> Diagnostic {
    Diagnostic::warning(
        codes::SYMLINK_OUTSIDE,
        "symlink leads outside the site root and is not followed",
    )
    .at(shown, None)
    .with_help("copy the file into the site, or point the link at a file inside it")
}

fn not_regular_warning(root: &Path, entry: &DirEntry) -> Diagnostic {
    let kind = FileKind::of(entry.file_type());
    Diagnostic::warning(
        codes::NOT_REGULAR_FILE,
        format!(
            "{} is not a regular file; it is skipped, never opened",
            capitalised(kind.describe())
        ),
    )
    .at(
        entry.path().strip_prefix(root).unwrap_or(entry.path()),
        None,
    )
    .with_help("remove it from the site folder, or replace it with a regular file")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
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
        .with_help("check the file's permissions, or remove it from the site folder");
    match path {
        Some(path) => diagnostic.at(path, None),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[cfg(unix)]
    #[test]
    fn a_folder_linked_out_of_the_site_is_not_walked_and_one_inside_is() {
        let outside = site(&[("page.html", "<p>theirs</p>")]);
        let dir = site(&[("content/a.md", "# A"), ("theme/ok.css", "a{}")]);
        std::os::unix::fs::symlink(outside.path(), dir.path().join("templates")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("theme"), dir.path().join("static")).unwrap();
        let mut diagnostics = Diagnostics::new();
        let skip_hidden: fn(&str) -> bool = |name| name.starts_with('.');
        let templates = list_site_folder(dir.path(), "templates", skip_hidden, &mut diagnostics);
        assert!(templates.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, codes::SYMLINK_OUTSIDE);
        assert_eq!(diagnostics[0].location(), "templates");
        let statics = list_site_folder(dir.path(), "static", skip_hidden, &mut diagnostics);
        assert_eq!(
            statics,
            [SiteFile {
                source: PathBuf::from("static/ok.css"),
                relative: PathBuf::from("ok.css"),
            }]
        );
        assert_eq!(diagnostics.len(), 1);
        assert!(list_site_folder(dir.path(), "nothing", skip_hidden, &mut diagnostics).is_empty());
    }

    #[test]
    fn names_that_are_not_utf8_are_shown_with_their_bytes() {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            assert_eq!(
                escaped_name(OsStr::from_bytes(b"caf\xe9 \xff.md")),
                "caf\\xE9 \\xFF.md"
            );
        }
        assert_eq!(escaped_name(OsStr::new("plain.md")), "plain.md");
    }

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }
}
