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

    /// Issue 16, defect 4: a 30-deep ordered list and a 32-deep quote failed the whole
    /// build ("maximum show rule depth exceeded", no line, nothing written).
    #[test]
    fn nesting_too_deep_for_the_pdf_is_flattened_with_a_warning_at_its_line() {
        let site = Site::from_fixture("runbooks/deep-nesting");
        let run = site.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("error"), "{}", run.stderr);
        for at in [
            "content/runbooks/deep-list.md:26:49: warning[OPS523]",
            "content/runbooks/deep-quote.md:23:17: warning[OPS523]",
        ] {
            assert!(
                run.stderr.contains(at),
                "{at} missing from:\n{}",
                run.stderr
            );
        }
        assert_eq!(count(&run.stderr, "warning[OPS523]"), 2, "{}", run.stderr);
        let files = site.output_files();
        for pdf in [
            "runbooks/deep-list/deep-list.pdf",
            "runbooks/deep-quote/deep-quote.pdf",
        ] {
            assert!(files[pdf].starts_with(b"%PDF-"), "{pdf}");
        }
        // The web page keeps all thirty levels.
        let page = site.page("runbooks/deep-list/index.html");
        assert_eq!(count(&page, "<ol"), 30);
        let Some(text) = pdf_text(&site, "runbooks/deep-list/deep-list.pdf") else {
            return;
        };
        for level in [1, 16, 17, 30] {
            assert!(text.contains(&format!("Level {level}")), "{text}");
        }
        let Some(text) = pdf_text(&site, "runbooks/deep-quote/deep-quote.pdf") else {
            return;
        };
        assert!(text.contains("Quote level 32"), "{text}");
        assert!(text.contains("cache purge --all"), "{text}");
    }

    /// Nesting right at both caps (8 quotes around 8 lists around a table whose cell has
    /// 16 emphases inside one another) is typeset as it is: no warning, no error.
    #[test]
    fn nesting_at_the_caps_is_typeset_unflattened() {
        let emphasis = format!("{}x{}", "*a _b ".repeat(8), " b_ a*".repeat(8));
        let mut body = String::new();
        for level in 0..8 {
            body.push_str(&format!("{}1. level {level}\n", "   ".repeat(level)));
        }
        let indent = "   ".repeat(8);
        body.push_str(&format!(
            "\n{indent}| a | b |\n{indent}|---|---|\n{indent}| {emphasis} | y |\n"
        ));
        let quoted: String = body
            .lines()
            .map(|line| format!("{}{line}\n", "> ".repeat(8)))
            .collect();
        let site = Site::with_files(&[(
            "content/runbooks/deep.md",
            &format!("# Deep\n\n## Steps\n\n### Step 1: Read\n\n{quoted}"),
        )]);
        let run = site.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("OPS52"), "{}", run.stderr);
        assert!(site.output_files()["runbooks/deep/deep.pdf"].starts_with(b"%PDF-"));
    }

    /// Adds a runbook Typst cannot typeset: a run of 13,000 characters without a space
    /// (a pasted certificate) exceeds its grouping depth.
    fn add_unprintable_runbook(site: &Site) {
        let blob = "QUJD".repeat(3_250);
        site.write(
            "content/runbooks/cert-rotation.md",
            format!(
                "# Certificate Rotation\n\n**Severity:** P2 (Medium)\n\n## Steps\n\n### Step 1: Check\n\nRun `certs check`.\n\n### Step 2: Install the bundle\n\nPaste:\n\n{blob}\n"
            )
            .as_bytes(),
        );
    }

    /// Issue 16, defect 4: one runbook's PDF failed the whole build. Now it is an error
    /// at the runbook's failing step, and the rest of the site, its own page included,
    /// is published.
    #[test]
    fn a_runbook_whose_pdf_cannot_be_made_is_an_error_at_its_step_and_the_site_is_built() {
        let site = Site::from_fixture("runbooks/basic");
        add_unprintable_runbook(&site);
        let run = site.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "content/runbooks/cert-rotation.md:11:1: error[OPS520]: the PDF could not be made: maximum grouping depth exceeded"
            ),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("the PDF of 1 runbook was left out and its page says so; --strict fails the build instead"),
            "{}",
            run.stderr
        );
        let files = site.output_files();
        assert!(!files.contains_key("runbooks/cert-rotation/cert-rotation.pdf"));
        assert!(files["runbooks/cache-outage/cache-outage.pdf"].starts_with(b"%PDF-"));
        let page = site.page("runbooks/cert-rotation/index.html");
        assert!(page.contains("Install the bundle"));
        assert!(!page.contains(".pdf"), "no link to a PDF that is not there");
        assert!(page.contains("No printable PDF: it could not be made in this build."));
        assert!(site
            .page("runbooks/cache-outage/index.html")
            .contains("href=\"cache-outage.pdf\""));
        // `check` is the gate for CI: the error fails it.
        let check = site.opsbook(&["check"]);
        assert_eq!(check.code, 1, "{}", check.stderr);
        assert!(check.stderr.contains("error[OPS520]"), "{}", check.stderr);
    }

    #[test]
    fn strict_build_fails_on_a_pdf_that_cannot_be_made_and_keeps_the_previous_output() {
        let site = Site::from_fixture("runbooks/basic");
        assert_eq!(site.build().code, 0);
        let before = site.output_files();
        add_unprintable_runbook(&site);
        let run = site.opsbook(&["build", "--strict"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("error[OPS520]"), "{}", run.stderr);
        assert!(run.stderr.contains("left untouched"), "{}", run.stderr);
        assert_eq!(before, site.output_files());
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
