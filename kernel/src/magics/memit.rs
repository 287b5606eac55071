//! `%memit` and `%%memit`: memory_profiler's `peak memory: 916.32 MiB, increment: 763.00 MiB`.
//! The numbers are the run's exact high-water mark (see [`RunStats`]), not a polled sample.

use tessera::profile::format_mib;

use super::parse::Options;
use super::{measured, usage_error, Measured};
use crate::interpreter::{ExecuteOutcome, Interpreter, Output, RunStats, StreamName};

/// Runs `code` `-r` times (default 1) and prints the highest peak and its increment over the
/// memory before the first run. An error stops the runs; the line is printed first if a run was
/// measured.
pub(super) fn run(
    inner: &mut impl Interpreter,
    options: &Options<'_>,
    code: &str,
    output: &dyn Output,
) -> ExecuteOutcome {
    let (repeat, _interval) = match (options.get::<u32>('r', 1), options.get::<f64>('i', 0.1)) {
        (Ok(r), Ok(i)) => (r, i),
        (Err(e), _) | (_, Err(e)) => return usage_error(&e),
    };
    let mut runs: Vec<RunStats> = Vec::new();
    let mut outcome = ExecuteOutcome::Ok { result: None };
    for _ in 0..repeat {
        let Measured {
            outcome: this, run, ..
        } = measured(inner, code, output);
        runs.extend(run);
        outcome = this;
        if matches!(outcome, ExecuteOutcome::Error(_)) {
            break;
        }
    }
    if let Some(line) = report(&runs) {
        output.stream(StreamName::Stdout, &line);
    }
    outcome
}

/// memory_profiler's line for these runs: the highest peak, and its increment over the memory
/// before the first run.
pub(super) fn report(runs: &[RunStats]) -> Option<String> {
    let baseline = runs.first()?.rss_before as i64;
    let peak = runs.iter().map(|r| r.peak_rss).max()? as i64;
    Some(format!(
        "peak memory: {}, increment: {}\n",
        format_mib(peak),
        format_mib(peak - baseline)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_profiler_line() {
        let mib = 1u64 << 20;
        let run = |before: u64, peak: u64| RunStats {
            rss_before: before * mib / 100,
            peak_rss: peak * mib / 100,
            ..RunStats::default()
        };
        assert_eq!(
            report(&[run(15332, 91632)]).unwrap(),
            "peak memory: 916.32 MiB, increment: 763.00 MiB\n"
        );
        assert_eq!(
            report(&[run(10000, 12000), run(11000, 15000)]).unwrap(),
            "peak memory: 150.00 MiB, increment: 50.00 MiB\n"
        );
        assert_eq!(report(&[]), None);
    }
}
