//! Analysis: commands in the plan that the tools they name no longer have. A plan that
//! tells people to run a removed command fails them at the worst moment, so each use is
//! a warning that names the replacement.
//!
//! The table is deliberately small and every entry cites where the removal is recorded.

use super::{Finding, Subject};
use crate::diagnostics::codes;
use crate::model::plan::{Checklist, Plan, PlanFamily};
use crate::model::Span;

/// A command a tool used to have.
struct RemovedCommand {
    /// The program (`bd`).
    tool: &'static str,
    /// The subcommand words that follow it (`sync`).
    words: &'static [&'static str],
    /// What to run instead.
    instead: &'static str,
}

const REMOVED_COMMANDS: &[RemovedCommand] = &[
    // beads: the top-level `bd sync` was first made a deprecated no-op, then deleted when
    // beads moved to a pure Dolt backend; running it now fails with
    // `unknown command "sync" for "bd"`. Sources: github.com/gastownhall/beads issues
    // #2442 ("Remove deprecated `bd sync` references", 2026-03-07: "has now been entirely
    // deleted from the CLI"; syncing is `bd dolt push` / `bd dolt pull`) and #4856 (bd
    // 1.1.0 prints the unknown-command error); PR #2419 names the removing commit
    // 5e834bff. Subcommands such as `bd federation sync` are unaffected.
    RemovedCommand {
        tool: "bd",
        words: &["sync"],
        instead: "`bd dolt push` / `bd dolt pull` (or `bd export -o .beads/issues.jsonl` for a JSONL snapshot)",
    },
];

/// A warning for each removed command the plan tells people to run: in its code blocks,
/// in its tasks' fields and lists, and in a lane plan's steps, fields and checklists
/// (there as a whole line or as an inline code span: ``Sync beads (`bd sync`)``).
pub fn check_commands(plan: &Plan) -> Vec<Finding> {
    let mut texts: Vec<(&str, Span)> = plan
        .commands
        .iter()
        .map(|c| (c.text.as_str(), c.span))
        .collect();
    for task in plan.tasks() {
        texts.extend(task.fields.iter().map(|f| (f.value.as_str(), f.span)));
        texts.extend(
            task.lists
                .iter()
                .flat_map(|l| l.items.iter().map(|i| (i.text.as_str(), i.span))),
        );
    }
    if plan.family == PlanFamily::Lanes {
        for (text, span) in lane_texts(plan) {
            let spans = code_spans(text, span);
            if spans
                .iter()
                .any(|(code, _)| removed_command(code).is_some())
            {
                texts.extend(spans);
            } else {
                texts.push((text, span));
            }
        }
    }
    texts
        .into_iter()
        .filter_map(|(text, span)| {
            let removed = removed_command(text)?;
            let command = format!("{} {}", removed.tool, removed.words.join(" "));
            Some(
                Finding::warning(
                    codes::REMOVED_COMMAND,
                    format!("`{command}` no longer exists in {}", removed.tool),
                    span,
                    Subject::Command,
                )
                .with_help(format!("use {} instead", removed.instead)),
            )
        })
        .collect()
}

/// The texts of a lane plan a command may be written in: steps, fields and checklist
/// items of its items, lanes and the plan itself.
fn lane_texts(plan: &Plan) -> Vec<(&str, Span)> {
    fn checklist(list: &Checklist) -> Vec<(&str, Span)> {
        list.items
            .iter()
            .map(|c| (c.text.as_str(), c.span))
            .collect()
    }
    let mut texts = Vec::new();
    for lane in &plan.lanes {
        texts.extend(lane.fields.iter().map(|f| (f.value.as_str(), f.span)));
        texts.extend(lane.checklists.iter().flat_map(checklist));
        for item in lane.all_items() {
            texts.extend(
                item.steps
                    .iter()
                    .map(|s| (s.text.text.as_str(), s.text.span)),
            );
            texts.extend(item.fields.iter().map(|f| (f.value.as_str(), f.span)));
            texts.extend(item.checklists.iter().flat_map(checklist));
        }
    }
    texts.extend(plan.checklists.iter().flat_map(checklist));
    texts
}

/// The inline code spans of `text` (which starts at `span`), each with its own span.
fn code_spans(text: &str, span: Span) -> Vec<(&str, Span)> {
    let pieces: Vec<&str> = text.split('`').collect();
    let mut spans = Vec::new();
    let mut offset = 0;
    for (at, piece) in pieces.iter().enumerate() {
        if at % 2 == 1 && at + 1 < pieces.len() {
            let start = span.start + offset;
            let col = span.col + text[..offset].chars().count() as u32;
            spans.push((
                *piece,
                Span {
                    start,
                    end: start + piece.len(),
                    line: span.line,
                    col,
                },
            ));
        }
        offset += piece.len() + 1;
    }
    spans
}

/// The removed command `text` runs, if any: the tool as the first word (after an
/// optional `$ ` prompt or a `Verify:`-style label) followed by the removed words.
fn removed_command(text: &str) -> Option<&'static RemovedCommand> {
    let text = text.trim().trim_start_matches("$ ");
    let text = match text.split_once(": ") {
        Some((label, rest)) if !label.contains(' ') => rest,
        _ => text,
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    REMOVED_COMMANDS.iter().find(|removed| {
        words.first() == Some(&removed.tool)
            && words.len() > removed.words.len()
            && words[1..=removed.words.len()] == *removed.words
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_plans::reference_plan;

    #[test]
    fn bd_sync_is_flagged_but_other_sync_subcommands_are_not() {
        assert!(removed_command("bd sync").is_some());
        assert!(removed_command("$ bd sync --status").is_some());
        assert!(removed_command("Then: bd sync").is_some());
        assert!(removed_command("bd federation sync --peer a").is_none());
        assert!(removed_command("bd ready").is_none());
        assert!(removed_command("rsync -a bd sync").is_none());
    }

    #[test]
    fn reference_plan_bd_sync_is_flagged_at_its_line() {
        let findings = check_commands(&reference_plan());
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].diagnostic.message,
            "`bd sync` no longer exists in bd"
        );
        assert_eq!(findings[0].diagnostic.span.map(|s| s.line), Some(397));
    }
}
