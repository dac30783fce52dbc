//! Title similarity (analysis stage): how alike a plan task's title and a tracker issue's
//! title are, from 0.0 to 1.0. Titles are normalised first (case, punctuation, stop
//! words, a leading `Epic:` / `Task 4:` / `[Feature]` label, plural `s`), then compared
//! as token sets with the Dice coefficient: 2·|A∩B| / (|A|+|B|).
//!
//! Identifiers keep their underscores (`pg_stat_statements` is one token), because
//! splitting them gave unrelated titles about the same tool a high score. The threshold
//! was chosen on real tracker titles: same-task pairs written differently ("Install the
//! X extension on PostgreSQL" / "Enable X extension on VPS PostgreSQL") score 0.66 and
//! more, different tasks that share a verb and a subject ("Verify 90% unit coverage" /
//! "Verify 85% E2E coverage") 0.6 and less.

use std::collections::BTreeSet;

/// Scores at or above this tie a plan item to an issue.
pub const MATCH_THRESHOLD: f64 = 0.65;

/// Words that say nothing about which task a title names.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "is", "of", "on", "or",
    "per", "the", "to", "via", "vs", "with",
];

/// Labels a title may start with before a colon (`Epic: ...`, `Task 4: ...`).
const LEADING_LABELS: &[&str] = &["epic", "task", "feature", "bug", "chore", "story"];

/// The normalised token set of a title.
pub fn title_tokens(title: &str) -> BTreeSet<String> {
    let lowered = title.to_lowercase();
    let text = strip_leading_label(strip_leading_tag(lowered.trim()));
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map(|word| word.trim_matches('_'))
        .filter(|word| !word.is_empty() && !STOP_WORDS.contains(word))
        .map(singular)
        .collect()
}

/// Dice coefficient of the two titles' token sets (0.0 when either has no tokens): what
/// the matcher computes from tokens it keeps, in one call for the tests.
#[cfg(test)]
fn title_similarity(a: &str, b: &str) -> f64 {
    token_dice(&title_tokens(a), &title_tokens(b))
}

/// Dice coefficient of two token sets: the score's definition. The matcher computes it
/// from the count of shared tokens its title index gives (`status_match::title_index`);
/// the tests hold the two equal.
#[cfg(test)]
pub fn token_dice(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// `[feature] chat flow` becomes `chat flow`.
fn strip_leading_tag(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix('[') {
        if let Some(end) = rest.find(']') {
            return rest[end + 1..].trim_start();
        }
    }
    text
}

/// `epic: backups`, `task 4: archive`, `task 1.2 - archive` become `backups`, `archive`.
fn strip_leading_label(text: &str) -> &str {
    for label in LEADING_LABELS {
        let Some(rest) = text.strip_prefix(label) else {
            continue;
        };
        let rest = rest
            .trim_start()
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .trim_start();
        if let Some(after) = rest.strip_prefix(':').or_else(|| rest.strip_prefix("- ")) {
            return after.trim_start();
        }
    }
    text
}

/// A light plural fold: `tests` → `test`, `extensions` → `extension`; `access`, `bus`
/// and short words stay.
fn singular(word: &str) -> String {
    let folds = word.chars().count() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is");
    if folds {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(title: &str) -> Vec<String> {
        title_tokens(title).into_iter().collect()
    }

    #[test]
    fn case_punctuation_stop_words_and_plurals_are_normalised() {
        assert_eq!(
            tokens("Add Smoke-Tests to the CI/CD pipeline!"),
            ["add", "cd", "ci", "pipeline", "smoke", "test"]
        );
        assert_eq!(tokens("Harden access rules"), ["access", "harden", "rule"]);
    }

    #[test]
    fn leading_labels_and_tags_are_dropped_and_identifiers_stay_whole() {
        assert_eq!(tokens("Epic: Backup & Restore"), ["backup", "restore"]);
        assert_eq!(
            tokens("Task 4: Archive old logs"),
            ["archive", "log", "old"]
        );
        assert_eq!(tokens("[Feature] Chat replay"), ["chat", "replay"]);
        assert_eq!(
            tokens("Enable pg_stat_statements"),
            ["enable", "pg_stat_statement"]
        );
    }

    #[test]
    fn identical_titles_score_one_and_disjoint_titles_zero() {
        assert_eq!(title_similarity("Rotate TLS keys", "rotate tls keys."), 1.0);
        assert_eq!(title_similarity("Rotate TLS keys", "Resize volumes"), 0.0);
        assert_eq!(title_similarity("", "Resize volumes"), 0.0);
    }

    /// The same task written twice by different people scores above the threshold.
    #[test]
    fn rewordings_of_the_same_task_match() {
        let pairs = [
            (
                "Install the timescale extension on Postgres",
                "Enable timescale extension on staging Postgres",
            ),
            (
                "Enable slow_query_log in MySQL",
                "Enable slow_query_log on replica",
            ),
            (
                "Add Nightly Restore Tests",
                "Task 7: add nightly restore test",
            ),
            ("Epic: Edge Proxy Hardening", "Edge proxy hardening"),
        ];
        for (a, b) in pairs {
            let score = title_similarity(a, b);
            assert!(score >= MATCH_THRESHOLD, "{a} / {b}: {score}");
        }
    }

    /// Different tasks that share a verb, a tool or a place stay below the threshold.
    #[test]
    fn near_miss_titles_do_not_match() {
        let pairs = [
            ("Verify 90% unit coverage", "Verify 85% E2E coverage"),
            (
                "Verify S3 backup encryption",
                "Set up S3 off-site backup automation",
            ),
            (
                "Implement backup retention policy",
                "Implement cohort retention analysis query",
            ),
            (
                "Install timescale extension on Postgres",
                "Verify Postgres deployment with extensions (timescale, slow_query_log)",
            ),
            (
                "Enable slow_query_log in MySQL",
                "Enable timescale extension on MySQL",
            ),
            (
                "Add post-deployment smoke tests",
                "Create smoke tests suite",
            ),
            (
                "Rotate secrets in git history",
                "Audit git status and classify files",
            ),
        ];
        for (a, b) in pairs {
            let score = title_similarity(a, b);
            assert!(score < MATCH_THRESHOLD, "{a} / {b}: {score}");
        }
    }
}
