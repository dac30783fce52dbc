//! Tracker status (beads): statuses on the plan page, tombstones, `--explain`, the
//! `done:` ticks and `export beads`.

use crate::support::Site;

const PLAN_PAGE: &str = "plans/queue-migration/index.html";

/// `data-status` of every task article, in page order.
fn task_statuses(html: &str) -> Vec<String> {
    html.split("<article class=\"task\"")
        .skip(1)
        .map(|article| {
            let head = &article[..article.find('>').unwrap()];
            head.split("data-status=\"")
                .nth(1)
                .map(|rest| rest[..rest.find('"').unwrap()].to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn tasks_show_the_status_of_the_issue_their_title_or_pin_matches() {
    let site = Site::from_fixture("beads/status");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.page(PLAN_PAGE);
    assert_eq!(
        task_statuses(&html),
        ["closed", "in_progress", "none", "blocked", "closed"]
    );
    assert!(html.contains("<progress max=\"5\" value=\"2\""));
    assert!(html.contains("2 of 5 tasks closed"));
    assert!(html.contains("1 of 3 tasks closed"));
    assert!(html.contains("1 of 2 tasks closed"));
}

#[test]
fn a_tombstoned_issue_never_gives_a_task_its_status() {
    let site = Site::from_fixture("beads/status");
    site.build();
    let html = site.page(PLAN_PAGE);
    // Task 1.3's only matching issue (qm-13) is a tombstone.
    assert!(!html.contains("qm-13"));
    assert_eq!(task_statuses(&html)[2], "none");
}

#[test]
fn a_bad_tracker_line_is_a_warning_with_its_position_and_the_build_succeeds() {
    let site = Site::from_fixture("beads/status");
    let run = site.build();
    assert_eq!(run.code, 0);
    assert!(
        run.stderr
            .contains(".beads/issues.jsonl:8:34: warning[OPS430]: tracker line is not a readable issue: EOF while parsing a string\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_lists_every_match_with_its_kind_and_score() {
    let site = Site::from_fixture("beads/status");
    let run = site.opsbook(&["build", "--explain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = "\
content/plans/queue-migration.md: task status
  epic-1  \"Epic: Broker Cutover\" -> qm-10 [in_progress] \"Epic: Broker cutover\" (title 1.00)
  epic-2  \"Epic: Cleanup\" -> no issue
  1.1     \"Provision Managed RabbitMQ Cluster\" -> qm-11 [closed] \"Provision managed RabbitMQ cluster\" (title 1.00)
  1.2     \"Mirror Producer Traffic to New Broker\" -> qm-12 [in_progress] \"Mirror producer traffic to the new broker\" (title 1.00)
  1.3     \"Switch Consumers to Managed Broker\" -> no issue (closest qm-11 \"Provision managed RabbitMQ cluster\" 0.25 < 0.65)
  2.1     \"Decommission Old Broker VMs\" -> qm-14 [blocked] \"Decommission old broker VMs\" (title 1.00)
  2.2     \"Update Queue Runbook\" -> qm-77 [closed] \"Docs: rewrite on-call page for queues\" (pinned by beads:)
";
    assert_eq!(run.stdout, expected);
}

#[test]
fn done_in_front_matter_ticks_a_criterion_and_counts_it() {
    let site = Site::from_fixture("beads/status");
    site.build();
    let html = site.page(PLAN_PAGE);
    assert!(
        html.contains("<span class=\"progress\">1 of 2 done</span>"),
        "{html}"
    );
    assert_eq!(html.matches("class=\"check-source\"").count(), 1);
}

#[test]
fn a_site_without_a_tracker_has_no_status_badges() {
    let site = Site::from_fixture("beads/status");
    std::fs::remove_file(site.root().join(".beads/issues.jsonl")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.page(PLAN_PAGE);
    assert!(!html.contains("status-badge"));
    assert!(!html.contains("<progress"));
}

#[test]
fn export_beads_writes_a_graph_plan_with_parent_links() {
    let site = Site::from_fixture("beads/status");
    let run = site.opsbook(&["export", "beads", "content/plans/queue-migration.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let nodes = json["nodes"].as_array().unwrap();
    let keys: Vec<&str> = nodes.iter().map(|n| n["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        ["epic-1", "1.1", "1.2", "1.3", "epic-2", "2.1", "2.2"]
    );
    assert_eq!(nodes[1]["parent_key"], "epic-1");
    assert_eq!(nodes[1]["estimate"], 120);
    assert_eq!(nodes[6]["priority"], 2);
    let edges = json["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 5);
    assert!(edges.iter().all(|e| e["type"] == "parent-child"));
}

#[test]
fn export_of_a_file_that_is_not_a_plan_page_fails_with_a_diagnostic() {
    let site = Site::from_fixture("beads/status");
    let run = site.opsbook(&["export", "beads", "content/plans/missing.md"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[OPS440]"), "{}", run.stderr);
}
