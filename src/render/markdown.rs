//! Markdown to HTML (render stage): a markdown text and the mermaid blocks ingest read
//! from its page in, an HTML fragment out. This is the pulldown-cmark pass that makes the
//! pages; it is not the only user of pulldown-cmark (ingest finds a page's fences and
//! outline with it, `plain_text` makes the search text, `render::pdf` the PDFs' data).
//!
//! CommonMark plus tables, task lists, footnotes and strikethrough. Headings get stable
//! ids (from `{#id}` when the author gives one, else from their text, made unique per
//! page, `model::anchor`) so sections can be linked. Fenced code goes through the
//! build-time highlighter; a ```` ```mermaid ```` block is drawn (`render::diagram`) from
//! the flowchart ingest read for it, or shown as code when ingest found a syntax error
//! (and reported it there).
//!
//! Raw HTML an author writes goes through the allow-list of `sanitize` (`details`,
//! `kbd`, tables, `img` and `a` with safe URLs, ...), on every kind of page; a markdown
//! link or image whose URL could run script (`javascript:`) is shown as its text.
//! Text from outside tools (scanner output) has all its raw HTML escaped instead.
//! `raw_html_report` says, at each page's lines, what was removed.

pub mod plain_text;
pub mod raw_html_report;
pub mod sanitize;

use pulldown_cmark::{
    html, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use super::diagram::{plan_links, render_flowchart, DiagramOptions};
use super::highlight::Highlighter;
use crate::diagnostics::Diagnostics;
use crate::model::anchor::{slugify, IdAllocator};
use crate::model::span::LineIndex;
use crate::model::PageDiagrams;
use sanitize::UrlUse;

/// Escapes text for HTML and XML (SVG, sitemap) element content and attribute values.
/// Control characters other than tab and line breaks, which XML forbids, become U+FFFD
/// so inline SVG stays well-formed whatever the input holds.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// Whether raw HTML in the source goes through the allow-list (our authors' pages) or is
/// shown as text (text that came from a scanner or any other outside tool).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    Sanitize,
    Escape,
}

pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders markdown written by the site's authors to an HTML fragment; `diagrams` are
/// the mermaid blocks of the page it comes from.
pub fn render_markdown(
    markdown: &str,
    highlighter: &Highlighter,
    diagrams: &PageDiagrams,
) -> String {
    render_markdown_with(markdown, highlighter, RawHtml::Sanitize, diagrams)
}

/// Renders markdown to an HTML fragment, choosing what happens to raw HTML. Problems
/// drawing its diagrams are not reported: the text has no place in a file to name.
pub fn render_markdown_with(
    markdown: &str,
    highlighter: &Highlighter,
    raw: RawHtml,
    diagrams: &PageDiagrams,
) -> String {
    let unplaced = &mut Diagnostics::new();
    render_markdown_in_file(markdown, highlighter, raw, None, diagrams, unplaced)
}

/// Where a markdown text sits in its file: `markdown` is `file[offset..]`. Lets
/// diagnostics about the text name file lines and columns.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOrigin<'a> {
    pub file: &'a str,
    pub offset: usize,
}

/// Renders markdown to an HTML fragment and reports problems at positions in `origin`'s
/// file (or in the markdown itself when there is no origin). `diagrams` are the mermaid
/// blocks of the page the text comes from. The problems met drawing them (a flowchart
/// split into parts, a layout that failed) go to `diagnostics` with spans but no path:
/// the caller knows the file.
pub fn render_markdown_in_file(
    markdown: &str,
    highlighter: &Highlighter,
    raw: RawHtml,
    origin: Option<MarkdownOrigin>,
    diagrams: &PageDiagrams,
    diagnostics: &mut Diagnostics,
) -> String {
    let origin = origin.unwrap_or(MarkdownOrigin {
        file: markdown,
        offset: 0,
    });
    let mut events = MarkdownEvents::new(highlighter, raw, origin, diagrams);
    let transformed = events.transform(
        Parser::new_ext(markdown, parser_options()).into_offset_iter(),
        markdown,
    );
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, transformed.into_iter());
    diagnostics.append(events.diagnostics);
    if events.raw_seen {
        out = sanitize::clean_fragment(&out);
    }
    out
}

/// The rewriting pass over pulldown-cmark's events: highlighted code blocks, drawn
/// diagrams, heading ids, raw HTML marked for the sanitiser (or escaped) and links with
/// unsafe URLs turned into their text.
struct MarkdownEvents<'h> {
    highlighter: &'h Highlighter,
    raw: RawHtml,
    /// A raw HTML piece was marked: the output needs `sanitize::clean_fragment`.
    raw_seen: bool,
    /// For each link or image open, whether its tags are written (false: its URL is
    /// unsafe, so only its text is).
    open_links: Vec<OpenLink>,
    ids: IdAllocator,
    origin: MarkdownOrigin<'h>,
    page_diagrams: &'h PageDiagrams,
    /// Diagrams drawn so far, to number their ids.
    diagrams: usize,
    diagnostics: Diagnostics,
}

/// A heading or code block being collected before it can be written.
enum Pending<'a> {
    Code {
        lang: Option<String>,
        text: String,
        /// Offset in the markdown of the block's first content line.
        start: usize,
    },
    Heading {
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        inner: Vec<Event<'a>>,
        text: String,
    },
}

impl<'h> MarkdownEvents<'h> {
    fn new(
        highlighter: &'h Highlighter,
        raw: RawHtml,
        origin: MarkdownOrigin<'h>,
        page_diagrams: &'h PageDiagrams,
    ) -> Self {
        MarkdownEvents {
            highlighter,
            raw,
            raw_seen: false,
            open_links: Vec::new(),
            ids: IdAllocator::default(),
            origin,
            page_diagrams,
            diagrams: 0,
            diagnostics: Diagnostics::new(),
        }
    }

    fn transform<'a>(
        &mut self,
        parser: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
        markdown: &str,
    ) -> Vec<Event<'a>> {
        let mut out = Vec::new();
        let mut pending: Option<Pending<'a>> = None;
        for (event, range) in parser {
            let event = match self.raw {
                RawHtml::Escape => self.escape_raw(event),
                RawHtml::Sanitize => match self.sanitize_raw(event) {
                    Some(event) => event,
                    None => continue,
                },
            };
            pending = match (pending, event) {
                (None, Event::Start(Tag::CodeBlock(kind))) => Some(Pending::Code {
                    start: code_start(markdown, &kind, range.start),
                    lang: fence_language(&kind),
                    text: String::new(),
                }),
                (
                    None,
                    Event::Start(Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    }),
                ) => Some(Pending::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner: Vec::new(),
                    text: String::new(),
                }),
                (None, event) => {
                    out.push(event);
                    None
                }
                (Some(Pending::Code { lang, text, start }), Event::End(TagEnd::CodeBlock)) => {
                    let html = match lang.as_deref() {
                        Some("mermaid") => self.diagram(&text, start),
                        _ => self.highlighter.highlight(&text, lang.as_deref()),
                    };
                    out.push(Event::Html(html.into()));
                    None
                }
                (
                    Some(Pending::Code {
                        lang,
                        mut text,
                        start,
                    }),
                    Event::Text(t),
                ) => {
                    text.push_str(&t);
                    Some(Pending::Code { lang, text, start })
                }
                (
                    Some(Pending::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                        inner,
                        text,
                    }),
                    Event::End(TagEnd::Heading(_)),
                ) => {
                    let wanted = id
                        .as_deref()
                        .map(str::to_string)
                        .unwrap_or_else(|| slugify(&text));
                    let id = self.ids.allocate(&wanted);
                    out.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(id.into()),
                        classes,
                        attrs,
                    }));
                    out.extend(inner);
                    out.push(Event::End(TagEnd::Heading(level)));
                    None
                }
                (
                    Some(Pending::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                        mut inner,
                        mut text,
                    }),
                    event,
                ) => {
                    if let Event::Text(t) | Event::Code(t) = &event {
                        text.push_str(t);
                    }
                    inner.push(event);
                    Some(Pending::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                        inner,
                        text,
                    })
                }
                (Some(code @ Pending::Code { .. }), _) => Some(code),
            };
        }
        out
    }

    /// A mermaid block: the diagram of the flowchart ingest read, or (when it could not
    /// read one) the block's source as code.
    fn diagram(&mut self, text: &str, start: usize) -> String {
        let Some(chart) = self.page_diagrams.flowchart(text) else {
            return self.highlighter.highlight(text, None);
        };
        self.diagrams += 1;
        let id = format!("diagram-{}", self.diagrams);
        let links = plan_links(chart, &[]);
        let title = format!("Diagram {}", self.diagrams);
        let options = DiagramOptions {
            id: &id,
            title: &title,
            links: &links,
        };
        let mut found = Diagnostics::new();
        let html = render_flowchart(chart, &options, &mut found);
        let offset = self.origin.offset + start;
        let block = LineIndex::new(self.origin.file).span(offset, offset + text.len());
        self.diagnostics
            .extend(found.into_iter().map(|d| d.at_span(block)));
        format!("<figure class=\"diagram-figure\">{html}</figure>")
    }

    /// Marks raw HTML for the sanitiser and drops the tags of a link or image whose URL
    /// is not allowed (its text stays); `None` for a dropped tag.
    fn sanitize_raw<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                self.raw_seen = true;
                Some(Event::Html(sanitize::mark_raw(&html).into()))
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                let kept = sanitize::url_allowed(dest_url, UrlUse::Link);
                self.open_links.push(if kept {
                    OpenLink::Kept
                } else {
                    OpenLink::Dropped
                });
                kept.then_some(event)
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if !sanitize::url_allowed(&dest_url, UrlUse::Image) {
                    self.open_links.push(OpenLink::Dropped);
                    return None;
                }
                if is_remote(&dest_url) {
                    // The CSP loads images from the site only (`img-src 'self'`), and a
                    // runbook is read offline: a picture from elsewhere is a link to it.
                    self.open_links.push(OpenLink::ImageAsLink);
                    return Some(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                self.open_links.push(OpenLink::Kept);
                Some(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
            Event::End(TagEnd::Link | TagEnd::Image) => match self.open_links.pop() {
                Some(OpenLink::Dropped) => None,
                Some(OpenLink::ImageAsLink) => Some(Event::End(TagEnd::Link)),
                Some(OpenLink::Kept) | None => Some(event),
            },
            event => Some(event),
        }
    }

    fn escape_raw<'a>(&self, event: Event<'a>) -> Event<'a> {
        match (self.raw, event) {
            (RawHtml::Escape, Event::Html(html) | Event::InlineHtml(html)) => Event::Text(html),
            // Outside text may only link to the web or mail: no `javascript:` or `data:`.
            (
                RawHtml::Escape,
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }),
            ) if !is_safe_link(&dest_url) => Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::Borrowed("#"),
                title,
                id,
            }),
            (
                RawHtml::Escape,
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }),
            ) if !is_safe_link(&dest_url) => Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::Borrowed(""),
                title,
                id,
            }),
            (_, event) => event,
        }
    }
}

/// The destination of every link and image in `markdown`, with the byte range of the
/// link in `markdown`, in document order. Used to rewrite and check the links an author
/// wrote (`render::links`).
pub fn link_destinations(markdown: &str) -> Vec<(String, std::ops::Range<usize>)> {
    Parser::new_ext(markdown, parser_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            // An e-mail autolink is written as `mailto:`; it is not a path.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => None,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((dest_url.into_string(), range))
            }
            _ => None,
        })
        .collect()
}

/// Offset of a code block's first content line: after the opening fence line.
fn code_start(markdown: &str, kind: &CodeBlockKind, block_start: usize) -> usize {
    match kind {
        CodeBlockKind::Fenced(_) => markdown
            .get(block_start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(markdown.len(), |i| block_start + i + 1),
        CodeBlockKind::Indented => block_start,
    }
}

/// Links in outside text: http(s), mail and in-page or relative links only.
fn is_safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            ["http", "https", "mailto"].contains(&scheme)
        }
        _ => true,
    }
}

fn fence_language(kind: &CodeBlockKind) -> Option<String> {
    match kind {
        CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(str::to_string),
        CodeBlockKind::Indented => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> String {
        render_markdown(md, &Highlighter::new(), &PageDiagrams::NONE)
    }

    #[test]
    fn a_picture_from_another_site_is_a_link_and_a_local_one_stays_a_picture() {
        let html = render("![graph](https://img.example.com/a.png) and ![map](map.png)\n");
        assert!(
            html.contains("<a href=\"https://img.example.com/a.png\">graph</a>"),
            "{html}"
        );
        assert!(!html.contains("<img src=\"https://"), "{html}");
        assert!(html.contains("<img src=\"map.png\" alt=\"map\""), "{html}");
    }

    #[test]
    fn tables_task_lists_footnotes_and_strikethrough_render() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n~~old~~ text[^1]\n\n[^1]: note\n");
        assert!(html.contains("<table>"));
        assert!(html.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>"));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("class=\"footnote-definition\""));
    }

    #[test]
    fn headings_get_unique_ids_from_their_text_or_attribute() {
        let html = render("# Step 1: Check\n\n## Step 1: Check\n\n## Custom {#mine}\n");
        assert!(
            html.contains("<h1 id=\"step-1-check\">Step 1: Check</h1>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"step-1-check-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"mine\">Custom</h2>"), "{html}");
    }

    #[test]
    fn fenced_code_is_highlighted_with_classes() {
        let html = render("```bash\necho hi\n```\n");
        assert!(
            html.contains("<pre class=\"code\" data-lang=\"bash\">"),
            "{html}"
        );
        assert!(html.contains("<span class=\""), "{html}");
    }

    #[test]
    fn unknown_fence_language_is_plain_escaped_code() {
        let html = render("```nonsense\n<x>\n```\n");
        assert!(html.contains("<code>&lt;x&gt;\n</code>"), "{html}");
    }

    #[test]
    fn escaped_raw_html_is_shown_as_text() {
        let html = render_markdown_with(
            "<script>alert(1)</script>\n\nhi <b>x</b>",
            &Highlighter::new(),
            RawHtml::Escape,
            &PageDiagrams::NONE,
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn mermaid_is_drawn_from_the_flowchart_ingest_read_and_else_shown_as_code() {
        let md = "Intro.\n\n```mermaid\ngraph TD\nA --> B\n```\n";
        let source = std::path::Path::new("content/p.md");
        let mut found = crate::diagnostics::Diagnostics::new();
        let outline = crate::ingest::outline::read_outline(md, 0);
        let diagrams =
            crate::ingest::diagrams::read_diagrams(source, md, &outline, None, &mut found);
        let drawn = render_markdown(md, &Highlighter::new(), &diagrams);
        assert!(
            drawn.contains("<figure class=\"diagram-figure\">"),
            "{drawn}"
        );
        assert_eq!(drawn.matches("class=\"node ").count(), 2, "{drawn}");
        let unread = render(md);
        assert!(!unread.contains("<svg"), "{unread}");
        assert!(unread.contains("A --&gt; B"), "{unread}");
    }

    #[test]
    fn escaping_makes_markup_text_and_control_characters_replacement_marks() {
        assert_eq!(
            escape_html("<a href=\"x\">&'\u{1b}[0m\tok\n"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\u{fffd}[0m\tok\n"
        );
    }
}

/// What became of a link or image the writer opened, so its end tag matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenLink {
    Kept,
    /// Its URL is not allowed: the tags go, the text stays.
    Dropped,
    /// A picture from another site, shown as a link to it.
    ImageAsLink,
}

/// A URL that leaves the site: `https://…`, `http://…` or `//host/…`.
fn is_remote(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}
