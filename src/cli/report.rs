//! How diagnostics reach the terminal.

use crate::diagnostics::{Diagnostic, Severity, SourceCache};

/// Every diagnostic on stderr, each with its source line and caret.
pub fn print_diagnostics(diagnostics: &[Diagnostic], sources: &SourceCache) {
    for diagnostic in diagnostics {
        eprintln!("{}\n", diagnostic.render(sources));
    }
}

/// `2 errors, 1 warning`.
pub fn counts(diagnostics: &[Diagnostic]) -> String {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    )
}

/// ` (1 warning)` after a success line, or nothing when clean.
pub fn summary_suffix(diagnostics: &[Diagnostic]) -> String {
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    match warnings {
        0 => String::new(),
        1 => " (1 warning)".to_string(),
        n => format!(" ({n} warnings)"),
    }
}
