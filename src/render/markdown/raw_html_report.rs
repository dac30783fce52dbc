//! What the allow-list changes in a page, said at its lines (render stage). The
//! sanitiser (`super::sanitize`) cleans silently, piece by piece, wherever a page's
//! markdown is rendered (a runbook renders each section on its own); this report reads
//! the page's whole body once, so each removal is reported once, at its `line:col` in
//! the file. It reads tags with a small scanner: it only has to find what an author
//! wrote in order to name it; ammonia decides what is kept, from the same lists.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::parser_options;
use super::sanitize::{tag_allowed, url_allowed, UrlUse, ALLOWED_ATTRIBUTES, ALLOWED_TAGS};
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::span::LineIndex;
use crate::model::Page;

/// Tags that could run script, load other content or change the whole page: their
/// removal is a warning. Other tags outside the allow-list only lose their markup.
const ACTIVE_TAGS: &[&str] = &[
    "applet", "audio", "base", "button", "canvas", "dialog", "embed", "form", "frame", "frameset",
    "iframe", "input", "link", "math", "meta", "noscript", "object", "param", "portal", "script",
    "select", "source", "style", "svg", "template", "textarea", "track", "video",
];

/// One start tag in raw HTML: its name, its attributes and the offset of its `<` in the
/// scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StartTag {
    at: usize,
    name: String,
    attributes: Vec<(String, String)>,
}

/// Every problem the allow-list finds in `page`'s markdown, at its file position.
pub fn report_raw_html(page: &Page) -> Diagnostics {
    let body = page.body();
    let mut found = Diagnostics::new();
    if !body.contains(['<', ':']) {
        return found;
    }
    let lines = LineIndex::new(&page.text);
    let place = |offset: usize, d: Diagnostic| {
        let at = page.body_start + offset;
        d.at(page.source.clone(), Some(lines.span(at, at)))
    };
    let mut fragment = RawFragment::default();
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                if fragment.end != Some(range.start) {
                    fragment.report(&place, &mut found);
                }
                fragment.push(&html, range);
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. }) if !url_allowed(&dest_url, UrlUse::Link) => {
                found.push(place(range.start, unsafe_link(&dest_url, UrlUse::Link)));
            }
            Event::Start(Tag::Image { dest_url, .. }) if !url_allowed(&dest_url, UrlUse::Image) => {
                found.push(place(range.start, unsafe_link(&dest_url, UrlUse::Image)));
            }
            _ => {}
        }
        fragment.report(&place, &mut found);
    }
    fragment.report(&place, &mut found);
    found
}

/// Raw HTML events that follow each other in the file, read as one text (a tag of an
/// HTML block may run over several lines).
#[derive(Debug, Default)]
struct RawFragment {
    text: String,
    /// `(offset in text, offset in the body)` where each event starts.
    starts: Vec<(usize, usize)>,
    end: Option<usize>,
}

impl RawFragment {
    fn push(&mut self, html: &str, range: Range<usize>) {
        self.starts.push((self.text.len(), range.start));
        self.text.push_str(html);
        self.end = Some(range.end);
    }

    /// The body offset of `offset` in the text.
    fn body_offset(&self, offset: usize) -> usize {
        let index = self.starts.partition_point(|(start, _)| *start <= offset);
        let (text_start, body_start) = self.starts[index.saturating_sub(1)];
        body_start + (offset - text_start)
    }

    /// Reports the fragment read so far and starts a new one.
    fn report(&mut self, place: &dyn Fn(usize, Diagnostic) -> Diagnostic, found: &mut Diagnostics) {
        if self.text.is_empty() {
            return;
        }
        for tag in start_tags(&self.text) {
            for diagnostic in tag_problems(&tag) {
                found.push(place(self.body_offset(tag.at), diagnostic));
            }
        }
        *self = RawFragment::default();
    }
}

/// What the allow-list removes from one start tag.
fn tag_problems(tag: &StartTag) -> Vec<Diagnostic> {
    let name = tag.name.as_str();
    if !tag_allowed(name) {
        return vec![removed_tag(name)];
    }
    let allowed: &[&str] = ALLOWED_ATTRIBUTES
        .iter()
        .find(|(tag, _)| *tag == name)
        .map_or(&[], |(_, names)| names);
    let mut problems = Vec::new();
    for (attribute, value) in &tag.attributes {
        let attribute = attribute.as_str();
        if !allowed.contains(&attribute) {
            problems.push(removed_attribute(name, attribute));
        } else if matches!(attribute, "href" | "src" | "cite") {
            let usage = if (name, attribute) == ("img", "src") {
                UrlUse::Image
            } else {
                UrlUse::Link
            };
            if !url_allowed(value, usage) {
                problems.push(unsafe_link(value, usage));
            }
        }
    }
    problems
}

fn unsafe_link(url: &str, usage: UrlUse) -> Diagnostic {
    let shown = shorten(url);
    match usage {
        UrlUse::Link => Diagnostic::warning(
            codes::UNSAFE_URL,
            format!("link to `{shown}` is shown as plain text: only http(s), mailto, tel and relative links are kept"),
        )
        .with_help("a link on an opsbook page can never run script (`javascript:`, `vbscript:`) or open data (`data:`); link to a web page or to a page of the site"),
        UrlUse::Image => Diagnostic::warning(
            codes::UNSAFE_URL,
            format!("image `{shown}` is left out: images may be http(s), relative or `data:image/...`"),
        )
        .with_help("put the image in `content/` and link to it by its relative path"),
    }
}

fn removed_tag(name: &str) -> Diagnostic {
    if ACTIVE_TAGS.contains(&name) {
        return Diagnostic::warning(
            codes::RAW_HTML_REMOVED,
            format!("raw HTML `<{name}>` is shown as text, not run: it could run script, load other content or change the page"),
        )
        .with_help("show code in a fenced code block; link to what it would load; or use a tag of the allow-list (details, summary, kbd, sup, sub, br, mark, abbr, tables, img, a)");
    }
    Diagnostic::note(
        codes::RAW_HTML_NOT_ALLOWED,
        format!("`<{name}>` is not a tag of the allow-list: it is shown as text, as written"),
    )
    .with_help(format!(
        "write it in backticks to show it as code; tags kept as HTML: {}",
        ALLOWED_TAGS.join(", ")
    ))
}

fn removed_attribute(tag: &str, attribute: &str) -> Diagnostic {
    let handler = attribute.starts_with("on");
    if handler || matches!(attribute, "style" | "srcdoc" | "formaction" | "xlink:href") {
        let (what, help) = if handler {
            (
                "the event handler",
                "event handlers never run on opsbook pages",
            )
        } else if attribute == "style" {
            ("the attribute", "the site's stylesheet styles every page; its Content-Security-Policy blocks inline styles")
        } else {
            ("the attribute", "it could load or run other content")
        };
        return Diagnostic::warning(
            codes::RAW_HTML_REMOVED,
            format!("raw HTML `<{tag} {attribute}>`: {what} `{attribute}` is removed"),
        )
        .with_help(help);
    }
    Diagnostic::note(
        codes::RAW_HTML_NOT_ALLOWED,
        format!("raw HTML `<{tag} {attribute}>`: the attribute `{attribute}` is not in the allow-list and is removed"),
    )
    .with_help("the site's stylesheet styles the allowed tags; `class` and `style` have no effect")
}

/// A URL as shown in a message: its first 60 characters.
fn shorten(url: &str) -> String {
    match url.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &url[..at]),
        None => url.to_string(),
    }
}

/// The start tags of a raw HTML text, in order. Comments and end tags are skipped; names
/// are lower-cased as HTML reads them.
fn start_tags(html: &str) -> Vec<StartTag> {
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let rest = &html[start + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            at = comment
                .find("-->")
                .map_or(html.len(), |end| html.len() - comment.len() + end + 3);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            at = start + 1;
            continue;
        }
        // No element's content is skipped: a `<script>` is shown as text, so what is
        // inside it is read as HTML too.
        let (tag, end) = read_start_tag(html, start);
        at = end;
        tags.push(tag);
    }
    tags
}

/// Reads the start tag whose `<` is at `start`; gives it and the offset after its `>`
/// (or the end of the text, for a tag never closed).
fn read_start_tag(html: &str, start: usize) -> (StartTag, usize) {
    let is_name_end = |c: char| c.is_whitespace() || c == '/' || c == '>';
    let after = &html[start + 1..];
    let name_len = after.find(is_name_end).unwrap_or(after.len());
    let name = after[..name_len].to_ascii_lowercase();
    let mut at = start + 1 + name_len;
    let mut attributes = Vec::new();
    loop {
        let rest = &html[at..];
        let skipped = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == '/')
                .len();
        at += skipped;
        let rest = &html[at..];
        if rest.is_empty() || rest.starts_with('>') {
            at = (at + 1).min(html.len());
            break;
        }
        let attr_len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len())
            .max(1);
        let attribute = rest[..attr_len].to_ascii_lowercase();
        at += attr_len;
        let value = read_attribute_value(html, &mut at);
        attributes.push((attribute, value));
    }
    let tag = StartTag {
        at: start,
        name,
        attributes,
    };
    (tag, at)
}

/// After an attribute name: `= "value"`, `='value'`, `=value` or nothing. Moves `at`
/// past it. Character references are decoded only as far as a scheme check needs
/// (`&#106;avascript:` is `javascript:`).
fn read_attribute_value(html: &str, at: &mut usize) -> String {
    let rest = &html[*at..];
    let trimmed = rest.trim_start();
    let Some(after_equals) = trimmed.strip_prefix('=') else {
        return String::new();
    };
    let value_text = after_equals.trim_start();
    let value_start = html.len() - value_text.len();
    let (value, end) = match value_text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &value_text[1..];
            let len = inner.find(quote).unwrap_or(inner.len());
            (
                &inner[..len],
                value_start + 1 + len + usize::from(len < inner.len()),
            )
        }
        _ => {
            let len = value_text
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(value_text.len());
            (&value_text[..len], value_start + len)
        }
    };
    *at = end;
    crate::model::char_refs::decode(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use crate::model::PageKind;
    use crate::test_support::document_page;

    fn report(body: &str) -> Vec<(String, Severity, u32, u32)> {
        let mut page = document_page(PageKind::Page, "p/index.html", "P");
        page.text = format!("---\ntitle: P\n---\n{body}").into();
        page.body_start = page.text.len() - body.len();
        report_raw_html(&page)
            .iter()
            .map(|d| {
                let span = d.span.expect("placed");
                (d.code.to_string(), d.severity, span.line, span.col)
            })
            .collect()
    }

    #[test]
    fn each_removal_is_reported_at_its_line_and_column() {
        let body = "Intro <kbd>K</kbd>\n\n<details ontoggle=alert(1)>\n<summary>S</summary>\n\ntext <img src=x\n onerror=alert(2)>\n\n</details>\n\n[x](javascript:alert(3)) <a href=\"&#106;avascript:alert(4)\">y</a>\n\n<script>if (a<b) {}</script>\n<div class=\"note\" style=\"color:red\">z</div>\n";
        let found = report(body);
        let warning = Severity::Warning;
        assert_eq!(
            found,
            [
                ("OPS151".to_string(), warning, 6, 1),
                ("OPS151".to_string(), warning, 9, 6),
                ("OPS150".to_string(), warning, 14, 1),
                ("OPS150".to_string(), warning, 14, 26),
                ("OPS151".to_string(), warning, 16, 1),
                // The script is text, so `<b)` in it is read as a tag: shown as text too.
                ("OPS152".to_string(), Severity::Note, 16, 14),
                ("OPS152".to_string(), Severity::Note, 17, 1),
                ("OPS151".to_string(), warning, 17, 1),
            ]
        );
    }

    #[test]
    fn allowed_html_and_safe_links_are_not_reported() {
        let body = "<details open>\n<summary>More</summary>\n\n[a](https://x.io) [b](../b.md) ![c](data:image/png;base64,AA)\n\n</details>\n\n<!-- <script> in a comment -->\n\n`<script>` in code\n";
        assert_eq!(report(body), []);
    }

    #[test]
    fn start_tags_are_read_with_their_attributes_whatever_the_quoting() {
        let tags = start_tags("<A HREF='x' title=\"a b\" data-x=1 open/><b>t</b><!-- <i> -->");
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(
            tags[0].attributes,
            [
                ("href".to_string(), "x".to_string()),
                ("title".to_string(), "a b".to_string()),
                ("data-x".to_string(), "1".to_string()),
                ("open".to_string(), String::new()),
            ]
        );
    }
}
