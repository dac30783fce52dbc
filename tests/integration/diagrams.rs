//! Mermaid blocks on any page: drawn as inline SVG with no script; a syntax error is a
//! warning at the exact line and column of the markdown file, the block is shown as
//! code and the build goes on; a plan's dependency map is drawn with links to epics.

use crate::support::Site;

const RUNBOOK: &str = "---\ntitle: Restore\nowner: sre\n---\n# Restore\n\nIntro text.\n\n```mermaid\ngraph LR\n  A[Stop app] --> B[(Restore DB)]\n  B -.->|verify| C{OK?}\n```\n\n```mermaid\nflowchart TD\n  X --> Y[broken\n```\n";

#[test]
fn mermaid_syntax_error_is_reported_at_the_file_line_and_column_and_the_build_goes_on() {
    let site = Site::with_files(&[("content/runbooks/restore.md", RUNBOOK)]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Line 17 of the file is `  X --> Y[broken`; the `[` is column 10.
    assert!(
        run.stderr.contains("content/runbooks/restore.md:17:10: warning[OPS350]: mermaid syntax error: the label opened with `[` is not closed with `]`"),
        "{}",
        run.stderr
    );
    let html = site.page("runbooks/restore/index.html");
    assert_eq!(html.matches("<svg ").count(), 1, "{html}");
    assert!(
        html.contains("X --&gt; Y[broken"),
        "broken block shown as code: {html}"
    );
    assert!(
        html.matches("<script").count() == html.matches("<script src=").count(),
        "no inline script: {html}"
    );
}

#[test]
fn every_page_kind_draws_its_mermaid_blocks() {
    let site = Site::with_files(&[(
        "content/about.md",
        "# About\n\n```mermaid\ngraph TD\nA --> B\n```\n",
    )]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.page("about/index.html");
    assert_eq!(html.matches("class=\"node ").count(), 2, "{html}");
    assert!(html.contains("class=\"diagram-text\""));
}

#[test]
fn plan_dependency_map_is_drawn_with_links_to_epic_sections() {
    let plan = "# Plan\n\n## Epic 1: Security\n\n**Priority:** P0\n\n```bash\nbd create \"Close port\" -t task -p 0\n```\n\n## Epic 2: Production\n\n```bash\nbd create \"Deploy\" -t task -p 1\n```\n\n## Dependencies Map\n\n```mermaid\ngraph TD\n    E1[Epic 1: Security] --> E2[Epic 2: Production]\n```\n";
    let site = Site::with_files(&[("content/plans/p.md", plan)]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.page("plans/p/index.html");
    assert!(
        html.contains("<a href=\"#epic-1\" class=\"node-link\">"),
        "{html}"
    );
    assert!(html.contains("<summary>Mermaid source</summary>"));
}
