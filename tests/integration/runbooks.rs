//! Runbooks: the runbook page (header card, tickable steps, branch links), the runbook
//! index, and the printable PDF next to each page, including for a hostile runbook.

use std::process::Command;

use crate::support::Site;

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn runbook_page_has_severity_card_tickable_steps_and_branch_links() {
    let site = Site::from_fixture("runbooks/basic");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.page("runbooks/cache-outage/index.html");
    assert!(page.contains("Severity P1 High"), "severity in words");
    assert!(page.contains("runbook-card-priority-p1"), "severity colour");
    assert_eq!(
        count(&page, "<input type=\"checkbox\" name=\""),
        2,
        "one checkbox per step"
    );
    assert!(
        page.contains("<a href=\"#step-2\">Proceed to Step 2</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"#recovery-verification\">"),
        "success branch"
    );
    assert!(page.contains("id=\"step-2\""));
    assert!(
        !page.contains("**Last Updated:**"),
        "metadata lines are in the card, not the text"
    );
    assert!(
        page.contains("Next review due</dt><dd>2025-01-31"),
        "{page}"
    );
}

#[test]
fn front_matter_runbook_reads_like_prometheus_runbooks() {
    let site = Site::from_fixture("runbooks/basic");
    assert_eq!(site.build().code, 0);
    let page = site.page("runbooks/kube-pod-crashlooping/index.html");
    assert!(page.contains("Severity P2 Warning"), "{page}");
    assert!(
        page.contains("<code>KubePodCrashLooping</code>"),
        "alerts listed"
    );
    for section in ["Meaning", "Impact", "Diagnosis", "Mitigation"] {
        assert!(page.contains(&format!(">{section}</h2>")), "{section}");
    }
    assert!(page.contains("id=\"mitigation-1\""));
}

#[test]
fn runbook_index_orders_by_severity_and_is_generated_without_a_readme() {
    let site = Site::from_fixture("runbooks/basic");
    assert_eq!(site.build().code, 0);
    let index = site.page("runbooks/index.html");
    let cache = index.find("Cache Outage").expect("cache row");
    let kube = index.find("KubePodCrashLooping").expect("kube row");
    assert!(cache < kube, "P1 before P2");
    // Rows link the shortest way from the index, not through the site root.
    assert!(
        index.contains(r#"href="cache-outage/index.html""#),
        "{index}"
    );
    assert!(!index.contains(r#"href="../runbooks/"#), "{index}");
    // Each fact carries its label, which a phone shows in front of it (one card a row).
    for label in ["Severity", "MTTR", "Owner", "Last updated", "Review"] {
        assert!(
            index.contains(&format!(r#"<td data-label="{label}""#)),
            "{label}"
        );
    }
    assert!(index.contains("data-sortable"));
    assert!(index.contains("static/runbook.js"));
}

#[test]
fn reference_date_from_source_date_epoch_marks_overdue_reviews_without_script() {
    let site = Site::from_fixture("runbooks/basic");
    let output = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", "1767225600") // 2026-01-01
        .output()
        .unwrap();
    assert!(output.status.success());
    let page = site.page("runbooks/cache-outage/index.html");
    assert!(page.contains("Review overdue by 335 days"), "{page}");
    let kube = site.page("runbooks/kube-pod-crashlooping/index.html");
    assert!(
        !kube.contains("role=\"alert\""),
        "updated 2026-01-10, reviewed quarterly"
    );
}

#[test]
fn hostile_runbook_page_shows_every_string_as_text() {
    let site = Site::from_fixture("runbooks/hostile");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.page("runbooks/hostile/index.html");
    assert!(
        !page.contains("<script>alert"),
        "no script from the runbook"
    );
    assert!(
        !page.contains("<script>document"),
        "no script from a step title"
    );
    assert!(
        page.contains("<b>bold?</b>"),
        "raw HTML of the allow-list is kept"
    );
    assert!(
        page.contains("&lt;script&gt;alert(\"pwned\")&lt;/script&gt;"),
        "a raw <script> block is shown as text"
    );
    assert!(page.contains("&lt;script&gt;alert"));
    assert!(
        page.contains("{% if true %}TEMPLATE{% endif %}"),
        "template syntax stays text"
    );
    assert_eq!(
        count(&page, "<input type=\"checkbox\" name=\"mitigation-"),
        200
    );
    assert!(page.contains("数据库故障恢复手册"));
    assert!(page.contains("مرحبا بالعالم"));
}

#[cfg(feature = "pdf")]
pub(crate) mod pdf {
    use super::*;

    /// The text of a PDF, by `pdftotext` (poppler-utils). On a machine without it the
    /// text checks are skipped with a note, so the README's test command works on a fresh
    /// machine; `.ci/run` installs poppler-utils and sets `OPSBOOK_REQUIRE_PDFTOTEXT`, so
    /// CI always runs them.
    pub(crate) fn pdf_text(site: &Site, relative: &str) -> Option<String> {
        let path = site.out().join(relative);
        let output = match Command::new("pdftotext")
            .args(["-enc", "UTF-8", "-layout"])
            .arg(&path)
            .arg("-")
            .output()
        {
            Ok(output) => output,
            Err(error) => {
                assert!(
                    std::env::var_os("OPSBOOK_REQUIRE_PDFTOTEXT").is_none(),
                    "pdftotext (poppler-utils) is required here: {error}"
                );
                eprintln!("note: pdftotext not found ({error}); PDF text checks skipped");
                return None;
            }
        };
        assert!(output.status.success());
        Some(String::from_utf8(output.stdout).unwrap())
    }

    #[test]
    fn each_runbook_gets_a_pdf_next_to_its_page_linked_from_it() {
        let site = Site::from_fixture("runbooks/basic");
        assert_eq!(site.build().code, 0);
        let files = site.output_files();
        let pdf = &files["runbooks/cache-outage/cache-outage.pdf"];
        assert!(pdf.starts_with(b"%PDF-"));
        let page = site.page("runbooks/cache-outage/index.html");
        assert!(page.contains("href=\"cache-outage.pdf\""));
        let Some(text) = pdf_text(&site, "runbooks/cache-outage/cache-outage.pdf") else {
            return;
        };
        for expected in [
            "Check Redis",
            "redis-cli -h cache ping",
            "docker restart redis",
            "Incident #",
            "Operator",
            "Page 1 of 1",
            "Printed copy",
        ] {
            assert!(text.contains(expected), "{expected} missing from:\n{text}");
        }
    }

    #[test]
    fn a_pdf_font_that_cannot_be_read_is_an_error_on_its_config_line() {
        let site = Site::from_fixture("runbooks/basic");
        site.write(
            "opsbook.toml",
            b"[runbooks]\npdf_fonts = [\"fonts/missing.ttf\"]\n",
        );
        let run = site.build();
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "opsbook.toml:2:14: error[OPS602]: cannot read the PDF font `fonts/missing.ttf`"
            ),
            "{}",
            run.stderr
        );
        site.write("fonts/not-a-font.ttf", b"plain text");
        site.write(
            "opsbook.toml",
            b"[runbooks]\npdf_fonts = [\"fonts/not-a-font.ttf\"]\n",
        );
        let run = site.build();
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("holds no font"), "{}", run.stderr);
    }

    /// A CJK font named in `[runbooks] pdf_fonts` prints what DejaVu lacks. Needs a CJK
    /// font file on the machine (Debian's `fonts-wqy-microhei`); skipped with a note
    /// without one, required where `OPSBOOK_REQUIRE_CJK_FONT` is set (`.ci/run`).
    #[test]
    fn a_site_font_prints_the_characters_dejavu_lacks() {
        let system_font = std::path::Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
        let Ok(font) = std::fs::read(system_font) else {
            assert!(
                std::env::var_os("OPSBOOK_REQUIRE_CJK_FONT").is_none(),
                "{} is required here",
                system_font.display()
            );
            eprintln!(
                "note: no CJK font at {}; test skipped",
                system_font.display()
            );
            return;
        };
        let site = Site::from_fixture("runbooks/basic");
        site.write(
            "content/runbooks/cache-outage.md",
            &[
                std::fs::read(site.root().join("content/runbooks/cache-outage.md")).unwrap(),
                "\n## 数据库故障\n\n重启缓存服务。\n".as_bytes().to_vec(),
            ]
            .concat(),
        );
        let without = site.build();
        assert_eq!(without.code, 0, "{}", without.stderr);
        assert!(without.stderr.contains("OPS"), "{}", without.stderr);
        assert!(without.stderr.contains("no glyph"), "{}", without.stderr);
        site.write("fonts/wqy-microhei.ttc", &font);
        site.write(
            "opsbook.toml",
            b"[runbooks]\npdf_fonts = [\"fonts/wqy-microhei.ttc\"]\n",
        );
        let with = site.build();
        assert_eq!(with.code, 0, "{}", with.stderr);
        assert!(!with.stderr.contains("no glyph"), "{}", with.stderr);
        let Some(text) = pdf_text(&site, "runbooks/cache-outage/cache-outage.pdf") else {
            return;
        };
        assert!(text.contains("数据库故障"), "{text}");
        assert!(text.contains("重启缓存服务"), "{text}");
        assert!(text.contains("Check Redis"), "{text}");
    }

    #[test]
    fn pdf_bytes_are_identical_between_builds() {
        let site = Site::from_fixture("runbooks/basic");
        assert_eq!(site.build().code, 0);
        let first = site.output_files()["runbooks/cache-outage/cache-outage.pdf"].clone();
        assert_eq!(site.build().code, 0);
        let second = site.output_files()["runbooks/cache-outage/cache-outage.pdf"].clone();
        assert!(first == second, "PDF bytes differ between builds");
    }

    #[test]
    fn hostile_runbook_pdf_prints_every_string_verbatim_and_warns_about_cjk() {
        let site = Site::from_fixture("runbooks/hostile");
        let run = site.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains("warning[OPS521]"), "{}", run.stderr);
        assert!(
            run.stderr.contains("U+306E"),
            "names the CJK characters: {}",
            run.stderr
        );
        let Some(text) = pdf_text(&site, "runbooks/hostile/hostile.pdf") else {
            return;
        };
        // Page headers and footers interleave with text that runs across pages.
        let body: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| {
                !l.starts_with("Printed copy") && !l.starts_with("Page ") && *l != "P1 High"
            })
            .filter(|l| !l.starts_with("Hostile <script>alert('t')</script> #import"))
            .collect();
        let flat: String = body.concat().split_whitespace().collect();
        for expected in [
            "#import\"/data.json\"",
            "#read(\"/main.typ\")",
            "$5&$x^2$",
            "<script>alert(\"pwned\")</script>",
            "{{page.title}}",
            "back\\slash",
            "200.Checknode-200",
            "kubectlgetnoden200",
        ] {
            assert!(
                flat.contains(expected),
                "{expected} missing from the PDF text"
            );
        }
        let token: String = "A1b2C3d4".repeat(625);
        assert!(
            flat.contains(&token),
            "the 5,000-character token is whole, no added characters"
        );
    }
}

#[cfg(not(feature = "pdf"))]
#[test]
fn without_the_pdf_feature_no_pdf_is_written_or_linked() {
    let site = Site::from_fixture("runbooks/basic");
    assert_eq!(site.build().code, 0);
    assert!(!site.output_files().keys().any(|k| k.ends_with(".pdf")));
    assert!(!site
        .page("runbooks/cache-outage/index.html")
        .contains(".pdf"));
}

#[test]
fn no_pdf_flag_leaves_out_every_pdf_and_its_link() {
    let site = Site::from_fixture("runbooks/basic");
    let run = site.opsbook(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.output_files().keys().any(|k| k.ends_with(".pdf")));
    assert!(!site
        .page("runbooks/cache-outage/index.html")
        .contains(".pdf"));
    let run = site.opsbook(&["check", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
