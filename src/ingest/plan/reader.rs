//! Plan reader, the walk: the body's blocks in, the plan model and diagnostics out. This
//! module owns the reader state (which section the walk is in) and sends each block of
//! the outline to the module that knows its convention: headings to sections, fences to
//! `code_block`, bold fields and labelled lists to `labelled`, timeline lines to
//! `timeline`.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ingest::outline::{Block, CodeBlock, Heading, SourceLine};
use crate::model::plan::{BdCreate, Plan, PlanFamily, PlanSection, Text};
use crate::model::span::{LineIndex, Span};

use super::epic::parse_epic_heading;
use super::epic_lanes::lanes_from_epics;
use super::labelled::is_thematic_break;
use super::timeline::parse_day_heading;

/// The part of the plan the walk is in, from the last heading that changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SectionKind {
    /// Before the first section heading: title and header fields.
    Preamble,
    /// Inside `## Epic N`, holding the epic's index in `plan.epics`.
    Epic(usize),
    Overview,
    Timeline,
    DependencyMap,
    Metrics,
    Other,
}

/// The current section, its heading level and heading text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Section {
    pub kind: SectionKind,
    pub level: u8,
    pub heading: Option<Text>,
}

/// The reader's state while it walks one plan.
pub(super) struct PlanReader<'a> {
    pub source: &'a Path,
    pub index: LineIndex<'a>,
    pub plan: Plan,
    /// Where the problems found go (the caller's collector).
    pub diagnostics: &'a mut Diagnostics,
    pub section: Section,
    /// Index of the timeline day whose content is being read.
    pub current_day: Option<usize>,
    /// `bd create` lines outside epics; matched with epics and tasks once all are known.
    pub loose_creates: Vec<BdCreate>,
    /// The section kept as written that the walk is in: its heading and the file offset
    /// where its body starts (see `Plan::sections`).
    open_section: Option<(Text, usize)>,
    /// The whole file.
    text: &'a str,
}

impl<'a> PlanReader<'a> {
    pub fn new(source: &'a Path, text: &'a str, diagnostics: &'a mut Diagnostics) -> Self {
        PlanReader {
            source,
            index: LineIndex::new(text),
            plan: Plan::default(),
            diagnostics,
            section: Section {
                kind: SectionKind::Preamble,
                level: 0,
                heading: None,
            },
            current_day: None,
            loose_creates: Vec::new(),
            open_section: None,
            text,
        }
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        self.index.span(start, end)
    }

    /// A `Text` for `text`, which starts at file offset `start`.
    pub fn text_at(&self, text: &str, start: usize) -> Text {
        Text {
            text: text.to_string(),
            span: self.span(start, start + text.len()),
        }
    }

    /// The span of a line without its indentation.
    pub fn line_span(&self, line: SourceLine<'_>) -> Span {
        let (_, start) = line.trimmed_start();
        self.span(start, line.end().max(start))
    }

    pub fn report(&mut self, diagnostic: Diagnostic, span: Span) {
        let located = diagnostic.at(self.source, Some(span));
        self.diagnostics.push(located);
    }

    /// Reads every block, in order.
    pub fn read_blocks(&mut self, blocks: &[Block<'_, '_>]) {
        let mut position = 0;
        while position < blocks.len() {
            position = self.read_block(blocks, position);
        }
    }

    /// Reads the block at `position`; returns the position of the next unread block.
    fn read_block(&mut self, blocks: &[Block<'_, '_>], position: usize) -> usize {
        match blocks[position] {
            Block::Heading(heading) => self.enter_heading(heading),
            // The conventions live in fenced blocks; an indented block is only shown.
            Block::Code(fence) if fence.fenced => self.read_fence(fence),
            Block::Text(line) => return self.read_text_line(blocks, position, line),
            Block::Item(item) => self.read_stray_item(item),
            Block::Code(_) | Block::Blank(_) => {}
        }
        position + 1
    }

    fn read_fence(&mut self, fence: &CodeBlock<'_>) {
        if let SectionKind::Epic(epic_index) = self.section.kind {
            if !fence.is_language("mermaid") {
                self.read_epic_block(epic_index, fence);
            }
            return;
        }
        if fence.is_language("mermaid") {
            if self.section.kind == SectionKind::DependencyMap {
                self.read_dependency_map(fence);
            }
            return;
        }
        if self.current_day.is_some() {
            self.read_day_lines(&fence.lines);
        } else if self.is_overview_candidate() {
            self.read_overview(fence);
        }
        self.read_loose_block(fence);
    }

    /// The overview is the first block under an overview heading, or else the first
    /// block before the first epic.
    fn is_overview_candidate(&self) -> bool {
        self.plan.overview.is_none()
            && (self.section.kind == SectionKind::Overview || self.plan.epics.is_empty())
    }

    /// Follows a heading, and keeps the body of each section no convention covers: it
    /// ends where the next section (or a timeline day) starts.
    fn enter_heading(&mut self, heading: &Heading<'_>) {
        let before = self.section.clone();
        let day_before = self.current_day;
        self.follow_heading(heading);
        let day_started = self.current_day.is_some() && self.current_day != day_before;
        if self.section == before && !day_started {
            return;
        }
        self.close_section(heading.line.start);
        if self.section != before && self.section.kind == SectionKind::Other {
            // The body starts on the line after the heading, whatever ends that line.
            let body_start = heading.range.end;
            self.open_section = self
                .section
                .heading
                .clone()
                .map(|title| (title, body_start));
        }
    }

    /// Ends the section kept as written, if the walk is in one, at file offset `end`.
    fn close_section(&mut self, end: usize) {
        let Some((title, start)) = self.open_section.take() else {
            return;
        };
        let body = trim_section_end(&self.text[start..end.max(start)]);
        if body.trim().is_empty() {
            return;
        }
        // Line endings as in the rest of the model; the span still covers the file text.
        let body = Text {
            text: body.replace("\r\n", "\n"),
            span: self.span(start, start + body.len()),
        };
        self.plan.sections.push(PlanSection { title, body });
    }

    fn follow_heading(&mut self, heading: &Heading<'_>) {
        let heading_text = self.text_at(heading.text, heading.text_start);
        if heading.level == 1 && self.plan.title.is_none() {
            self.plan.title = Some(heading_text);
            return;
        }
        self.current_day = None;
        if let Some(epic) = parse_epic_heading(heading.text) {
            self.start_epic(epic, heading);
            return;
        }
        let inside_current = heading.level > self.section.level && self.section.level > 0;
        if inside_current && matches!(self.section.kind, SectionKind::Epic(_)) {
            return;
        }
        if let Some(day) = parse_day_heading(heading.text) {
            self.start_day(day, heading);
            return;
        }
        let kind = classify_section(heading.text);
        if inside_current
            && kind == SectionKind::Other
            && self.section.kind != SectionKind::Preamble
        {
            return;
        }
        self.section = Section {
            kind,
            level: heading.level,
            heading: Some(heading_text),
        };
    }

    /// Resolves what could only be decided with the whole plan read.
    pub fn finish(mut self) -> Plan {
        self.close_section(self.text.len());
        self.resolve_loose_creates();
        self.plan.references.sort_by_key(|r| r.command.span.start);
        self.check_unique_task_ids();
        if self.plan.is_structured() {
            self.plan.family = PlanFamily::Epics;
            self.plan.lanes = lanes_from_epics(&self.plan);
        }
        self.plan
    }
}

/// `body` without the blank lines and thematic breaks (`---`) that end it: they
/// separate it from the next section, they are not part of it.
pub(super) fn trim_section_end(body: &str) -> &str {
    let mut body = body.trim_end();
    loop {
        let (rest, last) = match body.rfind('\n') {
            Some(at) => (&body[..at], &body[at + 1..]),
            None => ("", body),
        };
        if body.is_empty() || !is_thematic_break(last) {
            return body;
        }
        body = rest.trim_end();
    }
}

/// What a section heading that is neither an epic nor a day introduces.
fn classify_section(text: &str) -> SectionKind {
    let lower = text.to_lowercase();
    if lower.contains("dependenc") {
        SectionKind::DependencyMap
    } else if lower.contains("timeline") || lower.contains("schedule") {
        SectionKind::Timeline
    } else if lower.contains("overview") {
        SectionKind::Overview
    } else if lower.contains("metric") {
        SectionKind::Metrics
    } else {
        SectionKind::Other
    }
}
