//! Integer-array indexing along an axis: `take` (numpy's `np.take(x, idx, axis)`),
//! `index_axis_with` (numpy's `x[idx]`), `compress` (numpy's `np.compress` with a known
//! mask) and pointwise `vindex` (numpy's `x[i, j]` with index arrays, dask's `x.vindex`).
//! Lazy: the plan holds the indices; each output chunk reads only the input blocks its
//! indices fall in (see `expr::take`).

use std::sync::Arc;

use ndarray::{ArrayBase, Data, Dimension};

use crate::array::Array;
use crate::error::{Error, Result};
use crate::expr::take::{resolve_indices, take_chunks};
use crate::expr::{ExprKind, Node};
use crate::ops::reduce::normalize_axis;

/// Integer indices for [`Array::take`]: their values (negative ones count from the end) and
/// their shape (numpy puts it in place of the indexed axis).
///
/// Implemented for `Vec`s, slices and arrays of `i32`, `i64` or `usize` (so `[3, 0, -1]`
/// works), ndarray arrays of `i64` of any dimension, and tessera arrays of an integer dtype.
/// A tessera array is **computed when the selection is made** (the result's shape depends on
/// its values; dask too needs index arrays' values to plan a `take`).
pub trait Indices {
    /// The index values in C order and their shape.
    fn into_indices(self) -> Result<(Vec<i64>, Vec<usize>)>;
}

macro_rules! indices_from {
    ($($t:ty),*) => {$(
        impl Indices for Vec<$t> {
            fn into_indices(self) -> Result<(Vec<i64>, Vec<usize>)> {
                let n = self.len();
                Ok((self.into_iter().map(|i| i as i64).collect(), vec![n]))
            }
        }
        impl Indices for &Vec<$t> {
            fn into_indices(self) -> Result<(Vec<i64>, Vec<usize>)> {
                self.as_slice().into_indices()
            }
        }
        impl Indices for &[$t] {
            fn into_indices(self) -> Result<(Vec<i64>, Vec<usize>)> {
                Ok((self.iter().map(|&i| i as i64).collect(), vec![self.len()]))
            }
        }
        impl<const N: usize> Indices for [$t; N] {
            fn into_indices(self) -> Result<(Vec<i64>, Vec<usize>)> {
                self.as_slice().into_indices()
            }
        }
        impl<const N: usize> Indices for &[$t; N] {
            fn into_indices(self) -> Result<(Vec<i64>, Vec<usize>)> {
                self.as_slice().into_indices()
            }
        }
    )*};
}
indices_from!(i32, i64, usize);

impl<S: Data<Elem = i64>, D: Dimension> Indices for &ArrayBase<S, D> {
    fn into_indices(self) -> Result<(Vec<i64>, Vec<usize>)> {
        Ok((self.iter().copied().collect(), self.shape().to_vec()))
    }
}

impl Indices for &Array {
    fn into_indices(self) -> Result<(Vec<i64>, Vec<usize>)> {
        if !self.dtype().is_integer() {
            return Err(Error::invalid(
                "take",
                format!(
                    "arrays used as indices must be of integer type, got {}",
                    self.dtype()
                ),
            ));
        }
        let values = self.compute()?;
        Ok((values.to_vec::<i64>(), values.shape().to_vec()))
    }
}

impl Array {
    /// numpy's `np.take(x, indices, axis)`: the elements at `indices` along `axis`, in that
    /// order (unsorted and repeated indices are fine; negative ones count from the end). The
    /// indices' shape takes the axis' place (1-D indices keep the number of axes, a 0-d index
    /// drops it). Lazy.
    ///
    /// Chunks: sorted indices give one chunk per run within an input block, unsorted ones
    /// chunks as long as the input's largest block along the axis; an output chunk costs one
    /// task per input block it reads and one to put them in order, so a million random indices
    /// into ten blocks make a handful of tasks, not a million (dask's chunk explosion).
    ///
    /// **Errors**: an index outside `-len..len`, as numpy's `IndexError` names it; an axis out
    /// of range; a non-integer index array.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 12, 1, 5).reshape([3, 4])?;
    /// let cols = x.take([3, 0, 0, -1], 1)?;
    /// assert_eq!(cols.shape(), &[3, 4]);
    /// assert_eq!(cols.compute()?.to_vec::<i64>(), vec![3, 0, 0, 3, 7, 4, 4, 7, 11, 8, 8, 11]);
    /// // indices from a lazy integer array (computed now), and of two dimensions
    /// let rows = x.take(&arange(1, 3, 1, 1), 0)?;
    /// assert_eq!(rows.compute()?.to_vec::<i64>()[..4], [4, 5, 6, 7]);
    /// let grid = ndarray::array![[0i64, 1], [1, 0]];
    /// assert_eq!(x.take(&grid, 0)?.shape(), &[2, 2, 4]);
    /// assert_eq!(
    ///     x.take([3], 0).unwrap_err().to_string(),
    ///     "take: index 3 is out of bounds for axis 0 with size 3"
    /// );
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn take(&self, indices: impl Indices, axis: isize) -> Result<Array> {
        let input = self.node()?;
        let axis = normalize_axis("take", axis, input.shape.len())?;
        let (values, index_shape) = indices.into_indices()?;
        let indices = resolve_indices("take", &values, axis, input.shape[axis])?;
        let mut blocks = input.chunks.as_slice().to_vec();
        blocks[axis] = take_chunks(&indices, input.chunks.axis(axis));
        let chunks = crate::chunks::Chunks::from_vec(blocks);
        let shape = chunks.shape();
        let kind = ExprKind::Take {
            input: input.clone(),
            axis,
            indices: Arc::new(indices),
        };
        let taken = Array::from_node(Node::new(kind, shape.clone(), input.dtype, chunks));
        if index_shape.len() == 1 {
            return Ok(taken);
        }
        let mut full = shape[..axis].to_vec();
        full.extend_from_slice(&index_shape);
        full.extend_from_slice(&shape[axis + 1..]);
        taken.reshape(full)
    }

    /// numpy's `x[indices]`: [`take`](Array::take) along the first axis.
    ///
    /// **Errors**: those of `take`; a 0-d array (no axis to index).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 10, 1, 3) * 10;
    /// let picked = x.index_axis_with(vec![9, 0, 9, -2])?;
    /// assert_eq!(picked.compute()?.to_vec::<i64>(), vec![90, 0, 90, 80]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn index_axis_with(&self, indices: impl Indices) -> Result<Array> {
        self.take(indices, 0)
    }

    /// numpy's `np.compress(condition, x, axis)` with a known mask: the elements along `axis`
    /// where `condition` is true; a condition shorter than the axis counts as false beyond its
    /// end. Lazy in `x` (a [`take`](Array::take) of the true positions).
    ///
    /// **Errors**: a condition longer than the axis (numpy's message); an axis out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 6, 1, 4).reshape([2, 3])?;
    /// let kept = x.compress(&[true, false, true], 1)?;
    /// assert_eq!(kept.compute()?.to_vec::<i64>(), vec![0, 2, 3, 5]);
    /// assert_eq!(x.compress(&[false, true], 0)?.compute()?.to_vec::<i64>(), vec![3, 4, 5]);
    /// assert!(x.compress(&[true; 4], 0).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn compress(&self, condition: &[bool], axis: isize) -> Result<Array> {
        let ndim = self.node()?.shape.len();
        let resolved = normalize_axis("compress", axis, ndim)?;
        let len = self.shape()[resolved];
        if condition.len() > len {
            return Err(Error::IndexOutOfBounds {
                op: "compress",
                index: condition.len() as isize - 1,
                axis: resolved,
                size: len,
            });
        }
        let kept: Vec<usize> = (0..condition.len()).filter(|&i| condition[i]).collect();
        self.take(kept, axis)
    }

    /// numpy's `x[i0, i1, …]` with one integer list per leading axis (dask's `x.vindex`):
    /// element `k` of the result is `x[i0[k], i1[k], …, ...]`, the lists broadcast together
    /// (each of one length, or 1), so the result's shape is `(k,)` and the axes not indexed.
    /// Lazy: the indexed axes are merged (a reshape) and the merged positions taken.
    ///
    /// **Errors**: no lists or more lists than axes; lists that do not broadcast (numpy's
    /// message); an index outside its axis, naming it.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 24, 1, 5).reshape([4, 6])?;
    /// // numpy: x[[0, 3, -1], [5, 0, 2]]
    /// let diagonal = x.vindex(&[vec![0, 3, -1], vec![5, 0, 2]])?;
    /// assert_eq!(diagonal.compute()?.to_vec::<i64>(), vec![5, 18, 20]);
    /// // a list of one broadcasts: x[[1], [0, 1, 2]]
    /// assert_eq!(x.vindex(&[vec![1], vec![0, 1, 2]])?.compute()?.to_vec::<i64>(), vec![6, 7, 8]);
    /// assert!(x.vindex(&[vec![0, 1], vec![0, 1, 2]]).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn vindex(&self, indices: &[Vec<i64>]) -> Result<Array> {
        let shape = self.node()?.shape.clone();
        if indices.is_empty() || indices.len() > shape.len() {
            return Err(Error::invalid(
                "vindex",
                format!(
                    "too many indices for array: array is {}-dimensional, but {} were indexed \
                     (at least one is needed)",
                    shape.len(),
                    indices.len()
                ),
            ));
        }
        // numpy's broadcasting of 1-D lists: one length, or 1.
        let k = indices.iter().map(Vec::len).find(|&n| n != 1).unwrap_or(1);
        if indices.iter().any(|i| i.len() != k && i.len() != 1) {
            let shapes: Vec<String> = indices.iter().map(|i| format!("({},)", i.len())).collect();
            return Err(Error::invalid(
                "vindex",
                format!(
                    "shape mismatch: indexing arrays could not be broadcast together with \
                     shapes {}",
                    shapes.join(" ")
                ),
            ));
        }
        let mut flat = vec![0i64; k];
        for (axis, list) in indices.iter().enumerate() {
            let resolved = resolve_indices("vindex", list, axis, shape[axis])?;
            for (j, f) in flat.iter_mut().enumerate() {
                let i = resolved[if resolved.len() == 1 { 0 } else { j }];
                *f = *f * shape[axis] as i64 + i as i64;
            }
        }
        let m = indices.len();
        let mut merged = vec![shape[..m].iter().product::<usize>()];
        merged.extend_from_slice(&shape[m..]);
        self.reshape(merged)?.take(flat, 0)
    }
}
