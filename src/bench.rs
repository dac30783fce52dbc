//! What the benchmarks in `benches/` measure, and the library's only interface beside
//! `cli::run`: every stage module is private to the crate, so the compiler reports code
//! nothing calls. Keep this list to what a benchmark needs.

pub use crate::config::RunbookOptions;
pub use crate::ingest::mermaid::{parse_flowchart, Origin};
pub use crate::pipeline::load;
#[cfg(feature = "pdf")]
pub use crate::render::pdf::{PdfEngine, PdfRequest};

/// Graph layout: the engines and the quality measures the layout benchmark compares.
pub mod diagram {
    pub use crate::render::diagram::{lay_out_with, quality, Dagre, GraphLayout, LayoutRs};
}
