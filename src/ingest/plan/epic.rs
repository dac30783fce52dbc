//! Plan reader, epic facts: the `## Epic N: Title 🔴` heading text and the
//! `**Priority:**` value in, their readings out. Pure functions; the reader attaches
//! spans and diagnostics.

/// The parts of an epic heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpicHeading {
    pub number: u32,
    pub title: String,
    pub marker: Option<String>,
}

/// Reads `Epic 3: Title ⚡` (also `Epic 3 - Title`, `Epic 3. Title`, `Epic 3`).
pub fn parse_epic_heading(text: &str) -> Option<EpicHeading> {
    let head = text.get(..4)?;
    if !head.eq_ignore_ascii_case("epic") {
        return None;
    }
    let after_word = text[4..].trim_start();
    if after_word.len() == text.len() - 4 {
        return None; // `Epics`, `Epical`: the word must be followed by a space.
    }
    let (number, rest) = leading_number(after_word)?;
    let rest = rest.trim_start();
    let rest = match rest.chars().next() {
        Some(':' | '-' | '.' | '—' | '–') => {
            &rest[rest.chars().next().map_or(0, char::len_utf8)..]
        }
        None => rest,
        Some(_) => return None,
    };
    let (title, marker) = split_trailing_marker(rest.trim());
    Some(EpicHeading {
        number,
        title: title.to_string(),
        marker: marker.map(str::to_string),
    })
}

/// The number at the start of `text` and what follows it.
pub fn leading_number(text: &str) -> Option<(u32, &str)> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let number = text[..digits].parse().ok()?;
    Some((number, &text[digits..]))
}

/// Splits trailing emoji and symbols (`🔴`, `🗄️`) off a title. Letters, digits, ASCII
/// punctuation and spaces end the marker, so `(P0)` or `Café` stay in the title.
pub fn split_trailing_marker(text: &str) -> (&str, Option<&str>) {
    let is_marker_char = |c: char| c.is_whitespace() || (!c.is_alphanumeric() && !c.is_ascii());
    let title_end = text
        .char_indices()
        .rev()
        .find(|(_, c)| !is_marker_char(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let marker = text[title_end..].trim();
    let title = text[..title_end].trim_end();
    (title, (!marker.is_empty()).then_some(marker))
}

/// Reads a priority value: `P0 CRITICAL (resource saving)` gives 0; without a `Pn` word,
/// `Critical`/`High`/`Medium`/`Low` give 0..3.
pub fn parse_priority_level(value: &str) -> Option<u8> {
    let words = || {
        value
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
    };
    let explicit = words().find_map(|word| {
        let digits = word.strip_prefix(['P', 'p'])?;
        let level: u8 = digits.parse().ok()?;
        (level <= 4).then_some(level)
    });
    explicit.or_else(|| {
        words().find_map(|word| match word.to_lowercase().as_str() {
            "critical" | "urgent" => Some(0),
            "high" => Some(1),
            "medium" | "normal" => Some(2),
            "low" => Some(3),
            _ => None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epic_heading_gives_number_title_and_marker() {
        let heading = parse_epic_heading("Epic 4: Storage Hardening 🗄️").expect("epic");
        assert_eq!(heading.number, 4);
        assert_eq!(heading.title, "Storage Hardening");
        assert_eq!(heading.marker.as_deref(), Some("🗄️"));
    }

    #[test]
    fn epic_heading_without_marker_or_with_dash() {
        let heading = parse_epic_heading("Epic 12 - Faster CI/CD").expect("epic");
        assert_eq!(
            (heading.number, heading.title.as_str()),
            (12, "Faster CI/CD")
        );
        assert_eq!(heading.marker, None);
    }

    #[test]
    fn headings_that_are_not_epics() {
        assert_eq!(parse_epic_heading("Epic Overview"), None);
        assert_eq!(parse_epic_heading("Epics 1"), None);
        assert_eq!(parse_epic_heading("Epic 1x: odd"), None);
        assert_eq!(parse_epic_heading("Execution Timeline"), None);
    }

    #[test]
    fn title_keeps_accents_and_ascii_punctuation() {
        assert_eq!(
            split_trailing_marker("Café (P0) ✅ 🚀"),
            ("Café (P0)", Some("✅ 🚀"))
        );
        assert_eq!(split_trailing_marker("🚀"), ("", Some("🚀")));
    }

    #[test]
    fn priority_values_map_to_levels() {
        assert_eq!(parse_priority_level("P0 CRITICAL"), Some(0));
        assert_eq!(parse_priority_level("P1 HIGH"), Some(1));
        assert_eq!(
            parse_priority_level("P0 CRITICAL (resource saving)"),
            Some(0)
        );
        assert_eq!(parse_priority_level("High"), Some(1));
        assert_eq!(parse_priority_level("medium"), Some(2));
        assert_eq!(parse_priority_level("Low, later"), Some(3));
        assert_eq!(parse_priority_level("Low but P2"), Some(2));
        assert_eq!(parse_priority_level("whenever"), None);
    }
}
