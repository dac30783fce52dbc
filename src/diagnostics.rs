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

    // 4xx: audits and tracker status.

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
