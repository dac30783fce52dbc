//! The `opsbook` binary: parse arguments, run, exit with the code the run gives.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a build allocates and frees many small
/// strings on every rendering thread (markdown events, highlighted spans, views), and
/// glibc's malloc and free were 16% of a 10,000-page build's CPU (`perf`). Built with
/// `no_thp`: mimalloc otherwise asks for transparent huge pages, and the kernel then
/// zeroed a whole 2 MiB page for each region first touched (`clear_page_erms`, 19% of a
/// 10,000-page build after the machine had been idle).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    opsbook::cli::run()
}
