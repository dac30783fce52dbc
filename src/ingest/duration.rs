//! Durations (ingest stage): the text of a plan task's ETA, an epic's `**Duration:**`, a
//! runbook's MTTR/RTO/RPO target or its review interval in; a `model::Duration` out, with
//! each quantity and unit as written. One grammar and one table of unit words for all of
//! them; how long a day is is decided later, by whoever turns the duration into minutes.
//! Pure functions, no diagnostics: the callers decide what an unreadable duration means.

use crate::model::duration::{DayLength, Duration, DurationPart, DurationUnit};

/// Words that may come before a duration and do not change it: an estimate (`~2 hours`,
/// `about 2 hours`) or a target's bound (`< 10 minutes`, `under 1 hour`).
const QUALIFIERS: [&str; 14] = [
    "~",
    "≈",
    "<=",
    "<",
    "≤",
    "about ",
    "approximately ",
    "approx. ",
    "around ",
    "under ",
    "within ",
    "up to ",
    "less than ",
    "at most ",
];

/// Reads the duration at the start of `text`: one or more `quantity unit` pairs (`2 hours`,
/// `1h30m`, `1 hour and 15 minutes`), each quantity possibly a range (`3-4 hours`,
/// `2 to 3 days`); whatever follows is ignored, so `30 minutes setup, then automated`
/// reads as 30 minutes. `None` when the text does not start with a duration, or with one
/// too long to count in minutes.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let mut rest = skip_qualifier(text.trim_start());
    let mut parts = Vec::new();
    while let Some((part, after)) = read_part(rest) {
        parts.push(part);
        rest = after.trim_start();
        if let Some(after_and) = strip_prefix_ignore_case(rest, "and ") {
            rest = after_and.trim_start();
        }
    }
    let duration = Duration { parts };
    // The longest reading any caller can give is calendar time (a working day is at most
    // 24 hours); past `u32::MAX` minutes (8,000 years) the text is not a real estimate.
    let fits = duration.minutes(DayLength::CALENDAR) <= f64::from(u32::MAX);
    (!duration.parts.is_empty() && fits).then_some(duration)
}

/// Reads a review interval: a frequency word (`Monthly`, `quarterly`, `bi-weekly`), a
/// duration of at least a day (`90 days`, `6 weeks`, `3 months`) or a bare number of
/// days (`90`). `None` for anything else, or for less than a calendar day.
pub fn parse_interval(text: &str) -> Option<Duration> {
    let lower = text.trim().to_lowercase();
    let duration = frequency(&lower)
        .or_else(|| parse_duration(&lower).filter(|d| d.parts.iter().all(day_or_longer)))
        .or_else(|| bare_days(&lower))?;
    (duration.days(DayLength::CALENDAR) >= 1.0).then_some(duration)
}

/// The period a frequency word names, from the first word of `lower`.
fn frequency(lower: &str) -> Option<Duration> {
    let word = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .find(|w| !w.is_empty())?;
    let (quantity, unit) = match word {
        "daily" => (1.0, DurationUnit::Days),
        "weekly" => (1.0, DurationUnit::Weeks),
        "fortnightly" | "biweekly" | "bi-weekly" => (2.0, DurationUnit::Weeks),
        "monthly" => (1.0, DurationUnit::Months),
        "quarterly" => (3.0, DurationUnit::Months),
        "half-yearly" | "semiannually" | "semi-annually" | "biannually" => {
            (0.5, DurationUnit::Years)
        }
        "yearly" | "annually" | "annual" => (1.0, DurationUnit::Years),
        _ => return None,
    };
    Some(Duration::of(quantity, unit))
}

/// `90` or `90 (see policy)`: a number not followed by a word counts days.
fn bare_days(lower: &str) -> Option<Duration> {
    let (quantity, rest) = read_number(lower)?;
    let unit_follows = rest.trim_start().starts_with(char::is_alphabetic);
    (!unit_follows).then(|| Duration::of(quantity, DurationUnit::Days))
}

fn day_or_longer(part: &DurationPart) -> bool {
    part.unit >= DurationUnit::Days
}

fn skip_qualifier(text: &str) -> &str {
    QUALIFIERS
        .iter()
        .find_map(|word| strip_prefix_ignore_case(text, word))
        .map_or(text, str::trim_start)
}

/// Reads `1.5 hours`, `30min`, `1h`, `3-4 hours` at the start of `text`; returns the rest.
fn read_part(text: &str) -> Option<(DurationPart, &str)> {
    let (low, after_low) = read_number(text)?;
    let (high, after_number) = match read_range_end(after_low) {
        Some((high, after_high)) if high >= low => (high, after_high),
        Some(_) => return None,
        None => (low, after_low),
    };
    let after_number = after_number.trim_start();
    let word_len = after_number
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphabetic())
        .map_or(after_number.len(), |(i, _)| i);
    let unit = unit_from_word(&after_number[..word_len])?;
    let part = DurationPart { low, high, unit };
    Some((part, &after_number[word_len..]))
}

/// The `-4` of `3-4 hours` (also `–`, `—` and `to`), when the text goes on with one.
fn read_range_end(text: &str) -> Option<(f64, &str)> {
    let rest = text.trim_start();
    let after_sign = ["-", "–", "—", "to "]
        .iter()
        .find_map(|sign| strip_prefix_ignore_case(rest, sign))?;
    read_number(after_sign.trim_start())
}

/// A decimal number at the very start of `text` (`2`, `1.5`); the rest after it.
fn read_number(text: &str) -> Option<(f64, &str)> {
    let len = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(text.len(), |(i, _)| i);
    let number = text[..len].parse().ok()?;
    Some((number, &text[len..]))
}

fn unit_from_word(word: &str) -> Option<DurationUnit> {
    let unit = match word.to_ascii_lowercase().as_str() {
        "m" | "min" | "mins" | "minute" | "minutes" => DurationUnit::Minutes,
        "h" | "hr" | "hrs" | "hour" | "hours" => DurationUnit::Hours,
        "d" | "day" | "days" => DurationUnit::Days,
        "w" | "wk" | "wks" | "week" | "weeks" => DurationUnit::Weeks,
        "mo" | "mos" | "month" | "months" => DurationUnit::Months,
        "y" | "yr" | "yrs" | "year" | "years" => DurationUnit::Years,
        _ => return None,
    };
    Some(unit)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minutes of an 8-hour working day, as the plan analyses count by default.
    fn working_minutes(text: &str) -> Option<u32> {
        parse_duration(text).map(|d| d.whole_minutes(DayLength::STANDARD_WORKDAY))
    }

    fn parts(text: &str) -> Vec<(f64, f64, DurationUnit)> {
        let duration = parse_duration(text).expect("readable");
        duration
            .parts
            .iter()
            .map(|p| (p.low, p.high, p.unit))
            .collect()
    }

    #[test]
    fn eta_texts_read_as_working_minutes() {
        let table = [
            ("5 minutes", Some(5)),
            ("1 hour", Some(60)),
            ("2 hours", Some(120)),
            ("1.5 hours", Some(90)),
            ("30 min", Some(30)),
            ("1h30m", Some(90)),
            ("1h 30m", Some(90)),
            ("1 hour and 15 minutes", Some(75)),
            ("2 days", Some(960)),
            ("1 week", Some(2400)),
            ("30 minutes setup, then automated", Some(30)),
            ("~45 mins", Some(45)),
            ("about 2 hrs", Some(120)),
            ("< 10 minutes", Some(10)),
            ("<10 min", Some(10)),
            ("Under 1 hour", Some(60)),
            ("soon", None),
            ("", None),
            ("minutes", None),
            ("5 parsecs", None),
            ("1.2.3 hours", None),
            ("in 5 minutes", None),
        ];
        for (text, expected) in table {
            assert_eq!(working_minutes(text), expected, "ETA {text:?}");
        }
    }

    #[test]
    fn quantities_and_units_are_kept_as_written() {
        assert_eq!(parts("2 days"), [(2.0, 2.0, DurationUnit::Days)]);
        assert_eq!(
            parts("3 hours of focused work"),
            [(3.0, 3.0, DurationUnit::Hours)]
        );
        assert_eq!(
            parts("1h30m"),
            [
                (1.0, 1.0, DurationUnit::Hours),
                (30.0, 30.0, DurationUnit::Minutes)
            ]
        );
        assert_eq!(parts("15 min"), [(15.0, 15.0, DurationUnit::Minutes)]);
    }

    #[test]
    fn ranges_keep_both_ends_and_count_as_the_upper_one() {
        assert_eq!(parts("3-4 hours"), [(3.0, 4.0, DurationUnit::Hours)]);
        assert_eq!(parts("2 – 3 days"), [(2.0, 3.0, DurationUnit::Days)]);
        assert_eq!(parts("2 to 3 weeks"), [(2.0, 3.0, DurationUnit::Weeks)]);
        assert_eq!(
            parts("8-10 hours (2-3 sessions)"),
            [(8.0, 10.0, DurationUnit::Hours)]
        );
        assert_eq!(working_minutes("1-2 days"), Some(960));
        assert_eq!(parse_duration("4-3 hours"), None);
        assert_eq!(parse_duration("2-day sprint"), None);
    }

    #[test]
    fn runbook_targets_read_in_wall_clock_minutes() {
        let calendar = |text| parse_duration(text).map(|d| d.whole_minutes(DayLength::CALENDAR));
        assert_eq!(calendar("10 minutes"), Some(10));
        assert_eq!(calendar("1h 30m"), Some(90));
        assert_eq!(calendar("2 days"), Some(2880));
        assert_eq!(calendar("1 week"), Some(10_080));
        assert_eq!(calendar("10 parsecs"), None);
    }

    #[test]
    fn huge_numbers_do_not_overflow() {
        assert_eq!(parse_duration("99999999999999999999 weeks"), None);
    }

    #[test]
    fn review_intervals_read_words_counts_and_bare_days() {
        let days = |text| parse_interval(text).map(|d| d.days(DayLength::CALENDAR));
        assert_eq!(days("Monthly"), Some(30.0));
        assert_eq!(days("quarterly"), Some(90.0));
        assert_eq!(days("Bi-weekly reviews"), Some(14.0));
        assert_eq!(days("half-yearly"), Some(182.5));
        assert_eq!(days("90 days"), Some(90.0));
        assert_eq!(days("6 weeks"), Some(42.0));
        assert_eq!(days("3 months"), Some(90.0));
        assert_eq!(days("1 year"), Some(365.0));
        assert_eq!(days("90"), Some(90.0));
        assert_eq!(days("whenever"), None);
        assert_eq!(days("0 days"), None);
        assert_eq!(days("36 hours"), None);
        assert_eq!(days("90 m"), None);
    }
}
