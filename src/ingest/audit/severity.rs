//! The severity mapping (ingest stage): every reader's signals in, one `Severity` and
//! where it came from out. The strongest signal wins: a CVSS-style score, then the
//! tool's own word, then the SARIF level. The README documents the same table.

use crate::model::audit::{Severity, SeveritySource};

/// The signals one finding carries; readers fill what their format has.
#[derive(Debug, Default, Clone)]
pub struct Signals<'a> {
    /// A score and the field it came from (`security-severity`, `CVSS nvd V3Score`).
    pub score: Option<(f64, &'a str)>,
    /// A severity word and the field it came from (`tag`, `Severity`, `npm severity`).
    pub word: Option<(&'a str, &'a str)>,
    /// The SARIF level and where it came from (`result`, `rule default`).
    pub level: Option<(&'a str, &'a str)>,
}

/// `≥9.0` critical, `≥7.0` high, `≥4.0` medium, `>0` low, `0` info.
pub fn severity_from_score(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

/// Tool words: `CRITICAL`, `HIGH`, `MEDIUM`/`moderate`, `LOW`, `info`/`negligible`/
/// `unknown`/`none`. Anything else is not a severity word.
pub fn severity_from_word(word: &str) -> Option<Severity> {
    match word.trim().to_ascii_lowercase().as_str() {
        "critical" => Some(Severity::Critical),
        "high" | "important" => Some(Severity::High),
        "medium" | "moderate" => Some(Severity::Medium),
        "low" | "minor" => Some(Severity::Low),
        "info" | "informational" | "negligible" | "unknown" | "none" => Some(Severity::Info),
        _ => None,
    }
}

/// SARIF levels: `error` high, `warning` medium, `note` low, `none` info.
pub fn severity_from_level(level: &str) -> Option<Severity> {
    match level.trim().to_ascii_lowercase().as_str() {
        "error" => Some(Severity::High),
        "warning" => Some(Severity::Medium),
        "note" => Some(Severity::Low),
        "none" => Some(Severity::Info),
        _ => None,
    }
}

/// Reads a score written as a number or a string (`"7.5"`); out-of-range values are
/// not scores.
pub fn parse_score(text: &str) -> Option<f64> {
    let value: f64 = text.trim().parse().ok()?;
    (0.0..=10.0).contains(&value).then_some(value)
}

/// The strongest signal's severity and source; with no signal at all, SARIF's default
/// level `warning` (medium).
pub fn resolve_severity(signals: &Signals) -> (Severity, SeveritySource) {
    if let Some((value, field)) = signals.score {
        return (
            severity_from_score(value),
            SeveritySource::Score {
                value,
                field: field.to_string(),
            },
        );
    }
    if let Some((word, field)) = signals.word {
        if let Some(severity) = severity_from_word(word) {
            let source = SeveritySource::ToolWord {
                word: word.to_string(),
                field: field.to_string(),
            };
            return (severity, source);
        }
    }
    let (level, from) = signals
        .level
        .filter(|(level, _)| severity_from_level(level).is_some())
        .unwrap_or(("warning", "SARIF default"));
    let severity = severity_from_level(level).unwrap_or(Severity::Medium);
    let source = SeveritySource::Level {
        level: level.to_string(),
        from: from.to_string(),
    };
    (severity, source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_thresholds_follow_cvss_bands() {
        assert_eq!(severity_from_score(9.0), Severity::Critical);
        assert_eq!(severity_from_score(8.9), Severity::High);
        assert_eq!(severity_from_score(7.0), Severity::High);
        assert_eq!(severity_from_score(6.9), Severity::Medium);
        assert_eq!(severity_from_score(4.0), Severity::Medium);
        assert_eq!(severity_from_score(0.1), Severity::Low);
        assert_eq!(severity_from_score(0.0), Severity::Info);
    }

    #[test]
    fn score_beats_word_and_word_beats_level() {
        let all = Signals {
            score: Some((9.8, "security-severity")),
            word: Some(("LOW", "tag")),
            level: Some(("note", "result")),
        };
        assert_eq!(resolve_severity(&all).0, Severity::Critical);
        let word_and_level = Signals {
            word: Some(("moderate", "npm severity")),
            level: Some(("error", "result")),
            ..Signals::default()
        };
        let (severity, source) = resolve_severity(&word_and_level);
        assert_eq!(severity, Severity::Medium);
        assert_eq!(source.describe(), "npm severity moderate");
    }

    #[test]
    fn no_signal_is_sarifs_default_warning() {
        let (severity, source) = resolve_severity(&Signals::default());
        assert_eq!(severity, Severity::Medium);
        assert_eq!(source.describe(), "SARIF level warning (SARIF default)");
    }

    #[test]
    fn unknown_words_and_bad_scores_are_not_signals() {
        assert_eq!(severity_from_word("vulnerability"), None);
        assert_eq!(parse_score("11"), None);
        assert_eq!(parse_score(" 7.5 "), Some(7.5));
    }
}
