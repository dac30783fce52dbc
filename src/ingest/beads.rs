//! The beads tracker reader (ingest stage): `.beads/issues.jsonl` in, `model::status::Tracker`
//! plus diagnostics out. One JSON object per line; only the fields opsbook needs are read
//! and every other field is ignored, because the format grows. A line that cannot be
//! read (bad JSON, or a byte that is not UTF-8) is a warning at `path:line:col` and the
//! other lines still load: a damaged tracker must not stop a runbook site from being
//! published. Tombstoned (deleted) issues are dropped here, so they never count anywhere.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{codes, Diagnostic, Diagnostics, Severity};
use crate::model::span::LineIndex;
use crate::model::status::{DependencyKind, IssueDependency, IssueStatus, Tracker, TrackerIssue};
use crate::site_files::{self, InputError};

/// Where beads keeps its issues, relative to the site root.
pub const DEFAULT_TRACKER_PATH: &str = ".beads/issues.jsonl";

/// Where to find the tracker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackerOptions {
    /// The issues file, relative to the site root (or absolute, inside it). `None`
    /// means `.beads/issues.jsonl`, which may be absent without a word; a path given
    /// here must exist.
    pub path: Option<PathBuf>,
}

/// One line of `issues.jsonl`, leniently: unknown fields are ignored.
#[derive(Debug, Deserialize)]
struct RawIssue {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    priority: Option<u8>,
    #[serde(default)]
    issue_type: Option<String>,
    #[serde(default)]
    estimated_minutes: Option<u32>,
    #[serde(default)]
    dependencies: Option<Vec<RawDependency>>,
    #[serde(default)]
    labels: Option<Vec<String>>,
    #[serde(default)]
    closed_at: Option<String>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    close_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawDependency {
    depends_on_id: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

/// Reads the tracker of the site at `root`. `None` when there is no tracker file, or it
/// cannot be read (a warning: the site is built without task status). Like every input,
/// the file must be a regular file inside the site root.
pub fn load_tracker(
    root: &Path,
    options: &TrackerOptions,
    diagnostics: &mut Diagnostics,
) -> Option<Tracker> {
    let relative = options
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_TRACKER_PATH));
    match site_files::read_site_file(root, &relative) {
        Ok(bytes) => Some(parse_tracker_bytes(&relative, &bytes, diagnostics)),
        Err(InputError::Missing) if options.path.is_none() => None,
        Err(problem) => {
            let diagnostic = problem
                .diagnostic(
                    Severity::Warning,
                    codes::TRACKER_UNREADABLE,
                    "the issue tracker",
                )
                .at(relative, None);
            let diagnostic = match problem {
                InputError::Missing | InputError::Io(_) => diagnostic.with_help(
                    "check the tracker path (default `.beads/issues.jsonl`) and its permissions; the site is built without task status",
                ),
                _ => diagnostic,
            };
            diagnostics.push(diagnostic);
            None
        }
    }
}

/// Reads the bytes of an issues file. A byte order mark is dropped (editors on Windows
/// write one; it is not part of the first issue); a line that is not UTF-8 is a warning
/// at its first bad byte and only that line is left out.
pub fn parse_tracker_bytes(path: &Path, bytes: &[u8], diagnostics: &mut Diagnostics) -> Tracker {
    let bytes = site_files::strip_byte_order_mark(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_tracker(path, text, diagnostics),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            read_issues(path, &text, &bad_utf8_lines(bytes), diagnostics)
        }
    }
}

/// Reads the text of an issues file. `path` is only used to name the file in diagnostics.
pub fn parse_tracker(path: &Path, text: &str, diagnostics: &mut Diagnostics) -> Tracker {
    read_issues(path, text, &BTreeMap::new(), diagnostics)
}

/// The lines (1-based) that are not valid UTF-8, each with the byte, within the line, of
/// its first bad byte.
fn bad_utf8_lines(bytes: &[u8]) -> BTreeMap<u32, usize> {
    bytes
        .split(|&byte| byte == b'\n')
        .enumerate()
        .filter_map(|(index, line)| {
            let error = std::str::from_utf8(line).err()?;
            Some((index as u32 + 1, error.valid_up_to()))
        })
        .collect()
}

/// Reads every line of `text`. The lines in `bad_utf8` were not UTF-8 in the file (`text`
/// shows their bad bytes as U+FFFD; each valid prefix is byte for byte the file's).
fn read_issues(
    path: &Path,
    text: &str,
    bad_utf8: &BTreeMap<u32, usize>,
    diagnostics: &mut Diagnostics,
) -> Tracker {
    let mut issues: BTreeMap<String, TrackerIssue> = BTreeMap::new();
    let mut tombstones = 0usize;
    let index = LineIndex::new(text);
    for (line_index, line) in text.lines().enumerate() {
        let line_number = line_index as u32 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(&bad_byte) = bad_utf8.get(&line_number) {
            diagnostics.push(not_utf8_line(path, &index, line_number, bad_byte));
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let issue = match read_line(path, line, line_number, &index) {
            Ok(issue) => issue,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        if issue.status == IssueStatus::Tombstone {
            tombstones += 1;
            issues.remove(&issue.id);
            continue;
        }
        if let Some(earlier) = issues.get(&issue.id) {
            diagnostics.push(duplicate_issue(path, &issue, earlier.line, &index));
        }
        issues.insert(issue.id.clone(), issue);
    }
    Tracker {
        path: path.to_path_buf(),
        issues: issues.into_values().collect(),
        tombstones,
    }
}

fn not_utf8_line(path: &Path, index: &LineIndex, line_number: u32, bad_byte: usize) -> Diagnostic {
    let offset = index.line_start(line_number) + bad_byte;
    Diagnostic::warning(
        codes::TRACKER_BAD_LINE,
        "tracker line is not valid UTF-8",
    )
    .at(path, Some(index.span(offset, offset)))
    .with_help("re-export the tracker (`bd export`) or save the file as UTF-8; this issue is left out, the other lines still load")
}

/// Reads line `line_number` of the file `index` covers.
fn read_line(
    path: &Path,
    line: &str,
    line_number: u32,
    index: &LineIndex,
) -> Result<TrackerIssue, Diagnostic> {
    let raw: RawIssue = serde_json::from_str(line).map_err(|error| {
        let offset = index.line_start(line_number) + byte_in_line(line, error.column());
        Diagnostic::warning(
            codes::TRACKER_BAD_LINE,
            format!("tracker line is not a readable issue: {}", without_position(&error)),
        )
        .at(path, Some(index.span(offset, offset)))
        .with_help("each line must be one JSON object with at least an `id` (as `bd export` writes it); this issue is left out")
    })?;
    if raw.id.trim().is_empty() {
        return Err(Diagnostic::warning(
            codes::TRACKER_BAD_LINE,
            "tracker issue has an empty `id`",
        )
        .at(path, Some(index.point(line_number, 1)))
        .with_help("give the issue its tracker id; this issue is left out"));
    }
    Ok(resolve_issue(raw, line_number))
}

/// The byte of `line` that serde_json's 1-based column names. serde_json counts bytes,
/// not characters; a column inside a character means that character.
fn byte_in_line(line: &str, column: usize) -> usize {
    let mut byte = column.saturating_sub(1).min(line.len());
    while !line.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// serde_json's message without its ` at line 1 column 34` tail: the diagnostic already
/// names the place, in file lines.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(end) => message[..end].to_string(),
        None => message,
    }
}

fn resolve_issue(raw: RawIssue, line: u32) -> TrackerIssue {
    TrackerIssue {
        status: IssueStatus::parse(raw.status.as_deref().unwrap_or("open")),
        priority: raw.priority.unwrap_or(0),
        issue_type: raw.issue_type.unwrap_or_else(|| "task".to_string()),
        estimated_minutes: raw.estimated_minutes,
        dependencies: raw
            .dependencies
            .unwrap_or_default()
            .into_iter()
            .map(|dependency| IssueDependency {
                depends_on: dependency.depends_on_id,
                kind: DependencyKind(dependency.kind.unwrap_or_else(|| "blocks".to_string())),
            })
            .collect(),
        labels: raw.labels.unwrap_or_default(),
        closed_at: raw.closed_at,
        updated_at: raw.updated_at,
        close_reason: raw.close_reason.filter(|reason| !reason.trim().is_empty()),
        id: raw.id,
        title: raw.title,
        line,
    }
}

/// The tracker's issues by lower-case id, for joining plan work items to them: plans
/// write ids in any case (`WEB-3GAT` for `web-3gat`), so ids are compared without case.
#[derive(Debug, Clone)]
pub struct TrackerIndex<'t> {
    pub tracker: &'t Tracker,
    by_id: HashMap<String, &'t TrackerIssue>,
}

impl<'t> TrackerIndex<'t> {
    pub fn new(tracker: &'t Tracker) -> Self {
        let by_id = tracker
            .issues
            .iter()
            .map(|issue| (issue.id.to_lowercase(), issue))
            .collect();
        TrackerIndex { tracker, by_id }
    }

    /// The issue with `id`, compared without case.
    pub fn issue(&self, id: &str) -> Option<&'t TrackerIssue> {
        self.by_id.get(&id.to_lowercase()).copied()
    }

    /// Every issue id, as the tracker spells it.
    pub fn ids(&self) -> impl Iterator<Item = &'t str> + '_ {
        self.tracker.issues.iter().map(|issue| issue.id.as_str())
    }
}

fn duplicate_issue(
    path: &Path,
    issue: &TrackerIssue,
    earlier_line: u32,
    index: &LineIndex,
) -> Diagnostic {
    Diagnostic::warning(
        codes::TRACKER_DUPLICATE_ID,
        format!(
            "issue `{}` appears again (first on line {earlier_line}); the later line is used",
            issue.id
        ),
    )
    .at(path, Some(index.point(issue.line, 1)))
    .with_help("re-export the tracker (`bd export`) so each issue appears once")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Tracker, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let tracker = parse_tracker(Path::new(".beads/issues.jsonl"), text, &mut diagnostics);
        (tracker, diagnostics)
    }

    #[test]
    fn every_status_is_read_and_unknown_ones_are_kept_as_written() {
        let text = [
            r#"{"id":"x-1","title":"a","status":"open","issue_type":"task"}"#,
            r#"{"id":"x-2","title":"b","status":"in_progress"}"#,
            r#"{"id":"x-3","title":"c","status":"blocked"}"#,
            r#"{"id":"x-4","title":"d","status":"closed","closed_at":"2026-01-02T03:04:05Z"}"#,
            r#"{"id":"x-5","title":"e","status":"deferred"}"#,
        ]
        .join("\n");
        let (tracker, diagnostics) = parse(&text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let statuses: Vec<&IssueStatus> = tracker.issues.iter().map(|i| &i.status).collect();
        assert_eq!(
            statuses,
            [
                &IssueStatus::Open,
                &IssueStatus::InProgress,
                &IssueStatus::Blocked,
                &IssueStatus::Closed,
                &IssueStatus::Other("deferred".into()),
            ]
        );
        assert_eq!(
            tracker.issue("x-4").unwrap().closed_at.as_deref(),
            Some("2026-01-02T03:04:05Z")
        );
    }

    #[test]
    fn unknown_fields_are_ignored_and_missing_ones_take_beads_defaults() {
        let text = r#"{"id":"x-1","title":"Rotate keys","status":"open","owner":{"name":"kim"},"compaction_level":3,"dependencies":[{"issue_id":"x-1","depends_on_id":"x-9","type":"discovered-from","created_by":"daemon"},{"issue_id":"x-1","depends_on_id":"x-8"}],"estimated_minutes":45,"labels":["sec"]}"#;
        let (tracker, diagnostics) = parse(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let issue = &tracker.issues[0];
        assert_eq!(issue.priority, 0, "beads omits priority 0");
        assert_eq!(issue.issue_type, "task");
        assert_eq!(issue.estimated_minutes, Some(45));
        assert_eq!(issue.labels, ["sec"]);
        let kinds: Vec<&str> = issue
            .dependencies
            .iter()
            .map(|d| d.kind.0.as_str())
            .collect();
        assert_eq!(kinds, ["discovered-from", "blocks"]);
        assert_eq!(issue.dependencies[0].depends_on, "x-9");
    }

    #[test]
    fn a_bad_line_is_a_warning_at_its_line_and_column_and_the_rest_still_load() {
        let text = "{\"id\":\"x-1\",\"title\":\"a\"}\n\n{\"id\":\"x-2\",\"title\":\"b\",\"priority\":\"high\"}\n{\"id\":\"x-3\",\"title\":\"c\"";
        let (tracker, diagnostics) = parse(text);
        assert_eq!(tracker.issues.len(), 1);
        let places: Vec<String> = diagnostics.iter().map(Diagnostic::location).collect();
        assert_eq!(
            places,
            [".beads/issues.jsonl:3:41", ".beads/issues.jsonl:4:23"]
        );
        assert!(diagnostics
            .iter()
            .all(|d| d.code == codes::TRACKER_BAD_LINE));
        assert!(diagnostics.iter().all(|d| !d.is_error()));
    }

    /// The text from a diagnostic's byte offset on, to the end of its line.
    fn from_offset<'t>(text: &'t str, diagnostic: &Diagnostic) -> &'t str {
        let start = diagnostic.span.expect("a span").start;
        text[start..].lines().next().unwrap_or("")
    }

    #[test]
    fn spans_hold_the_byte_offset_of_their_line_and_column() {
        let text = [
            r#"{"id":"x-1","title":"a"}"#,
            r#"{"id":"x-1","title":"a again"}"#,
            r#"{"id":"","title":"no id"}"#,
            // serde_json counts bytes: `é` is two, so its column 42 is character 41.
            r#"{"id":"x-2","title":"é","priority":"high"}"#,
        ]
        .join("\r\n");
        let (_, diagnostics) = parse(&text);
        let places: Vec<(String, &str)> = diagnostics
            .iter()
            .map(|d| (d.location(), from_offset(&text, d)))
            .collect();
        assert_eq!(
            places,
            [
                (
                    ".beads/issues.jsonl:2:1".to_string(),
                    r#"{"id":"x-1","title":"a again"}"#
                ),
                (
                    ".beads/issues.jsonl:3:1".to_string(),
                    r#"{"id":"","title":"no id"}"#
                ),
                (".beads/issues.jsonl:4:41".to_string(), r#""}"#),
            ]
        );
    }

    #[test]
    fn tombstoned_issues_are_dropped_and_counted() {
        let text = [
            r#"{"id":"x-1","title":"kept","status":"closed"}"#,
            r#"{"id":"x-2","title":"gone","status":"tombstone","deleted_at":"2026-01-01T00:00:00Z"}"#,
        ]
        .join("\n");
        let (tracker, _) = parse(&text);
        assert_eq!(tracker.issues.len(), 1);
        assert!(tracker.issue("x-2").is_none());
        assert_eq!(tracker.tombstones, 1);
    }

    #[test]
    fn a_later_tombstone_removes_an_earlier_line_of_the_same_issue() {
        let text = [
            r#"{"id":"x-1","title":"a","status":"open"}"#,
            r#"{"id":"x-1","title":"a","status":"tombstone"}"#,
        ]
        .join("\n");
        let (tracker, diagnostics) = parse(&text);
        assert!(tracker.issues.is_empty());
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn a_repeated_id_warns_and_the_later_line_wins() {
        let text = [
            r#"{"id":"x-1","title":"a","status":"open"}"#,
            r#"{"id":"x-1","title":"a","status":"closed"}"#,
        ]
        .join("\n");
        let (tracker, diagnostics) = parse(&text);
        assert_eq!(tracker.issues[0].status, IssueStatus::Closed);
        assert_eq!(diagnostics[0].code, codes::TRACKER_DUPLICATE_ID);
        assert_eq!(diagnostics[0].location(), ".beads/issues.jsonl:2:1");
    }

    #[test]
    fn a_byte_that_is_not_utf8_drops_only_its_line() {
        let bytes = b"\xef\xbb\xbf{\"id\":\"x-1\",\"title\":\"first\"}\r\n\
{\"id\":\"x-2\",\"title\":\"caf\xe9\"}\r\n\
{\"id\":\"x-3\",\"title\":\"third \xe2\x9c\x85\"}\n";
        let mut diagnostics = Diagnostics::new();
        let tracker =
            parse_tracker_bytes(Path::new(".beads/issues.jsonl"), bytes, &mut diagnostics);
        let ids: Vec<&str> = tracker.issues.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["x-1", "x-3"]);
        assert_eq!(tracker.issue("x-3").unwrap().title, "third \u{2705}");
        let places: Vec<(String, &str)> =
            diagnostics.iter().map(|d| (d.location(), d.code)).collect();
        assert_eq!(
            places,
            [(
                ".beads/issues.jsonl:2:25".to_string(),
                codes::TRACKER_BAD_LINE
            )]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_tracker_linked_from_outside_the_site_is_not_read() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(
            outside.path().join("secrets.jsonl"),
            "root:x:0:0:secret line\n",
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".beads")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secrets.jsonl"),
            dir.path().join(DEFAULT_TRACKER_PATH),
        )
        .unwrap();
        let mut diagnostics = Diagnostics::new();
        let tracker = load_tracker(dir.path(), &TrackerOptions::default(), &mut diagnostics);
        assert!(tracker.is_none());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, codes::SYMLINK_OUTSIDE);
        assert!(!diagnostics[0].message.contains("secret line"));
    }

    #[test]
    fn the_index_finds_issues_whatever_the_case_of_the_id_and_keeps_the_close_reason() {
        let text =
            r#"{"id":"web-3gat","title":"Audit","status":"closed","close_reason":"All done"}"#;
        let (tracker, _) = parse(text);
        let index = TrackerIndex::new(&tracker);
        let issue = index.issue("WEB-3GAT").expect("found without case");
        assert_eq!(issue.close_reason.as_deref(), Some("All done"));
        assert!(index.issue("web-3ga").is_none());
    }

    #[test]
    fn an_absent_default_tracker_is_silent_but_a_configured_one_warns() {
        let dir = tempfile::tempdir().unwrap();
        let mut diagnostics = Diagnostics::new();
        let tracker = load_tracker(dir.path(), &TrackerOptions::default(), &mut diagnostics);
        assert!(tracker.is_none() && diagnostics.is_empty());
        let options = TrackerOptions {
            path: Some(PathBuf::from("tracker/issues.jsonl")),
        };
        let tracker = load_tracker(dir.path(), &options, &mut diagnostics);
        assert!(tracker.is_none());
        assert_eq!(diagnostics[0].code, codes::TRACKER_UNREADABLE);
    }
}
