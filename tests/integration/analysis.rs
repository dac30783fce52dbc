//! Plan analyses end to end: a plan that contradicts itself still builds, every finding
//! is a warning or note at its `path:line:col`, and the plan page shows them in its
//! Health panel and its timeline drawing.

use crate::support::Site;

const PLAN: &str = "content/plans/rollout.md";

fn built() -> (Site, String) {
    let site = Site::from_fixture("analysis/contradictions");
    let run = site.build();
    assert_eq!(
        run.code, 0,
        "a contradictory plan still builds: {}",
        run.stderr
    );
    (site, run.stderr)
}

#[test]
fn contradictions_are_warnings_at_their_positions() {
    let (_, log) = built();
    for expected in [
        format!("{PLAN}:4:39: warning[OPS320]: the plan claims 4 tasks but defines 3"),
        format!("{PLAN}:10:1: warning[OPS321]: priority distribution: claimed P0/P1 2/2 vs counted 1/2"),
        format!("{PLAN}:17:15: warning[OPS322]: Epic 1's task ETAs add up to 1 h 15 min, more than its duration of 1 hour"),
        format!("{PLAN}:22:1: warning[OPS328]: Task 1.1 is P0 but its Epic 1 is only P1"),
        format!("{PLAN}:45:1: warning[OPS330]: `bd sync` no longer exists in bd"),
        format!("{PLAN}:54:3: note[OPS325]: timeline item \"Load test <the cache> & \"tune\"\" (Day 1, Morning) matches no task: work no task covers"),
    ] {
        assert!(log.contains(&expected), "missing `{expected}` in:\n{log}");
    }
    assert!(!log.contains("error["), "{log}");
    assert!(!log.contains("OPS326"), "every task is scheduled: {log}");
}

#[test]
fn p0_work_after_p1_work_is_reported() {
    let (_, log) = built();
    assert!(
        log.contains("warning[OPS329]: P0 Task 1.1 is scheduled on Day 2, after 2 tasks of less urgent epics on Day 1"),
        "{log}"
    );
}

#[test]
fn plan_page_shows_health_panel_and_linked_timeline() {
    let (site, log) = built();
    let page = site.page("plans/rollout/index.html");
    let findings = log.matches("[OPS3").count();
    assert_eq!(
        page.matches(r#"<li class="health-finding "#).count(),
        findings
    );
    assert!(page.contains(r##"<a class="health-target" href="#epic-1">Epic 1</a>"##));
    assert!(page.contains("<code>bd sync</code>"));
    assert_eq!(page.matches(r##"<a href="#task-"##).count(), 3);
    assert_eq!(page.matches(r#"class="tl-item tl-unmatched""#).count(), 1);
    assert!(page.contains("Load test &lt;the cache&gt; &amp; &quot;tune&quot;"));
    assert!(!page.contains("<the cache>"));
}
