//! Plan reader, lanes: a plan written as parallel tracks, phases, waves or stages in,
//! its lanes with their work items, the dependencies, checklists, estimate tables and
//! stated totals out, plus the sections no convention covers, kept as written.
//!
//! A lane is named by a heading (`### Track 1: Infrastructure Setup (IronFern Agent)`)
//! or an overview table row; a heading that refers to a lane
//! (`### PHASE 2: Infrastructure Setup (Track 1 - IronFern)`, `### Track 1 Complete:`)
//! adds its section to that lane. A named lane that holds no work item, states no
//! duration and names no owner is no lane: its section stays as written. The pieces are
//! read by the sibling recognisers: `lane_words`, `lane_tables`, `work_items`,
//! `checklists`, `cross_deps` and `stated_totals`.

use std::ops::Range;

use crate::ingest::duration::parse_duration;
use crate::ingest::outline::{read_bold_labels, BoldLabel, LineKind};
use crate::model::plan::{
    Checklist, Dependency, DependencyEnd, DependencySource, DurationField, EstimateRow,
    LabelledText, Lane, NamedValue, Plan, PlanEpic, PlanSection, StatedTotal, Text, WorkItem,
};
use crate::model::span::Span;

use super::checklists::{find_checklists, introducing_label, list_groups};
use super::cross_deps::{resolve_claims, DependencyClaim, Statement};
use super::item_ids::KnownIds;
use super::lane_source::LaneSource;
use super::lane_tables::{read_lane_tables, CellText, LaneTables};
use super::lane_words::{parse_lane_heading, read_lane_subject, LaneName};
use super::reader::trim_section_end;
use super::stated_totals::read_stated_totals;
use super::work_items::{
    find_item_seeds, is_dependency_label, is_time_label, read_item, table_items, ItemSeed,
};

/// What the lane recognisers read from a plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct LaneReading {
    pub lanes: Vec<Lane>,
    pub dependencies: Vec<Dependency>,
    pub checklists: Vec<Checklist>,
    pub estimates: Vec<EstimateRow>,
    pub stated_totals: Vec<StatedTotal>,
    pub sections: Vec<PlanSection>,
    /// Labelled lines before the first section (`**Status:** Ready`).
    pub facts: Vec<LabelledText>,
    pub created: Option<Text>,
    pub epic: Option<PlanEpic>,
}

/// A lane while its parts are gathered.
struct LaneDraft {
    name: LaneName,
    title: String,
    owner: Option<Text>,
    span: Span,
    from_heading: bool,
    /// The sections of the headings that name the lane.
    sections: Vec<Range<usize>>,
    /// Those headings' own lines.
    heads: Vec<Range<usize>>,
    /// An overview row's chain of ids, with their file offsets.
    table_items: Vec<(String, usize, usize)>,
    file_scope: Vec<Text>,
    duration: Option<DurationField>,
}

impl LaneDraft {
    fn new(name: LaneName, span: Span) -> Self {
        LaneDraft {
            name,
            title: String::new(),
            owner: None,
            span,
            from_heading: false,
            sections: Vec::new(),
            heads: Vec::new(),
            table_items: Vec::new(),
            file_scope: Vec::new(),
            duration: None,
        }
    }
}

/// Reads the lanes of the plan; `None` when it has none (no lane holds an item and fewer
/// than two lanes state anything).
pub(super) fn read_lanes(src: &LaneSource<'_, '_>, known: &mut KnownIds) -> Option<LaneReading> {
    let tables = read_lane_tables(&src.outline.tables, known, src.index);
    for row in &tables.overview {
        for (id, _, _) in &row.items {
            known.add(id);
        }
    }
    let title_heading = src.outline.headings.iter().position(|h| h.level == 1);
    let mut drafts = Vec::new();
    add_table_rows(src, &mut drafts, &tables);
    add_lane_headings(src, &mut drafts, &tables.owners, title_heading);
    let own_ranges = own_ranges(&drafts);
    let all_seeds: Vec<ItemSeed> = find_item_seeds(src, &own_ranges.concat(), known);
    for seed in &all_seeds {
        if let Some(id) = &seed.id {
            known.add(id);
        }
    }
    let mut reading = LaneReading::default();
    let mut claims = Vec::new();
    let mut lane_ranges = Vec::new();
    for (draft, own) in drafts.into_iter().zip(own_ranges) {
        if let Some((lane, lane_claims)) = read_lane(src, draft, &own, known) {
            claims.extend(lane_claims);
            lane_ranges.extend(own);
            reading.lanes.push(lane);
        }
    }
    merge_repeated_items(&mut reading.lanes);
    let has_items = reading.lanes.iter().any(|lane| !lane.items.is_empty());
    if !has_items && reading.lanes.len() < 2 {
        return None;
    }
    claims.extend(table_claims(src, &tables, &reading.lanes));
    claims.extend(prose_claims(src, &lane_ranges));
    let body = src.outline.body_start..src.outline.body_end;
    reading.checklists = find_checklists(src, &[body], &lane_ranges)
        .into_iter()
        .map(|found| found.checklist)
        .collect();
    reading.estimates = estimate_rows(src, &tables, &reading.lanes);
    reading.stated_totals = read_stated_totals(src);
    read_preamble(src, title_heading, known, &mut reading);
    reading.sections = kept_sections(src, &lane_ranges, title_heading);
    let plan = Plan {
        lanes: std::mem::take(&mut reading.lanes),
        ..Plan::default()
    };
    reading.dependencies = resolve_claims(&claims, &plan, known);
    reading.lanes = plan.lanes;
    Some(reading)
}

/// A lane per overview row, with its owner, chain, scope and time.
fn add_table_rows(src: &LaneSource<'_, '_>, drafts: &mut Vec<LaneDraft>, tables: &LaneTables) {
    for row in &tables.overview {
        let at = draft_for(drafts, &row.lane, src.span(row.name.start..row.name.end));
        let draft = &mut drafts[at];
        if draft.owner.is_none() {
            draft.owner = row.owner.as_ref().map(|cell| cell_text(src, cell));
        }
        if draft.table_items.is_empty() {
            draft.table_items = row.items.clone();
        }
        if let Some(scope) = &row.scope {
            draft.file_scope.push(cell_text(src, scope));
        }
        if draft.duration.is_none() {
            draft.duration = row.time.clone();
        }
    }
}

fn cell_text(src: &LaneSource<'_, '_>, cell: &CellText) -> Text {
    src.text_at(&cell.text, cell.start)
}

/// The index of the draft for `name`, made when there is none yet.
fn draft_for(drafts: &mut Vec<LaneDraft>, name: &LaneName, span: Span) -> usize {
    let key = name.key();
    match drafts.iter().position(|d| d.name.key() == key) {
        Some(at) => at,
        None => {
            drafts.push(LaneDraft::new(name.clone(), span));
            drafts.len() - 1
        }
    }
}

/// Adds each heading that names a lane, or refers to one, to that lane's draft.
fn add_lane_headings(
    src: &LaneSource<'_, '_>,
    drafts: &mut Vec<LaneDraft>,
    owners: &[String],
    title_heading: Option<usize>,
) {
    for (h, heading) in src.outline.headings.iter().enumerate() {
        if Some(h) == title_heading {
            continue;
        }
        let Some(lane_heading) = parse_lane_heading(&heading.plain) else {
            continue;
        };
        let subject = read_lane_subject(&lane_heading.rest, owners);
        let defines = subject.refers_to.is_none();
        let name = subject.refers_to.clone().unwrap_or(lane_heading.name);
        let span = src.span(heading.text_start..heading.text_start + heading.text.len());
        let at = draft_for(drafts, &name, span);
        let draft = &mut drafts[at];
        if defines && !draft.from_heading {
            draft.from_heading = true;
            draft.span = span;
            draft.title = subject.title.clone();
        } else if draft.title.is_empty() {
            draft.title = subject.title.clone();
        }
        if draft.owner.is_none() {
            draft.owner = subject
                .owner
                .as_ref()
                .map(|owner| owner_text(src, heading, owner));
        }
        draft.sections.push(src.sections[h].clone());
        draft.heads.push(heading.range.clone());
    }
}

/// The owner's name where the heading writes it.
fn owner_text(
    src: &LaneSource<'_, '_>,
    heading: &crate::ingest::outline::Heading<'_>,
    owner: &str,
) -> Text {
    match heading.text.find(owner) {
        Some(at) => src.text_at(owner, heading.text_start + at),
        None => Text {
            text: owner.to_string(),
            span: src.span(heading.text_start..heading.text_start + heading.text.len()),
        },
    }
}

/// Each draft's sections without the sections of other lanes nested in them.
fn own_ranges(drafts: &[LaneDraft]) -> Vec<Vec<Range<usize>>> {
    drafts
        .iter()
        .enumerate()
        .map(|(at, draft)| {
            let nested: Vec<&Range<usize>> = drafts
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != at)
                .flat_map(|(_, other)| other.sections.iter())
                .collect();
            draft
                .sections
                .iter()
                .flat_map(|range| subtract(range, &nested))
                .collect()
        })
        .collect()
}

/// `range` without the ranges of `holes` that start inside it after its start.
fn subtract(range: &Range<usize>, holes: &[&Range<usize>]) -> Vec<Range<usize>> {
    let mut inside: Vec<&Range<usize>> = holes
        .iter()
        .copied()
        .filter(|hole| hole.start > range.start && hole.start < range.end)
        .collect();
    inside.sort_by_key(|hole| hole.start);
    let mut pieces = Vec::new();
    let mut from = range.start;
    for hole in inside {
        if hole.start > from {
            pieces.push(from..hole.start);
        }
        from = from.max(hole.end.min(range.end));
    }
    if from < range.end {
        pieces.push(from..range.end);
    }
    pieces
}

/// Reads one lane from its draft; `None` when it holds nothing a lane has.
fn read_lane(
    src: &LaneSource<'_, '_>,
    draft: LaneDraft,
    own: &[Range<usize>],
    known: &KnownIds,
) -> Option<(Lane, Vec<DependencyClaim>)> {
    let key = draft.name.key();
    let seeds = find_item_seeds(src, own, known);
    let mut consumed: Vec<Range<usize>> = draft.heads.clone();
    consumed.extend(seeds.iter().map(|seed| seed.range.clone()));
    let (mut items, mut claims) = read_items(src, &seeds, &key);
    let (rows, tables) = table_items(src, own, &consumed, known);
    consumed.extend(tables);
    items.extend(rows);
    items.sort_by_key(|item| item.span.start);
    let items = in_table_order(items, &draft.table_items, src);
    let mut lane = Lane {
        key: key.clone(),
        kind: draft.name.kind,
        number: draft.name.number(),
        label: draft.name.label(),
        title: draft.title,
        owner: draft.owner,
        file_scope: draft.file_scope,
        purpose: None,
        duration: draft.duration,
        items,
        checklists: Vec::new(),
        fields: Vec::new(),
        details: Vec::new(),
        span: draft.span,
    };
    for found in find_checklists(src, own, &consumed) {
        consumed.extend(found.consumed);
        lane.checklists.push(found.checklist);
    }
    // The section's own file scope is the detailed one; an overview cell only stands in.
    let table_scope = std::mem::take(&mut lane.file_scope);
    claims.extend(read_lane_labels(src, own, &mut consumed, &mut lane));
    if lane.file_scope.is_empty() {
        lane.file_scope = table_scope;
    }
    lane.details = src.unread_chunks(own, &consumed);
    let is_lane = !lane.items.is_empty() || lane.duration.is_some() || lane.owner.is_some();
    is_lane.then_some((lane, claims))
}

/// The lane's items, sub-items attached to their parents; planned items are keyed by
/// lane and position.
fn read_items(
    src: &LaneSource<'_, '_>,
    seeds: &[ItemSeed],
    lane_key: &str,
) -> (Vec<WorkItem>, Vec<DependencyClaim>) {
    let mut planned = 0;
    let mut read: Vec<Option<WorkItem>> = Vec::new();
    let mut claims = Vec::new();
    for (at, seed) in seeds.iter().enumerate() {
        let key = match &seed.id {
            Some(id) => id.to_lowercase(),
            None => {
                planned += 1;
                format!("{lane_key}/planned-{planned}")
            }
        };
        let item = read_item(src, seeds, at, key);
        claims.extend(item.claims);
        read.push(Some(item.item));
    }
    // Children come after their parents: attach from the last one back.
    for at in (0..seeds.len()).rev() {
        if let Some(parent) = seeds[at].parent {
            if let Some(child) = read[at].take() {
                if let Some(Some(parent_item)) = read.get_mut(parent) {
                    parent_item.sub_items.insert(0, child);
                }
            }
        }
    }
    (read.into_iter().flatten().collect(), claims)
}

/// Items in the order an overview chain gives (`web-ts3 → web-ts4 → web-ts5`), the
/// others after them as written; an id only the chain names becomes an item too.
fn in_table_order(
    items: Vec<WorkItem>,
    chain: &[(String, usize, usize)],
    src: &LaneSource<'_, '_>,
) -> Vec<WorkItem> {
    if chain.is_empty() {
        return items;
    }
    let mut rest = items;
    let mut ordered = Vec::new();
    for (id, start, end) in chain {
        let key = id.to_lowercase();
        match rest.iter().position(|item| item.key == key) {
            Some(at) => ordered.push(rest.remove(at)),
            None if !ordered.iter().any(|item: &WorkItem| item.key == key) => {
                ordered.push(chain_item(id, key, src.span(*start..*end)));
            }
            None => {}
        }
    }
    ordered.extend(rest);
    ordered
}

/// An item only an overview chain names: its title is its id until the tracker says more.
fn chain_item(id: &str, key: String, span: Span) -> WorkItem {
    WorkItem::named(key, Some(id.to_string()), String::new(), span)
}

/// An item named twice (a track's list and a phase's heading) is one item: the first
/// place keeps it, and takes what the later one adds.
fn merge_repeated_items(lanes: &mut [Lane]) {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for at in 0..lanes.len() {
        let items = std::mem::take(&mut lanes[at].items);
        for item in items {
            match seen
                .iter()
                .find(|(key, _)| *key == item.key)
                .map(|(_, lane)| *lane)
            {
                Some(first_lane) => {
                    let target = if first_lane == at {
                        lanes[at].items.iter_mut().find(|i| i.key == item.key)
                    } else {
                        lanes[first_lane]
                            .items
                            .iter_mut()
                            .find(|i| i.key == item.key)
                    };
                    if let Some(target) = target {
                        merge_item(target, item);
                    }
                }
                None => {
                    seen.push((item.key.clone(), at));
                    lanes[at].items.push(item);
                }
            }
        }
    }
}

fn merge_item(into: &mut WorkItem, from: WorkItem) {
    if into.title.is_empty() {
        into.title = from.title;
    }
    into.owner = into.owner.take().or(from.owner);
    into.estimate = into.estimate.take().or(from.estimate);
    into.priority = into.priority.or(from.priority);
    into.item_type = into.item_type.take().or(from.item_type);
    into.fields.extend(from.fields);
    into.steps.extend(from.steps);
    into.checklists.extend(from.checklists);
    into.sub_items.extend(from.sub_items);
    into.details.extend(from.details);
}

/// What a label on a lane means.
enum LaneLabel {
    Duration,
    Dependencies,
    Owner,
    FileScope,
    Purpose,
    /// `**Beads:**`, `**Beads (Execution Order):**`: introduces the lane's items.
    Items,
    Other,
}

fn lane_label(label: &str) -> LaneLabel {
    let lower = label.to_lowercase();
    let lower = lower.trim();
    let head = lower.split(" (").next().unwrap_or(lower).trim();
    if is_time_label(lower) {
        LaneLabel::Duration
    } else if is_dependency_label(lower) {
        LaneLabel::Dependencies
    } else if ["owner", "agent", "team", "assignee", "người phụ trách"].contains(&lower) {
        LaneLabel::Owner
    } else if ["file scope", "files", "scope", "phạm vi"].contains(&lower) {
        LaneLabel::FileScope
    } else if ["purpose", "goal", "objective", "mục tiêu"].contains(&lower) {
        LaneLabel::Purpose
    } else if [
        "beads",
        "tasks",
        "items",
        "issues",
        "tickets",
        "work items",
        "planned beads",
        "công việc",
    ]
    .contains(&head)
    {
        LaneLabel::Items
    } else {
        LaneLabel::Other
    }
}

fn read_lane_labels(
    src: &LaneSource<'_, '_>,
    own: &[Range<usize>],
    consumed: &mut Vec<Range<usize>>,
    lane: &mut Lane,
) -> Vec<DependencyClaim> {
    let mut claims = Vec::new();
    for range in own {
        for line in src.outline.label_lines(range.clone()) {
            let start = line.line.start;
            if consumed.iter().any(|r| r.contains(&start)) {
                continue;
            }
            let mut all_read = true;
            for label in &line.labels {
                all_read &= read_lane_label(src, label, consumed, lane, &mut claims);
            }
            if all_read {
                consumed.push(start..line.line.next);
            }
        }
    }
    claims
}

/// Applies one label to the lane; false when it stays in the lane's markdown.
fn read_lane_label(
    src: &LaneSource<'_, '_>,
    label: &BoldLabel<'_>,
    consumed: &mut Vec<Range<usize>>,
    lane: &mut Lane,
    claims: &mut Vec<DependencyClaim>,
) -> bool {
    let value = src.text_at(label.value, label.value_start);
    match lane_label(label.label) {
        LaneLabel::FileScope => {
            if !label.value.is_empty() {
                lane.file_scope.push(value);
            }
            lane.file_scope
                .extend(list_under(src, label.start, consumed));
            true
        }
        LaneLabel::Items => {
            // `(TO BE CREATED after the spike)` says something; `(in order)` is the list.
            let says_more = |inside: &&str| !inside.to_lowercase().contains("order");
            if let Some((_, inside)) = label.label.split_once(" (").filter(|(_, i)| says_more(i)) {
                lane.fields.push(NamedValue {
                    name: label
                        .label
                        .split(" (")
                        .next()
                        .unwrap_or(label.label)
                        .to_string(),
                    value: inside.trim_end_matches(')').to_string(),
                    span: src.span(label.start..label.end),
                });
            }
            true
        }
        _ if label.value.is_empty() => false,
        LaneLabel::Duration => {
            match parse_duration(label.value) {
                Some(duration) => {
                    lane.duration = Some(DurationField {
                        raw: value.text,
                        duration,
                        span: value.span,
                    });
                }
                None => push_lane_field(lane, label, value),
            }
            true
        }
        LaneLabel::Dependencies => {
            claims.push(DependencyClaim {
                waiting: Some(DependencyEnd::Lane(lane.key.clone())),
                text: value.text,
                span: value.span,
                source: DependencySource::PlanText,
                statement: Statement::Field,
            });
            true
        }
        LaneLabel::Owner => {
            lane.owner.get_or_insert(value);
            true
        }
        LaneLabel::Purpose => {
            lane.purpose.get_or_insert(value);
            true
        }
        LaneLabel::Other => {
            push_lane_field(lane, label, value);
            true
        }
    }
}

fn push_lane_field(lane: &mut Lane, label: &BoldLabel<'_>, value: Text) {
    lane.fields.push(NamedValue {
        name: label.label.to_string(),
        value: value.text,
        span: value.span,
    });
}

/// The items of the list right under the label at `label_start`; their lines are
/// consumed.
fn list_under(
    src: &LaneSource<'_, '_>,
    label_start: usize,
    consumed: &mut Vec<Range<usize>>,
) -> Vec<Text> {
    let scope = label_start..src.outline.body_end;
    let Some(group) = list_groups(src, std::slice::from_ref(&scope), consumed)
        .into_iter()
        .next()
    else {
        return Vec::new();
    };
    let introduced = introducing_label(src, group[0].line.start)
        .is_some_and(|(_, line)| line.start == label_start);
    if !introduced {
        return Vec::new();
    }
    group
        .iter()
        .map(|item| {
            consumed.push(item.range.clone());
            src.text_at(item.text, item.text_start)
        })
        .collect()
}

/// Dependencies cells of overview and estimate tables.
fn table_claims(
    src: &LaneSource<'_, '_>,
    tables: &LaneTables,
    lanes: &[Lane],
) -> Vec<DependencyClaim> {
    let overview = tables
        .overview
        .iter()
        .map(|row| (Some(&row.lane), row.dependencies.as_ref()));
    let estimates = tables
        .estimates
        .iter()
        .map(|row| (row.lane.as_ref(), row.dependencies.as_ref()));
    overview
        .chain(estimates)
        .filter_map(|(lane, cell)| {
            let key = lane?.key();
            let cell = cell?;
            lanes.iter().any(|l| l.key == key).then(|| DependencyClaim {
                waiting: Some(DependencyEnd::Lane(key)),
                text: cell.text.clone(),
                span: src.span(cell.start..cell.end),
                source: DependencySource::PlanTable,
                statement: Statement::Field,
            })
        })
        .collect()
}

/// Sentences under a dependencies heading (`## Cross-Track Dependencies`) outside lanes.
fn prose_claims(src: &LaneSource<'_, '_>, lane_ranges: &[Range<usize>]) -> Vec<DependencyClaim> {
    let mut claims = Vec::new();
    for (h, heading) in src.outline.headings.iter().enumerate() {
        let lower = heading.plain.to_lowercase();
        let about_dependencies = lower.contains("depend") || lower.contains("phụ thuộc");
        if !about_dependencies || lane_ranges.iter().any(|r| r.contains(&heading.range.start)) {
            continue;
        }
        let section = &src.sections[h];
        for line in &src.outline.lines {
            let start = line.source.start;
            let is_prose = matches!(line.kind, LineKind::Text | LineKind::Item(_));
            if !is_prose || !section.contains(&start) || heading.range.contains(&start) {
                continue;
            }
            let (text, text_start) = match line.kind {
                LineKind::Item(index) => {
                    let item = &src.outline.list_items[index];
                    (item.text, item.text_start)
                }
                _ => line.source.trimmed_start(),
            };
            if text.is_empty()
                || claims
                    .iter()
                    .any(|c: &DependencyClaim| c.span.start == text_start)
            {
                continue;
            }
            claims.push(DependencyClaim {
                waiting: None,
                text: text.to_string(),
                span: src.span(text_start..text_start + text.len()),
                source: DependencySource::PlanText,
                statement: Statement::Prose,
            });
        }
    }
    claims
}

fn estimate_rows(
    src: &LaneSource<'_, '_>,
    tables: &LaneTables,
    lanes: &[Lane],
) -> Vec<EstimateRow> {
    tables
        .estimates
        .iter()
        .map(|row| EstimateRow {
            name: cell_text(src, &row.name),
            lane: row
                .lane
                .as_ref()
                .map(LaneName::key)
                .filter(|key| lanes.iter().any(|lane| &lane.key == key)),
            duration: row.time.clone(),
            dependencies: row.dependencies.as_ref().map(|cell| cell_text(src, cell)),
            parallel: row.parallel.as_ref().map(|cell| cell_text(src, cell)),
        })
        .collect()
}

/// The labelled lines before the first section: `**Epic:** WEB-3GAT`, `Generated:
/// 2026-01-06`, `**Status:** Ready for Orchestrator`.
fn read_preamble(
    src: &LaneSource<'_, '_>,
    title_heading: Option<usize>,
    known: &KnownIds,
    reading: &mut LaneReading,
) {
    let end = src
        .outline
        .headings
        .iter()
        .enumerate()
        .find(|(h, _)| Some(*h) != title_heading)
        .map_or(src.outline.body_end, |(_, heading)| heading.range.start);
    for line in &src.outline.lines {
        if line.source.start >= end || line.kind != LineKind::Text {
            continue;
        }
        let bold = read_bold_labels(line.source.text, line.source.start);
        let fields: Vec<(&str, &str, usize, usize)> = if bold.is_empty() {
            plain_label(line.source.text, line.source.start)
                .into_iter()
                .collect()
        } else {
            bold.iter()
                .map(|b| (b.label, b.value, b.start, b.value_start))
                .collect()
        };
        for (label, value, start, value_start) in fields {
            if value.is_empty() {
                continue;
            }
            let text = src.text_at(value, value_start);
            let lower = label.to_lowercase();
            let first_word = value.split_whitespace().next().unwrap_or("");
            if lower == "epic" && reading.epic.is_none() && known.is_item_id(first_word) {
                reading.epic = Some(PlanEpic {
                    id: src.text_at(first_word, value_start),
                    tracker: None,
                });
            } else if ["created", "generated", "date", "ngày"].contains(&lower.as_str())
                && reading.created.is_none()
            {
                reading.created = Some(text);
                continue;
            }
            reading.facts.push(LabelledText {
                label: label.to_string(),
                text: value.to_string(),
                span: src.span(start..value_start + value.len()),
            });
        }
    }
}

/// `Epic: web-fz9m`: a plain label (one to three words, capitalised) and its value.
fn plain_label(line: &str, line_start: usize) -> Option<(&str, &str, usize, usize)> {
    let (label, value) = line.split_once(": ")?;
    let words = label.split_whitespace().count();
    let capitalised = label.starts_with(|c: char| c.is_uppercase());
    let plain = label
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '.');
    if !(1..=3).contains(&words) || !capitalised || !plain {
        return None;
    }
    let value_start = line_start + label.len() + 2;
    let value = value.trim_end();
    Some((
        label,
        value.trim_start(),
        line_start,
        value_start + (value.len() - value.trim_start().len()),
    ))
}

/// The sections outside the lanes, as written: a section that holds a lane keeps only
/// the text between its heading and its first subsection.
fn kept_sections(
    src: &LaneSource<'_, '_>,
    lane_ranges: &[Range<usize>],
    title_heading: Option<usize>,
) -> Vec<PlanSection> {
    let headings = &src.outline.headings;
    let mut kept = Vec::new();
    let mut covered_until = 0;
    for (h, heading) in headings.iter().enumerate() {
        let start = heading.range.start;
        if Some(h) == title_heading || start < covered_until {
            continue;
        }
        if lane_ranges.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let section = src.sections[h].clone();
        let holds_lane = lane_ranges
            .iter()
            .any(|r| r.start < section.end && section.start < r.end);
        let end = if holds_lane {
            headings
                .get(h + 1)
                .map_or(section.end, |next| next.range.start.min(section.end))
        } else {
            covered_until = section.end;
            section.end
        };
        let body_start = heading.range.end.min(end);
        let body = trim_section_end(&src.text[body_start..end]);
        if body.trim().is_empty() {
            continue;
        }
        kept.push(PlanSection {
            title: src.text_at(heading.text, heading.text_start),
            body: Text {
                text: body.replace("\r\n", "\n"),
                span: src.span(body_start..body_start + body.len()),
            },
        });
    }
    kept
}
