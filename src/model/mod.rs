//! The typed, immutable project that every later stage reads: the site's pages, each
//! with its front matter, its (repaired) source text and, for plans, the plan model.
//! Built once by `ingest`; analyses and renderers only borrow it.

pub mod alert;
pub mod anchor;
pub mod audit;
pub mod char_refs;
pub mod date;
pub mod diagram;
pub mod duration;
pub mod graph;
pub mod plan;
pub mod runbook;
pub mod span;
pub mod status;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use diagram::PageDiagrams;
pub use plan::Plan;
pub use runbook::Runbook;
pub use span::Span;

/// What a page is, from its folder (`plans/`, `runbooks/`, `audits/`) or its front
/// matter `kind:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    Plan,
    Runbook,
    Audit,
    Page,
}

impl PageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Plan => "plan",
            PageKind::Runbook => "runbook",
            PageKind::Audit => "audit",
            PageKind::Page => "page",
        }
    }
}

/// The front matter keys opsbook knows. Keys it does not know are reported as warnings
/// and otherwise ignored, so pages written for other generators still build.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: Option<PageKind>,
    /// Output name of the page; defaults to the file stem.
    pub slug: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub draft: Option<bool>,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub owner: Option<String>,
    pub severity: Option<String>,
    pub status: Option<String>,
    /// Plan items pinned to tracker issues: `beads: { "1.1": "bd-a1b2", epic-1: "bd-c3" }`.
    pub beads: BTreeMap<String, String>,
    /// Success criteria ticked by hand, by text or by id (`epic-1.2`).
    pub done: Vec<String>,
    /// Runbook facts (issue 5): time targets, review dates, alerts and related tasks.
    pub mttr: Option<String>,
    pub rto: Option<String>,
    pub rpo: Option<String>,
    pub last_tested: Option<String>,
    pub review_interval: Option<String>,
    pub alerts: Vec<String>,
    pub related_tasks: Vec<String>,
    /// Hugo's order among the pages of a section (lower first; 0 or none: after those
    /// with one). A value that is not a whole number is ignored, as a layout hint.
    #[serde(deserialize_with = "layout_hint::whole_number")]
    pub weight: Option<i64>,
    /// Hugo's shorter title for menus and lists.
    #[serde(rename = "linkTitle")]
    pub link_title: Option<String>,
    /// Hugo Book's flag that keeps a page (or a section) out of the site navigation.
    #[serde(rename = "bookHidden", deserialize_with = "layout_hint::flag")]
    pub book_hidden: Option<bool>,
}

/// Readers of front matter keys other generators use for layout: a value of an
/// unexpected type is ignored (the page is laid out as if the key were absent) rather
/// than failing a page written for another tool.
mod layout_hint {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Int(i64),
        Float(f64),
        Bool(bool),
        Text(String),
        Other(serde::de::IgnoredAny),
    }

    pub fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(match Loose::deserialize(d)? {
            Loose::Int(n) => Some(n),
            Loose::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(f as i64),
            Loose::Text(t) => t.trim().parse().ok(),
            _ => None,
        })
    }

    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(match Loose::deserialize(d)? {
            Loose::Bool(b) => Some(b),
            Loose::Text(t) => t.trim().parse().ok(),
            _ => None,
        })
    }
}

impl FrontMatter {
    /// Every key `FrontMatter` accepts, for "did you mean" suggestions.
    pub const KNOWN_KEYS: &'static [&'static str] = &[
        "title",
        "description",
        "kind",
        "slug",
        "date",
        "updated",
        "draft",
        "tags",
        "aliases",
        "template",
        "owner",
        "severity",
        "status",
        "beads",
        "done",
        "mttr",
        "rto",
        "rpo",
        "last_tested",
        "review_interval",
        "alerts",
        "related_tasks",
        "weight",
        "linkTitle",
        "bookHidden",
    ];
}

/// One source page after ingest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Path relative to the site root, e.g. `content/plans/devops.md`.
    pub source: PathBuf,
    pub kind: PageKind,
    pub front_matter: FrontMatter,
    /// The whole file text after encoding repair (front matter included, so spans are
    /// positions in the file). Shared with the diagnostics' source cache.
    #[serde(skip)]
    pub text: Arc<str>,
    /// Byte offset where the markdown body starts (after the front matter).
    pub body_start: usize,
    /// The page title: front matter, else the first heading, else the file stem.
    pub title: String,
    /// Output path relative to the output root, e.g. `plans/devops/index.html`.
    pub output: PathBuf,
    /// The plan model, for plan pages.
    pub plan: Option<Plan>,
    /// The runbook model, for runbook pages (not for a runbook folder's index page).
    pub runbook: Option<Runbook>,
    /// The body's mermaid blocks, read at ingest; render draws them from here.
    #[serde(skip_serializing_if = "PageDiagrams::is_empty")]
    pub diagrams: PageDiagrams,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// True for a Hugo section page (`_index.md`): it lists the pages of its folder.
    pub fn is_section(&self) -> bool {
        self.source.file_stem().and_then(|s| s.to_str()) == Some("_index")
    }
}

/// A non-markdown file under `content/`, published as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asset {
    /// Path relative to the site root.
    pub source: PathBuf,
    /// Path relative to the output root.
    pub output: PathBuf,
    /// The file's text, read at ingest so the publish-safety scan sees what will be
    /// published; `None` for a file that is not UTF-8 (an image, an archive) or that
    /// could not be read (reported then).
    #[serde(skip)]
    pub text: Option<String>,
}

/// The whole site, pages and assets sorted by source path.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Project {
    pub root: PathBuf,
    /// Shared: a page `serve` read before and finds unchanged is handed to the next build
    /// as it is, not copied.
    pub pages: Vec<Arc<Page>>,
    pub assets: Vec<Asset>,
    /// Scanner outputs and audit reports under `content/audits/`, sorted by source.
    pub audits: Vec<audit::Audit>,
    /// OpenVEX documents under `content/audits/`, sorted by source.
    pub vex: Vec<audit::vex::VexDocument>,
    /// The issue tracker's live issues (`.beads/issues.jsonl`), when the site has one.
    pub tracker: Option<status::Tracker>,
    /// The alerting rules of the site's rule files (`alerts/` by default).
    #[serde(skip_serializing_if = "alert::AlertRules::is_empty")]
    pub alerts: alert::AlertRules,
}

impl Project {
    pub fn plans(&self) -> impl Iterator<Item = (&Page, &Plan)> {
        self.pages
            .iter()
            .filter_map(|page| page.plan.as_ref().map(|plan| (&**page, plan)))
    }
}
