//! Alert rules and runbooks: rule files read from `alerts/`, each `runbook_url` matched
//! to a runbook page (the site's address inferred or configured), dead links and alerts
//! without a runbook reported at their line, the alerts page, and the alerts shown on
//! the runbook page and in its PDF.

use crate::support::Site;

/// The headlines (`path:line:col: severity[CODE]`) of the diagnostics with `code`.
fn reported(stderr: &str, code: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| line.contains(&format!("[{code}]")))
        .map(|line| line.split(": ").take(2).collect::<Vec<_>>().join(": "))
        .collect()
}

#[test]
fn dead_runbook_urls_and_alerts_without_one_are_reported_at_their_line() {
    let site = Site::from_fixture("alerts/site");
    let run = site.build();
    assert_eq!(
        run.code, 0,
        "a dead runbook_url is a warning in build: {}",
        run.stderr
    );
    assert_eq!(
        reported(&run.stderr, "OPS710"),
        ["alerts/db.rules.yaml:35:20: warning[OPS710]"]
    );
    assert!(
        run.stderr
            .contains("write the runbook as `content/runbooks/db/PostgresDiskFull.md`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("runbook_base_url = \"https://runbooks.example.org/\""),
        "the inferred address and how to configure it: {}",
        run.stderr
    );
    assert_eq!(
        reported(&run.stderr, "OPS711"),
        ["alerts/db.rules.yaml:36:12: warning[OPS711]"]
    );
    assert_eq!(
        reported(&run.stderr, "OPS712"),
        ["content/runbooks/db/VacuumStuck.md: note[OPS712]"]
    );
    assert!(
        reported(&run.stderr, "OPS703").is_empty(),
        "a ConfigMap beside the rules is skipped quietly: {}",
        run.stderr
    );
}

#[test]
fn check_fails_on_a_dead_runbook_url() {
    let site = Site::from_fixture("alerts/site");
    let run = site.opsbook(&["check", "--no-pdf"]);
    assert_ne!(run.code, 0);
    assert_eq!(
        reported(&run.stderr, "OPS710"),
        ["alerts/db.rules.yaml:35:20: error[OPS710]"]
    );
}

#[test]
fn the_alerts_page_lists_every_alert_with_its_runbook_and_counts() {
    let site = Site::from_fixture("alerts/site");
    assert_eq!(site.build().code, 0);
    let page = site.page("alerts/index.html");
    assert!(
        page.contains("5 alerts from 6 rules in <code>alerts/db.rules.yaml</code>, <code>alerts/k8s/cluster.yaml</code>."),
        "{page}"
    );
    for (count, label) in [
        (2, "covered"),
        (1, "dead link"),
        (1, "no runbook_url"),
        (1, "other site"),
    ] {
        let shown = format!("<span class=\"alert-count-number\">{count}</span> {label}</li>");
        assert!(page.contains(&shown), "{shown}");
    }
    let rows: Vec<&str> = page
        .split("<tr id=\"alert-")
        .skip(1)
        .map(|row| row.split('"').next().unwrap())
        .collect();
    assert_eq!(
        rows,
        [
            "PostgresDiskFull",
            "PostgresTooManyConnections",
            "ClusterDown",
            "PostgresDown",
            "PostgresReplicationLag"
        ],
        "problems first"
    );
    assert!(page.contains("<a href=\"../runbooks/db/postgresreplicationlag/index.html\">Postgres Replication Lag</a>"), "{page}");
    assert!(page.contains(
        "<code class=\"dead-url\">https://runbooks.example.org/runbooks/db/postgresdiskfull</code>"
    ));
    assert!(page
        .contains("<a href=\"https://wiki.example.com/ClusterDown\" rel=\"external noopener\">"));
    assert!(
        page.contains("<code>alerts/db.rules.yaml:21</code>"),
        "each rule's line"
    );
    let home = site.page("index.html");
    assert!(
        home.contains("<a href=\"alerts/index.html\">Alerts</a>"),
        "site navigation"
    );
}

#[test]
fn a_runbook_page_shows_the_alerts_that_lead_to_it_with_promql_highlighted() {
    let site = Site::from_fixture("alerts/site");
    assert_eq!(site.build().code, 0);
    let page = site.page("runbooks/db/postgresreplicationlag/index.html");
    assert!(page.contains("The 2 alerts that lead here"), "{page}");
    assert_eq!(page.matches("<div class=\"alert-rule\">").count(), 2);
    assert!(page.contains("<a href=\"../../../alerts/index.html#alert-PostgresReplicationLag\">PostgresReplicationLag</a>"));
    assert!(page.contains("<span class=\"badge priority-p2\">warning</span>"));
    assert!(page.contains("<span class=\"badge priority-p0\">critical</span>"));
    assert!(page.contains("fires after 10m"));
    assert!(page.contains("A replica is far behind."));
    assert!(page.contains("<code>alerts/db.rules.yaml:21</code> · group <code>postgres</code>"));
    assert!(
        page.contains(
            "<span class=\"support function\">max</span> <span class=\"keyword\">by</span>"
        ),
        "the expression is highlighted as PromQL: {page}"
    );
    // The runbook's own ```promql block is highlighted the same way.
    assert!(page.matches("data-lang=\"promql\"").count() >= 3);
    let orphan = site.page("runbooks/db/vacuumstuck/index.html");
    assert!(!orphan.contains("alerts that lead here") && !orphan.contains("alert that leads here"));
}

#[cfg(feature = "pdf")]
#[test]
fn the_runbook_pdf_lists_its_alerts() {
    let site = Site::from_fixture("alerts/site");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(text) =
        crate::runbooks::pdf::pdf_text(&site, "runbooks/db/postgresdown/postgresdown.pdf")
    else {
        return;
    };
    assert!(text.contains("The alert that leads here"), "{text}");
    assert!(text.contains("PostgresDown"));
    assert!(text.contains("severity critical"), "{text}");
    assert!(text.contains("pg_up{job=\"postgres\"} == 0"), "{text}");
    assert!(text.contains("alerts/db.rules.yaml:4"), "{text}");
}

#[test]
fn a_configured_runbook_address_and_rule_patterns_are_used() {
    let site = Site::from_fixture("alerts/site");
    site.write(
        "opsbook.toml",
        b"[alerts]\nrules = [\"alerts/k8s/*.yaml\"]\nrunbook_base_url = \"https://wiki.example.com/\"\n",
    );
    // Published at the wiki's root, as the rule's URL names it.
    site.write(
        "content/ClusterDown.md",
        b"---\nkind: runbook\n---\n# Cluster Down\n\n## Mitigation\n\n1. Restart the API server.\n",
    );
    let run = site.opsbook(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.page("alerts/index.html");
    assert!(
        page.contains("1 alert from 1 rule in <code>alerts/k8s/cluster.yaml</code>."),
        "{page}"
    );
    assert!(page.contains("<span class=\"alert-count-number\">1</span> covered</li>"));
    assert!(
        page.contains("(<code>[alerts] runbook_base_url</code>)"),
        "{page}"
    );
    let runbook = site.page("clusterdown/index.html");
    assert!(runbook.contains("The alert that leads here"));
}

#[test]
fn a_rule_file_that_is_not_valid_yaml_fails_the_build_at_its_line() {
    let site = Site::from_fixture("alerts/site");
    site.write(
        "alerts/broken.yml",
        b"groups:\n- name: x\n  rules:\n  - alert: Broken\n    expr: [up\n",
    );
    let run = site.build();
    assert_ne!(run.code, 0);
    let errors = reported(&run.stderr, "OPS700");
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].starts_with("alerts/broken.yml:"), "{errors:?}");
    assert!(
        !site.out().join("index.html").exists(),
        "nothing is written"
    );
}

#[test]
fn a_site_without_rule_files_has_no_alerts_page_and_no_alert_notes() {
    let site = Site::from_fixture("alerts/site");
    std::fs::remove_dir_all(site.root().join("alerts")).unwrap();
    let run = site.opsbook(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.out().join("alerts").exists());
    assert!(reported(&run.stderr, "OPS712").is_empty());
    assert!(!site.page("index.html").contains(">Alerts</a>"));
}
