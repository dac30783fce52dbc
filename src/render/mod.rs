//! Render stage: the immutable project in, finished files out (HTML pages, the runbooks'
//! PDFs, the theme's static files and the site's assets), handed one by one to a writer
//! so the whole site never has to sit in memory. Templates see view structs built in `views`, never the
//! model.

pub mod diagram;
pub mod highlight;
pub mod links;
pub mod markdown;
pub(crate) mod not_found;
pub mod page_memo;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod pdf_on_demand;
pub mod pdf_store;
pub mod promql;
mod runbooks;
pub mod search;
pub mod severity_chart;
pub mod sitemap;
pub mod swimlane;
pub mod templates;
pub mod timeline_svg;
pub mod views;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::analysis::artifacts::ArtifactGroup;
use crate::analysis::audits::AuditFacts;
use crate::analysis::PlanAnalysis;
use crate::config::RunbookOptions;

use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::memo::MemoRound;
use crate::model::audit::Audit;
use crate::model::{Page, Project};
use highlight::Highlighter;
use templates::Theme;
use views::ViewContext;

/// Settings of one render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides the site title (else the home page's title, else "opsbook").
    pub site_title: Option<String>,
    /// The absolute URL the site is published at, ending in `/`: canonical links and
    /// `sitemap.xml` only; every other link stays page-relative.
    pub base_url: Option<String>,
    /// What the analyses found about each plan, by the page's source path: shown in the
    /// plan page's Health panel and timeline SVGs.
    pub analyses: BTreeMap<PathBuf, PlanAnalysis>,
    /// Tracker status of each plan page (from `analysis::status_match`).
    pub status: crate::model::status::SiteStatus,
    /// How long a plan's working day is (`[plans] hours_per_day`): ETA totals written in
    /// days are shown in hours with it, as the analyses count them.
    pub working_day: crate::model::duration::DayLength,
    /// Review interval, reference date and PDF paper of runbooks.
    pub runbooks: RunbookOptions,
    /// Where each alert rule's `runbook_url` leads (from `analysis::alert_links`).
    pub alert_links: crate::analysis::alert_links::AlertLinks,
    /// Where made PDFs are kept and found again (a build's cache folder, serve's memory);
    /// `None` makes every PDF.
    pub pdf_store: Option<std::sync::Arc<dyn pdf_store::PdfStore>>,
    /// Pages link their PDFs but no PDF is made (`serve` makes each when first asked
    /// for, see `pdf_on_demand`).
    pub defer_pdfs: bool,
    /// The pages and search entries of the last build, handed back when nothing they
    /// are made from changed (`serve`, see `page_memo`); `None` renders every page.
    pub memos: Option<page_memo::RenderMemos>,
    /// The severity artifact pages settle on when scanners disagree (`[audits] severity`).
    pub audit_severity: crate::model::audit::SeverityPolicy,
}

/// Receives each finished file: its path relative to the output root, its bytes, and
/// what the link check needs of it (read by the thread that made it, while the bytes
/// are in that core's cache; kept with a page `serve` reuses). Called from the
/// rendering threads, each page as soon as it is made.
pub type WriteFile<'a> =
    dyn Fn(&Path, FileBytes, links::FileRecord) -> Result<(), Diagnostic> + Sync + 'a;

/// A finished file's bytes: made for this build, or shared with `serve`'s memo (a page
/// it reused), which an in-memory sink keeps without copying.
#[derive(Debug)]
pub enum FileBytes {
    Made(Vec<u8>),
    Shared(std::sync::Arc<[u8]>),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Made(bytes) => bytes,
            FileBytes::Shared(bytes) => bytes,
        }
    }
}

/// Hands a made file (or why it could not be made) to the writer; returns the problem,
/// if there was one.
type Deliver<'a> = dyn Fn(&Path, Result<Vec<u8>, Diagnostic>) -> Option<Diagnostic> + Sync + 'a;

/// `Deliver` for the files that are not pages of their own: one kept from the last
/// build goes to the writer shared, with the link facts read when it was made.
type DeliverOutput<'a> =
    dyn Fn(&Path, Result<Output, Diagnostic>) -> Option<Diagnostic> + Sync + 'a;

/// Renders the whole site through `write`. Every problem met goes to `diagnostics`; any
/// error means the output must not be published. `source_links` are `project`'s (made
/// by the caller, which checks the links with them afterwards).
pub fn render_site(
    project: &Project,
    options: &RenderOptions,
    source_links: &links::SourceLinks,
    write: &WriteFile,
    diagnostics: &mut Diagnostics,
) {
    let mut timer = crate::timings::StageTimer::from_env();
    let Some(theme) = Theme::load(&project.root, diagnostics) else {
        return;
    };
    // Highlighted lines are remembered in a build that renders every page (any build
    // but serve's rebuilds, which have pages kept from the build before). Asked before
    // the round starts: a round takes what is kept.
    let renders_every_page = options
        .memos
        .as_ref()
        .is_none_or(|memos| memos.pages.is_empty());
    let memo = options.memos.as_ref().map(|memos| {
        let site = page_memo::site_key(project, options, theme.fingerprint());
        let rounds = (memos.pages.round(), memos.search.round());
        (site, rounds.0, rounds.1, memos.listings.round())
    });
    timer.lap("render: theme and the memos' site key");
    let mut renderer = SiteRenderer {
        project,
        theme: &theme,
        // One highlighter per rendering thread (and one for this thread): syntect's regexes
        // keep per-regex scratch space in a pool whose fast path belongs to one thread, and
        // sharing them made the two cores queue for it (12% of a 1,000-page build).
        highlighters: (0..=rayon::current_num_threads())
            .map(|_| Highlighter::new().remembering(renders_every_page))
            .collect(),
        site_title: site_title(project, options),
        nav: views::SiteNav::new(project),
        base_url: options.base_url.as_deref(),
        analyses: &options.analyses,
        status: &options.status,
        runbook_options: options.runbooks.clone(),
        working_day: options.working_day,
        alert_links: &options.alert_links,
        pdf_store: options.pdf_store.as_deref(),
        defer_pdfs: options.defer_pdfs,
        audits: AuditFacts::new(project, &options.audit_severity),
        unprintable: Default::default(),
        listings: memo.as_ref().map(|(_, _, _, listings)| listings),
    };
    let deliver = |path: &Path, result: Result<Vec<u8>, Diagnostic>| {
        result
            .and_then(|bytes| {
                let record = links::FileRecord::scan(path, &bytes);
                write(path, FileBytes::Made(bytes), record)
            })
            .err()
    };
    let deliver_output = |path: &Path, result: Result<Output, Diagnostic>| match result {
        Ok(Output::Kept(kept)) => {
            let html = FileBytes::Shared(Arc::clone(&kept.html));
            write(path, html, kept.links.clone()).err()
        }
        other => deliver(path, other.map(Output::into_bytes)),
    };
    timer.lap("render: the renderer");
    let home = project.pages.iter().find(|p| is_home(p)).map(|p| &**p);
    let rewrite = |page: Option<&Page>, html| match page {
        Some(page) => links::rewrite_page_links(source_links, page, html),
        None => html,
    };
    // What the raw-HTML allow-list removes, once per page at its lines.
    if let Some(home) = home {
        diagnostics.append(markdown::raw_html_report::report_raw_html(home));
    }
    // A home page written in `content/index.md` has links to rewrite.
    let home_file = match home {
        Some(_) => renderer
            .render_home()
            .map(|listing| Output::Made(rewrite(home, listing.into_bytes()))),
        None => renderer.render_home(),
    };
    let mut emit = |path: &Path, result| diagnostics.extend(deliver_output(path, result));
    emit(Path::new("index.html"), home_file);
    timer.lap("render: home page");
    emit(Path::new(not_found::OUTPUT), renderer.render_not_found());
    timer.lap("render: 404 page");
    let search_page = renderer.render_search_page();
    emit(Path::new(search::SEARCH_PAGE), search_page);
    timer.lap("render: search page");
    let search_memo = memo.as_ref().map(|(_, _, search, _)| search);
    match search::search_index_files(project, search_memo) {
        Ok(files) => {
            for (path, bytes) in files {
                emit(Path::new(&path), Ok(Output::Made(bytes)));
            }
        }
        Err(diagnostic) => emit(Path::new(search::INDEX_FILE), Err(diagnostic)),
    }
    timer.lap("render: search index");
    if let Some(base) = renderer.base_url {
        emit(
            Path::new("sitemap.xml"),
            Ok(Output::Made(
                sitemap::render_sitemap(project, base).into_bytes(),
            )),
        );
    }
    for audit in project.audits.iter().filter(|a| !views::is_report(a)) {
        emit(
            &audit.output,
            renderer.render_audit(audit, None).map(Output::Made),
        );
    }
    for group in &renderer.audits.artifacts {
        emit(
            &group.output,
            renderer.render_artifact(group).map(Output::Made),
        );
    }
    if (!project.audits.is_empty() || !project.vex.is_empty())
        && !project
            .pages
            .iter()
            .any(|p| p.output == Path::new(AUDITS_INDEX))
    {
        emit(Path::new(AUDITS_INDEX), renderer.render_audits_index());
    }
    if let Some(path) = views::alerts_page(project) {
        emit(path, renderer.render_alerts_page(path));
    }
    if project.pages.iter().any(|page| views::is_plan_page(page))
        && !project
            .pages
            .iter()
            .any(|p| p.output == Path::new(views::PLANS_INDEX))
    {
        emit(Path::new(views::PLANS_INDEX), renderer.render_plans_index());
    }
    for (path, bytes) in theme.static_files() {
        emit(Path::new(path), Ok(Output::Made(bytes.clone())));
    }
    for asset in &project.assets {
        emit(
            &asset.output,
            read_asset(&project.root, &asset.source).map(Output::Made),
        );
    }
    timer.lap("render: sitemap, audits, alerts, plans index, static files");
    // Before the pages: a runbook's page links its PDF only if it was made.
    renderer.unprintable = runbooks::render_runbook_pdfs(&renderer, &deliver, diagnostics);
    // Pages are rendered in parallel and each is written by the thread that made it, as
    // soon as it is made: both cores stay busy (no thread waits for a batch to be
    // written) and a large site is never held in memory. Each page collects its own
    // problems; they are appended in source order.
    timer.lap("render: runbook PDFs");
    let pages: Vec<&Arc<Page>> = project.pages.iter().filter(|p| !is_home(p)).collect();
    let page_diagnostics: Vec<Diagnostics> = pages
        .par_iter()
        .map(|page| {
            let render = || {
                let mut found = markdown::raw_html_report::report_raw_html(page);
                let result = renderer
                    .render_page(page, &mut found)
                    .map(|html| rewrite(Some(page), html));
                (result, found)
            };
            match &memo {
                Some((site, round, ..)) if page_memo::can_keep(page) => {
                    let unprintable = renderer.unprintable.contains(&page.output);
                    let (result, mut found) =
                        page_memo::render_or_reuse(round, *site, page, unprintable, render);
                    let written = result.and_then(|kept| {
                        let html = FileBytes::Shared(Arc::clone(&kept.html));
                        write(&page.output, html, kept.links.clone())?;
                        Ok(())
                    });
                    found.extend(written.err());
                    found
                }
                _ => {
                    let (result, mut found) = render();
                    found.extend(deliver(&page.output, result));
                    found
                }
            }
        })
        .collect();
    timer.lap("render: pages");
    for found in page_diagnostics {
        diagnostics.append(found);
    }
    runbooks::render_runbook_extras(&renderer, &deliver_output, diagnostics);
    timer.lap("render: runbooks index");
}

/// A file of the site that is not a page of its own, as it goes to the writer.
enum Output {
    /// Bytes just made.
    Made(Vec<u8>),
    /// A file that lists pages, made by `SiteRenderer::render_listing` in `serve` (now
    /// or in the build before): its bytes, shared, and what the link check needs of it.
    Kept(Arc<page_memo::RenderedListing>),
}

impl Output {
    fn into_bytes(self) -> Vec<u8> {
        match self {
            Output::Made(bytes) => bytes,
            Output::Kept(kept) => kept.html.to_vec(),
        }
    }
}

/// Everything one page render needs, shared by all pages of a build.
struct SiteRenderer<'a> {
    project: &'a Project,
    theme: &'a Theme,
    highlighters: Vec<Highlighter>,
    site_title: String,
    nav: views::SiteNav,
    base_url: Option<&'a str>,
    analyses: &'a BTreeMap<PathBuf, PlanAnalysis>,
    status: &'a crate::model::status::SiteStatus,
    runbook_options: RunbookOptions,
    working_day: crate::model::duration::DayLength,
    alert_links: &'a crate::analysis::alert_links::AlertLinks,
    pdf_store: Option<&'a dyn pdf_store::PdfStore>,
    defer_pdfs: bool,
    /// VEX and the artifact groups, for every audit page.
    audits: AuditFacts<'a>,
    /// Output paths of the runbook pages whose PDF could not be made.
    unprintable: std::collections::BTreeSet<PathBuf>,
    /// `serve`: the listings of the last build (`render_listing`).
    listings: Option<&'a MemoRound<'a, page_memo::RenderedListing>>,
}

impl SiteRenderer<'_> {
    /// The highlighter of the calling thread: slot 0 outside the thread pool, else the
    /// pool thread's own.
    fn highlighter(&self) -> &Highlighter {
        let slot = rayon::current_thread_index().map_or(0, |index| index + 1);
        &self.highlighters[slot.min(self.highlighters.len() - 1)]
    }

    fn context_for(&self, output: &Path) -> (ViewContext<'_>, tera::Context) {
        let root = relative_root(output);
        let mut context = tera::Context::new();
        let mut site = self.nav.view(&self.site_title, &root);
        site.canonical = self
            .base_url
            .map(|base| sitemap::canonical_url(base, output));
        context.insert("site", &site);
        let view_context = ViewContext {
            highlighter: self.highlighter(),
            root,
            working_day: self.working_day,
        };
        (view_context, context)
    }

    fn render_home(&self) -> Result<Output, Diagnostic> {
        let (view_context, context) = self.context_for(Path::new("index.html"));
        let index = self.project.pages.iter().find(|p| is_home(p)).map(|p| &**p);
        let mut home = views::home_view(self.project, index, &view_context);
        views::add_audit_links(
            &mut home.groups,
            self.project,
            &self.audits,
            &view_context.root,
        );
        self.render_listing(Path::new("index.html"), "home.html", context, home)
    }

    /// Runs `template` on `context` for the file at `output`; in `serve`, only when the
    /// last build's context for that file was not the same
    /// (`page_memo::render_listing_or_reuse`). For the files that list pages.
    fn render_listing<V: page_memo::ListingView>(
        &self,
        output: &Path,
        template: &str,
        mut context: tera::Context,
        page: V,
    ) -> Result<Output, Diagnostic> {
        let render =
            |context: &tera::Context| self.theme.render(template, context).map(String::into_bytes);
        match self.listings {
            Some(round) => {
                let made_with = (template, self.theme.fingerprint());
                let listing = page_memo::Listing { context, page };
                page_memo::render_listing_or_reuse(round, output, made_with, listing, render)
                    .map(Output::Kept)
            }
            None => {
                context.insert("page", &page);
                render(&context).map(Output::Made)
            }
        }
    }

    /// Renders one page; problems met on the way (diagrams) go to `found`.
    fn render_page(&self, page: &Page, found: &mut Diagnostics) -> Result<Vec<u8>, Diagnostic> {
        if page.is_section() {
            return self.render_section(page, found);
        }
        if page.kind == crate::model::PageKind::Runbook {
            return runbooks::render_runbook_kind(self, page, found);
        }
        if let Some(audit) = self.project.audits.iter().find(|a| a.source == page.source) {
            return self.render_audit(audit, Some(page));
        }
        let (view_context, mut context) = self.context_for(&page.output);
        let template = match &page.plan {
            Some(plan) if plan.is_structured() => {
                let mut view = views::plan_view(page, plan, &view_context, found);
                views::attach_remediations(&mut view, self.project, &view_context);
                if let Some(status) = self.status.plan(&page.source) {
                    views::apply_plan_status(&mut view, status);
                }
                let analysis = self.analyses.get(&page.source);
                if let Some(lanes) = view.lanes.as_mut() {
                    lanes.swimlane_html = views::swimlane_html(
                        plan,
                        analysis.and_then(|a| a.lane_schedule.as_ref()),
                        view_context.working_day,
                    );
                }
                context.insert("page", &view);
                context.insert("health", &views::health_view(plan, analysis));
                context.insert("timelines", &views::timelines_view(plan, analysis));
                "plan.html"
            }
            _ => {
                let view = views::document_view(page, &view_context, found);
                context.insert("page", &view);
                "page.html"
            }
        };
        self.theme
            .render(template, &context)
            .map(String::into_bytes)
            .map_err(|d| d.at(page.source.clone(), None))
    }
}

impl SiteRenderer<'_> {
    /// A Hugo section page (`_index.md`): its text and the pages it holds.
    fn render_section(&self, page: &Page, found: &mut Diagnostics) -> Result<Vec<u8>, Diagnostic> {
        let (view_context, context) = self.context_for(&page.output);
        let view = views::section_page_view(self.project, page, &view_context, found);
        self.render_listing(&page.output, "section.html", context, view)
            .map(Output::into_bytes)
            .map_err(|d| d.at(page.source.clone(), None))
    }
}

/// The audits index, written unless a page of the site takes its place.
const AUDITS_INDEX: &str = "audits/index.html";

impl SiteRenderer<'_> {
    /// An audit's page: a scanner file's own page, or a report page (`page`).
    fn render_audit(&self, audit: &Audit, page: Option<&Page>) -> Result<Vec<u8>, Diagnostic> {
        let (view_context, mut context) = self.context_for(&audit.output);
        // The view is dropped as soon as tera has its copy: large scans hold much text.
        context.insert(
            "page",
            &views::audit_view(self.project, &self.audits, audit, page, &view_context),
        );
        // About 1.2 KB of HTML per finding row.
        let capacity = 16 * 1024 + audit.findings.len() * 1200;
        self.theme
            .render_bytes("audit.html", &context, capacity)
            .map_err(|d| d.at(audit.source.clone(), None))
    }

    /// The alerts page: every alert with its runbook and the status of its link.
    fn render_alerts_page(&self, path: &Path) -> Result<Output, Diagnostic> {
        let (view_context, context) = self.context_for(path);
        let view = views::alerts_page_view(self.project, self.alert_links, &view_context);
        self.render_listing(path, "alerts.html", context, view)
    }

    fn render_audits_index(&self) -> Result<Output, Diagnostic> {
        let (view_context, context) = self.context_for(Path::new(AUDITS_INDEX));
        let view = views::audits_index_view(self.project, &self.audits, &view_context);
        self.render_listing(Path::new(AUDITS_INDEX), "audits.html", context, view)
    }

    /// The page comparing every scanner's latest scan of one artifact.
    fn render_artifact(&self, group: &ArtifactGroup) -> Result<Vec<u8>, Diagnostic> {
        let (view_context, mut context) = self.context_for(&group.output);
        context.insert(
            "page",
            &views::artifact_view(group, &self.audits, &view_context),
        );
        let capacity = 16 * 1024 + group.findings.len() * 1600;
        let source = group.scans.first().map(|a| a.source.clone());
        self.theme
            .render_bytes("artifact.html", &context, capacity)
            .map_err(|d| match source {
                Some(source) => d.at(source, None),
                None => d,
            })
    }
}

impl SiteRenderer<'_> {
    /// Every plan of the site in one table, written unless a page of the site takes
    /// its place (`content/plans/index.md`).
    fn render_plans_index(&self) -> Result<Output, Diagnostic> {
        let (view_context, context) = self.context_for(Path::new(views::PLANS_INDEX));
        let view = views::plans_index_view(self.project, self.status, &view_context);
        self.render_listing(Path::new(views::PLANS_INDEX), "plans.html", context, view)
    }
}

fn is_home(page: &Page) -> bool {
    page.output == Path::new("index.html")
}

fn site_title(project: &Project, options: &RenderOptions) -> String {
    options
        .site_title
        .clone()
        .or_else(|| {
            project
                .pages
                .iter()
                .find(|p| is_home(p))
                .map(|p| p.title.clone())
        })
        .unwrap_or_else(|| "opsbook".to_string())
}

/// `""` for `index.html`, `"../../"` for `plans/x/index.html`: the prefix that leads from
/// a page back to the output root, so every link is page-relative.
pub fn relative_root(output: &Path) -> String {
    let depth = output.components().count().saturating_sub(1);
    "../".repeat(depth)
}

fn read_asset(root: &Path, source: &Path) -> Result<Vec<u8>, Diagnostic> {
    // A regular file when it was found; read so that a FIFO swapped in since cannot hang.
    crate::site_files::read_regular_file(&root.join(source)).map_err(|problem| {
        problem
            .diagnostic(crate::diagnostics::Severity::Error, codes::IO, "the asset")
            .at(PathBuf::from(source), None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_root_climbs_one_level_per_folder() {
        assert_eq!(relative_root(Path::new("index.html")), "");
        assert_eq!(relative_root(Path::new("about/index.html")), "../");
        assert_eq!(relative_root(Path::new("plans/x/index.html")), "../../");
    }
}
