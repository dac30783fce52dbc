//! Reading the words of runbook headings and lines (ingest stage): which section a
//! heading opens, whether a heading is a `Step N` or `Scenario X`, and whether a line is a
//! `Success → ...` / `Failure → ...` branch and where it leads.

use crate::model::runbook::{Outcome, SectionKind, StepKind};

/// The heading's words without the emoji, numbering or punctuation before them:
/// `🚨 Detection` and `2. Detection` both give `Detection`.
pub fn heading_words(heading: &str) -> &str {
    let trimmed = heading.trim();
    let start = trimmed
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(trimmed.len(), |(i, _)| i);
    trimmed[start..].trim()
}

/// The section a heading opens, from its words.
pub fn classify_section(heading: &str) -> SectionKind {
    let lower = heading_words(heading).to_lowercase();
    let has = |needle: &str| lower.contains(needle);
    if has("immediate action") || has("first response") || has("triage") {
        SectionKind::ImmediateActions
    } else if has("verification") || has("verify") {
        SectionKind::RecoveryVerification
    } else if has("diagnosis & resolution")
        || has("diagnosis and resolution")
        || has("troubleshoot")
    {
        SectionKind::DiagnosisResolution
    } else if has("recovery procedure") || has("recovery scenario") || has("scenarios") {
        SectionKind::RecoveryProcedures
    } else if has("post-incident") || has("post incident") || has("postmortem") {
        SectionKind::PostIncident
    } else if has("escalat") {
        SectionKind::Escalation
    } else if has("detection") || has("detect") || has("symptom") {
        SectionKind::Detection
    } else if lower.starts_with("meaning") {
        SectionKind::Meaning
    } else if lower.starts_with("impact") {
        SectionKind::Impact
    } else if lower.starts_with("diagnos") {
        SectionKind::Diagnosis
    } else if lower.starts_with("mitigation") || lower.starts_with("mitigate") {
        SectionKind::Mitigation
    } else {
        SectionKind::Other
    }
}

/// A `Step 1: Title` or `Scenario A: Title` heading: its kind, label and title.
pub fn step_heading(heading: &str) -> Option<(StepKind, String, String)> {
    let words = heading_words(heading);
    let lower = words.to_lowercase();
    let (kind, word_len) = if lower.starts_with("step ") {
        (StepKind::Step, 4)
    } else if lower.starts_with("scenario ") {
        (StepKind::Scenario, 8)
    } else {
        return None;
    };
    let rest = words[word_len..].trim_start();
    let mark_len = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    let mark = &rest[..mark_len];
    let valid = match kind {
        StepKind::Step => !mark.is_empty() && mark.chars().all(|c| c.is_ascii_digit()),
        _ => !mark.is_empty() && mark.chars().count() <= 3,
    };
    if !valid {
        return None;
    }
    let label = format!("{} {mark}", &words[..word_len]);
    let title = rest[mark_len..]
        .trim_start_matches([':', '.', ')', '-', '–', '—', ' '])
        .trim()
        .to_string();
    Some((kind, label, title))
}

/// `**Success:** If it works → Proceed to verification`, `Failure → Step 3`,
/// `- On failure: ...`: the outcome and the text after the label.
pub fn branch_line(line: &str) -> Option<(Outcome, String)> {
    let mut rest = line.trim();
    if let Some(item) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("* ")) {
        rest = item.trim_start();
    }
    let unbold = rest.trim_start_matches(['*', '_']);
    let lower = unbold.to_lowercase();
    let (outcome, word_len) = [
        ("on success", Outcome::Success),
        ("if successful", Outcome::Success),
        ("success", Outcome::Success),
        ("on failure", Outcome::Failure),
        ("if it fails", Outcome::Failure),
        ("failure", Outcome::Failure),
    ]
    .into_iter()
    .find(|(word, _)| lower.starts_with(word))
    .map(|(word, outcome)| (outcome, word.len()))?;
    let after = unbold[word_len..].trim_start_matches(['*', '_']);
    let separators = [":", "→", "->", "=>"];
    let after_trimmed = after.trim_start();
    let sep = separators.iter().find(|s| after_trimmed.starts_with(**s))?;
    let text = after_trimmed[sep.len()..]
        .trim_start_matches(['*', '_'])
        .trim_start_matches([':', ' '])
        .trim_start_matches("→")
        .trim();
    Some((outcome, text.to_string()))
}

/// What a branch text points at: a step label (`Step 3`, `Scenario B`) or the kind of
/// section it names (`Proceed to verification`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BranchTarget {
    Step(String),
    Section(SectionKind),
}

/// The target named in a branch text, if any. A step named after an arrow wins over one
/// named before it (`If step 2 fails → Step 3`).
pub fn branch_target(text: &str) -> Option<BranchTarget> {
    let lower = text.to_lowercase();
    let after_arrow = ["→", "->", "=>"]
        .iter()
        .filter_map(|arrow| lower.rfind(arrow).map(|i| &lower[i..]))
        .next();
    let scope = after_arrow.unwrap_or(&lower);
    if let Some(label) = named_step(scope, "step ").or_else(|| named_step(scope, "scenario ")) {
        return Some(BranchTarget::Step(label));
    }
    let kind = classify_section(scope.trim_start_matches(['→', '-', '>', '=', ' ']));
    if kind != SectionKind::Other {
        return Some(BranchTarget::Section(kind));
    }
    [
        ("verif", SectionKind::RecoveryVerification),
        ("escalat", SectionKind::Escalation),
        ("recovery procedure", SectionKind::RecoveryProcedures),
        ("post-incident", SectionKind::PostIncident),
        ("mitigation", SectionKind::Mitigation),
        ("diagnos", SectionKind::Diagnosis),
    ]
    .into_iter()
    .find(|(needle, _)| scope.contains(needle))
    .map(|(_, kind)| BranchTarget::Section(kind))
}

/// `Step 3` from `... proceed to step 3 ...`.
fn named_step(lower: &str, word: &str) -> Option<String> {
    let at = lower.find(word)?;
    let rest = &lower[at + word.len()..];
    let mark: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    if mark.is_empty() || (word == "step " && !mark.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let capital = if word == "step " { "Step" } else { "Scenario" };
    Some(format!("{capital} {}", mark.to_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_recognised_whatever_precedes_their_words() {
        assert_eq!(classify_section("🚨 Detection"), SectionKind::Detection);
        assert_eq!(
            classify_section("⚡ Immediate Actions (First 3 Minutes)"),
            SectionKind::ImmediateActions
        );
        assert_eq!(
            classify_section("✅ Recovery Verification Checklist"),
            SectionKind::RecoveryVerification
        );
        assert_eq!(
            classify_section("🔧 Recovery Procedures"),
            SectionKind::RecoveryProcedures
        );
        assert_eq!(
            classify_section("3. Diagnosis & Resolution"),
            SectionKind::DiagnosisResolution
        );
        assert_eq!(classify_section("Meaning"), SectionKind::Meaning);
        assert_eq!(classify_section("Diagnosis"), SectionKind::Diagnosis);
        assert_eq!(
            classify_section("📝 Post-Incident Actions"),
            SectionKind::PostIncident
        );
        assert_eq!(
            classify_section("🚀 Escalation Paths"),
            SectionKind::Escalation
        );
        assert_eq!(classify_section("📚 Related Resources"), SectionKind::Other);
    }

    #[test]
    fn step_and_scenario_headings_give_label_and_title() {
        assert_eq!(
            step_heading("Step 2: Attempt Container Restart"),
            Some((
                StepKind::Step,
                "Step 2".into(),
                "Attempt Container Restart".into()
            ))
        );
        assert_eq!(
            step_heading("Scenario B: Database Locked (Stale PID)"),
            Some((
                StepKind::Scenario,
                "Scenario B".into(),
                "Database Locked (Stale PID)".into()
            ))
        );
        assert_eq!(step_heading("Steps to take"), None);
        assert_eq!(step_heading("Step one"), None);
    }

    #[test]
    fn branch_lines_give_outcome_and_target() {
        let (outcome, text) =
            branch_line("**Success:** If `pg_isready` succeeds → Proceed to verification  ")
                .unwrap();
        assert_eq!(outcome, Outcome::Success);
        assert_eq!(
            branch_target(&text),
            Some(BranchTarget::Section(SectionKind::RecoveryVerification))
        );
        let (outcome, text) = branch_line("**Failure:** Proceed to Step 3").unwrap();
        assert_eq!(outcome, Outcome::Failure);
        assert_eq!(
            branch_target(&text),
            Some(BranchTarget::Step("Step 3".into()))
        );
        let (_, text) = branch_line("Failure → Scenario c").unwrap();
        assert_eq!(
            branch_target(&text),
            Some(BranchTarget::Step("Scenario C".into()))
        );
        assert_eq!(branch_line("Successive runs are fine"), None);
    }
}
