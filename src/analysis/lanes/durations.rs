//! Lane health, durations: what a plan states about time against what its parts add up
//! to. A lane's stated duration against the plan's estimate table (`OPS342`); its items'
//! estimates against its stated duration (`OPS343`); the stated sequential and parallel
//! totals against the sum of the lanes and the longest chain of lanes (`OPS344`); a
//! declared critical path against the computed one (`OPS345`).
//!
//! Durations are ranges (`3-4 hours`, `5-6 hours`); a stated figure and a computed one
//! agree when their ranges overlap, so `5-6 hours` agrees with a computed 6 hours.

use super::graph::LaneSchedule;
use super::tracker_state::item_name;
use crate::analysis::{format_minutes, Finding, Subject};
use crate::diagnostics::codes;
use crate::model::duration::{DayLength, Duration};
use crate::model::plan::{DurationField, Lane, Plan, TotalKind, WorkItem};

/// A duration in whole minutes, from its lower to its upper end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct MinuteRange {
    pub low: u32,
    pub high: u32,
}

impl MinuteRange {
    pub fn of(duration: &Duration, day: DayLength) -> Self {
        let low: f64 = duration
            .parts
            .iter()
            .map(|part| part.low * day.unit_minutes(part.unit))
            .sum();
        MinuteRange {
            low: low.round() as u32,
            high: duration.whole_minutes(day),
        }
    }

    pub fn overlaps(self, other: MinuteRange) -> bool {
        self.low <= other.high && other.low <= self.high
    }

    pub fn add(self, other: MinuteRange) -> MinuteRange {
        MinuteRange {
            low: self.low.saturating_add(other.low),
            high: self.high.saturating_add(other.high),
        }
    }

    /// `3 h`, or `3 h – 4 h` for a range.
    pub fn describe(self) -> String {
        if self.low == self.high {
            format_minutes(self.high)
        } else {
            format!(
                "{} – {}",
                format_minutes(self.low),
                format_minutes(self.high)
            )
        }
    }
}

/// The time a lane takes, for totals and the critical path: the estimate table's row
/// for it, else what its own section or overview row states, else its items' estimates
/// when every item has one.
pub fn lane_minutes(plan: &Plan, lane: &Lane, day: DayLength) -> Option<MinuteRange> {
    let table = plan
        .estimates
        .iter()
        .find(|row| row.lane.as_deref() == Some(lane.key.as_str()))
        .map(|row| MinuteRange::of(&row.duration.duration, day));
    table
        .or_else(|| {
            lane.duration
                .as_ref()
                .map(|d| MinuteRange::of(&d.duration, day))
        })
        .or_else(|| {
            items_minutes(lane, day)
                .filter(|(_, missing)| *missing == 0)
                .map(|(m, _)| m)
        })
}

/// The sum of the lane's item estimates (the plan's, else the tracker's), and how many
/// items have none.
fn items_minutes(lane: &Lane, day: DayLength) -> Option<(MinuteRange, usize)> {
    if lane.items.is_empty() {
        return None;
    }
    let mut total = MinuteRange::default();
    let mut missing = 0;
    for item in &lane.items {
        match item_minutes(item, day) {
            Some(minutes) => total = total.add(minutes),
            None => missing += 1,
        }
    }
    Some((total, missing))
}

fn item_minutes(item: &WorkItem, day: DayLength) -> Option<MinuteRange> {
    item.estimate
        .as_ref()
        .map(|estimate| MinuteRange::of(&estimate.duration, day))
        .or_else(|| {
            let minutes = item.tracker.as_ref()?.estimated_minutes?;
            Some(MinuteRange {
                low: minutes,
                high: minutes,
            })
        })
}

/// `OPS342` and `OPS343` for every lane.
pub fn check_lane_durations(plan: &Plan, day: DayLength) -> Vec<Finding> {
    let mut findings = Vec::new();
    for lane in &plan.lanes {
        let Some(stated) = &lane.duration else {
            continue;
        };
        let stated_minutes = MinuteRange::of(&stated.duration, day);
        for row in plan
            .estimates
            .iter()
            .filter(|row| row.lane.as_deref() == Some(lane.key.as_str()))
        {
            let table = MinuteRange::of(&row.duration.duration, day);
            if !stated_minutes.overlaps(table) {
                findings.push(table_mismatch(lane, stated, &row.duration));
            }
        }
        if let Some((items, _)) = items_minutes(lane, day) {
            if items.low > stated_minutes.high {
                let counted = lane
                    .items
                    .iter()
                    .filter(|i| item_minutes(i, day).is_some())
                    .count();
                findings.push(items_exceed(lane, stated, items, counted));
            }
        }
    }
    findings
}

fn table_mismatch(lane: &Lane, stated: &DurationField, table: &DurationField) -> Finding {
    let message = format!(
        "{} states `{}` (line {}) but the estimate table gives it `{}` (line {})",
        lane.label, stated.raw, stated.span.line, table.raw, table.span.line
    );
    Finding::warning(codes::LANE_DURATION_MISMATCH, message, stated.span, Subject::Lane(lane.key.clone()))
        .with_help("make the lane's duration and the estimate table agree; totals and the critical path use the table")
}

fn items_exceed(
    lane: &Lane,
    stated: &DurationField,
    items: MinuteRange,
    counted: usize,
) -> Finding {
    let planned = if lane.items.iter().all(WorkItem::is_planned) {
        " planned"
    } else {
        ""
    };
    let noun = if counted == 1 {
        "item adds"
    } else {
        "items add"
    };
    let message = format!(
        "{}'s {counted}{planned} {noun} up to {}, more than its stated `{}`",
        lane.label,
        items.describe(),
        stated.raw
    );
    let names: Vec<String> = lane
        .items
        .iter()
        .map(|i| item_name(i).to_string())
        .collect();
    Finding::warning(
        codes::LANE_ITEMS_EXCEED_DURATION,
        message,
        stated.span,
        Subject::Lane(lane.key.clone()),
    )
    .with_help(format!(
        "raise the lane's duration or trim its items ({})",
        names.join(", ")
    ))
}

/// `OPS344` and `OPS345`: the plan's stated totals against the computed schedule.
pub fn check_stated_totals(plan: &Plan, schedule: &LaneSchedule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for total in &plan.stated_totals {
        let day = schedule.day;
        let stated = MinuteRange::of(&total.value.duration, day);
        let (computed, what) = match total.kind {
            TotalKind::Sequential => (schedule.sequential, "the lanes one after another take".to_string()),
            TotalKind::Parallel | TotalKind::CriticalPath => (
                schedule.critical_minutes,
                format!(
                    "the longest chain of lanes by their estimates and hard dependencies ({}) takes",
                    schedule.chain_labels(plan)
                ),
            ),
        };
        let Some(computed) = computed else {
            continue;
        };
        if stated.overlaps(computed) {
            continue;
        }
        let (code, subject, help) = match total.kind {
            TotalKind::CriticalPath => (
                codes::LANE_CRITICAL_PATH_MISMATCH,
                Subject::Lanes,
                declared_chain_help(plan, total),
            ),
            _ => (
                codes::STATED_TOTAL_MISMATCH,
                Subject::Lanes,
                "correct the stated total, or the lanes' estimates it should add up from"
                    .to_string(),
            ),
        };
        let label = total.label.trim_end_matches(':');
        let message = format!(
            "`{label}` states {} but {what} {}",
            total.value.raw,
            computed.describe()
        );
        findings.push(Finding::warning(code, message, total.value.span, subject).with_help(help));
    }
    findings
}

/// What to say about a declared chain: its steps that name no lane of the plan.
fn declared_chain_help(plan: &Plan, total: &crate::model::plan::StatedTotal) -> String {
    let unknown: Vec<&str> = total
        .chain
        .iter()
        .map(|step| step.text.as_str())
        .filter(|step| {
            !plan
                .lanes
                .iter()
                .any(|lane| step.to_lowercase().starts_with(&lane.label.to_lowercase()))
        })
        .collect();
    let mut help = "the declared path should be the longest chain of hard dependencies; correct it or the lanes' estimates".to_string();
    if !unknown.is_empty() {
        help.push_str(&format!(
            " (the declared path counts {}, which is no lane of the plan)",
            super::code_list(&unknown)
        ));
    }
    help
}
