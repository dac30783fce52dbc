//! The `opsbook` binary: parse arguments, run, exit with the code the run gives.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a build allocates and frees many small
/// strings on every rendering thread (markdown events, highlighted spans, views), and
/// glibc's malloc and free were 16% of a 10,000-page build's CPU (`perf`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    opsbook::cli::run()
}
