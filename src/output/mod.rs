//! Output stage: writes the rendered site so that a reader never sees half a build.
//!
//! Pages are streamed into a staging folder beside the target (same parent, so the final
//! rename stays on one file system). Only when every page was written is the staging
//! folder swapped in; a failed or interrupted build removes its staging folder and leaves
//! the previous output byte-identical.

pub mod beads_graph;
pub mod memory;
pub mod pages;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod staging;

pub use memory::MemorySite;
pub use staging::Staging;
