//! The build's PDF cache folder (output stage): `.<output>.opsbook-pdf-cache/` beside the
//! output folder, one `<key>.pdf` per runbook PDF (see `render::pdf_store`). A build
//! hands back the PDF kept under a runbook's key instead of typesetting it again, so a
//! build after one runbook changed makes one PDF. After a build that succeeded, the
//! PDFs it did not use go, so the folder holds the current site's PDFs and no more.
//! Keys are the renderer's 128-bit PDF keys; `pipeline` hands this folder to the
//! renderer as its PDF store.
//!
//! A file is written under a temporary name and renamed into place, so an interrupted
//! build leaves no half file under a key; a file that does not look like a whole PDF is
//! not used. Losing the folder only costs time.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// The cache folder of one build's output, with what the build made and reused.
#[derive(Debug)]
pub struct PdfCacheDir {
    dir: PathBuf,
    /// Keys this build asked for: what `prune` keeps.
    used: Mutex<HashSet<u128>>,
    made: AtomicUsize,
    reused: AtomicUsize,
}

/// How many PDFs a build typeset and how many it took from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PdfCounts {
    pub made: usize,
    pub reused: usize,
}

impl PdfCacheDir {
    /// The cache folder for the output folder `target` (it need not exist yet).
    pub fn for_output(target: &Path) -> Self {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let parent = target.parent().unwrap_or(Path::new("."));
        PdfCacheDir {
            dir: parent.join(format!(".{name}.opsbook-pdf-cache")),
            used: Mutex::default(),
            made: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    pub fn counts(&self) -> PdfCounts {
        PdfCounts {
            made: self.made.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
        }
    }

    /// Removes the cached PDFs this build did not ask for (call once it succeeded).
    /// Best effort: a file that cannot be removed is only a little wasted space.
    pub fn prune(&self) {
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let in_use = name
                .strip_suffix(".pdf")
                .and_then(|hex| u128::from_str_radix(hex, 16).ok())
                .is_some_and(|key| used.contains(&key));
            if !in_use {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    fn file(&self, key: u128) -> PathBuf {
        self.dir.join(format!("{key:032x}.pdf"))
    }

    fn mark_used(&self, key: u128) {
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key);
    }
}

/// A whole PDF starts with its header and ends with its end-of-file marker (perhaps
/// followed by a line break).
fn looks_whole(bytes: &[u8]) -> bool {
    let end = bytes.trim_ascii_end();
    bytes.starts_with(b"%PDF-") && end.ends_with(b"%%EOF")
}

impl PdfCacheDir {
    /// The PDF kept under `key`, counted as reused; a miss counts as a PDF made (the
    /// renderer asks once for each PDF it needs).
    pub fn find_pdf(&self, key: u128) -> Option<Vec<u8>> {
        self.mark_used(key);
        match fs::read(self.file(key)) {
            Ok(bytes) if looks_whole(&bytes) => {
                self.reused.fetch_add(1, Ordering::Relaxed);
                Some(bytes)
            }
            _ => {
                self.made.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Keeps a PDF just made under `key`.
    pub fn keep_pdf(&self, key: u128, bytes: &[u8]) {
        // Best effort: a PDF that cannot be cached is made again next time.
        let file = self.file(key);
        let partial = self.dir.join(format!(".{key:032x}.partial"));
        let kept = fs::create_dir_all(&self.dir)
            .and_then(|()| fs::write(&partial, bytes))
            .and_then(|()| fs::rename(&partial, &file));
        if kept.is_err() {
            let _ = fs::remove_file(&partial);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n...\n%%EOF\n";

    #[test]
    fn a_kept_pdf_is_found_again_and_counted_as_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = PdfCacheDir::for_output(&dir.path().join("public"));
        assert_eq!(first.find_pdf(7), None);
        first.keep_pdf(7, PDF);
        assert_eq!(first.counts(), PdfCounts { made: 1, reused: 0 });
        let second = PdfCacheDir::for_output(&dir.path().join("public"));
        assert_eq!(second.find_pdf(7).as_deref(), Some(PDF));
        assert_eq!(second.find_pdf(8), None);
        assert_eq!(second.counts(), PdfCounts { made: 1, reused: 1 });
        assert!(dir
            .path()
            .join(".public.opsbook-pdf-cache")
            .join(format!("{:032x}.pdf", 7))
            .is_file());
    }

    #[test]
    fn pruning_keeps_only_what_the_build_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let first = PdfCacheDir::for_output(&dir.path().join("public"));
        first.keep_pdf(1, PDF);
        first.keep_pdf(2, PDF);
        let second = PdfCacheDir::for_output(&dir.path().join("public"));
        assert!(second.find_pdf(2).is_some());
        second.prune();
        let third = PdfCacheDir::for_output(&dir.path().join("public"));
        assert_eq!(third.find_pdf(1), None);
        assert!(third.find_pdf(2).is_some());
    }

    #[test]
    fn a_cut_off_file_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PdfCacheDir::for_output(&dir.path().join("public"));
        cache.keep_pdf(3, PDF);
        fs::write(cache.file(3), &PDF[..10]).unwrap();
        assert_eq!(cache.find_pdf(3), None);
        assert_eq!(cache.counts().made, 1);
    }
}
