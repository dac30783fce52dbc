//! Layout benchmark (not a test): `cargo bench --bench layout`. Lays out generated DAGs
//! of 10, 30 and 60 nodes and the 79-node chain of diamonds with each engine, and
//! reports the median time per graph and, from the geometry, the edges that pass
//! through a node box that is not one of their ends. Targets: no graph over 50 ms; at
//! 60 nodes, at most 2 edges through boxes.

use std::time::{Duration, Instant};

use opsbook::bench::diagram::{lay_out_with, quality, Dagre, GraphLayout, LayoutRs};
use opsbook::bench::{parse_flowchart, Origin};

/// A deterministic DAG: each node after the first links from one or two earlier nodes
/// close to it (about 1.5 edges per node), every tenth edge labelled.
fn dag(nodes: usize) -> String {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut text = String::from("graph TD\n");
    let mut edges = 0;
    for n in 1..nodes {
        let parents = if next() % 2 == 0 { 1 } else { 2 };
        for _ in 0..parents {
            let back = 1 + (next() % 6) as usize;
            let from = n.saturating_sub(back);
            edges += 1;
            if edges % 10 == 0 {
                text.push_str(&format!(
                    "t{from}[Task {from}] -->|step {edges}| t{n}[Task {n}]\n"
                ));
            } else {
                text.push_str(&format!("t{from}[Task {from}] --> t{n}[Task {n}]\n"));
            }
        }
    }
    text
}

/// k diamonds in a chain: 3k + 1 nodes.
fn diamonds(k: usize) -> String {
    let mut text = String::from("graph TD\n");
    for i in 0..k {
        let (top, bottom) = (3 * i, 3 * i + 3);
        text.push_str(&format!("n{top} --> n{} --> n{bottom}\n", top + 1));
        text.push_str(&format!("n{top} --> n{} --> n{bottom}\n", top + 2));
    }
    text
}

fn main() {
    let graphs = [
        ("DAG 10", dag(10)),
        ("DAG 30", dag(30)),
        ("DAG 60", dag(60)),
        ("diamond chain 79", diamonds(26)),
    ];
    let engines: [&dyn GraphLayout; 2] = [&LayoutRs, &Dagre];
    println!(
        "{:<18} {:>6} {:>6} {:>10} {:>12} {:>14}",
        "graph", "nodes", "edges", "engine", "median ms", "edges/boxes"
    );
    for (name, text) in &graphs {
        let chart = parse_flowchart(text, Origin::start())
            .chart
            .expect("generated graph parses");
        for engine in engines {
            let mut times = Vec::new();
            let mut through = 0;
            for _ in 0..7 {
                let started = Instant::now();
                let part = lay_out_with(&chart, engine).expect("lays out");
                times.push(started.elapsed());
                through = quality::measure(&part).edges_through_boxes;
            }
            times.sort();
            let median: Duration = times[times.len() / 2];
            println!(
                "{:<18} {:>6} {:>6} {:>10} {:>12.2} {:>14}",
                name,
                chart.nodes.len(),
                chart.edges.len(),
                engine.name(),
                median.as_secs_f64() * 1000.0,
                through
            );
        }
    }
}
