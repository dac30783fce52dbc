//! Analysis stage: the immutable model in, findings about each plan out. Every analysis
//! is a pure function over a `Plan` (and the flowchart of its dependency map, when it was
//! read) that returns `Finding`s: a `Diagnostic` with a stable `OPS32x` code and the span
//! it concerns, plus the `Subject` it is about so the plan page can link to it. Nothing
//! here writes back into the model; a plan that contradicts itself still builds, so every
//! finding is a warning or a note.
//!
//! `analyse_project` runs every analysis on every plan page; the pipeline adds the
//! diagnostics to the build's and hands the results to the render stage (Health panel,
//! timeline SVGs). `publish_safety` scans what would be published for secrets; `audits`
//! links findings to the plan tasks that remediate them and diffs audits; `status_match`
//! matches plan tasks to the tracker's issues.

pub mod alert_links;
pub mod artifacts;
pub mod audits;
pub mod claims;
pub mod commands;
pub mod critical_path;
pub mod cycles;
pub mod effort;
pub mod epic_graph;
pub mod lanes;
pub mod priorities;
pub mod publish_safety;
pub mod schedule;
pub mod status_match;
pub mod timeline_match;
pub mod title_similarity;
pub mod vex;
mod words;

#[cfg(test)]
pub(crate) mod test_plans;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::model::duration::DayLength;
use crate::model::{Page, Plan, Project, Span};

pub use critical_path::ComputedSchedule;
pub use epic_graph::EpicGraph;
pub use lanes::LaneSchedule;
pub use timeline_match::TimelineMatches;

/// Settings of the analyses.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisOptions {
    /// Working hours in a day, to compare `4 hours` with `2 days` (default 8).
    pub hours_per_day: f64,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            hours_per_day: DayLength::STANDARD_WORKDAY.hours_per_day(),
        }
    }
}

impl AnalysisOptions {
    /// The working day plan durations and ETAs are converted with.
    pub fn working_day(&self) -> DayLength {
        DayLength::working(self.hours_per_day)
    }
}

/// What a finding is about, so the page can link to the section that shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// The totals stated in the plan's header.
    StatedTotals,
    /// The priority distribution stated in the overview.
    StatedPriorities,
    Epic(u32),
    /// A task, by id (`1.4`).
    Task(String),
    /// A day of the author's timeline, by number.
    TimelineDay(u32),
    DependencyMap,
    CriticalPath,
    /// A command in one of the plan's code blocks.
    Command,
    /// A lane plan's lanes as a whole (its epic, totals, critical path).
    Lanes,
    /// A lane, by key (`track-1`).
    Lane(String),
    /// A work item, by key (`web-xlwx`).
    WorkItem(String),
}

/// One finding: the diagnostic and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub subject: Subject,
}

impl Finding {
    pub(crate) fn new(
        code: &'static str,
        severity: Severity,
        message: String,
        span: Span,
        subject: Subject,
    ) -> Self {
        let mut diagnostic = Diagnostic::new(code, severity, message);
        diagnostic.span = Some(span);
        Finding {
            diagnostic,
            subject,
        }
    }

    pub(crate) fn warning(
        code: &'static str,
        message: String,
        span: Span,
        subject: Subject,
    ) -> Self {
        Self::new(code, Severity::Warning, message, span, subject)
    }

    pub(crate) fn note(code: &'static str, message: String, span: Span, subject: Subject) -> Self {
        Self::new(code, Severity::Note, message, span, subject)
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.diagnostic.help = Some(help.into());
        self
    }
}

/// Everything the analyses found about one plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanAnalysis {
    /// Every finding, sorted by source position then code.
    pub findings: Vec<Finding>,
    /// Each timeline item and the task it was matched to.
    pub timeline: TimelineMatches,
    /// Epics placed by their dependencies and durations; `None` without a readable
    /// dependency map or when its hard edges form a cycle.
    pub schedule: Option<ComputedSchedule>,
    /// A lane plan's lanes placed by their times and hard dependencies; `None` for other
    /// plans or when the lanes' hard dependencies form a cycle.
    pub lane_schedule: Option<LaneSchedule>,
}

/// The analyses of every plan page, by the page's source path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectAnalysis {
    pub plans: BTreeMap<PathBuf, PlanAnalysis>,
}

impl ProjectAnalysis {
    /// Adds every finding as a diagnostic, in page order.
    pub fn report(&self, diagnostics: &mut Diagnostics) {
        let findings = self.plans.values().flat_map(|plan| &plan.findings);
        diagnostics.extend(findings.map(|f| f.diagnostic.clone()));
    }
}

/// Runs every analysis on every structured plan of the project.
pub fn analyse_project(project: &Project, options: &AnalysisOptions) -> ProjectAnalysis {
    let plans = project
        .plans()
        .filter(|(_, plan)| plan.is_structured())
        .map(|(page, plan)| (page.source.clone(), analyse_plan(page, plan, options)))
        .collect();
    ProjectAnalysis { plans }
}

/// Runs every analysis on one plan; the findings name `page.source` as their file.
pub fn analyse_plan(page: &Page, plan: &Plan, options: &AnalysisOptions) -> PlanAnalysis {
    let flowchart = plan.dependency_map.as_ref().and_then(|m| m.graph.as_ref());
    let graph = flowchart.map(EpicGraph::from_flowchart);
    let timeline = timeline_match::match_timeline(plan);
    let schedule = graph
        .as_ref()
        .and_then(|g| critical_path::compute_schedule(plan, g, options));

    let mut findings = Vec::new();
    findings.extend(claims::check_claims(plan));
    findings.extend(effort::check_effort(plan, options));
    if let (Some(chart), Some(graph)) = (flowchart, &graph) {
        findings.extend(cycles::find_cycles(chart));
        findings.extend(epic_graph::check_epics_exist(plan, graph));
        findings.extend(critical_path::check_critical_path(
            plan,
            graph,
            schedule.as_ref(),
            options,
        ));
    }
    findings.extend(timeline.findings(plan));
    if let Some(graph) = &graph {
        findings.extend(schedule::check_schedule(plan, graph, &timeline));
    }
    findings.extend(priorities::check_priorities(plan, &timeline));
    findings.extend(commands::check_commands(plan));
    let (lane_findings, lane_schedule) = lanes::check_lanes(plan, options);
    findings.extend(lane_findings);

    for finding in &mut findings {
        finding.diagnostic.path = Some(page.source.clone());
    }
    findings.sort_by(|a, b| {
        let key = |f: &Finding| (f.diagnostic.span.map(|s| s.start), f.diagnostic.code);
        key(a).cmp(&key(b))
    });
    PlanAnalysis {
        findings,
        timeline,
        schedule,
        lane_schedule,
    }
}

/// `4.5`, `5`, `0.38`: a number of days without trailing zeros.
pub fn format_days(days: f64) -> String {
    let text = format!("{days:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

/// `5 h 30 min`, `45 min`, `2 h`.
pub(crate) fn format_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, rest) => format!("{rest} min"),
        (hours, 0) => format!("{hours} h"),
        (hours, rest) => format!("{hours} h {rest} min"),
    }
}

/// `Epic 1 → Epic 2 → Epic 4`.
pub fn format_epic_chain(epics: &[u32]) -> String {
    epics
        .iter()
        .map(|n| format!("Epic {n}"))
        .collect::<Vec<_>>()
        .join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_formatted_without_trailing_zeros() {
        assert_eq!(format_days(5.0), "5");
        assert_eq!(format_days(4.5), "4.5");
        assert_eq!(format_days(0.25), "0.25");
    }
}
