//! The plans index's view (`plans/index.html`, render stage): every plan page of the site
//! in one table, whatever convention it follows, with its family (epic plan, track or
//! phase plan, or a document no convention was found in), its lanes and items, its
//! progress by the tracker and the date the tracker last changed one of its issues. The
//! header's single "Plans" entry leads here, so a site with many plans keeps a one-line
//! header.
//!
//! Progress is what the plan page shows: an epic plan's tasks are tied to tracker issues
//! by `analysis::status_match` (`SiteStatus`), a lane plan's items carry their issue from
//! the tracker join (`WorkItem::tracker`).

use serde::Serialize;

use super::{is_home_page, page_href, ViewContext};
use crate::model::plan::{Lane, LaneKind, Plan, PlanFamily, TrackedIssue};
use crate::model::status::{PlanStatus, SiteStatus, Tracker};
use crate::model::{Page, PageKind, Project};

/// Where the index is written, unless a page of the site takes its place.
pub const PLANS_INDEX: &str = "plans/index.html";

/// Everything `plans.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlansIndexView {
    pub title: String,
    /// `19 plans: 4 track plans, 1 epic plan, 14 documents`.
    pub summary: String,
    pub plans: Vec<PlanRowView>,
    /// True when some plan is shown as a document: the page says what that means.
    pub has_documents: bool,
}

/// One plan's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanRowView {
    pub title: String,
    pub href: String,
    pub description: Option<String>,
    /// `epics`, `lanes` or `document`: a CSS class part.
    pub family: &'static str,
    /// `Epic plan`, `Track plan`, `Phase plan`, `Document`.
    pub family_label: String,
    /// How many lanes, when the plan has any.
    pub lanes: Option<usize>,
    /// `epics`, `tracks`, `phases` (or the singular for one).
    pub lane_noun: String,
    /// Work items of all lanes (an epic plan's tasks), embedded ones included.
    pub items: Option<usize>,
    pub progress: Option<IndexProgressView>,
    /// Why there is no progress: `no tracker`, `not in the tracker`; empty for a
    /// document or when there is progress.
    pub progress_note: String,
    /// The day the tracker last changed one of the plan's issues (`2025-12-21`).
    pub latest_update: Option<String>,
}

/// Closed items of all items; shaped like the plan page's progress so the
/// `progress_bar` component draws it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexProgressView {
    pub closed: usize,
    pub total: usize,
    /// `6 of 10 items closed`.
    pub text: String,
    /// `2 in progress`, or empty.
    pub detail: String,
}

/// The plans index of `project`: one row per plan page, by title (ignoring case).
pub fn plans_index_view(
    project: &Project,
    status: &SiteStatus,
    ctx: &ViewContext,
) -> PlansIndexView {
    let mut rows: Vec<PlanRowView> = project
        .pages
        .iter()
        .filter(|page| is_plan_page(page))
        .map(|page| plan_row(page, status.plan(&page.source), project, ctx))
        .collect();
    rows.sort_by(|a, b| {
        let key = |row: &PlanRowView| row.title.to_lowercase();
        key(a).cmp(&key(b)).then(a.href.cmp(&b.href))
    });
    PlansIndexView {
        title: "Plans".to_string(),
        summary: summary(&rows),
        has_documents: rows.iter().any(|row| row.family == "document"),
        plans: rows,
    }
}

/// A page the index lists: every plan page but the home page and the index's own
/// replacement (`content/plans/index.md`).
pub fn is_plan_page(page: &Page) -> bool {
    page.kind == PageKind::Plan
        && !is_home_page(page)
        && page.output != std::path::Path::new(PLANS_INDEX)
}

fn plan_row(
    page: &Page,
    status: Option<&PlanStatus>,
    project: &Project,
    ctx: &ViewContext,
) -> PlanRowView {
    let plan = page.plan.as_ref().filter(|plan| plan.is_structured());
    let family = plan.map_or(PlanFamily::Document, |plan| match plan.family {
        // A structured plan read before families existed is an epic plan.
        PlanFamily::Document => PlanFamily::Epics,
        family => family,
    });
    let lane_kind = plan.and_then(|plan| lane_kind(&plan.lanes));
    let lanes = plan.map(lane_count);
    let (progress, latest_update) = match (plan, family) {
        (Some(plan), PlanFamily::Lanes) => (lane_progress(plan), lane_latest_update(plan)),
        (Some(_), PlanFamily::Epics) => match status.filter(|s| s.has_tracker) {
            Some(status) => (
                epic_progress(status),
                epic_latest_update(status, project.tracker.as_ref()),
            ),
            None => (None, None),
        },
        _ => (None, None),
    };
    let progress_note = match (&progress, family) {
        (Some(_), _) | (None, PlanFamily::Document) => String::new(),
        (None, _) if project.tracker.is_none() => "no tracker".to_string(),
        (None, _) => "not in the tracker".to_string(),
    };
    PlanRowView {
        title: page.title.clone(),
        href: page_href(&ctx.root, page),
        description: page.front_matter.description.clone(),
        family: family.as_str(),
        family_label: family_label(family, lane_kind),
        lane_noun: lane_noun(family, lane_kind, lanes.unwrap_or(0)),
        lanes,
        items: plan.map(item_count),
        progress,
        progress_note,
        latest_update,
    }
}

/// An epic plan's lanes are its epics; one built without lanes counts them directly.
pub(super) fn lane_count(plan: &Plan) -> usize {
    if plan.lanes.is_empty() {
        plan.epics.len()
    } else {
        plan.lanes.len()
    }
}

pub(super) fn item_count(plan: &Plan) -> usize {
    if plan.lanes.is_empty() {
        plan.tasks().count()
    } else {
        plan.work_items().count()
    }
}

/// The kind most of the plan's lanes are (the first such kind on a tie).
pub(super) fn lane_kind(lanes: &[Lane]) -> Option<LaneKind> {
    let mut best: Option<(LaneKind, usize)> = None;
    for lane in lanes {
        let count = lanes.iter().filter(|l| l.kind == lane.kind).count();
        if best.is_none_or(|(_, most)| count > most) {
            best = Some((lane.kind, count));
        }
    }
    best.map(|(kind, _)| kind)
}

fn family_label(family: PlanFamily, kind: Option<LaneKind>) -> String {
    match (family, kind) {
        (PlanFamily::Document, _) => "Document".to_string(),
        (PlanFamily::Epics, _) => "Epic plan".to_string(),
        (PlanFamily::Lanes, Some(kind)) => format!("{} plan", kind.word()),
        (PlanFamily::Lanes, None) => "Lane plan".to_string(),
    }
}

pub(super) fn lane_noun(family: PlanFamily, kind: Option<LaneKind>, count: usize) -> String {
    let word = match (family, kind) {
        (PlanFamily::Epics, _) => "epic",
        (_, Some(kind)) => kind.as_str(),
        _ => "lane",
    };
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// A lane plan's progress: items the tracker has closed, of all its items (planned work
/// without an id counts as not closed). None when the tracker knows none of its items.
pub(super) fn lane_progress(plan: &Plan) -> Option<IndexProgressView> {
    let items: Vec<_> = plan.work_items().collect();
    if !items.iter().any(|item| item.tracker.is_some()) {
        return None;
    }
    let closed = items.iter().filter(|item| item.is_closed()).count();
    let in_progress = items
        .iter()
        .filter(|item| item.status().is_some_and(|s| s.as_str() == "in_progress"))
        .count();
    Some(progress_view(closed, items.len(), in_progress, "item"))
}

/// An epic plan's progress, as its page counts it: closed tasks of all tasks.
fn epic_progress(status: &PlanStatus) -> Option<IndexProgressView> {
    if status.tasks.is_empty() {
        return None;
    }
    let matched = || status.tasks.iter().filter_map(|task| task.matched.as_ref());
    let closed = matched().filter(|m| m.status.is_closed()).count();
    let in_progress = matched()
        .filter(|m| m.status.as_str() == "in_progress")
        .count();
    Some(progress_view(
        closed,
        status.tasks.len(),
        in_progress,
        "task",
    ))
}

fn progress_view(closed: usize, total: usize, in_progress: usize, noun: &str) -> IndexProgressView {
    let plural = if total == 1 { "" } else { "s" };
    IndexProgressView {
        closed,
        total,
        text: format!("{closed} of {total} {noun}{plural} closed"),
        detail: if in_progress > 0 {
            format!("{in_progress} in progress")
        } else {
            String::new()
        },
    }
}

/// The latest update or close of the plan's issues, its own epic issue included.
fn lane_latest_update(plan: &Plan) -> Option<String> {
    let issues = plan
        .work_items()
        .filter_map(|item| item.tracker.as_ref())
        .chain(plan.epic.as_ref().and_then(|epic| epic.tracker.as_ref()));
    latest_day(
        issues.flat_map(|issue: &TrackedIssue| {
            [issue.updated_at.as_deref(), issue.closed_at.as_deref()]
        }),
    )
}

/// The latest update or close of the issues an epic plan's tasks and epics were tied to.
fn epic_latest_update(status: &PlanStatus, tracker: Option<&Tracker>) -> Option<String> {
    let tracker = tracker?;
    let issues = status
        .tasks
        .iter()
        .chain(&status.epics)
        .filter_map(|item| item.matched.as_ref())
        .filter_map(|matched| tracker.issue(&matched.issue_id));
    latest_day(issues.flat_map(|issue| [issue.updated_at.as_deref(), issue.closed_at.as_deref()]))
}

/// The latest of some tracker timestamps (`2025-12-21T10:04:00+07:00`), as its day.
/// Timestamps are compared as written: beads writes them all in one form.
fn latest_day<'a>(stamps: impl Iterator<Item = Option<&'a str>>) -> Option<String> {
    stamps
        .flatten()
        .map(|stamp| stamp.get(..10).filter(|day| is_day(day)).unwrap_or(stamp))
        .max()
        .map(str::to_string)
}

/// `YYYY-MM-DD`.
fn is_day(text: &str) -> bool {
    text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        })
}

/// `19 plans: 4 track plans, 1 epic plan, 14 documents`.
fn summary(rows: &[PlanRowView]) -> String {
    let total = format!(
        "{} plan{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    let mut families: Vec<(&str, usize)> = Vec::new();
    for row in rows {
        match families
            .iter_mut()
            .find(|(label, _)| *label == row.family_label)
        {
            Some((_, count)) => *count += 1,
            None => families.push((&row.family_label, 1)),
        }
    }
    if families.len() < 2 {
        return total;
    }
    // Structured families first (most plans first), documents last.
    families.sort_by_key(|(label, count)| (*label == "Document", std::cmp::Reverse(*count)));
    let parts: Vec<String> = families
        .iter()
        .map(|(label, count)| {
            let label = label.to_lowercase();
            if *count == 1 {
                format!("1 {label}")
            } else {
                format!("{count} {label}s")
            }
        })
        .collect();
    format!("{total}: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan::{Lane, LaneKind, WorkItem};
    use crate::model::status::{IssueMatch, IssueStatus, ItemStatus, MatchKind, TrackerIssue};
    use crate::model::Span;
    use crate::render::highlight::Highlighter;
    use crate::test_support::{document_page, plan_page, sample_plan};

    fn issue(id: &str, status: IssueStatus, updated: &str) -> TrackedIssue {
        TrackedIssue {
            id: id.to_string(),
            title: format!("Issue {id}"),
            closed_at: status.is_closed().then(|| format!("{updated}T18:00:00Z")),
            status,
            priority: crate::model::plan::Priority(1),
            issue_type: "task".to_string(),
            estimated_minutes: Some(60),
            close_reason: None,
            updated_at: Some(format!("{updated}T09:30:00Z")),
        }
    }

    fn work_item(key: &str, tracker: Option<TrackedIssue>) -> WorkItem {
        let tracker_id = tracker.as_ref().map(|t| t.id.clone());
        WorkItem {
            tracker,
            ..WorkItem::named(
                key.to_string(),
                tracker_id,
                format!("Work {key}"),
                Span::default(),
            )
        }
    }

    fn lane(number: u32, kind: LaneKind, items: Vec<WorkItem>) -> Lane {
        Lane {
            key: format!("{}-{number}", kind.as_str()),
            kind,
            number: Some(number),
            label: format!("{} {number}", kind.word()),
            title: format!("Subject {number}"),
            owner: None,
            file_scope: Vec::new(),
            purpose: None,
            duration: None,
            items,
            checklists: Vec::new(),
            fields: Vec::new(),
            details: Vec::new(),
            span: Span::default(),
        }
    }

    /// Two tracks: one closed and one in-progress item in the tracker, one planned item.
    fn track_plan() -> Plan {
        let mut first = work_item(
            "lf-a1",
            Some(issue("lf-a1", IssueStatus::Closed, "2026-02-03")),
        );
        first.sub_items.push(work_item(
            "lf-a1.1",
            Some(issue("lf-a1.1", IssueStatus::InProgress, "2026-02-05")),
        ));
        Plan {
            family: PlanFamily::Lanes,
            lanes: vec![
                lane(1, LaneKind::Track, vec![first]),
                lane(
                    2,
                    LaneKind::Track,
                    vec![work_item("track-2/planned-1", None)],
                ),
            ],
            ..Plan::default()
        }
    }

    fn render(project: &Project, status: &SiteStatus) -> PlansIndexView {
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: "../".to_string(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        plans_index_view(project, status, &ctx)
    }

    #[test]
    fn every_plan_page_is_listed_with_its_family_lanes_and_items() {
        let mut epics = sample_plan();
        epics.family = PlanFamily::Epics;
        let project = Project {
            pages: crate::test_support::shared_pages(vec![
                document_page(PageKind::Page, "index.html", "Home"),
                plan_page("cutover", track_plan()),
                plan_page("devops", epics),
                plan_page("notes", Plan::default()),
                document_page(PageKind::Runbook, "runbooks/x/index.html", "X"),
            ]),
            ..Project::default()
        };
        let index = render(&project, &SiteStatus::default());
        type Row<'a> = (&'a str, &'a str, &'a str, Option<usize>, Option<usize>);
        let rows: Vec<Row> = index
            .plans
            .iter()
            .map(|r| {
                (
                    r.href.as_str(),
                    r.family,
                    r.family_label.as_str(),
                    r.lanes,
                    r.items,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "../plans/cutover/index.html",
                    "lanes",
                    "Track plan",
                    Some(2),
                    Some(3)
                ),
                (
                    "../plans/notes/index.html",
                    "document",
                    "Document",
                    None,
                    None
                ),
                // Titled "Sample Plan".
                (
                    "../plans/devops/index.html",
                    "epics",
                    "Epic plan",
                    Some(2),
                    Some(3)
                ),
            ]
        );
        assert_eq!(index.plans[0].lane_noun, "tracks");
        assert_eq!(
            index.summary,
            "3 plans: 1 track plan, 1 epic plan, 1 document"
        );
    }

    #[test]
    fn a_lane_plan_shows_closed_items_and_the_latest_tracker_day() {
        let project = Project {
            pages: crate::test_support::shared_pages(vec![plan_page("cutover", track_plan())]),
            ..Project::default()
        };
        let row = &render(&project, &SiteStatus::default()).plans[0];
        let progress = row.progress.as_ref().expect("tracked items");
        assert_eq!((progress.closed, progress.total), (1, 3));
        assert_eq!(progress.text, "1 of 3 items closed");
        assert_eq!(progress.detail, "1 in progress");
        assert_eq!(row.latest_update.as_deref(), Some("2026-02-05"));
    }

    #[test]
    fn an_epic_plan_takes_its_progress_from_the_matched_issues() {
        let mut epics = sample_plan();
        epics.family = PlanFamily::Epics;
        let page = plan_page("devops", epics);
        let matched = |id: &str, status| IssueMatch {
            issue_id: id.to_string(),
            issue_title: String::new(),
            status,
            kind: MatchKind::Title,
            score: 0.9,
        };
        let item = |key: &str, found: Option<IssueMatch>| ItemStatus {
            key: key.to_string(),
            title: String::new(),
            matched: found,
            near_miss: None,
        };
        let mut status = SiteStatus::default();
        status.plans.insert(
            page.source.clone(),
            PlanStatus {
                has_tracker: true,
                tasks: vec![
                    item("1.1", Some(matched("bd-1", IssueStatus::Closed))),
                    item("1.2", Some(matched("bd-2", IssueStatus::Open))),
                    item("2.1", None),
                ],
                ..PlanStatus::default()
            },
        );
        let tracker_issue = |id: &str, updated: &str| TrackerIssue {
            id: id.to_string(),
            title: String::new(),
            status: IssueStatus::Open,
            priority: 1,
            issue_type: "task".to_string(),
            estimated_minutes: None,
            dependencies: Vec::new(),
            labels: Vec::new(),
            closed_at: None,
            close_reason: None,
            updated_at: Some(updated.to_string()),
            line: 1,
        };
        let project = Project {
            pages: crate::test_support::shared_pages(vec![page]),
            tracker: Some(Tracker {
                path: ".beads/issues.jsonl".into(),
                issues: vec![
                    tracker_issue("bd-1", "2026-01-10T08:00:00Z"),
                    tracker_issue("bd-2", "2026-01-12T08:00:00Z"),
                    tracker_issue("bd-9", "2026-03-01T08:00:00Z"),
                ],
                tombstones: 0,
            }),
            ..Project::default()
        };
        let row = &render(&project, &status).plans[0];
        assert_eq!(row.progress.as_ref().unwrap().text, "1 of 3 tasks closed");
        assert_eq!(
            row.latest_update.as_deref(),
            Some("2026-01-12"),
            "only the plan's own issues count"
        );
    }

    #[test]
    fn without_a_tracker_there_is_no_progress() {
        let mut plan = track_plan();
        for lane in &mut plan.lanes {
            for item in &mut lane.items {
                item.tracker = None;
                item.sub_items.clear();
            }
        }
        let project = Project {
            pages: crate::test_support::shared_pages(vec![plan_page("cutover", plan)]),
            ..Project::default()
        };
        let row = &render(&project, &SiteStatus::default()).plans[0];
        assert_eq!(row.progress, None);
        assert_eq!(row.progress_note, "no tracker");
        assert_eq!(row.latest_update, None);
    }

    #[test]
    fn the_index_page_of_the_site_is_not_listed_as_a_plan() {
        let mut own_index = plan_page("index", Plan::default());
        own_index.output = PLANS_INDEX.into();
        assert!(!is_plan_page(&own_index));
        assert!(is_plan_page(&plan_page("x", Plan::default())));
    }

    #[test]
    fn the_theme_draws_the_index_and_a_lane_plans_home_card() {
        use crate::diagnostics::Diagnostics;
        use crate::render::templates::Theme;
        let empty = tempfile::tempdir().expect("temp dir");
        let theme = Theme::load(empty.path(), &mut Diagnostics::new()).expect("built-in theme");
        let mut plan = track_plan();
        plan.title = Some(crate::test_support::text("Cutover <plan>"));
        let project = Project {
            pages: crate::test_support::shared_pages(vec![
                plan_page("cutover", plan),
                plan_page("notes", Plan::default()),
            ]),
            ..Project::default()
        };
        let site = super::super::site_view(&project, "Ops", "../");
        let mut context = tera::Context::new();
        context.insert("site", &site);
        context.insert("page", &render(&project, &SiteStatus::default()));
        let html = theme.render("plans.html", &context).expect("plans.html");
        assert!(html.contains("<caption>2 plans: 1 track plan, 1 document</caption>"));
        assert!(html.contains(r#"<a href="../plans/cutover/index.html">Cutover &lt;plan&gt;</a>"#));
        assert!(html.contains(r#"<td data-label="Lanes">2 tracks</td>"#));
        assert!(html.contains(
            r#"<progress max="3" value="1" aria-label="Plan progress: 1 of 3 items closed">"#
        ));
        assert!(html.contains(r#"<time datetime="2026-02-05">2026-02-05</time>"#));
        assert!(html.contains("A <strong>document</strong> is a plan"));

        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: String::new(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let mut context = tera::Context::new();
        context.insert("site", &super::super::site_view(&project, "Ops", ""));
        context.insert("page", &super::super::home_view(&project, None, &ctx));
        let home = theme.render("home.html", &context).expect("home.html");
        assert!(
            home.contains("<div><dt>Tracks</dt><dd>2</dd></div>"),
            "{home}"
        );
        assert!(home.contains("<div><dt>Items</dt><dd>3</dd></div>"));
        assert!(home.contains("1 of 3 items closed"));
        assert!(!home.contains("<dt>Epics</dt>"));
        assert!(home.contains(r#"<a href="plans/index.html">All plans, with their progress</a>"#));
    }
}
