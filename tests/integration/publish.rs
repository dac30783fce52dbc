//! Publishing: publish-safety diagnostics and `--public`, canonical links and the
//! sitemap with and without `--base-url`, the search index and page.

use crate::support::Site;

const SECRET_PASSWORD: &str = "Sup3r-S3cret-Value";
const GITHUB_TOKEN: &str = "ghp_a1B2c3D4e5F6g7H8i9J0a1B2c3D4e5F6g7H8";

#[test]
fn leaks_are_warnings_with_positions_and_the_site_is_still_built() {
    let site = Site::from_fixture("publish/leaky_site");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let headlines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("[OPS64"))
        .collect();
    assert_eq!(
        headlines,
        [
            "content/deploy.md:7:9: warning[OPS643]: login to a public IP address `deployer@8.8.4.4` would be published",
            "content/deploy.md:9:21: warning[OPS642]: password in a URL `postgres://app:Sup3…(18 chars)@db.internal` would be published",
            "content/files/settings.txt:1:9: warning[OPS641]: GitHub token `ghp_…(40 chars)` would be published",
        ]
    );
    assert!(!run.stderr.contains(SECRET_PASSWORD), "{}", run.stderr);
    assert!(!run.stderr.contains(GITHUB_TOKEN), "{}", run.stderr);
    assert!(site.out().join("deploy/index.html").is_file());
}

#[test]
fn public_build_fails_on_leaks_and_writes_nothing() {
    let site = Site::from_fixture("publish/leaky_site");
    let run = site.opsbook(&["build", "--public"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches(": error[OPS64").count(),
        3,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/deploy.md:7:9: error[OPS643]"));
    assert!(!site.out().exists());
}

#[test]
fn without_base_url_there_is_no_canonical_link_and_no_sitemap() {
    let site = Site::from_fixture("publish/leaky_site");
    assert_eq!(site.build().code, 0);
    let files = site.output_files();
    assert!(!files.contains_key("sitemap.xml"));
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("rel=\"canonical\""), "{path}");
    }
}

#[test]
fn base_url_gives_canonical_links_and_a_sorted_sitemap_only() {
    let site = Site::from_fixture("publish/leaky_site");
    let run = site.opsbook(&["build", "--base-url", "https://ops.example.com/handbook"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let deploy = site.page("deploy/index.html");
    assert!(
        deploy
            .contains(r#"<link rel="canonical" href="https://ops.example.com/handbook/deploy/">"#),
        "{deploy}"
    );
    // Every other link stays page-relative.
    assert!(deploy.contains(r#"href="../static/style.css""#));
    assert_eq!(deploy.matches("https://ops.example.com").count(), 1);
    let home = site.page("index.html");
    assert!(home.contains(r#"<link rel="canonical" href="https://ops.example.com/handbook/">"#));
    let sitemap = site.page("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.split("<loc>").nth(1))
        .filter_map(|l| l.split("</loc>").next())
        .collect();
    assert_eq!(
        locs,
        [
            "https://ops.example.com/handbook/",
            "https://ops.example.com/handbook/deploy/",
        ]
    );
    assert!(!sitemap.contains("lastmod"));
}

#[test]
fn base_url_that_is_not_absolute_is_a_usage_error() {
    let site = Site::from_fixture("publish/leaky_site");
    let run = site.opsbook(&["build", "--base-url", "ops.example.com"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not an absolute http(s) URL"),
        "{}",
        run.stderr
    );
}

#[test]
fn search_index_finds_pages_at_any_depth_by_alert_command_and_error() {
    let site = Site::from_fixture("search/incident_site");
    assert_eq!(site.build().code, 0);
    let script = site.page("search-index.js");
    let json = script
        .strip_prefix("window.OPSBOOK_SEARCH_INDEX=")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("the index assigns one global");
    let index: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let pages = index["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), 5);
    let postgres = pages
        .iter()
        .find(|p| p["u"] == "runbooks/postgres-connections/index.html")
        .expect("runbook indexed by its root-relative URL");
    assert_eq!(postgres["w"][0], "PostgresTooManyConnections");
    assert_eq!(postgres["c"][0], "FATAL: sorry, too many clients already");
    assert!(pages
        .iter()
        .any(|p| p["u"] == "runbooks/network/dns/resolve-failures/index.html"));
    // The search page lists every page but the home page, for readers without script.
    let search = site.page("search/index.html");
    let all = search
        .split("class=\"search-all\"")
        .nth(1)
        .expect("list of all pages");
    assert_eq!(all.matches("<li><a href=\"../").count(), 4, "{search}");
    // Each page loads only search.js; the index is loaded when someone searches.
    let deep = site.page("runbooks/network/dns/resolve-failures/index.html");
    assert!(deep.contains(r#"<script src="../../../../static/search.js" defer></script>"#));
    assert!(deep.contains(r#"data-root="../../../../""#));
    assert!(!deep.contains("search-index.js"));
}
