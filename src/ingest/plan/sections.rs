//! Plan reader, sections: the headings and blocks that open or fill a plan section in,
//! model parts out: a new `Epic` for `## Epic N: Title`, the overview block with its
//! claimed priority distribution, and the mermaid dependency map.

use crate::ingest::outline::{CodeBlock, Heading};
use crate::model::plan::{DependencyMap, Epic, Priority, PriorityClaim, Text};

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
    pub(super) fn read_overview(&mut self, fence: &CodeBlock<'_>) {
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
    pub(super) fn read_dependency_map(&mut self, fence: &CodeBlock<'_>) {
        if self.plan.dependency_map.is_some() {
            return;
        }
        let title = self
            .section
            .heading
            .as_ref()
            .map_or_else(|| "Dependencies".to_string(), |h| h.text.clone());
        let (start, end) = fence.content_range();
        let span = self.span(start, end);
        let source = fence.content();
        let graph = self.read_flowchart(&source, span);
        self.plan.dependency_map = Some(DependencyMap {
            title,
            source,
            span,
            graph,
        });
    }

    /// The flowchart of the map; a syntax error is reported at its file position and
    /// leaves the map as source only.
    fn read_flowchart(
        &mut self,
        source: &str,
        span: crate::model::span::Span,
    ) -> Option<crate::model::graph::Flowchart> {
        use crate::diagnostics::{codes, Diagnostic};
        use crate::ingest::mermaid::{parse_flowchart, Origin};
        let origin = Origin {
            offset: span.start,
            line: span.line,
            col: span.col,
        };
        let read = parse_flowchart(source, origin);
        for note in read.ignored {
            let mut d = Diagnostic::note(codes::MERMAID_IGNORED, note.message)
                .at(self.source, Some(note.span));
            d.help = note.help;
            self.diagnostics.push(d);
        }
        match read.chart {
            Ok(chart) => Some(chart),
            Err(problem) => {
                let mut d = Diagnostic::warning(
                    codes::MERMAID_SYNTAX,
                    format!("mermaid syntax error in the dependency map: {}; the map is shown as its source", problem.message),
                )
                .at(self.source, Some(problem.span));
                d.help = problem.help;
                self.diagnostics.push(d);
                None
            }
        }
    }
}
