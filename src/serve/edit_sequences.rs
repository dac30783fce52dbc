//! Correctness of `serve` across edits: random sequences of edits (add a runbook, change
//! a title, change a body, rename, delete, break the front matter and fix it) on a small
//! site, each followed by serve's rebuild, must leave the served site equal to a clean
//! build of the same sources, with every file whose bytes changed marked with the new
//! generation (so its open page reloads) and every unchanged page keeping its own.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::pdf_memory::MemoryPdfStore;
use super::LiveSite;
use crate::output::MemorySite;
use crate::pipeline::{self, BuildOptions, Mode, ServeMemory};
use crate::test_support::Lcg;

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

/// Gives each file of `files` under `root` a modification time in the past, the same as
/// the last time while its text is the same and a later one when it changed, as an
/// editor leaves them: serve then reuses unchanged pages without reading them (their
/// times are old enough to trust), which is what this test must cover too.
fn stamp_files(root: &Path, files: &BTreeMap<String, String>, stamps: &mut FileTimes) {
    let epoch = SystemTime::now() - Duration::from_secs(24 * 3600);
    for (path, text) in files {
        let next = stamps.clock + 1;
        let (kept_text, second) = stamps
            .by_path
            .entry(path.clone())
            .or_insert_with(|| (text.clone(), next));
        if kept_text != text {
            *kept_text = text.clone();
            *second = next;
        }
        stamps.clock = stamps.clock.max(*second);
        let file = fs::File::options()
            .write(true)
            .open(root.join(path))
            .unwrap();
        file.set_modified(epoch + Duration::from_secs(*second))
            .unwrap();
    }
}

/// The text each file had when its time was last set, and that time (seconds after the
/// epoch of `stamp_files`).
#[derive(Default)]
struct FileTimes {
    by_path: BTreeMap<String, (String, u64)>,
    clock: u64,
}

/// The files of the fixture folders `folders` (under `tests/fixtures/`), merged; a path
/// two folders both have keeps the first one's file.
fn fixture_files(folders: &[&str]) -> BTreeMap<String, String> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = BTreeMap::new();
    for folder in folders {
        let root = fixtures.join(folder);
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let relative = entry.path().strip_prefix(&root).unwrap();
                let text = fs::read_to_string(entry.path()).unwrap();
                files
                    .entry(relative.to_string_lossy().replace('\\', "/"))
                    .or_insert(text);
            }
        }
    }
    files
}

/// What one build of `files` gives: the site when it built, and every diagnostic.
fn build_of(
    root: &Path,
    options: &BuildOptions,
) -> (Option<MemorySite>, crate::diagnostics::Diagnostics) {
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..options.clone()
    };
    let outcome = pipeline::run(&options, &Mode::Serve);
    (outcome.site, outcome.diagnostics)
}

/// The site a clean serve build of `files` makes, with its diagnostics.
fn clean_build(
    files: &BTreeMap<String, String>,
) -> (Option<MemorySite>, crate::diagnostics::Diagnostics) {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), files);
    build_of(dir.path(), &BuildOptions::default())
}

/// The `# ` title line of a markdown text, if it has one.
fn title_line(text: &str) -> Option<&str> {
    text.lines().find(|line| line.starts_with("# "))
}

/// Applies one random edit to `files` and says what it was. The edits reach every kind
/// of input a page can be made from: its own text and title, other pages (added,
/// renamed, deleted, broken), the tracker, the configuration, a template and the alert
/// rules.
fn edit(files: &mut BTreeMap<String, String>, dice: &mut Lcg, step: usize) -> String {
    let pages: Vec<String> = files
        .keys()
        .filter(|p| p.starts_with("content/") && p.ends_with(".md"))
        .cloned()
        .collect();
    let path = pages[dice.below(pages.len())].clone();
    match dice.below(11) {
        0 | 1 => {
            let text = files.get_mut(&path).unwrap();
            text.push_str(&format!(
                "\nEdited in step {step}, see [the plan](/plans/).\n"
            ));
            format!("change body of {path}")
        }
        2 => {
            let text = &files[&path];
            let edited = match title_line(text) {
                Some(line) => text.replacen(line, &format!("# Retitled {step}"), 1),
                None => format!("# Titled {step}\n\n{text}"),
            };
            files.insert(path.clone(), edited);
            format!("retitle {path}")
        }
        3 => {
            let text = files.remove(&path).unwrap();
            let folder = path
                .rsplit_once('/')
                .map_or("content", |(folder, _)| folder);
            let renamed = format!("{folder}/renamed-{step}.md");
            files.insert(renamed.clone(), text);
            format!("rename {path} to {renamed}")
        }
        4 if pages.len() > 4 => {
            files.remove(&path);
            format!("delete {path}")
        }
        4 | 5 => {
            let target = format!("content/runbooks/db/new-{step}.md");
            files.insert(target.clone(), runbook(&format!("New {step}"), "fresh"));
            format!("add {target}")
        }
        6 => {
            let tracker = files.get_mut(".beads/issues.jsonl").unwrap();
            let flipped = if dice.below(2) == 0 {
                tracker.replacen("\"status\":\"in_progress\"", "\"status\":\"closed\"", 1)
            } else {
                tracker.replacen("\"status\":\"closed\"", "\"status\":\"in_progress\"", 1)
            };
            *tracker = flipped;
            "flip a tracker status".to_string()
        }
        7 => {
            let config = format!("title = \"Ops {step}\"\n");
            if files.remove("opsbook.toml").is_none() {
                files.insert("opsbook.toml".to_string(), config);
            }
            "change opsbook.toml".to_string()
        }
        8 => {
            let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/page.html");
            let template = fs::read_to_string(theme).unwrap();
            files.insert(
                "templates/page.html".to_string(),
                template.replace("</body>", &format!("<!-- step {step} --></body>")),
            );
            "change the page template".to_string()
        }
        9 => {
            let rules = files.get_mut("alerts/db.rules.yaml").unwrap();
            *rules = rules.replacen("alert: PostgresDown", "alert: PostgresIsDown", 1);
            "rename an alert".to_string()
        }
        _ => {
            let text = files[&path].replacen("---\n", "---\nkind: [runbook\n", 1);
            files.insert(path.clone(), text);
            format!("break {path}")
        }
    }
}

/// Random edits of a site holding runbooks with alert rules, a plan with its tracker,
/// Hugo sections and plain pages; after each, serve's rebuild (reusing the pages and
/// PDFs of the builds before) must equal a clean build, site and diagnostics.
fn run_edit_sequence(seed: u64, steps: usize) {
    let site = tempfile::tempdir().unwrap();
    let mut files = fixture_files(&["alerts/site", "beads/status", "hugo/site"]);
    files.remove("content/_index.md");
    let memory = ServeMemory::new(Arc::new(MemoryPdfStore::default()));
    let live = LiveSite::default();
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        serve_memory: Some(memory.clone()),
        ..BuildOptions::default()
    };
    let mut times = FileTimes::default();
    write_tree(site.path(), &files);
    stamp_files(site.path(), &files, &mut times);
    let (first, diagnostics) = build_of(site.path(), &options);
    assert!(first.is_some(), "the starting site builds: {diagnostics:?}");
    live.publish_site(first.unwrap(), None);
    let mut dice = Lcg(seed);
    let mut broken: Vec<String> = Vec::new();
    let mut reused = 0;
    let mut reused_reads = 0;
    let mut compared = 0;
    for step in 0..steps {
        // Half the time a broken file is fixed again first.
        let what = match broken.pop() {
            Some(path) if dice.below(2) == 0 && files.contains_key(&path) => {
                let fixed = files[&path].replacen("kind: [runbook\n", "", 1);
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
        for folder in ["content", "templates", "alerts", ".beads"] {
            let _ = fs::remove_dir_all(site.path().join(folder));
        }
        let _ = fs::remove_file(site.path().join("opsbook.toml"));
        write_tree(site.path(), &files);
        stamp_files(site.path(), &files, &mut times);
        let before = live.snapshot();
        let outcome = pipeline::run(&options, &Mode::Serve);
        match outcome.site {
            Some(served) => live.publish_site(served, outcome.on_demand_pdfs),
            None => live.publish_failure(String::new()),
        }
        let after = live.snapshot();
        let (clean, clean_diagnostics) = clean_build(&files);
        assert_eq!(
            outcome.diagnostics, clean_diagnostics,
            "seed {seed} step {step} ({what}): diagnostics differ"
        );
        assert_eq!(
            clean.is_some(),
            after.failure.is_none(),
            "seed {seed} step {step} ({what}): serve and a clean build disagree on failing"
        );
        reused_reads += memory.read.last_counts().reused;
        reused += memory.render.pages.last_counts().reused;
        let Some(clean) = clean else {
            continue;
        };
        compared += 1;
        let served = after.site.as_deref().unwrap();
        for (path, bytes) in clean.files() {
            assert_eq!(
                served.get(path).map(String::from_utf8_lossy),
                Some(String::from_utf8_lossy(bytes)),
                "seed {seed} step {step} ({what}): served {path} differs"
            );
        }
        assert_eq!(
            served, &clean,
            "seed {seed} step {step} ({what}): served site differs"
        );
        for (path, bytes) in served.files() {
            let unchanged = before.site.as_deref().and_then(|s| s.get(path)) == Some(bytes);
            let generation = after.page_generation(path);
            if unchanged && path.ends_with(".html") {
                assert_eq!(
                    generation,
                    before
                        .page_generation(path)
                        .max(after.shared_files_generation),
                    "seed {seed} step {step} ({what}): unchanged {path} would reload"
                );
            } else if !unchanged {
                assert_eq!(
                    generation, after.generation,
                    "seed {seed} step {step} ({what}): changed {path} would not reload"
                );
            }
        }
    }
    assert!(reused > 0, "seed {seed}: no rendered page was reused");
    assert!(reused_reads > 0, "seed {seed}: no page read was reused");
    assert!(
        compared * 2 > steps,
        "seed {seed}: only {compared} of {steps} steps built"
    );
}

#[test]
fn after_every_random_edit_the_served_site_equals_a_clean_build() {
    for seed in [14, 15, 16, 17] {
        run_edit_sequence(seed, 40);
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
        serve_memory: Some(ServeMemory::new(store.clone())),
        ..BuildOptions::default()
    };
    let served = pipeline::run(&options, &Mode::Serve);
    // The page links a PDF serve has not made yet: the link is good all the same.
    assert!(
        served
            .diagnostics
            .iter()
            .all(|d| !d.message.contains(".pdf")),
        "{:?}",
        served.diagnostics
    );
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
