//! Tests of the whole plan reader on small plans written for them, in the conventions of
//! the reference plan. The parts (durations, `bd create` quoting, comment kinds, ...)
//! are tested in their own modules.

use std::path::Path;

use super::parse_plan;
use crate::diagnostics::{codes, Diagnostic, Diagnostics, Severity};
use crate::model::duration::{DayLength, Duration, DurationUnit};
use crate::model::plan::{CriterionMarker, Plan, Priority};

/// A small plan: header, overview, two epics, a cheat sheet, a timeline, a dependency
/// map, a critical path and metrics.
const SMALL_PLAN: &str = r#"# Edge Cache Rollout Plan

**Created:** 2031-04-05  
**Based On:** CACHE_REVIEW.md  
**Total Epics:** 2 | **Total Tasks:** 5

## Epic Overview

```
Priority Distribution:
- P0 (Critical): 2 tasks (40%)
- P1 (High):     3 tasks (60%)
```

## Epic 1: Cache Layer ⚡

**Priority:** P0 CRITICAL  
**Duration:** 3 hours  
**Impact:** Halve origin traffic

```bash
# Epic creation
bd create "Epic: Cache Layer" --type epic --priority 0

# Task 1.1: Warm keys
bd create "Warm the hot keys" --type task --priority 0
# ETA: 45 minutes
# Impact: No cold start
# Owner: platform team
# Steps:
#   1. list hot keys
#   2. preload them
# Double-check the TTLs

bd create "Purge stale entries" -t task -p 1
# ETA: 1h30m
```

**Success Criteria:**
- ✅ Hit ratio above 90%
- [x] Purge endpoint secured
- [ ] Dashboards updated
- Origin load graph attached

## Epic 2: Rollout 🚀

**Priority:** High  
**Duration:** 1 day

```bash
bd create --priority=1 "Enable in staging" --type=task
# ETA: 2 hours
bd create 'Enable in production' -p=0
# ETA: 30 minutes setup, then watch
```

## Cheat Sheet

```bash
# Run from the repo root
cd "ops repo"
bd create "Epic: Cache Layer" --type epic --priority 0
bd create "Warm the hot keys" --type task --priority 0
bd create "Enable in production" -p 0
bd create "Something new" -p 2
bd ready
bd sync
```

## Execution Timeline (2 Days)

### Day 1: Cache Layer (P0)
```
Morning:
- Warm keys
- Purge stale entries

Afternoon:
- Check hit ratio
```

### Day 2: Rollout
Morning:
- Enable in staging

Evening:
- Enable in production
- Watch graphs

---

## Dependency Graph

```mermaid
graph TD
    E1[Cache] --> E2[Rollout]
```

**Critical Path:**
1. Epic 1 (Cache) → Epic 2 (Rollout)
2. Nothing else runs in parallel

## Success Metrics

**Week 1 Targets:**
- ✅ Cache live everywhere
- ✅ Origin traffic halved

**Week 2 Targets:**
- [ ] Cost report shared

**Final Grade Target:** C → A

**Next Action:** Start with Day 1.
"#;

fn parse(text: &str) -> (Plan, Diagnostics) {
    parse_at("plans/cache.md", text, 0)
}

fn parse_at(source: &str, text: &str, body_start: usize) -> (Plan, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let plan = parse_plan(Path::new(source), text, body_start, &mut diagnostics);
    (plan, diagnostics)
}

fn texts<'a>(items: impl IntoIterator<Item = &'a crate::model::plan::Text>) -> Vec<&'a str> {
    items.into_iter().map(|t| t.text.as_str()).collect()
}

#[test]
fn header_fields_and_claimed_totals_are_read() {
    let (plan, _) = parse(SMALL_PLAN);
    let title = plan.title.as_ref().expect("title");
    assert_eq!(
        (title.text.as_str(), title.span.line, title.span.col),
        ("Edge Cache Rollout Plan", 1, 3)
    );
    assert_eq!(
        plan.created.as_ref().map(|t| t.text.as_str()),
        Some("2031-04-05")
    );
    assert_eq!(
        plan.based_on.as_ref().map(|t| t.text.as_str()),
        Some("CACHE_REVIEW.md")
    );
    let epics = plan.claimed.epics.as_ref().expect("epics claim");
    let tasks = plan.claimed.tasks.as_ref().expect("tasks claim");
    assert_eq!((epics.value, tasks.value), (2, 5));
    assert_eq!((tasks.span.line, tasks.span.col), (5, 39));
    let claims: Vec<(Priority, &str, u32, Option<u32>)> = plan
        .claimed
        .priorities
        .iter()
        .map(|c| (c.priority, c.label.as_str(), c.tasks, c.percent))
        .collect();
    assert_eq!(
        claims,
        [
            (Priority(0), "Critical", 2, Some(40)),
            (Priority(1), "High", 3, Some(60))
        ]
    );
}

#[test]
fn overview_block_is_kept_verbatim() {
    let (plan, _) = parse(SMALL_PLAN);
    let overview = plan.overview.expect("overview");
    assert_eq!(
        overview.text,
        "Priority Distribution:\n- P0 (Critical): 2 tasks (40%)\n- P1 (High):     3 tasks (60%)"
    );
    assert_eq!(overview.span.line, 10);
}

#[test]
fn epic_facts_are_read_from_heading_and_bold_fields() {
    let (plan, _) = parse(SMALL_PLAN);
    assert_eq!(plan.epics.len(), 2);
    let first = &plan.epics[0];
    assert_eq!((first.number, first.title.as_str()), (1, "Cache Layer"));
    assert_eq!(first.marker.as_deref(), Some("⚡"));
    let priority = first.priority.as_ref().expect("priority");
    assert_eq!(
        (priority.level, priority.raw.as_str()),
        (Priority(0), "P0 CRITICAL")
    );
    let duration = first.duration.as_ref().expect("duration");
    assert_eq!(duration.duration, Duration::of(3.0, DurationUnit::Hours));
    assert_eq!(
        first.impact.as_ref().map(|t| t.text.as_str()),
        Some("Halve origin traffic")
    );
    let creation = first.creation.as_ref().expect("epic creation");
    assert_eq!(
        (creation.title.as_str(), creation.issue_type.as_str()),
        ("Epic: Cache Layer", "epic")
    );
    let second = &plan.epics[1];
    assert_eq!(second.priority.as_ref().map(|p| p.level), Some(Priority(1)));
    assert_eq!(
        second.duration.as_ref().map(|d| &d.duration),
        Some(&Duration::of(1.0, DurationUnit::Days))
    );
    assert!(second.creation.is_none());
}

#[test]
fn task_ids_come_from_task_comments_else_from_position() {
    let (plan, _) = parse(SMALL_PLAN);
    let ids: Vec<(&str, Option<&str>)> = plan
        .tasks()
        .map(|t| (t.id.as_str(), t.label.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            ("1.1", Some("Warm keys")),
            ("1.2", None),
            ("2.1", None),
            ("2.2", None)
        ]
    );
    let first = &plan.epics[0].tasks[0];
    // The task starts at its `# Task` comment; its command is the `bd create` line.
    assert_eq!((first.span.line, first.creation.span.line), (25, 26));
}

#[test]
fn comments_after_a_task_fill_eta_impact_fields_lists_and_notes() {
    let (plan, _) = parse(SMALL_PLAN);
    let task = &plan.epics[0].tasks[0];
    let eta = task.eta.as_ref().expect("eta");
    let minutes = eta.minutes(DayLength::STANDARD_WORKDAY);
    assert_eq!((eta.raw.as_str(), minutes), ("45 minutes", Some(45)));
    assert_eq!((eta.span.line, eta.span.col), (27, 8));
    assert_eq!(
        task.impact.as_ref().map(|t| t.text.as_str()),
        Some("No cold start")
    );
    assert_eq!(task.fields.len(), 1);
    assert_eq!(
        (task.fields[0].name.as_str(), task.fields[0].value.as_str()),
        ("Owner", "platform team")
    );
    assert_eq!(task.lists.len(), 1);
    assert_eq!(task.lists[0].name, "Steps");
    assert_eq!(
        texts(&task.lists[0].items),
        ["list hot keys", "preload them"]
    );
    assert_eq!(texts(&task.notes), ["Double-check the TTLs"]);
    // The next bd create ends the comments of the task before it.
    let second = &plan.epics[0].tasks[1];
    let minutes = second
        .eta
        .as_ref()
        .and_then(|e| e.minutes(DayLength::STANDARD_WORKDAY));
    assert_eq!(minutes, Some(90));
    assert!(second.notes.is_empty());
}

#[test]
fn every_flag_form_gives_the_task_priority() {
    let (plan, _) = parse(SMALL_PLAN);
    let priorities: Vec<(&str, Option<Priority>)> = plan
        .tasks()
        .map(|t| (t.creation.title.as_str(), t.creation.priority))
        .collect();
    assert_eq!(
        priorities,
        [
            ("Warm the hot keys", Some(Priority(0))),
            ("Purge stale entries", Some(Priority(1))),
            ("Enable in staging", Some(Priority(1))),
            ("Enable in production", Some(Priority(0))),
        ]
    );
    assert_eq!(
        plan.epics[1].tasks[1]
            .eta
            .as_ref()
            .and_then(|e| e.minutes(DayLength::STANDARD_WORKDAY)),
        Some(30)
    );
}

#[test]
fn cheat_sheet_repeats_become_references_not_tasks() {
    let (plan, diagnostics) = parse(SMALL_PLAN);
    assert_eq!(plan.tasks().count(), 4);
    let references: Vec<(&str, &str)> = plan
        .references
        .iter()
        .map(|r| (r.command.title.as_str(), r.refers_to.as_str()))
        .collect();
    assert_eq!(
        references,
        [
            ("Epic: Cache Layer", "epic-1"),
            ("Warm the hot keys", "1.1"),
            ("Enable in production", "2.2"),
            ("Something new", ""),
        ]
    );
    let note = diagnostics
        .iter()
        .find(|d| d.code == codes::PLAN_BD_CREATE)
        .expect("note about the bd create outside epics");
    assert_eq!(note.severity, Severity::Note);
    assert_eq!(note.span.map(|s| s.line), Some(65));
}

#[test]
fn other_shell_lines_are_commands_and_plain_blocks_give_none() {
    let (plan, _) = parse(SMALL_PLAN);
    assert_eq!(
        texts(&plan.commands),
        ["cd \"ops repo\"", "bd ready", "bd sync"]
    );
}

#[test]
fn success_criteria_keep_their_marker_and_checked_state() {
    let (plan, _) = parse(SMALL_PLAN);
    let criteria: Vec<(CriterionMarker, bool, &str)> = plan.epics[0]
        .success_criteria
        .iter()
        .map(|c| (c.marker, c.checked, c.text.as_str()))
        .collect();
    assert_eq!(
        criteria,
        [
            (CriterionMarker::CheckEmoji, false, "Hit ratio above 90%"),
            (CriterionMarker::TaskBox, true, "Purge endpoint secured"),
            (CriterionMarker::TaskBox, false, "Dashboards updated"),
            (CriterionMarker::Bullet, false, "Origin load graph attached"),
        ]
    );
    assert!(plan.epics[1].success_criteria.is_empty());
}

#[test]
fn timeline_days_have_slots_with_or_without_a_fence() {
    let (plan, _) = parse(SMALL_PLAN);
    let timeline = plan.timeline.expect("timeline");
    assert_eq!(timeline.title, "Execution Timeline (2 Days)");
    let days: Vec<(u32, &str, Option<Priority>)> = timeline
        .days
        .iter()
        .map(|d| (d.number, d.title.as_str(), d.priority))
        .collect();
    assert_eq!(
        days,
        [(1, "Cache Layer", Some(Priority(0))), (2, "Rollout", None)]
    );
    let slots = |day: usize| -> Vec<(String, Vec<String>)> {
        timeline.days[day]
            .slots
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    s.items.iter().map(|i| i.text.clone()).collect(),
                )
            })
            .collect()
    };
    assert_eq!(
        slots(0),
        [
            (
                "Morning".to_string(),
                vec!["Warm keys".to_string(), "Purge stale entries".to_string()]
            ),
            ("Afternoon".to_string(), vec!["Check hit ratio".to_string()]),
        ]
    );
    assert_eq!(
        slots(1),
        [
            ("Morning".to_string(), vec!["Enable in staging".to_string()]),
            (
                "Evening".to_string(),
                vec![
                    "Enable in production".to_string(),
                    "Watch graphs".to_string()
                ]
            ),
        ]
    );
}

#[test]
fn dependency_map_keeps_mermaid_source_and_its_first_line() {
    let (plan, _) = parse(SMALL_PLAN);
    let map = plan.dependency_map.expect("dependency map");
    assert_eq!(map.title, "Dependency Graph");
    assert_eq!(map.source, "graph TD\n    E1[Cache] --> E2[Rollout]");
    assert_eq!((map.span.line, map.span.col), (95, 1));
    assert_eq!(&SMALL_PLAN[map.span.start..map.span.end], map.source);
}

#[test]
fn critical_path_items_and_epic_chain() {
    let (plan, _) = parse(SMALL_PLAN);
    let path = plan.critical_path.expect("critical path");
    assert_eq!(
        texts(&path.items),
        [
            "Epic 1 (Cache) → Epic 2 (Rollout)",
            "Nothing else runs in parallel"
        ]
    );
    assert_eq!(path.epics, [1, 2]);
}

#[test]
fn metric_groups_final_target_and_closing_notes() {
    let (plan, _) = parse(SMALL_PLAN);
    let groups: Vec<(&str, Option<u32>, usize)> = plan
        .metrics
        .iter()
        .map(|g| (g.title.as_str(), g.week, g.items.len()))
        .collect();
    assert_eq!(
        groups,
        [
            ("Week 1 Targets", Some(1), 2),
            ("Week 2 Targets", Some(2), 1)
        ]
    );
    assert_eq!(plan.metrics[1].items[0].marker, CriterionMarker::TaskBox);
    let target = plan.final_target.expect("final target");
    assert_eq!(
        (target.label.as_str(), target.text.as_str()),
        ("Final Grade Target", "C → A")
    );
    let notes: Vec<(&str, &str)> = plan
        .notes
        .iter()
        .map(|n| (n.label.as_str(), n.text.as_str()))
        .collect();
    assert_eq!(notes, [("Next Action", "Start with Day 1.")]);
}

#[test]
fn small_plan_reads_without_warnings_or_errors() {
    let (_, diagnostics) = parse(SMALL_PLAN);
    let serious: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(Diagnostic::headline)
        .collect();
    assert!(serious.is_empty(), "{serious:?}");
}

#[test]
fn unterminated_quote_is_an_error_at_the_quote_in_whole_file_coordinates() {
    let front_matter = "---\ntitle: Quote test\n---\n";
    let body = "## Epic 1: Ports\n\n```bash\n  bd create \"Close port --type task\nbd create \"Next one\" -p 2\n```\n";
    let text = format!("{front_matter}{body}");
    let (plan, diagnostics) = parse_at("plans/q.md", &text, front_matter.len());
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1);
    let error = errors[0];
    assert_eq!(error.code, codes::PLAN_BD_CREATE);
    assert_eq!(error.location(), "plans/q.md:7:13");
    assert!(error
        .help
        .as_deref()
        .is_some_and(|h| h.contains("close the title")));
    // The broken line is skipped and the next one is still read, with id by position.
    let ids: Vec<(&str, &str)> = plan
        .tasks()
        .map(|t| (t.id.as_str(), t.creation.title.as_str()))
        .collect();
    assert_eq!(ids, [("1.1", "Next one")]);
}

#[test]
fn unreadable_eta_is_a_warning_at_the_eta_text() {
    let text =
        "## Epic 3: Docs\n\n```bash\nbd create \"Write guide\" -p 1\n# ETA: once reviewed\n```\n";
    let (plan, diagnostics) = parse(text);
    let eta = plan.epics[0].tasks[0].eta.as_ref().expect("eta");
    assert_eq!((eta.raw.as_str(), &eta.duration), ("once reviewed", &None));
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, codes::PLAN_MALFORMED);
    assert_eq!(diagnostics[0].severity, Severity::Warning);
    assert_eq!(diagnostics[0].location(), "plans/cache.md:5:8");
}

#[test]
fn headings_inside_code_fences_are_not_sections() {
    let text = "# Notes\n\n```markdown\n## Epic 9: Only an example\n### Day 1: Example\n```\n";
    let (plan, diagnostics) = parse(text);
    assert!(plan.epics.is_empty());
    assert!(plan.timeline.is_none());
    assert_eq!(diagnostics[0].code, codes::PLAN_UNSTRUCTURED);
}

#[test]
fn text_without_conventions_is_a_document_with_a_note() {
    let text = "# Meeting notes\n\nWe talked about caches.\n\n- nothing decided\n";
    let (plan, diagnostics) = parse(text);
    assert_eq!(
        plan.title.as_ref().map(|t| t.text.as_str()),
        Some("Meeting notes")
    );
    assert!(!plan.is_structured());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, codes::PLAN_UNSTRUCTURED);
    assert_eq!(diagnostics[0].severity, Severity::Note);
    assert_eq!(diagnostics[0].location(), "plans/cache.md:1:3");
}

#[test]
fn empty_and_odd_input_never_fails() {
    for text in [
        "",
        "\n",
        "```",
        "**",
        "## Epic 1:",
        "## Epic 4294967296: big",
        "é",
    ] {
        let (_, diagnostics) = parse(text);
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{text:?}");
    }
    let (plan, _) = parse_at("x.md", "é# x", 1);
    assert!(plan.epics.is_empty());
    let (plan, _) = parse_at("x.md", "# x", 99);
    assert!(plan.title.is_none());
}

/// The plan as JSON without byte offsets, which differ when line endings do.
fn without_byte_offsets(plan: &Plan) -> serde_json::Value {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("start");
                map.remove("end");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(plan).expect("plan serializes");
    strip(&mut value);
    value
}

#[test]
fn crlf_line_endings_give_the_same_model() {
    let crlf = SMALL_PLAN.replace('\n', "\r\n");
    let (lf_plan, lf_diagnostics) = parse(SMALL_PLAN);
    let (crlf_plan, crlf_diagnostics) = parse(&crlf);
    assert_eq!(
        without_byte_offsets(&lf_plan),
        without_byte_offsets(&crlf_plan)
    );
    let positions = |d: &Diagnostics| -> Vec<Option<(u32, u32)>> {
        d.iter().map(|d| d.span.map(|s| (s.line, s.col))).collect()
    };
    assert_eq!(positions(&lf_diagnostics), positions(&crlf_diagnostics));
    assert!(crlf_plan
        .dependency_map
        .is_some_and(|m| !m.source.contains('\r')));
}

#[test]
fn task_comment_ends_the_comments_of_the_task_before_it() {
    let text = "## Epic 5: Pair\n\n```bash\n# Task 5.7: first\nbd create \"A\" -p 1\n# Rollback: revert the flag\n# Task 5.9: second\nbd create \"B\" -p 1\n# Owner: ops\n```\n";
    let (plan, _) = parse(text);
    let tasks: Vec<(&str, Vec<&str>)> = plan
        .tasks()
        .map(|t| {
            (
                t.id.as_str(),
                t.fields.iter().map(|f| f.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(tasks, [("5.7", vec!["Rollback"]), ("5.9", vec!["Owner"])]);
}

#[test]
fn unreadable_epic_priority_and_duration_are_warnings() {
    let text = "## Epic 2: Vague\n\n**Priority:** whenever  \n**Duration:** a while\n";
    let (plan, diagnostics) = parse(text);
    assert!(plan.epics[0].priority.is_none());
    assert!(plan.epics[0].duration.is_none());
    let found: Vec<(&str, String)> = diagnostics.iter().map(|d| (d.code, d.location())).collect();
    assert_eq!(
        found,
        [
            (codes::PLAN_MALFORMED, "plans/cache.md:3:15".to_string()),
            (codes::PLAN_MALFORMED, "plans/cache.md:4:15".to_string()),
        ]
    );
}

#[test]
fn duplicate_task_ids_are_reported() {
    let text = "## Epic 1: Twice\n\n```bash\n# Task 1.1: a\nbd create \"A\" -p 1\n# Task 1.1: b\nbd create \"B\" -p 1\n```\n";
    let (plan, diagnostics) = parse(text);
    assert_eq!(plan.tasks().count(), 2);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, codes::PLAN_MALFORMED);
    assert_eq!(diagnostics[0].span.map(|s| s.line), Some(6));
}

#[test]
fn sections_no_convention_covers_are_kept_as_written() {
    let (plan, _) = parse(SMALL_PLAN);
    let titles: Vec<&str> = plan
        .sections
        .iter()
        .map(|s| s.title.text.as_str())
        .collect();
    assert_eq!(titles, ["Cheat Sheet"]);
    let body = &plan.sections[0].body;
    assert!(
        body.text.starts_with("\n```bash\n# Run from the repo root"),
        "{body:?}"
    );
    assert!(body.text.ends_with("bd sync\n```"), "{body:?}");
    assert_eq!(&SMALL_PLAN[body.span.start..body.span.end], body.text);

    let text = "# Plan\n\n## Context\n\nWhy we do this.\n\n### Constraints\n\n- budget\n\n---\n\n\
                ## Epic 1: Work\n\n```bash\nbd create \"Do it\" -p 0\n```\n\n\
                ## Risks\n\nVendor lock-in.\n\n## Empty\n\n---\n";
    let (plan, _) = parse(text);
    let kept: Vec<(&str, &str)> = plan
        .sections
        .iter()
        .map(|s| (s.title.text.as_str(), s.body.text.trim_start()))
        .collect();
    // A sub-heading stays in its section; the closing rule and an empty section do not.
    assert_eq!(
        kept,
        [
            ("Context", "Why we do this.\n\n### Constraints\n\n- budget"),
            ("Risks", "Vendor lock-in."),
        ]
    );
    assert_eq!(plan.epics.len(), 1);
}
