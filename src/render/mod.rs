//! Render stage: the immutable project in, finished files out (HTML pages, the theme's
//! static files and the site's assets), handed one by one to a writer so the whole site
//! never has to sit in memory. Templates see view structs built in `views`, never the
//! model.

pub mod highlight;
pub mod markdown;
mod runbooks;
pub mod templates;
pub mod views;

use std::path::{Path, PathBuf};

use crate::diagnostics::{codes, display_path, Diagnostic};
use crate::model::{Page, Project};
use highlight::Highlighter;
use templates::Theme;
use views::ViewContext;

/// Settings of one render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides the site title (else the home page's title, else "opsbook").
    pub site_title: Option<String>,
    /// Review interval, reference date and PDF paper of runbooks.
    pub runbooks: views::RunbookOptions,
}

/// Receives each finished file: its path relative to the output root and its bytes.
pub type WriteFile<'a> = dyn FnMut(&Path, &[u8]) -> Result<(), Diagnostic> + 'a;

/// Renders the whole site through `write`. Returns every problem met; any error means
/// the output must not be published.
pub fn render_site(
    project: &Project,
    options: &RenderOptions,
    write: &mut WriteFile,
) -> Vec<Diagnostic> {
    let theme = match Theme::load(&project.root) {
        Ok(theme) => theme,
        Err(diagnostics) => return diagnostics,
    };
    let renderer = SiteRenderer {
        project,
        theme: &theme,
        highlighter: Highlighter::new(),
        site_title: site_title(project, options),
        runbook_options: options.runbooks.clone(),
    };
    let mut diagnostics = Vec::new();
    let mut emit = |path: &Path, result: Result<Vec<u8>, Diagnostic>| match result
        .and_then(|bytes| write(path, &bytes))
    {
        Ok(()) => {}
        Err(diagnostic) => diagnostics.push(diagnostic),
    };
    emit(Path::new("index.html"), renderer.render_home());
    for page in project.pages.iter().filter(|p| !is_home(p)) {
        emit(&page.output, renderer.render_page(page));
    }
    let runbook_warnings = runbooks::render_runbook_extras(&renderer, &mut emit);
    for (path, bytes) in theme.static_files() {
        emit(Path::new(path), Ok(bytes.clone()));
    }
    for asset in &project.assets {
        emit(&asset.output, read_asset(&project.root, &asset.source));
    }
    diagnostics.extend(runbook_warnings);
    diagnostics
}

/// Everything one page render needs, shared by all pages of a build.
struct SiteRenderer<'a> {
    project: &'a Project,
    theme: &'a Theme,
    highlighter: Highlighter,
    site_title: String,
    runbook_options: views::RunbookOptions,
}

impl SiteRenderer<'_> {
    fn context_for(&self, output: &Path) -> (ViewContext<'_>, tera::Context) {
        let root = relative_root(output);
        let mut context = tera::Context::new();
        context.insert(
            "site",
            &views::site_view(self.project, &self.site_title, &root),
        );
        let view_context = ViewContext {
            highlighter: &self.highlighter,
            root,
        };
        (view_context, context)
    }

    fn render_home(&self) -> Result<Vec<u8>, Diagnostic> {
        let (view_context, mut context) = self.context_for(Path::new("index.html"));
        let index = self.project.pages.iter().find(|p| is_home(p));
        context.insert(
            "page",
            &views::home_view(self.project, index, &view_context),
        );
        self.theme
            .render("home.html", &context)
            .map(String::into_bytes)
    }

    fn render_page(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        if page.kind == crate::model::PageKind::Runbook {
            return runbooks::render_runbook_kind(self, page);
        }
        let (view_context, mut context) = self.context_for(&page.output);
        let template = match &page.plan {
            Some(plan) if plan.is_structured() => {
                context.insert("page", &views::plan_view(page, plan, &view_context));
                "plan.html"
            }
            _ => {
                context.insert("page", &views::document_view(page, &view_context));
                "page.html"
            }
        };
        self.theme
            .render(template, &context)
            .map(String::into_bytes)
            .map_err(|d| d.at(page.source.clone(), None))
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
    std::fs::read(root.join(source)).map_err(|error| {
        Diagnostic::error(codes::IO, format!("cannot read asset: {error}"))
            .at(PathBuf::from(source), None)
            .with_help(format!(
                "check the permissions of `{}`",
                display_path(source)
            ))
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
