//! Audits: the readers' counts and severity mapping on fixtures of each format, the
//! merge of one CVE seen by two scanners, the diff, the plan links, the `--fail-on`
//! gate and the position of a JSON error.

use serde_json::Value;

use crate::support::{fixture_text, Site};

fn model(site: &Site) -> Value {
    let run = site.opsbook(&["dump-model"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("model JSON")
}

fn audit<'a>(model: &'a Value, source_suffix: &str) -> &'a Value {
    model["audits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["source"].as_str().unwrap().ends_with(source_suffix))
        .unwrap_or_else(|| panic!("no audit {source_suffix}"))
}

fn finding<'a>(audit: &'a Value, id: &str) -> &'a Value {
    audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

fn severities(audit: &Value) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let id = f["id"].as_str().unwrap().to_string();
            (id, f["severity"].as_str().unwrap().to_string())
        })
        .collect();
    list.sort();
    list
}

#[test]
fn multi_run_sarif_merges_one_cve_reported_by_two_scanners() {
    let site = Site::from_fixture("audits/multi_run");
    let model = model(&site);
    let audit = audit(&model, "edge-2024-05-01.sarif");
    assert_eq!(audit["results_read"], 5);
    assert_eq!(audit["findings"].as_array().unwrap().len(), 4);
    assert_eq!(audit["date"], "2024-05-01");
    let merged = finding(audit, "CVE-2023-0464");
    assert_eq!(merged["tools"], serde_json::json!(["Grype", "Trivy"]));
    assert_eq!(merged["package"], "libssl3");
    assert_eq!(merged["installed_version"], "3.0.8-1");
    assert_eq!(merged["fixed_version"], "3.0.9-1");
}

#[test]
fn sarif_severity_takes_score_then_tag_then_rule_default_then_warning() {
    let site = Site::from_fixture("audits/multi_run");
    let model = model(&site);
    let audit = audit(&model, "edge-2024-05-01.sarif");
    // security-severity 7.5 beats the result's level `error` and the `HIGH` tag alike.
    assert_eq!(
        finding(audit, "CVE-2023-0464")["severity_source"]["kind"],
        "score"
    );
    let tagged = finding(audit, "CVE-2022-3219");
    assert_eq!(tagged["severity"], "low");
    assert_eq!(tagged["severity_source"]["kind"], "tool_word");
    assert_eq!(tagged["suppressed"], true);
    let rule_default = finding(audit, "GHSA-lint-1");
    assert_eq!(rule_default["severity"], "low");
    assert_eq!(rule_default["severity_source"]["from"], "rule default");
    let spec_default = finding(audit, "no-such-rule");
    assert_eq!(spec_default["severity"], "medium");
    assert_eq!(spec_default["severity_source"]["from"], "SARIF default");
}

#[test]
fn trivy_json_reads_vulnerabilities_failed_checks_and_secrets_without_the_secret() {
    let site = Site::from_fixture("audits/trivy");
    let model = model(&site);
    let audit = audit(&model, "app-trivy.json");
    assert_eq!(
        severities(audit),
        [
            ("CVE-2023-5678".into(), "low".into()),
            ("CVE-2024-0727".into(), "medium".into()),
            ("DS002".into(), "high".into()),
            ("aws-access-key-id".into(), "critical".into()),
        ]
    );
    assert_eq!(
        finding(audit, "CVE-2024-0727")["severity_source"]["field"],
        "CVSS nvd v3"
    );
    assert_eq!(audit["target"], "registry.example/app:1.4");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.page("audits/app-trivy/index.html");
    assert!(!page.contains("AKIAEXAMPLESECRETVALUE"));
    let home = site.page("index.html");
    assert!(
        home.contains(r#"href="audits/app-trivy/index.html""#),
        "the home page lists the scan: {home}"
    );
}

#[test]
fn npm_audit_counts_packages_like_npm_and_maps_moderate_to_medium() {
    let site = Site::from_fixture("audits/npm");
    let model = model(&site);
    let audit = audit(&model, "web-npm-audit.json");
    assert_eq!(
        severities(audit),
        [
            ("GHSA-c2qf-rxjj-qqgw".into(), "medium".into()),
            ("GHSA-xvch-5gv4-984h".into(), "critical".into()),
            ("npm:mkdirp".into(), "critical".into()),
        ]
    );
    let semver = finding(audit, "GHSA-c2qf-rxjj-qqgw");
    assert_eq!(semver["severity_source"]["word"], "moderate");
    assert_eq!(semver["fixed_version"], "semver@7.6.0 (major upgrade)");
}

#[test]
fn report_findings_link_to_plan_tasks_and_problems_are_placed() {
    let site = Site::from_fixture("audits/report");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/audits/2026-01-05-edge-review.md:19:3: warning[OPS411]: open high finding `EDGE-3`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(
        "content/audits/2026-01-05-edge-review.md:28:3: warning[OPS410]: finding `EDGE-5` is remediated by task `9.9`"
    ));
    assert!(!run.stderr.contains("OPS102"), "{}", run.stderr);
    let model = model(&site);
    let report = audit(&model, "2026-01-05-edge-review.md");
    assert_eq!(report["date"], "2026-01-05");
    assert_eq!(report["report"]["grade"], "C+");
    assert_eq!(report["report"]["status"], "✅ COMPLETE");
    assert_eq!(report["findings"].as_array().unwrap().len(), 6);
    assert_eq!(
        finding(report, "EDGE-6")["remediated_by"],
        serde_json::json!(["2.1"])
    );
    let plan = site.page("plans/edge-rollout/index.html");
    let task = plan.split("id=\"task-1-1\"").nth(1).unwrap();
    let task = task.split("</article>").next().unwrap();
    assert!(task.contains("class=\"remediated-finding\""), "{task}");
    assert!(task.contains("audits/2026-01-05-edge-review/index.html#finding-edge-1"));
}

#[test]
fn diff_against_the_previous_audit_of_the_same_target() {
    let site = Site::from_fixture("audits/diff");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.page("audits/app-2024-05-01/index.html");
    let figure = |name: &str| {
        let after = page
            .split(&format!("change-{name}\"><dt>{name}</dt><dd>"))
            .nth(1)
            .unwrap();
        after.split('<').next().unwrap().to_string()
    };
    assert_eq!(
        (figure("new"), figure("fixed"), figure("unchanged")),
        ("1".into(), "1".into(), "1".into())
    );
    assert!(page.contains("class=\"fixed-finding\""));
    assert!(page.contains("CVE-2024-0001"));
    let older = site.page("audits/app-2024-04-01/index.html");
    assert!(!older.contains("audit-diff"));
}

#[test]
fn fail_on_high_exits_1_naming_each_unsuppressed_finding_and_writes_nothing() {
    let site = Site::from_fixture("audits/multi_run");
    let run = site.opsbook(&["build", "--fail-on", "high"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let gate: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("error[OPS420]"))
        .collect();
    assert_eq!(gate.len(), 1, "{}", run.stderr);
    assert!(
        gate[0].contains("`CVE-2023-0464` in libssl3 3.0.8-1"),
        "{}",
        gate[0]
    );
    assert!(!site.out().exists());
    let low = site.opsbook(&["build", "--fail-on", "low"]);
    // The suppressed low finding does not count; the other low and the medium do.
    assert_eq!(
        low.stderr.matches("error[OPS420]").count(),
        3,
        "{}",
        low.stderr
    );
    let critical = site.opsbook(&["build", "--fail-on", "critical"]);
    assert_eq!(critical.code, 0, "{}", critical.stderr);
    let wrong = site.opsbook(&["build", "--fail-on", "severe"]);
    assert_eq!(wrong.code, 2);
}

#[test]
fn accepted_report_findings_do_not_trip_the_gate() {
    let site = Site::from_fixture("audits/report");
    let run = site.opsbook(&["build", "--fail-on", "low"]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("`EDGE-4`"), "{}", run.stderr);
    assert!(!run.stderr.contains("`EDGE-6`"), "fixed: {}", run.stderr);
    assert!(run.stderr.contains("`EDGE-1`"));
}

#[test]
fn truncated_json_is_an_error_at_its_line_and_column_and_nothing_is_written() {
    let site = Site::with_files(&[
        ("content/index.md", "# Home\n"),
        ("content/audits/scan.sarif.json", "{\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\"tool\": {\"driver\": {\"name\": \"x\""),
    ]);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/audits/scan.sarif.json:4:36: error[OPS400]: the file ends in the middle of the JSON"),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists());
}

#[test]
fn invalid_json_points_at_the_bad_token_with_a_caret() {
    let site = Site::with_files(&[
        ("content/index.md", "# Home\n"),
        (
            "content/audits/npm.json",
            "{\n  \"auditReportVersion\": 2,\n  \"vulnerabilities\": {,}\n}\n",
        ),
    ]);
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/audits/npm.json:3:23: error[OPS400]: invalid JSON"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains('^'));
}

#[test]
fn audit_files_are_recognised_by_content_and_other_json_is_left_alone() {
    let site = Site::with_files(&[
        ("content/index.md", "# Home\n"),
        (
            "content/audits/scan.txt",
            "{\"SchemaVersion\": 2, \"ArtifactName\": \"x\", \"Results\": []}",
        ),
        ("content/audits/notes.json", "{\"name\": \"not an audit\"}"),
        ("content/audits/logo.svg", "<svg/>"),
    ]);
    let model = model(&site);
    let sources: Vec<&str> = model["audits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["content/audits/scan.txt"]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("note[OPS401]"), "{}", run.stderr);
}

#[test]
fn scanner_text_is_escaped_and_unsafe_links_are_dropped() {
    let site = Site::from_fixture("audits/multi_run");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.page("audits/edge-2024-05-01/index.html");
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("javascript:"));
    assert!(page.contains("<strong>Upgrade</strong>"));
    assert!(!page.contains("style="));
}

#[test]
fn a_site_of_scanner_output_alone_builds_and_its_home_page_lists_the_scans() {
    let sarif = fixture_text("audits/multi_run", "content/audits/edge-2024-05-01.sarif");
    let site = Site::with_files(&[("content/audits/edge-2024-05-01.sarif", &sarif)]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("OPS003"), "{}", run.stderr);
    let home = site.page("index.html");
    assert!(
        home.contains("href=\"audits/edge-2024-05-01/index.html\""),
        "{home}"
    );
    let check = site.opsbook(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

// ---- One image, three scanners, VEX (issue 15) ----

const WEB_ARTIFACT: &str = "audits/artifacts/registry-example-web-sha256-eb72ba8367eb/index.html";

/// The value of a `<div class="figure..."><dt>NAME</dt><dd>N</dd>` figure (links unwrapped).
fn figure(page: &str, name: &str) -> String {
    let after = page
        .split(&format!("<dt>{name}</dt><dd>"))
        .nth(1)
        .unwrap_or_else(|| panic!("no figure {name}"));
    let value = after.split("</dd>").next().unwrap();
    value
        .split('>')
        .filter_map(|part| part.split('<').next())
        .collect::<String>()
}

/// The `data-package` of each finding row, in page order.
fn row_packages(page: &str) -> Vec<String> {
    page.split("<tr class=\"finding ")
        .skip(1)
        .map(|row| {
            let row = row.split('>').next().unwrap();
            row.split("data-package=\"")
                .nth(1)
                .map(|rest| rest.split('"').next().unwrap().to_string())
                .unwrap_or_default()
        })
        .collect()
}

/// The row whose id is `anchor`, up to its end.
fn row<'a>(page: &'a str, anchor: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{anchor}\""))
        .unwrap_or_else(|| panic!("no row {anchor}"));
    let rest = &page[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

#[test]
fn three_scanners_of_one_image_share_an_artifact_page_with_their_disagreements() {
    let site = Site::from_fixture("audits/artifact");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let model = model(&site);
    let digests: Vec<&str> = model["audits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["artifact"]["digest"].as_str().unwrap())
        .collect();
    assert_eq!(digests.len(), 3);
    assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");
    let page = site.page(WEB_ARTIFACT);
    assert_eq!(figure(&page, "distinct findings"), "7");
    assert_eq!(figure(&page, "seen by all scanners"), "4");
    assert_eq!(figure(&page, "seen by some"), "3");
    assert_eq!(figure(&page, "severity disagreements"), "3");
    assert_eq!(page.matches("<tr class=\"disagreement\"").count(), 3);
    // Each scanner's value, with the signal it came from, in the order of the tools.
    let tar = page
        .split("<tr class=\"disagreement\"")
        .skip(1)
        .map(|row| row.split("</tr>").next().unwrap())
        .find(|row| row.contains(">CVE-2005-2541<"))
        .unwrap();
    let values: Vec<&str> = tar
        .split("class=\"badge sev-")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(values, ["critical", "low", "low", "critical"], "{tar}");
    assert!(tar.contains("security-severity 10.0"), "{tar}");
    assert!(tar.contains("SARIF level note (result)"), "{tar}");
    // Snyk names it by its own id and writes the CVE only in the rule's description.
    let tar_row = row(&page, "finding-cve-2005-2541-tar");
    assert!(
        tar_row.contains("data-tools=\"Grype|Snyk Container|Trivy\""),
        "{tar_row}"
    );
    // A finding only Snyk reports, without any CVE, keeps Snyk's id.
    let glibc = row(&page, "finding-snyk-debian12-glibc-5927133-libc6");
    assert!(glibc.contains("data-tools=\"Snyk Container\""), "{glibc}");
    // The scan pages name the image as their target, not a file inside it.
    let grype = site.page("audits/web-grype/index.html");
    assert!(grype.contains("<h1>Grype scan of registry.example/web@sha256:eb72ba8367eb</h1>"));
    assert!(
        grype.contains("<dt>Target</dt><dd>registry.example/web</dd>"),
        "{grype}"
    );
    assert!(!grype.contains("<span class=\"eyebrow\">Target</span> image/"));
    assert!(grype.contains(&format!("href=\"../../{WEB_ARTIFACT}\"")));
    let home = site.page("index.html");
    assert!(home.contains(&format!("href=\"{WEB_ARTIFACT}\"")), "{home}");
}

#[test]
fn the_latest_vex_statement_holds_and_closed_findings_are_not_open() {
    let site = Site::from_fixture("audits/artifact");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.page(WEB_ARTIFACT);
    assert_eq!(figure(&page, "open"), "4");
    // Three statements about CVE-2023-27103, out of order in the file: the latest wins.
    let libde265 = row(&page, "finding-cve-2023-27103-libde265-0");
    assert!(libde265.contains("data-vex=\"not_affected\""), "{libde265}");
    assert!(libde265.contains("component not present"), "{libde265}");
    assert!(
        libde265.contains("replaces 2 earlier statements"),
        "{libde265}"
    );
    let history = page.split("id=\"vex\"").nth(1).unwrap();
    assert_eq!(
        history
            .matches("class=\"vex-statement is-superseded\"")
            .count(),
        2
    );
    // `fixed` for CVE-2007-5686 closes it in both packages of the image.
    for anchor in [
        "finding-cve-2007-5686-login",
        "finding-cve-2007-5686-passwd",
    ] {
        assert!(
            row(&page, anchor).contains("data-vex=\"fixed\""),
            "{anchor}"
        );
    }
    let open = |scan: &str| {
        let scans = page.split("id=\"scans\"").nth(1).unwrap();
        let row = scans
            .split("<tr class=\"scan\"")
            .find(|row| row.contains(&format!("data-tool=\"{scan}\"")))
            .unwrap();
        let cell = row.split("class=\"num scan-open\">").nth(1).unwrap();
        cell.split('<').next().unwrap().to_string()
    };
    assert_eq!(
        (open("Grype"), open("Trivy"), open("Snyk Container")),
        ("3".into(), "3".into(), "3".into())
    );
    let trivy = site.page("audits/web-trivy/index.html");
    assert_eq!(figure(&trivy, "open"), "3");
    // A statement about a vulnerability no scan found is a note at the statement.
    assert!(
        run.stderr.contains(
            "content/audits/web.openvex.json:65:5: note[OPS405]: VEX statement `CVE-2023-44487`"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn findings_tables_list_open_findings_most_severe_first_and_fixable_first() {
    let site = Site::from_fixture("audits/artifact");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let trivy = site.page("audits/web-trivy/index.html");
    assert_eq!(
        row_packages(&trivy),
        [
            "perl-base",
            "libldap-2.5-0",
            "tar",
            "libde265-0",
            "login",
            "passwd"
        ]
    );
    assert!(trivy.contains("id=\"target-registry-example-web-high\""));
    assert!(trivy.contains("<a href=\"#target-registry-example-web-closed\">"));
    let artifact = site.page(WEB_ARTIFACT);
    assert_eq!(
        row_packages(&artifact),
        [
            "tar",
            "perl-base",
            "libldap-2.5-0",
            "libc6",
            "libde265-0",
            "login",
            "passwd"
        ]
    );
    // The filter is there for the script to show; without it the form stays hidden.
    assert!(artifact.contains("<form class=\"findings-filter\" data-findings-filter hidden"));
    assert!(artifact.contains("<script src=\"../../../static/audit.js\" defer></script>"));
}

#[test]
fn fail_on_high_fails_on_what_vex_leaves_open_and_passes_once_triaged() {
    let site = Site::from_fixture("audits/artifact");
    let run = site.opsbook(&["build", "--fail-on", "high"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let gate: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("error[OPS420]"))
        .collect();
    assert_eq!(gate.len(), 3, "{}", run.stderr);
    for id in [
        "`CVE-2005-2541` in tar",
        "`CVE-2023-31484` in perl-base",
        "`CVE-2023-2953` in libldap-2.5-0",
    ] {
        assert!(gate.iter().any(|l| l.contains(id)), "{id}: {gate:?}");
    }
    assert!(!run.stderr.contains("`CVE-2023-27103`"), "{}", run.stderr);
    assert!(
        gate[0].contains("Grype, Snyk Container, Trivy"),
        "{}",
        gate[0]
    );
    let triage = fixture_text("audits/artifact", "content/audits/web.openvex.json");
    let purl = triage
        .split("\"@id\": \"pkg:oci")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|rest| format!("pkg:oci{rest}"))
        .unwrap();
    site.write(
        "content/audits/triage.vex.json",
        format!(
            r#"{{"@context": "https://openvex.dev/ns/v0.2.0", "timestamp": "2024-04-01T12:00:00Z", "statements": [
  {{"vulnerability": {{"name": "CVE-2005-2541"}}, "products": [{{"@id": "{purl}"}}], "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}},
  {{"vulnerability": {{"name": "CVE-2023-31484"}}, "products": [{{"@id": "{purl}"}}], "status": "fixed"}},
  {{"vulnerability": {{"name": "CVE-2023-2953"}}, "products": [{{"@id": "{purl}", "subcomponents": [{{"@id": "pkg:deb/debian/libldap-2.5-0@2.5.13%2Bdfsg-5"}}]}}], "status": "not_affected", "justification": "inline_mitigations_already_exist"}}
]}}"#
        )
        .as_bytes(),
    );
    let triaged = site.opsbook(&["build", "--fail-on", "high"]);
    assert_eq!(triaged.code, 0, "{}", triaged.stderr);
    assert!(!triaged.stderr.contains("OPS420"));
}

#[test]
fn a_scan_compared_with_no_other_is_gated_finding_by_finding_with_vex() {
    let trivy = fixture_text("audits/artifact", "content/audits/web-trivy.sarif.json");
    let vex = fixture_text("audits/artifact", "content/audits/web.openvex.json");
    let site = Site::with_files(&[
        ("content/audits/web-trivy.sarif.json", &trivy),
        ("content/audits/web.openvex.json", &vex),
    ]);
    let run = site.opsbook(&["build", "--fail-on", "high"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("error[OPS420]").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("`CVE-2023-27103`"), "{}", run.stderr);
    let built = site.build();
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(!site.out().join("audits/artifacts").exists());
}

#[test]
fn the_severity_policy_can_follow_one_scanner_and_a_typo_is_a_warning() {
    let site = Site::from_fixture("audits/artifact");
    let highest = site.opsbook(&["build", "--fail-on", "critical"]);
    assert_eq!(highest.code, 1, "{}", highest.stderr);
    assert!(highest
        .stderr
        .contains("critical finding `CVE-2005-2541` in tar"));
    site.write("opsbook.toml", b"[audits]\nseverity = \"Trivy\"\n");
    let trivy = site.opsbook(&["build", "--fail-on", "critical"]);
    assert_eq!(trivy.code, 0, "{}", trivy.stderr);
    let page = site.page(WEB_ARTIFACT);
    assert!(
        page.contains(
            "<dt>Severity</dt><dd>as Trivy rates it, else the highest any scanner gives</dd>"
        ),
        "{page}"
    );
    let tar = row(&page, "finding-cve-2005-2541-tar");
    assert!(tar.contains("data-severity=\"low\""), "{tar}");
    site.write("opsbook.toml", b"[audits]\nseverity = \"Trivvy\"\n");
    let typo = site.opsbook(&["check"]);
    assert!(
        typo.stderr
            .contains("opsbook.toml:2:12: warning[OPS406]: `[audits] severity` names `Trivvy`"),
        "{}",
        typo.stderr
    );
}

#[test]
fn malformed_vex_is_an_error_at_the_statement_and_nothing_is_written() {
    let site = Site::with_files(&[
        ("content/index.md", "# Home\n"),
        (
            "content/audits/app.openvex.json",
            "{\n  \"@context\": \"https://openvex.dev/ns/v0.2.0\",\n  \"statements\": [\n    {\"vulnerability\": {\"name\": \"CVE-2024-1\"}, \"products\": [{\"@id\": \"app\"}],\n     \"status\": \"not_affected\"}\n  ]\n}\n",
        ),
    ]);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/audits/app.openvex.json:4:5: error[OPS404]: VEX statement `CVE-2024-1` is `not_affected` without a `justification` or an `impact_statement`"),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists());
}

#[test]
fn a_site_of_vex_alone_builds_and_its_home_page_lists_it() {
    let vex = fixture_text("audits/artifact", "content/audits/web.openvex.json");
    let site = Site::with_files(&[("content/audits/web.openvex.json", &vex)]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("OPS003"), "{}", run.stderr);
    let home = site.page("index.html");
    assert!(
        home.contains("href=\"audits/index.html#vex-web-openvex-json\""),
        "{home}"
    );
    let index = site.page("audits/index.html");
    assert!(index.contains("id=\"vex-web-openvex-json\""));
}
