//! The theme (render stage): tera templates and static files. The built-in theme is
//! compiled into the binary; a site's own `templates/` and `static/` folders replace its
//! files one by one (same name wins) and may add new ones, as in mdBook. Loading collects
//! every problem as a `Diagnostic` instead of stopping at the first broken template.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Tera};

use crate::diagnostics::{codes, Diagnostic, Diagnostics, Severity};
use crate::model::span::LineIndex;
use crate::model::Span;
use crate::site_files::{list_site_folder, read_regular_file};

/// The built-in templates, by name.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("alerts.html", include_str!("../../templates/alerts.html")),
    ("audit.html", include_str!("../../templates/audit.html")),
    (
        "audit-components.html",
        include_str!("../../templates/audit-components.html"),
    ),
    ("audits.html", include_str!("../../templates/audits.html")),
    (
        "artifact.html",
        include_str!("../../templates/artifact.html"),
    ),
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("home.html", include_str!("../../templates/home.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("plan.html", include_str!("../../templates/plan.html")),
    ("plans.html", include_str!("../../templates/plans.html")),
    (
        "plan_item.html",
        include_str!("../../templates/plan_item.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "search_box.html",
        include_str!("../../templates/search_box.html"),
    ),
    ("health.html", include_str!("../../templates/health.html")),
    (
        "timelines.html",
        include_str!("../../templates/timelines.html"),
    ),
    ("runbook.html", include_str!("../../templates/runbook.html")),
    ("section.html", include_str!("../../templates/section.html")),
    (
        "runbooks.html",
        include_str!("../../templates/runbooks.html"),
    ),
];

/// The built-in static files, by path under `static/`.
const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("audit.js", include_bytes!("../../static/audit.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("runbook.js", include_bytes!("../../static/runbook.js")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("style.css", include_bytes!("../../static/style.css")),
];

/// Where diagnostics say a built-in template lives.
const BUILTIN_PREFIX: &str = "<built-in>";

/// The loaded theme: templates ready to render and the static files to publish.
pub struct Theme {
    tera: Tera,
    static_files: BTreeMap<String, Vec<u8>>,
    /// Template name to the file it came from, for diagnostics.
    origins: BTreeMap<String, PathBuf>,
    /// A hash of every template and static file, for `page_memo`'s keys.
    fingerprint: u64,
}

/// One template's text and the file it came from.
struct TemplateSource {
    text: String,
    /// Relative to the site root for a site's template, `<built-in>/templates/..` else.
    path: PathBuf,
}

impl Theme {
    /// The built-in theme (templates/ and static/ embedded with include_str!/include_bytes!),
    /// with the site's own `<site_root>/templates/<name>.html` and `<site_root>/static/**`
    /// replacing built-in files of the same name, file by file, and adding new ones.
    /// A template that fails to parse is a TEMPLATE diagnostic naming the file and, when
    /// tera gives one, line:col. All problems go to `diagnostics` together, and any of
    /// them means no theme (`None`).
    /// Symlinks and dot-files inside the site's theme folders are not read.
    pub fn load(site_root: &Path, diagnostics: &mut Diagnostics) -> Option<Theme> {
        let mut found = Diagnostics::new();
        let mut sources: BTreeMap<String, TemplateSource> = BUILTIN_TEMPLATES
            .iter()
            .map(|(name, text)| {
                let path = Path::new(BUILTIN_PREFIX).join("templates").join(name);
                let source = TemplateSource {
                    text: (*text).to_string(),
                    path,
                };
                (name.to_string(), source)
            })
            .collect();
        // The site's files replace built-in ones of the same name.
        sources.extend(read_site_templates(site_root, &mut found));
        let mut static_files: BTreeMap<String, Vec<u8>> = BUILTIN_STATIC
            .iter()
            .map(|(name, bytes)| (format!("static/{name}"), bytes.to_vec()))
            .collect();
        static_files.extend(read_site_static(site_root, &mut found));
        found.extend(sources.iter().filter_map(|(name, s)| check_syntax(name, s)));
        // Warnings (a theme file linked from outside the site, skipped) do not stop it.
        let failed = found.has_errors();
        diagnostics.append(found);
        if failed {
            return None;
        }
        let mut tera = Tera::new();
        let texts = sources
            .iter()
            .map(|(name, s)| (name.as_str(), s.text.as_str()));
        if let Err(error) = tera.add_raw_templates(texts) {
            diagnostics.push(combine_diagnostic(&error, &sources));
            return None;
        }
        let fingerprint = theme_fingerprint(&sources, &static_files);
        let origins: BTreeMap<String, PathBuf> = sources
            .into_iter()
            .map(|(name, source)| (name, source.path))
            .collect();
        Some(Theme {
            tera,
            static_files,
            origins,
            fingerprint,
        })
    }

    /// Renders one template; an error names the template and tera's message.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|error| render_diagnostic(template, &error, &self.origins))
    }

    /// Renders one template into a buffer of `capacity` bytes reserved up front, for pages
    /// whose size is known to be large (a scan with thousands of findings): the buffer then
    /// never doubles and copies itself while the page is written.
    pub fn render_bytes(
        &self,
        template: &str,
        context: &Context,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|error| render_diagnostic(template, &error, &self.origins))?;
        Ok(out)
    }

    /// A hash of the theme's files: equal fingerprints render equal pages.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Every static file to publish, keyed by its path relative to the output root
    /// (e.g. "static/style.css"), sorted.
    pub fn static_files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.static_files
    }
}

fn theme_fingerprint(
    sources: &BTreeMap<String, TemplateSource>,
    static_files: &BTreeMap<String, Vec<u8>>,
) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    for (name, source) in sources {
        (name, &source.text, &source.path).hash(&mut hasher);
    }
    static_files.hash(&mut hasher);
    hasher.finish()
}

/// The files under `<site_root>/<folder>`, as (path relative to that folder with forward
/// slashes, full path), sorted. A missing folder has no files.
fn list_site_files(
    site_root: &Path,
    folder: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    // The one walk of the site's folders: links stay inside the site, FIFOs are skipped.
    let is_hidden: fn(&str) -> bool = |name| name.starts_with('.');
    list_site_folder(site_root, folder, is_hidden, diagnostics)
        .into_iter()
        .map(|file| {
            let name = file.relative.to_string_lossy().replace('\\', "/");
            (name, site_root.join(file.source))
        })
        .collect()
}

fn relative_to(site_root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(site_root).unwrap_or(path).to_path_buf()
}

fn read_site_templates(
    site_root: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, TemplateSource)> {
    let mut templates = Vec::new();
    for (name, full_path) in list_site_files(site_root, "templates", diagnostics) {
        if !name.ends_with(".html") {
            continue;
        }
        let path = relative_to(site_root, &full_path);
        match read_regular_file(&full_path).map(String::from_utf8) {
            Ok(Ok(text)) => templates.push((name, TemplateSource { text, path })),
            Ok(Err(_)) => diagnostics.push(
                Diagnostic::error(codes::NOT_UTF8, "template is not valid UTF-8").at(path, None),
            ),
            Err(problem) => diagnostics.push(
                problem
                    .diagnostic(Severity::Error, codes::IO, "the template")
                    .at(path, None),
            ),
        }
    }
    templates
}

fn read_site_static(site_root: &Path, diagnostics: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for (name, full_path) in list_site_files(site_root, "static", diagnostics) {
        match read_regular_file(&full_path) {
            Ok(bytes) => files.push((format!("static/{name}"), bytes)),
            Err(problem) => diagnostics.push(
                problem
                    .diagnostic(Severity::Error, codes::IO, "the static file")
                    .at(relative_to(site_root, &full_path), None),
            ),
        }
    }
    files
}

/// Parses one template on its own, so a syntax error is reported against its own file
/// even when other templates are broken too. Errors that need the other templates
/// (a missing parent, an unknown component) are left to `combine_diagnostic`.
fn check_syntax(name: &str, source: &TemplateSource) -> Option<Diagnostic> {
    let error = Tera::new().add_raw_template(name, &source.text).err()?;
    let ErrorKind::SyntaxError(report) = error.kind() else {
        return None;
    };
    let span = report.span();
    let position = Span::point(
        span.range.start,
        span.start_line as u32,
        span.start_col as u32 + 1,
    );
    Some(
        Diagnostic::error(
            codes::TEMPLATE,
            format!("template `{name}` cannot be parsed: {}", report.message()),
        )
        .at(source.path.clone(), Some(position)),
    )
}

/// A problem found when the templates are put together: a missing parent, an
/// inheritance loop, an unknown filter, block or component.
fn combine_diagnostic(
    error: &tera::Error,
    sources: &BTreeMap<String, TemplateSource>,
) -> Diagnostic {
    let (template, position) = match error.kind() {
        ErrorKind::MissingParent { current, .. } => (Some(current.clone()), None),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            (Some(tpl.clone()), None)
        }
        _ => match report_location(&error.to_string()) {
            Some((name, line, col)) => (Some(name), Some((line, col))),
            None => (None, None),
        },
    };
    let diagnostic = Diagnostic::error(
        codes::TEMPLATE,
        format!("the theme's templates do not fit together: {error}"),
    );
    match template.and_then(|name| sources.get(&name)) {
        Some(source) => {
            let span = position.map(|(line, col)| LineIndex::new(&source.text).point(line, col));
            diagnostic.at(source.path.clone(), span)
        }
        None => diagnostic,
    }
    .with_help("a template in the site's templates/ folder replaces the built-in one of the same name; check the blocks and components it uses")
}

/// The first ` --> name:line:col` in one of tera's reports (the column counts characters).
fn report_location(report: &str) -> Option<(String, u32, u32)> {
    let start = report.find("--> ")? + 4;
    let location = report[start..].lines().next()?.trim();
    let mut parts = location.rsplitn(3, ':');
    let col: u32 = parts.next()?.parse().ok()?;
    let line: u32 = parts.next()?.parse().ok()?;
    let name = parts.next()?.to_string();
    Some((name, line, col))
}

fn render_diagnostic(
    template: &str,
    error: &tera::Error,
    origins: &BTreeMap<String, PathBuf>,
) -> Diagnostic {
    if let ErrorKind::RenderingError(report) = error.kind() {
        let span = report.span();
        let position = Span::point(
            span.range.start,
            span.start_line as u32,
            span.start_col as u32 + 1,
        );
        let failing = report.filename();
        let diagnostic = Diagnostic::error(
            codes::TEMPLATE,
            format!(
                "rendering `{template}` failed in `{failing}`: {}",
                report.message()
            ),
        );
        return match origins.get(failing) {
            Some(path) => diagnostic.at(path.clone(), Some(position)),
            None => diagnostic,
        };
    }
    let mut message = format!("rendering `{template}` failed: {error}");
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        message.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    let diagnostic = Diagnostic::error(codes::TEMPLATE, message);
    match origins.get(template) {
        Some(path) => diagnostic.at(path.clone(), None),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PageKind, Plan, Project};
    use crate::render::highlight::Highlighter;
    use crate::render::views::{
        document_view, home_view, plan_view, site_view, PlanView, ViewContext,
    };
    use crate::test_support::{document_page, plan_page, reference_like_plan, sample_plan};
    use std::fs;

    /// The theme of the site at `site_root`, or every problem that kept it from loading.
    fn load(site_root: &Path) -> Result<Theme, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        Theme::load(site_root, &mut diagnostics).ok_or(diagnostics)
    }

    fn builtin() -> Theme {
        let empty = tempfile::tempdir().expect("temp dir");
        match load(empty.path()) {
            Ok(theme) => theme,
            Err(diagnostics) => panic!("built-in theme failed to load: {diagnostics:?}"),
        }
    }

    fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
        fs::write(path, text).expect("write file");
    }

    fn context(site: &impl serde::Serialize, page: &impl serde::Serialize) -> Context {
        let mut context = Context::new();
        context.insert("site", site);
        context.insert("page", page);
        context
    }

    fn plan_page_view(plan: Plan) -> (Project, PlanView) {
        let page = plan_page("devops", plan.clone());
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: "../../".into(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let view = plan_view(&page, &plan, &ctx, &mut Diagnostics::new());
        let project = Project {
            root: PathBuf::new(),
            pages: crate::test_support::shared_pages(vec![page]),
            ..Project::default()
        };
        (project, view)
    }

    fn render_plan(theme: &Theme, plan: Plan) -> String {
        let (project, view) = plan_page_view(plan);
        let site = site_view(&project, "Ops <Book>", "../../");
        theme
            .render("plan.html", &context(&site, &view))
            .unwrap_or_else(|d| panic!("{}", d.headline()))
    }

    /// `page` through `page.html`, in a site holding only it, seen from `root`.
    fn render_document(theme: &Theme, page: &crate::model::Page, root: &str) -> String {
        let project = Project {
            root: PathBuf::new(),
            pages: crate::test_support::shared_pages(vec![page.clone()]),
            ..Project::default()
        };
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: root.into(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let site = site_view(&project, "Ops", root);
        theme
            .render(
                "page.html",
                &context(&site, &document_view(page, &ctx, &mut Diagnostics::new())),
            )
            .unwrap_or_else(|d| panic!("{}", d.headline()))
    }

    #[test]
    fn builtin_document_template_renders_title_markdown_and_stylesheet_link() {
        let theme = builtin();
        let page = document_page(PageKind::Runbook, "runbooks/restore/index.html", "Restore");
        let html = render_document(&theme, &page, "../../");
        assert!(html.contains("<h1>Restore</h1>"), "{html}");
        assert!(html.contains(r#"href="../../static/style.css""#));
        assert!(html.contains(r#"<a class="site-title" href="../../index.html">Ops</a>"#));
        assert_eq!(
            theme.static_files().keys().collect::<Vec<_>>(),
            [
                "static/audit.js",
                "static/favicon.svg",
                "static/runbook.js",
                "static/search.js",
                "static/style.css"
            ]
        );
    }

    #[test]
    fn site_override_replaces_one_template_and_one_static_file_only() {
        let site = tempfile::tempdir().expect("temp dir");
        write(
            site.path(),
            "templates/page.html",
            r#"{% extends "base.html" %}{% block main %}<p class="custom">{{ page.title }}</p>{% endblock main %}"#,
        );
        write(site.path(), "static/style.css", "body { color: red; }");
        write(site.path(), "static/img/logo.svg", "<svg/>");
        let theme = load(site.path()).unwrap_or_else(|d| panic!("{d:?}"));

        let files = theme.static_files();
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            [
                "static/audit.js",
                "static/favicon.svg",
                "static/img/logo.svg",
                "static/runbook.js",
                "static/search.js",
                "static/style.css"
            ]
        );
        assert_eq!(files["static/style.css"], b"body { color: red; }");

        let page = document_page(PageKind::Page, "about/index.html", "About");
        let html = render_document(&theme, &page, "../");
        assert!(html.contains(r#"<p class="custom">About</p>"#), "{html}");
        // The built-in base.html still frames the overriding page.
        assert!(html.contains(r##"<a class="skip-link" href="#main">"##));
        // The other templates are still the built-in ones.
        let plan_html = render_plan(&theme, sample_plan());
        assert!(plan_html.contains(r#"<section class="epic priority-p0" id="epic-1""#));
    }

    #[test]
    fn broken_override_is_a_template_diagnostic_with_file_and_position() {
        let site = tempfile::tempdir().expect("temp dir");
        write(
            site.path(),
            "templates/plan.html",
            "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title }\n{% endblock main %}\n",
        );
        write(
            site.path(),
            "templates/extra.html",
            "{% if x %}never closed",
        );
        let diagnostics = match load(site.path()) {
            Ok(_) => panic!("broken templates must not load"),
            Err(diagnostics) => diagnostics,
        };
        let headlines: Vec<String> = diagnostics.iter().map(Diagnostic::headline).collect();
        assert_eq!(diagnostics.len(), 2, "{headlines:?}");
        assert!(diagnostics.iter().all(|d| d.code == codes::TEMPLATE));
        assert_eq!(
            diagnostics[1].path.as_deref(),
            Some(Path::new("templates/plan.html"))
        );
        assert_eq!(diagnostics[1].location(), "templates/plan.html:3:15");
        assert!(
            headlines[0].starts_with("templates/extra.html:"),
            "{headlines:?}"
        );
    }

    #[test]
    fn override_that_breaks_inheritance_names_the_file() {
        let site = tempfile::tempdir().expect("temp dir");
        write(
            site.path(),
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block sidebar %}x{% endblock sidebar %}",
        );
        let diagnostics = load(site.path()).err().expect("must fail");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, codes::TEMPLATE);
        assert_eq!(diagnostics[0].location(), "templates/page.html:2:10");
        assert!(diagnostics[0].message.contains("sidebar"));
    }

    #[test]
    fn a_combining_error_points_at_the_byte_offset_of_its_line_and_column() {
        let site = tempfile::tempdir().expect("temp dir");
        let text = "{% extends \"base.html\" %}\n{# é #}{% block sidebar %}x{% endblock sidebar %}";
        write(site.path(), "templates/page.html", text);
        let diagnostics = load(site.path()).err().expect("must fail");
        assert_eq!(diagnostics[0].location(), "templates/page.html:2:17");
        let start = diagnostics[0].span.expect("a span").start;
        assert!(text[start..].starts_with("sidebar %}x"), "{start}");
    }

    #[test]
    fn render_error_names_the_template_and_tera_message() {
        let theme = builtin();
        let error = theme
            .render("plan.html", &Context::new())
            .expect_err("no context");
        assert_eq!(error.code, codes::TEMPLATE);
        assert!(error.message.contains("`plan.html`"), "{}", error.message);
        assert!(error.message.contains("not defined"), "{}", error.message);
        let missing = theme
            .render("nope.html", &Context::new())
            .expect_err("missing");
        assert!(missing.message.contains("nope.html"), "{}", missing.message);
    }

    #[test]
    fn plan_page_has_one_element_per_epic_task_criterion_and_timeline_item() {
        let html = render_plan(&builtin(), sample_plan());
        assert_eq!(html.matches(r#"class="epic "#).count(), 2);
        assert_eq!(html.matches(r#"<article class="task""#).count(), 3);
        assert_eq!(html.matches(r#"class="criterion""#).count(), 3);
        assert_eq!(html.matches(r#"class="timeline-item""#).count(), 3);
        assert_eq!(html.matches(r#"class="timeline-day "#).count(), 1);
        assert!(html.contains(
            r#"<article class="task" id="task-1-1" data-priority="P0" data-eta-minutes="5""#
        ));
        // A task without readable minutes gets no data attribute.
        assert!(
            html.contains(r#"<article class="task" id="task-2-1" data-priority="P1" data-line"#)
        );
        assert!(html.contains(r#"<li class="criterion" data-checked="true">"#));
        assert!(html.contains("1 of 2 done"));
        assert!(
            html.contains("<li>Verify: <code>ufw status</code></li>"),
            "{html}"
        );
        assert!(html.contains(">P0 Critical</span>"));
        // One "Plans" entry, to the plans index, at every width.
        assert!(html.contains(r#"<li><a href="../../plans/index.html">Plans</a></li>"#));
        assert_eq!(html.matches(r#"<a href="../../plans/"#).count(), 1);
    }

    #[test]
    fn model_text_is_escaped_and_no_inline_style_or_script_is_emitted() {
        let html = render_plan(&builtin(), sample_plan());
        assert!(
            html.contains("Security &lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        // Scripts only from files (`<script src>`), never inline.
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script src=").count()
        );
        assert!(!html.contains("style="));
        assert!(html.contains("Ops &lt;Book&gt;"));
    }

    #[test]
    fn sections_no_convention_covers_are_shown_as_written_and_listed() {
        use crate::model::plan::PlanSection;
        use crate::test_support::text;
        let mut plan = sample_plan();
        plan.sections.push(PlanSection {
            title: text("Cheat Sheet"),
            body: text("Run these:\n\n```bash\nbd ready\n```"),
        });
        plan.sections.push(PlanSection {
            title: text("Overview"),
            body: text("A second overview, in *prose*."),
        });
        let html = render_plan(&builtin(), plan);
        assert!(
            html.contains(r#"<section class="plan-section" id="section-cheat-sheet""#),
            "{html}"
        );
        assert!(html.contains(r#"<h2 id="section-cheat-sheet-heading">Cheat Sheet</h2>"#));
        assert!(html.contains(r#"<pre class="code" data-lang="bash">"#));
        assert!(html.contains(r##"<a href="#section-cheat-sheet">Cheat Sheet</a>"##));
        // An id the page already uses is not taken twice.
        assert!(html.contains(r#"id="section-overview""#));
        assert!(html.matches(r#"id="overview""#).count() <= 1);
        assert!(html.contains("<em>prose</em>"));
        // After the epics, before the timeline.
        let epic = html.rfind(r#"<section class="epic"#).unwrap();
        let section = html.find(r#"id="section-cheat-sheet""#).unwrap();
        let timeline = html.find(r#"id="timeline""#).unwrap();
        assert!(epic < section && section < timeline);
    }

    #[test]
    fn reference_like_plan_renders_every_section() {
        let html = render_plan(&builtin(), reference_like_plan());
        assert_eq!(html.matches(r#"<section class="epic "#).count(), 6);
        assert_eq!(html.matches(r#"<article class="task""#).count(), 21);
        assert_eq!(html.matches(r#"class="timeline-day "#).count(), 7);
        assert_eq!(html.matches(r#"<li class="metric""#).count(), 7);
        assert!(html.contains(r#"<figure class="dependency-map" id="dependencies">"#));
        assert!(html.contains("E1[Epic 1: Security] --&gt; E2[Epic 2: Production]"));
        assert!(html.contains("📊 Priority Distribution"));
        assert!(html.contains(r#"<section class="critical-path" id="critical-path""#));
        assert!(html.contains("<strong>Next Action:</strong>"));
        assert!(!html.contains("style="));
    }

    #[test]
    fn home_page_shows_plan_cards_and_grouped_links() {
        let theme = builtin();
        let project = Project {
            root: PathBuf::new(),
            pages: crate::test_support::shared_pages(vec![
                document_page(PageKind::Page, "index.html", "Welcome"),
                plan_page("devops", sample_plan()),
                document_page(PageKind::Audit, "audits/q1/index.html", "Q1 audit"),
            ]),
            ..Project::default()
        };
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: String::new(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let home = home_view(&project, Some(&project.pages[0]), &ctx);
        let site = site_view(&project, "Ops", "");
        let html = theme
            .render("home.html", &context(&site, &home))
            .unwrap_or_else(|d| panic!("{}", d.headline()));
        assert!(
            html.contains(r#"<a href="plans/devops/index.html">Sample Plan</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"id="audits""#));
        assert!(html.contains(r#"<a href="audits/q1/index.html">Q1 audit</a>"#));
        assert!(html.contains("1 day"));
        assert!(html.contains("2 tasks"));
    }

    #[test]
    fn unstructured_plan_document_shows_the_note() {
        let html = render_document(&builtin(), &plan_page("notes", Plan::default()), "../../");
        assert!(html.contains(r#"<p class="note" role="note">The plan conventions were not found"#));
    }

    /// A runbook page and the home page of a small site, as the theme draws them: the
    /// runbook's metadata, its prose as markdown gave it (code in syntect's class markup,
    /// a table, a quote) and the home page's links to every kind of page. (This was an
    /// ignored tool that wrote these pages into the temp folder for screenshots; for a
    /// look at the theme, `opsbook serve` any site.)
    #[test]
    fn a_runbook_page_and_the_home_page_render_their_parts() {
        let theme = builtin();
        let mut runbook = document_page(
            PageKind::Runbook,
            "runbooks/restore/index.html",
            "Restore <db>",
        );
        runbook.front_matter.owner = Some("sre-team".into());
        runbook.front_matter.severity = Some("high".into());
        runbook.front_matter.description = Some("Restore the database from R2.".into());
        let project = Project {
            root: PathBuf::new(),
            pages: crate::test_support::shared_pages(vec![
                document_page(PageKind::Page, "index.html", "Operations handbook"),
                plan_page("x", reference_like_plan()),
                runbook.clone(),
                plan_page("notes", Plan::default()),
            ]),
            ..Project::default()
        };
        let highlighter = Highlighter::new();
        let home_ctx = ViewContext {
            highlighter: &highlighter,
            root: String::new(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let home = home_view(&project, Some(&project.pages[0]), &home_ctx);
        let home_html = theme
            .render(
                "home.html",
                &context(&site_view(&project, "Ops", ""), &home),
            )
            .unwrap_or_else(|d| panic!("{}", d.headline()));
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: "../../".into(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let mut view = document_view(&runbook, &ctx, &mut Diagnostics::new());
        view.content_html = PREVIEW_PROSE.to_string();
        let html = theme
            .render(
                "page.html",
                &context(&site_view(&project, "Ops", "../../"), &view),
            )
            .unwrap_or_else(|d| panic!("{}", d.headline()));
        assert_eq!(
            home_html
                .matches(r#"<article class="card plan-card">"#)
                .count(),
            1
        );
        assert!(home_html.contains(r#"<h3 class="card-title"><a href="plans/x/index.html">"#));
        assert!(home_html.contains(r#"<li><a href="plans/notes/index.html">notes</a></li>"#));
        assert!(home_html.contains(
            r#"<li><a href="runbooks/restore/index.html">Restore &lt;db&gt;</a><span class="link-description">Restore the database from R2.</span></li>"#
        ));
        assert!(html.contains(r#"<body class="page-document kind-runbook">"#));
        assert!(html.contains("<h1>Restore &lt;db&gt;</h1>"), "{html}");
        assert!(html.contains(r#"<p class="lede">Restore the database from R2.</p>"#));
        assert!(html.contains(r#"<div class="fact"><dt>Severity</dt><dd>high</dd></div>"#));
        assert!(html.contains(r#"<div class="fact"><dt>Owner</dt><dd>sre-team</dd></div>"#));
        assert!(
            html.contains(&format!("<div class=\"prose\">\n{PREVIEW_PROSE}\n  </div>")),
            "{html}"
        );
    }

    /// Markdown output as the pipeline will give it, with syntect's scope classes.
    const PREVIEW_PROSE: &str = r#"<h2>Steps</h2>
<p>Stop writes first, then restore. See <a href="https://example.com/docs">the docs</a>.</p>
<pre class="code"><code><span class="source shell bash"><span class="comment line number-sign shell"><span class="punctuation definition comment begin shell">#</span> stop the api</span>
<span class="meta function-call shell"><span class="variable function shell">docker</span></span> stop api <span class="keyword operator logical and shell">&amp;&amp;</span> <span class="support function echo shell">echo</span> <span class="string quoted double shell"><span class="punctuation definition string begin shell">"</span>stopped <span class="variable other readwrite shell">$HOST</span><span class="punctuation definition string end shell">"</span></span>
<span class="storage type function shell">function</span> <span class="entity name function shell">restore</span> <span class="punctuation section braces begin shell">{</span> pg_restore <span class="constant numeric integer shell">42</span><span class="punctuation section braces end shell">}</span>
</span></code></pre>
<table><thead><tr><th>Step</th><th>Owner</th><th>RTO</th></tr></thead><tbody><tr><td>Stop writes</td><td>on-call</td><td>5 min</td></tr><tr><td>Restore</td><td>DBA</td><td>25 min</td></tr></tbody></table>
<blockquote><p>Never restore over the only copy.</p></blockquote>
"#;
}

#[cfg(test)]
mod stylesheet_tests {
    /// Sections of the stylesheet are written by different people; an unclosed rule
    /// silently swallows every rule after it, so keep the braces balanced.
    #[test]
    fn built_in_stylesheet_has_balanced_braces_outside_comments() {
        let css = include_str!("../../static/style.css");
        let mut depth = 0i32;
        let mut rest = css;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("/*") {
                let end = rest.find("*/").expect("comment is closed");
                rest = &rest[end + 2..];
                continue;
            }
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "a `}}` closes nothing");
            rest = &rest[c.len_utf8()..];
        }
        assert_eq!(depth, 0, "a rule is never closed");
    }
}
