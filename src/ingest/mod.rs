//! Ingest stage: the files under `content/` in, the typed `model::Project` plus
//! diagnostics out. Each page is read, checked for UTF-8, repaired if it is mojibake,
//! split into front matter and body, classified by folder or `kind:`, read into the plan
//! or runbook model when it is one, and its mermaid blocks read into flowcharts. Problems
//! are collected for all files, not just the first.

pub mod alerts;
pub mod audit;
pub mod beads;
pub mod diagrams;
pub mod discover;
pub mod duration;
pub mod encoding;
pub mod front_matter;
pub mod mermaid;
pub mod outline;
pub mod page_memo;
pub mod page_path;
pub mod plan;
pub mod runbook;
pub mod shortcodes;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::diagnostics::{codes, Diagnostic, Diagnostics, Severity, SourceCache};
use crate::memo::MemoRound;
use crate::model::span::LineIndex;
use crate::model::{Asset, Page, PageKind, Project};
use crate::site_files;
use crate::timings::StageTimer;
use discover::{ContentFile, FileRole};

/// What ingest gives the later stages: the project (possibly partial when there were
/// errors), every diagnostic, and the source texts the diagnostics point into.
#[derive(Debug, Default)]
pub struct Loaded {
    pub project: Project,
    pub diagnostics: Diagnostics,
    pub sources: SourceCache,
}

/// Reads the whole site under `root`.
pub fn load_project(root: &Path) -> Loaded {
    load_project_reusing(root, None)
}

/// As `load_project`, but takes each page whose file is unchanged from `memo` (the
/// pages `serve` read in its last build) instead of reading it again.
pub fn load_project_reusing(root: &Path, memo: Option<&page_memo::ReadMemo>) -> Loaded {
    let mut diagnostics = Diagnostics::new();
    let mut timer = StageTimer::from_env();
    let files = discover::discover_content(root, &mut diagnostics);
    timer.lap("  ingest: discover");
    let mut loaded = Loaded {
        project: Project {
            root: root.to_path_buf(),
            ..Project::default()
        },
        ..Loaded::default()
    };
    // The tracker is read first, so plans can join their work items to it; its
    // diagnostics still come after the pages'.
    let mut tracker_diagnostics = Diagnostics::new();
    let tracker = beads::load_tracker(
        root,
        &beads::TrackerOptions::default(),
        &mut tracker_diagnostics,
    );
    let tracker_index = tracker.as_ref().map(beads::TrackerIndex::new);
    let memo = memo.map(|memo| (memo.round(), page_memo::tracker_key(tracker.as_ref())));
    // Pages are independent of each other: parsed in parallel, each into a collector of
    // its own, and kept (with their diagnostics) in discovery order.
    let pages: Vec<(Option<Arc<Page>>, Diagnostics)> = files
        .par_iter()
        .filter(|file| file.role == FileRole::Page)
        .map(|file| {
            let mut found = Diagnostics::new();
            (
                load_page(
                    root,
                    file,
                    tracker_index.as_ref(),
                    memo.as_ref().map(|(round, key)| (round, *key)),
                    &mut found,
                ),
                found,
            )
        })
        .collect();
    timer.lap("  ingest: pages");
    drop(tracker_index);
    drop(memo);
    for (page, found) in pages {
        diagnostics.append(found);
        if let Some(page) = page {
            loaded
                .sources
                .insert(page.source.clone(), page.text.clone());
            loaded.project.pages.push(page);
        }
    }
    for file in files.iter().filter(|file| file.role == FileRole::Asset) {
        if audit::is_audit_candidate(file) {
            match audit::read_audit_file(root, file, &mut loaded.sources, &mut diagnostics) {
                Some(audit::AuditFile::Scan(scan)) => loaded.project.audits.push(scan),
                Some(audit::AuditFile::Vex(document)) => loaded.project.vex.push(document),
                None => {}
            }
        }
        loaded.project.assets.push(Asset {
            source: file.source.clone(),
            output: file.relative.clone(),
            text: read_asset_text(root, &file.source, &mut diagnostics),
        });
    }
    let pages = &loaded.project.pages;
    let reports = pages.iter().filter(|page| page.kind == PageKind::Audit);
    let reports: Vec<_> = reports
        .filter_map(|page| audit::report::read_report(page, &mut diagnostics))
        .collect();
    loaded.project.audits.extend(reports);
    loaded
        .project
        .audits
        .sort_by(|a, b| a.source.cmp(&b.source));
    timer.lap("  ingest: source cache, assets, audit reports");
    find_output_clashes(&loaded.project, &mut diagnostics);
    timer.lap("  ingest: output path clashes");
    loaded.project.tracker = tracker;
    diagnostics.append(tracker_diagnostics);
    loaded.diagnostics = diagnostics;
    loaded
}

fn load_page(
    root: &Path,
    file: &ContentFile,
    tracker: Option<&beads::TrackerIndex<'_>>,
    memo: Option<(&MemoRound<'_, page_memo::ReadPage>, page_memo::TrackerKey)>,
    diagnostics: &mut Diagnostics,
) -> Option<Arc<Page>> {
    let Some((round, tracker_key)) = memo else {
        let text = read_utf8(root, &file.source, diagnostics)?;
        return Some(read_page(file, &text, tracker, diagnostics).into());
    };
    let read_at = page_memo::ReadAt {
        time: SystemTime::now(),
        stamp: fs::metadata(root.join(&file.source))
            .ok()
            .filter(fs::Metadata::is_file)
            .and_then(|metadata| page_memo::FileStamp::of(&metadata)),
    };
    let kept =
        page_memo::reuse_unchanged(round, tracker_key, &file.source, read_at.stamp, diagnostics);
    if kept.is_some() {
        return kept;
    }
    let text = read_utf8(root, &file.source, diagnostics)?;
    let read = |found: &mut Diagnostics| Some(read_page(file, &text, tracker, found));
    let text_read = (text.as_str(), read_at);
    page_memo::read_or_reuse(
        round,
        tracker_key,
        &file.source,
        text_read,
        diagnostics,
        read,
    )
}

/// The page read from `text`, the file's contents.
fn read_page(
    file: &ContentFile,
    text: &str,
    tracker: Option<&beads::TrackerIndex<'_>>,
    diagnostics: &mut Diagnostics,
) -> Page {
    let repair = encoding::repair_mojibake(text);
    if repair.repaired > 0 {
        diagnostics.push(encoding_warning(&file.source, text, &repair));
    }
    let text = repair.text;
    let mut front_matter_diagnostics = Diagnostics::new();
    let parsed =
        front_matter::parse_front_matter(&file.source, &text, &mut front_matter_diagnostics);
    let front_matter = parsed.front_matter;
    let kind = front_matter
        .kind
        .unwrap_or_else(|| page_path::kind_from_folder(&file.relative));
    // Audit reports have front matter keys of their own (`grade`, `findings`, ...).
    front_matter_diagnostics
        .retain(|d| kind != PageKind::Audit || !audit::report::is_report_key_warning(d));
    diagnostics.append(front_matter_diagnostics);
    // Hugo's `{{< ref >}}` becomes the path it names; offsets stay those of the file.
    let text = shortcodes::resolve_shortcodes(&file.source, text, parsed.body_start, diagnostics);
    // One outline of the body serves every reader of the page.
    let outline = outline::read_outline(&text, parsed.body_start);
    let plan = (kind == PageKind::Plan)
        .then(|| plan::read_plan(&file.source, &text, &outline, tracker, diagnostics));
    let diagrams =
        diagrams::read_diagrams(&file.source, &text, &outline, plan.as_ref(), diagnostics);
    let title = page_path::page_title(&front_matter, &outline, &file.relative);
    let runbook = runbook::wants_runbook_model(kind, &file.relative)
        .then(|| runbook::read_runbook(&file.source, &text, outline, &front_matter, diagnostics));
    let output = page_path::output_path(&file.relative, front_matter.slug.as_deref());
    Page {
        source: file.source.clone(),
        kind,
        front_matter,
        text: text.into(),
        body_start: parsed.body_start,
        title,
        output,
        plan,
        runbook,
        diagrams,
    }
}

/// The file's text, or an error naming where it is not UTF-8 or why it cannot be read.
/// A byte order mark is dropped: it would hide the front matter's opening `---`.
fn read_utf8(root: &Path, source: &Path, diagnostics: &mut Diagnostics) -> Option<String> {
    let bytes = match site_files::read_regular_file(&root.join(source)) {
        Ok(bytes) => bytes,
        Err(problem) => {
            diagnostics.push(
                problem
                    .diagnostic(Severity::Error, codes::IO, "the page")
                    .at(source, None),
            );
            return None;
        }
    };
    match site_files::decode_utf8(bytes) {
        Ok(text) => Some(text),
        Err(not_utf8) => {
            diagnostics.push(
                Diagnostic::error(codes::NOT_UTF8, "file is not valid UTF-8")
                    .at(source, Some(not_utf8.span))
                    .with_help("save the file as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8`)"),
            );
            None
        }
    }
}

/// An asset's text: `None` when it is not UTF-8 (it is not text to scan) or cannot be
/// read, which is an error at the asset.
fn read_asset_text(root: &Path, source: &Path, diagnostics: &mut Diagnostics) -> Option<String> {
    match site_files::read_regular_file(&root.join(source)) {
        Ok(bytes) => String::from_utf8(bytes).ok(),
        Err(problem) => {
            diagnostics.push(
                problem
                    .diagnostic(Severity::Error, codes::IO, "the asset (to scan it)")
                    .at(source, None),
            );
            None
        }
    }
}

/// One warning per file, placed on the first line that changed.
fn encoding_warning(source: &Path, original: &str, repair: &encoding::Repair) -> Diagnostic {
    let first_changed = original
        .lines()
        .zip(repair.text.lines())
        .position(|(before, after)| before != after)
        .unwrap_or(0);
    let index = LineIndex::new(&repair.text);
    let offset = index.line_start(first_changed as u32 + 1);
    let noun = if repair.repaired == 1 {
        "sequence"
    } else {
        "sequences"
    };
    Diagnostic::warning(
        codes::ENCODING_REPAIRED,
        format!(
            "repaired {} mojibake {noun} (UTF-8 text that was decoded as Windows-1252 and saved again)",
            repair.repaired
        ),
    )
    .at(source, Some(index.span(offset, offset)))
    .with_help("the page is published repaired; fix the file itself by re-saving it as UTF-8 from the repaired text")
}

/// Two sources that would be written to the same output path are an error.
fn find_output_clashes(project: &Project, diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<&Path, &Path> = BTreeMap::new();
    let outputs = project
        .pages
        .iter()
        .map(|p| (p.output.as_path(), p.source.as_path()))
        .chain(
            project
                .assets
                .iter()
                .map(|a| (a.output.as_path(), a.source.as_path())),
        )
        .chain(
            // Scanner files get a page of their own; reports are pages already.
            project
                .audits
                .iter()
                .filter(|a| a.raw_output.is_some())
                .map(|a| (a.output.as_path(), a.source.as_path())),
        );
    for (output, source) in outputs {
        if let Some(first) = seen.insert(output, source) {
            diagnostics.push(
                Diagnostic::error(
                    codes::OUTPUT_CLASH,
                    format!(
                        "`{}` and `{}` would both be written to `{}`",
                        crate::diagnostics::display_path(first),
                        crate::diagnostics::display_path(source),
                        crate::diagnostics::display_path(output)
                    ),
                )
                .at(PathBuf::from(source), None)
                .with_help("rename one of the files or give one a different `slug:`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn text_assets_carry_their_text_and_binary_ones_none() {
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        fs::create_dir_all(&content).unwrap();
        fs::write(content.join("index.md"), "# Home\n").unwrap();
        fs::write(content.join("deploy.sh"), "ssh ops@example.org\n").unwrap();
        fs::write(
            content.join("logo.png"),
            [0x89, b'P', b'N', b'G', 0xff, 0xfe],
        )
        .unwrap();
        let loaded = load_project(site.path());
        let texts: Vec<(String, Option<&str>)> = loaded
            .project
            .assets
            .iter()
            .map(|a| (display_name(&a.source), a.text.as_deref()))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "content/deploy.sh".to_string(),
                    Some("ssh ops@example.org\n")
                ),
                ("content/logo.png".to_string(), None),
            ]
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    }

    fn display_name(path: &Path) -> String {
        crate::diagnostics::display_path(path)
    }
}
