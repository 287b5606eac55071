//! Random arrays, counter-based: element `i` (flat, C order) of a random array is a pure
//! function of `(seed, draw, i)`: word `i` of a SplitMix64 stream keyed by Philox4x32-10
//! ([`counter`]), generated with SIMD code chosen at run time ([`simd`]). This module is the
//! user's constructors ([`Rng`], [`normal`], [`uniform`]); the generator itself is a leaf of
//! the engine (`prng`), re-exported here under its old paths.
//!
//! So the same seed gives the same values **whatever the chunking**, and any slice of a random
//! array is generated directly, without its neighbours. (numpy's and dask's values change when
//! the chunks change; tessera's do not.)
//!
//! # Examples
//!
//! ```
//! use tessera::prelude::*;
//! let a = random::Rng::new(42).normal(0.0, 1.0, [100, 100], [10, 10]);
//! let b = random::Rng::new(42).normal(0.0, 1.0, [100, 100], [33, 100]);
//! assert_eq!(a.compute()?, b.compute()?);              // chunk invariant
//! let x = random::uniform([1000], 100);                  // fresh seed each call, as numpy
//! assert_ne!(x.compute()?, random::uniform([1000], 100).compute()?);
//! # Ok::<(), tessera::Error>(())
//! ```

// The generator core (a leaf: no plans, no arrays) is `crate::prng`; its modules keep their
// public paths here.
pub use crate::prng::{counter, kernels, math, philox, sample, shuffle, simd, ziggurat};

mod permute;

use std::sync::atomic::{AtomicU64, Ordering};

pub use permute::permutation;

use crate::array::Array;
use crate::chunks::ChunkSpec;
use crate::dtype::{DType, Scalar};
use crate::error::Error;
use crate::expr::Source;
use crate::ops::creation::{check_held, check_range, source_array, IntoShape};
pub use sample::{Distribution, StreamKey};

/// A seeded random generator, like numpy's `default_rng(seed)`.
///
/// Each array drawn from it uses the next stream of the seed, so two draws differ while a new
/// `Rng` with the same seed repeats them all.
#[derive(Debug)]
pub struct Rng {
    seed: u64,
    draws: AtomicU64,
}

impl Rng {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Rng {
        Rng {
            seed,
            draws: AtomicU64::new(0),
        }
    }

    /// A generator with a fresh unpredictable seed.
    pub fn from_entropy() -> Rng {
        Rng::new(sample::fresh_seed())
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The stream of this generator's next draw.
    pub(crate) fn next_key(&self) -> StreamKey {
        StreamKey {
            seed: self.seed,
            stream: self.draws.fetch_add(1, Ordering::Relaxed),
        }
    }

    fn draw(
        &self,
        dist: Distribution,
        dtype: DType,
        shape: impl IntoShape,
        chunks: impl Into<ChunkSpec>,
    ) -> Array {
        let key = self.next_key();
        source_array(
            Source::Random { key, dist },
            shape.into_shape(),
            dtype,
            chunks.into(),
        )
    }

    /// Normal (Gaussian) samples with mean `loc` and standard deviation `scale`. Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let z = random::Rng::new(7).normal(10.0, 2.0, [4000, 300], [1000, 100]);
    /// let m = z.mean()?.compute()?.to_scalar::<f64>()?;
    /// assert!((m - 10.0).abs() < 0.02);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn normal(
        &self,
        loc: f64,
        scale: f64,
        shape: impl IntoShape,
        chunks: impl Into<ChunkSpec>,
    ) -> Array {
        self.draw(
            Distribution::Normal { loc, scale },
            DType::Float64,
            shape,
            chunks,
        )
    }

    /// Standard normal samples (mean 0, standard deviation 1). Lazy.
    pub fn standard_normal(&self, shape: impl IntoShape, chunks: impl Into<ChunkSpec>) -> Array {
        self.normal(0.0, 1.0, shape, chunks)
    }

    /// Uniform samples in `[low, high)`. Lazy.
    pub fn uniform(
        &self,
        low: f64,
        high: f64,
        shape: impl IntoShape,
        chunks: impl Into<ChunkSpec>,
    ) -> Array {
        self.draw(
            Distribution::Uniform { low, high },
            DType::Float64,
            shape,
            chunks,
        )
    }

    /// Uniform int64 samples in `[low, high)`. Lazy.
    ///
    /// **Errors** (at the next fallible call): `high <= low`.
    pub fn integers(
        &self,
        low: i64,
        high: i64,
        shape: impl IntoShape,
        chunks: impl Into<ChunkSpec>,
    ) -> Array {
        match check_range(low, high) {
            Ok(()) => self.draw(
                Distribution::Integers { low, high },
                DType::Int64,
                shape,
                chunks,
            ),
            Err(e) => Array::from_error(e),
        }
    }

    /// Uniform integer samples in `[low, high)` of an integer `dtype` (numpy's
    /// `rng.integers(low, high, size, dtype=...)`): the same values as
    /// [`integers`](Rng::integers) would draw, in `dtype`. Lazy.
    ///
    /// **Errors** (at the next fallible call): `high <= low`; `dtype` not an integer dtype, or
    /// not holding `low` or `high - 1`.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = random::Rng::new(3).integers_dtype(0, 256, DType::UInt8, [100], 30);
    /// assert_eq!(x.dtype(), DType::UInt8);
    /// assert!(x.max()?.compute()?.to_scalar::<u8>()? > 200);
    /// let e = random::Rng::new(3).integers_dtype(0, 300, DType::UInt8, [9], 3);
    /// assert!(e.check().unwrap_err().to_string().contains("uint8 does not hold 299"));
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn integers_dtype(
        &self,
        low: i64,
        high: i64,
        dtype: DType,
        shape: impl IntoShape,
        chunks: impl Into<ChunkSpec>,
    ) -> Array {
        let fits = |v: i64| check_held("integers", Scalar::Int(v), dtype).map(drop);
        let checked = check_range(low, high).and_then(|()| {
            if !dtype.is_integer() {
                return Err(Error::UnsupportedDType {
                    op: "integers",
                    dtype,
                    hint: "needs an integer dtype; use uniform_dtype for floats",
                });
            }
            fits(low).and(fits(high - 1))
        });
        match checked {
            Ok(()) => self.draw(Distribution::Integers { low, high }, dtype, shape, chunks),
            Err(e) => Array::from_error(e),
        }
    }

    /// Uniform samples in `[low, high)` of a float `dtype` (numpy's `rng.random(size,
    /// dtype=...)` scaled): the float64 samples [`uniform`](Rng::uniform) draws, rounded to
    /// `dtype`. Lazy.
    ///
    /// **Errors** (at the next fallible call): `dtype` not a float dtype.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = random::Rng::new(3).uniform_dtype(0.0, 1.0, DType::Float32, [1000], 300);
    /// assert_eq!(x.dtype(), DType::Float32);
    /// assert!((x.mean()?.compute()?.to_scalar::<f64>()? - 0.5).abs() < 0.05);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn uniform_dtype(
        &self,
        low: f64,
        high: f64,
        dtype: DType,
        shape: impl IntoShape,
        chunks: impl Into<ChunkSpec>,
    ) -> Array {
        if !dtype.is_float() {
            return Array::from_error(Error::UnsupportedDType {
                op: "uniform",
                dtype,
                hint: "needs a float dtype; use integers_dtype for integers",
            });
        }
        self.draw(Distribution::Uniform { low, high }, dtype, shape, chunks)
    }
}

/// A seeded generator (numpy's name for [`Rng::new`]).
pub fn default_rng(seed: u64) -> Rng {
    Rng::new(seed)
}

/// Standard normal samples with a fresh seed (dask's `da.random.normal(size=.., chunks=..)`).
/// Lazy: nothing is generated until computed.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let y = random::normal([10000, 10000], [1000, 1000]);
/// assert_eq!(y.nbytes(), 800_000_000);          // what it would take; nothing is allocated
/// ```
pub fn normal(shape: impl IntoShape, chunks: impl Into<ChunkSpec>) -> Array {
    Rng::from_entropy().standard_normal(shape, chunks)
}

/// Uniform samples in `[0, 1)` with a fresh seed. Lazy.
pub fn uniform(shape: impl IntoShape, chunks: impl Into<ChunkSpec>) -> Array {
    Rng::from_entropy().uniform(0.0, 1.0, shape, chunks)
}

/// Uniform int64 samples in `[low, high)` with a fresh seed. Lazy.
pub fn integers(low: i64, high: i64, shape: impl IntoShape, chunks: impl Into<ChunkSpec>) -> Array {
    Rng::from_entropy().integers(low, high, shape, chunks)
}
