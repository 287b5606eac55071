//! One seed workload in tessera, timed, with its memory: the Rust half of `bench/run`.
//!
//! ```text
//! cargo run --release --example bench_seed -- WORKLOAD [REPEATS]
//! ```
//!
//! Prints one JSON line: `{"workload", "best_s", "peak_mib", "baseline_mib", "value"}` where
//! `peak_mib` is the process's peak resident memory (VmHWM) and `baseline_mib` its resident
//! memory before the first run (so `peak - baseline` is memory_profiler's "increment").

use std::time::Instant;

use tessera::prelude::*;

fn workload(name: &str) -> Result<f64> {
    match name {
        // the recipe's steps 6 and 7
        "mean0-100-square" => first_of(random::normal([10000, 10000], [1000, 1000]).mean_axis(0)?.slice(s![0..100])?),
        "mean0-100-columns" => first_of(random::normal([10000, 10000], [10000, 100]).mean_axis(0)?.slice(s![0..100])?),
        // step 9
        "sum" => first_of(random::normal([10000, 10000], [1000, 1000]).sum()?),
        // step 10, scaled to 12 GB (the 1.1 TB array has 100x more of the same chunks)
        "huge-mean" => first_of(random::uniform([150000, 10000], [10000, 10000]).mean()?),
        other => Err(Error::InvalidArgument { op: "bench_seed", reason: format!("unknown workload {other}") }),
    }
}

fn first_of(array: Array) -> Result<f64> {
    let values = array.compute()?.to_vec::<f64>();
    Ok(values[0])
}

fn rss_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let name = args.first().map(String::as_str).unwrap_or("sum");
    let repeats: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let baseline = rss_mib("VmRSS:");
    let mut best = f64::INFINITY;
    let mut value = 0.0;
    for _ in 0..repeats {
        let start = Instant::now();
        value = workload(name)?;
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{{\"workload\": \"{name}\", \"best_s\": {best:.6}, \"peak_mib\": {:.2}, \"baseline_mib\": {baseline:.2}, \"value\": {value}}}",
        rss_mib("VmHWM:")
    );
    Ok(())
}
