//! Tests of the outline reader: what is a heading, a code block, a list item or a table,
//! and where each is in the whole file.

use super::*;

fn outline(text: &str) -> Outline<'_> {
    read_outline(text, 0)
}

fn heading_texts<'a>(outline: &Outline<'a>) -> Vec<&'a str> {
    outline.headings.iter().map(|h| h.text).collect()
}

#[test]
fn heading_inside_fenced_code_is_not_a_heading() {
    let text = "# Title\n```bash\n# not a heading\n## nor this\n```\n## Real\n";
    let outline = outline(text);
    assert_eq!(heading_texts(&outline), ["Title", "Real"]);
    assert_eq!(outline.code_blocks.len(), 1);
    assert!(outline.in_code(text.find("# not").unwrap()));
    assert!(outline.in_code(text.find("```bash").unwrap()));
    assert!(!outline.in_code(text.find("## Real").unwrap()));
}

#[test]
fn heading_in_an_html_block_is_not_a_heading() {
    let outline = outline("<div>\n## not\n</div>\n\n## Real\n");
    assert_eq!(heading_texts(&outline), ["Real"]);
}

#[test]
fn heading_needs_a_space_after_the_marks_and_loses_its_closing_marks() {
    assert!(outline("#hashtag\n").headings.is_empty());
    let text = "### Day 1 ###\n## C#\n";
    let outline = outline(text);
    assert_eq!(heading_texts(&outline), ["Day 1", "C#"]);
    assert_eq!(outline.headings[0].level, 3);
    assert_eq!(outline.headings[0].text_start, 4);
    assert_eq!(outline.headings[1].range, 14..20);
}

#[test]
fn heading_text_is_kept_as_written_and_plain_drops_the_marks() {
    let text = "### Step 2: <b>x</b> `c` **d** \\# e\n";
    let heading = &outline(text).headings[0];
    assert_eq!(heading.text, "Step 2: <b>x</b> `c` **d** \\# e");
    assert_eq!(heading.plain, "Step 2: <b>x</b> c d # e");
    assert_eq!(heading.range, 0..text.len());
}

#[test]
fn setext_heading_covers_its_text_and_underline() {
    let text = "Intro\n\nTitle\n-----\nafter\n";
    let outline = outline(text);
    let heading = &outline.headings[0];
    assert_eq!((heading.level, heading.text), (2, "Title"));
    assert_eq!(heading.range, 7..19);
    let blocks = outline.blocks();
    assert!(matches!(blocks[2], Block::Heading(h) if h.text == "Title"));
    assert!(matches!(blocks[3], Block::Text(line) if line.text == "after"));
}

#[test]
fn fence_keeps_language_content_lines_and_text() {
    let text = "```Bash extra\nbd ready\n  bd sync\n```\nafter\n";
    let outline = outline(text);
    let code = &outline.code_blocks[0];
    assert!(code.fenced);
    assert_eq!(code.language.as_deref(), Some("Bash"));
    assert!(code.is_language("bash") && code.is_shell());
    assert_eq!(code.content(), "bd ready\n  bd sync");
    assert_eq!(code.text, "bd ready\n  bd sync\n");
    assert_eq!(code.content_range(), (14, 32));
    assert_eq!(code.opening.map(|line| line.text), Some("```Bash extra"));
    let blocks = outline.blocks();
    assert_eq!(blocks.len(), 2);
    assert!(matches!(blocks[1], Block::Text(line) if line.text == "after"));
}

#[test]
fn fence_in_a_list_item_keeps_raw_lines_and_reads_unindented_text() {
    let text = "1. run\n   ```sh\n   ls -l\n   ```\n";
    let code = &outline(text).code_blocks[0];
    assert_eq!(code.lines.len(), 1);
    assert_eq!(code.lines[0].text, "   ls -l");
    assert_eq!(code.text, "ls -l\n");
    assert_eq!(&text[code.range.clone()], "```sh\n   ls -l\n   ```");
}

#[test]
fn tilde_fence_is_not_closed_by_backticks() {
    let outline = outline("~~~\n```\n# inside\n~~~\n");
    assert_eq!(outline.blocks().len(), 1);
    assert_eq!(outline.code_blocks[0].lines.len(), 2);
}

#[test]
fn unterminated_fence_runs_to_end_of_file() {
    let outline = outline("```\n## hidden\n");
    assert!(outline.headings.is_empty());
    assert_eq!(outline.blocks().len(), 1);
    let empty = read_outline("```", 0);
    assert_eq!(empty.code_blocks[0].content_range(), (3, 3));
}

#[test]
fn indented_code_has_no_language_and_no_opening() {
    let text = "para\n\n    code line\n";
    let code = &outline(text).code_blocks[0];
    assert!(!code.fenced);
    assert_eq!((code.language.as_deref(), code.opening), (None, None));
    assert_eq!(code.content(), "    code line");
}

/// An item's ordered flag, number, depth, quoted flag, task box and text.
type ItemFacts<'a> = (bool, Option<u64>, usize, bool, Option<bool>, &'a str);

#[test]
fn list_items_know_kind_number_depth_and_task_box() {
    let text = "3. a\n   - [x] done\n     1. nested\n4. b\n\n> - quoted\n- [ ] open\n";
    let items = outline(text).list_items;
    let read: Vec<ItemFacts> = items
        .iter()
        .map(|i| (i.ordered, i.number, i.depth, i.quoted, i.task, i.text))
        .collect();
    assert_eq!(
        read,
        [
            (true, Some(3), 0, false, None, "a"),
            (false, None, 1, false, Some(true), "[x] done"),
            (true, Some(1), 2, false, None, "nested"),
            (true, Some(4), 0, false, None, "b"),
            (false, None, 0, true, None, "quoted"),
            (false, None, 0, false, Some(false), "[ ] open"),
        ]
    );
    assert_eq!(
        &text[items[0].range.clone()],
        "3. a\n   - [x] done\n     1. nested\n"
    );
    assert_eq!(&text[items[3].range.clone()].trim_end(), &"4. b");
    assert_eq!(items[1].text_start, text.find("[x]").unwrap());
}

#[test]
fn a_line_where_several_blocks_start_belongs_to_the_innermost() {
    let outline = outline("- # Inside\n- plain\n");
    let blocks = outline.blocks();
    assert!(matches!(blocks[0], Block::Heading(h) if h.text == "Inside"));
    assert!(matches!(blocks[1], Block::Item(i) if i.text == "plain"));
}

#[test]
fn continuation_lines_are_text_and_blank_lines_blank() {
    let outline = outline("- item\n  more\n\ntext\n");
    let kinds: Vec<LineKind> = outline.lines.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            LineKind::Item(0),
            LineKind::Text,
            LineKind::Blank,
            LineKind::Text
        ]
    );
}

#[test]
fn tables_give_header_and_row_cells_with_positions() {
    let text = "| Step | Owner |\n|---|---|\n| 1 | **sre** |\n| 2 | dba |\n";
    let outline = outline(text);
    let table = &outline.tables[0];
    let header: Vec<&str> = table.header.iter().map(|c| c.text).collect();
    assert_eq!(header, ["Step", "Owner"]);
    let rows: Vec<Vec<&str>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| c.text).collect())
        .collect();
    assert_eq!(rows, [vec!["1", "**sre**"], vec!["2", "dba"]]);
    assert_eq!(&text[table.rows[0][1].range.clone()], "**sre**");
    assert_eq!(table.range, 0..text.len());
}

#[test]
fn sections_end_at_the_next_heading_of_the_same_or_higher_level() {
    let text = "# T\n## A\n### A1\ntext\n### A2\n## B\n";
    let outline = outline(text);
    assert_eq!(&text[outline.section(1)], "## A\n### A1\ntext\n### A2\n");
    assert_eq!(&text[outline.section(2)], "### A1\ntext\n");
    assert_eq!(&text[outline.section(4)], "## B\n");
    assert_eq!(outline.section(9), text.len()..text.len());
}

#[test]
fn a_section_holds_its_heading_when_headings_overlap() {
    // A lone `\r` ends the ATX heading's line; `m` and `-` then make a setext heading
    // that pulldown-cmark starts where the ATX one starts.
    let text = "#\n## Step 2\rm\n-\n#";
    let outline = outline(text);
    for (index, heading) in outline.headings.iter().enumerate() {
        let section = outline.section(index);
        assert!(
            section.start <= heading.range.end && heading.range.end <= section.end,
            "{index}: {section:?} {:?}",
            heading.range
        );
    }
}

#[test]
fn offsets_are_positions_in_the_whole_file() {
    let text = "---\ntitle: x\n---\n## Head\n```\ncode\n```\n- item\n";
    let outline = read_outline(text, 17);
    assert_eq!(outline.headings[0].text_start, text.find("Head").unwrap());
    assert_eq!(
        outline.code_blocks[0].lines[0].start,
        text.find("code").unwrap()
    );
    assert_eq!(outline.list_items[0].text_start, text.find("item").unwrap());
    assert_eq!(outline.lines[0].source.start, 17);
}

#[test]
fn crlf_files_give_the_same_lines_and_code_text() {
    let text = "## A\r\n```sh\r\nls\r\n\r\n```\r\n- b\r\n";
    let outline = outline(text);
    assert_eq!(outline.headings[0].text, "A");
    assert_eq!(outline.headings[0].range, 0..6);
    let code = &outline.code_blocks[0];
    assert_eq!(code.content(), "ls\n");
    assert_eq!(code.text, "ls\n\n");
    assert_eq!(outline.list_items[0].text, "b");
}

#[test]
fn label_lines_skip_code_and_headings() {
    let text = "**Status:** Active\n- **Owner**: sre\n```\n**Severity:** P0\n```\n## **Date:** x\n";
    let outline = outline(text);
    let labels: Vec<(&str, &str)> = outline
        .label_lines(outline.body_start..outline.body_end)
        .iter()
        .flat_map(|line| line.labels.iter().map(|l| (l.label, l.value)))
        .collect();
    assert_eq!(labels, [("Status", "Active"), ("Owner", "sre")]);
    assert!(outline.label_lines(19..text.len()).len() == 1);
}

#[test]
fn empty_and_odd_input_gives_an_outline() {
    for text in ["", "\n", "```", "**", "#", "- ", "|", "é"] {
        let outline = outline(text);
        assert!(outline.lines.len() <= 1, "{text:?}");
    }
    let outline = read_outline("é# x", 1);
    assert!(outline.headings.is_empty());
    assert_eq!(read_outline("# x", 99).body_start, 3);
}
