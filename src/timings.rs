//! Stage timings for profiling a build: with `OPSBOOK_TIMINGS=1` in the environment, each
//! stage prints its wall time on stderr (`timing: render 412.3 ms`). Nothing is printed
//! otherwise, and nothing timed ever reaches the output, which stays deterministic.

use std::time::Instant;

/// Measures the stretches between laps.
#[derive(Debug)]
pub struct StageTimer {
    enabled: bool,
    last: Instant,
}

impl StageTimer {
    /// Starts timing when `OPSBOOK_TIMINGS` is set (to anything but `0`).
    pub fn from_env() -> StageTimer {
        let enabled = std::env::var("OPSBOOK_TIMINGS").is_ok_and(|v| v != "0");
        StageTimer {
            enabled,
            last: Instant::now(),
        }
    }

    /// Ends the stage called `name` and starts the next one.
    pub fn lap(&mut self, name: &str) {
        if self.enabled {
            let now = Instant::now();
            let ms = now.duration_since(self.last).as_secs_f64() * 1000.0;
            eprintln!("timing: {name} {ms:.1} ms");
            self.last = now;
        }
    }
}
