//! Small formatting helpers shared by the views: durations in hours and minutes,
//! priority badges with words, and the page title heading that the template already shows.

use serde::Serialize;

use crate::model::plan::{Plan, Priority};

/// A priority as a badge: the level, its word and the CSS class that colours it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorityView {
    /// `P0`.
    pub label: String,
    /// `Critical`.
    pub name: String,
    /// `P0 Critical`: what the badge shows, so colour is never the only signal.
    pub text: String,
    /// `priority-p0`; levels past P4 share the P4 colour.
    pub class: String,
}

/// The word for a level when the plan does not name it (`- P0 (Critical): ...`).
fn default_priority_name(level: Priority) -> &'static str {
    match level.0 {
        0 => "Critical",
        1 => "High",
        2 => "Medium",
        3 => "Low",
        _ => "Backlog",
    }
}

/// The badge for a level, using the plan's own word for it when the plan gives one.
pub(crate) fn priority_view(level: Priority, plan: Option<&Plan>) -> PriorityView {
    let name = plan
        .and_then(|plan| {
            plan.claimed
                .priorities
                .iter()
                .find(|claim| claim.priority == level && !claim.label.trim().is_empty())
        })
        .map(|claim| capitalize(claim.label.trim()))
        .unwrap_or_else(|| default_priority_name(level).to_string());
    let label = level.label();
    PriorityView {
        text: format!("{label} {name}"),
        class: format!("priority-p{}", level.0.min(4)),
        label,
        name,
    }
}

/// `CRITICAL` and `critical` both read `Critical` on a badge.
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// What a priority field says beyond its level and word: `P0 CRITICAL (resource saving)`
/// gives `(resource saving)`.
pub(crate) fn priority_detail(raw: &str, badge: &PriorityView) -> Option<String> {
    let mut rest = raw.trim();
    if let Some(after) = strip_prefix_ignore_case(rest, &badge.label) {
        rest = after.trim_start();
    }
    if let Some(after) = strip_prefix_ignore_case(rest, &badge.name) {
        rest = after.trim_start();
    }
    let rest = rest.trim_start_matches(['-', '–', '—', ':', ',']).trim();
    (!rest.is_empty()).then(|| rest.to_string())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    let rest = &text[prefix.len()..];
    let at_word_end = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
    (head.eq_ignore_ascii_case(prefix) && at_word_end).then_some(rest)
}

/// `472` minutes reads `7 h 52 min`; `30` reads `30 min`; `120` reads `2 h`.
pub fn format_minutes(minutes: u32) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    match (hours, rest) {
        (0, rest) => format!("{rest} min"),
        (hours, 0) => format!("{hours} h"),
        (hours, rest) => format!("{hours} h {rest} min"),
    }
}

/// The markdown without a leading `# Title` line that repeats the page title, because
/// the template shows the title as the page's heading already.
pub(crate) fn without_title_heading<'a>(markdown: &'a str, title: &str) -> &'a str {
    let trimmed = markdown.trim_start();
    let (first_line, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    match first_line.trim_end().strip_prefix("# ") {
        Some(heading) if heading.trim().trim_end_matches('#').trim() == title.trim() => rest,
        _ => markdown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan::PriorityClaim;
    use crate::model::Span;

    #[test]
    fn minutes_read_as_hours_and_minutes() {
        assert_eq!(format_minutes(0), "0 min");
        assert_eq!(format_minutes(45), "45 min");
        assert_eq!(format_minutes(120), "2 h");
        assert_eq!(format_minutes(472), "7 h 52 min");
    }

    #[test]
    fn priority_badge_uses_the_plans_word_capitalized() {
        let mut plan = Plan::default();
        plan.claimed.priorities.push(PriorityClaim {
            priority: Priority(2),
            label: "MEDIUM-ish".into(),
            tasks: 3,
            percent: None,
            span: Span::default(),
        });
        assert_eq!(
            priority_view(Priority(2), Some(&plan)).text,
            "P2 Medium-ish"
        );
        let fallback = priority_view(Priority(0), Some(&plan));
        assert_eq!(fallback.text, "P0 Critical");
        assert_eq!(fallback.class, "priority-p0");
        assert_eq!(priority_view(Priority(7), None).class, "priority-p4");
    }

    #[test]
    fn priority_detail_is_what_follows_level_and_word() {
        let badge = priority_view(Priority(0), None);
        assert_eq!(
            priority_detail("P0 CRITICAL (resource saving)", &badge).as_deref(),
            Some("(resource saving)")
        );
        assert_eq!(priority_detail("P0 CRITICAL", &badge), None);
        assert_eq!(
            priority_detail("P0 Criticality review", &badge).as_deref(),
            Some("Criticality review")
        );
    }

    #[test]
    fn title_heading_is_dropped_only_when_it_repeats_the_title() {
        assert_eq!(without_title_heading("# Plan\n\nBody", "Plan"), "\nBody");
        assert_eq!(
            without_title_heading("# Other\nBody", "Plan"),
            "# Other\nBody"
        );
        assert_eq!(without_title_heading("Body", "Plan"), "Body");
    }
}
