//! The plan page's view: header facts, key figures, the overview, each epic with its
//! tasks and success criteria, the timeline as days × slots, the dependency map source,
//! the critical path, the success metrics, the closing notes, and the sections no
//! convention covers, rendered as written.

use serde::Serialize;

use super::command::TextItemView;
use super::format::{format_minutes, priority_detail, priority_view, PriorityView};
use super::plan_lanes::{lane_plan_facts, lane_plan_figures, lanes_view, progress_of, LanesView};
use super::status::{ProgressView, StatusBadgeView};
use super::ViewContext;
use crate::diagnostics::Diagnostics;
use crate::model::anchor::slugify;
use crate::model::duration::DayLength;
use crate::model::plan::{
    Criterion, CriterionMarker, Epic, LabelledText, NamedList, Plan, PlanFamily, PlanSection, Task,
    Timeline, WorkItem,
};
use crate::model::Page;
use crate::render::markdown::{render_markdown_in_file, MarkdownOrigin, RawHtml};

/// Everything `plan.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanView {
    /// `epics` or `lanes`: which plan convention the page shows.
    pub family: String,
    pub title: String,
    pub description: Option<String>,
    /// Created, based on, and the totals the plan claims for itself.
    pub facts: Vec<FactView>,
    /// What was counted: epics, tasks, total ETA, success criteria.
    pub figures: Vec<FigureView>,
    /// The overview block as highlighted HTML (`<pre class="code">`), emoji kept.
    pub overview_html: Option<String>,
    /// In-page links to each epic and the sections after them.
    pub contents: Vec<super::LinkView>,
    pub epics: Vec<EpicView>,
    pub timeline: Option<TimelineView>,
    pub dependency_map: Option<DependencyMapView>,
    pub critical_path: Vec<String>,
    pub metrics: Vec<MetricGroupView>,
    pub final_target: Option<LabelledView>,
    pub notes: Vec<LabelledView>,
    /// Sections no convention covers, as written, in plan order.
    pub sections: Vec<PlanSectionView>,
    /// Closed tasks of all tasks, when the site has a tracker.
    pub progress: Option<ProgressView>,
    /// A lane plan's lanes, items and dependencies (`None` for an epic plan, whose
    /// epics are shown above).
    pub lanes: Option<LanesView>,
}

/// A section of the plan shown as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSectionView {
    pub title: String,
    /// The section's id: `section-` and its heading as markdown would give it.
    pub anchor: String,
    pub html: String,
    /// Written before the first epic: shown after the overview, else after the epics.
    pub before_epics: bool,
}

/// A labelled fact in the header (`Created: 2025-12-23`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactView {
    pub label: String,
    pub value: String,
}

/// A key figure (`6` `epics`), shown large.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureView {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelledView {
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpicView {
    pub number: u32,
    /// `epic-1`, the section's id.
    pub anchor: String,
    pub title: String,
    pub marker: Option<String>,
    pub priority: Option<PriorityView>,
    /// What the priority field says beyond level and word: `(resource saving)`.
    pub priority_detail: Option<String>,
    pub duration: Option<String>,
    pub impact: Option<String>,
    pub tasks: Vec<TaskView>,
    /// Sum of the task ETAs that could be read, e.g. `1 h 35 min`.
    pub task_eta: Option<String>,
    pub criteria: ChecklistView,
    /// Source line of the heading, for `data-line`.
    pub line: u32,
    /// The epic's tracker issue status, when one was found.
    pub status: Option<StatusBadgeView>,
    /// Closed tasks of the epic's tasks, when the site has a tracker.
    pub progress: Option<ProgressView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskView {
    /// `1.1`.
    pub id: String,
    /// `task-1-1`, the article's id.
    pub anchor: String,
    pub title: String,
    /// The short name from the task comment (`Close public port`).
    pub label: Option<String>,
    pub priority: Option<PriorityView>,
    /// The ETA as written (`30 minutes setup, then automated`).
    pub eta: Option<String>,
    /// The ETA in minutes, for `data-eta-minutes`.
    pub eta_minutes: Option<u32>,
    pub impact: Option<String>,
    pub fields: Vec<FieldView>,
    pub lists: Vec<NamedListView>,
    pub notes: Vec<String>,
    pub line: u32,
    /// Audit findings this task remediates (filled by `audit::attach_remediations`).
    pub remediates: Vec<super::audit::FindingBriefView>,
    /// The task's tracker status, when the site has a tracker.
    pub status: Option<StatusBadgeView>,
}

/// `Resources: 256MB RAM`; a value that is a command is set as code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldView {
    pub name: String,
    pub value: TextItemView,
}

/// `Steps:` and its items; `ordered` lists render as `<ol>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedListView {
    pub name: String,
    pub ordered: bool,
    pub items: Vec<TextItemView>,
}

/// A list of criteria with its progress figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistView {
    pub items: Vec<CriterionView>,
    pub done: usize,
    pub total: usize,
    /// `0 of 4 done`.
    pub progress: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionView {
    pub text: String,
    pub checked: bool,
    /// `check_emoji`, `task_box` or `bullet`: how the author wrote it.
    pub marker: String,
    /// Ticked by the plan's `done:` front matter rather than in the text.
    pub ticked_by_front_matter: bool,
    /// The text as HTML with its code spans set, for a lane plan's checklists; `None`
    /// shows `text` as it is.
    pub html: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineView {
    pub title: String,
    /// The slot names used by any day, in first-seen order: the grid's columns.
    pub slot_names: Vec<String>,
    pub days: Vec<TimelineDayView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineDayView {
    pub number: u32,
    /// `day-1`.
    pub anchor: String,
    pub title: String,
    pub priority: Option<PriorityView>,
    /// One entry per column of `slot_names`; a slot the day lacks has no items.
    pub slots: Vec<TimelineSlotView>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineSlotView {
    pub name: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DependencyMapView {
    pub title: String,
    /// The mermaid source, verbatim (escaped by the template).
    pub source: String,
    /// The drawn map (SVG and dependency list), when the source could be read.
    pub diagram_html: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricGroupView {
    pub title: String,
    pub checklist: ChecklistView,
}

/// The view of a plan page. `ctx.highlighter` presents the overview block. Problems met
/// drawing the page (the dependency map, diagrams in kept sections) go to `diagnostics`,
/// placed in the plan's file.
pub fn plan_view(
    page: &Page,
    plan: &Plan,
    ctx: &ViewContext,
    diagnostics: &mut Diagnostics,
) -> PlanView {
    let day = ctx.working_day;
    let epics: Vec<EpicView> = plan.epics.iter().map(|e| epic_view(e, plan, day)).collect();
    let timeline = plan.timeline.as_ref().map(|t| timeline_view(t, plan));
    let mut view = PlanView {
        family: plan.family.as_str().to_string(),
        title: page.title.clone(),
        description: page.front_matter.description.clone(),
        facts: header_facts(plan),
        figures: key_figures(plan, day),
        overview_html: plan
            .overview
            .as_ref()
            .map(|overview| ctx.highlighter.highlight(&overview.text, None)),
        contents: Vec::new(),
        epics,
        timeline,
        dependency_map: None,
        critical_path: plan
            .critical_path
            .iter()
            .flat_map(|path| path.items.iter().map(|item| item.text.clone()))
            .collect(),
        metrics: plan
            .metrics
            .iter()
            .map(|group| MetricGroupView {
                title: group.title.clone(),
                checklist: checklist_view(&group.items),
            })
            .collect(),
        final_target: plan.final_target.as_ref().map(labelled_view),
        notes: plan
            .notes
            .iter()
            .filter(|note| !in_sections(note.span.start, &plan.sections))
            .map(labelled_view)
            .collect(),
        sections: Vec::new(),
        progress: None,
        lanes: None,
    };
    if plan.family == PlanFamily::Lanes {
        let has_tracker = plan.tracker_joined;
        view.facts = lane_plan_facts(plan);
        view.figures = lane_plan_figures(plan, has_tracker);
        let items: Vec<&WorkItem> = plan.lanes.iter().flat_map(|l| l.items.iter()).collect();
        view.progress = progress_of(&items, has_tracker);
        view.lanes = Some(lanes_view(page, plan, ctx, has_tracker, diagnostics));
    }
    let first_lane = plan
        .lanes
        .first()
        .filter(|_| plan.family == PlanFamily::Lanes);
    let first_epic = plan
        .epics
        .first()
        .map(|e| e.span.start)
        .or(first_lane.map(|l| l.span.start))
        .unwrap_or(usize::MAX);
    for section in &plan.sections {
        let section_view = section_view(section, page, ctx, first_epic, diagnostics);
        view.sections.push(section_view);
    }
    if let Some(map) = &plan.dependency_map {
        view.dependency_map = Some(dependency_map_view(map, &view.epics, page, diagnostics));
    }
    view.contents = contents_links(&view);
    view
}

/// A section kept as written: its markdown rendered where it stands in the file, so
/// problems in it (a mermaid block, a link) are placed on the plan's own lines.
fn section_view(
    section: &PlanSection,
    page: &Page,
    ctx: &ViewContext,
    first_epic: usize,
    diagnostics: &mut Diagnostics,
) -> PlanSectionView {
    // The file's own text is rendered when the span holds the body (CRLF and all), so
    // positions inside it are exact; a body made elsewhere is rendered as it is.
    let body = &section.body;
    let written = page
        .text
        .get(body.span.start..body.span.end)
        .filter(|written| written.replace("\r\n", "\n") == body.text);
    let mut found = Diagnostics::new();
    let html = match written {
        Some(written) => {
            let origin = MarkdownOrigin {
                file: &page.text,
                offset: body.span.start,
            };
            render_markdown_in_file(
                written,
                ctx.highlighter,
                RawHtml::Sanitize,
                Some(origin),
                &page.diagrams,
                &mut found,
            )
        }
        None => render_markdown_in_file(
            &body.text,
            ctx.highlighter,
            RawHtml::Sanitize,
            None,
            &page.diagrams,
            &mut found,
        ),
    };
    // `section-` keeps these ids apart from the ones the page gives its own parts
    // (`overview`, `epic-1`, `task-1-1`, `day-2`, ...), whatever the heading says.
    let anchor = format!("section-{}", slugify(&section.title.text));
    let view = PlanSectionView {
        title: section.title.text.clone(),
        anchor,
        html,
        before_epics: section.title.span.start < first_epic,
    };
    diagnostics.extend(found.into_iter().map(|mut d| {
        d.path = Some(page.source.clone());
        d
    }));
    view
}

/// True when file offset `at` lies in one of the kept sections (a closing note written
/// there is shown with its section, not twice).
fn in_sections(at: usize, sections: &[PlanSection]) -> bool {
    sections
        .iter()
        .any(|s| (s.title.span.start..=s.body.span.end).contains(&at))
}

/// The map drawn as a diagram whose epic and task nodes link to their sections.
fn dependency_map_view(
    map: &crate::model::plan::DependencyMap,
    epics: &[EpicView],
    page: &Page,
    diagnostics: &mut Diagnostics,
) -> DependencyMapView {
    let anchors: Vec<String> = epics
        .iter()
        .flat_map(|e| {
            std::iter::once(e.anchor.clone()).chain(e.tasks.iter().map(|t| t.anchor.clone()))
        })
        .collect();
    let mut found = Diagnostics::new();
    let diagram_html = map.graph.as_ref().map(|graph| {
        let links = crate::render::diagram::plan_links(graph, &anchors);
        let options = crate::render::diagram::DiagramOptions {
            id: "dependency-map",
            title: &map.title,
            links: &links,
        };
        crate::render::diagram::render_flowchart(graph, &options, &mut found)
    });
    diagnostics.extend(
        found
            .into_iter()
            .map(|d| d.at(page.source.clone(), Some(map.span))),
    );
    DependencyMapView {
        title: map.title.clone(),
        source: map.source.clone(),
        diagram_html,
    }
}

fn labelled_view(text: &LabelledText) -> LabelledView {
    LabelledView {
        label: text.label.clone(),
        text: text.text.clone(),
    }
}

fn header_facts(plan: &Plan) -> Vec<FactView> {
    let fact = |label: &str, value: String| FactView {
        label: label.to_string(),
        value,
    };
    let mut facts = Vec::new();
    if let Some(created) = &plan.created {
        facts.push(fact("Created", created.text.clone()));
    }
    if let Some(based_on) = &plan.based_on {
        facts.push(fact("Based on", based_on.text.clone()));
    }
    if let Some(claim) = &plan.claimed.epics {
        facts.push(fact("Epics (stated)", claim.value.to_string()));
    }
    if let Some(claim) = &plan.claimed.tasks {
        facts.push(fact("Tasks (stated)", claim.value.to_string()));
    }
    facts
}

/// Total minutes of the tasks whose ETA could be read (days of `day`'s length), and how
/// many could not.
pub(crate) fn total_eta<'a>(tasks: impl Iterator<Item = &'a Task>, day: DayLength) -> (u32, usize) {
    tasks.fold((0, 0), |(minutes, unread), task| {
        match task.eta.as_ref().and_then(|eta| eta.minutes(day)) {
            Some(m) => (minutes.saturating_add(m), unread),
            None => (minutes, unread + 1),
        }
    })
}

/// `7 h 52 min`, with `(2 tasks without ETA)` when some could not be read.
pub(crate) fn eta_summary<'a>(tasks: impl Iterator<Item = &'a Task>, day: DayLength) -> String {
    let (minutes, unread) = total_eta(tasks, day);
    match unread {
        0 => format_minutes(minutes),
        1 => format!("{} (1 task without ETA)", format_minutes(minutes)),
        n => format!("{} ({n} tasks without ETA)", format_minutes(minutes)),
    }
}

fn key_figures(plan: &Plan, day: DayLength) -> Vec<FigureView> {
    let figure = |value: String, label: &str| FigureView {
        value,
        label: label.to_string(),
    };
    let criteria: usize = plan.epics.iter().map(|e| e.success_criteria.len()).sum();
    let mut figures = vec![
        figure(plan.epics.len().to_string(), "epics"),
        figure(plan.tasks().count().to_string(), "tasks"),
        figure(eta_summary(plan.tasks(), day), "total ETA"),
        figure(criteria.to_string(), "success criteria"),
    ];
    if let Some(timeline) = &plan.timeline {
        figures.push(figure(timeline.days.len().to_string(), "days in timeline"));
    }
    figures
}

fn epic_view(epic: &Epic, plan: &Plan, day: DayLength) -> EpicView {
    let priority = epic
        .priority
        .as_ref()
        .map(|field| priority_view(field.level, Some(plan)));
    let detail = match (&epic.priority, &priority) {
        (Some(field), Some(badge)) => priority_detail(&field.raw, badge),
        _ => None,
    };
    EpicView {
        number: epic.number,
        anchor: format!("epic-{}", epic.number),
        title: epic.title.clone(),
        marker: epic.marker.clone(),
        priority,
        priority_detail: detail,
        duration: epic.duration.as_ref().map(|d| d.raw.clone()),
        impact: epic.impact.as_ref().map(|t| t.text.clone()),
        tasks: epic.tasks.iter().map(|t| task_view(t, plan, day)).collect(),
        task_eta: (!epic.tasks.is_empty()).then(|| eta_summary(epic.tasks.iter(), day)),
        criteria: checklist_view(&epic.success_criteria),
        line: epic.span.line,
        status: None,
        progress: None,
    }
}

fn task_view(task: &Task, plan: &Plan, day: DayLength) -> TaskView {
    TaskView {
        id: task.id.clone(),
        anchor: format!("task-{}", anchor_part(&task.id)),
        title: task.creation.title.clone(),
        label: task.label.clone(),
        priority: task.creation.priority.map(|p| priority_view(p, Some(plan))),
        eta: task.eta.as_ref().map(|eta| eta.raw.clone()),
        eta_minutes: task.eta.as_ref().and_then(|eta| eta.minutes(day)),
        impact: task.impact.as_ref().map(|t| t.text.clone()),
        fields: task
            .fields
            .iter()
            .map(|field| FieldView {
                name: field.name.clone(),
                value: TextItemView::new(&field.value),
            })
            .collect(),
        lists: task.lists.iter().map(named_list_view).collect(),
        notes: task.notes.iter().map(|n| n.text.clone()).collect(),
        line: task.span.line,
        remediates: Vec::new(),
        status: None,
    }
}

/// `1.1` becomes `1-1`: ids keep letters, digits, `-` and `_`, everything else is `-`.
pub(crate) fn anchor_part(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn named_list_view(list: &NamedList) -> NamedListView {
    NamedListView {
        name: list.name.clone(),
        ordered: list.ordered,
        items: list
            .items
            .iter()
            .map(|item| TextItemView::new(without_list_marker(&item.text)))
            .collect(),
    }
}

/// Items are shown in an `<ol>`/`<ul>`, so a `1. ` or `- ` the reader kept is dropped.
fn without_list_marker(text: &str) -> &str {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("- ").or_else(|| text.strip_prefix("* ")) {
        return rest.trim_start();
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    match text[digits..]
        .strip_prefix(". ")
        .or(text[digits..].strip_prefix(") "))
    {
        Some(rest) if digits > 0 => rest.trim_start(),
        _ => text,
    }
}

pub(crate) fn checklist_view(criteria: &[Criterion]) -> ChecklistView {
    let done = criteria.iter().filter(|c| c.checked).count();
    let total = criteria.len();
    ChecklistView {
        items: criteria
            .iter()
            .map(|criterion| CriterionView {
                text: criterion.text.clone(),
                checked: criterion.checked,
                marker: marker_name(criterion.marker).to_string(),
                ticked_by_front_matter: false,
                html: None,
            })
            .collect(),
        done,
        total,
        progress: format!("{done} of {total} done"),
    }
}

impl ChecklistView {
    /// Counts the checked items again (after some were ticked from front matter).
    pub fn recount(&mut self) {
        self.done = self.items.iter().filter(|item| item.checked).count();
        self.total = self.items.len();
        self.progress = format!("{} of {} done", self.done, self.total);
    }
}

fn marker_name(marker: CriterionMarker) -> &'static str {
    match marker {
        CriterionMarker::CheckEmoji => "check_emoji",
        CriterionMarker::TaskBox => "task_box",
        CriterionMarker::Bullet => "bullet",
    }
}

fn timeline_view(timeline: &Timeline, plan: &Plan) -> TimelineView {
    let mut slot_names: Vec<String> = Vec::new();
    for slot in timeline.days.iter().flat_map(|day| day.slots.iter()) {
        if !slot_names.contains(&slot.name) {
            slot_names.push(slot.name.clone());
        }
    }
    let days = timeline
        .days
        .iter()
        .map(|day| TimelineDayView {
            number: day.number,
            anchor: format!("day-{}", day.number),
            title: day.title.clone(),
            priority: day.priority.map(|p| priority_view(p, Some(plan))),
            slots: slot_names
                .iter()
                .map(|name| TimelineSlotView {
                    name: name.clone(),
                    items: day
                        .slots
                        .iter()
                        .filter(|slot| &slot.name == name)
                        .flat_map(|slot| slot.items.iter().map(|item| item.text.clone()))
                        .collect(),
                })
                .collect(),
            line: day.span.line,
        })
        .collect();
    TimelineView {
        title: timeline.title.clone(),
        slot_names,
        days,
    }
}

fn contents_links(view: &PlanView) -> Vec<super::LinkView> {
    let link = |title: String, anchor: &str| super::LinkView {
        title,
        href: format!("#{anchor}"),
        description: None,
    };
    let mut links = Vec::new();
    if view.overview_html.is_some() {
        links.push(link("Overview".into(), "overview"));
    }
    let sections = |before_epics: bool| {
        view.sections
            .iter()
            .filter(move |s| s.before_epics == before_epics)
            .map(|s| link(s.title.clone(), &s.anchor))
    };
    links.extend(sections(true));
    for epic in &view.epics {
        let title = format!("Epic {}: {}", epic.number, epic.title);
        links.push(link(title, &epic.anchor));
    }
    if let Some(lanes) = &view.lanes {
        links.push(link(lanes.heading.clone(), "lanes"));
        for lane in &lanes.lanes {
            let title = match lane.title.is_empty() {
                true => lane.label.clone(),
                false => format!("{}: {}", lane.label, lane.title),
            };
            links.push(link(title, &lane.anchor));
        }
    }
    links.extend(sections(false));
    if let Some(timeline) = &view.timeline {
        links.push(link(timeline.title.clone(), "timeline"));
    }
    if let Some(map) = &view.dependency_map {
        links.push(link(map.title.clone(), "dependencies"));
    }
    if !view.critical_path.is_empty() {
        links.push(link("Critical path".into(), "critical-path"));
    }
    if !view.metrics.is_empty() || view.final_target.is_some() {
        links.push(link("Success metrics".into(), "metrics"));
    }
    links
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::render::highlight::Highlighter;
    use crate::test_support::{plan_page, sample_plan};

    fn view() -> PlanView {
        let plan = sample_plan();
        let page = plan_page("devops", plan.clone());
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: "../../".into(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        plan_view(&page, &plan, &ctx, &mut Diagnostics::new())
    }

    #[test]
    fn a_kept_section_is_rendered_from_the_file_and_keeps_its_closing_notes() {
        let text =
            "# Plan\r\n\r\n## Goals\r\n\r\nShip it.\r\n\r\n**Next Action:** Ask ops.\r\n\r\n\
                    ## Epic 1: Work\r\n\r\n```bash\r\nbd create \"Do it\" -p 0\r\n```\r\n\r\n\
                    ## Success Metrics\r\n\r\n**Next Action:** Start.\r\n";
        let mut found = crate::diagnostics::Diagnostics::new();
        let plan = crate::ingest::plan::parse_plan(Path::new("p.md"), text, 0, &mut found);
        let mut page = plan_page("p", plan.clone());
        page.text = text.into();
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: "../../".into(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let view = plan_view(&page, &plan, &ctx, &mut Diagnostics::new());
        let sections: Vec<(&str, &str, bool)> = view
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.anchor.as_str(), s.before_epics))
            .collect();
        assert_eq!(sections, [("Goals", "section-goals", true)]);
        let html = &view.sections[0].html;
        assert!(html.contains("<p>Ship it.</p>"), "{html}");
        assert!(html.contains("Ask ops."), "{html}");
        // The note inside the section is shown there only; the other stays a note.
        let notes: Vec<&str> = view.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes, ["Start."]);
        let contents: Vec<&str> = view.contents.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(contents, ["#section-goals", "#epic-1"]);
    }

    #[test]
    fn eta_totals_count_days_with_the_configured_working_day() {
        let text = "# Plan\n\n## Epic 1: Work\n\n```bash\nbd create \"Do it\" -p 0\n# ETA: 1 day\nbd create \"Then this\" -p 1\n# ETA: 2 hours\n```\n";
        let plan =
            crate::ingest::plan::parse_plan(Path::new("p.md"), text, 0, &mut Diagnostics::new());
        let page = plan_page("p", plan.clone());
        let highlighter = Highlighter::new();
        let totals = |hours_per_day: f64| {
            let ctx = ViewContext {
                highlighter: &highlighter,
                root: "../../".into(),
                working_day: crate::model::duration::DayLength::working(hours_per_day),
            };
            let view = plan_view(&page, &plan, &ctx, &mut Diagnostics::new());
            let figure = view.figures.iter().find(|f| f.label == "total ETA");
            let epic = view.epics[0].task_eta.clone();
            let task = view.epics[0].tasks[0].eta_minutes;
            (figure.map(|f| f.value.clone()), epic, task)
        };
        assert_eq!(
            totals(8.0),
            (Some("10 h".into()), Some("10 h".into()), Some(480))
        );
        assert_eq!(
            totals(6.0),
            (Some("8 h".into()), Some("8 h".into()), Some(360))
        );
    }

    #[test]
    fn figures_count_epics_tasks_eta_and_criteria() {
        let figures: Vec<(String, String)> = view()
            .figures
            .into_iter()
            .map(|f| (f.value, f.label))
            .collect();
        assert_eq!(
            figures,
            [
                ("2".into(), "epics".into()),
                ("3".into(), "tasks".into()),
                ("35 min (1 task without ETA)".into(), "total ETA".into()),
                ("3".into(), "success criteria".into()),
                ("1".into(), "days in timeline".into()),
            ]
        );
    }

    #[test]
    fn task_anchor_and_step_commands() {
        let view = view();
        let task = &view.epics[0].tasks[0];
        assert_eq!(task.anchor, "task-1-1");
        assert_eq!(task.eta_minutes, Some(5));
        let steps = &task.lists[0];
        assert!(steps.ordered);
        assert_eq!(
            steps.items[0].code.as_deref(),
            Some("sudo ufw delete allow 3000/tcp")
        );
        assert_eq!(steps.items[1].prefix, "Verify: ");
        assert_eq!(steps.items[1].code.as_deref(), Some("ufw status"));
    }

    #[test]
    fn checklist_progress_counts_checked_criteria() {
        let view = view();
        assert_eq!(view.epics[0].criteria.progress, "1 of 2 done");
        assert_eq!(view.epics[1].criteria.progress, "0 of 1 done");
    }

    #[test]
    fn timeline_days_have_one_slot_per_column() {
        let view = view();
        let timeline = view.timeline.expect("timeline");
        assert_eq!(timeline.slot_names, ["Morning", "Afternoon"]);
        assert_eq!(timeline.days[0].slots.len(), 2);
    }

    #[test]
    fn list_markers_kept_by_the_reader_are_dropped() {
        assert_eq!(without_list_marker("1. ssh host"), "ssh host");
        assert_eq!(without_list_marker("- item"), "item");
        assert_eq!(without_list_marker("2025 plan"), "2025 plan");
    }
}
