//! Plan reader, bold labels: `**Label:** value` lines and `**Label:**` lines followed by a
//! list in, the plan facts they carry out. What a label means depends on where it is:
//! in the header (`Created`, `Total Tasks`), in an epic (`Priority`, `Duration`,
//! `Impact`, `Success Criteria`), or after the epics (`Critical Path`, `Week N Targets`,
//! `Final Grade Target`, closing notes).

use crate::diagnostics::{codes, Diagnostic};
use crate::ingest::duration::parse_duration;
use crate::ingest::outline::{read_bold_labels, Block, BoldLabel, ListItem, SourceLine};
use crate::model::plan::{
    Claim, Criterion, CriticalPath, DurationField, LabelledText, MetricGroup, Priority,
    PriorityField, Text,
};
use crate::model::span::Span;

use super::claims::first_number;
use super::criteria::parse_criterion;
use super::critical_path::chain_epics;
use super::epic::{leading_number, parse_priority_level};
use super::reader::{PlanReader, SectionKind};
use super::timeline::parse_slot_name;

/// A `**Label:**` line and the list items under it.
struct LabelledList<'o, 'a> {
    label: &'a str,
    items: Vec<&'o ListItem<'a>>,
    span: Span,
}

impl PlanReader<'_> {
    /// Reads a text line; a `**Label:**` line also takes the list items that follow it.
    /// Returns the position of the next unread block.
    pub(super) fn read_text_line(
        &mut self,
        blocks: &[Block<'_, '_>],
        position: usize,
        line: SourceLine<'_>,
    ) -> usize {
        let fields = read_bold_labels(line.text, line.start);
        match fields.as_slice() {
            [] => {
                if is_thematic_break(line.text) {
                    // `---` closes whatever the last day was collecting.
                    self.current_day = None;
                } else if self.current_day.is_some() {
                    self.read_day_line(line);
                }
                position + 1
            }
            [only] if only.value.is_empty() => {
                let (items, next) = collect_items(blocks, position + 1);
                let span = self.span(only.start, line.end());
                self.read_labelled_list(LabelledList {
                    label: only.label,
                    items,
                    span,
                });
                next
            }
            _ => {
                for field in &fields {
                    self.read_field(field);
                }
                position + 1
            }
        }
    }

    fn read_field(&mut self, field: &BoldLabel<'_>) {
        if let SectionKind::Epic(epic_index) = self.section.kind {
            self.read_epic_field(epic_index, field);
            return;
        }
        let value = self.text_at(field.value, field.value_start);
        let label = field.label.to_lowercase();
        match label.as_str() {
            "created" if self.plan.created.is_none() => self.plan.created = Some(value),
            "based on" if self.plan.based_on.is_none() => self.plan.based_on = Some(value),
            "total epics" if self.plan.claimed.epics.is_none() => {
                self.plan.claimed.epics = self.read_claim(field, value);
            }
            "total tasks" if self.plan.claimed.tasks.is_none() => {
                self.plan.claimed.tasks = self.read_claim(field, value);
            }
            _ => {
                let labelled = LabelledText {
                    label: field.label.to_string(),
                    text: value.text,
                    span: self.span(field.start, field.end),
                };
                let is_final_target = label.contains("final") && label.contains("target");
                if is_final_target && self.plan.final_target.is_none() {
                    self.plan.final_target = Some(labelled);
                } else {
                    self.plan.notes.push(labelled);
                }
            }
        }
    }

    fn read_claim(&mut self, field: &BoldLabel<'_>, value: Text) -> Option<Claim> {
        let claim = first_number(&value.text).map(|number| Claim {
            value: number,
            span: value.span,
        });
        if claim.is_none() {
            let warning = Diagnostic::warning(
                codes::PLAN_MALFORMED,
                format!("`{}` value `{}` has no number", field.label, value.text),
            )
            .with_help("write the total as a number, e.g. `**Total Tasks:** 12`");
            self.report(warning, value.span);
        }
        claim
    }

    /// `**Priority:**`, `**Duration:**` and `**Impact:**` of an epic; the first of each
    /// counts. Values that cannot be read are reported and left out.
    fn read_epic_field(&mut self, epic_index: usize, field: &BoldLabel<'_>) {
        let value = self.text_at(field.value, field.value_start);
        let label = field.label.to_lowercase();
        let Some(epic) = self.plan.epics.get_mut(epic_index) else {
            return;
        };
        let expected = match label.as_str() {
            "priority" if epic.priority.is_none() => {
                epic.priority = parse_priority_level(&value.text).map(|level| PriorityField {
                    level: Priority(level),
                    raw: value.text.clone(),
                    span: value.span,
                });
                epic.priority
                    .is_none()
                    .then_some("a priority such as `P1 HIGH` or `High`")
            }
            "duration" if epic.duration.is_none() => {
                epic.duration = parse_duration(&value.text).map(|duration| DurationField {
                    raw: value.text.clone(),
                    duration,
                    span: value.span,
                });
                epic.duration
                    .is_none()
                    .then_some("a duration such as `2 days` or `3 hours`")
            }
            "impact" if epic.impact.is_none() => {
                epic.impact = Some(value.clone());
                None
            }
            _ => None,
        };
        if let Some(expected) = expected {
            let message = format!(
                "epic {} `{}` value `{}` cannot be read",
                epic.number, field.label, value.text
            );
            let warning = Diagnostic::warning(codes::PLAN_MALFORMED, message)
                .with_help(format!("write {expected}"));
            self.report(warning, value.span);
        }
    }

    fn read_labelled_list(&mut self, list: LabelledList<'_, '_>) {
        let label = list.label.to_lowercase();
        if let SectionKind::Epic(epic_index) = self.section.kind {
            if label.contains("criteria") {
                let criteria = self.criteria_of(&list.items);
                if let Some(epic) = self.plan.epics.get_mut(epic_index) {
                    epic.success_criteria.extend(criteria);
                }
            }
            return;
        }
        if self.current_day.is_some() && parse_slot_name(&format!("{}:", list.label)).is_some() {
            self.push_slot(list.label, list.span);
            for item in &list.items {
                self.read_stray_item(item);
            }
        } else if label == "critical path" && self.plan.critical_path.is_none() {
            self.read_critical_path(&list);
        } else if label.contains("target")
            || week_number(list.label).is_some()
            || self.section.kind == SectionKind::Metrics
        {
            let items = self.criteria_of(&list.items);
            self.plan.metrics.push(MetricGroup {
                title: list.label.to_string(),
                week: week_number(list.label),
                items,
                span: list.span,
            });
        }
    }

    fn read_critical_path(&mut self, list: &LabelledList<'_, '_>) {
        let items: Vec<Text> = list
            .items
            .iter()
            .map(|item| self.text_at(item.text, item.text_start))
            .collect();
        let epics = chain_epics(items.iter().map(|item| item.text.as_str()));
        self.plan.critical_path = Some(CriticalPath {
            items,
            epics,
            span: list.span,
        });
    }

    fn criteria_of(&self, items: &[&ListItem<'_>]) -> Vec<Criterion> {
        items
            .iter()
            .map(|item| {
                let raw = parse_criterion(item.text);
                let start = item.text_start + raw.skipped;
                Criterion {
                    text: raw.text.to_string(),
                    checked: raw.checked,
                    marker: raw.marker,
                    span: self.span(start, start + raw.text.len()),
                }
            })
            .collect()
    }
}

/// The list items after `position`, blank lines allowed between them; returns them and
/// the position of the first block that is neither.
fn collect_items<'o, 'a>(
    blocks: &[Block<'o, 'a>],
    position: usize,
) -> (Vec<&'o ListItem<'a>>, usize) {
    let mut items = Vec::new();
    let mut next = position;
    let mut consumed = position;
    while let Some(block) = blocks.get(next) {
        match block {
            Block::Item(item) => {
                items.push(*item);
                consumed = next + 1;
            }
            Block::Blank(_) => {}
            _ => break,
        }
        next += 1;
    }
    (items, consumed)
}

/// `---`, `***` or `___` (spaces allowed between the marks).
pub(super) fn is_thematic_break(line: &str) -> bool {
    let marks: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && matches!(marks[0], '-' | '*' | '_') && marks.iter().all(|c| *c == marks[0])
}

/// `Week 2 Targets` gives 2.
fn week_number(label: &str) -> Option<u32> {
    let lower = label.to_ascii_lowercase();
    let at = lower.find("week")?;
    let (number, _) = leading_number(lower[at + 4..].trim_start())?;
    Some(number)
}
