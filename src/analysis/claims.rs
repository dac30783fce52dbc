//! Analysis: what the plan says about itself against what it holds. The header's
//! `**Total Epics:**` / `**Total Tasks:**` against the epics and tasks defined, and the
//! overview's priority distribution against the tasks' `--priority` values.

use std::collections::BTreeMap;

use super::{Finding, Subject};
use crate::diagnostics::codes;
use crate::model::plan::{Plan, Priority};

/// Every stated total and priority count that differs from the counted one.
pub fn check_claims(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    let counted_tasks = plan.tasks().count() as u32;
    let counted_epics = plan.epics.len() as u32;
    for (claim, counted, what) in [
        (&plan.claimed.epics, counted_epics, "epics"),
        (&plan.claimed.tasks, counted_tasks, "tasks"),
    ] {
        if let Some(claim) = claim.as_ref().filter(|c| c.value != counted) {
            findings.push(
                Finding::warning(
                    codes::CLAIMED_TOTAL_MISMATCH,
                    format!(
                        "the plan claims {} {what} but defines {counted}",
                        claim.value
                    ),
                    claim.span,
                    Subject::StatedTotals,
                )
                .with_help(format!(
                    "update the stated total to {counted}, or add the missing {what}"
                )),
            );
        }
    }
    findings.extend(check_priority_distribution(plan));
    findings
}

/// One finding for the whole distribution, so the reader sees every level side by side:
/// `claimed P0/P1/P2 11/10/3 vs counted 9/9/3`.
fn check_priority_distribution(plan: &Plan) -> Option<Finding> {
    let claims = &plan.claimed.priorities;
    let first = claims.first()?;
    let mut counted: BTreeMap<Priority, u32> = BTreeMap::new();
    for priority in plan.tasks().filter_map(|t| t.creation.priority) {
        *counted.entry(priority).or_default() += 1;
    }
    let mut levels: Vec<Priority> = claims.iter().map(|c| c.priority).collect();
    levels.extend(counted.keys().copied());
    levels.sort_unstable();
    levels.dedup();
    let claimed_of = |level: Priority| {
        claims
            .iter()
            .filter(|c| c.priority == level)
            .map(|c| c.tasks)
            .sum::<u32>()
    };
    let counted_of = |level: Priority| counted.get(&level).copied().unwrap_or(0);
    if levels.iter().all(|&l| claimed_of(l) == counted_of(l)) {
        return None;
    }
    let join = |f: &dyn Fn(Priority) -> u32| {
        levels
            .iter()
            .map(|&l| f(l).to_string())
            .collect::<Vec<_>>()
            .join("/")
    };
    let names = levels
        .iter()
        .map(|l| l.label())
        .collect::<Vec<_>>()
        .join("/");
    Some(
        Finding::warning(
            codes::CLAIMED_PRIORITIES_MISMATCH,
            format!(
                "priority distribution: claimed {names} {} vs counted {}",
                join(&claimed_of),
                join(&counted_of)
            ),
            first.span,
            Subject::StatedPriorities,
        )
        .with_help("count the tasks' `--priority` values again and update the overview"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_plans::reference_plan;

    fn messages(plan: &Plan) -> Vec<String> {
        check_claims(plan)
            .into_iter()
            .map(|f| f.diagnostic.message)
            .collect()
    }

    #[test]
    fn reference_plan_claims_24_tasks_but_defines_21() {
        let messages = messages(&reference_plan());
        assert!(messages.contains(&"the plan claims 24 tasks but defines 21".to_string()));
        assert!(
            !messages.iter().any(|m| m.contains("epics")),
            "{messages:?}"
        );
    }

    #[test]
    fn reference_plan_priority_distribution_is_11_10_3_vs_9_9_3() {
        let messages = messages(&reference_plan());
        assert!(
            messages.contains(
                &"priority distribution: claimed P0/P1/P2 11/10/3 vs counted 9/9/3".to_string()
            ),
            "{messages:?}"
        );
    }

    #[test]
    fn matching_claims_give_no_finding() {
        let mut plan = reference_plan();
        plan.claimed.tasks.as_mut().unwrap().value = 21;
        for (claim, tasks) in plan.claimed.priorities.iter_mut().zip([9, 9, 3]) {
            claim.tasks = tasks;
        }
        assert!(check_claims(&plan).is_empty());
    }
}
