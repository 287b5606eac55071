//! [`Array::persist`]: compute an array once and keep its values, in memory when they fit the
//! memory budget, else in a temporary Zarr store, so later expressions reuse them instead of
//! recomputing (dask's `persist`).

use std::sync::Arc;

use crate::array::Array;
use crate::data::with_data;
use crate::error::Result;
use crate::formats::{TempStore, ZarrArray, ZarrCodec, ZarrOptions};

impl Array {
    /// The array computed once and kept: a new array over its values, with the same chunks.
    /// Values up to half the [memory budget](crate::config::memory_budget) stay in memory;
    /// larger ones are written to a Zarr store in the system's temporary directory (uncompressed,
    /// streamed band by band) and read back lazily from there. The store is removed when the
    /// last array reading it is dropped, or when the process exits.
    ///
    /// **Errors**: the error an invalid array carries; a computation or write error.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = random::normal([2000, 1000], [500, 500]);
    /// let kept = (&x * 2.0).persist()?;                  // computed now, once
    /// assert_eq!(kept.chunks(), x.chunks());
    /// assert_eq!(kept.plan().lines().count(), 1);         // a single source: nothing to recompute
    /// let (a, b) = (kept.mean()?.compute()?, kept.std(0)?.compute()?);
    /// assert!(a.to_scalar::<f64>()?.abs() < 0.01 && (b.to_scalar::<f64>()? - 2.0).abs() < 0.01);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn persist(&self) -> Result<Array> {
        self.check()?;
        if self.nbytes() <= crate::config::memory_budget() / 2 {
            let values = self.compute()?.into_data();
            let chunks = self.chunks().clone();
            return Ok(with_data!(values, a => crate::ops::from_array(a, chunks)));
        }
        let store = Arc::new(TempStore::new());
        let options = ZarrOptions {
            codec: ZarrCodec::None,
            overwrite: true,
            ..ZarrOptions::default()
        };
        self.to_zarr_with(store.path(), &options)?;
        let stored = super::zarr::zarr_array(ZarrArray::open_owned(store)?)?;
        if stored.chunks() == self.chunks() {
            Ok(stored)
        } else {
            stored.rechunk(self.chunks())
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn small_values_stay_in_memory() {
        // (Values over half the budget spill to a Zarr store: tests/persist_spill.rs, which
        // lowers the process-wide budget in a process of its own.)
        let x = random::Rng::new(4).uniform(0.0, 1.0, [300, 200], [128, 200]);
        let kept = x.persist().unwrap();
        assert!(
            kept.plan().starts_with("array shape=(300, 200)"),
            "{}",
            kept.plan()
        );
        assert_eq!(kept.compute().unwrap(), x.compute().unwrap());
    }
}
