//! The one place that sequences the stages: configuration, ingest and analysis
//! (`load_site`), then render into a sink with the link check and the Cloudflare Pages files (`render_into`),
//! then, for `build` only, commit the staged output. `build`, `check`, `serve` (in memory,
//! `build_in_memory`) and `dump-model` share these stages, so `check` finds exactly what a
//! build would, template-made links included.
//!
//! A build that finds any error writes nothing: the previous output stays byte-identical.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::analysis::publish_safety::{self, PublishSafetyOptions};
use crate::analysis::{self, AnalysisOptions, PlanAnalysis};
use crate::config::{self, Config, Paper, PdfFont, RunbookOptions};
use crate::diagnostics::{
    codes, display_path, sort_diagnostics, Diagnostic, Severity, SourceCache,
};
use crate::ingest::{self, Loaded};
use crate::model::audit::Severity as FindingSeverity;
use crate::model::status::SiteStatus;
use crate::model::Project;
use crate::output::pages::{self, OutputFile};
use crate::output::{MemorySite, Staging};
use crate::render::{self, links, RenderOptions};
use crate::timings::StageTimer;

/// What a build needs to know.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root (holds `content/`, optionally `opsbook.toml`, `templates/` and
    /// `static/`).
    pub root: PathBuf,
    /// The output folder, replaced as a whole when the build succeeds.
    pub out: PathBuf,
    /// The output is for the public (`--public`): publish-safety hits are errors.
    pub public: bool,
    /// The absolute URL the site is published at (`--base-url`, else the config's
    /// `base_url`), only for canonical links and `sitemap.xml`.
    pub base_url: Option<String>,
    /// Fail when an unsuppressed audit finding at or above this severity exists
    /// (`--fail-on`, else the config's `[audits] fail_on`).
    pub fail_on: Option<FindingSeverity>,
    /// Paper size of the runbook PDFs (`--paper`).
    pub paper: Paper,
    /// Days between runbook reviews (`--review-days`, else the config's
    /// `[runbooks] review_interval_days`).
    pub review_days: Option<u32>,
    /// Leave out the runbook PDFs (`--no-pdf`), e.g. for a quick preview.
    pub no_pdf: bool,
}

/// What `check` needs to know.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The site root.
    pub root: PathBuf,
    /// Judge publish safety as for a public deploy (`--public`).
    pub public: bool,
    /// The audit gate, as for `build`.
    pub fail_on: Option<FindingSeverity>,
    /// Do not typeset the runbook PDFs (`--no-pdf`): a faster check that skips the
    /// PDF-only problems (characters no font covers).
    pub no_pdf: bool,
}

/// What a build (or a check) did.
#[derive(Debug, Default)]
pub struct BuildOutcome {
    /// Every diagnostic, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceCache,
    /// Files written into the output (pages, static files, assets); 0 when nothing was
    /// written.
    pub files_written: usize,
    /// Files rendered, whether or not they were written (a check renders them all).
    pub files_rendered: usize,
    /// Tracker status of each plan page, for `build --explain`.
    pub status: SiteStatus,
}

impl BuildOutcome {
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The site after the first stages: its configuration and its model.
#[derive(Debug, Default)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub project: Project,
    /// What the plan analyses found, by plan page source path (for the Health panel).
    pub analyses: BTreeMap<PathBuf, PlanAnalysis>,
    /// Tracker status of each plan page (from `analysis::status_match`).
    pub status: SiteStatus,
    /// Runbook settings: review interval, reference date, PDF paper.
    pub runbooks: RunbookOptions,
    /// Configuration, ingest and analysis diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceCache,
}

/// Where rendered files go. Pages are written by the rendering threads as they finish,
/// so a sink takes writes from several threads at once.
pub trait Sink: Sync {
    fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic>;
}

/// Keeps nothing: `check` renders every file only to check it.
#[derive(Debug, Default)]
pub struct DiscardSink;

impl Sink for DiscardSink {
    fn write(&self, _path: &Path, _bytes: &[u8]) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// Keeps every file in memory, by output path.
impl Sink for Mutex<BTreeMap<PathBuf, Vec<u8>>> {
    fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        lock(self).insert(path.to_path_buf(), bytes.to_vec());
        Ok(())
    }
}

impl Sink for Mutex<MemorySite> {
    fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        lock(self).write(path, bytes)
    }
}

impl Sink for Staging {
    fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        Staging::write(self, path, bytes)
    }
}

/// The value behind `mutex`, even if a thread panicked while holding it (the data is
/// a collection of finished files, never left half-updated).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The value of `mutex`, once no thread holds it (see `lock`).
fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// Reads the site into the model; stops before rendering.
pub fn load(root: &Path) -> Loaded {
    let mut loaded = ingest::load_project(root);
    sort_diagnostics(&mut loaded.diagnostics);
    loaded
}

/// Reads `opsbook.toml` and the site's files, and scans what would be published for
/// secrets and private details (errors when `public`).
pub fn load_site(root: &Path, public: bool) -> Site {
    let mut timer = StageTimer::from_env();
    let loaded_config = config::load_config(root);
    let Loaded {
        project,
        diagnostics,
        mut sources,
    } = ingest::load_project(root);
    let (pdf_fonts, font_diagnostics) = read_pdf_fonts(
        root,
        &loaded_config.config.runbooks.pdf_fonts,
        loaded_config.text.as_deref().unwrap_or(""),
    );
    if let Some(text) = loaded_config.text {
        sources.insert(config::CONFIG_FILE, text);
    }
    let mut all = loaded_config.diagnostics;
    all.extend(font_diagnostics);
    all.extend(diagnostics);
    let safety = PublishSafetyOptions {
        public,
        allowed: loaded_config
            .config
            .publish
            .allowed
            .iter()
            .cloned()
            .collect(),
    };
    timer.lap("load and ingest");
    all.extend(publish_safety::scan_project(&project, &safety));
    timer.lap("publish safety");
    // The analyses' findings are warnings and notes: a plan that contradicts itself
    // still builds, and its page shows what the analyses found.
    let analysis_options = AnalysisOptions {
        hours_per_day: loaded_config.config.plans.hours_per_day,
    };
    let analysis = analysis::analyse_project(&project, &analysis_options);
    all.extend(analysis.diagnostics());
    all.extend(analysis::audits::check_audits(&project));
    let (status, status_diagnostics) = analysis::status_match::match_project(&project);
    all.extend(status_diagnostics);
    timer.lap("analyses");
    let mut runbooks = RunbookOptions::from_environment(
        Paper::A4,
        loaded_config.config.runbooks.review_interval_days,
    );
    runbooks.pdf_fonts = pdf_fonts;
    Site {
        root: root.to_path_buf(),
        config: loaded_config.config,
        project,
        analyses: analysis.plans,
        status,
        runbooks,
        diagnostics: all,
        sources,
    }
}

/// Reads the font files `[runbooks] pdf_fonts` names (relative to the site root). A file
/// that cannot be read is an error on its line of `opsbook.toml`; whether it holds a font
/// is checked when the PDFs are made.
fn read_pdf_fonts(
    root: &Path,
    paths: &[String],
    config_text: &str,
) -> (Vec<PdfFont>, Vec<Diagnostic>) {
    let mut fonts = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        match std::fs::read(root.join(path)) {
            Ok(bytes) => fonts.push(PdfFont {
                path: path.clone(),
                bytes: bytes.into(),
            }),
            Err(error) => diagnostics.push(
                Diagnostic::error(
                    codes::CONFIG_VALUE,
                    format!("cannot read the PDF font `{path}`: {error}"),
                )
                .at(config::CONFIG_FILE, config::string_span(config_text, path))
                .with_help("font paths are relative to the site root (the folder of opsbook.toml)"),
            ),
        }
    }
    (fonts, diagnostics)
}

/// The audit gate: one error per unsuppressed finding at or above the threshold given on
/// the command line, else in `opsbook.toml`.
fn gate_audits(site: &Site, fail_on: Option<FindingSeverity>) -> Vec<Diagnostic> {
    match fail_on.or(site.config.audits.fail_on) {
        Some(threshold) => analysis::audits::gate(&site.project, threshold),
        None => Vec::new(),
    }
}

/// The render settings the configuration and the analyses give.
fn render_options(site: &Site) -> RenderOptions {
    let config = &site.config;
    RenderOptions {
        analyses: site.analyses.clone(),
        status: site.status.clone(),
        runbooks: site.runbooks.clone(),
        site_title: config.title.clone(),
        base_url: config
            .base_url
            .as_deref()
            .and_then(|url| crate::render::sitemap::parse_base_url(url).ok()),
    }
}

/// Renders the whole site into `sink`, adds the Cloudflare Pages files (`_headers`,
/// `_redirects`) for what was rendered, and checks every link of the result. Broken links
/// get `link_severity`. Returns the diagnostics and the number of files rendered.
pub fn render_into(
    site: &Site,
    sink: &dyn Sink,
    link_severity: Severity,
) -> (Vec<Diagnostic>, usize) {
    let written = Mutex::new(Vec::new());
    let mut timer = StageTimer::from_env();
    let mut diagnostics = {
        let write = |path: &Path, bytes: &[u8]| {
            let record = links::FileRecord::scan(path, bytes);
            sink.write(path, bytes)?;
            lock(&written).push((record, bytes.len() as u64));
            Ok(())
        };
        render::render_site(&site.project, &render_options(site), &write)
    };
    timer.lap("render and write");
    let mut index = links::SiteIndex::default();
    let mut files = Vec::new();
    for (record, bytes) in into_inner(written) {
        files.push(OutputFile {
            path: record.path().into(),
            bytes,
        });
        index.insert(record);
    }
    // Threads finish pages in any order; what follows must not depend on it.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let pages_output = pages::pages_files(&site.project, &files);
    diagnostics.extend(pages_output.diagnostics);
    for (path, bytes) in &pages_output.files {
        index.record(path, bytes);
        if let Err(diagnostic) = sink.write(path, bytes) {
            diagnostics.push(diagnostic);
        }
    }
    if !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.extend(links::check_links(&site.project, &index, link_severity));
    }
    timer.lap("pages files and link check");
    (diagnostics, index.file_count())
}

/// A build kept in memory (for `serve`): the site when the build succeeded.
#[derive(Debug, Default)]
pub struct MemoryBuild {
    pub site: Option<MemorySite>,
    /// Every diagnostic, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceCache,
}

/// Builds the site under `root` into memory, with the same diagnostics as `build`;
/// nothing is written to disk.
pub fn build_in_memory(root: &Path) -> MemoryBuild {
    let site = load_site(root, false);
    let memory = Mutex::new(MemorySite::default());
    let (render_diagnostics, _) = render_into(&site, &memory, site.config.links.build);
    let memory = into_inner(memory);
    let mut diagnostics = site.diagnostics;
    diagnostics.extend(render_diagnostics);
    sort_diagnostics(&mut diagnostics);
    let succeeded = !diagnostics.iter().any(Diagnostic::is_error);
    MemoryBuild {
        site: succeeded.then_some(memory),
        diagnostics,
        sources: site.sources,
    }
}

/// Checks the site: every stage of a build except writing.
pub fn check(options: &CheckOptions) -> BuildOutcome {
    let mut site = load_site(&options.root, options.public);
    site.runbooks.pdf &= !options.no_pdf;
    let (render_diagnostics, rendered) = render_into(&site, &DiscardSink, site.config.links.check);
    let gate = gate_audits(&site, options.fail_on);
    let mut diagnostics = site.diagnostics;
    diagnostics.extend(gate);
    diagnostics.extend(render_diagnostics);
    sort_diagnostics(&mut diagnostics);
    BuildOutcome {
        diagnostics,
        sources: site.sources,
        files_written: 0,
        files_rendered: rendered,
        status: site.status,
    }
}

/// Builds the site: load, render into a staging folder, swap it in when nothing failed.
pub fn build(options: &BuildOptions) -> BuildOutcome {
    // The staging folder is taken while the site loads: reusing the last build's files
    // means walking them (about 100 ms for 10,000 pages), and that needs nothing loaded.
    let (mut site, staging) = std::thread::scope(|scope| {
        let staging = scope.spawn(|| {
            check_output_location(&options.root, &options.out)
                .and_then(|()| Staging::create(&options.out))
        });
        let site = load_site(&options.root, options.public);
        let staging = staging
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (site, staging)
    });
    if options.base_url.is_some() {
        site.config.base_url = options.base_url.clone();
    }
    site.runbooks.paper = options.paper;
    site.runbooks.pdf &= !options.no_pdf;
    if let Some(days) = options.review_days {
        site.runbooks.review_days = days;
    }
    let mut diagnostics = std::mem::take(&mut site.diagnostics);
    diagnostics.extend(gate_audits(&site, options.fail_on));
    let mut outcome = BuildOutcome::default();
    match staging {
        Ok(staging) => {
            let (render_diagnostics, rendered) =
                render_into(&site, &staging, site.config.links.build);
            diagnostics.extend(render_diagnostics);
            outcome.files_rendered = rendered;
            if !diagnostics.iter().any(Diagnostic::is_error) {
                let mut timer = StageTimer::from_env();
                match staging.commit() {
                    Ok(()) => outcome.files_written = rendered,
                    Err(diagnostic) => diagnostics.push(diagnostic),
                }
                timer.lap("swap in the output");
            }
        }
        Err(diagnostic) => diagnostics.push(diagnostic),
    }
    sort_diagnostics(&mut diagnostics);
    outcome.diagnostics = diagnostics;
    outcome.sources = site.sources;
    outcome.status = site.status;
    outcome
}

/// The output folder is deleted and replaced on every build, so it must never be the site
/// itself, a folder above it, or a folder inside `content/`.
fn check_output_location(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out_abs = absolute(out);
    let content = root.join("content");
    if root.starts_with(&out_abs) || out_abs.starts_with(&content) {
        return Err(Diagnostic::error(
            codes::WRITE,
            format!(
                "output folder `{}` would replace the site or its content",
                display_path(out)
            ),
        )
        .with_help("choose an output folder of its own, such as `public/` (the default)"));
    }
    Ok(())
}

/// An absolute, normalised form of a path that may not exist yet.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            absolute(parent).join(name)
        }
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}
