//! Text sizes for the swimlane: no font is loaded at build time, so widths are estimated
//! per character class, on the generous side (a label a little short reads fine; text
//! that spills out of its box does not). Labels are wrapped into a few lines and the
//! last kept line ends in `…` when the text is longer; the full text is in `<title>`.

/// Estimated width of `text` at `font` px in the body font.
pub(super) fn text_width(text: &str, font: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * font
}

/// Estimated width of `text` at `font` px in the monospace font.
pub(super) fn mono_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * 0.62 * font
}

/// Width of one character as a fraction of the font size.
fn char_width(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '(' | ')' | '[' | ']' => 0.32,
        'f' | 't' | 'r' | ' ' | '-' | '/' | '"' => 0.42,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.92,
        c if c.is_ascii_uppercase() || c.is_ascii_digit() => 0.68,
        c if c.is_ascii() => 0.58,
        // CJK, emoji and other wide characters.
        c if (c as u32) >= 0x1100 => 1.15,
        _ => 0.68,
    }
}

/// `text` in at most `max_lines` lines of at most `width` px at `font` px, broken at
/// spaces (a word wider than a line is cut); when text is left over, the last line ends
/// in `…`.
pub(super) fn fit_lines(text: &str, width: f64, font: f64, max_lines: usize) -> Vec<String> {
    let max_lines = max_lines.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    words.reverse();
    let mut truncated = false;
    while let Some(word) = words.pop() {
        let candidate = if line.is_empty() {
            word.clone()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, font) <= width {
            line = candidate;
            continue;
        }
        if line.is_empty() {
            // A word wider than the line: keep what fits, the rest goes on.
            let (head, tail) = split_to_width(&word, width, font);
            line = head;
            if !tail.is_empty() {
                words.push(tail);
            }
        } else {
            words.push(word);
        }
        if lines.len() + 1 == max_lines {
            truncated = true;
            break;
        }
        lines.push(std::mem::take(&mut line));
    }
    if truncated {
        line = with_ellipsis(&line, width, font);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The longest start of `word` that fits `width` (at least one character), and the rest.
fn split_to_width(word: &str, width: f64, font: f64) -> (String, String) {
    let mut head = String::new();
    let mut chars = word.chars().peekable();
    while let Some(&c) = chars.peek() {
        let mut next = head.clone();
        next.push(c);
        if !head.is_empty() && text_width(&next, font) > width {
            break;
        }
        head = next;
        chars.next();
    }
    (head, chars.collect())
}

/// `line` with `…` at its end, shortened until both fit `width`.
fn with_ellipsis(line: &str, width: f64, font: f64) -> String {
    let mut kept: Vec<char> = line.chars().collect();
    loop {
        let candidate = format!("{}…", kept.iter().collect::<String>().trim_end());
        if kept.is_empty() || text_width(&candidate, font) <= width {
            return candidate;
        }
        kept.pop();
    }
}

/// Minutes as people write them: `45 min`, `2 h`, `3 h 30 min`.
pub(super) fn format_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut_to_the_line_count_with_an_ellipsis() {
        let lines = fit_lines(
            "Configure the monitoring stack with alert routing and dashboards",
            110.0,
            12.0,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 12.0) <= 110.0));
    }

    #[test]
    fn short_titles_stay_whole() {
        assert_eq!(
            fit_lines("Install Docker", 110.0, 12.0, 2),
            ["Install Docker"]
        );
        assert_eq!(fit_lines("", 50.0, 12.0, 1), [""]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        let lines = fit_lines("libs/relay-cli/src/commands/execute.ts", 60.0, 12.0, 3);
        assert!(lines.len() > 1);
        assert!(
            lines.iter().all(|l| text_width(l, 12.0) <= 60.0),
            "{lines:?}"
        );
    }

    #[test]
    fn minutes_read_as_hours_and_minutes() {
        assert_eq!(format_minutes(45), "45 min");
        assert_eq!(format_minutes(120), "2 h");
        assert_eq!(format_minutes(210), "3 h 30 min");
    }
}
