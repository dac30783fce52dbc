//! Plan reader, critical path: the items of the `**Critical Path:**` list in, the epic
//! numbers of the chain they declare out.

/// The epic numbers named in the first item that names more than one epic
/// (`Epic 1 (Security) → Epic 2 → Epic 5`), in the order written.
pub fn chain_epics<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
    items
        .into_iter()
        .map(epic_mentions)
        .find(|numbers| numbers.len() > 1)
        .unwrap_or_default()
}

/// Every `Epic N` in `text` (any case), in order.
fn epic_mentions(text: &str) -> Vec<u32> {
    let lower = text.to_ascii_lowercase();
    lower
        .match_indices("epic")
        .filter(|(at, _)| !lower[..*at].ends_with(|c: char| c.is_alphanumeric()))
        .filter_map(|(at, word)| {
            let after = &lower[at + word.len()..];
            let trimmed = after.trim_start();
            if trimmed.len() == after.len() {
                return None;
            }
            let digits = trimmed.len()
                - trimmed
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            trimmed[..digits].parse().ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_item_naming_several_epics_gives_the_chain() {
        let items = [
            "Epic 3 alone can start any time",
            "Epic 2 (Build) → Epic 4 (Ship) → EPIC 7 (Watch)",
            "Epic 1 → Epic 9",
        ];
        assert_eq!(chain_epics(items), [2, 4, 7]);
    }

    #[test]
    fn no_chain_gives_no_epics() {
        assert!(chain_epics(["Epic 1 first", "Epics 2 and 3 later", "epicenter 4 5"]).is_empty());
    }
}
