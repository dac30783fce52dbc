//! Runbook structure (ingest stage): the body's outline in, sections with their steps and
//! the markdown between them out; ranges are positions in the whole file. Sections are the headings of the shallowest
//! level below the title; inside a section, `Step N` / `Scenario X` headings and the items
//! of top-level ordered lists are steps. Branch lines become links once every step and
//! section is known.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use super::prose_steps::{self, ProseStep};
use super::words::BranchTarget;
use super::words::{branch_line, branch_target, classify_section, heading_words, step_heading};
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::ingest::outline::{Heading, ListItem, Outline};
use crate::model::anchor::{slugify, IdAllocator};
use crate::model::plan::Text;
use crate::model::runbook::{Branch, CommandBlock, Part, Section, SectionKind, Step, StepKind};
use crate::model::span::LineIndex;
use crate::model::Runbook;

/// The body of one runbook and what is known about it.
pub struct BodyReader<'a> {
    source: &'a Path,
    /// The whole file.
    text: &'a str,
    index: LineIndex<'a>,
    outline: Outline<'a>,
}

/// The heading a section starts with: its level, words and lines.
struct SectionHead<'h> {
    level: u8,
    words: &'h str,
    range: Range<usize>,
}

impl<'h> SectionHead<'h> {
    fn of(heading: &'h Heading<'_>) -> Self {
        SectionHead {
            level: heading.level,
            words: &heading.plain,
            range: heading.range.clone(),
        }
    }
}

/// A step before its branches are resolved: the branch texts wait for every label.
struct StepDraft {
    step: Step,
    branches: Vec<(Branch, Option<BranchTarget>)>,
}

impl<'a> BodyReader<'a> {
    pub fn new(source: &'a Path, text: &'a str, outline: Outline<'a>) -> Self {
        BodyReader {
            source,
            text,
            index: LineIndex::new(text),
            outline,
        }
    }

    pub fn outline(&self) -> &Outline<'a> {
        &self.outline
    }

    /// Fills `intro` and `sections`. `removed` are ranges (metadata lines) left out of
    /// the content.
    pub fn read_structure(
        &self,
        runbook: &mut Runbook,
        removed: &[Range<usize>],
        diagnostics: &mut Diagnostics,
    ) {
        let mut removed = removed.to_vec();
        let headings = &self.outline.headings;
        let title = headings.first().filter(|h| h.level == 1);
        removed.extend(title.map(|h| h.range.clone()));
        let section_level = headings
            .iter()
            .filter(|h| !title.is_some_and(|t| t.range == h.range))
            .map(|h| h.level)
            .min();
        let section_heads: Vec<SectionHead> = headings
            .iter()
            .filter(|h| Some(h.level) == section_level)
            .map(SectionHead::of)
            .collect();
        let (body_start, body_end) = (self.outline.body_start, self.outline.body_end);
        let first_section = section_heads.first().map_or(body_end, |h| h.range.start);
        let intro = self.text_of(body_start..first_section, &removed);
        runbook.intro = (!is_only_rules(&intro.text)).then_some(intro);
        let mut ids = IdAllocator::default();
        let mut drafts: Vec<(Section, Vec<StepDraft>)> = Vec::new();
        let kinds: Vec<SectionKind> = section_heads
            .iter()
            .map(|h| classify_section(h.words))
            .collect();
        let prose = prose_steps::follows_alert_convention(&kinds);
        for (i, head) in section_heads.iter().enumerate() {
            let end = section_heads.get(i + 1).map_or(body_end, |h| h.range.start);
            drafts.push(self.read_section(head, end, &removed, &mut ids, prose));
        }
        if section_heads.is_empty() && runbook.intro.is_some() {
            // No sections: the body is one untitled section, so its lists still give steps.
            runbook.intro = None;
            let whole = SectionHead {
                level: 1,
                words: "",
                range: body_start..body_start,
            };
            drafts.push(self.read_section(&whole, body_end, &removed, &mut ids, false));
        }
        runbook.sections = self.resolve_branches(drafts, diagnostics);
    }

    /// Reads one section; `prose` when the runbook follows the alert convention, whose
    /// Diagnosis and Mitigation instructions are steps (`prose_steps`).
    fn read_section(
        &self,
        head: &SectionHead,
        end: usize,
        removed: &[Range<usize>],
        ids: &mut IdAllocator,
        prose: bool,
    ) -> (Section, Vec<StepDraft>) {
        let title = heading_words(head.words).to_string();
        let section_id = ids.allocate(&slugify(&title));
        let start = head.range.end;
        let kind = classify_section(head.words);
        let mut units = self.step_units(head.level, start..end);
        if units.is_empty() && prose && prose_steps::has_prose_steps(kind) {
            units = prose_steps::prose_steps(&self.outline, self.text, start..end)
                .into_iter()
                .zip(1u64..)
                .map(|(step, number)| Unit::Prose(step, number))
                .collect();
        }
        let mut parts = Vec::new();
        let mut drafts = Vec::new();
        let mut cursor = start;
        for unit in units {
            self.push_markdown(&mut parts, cursor..unit.range().start, removed);
            let draft = match &unit {
                Unit::Heading(h, range, kind, label, title) => {
                    let id = ids.allocate(&slugify(label));
                    self.step_from_heading(h, range.clone(), (*kind, label, title), id, removed)
                }
                Unit::Item(item, number) => {
                    let id = ids.allocate(&format!("{section_id}-{number}"));
                    self.step_from_item(item, *number, id, removed)
                }
                Unit::Prose(step, number) => {
                    let id = ids.allocate(&format!("{section_id}-{number}"));
                    self.step_from_prose(step, *number, id, removed)
                }
            };
            parts.push(Part::Step(draft.step.clone()));
            drafts.push(draft);
            cursor = unit.range().end;
        }
        self.push_markdown(&mut parts, cursor..end, removed);
        let heading = Text {
            text: head.words.to_string(),
            span: self.span(head.range.clone()),
        };
        let section = Section {
            kind,
            heading,
            title,
            id: section_id,
            parts,
        };
        (section, drafts)
    }

    /// The step headings and the items of top-level ordered lists of a section, in order.
    /// A step heading runs to the next heading of its level or higher, within the section.
    fn step_units(&self, level: u8, range: Range<usize>) -> Vec<Unit<'_>> {
        let mut units = Vec::new();
        for (index, h) in self.outline.headings.iter().enumerate() {
            if h.level <= level || !range.contains(&h.range.start) {
                continue;
            }
            let Some((kind, label, title)) = step_heading(&h.plain) else {
                continue;
            };
            let end = self.outline.section(index).end.min(range.end);
            units.push(Unit::Heading(h, h.range.start..end, kind, label, title));
        }
        let in_step = |offset: usize| units.iter().any(|u| u.range().contains(&offset));
        let items: Vec<Unit> = self
            .outline
            .list_items
            .iter()
            .filter(|item| item.depth == 0 && !item.quoted)
            .filter(|item| range.contains(&item.range.start) && !in_step(item.range.start))
            .filter_map(|item| Some(Unit::Item(item, item.number?)))
            .collect();
        units.extend(items);
        units.sort_by_key(|u| u.range().start);
        units
    }

    fn step_from_heading(
        &self,
        heading: &Heading<'_>,
        range: Range<usize>,
        (kind, label, title): (StepKind, &str, &str),
        id: String,
        removed: &[Range<usize>],
    ) -> StepDraft {
        let body_range = heading.range.end..range.end;
        let title = if title.is_empty() { label } else { title };
        self.draft_step(
            kind,
            label.to_string(),
            title.to_string(),
            id,
            body_range,
            range,
            removed,
        )
    }

    fn step_from_item(
        &self,
        item: &ListItem<'_>,
        number: u64,
        id: String,
        removed: &[Range<usize>],
    ) -> StepDraft {
        let text = &self.text[item.range.clone()];
        let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
        let first = text[..first_line_end].trim();
        let marker_len = first
            .find(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1)
            .min(first.len());
        let title = plain_inline(first[marker_len..].trim());
        let body_range = item.range.start + first_line_end..item.range.end;
        let label = number.to_string();
        let mut draft = self.draft_step(
            StepKind::ListItem,
            label,
            title,
            id,
            body_range,
            item.range.clone(),
            removed,
        );
        draft.step.body.text = dedent(&draft.step.body.text);
        draft
    }

    /// A step of the alert convention: numbered like a list item, its commands the code
    /// blocks of its body.
    fn step_from_prose(
        &self,
        step: &ProseStep,
        number: u64,
        id: String,
        removed: &[Range<usize>],
    ) -> StepDraft {
        let mut draft = self.draft_step(
            StepKind::ListItem,
            number.to_string(),
            step.title.clone(),
            id,
            step.body.clone(),
            step.range.clone(),
            removed,
        );
        draft.step.body.text = dedent(&draft.step.body.text);
        draft
    }

    #[allow(clippy::too_many_arguments)]
    fn draft_step(
        &self,
        kind: StepKind,
        label: String,
        title: String,
        id: String,
        body_range: Range<usize>,
        range: Range<usize>,
        removed: &[Range<usize>],
    ) -> StepDraft {
        let mut removed = removed.to_vec();
        let mut branches = Vec::new();
        let mut offset = body_range.start;
        for line in self.text[body_range.clone()].split_inclusive('\n') {
            if !self.outline.in_code(offset) {
                if let Some((outcome, text)) = branch_line(line) {
                    let target = branch_target(&text);
                    let span = self.span(offset..offset + line.trim_end().len());
                    let branch = Branch {
                        outcome,
                        text,
                        target: None,
                        span,
                    };
                    branches.push((branch, target));
                    removed.push(offset..offset + line.len());
                }
            }
            offset += line.len();
        }
        let commands = self
            .outline
            .code_blocks
            .iter()
            .filter(|c| body_range.contains(&c.range.start))
            .map(|c| CommandBlock {
                language: c.language.clone(),
                text: c.text.clone(),
                span: self.span(c.range.clone()),
            })
            .collect();
        let step = Step {
            kind,
            label,
            title,
            id,
            body: without_trailing_rules(self.text_of(body_range, &removed)),
            commands,
            branches: Vec::new(),
            span: self.span(range),
        };
        StepDraft { step, branches }
    }

    /// Links each branch to the step or section it names, now that all are known.
    fn resolve_branches(
        &self,
        drafts: Vec<(Section, Vec<StepDraft>)>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<Section> {
        let step_ids: BTreeMap<String, String> = drafts
            .iter()
            .flat_map(|(_, steps)| steps.iter())
            .filter(|d| d.step.kind != StepKind::ListItem)
            .map(|d| (d.step.label.to_uppercase(), d.step.id.clone()))
            .collect();
        let section_ids: Vec<(SectionKind, String)> =
            drafts.iter().map(|(s, _)| (s.kind, s.id.clone())).collect();
        let mut sections = Vec::new();
        for (mut section, steps) in drafts {
            let mut resolved = steps.into_iter().map(|draft| {
                let mut step = draft.step;
                for (mut branch, target) in draft.branches {
                    branch.target = match target {
                        Some(BranchTarget::Step(label)) => {
                            let id = step_ids.get(&label.to_uppercase()).cloned();
                            if id.is_none() {
                                diagnostics.push(missing_step(self.source, &branch, &label));
                            }
                            id
                        }
                        Some(BranchTarget::Section(kind)) => section_ids
                            .iter()
                            .find(|(k, _)| *k == kind)
                            .map(|(_, id)| id.clone()),
                        None => None,
                    };
                    step.branches.push(branch);
                }
                step
            });
            for part in &mut section.parts {
                if let Part::Step(step) = part {
                    *step = resolved.next().expect("one draft per step part");
                }
            }
            sections.push(section);
        }
        sections
    }

    fn push_markdown(&self, parts: &mut Vec<Part>, range: Range<usize>, removed: &[Range<usize>]) {
        if range.start >= range.end {
            return;
        }
        let text = self.text_of(range, removed);
        if !text.text.trim().is_empty() && !is_only_rules(&text.text) {
            parts.push(Part::Markdown(text));
        }
    }

    /// The body text of `range` without the `removed` lines, spanned at its start.
    fn text_of(&self, range: Range<usize>, removed: &[Range<usize>]) -> Text {
        let mut text = String::new();
        let mut offset = range.start;
        for line in self.text[range.clone()].split_inclusive('\n') {
            if !removed.iter().any(|r| r.contains(&offset)) {
                text.push_str(line);
            }
            offset += line.len();
        }
        Text {
            text,
            span: self.span(range),
        }
    }

    fn span(&self, range: Range<usize>) -> crate::model::Span {
        self.index.span(range.start, range.end)
    }
}

/// A step-giving piece of a section.
enum Unit<'o> {
    Heading(&'o Heading<'o>, Range<usize>, StepKind, String, String),
    /// An item of a top-level ordered list, with its number.
    Item(&'o ListItem<'o>, u64),
    /// An instruction of the alert convention, with its number in the section.
    Prose(ProseStep, u64),
}

impl Unit<'_> {
    fn range(&self) -> Range<usize> {
        match self {
            Unit::Heading(_, range, ..) => range.clone(),
            Unit::Item(item, _) => item.range.clone(),
            Unit::Prose(step, _) => step.range.clone(),
        }
    }
}

fn missing_step(source: &Path, branch: &Branch, label: &str) -> Diagnostic {
    Diagnostic::warning(
        codes::RUNBOOK_BRANCH_TARGET,
        format!("this branch leads to `{label}`, which the runbook does not have"),
    )
    .at(source, Some(branch.span))
    .with_help("name an existing `### Step N:` or `### Scenario X:` heading")
}

/// Markdown that is only thematic breaks (`---`) says nothing on its own.
fn is_only_rules(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.chars().all(|c| c == '-' || c == '*' || c == '_'))
}

/// A step ends where the next heading starts, often after a `---` that separates
/// sections; that rule belongs to the layout between sections, not to the step.
fn without_trailing_rules(mut text: Text) -> Text {
    let mut keep = text.text.len();
    for line in text
        .text
        .split_inclusive('\n')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        if is_only_rules(line) {
            keep -= line.len();
        } else {
            break;
        }
    }
    text.text.truncate(keep);
    text.text.push('\n');
    text
}

/// The words of a one-line markdown title without emphasis and code marks.
fn plain_inline(text: &str) -> String {
    text.replace("**", "")
        .replace("__", "")
        .replace('`', "")
        .trim()
        .trim_end_matches(':')
        .trim_end()
        .to_string()
}

/// Removes the indentation all non-blank lines share (a list item's continuation).
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    text.split_inclusive('\n')
        .map(|l| {
            if l.trim().is_empty() {
                l.trim_start_matches([' ', '\t'])
            } else {
                &l[indent.min(l.len())..]
            }
        })
        .collect()
}
