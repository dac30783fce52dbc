//! Output stage: writes the rendered site so that a reader never sees half a build.
//!
//! Pages are streamed into a staging folder beside the target (same parent, so the final
//! rename stays on one file system). Only when every page was written is the staging
//! folder swapped in; a failed or interrupted build leaves the previous output
//! byte-identical. The replaced output is kept as the next staging folder (`staging`).

pub mod beads_graph;
pub mod memory;
pub mod pages;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod staging;

use std::path::{Component, Path};

use crate::diagnostics::{codes, display_path, Diagnostic};

pub use memory::MemorySite;
pub use staging::Staging;

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
