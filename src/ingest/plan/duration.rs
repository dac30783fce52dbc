//! Plan reader, durations: the text of an ETA or a `**Duration:**` value in, its reading
//! out (quantity and unit, or a number of minutes). Pure functions, no diagnostics: the
//! callers decide what an unreadable duration means.
//!
//! Working time, not wall-clock time: a day is 8 hours and a week is 5 such days, because
//! plans estimate effort (`# ETA: 2 days` is two working days, 960 minutes).

use crate::model::plan::DurationUnit;

/// Minutes in one working day (8 hours).
pub const MINUTES_PER_DAY: f64 = 8.0 * 60.0;
/// Minutes in one working week (5 working days).
pub const MINUTES_PER_WEEK: f64 = 5.0 * MINUTES_PER_DAY;

/// One `quantity unit` pair, e.g. `1.5 hours` or the `30m` of `1h30m`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DurationPart {
    pub quantity: f64,
    pub unit: DurationUnit,
}

impl DurationPart {
    pub fn minutes(self) -> f64 {
        self.quantity * unit_minutes(self.unit)
    }
}

fn unit_minutes(unit: DurationUnit) -> f64 {
    match unit {
        DurationUnit::Minutes => 1.0,
        DurationUnit::Hours => 60.0,
        DurationUnit::Days => MINUTES_PER_DAY,
        DurationUnit::Weeks => MINUTES_PER_WEEK,
    }
}

/// Reads the duration at the start of `text`: one or more `quantity unit` pairs
/// (`2 hours`, `1h30m`, `1 hour 15 minutes`); whatever follows them is ignored, so
/// `30 minutes setup, then automated` reads as 30 minutes. `None` when the text does not
/// start with a duration.
pub fn parse_duration_parts(text: &str) -> Option<Vec<DurationPart>> {
    let mut rest = text
        .trim_start()
        .trim_start_matches(['~', '≈'])
        .trim_start();
    if let Some(after) = strip_prefix_ignore_case(rest, "about ") {
        rest = after.trim_start();
    }
    let mut parts = Vec::new();
    while let Some((part, after)) = read_part(rest) {
        parts.push(part);
        rest = after.trim_start();
        if let Some(after_and) = strip_prefix_ignore_case(rest, "and ") {
            rest = after_and.trim_start();
        }
    }
    (!parts.is_empty()).then_some(parts)
}

/// The duration at the start of `text` in whole minutes (rounded), see
/// [`parse_duration_parts`].
pub fn parse_minutes(text: &str) -> Option<u32> {
    let parts = parse_duration_parts(text)?;
    let total: f64 = parts.iter().map(|part| part.minutes()).sum();
    if !total.is_finite() || total < 0.0 || total > f64::from(u32::MAX) {
        return None;
    }
    Some(total.round() as u32)
}

/// A single quantity and unit for a `**Duration:**` field: the pair as written when
/// there is one, else the sum expressed in the smallest unit used.
pub fn parse_quantity(text: &str) -> Option<DurationPart> {
    let parts = parse_duration_parts(text)?;
    if let [only] = parts.as_slice() {
        return Some(*only);
    }
    let smallest = parts
        .iter()
        .map(|part| part.unit)
        .min_by(|a, b| unit_minutes(*a).total_cmp(&unit_minutes(*b)))?;
    let total: f64 = parts.iter().map(|part| part.minutes()).sum();
    Some(DurationPart {
        quantity: total / unit_minutes(smallest),
        unit: smallest,
    })
}

/// Reads `1.5 hours`, `30min`, `1h` at the start of `text`; returns the rest.
fn read_part(text: &str) -> Option<(DurationPart, &str)> {
    let number_len = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(text.len(), |(i, _)| i);
    let quantity: f64 = text[..number_len].parse().ok()?;
    let after_number = text[number_len..].trim_start();
    let word_len = after_number
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphabetic())
        .map_or(after_number.len(), |(i, _)| i);
    let unit = unit_from_word(&after_number[..word_len])?;
    Some((DurationPart { quantity, unit }, &after_number[word_len..]))
}

fn unit_from_word(word: &str) -> Option<DurationUnit> {
    let unit = match word.to_ascii_lowercase().as_str() {
        "m" | "min" | "mins" | "minute" | "minutes" => DurationUnit::Minutes,
        "h" | "hr" | "hrs" | "hour" | "hours" => DurationUnit::Hours,
        "d" | "day" | "days" => DurationUnit::Days,
        "w" | "wk" | "wks" | "week" | "weeks" => DurationUnit::Weeks,
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

    #[test]
    fn eta_texts_read_as_minutes() {
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
            ("soon", None),
            ("", None),
            ("minutes", None),
            ("5 parsecs", None),
            ("1.2.3 hours", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_minutes(text), expected, "ETA {text:?}");
        }
    }

    #[test]
    fn duration_field_keeps_the_unit_as_written() {
        let part = parse_quantity("2 days").expect("readable");
        assert_eq!(part.quantity, 2.0);
        assert_eq!(part.unit, DurationUnit::Days);
        let part = parse_quantity("3 hours of focused work").expect("readable");
        assert_eq!(part.quantity, 3.0);
        assert_eq!(part.unit, DurationUnit::Hours);
    }

    #[test]
    fn mixed_duration_field_is_expressed_in_its_smallest_unit() {
        let part = parse_quantity("1h30m").expect("readable");
        assert_eq!(part.quantity, 90.0);
        assert_eq!(part.unit, DurationUnit::Minutes);
    }

    #[test]
    fn huge_numbers_do_not_overflow() {
        assert_eq!(parse_minutes("99999999999999999999 weeks"), None);
    }
}
