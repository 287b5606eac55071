//! Fusion keeps memory flat: `(x * x + 1.0).sum()` over a single 763 MiB chunk never allocates
//! the chunk, nor `x * x`. In a file of its own: it reads the process's peak memory.

use tessera::prelude::*;

fn peak_mib() -> f64 {
    tessera::profile::peak_resident_bytes().expect("Linux /proc") as f64 / 1048576.0
}

#[test]
fn a_chain_under_a_sum_streams_through_tiles() {
    let x = random::Rng::new(5).normal(0.0, 1.0, [10000, 10000], [10000, 10000]);
    let y = (&x * &x + 1.0).sum().unwrap();
    assert!(y.optimized().unwrap().plan().contains("fused"));
    let total = y.compute().unwrap().to_scalar::<f64>().unwrap();
    // E[x² + 1] = 2 with standard deviation √2 per element: 1e8 of them.
    let expected = 2e8;
    assert!((total - expected).abs() < 6.0 * (2e8f64).sqrt(), "{total}");
    let peak = peak_mib();
    assert!(
        peak < 100.0,
        "peak {peak:.0} MiB: a chunk (763 MiB) was allocated"
    );
}
