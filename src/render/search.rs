//! Search (render stage): takes the project, gives the search index and the search page.
//!
//! The index is a script, `search-index.js`, that assigns one object to
//! `window.OPSBOOK_SEARCH_INDEX`; `static/search.js` loads it with a `<script src>`
//! element the first time someone searches. A script tag, unlike `fetch()`, works from
//! `file://`, and nothing in it needs `eval` or inline script, so a strict
//! Content-Security-Policy (`script-src 'self'`) allows it.
//!
//! The index is built in one pass over the pages. Per page it holds (short keys keep the
//! file small): `t` title, `k` kind, `u` URL relative to the output root (search.js puts
//! the current page's root in front, so the box works at any depth), `w` keywords,
//! `h` headings as `[text, id]` (id empty when the page has no anchor for it), `c` code
//! lines and `x` prose, each bounded per page by `LIMITS`.
//!
//! The search page (`search/index.html`) lists every page by kind, so without script
//! nothing is lost; with script it also shows results as you type.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::markdown::plain_text::{plain_text, TextLimits};
use super::page_memo;
use super::views::{is_home_page, kind_heading, page_href, LinkView, PageGroupView};
use crate::diagnostics::{codes, Diagnostic};
use crate::memo::{KeyHasher, Memo, MemoRound};
use crate::model::{Page, PageKind, Project};

/// Where the index is written, relative to the output root.
pub const INDEX_FILE: &str = "search-index.js";
/// Where the search page is written, relative to the output root.
pub const SEARCH_PAGE: &str = "search/index.html";
/// The global the index assigns; `static/search.js` reads the same name.
pub const INDEX_GLOBAL: &str = "OPSBOOK_SEARCH_INDEX";

/// How much of one page goes into the index. Runbooks are short; the bounds stop a
/// 3,000-line plan from taking the whole index.
pub const LIMITS: TextLimits = TextLimits {
    headings: 60,
    code_lines: 120,
    line_chars: 160,
    text_chars: 6_000,
};

/// The whole index (tests read it as values; builds write it as scripts).
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchIndex {
    /// Bumped when the shape changes, so a cached old index can be told apart.
    pub version: u32,
    pub pages: Vec<IndexEntry>,
}

/// One page in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexEntry {
    #[serde(rename = "t")]
    pub title: String,
    #[serde(rename = "k")]
    pub kind: &'static str,
    /// Relative to the output root: `runbooks/db/index.html`.
    #[serde(rename = "u")]
    pub url: String,
    /// Exact names to find the page by (tags, severity; runbook alert names).
    #[serde(rename = "w", skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(rename = "h", skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<(String, String)>,
    #[serde(rename = "c", skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<String>,
    #[serde(rename = "x")]
    pub text: String,
}

/// The index of every page, sorted by URL (what `search_index_files` writes, as values).
#[cfg(test)]
pub fn build_search_index(project: &Project) -> SearchIndex {
    let mut pages: Vec<IndexEntry> = project.pages.par_iter().map(|p| index_entry(p)).collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    SearchIndex {
        version: INDEX_VERSION,
        pages,
    }
}

/// One page's entry as the index file holds it, with its URL to sort by.
#[derive(Debug, Clone)]
pub struct IndexJson {
    url: String,
    json: String,
    /// The page the entry was made from (an entry reads nothing else).
    from: Arc<Page>,
}

/// The pages' entries of serve's last build, by source path.
pub type SearchMemo = Memo<IndexJson>;

/// The version of the index's format, which `search.js` checks.
const INDEX_VERSION: u32 = 1;

/// Largest size of one index file. Cloudflare Pages refuses files over 25 MiB, and a
/// phone should not parse one huge script: a big site's index is split into shards.
pub const SHARD_BYTES: usize = 8 * 1024 * 1024;

/// The index as scripts, loaded with `<script src>` so search works from `file://`:
/// `search-index.js` sets `window.OPSBOOK_SEARCH_INDEX` (version, shard count and the
/// first pages); `search-index-N.js` sets `window.OPSBOOK_SEARCH_INDEX_N` to the pages of
/// shard N. Shards are cut at page boundaries once they reach `SHARD_BYTES`.
/// Pages are read in parallel: reading a page's text is a markdown parse, and on one
/// core it was half a second of a 10,000-page build. With `memo` (`serve`), a page's
/// entry is taken from the last build when the page is the same (an entry reads only
/// its page).
pub fn search_index_files(
    project: &Project,
    memo: Option<&MemoRound<'_, IndexJson>>,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let entry = |page: &Arc<Page>| -> Result<IndexJson, serde_json::Error> {
        let entry = index_entry(page);
        let json = serde_json::to_string(&entry)?;
        Ok(IndexJson {
            url: entry.url,
            json,
            from: Arc::clone(page),
        })
    };
    // The key is only where the entry is kept; the page itself is compared.
    let no_key = KeyHasher::new().finish();
    let mut entries: Vec<Arc<IndexJson>> = project
        .pages
        .par_iter()
        .map(|page| match memo {
            Some(round) => {
                let same = |_, kept: &IndexJson| page_memo::same_page(&kept.from, page);
                if let Some(kept) = round.find_if(&page.source, same) {
                    return Ok(kept);
                }
                Ok(round.keep(&page.source, no_key, entry(page)?))
            }
            None => entry(page).map(Arc::new),
        })
        .collect::<Result<_, _>>()
        .map_err(|error| {
            Diagnostic::error(
                codes::WRITE,
                format!("cannot write the search index: {error}"),
            )
        })?;
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    let entries = entries.iter().map(|entry| entry.json.as_str());
    let mut shards: Vec<Vec<&str>> = vec![Vec::new()];
    let mut size = 0;
    for json in entries {
        if size + json.len() > SHARD_BYTES && shards.last().is_some_and(|s| !s.is_empty()) {
            shards.push(Vec::new());
            size = 0;
        }
        size += json.len() + 1;
        if let Some(shard) = shards.last_mut() {
            shard.push(json);
        }
    }
    let count = shards.len();
    Ok(shards
        .into_iter()
        .enumerate()
        .map(|(n, pages)| {
            let pages = pages.join(",");
            if n == 0 {
                let script = format!(
                    "window.{INDEX_GLOBAL}={{\"version\":{INDEX_VERSION},\"shards\":{count},\"pages\":[{pages}]}};\n",
                );
                (INDEX_FILE.to_string(), script.into_bytes())
            } else {
                let script = format!("window.{INDEX_GLOBAL}_{n}=[{pages}];\n");
                (shard_file(n), script.into_bytes())
            }
        })
        .collect())
}

/// `search-index-N.js`, the file of shard N (N ≥ 1).
pub fn shard_file(n: usize) -> String {
    format!("search-index-{n}.js")
}

/// The words a page should be found by exactly, ranked just below its title.
fn page_keywords(page: &Page) -> Vec<String> {
    let front = &page.front_matter;
    let mut keywords = front.tags.clone();
    keywords.extend(front.severity.iter().cloned());
    // A runbook is found by the alerts it answers.
    keywords.extend(page.runbook.iter().flat_map(|r| r.alerts.iter().cloned()));
    keywords
}

fn index_entry(page: &Page) -> IndexEntry {
    let text = plain_text(page.body(), LIMITS);
    // A structured plan is rendered from the plan model, not from its markdown, so its
    // markdown headings have no anchors on the page.
    let anchored = !page.plan.as_ref().is_some_and(|plan| plan.is_structured());
    let headings = text
        .headings
        .into_iter()
        .filter(|heading| heading.text != page.title)
        .map(|heading| {
            let id = if anchored { heading.id } else { String::new() };
            (heading.text, id)
        })
        .collect();
    let mut prose = page.front_matter.description.clone().unwrap_or_default();
    if !prose.is_empty() && !text.text.is_empty() {
        prose.push(' ');
    }
    prose.push_str(&text.text);
    IndexEntry {
        title: page.title.clone(),
        kind: page.kind.as_str(),
        url: page_href("", page),
        keywords: page_keywords(page),
        headings,
        code: text.code_lines,
        text: prose,
    }
}

/// What `search.html` shows as `page`: every page, grouped by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchPageView {
    pub groups: Vec<PageGroupView>,
    /// Pages listed in all groups.
    pub total: usize,
}

/// Every page but the home page, by kind in a fixed order, sorted by title.
pub fn search_page_view(project: &Project, root: &str) -> SearchPageView {
    let groups: Vec<PageGroupView> = [
        PageKind::Runbook,
        PageKind::Plan,
        PageKind::Audit,
        PageKind::Page,
    ]
    .into_iter()
    .filter_map(|kind| {
        let mut pages: Vec<LinkView> = project
            .pages
            .iter()
            .filter(|page| page.kind == kind && !is_home_page(page))
            .map(|page| LinkView {
                title: page.title.clone(),
                href: page_href(root, page),
                description: page.front_matter.description.clone(),
            })
            .collect();
        pages.sort_by(|a, b| a.title.cmp(&b.title).then(a.href.cmp(&b.href)));
        let (heading, anchor) = kind_heading(kind);
        (!pages.is_empty()).then(|| PageGroupView {
            kind: kind.as_str().to_string(),
            heading: heading.to_string(),
            anchor: format!("all-{anchor}"),
            pages,
        })
    })
    .collect();
    let total = groups.iter().map(|g| g.pages.len()).sum();
    SearchPageView { groups, total }
}

impl super::SiteRenderer<'_> {
    /// `search/index.html`.
    pub(super) fn render_search_page(&self) -> Result<super::Output, Diagnostic> {
        let (view_context, context) = self.context_for(Path::new(SEARCH_PAGE));
        let view = search_page_view(self.project, &view_context.root);
        self.render_listing(Path::new(SEARCH_PAGE), "search.html", context, view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{document_page, plan_page, sample_plan};

    fn runbook(output: &str, title: &str, body: &str) -> Page {
        let mut page = document_page(PageKind::Runbook, output, title);
        page.text = body.into();
        page.body_start = 0;
        page
    }

    fn project() -> Project {
        let mut db = runbook(
            "runbooks/db/index.html",
            "Database down",
            "# Database down\n\nPostgres says `FATAL: too many connections`.\n\n## Restart\n\n```bash\ndocker restart postgres\n```\n",
        );
        db.front_matter.tags = vec!["PostgresDown".into()];
        db.front_matter.severity = Some("P0".into());
        Project {
            pages: crate::test_support::shared_pages(vec![
                db,
                runbook("index.html", "Home", "Welcome."),
                plan_page("devops", sample_plan()),
            ]),
            ..Project::default()
        }
    }

    #[test]
    fn index_holds_title_kind_url_keywords_headings_code_and_text_per_page() {
        let index = build_search_index(&project());
        let urls: Vec<&str> = index.pages.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "index.html",
                "plans/devops/index.html",
                "runbooks/db/index.html"
            ]
        );
        let db = &index.pages[2];
        assert_eq!(db.title, "Database down");
        assert_eq!(db.kind, "runbook");
        assert_eq!(db.keywords, ["PostgresDown", "P0"]);
        assert_eq!(
            db.headings,
            [("Restart".to_string(), "restart".to_string())]
        );
        assert_eq!(db.code, ["docker restart postgres"]);
        assert_eq!(db.text, "Postgres says FATAL: too many connections.");
    }

    #[test]
    fn structured_plan_headings_carry_no_anchor() {
        let mut plan = plan_page("devops", sample_plan());
        plan.text = "## Epic 1\n\ntext\n".into();
        plan.body_start = 0;
        let entry = index_entry(&plan);
        assert_eq!(entry.headings, [("Epic 1".to_string(), String::new())]);
    }

    #[test]
    fn with_a_memo_the_index_is_the_same_and_follows_an_edited_page() {
        let memos = super::page_memo::RenderMemos::default();
        let index = |project: &Project| {
            let round = memos.search.round();
            search_index_files(project, Some(&round)).unwrap()
        };
        let counts = |reused, made| crate::memo::MemoCounts { reused, made };
        let mut project = project();
        assert_eq!(index(&project), search_index_files(&project, None).unwrap());
        assert_eq!(memos.search.last_counts(), counts(0, 3));
        assert_eq!(index(&project), search_index_files(&project, None).unwrap());
        assert_eq!(memos.search.last_counts(), counts(3, 0));
        // A page read again into an equal page is the same page.
        project.pages[1] = Arc::new((*project.pages[1]).clone());
        assert_eq!(index(&project), search_index_files(&project, None).unwrap());
        assert_eq!(memos.search.last_counts(), counts(3, 0));
        let edited = Arc::make_mut(&mut project.pages[0]);
        edited.text = format!("{}\nNew words: `pg_ctl promote`.\n", edited.text).into();
        let edited = index(&project);
        assert_eq!(edited, search_index_files(&project, None).unwrap());
        assert!(String::from_utf8_lossy(&edited[0].1).contains("pg_ctl promote"));
        assert_eq!(memos.search.last_counts(), counts(2, 1));
    }

    #[test]
    fn index_script_assigns_the_global_and_parses_as_json() {
        let files = search_index_files(&project(), None).expect("index");
        assert_eq!(files.len(), 1, "a small site has one shard");
        let script = String::from_utf8(files[0].1.clone()).expect("utf-8");
        let json = script
            .strip_prefix("window.OPSBOOK_SEARCH_INDEX=")
            .and_then(|s| s.strip_suffix(";\n"))
            .expect("one assignment");
        let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
        assert_eq!(value["version"], 1);
        assert_eq!(value["shards"], 1);
        assert_eq!(value["pages"][2]["c"][0], "docker restart postgres");
    }

    #[test]
    fn a_big_index_is_split_into_shards_under_the_size_bound() {
        let body = format!(
            "# Page\n\n{}\n",
            "incident words and more words ".repeat(190)
        );
        let pages = (0..2_000)
            .map(|i| runbook(&format!("runbooks/r{i:05}/index.html"), "R", &body).into())
            .collect();
        let project = Project {
            pages,
            ..Project::default()
        };
        let files = search_index_files(&project, None).expect("index");
        assert!(files.len() > 1, "{}", files.len());
        assert_eq!(files[0].0, INDEX_FILE);
        assert_eq!(files[1].0, "search-index-1.js");
        let mut pages = 0;
        for (n, (_, bytes)) in files.iter().enumerate() {
            assert!(
                bytes.len() <= SHARD_BYTES + 1024,
                "shard {n}: {}",
                bytes.len()
            );
            let script = String::from_utf8(bytes.clone()).unwrap();
            let (_, json) = script.split_once('=').unwrap();
            let value: serde_json::Value =
                serde_json::from_str(json.trim_end().trim_end_matches(';')).unwrap();
            pages += if n == 0 {
                assert_eq!(value["shards"], files.len());
                value["pages"].as_array().unwrap().len()
            } else {
                value.as_array().unwrap().len()
            };
        }
        assert_eq!(pages, 2_000, "every page is in exactly one shard");
    }

    #[test]
    fn runbook_alert_names_are_keywords() {
        let mut page = runbook("runbooks/db/index.html", "DB", "# DB\n");
        page.runbook = Some(crate::model::Runbook {
            alerts: vec!["PostgresDown".into()],
            ..Default::default()
        });
        assert!(index_entry(&page)
            .keywords
            .contains(&"PostgresDown".to_string()));
    }

    #[test]
    fn index_grows_with_pages_but_each_page_is_bounded() {
        let huge_body = format!(
            "{}\n```\n{}\n```\n",
            "incident words ".repeat(5_000),
            (0..2_000)
                .map(|i| format!("kubectl rollout restart deploy/app-{i}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let page = runbook("runbooks/huge/index.html", "Huge", &huge_body);
        let entry = index_entry(&page);
        assert!(entry.text.len() <= LIMITS.text_chars);
        assert_eq!(entry.code.len(), LIMITS.code_lines);
        let size = serde_json::to_string(&entry).expect("json").len();
        assert!(size < 30_000, "one page took {size} bytes");
    }

    #[test]
    fn search_page_lists_every_page_but_home_by_kind() {
        let view = search_page_view(&project(), "../");
        let groups: Vec<(&str, Vec<&str>)> = view
            .groups
            .iter()
            .map(|g| {
                let hrefs = g.pages.iter().map(|p| p.href.as_str()).collect();
                (g.anchor.as_str(), hrefs)
            })
            .collect();
        assert_eq!(
            groups,
            [
                ("all-runbooks", vec!["../runbooks/db/index.html"]),
                ("all-plans", vec!["../plans/devops/index.html"]),
            ]
        );
        assert_eq!(view.total, 2);
    }
}
