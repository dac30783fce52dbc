//! Runbook reader (ingest stage): a runbook page's text and front matter in,
//! `model::Runbook` plus diagnostics out.
//!
//! The shared outline (`ingest::outline`) gives headings, code blocks, ordered lists and
//! bold labels; `labels` picks the label lines that set runbook metadata; `words` reads
//! section names, step headings and branch lines;
//! `metadata` merges labels with front matter (front matter wins, with a note);
//! `structure` cuts the body into sections, steps and the markdown between them, with
//! `prose_steps` reading the instructions of alert runbooks (Meaning / Impact /
//! Diagnosis / Mitigation) as steps. The
//! reader never fails: what it cannot read stays content, and problems become
//! diagnostics.

mod labels;
mod metadata;
mod prose_steps;
mod structure;
pub mod values;
mod words;

use std::path::Path;

use crate::diagnostics::Diagnostics;
#[cfg(test)]
use crate::ingest::outline::read_outline;
use crate::ingest::outline::Outline;
use crate::model::{FrontMatter, PageKind, Runbook};

/// True for pages that get a runbook model: runbooks, but not a runbook folder's index
/// (`runbooks/README.md`), which introduces the runbooks instead of being one.
pub fn wants_runbook_model(kind: PageKind, relative: &Path) -> bool {
    kind == PageKind::Runbook && !super::page_path::is_folder_index(relative)
}

/// Reads the runbook from the whole file `text`; the markdown body starts at
/// `body_start`. Diagnostics carry `source` as their path.
#[cfg(test)]
pub fn parse_runbook(
    source: &Path,
    text: &str,
    body_start: usize,
    front_matter: &FrontMatter,
    diagnostics: &mut Diagnostics,
) -> Runbook {
    let outline = read_outline(text, body_start);
    read_runbook(source, text, outline, front_matter, diagnostics)
}

/// Reads the runbook from the outline of `text` that the page loader has read already (it
/// reads one outline per page, for the title and the diagrams too).
pub fn read_runbook<'a>(
    source: &'a Path,
    text: &'a str,
    outline: Outline<'a>,
    front_matter: &FrontMatter,
    diagnostics: &mut Diagnostics,
) -> Runbook {
    let body_start = outline.body_start;
    let reader = structure::BodyReader::new(source, text, outline);
    let mut runbook = Runbook::default();
    let label_lines = labels::find_label_lines(reader.outline());
    metadata::apply_metadata(
        &mut runbook,
        &metadata::MetadataSources {
            source,
            text,
            body_start,
            labels: &label_lines,
            front_matter,
        },
        diagnostics,
    );
    let removed: Vec<_> = label_lines.iter().map(|l| l.line_range.clone()).collect();
    reader.read_structure(&mut runbook, &removed, diagnostics);
    runbook
}

#[cfg(test)]
mod tests;
