//! The seed workload runs without allocating the 763 MiB array: this test binary's peak resident
//! memory (`VmHWM`, its own process) stays under 150 MiB while it computes
//! `normal([10000, 10000], [1000, 1000]).mean_axis(0)[0:100]` and `.sum()`.
//! (One test in this file, so nothing else shares the process's peak.)

use tessera::prelude::*;

fn peak_rss_mib() -> f64 {
    tessera::profile::peak_resident_bytes().expect("Linux /proc") as f64 / 1048576.0
}

#[test]
fn seed_workload_stays_out_of_core() -> Result<()> {
    let y = random::Rng::new(5).normal(0.0, 1.0, [10000, 10000], [1000, 1000]);
    assert_eq!(y.nbytes(), 800_000_000);
    let part = y.mean_axis(0)?.slice(s![0..100])?.compute()?;
    assert_eq!(part.len(), 100);
    // means of 10000 standard normals: standard error 0.01
    assert!(part.to_vec::<f64>().iter().all(|m| m.abs() < 0.06));
    let total = y.sum()?.compute()?.to_scalar::<f64>()?;
    assert!(
        total.abs() < 6.0 * 10000.0,
        "sum of 1e8 N(0,1) has sd 1e4, got {total}"
    );
    let peak = peak_rss_mib();
    assert!(
        peak < 150.0,
        "peak RSS {peak:.1} MiB; the full array would be 763 MiB"
    );
    Ok(())
}
