//! Markdown to the PDF template's data tree (render stage). Runbook markdown in, a small
//! JSON tree of blocks and inlines out; the Typst template walks the tree and shows every
//! string as text, so nothing in a runbook is ever read as Typst markup.
//!
//! Blocks: `para{c}`, `heading{level,c}`, `codeblock{lang,text}`, `diagram{lang,source}`,
//! `list{ordered,start,items[{task,c}]}`, `table{head,rows}`, `quote{c}`, `rule`.
//! Inlines: `text{v}`, `code{v}`, `strong{c}`, `emph{c}`, `strike{c}`, `link{url,c}`,
//! `br`. Raw HTML is kept as text; images become their alt text and address.
//!
//! Nesting is capped: Typst typesets each list or quote level through a few nested show
//! rules and stops at a fixed depth (a 30-deep ordered list and a 32-deep quote failed
//! with "maximum show rule depth exceeded", a 30-deep bullet list in Typst's JSON reader,
//! which stops at 128 levels, four per list level). Lists and quotes deeper than
//! `MAX_BLOCK_NESTING`, and emphasis deeper than `MAX_INLINE_NESTING`, are flattened: their
//! content stays, in order, each list item as a paragraph that starts with its number or
//! bullet; where it starts is returned so the caller can warn at that line.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde_json::{json, Map, Value};

/// Fence languages that are drawings rather than code.
const DIAGRAM_LANGUAGES: &[&str] = &["mermaid", "dot", "graphviz"];

/// Lists, quotes and footnotes nested in one another deeper than this are flattened. With
/// both caps full (and a table at the bottom) the template still has room: a test
/// typesets that.
pub const MAX_BLOCK_NESTING: usize = 16;
/// Emphasis, strong, strikethrough and links nested deeper than this lose the extra levels.
pub const MAX_INLINE_NESTING: usize = 16;

/// An open container while the events are walked.
struct Frame {
    node: Map<String, Value>,
    /// Where children go: `c` for most nodes, `items` for lists, `rows` for tables.
    children: Vec<Value>,
    /// `Some` for a container beyond the caps: on closing, its children go to its parent.
    flat: Option<Flat>,
}

/// How a flattened container hands its children on.
enum Flat {
    /// A quote or footnote: its blocks as they are.
    Blocks,
    /// A list: counts its items for their numbers.
    List { ordered: bool, next: u64 },
    /// A list item: its content as blocks, the first starting with `prefix`.
    Item { prefix: String },
    /// Emphasis and the like: its inlines as they are.
    Inlines,
}

/// A runbook text as the template's blocks.
pub struct Blocks {
    pub tree: Value,
    /// Byte offsets in the markdown where nesting beyond the caps starts (one per run of
    /// flattened containers).
    pub flattened: Vec<usize>,
}

impl Frame {
    fn new(node: Map<String, Value>, flat: Option<Flat>) -> Frame {
        Frame {
            node,
            children: Vec::new(),
            flat,
        }
    }
}

/// Converts markdown to a JSON array of blocks.
pub fn markdown_blocks(markdown: &str) -> Blocks {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut stack = vec![Frame::new(Map::new(), None)];
    let mut flattened = Vec::new();
    let mut code: Option<(Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        if let Some((lang, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = (lang.take(), std::mem::take(text));
                    code = None;
                    push(&mut stack, code_node(lang, text));
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                code = Some((lang, String::new()));
            }
            Event::Start(tag) => {
                if open(&mut stack, &tag) {
                    // At the marker, not at the indentation before it.
                    let rest = &markdown[range.start..];
                    let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                    flattened.push(range.start + indent);
                }
            }
            Event::End(end) => close(&mut stack, end),
            Event::Text(t) => push(&mut stack, json!({"t": "text", "v": t.as_ref()})),
            Event::Code(t) => push(&mut stack, json!({"t": "code", "v": t.as_ref()})),
            Event::Html(t) | Event::InlineHtml(t) => {
                push(&mut stack, json!({"t": "text", "v": t.as_ref()}))
            }
            Event::SoftBreak => push(&mut stack, json!({"t": "text", "v": " "})),
            Event::HardBreak => push(&mut stack, json!({"t": "br"})),
            Event::Rule => push(&mut stack, json!({"t": "rule"})),
            Event::TaskListMarker(done) => {
                if let Some(frame) = stack.last_mut() {
                    frame.node.insert("task".into(), Value::Bool(done));
                }
            }
            Event::FootnoteReference(name) => {
                push(&mut stack, json!({"t": "text", "v": format!("[{name}]")}))
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                push(&mut stack, json!({"t": "code", "v": t.as_ref()}))
            }
        }
    }
    while stack.len() > 1 {
        close(&mut stack, TagEnd::Paragraph);
    }
    Blocks {
        tree: Value::Array(stack.pop().map(|f| f.children).unwrap_or_default()),
        flattened,
    }
}

fn code_node(lang: Option<String>, text: String) -> Value {
    match lang.as_deref() {
        Some(l) if DIAGRAM_LANGUAGES.contains(&l) => {
            json!({"t": "diagram", "lang": l, "source": text, "svg": super::diagrams::diagram_svg(l, &text)})
        }
        _ => json!({"t": "codeblock", "lang": lang, "text": text}),
    }
}

/// Opens the frame of `tag`, flattened when it nests beyond the caps; true when it starts a
/// run of flattening (its container is the first one flattened there).
fn open(stack: &mut Vec<Frame>, tag: &Tag) -> bool {
    let flat = flat_kind(stack, tag);
    let starts_run = match &flat {
        Some(Flat::Item { .. }) | None => false,
        Some(Flat::Inlines) => !stack.iter().any(|f| matches!(f.flat, Some(Flat::Inlines))),
        Some(_) => !stack.iter().any(|f| {
            matches!(
                f.flat,
                Some(Flat::Blocks | Flat::List { .. } | Flat::Item { .. })
            )
        }),
    };
    let node = match tag {
        Tag::Paragraph => json!({"t": "para"}),
        Tag::Heading { level, .. } => json!({"t": "heading", "level": *level as u8}),
        Tag::BlockQuote(_) => json!({"t": "quote"}),
        Tag::List(start) => {
            json!({"t": "list", "ordered": start.is_some(), "start": start.unwrap_or(1)})
        }
        Tag::Item => json!({"t": "item", "task": null}),
        Tag::Table(_) => json!({"t": "table"}),
        Tag::TableHead => json!({"t": "thead"}),
        Tag::TableRow => json!({"t": "tr"}),
        Tag::TableCell => json!({"t": "td"}),
        Tag::Emphasis => json!({"t": "emph"}),
        Tag::Strong => json!({"t": "strong"}),
        Tag::Strikethrough => json!({"t": "strike"}),
        Tag::Link { dest_url, .. } => json!({"t": "link", "url": dest_url.as_ref()}),
        Tag::Image { dest_url, .. } => json!({"t": "image", "url": dest_url.as_ref()}),
        Tag::FootnoteDefinition(name) => json!({"t": "footnote", "name": name.as_ref()}),
        _ => json!({"t": "group"}),
    };
    let Value::Object(node) = node else {
        unreachable!("json! object literal")
    };
    stack.push(Frame::new(node, flat));
    starts_run
}

/// Whether `tag` opens a container beyond the caps, and how it is flattened then.
fn flat_kind(stack: &mut [Frame], tag: &Tag) -> Option<Flat> {
    let open_blocks = |stack: &[Frame]| {
        stack
            .iter()
            .filter(|f| f.flat.is_none() && is_nesting_block(&f.node))
            .count()
    };
    match tag {
        Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => {
            (open_blocks(stack) >= MAX_BLOCK_NESTING).then_some(Flat::Blocks)
        }
        Tag::List(start) => (open_blocks(stack) >= MAX_BLOCK_NESTING).then_some(Flat::List {
            ordered: start.is_some(),
            next: start.unwrap_or(1),
        }),
        Tag::Item => match stack.last_mut().and_then(|f| f.flat.as_mut()) {
            Some(Flat::List { ordered, next }) => {
                let prefix = if *ordered {
                    format!("{next}. ")
                } else {
                    "\u{2022} ".to_string()
                };
                *next += 1;
                Some(Flat::Item { prefix })
            }
            _ => None,
        },
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. } => {
            let open_inlines = stack
                .iter()
                .filter(|f| f.flat.is_none() && is_nesting_inline(&f.node))
                .count();
            (open_inlines >= MAX_INLINE_NESTING).then_some(Flat::Inlines)
        }
        _ => None,
    }
}

fn kind(node: &Map<String, Value>) -> &str {
    node.get("t").and_then(Value::as_str).unwrap_or("")
}

/// The containers whose nesting the block cap counts (list items belong to their list).
fn is_nesting_block(node: &Map<String, Value>) -> bool {
    matches!(kind(node), "list" | "quote" | "footnote")
}

fn is_nesting_inline(node: &Map<String, Value>) -> bool {
    matches!(kind(node), "emph" | "strong" | "strike" | "link" | "image")
}

fn close(stack: &mut Vec<Frame>, _end: TagEnd) {
    if stack.len() <= 1 {
        return;
    }
    let mut frame = stack.pop().expect("checked length");
    match frame.flat.take() {
        None => push(stack, finish(frame)),
        Some(Flat::Blocks | Flat::List { .. } | Flat::Inlines) => {
            frame.children.into_iter().for_each(|c| push(stack, c));
        }
        Some(Flat::Item { prefix }) => {
            let prefix = match frame.node.get("task").and_then(Value::as_bool) {
                Some(true) => format!("{prefix}[x] "),
                Some(false) => format!("{prefix}[ ] "),
                None => prefix,
            };
            let mut blocks = wrap_inlines(frame.children);
            let marker = json!({"t": "text", "v": prefix});
            match blocks.first_mut() {
                Some(first) if first["t"] == "para" => {
                    if let Some(Value::Array(inlines)) = first.get_mut("c") {
                        inlines.insert(0, marker);
                    }
                }
                _ => blocks.insert(0, json!({"t": "para", "c": [marker]})),
            }
            blocks.into_iter().for_each(|b| push(stack, b));
        }
    }
}

/// Turns a finished frame into its node, reshaping lists, tables and images.
fn finish(frame: Frame) -> Value {
    let Frame {
        mut node, children, ..
    } = frame;
    let kind = node
        .get("t")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match kind.as_str() {
        "list" => {
            node.insert("items".into(), Value::Array(children));
        }
        "item" => {
            node.insert("c".into(), Value::Array(wrap_inlines(children)));
        }
        "table" => return table_node(children),
        "thead" | "tr" => {
            node.insert("cells".into(), Value::Array(children));
        }
        "image" => {
            let url = node.get("url").cloned().unwrap_or(Value::Null);
            let mut inlines = children;
            inlines.push(json!({"t": "text", "v": " ("}));
            inlines.push(json!({"t": "code", "v": url}));
            inlines.push(json!({"t": "text", "v": ")"}));
            return json!({"t": "emph", "c": inlines});
        }
        "footnote" => {
            let name = node.get("name").and_then(Value::as_str).unwrap_or("");
            let mut blocks =
                vec![json!({"t": "para", "c": [{"t": "text", "v": format!("[{name}]")}]})];
            blocks.extend(children);
            return json!({"t": "quote", "c": blocks});
        }
        _ => {
            node.insert("c".into(), Value::Array(children));
        }
    }
    Value::Object(node)
}

/// A table: the head's cells and each row's cells, every cell a list of inlines.
fn table_node(children: Vec<Value>) -> Value {
    let cells = |row: &Value| {
        row.get("cells")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()))
    };
    let cell_inlines = |cells: Value| -> Value {
        Value::Array(
            cells
                .as_array()
                .map(|cs| {
                    cs.iter()
                        .map(|c| c.get("c").cloned().unwrap_or(Value::Array(Vec::new())))
                        .collect()
                })
                .unwrap_or_default(),
        )
    };
    let mut head = Value::Array(Vec::new());
    let mut rows = Vec::new();
    for child in &children {
        match child.get("t").and_then(Value::as_str) {
            Some("thead") => head = cell_inlines(cells(child)),
            Some("tr") => rows.push(cell_inlines(cells(child))),
            _ => {}
        }
    }
    json!({"t": "table", "head": head, "rows": rows})
}

/// Tight list items hold inlines directly; wraps runs of inlines in paragraphs so an
/// item's content is always blocks.
fn wrap_inlines(children: Vec<Value>) -> Vec<Value> {
    let mut blocks = Vec::new();
    let mut run = Vec::new();
    for child in children {
        if is_inline(&child) {
            run.push(child);
        } else {
            if !run.is_empty() {
                blocks.push(json!({"t": "para", "c": std::mem::take(&mut run)}));
            }
            blocks.push(child);
        }
    }
    if !run.is_empty() {
        blocks.push(json!({"t": "para", "c": run}));
    }
    blocks
}

fn is_inline(node: &Value) -> bool {
    matches!(
        node.get("t").and_then(Value::as_str),
        Some("text" | "code" | "strong" | "emph" | "strike" | "link" | "br")
    )
}

fn push(stack: &mut [Frame], node: Value) {
    if let Some(frame) = stack.last_mut() {
        frame.children.push(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_inlines_keep_text_verbatim() {
        let tree =
            markdown_blocks("Run `#import \"x\"` now, $5 & <b>bold</b>\n\n```bash\necho ]\n```\n")
                .tree;
        assert_eq!(tree[0]["t"], "para");
        assert_eq!(tree[0]["c"][1]["v"], "#import \"x\"");
        assert_eq!(
            tree[1],
            json!({"t": "codeblock", "lang": "bash", "text": "echo ]\n"})
        );
        let text = tree.to_string();
        assert!(text.contains("<b>"), "raw HTML stays text: {text}");
    }

    #[test]
    fn lists_tables_and_tasks_take_their_shape() {
        let tree =
            markdown_blocks("3. a\n4. b\n\n- [x] done\n\n| A | B |\n|---|---|\n| 1 | `2` |\n").tree;
        assert_eq!(tree[0]["start"], 3);
        assert_eq!(tree[0]["items"][1]["c"][0]["c"][0]["v"], "b");
        assert_eq!(tree[1]["items"][0]["task"], true);
        assert_eq!(tree[2]["t"], "table");
        assert_eq!(tree[2]["head"][0][0]["v"], "A");
        assert_eq!(tree[2]["rows"][0][1][0]["t"], "code");
    }

    #[test]
    fn mermaid_blocks_become_diagrams_with_their_source() {
        let tree = markdown_blocks("```mermaid\ngraph TD\nA-->B\n```\n").tree;
        assert_eq!(tree[0]["t"], "diagram");
        assert_eq!(tree[0]["source"], "graph TD\nA-->B\n");
    }

    /// The deepest container of each kind, and how deep it sits.
    fn depth(value: &Value, kinds: &[&str]) -> usize {
        let own = usize::from(
            value
                .get("t")
                .and_then(Value::as_str)
                .is_some_and(|t| kinds.contains(&t)),
        );
        let inner = match value {
            Value::Array(items) => items.iter().map(|v| depth(v, kinds)).max().unwrap_or(0),
            Value::Object(map) => map.values().map(|v| depth(v, kinds)).max().unwrap_or(0),
            _ => 0,
        };
        own + inner
    }

    fn all_text(value: &Value) -> String {
        let mut text = String::new();
        super::super::document::all_text(value, &mut text);
        text
    }

    #[test]
    fn lists_nested_beyond_the_cap_are_flattened_keeping_numbers_and_text() {
        let markdown: String = (0..30)
            .map(|level| format!("{}1. level {level}\n", "   ".repeat(level)))
            .collect();
        let blocks = markdown_blocks(&markdown);
        assert_eq!(depth(&blocks.tree, &["list"]), MAX_BLOCK_NESTING);
        // One run of flattening, on the line of the first list past the cap.
        assert_eq!(blocks.flattened.len(), 1);
        assert_eq!(markdown[..blocks.flattened[0]].matches('\n').count(), 16);
        let text = all_text(&blocks.tree);
        for level in 0..30 {
            assert!(text.contains(&format!("level {level}")), "{text}");
        }
        // Past the cap each item is a paragraph led by its own number.
        assert!(text.contains("1. level 29"), "{text}");
        assert!(!text.contains("1. level 15"), "{text}");
    }

    #[test]
    fn quotes_and_emphasis_beyond_the_caps_are_flattened_too() {
        let quotes: String = (0..32)
            .map(|i| format!("{} q{i}\n", ">".repeat(i + 1)))
            .collect();
        let blocks = markdown_blocks(&quotes);
        assert_eq!(depth(&blocks.tree, &["quote"]), MAX_BLOCK_NESTING);
        assert_eq!(blocks.flattened.len(), 1);
        assert!(all_text(&blocks.tree).contains("q31"));

        let emphasis = format!("{}x{}\n", "*a _b ".repeat(20), " b_ a*".repeat(20));
        let blocks = markdown_blocks(&emphasis);
        assert_eq!(depth(&blocks.tree, &["emph", "strong"]), MAX_INLINE_NESTING);
        assert_eq!(blocks.flattened.len(), 1);
    }

    #[test]
    fn flattened_task_and_bullet_items_keep_their_marks() {
        let nested = "> ".repeat(MAX_BLOCK_NESTING);
        let blocks = markdown_blocks(&format!("{nested}- [x] done\n{nested}- open\n"));
        assert_eq!(blocks.flattened.len(), 1);
        let text = all_text(&blocks.tree);
        assert!(text.contains("\u{2022} [x] done"), "{text}");
        assert!(text.contains("\u{2022} open"), "{text}");
    }

    #[test]
    fn nesting_within_the_caps_is_kept_and_not_reported() {
        let markdown: String = (0..MAX_BLOCK_NESTING)
            .map(|level| format!("{}- level {level}\n", "  ".repeat(level)))
            .collect();
        let blocks = markdown_blocks(&markdown);
        assert!(blocks.flattened.is_empty());
        assert_eq!(depth(&blocks.tree, &["list"]), MAX_BLOCK_NESTING);
    }
}
