//! Plan reader, work items: the part of a lane's sections in, its work items out. An item
//! opens with a tracker id in a heading (`### 1. web-b51s: Spike`, `#### bd-front-1:
//! Install Docker`) or a list line (``1. `web-xlwx`: Scaffold the package``), or is
//! planned work without an id yet: a list line with a bold title and an estimate
//! (`1. **Fix API Test Type Errors** (3 hours)`). An item heading inside another item
//! is a sub-item (`#### A. WEB-P0A:` under `### 2. web-mdlo:`).
//!
//! Under an item: labels (`**Priority:** P0`, `**Type:** Spike (Time-box: 15 min)`,
//! `**Time:** 30 minutes`), steps (its nested list, or the list under `**Task:**` /
//! `**Steps:**`), checklists, dependencies (`**Depends on:**`), and whatever else was
//! written, kept as markdown.

use std::ops::Range;

use crate::ingest::duration::parse_duration;
use crate::ingest::outline::{BoldLabel, ListItem};
use crate::model::plan::{
    DependencyEnd, DependencySource, DurationField, NamedValue, Priority, Step, Text, WorkItem,
};

use super::checklists::{find_checklists, introducing_label, list_groups};
use super::cross_deps::{DependencyClaim, Statement};
use super::epic::parse_priority_level;
use super::item_ids::{leading_item_id, KnownIds};
use super::lane_source::LaneSource;

/// Where an item starts, before it is read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ItemSeed {
    /// The tracker id as written; `None` for planned work.
    pub id: Option<String>,
    pub title: String,
    /// A planned item's estimate, read from its line.
    pub estimate: Option<DurationField>,
    /// The whole item: a heading's section, a list item with its nested lines.
    pub range: Range<usize>,
    /// The heading or the first line: the item's name, not its content.
    pub head: Range<usize>,
    /// A list item's depth, for its steps; `None` for a heading.
    pub list_depth: Option<usize>,
    /// The seed this one is embedded in.
    pub parent: Option<usize>,
}

/// The item seeds whose heads start in `scope`, in file order, each with its parent.
pub(super) fn find_item_seeds(
    src: &LaneSource<'_, '_>,
    scope: &[Range<usize>],
    known: &KnownIds,
) -> Vec<ItemSeed> {
    let in_scope = |at: usize| scope.iter().any(|r| r.contains(&at));
    let mut seeds = Vec::new();
    for (h, heading) in src.outline.headings.iter().enumerate() {
        if !in_scope(heading.range.start) {
            continue;
        }
        if let Some((id, title)) = leading_item_id(&heading.plain, known) {
            seeds.push(ItemSeed {
                id: Some(id.to_string()),
                title: title.to_string(),
                estimate: None,
                range: src.sections[h].clone(),
                head: heading.range.clone(),
                list_depth: None,
                parent: None,
            });
        }
    }
    let mut list_seeds: Vec<ItemSeed> = Vec::new();
    for item in &src.outline.list_items {
        let start = item.line.start;
        let nested = list_seeds.iter().any(|seed| seed.range.contains(&start));
        if !in_scope(start) || item.quoted || nested {
            continue;
        }
        if let Some(seed) = list_seed(src, item, known) {
            list_seeds.push(seed);
        }
    }
    seeds.extend(list_seeds);
    seeds.sort_by_key(|seed| seed.head.start);
    for at in 0..seeds.len() {
        let head = seeds[at].head.start;
        seeds[at].parent = (0..seeds.len())
            .filter(|&other| other != at && seeds[other].range.contains(&head))
            .filter(|&other| seeds[other].head.start < head)
            .max_by_key(|&other| seeds[other].head.start);
    }
    seeds
}

fn list_seed(src: &LaneSource<'_, '_>, item: &ListItem<'_>, known: &KnownIds) -> Option<ItemSeed> {
    let head = item.line.start..item.line.next;
    // `- [x] web-abc: Title`: a work item ticked in the plan (the tracker says more).
    let text = match item.task {
        Some(_) => item.text.get(3..).unwrap_or("").trim_start(),
        None => item.text,
    };
    if let Some((id, title)) = leading_item_id(text, known) {
        return Some(ItemSeed {
            id: Some(id.to_string()),
            title: strip_marks(title),
            estimate: None,
            range: item.range.clone(),
            head,
            list_depth: Some(item.depth),
            parent: None,
        });
    }
    if item.task.is_some() {
        return None; // a checklist line, not planned work
    }
    let (title, estimate) = planned_title(src, item)?;
    Some(ItemSeed {
        id: None,
        title,
        estimate: Some(estimate),
        range: item.range.clone(),
        head,
        list_depth: Some(item.depth),
        parent: None,
    })
}

/// `**Fix API Test Type Errors** (3 hours)`, `**Audit** - 30 min`: a bold title and the
/// estimate after it.
fn planned_title(src: &LaneSource<'_, '_>, item: &ListItem<'_>) -> Option<(String, DurationField)> {
    let inner = item.text.strip_prefix("**")?;
    let close = inner.find("**")?;
    let title = inner[..close].trim().trim_end_matches(':').trim();
    let after = &inner[close + 2..];
    let after_start = item.text_start + 2 + close + 2;
    let (estimate_text, offset) = if let Some(open) = after.find('(') {
        let close = after[open..].find(')')? + open;
        (&after[open + 1..close], open + 1)
    } else {
        let trimmed = after.trim_start_matches([' ', '-', '–', '—', ':']);
        (trimmed, after.len() - trimmed.len())
    };
    let duration = parse_duration(estimate_text)?;
    let raw = estimate_text.trim();
    let start = after_start + offset + (estimate_text.len() - estimate_text.trim_start().len());
    (!title.is_empty()).then(|| {
        (
            title.to_string(),
            DurationField {
                raw: raw.to_string(),
                duration,
                span: src.span(start..start + raw.len()),
            },
        )
    })
}

/// A title without the code and emphasis marks around it.
fn strip_marks(title: &str) -> String {
    title.trim().trim_matches(['`', '*']).trim().to_string()
}

/// Items in the rows of a lane's tables (`| web-abc | Title | ... |`, or a chain cell
/// `web-a → web-b`), each with the table's range when it gave any.
pub(super) fn table_items(
    src: &LaneSource<'_, '_>,
    own: &[Range<usize>],
    exclude: &[Range<usize>],
    known: &KnownIds,
) -> (Vec<WorkItem>, Vec<Range<usize>>) {
    let mut items = Vec::new();
    let mut consumed = Vec::new();
    for table in &src.outline.tables {
        let start = table.range.start;
        if !own.iter().any(|r| r.contains(&start)) || exclude.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let before = items.len();
        for row in &table.rows {
            items.extend(row_items(src, row, known));
        }
        if items.len() > before {
            consumed.push(table.range.clone());
        }
    }
    (items, consumed)
}

fn row_items(
    src: &LaneSource<'_, '_>,
    row: &[crate::ingest::outline::Cell<'_>],
    known: &KnownIds,
) -> Vec<WorkItem> {
    for (at, cell) in row.iter().enumerate() {
        let ids = super::item_ids::ids_in(cell.text, |word| known.is_item_id(word));
        let bare = cell.text.trim().trim_matches(['`', '*']).trim();
        let alone = ids.len() == 1 && ids[0].0 == bare;
        if !(alone || ids.len() > 1) {
            continue;
        }
        let title = match alone {
            true => row[at + 1..]
                .iter()
                .map(|c| strip_marks(c.text))
                .find(|t| !t.is_empty())
                .unwrap_or_default(),
            false => String::new(),
        };
        return ids
            .into_iter()
            .map(|(id, range)| {
                let start = cell.range.start + range.start;
                let span = src.span(start..cell.range.start + range.end);
                WorkItem::named(id.to_lowercase(), Some(id), title.clone(), span)
            })
            .collect();
    }
    Vec::new()
}

/// An item read from its seed: the item (sub-items not yet attached) and the dependency
/// statements on it.
pub(super) struct ReadItem {
    pub item: WorkItem,
    pub claims: Vec<DependencyClaim>,
}

/// Reads the item of `seeds[at]`; the ranges of its sub-items are left to them.
pub(super) fn read_item(
    src: &LaneSource<'_, '_>,
    seeds: &[ItemSeed],
    at: usize,
    key: String,
) -> ReadItem {
    let seed = &seeds[at];
    let children: Vec<Range<usize>> = seeds
        .iter()
        .filter(|other| other.parent == Some(at))
        .map(|other| other.range.clone())
        .collect();
    let own = [seed.range.clone()];
    let mut consumed = vec![seed.head.clone()];
    consumed.extend(children.iter().cloned());
    let span = src.span(seed.head.start..line_end(src, seed.head.start));
    let mut item = WorkItem {
        estimate: seed.estimate.clone(),
        ..WorkItem::named(key, seed.id.clone(), seed.title.clone(), span)
    };
    for found in find_checklists(src, &own, &consumed) {
        consumed.extend(found.consumed);
        item.checklists.push(found.checklist);
    }
    let mut claims = Vec::new();
    read_item_labels(src, &own, &mut consumed, &mut item, &mut claims);
    if let Some(depth) = seed.list_depth {
        read_nested_steps(src, seed, depth, &mut consumed, &mut item);
    }
    item.details = src.unread_chunks(&own, &consumed);
    ReadItem { item, claims }
}

/// The end of the line that starts at `start`.
fn line_end(src: &LaneSource<'_, '_>, start: usize) -> usize {
    src.text[start..]
        .find('\n')
        .map_or(src.text.len(), |at| start + at)
        .max(start)
}

/// What a label on an item means.
enum ItemLabel {
    Priority,
    Type,
    Estimate,
    Owner,
    Dependencies,
    /// `**Task:**`, `**Steps:**`: the list under it is the item's steps.
    Steps,
    /// `**Sub-tasks (embedded):**`: introduces sub-items.
    SubItems,
    Other,
}

fn item_label(label: &str) -> ItemLabel {
    let lower = label.to_lowercase();
    let lower = lower.trim();
    match lower {
        "priority" | "ưu tiên" => ItemLabel::Priority,
        "type" | "kind" | "loại" => ItemLabel::Type,
        "owner" | "agent" | "assignee" | "assigned to" | "người phụ trách" => {
            ItemLabel::Owner
        }
        "task" | "tasks" | "steps" | "manual steps" | "các bước" => ItemLabel::Steps,
        _ if is_time_label(lower) => ItemLabel::Estimate,
        _ if is_dependency_label(lower) => ItemLabel::Dependencies,
        _ if lower.starts_with("sub-task") || lower.starts_with("subtask") => ItemLabel::SubItems,
        _ => ItemLabel::Other,
    }
}

/// `Duration`, `Time`, `Est. Time`, `Estimate`, `ETA`, `Effort`, `Time-box`.
pub(super) fn is_time_label(lower: &str) -> bool {
    [
        "duration",
        "time",
        "est. time",
        "estimated time",
        "estimate",
        "estimated",
        "eta",
        "effort",
        "time-box",
        "timebox",
        "time estimate",
        "thời gian",
        "ước tính",
    ]
    .contains(&lower)
}

/// `Dependencies`, `Depends On`, `Blocked by`, `Requires`.
pub(super) fn is_dependency_label(lower: &str) -> bool {
    [
        "dependencies",
        "dependency",
        "depends on",
        "depends",
        "blocked by",
        "requires",
        "prerequisites",
        "after",
        "phụ thuộc",
    ]
    .contains(&lower)
}

fn read_item_labels(
    src: &LaneSource<'_, '_>,
    own: &[Range<usize>],
    consumed: &mut Vec<Range<usize>>,
    item: &mut WorkItem,
    claims: &mut Vec<DependencyClaim>,
) {
    for range in own {
        for line in src.outline.label_lines(range.clone()) {
            let start = line.line.start;
            if consumed.iter().any(|r| r.contains(&start)) {
                continue;
            }
            let mut all_read = true;
            for label in &line.labels {
                all_read &= read_item_label(src, label, consumed, item, claims);
            }
            if all_read {
                consumed.push(start..line.line.next);
            }
        }
    }
}

/// Applies one label to the item; false when it stays in the item's markdown.
fn read_item_label(
    src: &LaneSource<'_, '_>,
    label: &BoldLabel<'_>,
    consumed: &mut Vec<Range<usize>>,
    item: &mut WorkItem,
    claims: &mut Vec<DependencyClaim>,
) -> bool {
    let value = src.text_at(label.value, label.value_start);
    match item_label(label.label) {
        ItemLabel::Steps if label.value.is_empty() => {
            let steps = labelled_steps(src, label.start, consumed);
            item.steps.extend(steps);
            true
        }
        ItemLabel::SubItems if label.value.is_empty() => true,
        _ if label.value.is_empty() => false,
        ItemLabel::Priority => {
            match parse_priority_level(label.value) {
                Some(level) => item.priority = item.priority.or(Some(Priority(level))),
                None => push_field(item, label, value),
            }
            true
        }
        ItemLabel::Type => {
            if item.estimate.is_none() {
                item.estimate = time_box(src, label.value, label.value_start);
            }
            item.item_type.get_or_insert(value);
            true
        }
        ItemLabel::Estimate => {
            match parse_duration(label.value) {
                Some(duration) if item.estimate.is_none() => {
                    item.estimate = Some(DurationField {
                        raw: value.text,
                        duration,
                        span: value.span,
                    });
                }
                _ => push_field(item, label, value),
            }
            true
        }
        ItemLabel::Owner => {
            item.owner.get_or_insert(value);
            true
        }
        ItemLabel::Dependencies => {
            claims.push(DependencyClaim {
                waiting: Some(DependencyEnd::Item(item.key.clone())),
                text: value.text,
                span: value.span,
                source: DependencySource::PlanText,
                statement: Statement::Field,
            });
            true
        }
        ItemLabel::Steps | ItemLabel::SubItems | ItemLabel::Other => {
            push_field(item, label, value);
            true
        }
    }
}

fn push_field(item: &mut WorkItem, label: &BoldLabel<'_>, value: Text) {
    item.fields.push(NamedValue {
        name: label.label.to_string(),
        value: value.text,
        span: value.span,
    });
}

/// `Spike (Time-box: 15 min)`: the time-box a type names, as the item's estimate.
fn time_box(src: &LaneSource<'_, '_>, value: &str, value_start: usize) -> Option<DurationField> {
    let lower = value.to_lowercase();
    let at = lower.find("time-box").or_else(|| lower.find("timebox"))?;
    let after = &value[at..];
    let colon = after.find(':')?;
    let text = after[colon + 1..].trim_start();
    let text = text.split(')').next().unwrap_or(text).trim_end();
    let duration = parse_duration(text)?;
    let start = value_start
        + (value.len() - value[at..].len())
        + colon
        + 1
        + (after[colon + 1..].len() - after[colon + 1..].trim_start().len());
    Some(DurationField {
        raw: text.to_string(),
        duration,
        span: src.span(start..start + text.len()),
    })
}

/// The list right under the label at `label_start`, as steps; its lines are consumed.
fn labelled_steps(
    src: &LaneSource<'_, '_>,
    label_start: usize,
    consumed: &mut Vec<Range<usize>>,
) -> Vec<Step> {
    let scope = label_start..src.text.len();
    let Some(group) = list_groups(src, std::slice::from_ref(&scope), consumed)
        .into_iter()
        .next()
    else {
        return Vec::new();
    };
    let introduced = introducing_label(src, group[0].line.start)
        .is_some_and(|(_, line)| line.start == label_start);
    if !introduced {
        return Vec::new();
    }
    let base = group[0].depth;
    let end = group.last().map_or(label_start, |item| item.range.end);
    let mut steps = Vec::new();
    for item in &src.outline.list_items {
        let start = item.line.start;
        if (group[0].line.start..end).contains(&start)
            && !consumed.iter().any(|r| r.contains(&start))
        {
            steps.push(step(src, item, base));
            consumed.push(start..item.line.next);
        }
    }
    steps
}

/// The nested list lines of a list item, as steps.
fn read_nested_steps(
    src: &LaneSource<'_, '_>,
    seed: &ItemSeed,
    depth: usize,
    consumed: &mut Vec<Range<usize>>,
    item: &mut WorkItem,
) {
    for nested in &src.outline.list_items {
        let start = nested.line.start;
        let inside = seed.range.contains(&start) && nested.depth > depth;
        if inside && !consumed.iter().any(|r| r.contains(&start)) {
            item.steps.push(step(src, nested, depth + 1));
            consumed.push(start..nested.line.next);
        }
    }
}

fn step(src: &LaneSource<'_, '_>, item: &ListItem<'_>, base: usize) -> Step {
    Step {
        depth: item.depth.saturating_sub(base),
        text: src.text_at(item.text, item.text_start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::outline::read_outline;
    use crate::model::span::LineIndex;

    fn items(text: &str) -> Vec<(Option<String>, String, Option<usize>)> {
        let outline = read_outline(text, 0);
        let index = LineIndex::new(text);
        let src = LaneSource::new(text, &outline, &index);
        find_item_seeds(
            &src,
            std::slice::from_ref(&(0..text.len())),
            &KnownIds::default(),
        )
        .into_iter()
        .map(|seed| (seed.id, seed.title, seed.parent))
        .collect()
    }

    #[test]
    fn items_open_headings_and_list_lines_and_nest_by_heading() {
        let text = "### 1. ab-b51s: Spike - merge\n\n### 2. ab-mdlo: Fix conflicts\n\n#### A. AB-P0A: Root package\n\n1. `ab-x1w`: Scaffold\n   - step one\n   - `ab-q2`: not an item, a step\n2. **Fix API Test Type Errors** (3 hours)\n3. **Read the plan**\n";
        assert_eq!(
            items(text),
            [
                (Some("ab-b51s".into()), "Spike - merge".into(), None),
                (Some("ab-mdlo".into()), "Fix conflicts".into(), None),
                (Some("AB-P0A".into()), "Root package".into(), Some(1)),
                (Some("ab-x1w".into()), "Scaffold".into(), Some(2)),
                (None, "Fix API Test Type Errors".into(), Some(2)),
            ]
        );
    }

    #[test]
    fn ticked_lines_and_table_rows_that_open_with_an_id_are_items() {
        let text = "- [x] `ab-t1`: Done in the plan\n- [ ] just a box\n\n| Bead | Title |\n|---|---|\n| `ab-t2` | From a table |\n| ab-t3 → ab-t4 | chain |\n";
        let ids: Vec<Option<String>> = items(text).into_iter().map(|(id, _, _)| id).collect();
        assert_eq!(ids, [Some("ab-t1".to_string())]);
        let outline = read_outline(text, 0);
        let index = LineIndex::new(text);
        let src = LaneSource::new(text, &outline, &index);
        let whole = 0..text.len();
        let (rows, consumed) = table_items(
            &src,
            std::slice::from_ref(&whole),
            &[],
            &KnownIds::default(),
        );
        let read: Vec<(&str, &str)> = rows
            .iter()
            .map(|i| (i.key.as_str(), i.title.as_str()))
            .collect();
        assert_eq!(
            read,
            [("ab-t2", "From a table"), ("ab-t3", ""), ("ab-t4", "")]
        );
        assert_eq!(consumed.len(), 1);
    }

    #[test]
    fn an_item_reads_its_labels_steps_checklist_and_keeps_the_rest() {
        let text = "### 1. ab-b51s: Spike\n**Type:** Spike (Time-box: 15 min)  \n**Priority:** P0  \n**Output:** `.spikes/x/`\n\n**Task:**\n- Test checkout\n- Run install\n\n**Success Criteria:**\n- [ ] Strategy validated\n- [x] Install succeeds\n\n**Commands:**\n```bash\nbd close ab-b51s\n```\n";
        let outline = read_outline(text, 0);
        let index = LineIndex::new(text);
        let src = LaneSource::new(text, &outline, &index);
        let seeds = find_item_seeds(
            &src,
            std::slice::from_ref(&(0..text.len())),
            &KnownIds::default(),
        );
        let read = read_item(&src, &seeds, 0, "ab-b51s".into());
        let item = read.item;
        assert_eq!(item.priority, Some(Priority(0)));
        assert_eq!(
            item.estimate.as_ref().map(|e| e.raw.as_str()),
            Some("15 min")
        );
        assert_eq!(
            item.item_type.as_ref().unwrap().text,
            "Spike (Time-box: 15 min)"
        );
        assert_eq!(item.fields[0].name, "Output");
        let steps: Vec<&str> = item.steps.iter().map(|s| s.text.text.as_str()).collect();
        assert_eq!(steps, ["Test checkout", "Run install"]);
        assert_eq!(
            (item.checklists[0].ticked(), item.checklists[0].box_count()),
            (1, 2)
        );
        assert_eq!(item.details.len(), 1);
        assert!(
            item.details[0].text.starts_with("**Commands:**\n```bash"),
            "{}",
            item.details[0].text
        );
    }
}
