//! opsbook: a static site generator for DevOps plans, audit results and runbooks.
//!
//! The module tree mirrors the pipeline: `ingest` reads files into the typed `model`,
//! `analysis` reads the model for what it finds, `render` turns the model and the
//! analyses into pages and PDFs, `output` writes them atomically (`serve` keeps them in
//! memory and serves them while the author edits); `pipeline` sequences the stages and
//! `cli` is the command line on top. `config`, `diagnostics` and `site_files` (the one way a file of the site is found
//! and opened) sit under every stage.
//! The stages import one way only (ingest → model ← analysis ← render; output beside
//! render), which the `stage_direction` test checks.

// `Diagnostic` is the error type throughout: it carries a path, a span and help text, so it
// is larger than clippy likes for an `Err` value. Errors are rare and collected, not
// propagated in hot loops, so boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub(crate) mod analysis;
#[cfg(feature = "bench-api")]
pub mod bench;
pub mod cli;
pub(crate) mod config;
pub(crate) mod diagnostics;
#[cfg(feature = "fuzz-api")]
pub mod fuzz_api;
pub(crate) mod ingest;
pub(crate) mod memo;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod pipeline;
pub(crate) mod render;
pub(crate) mod serve;
pub(crate) mod site_files;
#[cfg(test)]
mod stage_direction;
#[cfg(test)]
pub(crate) mod test_support;
pub(crate) mod timings;
