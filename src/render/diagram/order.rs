//! Diagram stage, edge order for layout: a topological order of the nodes over the hard
//! edges (soft edges and cycles give way), and the edges to hand an engine, each pointing
//! forward in that order. Engines that break cycles themselves in insertion order (and
//! layout-rs, whose cycle search is exponential otherwise) get an acyclic input.

use super::layout::LayoutInput;

/// One edge as handed to an engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawnEdge {
    pub index: usize,
    /// True when the edge points backward in the order and is laid out turned around.
    pub reversed: bool,
}

/// The edges sorted for an engine: drawn ones (hard first, soft last, in topological
/// order), unlabelled duplicates (drawn like the first), self-loops (drawn by us).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EdgePlan {
    pub drawn: Vec<DrawnEdge>,
    /// `(index, same_as)`.
    pub duplicates: Vec<(usize, usize)>,
    pub self_loops: Vec<usize>,
}

/// Kahn's algorithm over hard edges; ties and cycles are resolved by source order.
pub fn topological_order(input: &LayoutInput) -> Vec<usize> {
    let n = input.nodes.len();
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for edge in input.edges.iter().filter(|e| !e.soft && e.from != e.to) {
        if edge.from < n && edge.to < n {
            indegree[edge.to] += 1;
            out[edge.from].push(edge.to);
        }
    }
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        // The first ready node in source order, else (a cycle) the first one left.
        let next = (0..n)
            .find(|&i| !done[i] && indegree[i] == 0)
            .or_else(|| (0..n).find(|&i| !done[i]))
            .unwrap_or(0);
        done[next] = true;
        order.push(next);
        for &to in &out[next] {
            indegree[to] = indegree[to].saturating_sub(1);
        }
    }
    order
}

/// Orients and sorts the edges for an engine.
pub fn forward_edges(input: &LayoutInput, order: &[usize]) -> EdgePlan {
    let mut position = vec![0usize; input.nodes.len()];
    for (at, &node) in order.iter().enumerate() {
        position[node] = at;
    }
    let mut plan = EdgePlan::default();
    let mut seen: Vec<((usize, usize), usize)> = Vec::new();
    let mut keyed = Vec::new();
    for (index, edge) in input.edges.iter().enumerate() {
        if edge.from == edge.to {
            plan.self_loops.push(index);
            continue;
        }
        let reversed = position[edge.from] > position[edge.to];
        let pair = if reversed {
            (edge.to, edge.from)
        } else {
            (edge.from, edge.to)
        };
        if edge.label.is_none() {
            if let Some(&(_, first)) = seen.iter().find(|(p, _)| *p == pair) {
                plan.duplicates.push((index, first));
                continue;
            }
            seen.push((pair, index));
        }
        let key = (edge.soft, position[pair.0], position[pair.1], index);
        keyed.push((key, DrawnEdge { index, reversed }));
    }
    keyed.sort_by_key(|(key, _)| *key);
    plan.drawn = keyed.into_iter().map(|(_, e)| e).collect();
    plan
}
