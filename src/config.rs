//! Process-wide settings, as dask's `dask.config`: the target chunk size for `"auto"` chunks,
//! the fan-in of tree reductions, whether `compute()` optimizes the plan first, and the memory
//! budget a computation may use.
//!
//! # Examples
//!
//! ```
//! use tessera::config;
//! let before = config::chunk_size();
//! config::set_chunk_size(64 << 20); // 64 MiB "auto" chunks
//! assert_eq!(config::chunk_size(), 64 << 20);
//! config::set_chunk_size(before);
//! ```

use std::sync::atomic::Ordering;

// The values live in the process's shared state, so that inside the Jupyter kernel a setting
// made in one cell holds in the next (each cell has its own copy of the engine).
use crate::shared::shared;
pub use crate::shared::{DEFAULT_CHUNK_SIZE, DEFAULT_SPLIT_EVERY};

/// Target bytes per chunk used when chunks are `"auto"`.
pub fn chunk_size() -> usize {
    shared().chunk_size.load(Ordering::Relaxed)
}

/// Sets the target bytes per chunk for `"auto"` chunks (values below 1 are taken as 1).
pub fn set_chunk_size(bytes: usize) {
    shared().chunk_size.store(bytes.max(1), Ordering::Relaxed);
}

/// How many partial results a tree reduction combines in one task.
pub fn split_every() -> usize {
    shared().split_every.load(Ordering::Relaxed)
}

/// Sets the fan-in of tree reductions (values below 2 are taken as 2).
pub fn set_split_every(fan_in: usize) {
    shared().split_every.store(fan_in.max(2), Ordering::Relaxed);
}

/// Whether [`Array::compute`](crate::Array::compute) rewrites the plan with the optimizer
/// before lowering it (default `true`; dask's `optimize_graph`).
pub fn optimize_enabled() -> bool {
    shared().optimize.load(Ordering::Relaxed)
}

/// Turns the plan optimizer on or off for every following `compute()` in the process. Results
/// are identical either way; off is for comparing and debugging.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let x = random::Rng::new(7).normal(0.0, 1.0, [40, 30], [10, 10]).mean_axis(0)?.slice(s![2..5])?;
/// let optimized = x.compute()?;
/// tessera::config::set_optimize(false);
/// let plain = x.compute()?;
/// tessera::config::set_optimize(true);
/// assert_eq!(optimized, plain);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn set_optimize(on: bool) {
    shared().optimize.store(on, Ordering::Relaxed);
}

/// The memory a computation may use, in bytes: by default 60% of the machine's RAM (or 4 GiB
/// where it cannot be read). `compute()` refuses, before starting, a plan whose estimated peak
/// is above it ([`Error::MemoryBudget`](crate::Error::MemoryBudget)) rather than risk being
/// killed for running out of memory.
pub fn memory_budget() -> usize {
    match shared().memory_budget.load(Ordering::Relaxed) {
        0 => default_memory_budget(),
        bytes => bytes,
    }
}

/// Sets the memory budget of every following `compute()` (`0` restores the default).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// tessera::config::set_memory_budget(1 << 20);                 // 1 MiB
/// let too_big = ones([1000, 1000], [100, 100]).compute();      // the result alone is 7.63 MiB
/// tessera::config::set_memory_budget(0);
/// assert!(matches!(too_big, Err(tessera::Error::MemoryBudget { .. })));
/// ```
pub fn set_memory_budget(bytes: usize) {
    shared().memory_budget.store(bytes, Ordering::Relaxed);
}

/// 60% of `MemTotal` in `/proc/meminfo`, else 4 GiB.
fn default_memory_budget() -> usize {
    static DEFAULT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *DEFAULT.get_or_init(|| {
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let total_kib = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<usize>().ok());
        total_kib.map_or(4 << 30, |kib| kib / 10 * 6 * 1024)
    })
}

/// True when running inside the tessera kernel (its cell process sets `TESSERA_KERNEL`): the
/// scheduler then gives each computation a pool of its own, and displays go to the notebook.
pub fn in_kernel() -> bool {
    std::env::var_os("TESSERA_KERNEL").is_some()
}
