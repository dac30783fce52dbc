//! How diagnostics reach the reader, for every command: the human form on stderr
//! (`path:line:col: severity[CODE]: message`, the source line, a caret, a help line),
//! JSON Lines on stdout for machines (`--format json`), and GitHub Actions workflow
//! commands on stdout when running under Actions (`GITHUB_ACTIONS=true`), so each
//! problem shows up on its line in the pull request.
//!
//! The human form prints each group of diagnostics that say the same thing about one
//! file once, listing every place (`Diagnostics::groups`); JSON and the annotations keep
//! one entry per place, JSON with the group's id. Summaries count groups, and places
//! when a group has more than one.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde_json::json;

use crate::diagnostics::{
    display_path, Diagnostic, DiagnosticGroup, Diagnostics, Severity, SourceCache,
};

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
    for group in diagnostics.groups() {
        match options.format {
            Format::Human => eprintln!("{}\n", group.render(sources)),
            Format::Json => {
                for diagnostic in &group.members {
                    println!("{}", json_line(diagnostic, group.id));
                }
            }
        }
        if options.github && options.format == Format::Human {
            for diagnostic in &group.members {
                println!("{}", github_annotation(diagnostic, &options.root));
            }
        }
    }
}

/// Every diagnostic on stderr, a group at a time, with its source line and caret.
pub fn print_diagnostics(diagnostics: &Diagnostics, sources: &SourceCache) {
    for group in diagnostics.groups() {
        eprintln!("{}\n", group.render(sources));
    }
}

/// One diagnostic as a one-line JSON object. The keys are stable: `code`, `severity`,
/// `message`, `path`, `line`, `column`, `help` (null when unknown) and `group`, the id
/// shared by the diagnostics that say the same thing about one file. `path` is relative
/// to the site root.
pub fn json_line(diagnostic: &Diagnostic, group: usize) -> String {
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
        "group": group,
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

/// `2 errors, 1 warning`: groups of diagnostics, by severity; ` at 158 places` after
/// them when a group stands for several places.
pub fn counts(diagnostics: &Diagnostics) -> String {
    let groups = diagnostics.groups();
    let count = |severity| {
        groups
            .iter()
            .filter(|g| g.first().severity == severity)
            .count()
    };
    let mut text = format!(
        "{}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    );
    let notes = count(Severity::Note);
    if notes > 0 {
        text.push_str(&format!(", {}", plural(notes, "note")));
    }
    text.push_str(&places_suffix(&groups, diagnostics.len()));
    text
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// ` at 158 places` when there are more places than groups, else nothing.
fn places_suffix(groups: &[DiagnosticGroup], places: usize) -> String {
    if places > groups.len() {
        format!(" at {places} places")
    } else {
        String::new()
    }
}

/// ` (1 warning)` after a success line, or nothing when clean; ` (2 warnings at 158
/// places)` when warnings repeat.
pub fn summary_suffix(diagnostics: &Diagnostics) -> String {
    let groups: Vec<DiagnosticGroup> = diagnostics
        .groups()
        .into_iter()
        .filter(|g| g.first().severity == Severity::Warning)
        .collect();
    if groups.is_empty() {
        return String::new();
    }
    let places: usize = groups.iter().map(|g| g.members.len()).sum();
    format!(
        " ({}{})",
        plural(groups.len(), "warning"),
        places_suffix(&groups, places)
    )
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
        let value: serde_json::Value = serde_json::from_str(&json_line(&broken_link(), 3)).unwrap();
        assert_eq!(value["code"], "OPS610");
        assert_eq!(value["severity"], "error");
        assert_eq!(value["path"], "content/runbooks/README.md");
        assert_eq!(value["line"], 14);
        assert_eq!(value["column"], 3);
        assert_eq!(value["help"], "fix it");
        assert_eq!(value["group"], 3);
    }

    #[test]
    fn summaries_count_groups_and_the_places_they_stand_for() {
        let at = |line| {
            Diagnostic::warning(codes::PUBLISH_LOCAL_USER_PATH, "local path `/home/a`")
                .at("content/a.md", Some(Span::point(0, line, 1)))
        };
        let repeated: Diagnostics = [at(1), at(2), at(3)].into_iter().collect();
        assert_eq!(counts(&repeated), "0 errors, 1 warning at 3 places");
        assert_eq!(summary_suffix(&repeated), " (1 warning at 3 places)");
        let single: Diagnostics = [at(1)].into_iter().collect();
        assert_eq!(counts(&single), "0 errors, 1 warning");
        assert_eq!(summary_suffix(&single), " (1 warning)");
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
