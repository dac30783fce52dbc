//! The home page's view: the index page's own text, a card with key figures for each
//! structured plan (an epic plan's epics, tasks, ETA, timeline and criteria; a lane
//! plan's lanes, items and progress), a link to the plans index, and link lists of the
//! other pages grouped by kind.

use std::collections::BTreeMap;

use serde::Serialize;

use super::format::{priority_view, without_title_heading, PriorityView};
use super::plan::eta_summary;
use super::plans_index::{
    is_plan_page, item_count, lane_count, lane_kind, lane_noun, lane_progress, IndexProgressView,
    PLANS_INDEX,
};
use super::{is_home_page, kind_heading, page_href, LinkView, ViewContext};
use crate::model::plan::{PlanFamily, Priority};
use crate::model::{Page, PageKind, Plan, Project};
use crate::render::markdown::render_markdown;

/// Everything `home.html` shows, as `page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HomeView {
    /// The index page's title, when there is an index page.
    pub title: Option<String>,
    /// The index page's markdown as HTML.
    pub content_html: Option<String>,
    pub plans: Vec<PlanCardView>,
    /// The plans index, when the site has plans.
    pub plans_index: Option<String>,
    /// Runbooks, audits, pages and unstructured plans, one group per kind.
    pub groups: Vec<PageGroupView>,
}

/// One plan's card on the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanCardView {
    /// `epics` or `lanes`: which figures the card shows.
    pub family: &'static str,
    pub title: String,
    pub href: String,
    pub description: Option<String>,
    pub created: Option<String>,
    pub epics: usize,
    pub tasks: usize,
    /// Total ETA of the tasks, e.g. `14 h 32 min`.
    pub eta: String,
    /// Task counts per priority, most urgent first.
    pub priorities: Vec<PriorityCountView>,
    pub timeline_days: usize,
    pub criteria: usize,
    /// A lane plan's lanes, and what it calls them (`Tracks`).
    pub lanes: usize,
    pub lane_noun: String,
    /// A lane plan's work items.
    pub items: usize,
    /// A lane plan's closed items, when the tracker knows some of them.
    pub progress: Option<IndexProgressView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorityCountView {
    pub priority: PriorityView,
    pub count: usize,
}

/// A list of pages of one kind, under `<h2 id="{{ anchor }}">`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageGroupView {
    /// `runbook`.
    pub kind: String,
    /// `Runbooks`.
    pub heading: String,
    /// `runbooks`, the anchor the site navigation links to.
    pub anchor: String,
    pub pages: Vec<LinkView>,
}

/// The home page's view. `index` is `content/index.md`, when the site has one.
pub fn home_view(project: &Project, index: Option<&Page>, ctx: &ViewContext) -> HomeView {
    let mut plans: Vec<PlanCardView> = project
        .plans()
        .filter(|(page, plan)| plan.is_structured() && !is_home_page(page))
        .map(|(page, plan)| plan_card(page, plan, ctx))
        .collect();
    plans.sort_by(|a, b| a.title.cmp(&b.title).then(a.href.cmp(&b.href)));
    HomeView {
        title: index.map(|page| page.title.clone()),
        content_html: index.map(|page| {
            render_markdown(
                without_title_heading(page.body(), &page.title),
                ctx.highlighter,
                &page.diagrams,
            )
        }),
        plans,
        plans_index: project
            .pages
            .iter()
            .any(|page| is_plan_page(page))
            .then(|| format!("{}{PLANS_INDEX}", ctx.root)),
        groups: page_groups(project, &ctx.root),
    }
}

fn plan_card(page: &Page, plan: &Plan, ctx: &ViewContext) -> PlanCardView {
    let mut counts: BTreeMap<Priority, usize> = BTreeMap::new();
    for task in plan.tasks() {
        if let Some(priority) = task.creation.priority {
            *counts.entry(priority).or_default() += 1;
        }
    }
    let family = match plan.family {
        PlanFamily::Lanes => PlanFamily::Lanes,
        _ => PlanFamily::Epics,
    };
    let lanes = lane_count(plan);
    let noun = lane_noun(family, lane_kind(&plan.lanes), lanes);
    PlanCardView {
        family: family.as_str(),
        title: page.title.clone(),
        href: page_href(&ctx.root, page),
        description: page.front_matter.description.clone(),
        created: plan.created.as_ref().map(|t| t.text.clone()),
        epics: plan.epics.len(),
        tasks: plan.tasks().count(),
        eta: eta_summary(plan.tasks(), ctx.working_day),
        priorities: counts
            .into_iter()
            .map(|(level, count)| PriorityCountView {
                priority: priority_view(level, Some(plan)),
                count,
            })
            .collect(),
        timeline_days: plan.timeline.as_ref().map_or(0, |t| t.days.len()),
        criteria: plan.epics.iter().map(|e| e.success_criteria.len()).sum(),
        lanes,
        lane_noun: capitalised(&noun),
        items: item_count(plan),
        progress: lane_progress(plan),
    }
}

/// `tracks` → `Tracks`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Pages that are not plan cards, grouped by kind in a fixed order, sorted by title.
fn page_groups(project: &Project, root: &str) -> Vec<PageGroupView> {
    let is_card = |page: &Page| {
        page.plan
            .as_ref()
            .is_some_and(|plan| page.kind == PageKind::Plan && plan.is_structured())
    };
    [
        PageKind::Plan,
        PageKind::Runbook,
        PageKind::Audit,
        PageKind::Page,
    ]
    .into_iter()
    .filter_map(|kind| {
        let mut pages: Vec<LinkView> = project
            .pages
            .iter()
            .filter(|page| page.kind == kind && !is_home_page(page) && !is_card(page))
            .map(|page| LinkView {
                title: page.title.clone(),
                href: page_href(root, page),
                description: page.front_matter.description.clone(),
            })
            .collect();
        if kind == PageKind::Audit {
            // Scanner outputs are audits without a markdown page of their own.
            pages.extend(
                project
                    .audits
                    .iter()
                    .filter(|audit| audit.raw_output.is_some())
                    .map(|audit| LinkView {
                        title: audit.title.clone(),
                        href: super::output_href(root, &audit.output),
                        description: None,
                    }),
            );
        }
        if pages.is_empty() {
            return None;
        }
        pages.sort_by(|a, b| a.title.cmp(&b.title).then(a.href.cmp(&b.href)));
        // Structured plans are the cards above; the plan files listed here are shown as
        // documents, under their own heading so the page has one "Plans".
        let (heading, anchor) = match kind {
            PageKind::Plan => ("Other plans", "other-plans"),
            _ => kind_heading(kind),
        };
        Some(PageGroupView {
            kind: kind.as_str().to_string(),
            heading: heading.to_string(),
            anchor: anchor.to_string(),
            pages,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Plan;
    use crate::render::highlight::Highlighter;
    use crate::test_support::{document_page, plan_page, sample_plan};

    fn project() -> Project {
        Project {
            root: Default::default(),
            pages: crate::test_support::shared_pages(vec![
                document_page(PageKind::Page, "index.html", "Welcome"),
                plan_page("devops", sample_plan()),
                plan_page("notes", Plan::default()),
                document_page(PageKind::Runbook, "runbooks/zeta/index.html", "Zeta"),
                document_page(PageKind::Runbook, "runbooks/alpha/index.html", "Alpha"),
            ]),
            ..Project::default()
        }
    }

    #[test]
    fn structured_plans_are_cards_and_other_pages_are_grouped_by_kind() {
        let project = project();
        let highlighter = Highlighter::new();
        let ctx = ViewContext {
            highlighter: &highlighter,
            root: String::new(),
            working_day: crate::model::duration::DayLength::STANDARD_WORKDAY,
        };
        let home = home_view(&project, Some(&project.pages[0]), &ctx);
        assert_eq!(home.plans.len(), 1);
        let card = &home.plans[0];
        assert_eq!(card.href, "plans/devops/index.html");
        assert_eq!((card.epics, card.tasks, card.criteria), (2, 3, 3));
        let mix: Vec<(String, usize)> = card
            .priorities
            .iter()
            .map(|p| (p.priority.text.clone(), p.count))
            .collect();
        assert_eq!(mix, [("P0 Critical".into(), 1), ("P1 High".into(), 2)]);
        let groups: Vec<(&str, Vec<&str>)> = home
            .groups
            .iter()
            .map(|g| {
                let titles = g.pages.iter().map(|p| p.title.as_str()).collect();
                (g.anchor.as_str(), titles)
            })
            .collect();
        assert_eq!(
            groups,
            [
                ("other-plans", vec!["notes"]),
                ("runbooks", vec!["Alpha", "Zeta"])
            ]
        );
        assert_eq!(home.title.as_deref(), Some("Welcome"));
    }
}
