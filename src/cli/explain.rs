//! `build --explain`: every plan task and epic with the tracker issue it was tied to, how
//! (pinned by the `beads:` map or by title) and the score, so a wrong match can be seen
//! and pinned. Items without a match show the closest issue below the threshold.

use std::fmt::Write as _;

use crate::analysis::title_similarity::MATCH_THRESHOLD;
use crate::diagnostics::display_path;
use crate::model::status::{ItemStatus, MatchKind, SiteStatus};

/// The explanation for every plan page, one line per item.
pub fn explain_status(status: &SiteStatus) -> String {
    let mut out = String::new();
    for (source, plan) in &status.plans {
        let _ = writeln!(out, "{}: task status", display_path(source));
        if !plan.has_tracker {
            out.push_str("  no tracker found (.beads/issues.jsonl); no statuses shown\n");
            continue;
        }
        let width = plan
            .epics
            .iter()
            .chain(&plan.tasks)
            .map(|item| item.key.len())
            .max()
            .unwrap_or(0);
        for item in plan.epics.iter().chain(&plan.tasks) {
            let _ = writeln!(out, "  {}", explain_item(item, width));
        }
    }
    out
}

fn explain_item(item: &ItemStatus, width: usize) -> String {
    let head = format!("{:width$}  \"{}\"", item.key, item.title);
    match (&item.matched, &item.near_miss) {
        (Some(m), _) => {
            let how = match m.kind {
                MatchKind::Pinned => "pinned by beads:".to_string(),
                MatchKind::Title => format!("title {:.2}", m.score),
            };
            format!(
                "{head} -> {} [{}] \"{}\" ({how})",
                m.issue_id,
                m.status.as_str(),
                m.issue_title
            )
        }
        (None, Some(near)) => format!(
            "{head} -> no issue (closest {} \"{}\" {:.2} < {MATCH_THRESHOLD})",
            near.issue_id, near.issue_title, near.score
        ),
        (None, None) => format!("{head} -> no issue"),
    }
}
