//! Runbook reader tests: bold-label runbooks, front matter runbooks in the
//! Meaning/Impact/Diagnosis/Mitigation style, and the precedence between the two.

use std::path::Path;

use super::*;
use crate::ingest::front_matter::parse_front_matter;
use crate::model::runbook::{Outcome, Part, SectionKind, StepKind};

const SEED_LIKE: &str = "# P0 Incident Runbook: Database Failure

**Severity:** P0 (Critical)  
**MTTR Target:** 10 minutes  
**Status:** Active

---

## 🚨 Detection

- Prometheus: `pg_up == 0`

## ⚡ Immediate Actions (First 3 Minutes)

### Step 1: Assess Database Status
```bash
ssh root@host
docker ps | grep postgres
```

### Step 2: Attempt Container Restart
```bash
docker restart \"$C\"
```

**Success:** If `pg_isready` succeeds → Proceed to verification  
**Failure:** Proceed to Step 3

### Step 3: Check Logs
Look at the logs.

## 🔧 Recovery Procedures

### Scenario A: Container Stopped
**Symptoms:** exited

### Scenario B: Locked
```bash
rm -f pid
```

## ✅ Recovery Verification Checklist

1. Database accessible
2. **Application** can connect
   ```bash
   curl http://x/health
   ```

---

**Last Updated:** 2026-01-04  
**Owner:** Track 4  
**Review Frequency:** Monthly
";

fn parse(text: &str) -> (Runbook, Diagnostics) {
    let source = Path::new("r.md");
    let mut front_matter_diagnostics = Diagnostics::new();
    let parsed = parse_front_matter(source, text, &mut front_matter_diagnostics);
    let mut diagnostics = Diagnostics::new();
    let runbook = parse_runbook(
        source,
        text,
        parsed.body_start,
        &parsed.front_matter,
        &mut diagnostics,
    );
    (runbook, diagnostics)
}

#[test]
fn bold_labels_give_severity_targets_owner_and_review_facts() {
    let (runbook, diagnostics) = parse(SEED_LIKE);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let severity = runbook.severity.unwrap();
    assert_eq!(
        (severity.label.as_str(), severity.name.as_str()),
        ("P0", "Critical")
    );
    assert_eq!(severity.original, "P0 (Critical)");
    assert_eq!(severity.span.line, 3);
    assert_eq!(runbook.mttr.unwrap().minutes(), Some(10));
    assert_eq!(runbook.status.unwrap().text, "Active");
    assert_eq!(runbook.owner.unwrap().text, "Track 4");
    assert_eq!(
        runbook.last_updated.unwrap().iso.as_deref(),
        Some("2026-01-04")
    );
    assert_eq!(runbook.review_interval.unwrap().days(), 30);
}

#[test]
fn sections_are_classified_and_steps_found_with_commands() {
    let (runbook, _) = parse(SEED_LIKE);
    let kinds: Vec<SectionKind> = runbook.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Detection,
            SectionKind::ImmediateActions,
            SectionKind::RecoveryProcedures,
            SectionKind::RecoveryVerification
        ]
    );
    let steps: Vec<(StepKind, &str, &str)> = runbook
        .steps()
        .map(|s| (s.kind, s.label.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (StepKind::Step, "Step 1", "Assess Database Status"),
            (StepKind::Step, "Step 2", "Attempt Container Restart"),
            (StepKind::Step, "Step 3", "Check Logs"),
            (StepKind::Scenario, "Scenario A", "Container Stopped"),
            (StepKind::Scenario, "Scenario B", "Locked"),
            (StepKind::ListItem, "1", "Database accessible"),
            (StepKind::ListItem, "2", "Application can connect"),
        ]
    );
    let first = runbook.steps().next().unwrap();
    assert_eq!(
        first.commands[0].text,
        "ssh root@host\ndocker ps | grep postgres\n"
    );
    let last = runbook.steps().last().unwrap();
    assert_eq!(last.commands[0].text, "curl http://x/health\n");
    assert!(
        last.body.text.starts_with("```bash"),
        "{:?}",
        last.body.text
    );
}

#[test]
fn branches_link_to_the_step_or_section_they_name() {
    let (runbook, _) = parse(SEED_LIKE);
    let step2 = runbook.steps().nth(1).unwrap();
    let branches: Vec<(Outcome, Option<&str>)> = step2
        .branches
        .iter()
        .map(|b| (b.outcome, b.target.as_deref()))
        .collect();
    assert_eq!(
        branches,
        [
            (Outcome::Success, Some("recovery-verification-checklist")),
            (Outcome::Failure, Some("step-3"))
        ]
    );
    assert!(
        !step2.body.text.contains("Success"),
        "branch lines leave the body"
    );
}

#[test]
fn metadata_lines_and_title_are_not_repeated_in_the_content() {
    let (runbook, _) = parse(SEED_LIKE);
    assert_eq!(
        runbook.intro, None,
        "only the title, labels and a rule precede the sections"
    );
    let all: String = runbook
        .sections
        .iter()
        .flat_map(|s| s.parts.iter())
        .map(|p| match p {
            Part::Markdown(t) => t.text.as_str(),
            Part::Step(s) => s.body.text.as_str(),
        })
        .collect();
    assert!(!all.contains("Last Updated"));
    assert!(all.contains("**Symptoms:** exited"));
}

#[test]
fn branch_to_a_missing_step_is_a_warning_at_its_line() {
    let text = "# R\n\n## Immediate Actions\n\n### Step 1: Do\n\n**Failure:** Go to Step 9\n";
    let (_, diagnostics) = parse(text);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "OPS503");
    assert_eq!(diagnostics[0].span.unwrap().line, 7);
}

#[test]
fn front_matter_runbook_with_mitigation_list_and_precedence_note() {
    let text = "---\ntitle: KubePodCrashLooping\nseverity: SEV2\nmttr: 30m\nalerts: [KubePodCrashLooping]\n---\n# KubePodCrashLooping\n\n**Severity:** P0\n\n## Meaning\n\nPods restart.\n\n## Impact\n\nService degraded.\n\n## Diagnosis\n\nCheck events.\n\n## Mitigation\n\n1. Find the pod\n2. Fix the image\n";
    let (runbook, diagnostics) = parse(text);
    let severity = runbook.severity.clone().unwrap();
    assert_eq!(
        (severity.label.as_str(), severity.original.as_str()),
        ("P1", "SEV2")
    );
    assert_eq!(severity.span.line, 3, "the front matter line");
    assert_eq!(runbook.mttr.as_ref().unwrap().minutes(), Some(30));
    assert_eq!(runbook.alerts, ["KubePodCrashLooping"]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, "OPS501");
    assert_eq!(diagnostics[0].span.unwrap().line, 9);
    let kinds: Vec<SectionKind> = runbook.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Meaning,
            SectionKind::Impact,
            SectionKind::Diagnosis,
            SectionKind::Mitigation
        ]
    );
    let ids: Vec<&str> = runbook.steps().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["diagnosis-1", "mitigation-1", "mitigation-2"]);
}

#[test]
fn unreadable_values_are_warnings_not_failures() {
    let text = "# R\n\n**Severity:** whenever\n**MTTR:** soon\n**Last Updated:** yesterday\n";
    let (runbook, diagnostics) = parse(text);
    assert_eq!(runbook.severity, None);
    assert_eq!(runbook.mttr.unwrap().duration, None);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["OPS502", "OPS502", "OPS502"]);
}

#[test]
fn a_body_without_sections_still_gives_list_steps() {
    let text = "# R\n\n1. one\n2. two\n";
    let (runbook, _) = parse(text);
    assert_eq!(runbook.steps().count(), 2);
    assert_eq!(runbook.sections[0].title, "");
}

#[test]
fn a_step_heading_overlapped_by_the_next_heading_does_not_panic() {
    // fuzz/artifacts/runbook/crash-603612559795e366700fb426a69e3fa87de9d338, minimised:
    // the step's section ended before its heading did, and its body range ran backwards.
    let (runbook, _) = parse("#\n## Step 2\rm\n-\n#");
    assert!(runbook.steps().count() <= 1);
}
