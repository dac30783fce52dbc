//! Ingest stage: files under `content/` in, the typed `model::Project` plus diagnostics out.

pub mod encoding;
pub mod front_matter;
pub mod plan;
