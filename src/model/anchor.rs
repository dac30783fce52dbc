//! Anchor ids (model): how a heading's text becomes the `id` a link can point at. Ingest
//! gives runbook steps and audit findings their ids with these rules and render gives
//! headings theirs, so both must agree; they live here, where both stages may look.

use std::collections::BTreeSet;

/// Lower-case words joined by `-`, for ids and file names. Letters and digits of any
/// script are kept; everything else separates words.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Hands out ids that are unique within one page: `x`, `x-1`, `x-2`, ...
#[derive(Debug, Default)]
pub struct IdAllocator {
    used: BTreeSet<String>,
}

impl IdAllocator {
    pub fn allocate(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() { "section" } else { wanted };
        let mut id = base.to_string();
        let mut n = 0;
        while self.used.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_keeps_letters_of_any_script() {
        assert_eq!(
            slugify("Epic 1: Security & Fixes 🔴"),
            "epic-1-security-fixes"
        );
        assert_eq!(slugify("Café Ærø"), "café-ærø");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn repeated_ids_get_a_counter_and_empty_ones_a_word() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("step-1"), "step-1");
        assert_eq!(ids.allocate("step-1"), "step-1-1");
        assert_eq!(ids.allocate("step-1"), "step-1-2");
        assert_eq!(ids.allocate(""), "section");
        assert_eq!(ids.allocate(""), "section-1");
    }
}
