//! Analysis helper: the words of a short text, normalised so that a timeline item and
//! the task it names can be compared (`Add security scanning to CI` and `Add Security
//! Scanning to CI/CD` share add, security, scan, ci).

use std::collections::BTreeSet;

/// Words that carry no meaning of their own in a task name.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "it", "of", "on", "or", "the",
    "then", "this", "that", "to", "up", "via", "with",
];

/// Short forms people write in one place and spell out in another.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("auth", "authentication"),
    ("config", "configuration"),
    ("db", "database"),
    ("env", "environment"),
    ("k8s", "kubernetes"),
    ("prod", "production"),
    ("repo", "repository"),
];

/// The normalised words of `text`: parenthesised asides dropped (when something is left),
/// lower-cased, split at anything that is not a letter or digit, stop words and
/// one-letter words dropped, abbreviations spelled out, and a light stem applied
/// (`testing`, `tests` and `test` are all `test`).
pub(crate) fn normalised_words(text: &str) -> BTreeSet<String> {
    let without_asides = drop_parenthesised(text);
    let source = if without_asides.trim().is_empty() {
        text
    } else {
        &without_asides
    };
    source
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() > 1 && !STOP_WORDS.contains(word))
        .map(|word| {
            let word = ABBREVIATIONS
                .iter()
                .find(|(short, _)| *short == word)
                .map_or(word, |(_, long)| long);
            stem(word)
        })
        .collect()
}

fn drop_parenthesised(text: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A crude English stem: enough for `testing`/`tests`, `routing`/`route`,
/// `automated`/`automate`, `images`/`image` to meet.
fn stem(word: &str) -> String {
    let mut word = word.to_string();
    for suffix in ["ing", "ed"] {
        if word.len() > suffix.len() + 2 && word.ends_with(suffix) {
            word.truncate(word.len() - suffix.len());
            break;
        }
    }
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        word.pop();
    }
    if word.len() > 3 && word.ends_with('e') {
        word.pop();
    }
    word
}

/// Dice coefficient of two word sets and the number of words they share.
pub(crate) fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> (f64, usize) {
    if a.is_empty() || b.is_empty() {
        return (0.0, 0);
    }
    let common = a.intersection(b).count();
    (2.0 * common as f64 / (a.len() + b.len()) as f64, common)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        normalised_words(text).into_iter().collect()
    }

    #[test]
    fn inflections_meet_on_one_stem() {
        assert_eq!(words("Final testing"), words("final tests"));
        assert_eq!(words("Alert routing"), words("route alerts"));
        assert_eq!(words("Automated images"), words("automate image"));
    }

    #[test]
    fn asides_stop_words_and_abbreviations_are_normalised() {
        assert_eq!(
            words("Remove redundant monitoring (free 600MB)"),
            ["monitor", "redundant", "remov"]
        );
        assert_eq!(
            words("Set up weekly DB scan"),
            words("set weekly database scan")
        );
        assert_eq!(
            words("Enable pg_stat_statements"),
            ["enabl", "pg", "stat", "statement"]
        );
    }

    #[test]
    fn similarity_is_the_dice_coefficient() {
        let (score, common) = similarity(
            &normalised_words("Run smoke tests"),
            &normalised_words("Add post-deployment smoke tests"),
        );
        assert_eq!(common, 2);
        assert!((score - 0.5).abs() < 1e-9);
    }
}
