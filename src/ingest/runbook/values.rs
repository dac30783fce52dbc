//! Runbook metadata values (ingest stage): the text of one field in, a typed value out.
//! Severity on the P0–P4 or SEV1–SEV5 scale and calendar dates (durations, review
//! intervals included, are read by `ingest::duration`). Each reader returns `None` for
//! text it cannot read; the caller reports it.

use crate::model::date::days_of_iso;

/// A severity read from text: level 0 (most severe) to 4, and the word for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeverityValue {
    pub level: u8,
    pub name: String,
}

/// The scale's word for a level when the author gives none.
pub fn severity_word(level: u8) -> &'static str {
    match level {
        0 => "Critical",
        1 => "High",
        2 => "Medium",
        3 => "Low",
        _ => "Informational",
    }
}

/// `P0 (Critical)`, `p1`, `SEV1`, `Sev-2 - major`, `critical`: the level and its word.
/// SEV1 is the most severe, so it is level 0 like P0.
pub fn read_severity(text: &str) -> Option<SeverityValue> {
    let trimmed = text.trim();
    let lower = trimmed.to_lowercase();
    let level = scale_level(&lower).or_else(|| word_level(&lower))?;
    let name = author_word(trimmed).unwrap_or_else(|| severity_word(level).to_string());
    Some(SeverityValue { level, name })
}

/// The level from a `P<n>` or `SEV<n>` token at the start of the text.
fn scale_level(lower: &str) -> Option<u8> {
    let (rest, offset) = if let Some(rest) = lower.strip_prefix("sev") {
        (rest.trim_start_matches(['-', ' ', '_']), 1)
    } else if let Some(rest) = lower.strip_prefix('p') {
        (rest, 0)
    } else {
        return None;
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].chars().next();
    if digits.is_empty() || after.is_some_and(char::is_alphanumeric) {
        return None;
    }
    let number: u8 = digits.parse().ok()?;
    let level = number.checked_sub(offset)?;
    (level <= 4).then_some(level)
}

/// The level named by a word alone (`critical`, `warning`, ...).
fn word_level(lower: &str) -> Option<u8> {
    let first = lower
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())?;
    match first {
        "critical" | "blocker" | "emergency" => Some(0),
        "high" | "major" | "error" => Some(1),
        "medium" | "moderate" | "warning" => Some(2),
        "low" | "minor" => Some(3),
        "info" | "informational" | "none" => Some(4),
        _ => None,
    }
}

/// `Critical` from `P0 (Critical)` or `SEV1 - Critical`; the whole text for a word alone.
fn author_word(text: &str) -> Option<String> {
    if let (Some(open), Some(close)) = (text.find('('), text.rfind(')')) {
        if open < close {
            return Some(text[open + 1..close].trim().to_string()).filter(|w| !w.is_empty());
        }
    }
    let lower = text.to_lowercase();
    if scale_level(&lower).is_some() {
        let rest = text
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '-' || c == '_')
            .trim_start_matches([' ', '-', ':', '–', '—'])
            .trim();
        return Some(rest.to_string()).filter(|w| !w.is_empty());
    }
    word_level(&lower).map(|_| capitalize(text.trim()))
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `2026-01-04` (optionally followed by more text): the ISO date, checked for a real day.
pub fn read_date(text: &str) -> Option<String> {
    let head = text.trim().get(..10)?;
    days_of_iso(head).map(|_| head.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_and_sev_scales_normalise_to_the_same_level() {
        let p0 = read_severity("P0 (Critical)").unwrap();
        assert_eq!((p0.level, p0.name.as_str()), (0, "Critical"));
        let sev1 = read_severity("SEV1").unwrap();
        assert_eq!((sev1.level, sev1.name.as_str()), (0, "Critical"));
        let sev3 = read_severity("Sev-3 - degraded").unwrap();
        assert_eq!((sev3.level, sev3.name.as_str()), (2, "degraded"));
        assert_eq!(read_severity("critical").unwrap().level, 0);
        assert_eq!(read_severity("warning").unwrap().level, 2);
        assert_eq!(read_severity("P9"), None);
        assert_eq!(read_severity("Pending"), None);
        assert_eq!(read_severity("SEV0"), None);
    }

    #[test]
    fn dates_must_be_real_calendar_days() {
        assert_eq!(read_date("2026-01-04"), Some("2026-01-04".into()));
        assert_eq!(
            read_date("2026-01-04 (after drill)"),
            Some("2026-01-04".into())
        );
        assert_eq!(read_date("2026-02-30"), None);
        assert_eq!(read_date("January"), None);
    }
}
