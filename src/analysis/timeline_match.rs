//! Analysis: the author's timeline against the tasks. Each timeline item is matched to
//! the task whose title (or `# Task N.M:` label) shares the most normalised words with
//! it; an item no task matches is work no task covers, and a task no item matches is
//! unscheduled.
//!
//! Matching is one to one, best pairs first: a timeline lists each task once, so once
//! `Add post-deployment smoke tests` has taken Task 5.2, `Run smoke tests` on another
//! day is not read as the same task. A pair needs a Dice coefficient of at least 0.5 and
//! at least two shared words (one for a one-word item).

use std::collections::BTreeSet;

use super::words::{normalised_words, similarity};
use super::{Finding, Subject};
use crate::diagnostics::codes;
use crate::model::plan::{Plan, Task};
use crate::model::Span;

/// Lowest Dice coefficient that counts as a match.
const MIN_SCORE: f64 = 0.5;

/// One timeline item and the task it was matched to.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemMatch {
    pub day: u32,
    /// The slot's name (`Morning`) and its position within the day.
    pub slot: String,
    pub slot_index: usize,
    /// Position within the slot.
    pub index: usize,
    pub text: String,
    pub span: Span,
    /// The matched task's id and epic.
    pub task: Option<String>,
    pub epic: Option<u32>,
}

/// Every timeline item in timeline order, each with its task when one matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimelineMatches {
    pub items: Vec<ItemMatch>,
}

impl TimelineMatches {
    /// The day a task is scheduled on.
    pub fn task_day(&self, task_id: &str) -> Option<u32> {
        self.items
            .iter()
            .find(|item| item.task.as_deref() == Some(task_id))
            .map(|item| item.day)
    }

    /// The match of the item at `day`, `slot_index`, `index`.
    pub fn item(&self, day: u32, slot_index: usize, index: usize) -> Option<&ItemMatch> {
        self.items
            .iter()
            .find(|m| m.day == day && m.slot_index == slot_index && m.index == index)
    }

    /// Notes for items no task covers, warnings for tasks the timeline leaves out.
    pub fn findings(&self, plan: &Plan) -> Vec<Finding> {
        if self.items.is_empty() {
            return Vec::new();
        }
        let mut findings: Vec<Finding> = self
            .items
            .iter()
            .filter(|item| item.task.is_none())
            .map(|item| {
                Finding::note(
                    codes::TIMELINE_ITEM_UNMATCHED,
                    format!(
                        "timeline item \"{}\" (Day {}, {}) matches no task: work no task covers",
                        item.text, item.day, item.slot
                    ),
                    item.span,
                    Subject::TimelineDay(item.day),
                )
                .with_help("add a task for it, or name the task it belongs to in the item")
            })
            .collect();
        findings.extend(
            plan.tasks()
                .filter(|task| self.task_day(&task.id).is_none())
                .map(|task| {
                    Finding::warning(
                        codes::TASK_UNSCHEDULED,
                        format!(
                            "Task {} \"{}\" appears nowhere in the timeline",
                            task.id, task.creation.title
                        ),
                        task.span,
                        Subject::Task(task.id.clone()),
                    )
                    .with_help("schedule it on a day, using words of its title")
                }),
        );
        findings
    }
}

/// Matches every timeline item to at most one task, best pairs first.
pub fn match_timeline(plan: &Plan) -> TimelineMatches {
    let Some(timeline) = &plan.timeline else {
        return TimelineMatches::default();
    };
    let mut items = Vec::new();
    for day in &timeline.days {
        for (slot_index, slot) in day.slots.iter().enumerate() {
            for (index, item) in slot.items.iter().enumerate() {
                items.push(ItemMatch {
                    day: day.number,
                    slot: slot.name.clone(),
                    slot_index,
                    index,
                    text: item.text.clone(),
                    span: item.span,
                    task: None,
                    epic: None,
                });
            }
        }
    }
    let tasks: Vec<&Task> = plan.tasks().collect();
    for (item_index, task_index) in best_pairs(&items, &tasks) {
        items[item_index].task = Some(tasks[task_index].id.clone());
        items[item_index].epic = Some(tasks[task_index].epic);
    }
    TimelineMatches { items }
}

/// Greedy one-to-one assignment over every pair that scores well enough, highest score
/// first, ties in timeline then task order (deterministic).
fn best_pairs(items: &[ItemMatch], tasks: &[&Task]) -> Vec<(usize, usize)> {
    let task_words: Vec<[BTreeSet<String>; 2]> = tasks
        .iter()
        .map(|t| {
            [
                normalised_words(&t.creation.title),
                normalised_words(t.label.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let words = normalised_words(&item.text);
        let needed = words.len().min(2);
        for (t, names) in task_words.iter().enumerate() {
            let best = names
                .iter()
                .map(|name| similarity(&words, name))
                .filter(|(score, common)| *score >= MIN_SCORE && *common >= needed)
                .map(|(score, _)| score)
                .fold(None, |best: Option<f64>, s| {
                    Some(best.map_or(s, |b| b.max(s)))
                });
            if let Some(score) = best {
                candidates.push((score, i, t));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut item_taken = vec![false; items.len()];
    let mut task_taken = vec![false; tasks.len()];
    let mut pairs = Vec::new();
    for (_, i, t) in candidates {
        if !item_taken[i] && !task_taken[t] {
            item_taken[i] = true;
            task_taken[t] = true;
            pairs.push((i, t));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_plans::reference_plan;

    #[test]
    fn reference_timeline_has_five_items_no_task_covers() {
        let matches = match_timeline(&reference_plan());
        let unmatched: Vec<&str> = matches
            .items
            .iter()
            .filter(|m| m.task.is_none())
            .map(|m| m.text.as_str())
            .collect();
        assert_eq!(
            unmatched,
            [
                "Run smoke tests",
                "Verify health checks",
                "Set up alerting rules",
                "Final testing",
                "Documentation updates"
            ]
        );
    }

    #[test]
    fn reference_timeline_schedules_all_21_tasks() {
        let plan = reference_plan();
        let matches = match_timeline(&plan);
        let scheduled = plan
            .tasks()
            .filter(|t| matches.task_day(&t.id).is_some())
            .count();
        assert_eq!(scheduled, 21);
        assert!(!matches
            .findings(&plan)
            .iter()
            .any(|f| f.diagnostic.code == codes::TASK_UNSCHEDULED));
    }

    #[test]
    fn items_link_to_the_task_they_name() {
        let matches = match_timeline(&reference_plan());
        let task_of = |text: &str| {
            matches
                .items
                .iter()
                .find(|m| m.text == text)
                .and_then(|m| m.task.clone())
        };
        assert_eq!(task_of("Configure Cloudflare WAF").as_deref(), Some("1.4"));
        assert_eq!(task_of("Install pgvector").as_deref(), Some("2.2"));
        assert_eq!(
            task_of("Set up weekly DB Architect scan").as_deref(),
            Some("4.3")
        );
        assert_eq!(
            task_of("Add post-deployment smoke tests").as_deref(),
            Some("5.2")
        );
        assert_eq!(matches.task_day("1.4"), Some(7));
    }

    #[test]
    fn a_task_missing_from_the_timeline_is_reported_unscheduled() {
        let mut plan = reference_plan();
        let day = &mut plan.timeline.as_mut().unwrap().days[6];
        day.slots[0]
            .items
            .retain(|item| item.text != "Configure Cloudflare WAF");
        let findings = match_timeline(&plan).findings(&plan);
        let unscheduled: Vec<&Subject> = findings
            .iter()
            .filter(|f| f.diagnostic.code == codes::TASK_UNSCHEDULED)
            .map(|f| &f.subject)
            .collect();
        assert_eq!(unscheduled, [&Subject::Task("1.4".into())]);
    }
}
