//! Task status (analysis stage): ties each plan task and epic to a tracker issue, and
//! finds the success criteria a plan ticks by hand. Takes the project (plans, their front
//! matter, the tracker); gives a `SiteStatus` and diagnostics. Nothing is written back.
//!
//! An item is tied by the plan's `beads:` map when it names one (pinned), else by title
//! similarity at or above `MATCH_THRESHOLD`. Epics are compared only with epic issues and
//! tasks only with the others. Each issue is tied to at most one item: the pairs are
//! taken best score first, so two similar tasks cannot both claim the same issue. When an
//! item's two best issues score the same, neither is taken (a note says so) — a wrong
//! status is worse than none.
//!
//! Near-linear: titles are indexed by token (`title_index`), so an item is compared only
//! with the issues that share a word with it, and the best-first pass keeps a few
//! candidates per item instead of every pair (`best_first`): 10,000 tasks against 10,000
//! issues whose titles all share three words take under a second of CPU and a few MiB
//! (`bench/gen_tracker_case.py`; comparing and keeping every pair took 13 s and 800 MiB).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use super::title_similarity::{title_tokens, MATCH_THRESHOLD};
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::plan::{Criterion, Plan};
use crate::model::span::{LineIndex, Span};
use crate::model::status::{
    epic_key, CriterionRef, IssueMatch, ItemStatus, MatchKind, NearMiss, PlanStatus, SiteStatus,
    Tracker, TrackerIssue,
};
use crate::model::{FrontMatter, Page, Project};
use best_first::Waiting;
use title_index::{ItemScan, Scratch, TitleIndex};

/// The status of every plan page of the project.
pub fn match_project(project: &Project, diagnostics: &mut Diagnostics) -> SiteStatus {
    let mut status = SiteStatus::default();
    for (page, plan) in project.plans() {
        if !plan.is_structured() {
            continue;
        }
        let plan_status = match_plan(page, plan, project.tracker.as_ref(), diagnostics);
        status.plans.insert(page.source.clone(), plan_status);
    }
    status
}

/// A task or epic of the plan, as the matcher sees it.
struct Item {
    key: String,
    title: String,
    is_epic: bool,
    tokens: BTreeSet<String>,
}

/// The status of one plan page.
pub fn match_plan(
    page: &Page,
    plan: &Plan,
    tracker: Option<&Tracker>,
    diagnostics: &mut Diagnostics,
) -> PlanStatus {
    let items = plan_items(plan);
    let place = FrontMatterPlace { page };
    check_pinned_keys(&items, &page.front_matter, &place, diagnostics);
    let mut matches: BTreeMap<usize, IssueMatch> = BTreeMap::new();
    let mut near_misses: BTreeMap<usize, NearMiss> = BTreeMap::new();
    if let Some(tracker) = tracker {
        let pinned = pin_items(&items, &page.front_matter, tracker, &place, diagnostics);
        matches.extend(pinned);
        let found = match_titles(&items, tracker, &matches, &place, diagnostics);
        matches.extend(found.matches);
        near_misses = found.near_misses;
    }
    let ticked = tick_criteria(plan, &page.front_matter.done, &place, diagnostics);
    let mut status = PlanStatus {
        has_tracker: tracker.is_some(),
        ticked,
        ..PlanStatus::default()
    };
    for (index, item) in items.into_iter().enumerate() {
        let entry = ItemStatus {
            key: item.key,
            title: item.title,
            matched: matches.remove(&index),
            near_miss: near_misses.remove(&index),
        };
        if item.is_epic {
            status.epics.push(entry);
        } else {
            status.tasks.push(entry);
        }
    }
    status
}

fn plan_items(plan: &Plan) -> Vec<Item> {
    let item = |key: String, title: &str, is_epic: bool| Item {
        tokens: title_tokens(title),
        key,
        title: title.to_string(),
        is_epic,
    };
    let mut items: Vec<Item> = plan
        .tasks()
        .map(|task| item(task.id.clone(), &task.creation.title, false))
        .collect();
    items.extend(plan.epics.iter().map(|epic| {
        let title = epic
            .creation
            .as_ref()
            .map_or(epic.title.as_str(), |c| c.title.as_str());
        item(epic_key(epic.number), title, true)
    }));
    items
}

/// `beads:` keys that name no task or epic of the plan.
fn check_pinned_keys(
    items: &[Item],
    front_matter: &FrontMatter,
    place: &FrontMatterPlace,
    diagnostics: &mut Diagnostics,
) {
    let keys: Vec<&str> = items.iter().map(|item| item.key.as_str()).collect();
    let unknown = front_matter
        .beads
        .keys()
        .filter(|key| !keys.contains(&key.as_str()))
        .map(|key| {
            Diagnostic::warning(
                codes::STATUS_PIN_UNKNOWN_ITEM,
                format!("`beads:` names `{key}`, which is not a task or epic of this plan"),
            )
            .at(page_source(place), place.line_of("beads", key))
            .with_help("use a task id such as `1.1` or an epic key such as `epic-1`")
        });
    diagnostics.extend(unknown);
}

fn pin_items(
    items: &[Item],
    front_matter: &FrontMatter,
    tracker: &Tracker,
    place: &FrontMatterPlace,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<usize, IssueMatch> {
    let mut pinned = BTreeMap::new();
    for (index, item) in items.iter().enumerate() {
        let Some(issue_id) = front_matter.beads.get(&item.key) else {
            continue;
        };
        match tracker.issue(issue_id) {
            Some(issue) => {
                pinned.insert(index, issue_match(issue, MatchKind::Pinned, 1.0));
            }
            None => diagnostics.push(
                Diagnostic::warning(
                    codes::STATUS_PIN_UNKNOWN_ISSUE,
                    format!(
                        "`beads:` pins `{}` to `{issue_id}`, which `{}` does not have (or has deleted)",
                        item.key,
                        crate::diagnostics::display_path(&tracker.path)
                    ),
                )
                .at(page_source(place), place.line_of("beads", &item.key))
                .with_help("check the id with `bd show`; the item is shown without status"),
            ),
        }
    }
    pinned
}

fn issue_match(issue: &TrackerIssue, kind: MatchKind, score: f64) -> IssueMatch {
    IssueMatch {
        issue_id: issue.id.clone(),
        issue_title: issue.title.clone(),
        status: issue.status.clone(),
        kind,
        score,
    }
}

/// Title matches and, for items left without one, the best issue below the threshold.
struct TitleMatches {
    matches: BTreeMap<usize, IssueMatch>,
    near_misses: BTreeMap<usize, NearMiss>,
}

fn match_titles(
    items: &[Item],
    tracker: &Tracker,
    pinned: &BTreeMap<usize, IssueMatch>,
    place: &FrontMatterPlace,
    diagnostics: &mut Diagnostics,
) -> TitleMatches {
    let taken: BTreeSet<&str> = pinned.values().map(|m| m.issue_id.as_str()).collect();
    let issues: Vec<(&TrackerIssue, BTreeSet<String>)> = tracker
        .issues
        .iter()
        .filter(|issue| !taken.contains(issue.id.as_str()))
        .map(|issue| (issue, title_tokens(&issue.title)))
        .collect();
    let titles = || {
        issues
            .iter()
            .map(|(issue, tokens)| (issue.is_epic(), tokens))
    };
    // Epics are compared only with epic issues, tasks only with the others.
    let indexes = [
        TitleIndex::new(titles(), false),
        TitleIndex::new(titles(), true),
    ];
    let index_of = |item: &Item| &indexes[usize::from(item.is_epic)];
    let open: Vec<usize> = (0..items.len())
        .filter(|index| !pinned.contains_key(index))
        .collect();
    // Each item's scan is independent: in parallel, each thread with its own counters.
    let scans: Vec<(usize, ItemScan)> = open
        .par_iter()
        .map_init(
            || Scratch::new(issues.len()),
            |scratch, &item_index| {
                let item = &items[item_index];
                let scan = index_of(item).scan(&item.tokens, best_first::FIRST_KEPT, scratch);
                (item_index, scan)
            },
        )
        .collect();
    let mut waiting = Vec::new();
    let mut near_misses = BTreeMap::new();
    for (item_index, scan) in scans {
        let item = &items[item_index];
        match (scan.best, scan.second) {
            (Some((best, i)), Some((second, j))) if best >= MATCH_THRESHOLD && best == second => {
                diagnostics.push(ambiguous(item, issues[i].0, issues[j].0, best, place));
            }
            (Some((best, _)), _) if best >= MATCH_THRESHOLD => waiting.push(Waiting {
                item: item_index,
                index: index_of(item),
                candidates: scan.candidates,
                more: scan.more,
            }),
            (Some((best, i)), _) => {
                near_misses.insert(item_index, near_miss(issues[i].0, best));
            }
            (None, _) => {}
        }
    }
    let matches = best_first::assign_best_first(items, issues.len(), waiting)
        .into_iter()
        .map(|(item_index, (score, issue))| {
            let found = issue_match(issues[issue].0, MatchKind::Title, score);
            (item_index, found)
        })
        .collect();
    TitleMatches {
        matches,
        near_misses,
    }
}

fn near_miss(issue: &TrackerIssue, score: f64) -> NearMiss {
    NearMiss {
        issue_id: issue.id.clone(),
        issue_title: issue.title.clone(),
        score,
    }
}

fn ambiguous(
    item: &Item,
    first: &TrackerIssue,
    second: &TrackerIssue,
    score: f64,
    place: &FrontMatterPlace,
) -> Diagnostic {
    Diagnostic::note(
        codes::STATUS_AMBIGUOUS_MATCH,
        format!(
            "`{}` \"{}\" is equally similar ({score:.2}) to `{}` \"{}\" and `{}` \"{}\"; no status is shown",
            item.key, item.title, first.id, first.title, second.id, second.title
        ),
    )
    .at(page_source(place), None)
    .with_help(format!(
        "pin the right issue in the front matter: `beads: {{ \"{}\": \"{}\" }}`",
        item.key, first.id
    ))
}

/// Finds the criteria named by `done:` entries, by text or by `epic-N.M` id.
fn tick_criteria(
    plan: &Plan,
    done: &[String],
    place: &FrontMatterPlace,
    diagnostics: &mut Diagnostics,
) -> Vec<CriterionRef> {
    let mut ticked = BTreeSet::new();
    for entry in done {
        let found = criteria_named(plan, entry);
        if found.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    codes::STATUS_DONE_UNKNOWN,
                    format!("`done:` entry \"{entry}\" matches no success criterion of this plan"),
                )
                .at(page_source(place), place.line_of("done", entry))
                .with_help("copy the criterion's text as written, or use its id: `epic-1.2` is the second criterion of epic 1"),
            );
        }
        ticked.extend(found);
    }
    ticked.into_iter().collect()
}

fn criteria_named(plan: &Plan, entry: &str) -> Vec<CriterionRef> {
    let wanted = normalise_criterion(entry);
    let same = |criterion: &Criterion| normalise_criterion(&criterion.text) == wanted;
    let mut found = Vec::new();
    for (e, epic) in plan.epics.iter().enumerate() {
        for (c, criterion) in epic.success_criteria.iter().enumerate() {
            let id = format!("epic-{}.{}", epic.number, c + 1);
            if same(criterion) || entry.trim().eq_ignore_ascii_case(&id) {
                found.push(CriterionRef::Epic(e, c));
            }
        }
    }
    for (g, group) in plan.metrics.iter().enumerate() {
        for (i, item) in group.items.iter().enumerate() {
            if same(item) {
                found.push(CriterionRef::Metric(g, i));
            }
        }
    }
    found
}

/// Lower case, single spaces, no trailing punctuation: `Port 3000 closed.` and
/// `port  3000 closed` name the same criterion.
fn normalise_criterion(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .trim_end_matches(['.', '!', ';', ','])
        .to_lowercase()
}

/// Finds lines of the page's front matter, so a diagnostic about a key can point at it.
struct FrontMatterPlace<'a> {
    page: &'a Page,
}

impl FrontMatterPlace<'_> {
    /// The line of `needle` inside the front matter block of `key`, else of `key:` itself.
    fn line_of(&self, key: &str, needle: &str) -> Option<Span> {
        let front = &self.page.text[..self.page.body_start.min(self.page.text.len())];
        let index = LineIndex::new(front);
        let mut key_line = None;
        let mut in_key = false;
        for (number, line) in front.lines().enumerate() {
            let is_top_level = !line.starts_with([' ', '\t', '-']) && line.contains(':');
            if is_top_level {
                in_key = line.starts_with(key) && line[key.len()..].trim_start().starts_with(':');
                if in_key {
                    key_line = Some(number);
                }
            }
            if in_key && line.contains(needle) && key_line != Some(number) {
                return Some(index.point(number as u32 + 1, 1));
            }
        }
        key_line.map(|number| index.point(number as u32 + 1, 1))
    }
}

fn page_source<'a>(place: &'a FrontMatterPlace) -> &'a Path {
    &place.page.source
}

mod best_first;
mod title_index;

#[cfg(test)]
mod tests;
