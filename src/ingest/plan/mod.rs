//! Plan reader (ingest stage): markdown text in, `model::Plan` plus diagnostics out. Two
//! families of conventions are read:
//! - the reference plan's epics (`## Epic N:` sections with `bd create` lines, a
//!   `### Day N` timeline): `reader` walks the outline's blocks section by section and
//!   hands each to the module that knows its convention; `epic_lanes` gives the epics as
//!   lanes;
//! - parallel lanes (tracks, phases, waves, stages) of work items: `tracks` and its
//!   recognisers (`lane_words`, `lane_tables`, `work_items`, `checklists`, `cross_deps`,
//!   `stated_totals`) read the outline when no epic plan was found.
//!
//! `tracker_join` then joins the work items to the site's tracker. Both read the shared
//! outline (`ingest::outline`), so nothing inside a fence is taken for a heading. Spans
//! are positions in the whole file, front matter included. The reader never fails: text
//! it cannot place is left out, problems become diagnostics, and a text that follows no
//! convention still gives a `Plan` with a note that it renders as a document.

mod bd_create;
mod checklists;
mod claims;
mod code_block;
mod criteria;
mod critical_path;
mod cross_deps;
mod epic;
mod epic_lanes;
mod item_ids;
mod labelled;
mod lane_source;
mod lane_tables;
mod lane_words;
mod reader;
mod sections;
mod stated_totals;
mod task_comments;
mod timeline;
mod tracker_join;
mod tracks;
mod work_items;

use std::path::Path;

use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::ingest::beads::TrackerIndex;
#[cfg(test)]
use crate::ingest::outline::read_outline;
use crate::ingest::outline::Outline;
use crate::model::plan::{PlanFamily, Text};
use crate::model::span::LineIndex;
use crate::model::Plan;

use item_ids::KnownIds;
use lane_source::LaneSource;
use reader::PlanReader;
use tracks::LaneReading;

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
    read_plan(
        source,
        text,
        &read_outline(text, body_start),
        None,
        diagnostics,
    )
}

/// Reads the plan from the outline of `text` that the page loader has read already (it
/// reads one outline per page, for the title and the diagrams too), and joins its work
/// items to `tracker` when the site has one.
pub fn read_plan(
    source: &Path,
    text: &str,
    outline: &Outline,
    tracker: Option<&TrackerIndex<'_>>,
    diagnostics: &mut Diagnostics,
) -> Plan {
    let mut epic_diagnostics = Diagnostics::new();
    let mut reader = PlanReader::new(source, text, &mut epic_diagnostics);
    reader.read_blocks(&outline.blocks());
    let mut plan = reader.finish();
    let lanes = (!has_epic_work(&plan))
        .then(|| read_lane_family(text, outline, tracker))
        .flatten();
    match lanes {
        // The epic reader's findings are about conventions this plan does not follow.
        Some(reading) => apply_lanes(&mut plan, reading),
        None => diagnostics.append(epic_diagnostics),
    }
    if let Some(tracker) = tracker {
        tracker_join::join_tracker(&mut plan, tracker);
    }
    if !plan.is_structured() {
        report_unstructured(&plan, source, text, outline.body_start, diagnostics);
    }
    plan
}

/// True when the epic reader found work: tasks, or timeline days. (Epic headings alone,
/// with items written as tracker ids, are read as lanes.)
fn has_epic_work(plan: &Plan) -> bool {
    plan.tasks().next().is_some() || plan.timeline.as_ref().is_some_and(|t| !t.days.is_empty())
}

fn read_lane_family(
    text: &str,
    outline: &Outline,
    tracker: Option<&TrackerIndex<'_>>,
) -> Option<LaneReading> {
    let index = LineIndex::new(text);
    let src = LaneSource::new(text, outline, &index);
    let mut known = tracker.map_or_else(KnownIds::default, |t| KnownIds::new(t.ids()));
    tracks::read_lanes(&src, &mut known)
}

/// Makes `plan` a lane plan: what the epic reader took for epic conventions (an
/// overview block, a dependency map, metrics, notes) is replaced by the lane reading,
/// which keeps the sections it does not cover as written. Title, creation date and the
/// commands of the code blocks stay.
fn apply_lanes(plan: &mut Plan, reading: LaneReading) {
    let kept = Plan {
        title: plan.title.take(),
        created: reading.created.or_else(|| plan.created.take()),
        based_on: plan.based_on.take(),
        commands: std::mem::take(&mut plan.commands),
        family: PlanFamily::Lanes,
        lanes: reading.lanes,
        dependencies: reading.dependencies,
        checklists: reading.checklists,
        estimates: reading.estimates,
        stated_totals: reading.stated_totals,
        epic: reading.epic,
        sections: reading.sections,
        notes: reading.facts,
        ..Plan::default()
    };
    *plan = kept;
}

fn report_unstructured(
    plan: &Plan,
    source: &Path,
    text: &str,
    body_start: usize,
    diagnostics: &mut Diagnostics,
) {
    let index = LineIndex::new(text);
    let at = body_start.min(text.len());
    let span = plan
        .title
        .as_ref()
        .map_or_else(|| index.span(at, at), |t: &Text| t.span);
    let note = Diagnostic::note(
        codes::PLAN_UNSTRUCTURED,
        "this plan has no `## Epic N:` sections, no timeline days and no lanes of work items (tracks, phases, waves); it renders as a document",
    )
    .with_help("add `## Track 1: Title` sections that list tracker ids (`1. ab-12: Do it`), or `## Epic 1: Title` sections with `bd create` task lines, to get a structured plan");
    diagnostics.push(note.at(source, Some(span)));
}

#[cfg(test)]
mod tests;
