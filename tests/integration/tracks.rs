//! Lane plans end to end (issue 12): plans written as tracks, phases and waves of tracker
//! ids are read into lanes of work items, joined to the tracker, checked, and shown on
//! their pages; a plan that follows no convention is still a document. The fixtures are
//! small plans written for these tests in the conventions the issue describes.

use serde_json::Value;

use crate::support::Site;

fn model(site: &Site) -> Value {
    let run = site.opsbook(&["dump-model"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("model JSON")
}

fn plan<'m>(model: &'m Value, source: &str) -> &'m Value {
    let page = model["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|page| page["source"] == source)
        .unwrap_or_else(|| panic!("no page {source}"));
    &page["plan"]
}

/// `(key, owner, item keys)` of each lane.
fn lanes(plan: &Value) -> Vec<(String, String, Vec<String>)> {
    plan["lanes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|lane| {
            let items = lane["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["key"].as_str().unwrap().to_string())
                .collect();
            let owner = lane["owner"]["text"].as_str().unwrap_or("").to_string();
            (lane["key"].as_str().unwrap().to_string(), owner, items)
        })
        .collect()
}

/// `from -> to (source, strength)` of each dependency.
fn edges(plan: &Value) -> Vec<String> {
    plan["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} -> {} ({}, {})",
                d["from"]["key"].as_str().unwrap(),
                d["to"]["key"].as_str().unwrap(),
                d["source"].as_str().unwrap(),
                d["strength"].as_str().unwrap()
            )
        })
        .collect()
}

fn built(fixture: &str) -> (Site, String) {
    let site = Site::from_fixture(fixture);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    (site, run.stderr)
}

fn assert_logged(log: &str, expected: &[&str]) {
    for line in expected {
        assert!(log.contains(line), "missing `{line}` in:\n{log}");
    }
}

#[test]
fn tracks_and_phases_that_name_them_are_one_lane_each_with_their_items_and_edges() {
    let (site, _) = built("tracks/deploy");
    let model = model(&site);
    let plan = plan(&model, "content/plans/cache-cutover.md");
    assert_eq!(plan["family"], "lanes");
    assert_eq!(
        lanes(plan),
        [
            (
                "track-1".into(),
                "AmberFox".into(),
                vec!["cc-net-1".into(), "cc-net-2".into()]
            ),
            (
                "track-2".into(),
                "SilverOwl".into(),
                vec!["cc-app-1".into(), "cc-app-2".into(), "cc-app-3".into()]
            ),
        ]
    );
    // The phase's heading gives the item its time and its commands.
    let first = &plan["lanes"][0]["items"][0];
    assert_eq!(first["estimate"]["raw"], "30 minutes");
    assert!(first["details"][0]["text"]
        .as_str()
        .unwrap()
        .contains("terraform apply"));
    assert_eq!(first["tracker"]["status"], "closed");
    assert_eq!(
        first["tracker"]["close_reason"],
        "Subnet 10.40.0.0/24 created"
    );
    assert_eq!(
        edges(plan),
        [
            "cc-net-2 -> track-2 (plan_text, hard)",
            "cc-net-1 -> cc-net-2 (tracker_blocks, hard)"
        ]
    );
    // Phase 1 names no track and holds no item: it stays a section as written.
    let sections: Vec<&str> = plan["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"]["text"].as_str().unwrap())
        .collect();
    assert!(
        sections.contains(&"PHASE 1: Preparation (Local Machine)"),
        "{sections:?}"
    );
    assert!(
        !sections.iter().any(|s| s.contains("PHASE 2")),
        "{sections:?}"
    );
}

#[test]
fn lane_health_is_reported_at_its_positions() {
    let (_, log) = built("tracks/deploy");
    let plan = "content/plans/cache-cutover.md";
    assert_logged(
        &log,
        &[
            &format!("{plan}:12:15: warning[OPS342]: Track 1 states `2-3 hours` (line 12) but the estimate table gives it `1 hour` (line 104)"),
            &format!("{plan}:108:23: warning[OPS344]: `Total (Parallel)` states 2 hours but the longest chain of lanes by their estimates and hard dependencies (Track 1 → Track 2) takes 3 h"),
            &format!("{plan}:93:26: warning[OPS330]: `bd sync` no longer exists in bd"),
            &format!("{plan}:79:1: note[OPS348]: `Track 1 Complete` is all ticked (2 of 2) while Track 1's items are open in the tracker"),
            &format!("{plan}:29:1: note[OPS437]: 2 of the plan's 5 work item ids are not in the tracker: `cc-app-2`, `cc-app-3`"),
        ],
    );
    assert!(!log.contains("OPS201"), "{log}");
    assert_eq!(log.matches("OPS437").count(), 1, "one note per plan");
    assert!(
        !log.contains("Total (Sequential)"),
        "3 hours is what the lanes add up to: {log}"
    );
}

#[test]
fn the_page_shows_lanes_items_statuses_checklists_and_dependency_sources() {
    let (site, _) = built("tracks/deploy");
    let page = site.page("plans/cache-cutover/index.html");
    assert!(page.contains(r#"data-family="lanes""#));
    assert_eq!(
        page.matches(r#"<section class="epic lane" id="lane-track-"#)
            .count(),
        2
    );
    assert_eq!(
        page.matches(r#"<article class="task work-item" id="item-"#)
            .count(),
        5
    );
    assert!(page.contains(r#"id="item-cc-net-1""#));
    assert!(page.contains(r#"data-status="closed""#));
    assert!(page.contains(r#"data-status="in_progress""#));
    assert_eq!(page.matches(">Not in tracker<").count(), 2);
    assert!(page.contains("4 of 5"), "success criteria ticked");
    assert!(page.contains("follow-ups open"));
    assert!(page.contains("1 of 5 items closed"));
    assert!(page.contains("tracker (blocks)"));
    assert!(page.contains("plan text"));
    assert!(page.contains("Subnet 10.40.0.0/24 created"));
    assert!(
        page.contains("<code>CACHE_URL</code>"),
        "steps keep their code spans"
    );
    // The health panel links findings to lanes and items that exist on the page.
    assert!(page.contains(r##"<a class="health-target" href="#lane-track-1">Track 1</a>"##));
}

#[test]
fn an_overview_chain_orders_items_and_cross_track_prose_gives_edges() {
    let (site, log) = built("tracks/execution");
    let model = model(&site);
    let plan = plan(&model, "content/plans/search-rollout.md");
    assert_eq!(
        lanes(plan),
        [
            (
                "track-1".into(),
                "CopperHill".into(),
                vec!["sr-ix1".into(), "sr-ix2".into()]
            ),
            (
                "track-2".into(),
                "JadeRiver".into(),
                vec!["sr-ui1".into(), "sr-ui2".into(), "sr-ui3".into()]
            ),
            ("track-3".into(), "IronBay".into(), vec!["sr-ops1".into()]),
        ]
    );
    assert_eq!(
        edges(plan),
        [
            "sr-ix1 -> track-2 (plan_text, hard)",
            "sr-ix2 -> track-3 (plan_text, hard)",
            "sr-zz9 -> track-3 (plan_text, hard)",
            "sr-ix2 -> sr-ui2 (tracker_blocks, hard)"
        ]
    );
    // `SR-OPS1` in the tracker is `sr-ops1` in the plan: ids are compared without case.
    assert_eq!(plan["lanes"][2]["items"][0]["tracker"]["status"], "closed");
    assert_eq!(plan["epic"]["tracker"]["status"], "closed");
    let source = "content/plans/search-rollout.md";
    assert_logged(
        &log,
        &[
            &format!("{source}:3:7: warning[OPS340]: the plan's epic `sr-epic` is closed in the tracker while 2 of its 6 items are open: `sr-ui1` and `sr-ui2`"),
            &format!("{source}:32:1: warning[OPS341]: `sr-ui3` is closed in the tracker while `sr-ui1` and `sr-ui2`, before it in Track 2, are open"),
            &format!("{source}:45:3: warning[OPS346]: Track 3 depends on `sr-zz9`, which this plan does not have"),
        ],
    );
    assert!(
        !log.lines()
            .any(|l| l.starts_with(source) && l.contains("OPS437")),
        "every id is in the tracker: {log}"
    );
}

#[test]
fn a_plan_in_vietnamese_phases_is_read_by_its_lane_words() {
    let (site, log) = built("tracks/execution");
    let model = model(&site);
    let plan = plan(&model, "content/plans/ke-hoach-di-chuyen.md");
    assert_eq!(plan["family"], "lanes");
    assert_eq!(
        lanes(plan),
        [
            (
                "phase-1".into(),
                "HaiAu".into(),
                vec!["dm-101".into(), "dm-102".into()]
            ),
            ("phase-2".into(), "HaiAu".into(), vec!["dm-103".into()]),
        ]
    );
    // The shared duration reader knows English units only: the stated time is kept as a
    // field of the lane, not lost.
    assert_eq!(plan["lanes"][0]["duration"], Value::Null);
    assert_eq!(plan["lanes"][0]["fields"][0]["name"], "Thời gian");
    assert_eq!(plan["lanes"][0]["fields"][0]["value"], "2 giờ");
    assert_eq!(edges(plan), ["dm-102 -> phase-2 (plan_text, hard)"]);
    assert_eq!(plan["checklists"][0]["role"], "criteria");
    assert_logged(
        &log,
        &["content/plans/ke-hoach-di-chuyen.md:11:1: warning[OPS341]: `dm-102` is closed in the tracker while `dm-101`, before it in Phase 1, is open"],
    );
}

#[test]
fn only_a_plan_without_either_family_is_a_document() {
    let (site, log) = built("tracks/execution");
    assert_eq!(log.matches("OPS201").count(), 1, "{log}");
    assert!(
        log.contains("content/plans/retro-notes.md:1:3: note[OPS201]"),
        "{log}"
    );
    let model = model(&site);
    assert_eq!(
        plan(&model, "content/plans/retro-notes.md")["family"],
        "document"
    );
}

#[test]
fn items_in_headings_hold_sub_items_and_planned_work_keeps_its_estimates() {
    let (site, log) = built("tracks/gate");
    let model = model(&site);
    let plan = plan(&model, "content/plans/release-gate.md");
    let gate = &plan["lanes"][0];
    assert_eq!(gate["purpose"]["text"], "Unblock every build");
    let container = &gate["items"][1];
    assert_eq!(container["key"], "rg-g1");
    let subs: Vec<&str> = container["sub_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tracker_id"].as_str().unwrap())
        .collect();
    assert_eq!(subs, ["RG-1A", "RG-1B"]);
    assert_eq!(gate["items"][0]["estimate"]["raw"], "20 min");
    let planned: Vec<(&str, &str)> = plan["lanes"][1]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["title"].as_str().unwrap(),
                i["estimate"]["raw"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        planned,
        [
            ("Cache the dependencies", "1 hour"),
            ("Parallel test shards", "90 min")
        ]
    );
    let source = "content/plans/release-gate.md";
    assert_logged(
        &log,
        &[
            "warning[OPS340]: `rg-g1` is closed in the tracker while its sub-item `RG-1A` is open",
            "warning[OPS341]: `rg-g1` is closed in the tracker while `rg-s1`, before it in Track 0, is open",
            &format!("{source}:13:51: warning[OPS343]: Track 1's 2 planned items add up to 2 h 30 min, more than its stated `2 hours`"),
            "note[OPS348]: `Success Criteria` is all ticked (2 of 2) while `rg-s1` is open in the tracker",
            "note[OPS437]: 1 of the plan's 4 work item ids is not in the tracker: `RG-1B`",
        ],
    );
    assert!(
        !log.contains("OPS345"),
        "the declared path is what the lanes give: {log}"
    );
    // The cross-track section is kept as written, its mermaid drawn.
    let page = site.page("plans/release-gate/index.html");
    assert!(page.contains(r#"id="section-cross-track-dependencies""#));
    assert!(page.contains("<svg"), "the map is drawn");
}

#[test]
fn check_finds_every_anchor_the_lane_pages_link() {
    for fixture in ["tracks/deploy", "tracks/execution", "tracks/gate"] {
        let site = Site::from_fixture(fixture);
        let run = site.opsbook(&["check"]);
        assert_eq!(run.code, 0, "{fixture}: {}", run.stderr);
        assert!(!run.stderr.contains("OPS611"), "{fixture}: {}", run.stderr);
    }
}

#[test]
fn lane_pages_build_byte_identical() {
    let site = Site::from_fixture("tracks/execution");
    site.build();
    let first = site.output_files();
    site.build();
    assert_eq!(first, site.output_files());
}
