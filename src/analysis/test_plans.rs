//! Hand-built models for the analysis tests: the reference plan's dependency map as a
//! flowchart, and the reference-like plan of the render tests with that map, its task
//! labels and source lines attached, so the figures the issue names can be asserted.

use crate::model::graph::{EdgeEnd, EdgeStroke, FlowEdge, FlowNode, Flowchart};
use crate::model::{Plan, Span};
use crate::test_support::reference_like_plan;

pub(crate) fn node(id: &str, label: &str, line: u32) -> FlowNode {
    FlowNode {
        id: id.into(),
        label: label.into(),
        shape: Default::default(),
        classes: vec![],
        span: Span::point(line as usize * 100, line, 5),
    }
}

pub(crate) fn edge(
    from: &str,
    to: &str,
    label: Option<&str>,
    stroke: EdgeStroke,
    line: u32,
) -> FlowEdge {
    FlowEdge {
        from: from.into(),
        to: to.into(),
        label: label.map(str::to_string),
        stroke,
        head: EdgeEnd::Arrow,
        tail: EdgeEnd::None,
        span: Span::point(line as usize * 100, line, 5),
    }
}

/// `E1[Epic 1: Security] --> E2[Epic 2: Production]` and the rest of the reference map.
pub(crate) fn reference_flowchart() -> Flowchart {
    use EdgeStroke::{Dotted, Solid};
    Flowchart {
        nodes: vec![
            node("E1", "Epic 1: Security", 485),
            node("E2", "Epic 2: Production", 485),
            node("E5", "Epic 5: CI/CD", 486),
            node("E3", "Epic 3: Monitoring", 487),
            node("E6", "Epic 6: Backup", 487),
            node("E4", "Epic 4: Database", 488),
        ],
        edges: vec![
            edge("E1", "E2", None, Solid, 485),
            edge("E2", "E5", None, Solid, 486),
            edge("E3", "E6", None, Solid, 487),
            edge("E4", "E2", None, Dotted, 488),
            edge("E5", "E6", None, Solid, 489),
            edge("E1", "E3", Some("Free RAM"), Solid, 491),
            edge("E2", "E4", Some("pgvector"), Solid, 492),
        ],
        ..Flowchart::default()
    }
}

/// The `# Task N.M: label` comments of the reference plan.
const REFERENCE_LABELS: &[(&str, &str)] = &[
    ("1.1", "Close public port"),
    ("1.2", "Security scanning"),
    ("1.3", "Secrets audit"),
    ("1.4", "WAF configuration"),
    ("2.1", "Production config"),
    ("2.2", "pgvector extension"),
    ("2.3", "Resource limits"),
    ("2.4", "Production deployment"),
    ("3.1", "Remove redundancy"),
    ("3.2", "Add Prometheus"),
    ("3.3", "Dashboards"),
    ("4.1", "Schema sync CI"),
    ("4.2", "pg_stat_statements"),
    ("4.3", "Weekly optimization"),
    ("5.1", "Parallel builds"),
    ("5.2", "Smoke tests"),
    ("5.3", "Cleanup"),
    ("6.1", "Automated restore testing"),
    ("6.2", "Encryption verification"),
    ("6.3", "DR runbook"),
    ("6.4", "Retention policy"),
];

/// The reference-like plan with its dependency map read, task labels, distinct source
/// lines for tasks and timeline days, and the cheat sheet's `bd sync`.
pub(crate) fn reference_plan() -> Plan {
    let mut plan = reference_like_plan();
    plan.dependency_map
        .as_mut()
        .expect("reference plan has a map")
        .graph = Some(reference_flowchart());
    for (index, task) in plan
        .epics
        .iter_mut()
        .flat_map(|e| e.tasks.iter_mut())
        .enumerate()
    {
        task.span = Span::point(1000 + index * 10, 30 + index as u32 * 10, 1);
        task.label = REFERENCE_LABELS
            .iter()
            .find(|(id, _)| *id == task.id)
            .map(|(_, label)| label.to_string());
    }
    if let Some(timeline) = plan.timeline.as_mut() {
        for day in &mut timeline.days {
            day.span = Span::point(4000 + day.number as usize * 100, 400 + day.number * 10, 1);
        }
    }
    plan.commands.push(crate::model::plan::Text {
        text: "bd sync".into(),
        span: Span::point(3970, 397, 1),
    });
    plan
}

/// The epic graph of `reference_plan()`'s dependency map.
pub(crate) fn reference_graph(plan: &Plan) -> super::EpicGraph {
    let chart = plan
        .dependency_map
        .as_ref()
        .and_then(|map| map.graph.as_ref())
        .expect("the reference plan has a dependency map");
    super::EpicGraph::from_flowchart(chart)
}

/// The messages of some findings, in order.
pub(crate) fn messages(findings: &[super::Finding]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f.diagnostic.message.as_str())
        .collect()
}
