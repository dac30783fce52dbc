//! Plan reader (ingest stage): markdown text in the conventions of the reference plan in,
//! `model::Plan` plus diagnostics out.
//!
//! The shared outline (`ingest::outline`) gives the body as headings, fenced blocks, list
//! items and text lines (so nothing inside a fence is taken for a heading); `reader`
//! walks those blocks section by section and hands each to the module that knows its
//! convention. Spans are
//! positions in the whole file, front matter included. The reader never fails: text it
//! cannot place is left out, problems become diagnostics, and a text that follows no
//! convention still gives a `Plan` with a note that it renders as a document.

mod bd_create;
mod claims;
mod code_block;
mod criteria;
mod critical_path;
mod epic;
mod epic_lanes;
mod labelled;
mod reader;
mod sections;
mod task_comments;
mod timeline;

use std::path::Path;

use crate::diagnostics::Diagnostics;
#[cfg(test)]
use crate::ingest::outline::read_outline;
use crate::ingest::outline::Outline;
use crate::model::Plan;

use reader::PlanReader;

/// Reads the plan from the whole file `text` (tests; the loader uses `read_plan`); the
/// markdown body starts at `body_start`.
/// Diagnostics carry `source` as their path.
#[cfg(test)]
pub fn parse_plan(
    source: &Path,
    text: &str,
    body_start: usize,
    diagnostics: &mut Diagnostics,
) -> Plan {
    read_plan(source, text, &read_outline(text, body_start), diagnostics)
}

/// Reads the plan from the outline of `text` that the page loader has read already (it
/// reads one outline per page, for the title and the diagrams too).
pub fn read_plan(
    source: &Path,
    text: &str,
    outline: &Outline,
    diagnostics: &mut Diagnostics,
) -> Plan {
    let mut reader = PlanReader::new(source, text, outline.body_start, diagnostics);
    reader.read_blocks(&outline.blocks());
    reader.finish()
}

#[cfg(test)]
mod tests;
