//! The raw-HTML allow-list (render stage): what of the HTML an author writes in markdown
//! reaches the page. ammonia (the only module that knows it) parses the raw HTML as a
//! browser would, with html5ever, and keeps only the tags and attributes listed here,
//! so no spelling trick (`<ScRiPt>`, `java&#115;cript:`, an unclosed attribute) slips
//! through a filter that reads text.
//!
//! The markdown pass (`super`) wraps each raw HTML event between `RAW_OPEN` and
//! `RAW_CLOSE`; everything else it writes is the renderer's own, already escaped HTML.
//! `clean_fragment` hands ammonia the raw pieces in their order with each of the
//! renderer's pieces replaced by a placeholder, so a `<details>` opened in one raw piece
//! and closed in another keeps the markdown between them, and a tag an author leaves
//! open is closed at the end of the fragment instead of running into the page around it.
//! The renderer's pieces are put back only where a placeholder stands as text.
//!
//! A tag outside the allow-list is shown as text, as the author wrote it (`<script>`,
//! `<epic-id>` in a path): only the tags of the list are ever elements, and those keep
//! only their listed attributes. The same URL rule (`url_allowed`) serves raw HTML,
//! markdown links and the report of what was changed (`super::raw_html_report`).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Starts a raw HTML piece in the markdown pass's output.
pub(crate) const RAW_OPEN: char = '\u{e000}';
/// Ends a raw HTML piece.
pub(crate) const RAW_CLOSE: char = '\u{e001}';
/// Start and end of a placeholder for one of the renderer's own pieces.
const SLOT_OPEN: char = '\u{e002}';
const SLOT_CLOSE: char = '\u{e003}';

/// Tags an author may write: a few that markdown cannot express (`details`, `kbd`,
/// `sup`, `mark`, ...) and those that markdown makes anyway (writing them as HTML adds
/// nothing a page could not already show).
pub(crate) const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes each allowed tag may keep. No `style`, no `class`, no event handler.
pub(crate) const ALLOWED_ATTRIBUTES: &[(&str, &[&str])] = &[
    // `name` and `id`: old-style anchors (`<a name="install"></a>`) that links target.
    ("a", &["href", "title", "name", "id"]),
    ("abbr", &["title"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("details", &["open"]),
    ("div", &["align"]),
    ("h1", &["id", "align"]),
    ("h2", &["id", "align"]),
    ("h3", &["id", "align"]),
    ("h4", &["id", "align"]),
    ("h5", &["id", "align"]),
    ("h6", &["id", "align"]),
    ("img", &["src", "alt", "title", "width", "height", "align"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("p", &["align"]),
    ("q", &["cite"]),
    ("td", &["colspan", "rowspan", "align"]),
    ("th", &["colspan", "rowspan", "align", "scope"]),
    ("time", &["datetime"]),
];

/// Tags ammonia removes with their content, should one reach it as a tag (every tag
/// outside the list is escaped before): what is inside is code or style, not text.
const CONTENT_REMOVED_TAGS: &[&str] = &["script", "style"];

/// URL schemes links and images may use; a URL without a scheme (relative, `#anchor`,
/// `//host/path`) is always allowed.
const LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Where a URL is used: an image may also be `data:image/...` (an image cannot run
/// script); a link may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    Link,
    Image,
}

/// Whether a link or image URL may stay: http(s), mailto, tel, relative and `#`, and
/// for images `data:image/*`. The scheme is read as a browser reads it: case folded,
/// with the tabs, line breaks and leading control characters it ignores removed
/// (`java\tscript:` is `javascript:`).
pub fn url_allowed(url: &str, usage: UrlUse) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        // `./a:b`, `?q=a:b`, `#x:y`: the colon is in a path, query or fragment.
        return true;
    }
    let scheme = scheme.to_ascii_lowercase();
    if LINK_SCHEMES.contains(&scheme.as_str()) {
        return true;
    }
    usage == UrlUse::Image
        && scheme == "data"
        && cleaned[colon + 1..]
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("image/")
}

/// The one ammonia configuration, built once: it is immutable and shared by the
/// rendering threads.
fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let tags: HashSet<&'static str> = ALLOWED_TAGS.iter().copied().collect();
        let attributes: HashMap<&'static str, HashSet<&'static str>> = ALLOWED_ATTRIBUTES
            .iter()
            .map(|(tag, names)| (*tag, names.iter().copied().collect()))
            .collect();
        let mut schemes: HashSet<&'static str> = LINK_SCHEMES.iter().copied().collect();
        // Let `data:` past ammonia's scheme list; the filter keeps it for images only.
        schemes.insert("data");
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(tags)
            // ammonia allows `lang` and `title` everywhere unless told otherwise.
            .generic_attributes(HashSet::new())
            .tag_attributes(attributes)
            .clean_content_tags(CONTENT_REMOVED_TAGS.iter().copied().collect())
            .url_schemes(schemes)
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(|element, attribute, value| {
                let usage = if element == "img" && attribute == "src" {
                    UrlUse::Image
                } else {
                    UrlUse::Link
                };
                let is_url = matches!(attribute, "href" | "src" | "cite");
                if is_url && !url_allowed(value, usage) {
                    None
                } else {
                    Some(value.into())
                }
            });
        builder
    })
}

/// One piece of the markdown pass's output.
enum Piece<'a> {
    /// The renderer's own HTML, safe as it is.
    Own(&'a str),
    /// HTML the author wrote, to be cleaned.
    Raw(&'a str),
}

/// Splits the output at the raw markers. Text between a `RAW_OPEN` and the next
/// `RAW_CLOSE` is raw; raw pieces never hold a marker (`mark_raw` removes them), so a
/// raw piece always ends where it should.
fn pieces(html: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find(RAW_OPEN) {
        pieces.push(Piece::Own(&rest[..open]));
        let after = &rest[open + RAW_OPEN.len_utf8()..];
        let close = after.find(RAW_CLOSE).unwrap_or(after.len());
        pieces.push(Piece::Raw(&after[..close]));
        rest = after.get(close + RAW_CLOSE.len_utf8()..).unwrap_or("");
    }
    pieces.push(Piece::Own(rest));
    pieces
}

/// Wraps one raw HTML event for `clean_fragment`; the markers and placeholder
/// characters it might hold become U+FFFD so it cannot end early or forge a placeholder.
pub(crate) fn mark_raw(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 6);
    out.push(RAW_OPEN);
    out.extend(raw.chars().map(|c| {
        if matches!(c, RAW_OPEN | RAW_CLOSE | SLOT_OPEN | SLOT_CLOSE) {
            '\u{fffd}'
        } else {
            c
        }
    }));
    out.push(RAW_CLOSE);
    out
}

/// The markdown pass's output with its raw HTML pieces cleaned (see the module doc).
/// Output without raw pieces is returned unchanged.
pub(crate) fn clean_fragment(html: &str) -> String {
    if !html.contains(RAW_OPEN) {
        return html.to_string();
    }
    let pieces = pieces(html);
    let mut input = String::with_capacity(html.len());
    let mut own: Vec<&str> = Vec::new();
    for piece in &pieces {
        match piece {
            Piece::Own("") => {}
            Piece::Own(text) => {
                input.push(SLOT_OPEN);
                input.push_str(&own.len().to_string());
                input.push(SLOT_CLOSE);
                own.push(text);
            }
            Piece::Raw(text) => escape_unlisted_tags(text, &mut input),
        }
    }
    let cleaned = cleaner().clean(&input).to_string();
    put_back(&cleaned, &own)
}

/// Appends `raw` with the `<` of every start or end tag outside the allow-list written
/// as `&lt;`, so ammonia reads that tag as text.
fn escape_unlisted_tags(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name_start = after.strip_prefix('/').unwrap_or(after);
        // A tag name runs to a space, `/` or `>`, as a browser reads it.
        let name_len = name_start
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(name_start.len());
        let name = name_start[..name_len].to_ascii_lowercase();
        let is_tag = name.starts_with(|c: char| c.is_ascii_alphabetic());
        if is_tag && !tag_allowed(&name) {
            out.push_str("&lt;");
        } else {
            out.push('<');
        }
        rest = after;
    }
    out.push_str(rest);
}

/// True when the tag `name` (lower case) is an element on the page; any other tag is
/// shown as text.
pub(crate) fn tag_allowed(name: &str) -> bool {
    ALLOWED_TAGS.contains(&name)
}

/// Replaces each placeholder that stands as text in `cleaned` by the renderer's piece it
/// names; one that ended up inside a tag (an author's unclosed attribute swallowed it)
/// is dropped, so the renderer's HTML never lands in an attribute value. The serializer
/// writes `<` in text as `&lt;` and every attribute value in double quotes, so a `<`
/// starts a tag and a `"` inside a tag opens or closes a value.
fn put_back(cleaned: &str, own: &[&str]) -> String {
    let mut out = String::with_capacity(cleaned.len() + own.iter().map(|p| p.len()).sum::<usize>());
    let (mut in_tag, mut in_value) = (false, false);
    let mut chars = cleaned.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            SLOT_OPEN => {
                let rest = &cleaned[at + c.len_utf8()..];
                let Some(end) = rest.find(SLOT_CLOSE) else {
                    continue;
                };
                let index = rest[..end].parse::<usize>().ok();
                if let (false, Some(piece)) = (in_tag, index.and_then(|i| own.get(i))) {
                    out.push_str(piece);
                }
                while chars
                    .peek()
                    .is_some_and(|(i, _)| *i <= at + c.len_utf8() + end)
                {
                    chars.next();
                }
                continue;
            }
            '<' if !in_tag => in_tag = true,
            '"' if in_tag => in_value = !in_value,
            '>' if in_tag && !in_value => in_tag = false,
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(parts: &[(&str, bool)]) -> String {
        let html: String = parts
            .iter()
            .map(|(text, raw)| {
                if *raw {
                    mark_raw(text)
                } else {
                    text.to_string()
                }
            })
            .collect();
        clean_fragment(&html)
    }

    #[test]
    fn details_around_markdown_stay_elements_with_the_markdown_inside() {
        let html = clean(&[
            ("<details>\n<summary>Full context</summary>\n", true),
            ("<p>The <em>filesystem</em> &amp; more.</p>\n", false),
            ("</details>\n", true),
        ]);
        assert_eq!(
            html,
            "<details>\n<summary>Full context</summary>\n<p>The <em>filesystem</em> &amp; more.</p>\n</details>\n"
        );
    }

    #[test]
    fn script_handlers_style_and_unsafe_urls_are_removed() {
        let html = clean(&[
            ("<script>alert(1)</script>", true),
            ("<p>", false),
            ("<img src=x onerror=alert(2)>", true),
            ("<a href=\"JaVa&#115;cript:alert(3)\">click</a>", true),
            ("<a href=\"https://example.org/\" style=\"color:red\" onclick=\"x()\">ok</a>", true),
            ("</p>", false),
            ("<details ontoggle=alert(4) open><summary>s</summary></details>", true),
            ("<svg onload=alert(5)><circle/></svg><base href=\"//evil\"><meta http-equiv=refresh content=\"0;url=javascript:alert(6)\">", true),
            ("<object data=\"x.swf\"></object><embed src=\"x.swf\"><iframe src=\"javascript:alert(7)\"></iframe>", true),
        ]);
        for banned in [
            "<script",
            "onerror=",
            "onclick",
            "ontoggle=",
            "style=",
            "href=\"javascript",
            "<svg",
            "<base",
            "<meta",
            "<object",
            "<embed",
            "<iframe",
        ] {
            assert!(!html.to_lowercase().contains(banned), "{banned} in {html}");
        }
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;svg onload=alert(5)&gt;"), "{html}");
        assert!(html.contains("<img src=\"x\">"), "{html}");
        assert!(html.contains("<a>click</a>"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.org/\">ok</a>"),
            "{html}"
        );
        assert!(
            html.contains("<details open=\"\"><summary>s</summary></details>"),
            "{html}"
        );
    }

    #[test]
    fn a_tag_left_open_is_closed_inside_the_fragment() {
        let html = clean(&[("<p>a ", false), ("<kbd>", true), ("b</p>", false)]);
        assert!(html.ends_with("</kbd>"), "{html}");
        assert_eq!(html.matches("<kbd>").count(), 1, "{html}");
    }

    #[test]
    fn a_placeholder_swallowed_by_an_attribute_is_dropped() {
        let html = clean(&[
            ("<abbr title=\"", true),
            ("<p>\"onmouseover=\"alert(1)</p>", false),
            ("\">x</abbr>", true),
        ]);
        assert!(!html.contains("onmouseover"), "{html}");
        assert!(!html.contains("<p>"), "{html}");
        assert!(html.contains(">x</abbr>"), "{html}");
    }

    #[test]
    fn raw_html_cannot_end_early_or_forge_a_placeholder() {
        let forged = format!("{RAW_CLOSE}<img src=x onerror=alert(1)>{SLOT_OPEN}0{SLOT_CLOSE}");
        let html = clean(&[("<p>own</p>", false), (&forged, true)]);
        assert!(!html.contains("onerror"), "{html}");
        assert_eq!(html.matches("<p>own</p>").count(), 1, "{html}");
    }

    #[test]
    fn tags_outside_the_list_are_shown_as_written() {
        let html = clean(&[
            ("<li>Read PID from .relay/running/", false),
            ("<epic-id>", true),
            (".pid, detect ", false),
            ("<promise>", true),
            ("DONE", false),
            ("</promise>", true),
            ("</li>", false),
        ]);
        assert_eq!(
            html,
            "<li>Read PID from .relay/running/&lt;epic-id&gt;.pid, detect &lt;promise&gt;DONE&lt;/promise&gt;</li>"
        );
    }

    #[test]
    fn output_without_raw_html_is_unchanged() {
        let html = "<p>a <input disabled=\"\" type=\"checkbox\"/></p>\n";
        assert_eq!(clean_fragment(html), html);
    }

    #[test]
    fn urls_are_allowed_by_scheme_as_a_browser_reads_it() {
        for ok in [
            "https://x.io/a",
            "http://x",
            "mailto:a@b.c",
            "tel:+123",
            "../a.md",
            "#top",
            "//cdn.example/x",
            "?q=a:b",
        ] {
            assert!(url_allowed(ok, UrlUse::Link), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:x",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/png;base64,AAAA",
            "file:///etc/passwd",
        ] {
            assert!(!url_allowed(bad, UrlUse::Link), "{bad}");
        }
        assert!(url_allowed("data:image/png;base64,AAAA", UrlUse::Image));
        assert!(!url_allowed("data:text/html,x", UrlUse::Image));
        assert!(!url_allowed("javascript:x", UrlUse::Image));
    }
}
