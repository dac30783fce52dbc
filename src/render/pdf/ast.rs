//! Markdown to the PDF template's data tree (render stage). Runbook markdown in, a small
//! JSON tree of blocks and inlines out; the Typst template walks the tree and shows every
//! string as text, so nothing in a runbook is ever read as Typst markup.
//!
//! Blocks: `para{c}`, `heading{level,c}`, `codeblock{lang,text}`, `diagram{lang,source}`,
//! `list{ordered,start,items[{task,c}]}`, `table{head,rows}`, `quote{c}`, `rule`.
//! Inlines: `text{v}`, `code{v}`, `strong{c}`, `emph{c}`, `strike{c}`, `link{url,c}`,
//! `br`. Raw HTML is kept as text; images become their alt text and address.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde_json::{json, Map, Value};

/// Fence languages that are drawings rather than code.
const DIAGRAM_LANGUAGES: &[&str] = &["mermaid", "dot", "graphviz"];

/// An open container while the events are walked.
struct Frame {
    node: Map<String, Value>,
    /// Where children go: `c` for most nodes, `items` for lists, `rows` for tables.
    children: Vec<Value>,
}

/// Converts markdown to a JSON array of blocks.
pub fn markdown_blocks(markdown: &str) -> Value {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut stack = vec![Frame {
        node: Map::new(),
        children: Vec::new(),
    }];
    let mut code: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(markdown, options) {
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
            Event::Start(tag) => open(&mut stack, &tag),
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
        let frame = stack.pop().expect("more than one frame");
        push(&mut stack, finish(frame));
    }
    Value::Array(stack.pop().map(|f| f.children).unwrap_or_default())
}

fn code_node(lang: Option<String>, text: String) -> Value {
    match lang.as_deref() {
        Some(l) if DIAGRAM_LANGUAGES.contains(&l) => {
            json!({"t": "diagram", "lang": l, "source": text, "svg": super::diagrams::diagram_svg(l, &text)})
        }
        _ => json!({"t": "codeblock", "lang": lang, "text": text}),
    }
}

fn open(stack: &mut Vec<Frame>, tag: &Tag) {
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
    stack.push(Frame {
        node,
        children: Vec::new(),
    });
}

fn close(stack: &mut Vec<Frame>, _end: TagEnd) {
    if stack.len() > 1 {
        let frame = stack.pop().expect("checked length");
        push(stack, finish(frame));
    }
}

/// Turns a finished frame into its node, reshaping lists, tables and images.
fn finish(frame: Frame) -> Value {
    let Frame { mut node, children } = frame;
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
            markdown_blocks("Run `#import \"x\"` now, $5 & <b>bold</b>\n\n```bash\necho ]\n```\n");
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
            markdown_blocks("3. a\n4. b\n\n- [x] done\n\n| A | B |\n|---|---|\n| 1 | `2` |\n");
        assert_eq!(tree[0]["start"], 3);
        assert_eq!(tree[0]["items"][1]["c"][0]["c"][0]["v"], "b");
        assert_eq!(tree[1]["items"][0]["task"], true);
        assert_eq!(tree[2]["t"], "table");
        assert_eq!(tree[2]["head"][0][0]["v"], "A");
        assert_eq!(tree[2]["rows"][0][1][0]["t"], "code");
    }

    #[test]
    fn mermaid_blocks_become_diagrams_with_their_source() {
        let tree = markdown_blocks("```mermaid\ngraph TD\nA-->B\n```\n");
        assert_eq!(tree[0]["t"], "diagram");
        assert_eq!(tree[0]["source"], "graph TD\nA-->B\n");
    }
}
