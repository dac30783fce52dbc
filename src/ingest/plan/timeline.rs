//! Plan reader, the author's timeline: `### Day N: Title (P0)` headings and the lines
//! under them in, `TimelineDay`s with their `Morning:` / `Afternoon:` slots out. The day's
//! lines may sit in a fenced block or directly in the markdown; both read the same.

use crate::ingest::outline::{read_list_line, Heading, ListItem, SourceLine};
use crate::model::plan::{Priority, Text, Timeline, TimelineDay, TimelineSlot};
use crate::model::span::Span;

use super::epic::leading_number;
use super::reader::PlanReader;

/// A day heading, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayHeading {
    pub number: u32,
    pub title: String,
    pub priority: Option<u8>,
}

/// Reads `Day 3: Monitoring Upgrade (P1)` (also `Day 3 - ...`, `Day 3`).
pub fn parse_day_heading(text: &str) -> Option<DayHeading> {
    let head = text.get(..3)?;
    if !head.eq_ignore_ascii_case("day") || !text[3..].starts_with([' ', '\t']) {
        return None;
    }
    let (number, rest) = leading_number(text[3..].trim_start())?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix([':', '-', '.', '—', '–'])
        .or_else(|| rest.is_empty().then_some(rest))?
        .trim();
    let (title, priority) = split_priority_suffix(rest);
    Some(DayHeading {
        number,
        title: title.to_string(),
        priority,
    })
}

/// `Security (P0)` gives (`Security`, Some(0)).
fn split_priority_suffix(text: &str) -> (&str, Option<u8>) {
    let Some(inner_and_open) = text.strip_suffix(')') else {
        return (text, None);
    };
    let Some(open) = inner_and_open.rfind('(') else {
        return (text, None);
    };
    let inner = inner_and_open[open + 1..].trim();
    let level = inner
        .strip_prefix(['P', 'p'])
        .and_then(|digits| digits.parse::<u8>().ok())
        .filter(|level| *level <= 4);
    match level {
        Some(level) => (inner_and_open[..open].trim_end(), Some(level)),
        None => (text, None),
    }
}

/// The slot name of a `Morning:` or `**Evening:**` line.
pub fn parse_slot_name(line: &str) -> Option<&str> {
    let bare = line.trim().trim_matches('*').trim();
    let name = bare.strip_suffix(':')?.trim_end_matches('*').trim();
    let words = name.split_whitespace().count();
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || " ()-/&'".contains(c));
    let starts_with_letter = name.starts_with(|c: char| c.is_alphabetic());
    (starts_with_letter && plain && (1..=3).contains(&words)).then_some(name)
}

impl PlanReader<'_> {
    /// Adds a day to the timeline, creating the timeline (titled by the current section
    /// heading) on the first day.
    pub(super) fn start_day(&mut self, day: DayHeading, heading: &Heading<'_>) {
        let span = self.line_span(heading.line);
        let section_heading = self.section.heading.clone();
        let timeline = self.plan.timeline.get_or_insert_with(|| {
            let (title, span) = section_heading
                .map_or_else(|| ("Timeline".to_string(), span), |h| (h.text, h.span));
            Timeline {
                title,
                days: Vec::new(),
                span,
            }
        });
        timeline.days.push(TimelineDay {
            number: day.number,
            title: day.title,
            priority: day.priority.map(Priority),
            slots: Vec::new(),
            span,
        });
        self.current_day = Some(timeline.days.len() - 1);
    }

    /// Reads a day's lines: slot names and the items under them.
    pub(super) fn read_day_lines(&mut self, lines: &[SourceLine<'_>]) {
        for line in lines {
            self.read_day_line(*line);
        }
    }

    /// One line of a day: `Morning:` opens a slot, a list item is an item of the last
    /// slot; other text is prose and is left to the page.
    pub(super) fn read_day_line(&mut self, line: SourceLine<'_>) {
        let (trimmed, start) = line.trimmed_start();
        if let Some(name) = parse_slot_name(trimmed) {
            let span = self.line_span(line);
            self.push_slot(name, span);
        } else if let Some(item) = read_list_line(trimmed, start) {
            self.push_day_item(self.text_at(item.text, item.text_start));
        }
    }

    /// A list item outside any labelled list: a timeline item when inside a day.
    pub(super) fn read_stray_item(&mut self, item: &ListItem<'_>) {
        if self.current_day.is_some() {
            self.push_day_item(self.text_at(item.text, item.text_start));
        }
    }

    fn current_day_mut(&mut self) -> Option<&mut TimelineDay> {
        let index = self.current_day?;
        self.plan.timeline.as_mut()?.days.get_mut(index)
    }

    pub(super) fn push_slot(&mut self, name: &str, span: Span) {
        if let Some(day) = self.current_day_mut() {
            day.slots.push(TimelineSlot {
                name: name.to_string(),
                items: Vec::new(),
                span,
            });
        }
    }

    /// Adds an item to the day's last slot; items before any slot name go to a slot
    /// with an empty name.
    fn push_day_item(&mut self, item: Text) {
        let Some(day) = self.current_day_mut() else {
            return;
        };
        if day.slots.is_empty() {
            day.slots.push(TimelineSlot {
                name: String::new(),
                items: Vec::new(),
                span: item.span,
            });
        }
        if let Some(slot) = day.slots.last_mut() {
            slot.items.push(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_heading_gives_number_title_and_priority() {
        let day = parse_day_heading("Day 2: Rollout & Checks (P1)").expect("day");
        assert_eq!(
            day,
            DayHeading {
                number: 2,
                title: "Rollout & Checks".to_string(),
                priority: Some(1)
            }
        );
        let day = parse_day_heading("Day 7: P2 Tasks + Buffer").expect("day");
        assert_eq!(
            (day.title.as_str(), day.priority),
            ("P2 Tasks + Buffer", None)
        );
        let day = parse_day_heading("Day 4 - Cleanup (optional)").expect("day");
        assert_eq!(
            (day.title.as_str(), day.priority),
            ("Cleanup (optional)", None)
        );
    }

    #[test]
    fn headings_that_are_not_days() {
        assert_eq!(parse_day_heading("Daylight savings"), None);
        assert_eq!(parse_day_heading("Day one"), None);
        assert_eq!(parse_day_heading("Day 3 onwards"), None);
    }

    #[test]
    fn slot_names_are_short_labels_ending_in_a_colon() {
        assert_eq!(parse_slot_name("Morning:"), Some("Morning"));
        assert_eq!(parse_slot_name("**Late Evening:**"), Some("Late Evening"));
        assert_eq!(parse_slot_name("- Morning:"), None);
        assert_eq!(parse_slot_name("Note: later"), None);
        assert_eq!(parse_slot_name("Run these four commands first:"), None);
    }
}
