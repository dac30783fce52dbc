//! The one place that sequences the stages: ingest, render, write. `build` and
//! `dump-model` share it (and so will `check` and `serve`).
//!
//! A build that finds any error writes nothing: the previous output stays byte-identical.

use std::path::{Path, PathBuf};

use crate::diagnostics::{codes, display_path, sort_diagnostics, Diagnostic, SourceCache};
use crate::ingest::{self, Loaded};
use crate::output::Staging;
use crate::render::views::RunbookOptions;
use crate::render::{self, RenderOptions};

/// What a build needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `content/`, optionally `templates/` and `static/`).
    pub root: PathBuf,
    /// The output folder, replaced as a whole when the build succeeds.
    pub out: PathBuf,
    /// Runbook settings: review interval, reference date, PDF paper.
    pub runbooks: RunbookOptions,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildOutcome {
    /// Every diagnostic, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceCache,
    /// Files written into the output (pages, static files, assets); 0 when nothing was
    /// written.
    pub files_written: usize,
}

impl BuildOutcome {
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads the site into the model; stops before rendering.
pub fn load(root: &Path) -> Loaded {
    let mut loaded = ingest::load_project(root);
    sort_diagnostics(&mut loaded.diagnostics);
    loaded
}

/// Builds the site: load, render into a staging folder, swap it in.
pub fn build(options: &BuildOptions) -> BuildOutcome {
    let Loaded {
        project,
        mut diagnostics,
        sources,
    } = ingest::load_project(&options.root);
    let mut outcome = BuildOutcome {
        sources,
        ..BuildOutcome::default()
    };
    if let Err(diagnostic) = check_output_location(&options.root, &options.out) {
        diagnostics.push(diagnostic);
    }
    if !diagnostics.iter().any(Diagnostic::is_error) {
        match write_site(&project, options, &mut diagnostics) {
            Ok(count) => outcome.files_written = count,
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    sort_diagnostics(&mut diagnostics);
    outcome.diagnostics = diagnostics;
    outcome
}

/// Renders every file into staging and commits only if nothing failed.
fn write_site(
    project: &crate::model::Project,
    options: &BuildOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<usize, Diagnostic> {
    let staging = Staging::create(&options.out)?;
    let mut written = 0usize;
    let mut write = |path: &Path, bytes: &[u8]| {
        written += 1;
        staging.write(path, bytes)
    };
    let render_options = RenderOptions {
        runbooks: options.runbooks.clone(),
        ..RenderOptions::default()
    };
    let render_diagnostics = render::render_site(project, &render_options, &mut write);
    let failed = render_diagnostics.iter().any(Diagnostic::is_error);
    diagnostics.extend(render_diagnostics);
    if failed {
        return Ok(0);
    }
    staging.commit()?;
    Ok(written)
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
