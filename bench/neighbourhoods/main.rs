//! The neighbourhood workloads of issue 22 in tessera, timed: the Rust half of
//! `bench/neighbourhoods/report.py`, which runs dask on the same workloads in the same run.
//!
//! ```text
//! cargo run --release --example bench_neighbourhoods -- WORKLOAD [REPEATS]
//! ```
//!
//! Prints one JSON line `{"workload", "best_s", "median_s", "value"}` over REPEATS runs, each
//! timing the whole cell: building the expression, optimizing, lowering and computing.
//!
//! * `map_overlap_sample` — coiled/benchmarks `test_map_overlap_sample`: `x` (10000, 10000) in
//!   (50, 50) chunks, `x.map_overlap(identity, depth=1)[5000:5010, 5000:5010]`.

#[path = "../timing.rs"]
mod timing;

use ndarray::ArrayViewD;
use tessera::prelude::*;

fn workload(name: &str) -> Result<f64> {
    match name {
        "map_overlap_sample" => {
            let x = random::Rng::new(0).uniform(0.0, 1.0, [10000, 10000], [50, 50]);
            let y = x.map_overlap(
                |b: ArrayViewD<f64>| b.to_owned(),
                1,
                Boundary::Reflect,
                true,
            )?;
            let part = y.slice(s![5000..5010, 5000..5010])?.compute()?;
            Ok(part.to_vec::<f64>()[0])
        }
        other => Err(Error::InvalidArgument {
            op: "bench_neighbourhoods",
            reason: format!("unknown workload {other}"),
        }),
    }
}

fn main() -> Result<()> {
    timing::time_workloads("map_overlap_sample", workload)
}
