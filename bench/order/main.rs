//! Issue 21's scan workload in tessera, timed: the Rust half of `bench/order/report.py`, which
//! runs dask (and numpy) on the same workload in the same run.
//!
//! ```text
//! cargo run --release --example bench_order -- WORKLOAD [REPEATS]
//! ```
//!
//! Prints one JSON line `{"workload", "best_s", "median_s", "value"}` over REPEATS runs, each
//! timing the whole cell: building the expression, lowering and computing.
//!
//! The input of every workload: `x`, (20000, 5000) float64 uniform (1e8 elements, 800 MB) in
//! (2000, 1000) chunks, so each scanned axis crosses 10 blocks.
//!
//! * `cumsum_axis0` — issue 21's `cumsum(axis=0)`, scaled from (1e5, 1e4) for the 2-core box;
//!   the last row is returned (the whole scan is computed: every block of a column is needed).
//! * `cumsum_axis1` — the same along axis 1 (5 blocks a row), the last column returned.
//! * `diff_axis0` — `diff(x, axis=0).sum()`.
//! * `gradient_axis0` — `gradient(x, 0.5, axis=0).sum()`.
//! * `sum` — `x.sum()`, the cost of making `x` once (a baseline for the others).

#[path = "../timing.rs"]
mod timing;

use tessera::prelude::*;

const SHAPE: [usize; 2] = [20000, 5000];
const CHUNKS: [usize; 2] = [2000, 1000];

fn workload(name: &str) -> Result<f64> {
    let x = random::Rng::new(0).uniform(0.0, 1.0, SHAPE, CHUNKS);
    let first = |c: Computed| Ok(c.to_vec::<f64>()[0]);
    match name {
        "cumsum_axis0" => first(x.cumsum(0)?.slice(s![-1, ..])?.compute()?),
        "cumsum_axis1" => first(x.cumsum(1)?.slice(s![.., -1])?.compute()?),
        "diff_axis0" => x.diff(1, 0)?.sum()?.compute()?.to_scalar::<f64>(),
        "gradient_axis0" => x.gradient(0.5, 0)?.sum()?.compute()?.to_scalar::<f64>(),
        "sum" => x.sum()?.compute()?.to_scalar::<f64>(),
        other => Err(Error::InvalidArgument {
            op: "bench_order",
            reason: format!("unknown workload {other}"),
        }),
    }
}

fn main() -> Result<()> {
    timing::time_workloads("cumsum_axis0", workload)
}
