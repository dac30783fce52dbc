//! Where made runbook PDFs are kept for reuse (render stage, shared with output and
//! serve). Typesetting is by far the dearest part of a build (about 14 ms a runbook
//! against well under 1 ms for its page), and a runbook's PDF depends only on what is
//! hashed into its `PdfKey`, so a PDF made once can be handed out again until that
//! changes. The store decides where the bytes live: a cache folder beside a build's
//! output (`output::pdf_cache`), or memory for `serve`.

use std::fmt::Debug;
use std::path::Path;

/// A hash of everything a runbook's PDF is made from: the runbook's data as the PDF
/// template reads it (paper and alert rules included), the template, the site's own
/// fonts, the PDF identifier and opsbook's version. Equal keys mean equal PDF bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PdfKey(pub u128);

/// Keeps and hands back PDFs by key. Called from the PDF threads at once.
pub trait PdfStore: Debug + Send + Sync {
    /// The PDF kept for the runbook whose PDF goes to `output` with `key`, if any. Every
    /// PDF the renderer needs is asked for exactly once, so a store can count a miss as
    /// a PDF made.
    fn find(&self, output: &Path, key: PdfKey) -> Option<Vec<u8>>;
    /// Keeps a PDF just made. Only PDFs made without any diagnostic are offered, so a
    /// reused PDF never hides a warning its making would have given.
    fn keep(&self, output: &Path, key: PdfKey, bytes: &[u8]);
}
