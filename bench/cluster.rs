//! tessera on a dask.distributed cluster: one workload through `Client::connect`, timed — the
//! Rust half of `bench/cluster.py` (which runs dask's own version on the same cluster).
//!
//! ```text
//! cargo run --release --features distributed --example bench_cluster -- ADDRESS WORKLOAD [REPEATS]
//! ```
//!
//! Prints one JSON line: `{"workload", "wall_s", "value"}` for the fastest of REPEATS runs.

use std::time::Instant;

use tessera::client::Client;
use tessera::prelude::*;

/// The workloads, as bench/cluster.py defines them for dask.
fn workload(name: &str) -> Result<Array> {
    match name {
        "sum" => random::normal([10000, 10000], [1000, 1000]).sum(),
        // The first 20 chunks (16 GB) of the seed's 1.1 TB uniform array.
        "huge_mean_20" => random::uniform([1_500_000, 100_000], [10_000, 10_000])
            .slice(s![0..20000, ..])?
            .mean(),
        other => Err(Error::InvalidArgument {
            op: "bench_cluster",
            reason: format!("unknown workload {other}"),
        }),
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (address, name) = (
        args.first().expect("ADDRESS"),
        args.get(1).map(String::as_str).unwrap_or("sum"),
    );
    let repeats: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let client = Client::connect(address)?;
    let array = workload(name)?;
    client.compute(&array).result()?; // warm: workers import tessera_dask
    let (mut wall, mut value) = (f64::INFINITY, 0.0);
    for _ in 0..repeats {
        let start = Instant::now();
        value = client.compute(&array).result()?.to_scalar::<f64>()?;
        wall = wall.min(start.elapsed().as_secs_f64());
    }
    println!("{{\"workload\": \"{name}\", \"wall_s\": {wall:.6}, \"value\": {value}}}");
    Ok(())
}
