//! `persist` of an array larger than half the memory budget goes through a temporary Zarr store
//! and reads back the same values; the store is removed when the last array reading it is
//! dropped, or when the process exits. In a file of its own: it lowers the process-wide budget.

use std::path::PathBuf;

use tessera::prelude::*;

/// The persist stores of process `pid` in the temporary directory.
fn stores_of(pid: u32) -> Vec<PathBuf> {
    let prefix = format!("tessera-persist-{pid}-");
    let mut found: Vec<PathBuf> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

#[test]
fn values_over_half_the_budget_spill_to_a_temporary_store_removed_with_its_arrays() {
    tessera::config::set_memory_budget(4 << 20);
    let x = random::Rng::new(6).normal(0.0, 1.0, [1000, 600], [250, 600]); // 4.6 MiB
    let before = stores_of(std::process::id());
    let kept = x.persist().unwrap();
    let plan = kept.optimized().unwrap().plan();
    assert!(
        plan.starts_with("from-zarr shape=(1000, 600) float64"),
        "{plan}"
    );
    assert_eq!(kept.chunks(), x.chunks());
    let stores: Vec<PathBuf> = stores_of(std::process::id())
        .into_iter()
        .filter(|s| !before.contains(s))
        .collect();
    assert_eq!(stores.len(), 1, "one store: {stores:?}");
    let mean = kept.mean_axis(0).unwrap(); // a later array reading the store
    drop(kept);
    assert!(stores[0].is_dir(), "still read by `mean`");
    tessera::config::set_memory_budget(0); // to compare whole arrays
    assert_eq!(
        mean.compute().unwrap(),
        x.mean_axis(0).unwrap().compute().unwrap(),
        "the values, bit for bit"
    );
    drop(mean);
    assert!(
        !stores[0].exists(),
        "removed with the last array reading it"
    );
}

/// The child's half of the next test: spill a store, keep its array alive, end the process.
#[test]
fn child_spills_and_exits_with_the_store_in_use() {
    if std::env::var_os("TESSERA_PERSIST_CHILD").is_none() {
        return; // only when run by the next test
    }
    tessera::config::set_memory_budget(4 << 20);
    let kept = random::Rng::new(1)
        .uniform(0.0, 1.0, [1000, 600], [250, 600])
        .persist()
        .unwrap();
    for store in stores_of(std::process::id()) {
        println!("\nSTORE {}", store.display());
    }
    // Never dropped: only the exit can remove the store.
    std::mem::forget(kept);
}

#[test]
fn a_store_still_in_use_is_removed_at_process_exit() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_spills_and_exits_with_the_store_in_use",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TESSERA_PERSIST_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // (libtest prints the test's name on the same line first.)
    let stores: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_once("STORE ").map(|(_, path)| path.trim()))
        .collect();
    assert_eq!(stores.len(), 1, "the child spilled one store: {stdout}");
    assert!(
        !std::path::Path::new(stores[0]).exists(),
        "{} is left after the child exited",
        stores[0]
    );
}
