//! Runbook sites written for Hugo or GitHub build as their authors meant: `{{< ref >}}`
//! links, `_index.md` section pages in weight order, navigation by section, Hugo's layout
//! keys accepted, raw HTML through the allow-list, and the steps of Meaning / Impact /
//! Diagnosis / Mitigation runbooks. And an XSS fixture whose pages run nothing.

use regex::Regex;

use crate::support::{read_tree, Site};

fn built(fixture: &str) -> (Site, String) {
    let site = Site::from_fixture(fixture);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    (site, run.stderr)
}

#[test]
fn refs_resolve_to_the_pages_they_name_and_other_shortcodes_are_notes() {
    let (site, stderr) = built("hugo/site");
    let disk_full = site.page("runbooks/queue/queuediskfull/index.html");
    assert!(
        disk_full.contains(
            r#"See <a href="../queuebackloggrowing/index.html">Queue Backlog Growing</a>"#
        ),
        "{disk_full}"
    );
    let consumer = site.page("runbooks/queue/queueconsumerdown/index.html");
    assert!(
        consumer.contains(r#"href="../queuebackloggrowing/index.html#mitigation""#),
        "relref keeps its anchor: {consumer}"
    );
    assert!(!consumer.contains("{{&lt; ref") && !consumer.contains("{{< ref"));
    assert!(
        consumer.contains("{{&lt; hint warning &gt;}}"),
        "an unknown shortcode is shown as written"
    );
    assert!(
        stderr.contains(
            "content/runbooks/queue/QueueConsumerDown.md:12:1: note[OPS153]: the Hugo shortcode `hint` is shown as written"
        ),
        "{stderr}"
    );
    let home = site.page("index.html");
    assert!(
        home.contains(r#"<a href="docs/contributing/index.html">contributing guide</a>"#),
        "a root-absolute link is read from the site root: {home}"
    );
    let check = site.opsbook(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn hugo_layout_keys_raise_no_warning() {
    let (_, stderr) = built("hugo/site");
    assert!(!stderr.contains("OPS102"), "{stderr}");
    assert!(!stderr.contains("warning["), "{stderr}");
}

#[test]
fn section_pages_list_their_pages_by_weight_then_title_and_navigation_follows_sections() {
    let (site, _) = built("hugo/site");
    let queue = site.page("runbooks/queue/index.html");
    let order: Vec<usize> = [
        "Queue Consumer Down",
        "Queue Backlog Growing",
        "Queue Disk Full",
    ]
    .iter()
    .map(|title| queue.find(&format!(">{title}</a>")).expect(title))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{queue}");
    assert!(queue.contains(r#"href="queueconsumerdown/index.html""#));
    let hidden = site.page("runbooks/index.html");
    assert!(
        hidden.contains(">cache</a>") && hidden.contains(">queue</a>"),
        "the hidden section lists the sections below it: {hidden}"
    );
    let cache = site.page("runbooks/cache/index.html");
    assert!(cache.contains("Runbooks for the shared cache"), "{cache}");
    let nav_of = |html: &str| -> Vec<String> {
        let nav = &html[html.find("<ul class=\"nav-links\">").unwrap()..];
        let nav = &nav[..nav.find("</ul>").unwrap()];
        Regex::new(r">([^<]+)</a>")
            .unwrap()
            .captures_iter(nav)
            .map(|c| c[1].to_string())
            .collect()
    };
    assert_eq!(
        nav_of(&site.page("index.html")),
        ["Home", "cache", "queue", "Pages"],
        "sections by weight; the page outside them keeps its kind's entry"
    );
    assert!(site
        .page("runbooks/queue/queuediskfull/index.html")
        .contains(r#"<a href="../../../runbooks/queue/index.html">queue</a>"#));
}

#[test]
fn alert_runbooks_show_their_diagnosis_and_mitigation_steps_with_commands() {
    let (site, _) = built("hugo/site");
    let page = site.page("runbooks/queue/queuebackloggrowing/index.html");
    for id in ["diagnosis-1", "diagnosis-2", "mitigation-1", "mitigation-2"] {
        assert!(
            page.contains(&format!(
                r#"<input type="checkbox" name="{id}" value="done">"#
            )),
            "{id}: {page}"
        );
    }
    assert_eq!(page.matches("type=\"checkbox\"").count(), 4, "{page}");
    assert!(
        page.contains("Check which queue is growing</span>"),
        "{page}"
    );
    assert!(
        page.contains("<details>\n<summary>Why this alert exists</summary>"),
        "details stay an element: {page}"
    );
    let model = site.opsbook(&["dump-model"]);
    let model: serde_json::Value = serde_json::from_str(&model.stdout).expect("model JSON");
    let runbook = model["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Queue Backlog Growing")
        .map(|p| &p["runbook"])
        .expect("the runbook");
    let steps: Vec<(String, usize)> = runbook["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["parts"].as_array().unwrap())
        .filter(|p| p["type"] == "step")
        .map(|p| {
            (
                p["title"].as_str().unwrap().to_string(),
                p["commands"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("Check which queue is growing".to_string(), 1),
            ("Look at the consumers' logs for errors".to_string(), 0),
            (String::new(), 0),
            ("Scale the consumers up".to_string(), 1),
        ]
    );
    let cache = site.page("runbooks/cache/cachehitratelow/index.html");
    assert_eq!(
        cache.matches("type=\"checkbox\"").count(),
        2,
        "a placeholder and a lead-in are not steps: {cache}"
    );
}

#[test]
fn a_root_absolute_link_to_no_page_is_a_broken_link_at_its_line() {
    let site = Site::with_files(&[
        (
            "content/index.md",
            "# Home\n\nRead [the guide](/docs/add-runbook) first.\n",
        ),
        (
            "content/runbooks/a.md",
            "# A\n\nBack [home](/) and [to b](/runbooks/B/).\n",
        ),
        ("content/runbooks/b.md", "# B\n"),
    ]);
    let check = site.opsbook(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("content/index.md:3:6: error[OPS610]: link to `/docs/add-runbook`: no page or file of this site is at `docs/add-runbook`"),
        "{}",
        check.stderr
    );
    assert_eq!(
        check.stderr.matches("error[").count(),
        1,
        "{}",
        check.stderr
    );
    assert!(!check.stderr.contains("OPS613"), "{}", check.stderr);
}

/// Tags with an event handler, `style`, or a URL that could run script; and elements that
/// could run or load anything. The site's own `<script src>` tags are allowed.
fn executable_markup(html: &str) -> Vec<String> {
    let tag = Regex::new(r"<[a-zA-Z][^>]*>").unwrap();
    let handler = Regex::new(r#"(?i)\son[a-z]+\s*="#).unwrap();
    let url = Regex::new(
        r#"(?i)\s(?:href|src|action|data|formaction)\s*=\s*"\s*(javascript|vbscript|data:text)"#,
    )
    .unwrap();
    let element =
        Regex::new(r"(?i)^<(script|iframe|object|embed|base|meta http-equiv|math|style)\b")
            .unwrap();
    let own_script = Regex::new(r#"^<script src="(/|(\.\./)*)static/[a-z]+\.js" defer>$"#).unwrap();
    tag.find_iter(html)
        .map(|m| m.as_str())
        .filter(|t| {
            handler.is_match(t)
                || url.is_match(t)
                || t.contains(" style=")
                || (element.is_match(t) && !own_script.is_match(t))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn raw_html_vectors_on_every_page_kind_leave_nothing_executable() {
    let (site, stderr) = built("xss/site");
    let pages: Vec<(String, String)> = read_tree(&site.out())
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect();
    assert!(pages.len() >= 6, "{pages:?}");
    for (path, html) in &pages {
        let found = executable_markup(html);
        assert!(found.is_empty(), "{path}: {found:?}");
    }
    let notes = &pages
        .iter()
        .find(|(p, _)| p == "notes/index.html")
        .unwrap()
        .1;
    for kept in [
        "<kbd>Ctrl</kbd>",
        "H<sub>2</sub>O",
        "<mark>marked</mark>",
        r#"<abbr title="Service Level Objective">SLO</abbr>"#,
        "line<br>break",
        r#"<a href="https://example.org/">a web link</a>"#,
        r#"<img src="../diagram.png" alt="a picture" />"#,
        r#"<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline picture">"#,
        "<details><summary>toggle me</summary>hidden</details>",
        "<p><a>javascript link</a></p>",
    ] {
        assert!(notes.contains(kept), "{kept}: {notes}");
    }
    assert!(!notes.contains("<svg"), "{notes}");
    let runbook = &pages
        .iter()
        .find(|(p, _)| p == "runbooks/xss-runbook/index.html")
        .unwrap()
        .1;
    assert!(
        runbook.contains("<summary>Before you restart</summary>"),
        "{runbook}"
    );
    for line in [
        "content/notes.md:7:1: warning[OPS151]: raw HTML `<script>` is shown as text, not run",
        "content/notes.md:9:1: warning[OPS151]: raw HTML `<img onerror>`: the event handler `onerror` is removed",
        "content/notes.md:11:1: warning[OPS150]: link to `javascript:alert(3)` is shown as plain text",
        "content/notes.md:17:1: warning[OPS151]: raw HTML `<p style>`: the attribute `style` is removed",
        "content/notes.md:33:1: warning[OPS150]: link to `javascript:alert(15)` is shown as plain text",
        "content/runbooks/xss-runbook.md:23:1: warning[OPS151]: raw HTML `<details ontoggle>`",
        "content/plans/xss-plan.md:11:1: warning[OPS151]: raw HTML `<meta>` is shown as text",
        "content/audits/xss-report.md:8:1: warning[OPS151]: raw HTML `<object>` is shown as text",
        "content/index.md:3:1: warning[OPS151]: raw HTML `<script>` is shown as text, not run",
    ] {
        assert!(stderr.contains(line), "{line}\n{stderr}");
    }
}
