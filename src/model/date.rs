//! Calendar dates (model): ISO `YYYY-MM-DD` text to a day number and back, in the
//! proleptic Gregorian calendar. Ingest checks that a runbook's dates are real days and
//! render judges review due dates with the same arithmetic, so it lives here, where both
//! stages may look. No clock: the reference day comes from the build's settings.

/// Year, month and day of exactly `YYYY-MM-DD`, not yet checked for a real day.
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
    fn day_numbers_round_trip() {
        let days = days_of_iso("2026-01-04").unwrap();
        assert_eq!(iso_of_days(days), "2026-01-04");
        assert_eq!(iso_of_days(days + 30), "2026-02-03");
        assert_eq!(days_of_iso("1970-01-01"), Some(0));
    }

    #[test]
    fn impossible_days_and_other_shapes_have_no_number() {
        assert_eq!(days_of_iso("2024-02-29"), Some(19_782));
        assert_eq!(days_of_iso("2026-02-29"), None);
        assert_eq!(days_of_iso("2026-13-01"), None);
        assert_eq!(days_of_iso("2026-1-04"), None);
        assert_eq!(iso_of_days(-1), "1969-12-31");
    }
}
