//! A Zarr array four times larger than the memory budget streams through a computation: written
//! band by band, reduced chunk by chunk, with the process's peak memory under the budget. In a
//! file of its own: it sets the process-wide budget and reads the process's peak memory.

use tessera::prelude::*;

fn peak_bytes() -> usize {
    tessera::profile::peak_resident_bytes().expect("Linux /proc") as usize
}

#[test]
fn an_array_four_times_the_budget_streams_through() {
    let budget = 64 << 20;
    tessera::config::set_memory_budget(budget);
    let path = std::env::temp_dir().join(format!("tessera-budget-{}.zarr", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    // 4096 x 8192 float64 = 256 MiB, in 2 MiB chunks
    let x = random::Rng::new(21).uniform(0.0, 1.0, [4096, 8192], [32, 8192]);
    assert_eq!(x.nbytes(), 4 * budget);
    x.to_zarr(&path).unwrap();
    let z = tessera::io::from_zarr(&path).unwrap();
    let means = z.mean_axis(0).unwrap().compute().unwrap().to_vec::<f64>();
    let expected = x.mean_axis(0).unwrap().compute().unwrap().to_vec::<f64>();
    assert!(
        means
            .iter()
            .zip(&expected)
            .all(|(a, b)| (a - b).abs() < 1e-12),
        "same column means as the source"
    );
    let total = z
        .sum()
        .unwrap()
        .compute()
        .unwrap()
        .to_scalar::<f64>()
        .unwrap();
    let exact = x
        .sum()
        .unwrap()
        .compute()
        .unwrap()
        .to_scalar::<f64>()
        .unwrap();
    assert!((total - exact).abs() < 1e-9 * exact, "{total} vs {exact}");
    let peak = peak_bytes();
    std::fs::remove_dir_all(&path).unwrap();
    assert!(
        peak < budget,
        "peak {} MiB, budget {} MiB",
        peak >> 20,
        budget >> 20
    );
}
