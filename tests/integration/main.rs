//! The integration tests: one binary, one tiny fixture folder per behaviour
//! (`tests/fixtures/<area>/<case>/`), driving the real `opsbook` executable.

mod analysis;
mod audits;
mod build;
mod check;
mod diagrams;
mod errors;
mod pages;
mod publish;
mod runbooks;
mod status;
mod support;
mod tracks;
