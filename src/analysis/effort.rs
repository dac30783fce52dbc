//! Analysis: an epic's stated duration against the sum of its tasks' ETAs. Durations
//! are working time: `hours_per_day` hours make a day (AnalysisOptions, default 8) and
//! five days a week, for the epic's `**Duration:**` and its tasks' ETAs alike. An epic
//! whose tasks need more time than the epic is given cannot finish on time.

use super::{format_minutes, AnalysisOptions, Finding, Subject};
use crate::diagnostics::codes;
use crate::model::duration::DayLength;
use crate::model::plan::{Epic, Plan};

/// The sum of the ETAs that could be read, in whole working minutes of `day`, and how
/// many tasks had none.
pub fn task_eta_minutes(epic: &Epic, day: DayLength) -> (u32, usize) {
    epic.tasks.iter().fold((0, 0), |(sum, unread), task| {
        match task.eta.as_ref().and_then(|eta| eta.minutes(day)) {
            Some(minutes) => (sum.saturating_add(minutes), unread),
            None => (sum, unread + 1),
        }
    })
}

/// The epic's length in working days: its stated duration, else the sum of its tasks'
/// ETAs (`None` when neither is known).
pub fn epic_working_days(epic: &Epic, options: &AnalysisOptions) -> Option<f64> {
    let day = options.working_day();
    if let Some(duration) = &epic.duration {
        return Some(duration.duration.days(day));
    }
    let (minutes, _) = task_eta_minutes(epic, day);
    (minutes > 0).then(|| f64::from(minutes) / day.minutes_per_day())
}

/// A warning for each epic whose tasks' ETAs add up to more than its duration.
pub fn check_effort(plan: &Plan, options: &AnalysisOptions) -> Vec<Finding> {
    plan.epics
        .iter()
        .filter_map(|epic| {
            let duration = epic.duration.as_ref()?;
            let day = options.working_day();
            let (eta, unread) = task_eta_minutes(epic, day);
            let allowed = duration.duration.minutes(day);
            if f64::from(eta) <= allowed + 0.5 {
                return None;
            }
            let unread_note = match unread {
                0 => String::new(),
                1 => " (1 task has no ETA)".to_string(),
                n => format!(" ({n} tasks have no ETA)"),
            };
            Some(
                Finding::warning(
                    codes::EPIC_EFFORT_EXCEEDS_DURATION,
                    format!(
                        "Epic {}'s task ETAs add up to {}, more than its duration of {}{unread_note}",
                        epic.number,
                        format_minutes(eta),
                        duration.raw
                    ),
                    duration.span,
                    Subject::Epic(epic.number),
                )
                .with_help(format!(
                    "lengthen the epic's duration or trim its tasks (a day is {} working hours)",
                    super::format_days(options.hours_per_day)
                )),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::test_plans::messages;
    use crate::analysis::test_plans::reference_plan;

    #[test]
    fn reference_epic_6_etas_of_5_h_30_exceed_its_4_hours() {
        let findings = check_effort(&reference_plan(), &AnalysisOptions::default());
        let messages = messages(&findings);
        assert_eq!(
            messages,
            ["Epic 6's task ETAs add up to 5 h 30 min, more than its duration of 4 hours"]
        );
        assert_eq!(findings[0].subject, Subject::Epic(6));
    }

    #[test]
    fn shorter_working_days_make_more_epics_overrun() {
        // At 1 hour a day, Epic 1's "2 days" is 2 hours but its tasks need 2 h 5 min.
        let options = AnalysisOptions { hours_per_day: 1.0 };
        let epics: Vec<Subject> = check_effort(&reference_plan(), &options)
            .into_iter()
            .map(|f| f.subject)
            .collect();
        assert!(epics.contains(&Subject::Epic(1)), "{epics:?}");
    }

    /// A plan read by the plan reader: one epic per `(duration, ETAs)`, numbered from 1
    /// (an empty duration writes no `**Duration:**` line).
    fn plan_of(epics: &[(&str, &[&str])]) -> Plan {
        let mut text = String::from("# Plan\n");
        for (number, (duration, etas)) in (1..).zip(epics) {
            text += &format!("\n## Epic {number}: Work\n\n");
            if !duration.is_empty() {
                text += &format!("**Duration:** {duration}\n\n");
            }
            text += "```bash\n";
            for (task, eta) in (1..).zip(etas.iter()) {
                text += &format!("bd create \"Task {number}.{task}\" --type task\n# ETA: {eta}\n");
            }
            text += "```\n";
        }
        let mut diagnostics = crate::diagnostics::Diagnostics::new();
        let plan =
            crate::ingest::plan::parse_plan(Path::new("plan.md"), &text, 0, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        plan
    }

    #[test]
    fn six_hour_days_count_task_etas_in_days_and_hours_with_the_same_day() {
        // At 6 hours a day: Epic 1 is given 4 days = 24 h; its tasks need 3 days + 6 hours
        // = 18 h + 6 h = 24 h, so it fits. Epic 2 is given 2 days = 12 h; its tasks need
        // 1 day + 7 hours = 6 h + 7 h = 13 h, one hour too many. Epic 3 is given 10 hours;
        // its tasks need 1 day + 5 hours = 11 h. Epic 4 is given 1 day = 6 h; its tasks
        // need 4 hours + 3 hours = 7 h.
        let plan = plan_of(&[
            ("4 days", &["3 days", "6 hours"]),
            ("2 days", &["1 day", "7 hours"]),
            ("10 hours", &["1 day", "5 hours"]),
            ("1 day", &["4 hours", "3 hours"]),
        ]);
        let options = AnalysisOptions { hours_per_day: 6.0 };
        let findings = check_effort(&plan, &options);
        assert_eq!(
            messages(&findings),
            [
                "Epic 2's task ETAs add up to 13 h, more than its duration of 2 days",
                "Epic 3's task ETAs add up to 11 h, more than its duration of 10 hours",
                "Epic 4's task ETAs add up to 7 h, more than its duration of 1 day",
            ]
        );
        assert_eq!(epic_working_days(&plan.epics[0], &options), Some(4.0));
    }

    #[test]
    fn an_epic_without_a_duration_lasts_its_etas_in_the_same_working_days() {
        // At 6 hours a day, 1 day + 3 hours is 9 hours: 1.5 working days.
        let plan = plan_of(&[("", &["1 day", "3 hours"])]);
        let options = AnalysisOptions { hours_per_day: 6.0 };
        assert_eq!(epic_working_days(&plan.epics[0], &options), Some(1.5));
    }

    #[test]
    fn a_range_counts_as_its_upper_end_on_both_sides() {
        // Given up to 8 hours; the tasks may take up to 4 + 5 = 9 hours.
        let plan = plan_of(&[("4-8 hours", &["2-4 hours", "3-5 hours"])]);
        let findings = check_effort(&plan, &AnalysisOptions::default());
        assert_eq!(
            messages(&findings),
            ["Epic 1's task ETAs add up to 9 h, more than its duration of 4-8 hours"]
        );
    }

    #[test]
    fn working_days_follow_hours_per_day() {
        let plan = reference_plan();
        let options = AnalysisOptions::default();
        assert_eq!(epic_working_days(&plan.epics[5], &options), Some(0.5));
        assert_eq!(epic_working_days(&plan.epics[0], &options), Some(2.0));
    }
}
