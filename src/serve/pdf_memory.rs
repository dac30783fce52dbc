//! The PDFs `serve` has made, kept in memory across its builds: one per runbook page,
//! under the key it was made for (see `render::pdf_store`). A request after an edit
//! that did not change the runbook's PDF data finds it; an edit that did changes the
//! key, and the next request makes it anew and replaces it, so memory holds at most one
//! PDF per runbook opened.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::render::pdf_store::{PdfKey, PdfStore};

#[derive(Debug, Default)]
pub struct MemoryPdfStore {
    by_page: Mutex<HashMap<PathBuf, (PdfKey, Vec<u8>)>>,
}

impl PdfStore for MemoryPdfStore {
    fn find(&self, output: &Path, key: PdfKey) -> Option<Vec<u8>> {
        let kept = self.by_page.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.get(output) {
            Some((kept_key, bytes)) if *kept_key == key => Some(bytes.clone()),
            _ => None,
        }
    }

    fn keep(&self, output: &Path, key: PdfKey, bytes: &[u8]) {
        self.by_page
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(output.to_path_buf(), (key, bytes.to_vec()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_found_under_its_key_and_replaced_when_the_key_changes() {
        let store = MemoryPdfStore::default();
        let page = Path::new("runbooks/a/index.html");
        assert_eq!(store.find(page, PdfKey(1)), None);
        store.keep(page, PdfKey(1), b"one");
        assert_eq!(store.find(page, PdfKey(1)).as_deref(), Some(&b"one"[..]));
        assert_eq!(store.find(page, PdfKey(2)), None);
        store.keep(page, PdfKey(2), b"two");
        assert_eq!(store.find(page, PdfKey(1)), None);
        assert_eq!(store.by_page.lock().unwrap().len(), 1);
    }
}
