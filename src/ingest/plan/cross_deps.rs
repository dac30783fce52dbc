//! Plan reader, dependencies between lanes and items: what the plan says waits for what,
//! in a `**Dependencies:**` label (`Track 2 (bd-kv-2), Track 1 (bd-front-4)`), a table's
//! dependencies cell, or prose under a dependencies heading ("Track 3 (SilverCanyons)
//! needs web-l5g9 (loop-engine) from Track 2", "Start Track 4 after web-xlwx
//! completes"). Statements are collected while the lanes are read and resolved once every
//! lane and item is known, so an edge can name one defined later.

use crate::model::plan::{
    Dependency, DependencyEnd, DependencySource, DependencyStrength, Lane, Plan,
};
use crate::model::span::Span;

use super::item_ids::{ids_in, KnownIds};
use super::lane_words::find_lane_mentions;

/// How sure a statement's words are meant as ids and dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Statement {
    /// A label's value or a table cell: everything in it is a dependency.
    Field,
    /// A sentence: only when it says something waits, and then the lane it names first
    /// is the one that waits.
    Prose,
}

/// A dependency as written, before the lanes and items it names are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DependencyClaim {
    /// What waits; `None` for prose, where the sentence names it.
    pub waiting: Option<DependencyEnd>,
    pub text: String,
    pub span: Span,
    pub source: DependencySource,
    pub statement: Statement,
}

/// Every claim resolved against the plan's lanes and items, without repeats: an edge
/// from a lane is left out when an item of that lane already leads to the same place.
pub(super) fn resolve_claims(
    claims: &[DependencyClaim],
    plan: &Plan,
    known: &KnownIds,
) -> Vec<Dependency> {
    let mut edges: Vec<Dependency> = Vec::new();
    for claim in claims {
        for edge in claim_edges(claim, plan, known) {
            if !is_redundant(&edge, &edges, plan) {
                edges.push(edge);
            }
        }
    }
    edges
}

fn is_redundant(edge: &Dependency, edges: &[Dependency], plan: &Plan) -> bool {
    let from_lane = plan.lane_of(&edge.from).map(|lane| &lane.key);
    let to_lane = plan.lane_of(&edge.to).map(|lane| &lane.key);
    if from_lane.is_some() && from_lane == to_lane {
        return true; // inside one lane: its order already says it
    }
    edges.iter().any(|other| {
        let same = other.from == edge.from && other.to == edge.to;
        let covered = matches!(edge.from, DependencyEnd::Lane(_))
            && other.to == edge.to
            && plan.lane_of(&other.from).map(|lane| &lane.key) == from_lane;
        same || covered
    })
}

fn claim_edges(claim: &DependencyClaim, plan: &Plan, known: &KnownIds) -> Vec<Dependency> {
    let text = claim.text.as_str();
    let lower = text.to_lowercase();
    if says_no_dependency(&lower) {
        return Vec::new();
    }
    let strength = if is_soft(&lower) {
        DependencyStrength::Soft
    } else {
        DependencyStrength::Hard
    };
    let accept_id = |word: &str| match claim.statement {
        Statement::Field => known.is_item_id(word),
        Statement::Prose => known.is_id_in_prose(word),
    };
    let ids = ids_in(text, accept_id);
    let mut mentions = find_lane_mentions(text);
    let waiting = match (&claim.waiting, claim.statement) {
        (Some(end), _) => end.clone(),
        (None, Statement::Prose) => {
            if !has_waiting_word(&lower) {
                return Vec::new();
            }
            let Some(at) = mentions
                .iter()
                .position(|(_, range)| !preceded_by_from(text, range.start))
            else {
                return Vec::new();
            };
            let (name, _) = mentions.remove(at);
            lane_end(plan, &name.key(), &name.label())
        }
        (None, Statement::Field) => return Vec::new(),
    };
    let mut from: Vec<DependencyEnd> = ids.iter().map(|(id, _)| item_end(plan, id)).collect();
    // A lane named with its ids in parentheses (`Track 1 (bd-front-1)`) or as where an id
    // comes from (`web-l5g9 from Track 2`) adds no edge of its own.
    for (name, range) in &mentions {
        let holds_ids = ids.iter().any(|(_, id_range)| {
            let between = text.get(range.end..id_range.start).unwrap_or("");
            between.trim().starts_with('(') && !between.contains(')')
        });
        let is_source_of_ids = !ids.is_empty() && preceded_by_from(text, range.start);
        if !holds_ids && !is_source_of_ids {
            from.push(lane_end(plan, &name.key(), &name.label()));
        }
    }
    from.into_iter()
        .filter(|end| *end != waiting)
        .map(|end| Dependency {
            from: end,
            to: waiting.clone(),
            strength,
            source: claim.source,
            span: Some(claim.span),
        })
        .collect()
}

/// `Item(key)` when the plan has the item, else `Missing` as written.
fn item_end(plan: &Plan, id: &str) -> DependencyEnd {
    let key = id.to_lowercase();
    if plan.work_item(&key).is_some() {
        DependencyEnd::Item(key)
    } else {
        DependencyEnd::Missing(id.to_string())
    }
}

/// `Lane(key)` when the plan has the lane, else `Missing` as written.
fn lane_end(plan: &Plan, key: &str, label: &str) -> DependencyEnd {
    match plan.lanes.iter().find(|lane: &&Lane| lane.key == key) {
        Some(lane) => DependencyEnd::Lane(lane.key.clone()),
        None => DependencyEnd::Missing(label.to_string()),
    }
}

fn preceded_by_from(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end().to_lowercase();
    ["from", "of", "in", "từ"]
        .iter()
        .any(|w| before.ends_with(w))
}

fn says_no_dependency(lower: &str) -> bool {
    let trimmed = lower.trim().trim_matches(['*', '.', ' ']);
    ["none", "-", "—", "n/a", "no", "không", "không có"].contains(&trimmed)
        || [
            "no dep",
            "no blocking",
            "no dependencies",
            "independent",
            "start immediately",
            "không phụ thuộc",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

fn is_soft(lower: &str) -> bool {
    [
        "soft",
        "optional",
        "data feed",
        "nice to have",
        "informs",
        "may ",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Words of a sentence that say something waits.
fn has_waiting_word(lower: &str) -> bool {
    [
        "need",
        "require",
        "after",
        "depend",
        "wait",
        "blocked by",
        "once ",
        "sau khi",
        "cần",
        "phụ thuộc",
        "chờ",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan::{LaneKind, WorkItem};

    fn item(id: &str) -> WorkItem {
        WorkItem::named(
            id.to_lowercase(),
            Some(id.into()),
            id.into(),
            Span::default(),
        )
    }

    fn lane(number: u32, items: &[&str]) -> Lane {
        Lane {
            key: format!("track-{number}"),
            kind: LaneKind::Track,
            number: Some(number),
            label: format!("Track {number}"),
            title: String::new(),
            owner: None,
            file_scope: Vec::new(),
            purpose: None,
            duration: None,
            items: items.iter().map(|id| item(id)).collect(),
            checklists: Vec::new(),
            fields: Vec::new(),
            details: Vec::new(),
            span: Span::default(),
        }
    }

    fn plan() -> Plan {
        Plan {
            lanes: vec![
                lane(1, &["ab-x1", "ab-x2"]),
                lane(2, &["ab-y1"]),
                lane(3, &["ab-z1"]),
            ],
            ..Plan::default()
        }
    }

    fn claim(waiting: Option<&str>, text: &str, statement: Statement) -> DependencyClaim {
        DependencyClaim {
            waiting: waiting.map(|key| DependencyEnd::Lane(key.into())),
            text: text.into(),
            span: Span::default(),
            source: DependencySource::PlanText,
            statement,
        }
    }

    fn edges(claims: &[DependencyClaim]) -> Vec<String> {
        let plan = plan();
        let mut known = KnownIds::default();
        for item in plan.work_items() {
            known.add(&item.key);
        }
        resolve_claims(claims, &plan, &known)
            .into_iter()
            .map(|d| format!("{:?} -> {:?} {:?}", d.from, d.to, d.strength))
            .collect()
    }

    #[test]
    fn a_label_names_items_in_parentheses_and_lanes_alone() {
        let found = edges(&[
            claim(
                Some("track-3"),
                "Track 1 (ab-x1), Track 2",
                Statement::Field,
            ),
            claim(Some("track-2"), "None", Statement::Field),
        ]);
        assert_eq!(
            found,
            [
                r#"Item("ab-x1") -> Lane("track-3") Hard"#,
                r#"Lane("track-2") -> Lane("track-3") Hard"#,
            ]
        );
    }

    #[test]
    fn prose_names_the_waiting_lane_first_and_where_ids_come_from_after_from() {
        let found = edges(&[
            claim(
                None,
                "Track 3 (SilverCanyons) needs ab-y1 (engine) from Track 2",
                Statement::Prose,
            ),
            claim(
                None,
                "Start Track 3 after ab-y1 completes",
                Statement::Prose,
            ),
            claim(
                None,
                "Start Track 1 + Track 2 in parallel",
                Statement::Prose,
            ),
            claim(
                None,
                "Track 2 can start immediately (no deps)",
                Statement::Prose,
            ),
            claim(
                None,
                "Track 2 may need to install a package",
                Statement::Prose,
            ),
        ]);
        assert_eq!(found, [r#"Item("ab-y1") -> Lane("track-3") Hard"#]);
    }

    #[test]
    fn a_lane_edge_is_left_out_when_an_item_of_that_lane_gives_it_and_soft_words_count() {
        let found = edges(&[
            claim(Some("track-3"), "Track 1 (ab-x2)", Statement::Field),
            claim(Some("track-3"), "Track 1 + 2", Statement::Field),
            claim(
                Some("track-2"),
                "Track 1 data available (soft dependency)",
                Statement::Field,
            ),
            claim(Some("track-2"), "Track 7 (ab-q9)", Statement::Field),
        ]);
        assert_eq!(
            found,
            [
                r#"Item("ab-x2") -> Lane("track-3") Hard"#,
                r#"Lane("track-2") -> Lane("track-3") Hard"#,
                r#"Lane("track-1") -> Lane("track-2") Soft"#,
                r#"Missing("ab-q9") -> Lane("track-2") Hard"#,
            ]
        );
    }
}
