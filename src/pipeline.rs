//! The one place that sequences the stages, for every command that builds: `run` takes
//! the build options and a `Mode` (`build`, `check` or `serve`) and does configuration,
//! ingest and analysis (`load_site`), the audit gate, rendering into the mode's sink with
//! the link check and the Cloudflare Pages files (`render_into`), and then keeps what was
//! rendered as the mode says (swaps the staged output in, or hands the site in memory to
//! `serve`). The modes differ only in their sink, the link severity and what is kept, so
//! `check` and `serve` find exactly what a build would, template-made links and the audit
//! gate included. `load` (ingest only) serves `dump-model` and `export`.
//!
//! A build that finds any error writes nothing: the previous output stays byte-identical.
//! The one exception is an error that costs a single file and not the site, a runbook whose
//! PDF cannot be made: the site is published without that PDF (its page says so) unless
//! `--strict` asks for every error to stop the build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::analysis::publish_safety::{self, PublishSafetyOptions};
use crate::analysis::{self, AnalysisOptions, PlanAnalysis};
use crate::config::{self, Config, Paper, PdfFont, RunbookOptions};
use crate::diagnostics::{codes, display_path, Diagnostic, Diagnostics, Severity, SourceCache};
use crate::ingest::page_memo::ReadMemo;
use crate::ingest::{self, Loaded};
use crate::model::audit::Severity as FindingSeverity;
use crate::model::duration::DayLength;
use crate::model::status::SiteStatus;
use crate::model::Project;
use crate::output::pages::{self, OutputFile};
use crate::output::pdf_cache::PdfCounts;
use crate::output::{LockWait, MemorySite, PdfCacheDir, Staging};
use crate::render::page_memo::RenderMemos;
use crate::render::pdf_on_demand::OnDemandPdfs;
use crate::render::pdf_store::{PdfKey, PdfStore};
use crate::render::{self, links, FileBytes, RenderOptions};
use crate::timings::StageTimer;

/// What a build needs to know, whatever the mode. `check` and `serve` leave the fields
/// they have no option for at their defaults.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root (holds `content/`, optionally `opsbook.toml`, `templates/` and
    /// `static/`).
    pub root: PathBuf,
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
    /// Leave out the runbook PDFs (`--no-pdf`): a quicker build, or a quicker check that
    /// skips the PDF-only problems (characters no font covers).
    pub no_pdf: bool,
    /// `serve` only: what it keeps from one build to the next.
    pub serve_memory: Option<ServeMemory>,
    /// Every error stops the build (`build --strict`), a runbook PDF that cannot be made
    /// included; without it the site is published without that PDF.
    pub strict: bool,
    /// How long a build waits for another build writing the same output folder
    /// (`--lock-timeout`); `None` waits as long as it takes.
    pub lock_timeout: Option<Duration>,
}

/// What `serve` keeps from one build to the next to skip work: the pages it read and
/// the pages it rendered (each reused while nothing it is made from changed), and the
/// PDFs it made on request. Cheap to clone: all of it is shared.
#[derive(Debug, Clone)]
pub struct ServeMemory {
    pub read: Arc<ReadMemo>,
    pub render: RenderMemos,
    pub pdfs: Arc<dyn PdfStore>,
}

impl ServeMemory {
    /// Empty memos, and `pdfs` for the PDFs.
    pub fn new(pdfs: Arc<dyn PdfStore>) -> ServeMemory {
        ServeMemory {
            read: Arc::default(),
            render: RenderMemos::default(),
            pdfs,
        }
    }
}

/// What a run of the pipeline is for. Each mode has its own sink; everything before the
/// sink is the same for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// `build`: render into a staging folder beside `out` and swap it in when nothing
    /// failed. The output folder is replaced as a whole.
    Build { out: PathBuf },
    /// `check`: render every file only to check it and keep nothing; broken links have
    /// the severity of `[links] check`.
    Check,
    /// `serve`: render into memory; the outcome holds the site when nothing failed.
    Serve,
}

/// What a run of the pipeline did.
#[derive(Debug, Default)]
pub struct BuildOutcome {
    /// Every diagnostic, sorted by place.
    pub diagnostics: Diagnostics,
    pub sources: SourceCache,
    /// Files written into the output folder (pages, static files, assets); 0 when nothing
    /// was written, and always 0 for `check` and `serve`.
    pub files_written: usize,
    /// Files rendered, whether or not they were kept (a check renders them all).
    pub files_rendered: usize,
    /// Tracker status of each plan page, for `build --explain`.
    pub status: SiteStatus,
    /// The site in memory (`Mode::Serve`), when the build succeeded.
    pub site: Option<MemorySite>,
    /// `build`: how many runbook PDFs were typeset and how many were taken from the
    /// PDF cache (`output::pdf_cache`).
    pub pdfs: PdfCounts,
    /// `serve`, when the build succeeded: the runbook PDFs, made when first asked for.
    pub on_demand_pdfs: Option<OnDemandPdfs>,
    /// An error stopped the build: nothing was kept (see `stops_the_build`).
    pub stopped: bool,
}

impl BuildOutcome {
    /// Nothing stopped the build: its output was kept. There may still be errors that
    /// cost one file only (a runbook PDF left out); `diagnostics` has them.
    pub fn succeeded(&self) -> bool {
        !self.stopped
    }
}

/// Whether an error stops the build. All do, except (unless `strict`) a runbook PDF that
/// could not be made: that runbook's page is published without it and says so.
fn stops_the_build(diagnostic: &Diagnostic, strict: bool) -> bool {
    diagnostic.severity == Severity::Error && (strict || diagnostic.code != codes::PDF_FAILED)
}

fn any_stops_the_build(diagnostics: &Diagnostics, strict: bool) -> bool {
    diagnostics.iter().any(|d| stops_the_build(d, strict))
}

/// The site after the first stages: its configuration and its model.
#[derive(Debug, Default)]
struct Site {
    pub config: Config,
    pub project: Project,
    /// What the plan analyses found, by plan page source path (for the Health panel).
    pub analyses: BTreeMap<PathBuf, PlanAnalysis>,
    /// Tracker status of each plan page (from `analysis::status_match`).
    pub status: SiteStatus,
    /// Runbook settings: review interval, reference date, PDF paper.
    pub runbooks: RunbookOptions,
    /// Where each alert rule's `runbook_url` leads (matched once the base URL is final).
    pub alert_links: analysis::alert_links::AlertLinks,
    /// Configuration, ingest and analysis diagnostics.
    pub diagnostics: Diagnostics,
    pub sources: SourceCache,
}

/// Where rendered files go. Pages are written by the rendering threads as they finish,
/// so a sink takes writes from several threads at once.
trait Sink: Sync {
    fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic>;

    /// Takes a finished file; a sink that keeps bytes in memory keeps shared ones shared.
    fn write_file(&self, path: &Path, bytes: FileBytes) -> Result<(), Diagnostic> {
        self.write(path, &bytes)
    }
}

/// Keeps nothing: `check` renders every file only to check it.
#[derive(Debug, Default)]
struct DiscardSink;

impl Sink for DiscardSink {
    fn write(&self, _path: &Path, _bytes: &[u8]) -> Result<(), Diagnostic> {
        Ok(())
    }
}

impl Sink for Mutex<MemorySite> {
    fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        lock(self).write(path, bytes)
    }

    fn write_file(&self, path: &Path, bytes: FileBytes) -> Result<(), Diagnostic> {
        let shared = match bytes {
            FileBytes::Made(bytes) => bytes.into(),
            FileBytes::Shared(bytes) => bytes,
        };
        lock(self).write_shared(path, shared)
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

/// Reads the site into the model; stops before rendering (for `dump-model` and
/// `export`, which need no configuration, analysis or output).
pub fn load(root: &Path) -> Loaded {
    let mut loaded = ingest::load_project(root);
    loaded.diagnostics.sort();
    loaded
}

/// Reads `opsbook.toml` and the site's files (reusing the pages `serve` read before when
/// their files are unchanged), and scans what would be published for secrets and private
/// details (errors when `public`).
fn load_site(options: &BuildOptions) -> Site {
    let (root, public) = (options.root.as_path(), options.public);
    let mut timer = StageTimer::from_env();
    let mut all = Diagnostics::new();
    let loaded_config = config::load_config(root, &mut all);
    let read_memo = options.serve_memory.as_ref().map(|memory| &*memory.read);
    let Loaded {
        mut project,
        diagnostics,
        mut sources,
    } = ingest::load_project_reusing(root, read_memo);
    project.alerts = ingest::alerts::read_alert_rules(
        root,
        &rule_file_options(&loaded_config.config),
        &mut sources,
        &mut all,
    );
    let pdf_fonts = read_pdf_fonts(
        root,
        &loaded_config.config.runbooks.pdf_fonts,
        loaded_config.text.as_deref().unwrap_or(""),
        &mut all,
    );
    if let Some(text) = loaded_config.text {
        sources.insert(config::CONFIG_FILE, text);
    }
    all.append(diagnostics);
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
    publish_safety::scan_project(&project, &safety, &mut all);
    timer.lap("publish safety");
    // The analyses' findings are warnings and notes: a plan that contradicts itself
    // still builds, and its page shows what the analyses found.
    let analysis_options = AnalysisOptions {
        hours_per_day: loaded_config.config.plans.hours_per_day,
    };
    let analysis = analysis::analyse_project(&project, &analysis_options);
    analysis.report(&mut all);
    let audits = &loaded_config.config.audits;
    analysis::audits::check_audits(&project, &audits.severity, audits.severity_span, &mut all);
    let status = analysis::status_match::match_project(&project, &mut all);
    timer.lap("analyses");
    let mut runbooks = RunbookOptions::from_environment(
        Paper::A4,
        loaded_config.config.runbooks.review_interval_days,
    );
    runbooks.pdf_fonts = pdf_fonts;
    Site {
        config: loaded_config.config,
        project,
        analyses: analysis.plans,
        status,
        runbooks,
        alert_links: Default::default(),
        diagnostics: all,
        sources,
    }
}

/// Where the alert rule files are: `[alerts] rules`, else the default `alerts/` folder.
fn rule_file_options(config: &Config) -> ingest::alerts::RuleFileOptions {
    match &config.alerts.rules {
        Some(globs) => ingest::alerts::RuleFileOptions {
            globs: globs.clone(),
            configured: true,
        },
        None => ingest::alerts::RuleFileOptions::default(),
    }
}

/// Matches the alert rules' `runbook_url`s to the pages, with the final base URL, and
/// reports what does not match; a dead `runbook_url` is as serious as a broken link.
fn match_alert_links(site: &mut Site, link_severity: Severity, diagnostics: &mut Diagnostics) {
    let options = analysis::alert_links::AlertLinkOptions {
        runbook_base_url: site.config.alerts.runbook_base_url.clone(),
        base_url: site.config.base_url.clone(),
    };
    site.alert_links = analysis::alert_links::match_alerts(&site.project, &options);
    site.alert_links
        .report(&site.project, link_severity, diagnostics);
}

/// Reads the font files `[runbooks] pdf_fonts` names (relative to the site root). A file
/// that cannot be read, is not a regular file or is outside the site root is an error on
/// its line of `opsbook.toml`; whether it holds a font is checked when the PDFs are made.
fn read_pdf_fonts(
    root: &Path,
    paths: &[String],
    config_text: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<PdfFont> {
    let mut fonts = Vec::new();
    for path in paths {
        // Like every input: a regular file inside the site root, links resolved.
        match crate::site_files::read_site_file(root, Path::new(path)) {
            Ok(bytes) => fonts.push(PdfFont {
                path: path.clone(),
                bytes: bytes.into(),
            }),
            Err(problem) => diagnostics.push(
                problem
                    .diagnostic(
                        Severity::Error,
                        codes::CONFIG_VALUE,
                        &format!("the PDF font `{path}`"),
                    )
                    .at(config::CONFIG_FILE, config::string_span(config_text, path)),
            ),
        }
    }
    fonts
}

/// The audit gate: one error per unsuppressed finding at or above the threshold given on
/// the command line, else in `opsbook.toml`.
fn gate_audits(site: &Site, fail_on: Option<FindingSeverity>, diagnostics: &mut Diagnostics) {
    if let Some(threshold) = fail_on.or(site.config.audits.fail_on) {
        let policy = &site.config.audits.severity;
        analysis::audits::gate(&site.project, policy, threshold, diagnostics);
    }
}

/// The render settings the configuration and the analyses give.
fn render_options(site: &Site) -> RenderOptions {
    let config = &site.config;
    RenderOptions {
        analyses: site.analyses.clone(),
        status: site.status.clone(),
        runbooks: site.runbooks.clone(),
        audit_severity: config.audits.severity.clone(),
        site_title: config.title.clone(),
        working_day: DayLength::working(config.plans.hours_per_day),
        alert_links: site.alert_links.clone(),
        base_url: config
            .base_url
            .as_deref()
            .and_then(|url| crate::render::sitemap::parse_base_url(url).ok()),
        ..RenderOptions::default()
    }
}

/// Renders the whole site into `sink`, adds the Cloudflare Pages files (`_headers`,
/// `_redirects`) for what was rendered, and checks every link of the result. Broken links
/// get `link_severity`. The problems found go to `diagnostics`; returns the number of
/// files rendered.
fn render_into(
    site: &Site,
    options: &RenderOptions,
    sink: &dyn Sink,
    link_severity: Severity,
    strict: bool,
    diagnostics: &mut Diagnostics,
) -> usize {
    let written = Mutex::new(Vec::new());
    let mut timer = StageTimer::from_env();
    // The render's own problems: only they decide whether the links are worth checking.
    let mut found = Diagnostics::new();
    // Links an author wrote between source files, to the generated pages: rendering
    // rewrites them and the link check places a broken one on its line.
    let source_links = links::SourceLinks::new(&site.project);
    timer.lap("source links");
    {
        let write = |path: &Path, bytes: FileBytes, record: links::FileRecord| {
            let size = bytes.len() as u64;
            sink.write_file(path, bytes)?;
            lock(&written).push((record, size));
            Ok(())
        };
        render::render_site(&site.project, options, &source_links, &write, &mut found);
    }
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
    timer.lap("link index");
    let pages_output = pages::pages_files(&site.project, &files, &mut found);
    for (path, bytes) in &pages_output.files {
        index.record(path, bytes);
        if let Err(diagnostic) = sink.write(path, bytes) {
            found.push(diagnostic);
        }
    }
    let rendered = index.file_count();
    for path in render::pdf_on_demand::deferred_pdf_paths(&site.project, options) {
        index.record(&path, &[]);
    }
    timer.lap("Cloudflare Pages files");
    if !any_stops_the_build(&found, strict) {
        links::check_links(
            &site.project,
            &source_links,
            &index,
            link_severity,
            &mut found,
        );
    }
    timer.lap("link check");
    diagnostics.append(found);
    rendered
}

/// Runs a build in `mode`: loads and analyses the site, applies the audit gate, renders
/// into the mode's sink and, when nothing failed, keeps the result (`build` swaps the
/// staged output in, `serve` gets the site in memory). Every command that builds comes
/// through here, so they cannot drift apart.
pub fn run(options: &BuildOptions, mode: &Mode) -> BuildOutcome {
    let (mut site, target) = load_with_target(options, mode);
    apply_options(&mut site, options);
    let mut diagnostics = std::mem::take(&mut site.diagnostics);
    gate_audits(&site, options.fail_on, &mut diagnostics);
    let link_severity = match mode {
        Mode::Check => site.config.links.check,
        Mode::Build { .. } | Mode::Serve => site.config.links.build,
    };
    match_alert_links(&mut site, link_severity, &mut diagnostics);
    let mut outcome = BuildOutcome::default();
    let (render_options, pdf_cache) = mode_render_options(&site, options, mode);
    match target {
        Ok(mut target) => {
            diagnostics.extend(target.take_repair_warning());
            outcome.files_rendered = render_into(
                &site,
                &render_options,
                target.sink(),
                link_severity,
                options.strict,
                &mut diagnostics,
            );
            if !any_stops_the_build(&diagnostics, options.strict) {
                if let Err(diagnostic) = target.keep(&mut outcome) {
                    diagnostics.push(diagnostic);
                }
            }
        }
        Err(diagnostic) => diagnostics.push(diagnostic),
    }
    if let Some(cache) = pdf_cache {
        if outcome.files_written > 0 {
            cache.prune();
        }
        outcome.pdfs = cache.counts();
    }
    outcome.stopped = any_stops_the_build(&diagnostics, options.strict);
    diagnostics.sort();
    outcome.diagnostics = diagnostics;
    outcome.sources = site.sources;
    outcome.status = site.status;
    if matches!(mode, Mode::Serve) && outcome.site.is_some() {
        outcome.on_demand_pdfs = Some(OnDemandPdfs::new(site.project, render_options));
    }
    outcome
}

/// The render settings for `mode`: a build finds and keeps its PDFs in the cache folder
/// beside its output (returned too, for its counts); `serve` makes no PDF until one is
/// asked for, and keeps them in the store it brings; `check` makes every PDF.
fn mode_render_options(
    site: &Site,
    options: &BuildOptions,
    mode: &Mode,
) -> (RenderOptions, Option<Arc<PdfCacheDir>>) {
    let mut render_options = render_options(site);
    let mut pdf_cache = None;
    match mode {
        Mode::Build { out } if site.runbooks.pdf => {
            let cache = Arc::new(PdfCacheDir::for_output(out));
            render_options.pdf_store = Some(Arc::clone(&cache) as Arc<dyn PdfStore>);
            pdf_cache = Some(cache);
        }
        Mode::Serve => {
            render_options.defer_pdfs = true;
            if let Some(memory) = &options.serve_memory {
                render_options.pdf_store = Some(Arc::clone(&memory.pdfs));
                render_options.memos = Some(memory.render.clone());
            }
        }
        Mode::Build { .. } | Mode::Check => {}
    }
    (render_options, pdf_cache)
}

/// Loads the site and, at the same time, opens the mode's target: taking the staging
/// folder means reusing the last build's files, which means walking them (about 100 ms
/// for 10,000 pages), and that needs nothing loaded.
fn load_with_target(options: &BuildOptions, mode: &Mode) -> (Site, Result<Target, Diagnostic>) {
    std::thread::scope(|scope| {
        let target = scope.spawn(|| Target::open(mode, options));
        let site = load_site(options);
        let target = target
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (site, target)
    })
}

/// The command line's settings over the configuration's.
fn apply_options(site: &mut Site, options: &BuildOptions) {
    if options.base_url.is_some() {
        site.config.base_url = options.base_url.clone();
    }
    site.runbooks.paper = options.paper;
    site.runbooks.pdf &= !options.no_pdf;
    if let Some(days) = options.review_days {
        site.runbooks.review_days = days;
    }
}

/// Where a mode's rendered files go, and how they are kept.
enum Target {
    Staging(Staging),
    Discard(DiscardSink),
    Memory(Mutex<MemorySite>),
}

impl Target {
    fn open(mode: &Mode, options: &BuildOptions) -> Result<Target, Diagnostic> {
        match mode {
            Mode::Build { out } => {
                check_output_location(&options.root, out)?;
                // Said at once, not with the diagnostics at the end: the wait may be long.
                let wait = LockWait {
                    timeout: options.lock_timeout,
                    on_wait: &|line| eprintln!("{line}"),
                };
                Staging::create(out, wait).map(Target::Staging)
            }
            Mode::Check => Ok(Target::Discard(DiscardSink)),
            Mode::Serve => Ok(Target::Memory(Mutex::default())),
        }
    }

    /// The warning about an interrupted swap the output's staging repaired, if any.
    fn take_repair_warning(&mut self) -> Option<Diagnostic> {
        match self {
            Target::Staging(staging) => staging.take_repair_warning(),
            Target::Discard(_) | Target::Memory(_) => None,
        }
    }

    fn sink(&self) -> &dyn Sink {
        match self {
            Target::Staging(staging) => staging,
            Target::Discard(discard) => discard,
            Target::Memory(memory) => memory,
        }
    }

    /// Keeps what was rendered, once the build is known to have no error.
    fn keep(self, outcome: &mut BuildOutcome) -> Result<(), Diagnostic> {
        match self {
            Target::Staging(staging) => {
                let mut timer = StageTimer::from_env();
                let committed = staging.commit();
                if committed.is_ok() {
                    outcome.files_written = outcome.files_rendered;
                }
                timer.lap("swap in the output");
                committed
            }
            Target::Discard(_) => Ok(()),
            Target::Memory(memory) => {
                outcome.site = Some(into_inner(memory));
                Ok(())
            }
        }
    }
}

/// A build's PDF cache folder is the renderer's PDF store (output may not know render's
/// types; the pipeline joins them).
impl PdfStore for PdfCacheDir {
    fn find(&self, _output: &Path, key: PdfKey) -> Option<Vec<u8>> {
        self.find_pdf(key.0)
    }

    fn keep(&self, _output: &Path, key: PdfKey, bytes: &[u8]) {
        self.keep_pdf(key.0, bytes);
    }
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
