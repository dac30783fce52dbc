//! The links an author wrote in a page's markdown (render stage). A relative link is a path
//! from the page's source file, as on GitHub or in an editor (`./p0-database-failure.md`,
//! `../plans/x.md#anchor`); it is resolved against the site's source files and, when it
//! names one, turned into the page-relative URL of what is generated from it
//! (`../p0-database-failure/index.html`). Takes the project, gives each page's
//! `AuthorLink`s with their source spans.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::model::span::{LineIndex, Span};
use crate::model::{Page, Project};
use crate::render::markdown::link_destinations;

use super::html::percent_decode;

/// The folder that holds the pages, relative to the site root.
const CONTENT: &str = "content";

/// What a link an author wrote points at, read as a path from the source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Not a relative path: an external URL, an in-page `#anchor`, a root-absolute path.
    NotRelative,
    /// A source file of the site; `output` is what is generated from it.
    Found {
        output: PathBuf,
        /// `?query#fragment` as written.
        suffix: String,
    },
    /// A path inside `content/` where there is no source file.
    Missing { content_path: String },
    /// A path that climbs out of `content/` (`site_path` is relative to the site root,
    /// or starts with `..` when it leaves the site root too).
    Outside { site_path: String },
    /// A root-absolute path (`/docs/add-runbook`) that names no page or file of the
    /// site; `site_path` is the path without its leading `/`, query and fragment.
    RootMissing { site_path: String },
}

/// One link from the markdown of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorLink {
    /// The destination as written (markdown escapes resolved).
    pub dest: String,
    /// Where the link is in the page's source file.
    pub span: Span,
    pub target: Target,
    /// The new attribute value (HTML-escaped) when the link is rewritten.
    pub rewritten: Option<String>,
    /// The link's destination in the generated HTML, decoded (entities and `%HH`), to
    /// recognise it among the page's links.
    pub key: String,
}

/// Source paths (relative to `content/`) and folders, to what is generated from them.
#[derive(Debug, Clone, Default)]
pub struct SourceLinks {
    files: BTreeMap<PathBuf, PathBuf>,
    /// A folder to its index page (`runbooks` -> `runbooks/index.html`).
    folders: BTreeMap<PathBuf, PathBuf>,
    /// The paths a root-absolute link may use for a page or file, lower-cased (see
    /// `site_path_keys`), to what is generated from it.
    site_paths: BTreeMap<String, PathBuf>,
}

impl SourceLinks {
    pub fn new(project: &Project) -> SourceLinks {
        let mut links = SourceLinks::default();
        for page in &project.pages {
            let relative = content_relative(&page.source);
            let folder = relative.parent().unwrap_or(Path::new("")).to_path_buf();
            let is_folder_index = page.output.parent() == Some(folder.as_path())
                && page.output.file_name() == Some("index.html".as_ref());
            if is_folder_index {
                links.folders.insert(folder, page.output.clone());
            }
            for key in site_path_keys(&relative, &page.output, is_folder_index) {
                links.site_paths.entry(key).or_insert(page.output.clone());
            }
            links.files.insert(relative, page.output.clone());
        }
        for asset in &project.assets {
            let relative = content_relative(&asset.source);
            links
                .site_paths
                .entry(forward(&relative).to_lowercase())
                .or_insert(asset.output.clone());
            links.files.insert(relative, asset.output.clone());
        }
        links
    }

    /// A root-absolute destination read as Hugo reads it, from the site root: the page
    /// or file whose source path or published address it names, compared without case
    /// (`/runbooks/node/raidarraydegraded/` is `content/runbooks/node/RaidArrayDegraded.md`).
    fn resolve_root(&self, dest: &str) -> Target {
        let split = dest.find(['?', '#']).unwrap_or(dest.len());
        let (path, suffix) = dest.split_at(split);
        let decoded = percent_decode(path);
        let mut key = decoded.trim_matches('/').to_lowercase();
        for ending in ["index.html", ".html"] {
            if let Some(stripped) = key.strip_suffix(ending) {
                key = stripped.trim_end_matches('/').to_string();
            }
        }
        match self.site_paths.get(&key) {
            Some(output) => Target::Found {
                output: output.clone(),
                suffix: suffix.to_string(),
            },
            None => Target::RootMissing {
                site_path: decoded.trim_start_matches('/').to_string(),
            },
        }
    }

    /// Resolves one destination written in `page`.
    pub fn resolve(&self, page: &Page, dest: &str) -> Target {
        if dest.starts_with('/') && !dest.starts_with("//") {
            return self.resolve_root(dest);
        }
        if dest.is_empty() || dest.starts_with(['#', '/']) || has_scheme(dest) {
            return Target::NotRelative;
        }
        let split = dest.find(['?', '#']).unwrap_or(dest.len());
        let (path, suffix) = dest.split_at(split);
        let path = percent_decode(path);
        let mut parts: Vec<String> = page
            .source
            .parent()
            .unwrap_or(Path::new(""))
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let mut above_root = 0usize;
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." if parts.pop().is_none() => above_root += 1,
                ".." => {}
                name => parts.push(name.to_string()),
            }
        }
        if above_root > 0 || parts.first().map(String::as_str) != Some(CONTENT) {
            let site_path = "../".repeat(above_root) + &parts.join("/");
            return Target::Outside { site_path };
        }
        let relative: PathBuf = parts[1..].iter().collect();
        // `./other` names `other.md`, as a Hugo site's links often do.
        let page_named = relative
            .extension()
            .is_none()
            .then(|| relative.with_extension("md"));
        let found = self
            .files
            .get(&relative)
            .filter(|_| !path.ends_with('/'))
            .or_else(|| self.folders.get(&relative))
            .or_else(|| page_named.and_then(|named| self.files.get(&named)));
        match found {
            Some(output) => Target::Found {
                output: output.clone(),
                suffix: suffix.to_string(),
            },
            None => Target::Missing {
                content_path: parts.join("/"),
            },
        }
    }

    /// Every link and image in the page's markdown, in order, resolved.
    pub fn author_links(&self, page: &Page) -> Vec<AuthorLink> {
        let lines = LineIndex::new(&page.text);
        link_destinations(page.body())
            .into_iter()
            .map(|(dest, range)| {
                let start = page.body_start + range.start;
                let span = lines.span(start, page.body_start + range.end);
                let target = self.resolve(page, &dest);
                let rewritten = match &target {
                    Target::Found { output, suffix } => Some(format!(
                        "{}{}",
                        encode_path(&relative_href(&page.output, output)),
                        escape_suffix(suffix)
                    )),
                    _ => None,
                };
                let key = match &rewritten {
                    Some(attribute) => super::normalize_href(attribute),
                    None => percent_decode(&dest),
                };
                AuthorLink {
                    dest,
                    span,
                    target,
                    rewritten,
                    key,
                }
            })
            .collect()
    }
}

/// The lower-cased paths a root-absolute link may name a page by: its source path with
/// and without `.md` (its folder, for a folder's index page) and its published folder
/// (`runbooks/node/raidarraydegraded` for `runbooks/node/raidarraydegraded/index.html`).
fn site_path_keys(relative: &Path, output: &Path, is_folder_index: bool) -> Vec<String> {
    let source = forward(relative).to_lowercase();
    let mut keys = vec![source.clone()];
    let without_extension = source
        .strip_suffix(".md")
        .or_else(|| source.strip_suffix(".markdown"))
        .unwrap_or(&source);
    if is_folder_index {
        let folder = forward(relative.parent().unwrap_or(Path::new("")));
        keys.push(folder.to_lowercase());
    } else {
        keys.push(without_extension.to_string());
    }
    let published = forward(output.parent().unwrap_or(Path::new("")));
    keys.push(published.to_lowercase());
    keys
}

/// A relative path with `/` between its parts on every platform.
fn forward(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The page's source path relative to `content/`.
fn content_relative(source: &Path) -> PathBuf {
    source.strip_prefix(CONTENT).unwrap_or(source).to_path_buf()
}

/// `mailto:`, `https:`, `tel:`... (RFC 3986: a letter, then letters, digits, `+-.`).
pub fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !dest[..colon].contains('/')
}

/// The shortest page-relative path from the page at `from` to the file at `to` (both
/// relative to the output root): `runbooks/a/index.html` to `runbooks/b/index.html` is
/// `../b/index.html`.
pub fn relative_href(from: &Path, to: &Path) -> String {
    let names = |path: &Path| -> Vec<String> {
        path.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let from_dir = names(from.parent().unwrap_or(Path::new("")));
    let to = names(to);
    let shared = from_dir
        .iter()
        .zip(&to[..to.len().saturating_sub(1)])
        .take_while(|(a, b)| a == b)
        .count();
    "../".repeat(from_dir.len() - shared) + &to[shared..].join("/")
}

/// Percent-encodes what may not stand in a URL path as it is.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `?query#fragment` as written, made safe inside a double-quoted attribute.
fn escape_suffix(suffix: &str) -> String {
    let mut out = String::with_capacity(suffix.len());
    for c in suffix.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' | '\'' | '<' | '>' | ' ' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_ascii_control() => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, PageKind};
    use crate::test_support::document_page;
    use std::sync::Arc;

    fn page(source: &str, output: &str, text: &str) -> Page {
        let mut page = document_page(PageKind::Runbook, output, "T");
        page.source = PathBuf::from(source);
        page.text = text.into();
        page.body_start = 0;
        page
    }

    fn project() -> Project {
        Project {
            root: PathBuf::new(),
            pages: crate::test_support::shared_pages(vec![
                page("content/runbooks/README.md", "runbooks/index.html", ""),
                page("content/runbooks/p0-db.md", "runbooks/p0-db/index.html", ""),
                page("content/plans/x.md", "plans/x/index.html", ""),
            ]),
            assets: vec![Asset {
                source: PathBuf::from("content/runbooks/diagram one.png"),
                output: PathBuf::from("runbooks/diagram one.png"),
                text: None,
            }],
            ..Project::default()
        }
    }

    fn found(output: &str, suffix: &str) -> Target {
        Target::Found {
            output: PathBuf::from(output),
            suffix: suffix.to_string(),
        }
    }

    /// Resolves each destination as written in the project's page number `from`.
    fn assert_resolves(from: usize, cases: &[(&str, Target)]) {
        let project = project();
        let links = SourceLinks::new(&project);
        for (dest, expected) in cases {
            assert_eq!(
                &links.resolve(&project.pages[from], dest),
                expected,
                "{dest}"
            );
        }
    }

    #[test]
    fn relative_source_paths_resolve_to_generated_pages() {
        assert_resolves(
            1,
            &[
                ("./README.md", found("runbooks/index.html", "")),
                (
                    "../plans/x.md#epic-1",
                    found("plans/x/index.html", "#epic-1"),
                ),
                ("../runbooks/", found("runbooks/index.html", "")),
                ("diagram%20one.png", found("runbooks/diagram one.png", "")),
                (
                    "p0-gone.md",
                    Target::Missing {
                        content_path: "content/runbooks/p0-gone.md".into(),
                    },
                ),
                ("./p0-db", found("runbooks/p0-db/index.html", "")),
            ],
        );
    }

    #[test]
    fn root_absolute_paths_are_read_from_the_site_root_without_case() {
        assert_resolves(
            2,
            &[
                (
                    "/runbooks/P0-DB/#step-1",
                    found("runbooks/p0-db/index.html", "#step-1"),
                ),
                ("/runbooks/p0-db.md", found("runbooks/p0-db/index.html", "")),
                ("/runbooks/", found("runbooks/index.html", "")),
                (
                    "/runbooks/diagram%20one.png",
                    found("runbooks/diagram one.png", ""),
                ),
                (
                    "/docs/add-runbook",
                    Target::RootMissing {
                        site_path: "docs/add-runbook".into(),
                    },
                ),
            ],
        );
    }

    #[test]
    fn relative_href_climbs_only_as_far_as_needed() {
        let href = |a: &str, b: &str| relative_href(Path::new(a), Path::new(b));
        assert_eq!(
            href("runbooks/index.html", "runbooks/p0/index.html"),
            "p0/index.html"
        );
        assert_eq!(
            href("runbooks/a/index.html", "runbooks/p0/index.html"),
            "../p0/index.html"
        );
        assert_eq!(
            href("index.html", "plans/x/index.html"),
            "plans/x/index.html"
        );
        assert_eq!(href("plans/x/index.html", "index.html"), "../../index.html");
    }

    #[test]
    fn author_links_carry_file_lines_and_the_rewritten_href() {
        let mut project = project();
        let page = Arc::make_mut(&mut project.pages[0]);
        page.text =
            "---\ntitle: T\n---\n# Index\n\n| [DB](p0-db.md) |\n\n[gone](p0-gone.md)\n".into();
        page.body_start = 17;
        let links = SourceLinks::new(&project);
        let found = links.author_links(&project.pages[0]);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].span.line, found[0].span.col), (6, 3));
        assert_eq!(found[0].rewritten.as_deref(), Some("p0-db/index.html"));
        assert_eq!((found[1].span.line, found[1].span.col), (8, 1));
        assert_eq!(found[1].rewritten, None);
        assert_eq!(found[1].key, "p0-gone.md");
    }
}
