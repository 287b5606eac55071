//! Random orders and samples: `permutation`, `shuffle` and `choice`, numpy's `Generator`
//! methods. The order is drawn from the generator's next stream when the array is made (a
//! permutation of `n` costs `8n` bytes then), so it depends on the seed alone, never on the
//! chunks; the array it reorders stays lazy (a `take`).

use super::{Rng, StreamKey};
use crate::array::Array;
use crate::chunks::ChunkSpec;
use crate::error::{Error, Result};
use crate::ops::creation::from_array;
use crate::ops::reduce::normalize_axis;
use crate::prng::shuffle::{indices_with_replacement, permutation_prefix};

impl Rng {
    /// numpy's `rng.permutation(n)`: `0..n` in a random order, as int64 in `chunks`.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let p = random::Rng::new(5).permutation(10, 4).compute()?.to_vec::<i64>();
    /// let again = random::Rng::new(5).permutation(10, 7).compute()?.to_vec::<i64>();
    /// assert_eq!(p, again); // the chunks do not change the order
    /// let mut sorted = p.clone();
    /// sorted.sort();
    /// assert_eq!(sorted, (0..10).collect::<Vec<i64>>());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn permutation(&self, n: usize, chunks: impl Into<ChunkSpec>) -> Array {
        let order = order(self.next_key(), n);
        from_array(ndarray::Array1::from(order), chunks)
    }

    /// numpy's `rng.permutation(x, axis)` (and `rng.shuffle`, without mutation): `x` with its
    /// elements along `axis` in a random order. Lazy in `x`: a [`take`](Array::take).
    ///
    /// **Errors**: an axis out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 12, 1, 5).reshape([6, 2])?;
    /// let rows = random::Rng::new(1).shuffle(&x, 0)?.compute()?.to_vec::<i64>();
    /// // each row moved whole
    /// assert!(rows.chunks(2).all(|r| r[1] == r[0] + 1 && r[0] % 2 == 0));
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn shuffle(&self, x: &Array, axis: isize) -> Result<Array> {
        let resolved = normalize_axis("shuffle", axis, x.ndim())?;
        let n = x.shape()[resolved];
        x.take(order(self.next_key(), n), axis)
    }

    /// numpy's `rng.choice(x, k, replace)`: `k` elements of `x` along its first axis, drawn
    /// uniformly with or without replacement (without: a random order's first `k`). Lazy in
    /// `x`.
    ///
    /// **Errors**: a 0-d `x`; `k` larger than the axis without replacement, or any `k` from an
    /// empty axis (numpy's messages).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 100, 1, 30);
    /// let rng = random::Rng::new(3);
    /// let mut s = rng.choice(&x, 100, false)?.compute()?.to_vec::<i64>();
    /// s.sort();
    /// assert_eq!(s, (0..100).collect::<Vec<i64>>());
    /// assert_eq!(rng.choice(&x, 1000, true)?.shape(), &[1000]);
    /// assert!(rng.choice(&x, 101, false).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn choice(&self, x: &Array, k: usize, replace: bool) -> Result<Array> {
        let n = match x.shape().first() {
            Some(&n) => n,
            None => {
                x.check()?;
                return Err(Error::invalid("choice", "x must be at least 1-dimensional"));
            }
        };
        let key = self.next_key();
        let picks = if replace {
            if n == 0 && k > 0 {
                return Err(Error::invalid(
                    "choice",
                    "a cannot be empty unless no samples are taken",
                ));
            }
            indices_with_replacement(key, n as u64, k as u64)
        } else {
            if k > n {
                return Err(Error::invalid(
                    "choice",
                    format!(
                        "Cannot take a larger sample than population when replace is False \
                         (population {n}, sample {k})"
                    ),
                ));
            }
            permutation_prefix(key, n as u64, k as u64)
        };
        x.take(picks.into_iter().map(|i| i as i64).collect::<Vec<i64>>(), 0)
    }
}

/// A random order of `0..n` from `key`, as int64.
fn order(key: StreamKey, n: usize) -> Vec<i64> {
    permutation_prefix(key, n as u64, n as u64)
        .into_iter()
        .map(|i| i as i64)
        .collect()
}

/// `0..n` in a random order with a fresh seed (dask's `da.random.permutation(n)`), in `chunks`.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let p = random::permutation(1000, 100);
/// assert_eq!(p.sum()?.compute()?.to_scalar::<i64>()?, 499_500);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn permutation(n: usize, chunks: impl Into<ChunkSpec>) -> Array {
    Rng::from_entropy().permutation(n, chunks)
}
