//! One seed workload in tessera, timed, with its CPU time and memory: the Rust half of
//! `bench/run`.
//!
//! ```text
//! cargo run --release --example bench_seed -- WORKLOAD [REPEATS]
//! ```
//!
//! Prints one JSON line: `{"workload", "wall_s", "cpu_s", "peak_mib", "baseline_mib", "value"}`
//! for the fastest of REPEATS runs: wall and CPU time (all threads) of that run, the process's
//! peak resident memory (VmHWM) and its resident memory before the first run (so
//! `peak - baseline` is memory_profiler's "increment").

use std::time::Instant;

use tessera::prelude::*;

fn workload(name: &str) -> Result<f64> {
    match name {
        // step 5: the eager version (numpy in the recipe): every value generated into memory
        "f_numpy" => {
            let x = random::normal([10000, 10000], [10000, 10000])
                .compute()?
                .into_ndarray::<f64>();
            Ok(x.mean_axis(Axis(0)).expect("non-empty").slice(s![0..100])[0])
        }
        // steps 6 and 7
        "f_dask" => first_of(
            random::normal([10000, 10000], [1000, 1000])
                .mean_axis(0)?
                .slice(s![0..100])?,
        ),
        "f_dask2" => first_of(
            random::normal([10000, 10000], [10000, 100])
                .mean_axis(0)?
                .slice(s![0..100])?,
        ),
        // step 9, and the full column means
        "sum" => first_of(random::normal([10000, 10000], [1000, 1000]).sum()?),
        "mean_axis0" => first_of(random::normal([10000, 10000], [1000, 1000]).mean_axis(0)?),
        // step 10: the 1.1 TB mean
        "huge_mean" => first_of(random::uniform([1_500_000, 100_000], [10_000, 10_000]).mean()?),
        // an 8 GiB float64 Zarr store (zstd) read and reduced: written once by `zarr_write`
        "zarr_write" => {
            let path = zarr_path();
            if !path.exists() {
                random::Rng::new(1)
                    .normal(0.0, 1.0, [32768, 32768], [4096, 4096])
                    .to_zarr(&path)?;
            }
            Ok(0.0)
        }
        "zarr_mean" => first_of(tessera::io::from_zarr(zarr_path())?.mean()?),
        other => Err(Error::InvalidArgument {
            op: "bench_seed",
            reason: format!("unknown workload {other}"),
        }),
    }
}

/// Where the Zarr workloads keep their store (`TESSERA_BENCH_ZARR`, default bench/data/).
fn zarr_path() -> std::path::PathBuf {
    std::env::var_os("TESSERA_BENCH_ZARR")
        .map_or_else(|| "bench/data/normal-8gib.zarr".into(), Into::into)
}

fn first_of(array: Array) -> Result<f64> {
    let values = array.compute()?.to_vec::<f64>();
    Ok(values[0])
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1048576.0
}

/// User + system CPU seconds of the whole process so far.
fn cpu_seconds() -> f64 {
    let (user, sys) = tessera::profile::cpu_times();
    (user + sys).as_secs_f64()
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let name = args.first().map(String::as_str).unwrap_or("sum");
    let repeats: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let baseline = mib(tessera::profile::resident_bytes());
    let (mut wall, mut cpu, mut value) = (f64::INFINITY, 0.0, 0.0);
    for _ in 0..repeats {
        let (start, cpu_start) = (Instant::now(), cpu_seconds());
        value = workload(name)?;
        let elapsed = start.elapsed().as_secs_f64();
        if elapsed < wall {
            (wall, cpu) = (elapsed, cpu_seconds() - cpu_start);
        }
    }
    println!(
        "{{\"workload\": \"{name}\", \"wall_s\": {wall:.6}, \"cpu_s\": {cpu:.6}, \"peak_mib\": {:.2}, \"baseline_mib\": {baseline:.2}, \"value\": {value}}}",
        mib(tessera::profile::peak_resident_bytes().unwrap_or(0))
    );
    Ok(())
}
