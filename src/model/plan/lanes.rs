//! Lanes and work items: the one shape every structured plan has, whichever convention
//! its author followed. Built by `ingest::plan` (the track, phase and wave conventions are
//! read by `ingest::plan::tracks` and its siblings; an epic plan gets one lane per epic)
//! and joined to the tracker by `ingest::plan::tracker_join`. No rendering here.
//!
//! What each type is for:
//! - [`PlanFamily`]: which convention made the plan (epics, lanes, or none: a document).
//! - [`Lane`]: a column of work that runs beside the others (an epic, track, phase, wave,
//!   stage, ...) with its owner, subject, file scope, stated duration and its items in
//!   the order the author gave.
//! - [`WorkItem`]: one piece of work in a lane, named by a tracker id (`web-xlwx`) or
//!   planned without one yet (a bold title with an estimate); its steps, checklists,
//!   labels, embedded sub-items and, after the join, its tracker issue.
//! - [`TrackedIssue`]: what the tracker says about an item (status, priority, type,
//!   estimate, closed date and reason).
//! - [`Dependency`]: one edge between items or lanes, hard or soft, with the source it
//!   came from (plan text, a plan table, the tracker's `blocks` or `parent-child`).
//! - [`Checklist`]: `- [ ]` / `- [x]` / `✅` lines under a heading or bold label, with
//!   the role its title gives it (success criteria, follow-ups, status, ...).
//! - [`EstimateRow`]: a row of an estimate table (`| Track | Duration | Dependencies |`).
//! - [`StatedTotal`]: a total the plan states for itself (`Total (Sequential): 10 hours`,
//!   `Critical Path: ... = 6.5 hours`), compared with what is computed.
//! - [`PlanEpic`]: the tracker issue the whole plan belongs to (`Epic: web-fz9m`).

use serde::Serialize;

use super::{Criterion, CriterionMarker, DurationField, NamedValue, Plan, Priority, Text};
use crate::model::span::Span;
use crate::model::status::IssueStatus;

/// Which plan convention a plan follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanFamily {
    /// No convention found: the plan renders as a document (OPS201).
    #[default]
    Document,
    /// The reference plan's `## Epic N:` sections with `bd create` lines and `### Day N`
    /// timeline. Its lanes are its epics.
    Epics,
    /// Parallel tracks, phases, waves or stages of work items.
    Lanes,
}

impl PlanFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanFamily::Document => "document",
            PlanFamily::Epics => "epics",
            PlanFamily::Lanes => "lanes",
        }
    }
}

/// The word a lane's heading uses for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LaneKind {
    Epic,
    Track,
    Phase,
    Wave,
    Stage,
    Stream,
    Sprint,
    Milestone,
}

impl LaneKind {
    /// `Track`, as a lane is named on a page (`Track 1`).
    pub fn word(self) -> &'static str {
        match self {
            LaneKind::Epic => "Epic",
            LaneKind::Track => "Track",
            LaneKind::Phase => "Phase",
            LaneKind::Wave => "Wave",
            LaneKind::Stage => "Stage",
            LaneKind::Stream => "Stream",
            LaneKind::Sprint => "Sprint",
            LaneKind::Milestone => "Milestone",
        }
    }

    /// `track`, for keys and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            LaneKind::Epic => "epic",
            LaneKind::Track => "track",
            LaneKind::Phase => "phase",
            LaneKind::Wave => "wave",
            LaneKind::Stage => "stage",
            LaneKind::Stream => "stream",
            LaneKind::Sprint => "sprint",
            LaneKind::Milestone => "milestone",
        }
    }
}

/// Finding lanes and items by key.
impl Plan {
    /// Every work item of every lane, sub-items included, in plan order.
    pub fn work_items(&self) -> impl Iterator<Item = &WorkItem> {
        self.lanes.iter().flat_map(Lane::all_items)
    }

    /// The item with `key` (`WorkItem::key`).
    pub fn work_item(&self, key: &str) -> Option<&WorkItem> {
        self.work_items().find(|item| item.key == key)
    }

    pub fn lane(&self, key: &str) -> Option<&Lane> {
        self.lanes.iter().find(|lane| lane.key == key)
    }

    /// The lane that holds the item with `key`.
    pub fn lane_of_item(&self, key: &str) -> Option<&Lane> {
        self.lanes
            .iter()
            .find(|lane| lane.all_items().any(|item| item.key == key))
    }

    /// The lane an end of a dependency belongs to: the lane itself, or the item's lane.
    pub fn lane_of(&self, end: &DependencyEnd) -> Option<&Lane> {
        match end {
            DependencyEnd::Lane(key) => self.lane(key),
            DependencyEnd::Item(key) => self.lane_of_item(key),
            DependencyEnd::Missing(_) => None,
        }
    }
}

/// A lane: work that runs beside the plan's other lanes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lane {
    /// Unique in the plan: the kind and number (`track-1`, `epic-3`), or the kind and the
    /// lane's position when it has no number.
    pub key: String,
    pub kind: LaneKind,
    /// The number in the heading (`Track 0`, `PHASE 2`).
    pub number: Option<u32>,
    /// `Track 1`: the kind word and number as shown.
    pub label: String,
    /// The subject: the heading without the kind, number and owner
    /// (`CLI Infrastructure`).
    pub title: String,
    /// The agent or team that works the lane (`GraniteWolf`), from the heading, a label
    /// or an overview table.
    pub owner: Option<Text>,
    /// `**File scope:**` values and file-scope cells, one entry per path or pattern.
    pub file_scope: Vec<Text>,
    /// `**Purpose:**`.
    pub purpose: Option<Text>,
    /// The duration the lane's own section or overview row states (`**Duration:** 3-4
    /// hours`, `Est. Time`).
    pub duration: Option<DurationField>,
    pub items: Vec<WorkItem>,
    /// Checklists about the lane as a whole (`### Track 1 Complete:` under Success
    /// Criteria).
    pub checklists: Vec<Checklist>,
    /// Bold labels of the lane's section no convention reads, kept for display.
    pub fields: Vec<NamedValue>,
    /// Markdown of the lane's sections that no convention turned into data, as written.
    pub details: Vec<Text>,
    /// The first heading (or overview table row) that names the lane.
    pub span: Span,
}

impl Lane {
    /// The lane's items and their embedded sub-items, in order.
    pub fn all_items(&self) -> impl Iterator<Item = &WorkItem> {
        self.items.iter().flat_map(WorkItem::with_sub_items)
    }
}

/// One piece of work in a lane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkItem {
    /// Unique in the plan: the tracker id in lower case (`web-xlwx`), the plan's own id
    /// of a `bd create` task (`1.1`), or for planned work its lane key and position
    /// (`track-1/planned-2`).
    pub key: String,
    /// The tracker id as written (`WEB-P0A`); `None` for planned work without an id yet.
    pub tracker_id: Option<String>,
    pub title: String,
    pub owner: Option<Text>,
    /// `(3 hours)`, `**Time:** 30 minutes`, `Time-box: 15 min`.
    pub estimate: Option<DurationField>,
    pub priority: Option<Priority>,
    /// `**Type:** Spike (Time-box: 15 min)`.
    pub item_type: Option<Text>,
    /// Other bold labels on the item (`**Output:**`, `**File:**`).
    pub fields: Vec<NamedValue>,
    /// Nested list lines under the item, in order.
    pub steps: Vec<Step>,
    pub checklists: Vec<Checklist>,
    /// Work items embedded in this one (`#### A. WEB-P0A:` under `### 2. web-mdlo:`).
    pub sub_items: Vec<WorkItem>,
    /// Markdown under the item no convention turned into data (code blocks, notes), as
    /// written.
    pub details: Vec<Text>,
    /// The heading or list line that names the item.
    pub span: Span,
    /// The tracker's issue for `tracker_id`, when the site has a tracker that knows it.
    /// (An epic plan's tasks have no id; `analysis::status_match` finds their issues by
    /// title.)
    pub tracker: Option<TrackedIssue>,
}

impl WorkItem {
    /// An item known so far by its key, tracker id, title and place; every reader starts
    /// from this and fills in what its convention says.
    pub fn named(key: String, tracker_id: Option<String>, title: String, span: Span) -> WorkItem {
        WorkItem {
            key,
            tracker_id,
            title,
            owner: None,
            estimate: None,
            priority: None,
            item_type: None,
            fields: Vec::new(),
            steps: Vec::new(),
            checklists: Vec::new(),
            sub_items: Vec::new(),
            details: Vec::new(),
            span,
            tracker: None,
        }
    }

    /// This item followed by its sub-items (depth first).
    pub fn with_sub_items(&self) -> Box<dyn Iterator<Item = &WorkItem> + '_> {
        Box::new(std::iter::once(self).chain(self.sub_items.iter().flat_map(Self::with_sub_items)))
    }

    /// Planned work: no tracker id yet.
    pub fn is_planned(&self) -> bool {
        self.tracker_id.is_none()
    }

    /// The tracker's status, when the item was found there.
    pub fn status(&self) -> Option<&IssueStatus> {
        self.tracker.as_ref().map(|issue| &issue.status)
    }

    /// True when the tracker has the item closed.
    pub fn is_closed(&self) -> bool {
        self.status().is_some_and(IssueStatus::is_closed)
    }

    /// True when the tracker has the item and it is not closed.
    pub fn is_open(&self) -> bool {
        self.status().is_some_and(|status| !status.is_closed())
    }
}

/// A line of an item's nested list (`- Create package.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 0 for the item's own list, 1 for a list nested in a step, ...
    pub depth: usize,
    pub text: Text,
}

/// What the tracker says about a work item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackedIssue {
    /// The id as the tracker spells it.
    pub id: String,
    pub title: String,
    pub status: IssueStatus,
    pub priority: Priority,
    /// `task`, `epic`, `bug`, ... as the tracker writes it.
    pub issue_type: String,
    pub estimated_minutes: Option<u32>,
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
    pub updated_at: Option<String>,
}

/// The tracker issue the whole plan belongs to: `Epic: web-fz9m`, `**Epic:** WEB-3GAT`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanEpic {
    /// The id as written.
    pub id: Text,
    pub tracker: Option<TrackedIssue>,
}

/// One end of a dependency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "key", rename_all = "lowercase")]
pub enum DependencyEnd {
    /// A work item, by `WorkItem::key`.
    Item(String),
    /// A lane, by `Lane::key`.
    Lane(String),
    /// An id or lane the plan names but does not have, as written (`Track 7`,
    /// `web-zzzz`).
    Missing(String),
}

/// Must the later work wait, or does it only benefit from the earlier?
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DependencyStrength {
    Hard,
    /// `(soft dependency)`, `Data feed`, a dotted arrow, `may need`.
    Soft,
}

/// Where an edge was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencySource {
    /// A `**Dependencies:**` label or cross-track prose (`needs web-l5g9 from Track 2`).
    PlanText,
    /// A cell of an overview or estimate table.
    PlanTable,
    /// The tracker's `blocks` dependency between two items of the plan.
    TrackerBlocks,
    /// The tracker's `parent-child` dependency between two items of the plan.
    TrackerParentChild,
}

impl DependencySource {
    /// How the page names the source.
    pub fn describe(self) -> &'static str {
        match self {
            DependencySource::PlanText => "plan text",
            DependencySource::PlanTable => "plan table",
            DependencySource::TrackerBlocks => "tracker (blocks)",
            DependencySource::TrackerParentChild => "tracker (parent-child)",
        }
    }
}

/// `to` waits for `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    pub from: DependencyEnd,
    pub to: DependencyEnd,
    pub strength: DependencyStrength,
    pub source: DependencySource,
    /// Where the plan states it; the tracker's edges have no place in the plan.
    pub span: Option<Span>,
}

/// What a checklist is for, from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistRole {
    /// Success criteria, acceptance, quality gates, validation, `Track N Complete`.
    Criteria,
    /// Work left after the plan: post-deployment tasks, next steps, follow-ups.
    FollowUp,
    /// Success metrics and targets.
    Metrics,
    /// The plan's own status list (`## Status`: `- [x] Discovery complete`).
    Status,
    /// Any other titled list of task boxes.
    Other,
}

/// A list of task boxes or `✅` targets under a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// The heading or label above the list (`Success Criteria`, `Immediate (Same
    /// Session)`).
    pub title: String,
    pub role: ChecklistRole,
    pub items: Vec<Criterion>,
    /// The title's line.
    pub span: Span,
}

impl Checklist {
    /// Ticked task boxes (`- [x]`).
    pub fn ticked(&self) -> usize {
        self.boxes().filter(|c| c.checked).count()
    }

    /// Task boxes (`- [ ]` and `- [x]`): what can be ticked.
    pub fn box_count(&self) -> usize {
        self.boxes().count()
    }

    /// Unticked task boxes.
    pub fn open(&self) -> usize {
        self.box_count() - self.ticked()
    }

    /// `✅` lines and plain bullets: targets stated as met or wanted, not boxes.
    pub fn targets(&self) -> usize {
        self.items.len() - self.box_count()
    }

    fn boxes(&self) -> impl Iterator<Item = &Criterion> {
        self.items
            .iter()
            .filter(|c| c.marker == CriterionMarker::TaskBox)
    }
}

/// One row of an estimate table: what it names, the time it gives, and its
/// dependencies and parallelism cells as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstimateRow {
    /// The first cell (`Track 1 (Infrastructure)`, `Spikes (web-b51s, web-wbpj)`).
    pub name: Text,
    /// The lane the row names, by key.
    pub lane: Option<String>,
    pub duration: DurationField,
    /// `Track 1 (bd-front-1)`, `None`.
    pub dependencies: Option<Text>,
    /// `Yes (after T0)`, `No (sequential)`.
    pub parallel: Option<Text>,
}

/// Which total a plan states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalKind {
    /// All the work one after another: `Total (Sequential): 10 hours`.
    Sequential,
    /// With lanes in parallel: `Total (Parallel): 5-6 hours`.
    Parallel,
    /// The declared longest chain: `Critical Path: A → B → C = 6.5 hours`.
    CriticalPath,
}

/// A total the plan states for itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatedTotal {
    pub kind: TotalKind,
    /// The label as written (`Total (Sequential)`).
    pub label: String,
    pub value: DurationField,
    /// For a critical path, its steps as written (`Spikes (45min)`, `Track 0 (45min)`).
    pub chain: Vec<Text>,
    pub span: Span,
}
