//! What the Rust halves of the benchmarks share: `WORKLOAD [REPEATS]` from the command line,
//! each run timed whole, one JSON line `{"workload", "best_s", "median_s", "value"}`.

use std::time::Instant;

use tessera::Result;

/// Runs `workload(name)` REPEATS times (the command line's `WORKLOAD [REPEATS]`; `default`
/// and 5 without them) and prints the best and median wall time and the last value.
pub fn time_workloads(default: &str, workload: impl Fn(&str) -> Result<f64>) -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map(String::as_str).unwrap_or(default);
    let repeats: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut times = Vec::with_capacity(repeats);
    let mut value = 0.0;
    for _ in 0..repeats {
        let start = Instant::now();
        value = workload(name)?;
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"workload\": \"{name}\", \"best_s\": {}, \"median_s\": {}, \"value\": {value}}}",
        times[0],
        times[times.len() / 2]
    );
    Ok(())
}
