//! The PDF cache of builds (issue 14): a second build reuses every runbook PDF, a build
//! after one runbook changed makes only that one, and the output is byte-identical to a
//! build without the cache.

use crate::support::{read_tree, Site};

fn runbook(title: &str) -> String {
    format!("---\nkind: runbook\n---\n# {title}\n\n## Mitigation\n\n1. Restart it.\n")
}

#[test]
fn builds_reuse_unchanged_pdfs_and_match_a_build_without_the_cache() {
    let site = Site::with_files(&[
        ("content/runbooks/a.md", &runbook("Alpha down")),
        ("content/runbooks/b.md", &runbook("Beta down")),
    ]);
    let first = site.build();
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("runbook PDFs: 2 made, 0 reused"),
        "{}",
        first.stderr
    );
    let second = site.build();
    assert!(
        second.stderr.contains("runbook PDFs: 0 made, 2 reused"),
        "{}",
        second.stderr
    );
    site.write("content/runbooks/b.md", runbook("Beta is down").as_bytes());
    let third = site.build();
    assert!(
        third.stderr.contains("runbook PDFs: 1 made, 1 reused"),
        "{}",
        third.stderr
    );
    let cached = site.output_files();
    assert!(cached.contains_key("runbooks/b/b.pdf"));
    // The same sources built where no cache exists.
    let fresh = Site::empty();
    for (path, bytes) in read_tree(&site.root().join("content")) {
        fresh.write(&format!("content/{path}"), &bytes);
    }
    let clean = fresh.build();
    assert!(
        clean.stderr.contains("runbook PDFs: 2 made, 0 reused"),
        "{}",
        clean.stderr
    );
    assert_eq!(cached, fresh.output_files());
}

#[test]
fn a_pdf_with_characters_no_font_covers_is_made_again_and_warns_every_build() {
    // Linear B is in no PDF font: the characters are replaced, with a warning, and such
    // a PDF is never kept, so a later build cannot hide the warning by reusing it.
    let site = Site::with_files(&[
        ("content/runbooks/a.md", &runbook("Alpha down")),
        ("content/runbooks/b.md", &runbook("Beta down \u{10000}")),
    ]);
    for build in 0..2 {
        let built = site.build();
        assert_eq!(built.code, 0, "{}", built.stderr);
        assert!(
            built.stderr.contains("U+10000"),
            "build {build}: {}",
            built.stderr
        );
        let expected = if build == 0 {
            "runbook PDFs: 2 made, 0 reused"
        } else {
            "runbook PDFs: 1 made, 1 reused"
        };
        assert!(
            built.stderr.contains(expected),
            "build {build}: {}",
            built.stderr
        );
    }
}
