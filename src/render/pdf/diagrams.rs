//! The seam for diagrams in runbook PDFs (render stage). A `mermaid` (or `dot`) block in
//! a runbook should print as vector graphics. Drawing them is the job of the diagram
//! module (`render::graph_svg`, another piece of work); until it exists this returns
//! `None` and the template prints the diagram's source as code under a caption that
//! says so.
//!
//! To connect it: return the SVG text here. It travels inside the document's data and the
//! template draws it with `image(bytes(svg), format: "svg")`, from memory, so nothing in
//! a runbook can make the typesetter read a file.

/// The SVG drawing of a diagram block, when opsbook can draw that language.
pub fn diagram_svg(_language: &str, _source: &str) -> Option<String> {
    None
}
