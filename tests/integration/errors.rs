//! Bad input: every error names `path:line:col`, the build exits 1, all errors of a
//! build are reported together, and nothing panics.

use crate::support::{fixture_text, Site};

#[test]
fn malformed_yaml_is_reported_with_file_line_column_and_caret() {
    let site = Site::with_files(&[(
        "content/index.md",
        "---\ntitle: Home\ntags: [a, b\nowner: me\n---\n# Home\n",
    )]);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let headline = run
        .stderr
        .lines()
        .find(|l| l.contains("error[OPS101]"))
        .expect(&run.stderr);
    assert!(headline.starts_with("content/index.md:"), "{headline}");
    let line: u32 = headline.split(':').nth(1).unwrap().parse().unwrap();
    assert!((3..=5).contains(&line), "{headline}");
    assert!(
        run.stderr.contains(" | "),
        "source line shown: {}",
        run.stderr
    );
    assert!(run.stderr.contains('^'), "caret shown: {}", run.stderr);
}

#[test]
fn unknown_front_matter_key_warns_and_the_build_succeeds() {
    let site = Site::with_files(&[(
        "content/index.md",
        "---\ntitle: Home\ncolour: blue\n---\n# Home\n",
    )]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/index.md:3:1: warning[OPS102]: unknown front matter key `colour`"),
        "{}",
        run.stderr
    );
    assert!(site.out().join("index.html").is_file());
}

#[test]
fn non_utf8_file_is_an_error_at_the_first_bad_byte() {
    let site = Site::with_files(&[("content/index.md", "# Home\n")]);
    site.write("content/latin1.md", b"# Caf\xe9\nline two\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/latin1.md:1:6: error[OPS002]: file is not valid UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_content_folder_is_an_error() {
    let site = Site::empty();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[OPS003]: the site has no `content/` folder"),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists());
}

#[test]
fn empty_content_folder_is_an_error() {
    let site = Site::empty();
    std::fs::create_dir_all(site.root().join("content")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[OPS003]: `content/` holds no markdown pages"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::with_files(&[
        ("content/index.md", "# Home\n"),
        ("content/secret.md", "# S\n"),
    ]);
    let path = site.root().join("content/secret.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root, permissions do not stop reads; a dangling symlink is the
        // unreadable file there.
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(site.root().join("content/nowhere.md"), &path).unwrap();
    }
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/secret.md"), "{}", run.stderr);
    assert!(run.stderr.contains("error[OPS001]"), "{}", run.stderr);
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let site = Site::with_files(&[
        ("content/index.md", "# Home\n"),
        ("content/a.md", "---\ntitle: [x\n---\n"),
        ("content/b.md", "---\ndraft: [1]\n---\n"),
        (
            "content/plans/p.md",
            "# P\n\n## Epic 1: E\n\n```bash\nbd create \"Unclosed title --type task -p 0\n```\n",
        ),
    ]);
    site.write("content/c.md", b"\xff\xfe");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/a.md:2:",
        "content/b.md:2:",
        "content/c.md:1:1: error[OPS002]",
        "content/plans/p.md:6:11: error[OPS202]",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing `{expected}` in:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("4 errors"), "{}", run.stderr);
}

#[test]
fn plan_without_conventions_renders_as_a_document_with_a_note() {
    let site = Site::with_files(&[(
        "content/plans/notes.md",
        "# Loose notes\n\nJust some text.\n",
    )]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("note[OPS201]"), "{}", run.stderr);
    assert!(site
        .page("plans/notes/index.html")
        .contains("Just some text."));
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let site = Site::empty();
    let run = site.opsbook(&["frobnicate"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// Editors and scanners on Windows write a UTF-8 byte order mark before JSON, YAML and
/// TOML; it must not fail a build or lose the first record.
#[test]
fn a_byte_order_mark_is_accepted_in_every_json_yaml_and_toml_input() {
    let sarif = fixture_text("audits/multi_run", "content/audits/edge-2024-05-01.sarif");
    let sarif = format!("\u{feff}{sarif}");
    // An audit report's front matter is YAML with keys of its own.
    let report = fixture_text("audits/report", "content/audits/2026-01-05-edge-review.md");
    let report = format!("\u{feff}{report}");
    let site = Site::with_files(&[
        ("opsbook.toml", "\u{feff}title = \"BOM site\"\n"),
        (
            "content/index.md",
            "\u{feff}---\ntitle: Front matter title\n---\n# Heading title\n",
        ),
        ("content/audits/edge.sarif", &sarif),
        ("content/audits/review.md", &report),
        (
            ".beads/issues.jsonl",
            "\u{feff}{\"id\":\"x-1\",\"title\":\"first\",\"status\":\"open\"}\n\
             {\"id\":\"x-2\",\"title\":\"second\",\"status\":\"closed\"}\n",
        ),
    ]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for code in ["OPS101", "OPS104", "OPS400", "OPS430", "OPS600", "OPS601"] {
        assert!(!run.stderr.contains(code), "{code}: {}", run.stderr);
    }
    let home = site.page("index.html");
    assert!(home.contains("Front matter title"), "{home}");
    assert!(home.contains("BOM site"), "{home}");
    let model = site.opsbook(&["dump-model"]);
    let model: serde_json::Value = serde_json::from_str(&model.stdout).expect("model JSON");
    let ids: Vec<&str> = model["tracker"]["issues"]
        .as_array()
        .expect("tracker issues")
        .iter()
        .map(|issue| issue["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["x-1", "x-2"]);
    let audits: Vec<&str> = model["audits"]
        .as_array()
        .expect("audits")
        .iter()
        .map(|audit| audit["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        audits,
        ["content/audits/edge.sarif", "content/audits/review.md"]
    );
    let review = site.page("audits/review/index.html");
    assert!(review.contains("Edge proxy security review"), "{review}");
}
