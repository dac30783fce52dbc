//! Plan reader, criteria: the text of one list item under `**Success Criteria:**` or
//! `**Week N Targets:**` in, its marker (`✅`, `[ ]`, `[x]` or none), whether it is
//! checked, and the remaining text out.

use crate::model::plan::CriterionMarker;

/// Emoji an author uses to mark a target; they say "this is a goal", not "this is done".
const CHECK_EMOJI: &[char] = &['✅', '✔', '☑', '🎯'];
/// Joins an emoji to its presentation form (`✔️`); not part of the text.
const VARIATION_SELECTOR: char = '\u{FE0F}';

/// A criterion item, read: the text without its marker starts `skipped` bytes into the
/// item text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCriterion<'a> {
    pub text: &'a str,
    pub skipped: usize,
    pub checked: bool,
    pub marker: CriterionMarker,
}

/// Reads an item's text (after the list marker).
pub fn parse_criterion(item: &str) -> RawCriterion<'_> {
    let task_box = [("[ ]", false), ("[x]", true), ("[X]", true)]
        .into_iter()
        .find_map(|(prefix, checked)| Some((item.strip_prefix(prefix)?, checked)));
    let (rest, checked, marker) = match task_box {
        Some((rest, checked)) => (rest, checked, CriterionMarker::TaskBox),
        None => match item.strip_prefix(CHECK_EMOJI) {
            Some(rest) => (
                rest.trim_start_matches(VARIATION_SELECTOR),
                false,
                CriterionMarker::CheckEmoji,
            ),
            None => (item, false, CriterionMarker::Bullet),
        },
    };
    let text = rest.trim();
    RawCriterion {
        text,
        skipped: item.len() - rest.trim_start().len(),
        checked,
        marker,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_emoji_is_a_target_not_a_done_item() {
        let criterion = parse_criterion("✅ Backups restore in under 1h");
        assert_eq!(criterion.marker, CriterionMarker::CheckEmoji);
        assert!(!criterion.checked);
        assert_eq!(criterion.text, "Backups restore in under 1h");
        assert_eq!(criterion.skipped, "✅ ".len());
    }

    #[test]
    fn emoji_with_variation_selector_is_stripped_whole() {
        let criterion = parse_criterion("✔\u{FE0F} Alerts routed");
        assert_eq!(criterion.marker, CriterionMarker::CheckEmoji);
        assert_eq!(criterion.text, "Alerts routed");
    }

    #[test]
    fn task_boxes_are_checked_accordingly() {
        let open = parse_criterion("[ ] Rotate tokens");
        assert_eq!(
            (open.marker, open.checked, open.text),
            (CriterionMarker::TaskBox, false, "Rotate tokens")
        );
        let done = parse_criterion("[x] Close port");
        assert_eq!(
            (done.marker, done.checked, done.text),
            (CriterionMarker::TaskBox, true, "Close port")
        );
        assert!(parse_criterion("[X] Upper case").checked);
    }

    #[test]
    fn plain_item_is_a_bullet() {
        let plain = parse_criterion("Latency below 200ms");
        assert_eq!(
            (plain.marker, plain.checked, plain.text, plain.skipped),
            (CriterionMarker::Bullet, false, "Latency below 200ms", 0)
        );
    }
}
