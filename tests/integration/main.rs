//! The integration tests: one binary, one tiny fixture folder per behaviour
//! (`tests/fixtures/<area>/<case>/`), driving the real `opsbook` executable.

mod build;
mod errors;
mod runbooks;
mod support;
