//! The `opsbook` binary: parse arguments, run, exit with the code the run gives.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a build allocates and frees many small
/// strings on every rendering thread (markdown events, highlighted spans, views), and
/// glibc's malloc and free were 16% of a 10,000-page build's CPU (`perf`). Built with
/// `no_thp`: mimalloc otherwise asks for transparent huge pages, and the kernel then
/// zeroed a whole 2 MiB page for each region first touched (`clear_page_erms`, 19% of a
/// 10,000-page build after the machine had been idle). The `system-allocator` feature
/// leaves it out, so heap profilers that watch malloc see every allocation.
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_t` of the pinned C
/// library, which exports no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system after 10 ms instead of mimalloc's 1 s: with
/// 1 s, a build rendering one large audit page peaked at 17 times the scan's size
/// instead of 12 (`scripts/bench-audit-memory.sh`), for about 5% of speed on 10,000
/// pages.
const PURGE_DELAY_MS: std::os::raw::c_long = 10;

fn main() -> ExitCode {
    // SAFETY: called once, before any other thread exists; mimalloc reads the option
    // each time it decides to purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    opsbook::cli::run()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number must still name the purge delay: its default in this mimalloc
    /// is 1,000 ms, a value no neighbouring option has.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert!(default == 1000 || default == PURGE_DELAY_MS, "{default}");
    }
}
