//! Counter-based sampling of random arrays.
//!
//! Element `i` of a random array is a pure function of `(seed, stream, i)`: the stream
//! `(seed, stream)` selects a SplitMix64 stream ([`super::counter`]), element `i` uses its
//! word `i`, and the distributions map words to values as
//! defined in [`super::kernels`]. Nothing is carried from one element to the next, so any
//! chunk or slice is generated directly from its first index, in any order and on any
//! thread, and an array has identical values under every chunking and on every code path
//! ([`super::simd`]). The mapping is part of the format: changing it changes every seeded
//! array, so it is fixed (pinned by the tests).

use super::counter::SplitMix;
pub use super::counter::StreamKey;
use super::kernels;
use super::simd::{self, Kernel, Path};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// A distribution and its parameters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Distribution {
    /// Uniform on `[low, high)`. As in numpy, `low + (high - low) * u` is rounded, so when
    /// `|low|` is much larger than `high - low` a value can round up to `high` itself.
    Uniform { low: f64, high: f64 },
    /// Normal with mean `loc` and standard deviation `scale`.
    Normal { loc: f64, scale: f64 },
    /// Integers uniform on `[low, high)`; the caller guarantees `high > low`.
    Integers { low: i64, high: i64 },
}

/// Fills `out` with elements `first, first + 1, ...` of the float stream of `key` under
/// `dist` (Uniform or Normal), on the code path [`simd::selected`]. Integers is a caller bug:
/// it trips a `debug_assert`, and in release builds the integer values are written converted
/// to `f64`.
pub fn fill_f64(key: StreamKey, dist: Distribution, first: u64, out: &mut [f64]) {
    fill_f64_with(simd::selected(), key, dist, first, out)
}

/// [`fill_f64`] on a given code path (for tests and measurements; every path gives the same
/// bits). An unavailable path runs the portable one.
pub fn fill_f64_with(path: Path, key: StreamKey, dist: Distribution, first: u64, out: &mut [f64]) {
    let stream = SplitMix::new(key);
    match dist {
        Distribution::Uniform { low, high } => simd::fill(
            path,
            kernels::Uniform {
                stream,
                low,
                width: high - low,
            },
            first,
            out,
        ),
        Distribution::Normal { loc, scale } => {
            simd::fill(path, kernels::Normal { stream, loc, scale }, first, out)
        }
        Distribution::Integers { low, high } => {
            debug_assert!(false, "fill_f64 called with an Integers distribution");
            let k = kernels::Integers {
                stream,
                low,
                span: span(low, high),
            };
            for (o, i) in out.iter_mut().zip(0u64..) {
                *o = k.one(first.wrapping_add(i)) as f64;
            }
        }
    }
}

/// `high - low` as an unsigned span (the full i64 range gives `2^64 - 1`).
fn span(low: i64, high: i64) -> u64 {
    (high as i128 - low as i128) as u64
}

/// Fills `out` with elements `first, first + 1, ...` of the Integers stream of `key`, on the
/// code path [`simd::selected`]. A float distribution is a caller bug: it trips a
/// `debug_assert`, and in release builds `out` is filled with zeros.
pub fn fill_i64(key: StreamKey, dist: Distribution, first: u64, out: &mut [i64]) {
    fill_i64_with(simd::selected(), key, dist, first, out)
}

/// [`fill_i64`] on a given code path (for tests and measurements; every path gives the same
/// values). An unavailable path runs the portable one.
pub fn fill_i64_with(path: Path, key: StreamKey, dist: Distribution, first: u64, out: &mut [i64]) {
    match dist {
        Distribution::Integers { low, high } => {
            debug_assert!(high > low, "Integers needs high > low");
            let k = kernels::Integers {
                stream: SplitMix::new(key),
                low,
                span: span(low, high),
            };
            simd::fill(path, k, first, out)
        }
        _ => {
            debug_assert!(false, "fill_i64 called with a float distribution");
            out.fill(0);
        }
    }
}

/// A fresh unpredictable seed, as numpy draws for unseeded generators. A per-process base
/// comes from `RandomState` (keyed from OS randomness, different in every process) hashed with
/// the current time and process id; each call adds a global counter times an odd constant and
/// applies a bijective mixer, so two calls in one process never return the same seed.
pub fn fresh_seed() -> u64 {
    static BASE: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = *BASE.get_or_init(|| {
        let mut h = RandomState::new().build_hasher();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map(|d| d.as_nanos()).unwrap_or(0).hash(&mut h);
        std::process::id().hash(&mut h);
        h.finish()
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // SplitMix64's finalizer: a bijection on u64, so distinct inputs give distinct seeds.
    let mut z = base.wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
