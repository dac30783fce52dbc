//! Plan reader, sections: the headings and blocks that open or fill a plan section in,
//! model parts out: a new `Epic` for `## Epic N: Title`, the overview block with its
//! claimed priority distribution, and the mermaid dependency map.

use crate::model::plan::{DependencyMap, Epic, Priority, PriorityClaim, Text};

use super::blocks::{Fence, Heading};
use super::claims::parse_priority_claim;
use super::epic::EpicHeading;
use super::reader::{PlanReader, Section, SectionKind};

impl PlanReader<'_> {
    /// Opens a new epic; facts, tasks and criteria are added as the walk meets them.
    pub(super) fn start_epic(&mut self, heading: EpicHeading, at: &Heading<'_>) {
        let span = self.line_span(at.line);
        self.plan.epics.push(Epic {
            number: heading.number,
            title: heading.title,
            marker: heading.marker,
            priority: None,
            duration: None,
            impact: None,
            creation: None,
            tasks: Vec::new(),
            success_criteria: Vec::new(),
            span,
        });
        self.section = Section {
            kind: SectionKind::Epic(self.plan.epics.len() - 1),
            level: at.level,
            heading: Some(self.text_at(at.text, at.text_start)),
        };
    }

    /// Keeps the overview block verbatim and reads its `- P0 (Critical): 11 tasks` lines.
    pub(super) fn read_overview(&mut self, fence: &Fence<'_>) {
        let (start, end) = fence.content_range();
        self.plan.overview = Some(Text {
            text: fence.content(),
            span: self.span(start, end),
        });
        for line in &fence.lines {
            let Some(claim) = parse_priority_claim(line.text) else {
                continue;
            };
            let span = self.line_span(*line);
            self.plan.claimed.priorities.push(PriorityClaim {
                priority: Priority(claim.level),
                label: claim.label.to_string(),
                tasks: claim.tasks,
                percent: claim.percent,
                span,
            });
        }
    }

    /// Keeps the first mermaid block of the dependency section, titled by its heading.
    pub(super) fn read_dependency_map(&mut self, fence: &Fence<'_>) {
        if self.plan.dependency_map.is_some() {
            return;
        }
        let title = self
            .section
            .heading
            .as_ref()
            .map_or_else(|| "Dependencies".to_string(), |h| h.text.clone());
        let (start, end) = fence.content_range();
        self.plan.dependency_map = Some(DependencyMap {
            title,
            source: fence.content(),
            span: self.span(start, end),
            graph: None,
        });
    }
}
