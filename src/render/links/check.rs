//! Checking every internal link of the generated site (render stage, after all pages are
//! rendered). `SiteIndex` records each written file and, for HTML, its element ids and
//! link destinations; `check_links` then resolves every link against that index (one
//! lookup per link: files by output path, ids by page). A link the author wrote is reported
//! on its markdown line; a link a template made, on the page. External links (with a
//! scheme) are not fetched.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::html::attributes;
use super::normalize_href;
use super::resolve::{has_scheme, AuthorLink, SourceLinks, Target};
use crate::diagnostics::{codes, Diagnostic, Diagnostics, Severity};
use crate::model::{char_refs, Page, Project};

/// Every file written, and the ids and links of each HTML file, by output path.
#[derive(Debug, Default)]
pub struct SiteIndex {
    files: BTreeSet<String>,
    pages: BTreeMap<String, Arc<PageFacts>>,
}

#[derive(Debug, Clone, Default)]
struct PageFacts {
    ids: BTreeSet<String>,
    /// Link destinations in document order, normalised (`normalize_href`).
    links: Vec<String>,
}

/// Why a link does not work.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// No generated file at `target` (an output path).
    Missing { target: String },
    /// `target` exists but has no element with id `id`.
    Anchor { target: String, id: String },
    /// The path climbs above the output root.
    Outside,
    /// The path starts with `/`.
    RootAbsolute,
}

/// What the link check needs of one written file, read on the thread that wrote it so
/// the HTML is scanned while it is still in that core's cache.
#[derive(Debug, Clone)]
pub struct FileRecord {
    path: String,
    /// Shared: serve hands a kept page's record to every build's index, and copying
    /// every page's ids and links in every build was a new allocation per link.
    facts: Option<Arc<PageFacts>>,
}

impl FileRecord {
    /// Reads one written file (path relative to the output root): for HTML, its element
    /// ids and link destinations.
    pub fn scan(path: &Path, bytes: &[u8]) -> FileRecord {
        let path = path.to_string_lossy().replace('\\', "/");
        let facts = path
            .ends_with(".html")
            .then(|| {
                std::str::from_utf8(bytes)
                    .ok()
                    .map(|html| Arc::new(page_facts(html)))
            })
            .flatten();
        FileRecord { path, facts }
    }

    /// The file's path relative to the output root, with forward slashes.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl SiteIndex {
    /// Records one written file (path relative to the output root).
    pub fn record(&mut self, path: &Path, bytes: &[u8]) {
        self.insert(FileRecord::scan(path, bytes));
    }

    /// Adds a file read by `FileRecord::scan`; the order of insertion does not matter.
    pub fn insert(&mut self, record: FileRecord) {
        if let Some(facts) = record.facts {
            self.pages.insert(record.path.clone(), facts);
        }
        self.files.insert(record.path);
    }

    /// How many files were recorded.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// What is wrong with `href` on the page at `from`, if anything.
    fn check_href(&self, from: &str, href: &str) -> Option<Problem> {
        if href.is_empty() || href.starts_with("//") || has_scheme(href) {
            return None;
        }
        let (before_fragment, fragment) = match href.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (href, None),
        };
        let path = before_fragment.split('?').next().unwrap_or("");
        if path.starts_with('/') {
            return Some(Problem::RootAbsolute);
        }
        let target = if path.is_empty() {
            from.to_string()
        } else {
            match resolve_output(from, path) {
                Ok(target) => target,
                Err(problem) => return Some(problem),
            }
        };
        let target = if self.files.contains(&target) {
            target
        } else {
            let folder_index = format!("{}/index.html", target.trim_end_matches('/'));
            if !self.files.contains(&folder_index) {
                return Some(Problem::Missing { target });
            }
            folder_index
        };
        let id = fragment.filter(|id| !id.is_empty() && *id != "top")?;
        let facts = self.pages.get(&target)?;
        (!facts.ids.contains(id)).then(|| Problem::Anchor {
            target,
            id: id.to_string(),
        })
    }
}

fn page_facts(html: &str) -> PageFacts {
    let mut facts = PageFacts::default();
    for attribute in attributes(html) {
        match (attribute.tag.as_ref(), attribute.name.as_ref()) {
            (_, "id") | ("a", "name") => {
                facts.ids.insert(char_refs::decode(attribute.value));
            }
            (_, "href" | "src") => facts.links.push(normalize_href(attribute.value)),
            _ => {}
        }
    }
    facts
}

/// The output path `path` leads to from the page at `from`; an error when it leaves the
/// output root. A folder path means its `index.html`.
fn resolve_output(from: &str, path: &str) -> Result<String, Problem> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(Problem::Outside)?;
            }
            name => parts.push(name),
        }
    }
    if path.ends_with('/') || path.ends_with("/.") || path == "." || parts.is_empty() {
        parts.push("index.html");
    }
    Ok(parts.join("/"))
}

/// Checks every link of every generated HTML page (files copied verbatim from `content/`
/// are not checked) against `index`; `resolver` (`project`'s source links) places an
/// author's link on its markdown line. Broken links get `severity`.
pub fn check_links(
    project: &Project,
    resolver: &SourceLinks,
    index: &SiteIndex,
    severity: Severity,
    diagnostics: &mut Diagnostics,
) {
    let verbatim: BTreeSet<String> = project
        .assets
        .iter()
        .map(|a| a.output.to_string_lossy().replace('\\', "/"))
        .collect();
    let pages: BTreeMap<String, &Page> = project
        .pages
        .iter()
        .map(|p| (p.output.to_string_lossy().replace('\\', "/"), &**p))
        .collect();
    // Pages are checked in parallel, each into a collector of its own; they are appended
    // in output-path order.
    let per_page: Vec<Diagnostics> = index
        .pages
        .par_iter()
        .filter(|(output, _)| {
            // The 404 page is served for unknown paths at any depth, so its links are
            // root-absolute on purpose (the browser checks cover it).
            !verbatim.contains(*output) && *output != crate::render::not_found::OUTPUT
        })
        .map(|(output, facts)| {
            let page = pages.get(output).copied();
            let mut found = Diagnostics::new();
            check_page(resolver, index, output, facts, page, severity, &mut found);
            found
        })
        .collect();
    for found in per_page {
        diagnostics.append(found);
    }
}

/// Adds the broken links of the generated page at `output` (made from `page`, if any).
fn check_page(
    resolver: &SourceLinks,
    index: &SiteIndex,
    output: &str,
    facts: &PageFacts,
    page: Option<&Page>,
    severity: Severity,
    diagnostics: &mut Diagnostics,
) {
    let problems: Vec<Option<Problem>> = facts
        .links
        .iter()
        .map(|href| index.check_href(output, href))
        .collect();
    // Almost every page has no broken link; only one that has needs the links its
    // author wrote (a parse of its markdown) to point at their lines.
    if problems.iter().all(Option::is_none) {
        return;
    }
    let author = page.map(|p| resolver.author_links(p)).unwrap_or_default();
    let mut by_key: BTreeMap<&str, VecDeque<&AuthorLink>> = BTreeMap::new();
    for link in &author {
        by_key.entry(link.key.as_str()).or_default().push_back(link);
    }
    for (href, problem) in facts.links.iter().zip(problems) {
        let written = by_key.get_mut(href.as_str()).and_then(VecDeque::pop_front);
        let Some(problem) = problem else {
            continue;
        };
        let diagnostic = match (written, page) {
            (Some(link), Some(page)) => author_diagnostic(page, link, &problem),
            _ => theme_diagnostic(page, output, href, &problem),
        };
        diagnostics.push(Diagnostic {
            severity,
            ..diagnostic
        });
    }
}

/// A broken link written in the page's markdown, at its line.
fn author_diagnostic(page: &Page, link: &AuthorLink, problem: &Problem) -> Diagnostic {
    let dest = &link.dest;
    let diagnostic = match (&link.target, problem) {
        (Target::Outside { site_path }, _) => Diagnostic::error(
            codes::LINK_OUTSIDE,
            format!("link to `{dest}` leaves the site's content folder (it points at `{site_path}`, which is not published)"),
        )
        .with_help("copy what it points at into `content/` and link to the copy, or link to it by its full URL (e.g. in the repository)"),
        (Target::RootMissing { site_path }, _) => Diagnostic::error(
            codes::LINK_BROKEN,
            format!("link to `{dest}`: no page or file of this site is at `{site_path}` (a link starting with `/` is read from the site root, as Hugo reads it)"),
        )
        .with_help(format!("add the page (e.g. `content/{}.md`), write the link relative to this file, or give the full URL of the site it is on", site_path.trim_end_matches('/'))),
        (Target::Missing { content_path }, Problem::Missing { .. }) => Diagnostic::error(
            codes::LINK_BROKEN,
            format!("link to `{dest}`: there is no `{content_path}` in the site"),
        )
        .with_help("links are relative to this file; fix the path, or add the page"),
        _ => problem_diagnostic(&format!("link to `{dest}`"), problem),
    };
    diagnostic.at(page.source.clone(), Some(link.span))
}

/// A broken link made by a template, reported on the page it appears on.
fn theme_diagnostic(
    page: Option<&Page>,
    output: &str,
    href: &str,
    problem: &Problem,
) -> Diagnostic {
    let what = format!("the theme's link `{href}` on `{output}`");
    let diagnostic = problem_diagnostic(&what, problem);
    match page {
        Some(page) => diagnostic.at(page.source.clone(), None),
        None => diagnostic.at(PathBuf::from(output), None),
    }
}

fn problem_diagnostic(what: &str, problem: &Problem) -> Diagnostic {
    match problem {
        Problem::Missing { target } => Diagnostic::error(
            codes::LINK_BROKEN,
            format!("{what}: `{target}` is not in the generated site"),
        )
        .with_help("link to a page of the site; links are relative to the page"),
        Problem::Anchor { target, id } => Diagnostic::error(
            codes::LINK_ANCHOR,
            format!("{what}: `{target}` has no element with id `{id}`"),
        )
        .with_help("a heading's id is its text in lower case with `-` between words (`## Step 1: Check` is `#step-1-check`), or the `{#id}` written after it"),
        Problem::Outside => Diagnostic::error(
            codes::LINK_OUTSIDE,
            format!("{what} climbs above the site's root folder"),
        )
        .with_help("remove a `../`, or link by full URL"),
        Problem::RootAbsolute => Diagnostic::error(
            codes::LINK_ROOT_ABSOLUTE,
            format!("{what} starts with `/`: it breaks when the site is served under a sub-path or opened from disk"),
        )
        .with_help("write the path relative to this page"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(files: &[(&str, &str)]) -> SiteIndex {
        let mut index = SiteIndex::default();
        for (path, html) in files {
            index.record(Path::new(path), html.as_bytes());
        }
        index
    }

    #[test]
    fn links_resolve_against_files_and_ids_of_the_generated_site() {
        let index = index(&[
            (
                "index.html",
                r#"<h2 id="runbooks">R</h2><a href="runbooks/index.html">x</a>"#,
            ),
            ("runbooks/index.html", r#"<h1 id="top-level">x</h1>"#),
            ("runbooks/a/index.html", r#"<a name="old">x</a>"#),
            ("static/style.css", ""),
        ]);
        let from = "runbooks/a/index.html";
        assert_eq!(index.check_href(from, "../../static/style.css"), None);
        assert_eq!(index.check_href(from, "../index.html#top-level"), None);
        assert_eq!(index.check_href(from, "../"), None);
        assert_eq!(index.check_href(from, "../../runbooks"), None);
        assert_eq!(index.check_href(from, "#old"), None);
        assert_eq!(index.check_href(from, "#top"), None);
        assert_eq!(index.check_href(from, "https://example.com/x"), None);
        assert_eq!(
            index.check_href(from, "../../index.html#plans"),
            Some(Problem::Anchor {
                target: "index.html".into(),
                id: "plans".into()
            })
        );
        assert_eq!(
            index.check_href(from, "../b/index.html"),
            Some(Problem::Missing {
                target: "runbooks/b/index.html".into()
            })
        );
        assert_eq!(
            index.check_href(from, "../../../x.html"),
            Some(Problem::Outside)
        );
        assert_eq!(
            index.check_href(from, "/runbooks/index.html"),
            Some(Problem::RootAbsolute)
        );
    }
}
