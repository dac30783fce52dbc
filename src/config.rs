//! Site configuration (before ingest): `opsbook.toml` at the site root, found by walking
//! up from `--root`. Takes the file's text, gives a typed `Config` (defaults for what the
//! file leaves out) plus diagnostics. Strict on purpose: a key opsbook does not know is an
//! error naming the allowed keys, because a misspelt setting silently ignored is worse
//! than a failed build. The only module that knows `toml_edit`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{ImDocument, Item, TableLike};

use crate::diagnostics::{codes, Diagnostic, Diagnostics, Severity};
use crate::model::audit::Severity as AuditSeverity;
use crate::model::audit::SeverityPolicy;
use crate::model::span::LineIndex;
use crate::model::Span;
use crate::site_files::{self, InputError};

mod runbook_options;

pub use runbook_options::{Paper, PdfFont, RunbookOptions};

/// The configuration file's name.
pub const CONFIG_FILE: &str = "opsbook.toml";

/// The whole site configuration. `Config::default()` is what a site without
/// `opsbook.toml` gets.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The site title; overrides the home page's title.
    pub title: Option<String>,
    /// The public address of the site, used only for canonical links and the sitemap.
    pub base_url: Option<String>,
    /// The pages' language (`<html lang>`), e.g. `en`.
    pub language: String,
    pub plans: PlansConfig,
    pub runbooks: RunbooksConfig,
    pub audits: AuditsConfig,
    pub publish: PublishConfig,
    pub links: LinksConfig,
    pub alerts: AlertsConfig,
}

/// `[plans]`: settings of the plan analyses.
#[derive(Debug, Clone, PartialEq)]
pub struct PlansConfig {
    /// Working hours in a day, to turn ETAs into days (default 8).
    pub hours_per_day: f64,
}

/// `[runbooks]`: settings of runbook pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunbooksConfig {
    /// Days after the last review before a runbook is shown as stale (default 90).
    pub review_interval_days: u32,
    /// Font files for the PDFs, relative to the site root, tried after the built-in
    /// DejaVu fonts for characters those lack.
    pub pdf_fonts: Vec<String>,
}

/// `[audits]`: the severity gate of audit results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditsConfig {
    /// Findings at or above this severity fail the build (`--fail-on`); none by default.
    pub fail_on: Option<AuditSeverity>,
    /// The severity an artifact page settles on when scanners disagree (`severity =
    /// "highest" | "lowest" | "<tool>"`; the highest by default).
    pub severity: SeverityPolicy,
    /// Where `severity` is written, for a warning when it names no scanner of the site.
    pub severity_span: Option<Span>,
}

/// `[publish]`: publish-safety settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PublishConfig {
    /// Exact values the publish-safety scan may let through (e.g. a documentation IP).
    pub allowed: Vec<String>,
}

/// `[links]`: how serious a broken internal link is in each command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinksConfig {
    /// In `opsbook build` (default warning, so an urgent fix can still ship).
    pub build: Severity,
    /// In `opsbook check` (default error, so CI stops the pull request).
    pub check: Severity,
}

/// `[alerts]`: where the alert rules are and where their runbooks are published.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlertsConfig {
    /// Glob patterns of the rule files, relative to the site root; `None` means the
    /// default (`alerts/**/*.yaml` and `alerts/**/*.yml`).
    pub rules: Option<Vec<String>>,
    /// The address the runbooks are published at when it is not `base_url` (a site
    /// published elsewhere): a `runbook_url` under it names a page of this site.
    pub runbook_base_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: None,
            base_url: None,
            language: "en".to_string(),
            plans: PlansConfig { hours_per_day: 8.0 },
            runbooks: RunbooksConfig {
                review_interval_days: 90,
                pdf_fonts: Vec::new(),
            },
            audits: AuditsConfig::default(),
            publish: PublishConfig::default(),
            links: LinksConfig {
                build: Severity::Warning,
                check: Severity::Error,
            },
            alerts: AlertsConfig::default(),
        }
    }
}

/// The configuration of a site, and the text of its file.
#[derive(Debug, Default)]
pub struct LoadedConfig {
    pub config: Config,
    /// The file's text, for diagnostics that show the source line.
    pub text: Option<String>,
}

/// The site root for a `--root` argument: the first folder, from `start` upwards, that
/// holds `opsbook.toml` or `content/`. `start` itself when none does.
pub fn find_site_root(start: &Path) -> PathBuf {
    let is_root = |dir: &Path| dir.join(CONFIG_FILE).is_file() || dir.join("content").is_dir();
    if is_root(start) {
        return start.to_path_buf();
    }
    let absolute = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    absolute
        .ancestors()
        .skip(1)
        .find(|dir| is_root(dir))
        .map_or_else(|| start.to_path_buf(), Path::to_path_buf)
}

/// Reads `<root>/opsbook.toml`; defaults when there is none. What is wrong with the file
/// goes to `diagnostics`: a file that cannot be read (a folder, a FIFO, a link out of the
/// site) is an error, not a silent default, because the build would not be the one the
/// file describes.
pub fn load_config(root: &Path, diagnostics: &mut Diagnostics) -> LoadedConfig {
    let mut loaded = LoadedConfig::default();
    let bytes = match site_files::read_site_file(root, Path::new(CONFIG_FILE)) {
        Ok(bytes) => bytes,
        Err(InputError::Missing) => return loaded,
        Err(problem) => {
            diagnostics.push(
                problem
                    .diagnostic(Severity::Error, codes::IO, &format!("`{CONFIG_FILE}`"))
                    .at(CONFIG_FILE, None),
            );
            return loaded;
        }
    };
    match site_files::decode_utf8(bytes) {
        Ok(text) => {
            loaded.config = parse_config(&text, diagnostics);
            loaded.text = Some(text);
        }
        Err(not_utf8) => {
            diagnostics.push(
                Diagnostic::error(codes::NOT_UTF8, format!("{CONFIG_FILE} is not valid UTF-8"))
                    .at(CONFIG_FILE, Some(not_utf8.span))
                    .with_help("save the file as UTF-8; no setting of it is used until then"),
            );
            loaded.text = Some(not_utf8.lossy);
        }
    }
    loaded
}

/// Parses the text of `opsbook.toml`. Diagnostics are placed in `opsbook.toml`; every
/// problem is reported, and a bad value leaves that setting at its default.
pub fn parse_config(text: &str, diagnostics: &mut Diagnostics) -> Config {
    let mut reader = Reader {
        lines: LineIndex::new(text),
        diagnostics,
    };
    let mut config = Config::default();
    match ImDocument::parse(text) {
        Ok(document) => reader.read_document(document.as_table(), &mut config),
        Err(error) => {
            let range = error.span().unwrap_or(0..0);
            let message = error.message().trim().to_string();
            reader.push(
                codes::CONFIG_SYNTAX,
                format!("{CONFIG_FILE} is not valid TOML: {message}"),
                Some(range),
                "see https://toml.io for the syntax; strings need double quotes",
            );
        }
    }
    config
}

/// The allowed keys, by table (`""` is the top level).
const SCHEMA: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "title", "base_url", "language", "plans", "runbooks", "audits", "publish", "links",
            "alerts",
        ],
    ),
    ("plans", &["hours_per_day"]),
    ("runbooks", &["review_interval_days", "pdf_fonts"]),
    ("audits", &["fail_on", "severity"]),
    ("publish", &["allowed"]),
    ("links", &["build", "check"]),
    ("alerts", &["rules", "runbook_base_url"]),
];

fn allowed_keys(table: &str) -> &'static [&'static str] {
    SCHEMA
        .iter()
        .find(|(name, _)| *name == table)
        .map_or(&[], |(_, keys)| *keys)
}

/// Reads typed values out of the document and collects diagnostics with positions.
struct Reader<'a> {
    lines: LineIndex<'a>,
    diagnostics: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn push(
        &mut self,
        code: &'static str,
        message: String,
        range: Option<Range<usize>>,
        help: &str,
    ) {
        let span = range.map(|r| self.lines.span(r.start, r.end));
        self.diagnostics.push(
            Diagnostic::error(code, message)
                .at(CONFIG_FILE, span)
                .with_help(help),
        );
    }

    fn read_document(&mut self, root: &dyn TableLike, config: &mut Config) {
        self.check_keys(root, "");
        config.title = self.string(root, "title");
        if let Some(url) = self.string(root, "base_url") {
            if url.starts_with("https://") || url.starts_with("http://") {
                config.base_url = Some(url);
            } else {
                let wanted = "an absolute http(s) address such as `https://ops.example.com/`";
                self.bad_value(root, "base_url", wanted);
            }
        }
        if let Some(language) = self.string(root, "language") {
            let valid = !language.is_empty()
                && language
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if valid {
                config.language = language;
            } else {
                self.bad_value(root, "language", "a language tag such as `en` or `de-CH`");
            }
        }
        if let Some(plans) = self.table(root, "plans") {
            if let Some(hours) = self.number(plans, "plans.hours_per_day") {
                if hours > 0.0 && hours <= 24.0 {
                    config.plans.hours_per_day = hours;
                } else {
                    self.bad_value(
                        plans,
                        "hours_per_day",
                        "a number of hours above 0 and at most 24",
                    );
                }
            }
        }
        if let Some(runbooks) = self.table(root, "runbooks") {
            if let Some(days) = self.integer(runbooks, "runbooks.review_interval_days") {
                match u32::try_from(days) {
                    Ok(days) if days > 0 => config.runbooks.review_interval_days = days,
                    _ => self.bad_value(
                        runbooks,
                        "review_interval_days",
                        "a whole number of days, at least 1",
                    ),
                }
            }
            config.runbooks.pdf_fonts = self.string_list(runbooks, "runbooks.pdf_fonts");
        }
        self.read_audits(root, config);
        if let Some(publish) = self.table(root, "publish") {
            config.publish.allowed = self.string_list(publish, "publish.allowed");
        }
        self.read_alerts(root, config);
        if let Some(links) = self.table(root, "links") {
            if let Some(severity) = self.severity(links, "build") {
                config.links.build = severity;
            }
            if let Some(severity) = self.severity(links, "check") {
                config.links.check = severity;
            }
        }
    }

    fn read_audits(&mut self, root: &dyn TableLike, config: &mut Config) {
        let Some(audits) = self.table(root, "audits") else {
            return;
        };
        if let Some(text) = self.string(audits, "audits.severity") {
            match SeverityPolicy::parse(&text) {
                Some(policy) => {
                    config.audits.severity = policy;
                    config.audits.severity_span = value_range(audits, "severity")
                        .map(|range| self.lines.span(range.start, range.end));
                }
                None => self.bad_value(
                    audits,
                    "severity",
                    "`highest`, `lowest` or the name of a scanner (e.g. `Trivy`)",
                ),
            }
        }
        let Some(text) = self.string(audits, "audits.fail_on") else {
            return;
        };
        match text.parse::<AuditSeverity>().ok() {
            Some(gate) => config.audits.fail_on = Some(gate),
            None => self.bad_value(
                audits,
                "fail_on",
                &one_of(&["critical", "high", "medium", "low", "info"]),
            ),
        }
    }

    fn read_alerts(&mut self, root: &dyn TableLike, config: &mut Config) {
        let Some(alerts) = self.table(root, "alerts") else {
            return;
        };
        if alerts.contains_key("rules") {
            let globs = self.string_list(alerts, "alerts.rules");
            let valid = globs.iter().all(|glob| {
                !glob.trim().is_empty()
                    && !glob.starts_with(['/', '\\'])
                    && !glob.contains(':')
                    && !glob.split(['/', '\\']).any(|segment| segment == "..")
            });
            if valid {
                config.alerts.rules = Some(globs);
            } else {
                let wanted = "a list of file patterns relative to the site root, such as `[\"monitoring/**/*.rules.yml\"]` (no `..`, not absolute)";
                self.bad_value(alerts, "rules", wanted);
            }
        }
        if let Some(url) = self.string(alerts, "alerts.runbook_base_url") {
            if url.starts_with("https://") || url.starts_with("http://") {
                config.alerts.runbook_base_url = Some(url);
            } else {
                let wanted = "an absolute http(s) address such as `https://runbooks.example.com/`";
                self.bad_value(alerts, "runbook_base_url", wanted);
            }
        }
    }

    /// Every key of a table must be one the schema allows.
    fn check_keys(&mut self, table: &dyn TableLike, name: &str) {
        let allowed = allowed_keys(name);
        let unknown: Vec<String> = table
            .iter()
            .map(|(key, _)| key.to_string())
            .filter(|key| !allowed.contains(&key.as_str()))
            .collect();
        for key in unknown {
            let range = table.get_key_value(&key).and_then(|(k, _)| k.span());
            let place = if name.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in [{name}]")
            };
            self.push(
                codes::CONFIG_UNKNOWN_KEY,
                format!("unknown key `{key}` {place} of {CONFIG_FILE}"),
                range,
                &format!("allowed keys {place}: {}", allowed.join(", ")),
            );
        }
    }

    /// A sub-table (`[plans]` or `plans = { ... }`), with its keys checked.
    fn table<'t>(&mut self, root: &'t dyn TableLike, name: &str) -> Option<&'t dyn TableLike> {
        let item = root.get(name)?;
        match item.as_table_like() {
            Some(table) => {
                self.check_keys(table, name);
                Some(table)
            }
            None => {
                self.wrong_type(root, name, "a table", item);
                None
            }
        }
    }

    fn string(&mut self, table: &dyn TableLike, dotted: &str) -> Option<String> {
        let item = table.get(last_part(dotted))?;
        match item.as_str() {
            Some(text) => Some(text.to_string()),
            None => {
                self.wrong_type(table, dotted, "a string", item);
                None
            }
        }
    }

    fn integer(&mut self, table: &dyn TableLike, dotted: &str) -> Option<i64> {
        let item = table.get(last_part(dotted))?;
        let value = item.as_integer();
        if value.is_none() {
            self.wrong_type(table, dotted, "a whole number", item);
        }
        value
    }

    fn number(&mut self, table: &dyn TableLike, dotted: &str) -> Option<f64> {
        let item = table.get(last_part(dotted))?;
        let value = item
            .as_float()
            .or_else(|| item.as_integer().map(|n| n as f64));
        if value.is_none() {
            self.wrong_type(table, dotted, "a number", item);
        }
        value
    }

    fn string_list(&mut self, table: &dyn TableLike, dotted: &str) -> Vec<String> {
        let Some(item) = table.get(last_part(dotted)) else {
            return Vec::new();
        };
        let strings: Option<Vec<String>> = item.as_array().and_then(|array| {
            array
                .iter()
                .map(|value| value.as_str().map(str::to_string))
                .collect()
        });
        strings.unwrap_or_else(|| {
            self.wrong_type(table, dotted, "a list of strings", item);
            Vec::new()
        })
    }

    fn severity(&mut self, table: &dyn TableLike, key: &str) -> Option<Severity> {
        let text = self.string(table, &format!("links.{key}"))?;
        let severity = match text.as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            _ => None,
        };
        if severity.is_none() {
            self.bad_value(table, key, &one_of(&["error", "warning", "note"]));
        }
        severity
    }

    fn wrong_type(&mut self, table: &dyn TableLike, dotted: &str, wanted: &str, item: &Item) {
        let range = value_range(table, last_part(dotted));
        self.push(
            codes::CONFIG_VALUE,
            format!(
                "`{dotted}` must be {wanted}, not {}",
                article(item.type_name())
            ),
            range,
            &format!("write `{dotted}` as {wanted}"),
        );
    }

    fn bad_value(&mut self, table: &dyn TableLike, key: &str, wanted: &str) {
        let range = value_range(table, key);
        self.push(
            codes::CONFIG_VALUE,
            format!("`{key}` must be {wanted}"),
            range,
            &format!("change the value of `{key}`"),
        );
    }
}

/// Where the string `value` is written (quoted) in the configuration `text`, if it is.
pub fn string_span(text: &str, value: &str) -> Option<crate::model::span::Span> {
    let start = [format!("\"{value}\""), format!("'{value}'")]
        .iter()
        .find_map(|quoted| text.find(quoted.as_str()))?;
    Some(LineIndex::new(text).span(start, start + value.len() + 2))
}

fn value_range(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    let (key, item) = table.get_key_value(key)?;
    item.span().or_else(|| key.span())
}

fn last_part(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    format!("one of {}", quoted.join(", "))
}

fn article(type_name: &str) -> String {
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn parse(text: &str) -> (Config, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let config = parse_config(text, &mut diagnostics);
        (config, diagnostics)
    }

    fn positions(diagnostics: &Diagnostics) -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| format!("{} {}", d.location(), d.code))
            .collect()
    }

    #[test]
    fn full_file_is_read_into_typed_settings() {
        let text = r#"
title = "Larkspur ops"
base_url = "https://ops.example.com/"
language = "de-CH"

[plans]
hours_per_day = 6.5

[runbooks]
review_interval_days = 30
pdf_fonts = ["fonts/NotoSansCJK.ttc"]

[audits]
fail_on = "high"
severity = "Trivy"

[publish]
allowed = ["deployer@203.0.113.7"]

[links]
build = "error"
check = "warning"

[alerts]
rules = ["monitoring/**/*.rules.yml"]
runbook_base_url = "https://runbooks.example.com/"
"#;
        let (config, diagnostics) = parse(text);
        assert!(diagnostics.is_empty(), "{:?}", positions(&diagnostics));
        assert_eq!(config.title.as_deref(), Some("Larkspur ops"));
        assert_eq!(config.base_url.as_deref(), Some("https://ops.example.com/"));
        assert_eq!(config.language, "de-CH");
        assert_eq!(config.plans.hours_per_day, 6.5);
        assert_eq!(config.runbooks.review_interval_days, 30);
        assert_eq!(config.runbooks.pdf_fonts, ["fonts/NotoSansCJK.ttc"]);
        assert_eq!(config.audits.fail_on, Some(AuditSeverity::High));
        assert_eq!(config.audits.severity, SeverityPolicy::Tool("Trivy".into()));
        assert_eq!(config.audits.severity_span.map(|s| s.line), Some(15));
        assert_eq!(config.publish.allowed, ["deployer@203.0.113.7"]);
        assert_eq!(config.links.build, Severity::Error);
        assert_eq!(config.links.check, Severity::Warning);
        assert_eq!(
            config.alerts.rules.as_deref(),
            Some(&["monitoring/**/*.rules.yml".to_string()][..])
        );
        assert_eq!(
            config.alerts.runbook_base_url.as_deref(),
            Some("https://runbooks.example.com/")
        );
    }

    #[test]
    fn alert_rule_patterns_must_stay_inside_the_site() {
        let text = "[alerts]\nrules = [\"../elsewhere/*.yaml\"]\nrunbook_base_url = \"runbooks\"\n";
        let (config, diagnostics) = parse(text);
        assert_eq!(
            positions(&diagnostics),
            ["opsbook.toml:2:9 OPS602", "opsbook.toml:3:20 OPS602"]
        );
        assert_eq!(config.alerts, AlertsConfig::default());
    }

    #[test]
    fn empty_file_gives_the_documented_defaults() {
        let (config, diagnostics) = parse("");
        assert!(diagnostics.is_empty());
        assert_eq!(config, Config::default());
        assert_eq!(config.plans.hours_per_day, 8.0);
        assert_eq!(config.runbooks.review_interval_days, 90);
        assert_eq!(config.links.build, Severity::Warning);
        assert_eq!(config.links.check, Severity::Error);
    }

    #[test]
    fn every_unknown_key_is_an_error_at_its_position_naming_the_allowed_keys() {
        let text =
            "titel = \"x\"\n[plans]\nhours_per_dya = 7\n[runbooks]\nreview_interval_days = 10\n";
        let (config, diagnostics) = parse(text);
        assert_eq!(
            positions(&diagnostics),
            ["opsbook.toml:1:1 OPS601", "opsbook.toml:3:1 OPS601"]
        );
        assert!(diagnostics[0].message.contains("`titel`"));
        assert!(diagnostics[1]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("hours_per_day")));
        // The known keys are still read.
        assert_eq!(config.runbooks.review_interval_days, 10);
    }

    #[test]
    fn wrong_types_and_values_point_at_the_value() {
        let text =
            "title = 3\n[runbooks]\nreview_interval_days = \"soon\"\n[links]\nbuild = \"fatal\"\n";
        let (config, diagnostics) = parse(text);
        assert_eq!(
            positions(&diagnostics),
            [
                "opsbook.toml:1:9 OPS602",
                "opsbook.toml:3:24 OPS602",
                "opsbook.toml:5:9 OPS602"
            ]
        );
        assert_eq!(config, Config::default());
    }

    #[test]
    fn syntax_error_is_reported_with_its_line() {
        let (_, diagnostics) = parse("title = \"x\"\nlanguage = en\n");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, codes::CONFIG_SYNTAX);
        assert_eq!(diagnostics[0].span.map(|s| s.line), Some(2));
    }

    fn load(root: &Path) -> (LoadedConfig, Vec<String>) {
        let mut diagnostics = Diagnostics::new();
        let loaded = load_config(root, &mut diagnostics);
        (loaded, positions(&diagnostics))
    }

    #[test]
    fn invalid_utf8_in_the_file_is_an_error_at_the_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(CONFIG_FILE),
            b"title = \"Ops\"\n[publish]\nallowed = [\"caf\xe9\"]\n",
        )
        .unwrap();
        let (loaded, positions) = load(dir.path());
        assert_eq!(positions, ["opsbook.toml:3:16 OPS002"]);
        assert_eq!(loaded.config, Config::default());
        assert!(loaded.text.unwrap().contains("caf\u{fffd}"));
    }

    #[test]
    fn a_folder_named_like_the_file_is_an_error_and_no_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let (loaded, positions) = load(dir.path());
        assert!(positions.is_empty());
        assert_eq!(loaded.config, Config::default());
        fs::create_dir(dir.path().join(CONFIG_FILE)).unwrap();
        let (_, positions) = load(dir.path());
        assert_eq!(positions, ["opsbook.toml OPS020"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_linked_from_outside_the_site_is_not_read() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("other.toml"), "title = \"Not ours\"\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("other.toml"),
            dir.path().join(CONFIG_FILE),
        )
        .unwrap();
        let (loaded, positions) = load(dir.path());
        assert_eq!(positions, ["opsbook.toml OPS004"]);
        assert_eq!(loaded.config.title, None);
        assert!(loaded.text.is_none());
    }

    #[test]
    fn site_root_is_found_by_walking_up_to_the_config() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        let deep = dir.path().join("content/runbooks");
        fs::create_dir_all(&deep).unwrap();
        assert_eq!(
            find_site_root(&deep).canonicalize().unwrap(),
            dir.path().canonicalize().unwrap()
        );
        assert_eq!(find_site_root(dir.path()), dir.path());
    }
}
