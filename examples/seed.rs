//! The seed recipe's workload (IPython Cookbook 5.11) in tessera, with peak memory.
//!
//! ```text
//! cargo run --release --example seed
//! ```
//!
//! Prints the first column means and the total of a 10000 x 10000 standard normal array
//! (763 MiB if allocated), then the process's peak resident memory (`VmHWM`), which stays far
//! below the array's size because only the chunks a result needs are generated, and each is
//! freed once reduced.

use std::time::Instant;

use tessera::prelude::*;

fn main() -> Result<()> {
    for chunks in [[1000, 1000], [10000, 100]] {
        let y = random::normal([10000, 10000], chunks);
        println!("{y}");
        let start = Instant::now();
        let part = y.mean_axis(0)?.slice(s![0..100])?.compute()?;
        println!(
            "  mean(axis=0)[0:100] -> {} values, first {:.6}, in {:.1?}",
            part.len(),
            part.to_vec::<f64>()[0],
            start.elapsed()
        );
    }
    let y = random::normal([10000, 10000], [1000, 1000]);
    let start = Instant::now();
    let total = y.sum()?.compute()?.to_scalar::<f64>()?;
    println!("  sum() -> {total:.3} in {:.1?}", start.elapsed());
    match tessera::profile::peak_resident_bytes().map(|b| b as f64 / 1048576.0) {
        Some(peak) => println!(
            "peak memory: {peak:.2} MiB (the array would take {:.2} MiB)",
            y.nbytes() as f64 / 1048576.0
        ),
        None => println!("peak memory: unavailable on this platform"),
    }
    Ok(())
}
