//! Runbook PDFs made when first asked for (render stage, for `serve`). A serve build
//! renders the pages, which link their PDFs, but makes no PDF: typesetting a thousand
//! runbooks would hold the first page back for many seconds, and an author rarely opens
//! more than a few PDFs. This keeps what a PDF needs from that build (the project and
//! the render options) and typesets one PDF on request, through the options' PDF store,
//! so a PDF already made for the same key is handed back at once.

use crate::diagnostics::Diagnostics;
use crate::model::Project;

use super::RenderOptions;

/// The PDFs of one build, made on request.
#[derive(Debug)]
pub struct OnDemandPdfs {
    project: Project,
    options: RenderOptions,
    /// Parsed fonts and the standard library, made with the first PDF asked for.
    #[cfg(feature = "pdf")]
    engine: std::sync::OnceLock<Result<EngineCell, Diagnostics>>,
}

/// The engine, in a cell that prints as its name (Typst's types have no `Debug`).
#[cfg(feature = "pdf")]
struct EngineCell(super::pdf::PdfEngine);

#[cfg(feature = "pdf")]
impl std::fmt::Debug for EngineCell {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("PdfEngine")
    }
}

/// Where the PDFs a build defers would go (one per runbook), so that the link check
/// counts links to them as good: `serve` makes each when it is asked for.
pub fn deferred_pdf_paths(project: &Project, options: &RenderOptions) -> Vec<std::path::PathBuf> {
    if !(options.defer_pdfs && options.runbooks.pdf) {
        return Vec::new();
    }
    super::runbooks::runbooks(project)
        .into_iter()
        .map(|(page, _)| super::runbooks::pdf_path(page))
        .collect()
}

impl OnDemandPdfs {
    pub fn new(project: Project, options: RenderOptions) -> Self {
        OnDemandPdfs {
            project,
            options,
            #[cfg(feature = "pdf")]
            engine: std::sync::OnceLock::new(),
        }
    }

    /// The PDF at output path `path` (`runbooks/db-down/db-down.pdf`): `None` when no
    /// runbook's PDF goes there (or PDFs are off), else the bytes or what stopped them.
    pub fn pdf(&self, path: &str) -> Option<Result<Vec<u8>, Diagnostics>> {
        if !self.options.runbooks.pdf {
            return None;
        }
        let (page, runbook) =
            super::runbooks::runbooks(&self.project)
                .into_iter()
                .find(|(page, _)| {
                    crate::diagnostics::display_path(&super::runbooks::pdf_path(page)) == path
                })?;
        Some(self.make(page, runbook))
    }

    #[cfg(feature = "pdf")]
    fn make(
        &self,
        page: &crate::model::Page,
        runbook: &crate::model::Runbook,
    ) -> Result<Vec<u8>, Diagnostics> {
        use super::pdf::{PdfEngine, PdfRequest};
        let engine = self.engine.get_or_init(|| {
            let mut problems = Diagnostics::new();
            let engine = PdfEngine::with_fonts(&self.options.runbooks.pdf_fonts, &mut problems);
            if problems.is_empty() {
                Ok(EngineCell(engine))
            } else {
                Err(problems)
            }
        });
        let engine = &engine.as_ref().map_err(Clone::clone)?.0;
        let request = PdfRequest {
            page,
            runbook,
            options: &self.options.runbooks,
            alerts: self
                .options
                .alert_links
                .rules_leading_to(&page.source)
                .filter_map(|index| self.project.alerts.rules.get(index))
                .collect(),
        };
        let store = self.options.pdf_store.as_deref();
        // Typst's layout recurses deeply: typeset on a thread with the PDF threads' stack.
        std::thread::scope(|scope| {
            let typeset = || {
                let mut found = Diagnostics::new();
                let pdf = engine.render_reusing(&request, store, &mut found);
                pdf.ok_or(found)
            };
            std::thread::Builder::new()
                .name("pdf".into())
                .stack_size(super::runbooks::PDF_THREAD_STACK)
                .spawn_scoped(scope, typeset)
                .map_err(|_| Diagnostics::new())?
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    #[cfg(not(feature = "pdf"))]
    fn make(
        &self,
        _page: &crate::model::Page,
        _runbook: &crate::model::Runbook,
    ) -> Result<Vec<u8>, Diagnostics> {
        Err(Diagnostics::new())
    }
}
