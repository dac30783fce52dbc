//! Analysis, lane health: a plan of lanes (tracks, phases, waves) and its tracker status
//! in, findings (`OPS340`-`OPS348`) and the computed schedule of its lanes out. Each
//! check lives in its own module:
//! - `tracker_state`: the plan's epic or an item closed while work in it is open, an
//!   item closed while items before it in its lane are open, and the ids the tracker
//!   lacks (`OPS437`, one note per plan);
//! - `durations`: a lane's stated duration against an estimate table and against its
//!   items' estimates, stated totals and a declared critical path against the computed
//!   ones;
//! - `graph`: dependencies on ids or lanes the plan does not have, and cycles;
//! - `checklists`: checklists all ticked while their items are open, or the reverse.
//!
//! Epic plans have their own analyses; their lanes are their epics, so nothing here runs
//! on them.

mod checklists;
mod durations;
mod graph;
mod tracker_state;

use super::{AnalysisOptions, Finding};
use crate::model::plan::{Plan, PlanFamily};

pub use graph::LaneSchedule;

/// Every lane finding of `plan`, and its lanes' computed schedule; nothing for a plan
/// that is not a lane plan.
pub fn check_lanes(plan: &Plan, options: &AnalysisOptions) -> (Vec<Finding>, Option<LaneSchedule>) {
    if plan.family != PlanFamily::Lanes {
        return (Vec::new(), None);
    }
    let day = options.working_day();
    let mut findings = Vec::new();
    findings.extend(tracker_state::check_closed_epic(plan));
    findings.extend(tracker_state::check_lane_order(plan));
    findings.extend(tracker_state::check_untracked_ids(plan));
    findings.extend(durations::check_lane_durations(plan, day));
    findings.extend(graph::check_dependency_ends(plan));
    let (cycles, schedule) = graph::compute_lane_schedule(plan, day);
    findings.extend(cycles);
    if let Some(schedule) = &schedule {
        findings.extend(durations::check_stated_totals(plan, schedule));
    }
    findings.extend(checklists::check_checklists(plan));
    (findings, schedule)
}

/// `` `a`, `b` and `c` ``: ids set as code, joined for a sentence.
pub(crate) fn code_list(ids: &[&str]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
pub(crate) mod test_lanes;

#[cfg(test)]
mod tests {
    use super::test_lanes::{codes_of, findings, read, set_status, TRACK_PLAN};
    use crate::analysis::AnalysisOptions;
    use crate::model::status::IssueStatus;

    #[test]
    fn the_test_plan_reads_as_two_tracks_in_table_order() {
        let plan = read(TRACK_PLAN);
        let shape: Vec<(String, Vec<String>)> = plan
            .lanes
            .iter()
            .map(|l| {
                (
                    l.key.clone(),
                    l.items.iter().map(|i| i.key.clone()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (
                    "track-1".into(),
                    vec!["bc-a1".into(), "bc-a2".into(), "bc-a3".into()]
                ),
                (
                    "track-2".into(),
                    vec![
                        "bc-b1".into(),
                        "bc-b2".into(),
                        "track-2/planned-1".into(),
                        "track-2/planned-2".into(),
                        "bc-b9".into()
                    ]
                ),
            ]
        );
    }

    #[test]
    fn a_closed_epic_with_open_items_and_an_item_closed_out_of_order_are_reported() {
        let mut plan = read(TRACK_PLAN);
        set_status(&mut plan, "bc-epic1", IssueStatus::Closed);
        set_status(&mut plan, "bc-a1", IssueStatus::Open);
        set_status(&mut plan, "bc-a2", IssueStatus::InProgress);
        set_status(&mut plan, "bc-a3", IssueStatus::Closed);
        let found = findings(&plan);
        assert_eq!(
            codes_of(&found, "OPS340"),
            ["the plan's epic `bc-epic1` is closed in the tracker while 2 of its 8 items are open: `bc-a1` and `bc-a2`"]
        );
        assert_eq!(
            codes_of(&found, "OPS341"),
            ["`bc-a3` is closed in the tracker while `bc-a1` and `bc-a2`, before it in Track 1, are open"]
        );
    }

    #[test]
    fn stated_durations_are_checked_against_the_table_and_the_items() {
        let found = findings(&read(TRACK_PLAN));
        assert_eq!(
            codes_of(&found, "OPS342"),
            ["Track 1 states `3-4 hours` (line 15) but the estimate table gives it `2 hours` (line 44)"]
        );
        // Track 2 states 1 hour (overview); its planned items add up to 1 h 15 min.
        assert_eq!(
            codes_of(&found, "OPS343"),
            ["Track 2's 2 items add up to 1 h 15 min, more than its stated `1 hour`"]
        );
    }

    #[test]
    fn totals_and_the_declared_critical_path_are_checked_against_the_schedule() {
        let plan = read(TRACK_PLAN);
        let (found, schedule) = super::check_lanes(&plan, &AnalysisOptions::default());
        let schedule = schedule.expect("no cycle");
        assert_eq!(schedule.critical_chain, ["track-1", "track-2"]);
        let messages: Vec<(&str, &str)> = found
            .iter()
            .filter(|f| ["OPS344", "OPS345"].contains(&f.diagnostic.code))
            .map(|f| (f.diagnostic.code, f.diagnostic.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                ("OPS344", "`Total (Sequential)` states 4 hours but the lanes one after another take 3 h"),
                ("OPS345", "`Critical Path` states 3.5 hours but the longest chain of lanes by their estimates and hard dependencies (Track 1 → Track 2) takes 3 h"),
            ]
        );
        let help = found
            .iter()
            .find(|f| f.diagnostic.code == "OPS345")
            .unwrap()
            .diagnostic
            .help
            .clone()
            .unwrap();
        assert!(help.contains("`Prep (30min)`"), "{help}");
    }

    #[test]
    fn a_dependency_on_an_id_the_plan_lacks_is_reported() {
        let found = findings(&read(TRACK_PLAN));
        assert_eq!(
            codes_of(&found, "OPS346"),
            ["Track 2 depends on `bc-zz`, which this plan does not have"]
        );
    }

    #[test]
    fn a_cycle_of_lanes_is_spelled_out_and_stops_the_schedule() {
        let text = TRACK_PLAN.replace(
            "**Duration:** 3-4 hours",
            "**Duration:** 3-4 hours\n**Dependencies:** Track 2 (bc-b1)",
        );
        let plan = read(&text);
        let (found, schedule) = super::check_lanes(&plan, &AnalysisOptions::default());
        assert!(schedule.is_none());
        let cycle: Vec<&str> = found
            .iter()
            .filter(|f| f.diagnostic.code == "OPS347")
            .map(|f| f.diagnostic.message.as_str())
            .collect();
        assert_eq!(
            cycle,
            ["the lanes' hard dependencies form a cycle: Track 1 → Track 2 → Track 1"]
        );
    }

    #[test]
    fn a_ticked_checklist_of_open_work_is_noted_and_unknown_work_says_nothing() {
        let mut plan = read(TRACK_PLAN);
        assert!(
            codes_of(&findings(&plan), "OPS348").is_empty(),
            "bc-b9 has no status"
        );
        set_status(&mut plan, "bc-b9", IssueStatus::Open);
        assert_eq!(
            codes_of(&findings(&plan), "OPS348"),
            ["`Success Criteria` is all ticked (2 of 2) while `bc-b9` is open in the tracker"]
        );
    }
}
