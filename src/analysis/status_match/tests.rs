use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::ingest::beads::parse_tracker;
use crate::model::status::IssueStatus;
use crate::test_support::{plan_page, sample_plan, Lcg};

/// The sample plan's tasks are "Close Dokploy Dashboard Port 3000" (1.1), "Add Security
/// Scanning to CI/CD" (1.2) and "Deploy" (2.1).
fn tracker(lines: &[&str]) -> Tracker {
    let mut diagnostics = Diagnostics::new();
    let tracker = parse_tracker(
        Path::new(".beads/issues.jsonl"),
        &lines.join("\n"),
        &mut diagnostics,
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    tracker
}

fn page_with(front_matter: FrontMatter, front_text: &str) -> Page {
    let mut page = plan_page("devops", sample_plan());
    page.text = format!("{front_text}# Sample Plan\n").into();
    page.body_start = front_text.len();
    page.front_matter = front_matter;
    page
}

fn run(page: &Page, tracker: Option<&Tracker>) -> (PlanStatus, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let status = match_plan(page, page.plan.as_ref().unwrap(), tracker, &mut diagnostics);
    (status, diagnostics)
}

fn matched(status: &PlanStatus, key: &str) -> Option<(String, MatchKind)> {
    status
        .task(key)
        .and_then(|item| item.matched.as_ref())
        .map(|m| (m.issue_id.clone(), m.kind))
}

#[test]
fn tasks_match_reworded_titles_and_take_the_issue_status() {
    let tracker = tracker(&[
        r#"{"id":"bd-1","title":"Close dokploy dashboard port 3000.","status":"closed"}"#,
        r#"{"id":"bd-2","title":"Add security scanning to the CI/CD pipeline","status":"in_progress"}"#,
        r#"{"id":"bd-3","title":"Write the quarterly report","status":"open"}"#,
    ]);
    let page = page_with(FrontMatter::default(), "");
    let (status, diagnostics) = run(&page, Some(&tracker));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        matched(&status, "1.1"),
        Some(("bd-1".into(), MatchKind::Title))
    );
    assert_eq!(
        matched(&status, "1.2"),
        Some(("bd-2".into(), MatchKind::Title))
    );
    assert_eq!(matched(&status, "2.1"), None);
    let second = status.task("1.2").unwrap().matched.as_ref().unwrap();
    assert_eq!(second.status, IssueStatus::InProgress);
    assert!(second.score >= MATCH_THRESHOLD && second.score < 1.0);
}

#[test]
fn a_pin_in_the_front_matter_overrides_a_better_title_match() {
    let tracker = tracker(&[
        r#"{"id":"bd-1","title":"Close Dokploy Dashboard Port 3000","status":"closed"}"#,
        r#"{"id":"bd-9","title":"Firewall work","status":"open"}"#,
    ]);
    let front_matter = FrontMatter {
        beads: BTreeMap::from([("1.1".to_string(), "bd-9".to_string())]),
        ..FrontMatter::default()
    };
    let page = page_with(front_matter, "---\nbeads:\n  \"1.1\": bd-9\n---\n");
    let (status, diagnostics) = run(&page, Some(&tracker));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let pinned = status.task("1.1").unwrap().matched.as_ref().unwrap();
    assert_eq!(
        (pinned.issue_id.as_str(), pinned.kind),
        ("bd-9", MatchKind::Pinned)
    );
    assert_eq!(pinned.score, 1.0);
    // The issue the title would have matched is free for other items, but none fits.
    assert_eq!(matched(&status, "1.2"), None);
}

#[test]
fn pins_to_unknown_issues_or_items_are_warnings_on_their_front_matter_line() {
    let tracker = tracker(&[r#"{"id":"bd-1","title":"x","status":"open"}"#]);
    let front_matter = FrontMatter {
        beads: BTreeMap::from([
            ("1.1".to_string(), "bd-404".to_string()),
            ("9.9".to_string(), "bd-1".to_string()),
        ]),
        ..FrontMatter::default()
    };
    let page = page_with(
        front_matter,
        "---\ntitle: x\nbeads:\n  \"1.1\": bd-404\n  \"9.9\": bd-1\n---\n",
    );
    let (_, diagnostics) = run(&page, Some(&tracker));
    let found: Vec<(&str, String)> = diagnostics.iter().map(|d| (d.code, d.location())).collect();
    assert_eq!(
        found,
        [
            (
                codes::STATUS_PIN_UNKNOWN_ITEM,
                "content/plans/devops.md:5:1".to_string()
            ),
            (
                codes::STATUS_PIN_UNKNOWN_ISSUE,
                "content/plans/devops.md:4:1".to_string()
            ),
        ]
    );
    // The spans hold the byte offsets of those lines, not just their numbers.
    let lines: Vec<&str> = diagnostics
        .iter()
        .map(|d| page.text[d.span.unwrap().start..].lines().next().unwrap())
        .collect();
    assert_eq!(lines, ["  \"9.9\": bd-1", "  \"1.1\": bd-404"]);
}

#[test]
fn one_issue_is_claimed_by_the_most_similar_task_only() {
    let mut page = page_with(FrontMatter::default(), "");
    let plan = page.plan.as_mut().unwrap();
    plan.epics[1].tasks[0].creation.title = "Close Dokploy Dashboard Port".into();
    let tracker = tracker(&[
        r#"{"id":"bd-1","title":"Close Dokploy Dashboard Port 3000","status":"closed"}"#,
    ]);
    let (status, _) = run(&page, Some(&tracker));
    assert_eq!(
        matched(&status, "1.1"),
        Some(("bd-1".into(), MatchKind::Title))
    );
    assert_eq!(matched(&status, "2.1"), None);
}

#[test]
fn equally_similar_issues_leave_the_task_unmatched_with_a_note() {
    let tracker = tracker(&[
        r#"{"id":"bd-1","title":"Add security scanning","status":"closed"}"#,
        r#"{"id":"bd-2","title":"Add security scanning","status":"open"}"#,
    ]);
    let page = page_with(FrontMatter::default(), "");
    let (status, diagnostics) = run(&page, Some(&tracker));
    assert_eq!(matched(&status, "1.2"), None);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, codes::STATUS_AMBIGUOUS_MATCH);
    assert!(diagnostics[0]
        .help
        .as_deref()
        .unwrap()
        .contains("\"1.2\": \"bd-1\""));
}

#[test]
fn epics_match_epic_issues_only_and_tasks_never_do() {
    let mut page = page_with(FrontMatter::default(), "");
    page.plan.as_mut().unwrap().epics[1].title = "Deploy".into();
    let tracker = tracker(&[
        r#"{"id":"bd-e","title":"Epic: Production","issue_type":"epic","status":"in_progress"}"#,
        r#"{"id":"bd-t","title":"Deploy","issue_type":"epic","status":"closed"}"#,
    ]);
    let (status, _) = run(&page, Some(&tracker));
    let epic = status.epic(2).unwrap().matched.as_ref().unwrap();
    assert_eq!(epic.issue_id, "bd-t", "the epic titled Deploy");
    assert_eq!(
        matched(&status, "2.1"),
        None,
        "a task is never tied to an epic issue"
    );
}

#[test]
fn a_task_below_the_threshold_keeps_its_best_issue_as_a_near_miss() {
    let tracker = tracker(&[r#"{"id":"bd-1","title":"Open the dashboard port","status":"open"}"#]);
    let page = page_with(FrontMatter::default(), "");
    let (status, _) = run(&page, Some(&tracker));
    let item = status.task("1.1").unwrap();
    assert!(item.matched.is_none());
    let near = item.near_miss.as_ref().unwrap();
    assert_eq!(near.issue_id, "bd-1");
    assert!(near.score > 0.0 && near.score < MATCH_THRESHOLD);
}

#[test]
fn done_entries_tick_criteria_by_text_or_id_and_unknown_ones_warn() {
    let front_matter = FrontMatter {
        done: vec![
            "ci scans.".into(),
            "epic-2.1".into(),
            "Everything works".into(),
        ],
        ..FrontMatter::default()
    };
    let page = page_with(
        front_matter,
        "---\ndone:\n  - ci scans.\n  - epic-2.1\n  - Everything works\n---\n",
    );
    let (status, diagnostics) = run(&page, None);
    assert!(!status.has_tracker);
    assert_eq!(
        status.ticked,
        [CriterionRef::Epic(0, 1), CriterionRef::Epic(1, 0)]
    );
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, codes::STATUS_DONE_UNKNOWN);
    assert_eq!(diagnostics[0].location(), "content/plans/devops.md:5:1");
    let start = diagnostics[0].span.unwrap().start;
    assert!(
        page.text[start..].starts_with("  - Everything works\n"),
        "{start}"
    );
}

#[test]
fn without_a_tracker_every_item_is_listed_without_a_match() {
    let page = page_with(FrontMatter::default(), "");
    let (status, diagnostics) = run(&page, None);
    assert!(diagnostics.is_empty());
    assert_eq!(status.tasks.len(), 3);
    assert_eq!(status.epics.len(), 2);
    assert!(status.tasks.iter().all(|t| t.matched.is_none()));
}

/// The matcher as it was before titles were indexed: every item scored against every
/// issue, every pair at or above the threshold sorted and taken best first. The indexed
/// matcher must give exactly what this gives.
fn all_pairs_match_titles(
    items: &[Item],
    tracker: &Tracker,
    pinned: &BTreeMap<usize, IssueMatch>,
    place: &FrontMatterPlace,
    diagnostics: &mut Diagnostics,
) -> TitleMatches {
    use crate::analysis::title_similarity::token_dice;
    let taken: BTreeSet<&str> = pinned.values().map(|m| m.issue_id.as_str()).collect();
    let issues: Vec<(&TrackerIssue, BTreeSet<String>)> = tracker
        .issues
        .iter()
        .filter(|issue| !taken.contains(issue.id.as_str()))
        .map(|issue| (issue, title_tokens(&issue.title)))
        .collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    let mut near_misses = BTreeMap::new();
    for (item_index, item) in items.iter().enumerate() {
        if pinned.contains_key(&item_index) {
            continue;
        }
        let mut scored: Vec<(f64, usize)> = issues
            .iter()
            .enumerate()
            .filter(|(_, (issue, _))| issue.is_epic() == item.is_epic)
            .map(|(i, (_, tokens))| (token_dice(&item.tokens, tokens), i))
            .filter(|(score, _)| *score > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        match scored.as_slice() {
            [(best, i), (second, j), ..] if *best >= MATCH_THRESHOLD && best == second => {
                diagnostics.push(ambiguous(item, issues[*i].0, issues[*j].0, *best, place));
            }
            [(best, _), ..] if *best >= MATCH_THRESHOLD => pairs.extend(
                scored
                    .iter()
                    .filter(|(score, _)| *score >= MATCH_THRESHOLD)
                    .map(|(score, issue)| (*score, item_index, *issue)),
            ),
            [(best, i), ..] => {
                near_misses.insert(item_index, near_miss(issues[*i].0, *best));
            }
            [] => {}
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut matches = BTreeMap::new();
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for (score, item_index, issue_index) in pairs {
        if matches.contains_key(&item_index) || used.contains(&issue_index) {
            continue;
        }
        used.insert(issue_index);
        let issue = issues[issue_index].0;
        matches.insert(item_index, issue_match(issue, MatchKind::Title, score));
    }
    TitleMatches {
        matches,
        near_misses,
    }
}

/// Titles for the comparison below, which tries many shapes of plan and tracker.
trait Titles {
    fn title(&mut self) -> String;
}

impl Titles for Lcg {
    /// A title of one to six words from a small vocabulary, so titles overlap a lot,
    /// ties are common and many items want the same issues.
    fn title(&mut self) -> String {
        const WORDS: &[&str] = &[
            "configure",
            "disk",
            "alerts",
            "alert",
            "service",
            "backup",
            "restore",
            "the",
            "Epic:",
            "rotate",
            "keys",
            "tls",
            "1",
            "2",
            "3",
            "edge",
            "proxy",
            "logs",
        ];
        let length = 1 + self.below(6);
        let words: Vec<&str> = (0..length)
            .map(|_| WORDS[self.below(WORDS.len())])
            .collect();
        words.join(" ")
    }
}

#[test]
fn the_indexed_matcher_gives_what_comparing_every_pair_gives() {
    let page = page_with(FrontMatter::default(), "");
    let place = FrontMatterPlace { page: &page };
    let mut random = Lcg(16);
    let mut outcomes = [0usize; 3];
    for round in 0..300 {
        let item_count = 1 + random.below(40);
        let issue_count = random.below(60);
        let items: Vec<Item> = (0..item_count)
            .map(|i| {
                let title = random.title();
                Item {
                    key: format!("{}.{i}", round),
                    tokens: title_tokens(&title),
                    title,
                    is_epic: random.below(5) == 0,
                }
            })
            .collect();
        let lines: Vec<String> = (0..issue_count)
            .map(|i| {
                let kind = if random.below(5) == 0 { "epic" } else { "task" };
                serde_json::json!({"id": format!("bd-{i}"), "title": random.title(), "issue_type": kind})
                    .to_string()
            })
            .collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let tracker = tracker(&lines);
        let pinned: BTreeMap<usize, IssueMatch> = match tracker.issues.first() {
            Some(issue) if random.below(3) == 0 => {
                BTreeMap::from([(0, issue_match(issue, MatchKind::Pinned, 1.0))])
            }
            _ => BTreeMap::new(),
        };
        let mut indexed_notes = Diagnostics::new();
        let indexed = match_titles(&items, &tracker, &pinned, &place, &mut indexed_notes);
        let mut expected_notes = Diagnostics::new();
        let expected =
            all_pairs_match_titles(&items, &tracker, &pinned, &place, &mut expected_notes);
        assert_eq!(indexed.matches, expected.matches, "round {round}");
        assert_eq!(indexed.near_misses, expected.near_misses, "round {round}");
        assert_eq!(indexed_notes, expected_notes, "round {round}");
        outcomes[0] += expected.matches.len();
        outcomes[1] += expected.near_misses.len();
        outcomes[2] += expected_notes.len();
    }
    // The rounds exercised every outcome, many times.
    assert!(outcomes.iter().all(|&n| n > 100), "{outcomes:?}");
}

/// An item whose first candidates are all taken by items that rank before it must look
/// further, past what it kept at first, and still get the issue the full sort gives it.
#[test]
fn an_item_whose_kept_candidates_are_taken_finds_the_next_free_issue() {
    let page = page_with(FrontMatter::default(), "");
    let place = FrontMatterPlace { page: &page };
    let kept = best_first::FIRST_KEPT;
    // Issue i is "alpha beta gamma i" and item k "alpha beta gamma k", so each item's own
    // issue is its best and every other issue scores 0.75 for it. The last item, "alpha
    // beta gamma 0 zeta", ranks issue 0 first (0.89) and all others next (0.67): it loses
    // issue 0 and everything it kept to items that score 1.0, and must find the one issue
    // no item owns.
    let n = 4 * kept;
    let title = |i: usize| format!("alpha beta gamma {i}");
    let lines: Vec<String> = (0..n)
        .map(|i| serde_json::json!({"id": format!("bd-{i}"), "title": title(i)}).to_string())
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let tracker = tracker(&lines);
    let item = |key: String, title: String| Item {
        key,
        tokens: title_tokens(&title),
        title,
        is_epic: false,
    };
    let mut items: Vec<Item> = (0..n - 1)
        .map(|k| item(format!("1.{k}"), title(k)))
        .collect();
    items.push(item("2.1".into(), "alpha beta gamma 0 zeta".into()));
    let mut diagnostics = Diagnostics::new();
    let found = match_titles(&items, &tracker, &BTreeMap::new(), &place, &mut diagnostics);
    let expected = all_pairs_match_titles(
        &items,
        &tracker,
        &BTreeMap::new(),
        &place,
        &mut Diagnostics::new(),
    );
    assert_eq!(found.matches, expected.matches);
    assert_eq!(found.matches.len(), n);
    assert_eq!(found.matches[&(n - 1)].issue_id, format!("bd-{}", n - 1));
}
