//! Plan reader (ingest stage): markdown text in the conventions of the reference plan in,
//! `model::Plan` plus diagnostics out.
//!
//! A line-based reader: `blocks` groups the body into headings, fenced blocks and list
//! items (so nothing inside a fence is taken for a heading); `reader` walks those blocks
//! section by section and hands each to the module that knows its convention. Spans are
//! positions in the whole file, front matter included. The reader never fails: text it
//! cannot place is left out, problems become diagnostics, and a text that follows no
//! convention still gives a `Plan` with a note that it renders as a document.

mod bd_create;
mod blocks;
mod claims;
mod code_block;
mod criteria;
mod critical_path;
mod epic;
mod fields;
mod labelled;
mod reader;
mod sections;
mod task_comments;
mod timeline;

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::model::Plan;

use blocks::{body_lines, split_blocks};
use reader::PlanReader;

/// Reads the plan from the whole file `text`; the markdown body starts at `body_start`.
/// Diagnostics carry `source` as their path.
pub fn parse_plan(source: &Path, text: &str, body_start: usize) -> (Plan, Vec<Diagnostic>) {
    let lines = body_lines(text, body_start);
    let blocks = split_blocks(&lines);
    let mut reader = PlanReader::new(source, text, body_start);
    reader.read_blocks(&blocks);
    reader.finish()
}

#[cfg(test)]
mod tests;
