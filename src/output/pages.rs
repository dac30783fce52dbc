//! Cloudflare Pages extras (output stage): the rendered file list and the project in,
//! `_headers` and `_redirects` plus diagnostics out.
//!
//! `_headers` gives every response a strict Content-Security-Policy (nothing inline,
//! nothing from other origins: the theme loads its stylesheet and scripts as files) and
//! the usual hardening headers, and keeps `*.pages.dev` previews out of search engines.
//! `_redirects` sends each front matter alias to its page. Pages refuses deployments over
//! its limits, so going over one is an error here, before anything is uploaded.
//! Both files are ignored by every other host and by `file://`, where the site works the
//! same without them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{codes, display_path, Diagnostic, Diagnostics};
use crate::model::span::LineIndex;
use crate::model::{Page, Project};

/// The file Pages reads response headers from.
pub const HEADERS_FILE: &str = "_headers";
/// The file Pages reads redirects from.
pub const REDIRECTS_FILE: &str = "_redirects";
/// The page Pages serves (with status 404) for every unknown path.
pub const NOT_FOUND_FILE: &str = "404.html";

/// Cloudflare Pages' limits on one deployment.
pub mod limits {
    /// Files in one deployment.
    pub const MAX_FILES: usize = 20_000;
    /// Bytes in one file (25 MiB).
    pub const MAX_FILE_BYTES: u64 = 25 * 1024 * 1024;
    /// Rules in `_headers`.
    pub const MAX_HEADER_RULES: usize = 100;
    /// Static (placeholder-free) rules in `_redirects`.
    pub const MAX_STATIC_REDIRECTS: usize = 2_000;
}

/// The Content-Security-Policy every page is served with. The site never needs more:
/// its stylesheet and scripts are files of its own, it has no inline `<script>`,
/// `<style>` or `style=` attribute, it loads nothing from elsewhere and posts no form.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The headers every response gets, in the order they are written.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    ),
];

/// Host patterns of the Pages preview addresses (`<project>.pages.dev` and
/// `<hash or branch>.<project>.pages.dev`), which must never be indexed.
const PREVIEW_HOSTS: &[&str] = &[
    "https://:project.pages.dev/*",
    "https://:version.:project.pages.dev/*",
];

/// One file of the rendered site: its path in the output and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: u64,
}

/// The Pages files to add to the output.
#[derive(Debug, Default)]
pub struct PagesOutput {
    /// `(path, bytes)` of `_headers` and `_redirects`.
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

/// Builds `_headers` and `_redirects` for the rendered `files` (every file written so
/// far, `404.html` included) and checks the whole deployment against Pages' limits; the
/// problems found go to `diagnostics`.
pub fn pages_files(
    project: &Project,
    files: &[OutputFile],
    diagnostics: &mut Diagnostics,
) -> PagesOutput {
    let headers = headers_file();
    let redirects = collect_redirects(project, files, diagnostics);
    let redirects_text = redirects_file(&redirects);
    content_replacing_pages_files(project, diagnostics);
    let deployment = Deployment {
        files,
        header_rules: count_header_rules(&headers),
        static_redirects: redirects.len(),
        extra_files: 2,
    };
    check_limits(&deployment, diagnostics);
    PagesOutput {
        files: vec![
            (PathBuf::from(HEADERS_FILE), headers.into_bytes()),
            (PathBuf::from(REDIRECTS_FILE), redirects_text.into_bytes()),
        ],
    }
}

/// The `_headers` text: the security headers for every path, `noindex` for previews.
pub fn headers_file() -> String {
    let mut text =
        String::from("# Written by opsbook. Cloudflare Pages applies these headers.\n/*\n");
    for (name, value) in SECURITY_HEADERS {
        text.push_str(&format!("  {name}: {value}\n"));
    }
    for host in PREVIEW_HOSTS {
        text.push_str(&format!("\n{host}\n  X-Robots-Tag: noindex\n"));
    }
    text
}

/// Rules in a `_headers` text: every line that starts a URL pattern (not indented, not
/// a comment).
pub fn count_header_rules(text: &str) -> usize {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with([' ', '\t', '#']))
        .count()
}

/// One redirect: from an alias to a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// `/old/path`
    pub from: String,
    /// `/plans/x/`
    pub to: String,
}

/// The `_redirects` text, one permanent redirect per line, sorted by source.
pub fn redirects_file(redirects: &[Redirect]) -> String {
    let mut text = String::from("# Written by opsbook from front matter `aliases`.\n");
    for redirect in redirects {
        text.push_str(&format!("{} {} 301\n", redirect.from, redirect.to));
    }
    text
}

/// Every valid alias of every page, sorted by source; invalid, duplicate and shadowed
/// aliases are diagnostics at the alias's line.
fn collect_redirects(
    project: &Project,
    files: &[OutputFile],
    diagnostics: &mut Diagnostics,
) -> Vec<Redirect> {
    let mut by_source: BTreeMap<String, (&Page, String)> = BTreeMap::new();
    for page in &project.pages {
        for alias in &page.front_matter.aliases {
            let at = |d: Diagnostic| d.at(page.source.clone(), alias_span(page, alias));
            let from = match normalise_alias(alias) {
                Ok(from) => from,
                Err(problem) => {
                    diagnostics.push(at(Diagnostic::error(
                        codes::PAGES_ALIAS_INVALID,
                        format!("alias `{alias}` {problem}"),
                    )
                    .with_help(
                        "write an alias as a path on this site, e.g. `/runbooks/old-name/`",
                    )));
                    continue;
                }
            };
            if let Some(shadowed) = existing_file(files, &from) {
                diagnostics.push(at(Diagnostic::warning(
                    codes::PAGES_ALIAS_SHADOWED,
                    format!("alias `{alias}` is the address of `{shadowed}`, which is published; the redirect is left out"),
                ).with_help("remove the alias, or rename the page that lives there")));
                continue;
            }
            if let Some((other, _)) = by_source.get(&from) {
                diagnostics.push(at(Diagnostic::error(
                    codes::PAGES_ALIAS_DUPLICATE,
                    format!(
                        "alias `{alias}` is already an alias of `{}`",
                        display_path(&other.source)
                    ),
                )
                .with_help(
                    "an old address can lead to one page only; remove one of the aliases",
                )));
                continue;
            }
            by_source.insert(from, (page, page_url(&page.output)));
        }
    }
    by_source
        .into_iter()
        .map(|(from, (_, to))| Redirect { from, to })
        .collect()
}

/// `/old/path` for `old/path`, `/old/path/` or `/old/path`; an error saying what is wrong
/// for anything that is not a plain path on this site.
fn normalise_alias(alias: &str) -> Result<String, &'static str> {
    let alias = alias.trim();
    if alias.is_empty() || alias == "/" {
        return Err("is empty or the home page");
    }
    if alias.contains("://") || alias.starts_with("//") {
        return Err("points to another site; aliases are old addresses on this one");
    }
    if alias.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains a space; `_redirects` cannot hold it");
    }
    if alias.contains(['#', '?', '*', ':', '\\']) {
        return Err("contains `#`, `?`, `*`, `:` or `\\`, which `_redirects` reads as patterns");
    }
    if alias
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Err("contains `.` or `..` segments");
    }
    Ok(format!("/{}", alias.trim_start_matches('/')))
}

/// The published file an alias would point at, if there is one (`/a/` is `a/index.html`).
fn existing_file(files: &[OutputFile], from: &str) -> Option<String> {
    let path = from.trim_start_matches('/');
    let candidates = [
        path.trim_end_matches('/').to_string(),
        format!("{}/index.html", path.trim_end_matches('/')),
    ];
    files
        .iter()
        .map(|file| display_path(&file.path))
        .find(|file| candidates.contains(file))
}

/// `/plans/x/` for `plans/x/index.html`, `/notes.txt` for `notes.txt`.
fn page_url(output: &Path) -> String {
    let path = display_path(output);
    match path.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{path}"),
    }
}

/// The position of an alias in the page's front matter (the first line that holds it).
fn alias_span(page: &Page, alias: &str) -> Option<crate::model::Span> {
    let front_matter = &page.text[..page.body_start];
    let offset = front_matter.find(alias)?;
    Some(LineIndex::new(&page.text).span(offset, offset + alias.len()))
}

/// A content file published where a generated Pages file goes would be overwritten.
fn content_replacing_pages_files(project: &Project, diagnostics: &mut Diagnostics) {
    let replacing = project
        .assets
        .iter()
        .filter(|asset| {
            [HEADERS_FILE, REDIRECTS_FILE, NOT_FOUND_FILE].contains(&display_path(&asset.output).as_str())
        })
        .map(|asset| {
            Diagnostic::error(
                codes::PAGES_FILE_REPLACED,
                format!(
                    "`{}` would replace the `{}` opsbook writes for Cloudflare Pages",
                    display_path(&asset.source),
                    display_path(&asset.output)
                ),
            )
            .at(asset.source.clone(), None)
            .with_help("remove the file; opsbook writes `_headers`, `_redirects` and `404.html` itself (use front matter `aliases` for redirects, `templates/404.html` for the 404 page)")
        });
    diagnostics.extend(replacing);
}

/// What the limits are checked against.
struct Deployment<'a> {
    files: &'a [OutputFile],
    header_rules: usize,
    static_redirects: usize,
    /// Files added after `files` (`_headers`, `_redirects`).
    extra_files: usize,
}

fn check_limits(deployment: &Deployment, diagnostics: &mut Diagnostics) {
    let file_count = deployment.files.len() + deployment.extra_files;
    if file_count > limits::MAX_FILES {
        diagnostics.push(
            Diagnostic::error(
                codes::PAGES_TOO_MANY_FILES,
                format!(
                    "the site has {file_count} files; Cloudflare Pages accepts at most {}",
                    limits::MAX_FILES
                ),
            )
            .with_help(
                "move large collections of assets out of `content/` (e.g. to object storage)",
            ),
        );
    }
    for file in deployment
        .files
        .iter()
        .filter(|f| f.bytes > limits::MAX_FILE_BYTES)
    {
        diagnostics.push(
            Diagnostic::error(
                codes::PAGES_FILE_TOO_LARGE,
                format!(
                    "`{}` is {:.1} MiB; Cloudflare Pages accepts files of at most 25 MiB",
                    display_path(&file.path),
                    file.bytes as f64 / (1024.0 * 1024.0)
                ),
            )
            .with_help("keep large files (dumps, images, binaries) out of `content/` and link to them instead"),
        );
    }
    if deployment.header_rules > limits::MAX_HEADER_RULES {
        diagnostics.push(Diagnostic::error(
            codes::PAGES_TOO_MANY_HEADER_RULES,
            format!(
                "`_headers` has {} rules; Cloudflare Pages reads at most {}",
                deployment.header_rules,
                limits::MAX_HEADER_RULES
            ),
        ));
    }
    if deployment.static_redirects > limits::MAX_STATIC_REDIRECTS {
        diagnostics.push(
            Diagnostic::error(
                codes::PAGES_TOO_MANY_REDIRECTS,
                format!(
                    "the front matter `aliases` make {} redirects; Cloudflare Pages reads at most {}",
                    deployment.static_redirects,
                    limits::MAX_STATIC_REDIRECTS
                ),
            )
            .with_help("drop aliases of pages that were renamed long ago"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FrontMatter, PageKind};

    fn page(source: &str, output: &str, aliases: &[&str]) -> Page {
        let yaml: String = aliases.iter().map(|a| format!("  - {a}\n")).collect();
        let text = format!("---\naliases:\n{yaml}---\n# Title\n");
        Page {
            source: PathBuf::from(source),
            kind: PageKind::Runbook,
            front_matter: FrontMatter {
                aliases: aliases.iter().map(|a| a.to_string()).collect(),
                ..FrontMatter::default()
            },
            body_start: text.find("# Title").unwrap(),
            text: text.into(),
            title: "Title".into(),
            output: PathBuf::from(output),
            plan: None,
            runbook: None,
            diagrams: crate::model::PageDiagrams::default(),
        }
    }

    fn files(paths: &[&str]) -> Vec<OutputFile> {
        paths
            .iter()
            .map(|p| OutputFile {
                path: PathBuf::from(p),
                bytes: 10,
            })
            .collect()
    }

    fn project(pages: Vec<Page>) -> Project {
        Project {
            pages: crate::test_support::shared_pages(pages),
            ..Project::default()
        }
    }

    fn build(project: &Project, files: &[OutputFile]) -> (PagesOutput, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let output = pages_files(project, files, &mut diagnostics);
        (output, diagnostics)
    }

    fn text_of(output: &PagesOutput, name: &str) -> String {
        let (_, bytes) = output
            .files
            .iter()
            .find(|(path, _)| path == Path::new(name))
            .unwrap();
        String::from_utf8(bytes.clone()).unwrap()
    }

    #[test]
    fn headers_give_every_path_the_csp_and_previews_noindex() {
        let text = headers_file();
        assert!(text.contains("/*\n  Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self';"));
        assert!(text.contains("frame-ancestors 'none'"));
        assert!(!text.contains("unsafe-inline"));
        assert!(text.contains("  X-Content-Type-Options: nosniff\n"));
        assert!(text.contains("  Referrer-Policy: same-origin\n"));
        assert!(text.contains("https://:project.pages.dev/*\n  X-Robots-Tag: noindex\n"));
        assert!(text.contains("https://:version.:project.pages.dev/*\n  X-Robots-Tag: noindex\n"));
        assert_eq!(count_header_rules(&text), 3);
    }

    #[test]
    fn aliases_become_sorted_permanent_redirects_to_the_page_folder() {
        let project = project(vec![
            page(
                "content/runbooks/db.md",
                "runbooks/db/index.html",
                &["old/db-restore/", "/zz"],
            ),
            page("content/notes.md", "notes/index.html", &["/a-notes"]),
        ]);
        let (output, diagnostics) =
            build(&project, &files(&["index.html", "runbooks/db/index.html"]));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            text_of(&output, "_redirects"),
            "# Written by opsbook from front matter `aliases`.\n\
             /a-notes /notes/ 301\n\
             /old/db-restore/ /runbooks/db/ 301\n\
             /zz /runbooks/db/ 301\n"
        );
    }

    #[test]
    fn bad_duplicate_and_shadowing_aliases_are_reported_at_their_line() {
        let project = project(vec![
            page(
                "content/a.md",
                "a/index.html",
                &["https://old.example/x", "/same"],
            ),
            page(
                "content/b.md",
                "b/index.html",
                &["/same", "/a/", "has space"],
            ),
        ]);
        let (output, diagnostics) = build(&project, &files(&["a/index.html", "b/index.html"]));
        let found: Vec<(&str, String, u32)> = diagnostics
            .iter()
            .map(|d| {
                (
                    d.code,
                    display_path(d.path.as_ref().unwrap()),
                    d.span.unwrap().line,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (codes::PAGES_ALIAS_INVALID, "content/a.md".to_string(), 3),
                (codes::PAGES_ALIAS_DUPLICATE, "content/b.md".to_string(), 3),
                (codes::PAGES_ALIAS_SHADOWED, "content/b.md".to_string(), 4),
                (codes::PAGES_ALIAS_INVALID, "content/b.md".to_string(), 5),
            ]
        );
        assert_eq!(
            text_of(&output, "_redirects")
                .lines()
                .skip(1)
                .collect::<Vec<_>>(),
            ["/same /a/ 301"]
        );
    }

    #[test]
    fn each_pages_limit_is_an_error_when_exceeded() {
        let many: Vec<OutputFile> = (0..limits::MAX_FILES - 1)
            .map(|i| OutputFile {
                path: PathBuf::from(format!("f{i}")),
                bytes: 1,
            })
            .collect();
        let mut big = many.clone();
        big[0].bytes = limits::MAX_FILE_BYTES + 1;
        let codes_of = |deployment: &Deployment| -> Vec<&str> {
            let mut diagnostics = Diagnostics::new();
            check_limits(deployment, &mut diagnostics);
            diagnostics.iter().map(|d| d.code).collect()
        };
        let within = Deployment {
            files: &many[..limits::MAX_FILES - 2],
            header_rules: limits::MAX_HEADER_RULES,
            static_redirects: limits::MAX_STATIC_REDIRECTS,
            extra_files: 2,
        };
        assert!(codes_of(&within).is_empty());
        let over = Deployment {
            files: &big,
            header_rules: limits::MAX_HEADER_RULES + 1,
            static_redirects: limits::MAX_STATIC_REDIRECTS + 1,
            extra_files: 2,
        };
        assert_eq!(
            codes_of(&over),
            [
                codes::PAGES_TOO_MANY_FILES,
                codes::PAGES_FILE_TOO_LARGE,
                codes::PAGES_TOO_MANY_HEADER_RULES,
                codes::PAGES_TOO_MANY_REDIRECTS
            ]
        );
    }

    #[test]
    fn content_file_named_like_a_pages_file_is_an_error() {
        let mut project = project(vec![]);
        project.assets.push(crate::model::Asset {
            source: PathBuf::from("content/_redirects"),
            output: PathBuf::from("_redirects"),
            text: None,
        });
        let (_, diagnostics) = build(&project, &[]);
        assert_eq!(diagnostics[0].code, codes::PAGES_FILE_REPLACED);
    }
}
