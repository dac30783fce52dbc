//! The integration tests: one binary, one tiny fixture folder per behaviour
//! (`tests/fixtures/<area>/<case>/`), driving the real `opsbook` executable.

mod alerts;
mod analysis;
mod audits;
mod build;
mod check;
mod concurrency;
mod diagrams;
mod errors;
mod hugo;
mod inputs;
mod pages;
mod publish;
mod runbooks;
mod serve_pdf_cache;
mod status;
mod support;
mod tracks;
