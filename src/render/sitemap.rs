//! Absolute URLs (render stage): the one place that uses the site's base URL. Takes the
//! project and `--base-url`, gives each page's canonical URL and `sitemap.xml`. Every
//! other link of the site stays page-relative, so the same output works at `/`, under a
//! sub-path and from `file://`; without a base URL there is no canonical link and no
//! sitemap, because a relative one would be wrong on every host but one.

use std::fmt::Write as _;
use std::path::Path;

use super::markdown::escape_html as escape_xml;
use crate::model::{Page, Project};

/// Checks and normalises a base URL: `http://` or `https://`, a host, no query or
/// fragment, and a trailing `/` so page paths can be appended.
pub fn parse_base_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("`{text}` is not an absolute http(s) URL, e.g. https://ops.example.com/")
        })?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(format!("`{text}` has no host name"));
    }
    if text.contains(['?', '#', ' ']) {
        return Err(format!(
            "`{text}` must not contain a query, a fragment or spaces"
        ));
    }
    let mut url = text.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// The canonical URL of the page written to `output`: folders end in `/` (the form the
/// host serves, `plans/x/` for `plans/x/index.html`), other files keep their name.
pub fn canonical_url(base: &str, output: &Path) -> String {
    let path = output.to_string_lossy().replace('\\', "/");
    let path = match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder.to_string(),
        _ => path,
    };
    format!("{base}{}", percent_encode_path(&path))
}

/// `sitemap.xml`: every published page (drafts left out), sorted by URL, with
/// `<lastmod>` only when the page itself gives a date (`updated`, else `date`) as
/// `YYYY-MM-DD`, so two builds of the same sources are byte-identical.
pub fn render_sitemap(project: &Project, base: &str) -> String {
    let mut entries: Vec<(String, Option<&str>)> = project
        .pages
        .iter()
        .filter(|page| page.front_matter.draft != Some(true))
        .map(|page| (canonical_url(base, &page.output), last_modified(page)))
        .collect();
    if !entries.iter().any(|(url, _)| url == base) {
        // The home page is rendered even when the site has no `content/index.md`.
        entries.push((base.to_string(), None));
    }
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in entries {
        let _ = write!(xml, "  <url><loc>{}</loc>", escape_xml(&url));
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The page's own date as `YYYY-MM-DD`, when it gives one in that form.
fn last_modified(page: &Page) -> Option<&str> {
    let front = &page.front_matter;
    let date = front.updated.as_deref().or(front.date.as_deref())?;
    let day = date.get(..10)?;
    let bytes = day.as_bytes();
    let shaped = bytes.iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    shaped.then_some(day)
}

/// Percent-encodes everything in a path but unreserved characters and `/`.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PageKind;
    use crate::test_support::document_page;

    #[test]
    fn base_url_must_be_absolute_http_and_gets_a_trailing_slash() {
        assert_eq!(
            parse_base_url("https://ops.example.com/handbook"),
            Ok("https://ops.example.com/handbook/".to_string())
        );
        assert_eq!(
            parse_base_url("http://localhost:8080/"),
            Ok("http://localhost:8080/".to_string())
        );
        assert!(parse_base_url("ops.example.com").is_err());
        assert!(parse_base_url("/handbook/").is_err());
        assert!(parse_base_url("https:///x").is_err());
        assert!(parse_base_url("https://x.com/?a=1").is_err());
    }

    #[test]
    fn canonical_urls_name_folders_with_a_trailing_slash() {
        let base = "https://ops.example.com/";
        assert_eq!(canonical_url(base, Path::new("index.html")), base);
        assert_eq!(
            canonical_url(base, Path::new("plans/eks/index.html")),
            "https://ops.example.com/plans/eks/"
        );
        assert_eq!(
            canonical_url(base, Path::new("404.html")),
            "https://ops.example.com/404.html"
        );
        assert_eq!(
            canonical_url(base, Path::new("runbooks/ré start/index.html")),
            "https://ops.example.com/runbooks/r%C3%A9%20start/"
        );
    }

    #[test]
    fn sitemap_is_sorted_leaves_out_drafts_and_dates_only_dated_pages() {
        let mut dated = document_page(PageKind::Runbook, "runbooks/b/index.html", "B");
        dated.front_matter.updated = Some("2026-01-04 10:00".into());
        let mut draft = document_page(PageKind::Page, "draft/index.html", "Draft");
        draft.front_matter.draft = Some(true);
        let mut undated = document_page(PageKind::Runbook, "runbooks/a/index.html", "A");
        undated.front_matter.date = Some("last week".into());
        let project = Project {
            pages: crate::test_support::shared_pages(vec![dated, draft, undated]),
            ..Project::default()
        };
        let xml = render_sitemap(&project, "https://ops.example.com/");
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  \
             <url><loc>https://ops.example.com/</loc></url>\n  \
             <url><loc>https://ops.example.com/runbooks/a/</loc></url>\n  \
             <url><loc>https://ops.example.com/runbooks/b/</loc><lastmod>2026-01-04</lastmod></url>\n\
             </urlset>\n"
        );
    }
}
