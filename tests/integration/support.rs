//! Helpers: copy a fixture into a temp folder, run the binary, read the output tree.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The result of one `opsbook` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The text of one file of a fixture (`tests/fixtures/<fixture>/<path>`), to put into a
/// site written inline.
pub fn fixture_text(fixture: &str, path: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture)
        .join(path);
    fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// A site in a temp folder, built from a fixture or from files given inline.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn from_fixture(name: &str) -> Site {
        let site = Site::empty();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_tree(&fixture, site.root());
        site
    }

    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn with_files(files: &[(&str, &str)]) -> Site {
        let site = Site::empty();
        for (path, text) in files {
            site.write(path, text.as_bytes());
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, path: &str, bytes: &[u8]) {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    pub fn opsbook(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_opsbook"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .current_dir(self.root())
            .output()
            .expect("run opsbook");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn build(&self) -> Run {
        self.opsbook(&["build"])
    }

    /// Every file of the output, by relative path.
    pub fn output_files(&self) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.out())
    }

    pub fn page(&self, relative: &str) -> String {
        fs::read_to_string(self.out().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }
}

pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return files;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn copy_tree(from: &Path, to: &Path) {
    for (relative, bytes) in read_tree(from) {
        let path = to.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

/// Every `href="..."` and `src="..."` value in an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attr) {
            rest = &rest[start + attr.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    found
}
