//! Alert rules (ingest stage): the site's Prometheus rule files in, `model::alert`
//! rules plus diagnostics out. Rule files are found by glob (`alerts/**/*.yaml` and
//! `alerts/**/*.yml` at the site root by default, `[alerts] rules` in `opsbook.toml`
//! otherwise) and read with serde-saphyr: plain rule files (`groups:`),
//! `PrometheusRule` manifests (`spec.groups`), several YAML documents in one file, and
//! `kind: List` manifests holding them. Rule files are inputs, not pages: they are not
//! published unless they sit under `content/` like any other file.

pub(crate) mod rule_file; // crate-visible for `fuzz_api::alert_rules`
mod rule_files;

use std::path::Path;

use crate::diagnostics::{codes, Diagnostic, Diagnostics, Severity, SourceCache};
use crate::model::alert::AlertRules;
use crate::model::span::LineIndex;
use crate::site_files;

pub use rule_files::{pattern_folder, DEFAULT_RULE_GLOBS};

/// Where the rule files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFileOptions {
    /// Glob patterns relative to the site root (`*`, `?`, `**`).
    pub globs: Vec<String>,
    /// The patterns were written in `opsbook.toml`: one that matches no file is worth a
    /// warning (the default folder is simply optional).
    pub configured: bool,
}

impl Default for RuleFileOptions {
    fn default() -> Self {
        RuleFileOptions {
            globs: DEFAULT_RULE_GLOBS.iter().map(|g| g.to_string()).collect(),
            configured: false,
        }
    }
}

/// Reads every rule file the options name. The files' texts go to `sources` so the
/// diagnostics about them show their lines.
pub fn read_alert_rules(
    root: &Path,
    options: &RuleFileOptions,
    sources: &mut SourceCache,
    diagnostics: &mut Diagnostics,
) -> AlertRules {
    let files = rule_files::find_rule_files(root, options, diagnostics);
    let mut rules = AlertRules::default();
    for file in files {
        let Some(text) = read_text(root, &file, diagnostics) else {
            continue;
        };
        rules
            .rules
            .extend(rule_file::read_rule_file(&file, &text, diagnostics));
        sources.insert(file.clone(), text);
        rules.files.push(file);
    }
    rules
}

/// The file's text (a byte order mark dropped), or an error saying why there is none.
fn read_text(root: &Path, file: &Path, diagnostics: &mut Diagnostics) -> Option<String> {
    // Through the site's one safe reader: a FIFO never hangs the build and a link out
    // of the site is not followed.
    let bytes = match site_files::read_site_file(root, file) {
        Ok(bytes) => bytes,
        Err(error) => {
            diagnostics.push(
                error
                    .diagnostic(Severity::Error, codes::IO, "the rule file")
                    .at(file, None),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let span = LineIndex::new(valid).span(valid.len(), valid.len());
            diagnostics.push(
                Diagnostic::error(codes::NOT_UTF8, "rule file is not valid UTF-8")
                    .at(file, Some(span))
                    .with_help("save the file as UTF-8, as Prometheus itself requires"),
            );
            None
        }
    }
}
