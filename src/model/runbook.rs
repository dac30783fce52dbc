//! The typed runbook: what an on-call engineer needs during an incident. Built by
//! `ingest::runbook` from bold-label metadata (`**Severity:** P0 (Critical)`), YAML front
//! matter, and the body's sections and steps. Every element keeps its source span; the
//! model holds markdown text, never HTML.

use serde::Serialize;

use super::duration::{serialize_written_duration, DayLength, Duration};
use super::plan::Text;
use super::span::Span;

/// The whole runbook.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Runbook {
    pub severity: Option<RunbookSeverity>,
    /// Mean time to recovery the runbook aims at (`**MTTR Target:** 10 minutes`).
    pub mttr: Option<Target>,
    /// Recovery time objective.
    pub rto: Option<Target>,
    /// Recovery point objective.
    pub rpo: Option<Target>,
    pub status: Option<Text>,
    pub owner: Option<Text>,
    /// `**Last Updated:** 2026-01-04`, or front matter `updated`.
    pub last_updated: Option<DateField>,
    /// When the runbook was last exercised (drill or real incident).
    pub last_tested: Option<DateField>,
    /// How often the runbook must be reviewed, in days (`**Review Frequency:** Monthly`
    /// is 30). `None` means the site default applies.
    pub review_interval: Option<Interval>,
    /// Alert names the runbook answers (for `runbook_url` checks).
    pub alerts: Vec<String>,
    /// Plan task ids the runbook relates to.
    pub related_tasks: Vec<String>,
    /// Markdown between the title and the first section, metadata lines removed.
    pub intro: Option<Text>,
    pub sections: Vec<Section>,
}

impl Runbook {
    /// Every step of every section, in document order.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.sections.iter().flat_map(|section| {
            section.parts.iter().filter_map(|part| match part {
                Part::Step(step) => Some(step),
                Part::Markdown(_) => None,
            })
        })
    }
}

/// Severity on the P0–P4 scale, with what the author wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunbookSeverity {
    /// 0 is the most severe (P0, SEV1), 4 the least (P4, SEV5).
    pub level: u8,
    /// `P0`, the normalised label.
    pub label: String,
    /// `Critical`: the author's word when given, else the scale's word.
    pub name: String,
    /// `P0 (Critical)` or `SEV1`, as written.
    pub original: String,
    pub span: Span,
}

/// A time target such as `10 minutes` or `< 1 hour`. Serialised (`dump-model`) with its
/// `minutes` beside the duration as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// As written.
    pub text: String,
    /// The target, when it reads as a duration.
    pub duration: Option<Duration>,
    pub span: Span,
}

impl Target {
    /// The target in whole minutes of wall-clock time: an outage lasts around the clock.
    pub fn minutes(&self) -> Option<u32> {
        self.duration
            .as_ref()
            .map(|d| d.whole_minutes(DayLength::CALENDAR))
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_written_duration(
            serializer,
            ("Target", "text"),
            &self.text,
            &self.duration.as_ref(),
            ("minutes", self.minutes()),
            &self.span,
        )
    }
}

/// A date as written plus its ISO form when it reads as one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateField {
    pub text: String,
    /// `YYYY-MM-DD` when the text starts with a calendar date.
    pub iso: Option<String>,
    pub span: Span,
}

/// A review interval: the words and the period they name (`Monthly` is one month).
/// Serialised (`dump-model`) with its `days` beside the duration as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    pub text: String,
    pub duration: Duration,
    pub span: Span,
}

impl Interval {
    /// The interval in whole calendar days, rounded down so a review is never due later
    /// than the words say (`half-yearly` is 182 days).
    pub fn days(&self) -> u32 {
        self.duration.days(DayLength::CALENDAR).floor() as u32
    }
}

impl Serialize for Interval {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_written_duration(
            serializer,
            ("Interval", "text"),
            &self.text,
            &Some(&self.duration),
            ("days", Some(self.days())),
            &self.span,
        )
    }
}

/// What a section is for, recognised from the words of its heading whatever emoji or
/// numbering comes before them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Detection,
    ImmediateActions,
    DiagnosisResolution,
    RecoveryProcedures,
    RecoveryVerification,
    PostIncident,
    Escalation,
    Meaning,
    Impact,
    Diagnosis,
    Mitigation,
    /// A section the runbook conventions do not name; it still renders.
    Other,
}

/// One `##` section (or the runbook's single body when it has none).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub kind: SectionKind,
    /// The heading as written (emoji included).
    pub heading: Text,
    /// The heading's words without the leading emoji or numbering.
    pub title: String,
    /// Anchor id, unique in the runbook.
    pub id: String,
    /// Text and steps in document order.
    pub parts: Vec<Part>,
}

/// A piece of a section: plain markdown, or a step to carry out.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Part {
    Markdown(Text),
    Step(Step),
}

/// Where a step came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A `### Step N: ...` heading.
    Step,
    /// A `### Scenario A: ...` heading: one of several alternative procedures.
    Scenario,
    /// An item of an ordered list.
    ListItem,
}

/// One thing to do, with its commands and where to go next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    /// `Step 1`, `Scenario A`, or the list number `3`.
    pub label: String,
    /// The words after the label (`Assess Database Status`).
    pub title: String,
    /// Anchor id, unique in the runbook (`step-1`, `scenario-a`, `mitigation-3`).
    pub id: String,
    /// The step's markdown without its heading and branch lines.
    pub body: Text,
    pub commands: Vec<CommandBlock>,
    pub branches: Vec<Branch>,
    pub span: Span,
}

/// A fenced code block inside a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandBlock {
    pub language: Option<String>,
    pub text: String,
    pub span: Span,
}

/// Success or failure of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
}

/// `**Success:** If it works → Proceed to verification`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Branch {
    pub outcome: Outcome,
    /// The text after the label, as written.
    pub text: String,
    /// The anchor id of the step or section it leads to, when it names one.
    pub target: Option<String>,
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::duration::DurationUnit;

    #[test]
    fn targets_count_days_around_the_clock() {
        let target = Target {
            text: "2 days".into(),
            duration: Some(Duration::of(2.0, DurationUnit::Days)),
            span: Span::default(),
        };
        assert_eq!(target.minutes(), Some(2880));
    }

    #[test]
    fn interval_days_round_down() {
        let half_year = Interval {
            text: "half-yearly".into(),
            duration: Duration::of(0.5, DurationUnit::Years),
            span: Span::default(),
        };
        assert_eq!(half_year.days(), 182);
        let quarter = Interval {
            text: "Quarterly".into(),
            duration: Duration::of(3.0, DurationUnit::Months),
            span: Span::default(),
        };
        assert_eq!(quarter.days(), 90);
    }
}
