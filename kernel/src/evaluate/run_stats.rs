//! Measuring each cell's run where it happens: in the process that runs cells.
//!
//! evcxr tells that process to run a compiled cell with a `LOAD_AND_RUN` line on its stdin and
//! the process answers `EVCXR_EXECUTION_COMPLETE` on stdout when the cell is over. The relays
//! (see [`super::relay`]) sit on both, so they call [`run_starting`] as the command passes and
//! put a [`RUN_MARKER`] line ([`run_finished`]) just before the completion line. The kernel
//! reads it with [`parse`]. Compilation happens in other processes before the command, so it
//! is never part of these numbers.
//!
//! CPU times come from `getrusage(RUSAGE_SELF)`: every thread of the process, including
//! threads that ended during the cell. The peak is the kernel's own high-water mark: writing
//! `5` to `/proc/self/clear_refs` resets `VmHWM` to the current RSS at the start, and `VmHWM`
//! at the end is the highest RSS in between, however short the spike.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use tessera::profile::{cpu_times, peak_resident_bytes, reset_peak_resident, resident_bytes};

use crate::interpreter::RunStats;

/// Set (to anything) in the process that runs cells once the kernel reads every cell's output:
/// from then on, runs are measured.
pub const MEASURE_RUNS: &str = "TESSERA_MEASURE_RUNS";

/// Starts the line that carries one run's [`RunStats`] as JSON.
pub const RUN_MARKER: &str = "\u{1e}TESSERA-RUN ";

/// What was true when the current run started.
struct Start {
    at: Instant,
    user: Duration,
    sys: Duration,
    rss: u64,
}

static START: Mutex<Option<Start>> = Mutex::new(None);

/// Whether the kernel reads every line the cell process writes (from the cell after start-up
/// on): evcxr's start-up cells must write nothing more, as nobody reads their output and
/// evcxr waits until it has been read.
pub(crate) fn output_is_read() -> bool {
    std::env::var_os(MEASURE_RUNS).is_some()
}

/// A cell is about to run: resets the memory high-water mark and notes the time, CPU and RSS
/// (when runs are measured, see [`MEASURE_RUNS`]).
pub(crate) fn run_starting() {
    // An interrupt of the previous cell must not stop this one.
    tessera::runtime::shared().clear_interrupt();
    if !output_is_read() {
        return;
    }
    reset_peak_resident();
    let (user, sys) = cpu_times();
    let start = Start {
        at: Instant::now(),
        user,
        sys,
        rss: resident_bytes(),
    };
    *START.lock().unwrap_or_else(|e| e.into_inner()) = Some(start);
}

/// The [`RUN_MARKER`] line (with its newline) for the run that just ended, if one started.
pub(crate) fn run_finished() -> Option<String> {
    let start = START.lock().unwrap_or_else(|e| e.into_inner()).take()?;
    let wall = start.at.elapsed();
    let (user, sys) = cpu_times();
    let rss_before = start.rss;
    let peak_rss = peak_resident_bytes().unwrap_or(0).max(rss_before);
    let stats = json!({
        "wall": wall.as_secs_f64(),
        "user": user.saturating_sub(start.user).as_secs_f64(),
        "sys": sys.saturating_sub(start.sys).as_secs_f64(),
        "rss_before": rss_before,
        "peak_rss": peak_rss,
    });
    Some(format!("{RUN_MARKER}{stats}\n"))
}

/// The [`RunStats`] of a [`RUN_MARKER`] line, if `line` is one.
pub(crate) fn parse(line: &str) -> Option<RunStats> {
    let stats: Value = serde_json::from_str(line.strip_prefix(RUN_MARKER)?).ok()?;
    let seconds = |key: &str| Duration::from_secs_f64(stats[key].as_f64().unwrap_or(0.0).max(0.0));
    Some(RunStats {
        wall: seconds("wall"),
        user: seconds("user"),
        sys: seconds("sys"),
        rss_before: stats["rss_before"].as_u64()?,
        peak_rss: stats["peak_rss"].as_u64()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_measured_and_read_back() {
        std::env::set_var(MEASURE_RUNS, "1");
        run_starting();
        let block = vec![1u8; 64 << 20];
        std::hint::black_box(&block);
        drop(block);
        let line = run_finished().expect("a run started");
        assert!(run_finished().is_none(), "one line per run");
        let stats = parse(line.trim_end()).expect("the line parses");
        assert!(
            stats.peak_rss >= stats.rss_before + (60 << 20),
            "{stats:?}: the 64 MiB spike is in the peak"
        );
        assert!(stats.wall > Duration::ZERO);
        assert_eq!(parse("plain text"), None);
    }
}
