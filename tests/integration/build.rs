//! Building a site: pages, relative links, determinism, atomic output, theme overrides.

use crate::support::{links, Site};

#[test]
fn plan_site_builds_home_plan_page_and_static_files() {
    let site = Site::from_fixture("build/small_plan");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = site.output_files();
    for expected in [
        "index.html",
        "plans/edge-rollout/index.html",
        "static/style.css",
    ] {
        assert!(
            files.contains_key(expected),
            "missing {expected}: {:?}",
            files.keys()
        );
    }
    let plan = site.page("plans/edge-rollout/index.html");
    assert_eq!(count_class(&plan, "epic"), 2);
    assert_eq!(count_class(&plan, "task"), 3);
    assert!(
        plan.contains("Enforce TLS 1.3 &lt;only&gt;"),
        "task titles are escaped"
    );
    assert!(!plan.contains("<only>"));
    let home = site.page("index.html");
    assert!(home.contains("Edge Proxy Rollout Plan"));
    assert!(home.contains("plans/edge-rollout/index.html"));
}

#[test]
fn every_link_is_page_relative() {
    let site = Site::from_fixture("build/small_plan");
    assert_eq!(site.build().code, 0);
    for (path, bytes) in site.output_files() {
        // 404.html is served for unknown paths at any depth, so its links start at the
        // host root (tests/integration/pages.rs checks them).
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for link in links(&html) {
            assert!(
                !link.starts_with('/') && !link.contains("://") || link.starts_with("https://"),
                "{path}: link `{link}` is not page-relative"
            );
            if !link.starts_with('#') && !link.contains("://") {
                let base = std::path::Path::new(&path).parent().unwrap();
                let target = base.join(link.split('#').next().unwrap());
                let resolved = normalise(&target);
                assert!(
                    site.out().join(&resolved).is_file(),
                    "{path}: `{link}` leads to missing {resolved}"
                );
            }
        }
    }
}

fn normalise(path: &std::path::Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = Site::from_fixture("build/small_plan");
    assert_eq!(site.build().code, 0);
    let first = site.output_files();
    assert_eq!(site.build().code, 0);
    assert_eq!(first, site.output_files());
}

#[test]
fn failed_build_leaves_the_previous_output_byte_identical() {
    let site = Site::from_fixture("build/small_plan");
    assert_eq!(site.build().code, 0);
    let before = site.output_files();
    site.write("content/broken.md", b"---\ntitle: [unclosed\n---\nbody\n");
    site.write("content/plans/edge-rollout.md", b"# Changed\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("left untouched"), "{}", run.stderr);
    assert_eq!(before, site.output_files());
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    // Only the folder the next build writes over, and the output's lock file, are left
    // beside the output.
    assert!(
        leftovers
            .iter()
            .filter(|n| n.to_string_lossy().contains("opsbook-"))
            .all(|n| n == ".public.opsbook-staging" || n == ".public.opsbook-lock"),
        "{leftovers:?}"
    );
}

#[test]
fn site_templates_and_static_files_override_the_built_in_theme() {
    let site = Site::from_fixture("build/theme_override");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = site.page("index.html");
    assert!(home.contains("<p class=\"override-marker\">"), "{home}");
    assert!(home.contains("Override Site"));
    assert!(site.output_files().contains_key("static/extra.txt"));
    assert!(
        site.output_files().contains_key("static/style.css"),
        "built-in files stay"
    );
}

#[test]
fn mojibake_is_repaired_and_reported_once_per_file() {
    let site = Site::with_files(&[(
        "content/plans/p.md",
        "# Plan\n\n## Epic 1: Monitoring \u{f0}\u{178}\u{201c}\u{160}\n\n**Priority:** P0\n\n**Success Criteria:**\n- \u{e2}\u{153}\u{2026} done \u{e2}\u{2020}\u{2019} next\n",
    )]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("warning[OPS110]").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/plans/p.md:3:1: warning[OPS110]: repaired 3 mojibake sequences"),
        "{}",
        run.stderr
    );
    let page = site.page("plans/p/index.html");
    assert!(page.contains("📊"), "{page}");
    assert!(page.contains("done → next"), "{page}");
    assert!(!page.contains("ðŸ"));
}

#[test]
fn output_folder_that_would_replace_the_site_is_refused() {
    let site = Site::from_fixture("build/small_plan");
    let root = site.root().to_string_lossy().into_owned();
    let run = site.opsbook(&["build", "--out", &root]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("would replace the site"),
        "{}",
        run.stderr
    );
    assert!(site.root().join("content/index.md").exists());
}

#[test]
fn dump_model_prints_the_plan_as_json() {
    let site = Site::from_fixture("build/small_plan");
    let run = site.opsbook(&["dump-model"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let plan = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| p["plan"].as_object())
        .expect("a plan page");
    assert_eq!(plan["epics"].as_array().unwrap().len(), 2);
    assert_eq!(plan["epics"][0]["tasks"][1]["creation"]["priority"], "P0");
}

/// Elements whose class list starts with `class`.
fn count_class(html: &str, class: &str) -> usize {
    html.matches(&format!("class=\"{class}\"")).count()
        + html.matches(&format!("class=\"{class} ")).count()
}
