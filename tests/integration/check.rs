//! `opsbook check`, links, configuration, `init` and `new`: each diagnostic at its exact
//! place, the output formats and exit codes, link rewriting between runbooks, config
//! discovery, and a scaffolded site that is clean from the start.

use std::fs;
use std::path::Path;

use crate::support::{links, Site};

/// `path:line:col code` (or `path code` without a position) of every JSON diagnostic.
fn json_places(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            let path = value["path"].as_str().unwrap_or("-").to_string();
            match (value["line"].as_u64(), value["column"].as_u64()) {
                (Some(line), Some(col)) => {
                    format!("{path}:{line}:{col} {}", value["code"].as_str().unwrap())
                }
                _ => format!("{path} {}", value["code"].as_str().unwrap()),
            }
        })
        .collect()
}

/// The mistakes fixture plus the two mistakes a fixture folder cannot hold: a file that
/// is not UTF-8 and a symlink that leads out of the site.
fn mistakes_site() -> (Site, tempfile::TempDir) {
    let site = Site::from_fixture("check/mistakes");
    site.write("content/latin1.md", b"# Caf\xe9\n");
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.md"), "# Secret\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root().join("content/leak.md"),
    )
    .unwrap();
    (site, outside)
}

#[test]
fn every_mistake_of_the_fixture_is_reported_once_at_its_place() {
    let (site, _outside) = mistakes_site();
    let run = site.opsbook(&["check", "--format", "json"]);
    let mut expected = vec![
        "content/about.md OPS005",
        "content/index.md:4:3 OPS610",
        "content/index.md:5:3 OPS611",
        "content/index.md:6:3 OPS612",
        "content/index.md:7:3 OPS610",
        "content/latin1.md:1:6 OPS002",
        "content/leak.md OPS004",
        "content/mojibake.md:3:1 OPS110",
        "content/plans/broken.md:13:11 OPS202",
        "content/plans/broken.md:18:8 OPS203",
        "content/plans/notes.md:1:3 OPS201",
        "content/syntax.md:2:8 OPS101",
        "content/unclosed.md:1:1 OPS104",
        "content/unknown-key.md:3:1 OPS102",
        "content/wrong-type.md:3:8 OPS103",
        "opsbook.toml:2:1 OPS601",
        "opsbook.toml:5:24 OPS602",
    ];
    if cfg!(not(unix)) {
        expected.retain(|place| !place.contains("leak.md"));
    }
    let found = json_places(&run.stdout);
    assert_eq!(
        found,
        expected,
        "all diagnostics:\n{}\n{}",
        found.join("\n"),
        run.stderr
    );
    let mut codes: Vec<&str> = expected
        .iter()
        .map(|p| p.rsplit(' ').next().unwrap())
        .collect();
    codes.dedup();
    assert!(codes.len() >= 15, "{codes:?}");
    assert_eq!(run.code, 1);
}

#[test]
fn human_output_shows_each_diagnostic_with_source_line_caret_and_a_summary() {
    let (site, _outside) = mistakes_site();
    let run = site.opsbook(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains(
        "content/index.md:4:3: error[OPS610]: link to `runbooks/missing.md`: there is no `content/runbooks/missing.md` in the site\n  |\n4 | - [A runbook that is not there](runbooks/missing.md)\n  |   ^"
    ), "{}", run.stderr);
    let summary = run.stderr.lines().last().unwrap();
    assert!(
        summary.starts_with("check failed: 12 errors, 4 warnings, 1 note in "),
        "{}",
        run.stderr
    );
}

#[test]
fn github_actions_get_one_annotation_per_diagnostic() {
    let (site, _outside) = mistakes_site();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["check", "--root", "."])
        .current_dir(site.root())
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let annotations: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        annotations.len(),
        if cfg!(unix) { 17 } else { 16 },
        "{stdout}"
    );
    assert!(annotations.contains(
        &"::error file=content/index.md,line=4,col=3,title=OPS610::link to `runbooks/missing.md`: there is no `content/runbooks/missing.md` in the site%0Ahelp: links are relative to this file; fix the path, or add the page"
    ), "{stdout}");
    assert!(annotations
        .iter()
        .any(|a| a.starts_with("::warning file=content/mojibake.md,line=3,col=1,title=OPS110::")));
    assert!(
        annotations
            .iter()
            .any(|a| a
                .starts_with("::notice file=content/plans/notes.md,line=1,col=3,title=OPS201::"))
    );
}

#[test]
fn exit_codes_are_0_clean_1_errors_2_usage_and_deny_warnings_fails_on_warnings() {
    let clean = Site::with_files(&[("content/index.md", "# Home\n\n[Self](index.md)\n")]);
    let run = clean.opsbook(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .trim()
            .starts_with("check passed: 0 errors, 0 warnings in "),
        "{}",
        run.stderr
    );

    let warned = Site::with_files(&[("content/index.md", "---\ncolour: 1\n---\n# Home\n")]);
    assert_eq!(warned.opsbook(&["check"]).code, 0);
    assert_eq!(warned.opsbook(&["check", "--deny-warnings"]).code, 1);

    let broken = Site::with_files(&[("content/index.md", "# Home\n\n[Gone](gone.md)\n")]);
    assert_eq!(broken.opsbook(&["check"]).code, 1);

    assert_eq!(clean.opsbook(&["check", "--format", "xml"]).code, 2);
    assert_eq!(clean.opsbook(&["check", "--no-such-flag"]).code, 2);
}

#[test]
fn a_broken_link_is_a_warning_in_build_and_the_site_is_still_written() {
    let site = Site::with_files(&[("content/index.md", "# Home\n\n[Gone](gone.md)\n")]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/index.md:3:1: warning[OPS610]"),
        "{}",
        run.stderr
    );
    assert!(site.out().join("index.html").is_file());
}

#[test]
fn config_raises_broken_links_to_errors_in_build_and_lowers_them_in_check() {
    let site = Site::with_files(&[
        ("content/index.md", "# Home\n\n[Gone](gone.md)\n"),
        (
            "opsbook.toml",
            "[links]\nbuild = \"error\"\ncheck = \"warning\"\n",
        ),
    ]);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[OPS610]"), "{}", run.stderr);
    assert!(!site.out().exists());
    let run = site.opsbook(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[OPS610]"), "{}", run.stderr);
}

#[test]
fn links_between_runbooks_point_at_the_generated_pages() {
    let site = Site::from_fixture("check/runbook_links");
    let run = site.opsbook(&["check", "--format", "json"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(site.build().code, 0);
    let content = |page: &str| {
        let html = site.page(page);
        let main = &html[html.find("<main").unwrap()..];
        // The PDF link exists only with the `pdf` feature.
        links(main)
            .into_iter()
            .filter(|l| !l.ends_with(".pdf"))
            .collect::<Vec<_>>()
    };
    // The index page shows the generated table of runbooks, then the README's own links.
    let index_links = content("runbooks/index.html");
    assert!(
        index_links.ends_with(&[
            "p0-database/index.html".to_string(),
            "p1-disk-full/index.html#step-2-free-space".to_string(),
            "../plans/hardening/index.html#epic-1".to_string()
        ]),
        "{index_links:?}"
    );
    assert!(
        index_links.iter().all(|l| !l.contains(".md")),
        "{index_links:?}"
    );
    assert_eq!(
        content("runbooks/p0-database/index.html"),
        [
            "../p1-disk-full/index.html#step-2-free-space",
            "#step-2-restart",
            "../index.html",
            "../index.html"
        ]
    );
    assert_eq!(
        content("runbooks/p1-disk-full/index.html"),
        ["../p0-database/index.html#step-2-restart"]
    );
}

#[test]
fn broken_links_made_by_a_template_are_reported_on_the_page() {
    let site = Site::with_files(&[
        ("content/index.md", "# Home\n"),
        ("content/about.md", "# About\n"),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<a href=\"{{ site.root }}missing/index.html\">x</a><a href=\"#nowhere\">y</a>{% endblock main %}",
        ),
    ]);
    let run = site.opsbook(&["check", "--format", "json"]);
    assert_eq!(
        json_places(&run.stdout),
        ["content/about.md OPS610", "content/about.md OPS611"],
        "{}",
        run.stderr
    );
    assert!(run
        .stdout
        .contains("the theme's link `../missing/index.html` on `about/index.html`"));
}

#[test]
fn config_is_found_by_walking_up_from_root_and_its_title_is_used() {
    let site = Site::with_files(&[
        ("opsbook.toml", "title = \"Walked Up\"\n"),
        ("content/index.md", "Welcome.\n"),
        ("content/runbooks/a.md", "# A\n"),
    ]);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["build", "--root", "content/runbooks"])
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let home = site.page("index.html");
    assert!(home.contains("<title>Walked Up</title>"), "{home}");
    assert!(site.page("runbooks/a/index.html").contains("A · Walked Up"));
}

#[test]
fn init_makes_a_site_that_builds_and_checks_without_a_single_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let site_dir = dir.path().join("handbook");
    let opsbook = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert!(opsbook(&["init", "handbook", "--title", "Ops \"HQ\""])
        .status
        .success());
    let check = opsbook(&[
        "check",
        "--root",
        "handbook",
        "--format",
        "json",
        "--deny-warnings",
    ]);
    assert_eq!(String::from_utf8_lossy(&check.stdout), "");
    assert!(check.status.success());
    let build = opsbook(&["build", "--root", "handbook"]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    assert!(
        stderr.starts_with("built "),
        "no diagnostics expected: {stderr}"
    );
    for page in [
        "index.html",
        "plans/first-plan/index.html",
        "runbooks/service-down/index.html",
        "audits/quarterly-audit/index.html",
    ] {
        assert!(site_dir.join("public").join(page).is_file(), "{page}");
    }
    let plan = fs::read_to_string(site_dir.join("public/plans/first-plan/index.html")).unwrap();
    assert!(
        plan.contains(r#"<article class="task""#),
        "the scaffold plan is structured"
    );
    // A second init refuses and writes nothing.
    let again = opsbook(&["init", "handbook"]);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn new_adds_a_page_of_its_kind_and_refuses_to_overwrite() {
    let site = Site::with_files(&[("content/index.md", "# Home\n")]);
    let run = site.opsbook(&["new", "runbook", "Disk full on db-1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = site.root().join("content/runbooks/disk-full-on-db-1.md");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Disk full on db-1\n"), "{text}");
    fs::write(&path, "# Edited by hand\n").unwrap();
    let again = site.opsbook(&["new", "runbook", "Disk full on db-1"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(fs::read_to_string(&path).unwrap(), "# Edited by hand\n");
    for (kind, file) in [("plan", "plans/q3-work.md"), ("audit", "audits/q3-work.md")] {
        assert_eq!(site.opsbook(&["new", kind, "Q3 work"]).code, 0);
        assert!(Path::new(&site.root().join("content").join(file)).is_file());
    }
    let check = site.opsbook(&["check", "--deny-warnings"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn one_local_path_written_three_times_is_one_warning_listing_every_place() {
    let site = Site::with_files(&[(
        "content/index.md",
        "# Home\n\n```sh\nmkdir -p /home/deployer/.ssh\nchmod 700 /home/deployer/.ssh\n```\n\nThen `chown /home/deployer`.\n",
    )]);
    let human = site.opsbook(&["check"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert_eq!(
        human.stderr.matches("warning[OPS644]").count(),
        1,
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains(
            "content/index.md:4:10: warning[OPS644]: local user path `/home/deployer` would be published"
        ),
        "{}",
        human.stderr
    );
    assert!(
        human
            .stderr
            .contains("  = also at 2 more places:\n      5:11, 8:13\n"),
        "{}",
        human.stderr
    );
    let summary = human.stderr.lines().last().unwrap();
    assert!(
        summary.starts_with("check passed: 0 errors, 1 warning at 3 places in "),
        "{summary}"
    );
    let json = site.opsbook(&["check", "--format", "json"]);
    let objects: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let places: Vec<(u64, u64)> = objects
        .iter()
        .map(|o| (o["line"].as_u64().unwrap(), o["group"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, [(4, 1), (5, 1), (8, 1)], "{}", json.stdout);
}
