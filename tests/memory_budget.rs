//! The memory budget: a computation that would not fit is refused before any task runs, with a
//! message that says what to do. In a file of its own: the budget is process-wide.

use tessera::prelude::*;

#[test]
fn a_result_larger_than_the_budget_is_refused_before_starting() {
    tessera::config::set_memory_budget(64 << 20);
    let profiler = Profiler::new();
    let y = random::normal([10000, 10000], [1000, 1000]);
    let refused = y.compute_with(&profiler);
    let message = refused.unwrap_err().to_string();
    assert!(
        // The estimate adds a 7.63 MiB block per worker thread (2 here: 778.20 MiB).
        message.starts_with("compute would need about ") && message.contains(" of memory (the result alone is 762.94 MiB), more than the memory budget of 64.00 MiB"),
        "{message}"
    );
    assert!(message.contains("tessera::config::set_memory_budget"));
    assert!(profiler.results().is_empty(), "no task ran");

    // Reductions of the same array fit: their chunks are consumed as they are made.
    let mean = y
        .mean()
        .unwrap()
        .compute_with(&profiler)
        .unwrap()
        .to_scalar::<f64>()
        .unwrap();
    assert!(mean.abs() < 1e-3);
    tessera::config::set_memory_budget(0);
    assert!(
        tessera::config::memory_budget() > 64 << 20,
        "the default is back"
    );
}
