//! A scan along an axis four times larger than the memory budget streams through: each block
//! is scanned from its predecessor's last slice and freed when its successor is done, so the
//! whole axis is never in memory. In a file of its own: it sets the process-wide budget and
//! reads the process's peak memory.

use tessera::prelude::*;

#[test]
fn a_cumsum_four_times_the_budget_streams_through() {
    let budget = 64 << 20;
    tessera::config::set_memory_budget(budget);
    // 16384 x 2048 float64 = 256 MiB in 1 MiB blocks, 64 of them along the scanned axis
    let x = random::Rng::new(21).uniform(0.0, 1.0, [16384, 2048], [256, 512]);
    assert_eq!(x.nbytes(), 4 * budget);
    let last = x.cumsum(0).unwrap().slice(s![-1, ..]).unwrap();
    let last = last.compute().unwrap().to_vec::<f64>();
    let sums = x.sum_axis(0).unwrap().compute().unwrap().to_vec::<f64>();
    assert_eq!(last.len(), 2048);
    for (j, (a, b)) in last.iter().zip(&sums).enumerate() {
        assert!((a - b).abs() < 1e-9 * b, "column {j}: {a} vs {b}");
    }
    let total = x.cumsum(1).unwrap().sum().unwrap().compute().unwrap();
    let total = total.to_scalar::<f64>().unwrap();
    // the sum of the running sums along a row weighs x[i, j] by 2048 - j: near 1024.5 × the sum
    let plain = sums.iter().sum::<f64>();
    assert!(
        (total / plain - 1024.5).abs() < 1.0,
        "{total} for a total {plain}"
    );
    let peak = tessera::profile::peak_resident_bytes().expect("Linux /proc") as usize;
    assert!(
        peak < budget,
        "peak {} MiB, budget {} MiB",
        peak >> 20,
        budget >> 20
    );
}
