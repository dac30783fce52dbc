//! `opsbook serve`: the site built into memory and served on 127.0.0.1 while its author
//! edits it. A watcher (OS file events, and polling) rebuilds after every settled change; open pages hear about
//! it over server-sent events and reload, or show the failed rebuild's diagnostics as an
//! overlay while the last good site stays served. Nothing is written to disk, and the
//! reload script exists only in serve's responses, never in a build.
//!
//! Every build of serve renders the pages but no PDF: a runbook's PDF is typeset when
//! it is first asked for and kept (in `pdf_memory`) until its runbook changes. Each open
//! page listens at `/__opsbook/events/<its path>` and reloads only when its own bytes,
//! or a file all pages share, changed.
//!
//! `http` speaks HTTP/1.1, `routes` decides what each path answers, `state` holds the
//! served site, `watch` notices changes.

#[cfg(test)]
mod edit_sequences;
pub mod http;
mod pdf_memory;
mod routes;
mod state;
mod watch;

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceCache};
use crate::memo::MemoCounts;
use crate::pipeline::{self, BuildOptions, BuildOutcome, Mode, ServeMemory};
pub use state::LiveSite;

/// How long an event stream stays silent before it sends a keep-alive line.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What `serve` needs to know.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root (holds `content/`).
    pub root: PathBuf,
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// How often the sources are polled for changes.
    pub poll_interval: Duration,
}

/// Reports what happens, for the terminal.
pub trait ServeReporter: Send + 'static {
    /// The server listens at `address`.
    fn listening(&mut self, address: SocketAddr);
    /// A build finished (the first one or a rebuild).
    fn built(&mut self, build: &BuildReport);
}

/// The outcome of one build, for the reporter.
pub struct BuildReport<'a> {
    pub diagnostics: &'a Diagnostics,
    pub sources: &'a SourceCache,
    /// Files in the site, when the build succeeded.
    pub files: Option<usize>,
    pub elapsed: Duration,
    pub first: bool,
    /// Pages rendered anew and pages unchanged since the build before.
    pub pages: MemoCounts,
}

/// Builds, listens, and serves until the process ends. Returns only when the port cannot
/// be opened.
pub fn serve(options: &ServeOptions, mut reporter: impl ServeReporter) -> io::Result<()> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, options.port)))?;
    let live = Arc::new(LiveSite::default());
    let memory = ServeMemory::new(Arc::new(pdf_memory::MemoryPdfStore::default()));
    // The watcher's starting point is taken before the first build, so an edit made
    // while it runs, or right after the address is printed, is never missed.
    let mut watcher = watch::Watcher::new(&options.root, options.poll_interval);
    rebuild(options, &memory, &live, &mut reporter, true);
    reporter.listening(listener.local_addr()?);
    let watcher_live = Arc::clone(&live);
    let watcher_options = options.clone();
    thread::spawn(move || loop {
        watcher.wait_for_change();
        rebuild(
            &watcher_options,
            &memory,
            &watcher_live,
            &mut reporter,
            false,
        );
    });
    let requests = RequestThreads::start(&live);
    for stream in listener.incoming().flatten() {
        requests.take(stream);
    }
    Ok(())
}

/// How many threads answer requests. A browser opens a handful of connections at once,
/// and an answer is a lookup in memory; the reload poll of a benchmark or a script opens
/// one connection after another, and a thread for each (with an allocator heap of its
/// own) made serve's memory creep up edit after edit.
const REQUEST_THREADS: usize = 8;

/// The threads that answer requests: a fixed few for ordinary requests, and one more
/// per event stream (each open page holds one for as long as it is open).
struct RequestThreads {
    queue: std::sync::mpsc::Sender<TcpStream>,
}

impl RequestThreads {
    fn start(live: &Arc<LiveSite>) -> RequestThreads {
        let (queue, streams) = std::sync::mpsc::channel::<TcpStream>();
        let streams = Arc::new(std::sync::Mutex::new(streams));
        for _ in 0..REQUEST_THREADS {
            let (streams, live) = (Arc::clone(&streams), Arc::clone(live));
            thread::spawn(move || loop {
                let next = streams
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .recv();
                let Ok(stream) = next else {
                    return;
                };
                // A browser that goes away mid-response is normal; nothing to report.
                let _ = handle_connection(stream, &live);
            });
        }
        RequestThreads { queue }
    }

    /// Hands a new connection to the next free request thread.
    fn take(&self, stream: TcpStream) {
        // The threads end only with the process.
        let _ = self.queue.send(stream);
    }
}

/// One build into memory, published as the new site or as a failure.
fn rebuild(
    options: &ServeOptions,
    memory: &ServeMemory,
    live: &LiveSite,
    reporter: &mut impl ServeReporter,
    first: bool,
) {
    let started = Instant::now();
    let build_options = BuildOptions {
        root: options.root.clone(),
        serve_memory: Some(memory.clone()),
        ..BuildOptions::default()
    };
    let BuildOutcome {
        site,
        diagnostics,
        sources,
        on_demand_pdfs,
        ..
    } = pipeline::run(&build_options, &Mode::Serve);
    let files = site.as_ref().map(|site| site.len());
    match site {
        Some(site) => live.publish_site(site, on_demand_pdfs),
        None => live.publish_failure(failure_text(&diagnostics, &sources)),
    }
    reporter.built(&BuildReport {
        diagnostics: &diagnostics,
        sources: &sources,
        files,
        elapsed: started.elapsed(),
        first,
        pages: memory.render.pages.last_counts(),
    });
}

/// The diagnostics as the terminal shows them, errors first, for the overlay.
fn failure_text(diagnostics: &Diagnostics, sources: &SourceCache) -> String {
    let mut ordered: Vec<&Diagnostic> = diagnostics.iter().collect();
    ordered.sort_by_key(|d| std::cmp::Reverse(d.severity == Severity::Error));
    ordered
        .iter()
        .map(|d| d.render(sources))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Answers one connection; an event stream goes on on a thread of its own, so the
/// request threads stay free.
fn handle_connection(stream: TcpStream, live: &Arc<LiveSite>) -> io::Result<()> {
    let Some(request) = http::read_request(&stream)? else {
        let bad = http::Response::new(400, "text/plain; charset=utf-8", "bad request\n");
        return http::write_response(&stream, &bad, false);
    };
    if let Some(page) = request.path.strip_prefix(routes::EVENTS_PATH) {
        if page.is_empty() || page.starts_with('/') {
            let (live, file) = (Arc::clone(live), routes::site_file(page));
            thread::spawn(move || stream_events(&stream, &live, &file));
            return Ok(());
        }
    }
    let response = routes::respond(&request, &live.snapshot());
    http::write_response(&stream, &response, request.method == "HEAD")
}

/// Sends the current state as the page showing `file` sees it, then one event per
/// build, until the browser goes away.
fn stream_events(stream: &TcpStream, live: &LiveSite, file: &str) -> io::Result<()> {
    stream.set_write_timeout(Some(KEEP_ALIVE))?;
    http::start_event_stream(stream)?;
    let mut snapshot = live.snapshot();
    loop {
        let data = serde_json::to_string(&snapshot.event_for(file)).map_err(io::Error::other)?;
        http::write_event(stream, "state", &data)?;
        loop {
            match live.wait_for_change(snapshot.version, KEEP_ALIVE) {
                Some(next) => {
                    snapshot = next;
                    break;
                }
                None => http::write_keep_alive(stream)?,
            }
        }
    }
}
