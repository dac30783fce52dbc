//! Plan reader, bold fields: a markdown line in, its `**Label:** value` fields out.
//! Several fields may share a line when separated by `|`
//! (`**Total Epics:** 6 | **Total Tasks:** 24`); `**Label**: value` is accepted too.
//! Trailing spaces (markdown line breaks) are not part of a value.

/// One `**Label:** value` field with file offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoldField<'a> {
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

/// The fields of a line that starts with a bold label; empty when it does not.
pub fn parse_bold_fields(line: &str, line_start: usize) -> Vec<BoldField<'_>> {
    let mut fields = Vec::new();
    let leading = line.len() - line.trim_start().len();
    let mut position = leading;
    while let Some((label, value_from)) = read_label(line, position) {
        let remainder = &line[value_from..];
        let value_len = next_field_separator(remainder).unwrap_or(remainder.len());
        let raw_value = &remainder[..value_len];
        let value = raw_value.trim();
        let value_start = value_from + (raw_value.len() - raw_value.trim_start().len());
        fields.push(BoldField {
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

    #[test]
    fn one_field_with_trailing_line_break_spaces() {
        let fields = parse_bold_fields("**Created:** 2030-01-02  ", 100);
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
        let fields = parse_bold_fields(line, 0);
        let pairs: Vec<(&str, &str)> = fields.iter().map(|f| (f.label, f.value)).collect();
        assert_eq!(pairs, [("Total Epics", "3"), ("Total Tasks", "9")]);
        assert_eq!(&line[fields[1].value_start..fields[1].end], "9");
    }

    #[test]
    fn bar_inside_a_value_stays_when_no_label_follows() {
        let fields = parse_bold_fields("**Impact:** cost | speed", 0);
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].value, "cost | speed");
    }

    #[test]
    fn colon_after_the_bold_and_empty_value_are_accepted() {
        let fields = parse_bold_fields("**Owner**: ops team", 0);
        assert_eq!((fields[0].label, fields[0].value), ("Owner", "ops team"));
        let fields = parse_bold_fields("**Success Criteria:**", 0);
        assert_eq!((fields[0].label, fields[0].value), ("Success Criteria", ""));
    }

    #[test]
    fn bold_text_without_a_colon_is_not_a_field() {
        assert!(parse_bold_fields("**Warning** read this", 0).is_empty());
        assert!(parse_bold_fields("plain text", 0).is_empty());
        assert!(parse_bold_fields("**unclosed", 0).is_empty());
    }
}
