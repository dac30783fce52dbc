//! Plan reader, code blocks: the fenced blocks of a plan in, tasks, epic creations,
//! references and commands out.
//!
//! Inside an epic, each `bd create` starts a task (or, with `--type epic`, is the epic's
//! creation) and the comment lines after it, up to the next `bd create` or `# Task`
//! comment, describe it. A `bd create` whose title repeats a known epic or task is a
//! reference, wherever it is (e.g. a cheat sheet). Other lines of shell blocks are kept
//! as commands.

use crate::diagnostics::{codes, Diagnostic};
use crate::ingest::outline::{CodeBlock, SourceLine};
use crate::model::plan::{BdCreate, BdReference, Priority, Text};
use crate::model::span::Span;

use super::bd_create::{is_bd_create, parse_bd_create, BdCreateError};
use super::reader::PlanReader;
use super::task_comments::{classify_comment, CommentLine, TaskDraft};

/// A `# Task 1.1: label` comment waiting for its `bd create` line.
struct PendingLabel {
    id: Option<String>,
    label: Option<String>,
    span: Span,
}

impl PlanReader<'_> {
    /// Reads an epic's block: tasks with their comments, the epic creation, commands.
    pub(super) fn read_epic_block(&mut self, epic_index: usize, fence: &CodeBlock<'_>) {
        let mut pending: Option<PendingLabel> = None;
        let mut draft: Option<TaskDraft> = None;
        for line in &fence.lines {
            let (trimmed, start) = line.trimmed_start();
            if let Some(body) = trimmed.strip_prefix('#') {
                match classify_comment(body, start + 1) {
                    CommentLine::TaskLabel { id, label } => {
                        self.finish_task(epic_index, draft.take());
                        pending = Some(PendingLabel {
                            id: id.map(str::to_string),
                            label: label.map(str::to_string),
                            span: self.line_span(*line),
                        });
                    }
                    // Comments before the first task (`# Epic creation`) are markers.
                    comment => {
                        if let Some(task) = draft.as_mut() {
                            task.add_comment(comment, *line, &self.index);
                        }
                    }
                }
            } else if is_bd_create(trimmed) {
                self.finish_task(epic_index, draft.take());
                let label = pending.take();
                if let Some(command) = self.read_bd_create(*line) {
                    draft = self.place_epic_command(epic_index, command, label);
                }
            } else if !trimmed.is_empty() && fence.is_shell() {
                self.push_command(*line);
            }
        }
        self.finish_task(epic_index, draft.take());
    }

    /// Reads a block outside epics: `bd create` lines are kept to be matched later, other
    /// shell lines are commands, comments are skipped.
    pub(super) fn read_loose_block(&mut self, fence: &CodeBlock<'_>) {
        for line in &fence.lines {
            let (trimmed, _) = line.trimmed_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if is_bd_create(trimmed) {
                if let Some(command) = self.read_bd_create(*line) {
                    self.loose_creates.push(command);
                }
            } else if fence.is_shell() {
                self.push_command(*line);
            }
        }
    }

    fn push_command(&mut self, line: SourceLine<'_>) {
        let (trimmed, start) = line.trimmed_start();
        let command = trimmed.strip_prefix("$ ").unwrap_or(trimmed).trim_end();
        let offset = start + (trimmed.len() - trimmed.strip_prefix("$ ").unwrap_or(trimmed).len());
        let text = self.text_at(command, offset);
        self.plan.commands.push(text);
    }

    /// Decides what a `bd create` inside an epic is; returns a new task draft for a task.
    fn place_epic_command(
        &mut self,
        epic_index: usize,
        command: BdCreate,
        label: Option<PendingLabel>,
    ) -> Option<TaskDraft> {
        let is_epic = command.issue_type == "epic";
        let epic = self.plan.epics.get_mut(epic_index)?;
        if is_epic && epic.creation.is_none() {
            epic.creation = Some(command);
            return None;
        }
        if let Some(refers_to) = self.find_repeat(&command) {
            self.plan
                .references
                .push(BdReference { command, refers_to });
            return None;
        }
        if is_epic {
            // Another epic's creation inside this epic: matched once all epics are known.
            self.loose_creates.push(command);
            return None;
        }
        let epic = self.plan.epics.get(epic_index)?;
        let position = epic.tasks.len() + 1;
        let (id, label, label_span) = match label {
            Some(PendingLabel { id, label, span }) => (id, label, Some(span)),
            None => (None, None, None),
        };
        let id = id.unwrap_or_else(|| format!("{}.{position}", epic.number));
        Some(TaskDraft::new(id, epic.number, label, command, label_span))
    }

    fn finish_task(&mut self, epic_index: usize, draft: Option<TaskDraft>) {
        let Some(draft) = draft else {
            return;
        };
        let task = draft.finish();
        if let Some(eta) = task.eta.as_ref().filter(|eta| eta.duration.is_none()) {
            let warning = Diagnostic::warning(
                codes::PLAN_MALFORMED,
                format!(
                    "ETA `{}` of task {} cannot be read as a duration",
                    eta.raw, task.id
                ),
            )
            .with_help("write it as e.g. `30 minutes`, `2 hours`, `1h30m` or `1 day`");
            self.report(warning, eta.span);
        }
        if let Some(epic) = self.plan.epics.get_mut(epic_index) {
            epic.tasks.push(task);
        }
    }

    /// The id of the epic (`epic-N`) or task (`1.1`) that `command` repeats.
    fn find_repeat(&self, command: &BdCreate) -> Option<String> {
        if command.issue_type == "epic" {
            let title = command.title.as_str();
            let bare = title.strip_prefix("Epic:").map_or(title, str::trim);
            return self
                .plan
                .epics
                .iter()
                .find(|epic| {
                    epic.creation.as_ref().is_some_and(|c| c.title == title)
                        || (epic.creation.is_none() && epic.title == bare)
                })
                .map(|epic| format!("epic-{}", epic.number));
        }
        self.plan
            .tasks()
            .find(|task| task.creation.title == command.title)
            .map(|task| task.id.clone())
    }

    /// Matches `bd create` lines found outside epics with the epics and tasks.
    pub(super) fn resolve_loose_creates(&mut self) {
        for command in std::mem::take(&mut self.loose_creates) {
            let refers_to = self.find_repeat(&command).unwrap_or_else(|| {
                let note = Diagnostic::note(
                    codes::PLAN_BD_CREATE,
                    format!(
                        "`bd create \"{}\"` is outside every epic and repeats no epic or task; it is kept as a command reference only",
                        command.title
                    ),
                )
                .with_help("move it into an epic's code block to make it a task of that epic");
                self.report(note, command.span);
                String::new()
            });
            self.plan
                .references
                .push(BdReference { command, refers_to });
        }
    }

    /// Reads one `bd create` line; reports and skips lines that cannot be read.
    fn read_bd_create(&mut self, line: SourceLine<'_>) -> Option<BdCreate> {
        let span = self.line_span(line);
        let raw = match parse_bd_create(line.text) {
            Ok(raw) => raw,
            Err(error) => {
                self.report_bd_create_error(line, error);
                return None;
            }
        };
        let priority = match raw.priority {
            Some(priority) if priority.level.is_none() => {
                let warning = Diagnostic::warning(
                    codes::PLAN_MALFORMED,
                    format!("priority `{}` is not one of 0-4 or P0-P4", priority.raw),
                )
                .with_help("use `--priority 0` (most urgent) to `--priority 4`");
                self.report(warning, span);
                None
            }
            priority => priority.and_then(|p| p.level).map(Priority),
        };
        Some(BdCreate {
            title: raw.title,
            issue_type: raw.issue_type,
            priority,
            span,
        })
    }

    fn report_bd_create_error(&mut self, line: SourceLine<'_>, error: BdCreateError) {
        let (diagnostic, span) = match error {
            BdCreateError::UnterminatedQuote { quote, offset } => {
                let at = line.start + offset;
                let diagnostic = Diagnostic::error(
                    codes::PLAN_BD_CREATE,
                    format!("unterminated {quote} quote in `bd create` line; the line was skipped"),
                )
                .with_help(format!(
                    "close the title with a matching {quote}, e.g. `bd create {quote}Title{quote} --type task --priority 1`"
                ));
                (diagnostic, self.span(at, at + quote.len_utf8()))
            }
            BdCreateError::MissingTitle => {
                let diagnostic = Diagnostic::error(
                    codes::PLAN_BD_CREATE,
                    "`bd create` line has no title; the line was skipped",
                )
                .with_help("put the title in quotes right after `bd create`");
                (diagnostic, self.line_span(line))
            }
        };
        self.report(diagnostic, span);
    }

    /// Task ids must be unique, or references and analyses could not name a task.
    pub(super) fn check_unique_task_ids(&mut self) {
        let mut seen: Vec<(&str, u32)> = Vec::new();
        let mut duplicates: Vec<(String, Text)> = Vec::new();
        for task in self.plan.tasks() {
            match seen.iter().find(|(id, _)| *id == task.id) {
                Some((_, first_line)) => duplicates.push((
                    format!(
                        "task id {} is used twice (first on line {first_line})",
                        task.id
                    ),
                    Text {
                        text: task.id.clone(),
                        span: task.span,
                    },
                )),
                None => seen.push((&task.id, task.span.line)),
            }
        }
        for (message, at) in duplicates {
            let warning = Diagnostic::warning(codes::PLAN_MALFORMED, message)
                .with_help("give each `# Task N.M:` comment its own number");
            self.report(warning, at.span);
        }
    }
}
