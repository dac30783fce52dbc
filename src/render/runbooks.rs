//! Runbook pages (render stage): each runbook's page, the runbook index, and (with the
//! `pdf` feature) each runbook's printable PDF next to its page. Everything goes through
//! the site's `write` callback, so the output stays atomic.
//!
//! The PDFs are made before the pages: a runbook whose PDF could not be made gets a page
//! that says so instead of a link to a file that is not there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::views;
use super::{Deliver, DeliverOutput, Output, SiteRenderer};
use crate::config::RunbookOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Page, Project, Runbook};

/// Every runbook page with its model, in source order.
pub fn runbooks(project: &Project) -> Vec<(&Page, &Runbook)> {
    project
        .pages
        .iter()
        .filter_map(|page| page.runbook.as_ref().map(|runbook| (&**page, runbook)))
        .collect()
}

/// `runbooks/db-down/db-down.pdf` for `runbooks/db-down/index.html`.
pub fn pdf_path(page: &Page) -> PathBuf {
    let folder = page.output.parent().unwrap_or(Path::new(""));
    let slug = folder
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("runbook");
    folder.join(format!("{slug}.pdf"))
}

fn pdf_file_name(page: &Page, options: &RunbookOptions) -> Option<String> {
    if !options.pdf {
        return None;
    }
    pdf_path(page)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
}

/// Renders a page of kind runbook: the runbook itself, or (for a runbook folder's
/// `README.md` or `index.md`) the index of the runbooks under that folder.
pub(super) fn render_runbook_kind(
    renderer: &SiteRenderer,
    page: &Page,
    found: &mut Diagnostics,
) -> Result<Vec<u8>, Diagnostic> {
    let (view_context, mut context) = renderer.context_for(&page.output);
    let options = &renderer.runbook_options;
    let rendered = match &page.runbook {
        Some(runbook) => {
            let unprintable = renderer.unprintable.contains(&page.output);
            let pdf = pdf_file_name(page, options).filter(|_| !unprintable);
            let mut view =
                views::runbook_view(page, runbook, &view_context, options, pdf.as_deref(), found);
            view.pdf_missing = unprintable;
            view.alert_rules = views::runbook_alerts_view(
                renderer.project,
                renderer.alert_links,
                page,
                &view_context,
            );
            context.insert("page", &view);
            renderer
                .theme
                .render("runbook.html", &context)
                .map(String::into_bytes)
        }
        None => {
            let folder = page.output.parent().unwrap_or(Path::new(""));
            let listed: Vec<(&Page, &Runbook)> = runbooks(renderer.project)
                .into_iter()
                .filter(|(p, _)| p.output.starts_with(folder))
                .collect();
            let view = views::runbook_index_view(
                &listed,
                Some(page),
                &page.output,
                &view_context,
                options,
            );
            renderer
                .render_listing(&page.output, "runbooks.html", context, view)
                .map(Output::into_bytes)
        }
    };
    rendered.map_err(|d| d.at(page.source.clone(), None))
}

/// What a runbook render adds to the site beyond the pages and PDFs: an index at
/// `runbooks/index.html` when the site has runbooks but no page there.
pub(super) fn render_runbook_extras(
    renderer: &SiteRenderer,
    deliver: &DeliverOutput,
    diagnostics: &mut Diagnostics,
) {
    let all = runbooks(renderer.project);
    if all.is_empty() {
        return;
    }
    let index_path = Path::new("runbooks/index.html");
    let has_index = renderer
        .project
        .pages
        .iter()
        .any(|p| p.output == index_path);
    if !has_index {
        diagnostics.extend(deliver(
            index_path,
            render_generated_index(renderer, &all, index_path),
        ));
    }
}

/// Makes and writes every runbook's PDF; the problems met (e.g. characters no PDF font
/// covers, a PDF that cannot be made) go to `diagnostics`. Returns the output paths of
/// the runbook pages whose PDF could not be made.
pub(super) fn render_runbook_pdfs(
    renderer: &SiteRenderer,
    deliver: &Deliver,
    diagnostics: &mut Diagnostics,
) -> BTreeSet<PathBuf> {
    write_pdfs(renderer, &runbooks(renderer.project), deliver, diagnostics)
}

fn render_generated_index(
    renderer: &SiteRenderer,
    all: &[(&Page, &Runbook)],
    path: &Path,
) -> Result<Output, Diagnostic> {
    let (view_context, context) = renderer.context_for(path);
    let view = views::runbook_index_view(all, None, path, &view_context, &renderer.runbook_options);
    renderer.render_listing(path, "runbooks.html", context, view)
}

/// Typesets every runbook's PDF, in parallel, each written by the thread that made it.
/// The problems met go to `diagnostics`, in runbook order.
///
/// The PDFs are shared out among plain threads, one PDF at a time each, not over the
/// rayon pool: typst parallelises its own layout with rayon, and a pool thread that waits
/// inside one PDF's layout steals the next PDF and typesets it on top of its own stack.
/// Over a whole site that nesting overflowed the stack (1,000 runbooks) and held many
/// half-made PDFs in memory at once.
/// Stack of each PDF thread: typst's layout recurses deeply on nested lists and tables.
#[cfg(feature = "pdf")]
pub(super) const PDF_THREAD_STACK: usize = 16 * 1024 * 1024;

#[cfg(feature = "pdf")]
fn write_pdfs(
    renderer: &SiteRenderer,
    all: &[(&Page, &Runbook)],
    deliver: &Deliver,
    diagnostics: &mut Diagnostics,
) -> BTreeSet<PathBuf> {
    use super::pdf::{PdfEngine, PdfRequest};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    if !renderer.runbook_options.pdf || renderer.defer_pdfs || all.is_empty() {
        return BTreeSet::new();
    }
    // Fonts are parsed once; the engine is shared by the threads, each PDF is independent.
    let mut font_problems = Diagnostics::new();
    let mut timer = crate::timings::StageTimer::from_env();
    let engine = PdfEngine::with_fonts(&renderer.runbook_options.pdf_fonts, &mut font_problems);
    timer.lap("  pdf: the engine and its fonts");
    if !font_problems.is_empty() {
        // A configuration error: the build stops, so no page needs to know.
        diagnostics.append(font_problems);
        return BTreeSet::new();
    }
    let next = AtomicUsize::new(0);
    // One collector per PDF, put back in runbook order once all threads are done.
    let found: Mutex<Vec<(usize, Diagnostics, bool)>> = Mutex::new(Vec::new());
    let typeset = || loop {
        let at = next.fetch_add(1, Ordering::Relaxed);
        let Some((page, runbook)) = all.get(at) else {
            return;
        };
        let mut made = Diagnostics::new();
        let alerts = renderer
            .alert_links
            .rules_leading_to(&page.source)
            .filter_map(|index| renderer.project.alerts.rules.get(index))
            .collect();
        let request = PdfRequest {
            page,
            runbook,
            options: &renderer.runbook_options,
            alerts,
        };
        let written = match engine.render_reusing(&request, renderer.pdf_store, &mut made) {
            Some(bytes) => match deliver(&pdf_path(page), Ok(bytes)) {
                Some(error) => {
                    made.push(error);
                    false
                }
                None => true,
            },
            None => false,
        };
        found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((at, made, written));
    };
    let threads = rayon::current_num_threads().clamp(1, all.len());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let worker = std::thread::Builder::new()
                .name("pdf".into())
                .stack_size(PDF_THREAD_STACK);
            if worker.spawn_scoped(scope, typeset).is_err() {
                // No thread to be had: typeset on this one.
                typeset();
            }
        }
    });
    let mut found = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    found.sort_by_key(|(at, ..)| *at);
    let mut unprintable = BTreeSet::new();
    for (at, made, written) in found {
        diagnostics.append(made);
        if !written {
            unprintable.insert(all[at].0.output.clone());
        }
    }
    unprintable
}

#[cfg(not(feature = "pdf"))]
fn write_pdfs(
    _renderer: &SiteRenderer,
    _all: &[(&Page, &Runbook)],
    _deliver: &Deliver,
    _diagnostics: &mut Diagnostics,
) -> BTreeSet<PathBuf> {
    BTreeSet::new()
}
