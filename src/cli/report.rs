//! How diagnostics reach the reader, for every command: the human form on stderr
//! (`path:line:col: severity[CODE]: message`, the source line, a caret, a help line),
//! JSON Lines on stdout for machines (`--format json`), and GitHub Actions workflow
//! commands on stdout when running under Actions (`GITHUB_ACTIONS=true`), so each
//! problem shows up on its line in the pull request.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde_json::json;

use crate::diagnostics::{display_path, Diagnostic, Diagnostics, Severity, SourceCache};

/// The `--format` of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// For people: headline, source line with a caret, help (on stderr).
    #[default]
    Human,
    /// JSON Lines: one JSON object per diagnostic per line (on stdout).
    Json,
}

/// How to print diagnostics.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub format: Format,
    /// Also print GitHub Actions annotations (`::error file=...::...`).
    pub github: bool,
    /// The site root as given on the command line; annotation paths start with it so
    /// they name files from the repository's root, where the workflow runs.
    pub root: PathBuf,
}

impl ReportOptions {
    /// The options for `format`, with annotations when `GITHUB_ACTIONS=true`.
    pub fn from_env(format: Format, root: &Path) -> ReportOptions {
        ReportOptions {
            format,
            github: std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"),
            root: root.to_path_buf(),
        }
    }
}

/// Every diagnostic in the chosen form.
pub fn report(diagnostics: &Diagnostics, sources: &SourceCache, options: &ReportOptions) {
    for diagnostic in diagnostics {
        match options.format {
            Format::Human => eprintln!("{}\n", diagnostic.render(sources)),
            Format::Json => println!("{}", json_line(diagnostic)),
        }
        if options.github && options.format == Format::Human {
            println!("{}", github_annotation(diagnostic, &options.root));
        }
    }
}

/// Every diagnostic on stderr, each with its source line and caret.
pub fn print_diagnostics(diagnostics: &Diagnostics, sources: &SourceCache) {
    for diagnostic in diagnostics {
        eprintln!("{}\n", diagnostic.render(sources));
    }
}

/// One diagnostic as a one-line JSON object. The keys are stable: `code`, `severity`,
/// `message`, `path`, `line`, `column`, `help` (null when
/// unknown). `path` is relative to the site root.
pub fn json_line(diagnostic: &Diagnostic) -> String {
    let path = diagnostic.path.as_deref().map(display_path);
    let span = diagnostic.span;
    json!({
        "code": diagnostic.code,
        "severity": diagnostic.severity.as_str(),
        "message": diagnostic.message,
        "path": path,
        "line": span.map(|s| s.line),
        "column": span.map(|s| s.col),
        "help": diagnostic.help,
    })
    .to_string()
}

/// A GitHub Actions workflow command: `::error file=site/content/a.md,line=3,col=1,
/// title=OPS610::message`. Notes become `::notice`.
pub fn github_annotation(diagnostic: &Diagnostic, root: &Path) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = Vec::new();
    if let Some(path) = &diagnostic.path {
        let file = display_path(&root.join(path));
        let file = file.strip_prefix("./").unwrap_or(&file).to_string();
        properties.push(format!("file={}", escape_property(&file)));
        if let Some(span) = diagnostic.span {
            properties.push(format!("line={}", span.line));
            properties.push(format!("col={}", span.col));
        }
    }
    properties.push(format!("title={}", escape_property(diagnostic.code)));
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// Workflow command data: `%`, CR and LF are escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow command properties: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `2 errors, 1 warning`.
pub fn counts(diagnostics: &Diagnostics) -> String {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut text = format!(
        "{}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    );
    let notes = count(Severity::Note);
    if notes > 0 {
        text.push_str(&format!(", {}", plural(notes, "note")));
    }
    text
}

/// ` (1 warning)` after a success line, or nothing when clean.
pub fn summary_suffix(diagnostics: &Diagnostics) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::codes;
    use crate::model::Span;

    fn broken_link() -> Diagnostic {
        Diagnostic::error(codes::LINK_BROKEN, "link to `a.md`: 50% gone, really")
            .at("content/runbooks/README.md", Some(Span::point(0, 14, 3)))
            .with_help("fix it")
    }

    #[test]
    fn json_line_has_the_stable_keys() {
        let value: serde_json::Value = serde_json::from_str(&json_line(&broken_link())).unwrap();
        assert_eq!(value["code"], "OPS610");
        assert_eq!(value["severity"], "error");
        assert_eq!(value["path"], "content/runbooks/README.md");
        assert_eq!(value["line"], 14);
        assert_eq!(value["column"], 3);
        assert_eq!(value["help"], "fix it");
    }

    #[test]
    fn github_annotation_names_the_file_from_the_repository_root_and_escapes() {
        let text = github_annotation(&broken_link(), Path::new("./docs/site"));
        assert_eq!(
            text,
            "::error file=docs/site/content/runbooks/README.md,line=14,col=3,title=OPS610::link to `a.md`: 50%25 gone, really%0Ahelp: fix it"
        );
        let note = Diagnostic::note(codes::PLAN_UNSTRUCTURED, "plain");
        assert_eq!(
            github_annotation(&note, Path::new(".")),
            "::notice title=OPS201::plain"
        );
    }
}
