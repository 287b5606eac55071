//! Boolean selection: `mask`/`extract` (numpy's `x[m]` and `np.extract`), `flatnonzero`,
//! `nonzero` and `argwhere`. How many elements they select is known only from the mask's
//! values, and tessera's chunk grids have no unknown lengths yet (dask's NaN chunks), so **the
//! mask is computed when the selection is made**; the array selected from stays lazy (a
//! [`take`](Array::take) of the true positions).

use crate::array::Array;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::ops::creation::from_array;

impl Array {
    /// The flat (C order) positions where `self` is nonzero (true for bool; NaN counts as
    /// nonzero, as numpy's), as an int64 array in `chunks`. Computes `self` now.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::array![[0.0, 2.0], [f64::NAN, 0.0]], 1);
    /// assert_eq!(x.flatnonzero(10)?.compute()?.to_vec::<i64>(), vec![1, 2]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn flatnonzero(&self, chunks: usize) -> Result<Array> {
        let positions = self.true_positions()?;
        Ok(from_array(ndarray::Array1::from(positions), chunks.max(1)))
    }

    /// numpy's `np.nonzero(x)`: one int64 array per axis of the indices where `self` is
    /// nonzero, in C order. Computes `self` now.
    ///
    /// **Errors**: a 0-d array (numpy refuses it too).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::array![[0, 3], [4, 0]], 1);
    /// let [rows, cols] = &x.nonzero(10)?[..] else { unreachable!() };
    /// assert_eq!(rows.compute()?.to_vec::<i64>(), vec![0, 1]);
    /// assert_eq!(cols.compute()?.to_vec::<i64>(), vec![1, 0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn nonzero(&self, chunks: usize) -> Result<Vec<Array>> {
        Ok(self
            .unravelled()?
            .into_iter()
            .map(|axis| from_array(ndarray::Array1::from(axis), chunks.max(1)))
            .collect())
    }

    /// numpy's `np.argwhere(x)`: the indices where `self` is nonzero, one row each, as an int64
    /// array of shape `(count, ndim)` in chunks of `chunks` rows. Computes `self` now.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::array![[0, 3], [4, 0]], 1);
    /// let w = x.argwhere(10)?;
    /// assert_eq!(w.shape(), &[2, 2]);
    /// assert_eq!(w.compute()?.to_vec::<i64>(), vec![0, 1, 1, 0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn argwhere(&self, chunks: usize) -> Result<Array> {
        let axes = self.unravelled_any_ndim()?;
        let count = match axes.first() {
            Some(first) => first.len(),
            None => self.true_positions()?.len(), // 0-d: (1, 0) if nonzero, as numpy's
        };
        let ndim = axes.len();
        let rows = ndarray::Array2::from_shape_fn((count, ndim), |(i, a)| axes[a][i]);
        Ok(from_array(rows, vec![chunks.max(1), ndim.max(1)]))
    }

    /// numpy's `x[mask]` (and `np.extract(mask, x)`): the elements of `self` where `mask` is
    /// true, flattened in C order. The mask is computed now; `self` stays lazy (a `take`).
    ///
    /// **Errors**: a mask that is not bool or not of `self`'s shape (numpy's message).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0.0, 6.0, 1.0, 4).reshape([2, 3])?;
    /// let big = x.mask(&x.gt(2.5))?;
    /// assert_eq!(big.compute()?.to_vec::<f64>(), vec![3.0, 4.0, 5.0]);
    /// assert_eq!(x.mask(&x.gt(9.0))?.shape(), &[0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn mask(&self, mask: &Array) -> Result<Array> {
        self.check()?;
        mask.check()?;
        if mask.dtype() != DType::Bool {
            return Err(Error::invalid(
                "mask",
                format!("a mask must be a bool array, got {}", mask.dtype()),
            ));
        }
        if let Some(axis) =
            (0..self.ndim().max(mask.ndim())).find(|&a| self.shape().get(a) != mask.shape().get(a))
        {
            return Err(Error::invalid(
                "mask",
                format!(
                    "boolean index did not match indexed array along axis {axis}; size of axis \
                     is {} but size of corresponding boolean axis is {} (shapes {:?} and {:?})",
                    self.shape().get(axis).map_or(0, |&n| n),
                    mask.shape().get(axis).map_or(0, |&n| n),
                    self.shape(),
                    mask.shape()
                ),
            ));
        }
        let flat = self.reshape([-1])?;
        flat.take(mask.true_positions()?, 0)
    }

    /// numpy's `np.extract(condition, x)`: [`mask`](Array::mask) with the arguments numpy's way
    /// round.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 5, 1, 2);
    /// assert_eq!(x.extract(&x.ge(3))?.compute()?.to_vec::<i64>(), vec![3, 4]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn extract(&self, condition: &Array) -> Result<Array> {
        self.mask(condition)
    }

    /// The flat positions where `self` is nonzero, computed.
    fn true_positions(&self) -> Result<Vec<i64>> {
        let truth = self.astype(DType::Bool).compute()?.to_vec::<bool>();
        Ok((0..truth.len() as i64)
            .filter(|&i| truth[i as usize])
            .collect())
    }

    /// Per axis, the indices of the nonzero elements (none for a 0-d array).
    fn unravelled_any_ndim(&self) -> Result<Vec<Vec<i64>>> {
        let flat = self.true_positions()?;
        let shape = self.shape().to_vec();
        let mut axes = vec![Vec::with_capacity(flat.len()); shape.len()];
        for &p in &flat {
            let mut rest = p as usize;
            for (axis, &len) in shape.iter().enumerate().rev() {
                axes[axis].push((rest % len) as i64);
                rest /= len;
            }
        }
        Ok(axes)
    }

    /// [`unravelled_any_ndim`](Self::unravelled_any_ndim), refusing 0-d arrays as numpy's
    /// `nonzero` does.
    fn unravelled(&self) -> Result<Vec<Vec<i64>>> {
        self.check()?;
        if self.ndim() == 0 {
            return Err(Error::invalid(
                "nonzero",
                "calling nonzero on 0d arrays is not allowed; use atleast_1d(x).nonzero()",
            ));
        }
        self.unravelled_any_ndim()
    }
}
