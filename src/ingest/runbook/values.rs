//! Runbook metadata values (ingest stage): the text of one field in, a typed value out.
//! Severity on the P0–P4 or SEV1–SEV5 scale and calendar dates (durations, review
//! intervals included, are read by `ingest::duration`). Each reader returns `None` for
//! text it cannot read; the caller reports it.

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
    let (year, month, day) = split_date(head)?;
    (days_from_civil(year, month, day).is_some()).then(|| head.to_string())
}

fn split_date(text: &str) -> Option<(i64, u32, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = text[0..4].parse().ok()?;
    let month = text[5..7].parse().ok()?;
    let day = text[8..10].parse().ok()?;
    Some((year, month, day))
}

/// Days since 1970-01-01 of an ISO date.
pub fn days_of_iso(iso: &str) -> Option<i64> {
    let (year, month, day) = split_date(iso)?;
    days_from_civil(year, month, day)
}

/// The ISO date `days` after 1970-01-01.
pub fn iso_of_days(days: i64) -> String {
    // Howard Hinnant's civil-from-days, proleptic Gregorian.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month) || day == 0 || day > month_days[month as usize - 1] {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
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

    #[test]
    fn day_numbers_round_trip() {
        let days = days_of_iso("2026-01-04").unwrap();
        assert_eq!(iso_of_days(days), "2026-01-04");
        assert_eq!(iso_of_days(days + 30), "2026-02-03");
        assert_eq!(days_of_iso("1970-01-01"), Some(0));
    }
}
