use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::ingest::beads::parse_tracker;
use crate::model::status::IssueStatus;
use crate::test_support::{plan_page, sample_plan};

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
    page.text = format!("{front_text}# Sample Plan\n");
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
