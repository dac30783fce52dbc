//! Live status from an issue tracker (beads): the tracker's issues as opsbook needs them,
//! and the result of matching plan tasks and epics to those issues. The issues are built
//! by `ingest::beads`; the matches by `analysis::status_match`. No rendering here.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Serialize, Serializer};

/// The status of a tracker issue. Values this version does not know (trackers grow new
/// ones) are kept as they are written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueStatus {
    Open,
    InProgress,
    Blocked,
    Closed,
    /// Deleted in the tracker; such issues never count and are dropped on reading.
    Tombstone,
    Other(String),
}

impl IssueStatus {
    /// Reads the tracker's word (`in_progress`); unknown words become `Other`.
    pub fn parse(word: &str) -> Self {
        match word {
            "open" => IssueStatus::Open,
            "in_progress" => IssueStatus::InProgress,
            "blocked" => IssueStatus::Blocked,
            "closed" => IssueStatus::Closed,
            "tombstone" => IssueStatus::Tombstone,
            other => IssueStatus::Other(other.to_string()),
        }
    }

    /// The tracker's word for the status.
    pub fn as_str(&self) -> &str {
        match self {
            IssueStatus::Open => "open",
            IssueStatus::InProgress => "in_progress",
            IssueStatus::Blocked => "blocked",
            IssueStatus::Closed => "closed",
            IssueStatus::Tombstone => "tombstone",
            IssueStatus::Other(word) => word,
        }
    }

    pub fn is_closed(&self) -> bool {
        *self == IssueStatus::Closed
    }
}

impl Serialize for IssueStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The kind of a dependency between two issues (`blocks`, `parent-child`,
/// `discovered-from`, `related`, ...), kept as the tracker writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DependencyKind(pub String);

/// `issue_id` depends on `depends_on`, in the way `kind` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueDependency {
    pub depends_on: String,
    pub kind: DependencyKind,
}

/// One tracker issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackerIssue {
    pub id: String,
    pub title: String,
    pub status: IssueStatus,
    /// 0 (most urgent) to 4. beads leaves out a priority of 0 when writing, so a missing
    /// priority reads as 0.
    pub priority: u8,
    /// `task`, `epic`, `bug`, `feature`, ... as written; `task` when absent.
    pub issue_type: String,
    pub estimated_minutes: Option<u32>,
    pub dependencies: Vec<IssueDependency>,
    pub labels: Vec<String>,
    pub closed_at: Option<String>,
    pub updated_at: Option<String>,
    /// Why the issue was closed, as written when it was (`bd close --reason`).
    pub close_reason: Option<String>,
    /// 1-based line of the issue in the tracker file.
    pub line: u32,
}

impl TrackerIssue {
    pub fn is_epic(&self) -> bool {
        self.issue_type == "epic"
    }
}

/// The tracker's live issues (tombstones already dropped), sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tracker {
    /// The tracker file, relative to the site root when inside it.
    pub path: PathBuf,
    pub issues: Vec<TrackerIssue>,
    /// How many tombstoned issues were read and dropped.
    pub tombstones: usize,
}

impl Tracker {
    pub fn issue(&self, id: &str) -> Option<&TrackerIssue> {
        self.issues
            .binary_search_by(|issue| issue.id.as_str().cmp(id))
            .ok()
            .map(|index| &self.issues[index])
    }
}

/// How a plan item was tied to an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The plan's front matter `beads:` map names the issue.
    Pinned,
    /// The normalised titles are similar enough.
    Title,
}

/// A plan task or epic tied to a tracker issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueMatch {
    pub issue_id: String,
    pub issue_title: String,
    pub status: IssueStatus,
    pub kind: MatchKind,
    /// Title similarity, 0.0 to 1.0 (1.0 for a pinned match).
    pub score: f64,
}

/// The best issue for an item whose similarity stayed below the threshold, shown by
/// `--explain` so a right-but-missed match can be pinned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearMiss {
    pub issue_id: String,
    pub issue_title: String,
    pub score: f64,
}

/// The match result for one plan item (`1.1` or `epic-1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStatus {
    /// The plan's key: a task id (`1.1`) or `epic-N`.
    pub key: String,
    pub title: String,
    pub matched: Option<IssueMatch>,
    pub near_miss: Option<NearMiss>,
}

/// A success criterion ticked by the plan's `done:` front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum CriterionRef {
    /// Epic at this position in `plan.epics`, criterion at this position in it.
    Epic(usize, usize),
    /// Success-metric group at this position, item at this position in it.
    Metric(usize, usize),
}

/// Everything the status stage found for one plan page.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanStatus {
    /// True when a tracker was loaded: progress is shown only then.
    pub has_tracker: bool,
    /// One entry per task, in plan order.
    pub tasks: Vec<ItemStatus>,
    /// One entry per epic, in plan order.
    pub epics: Vec<ItemStatus>,
    /// Criteria ticked by `done:`.
    pub ticked: Vec<CriterionRef>,
}

impl PlanStatus {
    /// The task with `key` (a walk through all tasks: the plan page indexes them by key).
    #[cfg(test)]
    pub fn task(&self, key: &str) -> Option<&ItemStatus> {
        self.tasks.iter().find(|item| item.key == key)
    }

    pub fn epic(&self, number: u32) -> Option<&ItemStatus> {
        let key = epic_key(number);
        self.epics.iter().find(|item| item.key == key)
    }
}

/// The plan key of an epic, as used in `beads:` maps and exports: `epic-1`.
pub fn epic_key(number: u32) -> String {
    format!("epic-{number}")
}

/// The status of every plan page, by the page's source path.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteStatus {
    pub plans: BTreeMap<PathBuf, PlanStatus>,
}

impl SiteStatus {
    pub fn plan(&self, source: &std::path::Path) -> Option<&PlanStatus> {
        self.plans.get(source)
    }
}
