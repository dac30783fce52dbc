//! PDF benchmark (not a test): time per runbook PDF, fonts loaded once.
//!
//!   cargo bench --bench pdf [-- SITE_ROOT [ROUNDS]]
//!
//! SITE_ROOT defaults to tests/fixtures/runbooks/basic; every runbook of the site is
//! rendered ROUNDS times (default 20) after one warm-up round. Prints the engine set-up
//! time, the first (cold) PDF, the warm time of a document not rendered before (Typst's
//! memo cache emptied, fonts and library kept: median and fastest), and the time of
//! rendering the same document again (memoized).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use opsbook::bench::RunbookOptions;
use opsbook::bench::{PdfEngine, PdfRequest};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let root = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/runbooks/basic")
    });
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let loaded = opsbook::bench::load(&root);
    let runbooks: Vec<_> = loaded
        .project
        .pages
        .iter()
        .filter_map(|p| p.runbook.as_ref().map(|r| (p, r)))
        .collect();
    if runbooks.is_empty() {
        eprintln!("no runbooks under {}", root.display());
        std::process::exit(2);
    }
    let options = RunbookOptions::default();
    let started = Instant::now();
    let engine = PdfEngine::new();
    let setup = started.elapsed();
    let mut cold = Vec::new();
    for (page, runbook) in &runbooks {
        let t = Instant::now();
        let mut diagnostics = Default::default();
        let request = PdfRequest {
            page,
            runbook,
            options: &options,
            alerts: Vec::new(),
        };
        let pdf = engine.render(&request, &mut diagnostics);
        cold.push(t.elapsed());
        assert!(
            pdf.is_some(),
            "{}: {:?}",
            page.source.display(),
            diagnostics
        );
    }
    println!(
        "site: {} ({} runbooks), {} warm rounds",
        root.display(),
        runbooks.len(),
        rounds
    );
    println!(
        "engine set-up (fonts parsed, library built): {:.1} ms",
        ms(setup)
    );
    for ((page, runbook), cold) in runbooks.iter().zip(cold) {
        let mut memoized: Vec<Duration> = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(engine.render(
                    &PdfRequest {
                        page,
                        runbook,
                        options: &options,
                        alerts: Vec::new(),
                    },
                    &mut Default::default(),
                ));
                t.elapsed()
            })
            .collect();
        memoized.sort();
        // Typst memoizes across compiles; emptying its cache first measures a runbook
        // that was not rendered before, with fonts and library already loaded (warm).
        let mut times: Vec<Duration> = (0..rounds)
            .map(|_| {
                typst::comemo::evict(0);
                let t = Instant::now();
                let made = engine.render(
                    &PdfRequest {
                        page,
                        runbook,
                        options: &options,
                        alerts: Vec::new(),
                    },
                    &mut Default::default(),
                );
                let elapsed = t.elapsed();
                std::hint::black_box(made);
                elapsed
            })
            .collect();
        times.sort();
        println!(
            "{:<45} first {:>6.1} ms | warm, new document: median {:>6.1} ms, fastest {:>6.1} ms | same document again (memoized): {:>5.1} ms",
            page.source.display().to_string(),
            ms(cold),
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(memoized[memoized.len() / 2])
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
