//! Runbook settings (configuration): what the runbook pages and their PDFs are made
//! with, from `[runbooks]` in `opsbook.toml`, the command line and the build's
//! environment. Render reads them; the pipeline fills them in.

use serde::Serialize;

use crate::model::date::iso_of_days;

/// Site-wide runbook settings: `[runbooks]` of the config file, `--paper`, `--no-pdf`
/// and `--review-days` of the command line, and the build's reference date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunbookOptions {
    /// Days between reviews when a runbook names no interval of its own.
    pub review_days: u32,
    /// The date staleness is judged on (`YYYY-MM-DD`, from `SOURCE_DATE_EPOCH`); without
    /// it the page states the due date and a script compares it with the reader's day.
    pub as_of: Option<String>,
    /// Paper size of the PDFs.
    pub paper: Paper,
    /// What the PDF footer names as the build (a commit or a date), when known.
    pub build_label: Option<String>,
    /// Make a PDF per runbook (the `pdf` feature must be built in; `--no-pdf` turns it
    /// off for a build).
    pub pdf: bool,
    /// The site's own PDF fonts (`[runbooks] pdf_fonts`), tried after the built-in ones
    /// for characters those lack (CJK, for one).
    pub pdf_fonts: Vec<PdfFont>,
}

/// A font file a site gives for its PDFs: the path as written in `opsbook.toml` and the
/// file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfFont {
    pub path: String,
    pub bytes: std::sync::Arc<[u8]>,
}

impl Default for RunbookOptions {
    fn default() -> Self {
        RunbookOptions {
            review_days: 90,
            as_of: None,
            paper: Paper::A4,
            build_label: None,
            pdf: cfg!(feature = "pdf"),
            pdf_fonts: Vec::new(),
        }
    }
}

impl RunbookOptions {
    /// Options for a build: the reference date and the PDF footer's build label come from
    /// `SOURCE_DATE_EPOCH` when it is set (never from the clock, so output is
    /// reproducible); `OPSBOOK_COMMIT` names the commit the site was built from.
    pub fn from_environment(paper: Paper, review_days: u32) -> Self {
        let as_of = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .map(|seconds| iso_of_days(seconds.div_euclid(86_400)));
        let commit = std::env::var("OPSBOOK_COMMIT")
            .ok()
            .map(|c| c.trim().chars().take(12).collect::<String>())
            .filter(|c| !c.is_empty());
        let build_label = match (commit, &as_of) {
            (Some(commit), Some(date)) => Some(format!("commit {commit}, {date}")),
            (Some(commit), None) => Some(format!("commit {commit}")),
            (None, Some(date)) => Some(format!("built {date}")),
            (None, None) => None,
        };
        RunbookOptions {
            review_days,
            as_of,
            paper,
            build_label,
            pdf: cfg!(feature = "pdf"),
            pdf_fonts: Vec::new(),
        }
    }
}

/// PDF paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}
