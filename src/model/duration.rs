//! Durations as written: `2 days`, `3-4 hours`, `15 min`, `1h30m`. Built by
//! `ingest::duration` for plan ETAs and epic durations and for runbook targets and review
//! intervals. A duration keeps each quantity and unit the author wrote; it becomes minutes
//! only when the caller says how long a day is, because `2 days` is 16 hours of work in a
//! plan of 8-hour days, 12 in a plan of 6-hour days and 48 hours of wall-clock time in a
//! runbook's recovery target. No parsing and no configuration live here.

use serde::Serialize;

/// The unit a quantity is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DurationUnit {
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
}

/// One `quantity unit` pair: `2 days`, the `30m` of `1h30m`, or a range `3-4 hours`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DurationPart {
    /// The quantity, or the smaller end of a range (the `3` of `3-4 hours`).
    pub low: f64,
    /// The larger end of a range; equal to `low` when no range is written.
    pub high: f64,
    pub unit: DurationUnit,
}

/// A duration: the parts the author wrote, which add up (`1 hour 15 minutes` is two).
///
/// Where one figure is needed a range counts as its upper end, on both sides of a
/// comparison: an epic of `2-3 days` is given up to 3 days, and a task of `3-4 hours` may
/// take up to 4.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duration {
    /// In the order written; never empty when built by the reader.
    pub parts: Vec<DurationPart>,
}

impl Duration {
    /// A single quantity, e.g. `Duration::of(2.0, DurationUnit::Days)`.
    pub fn of(quantity: f64, unit: DurationUnit) -> Duration {
        Duration {
            parts: vec![DurationPart {
                low: quantity,
                high: quantity,
                unit,
            }],
        }
    }

    /// The duration in minutes of days as long as `day` says (upper end of a range).
    pub fn minutes(&self, day: DayLength) -> f64 {
        self.parts
            .iter()
            .map(|part| part.high * day.unit_minutes(part.unit))
            .sum()
    }

    /// [`Duration::minutes`] rounded to whole minutes (at most `u32::MAX`).
    pub fn whole_minutes(&self, day: DayLength) -> u32 {
        // `as` saturates: NaN gives 0 and anything above the range `u32::MAX`.
        self.minutes(day).round() as u32
    }

    /// The duration in days of `day`'s length (upper end of a range).
    pub fn days(&self, day: DayLength) -> f64 {
        self.minutes(day) / day.minutes_per_day()
    }
}

/// How long a day, a week, a month and a year are when a duration becomes minutes: the
/// caller's choice between working time (plans) and wall-clock time (runbooks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayLength {
    hours_per_day: f64,
    days_per_week: f64,
    days_per_month: f64,
    days_per_year: f64,
}

impl DayLength {
    /// Wall-clock time: 24-hour days, 7-day weeks, 30-day months, 365-day years. Runbook
    /// recovery targets and review intervals are counted on the calendar.
    pub const CALENDAR: DayLength = DayLength {
        hours_per_day: 24.0,
        days_per_week: 7.0,
        days_per_month: 30.0,
        days_per_year: 365.0,
    };

    /// The working day plans assume when `[plans] hours_per_day` is not set: 8 hours.
    pub const STANDARD_WORKDAY: DayLength = DayLength::working(8.0);

    /// Working time: `hours_per_day` hours make a day and five days a week, because plans
    /// estimate effort. A working year is 52 such weeks and a month a twelfth of it.
    pub const fn working(hours_per_day: f64) -> DayLength {
        DayLength {
            hours_per_day,
            days_per_week: 5.0,
            days_per_month: 5.0 * 52.0 / 12.0,
            days_per_year: 5.0 * 52.0,
        }
    }

    pub fn hours_per_day(self) -> f64 {
        self.hours_per_day
    }

    pub fn minutes_per_day(self) -> f64 {
        self.hours_per_day * 60.0
    }

    /// Minutes in one `unit`.
    pub fn unit_minutes(self, unit: DurationUnit) -> f64 {
        match unit {
            DurationUnit::Minutes => 1.0,
            DurationUnit::Hours => 60.0,
            DurationUnit::Days => self.minutes_per_day(),
            DurationUnit::Weeks => self.days_per_week * self.minutes_per_day(),
            DurationUnit::Months => self.days_per_month * self.minutes_per_day(),
            DurationUnit::Years => self.days_per_year * self.minutes_per_day(),
        }
    }
}

/// Serialises a duration field for `dump-model`: the text as written, the duration read
/// from it, one figure worked out from it (`minutes`, `days`) and the span. ETAs, runbook
/// targets and review intervals share this shape.
pub(crate) fn serialize_written_duration<S: serde::Serializer>(
    serializer: S,
    (type_name, text_key): (&'static str, &'static str),
    text: &str,
    duration: &Option<&Duration>,
    (figure_key, figure): (&'static str, Option<u32>),
    span: &super::span::Span,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut out = serializer.serialize_struct(type_name, 4)?;
    out.serialize_field(text_key, text)?;
    out.serialize_field("duration", duration)?;
    out.serialize_field(figure_key, &figure)?;
    out.serialize_field("span", span)?;
    out.end()
}

/// Plans count 8-hour working days unless `[plans] hours_per_day` says otherwise.
impl Default for DayLength {
    fn default() -> Self {
        DayLength::STANDARD_WORKDAY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(low: f64, high: f64, unit: DurationUnit) -> DurationPart {
        DurationPart { low, high, unit }
    }

    #[test]
    fn days_and_weeks_follow_the_day_length_and_hours_do_not() {
        let two_days = Duration::of(2.0, DurationUnit::Days);
        assert_eq!(two_days.minutes(DayLength::STANDARD_WORKDAY), 960.0);
        assert_eq!(two_days.minutes(DayLength::working(6.0)), 720.0);
        assert_eq!(two_days.minutes(DayLength::CALENDAR), 2880.0);
        let week = Duration::of(1.0, DurationUnit::Weeks);
        assert_eq!(week.minutes(DayLength::STANDARD_WORKDAY), 2400.0);
        assert_eq!(week.minutes(DayLength::CALENDAR), 10_080.0);
        let hours = Duration::of(3.0, DurationUnit::Hours);
        assert_eq!(hours.minutes(DayLength::working(6.0)), 180.0);
        assert_eq!(hours.minutes(DayLength::CALENDAR), 180.0);
    }

    #[test]
    fn calendar_months_and_years_are_30_and_365_days() {
        let quarter = Duration::of(3.0, DurationUnit::Months);
        assert_eq!(quarter.days(DayLength::CALENDAR), 90.0);
        let half_year = Duration::of(0.5, DurationUnit::Years);
        assert_eq!(half_year.days(DayLength::CALENDAR), 182.5);
        let year = Duration::of(1.0, DurationUnit::Years);
        assert_eq!(year.days(DayLength::working(6.0)), 260.0);
    }

    #[test]
    fn parts_add_up_and_a_range_counts_as_its_upper_end() {
        let mixed = Duration {
            parts: vec![
                part(1.0, 1.0, DurationUnit::Days),
                part(30.0, 45.0, DurationUnit::Minutes),
            ],
        };
        assert_eq!(mixed.minutes(DayLength::working(6.0)), 405.0);
        assert_eq!(mixed.days(DayLength::working(6.0)), 1.125);
    }

    #[test]
    fn whole_minutes_round_and_saturate() {
        let odd = Duration::of(0.01, DurationUnit::Hours);
        assert_eq!(odd.whole_minutes(DayLength::CALENDAR), 1);
        let huge = Duration::of(1e20, DurationUnit::Years);
        assert_eq!(huge.whole_minutes(DayLength::CALENDAR), u32::MAX);
    }
}
