//! Correctness of `serve` across edits: random sequences of edits (add a runbook, change
//! a title, change a body, rename, delete, break the front matter and fix it) on a small
//! site, each followed by serve's rebuild, must leave the served site equal to a clean
//! build of the same sources, with every file whose bytes changed marked with the new
//! generation (so its open page reloads) and every unchanged page keeping its own.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use super::pdf_memory::MemoryPdfStore;
use super::LiveSite;
use crate::output::MemorySite;
use crate::pipeline::{self, BuildOptions, Mode};
use crate::render::pdf_store::PdfStore;

/// A small linear congruential generator: the sequences are random but repeatable.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % sides as u64) as usize
    }
}

fn runbook(title: &str, body: &str) -> String {
    format!(
        "---\nkind: runbook\nowner: sre\n---\n# {title}\n\n## Symptoms\n\n- {body}\n\n\
         ## Mitigation\n\n1. Check the [index](../index.md).\n2. Restart the service.\n"
    )
}

fn write_tree(root: &Path, files: &BTreeMap<String, String>) {
    for (path, text) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// The site a clean serve build of `files` makes.
fn clean_build(files: &BTreeMap<String, String>) -> Option<MemorySite> {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), files);
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        ..BuildOptions::default()
    };
    pipeline::run(&options, &Mode::Serve).site
}

/// Applies one random edit to `files` and says what it was.
fn edit(files: &mut BTreeMap<String, String>, dice: &mut Dice, step: usize) -> String {
    let runbooks: Vec<String> = files
        .keys()
        .filter(|p| p.starts_with("content/runbooks/"))
        .cloned()
        .collect();
    let pick = runbooks.get(dice.roll(runbooks.len().max(1))).cloned();
    match (dice.roll(6), pick) {
        (0, _) | (_, None) => {
            let path = format!("content/runbooks/new-{step}.md");
            files.insert(path.clone(), runbook(&format!("New {step}"), "fresh"));
            format!("add {path}")
        }
        (1, Some(path)) => {
            let body = files[&path].split("- ").nth(1).unwrap_or("x\n").to_string();
            let body = body.lines().next().unwrap_or("x").to_string();
            files.insert(path.clone(), runbook(&format!("Retitled {step}"), &body));
            format!("retitle {path}")
        }
        (2, Some(path)) => {
            let text = files[&path].replace("Restart the service.", &format!("Step {step}."));
            files.insert(
                path.clone(),
                text.replace("Step ", &format!("Step {step} ")),
            );
            format!("change body of {path}")
        }
        (3, Some(path)) => {
            let text = files.remove(&path).unwrap();
            let renamed = format!("content/runbooks/renamed-{step}.md");
            files.insert(renamed.clone(), text);
            format!("rename {path} to {renamed}")
        }
        (4, Some(path)) if runbooks.len() > 1 => {
            files.remove(&path);
            format!("delete {path}")
        }
        (_, Some(path)) => {
            let text = files[&path].replacen("kind: runbook", "kind: [runbook", 1);
            files.insert(path.clone(), text);
            format!("break {path}")
        }
    }
}

#[test]
fn after_every_random_edit_the_served_site_equals_a_clean_build() {
    let site = tempfile::tempdir().unwrap();
    let mut files = BTreeMap::new();
    files.insert(
        "content/index.md".to_string(),
        "# Ops\n\nSee the [runbooks](runbooks/).\n".to_string(),
    );
    for (slug, title) in [("db-down", "Database down"), ("disk-full", "Disk full")] {
        files.insert(
            format!("content/runbooks/{slug}.md"),
            runbook(title, "alerts fire"),
        );
    }
    let store: Arc<dyn PdfStore> = Arc::new(MemoryPdfStore::default());
    let live = LiveSite::default();
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        pdf_store: Some(Arc::clone(&store)),
        ..BuildOptions::default()
    };
    let mut dice = Dice(14);
    let mut broken: Vec<String> = Vec::new();
    for step in 0..24 {
        // Half the time a broken file is fixed again first.
        let what = match broken.pop() {
            Some(path) if dice.roll(2) == 0 && files.contains_key(&path) => {
                let fixed = files[&path].replacen("kind: [runbook", "kind: runbook", 1);
                files.insert(path.clone(), fixed);
                format!("fix {path}")
            }
            other => {
                broken.extend(other);
                edit(&mut files, &mut dice, step)
            }
        };
        if let Some(path) = what.strip_prefix("break ") {
            broken.push(path.to_string());
        }
        let _ = fs::remove_dir_all(site.path().join("content"));
        write_tree(site.path(), &files);
        let before = live.snapshot();
        let outcome = pipeline::run(&options, &Mode::Serve);
        match outcome.site {
            Some(served) => live.publish_site(served, outcome.on_demand_pdfs),
            None => live.publish_failure(String::new()),
        }
        let after = live.snapshot();
        let clean = clean_build(&files);
        assert_eq!(
            clean.is_some(),
            after.failure.is_none(),
            "step {step} ({what}): serve and a clean build disagree on failing"
        );
        let Some(clean) = clean else {
            continue;
        };
        let served = after.site.as_deref().unwrap();
        assert_eq!(served, &clean, "step {step} ({what}): served site differs");
        for (path, bytes) in served.files() {
            let unchanged = before.site.as_deref().and_then(|s| s.get(path)) == Some(bytes);
            let generation = after.page_generation(path);
            if unchanged && path.ends_with(".html") {
                assert_eq!(
                    generation,
                    before
                        .page_generation(path)
                        .max(after.shared_files_generation),
                    "step {step} ({what}): unchanged {path} would reload"
                );
            } else if !unchanged {
                assert_eq!(
                    generation, after.generation,
                    "step {step} ({what}): changed {path} would not reload"
                );
            }
        }
    }
}

#[test]
fn a_served_pdf_is_the_built_pdf_and_is_made_once_per_runbook_version() {
    let site = tempfile::tempdir().unwrap();
    let mut files = BTreeMap::new();
    files.insert(
        "content/runbooks/db-down.md".to_string(),
        runbook("Database down", "alerts fire"),
    );
    write_tree(site.path(), &files);
    let out = site.path().join("public");
    let built = pipeline::run(
        &BuildOptions {
            root: site.path().to_path_buf(),
            ..BuildOptions::default()
        },
        &Mode::Build { out: out.clone() },
    );
    assert!(built.succeeded(), "{:?}", built.diagnostics);
    let pdf = fs::read(out.join("runbooks/db-down/db-down.pdf")).unwrap();
    let store = Arc::new(MemoryPdfStore::default());
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        pdf_store: Some(store.clone() as Arc<dyn PdfStore>),
        ..BuildOptions::default()
    };
    let served = pipeline::run(&options, &Mode::Serve);
    let site_files = served.site.unwrap();
    assert!(
        site_files.get("runbooks/db-down/db-down.pdf").is_none(),
        "serve makes no PDF before it is asked for"
    );
    let pdfs = served.on_demand_pdfs.unwrap();
    let made = pdfs.pdf("runbooks/db-down/db-down.pdf").unwrap().unwrap();
    assert_eq!(made, pdf);
    assert!(pdfs.pdf("runbooks/nothing/nothing.pdf").is_none());
    // A second build without changes finds it kept (the store holds one per runbook).
    let again = pipeline::run(&options, &Mode::Serve)
        .on_demand_pdfs
        .unwrap();
    assert_eq!(
        again.pdf("runbooks/db-down/db-down.pdf").unwrap().unwrap(),
        pdf
    );
}
