//! What `serve` answers for each path: the site's files from memory (with the headers
//! Cloudflare Pages would add from `_headers`), `index.html` for folder URLs, the site's
//! 404 page for unknown paths, redirects for aliases, and serve's own reload script and
//! overlay stylesheet under `/__opsbook/`. HTML responses get the reload script here, and
//! only here: a build never contains it.

use std::path::Path;

use super::http::{Request, Response};
use super::state::Snapshot;
use crate::output::pages::{HEADERS_FILE, NOT_FOUND_FILE, REDIRECTS_FILE};
use crate::output::MemorySite;
use crate::render::markdown::escape_html;

// serve's own files live under `/__opsbook/`; they shadow a site folder of that name.
/// The event stream the reload script listens to.
pub const EVENTS_PATH: &str = "/__opsbook/events";
const SCRIPT_PATH: &str = "/__opsbook/reload.js";
const OVERLAY_CSS_PATH: &str = "/__opsbook/overlay.css";

const RELOAD_SCRIPT: &str = include_str!("client/reload.js");
const OVERLAY_CSS: &str = include_str!("client/overlay.css");

/// The response to a GET or HEAD of `request.path` (anything but the event stream).
pub fn respond(request: &Request, snapshot: &Snapshot) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        return Response::new(405, "text/plain; charset=utf-8", "only GET and HEAD\n");
    }
    match request.path.as_str() {
        SCRIPT_PATH => return own_file("text/javascript; charset=utf-8", RELOAD_SCRIPT),
        OVERLAY_CSS_PATH => return own_file("text/css; charset=utf-8", OVERLAY_CSS),
        _ => {}
    }
    let Some(site) = &snapshot.site else {
        return no_site_yet(snapshot);
    };
    let mut response = match runbook_pdf(snapshot, &request.path) {
        Some(response) => response,
        None => site_response(site, &request.path),
    };
    if is_html(&response) {
        let generation = snapshot.page_generation(&site_file(&request.path));
        response.body = inject_reload_script(&response.body, generation);
    }
    response
        .headers
        .extend(site_headers(site.get(HEADERS_FILE).unwrap_or_default()));
    response
        .headers
        .push(("Cache-Control".into(), "no-store".into()));
    response
}

/// The file of the site a URL path names: itself, or a folder's `index.html`.
pub fn site_file(path: &str) -> String {
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    }
}

/// A runbook's PDF, typeset when first asked for (a build makes them all; serve makes
/// only those opened). A PDF that cannot be made answers with why.
fn runbook_pdf(snapshot: &Snapshot, path: &str) -> Option<Response> {
    let file = site_file(path);
    if !file.ends_with(".pdf") || file.split('/').any(|segment| segment == "..") {
        return None;
    }
    match snapshot.pdfs.as_ref()?.pdf(&file)? {
        Ok(bytes) => Some(Response::new(200, "application/pdf", bytes)),
        Err(found) => {
            let text = found
                .iter()
                .map(|d| d.render(&Default::default()))
                .collect::<Vec<_>>()
                .join("\n\n");
            Some(Response::new(
                500,
                "text/plain; charset=utf-8",
                format!("the PDF of this runbook could not be made:\n\n{text}\n"),
            ))
        }
    }
}

/// A file of the site, a folder's `index.html`, a redirect, or the 404 page.
fn site_response(site: &MemorySite, path: &str) -> Response {
    let relative = path.trim_start_matches('/');
    if relative.split('/').any(|segment| segment == "..") {
        return Response::new(400, "text/plain; charset=utf-8", "bad path\n");
    }
    let file = site_file(path);
    // Pages reads these two files and never serves them.
    let hidden = file == HEADERS_FILE || file == REDIRECTS_FILE;
    if let Some(bytes) = site.get(&file).filter(|_| !hidden) {
        return Response::new(200, content_type(&file), bytes);
    }
    if !relative.ends_with('/') && site.has_folder_index(relative) {
        return Response::redirect(&format!("/{relative}/"));
    }
    if let Some(target) = alias_target(site.get(REDIRECTS_FILE).unwrap_or_default(), path) {
        return Response::redirect(&target);
    }
    match site.get(NOT_FOUND_FILE) {
        Some(page) => Response::new(404, "text/html; charset=utf-8", page),
        None => Response::new(404, "text/plain; charset=utf-8", "not found\n"),
    }
}

/// The target of the `_redirects` line whose source is `path`, as Pages would use it.
fn alias_target(redirects: &[u8], path: &str) -> Option<String> {
    String::from_utf8_lossy(redirects)
        .lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let mut parts = line.split_whitespace();
            let (from, to) = (parts.next()?, parts.next()?);
            (from == path).then(|| to.to_string())
        })
}

/// The headers of the `/*` rule of the site's `_headers` (the rule every path matches).
fn site_headers(headers_file: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(headers_file);
    let mut in_rule = false;
    let mut headers = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            in_rule = line.trim() == "/*";
        } else if let (true, Some((name, value))) = (in_rule, line.trim().split_once(':')) {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    headers
}

/// Adds `<script src="/__opsbook/reload.js" data-generation="N" defer>` before
/// `</head>` (or at the end when there is none).
fn inject_reload_script(html: &[u8], generation: u64) -> Vec<u8> {
    let tag =
        format!("<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\" defer></script>\n");
    let text = String::from_utf8_lossy(html);
    let at = text.find("</head>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + tag.len());
    out.push_str(&text[..at]);
    out.push_str(&tag);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// Until the first build succeeds there is no site: every page is a short error page
/// that lists the diagnostics and reloads itself once the build works.
fn no_site_yet(snapshot: &Snapshot) -> Response {
    let diagnostics = snapshot
        .failure
        .as_deref()
        .map(String::as_str)
        .unwrap_or("the site is being built");
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Build failed · opsbook serve</title>\n\
         <link rel=\"stylesheet\" href=\"{OVERLAY_CSS_PATH}\">\n</head>\n\
         <body class=\"opsbook-no-site\">\n<h1>The site does not build yet</h1>\n\
         <p>Fix the problems below and save; this page reloads by itself.</p>\n\
         <pre class=\"opsbook-overlay-diagnostics\">{}</pre>\n</body>\n</html>\n",
        escape_html(diagnostics)
    );
    let body = inject_reload_script(html.as_bytes(), snapshot.generation);
    let mut response = Response::new(503, "text/html; charset=utf-8", body);
    response
        .headers
        .push(("Cache-Control".into(), "no-store".into()));
    response
}

fn own_file(content_type: &str, text: &str) -> Response {
    let mut response = Response::new(200, content_type, text);
    response
        .headers
        .push(("Cache-Control".into(), "no-store".into()));
    response
}

fn is_html(response: &Response) -> bool {
    response
        .header("Content-Type")
        .is_some_and(|t| t.starts_with("text/html"))
}

/// The content type of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn snapshot() -> Snapshot {
        let mut site = MemorySite::default();
        let files: &[(&str, &str)] = &[
            ("index.html", "<html><head><title>Home</title></head><body>home</body></html>"),
            ("runbooks/db/index.html", "<html><head></head><body>db</body></html>"),
            ("static/style.css", "body{}"),
            ("404.html", "<html><head></head><body>not here</body></html>"),
            ("_headers", "/*\n  Content-Security-Policy: default-src 'none'\n  X-Content-Type-Options: nosniff\n\nhttps://:project.pages.dev/*\n  X-Robots-Tag: noindex\n"),
            ("_redirects", "# aliases\n/old-db /runbooks/db/ 301\n"),
        ];
        for (path, text) in files {
            site.write(Path::new(path), text.as_bytes()).unwrap();
        }
        Snapshot {
            site: Some(Arc::new(site)),
            generation: 3,
            failure: None,
            version: 3,
            ..Snapshot::default()
        }
    }

    fn get(path: &str) -> Response {
        let request = Request {
            method: "GET".into(),
            path: path.into(),
        };
        respond(&request, &snapshot())
    }

    fn body(response: &Response) -> String {
        String::from_utf8(response.body.clone()).unwrap()
    }

    #[test]
    fn folder_urls_serve_index_html_with_the_reload_script_and_site_headers() {
        let response = get("/runbooks/db/");
        assert_eq!(response.status, 200);
        assert_eq!(
            response.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(
            body(&response),
            "<html><head><script src=\"/__opsbook/reload.js\" data-generation=\"3\" defer></script>\n</head><body>db</body></html>"
        );
        assert_eq!(
            response.header("Content-Security-Policy"),
            Some("default-src 'none'")
        );
        assert_eq!(response.header("X-Robots-Tag"), None);
        assert_eq!(get("/").status, 200);
    }

    #[test]
    fn folder_without_slash_redirects_and_aliases_redirect_to_their_page() {
        let response = get("/runbooks/db");
        assert_eq!(
            (response.status, response.header("Location")),
            (301, Some("/runbooks/db/"))
        );
        let response = get("/old-db");
        assert_eq!(
            (response.status, response.header("Location")),
            (301, Some("/runbooks/db/"))
        );
    }

    #[test]
    fn unknown_paths_and_pages_control_files_get_the_site_404_page() {
        for path in ["/nope/deeper/", "/nope.html", "/_headers", "/_redirects"] {
            let response = get(path);
            assert_eq!(response.status, 404, "{path}");
            assert!(body(&response).contains("not here"), "{path}");
            assert!(body(&response).contains("/__opsbook/reload.js"), "{path}");
        }
    }

    #[test]
    fn a_path_that_climbs_out_of_the_site_is_a_bad_request() {
        for path in ["/../etc/passwd", "/runbooks/../../etc/passwd", "/.."] {
            let response = get(path);
            assert_eq!(response.status, 400, "{path}");
            assert_eq!(body(&response), "bad path\n", "{path}");
        }
    }

    #[test]
    fn static_files_keep_their_bytes_and_type() {
        let response = get("/static/style.css");
        assert_eq!(response.body, b"body{}");
        assert_eq!(
            response.header("Content-Type"),
            Some("text/css; charset=utf-8")
        );
        assert_eq!(get("/__opsbook/reload.js").status, 200);
    }

    #[test]
    fn without_a_good_build_every_page_lists_the_diagnostics_escaped() {
        let snapshot = Snapshot {
            failure: Some(Arc::new("content/a.md:1:1: error[OPS101]: <bad>".into())),
            version: 1,
            ..Snapshot::default()
        };
        let request = Request {
            method: "GET".into(),
            path: "/".into(),
        };
        let response = respond(&request, &snapshot);
        assert_eq!(response.status, 503);
        let html = body(&response);
        assert!(html.contains("error[OPS101]: &lt;bad&gt;"), "{html}");
        assert!(html.contains("data-generation=\"0\""));
    }
}
