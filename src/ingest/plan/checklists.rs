//! Plan reader, checklists: the list items of a part of the plan in, its checklists out.
//! A checklist is a list whose items are all task boxes (`- [ ]`, `- [x]`) or `✅`
//! targets, or any list right under a bold label that names criteria, metrics or
//! follow-up work (`**Acceptance:**`). Its title is that label or the nearest heading;
//! its role comes from the title, else from the headings around it (`### Immediate`
//! under `## Post-deployment tasks` is follow-up work).

use std::ops::Range;

use crate::ingest::outline::{read_bold_labels, LineKind, ListItem};
use crate::model::plan::{Checklist, ChecklistRole, Criterion, CriterionMarker};

use super::criteria::parse_criterion;
use super::lane_source::LaneSource;

/// A checklist and the lines it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FoundChecklist {
    pub checklist: Checklist,
    /// The label line (when there is one) and the items' lines.
    pub consumed: Vec<Range<usize>>,
}

/// The checklists whose items start in `scope` and outside `exclude`.
pub(super) fn find_checklists(
    src: &LaneSource<'_, '_>,
    scope: &[Range<usize>],
    exclude: &[Range<usize>],
) -> Vec<FoundChecklist> {
    list_groups(src, scope, exclude)
        .into_iter()
        .filter_map(|group| read_group(src, &group))
        .collect()
}

/// Runs of sibling list items (same depth, nothing but blank lines between them); items
/// nested in an item of a run belong to that item and start no run of their own.
pub(super) fn list_groups<'o, 'a>(
    src: &LaneSource<'o, 'a>,
    scope: &[Range<usize>],
    exclude: &[Range<usize>],
) -> Vec<Vec<&'o ListItem<'a>>> {
    let mut groups: Vec<Vec<&ListItem>> = Vec::new();
    for item in &src.outline.list_items {
        let start = item.line.start;
        let in_scope = scope.iter().any(|r| r.contains(&start));
        if !in_scope || item.quoted || exclude.iter().any(|r| r.contains(&start)) {
            continue;
        }
        if let Some(group) = groups.last_mut() {
            let last = group.last().expect("groups are never empty");
            if last.range.contains(&start) {
                continue; // nested in the run's last item
            }
            if item.depth == group[0].depth && only_blank_between(src, last.range.end, start) {
                group.push(item);
                continue;
            }
        }
        groups.push(vec![item]);
    }
    groups
}

fn only_blank_between(src: &LaneSource<'_, '_>, from: usize, to: usize) -> bool {
    src.outline
        .lines
        .iter()
        .filter(|line| (from..to).contains(&line.source.start))
        .all(|line| line.kind == LineKind::Blank)
}

/// The bold label that introduces the list starting at `first` (only blank lines
/// between): its text and its line.
pub(super) fn introducing_label<'a>(
    src: &LaneSource<'_, 'a>,
    first: usize,
) -> Option<(&'a str, Range<usize>)> {
    let before = src
        .outline
        .lines
        .iter()
        .take_while(|line| line.source.start < first)
        .filter(|line| line.kind != LineKind::Blank)
        .last()?;
    if before.kind != LineKind::Text {
        return None;
    }
    let labels = read_bold_labels(before.source.text, before.source.start);
    match labels.as_slice() {
        [only] if only.value.is_empty() => {
            Some((only.label, before.source.start..before.source.next))
        }
        _ => None,
    }
}

fn read_group(src: &LaneSource<'_, '_>, group: &[&ListItem<'_>]) -> Option<FoundChecklist> {
    let first = group.first()?;
    let label = introducing_label(src, first.line.start);
    let ancestors: Vec<String> = src
        .enclosing_headings(first.line.start)
        .into_iter()
        .map(|h| src.outline.headings[h].plain.clone())
        .collect();
    let title = label
        .as_ref()
        .map(|(label, _)| label.trim_end_matches(':').to_string())
        .or_else(|| ancestors.first().cloned())
        .unwrap_or_default();
    let title = title
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim()
        .trim_end_matches(':')
        .trim_end()
        .to_string();
    let role = role_of(std::iter::once(title.as_str()).chain(ancestors.iter().map(String::as_str)));
    let items: Vec<Criterion> = group.iter().map(|item| criterion(src, item)).collect();
    let all_marked = items.iter().all(|c| c.marker != CriterionMarker::Bullet);
    let labelled_role = label.is_some()
        && matches!(
            role,
            ChecklistRole::Criteria | ChecklistRole::Metrics | ChecklistRole::FollowUp
        );
    if !all_marked && !labelled_role {
        return None;
    }
    let span_start = label
        .as_ref()
        .map_or(first.line.start, |(_, line)| line.start);
    let mut consumed: Vec<Range<usize>> = group.iter().map(|item| item.range.clone()).collect();
    consumed.extend(label.as_ref().map(|(_, line)| line.clone()));
    Some(FoundChecklist {
        checklist: Checklist {
            title,
            role,
            items,
            span: src.span(span_start..first.line.end()),
        },
        consumed,
    })
}

fn criterion(src: &LaneSource<'_, '_>, item: &ListItem<'_>) -> Criterion {
    let read = parse_criterion(item.text);
    let start = item.text_start + read.skipped;
    Criterion {
        text: read.text.to_string(),
        checked: read.checked,
        marker: read.marker,
        span: src.span(start..start + read.text.len()),
    }
}

/// The role the first of `titles` that says one gives (a title, then its headings).
pub(super) fn role_of<'t>(titles: impl Iterator<Item = &'t str>) -> ChecklistRole {
    titles
        .filter_map(role_word)
        .next()
        .unwrap_or(ChecklistRole::Other)
}

/// The role a title's words give, if any. Metrics before criteria (`Success Metrics`),
/// follow-up before criteria (`Post-deployment tasks`).
fn role_word(title: &str) -> Option<ChecklistRole> {
    let lower = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["metric", "target", "kpi", "chỉ số"]) {
        Some(ChecklistRole::Metrics)
    } else if has(&[
        "post-",
        "post ",
        "follow",
        "next step",
        "todo",
        "to do",
        "to-do",
        "action item",
        "remaining",
        "immediate",
        "short-term",
        "long-term",
        "tiếp theo",
    ]) {
        Some(ChecklistRole::FollowUp)
    } else if has(&[
        "criteria",
        "acceptance",
        "quality gate",
        "validation",
        "verification",
        "definition of done",
        "done when",
        "tiêu chí",
        "hoàn thành",
    ]) || (lower.contains("complete") && !lower.starts_with("on "))
    {
        // `Track 1 Complete`, `Epic complete when`; `On Complete` says what to do then.
        Some(ChecklistRole::Criteria)
    } else if has(&["status", "progress", "trạng thái", "tiến độ"]) {
        Some(ChecklistRole::Status)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::outline::read_outline;
    use crate::model::span::LineIndex;

    fn checklists(text: &str) -> Vec<(String, ChecklistRole, usize, usize, usize)> {
        let outline = read_outline(text, 0);
        let index = LineIndex::new(text);
        let src = LaneSource::new(text, &outline, &index);
        find_checklists(&src, std::slice::from_ref(&(0..text.len())), &[])
            .into_iter()
            .map(|found| {
                let c = found.checklist;
                (
                    c.title.clone(),
                    c.role,
                    c.ticked(),
                    c.box_count(),
                    c.targets(),
                )
            })
            .collect()
    }

    #[test]
    fn task_boxes_and_targets_are_checklists_with_roles_from_their_headings() {
        let text = "## Post-deployment tasks\n\n### Immediate:\n- [ ] Close all beads\n- [x] Sync\n\n## Success Metrics\n\n- ✅ 0 errors\n- ✅ tests pass\n\n## Status\n- [x] Discovery complete\n";
        assert_eq!(
            checklists(text),
            [
                ("Immediate".to_string(), ChecklistRole::FollowUp, 1, 2, 0),
                (
                    "Success Metrics".to_string(),
                    ChecklistRole::Metrics,
                    0,
                    0,
                    2
                ),
                ("Status".to_string(), ChecklistRole::Status, 1, 1, 0),
            ]
        );
    }

    #[test]
    fn plain_bullets_count_only_under_a_criteria_label() {
        let text = "**Acceptance:**\n- build succeeds\n- docs exist\n\n**Tools:** 3\n- ✅ one\n- 🔴 two\n\n**Notes:**\n- just a note\n\n**On Complete:**\n- Close the bead\n";
        assert_eq!(
            checklists(text),
            [("Acceptance".to_string(), ChecklistRole::Criteria, 0, 0, 2)]
        );
    }

    #[test]
    fn nested_items_belong_to_their_parent_item() {
        let text = "## Success Criteria\n- ✅ All 5 commands working:\n  - `relay start`\n  - `relay stop`\n- ✅ Docs\n";
        assert_eq!(
            checklists(text),
            [(
                "Success Criteria".to_string(),
                ChecklistRole::Criteria,
                0,
                0,
                2
            )]
        );
    }
}
