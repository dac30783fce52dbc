//! The plan page's lanes (render stage): a lane plan's lanes side by side with their
//! owners, file scopes, stated and estimated times, progress by tracker status, each
//! work item with its tracker status, estimate, steps, checklists and what else was
//! written under it, and the dependencies between lanes and items with where each came
//! from. The model's markdown (details the conventions did not turn into data) is
//! rendered where it stands in the file, so problems in it are placed on its lines.

use serde::Serialize;

use super::command::TextItemView;
use super::format::{format_minutes, priority_view, PriorityView};
use super::plan::{anchor_part, checklist_view, ChecklistView, FactView, FieldView, FigureView};
use super::status::{css_word, status_label, ProgressView, StatusBadgeView};
use super::ViewContext;
use crate::diagnostics::Diagnostics;
use crate::model::duration::DayLength;
use crate::model::plan::{
    Checklist, ChecklistRole, DependencyEnd, DependencyStrength, Lane, LaneKind, Plan, Text,
    WorkItem,
};
use crate::model::Page;
use crate::render::markdown::{escape_html, render_markdown_in_file, MarkdownOrigin, RawHtml};

/// The lanes part of a lane plan's page, as `page.lanes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanesView {
    /// `Tracks`, `Phases`: the heading, from the plan's own word.
    pub heading: String,
    pub lanes: Vec<LaneView>,
    pub dependencies: Vec<DependencyView>,
    /// The swimlane drawing (lanes × order); `None` until the drawing module fills it.
    pub swimlane_html: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneView {
    pub key: String,
    /// `lane-track-1`, the section's id.
    pub anchor: String,
    /// `Track 1`.
    pub label: String,
    pub title: String,
    pub owner: Option<String>,
    /// Each file scope entry as HTML (paths in code spans).
    pub file_scope: Vec<String>,
    pub purpose: Option<String>,
    /// The duration the lane's section or overview row states.
    pub duration: Option<String>,
    /// What the estimate table gives the lane, when it has a row for it.
    pub table_estimate: Option<String>,
    /// The lane's items' estimates added up (`1 h 35 min`, `(2 items without one)`).
    pub items_estimate: Option<String>,
    /// What the lane waits for, in words (`bd-front-1 (Track 1)`).
    pub depends_on: Vec<String>,
    pub fields: Vec<FieldView>,
    /// Closed items of the lane's items, when the tracker knows any of them.
    pub progress: Option<ProgressView>,
    pub items: Vec<ItemView>,
    pub checklists: Vec<ChecklistGroupView>,
    /// What the lane's sections say beyond that, rendered as written.
    pub details_html: Vec<String>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemView {
    /// `item-web-xlwx`, the item's id on the page.
    pub anchor: String,
    /// The tracker id as written; `None` for planned work.
    pub id: Option<String>,
    pub title: String,
    /// True for planned work that has no tracker id yet.
    pub planned: bool,
    /// The tracker's status; `Not in tracker` for an id it lacks (when there is one).
    pub status: Option<StatusBadgeView>,
    pub priority: Option<PriorityView>,
    /// The plan's estimate as written.
    pub estimate: Option<String>,
    pub estimate_minutes: Option<u32>,
    pub item_type: Option<String>,
    pub owner: Option<String>,
    /// What the tracker adds: type, estimate, closed date and reason.
    pub tracker_facts: Vec<FieldView>,
    pub fields: Vec<FieldView>,
    pub steps: Vec<StepView>,
    pub checklists: Vec<ChecklistGroupView>,
    pub details_html: Vec<String>,
    pub sub_items: Vec<ItemView>,
    /// What the item waits for and what waits for it, in words.
    pub depends_on: Vec<String>,
    pub line: u32,
}

/// A step; `depth` 0 is the item's own list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepView {
    pub depth: usize,
    /// The step's text as HTML: escaped, with its code spans and bold set.
    pub html: String,
}

/// A titled checklist with what it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistGroupView {
    pub title: String,
    /// `criteria`, `follow_up`, `metrics`, `status`, `other`.
    pub role: String,
    pub list: ChecklistView,
    /// `3 of 4 ticked`, `9 targets`, `2 of 3 ticked, 1 target`.
    pub summary: String,
}

/// One dependency, in words, with links to both ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DependencyView {
    pub from: String,
    pub from_href: Option<String>,
    /// The lane of `from` when it is an item (`Track 1`).
    pub from_lane: Option<String>,
    pub to: String,
    pub to_href: Option<String>,
    /// `hard` or `soft`.
    pub strength: String,
    /// `plan text`, `plan table`, `tracker (blocks)`, `tracker (parent-child)`.
    pub source: String,
    pub line: Option<u32>,
}

/// The lanes of `plan` as the page shows them; problems met rendering their markdown go
/// to `diagnostics`, placed in the plan's file.
pub fn lanes_view(
    page: &Page,
    plan: &Plan,
    ctx: &ViewContext,
    has_tracker: bool,
    diagnostics: &mut Diagnostics,
) -> LanesView {
    let mut render = |text: &Text| render_details(text, page, ctx, diagnostics);
    let lanes = plan
        .lanes
        .iter()
        .map(|lane| lane_view(lane, plan, ctx.working_day, has_tracker, &mut render))
        .collect();
    LanesView {
        heading: lanes_heading(plan),
        lanes,
        dependencies: plan
            .dependencies
            .iter()
            .map(|dependency| DependencyView {
                from: end_name(plan, &dependency.from),
                from_href: end_href(plan, &dependency.from),
                from_lane: match &dependency.from {
                    DependencyEnd::Item(key) => plan.lane_of_item(key).map(|l| l.label.clone()),
                    _ => None,
                },
                to: end_name(plan, &dependency.to),
                to_href: end_href(plan, &dependency.to),
                strength: match dependency.strength {
                    DependencyStrength::Hard => "hard".into(),
                    DependencyStrength::Soft => "soft".into(),
                },
                source: dependency.source.describe().to_string(),
                line: dependency.span.map(|s| s.line),
            })
            .collect(),
        swimlane_html: None,
    }
}

/// `Tracks`, or `Lanes` when the plan mixes kinds.
fn lanes_heading(plan: &Plan) -> String {
    let first = plan.lanes.first().map_or(LaneKind::Track, |l| l.kind);
    if plan.lanes.iter().all(|l| l.kind == first) {
        format!("{}s and work items", first.word())
    } else {
        "Lanes and work items".to_string()
    }
}

pub(crate) fn lane_anchor(key: &str) -> String {
    format!("lane-{}", anchor_part(key))
}

pub(crate) fn item_anchor(key: &str) -> String {
    format!("item-{}", anchor_part(key))
}

fn end_name(plan: &Plan, end: &DependencyEnd) -> String {
    match end {
        DependencyEnd::Lane(key) => plan
            .lane(key)
            .map_or_else(|| key.clone(), |l| l.label.clone()),
        DependencyEnd::Item(key) => plan.work_item(key).map_or_else(
            || key.clone(),
            |item| {
                item.tracker_id
                    .clone()
                    .unwrap_or_else(|| item.title.clone())
            },
        ),
        DependencyEnd::Missing(name) => format!("{name} (not in this plan)"),
    }
}

fn end_href(plan: &Plan, end: &DependencyEnd) -> Option<String> {
    match end {
        DependencyEnd::Lane(key) => plan.lane(key).map(|_| format!("#{}", lane_anchor(key))),
        DependencyEnd::Item(key) => plan
            .work_item(key)
            .map(|_| format!("#{}", item_anchor(key))),
        DependencyEnd::Missing(_) => None,
    }
}

fn lane_view(
    lane: &Lane,
    plan: &Plan,
    day: DayLength,
    has_tracker: bool,
    render: &mut impl FnMut(&Text) -> String,
) -> LaneView {
    let table_estimate = plan
        .estimates
        .iter()
        .find(|row| row.lane.as_deref() == Some(lane.key.as_str()))
        .map(|row| row.duration.raw.clone());
    let depends_on = plan
        .dependencies
        .iter()
        .filter(|d| d.to == DependencyEnd::Lane(lane.key.clone()))
        .map(|d| waits_for(plan, &d.from, d.strength))
        .collect();
    LaneView {
        key: lane.key.clone(),
        anchor: lane_anchor(&lane.key),
        label: lane.label.clone(),
        title: lane.title.clone(),
        owner: lane.owner.as_ref().map(|o| o.text.clone()),
        file_scope: lane
            .file_scope
            .iter()
            .map(|s| inline_html(&s.text))
            .collect(),
        purpose: lane.purpose.as_ref().map(|p| p.text.clone()),
        duration: lane.duration.as_ref().map(|d| d.raw.clone()),
        table_estimate,
        items_estimate: items_estimate(&lane.items, day),
        depends_on,
        fields: lane
            .fields
            .iter()
            .map(|f| FieldView {
                name: f.name.clone(),
                value: TextItemView::new(&f.value),
            })
            .collect(),
        progress: lane_progress(&lane.items, has_tracker),
        items: lane
            .items
            .iter()
            .map(|item| item_view(item, plan, day, has_tracker, render))
            .collect(),
        checklists: lane.checklists.iter().map(checklist_group).collect(),
        details_html: lane.details.iter().map(&mut *render).collect(),
        line: lane.span.line,
    }
}

/// `bd-front-1 (Track 1)`, `Track 2`, `web-wbpj (not in this plan)`, with `(soft)`.
fn waits_for(plan: &Plan, from: &DependencyEnd, strength: DependencyStrength) -> String {
    let mut text = end_name(plan, from);
    if let DependencyEnd::Item(key) = from {
        if let Some(lane) = plan.lane_of_item(key) {
            text.push_str(&format!(" ({})", lane.label));
        }
    }
    if strength == DependencyStrength::Soft {
        text.push_str(", soft");
    }
    text
}

fn item_minutes(item: &WorkItem, day: DayLength) -> Option<u32> {
    item.estimate
        .as_ref()
        .map(|e| e.duration.whole_minutes(day))
        .or_else(|| item.tracker.as_ref()?.estimated_minutes)
}

/// `1 h 35 min`, with `(2 items without one)` when some have no estimate; `None` when
/// none has one.
fn items_estimate(items: &[WorkItem], day: DayLength) -> Option<String> {
    let minutes: Vec<Option<u32>> = items.iter().map(|i| item_minutes(i, day)).collect();
    let known: u32 = minutes.iter().flatten().sum();
    let missing = minutes.iter().filter(|m| m.is_none()).count();
    if missing == items.len() {
        return None;
    }
    Some(match missing {
        0 => format_minutes(known),
        1 => format!("{} (1 item without one)", format_minutes(known)),
        n => format!("{} ({n} items without one)", format_minutes(known)),
    })
}

/// Closed items of `items`, when the tracker knows at least one of them.
pub(crate) fn lane_progress(items: &[WorkItem], has_tracker: bool) -> Option<ProgressView> {
    let refs: Vec<&WorkItem> = items.iter().collect();
    progress_of(&refs, has_tracker)
}

pub(crate) fn progress_of(items: &[&WorkItem], has_tracker: bool) -> Option<ProgressView> {
    let known = items.iter().filter(|i| i.tracker.is_some()).count();
    if !has_tracker || known == 0 {
        return None;
    }
    let closed = items.iter().filter(|i| i.is_closed()).count();
    let in_progress = items
        .iter()
        .filter(|i| i.status().is_some_and(|s| s.as_str() == "in_progress"))
        .count();
    let planned = items.iter().filter(|i| i.is_planned()).count();
    let untracked = items.len() - known - planned;
    let total = items.len();
    let noun = if total == 1 { "item" } else { "items" };
    let mut detail = Vec::new();
    let open = known - closed;
    if open > 0 {
        detail.push(format!("{open} open"));
    }
    if in_progress > 0 {
        detail.push(format!("{in_progress} in progress"));
    }
    if planned > 0 {
        detail.push(format!("{planned} planned without an id"));
    }
    if untracked > 0 {
        detail.push(format!("{untracked} not in the tracker"));
    }
    Some(ProgressView {
        closed,
        total,
        in_progress,
        text: format!("{closed} of {total} {noun} closed"),
        detail: detail.join(", "),
    })
}

fn item_view(
    item: &WorkItem,
    plan: &Plan,
    day: DayLength,
    has_tracker: bool,
    render: &mut impl FnMut(&Text) -> String,
) -> ItemView {
    let mut depends_on: Vec<String> = plan
        .dependencies
        .iter()
        .filter(|d| d.to == DependencyEnd::Item(item.key.clone()))
        .map(|d| format!("waits for {}", waits_for(plan, &d.from, d.strength)))
        .collect();
    depends_on.extend(
        plan.dependencies
            .iter()
            .filter(|d| d.from == DependencyEnd::Item(item.key.clone()))
            .map(|d| format!("{} waits for it", end_name(plan, &d.to))),
    );
    ItemView {
        anchor: item_anchor(&item.key),
        id: item.tracker_id.clone(),
        title: item.title.clone(),
        planned: item.is_planned(),
        status: item_status(item, has_tracker),
        priority: item
            .priority
            .or_else(|| item.tracker.as_ref().map(|t| t.priority))
            .map(|p| priority_view(p, None)),
        estimate: item.estimate.as_ref().map(|e| e.raw.clone()),
        estimate_minutes: item_minutes(item, day),
        item_type: item.item_type.as_ref().map(|t| t.text.clone()),
        owner: item.owner.as_ref().map(|o| o.text.clone()),
        tracker_facts: tracker_facts(item),
        fields: item
            .fields
            .iter()
            .map(|f| FieldView {
                name: f.name.clone(),
                value: TextItemView::new(&f.value),
            })
            .collect(),
        steps: item
            .steps
            .iter()
            .map(|s| StepView {
                depth: s.depth,
                html: inline_html(&s.text.text),
            })
            .collect(),
        checklists: item.checklists.iter().map(checklist_group).collect(),
        details_html: item.details.iter().map(&mut *render).collect(),
        sub_items: item
            .sub_items
            .iter()
            .map(|sub| item_view(sub, plan, day, has_tracker, render))
            .collect(),
        depends_on,
        line: item.span.line,
    }
}

/// The tracker's status badge; `Not in tracker` for an id the tracker lacks.
fn item_status(item: &WorkItem, has_tracker: bool) -> Option<StatusBadgeView> {
    match (&item.tracker, &item.tracker_id) {
        (Some(issue), _) => {
            let word = issue.status.as_str().to_string();
            Some(StatusBadgeView {
                label: status_label(&word),
                class: format!("status-{}", css_word(&word)),
                issue_id: None,
                how: None,
                word,
            })
        }
        (None, Some(_)) if has_tracker => Some(StatusBadgeView {
            word: "none".into(),
            label: "Not in tracker".into(),
            class: "status-none".into(),
            issue_id: None,
            how: None,
        }),
        (None, None) => Some(StatusBadgeView {
            word: "planned".into(),
            label: "Planned".into(),
            class: "status-none".into(),
            issue_id: None,
            how: None,
        }),
        _ => None,
    }
}

/// The tracker's type, estimate, closed date and close reason.
fn tracker_facts(item: &WorkItem) -> Vec<FieldView> {
    let Some(issue) = &item.tracker else {
        return Vec::new();
    };
    let field = |name: &str, value: String| FieldView {
        name: name.to_string(),
        value: TextItemView::new(&value),
    };
    let mut facts = Vec::new();
    if issue.issue_type != "task" {
        facts.push(field("Tracker type", issue.issue_type.clone()));
    }
    if let Some(minutes) = issue.estimated_minutes {
        facts.push(field("Tracker estimate", format_minutes(minutes)));
    }
    if let Some(closed) = &issue.closed_at {
        facts.push(field(
            "Closed",
            closed.get(..10).unwrap_or(closed).to_string(),
        ));
    }
    if let Some(reason) = &issue.close_reason {
        facts.push(field("Close reason", reason.clone()));
    }
    facts
}

pub(crate) fn checklist_group(list: &Checklist) -> ChecklistGroupView {
    let boxes = list.box_count();
    let targets = list.targets();
    let mut parts = Vec::new();
    if boxes > 0 {
        parts.push(format!("{} of {boxes} ticked", list.ticked()));
    }
    if targets > 0 {
        parts.push(format!(
            "{targets} target{}",
            if targets == 1 { "" } else { "s" }
        ));
    }
    let mut view = checklist_view(&list.items);
    for item in &mut view.items {
        item.html = Some(inline_html(&item.text));
    }
    ChecklistGroupView {
        title: list.title.clone(),
        role: role_word(list.role).to_string(),
        list: view,
        summary: parts.join(", "),
    }
}

fn role_word(role: ChecklistRole) -> &'static str {
    match role {
        ChecklistRole::Criteria => "criteria",
        ChecklistRole::FollowUp => "follow_up",
        ChecklistRole::Metrics => "metrics",
        ChecklistRole::Status => "status",
        ChecklistRole::Other => "other",
    }
}

/// Markdown of the plan rendered where it stands in the file (exact positions for its
/// problems); a chunk that was dedented is rendered as it is.
fn render_details(
    text: &Text,
    page: &Page,
    ctx: &ViewContext,
    diagnostics: &mut Diagnostics,
) -> String {
    let written = page
        .text
        .get(text.span.start..text.span.end)
        .filter(|written| written.replace("\r\n", "\n") == text.text);
    let mut found = Diagnostics::new();
    let origin = written.map(|_| MarkdownOrigin {
        file: &page.text,
        offset: text.span.start,
    });
    let source = written.unwrap_or(&text.text);
    let html = render_markdown_in_file(
        source,
        ctx.highlighter,
        RawHtml::Sanitize,
        origin,
        &page.diagrams,
        &mut found,
    );
    diagnostics.extend(found.into_iter().map(|mut d| {
        d.path = Some(page.source.clone());
        d
    }));
    html
}

/// The header facts of a lane plan: what its first lines state, and its epic's status.
pub(crate) fn lane_plan_facts(plan: &Plan) -> Vec<FactView> {
    let mut facts = Vec::new();
    for note in &plan.notes {
        let mut value = note.text.clone();
        let is_epic = plan.epic.as_ref().is_some_and(|epic| {
            note.label.eq_ignore_ascii_case("epic") && value.starts_with(&epic.id.text)
        });
        if is_epic {
            if let Some(issue) = plan.epic.as_ref().and_then(|e| e.tracker.as_ref()) {
                value = format!(
                    "{value} ({} in the tracker)",
                    issue.status.as_str().replace('_', " ")
                );
            }
        }
        facts.push(FactView {
            label: note.label.clone(),
            value,
        });
    }
    if let Some(created) = &plan.created {
        facts.push(FactView {
            label: "Created".into(),
            value: created.text.clone(),
        });
    }
    facts
}

/// The key figures of a lane plan: lanes, items, their tracker state, success criteria
/// and open follow-ups.
pub(crate) fn lane_plan_figures(plan: &Plan, has_tracker: bool) -> Vec<FigureView> {
    let figure = |value: String, label: &str| FigureView {
        value,
        label: label.to_string(),
    };
    let items: Vec<&WorkItem> = plan.lanes.iter().flat_map(|l| l.items.iter()).collect();
    let first = plan.lanes.first().map_or(LaneKind::Track, |l| l.kind);
    let same = plan.lanes.iter().all(|l| l.kind == first);
    let lanes_word = if same {
        format!("{}s", first.as_str())
    } else {
        "lanes".to_string()
    };
    let mut figures = vec![
        figure(plan.lanes.len().to_string(), &lanes_word),
        figure(items.len().to_string(), "work items"),
    ];
    if has_tracker {
        let closed = items.iter().filter(|i| i.is_closed()).count();
        let open = items.iter().filter(|i| i.is_open()).count();
        figures.push(figure(closed.to_string(), "closed in the tracker"));
        figures.push(figure(open.to_string(), "open in the tracker"));
    }
    let planned = items.iter().filter(|i| i.is_planned()).count();
    if planned > 0 {
        figures.push(figure(planned.to_string(), "planned without an id"));
    }
    let all_lists = plan
        .checklists
        .iter()
        .chain(plan.lanes.iter().flat_map(|l| l.checklists.iter()))
        .chain(plan.work_items().flat_map(|i| i.checklists.iter()));
    let (mut ticked, mut boxes, mut follow_ups) = (0, 0, 0);
    for list in all_lists {
        match list.role {
            ChecklistRole::Criteria => {
                ticked += list.ticked();
                boxes += list.box_count();
            }
            ChecklistRole::FollowUp => follow_ups += list.open(),
            _ => {}
        }
    }
    if boxes > 0 {
        figures.push(figure(
            format!("{ticked} of {boxes}"),
            "success criteria ticked",
        ));
    }
    if follow_ups > 0 {
        figures.push(figure(follow_ups.to_string(), "follow-ups open"));
    }
    figures
}

/// A line of the plan as HTML: escaped, with its `code` spans and `**bold**` set.
pub(crate) fn inline_html(text: &str) -> String {
    let mut html = String::new();
    let pieces: Vec<&str> = text.split('`').collect();
    let paired = pieces.len() % 2 == 1;
    for (at, piece) in pieces.iter().enumerate() {
        if paired && at % 2 == 1 {
            html.push_str(&format!("<code>{}</code>", escape_html(piece)));
            continue;
        }
        if !paired && at > 0 {
            html.push('`');
        }
        let bold: Vec<&str> = piece.split("**").collect();
        let bold_paired = bold.len() % 2 == 1;
        for (b, part) in bold.iter().enumerate() {
            match (bold_paired && b % 2 == 1, part.is_empty()) {
                (true, false) => html.push_str(&format!("<strong>{}</strong>", escape_html(part))),
                (true, true) => {}
                (false, _) => {
                    if !bold_paired && b > 0 {
                        html.push_str("**");
                    }
                    html.push_str(&escape_html(part));
                }
            }
        }
    }
    html
}
