//! The plan page's timeline drawings (render stage): the author's timeline and the
//! computed schedule as inline SVG (drawn by `render::timeline_svg`), the epic colour
//! legend and the captions that say what was computed.

use serde::Serialize;

use super::plan::anchor_part;
use crate::analysis::{format_days, format_epic_chain, PlanAnalysis, TimelineMatches};
use crate::model::plan::{Plan, Timeline};
use crate::render::timeline_svg::{
    epic_colour_class, render_author_timeline, render_computed_schedule, AuthorDay, AuthorItem,
    AuthorTimeline, ItemTask,
};

/// What `timelines.html` shows, as `timelines`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelinesView {
    /// The author's timeline as SVG markup (every string inside already escaped).
    pub author_svg: Option<String>,
    /// How many timeline items match no task.
    pub unmatched: usize,
    /// One entry per epic: its colour class and name.
    pub legend: Vec<LegendView>,
    pub schedule_svg: Option<String>,
    /// Computed vs declared critical path, in words.
    pub schedule_caption: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegendView {
    pub class: String,
    pub label: String,
}

/// The timeline drawings of an analysed plan; `None` when there is nothing to draw.
pub fn timelines_view(plan: &Plan, analysis: Option<&PlanAnalysis>) -> Option<TimelinesView> {
    let analysis = analysis?;
    let author = plan
        .timeline
        .as_ref()
        .filter(|t| !t.days.is_empty())
        .map(|t| author_timeline(t, plan, &analysis.timeline));
    let schedule = analysis.schedule.as_ref();
    if author.is_none() && schedule.is_none() {
        return None;
    }
    let schedule_caption = schedule.map(|s| {
        let declared = if s.declared_path.is_empty() {
            "The plan declares no critical path.".to_string()
        } else {
            format!(
                "Declared: {} ({} working days).",
                format_epic_chain(&s.declared_path),
                format_days(s.declared_length)
            )
        };
        format!(
            "Computed critical path: {} ({} working days). {declared} Each epic starts when \
             every epic it depends on through a solid edge has finished; dotted edges do not \
             block. A working day is {} hours.",
            format_epic_chain(&s.critical_path),
            format_days(s.length),
            format_days(s.hours_per_day)
        )
    });
    Some(TimelinesView {
        author_svg: author
            .as_ref()
            .map(|a| render_author_timeline(a, "timeline-author")),
        unmatched: analysis
            .timeline
            .items
            .iter()
            .filter(|i| i.task.is_none())
            .count(),
        legend: plan
            .epics
            .iter()
            .map(|e| LegendView {
                class: epic_colour_class(e.number),
                label: format!("Epic {}: {}", e.number, e.title),
            })
            .collect(),
        schedule_svg: schedule.map(|s| render_computed_schedule(s, "timeline-schedule")),
        schedule_caption,
    })
}

fn author_timeline(timeline: &Timeline, plan: &Plan, matches: &TimelineMatches) -> AuthorTimeline {
    let mut slot_names: Vec<String> = Vec::new();
    for slot in timeline.days.iter().flat_map(|d| d.slots.iter()) {
        if !slot_names.contains(&slot.name) {
            slot_names.push(slot.name.clone());
        }
    }
    let days = timeline
        .days
        .iter()
        .map(|day| AuthorDay {
            number: day.number,
            title: day.title.clone(),
            slots: slot_names
                .iter()
                .map(|name| {
                    day.slots
                        .iter()
                        .enumerate()
                        .filter(|(_, slot)| &slot.name == name)
                        .flat_map(|(slot_index, slot)| {
                            slot.items
                                .iter()
                                .enumerate()
                                .map(move |(index, item)| (slot_index, index, item))
                        })
                        .map(|(slot_index, index, item)| AuthorItem {
                            text: item.text.clone(),
                            task: matches
                                .item(day.number, slot_index, index)
                                .and_then(|m| m.task.as_deref())
                                .and_then(|id| item_task(plan, id)),
                        })
                        .collect()
                })
                .collect(),
        })
        .collect();
    AuthorTimeline {
        title: timeline.title.clone(),
        slot_names,
        days,
    }
}

fn item_task(plan: &Plan, id: &str) -> Option<ItemTask> {
    let task = plan.tasks().find(|t| t.id == id)?;
    Some(ItemTask {
        id: task.id.clone(),
        title: task.creation.title.clone(),
        epic: task.epic,
        href: format!("#task-{}", anchor_part(&task.id)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyse_plan, test_plans::reference_plan, AnalysisOptions};
    use crate::test_support::plan_page;

    #[test]
    fn reference_timelines_link_21_items_and_mark_5() {
        let plan = reference_plan();
        let page = plan_page("devops", plan.clone());
        let analysis = analyse_plan(&page, &plan, &AnalysisOptions::default());
        let view = timelines_view(&plan, Some(&analysis)).expect("drawn");
        let svg = view.author_svg.expect("author timeline");
        assert_eq!(svg.matches(r##"<a href="#task-"##).count(), 21);
        assert_eq!(svg.matches("tl-unmatched").count(), 5);
        assert!(svg.contains(r##"<a href="#task-1-4" class="tl-item tl-epic-c0">"##));
        assert_eq!(view.unmatched, 5);
        let caption = view.schedule_caption.expect("caption");
        assert!(caption.starts_with(
            "Computed critical path: Epic 1 → Epic 2 → Epic 4 (5 working days). \
             Declared: Epic 1 → Epic 2 → Epic 5 → Epic 6 (4.5 working days)."
        ));
        assert!(view
            .schedule_svg
            .expect("schedule")
            .contains("sched-critical"));
    }
}
