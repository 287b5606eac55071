//! `persist` of an array larger than half the memory budget goes through a temporary Zarr store
//! and reads back the same values. In a file of its own: it lowers the process-wide budget.

use tessera::prelude::*;

#[test]
fn values_over_half_the_budget_spill_to_a_temporary_store() {
    tessera::config::set_memory_budget(4 << 20);
    let x = random::Rng::new(6).normal(0.0, 1.0, [1000, 600], [250, 600]); // 4.6 MiB
    let kept = x.persist().unwrap();
    let plan = kept.optimized().unwrap().plan();
    assert!(
        plan.starts_with("from-zarr shape=(1000, 600) float64"),
        "{plan}"
    );
    assert_eq!(kept.chunks(), x.chunks());
    tessera::config::set_memory_budget(0); // to compare whole arrays
    assert_eq!(
        kept.compute().unwrap(),
        x.compute().unwrap(),
        "the values, bit for bit"
    );
}
