//! `opsbook export beads PLAN`: the plan as the JSON `bd create --graph` takes, on stdout.
//! The site is loaded as for a build (so the plan is read exactly as its page is), then
//! the page at PLAN is turned into a graph plan by `output::beads_graph`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::report;
use crate::diagnostics::{codes, display_path, Diagnostic, Diagnostics};
use crate::model::Project;
use crate::output::beads_graph::plan_graph;
use crate::pipeline;

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub format: ExportFormat,
}

#[derive(Debug, Subcommand)]
pub enum ExportFormat {
    /// The plan as a `bd create --graph` file: epics and tasks as nodes, parent links and
    /// the dependency map as edges.
    Beads(BeadsExportArgs),
}

#[derive(Debug, Args)]
pub struct BeadsExportArgs {
    /// The plan's markdown file (e.g. `content/plans/devops.md`), relative to the site
    /// root or to the current folder.
    pub plan: PathBuf,
    /// The site root: the folder that holds `content/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &ExportArgs) -> ExitCode {
    match &args.format {
        ExportFormat::Beads(args) => export_beads(args),
    }
}

fn export_beads(args: &BeadsExportArgs) -> ExitCode {
    let loaded = pipeline::load(&args.root);
    let Some(source) = page_source(&loaded.project, &args.root, &args.plan) else {
        let diagnostic = not_a_plan(&args.plan, "is not a page of the site");
        report::print_diagnostics(&diagnostic.into(), &loaded.sources);
        return ExitCode::from(1);
    };
    let own: Diagnostics = loaded
        .diagnostics
        .iter()
        .filter(|d| d.path.as_deref() == Some(source.as_path()))
        .cloned()
        .collect();
    report::print_diagnostics(&own, &loaded.sources);
    let page = loaded.project.pages.iter().find(|p| p.source == source);
    let Some(plan) = page
        .and_then(|p| p.plan.as_ref())
        .filter(|p| p.is_structured())
    else {
        let diagnostic = not_a_plan(&source, "has no epics or tasks to export");
        report::print_diagnostics(&diagnostic.into(), &loaded.sources);
        return ExitCode::from(1);
    };
    let map_graph = plan.dependency_map.as_ref().and_then(|m| m.graph.as_ref());
    let (graph, notes) = plan_graph(plan, map_graph);
    for edge in &notes.skipped_edges {
        eprintln!("note: dependency-map edge `{edge}` does not join two epics; not exported");
    }
    if plan.dependency_map.is_some() && map_graph.is_none() {
        eprintln!("note: the dependency map could not be read as a flowchart; only parent links are exported");
    }
    match serde_json::to_string_pretty(&graph) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot serialise the graph plan: {error}");
            ExitCode::from(1)
        }
    }
}

/// The page's source path (relative to the root) for PLAN given either relative to the
/// site root or as a path from the current folder.
fn page_source(project: &Project, root: &Path, plan: &Path) -> Option<PathBuf> {
    let canonical = |path: &Path| path.canonicalize().ok();
    let wanted = canonical(plan).or_else(|| canonical(&root.join(plan)))?;
    project
        .pages
        .iter()
        .find(|page| canonical(&root.join(&page.source)).as_ref() == Some(&wanted))
        .map(|page| page.source.clone())
}

fn not_a_plan(path: &Path, what: &str) -> Diagnostic {
    Diagnostic::error(
        codes::EXPORT_NOT_A_PLAN,
        format!("`{}` {what}", display_path(path)),
    )
    .at(path.to_path_buf(), None)
    .with_help("name a plan under `content/plans/` (or a page with `kind: plan`) that has `## Epic N:` sections with `bd create` tasks")
}
