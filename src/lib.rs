//! opsbook: a static site generator for DevOps plans, audit results and runbooks.
//!
//! The module tree mirrors the pipeline: `ingest` reads files into the typed `model`,
//! `render` turns the model into pages, `output` writes them atomically; `pipeline`
//! sequences the stages and `cli` is the command line on top.

pub mod cli;
pub mod diagnostics;
pub mod ingest;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
