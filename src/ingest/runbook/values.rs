//! Runbook metadata values (ingest stage): the text of one field in, a typed value out.
//! Severity on the P0–P4 or SEV1–SEV5 scale, durations such as `< 10 minutes`, calendar
//! dates and review intervals such as `Monthly`. Each reader returns `None` for text it
//! cannot read; the caller reports it.

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

/// `10 minutes`, `<10 min`, `1 hour`, `1h 30m`, `2 days`: the total in minutes.
pub fn read_minutes(text: &str) -> Option<u32> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let mut rest = &text[start..];
    let mut total = 0u32;
    loop {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let number: u32 = rest[..digits].parse().ok()?;
        let after = rest[digits..].trim_start();
        let unit = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let factor = unit_minutes(&after[..unit].to_lowercase())?;
        total = total.checked_add(number.checked_mul(factor)?)?;
        rest = after[unit..].trim_start();
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(total);
        }
    }
}

fn unit_minutes(unit: &str) -> Option<u32> {
    match unit {
        "m" | "min" | "mins" | "minute" | "minutes" => Some(1),
        "h" | "hr" | "hrs" | "hour" | "hours" => Some(60),
        "d" | "day" | "days" => Some(24 * 60),
        "w" | "week" | "weeks" => Some(7 * 24 * 60),
        _ => None,
    }
}

/// `2026-01-04` (optionally followed by more text): the ISO date, checked for a real day.
pub fn read_date(text: &str) -> Option<String> {
    let head = text.trim().get(..10)?;
    days_of_iso(head).map(|_| head.to_string())
}

/// `Monthly`, `quarterly`, `90 days`, `6 weeks`, `3 months`: the interval in days.
pub fn read_interval_days(text: &str) -> Option<u32> {
    let lower = text.trim().to_lowercase();
    let word = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .find(|w| !w.is_empty())?;
    let named = match word {
        "daily" => Some(1),
        "weekly" => Some(7),
        "fortnightly" | "biweekly" | "bi-weekly" => Some(14),
        "monthly" => Some(30),
        "quarterly" => Some(90),
        "half-yearly" | "semiannually" | "semi-annually" | "biannually" => Some(182),
        "yearly" | "annually" | "annual" => Some(365),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    let digits: String = lower.chars().take_while(char::is_ascii_digit).collect();
    let number: u32 = digits.parse().ok()?;
    let unit: String = lower[digits.len()..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let factor = match unit.as_str() {
        "" | "d" | "day" | "days" => 1,
        "w" | "week" | "weeks" => 7,
        "month" | "months" => 30,
        "y" | "year" | "years" => 365,
        _ => return None,
    };
    number.checked_mul(factor).filter(|days| *days > 0)
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
    fn durations_read_in_minutes() {
        assert_eq!(read_minutes("10 minutes"), Some(10));
        assert_eq!(read_minutes("<10 min"), Some(10));
        assert_eq!(read_minutes("1 hour"), Some(60));
        assert_eq!(read_minutes("1h 30m"), Some(90));
        assert_eq!(read_minutes("soon"), None);
        assert_eq!(read_minutes("10 parsecs"), None);
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

    #[test]
    fn review_intervals_read_words_and_counts() {
        assert_eq!(read_interval_days("Monthly"), Some(30));
        assert_eq!(read_interval_days("quarterly"), Some(90));
        assert_eq!(read_interval_days("90 days"), Some(90));
        assert_eq!(read_interval_days("6 weeks"), Some(42));
        assert_eq!(read_interval_days("whenever"), None);
    }
}
