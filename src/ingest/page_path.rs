//! Where a page belongs (ingest stage): its kind from its folder, its title, and the
//! output path it is written to. Every page becomes `<folder>/<slug>/index.html`, and a
//! folder's `index.md`, `_index.md` or `README.md` becomes `<folder>/index.html`, so links
//! can name `index.html` explicitly and work from `file://` as well as from a server.

use std::path::{Component, Path, PathBuf};

use super::outline::Outline;
use crate::model::anchor::slugify;
use crate::model::{FrontMatter, PageKind};

/// File stems that stand for their folder.
const FOLDER_INDEX_STEMS: &[&str] = &["index", "_index", "readme"];

/// `plans/` holds plans, `runbooks/` runbooks, `audits/` audits; everything else is a page.
pub fn kind_from_folder(relative: &Path) -> PageKind {
    let first = relative.components().next().and_then(|c| match c {
        Component::Normal(name) => name.to_str(),
        _ => None,
    });
    let has_folder = relative.components().count() > 1;
    match first {
        Some("plans") if has_folder => PageKind::Plan,
        Some("runbooks") if has_folder => PageKind::Runbook,
        Some("audits") if has_folder => PageKind::Audit,
        _ => PageKind::Page,
    }
}

/// True for a folder's `index.md`, `_index.md` or `README.md`, which stands for its folder.
pub fn is_folder_index(relative: &Path) -> bool {
    relative
        .file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|stem| FOLDER_INDEX_STEMS.contains(&stem.to_ascii_lowercase().as_str()))
}

/// Output path, relative to the output root, of the page at `relative` (under `content/`).
pub fn output_path(relative: &Path, slug: Option<&str>) -> PathBuf {
    let folder = relative.parent().unwrap_or(Path::new(""));
    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("page");
    let is_folder_index = FOLDER_INDEX_STEMS.contains(&stem.to_ascii_lowercase().as_str());
    match slug.map(slugify).filter(|s| !s.is_empty()) {
        Some(slug) => folder.join(slug).join("index.html"),
        None if is_folder_index => folder.join("index.html"),
        None => {
            let slug = slugify(stem);
            let slug = if slug.is_empty() {
                "page".to_string()
            } else {
                slug
            };
            folder.join(slug).join("index.html")
        }
    }
}

/// The front matter title, else the first level-1 heading of the body (as written, not in
/// code), else the file stem; for a Hugo section's `_index.md`, its folder's name (the
/// site's own `_index.md`: "Home").
pub fn page_title(front_matter: &FrontMatter, outline: &Outline, relative: &Path) -> String {
    if let Some(title) = front_matter
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        return title.to_string();
    }
    let heading = outline
        .headings
        .iter()
        .filter(|heading| heading.level == 1)
        .find(|heading| !heading.text.is_empty());
    if let Some(heading) = heading {
        return heading.text.to_string();
    }
    let stem = relative.file_stem().and_then(|s| s.to_str());
    if stem == Some(SECTION_STEM) {
        let folder = relative.parent().and_then(Path::file_name);
        return folder.map_or("Home".to_string(), |name| {
            name.to_string_lossy().into_owned()
        });
    }
    stem.unwrap_or("Untitled").to_string()
}

/// The file stem of a Hugo section page (`content/runbooks/node/_index.md`, see
/// `Page::is_section`).
const SECTION_STEM: &str = "_index";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::outline::read_outline;

    #[test]
    fn kind_follows_the_first_folder() {
        assert_eq!(kind_from_folder(Path::new("plans/a.md")), PageKind::Plan);
        assert_eq!(
            kind_from_folder(Path::new("runbooks/x/b.md")),
            PageKind::Runbook
        );
        assert_eq!(kind_from_folder(Path::new("audits/c.md")), PageKind::Audit);
        assert_eq!(kind_from_folder(Path::new("about.md")), PageKind::Page);
        assert_eq!(kind_from_folder(Path::new("plans.md")), PageKind::Page);
    }

    #[test]
    fn pages_become_folders_with_index_html() {
        assert_eq!(
            output_path(Path::new("plans/DevOps Plan.md"), None),
            Path::new("plans/devops-plan/index.html")
        );
        assert_eq!(
            output_path(Path::new("index.md"), None),
            Path::new("index.html")
        );
        assert_eq!(
            output_path(Path::new("runbooks/README.md"), None),
            Path::new("runbooks/index.html")
        );
        assert_eq!(
            output_path(Path::new("plans/a.md"), Some("Q1 plan")),
            Path::new("plans/q1-plan/index.html")
        );
    }

    #[test]
    fn title_comes_from_front_matter_then_heading_then_file_name() {
        let fm = FrontMatter {
            title: Some("From FM".into()),
            ..FrontMatter::default()
        };
        assert_eq!(
            page_title(&fm, &read_outline("# Heading\n", 0), Path::new("a.md")),
            "From FM"
        );
        let none = FrontMatter::default();
        assert_eq!(
            page_title(
                &none,
                &read_outline("```\n# not a heading\n```\n# Heading #\n", 0),
                Path::new("a.md")
            ),
            "Heading"
        );
        assert_eq!(
            page_title(
                &none,
                &read_outline("text only\n", 0),
                Path::new("dir/notes.md")
            ),
            "notes"
        );
        let empty = read_outline("", 0);
        assert_eq!(
            page_title(&none, &empty, Path::new("runbooks/node/_index.md")),
            "node"
        );
        assert_eq!(page_title(&none, &empty, Path::new("_index.md")), "Home");
        let backticks_in_tildes = "~~~\n```\n# not a heading\n~~~\n# Real #\n";
        assert_eq!(
            page_title(
                &none,
                &read_outline(backticks_in_tildes, 0),
                Path::new("a.md")
            ),
            "Real"
        );
    }
}
