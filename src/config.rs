//! Process-wide settings, as dask's `dask.config`: the target chunk size for `"auto"` chunks and
//! the fan-in of tree reductions.
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

use std::sync::atomic::{AtomicUsize, Ordering};

/// dask's default `array.chunk-size`: 128 MiB.
pub const DEFAULT_CHUNK_SIZE: usize = 128 << 20;

/// Default fan-in of tree reductions (dask's `split_every`).
pub const DEFAULT_SPLIT_EVERY: usize = 8;

static CHUNK_SIZE: AtomicUsize = AtomicUsize::new(DEFAULT_CHUNK_SIZE);
static SPLIT_EVERY: AtomicUsize = AtomicUsize::new(DEFAULT_SPLIT_EVERY);

/// Target bytes per chunk used when chunks are `"auto"`.
pub fn chunk_size() -> usize {
    CHUNK_SIZE.load(Ordering::Relaxed)
}

/// Sets the target bytes per chunk for `"auto"` chunks (values below 1 are taken as 1).
pub fn set_chunk_size(bytes: usize) {
    CHUNK_SIZE.store(bytes.max(1), Ordering::Relaxed);
}

/// How many partial results a tree reduction combines in one task.
pub fn split_every() -> usize {
    SPLIT_EVERY.load(Ordering::Relaxed)
}

/// Sets the fan-in of tree reductions (values below 2 are taken as 2).
pub fn set_split_every(fan_in: usize) {
    SPLIT_EVERY.store(fan_in.max(2), Ordering::Relaxed);
}
