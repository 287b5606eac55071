//! One plot workload in tessera, timed, with its peak memory: the Rust half of
//! `bench/plot.py` (issue 23's targets).
//!
//! ```text
//! cargo run --release --example bench_plot -- WORKLOAD
//! ```
//!
//! Prints one JSON line `{"workload", "wall_s", "peak_mib", "baseline_mib"}`. Workloads:
//! `imshow` (of `normal([100000, 100000], [10000, 10000])`, to PNG bytes), `hist_1e9` and
//! `hist_1e9_auto` (100 bins of 1e9 lazy normals, with a range and without), `hist_1e8`,
//! `zarr_write` then `zarr_overview` (an 8 GiB Zarr store of 256 chunks written to `$TMPDIR`,
//! then its 1000 × 1000 overview, the store removed after; the value is how many store chunks
//! were decoded, an error unless each was decoded once).

use std::time::Instant;

use tessera::plot::{histogram, Figure};
use tessera::prelude::*;

/// The 8 GiB store of `zarr_write` and `zarr_overview`: 32768 × 32768 f64 in chunks of
/// 2048 × 2048.
fn zarr_store() -> std::path::PathBuf {
    std::env::temp_dir().join("tessera-bench-plot-8g.zarr")
}

fn workload(name: &str) -> Result<usize> {
    let normals = |n: usize| random::Rng::new(1).normal(0.0, 1.0, [n], [n / 100]);
    match name {
        "imshow" => {
            let mut fig = Figure::new();
            fig.ax()
                .imshow(random::normal([100000, 100000], [10000, 10000]))?;
            Ok(fig.png()?.len())
        }
        "hist_1e9" => {
            Ok(histogram(normals(1_000_000_000), 100, Some((-5.0, 5.0)))?.counts[50] as usize)
        }
        "hist_1e9_auto" => Ok(histogram(normals(1_000_000_000), 100, None)?.counts[50] as usize),
        "hist_1e8" => {
            Ok(histogram(normals(100_000_000), 100, Some((-5.0, 5.0)))?.counts[50] as usize)
        }
        "zarr_write" => {
            random::Rng::new(2)
                .normal(0.0, 1.0, [32768, 32768], [2048, 2048])
                .to_zarr(zarr_store())?;
            Ok(256)
        }
        "zarr_overview" => {
            let stored = tessera::io::from_zarr(zarr_store())?;
            let profiler = std::sync::Arc::new(tessera::diagnostics::Profiler::new());
            let guard = tessera::diagnostics::register(profiler.clone());
            let o = tessera::plot::overview(&stored, [1000, 1000])?;
            drop(guard);
            std::fs::remove_dir_all(zarr_store()).map_err(|e| Error::Io {
                path: zarr_store().display().to_string(),
                reason: e.to_string(),
            })?;
            let decoded = profiler
                .results()
                .iter()
                .filter(|t| t.operation == "from-zarr")
                .count();
            // 1 in 33 rows and columns: 993 × 993 pixels.
            match (decoded, o.values.shape()) {
                (256, [993, 993]) => Ok(decoded),
                (n, shape) => Err(Error::InvalidArgument {
                    op: "bench_plot",
                    reason: format!("{n} chunk reads of 256, an overview of shape {shape:?}"),
                }),
            }
        }
        other => Err(Error::InvalidArgument {
            op: "bench_plot",
            reason: format!("no workload {other:?}"),
        }),
    }
}

fn main() -> Result<()> {
    let name = std::env::args().nth(1).unwrap_or_else(|| "imshow".into());
    let mib = |b: u64| b as f64 / (1u64 << 20) as f64;
    let baseline = mib(tessera::profile::resident_bytes());
    let start = Instant::now();
    let value = workload(&name)?;
    let wall = start.elapsed().as_secs_f64();
    println!(
        "{{\"workload\": \"{name}\", \"wall_s\": {wall:.4}, \"peak_mib\": {:.1}, \"baseline_mib\": {baseline:.1}, \"value\": {value}}}",
        mib(tessera::profile::peak_resident_bytes().unwrap_or(0))
    );
    Ok(())
}
