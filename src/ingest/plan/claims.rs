//! Plan reader, claimed totals: the plan's statements about itself in, numbers out. Reads
//! `**Total Tasks:** 24` values and the overview's `- P0 (Critical): 11 tasks (46%)`
//! lines; a later analysis compares them with what was actually counted.

use crate::ingest::outline::read_list_line;

use super::epic::leading_number;

/// A `- P0 (Critical): 11 tasks (46%)` line, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPriorityClaim<'a> {
    pub level: u8,
    pub label: &'a str,
    pub tasks: u32,
    pub percent: Option<u32>,
}

/// The first whole number in a value such as `24` or `about 24 tasks`.
pub fn first_number(value: &str) -> Option<u32> {
    let start = value.find(|c: char| c.is_ascii_digit())?;
    leading_number(&value[start..]).map(|(number, _)| number)
}

/// Reads one overview line; `None` when it is not a priority claim.
pub fn parse_priority_claim(line: &str) -> Option<RawPriorityClaim<'_>> {
    let item = read_list_line(line.trim_start(), 0)?;
    let after_p = item.text.strip_prefix(['P', 'p'])?;
    let (level, rest) = leading_number(after_p)?;
    let level = u8::try_from(level).ok().filter(|l| *l <= 4)?;
    let (label_part, count_part) = rest.split_once(':')?;
    let label = label_part
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    let (tasks, after_count) = leading_number(count_part.trim_start())?;
    Some(RawPriorityClaim {
        level,
        label,
        tasks,
        percent: read_percent(after_count),
    })
}

/// `(46%)` or `46.4%` anywhere in `text`, rounded.
fn read_percent(text: &str) -> Option<u32> {
    let percent_sign = text.find('%')?;
    let before = &text[..percent_sign];
    let number_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, _)| i)?;
    let value: f64 = before[number_start..].parse().ok()?;
    (value.is_finite() && (0.0..=1000.0).contains(&value)).then(|| value.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_claim_line_gives_level_label_count_and_percent() {
        let claim = parse_priority_claim("- P1 (High):     10 tasks (42%)").expect("claim");
        assert_eq!(
            claim,
            RawPriorityClaim {
                level: 1,
                label: "High",
                tasks: 10,
                percent: Some(42)
            }
        );
    }

    #[test]
    fn claim_without_parentheses_or_percent() {
        let claim = parse_priority_claim("* P3 Low: 2 tasks").expect("claim");
        assert_eq!(
            (claim.level, claim.label, claim.tasks, claim.percent),
            (3, "Low", 2, None)
        );
        let claim = parse_priority_claim("- P2: 5 tasks (12.6%)").expect("claim");
        assert_eq!((claim.label, claim.percent), ("", Some(13)));
    }

    #[test]
    fn lines_that_are_not_claims() {
        assert_eq!(parse_priority_claim("- Week 1: P0 tasks"), None);
        assert_eq!(parse_priority_claim("P0 (Critical): 11 tasks"), None);
        assert_eq!(parse_priority_claim("- P9 (Odd): 1 task"), None);
        assert_eq!(parse_priority_claim("- P0 (Critical): many"), None);
    }

    #[test]
    fn first_number_skips_words() {
        assert_eq!(first_number("24"), Some(24));
        assert_eq!(first_number("about 7 epics"), Some(7));
        assert_eq!(first_number("several"), None);
    }
}
