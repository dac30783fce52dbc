//! The typed plan. Built by `ingest::plan`; every element keeps its source span. No
//! rendering concerns live here.
//!
//! One model for both plan families:
//! - [`Plan::lanes`] (`plan/lanes.rs`): lanes (epics, tracks, phases, waves, ...) holding
//!   work items, the dependencies between them with their sources, checklists, estimate
//!   tables and stated totals. Every structured plan has them; an epic plan has one lane
//!   per epic and one item per task.
//! - [`Plan::epics`] and the rest of this file: what the reference family says beyond
//!   that (the `bd create` lines and their comments, the `### Day N` timeline, the
//!   mermaid dependency map, the declared critical path, success metrics), which its own
//!   analyses read.

pub mod lanes;

use serde::Serialize;

pub use lanes::{
    Checklist, ChecklistRole, Dependency, DependencyEnd, DependencySource, DependencyStrength,
    EstimateRow, Lane, LaneKind, PlanEpic, PlanFamily, StatedTotal, Step, TotalKind, TrackedIssue,
    WorkItem,
};

use super::duration::{serialize_written_duration, DayLength, Duration};
use super::graph::Flowchart;
use super::span::Span;

/// A task or epic priority, `P0` (most urgent) to `P4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct Priority(pub u8);

impl Priority {
    pub fn label(self) -> String {
        format!("P{}", self.0)
    }
}

impl From<Priority> for String {
    fn from(p: Priority) -> String {
        p.label()
    }
}

/// A piece of text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub text: String,
    pub span: Span,
}

/// The whole plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    /// The first `# ` heading.
    pub title: Option<Text>,
    /// `**Created:** 2025-12-23`.
    pub created: Option<Text>,
    /// `**Based On:** SOME_AUDIT.md`.
    pub based_on: Option<Text>,
    /// What the plan says about itself (header totals and the overview's distribution).
    pub claimed: ClaimedTotals,
    /// The fenced block under the overview heading, kept verbatim (after encoding repair).
    pub overview: Option<Text>,
    pub epics: Vec<Epic>,
    pub timeline: Option<Timeline>,
    pub dependency_map: Option<DependencyMap>,
    pub critical_path: Option<CriticalPath>,
    pub metrics: Vec<MetricGroup>,
    /// `**Final Grade Target:** B+ → A (Production-ready)`.
    pub final_target: Option<LabelledText>,
    /// `bd create` lines that repeat an epic or task already defined (e.g. a cheat sheet).
    pub references: Vec<BdReference>,
    /// Other shell commands found in the plan's code blocks (`bd ready`, `bd sync`, ...),
    /// kept for analyses that check commands against the tools they name.
    pub commands: Vec<Text>,
    /// Bold-label lines outside epics that the plan uses as closing notes
    /// (`**Next Action:** ...`).
    pub notes: Vec<LabelledText>,
    /// Sections that follow none of the plan conventions (`## Beads Commands Cheat
    /// Sheet`), in plan order: shown as written, so nothing the author wrote is lost.
    pub sections: Vec<PlanSection>,
    /// Which convention the plan follows.
    pub family: PlanFamily,
    /// The plan's lanes in plan order (for an epic plan, its epics).
    pub lanes: Vec<Lane>,
    /// Edges between the plan's items and lanes, from the plan and from the tracker.
    pub dependencies: Vec<Dependency>,
    /// Checklists that belong to no lane or item (success metrics, follow-ups, status).
    pub checklists: Vec<Checklist>,
    /// Rows of the plan's estimate tables.
    pub estimates: Vec<EstimateRow>,
    /// Totals the plan states (sequential, parallel, critical path).
    pub stated_totals: Vec<StatedTotal>,
    /// The tracker issue the plan belongs to.
    pub epic: Option<PlanEpic>,
    /// True when the site has a tracker and the plan's work items were joined to it: an
    /// item with an id but no issue is then one the tracker lacks.
    pub tracker_joined: bool,
}

/// A section of the plan kept as written: its heading and the markdown under it, up to
/// the next section heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSection {
    pub title: Text,
    /// The markdown under the heading, without trailing blank lines and rules.
    pub body: Text,
}

/// A bold label and its value, e.g. `**Next Action:** Run the commands`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelledText {
    pub label: String,
    pub text: String,
    pub span: Span,
}

/// Totals the plan claims for itself; compared with what is counted in the next stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClaimedTotals {
    /// `**Total Epics:** 6`.
    pub epics: Option<Claim>,
    /// `**Total Tasks:** 24`.
    pub tasks: Option<Claim>,
    /// `- P0 (Critical): 11 tasks (46%)`, one per priority.
    pub priorities: Vec<PriorityClaim>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    pub value: u32,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorityClaim {
    pub priority: Priority,
    /// The word after the priority, e.g. `Critical`.
    pub label: String,
    pub tasks: u32,
    pub percent: Option<u32>,
    pub span: Span,
}

/// `## Epic N: Title` with its facts, tasks and success criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Epic {
    pub number: u32,
    /// The heading title without the number and without trailing emoji.
    pub title: String,
    /// Emoji or symbols that trail the heading (`🔴`), kept for display.
    pub marker: Option<String>,
    pub priority: Option<PriorityField>,
    pub duration: Option<DurationField>,
    pub impact: Option<Text>,
    /// The `bd create "Epic: ..." --type epic` line, when there is one.
    pub creation: Option<BdCreate>,
    pub tasks: Vec<Task>,
    pub success_criteria: Vec<Criterion>,
    /// The heading line.
    pub span: Span,
}

/// `**Priority:** P0 CRITICAL (resource saving)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorityField {
    pub level: Priority,
    /// The whole value as written.
    pub raw: String,
    pub span: Span,
}

/// `**Duration:** 2 days`: the value as written and its reading (in working time).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationField {
    pub raw: String,
    pub duration: Duration,
    pub span: Span,
}

/// A parsed `bd create "Title" --type task --priority 0` command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BdCreate {
    pub title: String,
    /// `--type` / `-t`; `task` when absent.
    pub issue_type: String,
    /// `--priority` / `-p`.
    pub priority: Option<Priority>,
    pub span: Span,
}

/// A `bd create` line that repeats an epic or a task defined earlier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BdReference {
    pub command: BdCreate,
    /// The id of the task (`1.1`) or epic (`epic-1`) it repeats.
    pub refers_to: String,
}

/// One task: a `bd create` line and the comment lines that follow it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    /// `1.1`: from the `# Task 1.1:` comment, else the epic number and position.
    pub id: String,
    pub epic: u32,
    /// The short name in the `# Task 1.1: Close public port` comment.
    pub label: Option<String>,
    pub creation: BdCreate,
    pub eta: Option<Eta>,
    pub impact: Option<Text>,
    /// `# Name: value` lines other than ETA and Impact (e.g. `Resources: 256MB RAM`,
    /// `Command: rm x`).
    pub fields: Vec<NamedValue>,
    /// `# Steps:` / `# Config:` / ... headers followed by indented items.
    pub lists: Vec<NamedList>,
    /// Comment lines that are neither fields nor list items.
    pub notes: Vec<Text>,
    pub span: Span,
}

/// `# ETA: 30 minutes setup, then automated`: the raw text and the duration read from it.
/// Serialised (`dump-model`) with `minutes` at the default 8-hour working day beside the
/// duration as written; the analyses use the configured day.
#[derive(Debug, Clone, PartialEq)]
pub struct Eta {
    pub raw: String,
    /// `None` when the text does not start with a duration.
    pub duration: Option<Duration>,
    pub span: Span,
}

impl Eta {
    /// The ETA in whole minutes of working days as long as `day` says.
    pub fn minutes(&self, day: DayLength) -> Option<u32> {
        self.duration.as_ref().map(|d| d.whole_minutes(day))
    }
}

impl Serialize for Eta {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_written_duration(
            serializer,
            ("Eta", "raw"),
            &self.raw,
            &self.duration.as_ref(),
            ("minutes", self.minutes(DayLength::STANDARD_WORKDAY)),
            &self.span,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedValue {
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// `# Steps:` followed by `#   1. ...` items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedList {
    pub name: String,
    pub ordered: bool,
    pub items: Vec<Text>,
    pub span: Span,
}

/// A success criterion or a success-metric target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub text: String,
    /// `- [x]` is done; `✅` bullets and `- [ ]` are targets that are not yet known done.
    pub checked: bool,
    pub marker: CriterionMarker,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionMarker {
    /// `- ✅ text`: the author's target list.
    CheckEmoji,
    /// `- [ ] text` / `- [x] text`.
    TaskBox,
    /// A plain `- text` bullet inside a criteria list.
    Bullet,
}

/// `## Execution Timeline (7 Days)` and its days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub title: String,
    pub days: Vec<TimelineDay>,
    pub span: Span,
}

/// `### Day 1: Security & Critical (P0)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineDay {
    pub number: u32,
    pub title: String,
    pub priority: Option<Priority>,
    pub slots: Vec<TimelineSlot>,
    pub span: Span,
}

/// `Morning:` / `Afternoon:` with their items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineSlot {
    pub name: String,
    pub items: Vec<Text>,
    pub span: Span,
}

/// The mermaid block under the dependency map heading, drawn by the graph stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DependencyMap {
    pub title: String,
    /// The mermaid source, verbatim.
    pub source: String,
    /// Span of the source inside the file (the first line after the opening fence).
    pub span: Span,
    /// The flowchart read from `source` (by `ingest::mermaid`); `None` when the source
    /// has a syntax error (reported as a diagnostic) or has not been read.
    pub graph: Option<Flowchart>,
}

/// `**Critical Path:**` and its numbered items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriticalPath {
    pub items: Vec<Text>,
    /// The epic numbers of the first item that names a chain (`Epic 1 → Epic 2 → ...`).
    pub epics: Vec<u32>,
    pub span: Span,
}

/// `**Week 1 Targets:**` and its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricGroup {
    pub title: String,
    pub week: Option<u32>,
    pub items: Vec<Criterion>,
    pub span: Span,
}

impl Plan {
    /// True when the text followed at least one plan convention (an epic, a task, a
    /// timeline day); otherwise the page is rendered as a plain document.
    pub fn is_structured(&self) -> bool {
        !self.epics.is_empty()
            || self.timeline.as_ref().is_some_and(|t| !t.days.is_empty())
            || !self.lanes.is_empty()
    }

    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.epics.iter().flat_map(|e| e.tasks.iter())
    }
}
