//! Issue 20's indexing workloads in tessera, timed: the Rust half of `bench/indexing.py`, which
//! runs dask on the same inputs in the same run.
//!
//! ```text
//! cargo run --release --example bench_indexing -- WORKLOAD DIR [REPEATS]
//! ```
//!
//! Workloads (inputs in DIR, written by `bench/indexing.py`):
//! * `take`: `x.take(idx, 0).sum()`, `x` uniform (1e7, 16) float64 from `DIR/rows.npy` in
//!   1e6-row chunks, `idx` 1e6 random indices (unsorted, repeated) from `DIR/idx.npy`;
//! * `permutation`: `random::permutation(1e8, 1e7).sum()`;
//! * `masked_sum`: `where_(x > 0.9, x, 0).sum()` over `DIR/x.npy` (the value of dask's
//!   `x[x > 0.9].sum()`; tessera has no mask of unknown length yet).
//!
//! Prints one JSON line: `{"workload", "wall_s", "cpu_s", "tasks", "chunks", "value"}` for the
//! fastest of REPEATS runs (`cpu_s`: that run's CPU time, all threads; `tasks`: the graph's task
//! count; `chunks`: the input's).

use std::time::Instant;

use tessera::io::from_npy;
use tessera::prelude::*;

fn build(name: &str, dir: &str) -> Result<(Array, usize)> {
    Ok(match name {
        "take" => {
            let x = from_npy(format!("{dir}/rows.npy"), [1_000_000, 16])?;
            let idx = from_npy(format!("{dir}/idx.npy"), -1)?;
            let chunks = x.npartitions();
            (x.take(&idx, 0)?.sum()?, chunks)
        }
        "permutation" => {
            let p = random::Rng::new(20).permutation(100_000_000, 10_000_000);
            let chunks = p.npartitions();
            (p.sum()?, chunks)
        }
        "masked_sum" => {
            let x = from_npy(format!("{dir}/x.npy"), 10_000_000)?;
            let chunks = x.npartitions();
            (where_(&x.gt(0.9), &x, 0.0).sum()?, chunks)
        }
        other => {
            return Err(Error::InvalidArgument {
                op: "bench_indexing",
                reason: format!("no workload {other}"),
            })
        }
    })
}

/// CPU time of the process so far (user + system, all threads).
fn cpu_seconds() -> f64 {
    let (user, sys) = tessera::profile::cpu_times();
    (user + sys).as_secs_f64()
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (name, dir) = (&args[1], &args[2]);
    let repeats: usize = args.get(3).map_or(3, |r| r.parse().expect("REPEATS"));
    let (mut best, mut cpu) = (f64::INFINITY, 0.0);
    let (mut value, mut tasks, mut chunks) = (0.0, 0, 0);
    for _ in 0..repeats {
        let (start, cpu_start) = (Instant::now(), cpu_seconds());
        let (result, input_chunks) = build(name, dir)?;
        let computed = result.compute()?;
        value = match computed.dtype() {
            DType::Float64 => computed.to_scalar::<f64>()?,
            _ => computed.to_scalar::<i64>()? as f64,
        };
        let elapsed = start.elapsed().as_secs_f64();
        if elapsed < best {
            (best, cpu) = (elapsed, cpu_seconds() - cpu_start);
        }
        tasks = tessera::graph::lower(&result.optimized()?)?.tasks.len();
        chunks = input_chunks;
    }
    println!(
        "{{\"workload\": \"{name}\", \"wall_s\": {best}, \"cpu_s\": {cpu}, \"tasks\": {tasks}, \
         \"chunks\": {chunks}, \"value\": {value}}}"
    );
    Ok(())
}
