//! The in-memory output (output stage): the rendered site kept as a map from output path
//! to bytes, for `serve`, which must never touch the disk and must keep the last good
//! site while a new one is built.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{display_path, Diagnostic};

/// A whole rendered site, keyed by its path relative to the output root with forward
/// slashes (`plans/x/index.html`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemorySite {
    /// Shared bytes: a page `serve` reuses from its last build is the same allocation in
    /// both sites, so a rebuild neither copies nor reallocates what did not change.
    files: BTreeMap<String, Arc<[u8]>>,
}

impl MemorySite {
    /// Stores one file at `relative` (a path inside the site, never absolute or `..`).
    pub fn write(&mut self, relative: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.write_shared(relative, Arc::from(bytes))
    }

    /// As `write`, keeping `bytes` as they are shared.
    pub fn write_shared(&mut self, relative: &Path, bytes: Arc<[u8]>) -> Result<(), Diagnostic> {
        super::ensure_inside_output(relative)?;
        self.files.insert(display_path(relative), bytes);
        Ok(())
    }

    /// The bytes of the file at `path` (`plans/x/index.html`).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|bytes| &**bytes)
    }

    /// True when `folder/index.html` exists, so `folder` is a folder URL.
    pub fn has_folder_index(&self, folder: &str) -> bool {
        let folder = folder.trim_end_matches('/');
        self.files.contains_key(&format!("{folder}/index.html"))
    }

    /// Every file with its bytes, by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .map(|(path, bytes)| (path.as_str(), &**bytes))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the file at `path` has the same bytes in `other`: at once when both
    /// share them (a page serve reused), else by comparing them.
    pub fn same_file_in(&self, path: &str, other: &MemorySite) -> bool {
        match (self.files.get(path), other.files.get(path)) {
            (Some(mine), Some(theirs)) => Arc::ptr_eq(mine, theirs) || mine == theirs,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_kept_by_forward_slash_path_and_escapes_refused() {
        let mut site = MemorySite::default();
        site.write(Path::new("plans/x/index.html"), b"<p>x</p>")
            .unwrap();
        assert_eq!(site.get("plans/x/index.html"), Some(&b"<p>x</p>"[..]));
        assert!(site.has_folder_index("plans/x"));
        assert!(site.has_folder_index("plans/x/"));
        assert!(!site.has_folder_index("plans"));
        assert!(site.write(Path::new("../x"), b"").is_err());
        assert!(site.write(Path::new("/abs"), b"").is_err());
        assert_eq!(site.len(), 1);
    }
}
