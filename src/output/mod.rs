//! Output stage: where rendered files go, and the files made from the finished site
//! rather than from one page. Rendered bytes and the model in; files on disk (or in
//! memory) and diagnostics out. Nothing here renders a page: typesetting, PDFs included,
//! is `render`'s.
//!
//! - `staging`: pages are streamed into a staging folder beside the target (same parent,
//!   so the final rename stays on one file system). Only when every page was written is
//!   the staging folder swapped in; a failed or interrupted build leaves the previous
//!   output byte-identical. The replaced output is kept as the next staging folder.
//!   The swap is atomic on Linux (`renameat2` exchange); a half-done swap of a killed
//!   build is repaired by the next one.
//! - `lock`: one build at a time per output folder (an `flock` beside it); a second
//!   build waits, or gives up after `--lock-timeout`.
//! - `memory`: the same site kept in memory for `serve`.
//! - `pages`: the Cloudflare Pages extras (`_headers`, `_redirects`) for the rendered
//!   file list.
//! - `pdf_cache`: the runbook PDFs of earlier builds, kept beside the output for reuse.
//! - `beads_graph`: a plan exported as the JSON `bd create --graph` takes.

pub mod beads_graph;
pub mod lock;
pub mod memory;
pub mod pages;
pub mod pdf_cache;
pub mod staging;

use std::path::{Component, Path};

use crate::diagnostics::{codes, display_path, Diagnostic};

pub use memory::MemorySite;
pub use pdf_cache::PdfCacheDir;
pub use staging::{LockWait, Staging};

/// Every output file is written at a path inside the site: no root, no `..`, so nothing
/// a page names can be written elsewhere.
pub fn ensure_inside_output(relative: &Path) -> Result<(), Diagnostic> {
    if relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Ok(());
    }
    Err(Diagnostic::error(
        codes::WRITE,
        format!(
            "refusing to write `{}` outside the output folder",
            display_path(relative)
        ),
    ))
}
