//! Render: a lane plan's model turned into the swimlane drawing's input
//! (`render::swimlane`), so the drawing module stays free of the plan model. Takes the
//! plan and its lane schedule (the analysis' longest chain of lanes); gives the SVG.

use std::collections::BTreeMap;

use crate::analysis::lanes::LaneSchedule;
use crate::model::duration::DayLength;
use crate::model::plan::{
    Dependency, DependencyEnd, DependencySource, DependencyStrength, Plan, WorkItem,
};
use crate::model::status::IssueStatus;
use crate::render::swimlane::{
    render_swimlane, EdgeKind, EdgeSource, ItemRef, LaneRow, SwimEdge, SwimEnd, SwimItem,
    SwimStatus, SwimlaneInput,
};

use super::plan_lanes::{item_anchor, lane_anchor};

/// The swimlane SVG of `plan`, or `None` when it has no lane. The highlighted chain is
/// the analysis' longest chain of lanes by estimates: a lane waits for the whole of the
/// lanes before it, so every item of a lane on that chain is on it.
pub fn swimlane_html(
    plan: &Plan,
    schedule: Option<&LaneSchedule>,
    day: DayLength,
) -> Option<String> {
    let input = swimlane_input(plan, schedule, day);
    render_swimlane(&input, "swimlane")
}

fn swimlane_input(plan: &Plan, schedule: Option<&LaneSchedule>, day: DayLength) -> SwimlaneInput {
    let mut items_at: BTreeMap<&str, ItemRef> = BTreeMap::new();
    let mut lane_at: BTreeMap<&str, usize> = BTreeMap::new();
    let lanes = plan
        .lanes
        .iter()
        .enumerate()
        .map(|(l, lane)| {
            lane_at.insert(lane.key.as_str(), l);
            for (i, item) in lane.items.iter().enumerate() {
                items_at.insert(item.key.as_str(), ItemRef { lane: l, item: i });
            }
            let title = if lane.title.is_empty() {
                lane.label.clone()
            } else {
                format!("{}: {}", lane.label, lane.title)
            };
            LaneRow {
                title,
                owner: lane.owner.as_ref().map(|owner| owner.text.clone()),
                duration: lane.duration.as_ref().map(|d| d.raw.clone()),
                href: Some(format!("#{}", lane_anchor(&lane.key))),
                items: lane.items.iter().map(|item| swim_item(item, day)).collect(),
            }
        })
        .collect();
    // Sub-items are drawn inside their item's box, so an edge to one ends at its parent.
    for (l, lane) in plan.lanes.iter().enumerate() {
        for (i, item) in lane.items.iter().enumerate() {
            for sub in item.sub_items.iter().flat_map(WorkItem::with_sub_items) {
                items_at
                    .entry(sub.key.as_str())
                    .or_insert(ItemRef { lane: l, item: i });
            }
        }
    }
    let end = |end: &DependencyEnd| match end {
        DependencyEnd::Item(key) => items_at.get(key.as_str()).copied().map(SwimEnd::Item),
        DependencyEnd::Lane(key) => lane_at.get(key.as_str()).copied().map(SwimEnd::Lane),
        DependencyEnd::Missing(_) => None,
    };
    let edges = plan
        .dependencies
        .iter()
        .filter_map(|dependency: &Dependency| {
            Some(SwimEdge {
                from: end(&dependency.from)?,
                to: end(&dependency.to)?,
                kind: match dependency.strength {
                    DependencyStrength::Hard => EdgeKind::Hard,
                    DependencyStrength::Soft => EdgeKind::Soft,
                },
                source: match dependency.source {
                    DependencySource::PlanText | DependencySource::PlanTable => EdgeSource::Plan,
                    DependencySource::TrackerBlocks | DependencySource::TrackerParentChild => {
                        EdgeSource::Tracker
                    }
                },
            })
        })
        .collect();
    let longest_chain = schedule
        .map(|schedule| {
            schedule
                .critical_chain
                .iter()
                .filter_map(|key| lane_at.get(key.as_str()).copied())
                .flat_map(|l| {
                    (0..plan.lanes[l].items.len()).map(move |item| ItemRef { lane: l, item })
                })
                .collect()
        })
        .unwrap_or_default();
    SwimlaneInput {
        title: format!("{} of the plan, in order", lane_word(plan)),
        lanes,
        edges,
        longest_chain,
    }
}

fn swim_item(item: &WorkItem, day: DayLength) -> SwimItem {
    let status = match item.status() {
        Some(IssueStatus::Closed) => SwimStatus::Closed,
        Some(IssueStatus::InProgress) => SwimStatus::InProgress,
        Some(IssueStatus::Blocked) => SwimStatus::Blocked,
        Some(_) => SwimStatus::Open,
        None if item.is_planned() => SwimStatus::Planned,
        None => SwimStatus::Untracked,
    };
    let estimate_minutes = item
        .tracker
        .as_ref()
        .and_then(|issue| issue.estimated_minutes)
        .or_else(|| {
            item.estimate
                .as_ref()
                .map(|estimate| estimate.duration.whole_minutes(day))
        });
    SwimItem {
        id: item.tracker_id.clone(),
        title: item.title.clone(),
        status,
        estimate_minutes,
        href: Some(format!("#{}", item_anchor(&item.key))),
    }
}

/// `Tracks`, `Phases`, or `Lanes` when the plan mixes kinds.
fn lane_word(plan: &Plan) -> String {
    match plan.lanes.first() {
        Some(first) if plan.lanes.iter().all(|lane| lane.kind == first.kind) => {
            format!("{}s", first.kind.word())
        }
        _ => "Lanes".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::ingest::plan::parse_plan;
    use std::path::Path;

    #[test]
    fn every_lane_and_item_is_drawn_with_its_status_and_the_cross_lane_edge() {
        let text =
            "# Plan\n\n## Track 1: Base - IronFern\n\n1. `ab-1`: Install\n2. `ab-2`: Configure\n\n\
             ## Track 2: App - CopperOx\n\n**Dependencies:** Track 1 (ab-2)\n\n1. `ab-3`: Deploy\n";
        let plan = parse_plan(Path::new("p.md"), text, 0, &mut Diagnostics::new());
        assert_eq!(plan.lanes.len(), 2, "{:?}", plan.lanes);
        let input = swimlane_input(&plan, None, DayLength::STANDARD_WORKDAY);
        let counts: Vec<usize> = input.lanes.iter().map(|l| l.items.len()).collect();
        assert_eq!(counts, [2, 1]);
        assert!(input.lanes[0]
            .items
            .iter()
            .all(|i| i.status == SwimStatus::Untracked));
        assert!(
            !input.edges.is_empty(),
            "the Track 1 -> Track 2 edge is drawn"
        );
        let svg = swimlane_html(&plan, None, DayLength::STANDARD_WORKDAY).expect("drawn");
        assert!(svg.contains("ab-3") && svg.contains("<svg"));
    }
}
