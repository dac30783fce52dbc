//! The integration tests: one binary, one tiny fixture folder per behaviour
//! (`tests/fixtures/<area>/<case>/`), driving the real `opsbook` executable.

mod audits;
mod build;
mod errors;
mod support;
