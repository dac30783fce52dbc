//! Diagnostics: every problem opsbook finds, with a stable code, a severity and the place
//! in the source it concerns. Stages collect diagnostics instead of stopping at the first
//! problem; the CLI prints them all as `path:line:col: severity[CODE]: message`, followed
//! by the source line and a caret when the source text is known.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::span::Span;

/// How serious a diagnostic is. Errors fail the build; warnings and notes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Stable diagnostic codes. The number ranges group them by stage:
/// 0xx loading, 1xx front matter and encoding, 2xx plan structure, 3xx diagrams and plan
/// analyses, 4xx audits and tracker status, 5xx runbooks and PDFs, 6xx links, publishing
/// and configuration.
pub mod codes {
    /// A file or folder could not be read.
    pub const IO: &str = "OPS001";
    /// A file is not valid UTF-8.
    pub const NOT_UTF8: &str = "OPS002";
    /// The site has no `content/` folder, or it holds no pages.
    pub const NO_CONTENT: &str = "OPS003";
    /// A symlink points outside the site root and was not followed.
    pub const SYMLINK_OUTSIDE: &str = "OPS004";
    /// Two source files would be written to the same output page.
    pub const OUTPUT_CLASH: &str = "OPS005";
    /// A template could not be parsed or rendered.
    pub const TEMPLATE: &str = "OPS006";
    /// The output folder could not be written.
    pub const WRITE: &str = "OPS007";
    /// The front matter is not valid YAML.
    pub const FRONT_MATTER_SYNTAX: &str = "OPS101";
    /// A front matter key opsbook does not know (kept for other generators).
    pub const FRONT_MATTER_UNKNOWN_KEY: &str = "OPS102";
    /// A known front matter key has a value of the wrong type.
    pub const FRONT_MATTER_TYPE: &str = "OPS103";
    /// The front matter block is opened with `---` but never closed.
    pub const FRONT_MATTER_UNCLOSED: &str = "OPS104";
    /// Mojibake (UTF-8 read as Windows-1252) was found and repaired.
    pub const ENCODING_REPAIRED: &str = "OPS110";
    /// A plan page follows none of the plan conventions; it renders as a document.
    pub const PLAN_UNSTRUCTURED: &str = "OPS201";
    /// A `bd create` line could not be read (e.g. an unterminated quote).
    pub const PLAN_BD_CREATE: &str = "OPS202";
    /// A plan element is malformed in a way that loses information (e.g. an ETA that
    /// cannot be read as a duration).
    pub const PLAN_MALFORMED: &str = "OPS203";

    // 3xx: diagrams and plan analyses.

    // 35x: diagrams (mermaid flowcharts drawn at build time).
    /// A mermaid block has a syntax error; it is shown as code and the build goes on.
    pub const MERMAID_SYNTAX: &str = "OPS350";
    /// A mermaid statement is accepted but not applied (`classDef`, `style`, `click`, ...).
    pub const MERMAID_IGNORED: &str = "OPS351";
    /// The layout engine failed on a diagram; only its dependency list is shown.
    pub const DIAGRAM_LAYOUT: &str = "OPS352";
    /// A diagram is too large for one picture; it is split into parts or listed as text.
    pub const DIAGRAM_SPLIT: &str = "OPS353";
    // 320-349: plan analyses (src/analysis/).
    /// The plan's stated totals (epics, tasks) differ from what it defines.
    pub const CLAIMED_TOTAL_MISMATCH: &str = "OPS320";
    /// The plan's stated priority distribution differs from its tasks' priorities.
    pub const CLAIMED_PRIORITIES_MISMATCH: &str = "OPS321";
    /// An epic's tasks' ETAs add up to more than the epic's duration.
    pub const EPIC_EFFORT_EXCEEDS_DURATION: &str = "OPS322";
    /// The dependency map has a cycle (the message spells it out and marks soft edges).
    pub const DEPENDENCY_CYCLE: &str = "OPS323";
    /// The declared critical path is not the longest chain of hard dependencies, follows
    /// links the map lacks, or cannot be checked because the hard edges form a cycle.
    pub const CRITICAL_PATH_MISMATCH: &str = "OPS324";
    /// A timeline item matches no task: work no task covers.
    pub const TIMELINE_ITEM_UNMATCHED: &str = "OPS325";
    /// A task appears nowhere in the timeline.
    pub const TASK_UNSCHEDULED: &str = "OPS326";
    /// A task is scheduled after work of an epic that depends on its epic.
    pub const SCHEDULE_BEFORE_DEPENDENCY: &str = "OPS327";
    /// A task is more urgent than its epic.
    pub const TASK_PRIORITY_ABOVE_EPIC: &str = "OPS328";
    /// A P0 task is scheduled on a later day than work of less urgent epics.
    pub const PRIORITY_ORDER: &str = "OPS329";
    /// A command that no longer exists in the tool it names (e.g. `bd sync`).
    pub const REMOVED_COMMAND: &str = "OPS330";
    /// The dependency map names an epic the plan does not define.
    pub const DEPENDENCY_MAP_EPIC: &str = "OPS331";

    // 4xx: audits and tracker status.
    // 400-429: audits (scanner output, audit reports, findings and the plan, the gate).
    /// An audit file is not valid JSON, is truncated, or has the wrong shape for its format.
    pub const AUDIT_JSON: &str = "OPS400";
    /// A JSON file under `audits/` is none of the audit formats; published as it is.
    pub const AUDIT_UNKNOWN_FORMAT: &str = "OPS401";
    /// An audit file contradicts itself (e.g. a stated total that does not match).
    pub const AUDIT_INCONSISTENT: &str = "OPS402";
    /// A finding in an audit report is malformed (no id, a severity off the scale).
    pub const AUDIT_REPORT_FINDING: &str = "OPS403";
    /// A finding's `remediated_by` names a task that no plan has.
    pub const AUDIT_UNKNOWN_TASK: &str = "OPS410";
    /// An open critical or high finding has no remediating plan task.
    pub const AUDIT_UNREMEDIATED: &str = "OPS411";
    /// `--fail-on`: an unsuppressed finding at or above the given severity.
    pub const AUDIT_GATE: &str = "OPS420";

    // 430-449: tracker status (beads) and the beads export.
    /// A line of the tracker file is not a readable issue (left out; the rest loads).
    pub const TRACKER_BAD_LINE: &str = "OPS430";
    /// The tracker file cannot be read.
    pub const TRACKER_UNREADABLE: &str = "OPS431";
    /// The same issue id appears on two lines of the tracker; the later one is used.
    pub const TRACKER_DUPLICATE_ID: &str = "OPS432";
    /// A plan's `beads:` map pins an issue the tracker does not have (or has deleted).
    pub const STATUS_PIN_UNKNOWN_ISSUE: &str = "OPS433";
    /// A plan's `beads:` map names a task or epic the plan does not have.
    pub const STATUS_PIN_UNKNOWN_ITEM: &str = "OPS434";
    /// A plan's `done:` entry matches no success criterion.
    pub const STATUS_DONE_UNKNOWN: &str = "OPS435";
    /// Two issues are equally similar to a plan item; neither is matched.
    pub const STATUS_AMBIGUOUS_MATCH: &str = "OPS436";
    /// `opsbook export beads`: the file is not a plan of epics and tasks.
    pub const EXPORT_NOT_A_PLAN: &str = "OPS440";

    // 5xx: runbooks and PDFs.
    /// A runbook field is given by both front matter and a bold label; front matter wins.
    pub const RUNBOOK_FIELD_TWICE: &str = "OPS501";
    /// A runbook metadata value cannot be read (severity, duration, date, interval).
    pub const RUNBOOK_VALUE: &str = "OPS502";
    /// A `Success →` / `Failure →` branch names a step the runbook does not have.
    pub const RUNBOOK_BRANCH_TARGET: &str = "OPS503";
    /// A runbook's PDF could not be made.
    pub const PDF_FAILED: &str = "OPS520";
    /// A runbook has characters that no font of the PDF covers.
    pub const PDF_UNCOVERED_CHARS: &str = "OPS521";
    /// The PDF typesetter warned about a runbook.
    pub const PDF_WARNING: &str = "OPS522";

    // 6xx: links, publishing and configuration.
    // 60x: the configuration file `opsbook.toml`.
    /// `opsbook.toml` is not valid TOML.
    pub const CONFIG_SYNTAX: &str = "OPS600";
    /// `opsbook.toml` has a key opsbook does not know.
    pub const CONFIG_UNKNOWN_KEY: &str = "OPS601";
    /// A setting in `opsbook.toml` has a value of the wrong type or out of range.
    pub const CONFIG_VALUE: &str = "OPS602";
    // 61x: links between the generated pages.
    /// A link points at a page or file that is not in the generated site.
    pub const LINK_BROKEN: &str = "OPS610";
    /// A link's `#anchor` names no element of the page it points at.
    pub const LINK_ANCHOR: &str = "OPS611";
    /// A link leaves the site's content folder (or the output folder).
    pub const LINK_OUTSIDE: &str = "OPS612";
    /// A link starts with `/`, so it breaks under a sub-path and when opened from disk.
    pub const LINK_ROOT_ABSOLUTE: &str = "OPS613";
    // 620-639: Cloudflare Pages output and `serve`.
    /// The output has more files than Cloudflare Pages accepts (20,000).
    pub const PAGES_TOO_MANY_FILES: &str = "OPS620";
    /// An output file is larger than Cloudflare Pages accepts (25 MiB).
    pub const PAGES_FILE_TOO_LARGE: &str = "OPS621";
    /// `_headers` has more rules than Cloudflare Pages reads (100).
    pub const PAGES_TOO_MANY_HEADER_RULES: &str = "OPS622";
    /// The aliases make more redirects than Cloudflare Pages reads (2,000).
    pub const PAGES_TOO_MANY_REDIRECTS: &str = "OPS623";
    /// A front matter alias is not a plain path on this site.
    pub const PAGES_ALIAS_INVALID: &str = "OPS624";
    /// Two pages claim the same alias.
    pub const PAGES_ALIAS_DUPLICATE: &str = "OPS625";
    /// An alias is the address of a published file, so its redirect would never apply.
    pub const PAGES_ALIAS_SHADOWED: &str = "OPS626";
    /// A content file would replace `_headers`, `_redirects` or `404.html`.
    pub const PAGES_FILE_REPLACED: &str = "OPS627";

    // 640-659: publish safety (src/analysis/publish_safety.rs).
    /// A private key block would be published.
    pub const PUBLISH_PRIVATE_KEY: &str = "OPS640";
    /// A cloud or API token would be published.
    pub const PUBLISH_TOKEN: &str = "OPS641";
    /// A URL with a password in it would be published.
    pub const PUBLISH_PASSWORD_IN_URL: &str = "OPS642";
    /// A `user@<public IPv4>` login would be published.
    pub const PUBLISH_PUBLIC_LOGIN: &str = "OPS643";
    /// A local user path (`C:\Users\name`, `/home/name`) would be published.
    pub const PUBLISH_LOCAL_USER_PATH: &str = "OPS644";
}

/// One problem, at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The file, relative to the site root when it is inside it.
    pub path: Option<PathBuf>,
    pub span: Option<Span>,
    /// What to do about it.
    pub help: Option<String>,
    /// Shown instead of the file's line under the headline (publish safety shows the
    /// line with the secret redacted).
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            path: None,
            span: None,
            help: None,
            source_line: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Note, message)
    }

    pub fn at(mut self, path: impl Into<PathBuf>, span: Option<Span>) -> Self {
        self.path = Some(path.into());
        self.span = span;
        self
    }

    /// Sets the span and keeps the path (which the caller may add later with `at`).
    pub fn at_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (or the parts of it that are known).
    pub fn location(&self) -> String {
        let mut out = String::new();
        if let Some(path) = &self.path {
            out.push_str(&display_path(path));
            if let Some(span) = &self.span {
                let _ = write!(out, ":{}:{}", span.line, span.col);
            }
        }
        out
    }

    /// The one-line form: `path:line:col: severity[CODE]: message`.
    pub fn headline(&self) -> String {
        let location = self.location();
        let prefix = if location.is_empty() {
            String::new()
        } else {
            format!("{location}: ")
        };
        format!(
            "{prefix}{}[{}]: {}",
            self.severity.as_str(),
            self.code,
            self.message
        )
    }

    /// The headline, then the source line with a caret under the column when the source
    /// is known, then the help text.
    pub fn render(&self, sources: &SourceCache) -> String {
        let mut out = self.headline();
        let line_text = match (&self.path, &self.span) {
            _ if self.source_line.is_some() => self.source_line.as_deref(),
            (Some(path), Some(span)) => sources.line(path, span.line),
            _ => None,
        };
        if let (Some(text), Some(span)) = (line_text, &self.span) {
            let number = span.line.to_string();
            let gutter = " ".repeat(number.len());
            let caret_pad: String = text
                .chars()
                .take(span.col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = write!(
                out,
                "\n{gutter} |\n{number} | {text}\n{gutter} | {caret_pad}^"
            );
        }
        if let Some(help) = &self.help {
            let _ = write!(out, "\n  = help: {help}");
        }
        out
    }
}

/// Paths are shown with forward slashes on every platform so output is stable.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The source texts diagnostics point into, so a diagnostic can show its line.
#[derive(Debug, Default, Clone)]
pub struct SourceCache {
    texts: BTreeMap<PathBuf, String>,
}

impl SourceCache {
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.texts.insert(path.into(), text.into());
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, path: &Path, line: u32) -> Option<&str> {
        let text = self.texts.get(path)?;
        let line = text.lines().nth(line.checked_sub(1)? as usize)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Diagnostics sorted for output: by path, then position, then code, so two runs print
/// the same thing in the same order.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.path.clone(),
                d.span.map(|s| (s.line, s.col)),
                d.code,
                d.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_shows_source_line_and_caret_under_column() {
        let mut sources = SourceCache::default();
        sources.insert("content/a.md", "---\ntitle: [oops\n---\n");
        let diagnostic = Diagnostic::error(codes::FRONT_MATTER_SYNTAX, "bad YAML")
            .at("content/a.md", Some(Span::point(0, 2, 8)))
            .with_help("close the bracket");
        let text = diagnostic.render(&sources);
        assert_eq!(
            text,
            "content/a.md:2:8: error[OPS101]: bad YAML\n  |\n2 | title: [oops\n  |        ^\n  = help: close the bracket"
        );
    }

    #[test]
    fn headline_without_path_has_no_location_prefix() {
        let diagnostic = Diagnostic::warning(codes::NO_CONTENT, "empty");
        assert_eq!(diagnostic.headline(), "warning[OPS003]: empty");
    }
}
