//! Cloudflare Pages output (`404.html`, `_headers`, `_redirects`), determinism across
//! machines' paths, `serve` over real HTTP, and the plans index with the header's one
//! "Plans" entry.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{links, Site};

#[test]
fn two_builds_in_different_folders_are_byte_identical_including_pages_files() {
    let first = Site::from_fixture("pages/aliases");
    let second = Site::from_fixture("pages/aliases");
    assert_eq!(first.build().code, 0);
    let run = second.opsbook(&["build", "--out", "elsewhere"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let a = first.output_files();
    let b = crate::support::read_tree(&second.root().join("elsewhere"));
    for name in ["404.html", "_headers", "_redirects"] {
        assert!(a.contains_key(name), "{name} missing");
    }
    assert_eq!(a, b);
}

#[test]
fn aliases_become_redirects_and_headers_carry_the_csp() {
    let site = Site::from_fixture("pages/aliases");
    assert_eq!(site.build().code, 0);
    assert_eq!(
        site.page("_redirects"),
        "# Written by opsbook from front matter `aliases`.\n\
         /old/db-restore/ /runbooks/db-restore/ 301\n\
         /restore /runbooks/db-restore/ 301\n"
    );
    let headers = site.page("_headers");
    assert!(headers.contains("Content-Security-Policy: default-src 'none';"));
    assert!(headers.contains("https://:project.pages.dev/*\n  X-Robots-Tag: noindex"));
}

#[test]
fn the_404_page_links_from_the_host_root_to_pages_that_exist() {
    let site = Site::from_fixture("pages/aliases");
    assert_eq!(site.build().code, 0);
    let html = site.page("404.html");
    assert!(html.contains("Page not found"));
    assert!(html
        .contains(r#"<a href="/runbooks/db-restore/index.html">Restore the orders database</a>"#));
    for link in links(&html) {
        if link.starts_with('#') {
            continue;
        }
        let path = link.strip_prefix('/').expect("root-relative link");
        let path = path.split('#').next().unwrap();
        assert!(
            site.out().join(path).is_file(),
            "404.html links to missing {link}"
        );
    }
}

#[test]
fn a_build_never_contains_the_serve_reload_script() {
    let site = Site::from_fixture("pages/aliases");
    assert_eq!(site.build().code, 0);
    for (path, bytes) in site.output_files() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__opsbook"), "{path} mentions serve's files");
    }
}

#[test]
fn an_alias_to_another_site_fails_the_build_at_its_line() {
    let site = Site::from_fixture("pages/aliases");
    site.write(
        "content/notes.md",
        b"---\ntitle: Notes\naliases:\n  - https://old.example/notes\n---\nText\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/notes.md:4:5: error[OPS624]: alias `https://old.example/notes`"),
        "{}",
        run.stderr
    );
}

/// A running `opsbook serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(site: &Site) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_opsbook"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let port: u16 = loop {
            let line = lines.next().expect("serve printed its address").unwrap();
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                break digits.parse().unwrap();
            }
        };
        // Keep draining stderr so serve never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, port }
    }

    fn get(&self, path: &str) -> (String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        (head.to_string(), body.to_string())
    }

    fn wait_for(&self, path: &str, wanted: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, body) = self.get(path);
            if body.contains(wanted) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never showed {wanted:?}:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_rebuilds_after_an_edit_and_keeps_the_last_good_site_on_failure() {
    let site = Site::from_fixture("pages/aliases");
    let server = Server::start(&site);
    let (head, body) = server.get("/runbooks/db-restore/");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.contains("Content-Security-Policy: default-src 'none'"),
        "{head}"
    );
    assert!(
        body.contains(r#"<script src="/__opsbook/reload.js" data-generation="1" defer></script>"#)
    );
    assert!(!site.out().exists(), "serve wrote to disk");

    site.write("content/about.md", b"# About\n\nFresh words.\n");
    server.wait_for("/about/", "Fresh words.");

    site.write(
        "content/about.md",
        b"---\ntitle: [broken\n---\n# About\n\nBroken words.\n",
    );
    let events = server.wait_for_event_with("OPS101");
    assert!(events.contains("content/about.md:2:"), "{events}");
    let (_, body) = server.get("/about/");
    assert!(
        body.contains("Fresh words."),
        "the last good page is still served"
    );

    site.write("content/about.md", b"# About\n\nFixed words.\n");
    server.wait_for("/about/", "Fixed words.");
    let (head, body) = server.get("/restore");
    assert!(
        head.contains("Location: /runbooks/db-restore/"),
        "{head}{body}"
    );
    let (head, _) = server.get("/no/such/page/");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
}

impl Server {
    /// Reads the event stream until an event mentions `wanted`.
    fn wait_for_event_with(&self, wanted: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /__opsbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            assert!(reader.read_line(&mut line).unwrap() > 0, "stream ended");
            if line.starts_with("data:") && line.contains(wanted) {
                return line;
            }
        }
    }
}

#[test]
fn serve_applies_the_audit_gate_of_the_config_like_build() {
    // `[audits] fail_on = "high"` and a high finding: `build` fails, and so must serve's
    // build (it shows the failure page instead of the site).
    let site = Site::from_fixture("audits/multi_run");
    site.write("opsbook.toml", b"[audits]\nfail_on = \"high\"\n");
    let build = site.build();
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(build.stderr.contains("error[OPS420]"), "{}", build.stderr);
    let server = Server::start(&site);
    let (head, body) = server.get("/");
    assert!(head.starts_with("HTTP/1.1 503"), "{head}\n{body}");
    assert!(
        body.contains("error[OPS420]") && body.contains("`CVE-2023-0464` in libssl3 3.0.8-1"),
        "{body}"
    );
}

/// The `<nav class="site-nav">` of a page.
fn site_nav(html: &str) -> &str {
    let start = html.find("<nav class=\"site-nav\"").expect("site nav");
    let end = start + html[start..].find("</nav>").expect("nav end");
    &html[start..end]
}

#[test]
fn the_plans_index_lists_every_plan_with_its_family_progress_and_latest_tracker_day() {
    let site = Site::from_fixture("pages/plans_index");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.page("plans/index.html");
    assert!(html.contains("<caption>3 plans: 1 epic plan, 2 documents</caption>"));
    let rows: Vec<&str> = html.split("<tr class=\"plan-row").skip(1).collect();
    assert_eq!(rows.len(), 3);
    // By title: the epic plan, then the two documents.
    assert!(rows[0]
        .contains(r#"<a href="../plans/bucket-migration/index.html">Bucket Migration Plan</a>"#));
    assert!(rows[0].contains("Move the media buckets to the new object store."));
    assert!(rows[0].contains(">Epic plan</span>"));
    assert!(rows[0].contains(r#"<td data-label="Lanes">2 epics</td>"#));
    assert!(rows[0].contains(r#"<td data-label="Items">3</td>"#));
    assert!(rows[0].contains(r#"<progress max="3" value="1""#));
    assert!(rows[0].contains("1 of 3 tasks closed"));
    assert!(rows[0].contains("(1 in progress)"));
    // st-22's update is the latest of the plan's issues; st-90 is not the plan's.
    assert!(rows[0].contains(r#"<time datetime="2026-04-04">2026-04-04</time>"#));
    assert!(rows[1].contains(">Retention ideas</a>"));
    assert!(rows[1].contains(">Document</span>"));
    assert!(rows[1].contains(r#"<td data-label="Lanes"><span class="muted">—</span></td>"#));
    assert!(rows[2].contains(">Zone rebalance</a>"));
    assert!(html
        .contains("A <strong>document</strong> is a plan in which no plan convention was found"));
}

#[test]
fn every_page_has_one_plans_entry_to_the_index_however_many_plans_there_are() {
    let site = Site::from_fixture("pages/plans_index");
    for n in 1..=16 {
        site.write(
            &format!("content/plans/note-{n:02}.md"),
            format!("# Note {n}\n\nNothing structured.\n").as_bytes(),
        );
    }
    site.write(
        "content/runbooks/disk-full.md",
        b"# Disk full\n\n## Detection\n\nAlert.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (page, plans_href) in [
        ("index.html", "plans/index.html"),
        ("plans/index.html", "../plans/index.html"),
        ("plans/note-07/index.html", "../../plans/index.html"),
        ("runbooks/disk-full/index.html", "../../plans/index.html"),
    ] {
        let html = site.page(page);
        let nav = site_nav(&html);
        assert_eq!(
            nav.matches("<li>").count(),
            3,
            "{page}: Home, Plans, Runbooks: {nav}"
        );
        assert!(
            nav.contains(&format!(r#"<li><a href="{plans_href}">Plans</a></li>"#)),
            "{page}: {nav}"
        );
        assert!(!nav.contains("Note 7"), "{page} lists a plan by title");
    }
    // The index and every link the theme makes resolve: check reports nothing.
    let check = site.opsbook(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("OPS611"), "{}", check.stderr);
    assert_eq!(
        site.page("plans/index.html")
            .matches("<tr class=\"plan-row")
            .count(),
        19
    );
}

#[test]
fn a_page_of_the_site_at_plans_index_takes_the_index_place() {
    let site = Site::from_fixture("pages/plans_index");
    site.write(
        "content/plans/index.md",
        b"# Our plans\n\nWritten by hand: start with the bucket migration.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.page("plans/index.html");
    assert!(html.contains("Written by hand"));
    assert!(!html.contains("plans-table"));
    // The header still leads there.
    assert!(site_nav(&site.page("index.html")).contains(r#"<a href="plans/index.html">Plans</a>"#));
}

#[test]
fn a_site_without_plans_has_no_plans_index_and_no_plans_entry() {
    let site = Site::with_files(&[
        ("content/index.md", "# Home\n"),
        (
            "content/runbooks/disk-full.md",
            "# Disk full\n\n## Detection\n\nAlert.\n",
        ),
    ]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.out().join("plans/index.html").exists());
    assert!(!site_nav(&site.page("index.html")).contains("Plans"));
}

#[test]
fn the_home_page_links_the_plans_index_under_its_plan_cards() {
    let site = Site::from_fixture("pages/plans_index");
    assert_eq!(site.build().code, 0);
    let home = site.page("index.html");
    assert!(home.contains(
        r#"<p class="home-section-more"><a href="plans/index.html">All plans, with their progress</a></p>"#
    ));
}
