//! Printable runbook PDFs (render stage), made in-process with Typst (behind the `pdf`
//! cargo feature). A runbook page and its model in; PDF bytes out, and diagnostics into
//! the caller's collector.
//!
//! The only module that knows Typst. `PdfEngine` holds what a build shares (fonts parsed
//! once, the standard library, the template); each runbook becomes JSON data (`document`)
//! read by the shipped template `templates/runbook.typ` through the fixed virtual file
//! `/data.json`. Runbook text is never pasted into Typst source, so it cannot inject
//! markup. Output is byte-identical between builds: no clock (`World::today` is `None`,
//! `document(date: none)`, no timestamp) and a stable PDF identifier from the page path.

mod ast;
mod cache;
mod diagrams;
mod document;
mod fonts;
mod world;

use std::path::PathBuf;

use serde_json::{json, Value};
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Smart};
use typst::WorldExt;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::config::{PdfFont, RunbookOptions};
use crate::diagnostics::{codes, Diagnostic, Diagnostics};
use crate::model::alert::AlertRule;
use crate::model::runbook::Part;
use crate::model::span::Span;
use crate::model::{Page, Runbook};
use crate::render::pdf_store::PdfStore;
use world::{DocWorld, Shared};

/// What one PDF needs.
pub struct PdfRequest<'a> {
    pub page: &'a Page,
    pub runbook: &'a Runbook,
    pub options: &'a RunbookOptions,
    /// The alert rules whose `runbook_url` leads to this runbook, in rule-file order.
    pub alerts: Vec<&'a AlertRule>,
}

/// The shared, build-wide part of PDF generation. Create one per build.
pub struct PdfEngine {
    shared: Shared,
    /// Families of the site's own fonts, in the order given: the template tries them
    /// after DejaVu for each character DejaVu lacks.
    extra_families: Vec<String>,
    /// The build-wide part of every PDF's reuse key (`cache`).
    fingerprint: u128,
}

impl Default for PdfEngine {
    fn default() -> Self {
        Self::new()
    }
}

/// Typst keeps memoized results in a process-wide cache; entries unused for this many
/// compiles are dropped after each one, so memory stays flat over many runbooks.
const CACHE_MAX_AGE: usize = 10;

impl PdfEngine {
    /// Parses the embedded fonts and builds the standard library.
    pub fn new() -> Self {
        // The embedded fonts are always readable: no font file, no problem to report.
        Self::with_fonts(&[], &mut Diagnostics::new())
    }

    /// As `new`, with the site's own fonts (`[runbooks] pdf_fonts`) after the embedded
    /// ones. A file that holds no font Typst can read is an error naming it.
    pub fn with_fonts(extra: &[PdfFont], diagnostics: &mut Diagnostics) -> Self {
        let mut all = fonts::load_fonts();
        let mut extra_families = Vec::new();
        for font in extra {
            let parsed: Vec<typst::text::Font> =
                typst::text::Font::iter(Bytes::new(font.bytes.clone())).collect();
            if parsed.is_empty() {
                diagnostics.push(
                    Diagnostic::error(
                        codes::CONFIG_VALUE,
                        format!("`{}` in `[runbooks] pdf_fonts` holds no font the PDF typesetter can read", font.path),
                    )
                    .at(crate::config::CONFIG_FILE, None)
                    .with_help("give a TrueType or OpenType font file (.ttf, .otf) or a collection (.ttc)"),
                );
            }
            for face in parsed {
                let family = face.info().family.clone();
                if !extra_families.contains(&family) {
                    extra_families.push(family);
                }
                all.push(face);
            }
        }
        PdfEngine {
            shared: Shared::new(all),
            fingerprint: cache::engine_fingerprint(extra, &extra_families),
            extra_families,
        }
    }

    /// Makes the PDF of one runbook (`None` when it could not be made); what is found on
    /// the way goes to `diagnostics`. (The PDF benchmark's entry point; builds go through
    /// `render_reusing`.)
    #[cfg_attr(not(feature = "bench-api"), allow(dead_code))]
    pub fn render(&self, request: &PdfRequest, diagnostics: &mut Diagnostics) -> Option<Vec<u8>> {
        self.render_reusing(request, None, diagnostics)
    }

    /// As `render`, but hands back the PDF `store` kept for the same key instead of
    /// typesetting it again, and offers `store` each PDF made without a diagnostic. The
    /// bytes are the same either way: typesetting is deterministic in its inputs, and the
    /// key hashes all of them. A PDF that cannot be made is an error placed at the step or
    /// section that fails when typeset alone, if one does.
    pub fn render_reusing(
        &self,
        request: &PdfRequest,
        store: Option<&dyn PdfStore>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Vec<u8>> {
        let mut data = self.document_data(request, diagnostics);
        // The key is taken before characters no font covers are replaced: only PDFs whose
        // characters were all covered are kept, so a PDF found needs no such check (it
        // was a sixth of a build that reused 999 PDFs of 1,000).
        let key = cache::document_key(
            self.fingerprint,
            &data.to_string(),
            &pdf_ident(request.page),
        );
        if let Some(bytes) = store.and_then(|store| store.find(&request.page.output, key)) {
            return Some(bytes);
        }
        let covered = self.replace_uncovered(request.page, &mut data, diagnostics);
        if let Some(fields) = data.as_object_mut() {
            fields.insert("fonts".into(), self.extra_families.clone().into());
        }
        let mut typeset = Diagnostics::new();
        let pdf = self.typeset_text(data.to_string(), request.page, &mut typeset);
        if let (Some(store), Some(bytes), true) = (store, &pdf, typeset.is_empty() && covered) {
            store.keep(&request.page.output, key, bytes);
        }
        let place = match pdf {
            Some(_) => None,
            None => self.failing_part(&data, request),
        };
        diagnostics.extend(typeset.into_iter().map(|mut found| {
            if found.code == codes::PDF_FAILED && found.span.is_none() {
                found.span = place;
            }
            found
        }));
        typst::comemo::evict(CACHE_MAX_AGE);
        pdf
    }

    /// The `/data.json` the template reads for `request`, before characters no font
    /// covers are replaced (see `replace_uncovered`) and the site's font families added.
    fn document_data(&self, request: &PdfRequest, diagnostics: &mut Diagnostics) -> Value {
        let mut data =
            document::runbook_data(request.page, request.runbook, request.options, diagnostics);
        if let Some(fields) = data.as_object_mut() {
            fields.insert("alerts".into(), document::alerts_data(&request.alerts));
        }
        data
    }

    /// Replaces the characters of `data` no PDF font covers, with a warning; true when
    /// every character was covered.
    fn replace_uncovered(
        &self,
        page: &Page,
        data: &mut Value,
        diagnostics: &mut Diagnostics,
    ) -> bool {
        let mut text = String::new();
        document::all_text(data, &mut text);
        let missing = fonts::uncovered_chars(&self.shared.book, self.shared.fonts.len(), &text);
        if missing.is_empty() {
            return true;
        }
        diagnostics.push(uncovered_warning(page, &missing));
        document::replace_chars(data, &|c| !missing.contains(&c));
        false
    }

    fn typeset(&self, data: &Value, page: &Page, diagnostics: &mut Diagnostics) -> Option<Vec<u8>> {
        self.typeset_text(data.to_string(), page, diagnostics)
    }

    fn typeset_text(
        &self,
        text: String,
        page: &Page,
        diagnostics: &mut Diagnostics,
    ) -> Option<Vec<u8>> {
        let world = DocWorld {
            shared: &self.shared,
            data: Bytes::new(text.into_bytes()),
        };
        compile(&world, page, &pdf_ident(page), diagnostics)
    }

    /// Where in the runbook's file the part is that Typst cannot typeset: the first
    /// step or markdown part (or the intro) whose PDF alone fails too. `None` when the
    /// header fails, or only the whole does.
    fn failing_part(&self, data: &Value, request: &PdfRequest) -> Option<Span> {
        let fails = |trial: &Value| {
            self.typeset(trial, request.page, &mut Diagnostics::new())
                .is_none()
        };
        let mut bare = data.clone();
        bare["intro"] = Value::Null;
        bare["sections"] = json!([]);
        if fails(&bare) {
            return None;
        }
        let runbook = request.runbook;
        if let Some(intro) = &runbook.intro {
            let mut trial = bare.clone();
            trial["intro"] = data["intro"].clone();
            if fails(&trial) {
                return Some(document::text_start(request.page, intro));
            }
        }
        for (s, section) in runbook.sections.iter().enumerate() {
            for (p, part) in section.parts.iter().enumerate() {
                let mut alone = data["sections"][s]["parts"][p].clone();
                // Alone, a step's branches lead to steps that are not there.
                if let Some(Value::Array(branches)) = alone.get_mut("branches") {
                    branches.iter_mut().for_each(|b| b["target"] = Value::Null);
                }
                let mut trial = bare.clone();
                trial["sections"] = json!([{
                    "id": data["sections"][s]["id"],
                    "title": data["sections"][s]["title"],
                    "parts": [alone],
                }]);
                if fails(&trial) {
                    return Some(match part {
                        Part::Markdown(text) => document::text_start(request.page, text),
                        Part::Step(step) => step.span,
                    });
                }
            }
        }
        None
    }
}

/// The PDF's identifier: the page's output path, so it is stable between builds.
fn pdf_ident(page: &Page) -> String {
    page.output.to_string_lossy().replace('\\', "/")
}

fn compile(
    world: &DocWorld,
    page: &Page,
    ident: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<u8>> {
    let warned = typst::compile::<PagedDocument>(world);
    diagnostics.extend(
        warned
            .warnings
            .iter()
            .map(|w| typst_diagnostic(world, page, w)),
    );
    let document = match warned.output {
        Ok(document) => document,
        Err(errors) => {
            diagnostics.extend(errors.iter().map(|e| typst_diagnostic(world, page, e)));
            return None;
        }
    };
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        timestamp: None,
        ..PdfOptions::default()
    };
    match typst_pdf::pdf(&document, &options) {
        Ok(bytes) => Some(bytes),
        Err(errors) => {
            diagnostics.extend(errors.iter().map(|e| typst_diagnostic(world, page, e)));
            None
        }
    }
}

/// A Typst message about a runbook's PDF, placed on the runbook's file (the problem is
/// in the template or in how the runbook's data meets it).
fn typst_diagnostic(world: &DocWorld, page: &Page, diagnostic: &SourceDiagnostic) -> Diagnostic {
    let hints: Vec<&str> = diagnostic.hints.iter().map(|h| h.v.as_str()).collect();
    let (code, made) = match diagnostic.severity {
        TypstSeverity::Error => (codes::PDF_FAILED, "the PDF could not be made"),
        TypstSeverity::Warning => (codes::PDF_WARNING, "the PDF typesetter warned"),
    };
    let place = world
        .range(diagnostic.span)
        .map(|range| world.template_line(range.start))
        .map_or_else(String::new, |line| {
            format!(" (templates/runbook.typ:{line})")
        });
    let message = format!("{made}: {}{place}", diagnostic.message);
    let mut help = if hints.is_empty() {
        "this is a problem of opsbook's PDF template with this runbook; please report it with the runbook attached".to_string()
    } else {
        hints.join("; ")
    };
    if diagnostic.severity == TypstSeverity::Error {
        help.push_str(". The site is still built, this runbook's page without the PDF link (`build --strict` fails instead)");
    }
    let built = match diagnostic.severity {
        TypstSeverity::Error => Diagnostic::error(code, message),
        TypstSeverity::Warning => Diagnostic::warning(code, message),
    };
    built.at(PathBuf::from(&page.source), None).with_help(help)
}

fn uncovered_warning(page: &Page, missing: &std::collections::BTreeSet<char>) -> Diagnostic {
    let shown: Vec<String> = missing
        .iter()
        .take(12)
        .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
        .collect();
    let more = missing.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Diagnostic::warning(
        codes::PDF_UNCOVERED_CHARS,
        format!(
            "the PDF fonts have no glyph for {} character(s): {}{more}; they print as `\u{FFFD}`",
            missing.len(),
            shown.join(", ")
        ),
    )
    .at(PathBuf::from(&page.source), None)
    .with_help("the web page shows them with the reader's fonts; for paper, name a font file that has them in `opsbook.toml` (`[runbooks]` `pdf_fonts = [\"fonts/NotoSansCJK.ttc\"]`), or spell them out")
}
