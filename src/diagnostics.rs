//! Diagnostics: every problem opsbook finds, with a stable code, a severity and the place
//! in the source it concerns. Stages collect diagnostics instead of stopping at the first
//! problem; the CLI prints them all as `path:line:col: severity[CODE]: message`, followed
//! by the source line and a caret when the source text is known.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
///
/// Each code is a `&str` constant (`codes::LINK_BROKEN`), and `codes::ALL` lists them
/// all with their names and docs, so the tests below can hold them unique and documented
/// in the README's table of diagnostic codes.
pub mod codes {
    /// One diagnostic code, as `codes::ALL` lists it.
    #[cfg(test)]
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct CodeInfo {
        /// The code, e.g. `OPS610`.
        pub code: &'static str,
        /// The name of its constant, e.g. `LINK_BROKEN`.
        pub name: &'static str,
        /// Its doc comment as rustdoc keeps it: the lines joined, each with its leading
        /// space.
        pub doc: &'static str,
    }

    /// Defines one constant per code, with its doc comment, and `ALL`, which lists them.
    macro_rules! define_codes {
        ($($(#[doc = $doc:literal])+ $name:ident = $code:literal;)+) => {
            $(
                $(#[doc = $doc])+
                pub const $name: &str = $code;
            )+
            /// Every code, in the order they are defined.
            #[cfg(test)]
            pub const ALL: &[CodeInfo] = &[$(CodeInfo {
                code: $code,
                name: stringify!($name),
                doc: concat!($($doc),+),
            }),+];
        };
    }

    define_codes! {
        /// A file or folder could not be read.
        IO = "OPS001";
        /// A file is not valid UTF-8.
        NOT_UTF8 = "OPS002";
        /// The site has no `content/` folder, or it holds no pages and no scanner output.
        NO_CONTENT = "OPS003";
        /// A symlink, or a path the site names (in `opsbook.toml`, the tracker's), leads
        /// outside the site root; nothing there is read.
        SYMLINK_OUTSIDE = "OPS004";
        /// Two source files would be written to the same output page.
        OUTPUT_CLASH = "OPS005";
        /// A template could not be parsed or rendered.
        TEMPLATE = "OPS006";
        /// The output folder could not be written.
        WRITE = "OPS007";
        /// Another build holds the output folder's lock and `--lock-timeout` ran out.
        OUTPUT_LOCKED = "OPS008";
        /// The output folder's lock file could not be made or locked.
        OUTPUT_LOCK_FAILED = "OPS009";
        /// A build interrupted while swapping in its output left it half swapped; repaired.
        SWAP_REPAIRED = "OPS010";
        // 020-029: input files that are not read (src/site_files/).
        /// An input is not a regular file (a folder, FIFO, socket or device); it is never
        /// opened.
        NOT_REGULAR_FILE = "OPS020";
        /// A file or folder name is not valid UTF-8; it is not read or published.
        NAME_NOT_UTF8 = "OPS021";
        /// The front matter is not valid YAML.
        FRONT_MATTER_SYNTAX = "OPS101";
        /// A front matter key opsbook does not know (kept for other generators).
        FRONT_MATTER_UNKNOWN_KEY = "OPS102";
        /// A known front matter key has a value of the wrong type.
        FRONT_MATTER_TYPE = "OPS103";
        /// The front matter block is opened with `---` but never closed.
        FRONT_MATTER_UNCLOSED = "OPS104";
        /// Mojibake (UTF-8 read as Windows-1252) was found and repaired.
        ENCODING_REPAIRED = "OPS110";
        // 150-159: pages written for another generator (Hugo, GitHub): raw HTML and
        // shortcodes.
        /// A link or image URL that could run script (`javascript:`, `vbscript:`, `data:`
        /// on a link) or is of a scheme pages do not link to; shown as plain text.
        UNSAFE_URL = "OPS150";
        /// Raw HTML that could run script or change the page: a tag such as `<script>`,
        /// `<iframe>`, `<base>` or `<meta>` is shown as text; an `on*` handler or a
        /// `style` attribute is removed.
        RAW_HTML_REMOVED = "OPS151";
        /// A tag outside the allow-list that could do no harm (`<font>`, `<epic-id>`) is
        /// shown as text; an attribute outside it (`class`) is removed.
        RAW_HTML_NOT_ALLOWED = "OPS152";
        /// A Hugo shortcode opsbook does not know; it is shown as written.
        SHORTCODE_UNKNOWN = "OPS153";
        /// A `ref` or `relref` shortcode without a path opsbook can read.
        SHORTCODE_REF = "OPS154";
        /// A plan page follows none of the plan conventions; it renders as a document.
        PLAN_UNSTRUCTURED = "OPS201";
        /// A `bd create` line could not be read (e.g. an unterminated quote).
        PLAN_BD_CREATE = "OPS202";
        /// A plan element is malformed in a way that loses information (e.g. an ETA that
        /// cannot be read as a duration).
        PLAN_MALFORMED = "OPS203";

        // 3xx: diagrams and plan analyses.

        // 35x: diagrams (mermaid flowcharts drawn at build time).
        /// A mermaid block has a syntax error; it is shown as code and the build goes on.
        MERMAID_SYNTAX = "OPS350";
        /// A mermaid statement is accepted but not applied (`classDef`, `style`, `click`, ...).
        MERMAID_IGNORED = "OPS351";
        /// The layout engine failed on a diagram; only its dependency list is shown.
        DIAGRAM_LAYOUT = "OPS352";
        /// A diagram is too large for one picture; it is split into parts or listed as text.
        DIAGRAM_SPLIT = "OPS353";
        // 320-349: plan analyses (src/analysis/).
        /// The plan's stated totals (epics, tasks) differ from what it defines.
        CLAIMED_TOTAL_MISMATCH = "OPS320";
        /// The plan's stated priority distribution differs from its tasks' priorities.
        CLAIMED_PRIORITIES_MISMATCH = "OPS321";
        /// An epic's tasks' ETAs add up to more than the epic's duration.
        EPIC_EFFORT_EXCEEDS_DURATION = "OPS322";
        /// The dependency map has a cycle (the message spells it out and marks soft edges).
        DEPENDENCY_CYCLE = "OPS323";
        /// The declared critical path is not the longest chain of hard dependencies, follows
        /// links the map lacks, or cannot be checked because the hard edges form a cycle.
        CRITICAL_PATH_MISMATCH = "OPS324";
        /// A timeline item matches no task: work no task covers.
        TIMELINE_ITEM_UNMATCHED = "OPS325";
        /// A task appears nowhere in the timeline.
        TASK_UNSCHEDULED = "OPS326";
        /// A task is scheduled after work of an epic that depends on its epic.
        SCHEDULE_BEFORE_DEPENDENCY = "OPS327";
        /// A task is more urgent than its epic.
        TASK_PRIORITY_ABOVE_EPIC = "OPS328";
        /// A P0 task is scheduled on a later day than work of less urgent epics.
        PRIORITY_ORDER = "OPS329";
        /// A command that no longer exists in the tool it names (e.g. `bd sync`).
        REMOVED_COMMAND = "OPS330";
        /// The dependency map names an epic the plan does not define.
        DEPENDENCY_MAP_EPIC = "OPS331";
        // 340-349: lane health (plans of tracks, phases and waves; src/analysis/lanes/).
        /// The plan's epic (or an item holding sub-items) is closed in the tracker while
        /// items in it are open.
        CLOSED_WITH_OPEN_ITEMS = "OPS340";
        /// An item is closed in the tracker while items before it in its lane are open.
        CLOSED_BEFORE_EARLIER_ITEMS = "OPS341";
        /// A lane's stated duration disagrees with the plan's estimate table.
        LANE_DURATION_MISMATCH = "OPS342";
        /// A lane's items' estimates add up to more than the lane's stated duration.
        LANE_ITEMS_EXCEED_DURATION = "OPS343";
        /// A stated total (sequential or parallel) disagrees with what the lanes add up to.
        STATED_TOTAL_MISMATCH = "OPS344";
        /// A declared critical path disagrees with the longest chain of lanes computed
        /// from their estimates and hard dependencies.
        LANE_CRITICAL_PATH_MISMATCH = "OPS345";
        /// A dependency names an id or a lane the plan does not have.
        DEPENDENCY_UNKNOWN_END = "OPS346";
        /// The dependencies between lanes and items form a cycle.
        LANE_DEPENDENCY_CYCLE = "OPS347";
        /// A checklist is all ticked while its items are open, or unticked while they are
        /// all closed.
        CHECKLIST_STATUS_MISMATCH = "OPS348";

        // 4xx: audits and tracker status.
        // 400-429: audits (scanner output, audit reports, findings and the plan, the gate).
        /// An audit file is not valid JSON, is truncated, or has the wrong shape for its format.
        AUDIT_JSON = "OPS400";
        /// A JSON file under `audits/` is none of the audit formats; published as it is.
        AUDIT_UNKNOWN_FORMAT = "OPS401";
        /// An audit file contradicts itself (e.g. a stated total that does not match).
        AUDIT_INCONSISTENT = "OPS402";
        /// A finding in an audit report is malformed (no id, a severity off the scale).
        AUDIT_REPORT_FINDING = "OPS403";
        /// An OpenVEX document is malformed: a statement without a vulnerability, status or
        /// product, an unknown status or justification, `not_affected` without a reason,
        /// `affected` without an action statement, a timestamp that is not RFC 3339.
        VEX_MALFORMED = "OPS404";
        /// A VEX statement matches no finding of any scan (wrong product or vulnerability?).
        VEX_UNMATCHED = "OPS405";
        /// `[audits] severity` names a tool that no scan of the site comes from.
        AUDIT_SEVERITY_TOOL = "OPS406";
        /// A finding's `remediated_by` names a task that no plan has.
        AUDIT_UNKNOWN_TASK = "OPS410";
        /// An open critical or high finding has no remediating plan task.
        AUDIT_UNREMEDIATED = "OPS411";
        /// `--fail-on`: an unsuppressed finding at or above the given severity.
        AUDIT_GATE = "OPS420";

        // 430-449: tracker status (beads) and the beads export.
        /// A line of the tracker file is not a readable issue (left out; the rest loads).
        TRACKER_BAD_LINE = "OPS430";
        /// The tracker file cannot be read.
        TRACKER_UNREADABLE = "OPS431";
        /// The same issue id appears on two lines of the tracker; the later one is used.
        TRACKER_DUPLICATE_ID = "OPS432";
        /// A plan's `beads:` map pins an issue the tracker does not have (or has deleted).
        STATUS_PIN_UNKNOWN_ISSUE = "OPS433";
        /// A plan's `beads:` map names a task or epic the plan does not have.
        STATUS_PIN_UNKNOWN_ITEM = "OPS434";
        /// A plan's `done:` entry matches no success criterion.
        STATUS_DONE_UNKNOWN = "OPS435";
        /// Two issues are equally similar to a plan item; neither is matched.
        STATUS_AMBIGUOUS_MATCH = "OPS436";
        /// Work item ids of a plan that the tracker does not have (one note per plan).
        PLAN_IDS_NOT_IN_TRACKER = "OPS437";
        /// `opsbook export beads`: the file is not a plan of epics and tasks.
        EXPORT_NOT_A_PLAN = "OPS440";

        // 5xx: runbooks and PDFs.
        /// A runbook field is given by both front matter and a bold label; front matter wins.
        RUNBOOK_FIELD_TWICE = "OPS501";
        /// A runbook metadata value cannot be read (severity, duration, date, interval).
        RUNBOOK_VALUE = "OPS502";
        /// A `Success →` / `Failure →` branch names a step the runbook does not have.
        RUNBOOK_BRANCH_TARGET = "OPS503";
        /// A runbook's PDF could not be made.
        PDF_FAILED = "OPS520";
        /// A runbook has characters that no font of the PDF covers.
        PDF_UNCOVERED_CHARS = "OPS521";
        /// The PDF typesetter warned about a runbook.
        PDF_WARNING = "OPS522";
        /// Nesting deeper than the PDF can typeset is flattened in the PDF (the page keeps it).
        PDF_NESTING_FLATTENED = "OPS523";

        // 6xx: links, publishing and configuration.
        // 60x: the configuration file `opsbook.toml`.
        /// `opsbook.toml` is not valid TOML.
        CONFIG_SYNTAX = "OPS600";
        /// `opsbook.toml` has a key opsbook does not know.
        CONFIG_UNKNOWN_KEY = "OPS601";
        /// A setting in `opsbook.toml` has a value of the wrong type or out of range.
        CONFIG_VALUE = "OPS602";
        // 61x: links between the generated pages.
        /// A link points at a page or file that is not in the generated site.
        LINK_BROKEN = "OPS610";
        /// A link's `#anchor` names no element of the page it points at.
        LINK_ANCHOR = "OPS611";
        /// A link leaves the site's content folder (or the output folder).
        LINK_OUTSIDE = "OPS612";
        /// A link a template makes starts with `/`, so it breaks under a sub-path and when
        /// opened from disk (an author's `/path` is read from the site root, as Hugo reads
        /// it, and made relative).
        LINK_ROOT_ABSOLUTE = "OPS613";
        // 620-639: Cloudflare Pages output and `serve`.
        /// The output has more files than Cloudflare Pages accepts (20,000).
        PAGES_TOO_MANY_FILES = "OPS620";
        /// An output file is larger than Cloudflare Pages accepts (25 MiB).
        PAGES_FILE_TOO_LARGE = "OPS621";
        /// `_headers` has more rules than Cloudflare Pages reads (100).
        PAGES_TOO_MANY_HEADER_RULES = "OPS622";
        /// The aliases make more redirects than Cloudflare Pages reads (2,000).
        PAGES_TOO_MANY_REDIRECTS = "OPS623";
        /// A front matter alias is not a plain path on this site.
        PAGES_ALIAS_INVALID = "OPS624";
        /// Two pages claim the same alias.
        PAGES_ALIAS_DUPLICATE = "OPS625";
        /// An alias is the address of a published file, so its redirect would never apply.
        PAGES_ALIAS_SHADOWED = "OPS626";
        /// A content file would replace `_headers`, `_redirects` or `404.html`.
        PAGES_FILE_REPLACED = "OPS627";

        // 640-659: publish safety (src/analysis/publish_safety.rs).
        /// A private key block would be published.
        PUBLISH_PRIVATE_KEY = "OPS640";
        /// A cloud or API token would be published.
        PUBLISH_TOKEN = "OPS641";
        /// A URL with a password in it would be published.
        PUBLISH_PASSWORD_IN_URL = "OPS642";
        /// A `user@<public IPv4>` login would be published.
        PUBLISH_PUBLIC_LOGIN = "OPS643";
        /// A local user path (`C:\Users\name`, `/home/name`) would be published.
        PUBLISH_LOCAL_USER_PATH = "OPS644";

        // 7xx: alert rules and the runbooks they lead to.
        // 700-709: rule files (src/ingest/alerts/).
        /// A rule file is not valid YAML, or a value in it has the wrong type.
        ALERT_RULES_SYNTAX = "OPS700";
        /// A rule has neither `alert:` nor `record:`, or an alert has no `expr:`.
        ALERT_RULE_INVALID = "OPS701";
        /// A `[alerts] rules` pattern in `opsbook.toml` matches no file.
        ALERT_RULES_NOT_FOUND = "OPS702";
        /// A rule file holds no rule groups.
        ALERT_FILE_WITHOUT_RULES = "OPS703";
        // 710-719: alerts and runbooks (src/analysis/alert_links.rs).
        /// An alert's `runbook_url` points into this site but names no page of it.
        ALERT_RUNBOOK_DEAD = "OPS710";
        /// An alert has no `runbook_url` annotation.
        ALERT_WITHOUT_RUNBOOK = "OPS711";
        /// No alert's `runbook_url` leads to this runbook.
        RUNBOOK_WITHOUT_ALERT = "OPS712";
    }
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
        let mut out = self.render_place(sources);
        if let Some(help) = &self.help {
            let _ = write!(out, "\n  = help: {help}");
        }
        out
    }

    /// The headline and the source line with its caret, without the help.
    fn render_place(&self, sources: &SourceCache) -> String {
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
        out
    }
}

/// Diagnostics that say the same thing about the same file: one code, severity, message
/// and help at several positions (one local path written 130 times is one `OPS644`
/// listing 130 places). The CLI prints a group once; `--format json` keeps one object per
/// position, each with the group's `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosticGroup<'a> {
    /// 1-based, in the order the groups first appear.
    pub id: usize,
    /// Every diagnostic of the group, in order; the first is the one shown in full.
    pub members: Vec<&'a Diagnostic>,
}

impl DiagnosticGroup<'_> {
    pub fn first(&self) -> &Diagnostic {
        self.members[0]
    }

    /// The first diagnostic with its source line, then `also at` with the line and
    /// column of every other member, then the help.
    pub fn render(&self, sources: &SourceCache) -> String {
        let first = self.first();
        let mut out = first.render_place(sources);
        let others = &self.members[1..];
        if !others.is_empty() {
            let places: Vec<String> = others
                .iter()
                .map(|d| match d.span {
                    Some(span) => format!("{}:{}", span.line, span.col),
                    None => "(no position)".to_string(),
                })
                .collect();
            let noun = if others.len() == 1 { "place" } else { "places" };
            let _ = write!(out, "\n  = also at {} more {noun}:", others.len());
            for line in places.chunks(12) {
                let _ = write!(out, "\n      {}", line.join(", "));
            }
        }
        if let Some(help) = &first.help {
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
    /// Only looked up, never listed: a hash map (a large site has thousands of pages,
    /// and every rebuild of `serve` fills it again).
    texts: HashMap<PathBuf, Arc<str>>,
}

impl SourceCache {
    /// Keeps `text` (shared when it is an `Arc<str>` already, as a page's text is).
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<Arc<str>>) {
        self.texts.insert(path.into(), text.into());
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, path: &Path, line: u32) -> Option<&str> {
        let text = self.texts.get(path)?;
        let line = text.lines().nth(line.checked_sub(1)? as usize)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// The one collector of diagnostics. Every stage that can find problems takes
/// `&mut Diagnostics` and pushes into it, and keeps its own return value for what it
/// made; nothing returns diagnostics beside a value, in an `Err`, or through a callback.
/// Work done on several threads collects into one `Diagnostics` per task and `append`s
/// them in a fixed order, so output stays deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Moves every diagnostic of `other` to the end of this collector.
    pub fn append(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when any diagnostic is an error (the build must not publish).
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Sorts by place (see `sort_diagnostics`).
    pub fn sort(&mut self) {
        sort_diagnostics(&mut self.items);
    }

    /// Keeps only the diagnostics `keep` accepts.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    /// The diagnostics grouped by what they say (see `DiagnosticGroup`), in the order each
    /// group first appears.
    pub fn groups(&self) -> Vec<DiagnosticGroup<'_>> {
        type Key<'k> = (
            Option<&'k Path>,
            &'static str,
            Severity,
            &'k str,
            Option<&'k str>,
        );
        let mut index: BTreeMap<Key, usize> = BTreeMap::new();
        let mut groups: Vec<DiagnosticGroup> = Vec::new();
        for diagnostic in &self.items {
            let key = (
                diagnostic.path.as_deref(),
                diagnostic.code,
                diagnostic.severity,
                diagnostic.message.as_str(),
                diagnostic.help.as_deref(),
            );
            match index.get(&key) {
                Some(&at) => groups[at].members.push(diagnostic),
                None => {
                    index.insert(key, groups.len());
                    groups.push(DiagnosticGroup {
                        id: groups.len() + 1,
                        members: vec![diagnostic],
                    });
                }
            }
        }
        groups
    }
}

/// A collector holding one diagnostic (a command that stops at one problem).
impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.items.extend(iter);
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl std::ops::Index<usize> for Diagnostics {
    type Output = Diagnostic;

    fn index(&self, index: usize) -> &Diagnostic {
        &self.items[index]
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
    fn every_code_is_unique_well_formed_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for info in codes::ALL {
            assert!(seen.insert(info.code), "{} is used twice", info.code);
            let digits = info.code.strip_prefix("OPS").unwrap_or("");
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{} ({}) is not OPS and three digits",
                info.code,
                info.name
            );
            assert!(!info.doc.trim().is_empty(), "{} has no doc", info.name);
        }
        assert!(codes::ALL.contains(&codes::CodeInfo {
            code: codes::LINK_BROKEN,
            name: "LINK_BROKEN",
            doc: " A link points at a page or file that is not in the generated site.",
        }));
    }

    /// The codes of the README's table of diagnostic codes, in table order.
    fn readme_codes() -> Vec<&'static str> {
        let readme = include_str!("../README.md");
        let section = readme
            .split("\n## Diagnostic codes\n")
            .nth(1)
            .expect("the README has a `## Diagnostic codes` section");
        let section = section.split("\n## ").next().unwrap_or(section);
        section
            .lines()
            .filter_map(|line| line.strip_prefix("| "))
            .filter_map(|row| row.split(" |").next())
            .filter(|cell| cell.starts_with("OPS"))
            .collect()
    }

    #[test]
    fn the_readme_table_lists_every_code_once_and_no_other() {
        let table = readme_codes();
        let defined: std::collections::BTreeSet<&str> =
            codes::ALL.iter().map(|info| info.code).collect();
        let listed: std::collections::BTreeSet<&str> = table.iter().copied().collect();
        assert_eq!(
            table.len(),
            listed.len(),
            "a code is listed twice: {table:?}"
        );
        let missing: Vec<&&str> = defined.difference(&listed).collect();
        assert!(missing.is_empty(), "not in the README's table: {missing:?}");
        let unknown: Vec<&&str> = listed.difference(&defined).collect();
        assert!(
            unknown.is_empty(),
            "in the README but not defined: {unknown:?}"
        );
    }

    fn at_line(code: &'static str, severity: Severity, path: &str, line: u32) -> Diagnostic {
        Diagnostic::new(code, severity, format!("{code} at {line}"))
            .at(path, Some(Span::point(0, line, 1)))
    }

    fn codes_of(diagnostics: &Diagnostics) -> Vec<&'static str> {
        diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn append_keeps_each_collector_in_order_after_the_last() {
        let mut first = Diagnostics::new();
        first.push(Diagnostic::note(codes::IO, "one"));
        first.push(Diagnostic::note(codes::NOT_UTF8, "two"));
        let mut second = Diagnostics::new();
        second.push(Diagnostic::note(codes::WRITE, "three"));
        first.append(second);
        first.append(Diagnostics::new());
        assert_eq!(codes_of(&first), [codes::IO, codes::NOT_UTF8, codes::WRITE]);
        assert_eq!(first.len(), 3);
    }

    #[test]
    fn has_errors_is_true_only_with_an_error() {
        let mut diagnostics = Diagnostics::new();
        assert!(!diagnostics.has_errors());
        diagnostics.push(Diagnostic::warning(codes::LINK_BROKEN, "w"));
        diagnostics.push(Diagnostic::note(codes::LINK_ANCHOR, "n"));
        assert!(!diagnostics.has_errors());
        diagnostics.push(Diagnostic::error(codes::WRITE, "e"));
        assert!(diagnostics.has_errors());
        diagnostics.retain(|d| !d.is_error());
        assert!(!diagnostics.has_errors());
        assert_eq!(diagnostics.len(), 2);
    }

    #[test]
    fn sort_orders_by_path_then_line_then_code() {
        let mut diagnostics: Diagnostics = [
            at_line(codes::LINK_BROKEN, Severity::Warning, "content/b.md", 1),
            at_line(codes::LINK_ANCHOR, Severity::Error, "content/a.md", 9),
            at_line(codes::LINK_BROKEN, Severity::Error, "content/a.md", 2),
            at_line(codes::IO, Severity::Note, "content/a.md", 9),
        ]
        .into_iter()
        .collect();
        diagnostics.sort();
        let places: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{} {}", d.location(), d.code))
            .collect();
        assert_eq!(
            places,
            [
                "content/a.md:2:1 OPS610",
                "content/a.md:9:1 OPS001",
                "content/a.md:9:1 OPS611",
                "content/b.md:1:1 OPS610",
            ]
        );
    }

    #[test]
    fn the_same_message_in_one_file_is_one_group_listing_every_place() {
        let path = "content/plans/deploy.md";
        let same = |line| {
            Diagnostic::warning(
                codes::PUBLISH_LOCAL_USER_PATH,
                "local user path `/home/deployer`",
            )
            .at(path, Some(Span::point(0, line, 5)))
            .with_help("use a relative path")
        };
        let diagnostics: Diagnostics = [
            same(3),
            Diagnostic::warning(
                codes::PUBLISH_LOCAL_USER_PATH,
                "local user path `/home/ops`",
            )
            .at(path, Some(Span::point(0, 4, 1))),
            same(9),
            same(12).at("content/other.md", Some(Span::point(0, 12, 5))),
            same(20),
        ]
        .into_iter()
        .collect();
        let groups = diagnostics.groups();
        let sizes: Vec<(usize, usize)> = groups.iter().map(|g| (g.id, g.members.len())).collect();
        assert_eq!(sizes, [(1, 3), (2, 1), (3, 1)]);
        let mut sources = SourceCache::default();
        sources.insert(path, "a\nb\n    mkdir /home/deployer\n");
        assert_eq!(
            groups[0].render(&sources),
            "content/plans/deploy.md:3:5: warning[OPS644]: local user path `/home/deployer`\n  |\n3 |     mkdir /home/deployer\n  |     ^\n  = also at 2 more places:\n      9:5, 20:5\n  = help: use a relative path"
        );
        assert_eq!(groups[1].render(&sources), diagnostics[1].render(&sources));
    }

    #[test]
    fn headline_without_path_has_no_location_prefix() {
        let diagnostic = Diagnostic::warning(codes::NO_CONTENT, "empty");
        assert_eq!(diagnostic.headline(), "warning[OPS003]: empty");
    }
}
