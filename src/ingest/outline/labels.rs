//! Outline, bold labels: one line of markdown in, its `**Label:** value` fields out, with
//! file offsets. The line may be a bullet item (`- **Owner**: sre`); `**Label**: value`
//! is accepted too; several fields may share a line when separated by `|`
//! (`**Total Epics:** 6 | **Total Tasks:** 24`). Trailing spaces (markdown line breaks)
//! are not part of a value. What a label means is for the convention that reads it.

/// One `**Label:** value` field with file offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoldLabel<'a> {
    /// Trimmed, never empty; as written (conventions compare it without case).
    pub label: &'a str,
    /// Trimmed; empty when the label is followed by nothing (`**Success Criteria:**`).
    pub value: &'a str,
    /// File offset of the opening `**`.
    pub start: usize,
    /// File offset of `value` (of where it would start when empty).
    pub value_start: usize,
    /// File offset just past `value`.
    pub end: usize,
}

/// The fields of a line (at file offset `line_start`) that starts with a bold label,
/// after indentation and an optional bullet; empty when it does not.
pub fn read_bold_labels(line: &str, line_start: usize) -> Vec<BoldLabel<'_>> {
    let mut fields = Vec::new();
    let mut position = line.len() - line.trim_start().len();
    position += bullet_len(&line[position..]);
    while let Some((label, value_from)) = read_label(line, position) {
        let remainder = &line[value_from..];
        let value_len = next_field_separator(remainder).unwrap_or(remainder.len());
        let raw_value = &remainder[..value_len];
        let value = raw_value.trim();
        let value_start = value_from + (raw_value.len() - raw_value.trim_start().len());
        fields.push(BoldLabel {
            label,
            value,
            start: line_start + position,
            value_start: line_start + value_start,
            end: line_start + value_start + value.len(),
        });
        if value_len == remainder.len() {
            break;
        }
        // Skip the `|` and the spaces before the next `**`.
        let after_bar = &remainder[value_len + 1..];
        position = value_from + value_len + 1 + (after_bar.len() - after_bar.trim_start().len());
    }
    fields
}

/// Length of a bullet marker and the spaces after it (`- `, `* `, `+ `), or 0.
fn bullet_len(text: &str) -> usize {
    let Some(after) = text.strip_prefix(['-', '*', '+']) else {
        return 0;
    };
    let rest = after.trim_start_matches([' ', '\t']);
    if rest.len() == after.len() {
        return 0;
    }
    text.len() - rest.len()
}

/// Reads `**Label:**` or `**Label**:` at `position`; returns the label and the offset in
/// `line` where the value starts.
fn read_label(line: &str, position: usize) -> Option<(&str, usize)> {
    let rest = line.get(position..)?.strip_prefix("**")?;
    let close = rest.find("**")?;
    let inner = &rest[..close];
    let after_close = position + 2 + close + 2;
    let (label, value_from) = if let Some(label) = inner.strip_suffix(':') {
        (label, after_close)
    } else if line.get(after_close..)?.starts_with(':') {
        (inner, after_close + 1)
    } else {
        return None;
    };
    let label = label.trim();
    (!label.is_empty()).then_some((label, value_from))
}

/// Offset of a `|` that is followed by another bold label.
fn next_field_separator(text: &str) -> Option<usize> {
    text.match_indices('|')
        .map(|(index, _)| index)
        .find(|&index| text[index + 1..].trim_start().starts_with("**"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(line: &str) -> Vec<(&str, &str)> {
        read_bold_labels(line, 0)
            .iter()
            .map(|f| (f.label, f.value))
            .collect()
    }

    #[test]
    fn one_field_with_trailing_line_break_spaces() {
        let fields = read_bold_labels("**Created:** 2030-01-02  ", 100);
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].label, "Created");
        assert_eq!(fields[0].value, "2030-01-02");
        assert_eq!(fields[0].start, 100);
        assert_eq!(fields[0].value_start, 113);
        assert_eq!(fields[0].end, 123);
    }

    #[test]
    fn several_fields_on_one_line_split_at_bars() {
        let line = "**Total Epics:** 3 | **Total Tasks:** 9";
        let fields = read_bold_labels(line, 0);
        assert_eq!(pairs(line), [("Total Epics", "3"), ("Total Tasks", "9")]);
        assert_eq!(&line[fields[1].value_start..fields[1].end], "9");
    }

    #[test]
    fn bar_inside_a_value_stays_when_no_label_follows() {
        assert_eq!(
            pairs("**Impact:** cost | speed"),
            [("Impact", "cost | speed")]
        );
    }

    #[test]
    fn colon_after_the_bold_and_empty_value_are_accepted() {
        assert_eq!(pairs("**Owner**: ops team"), [("Owner", "ops team")]);
        assert_eq!(pairs("**Success Criteria:**"), [("Success Criteria", "")]);
    }

    #[test]
    fn a_bullet_may_carry_the_field() {
        let line = "  - **Date:** 2026-01-05";
        let fields = read_bold_labels(line, 10);
        assert_eq!(pairs(line), [("Date", "2026-01-05")]);
        assert_eq!(fields[0].start, 14);
        assert_eq!(
            pairs("+\t**Status**: ✅ COMPLETE"),
            [("Status", "✅ COMPLETE")]
        );
        assert!(pairs("-**Status**: x").is_empty());
        assert!(pairs("1. **Status**: x").is_empty());
    }

    #[test]
    fn bold_text_without_a_colon_is_not_a_field() {
        assert!(pairs("**Warning** read this").is_empty());
        assert!(pairs("**bold** text").is_empty());
        assert!(pairs("plain text").is_empty());
        assert!(pairs("**unclosed").is_empty());
        assert!(pairs("**:** no label").is_empty());
        assert!(pairs("text **Later:** not at the start").is_empty());
    }
}
