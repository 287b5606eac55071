//! numpy's assignments without mutation: `x[m] = v` is `x.where_mask(&m, v)` and
//! `x[a:b, c] = y` is `x.set_slice(s![a..b, c], &y)`, each a new lazy array (tessera's arrays
//! are immutable plans; the array assigned to is unchanged).

use ndarray::SliceInfoElem;

use crate::array::Array;
use crate::error::{Error, Result};
use crate::expr::index::resolve_index;
use crate::expr::AxisIndex;
use crate::ops::creation::full;
use crate::ops::elementwise::{where_, Operand};
use crate::ops::join::concatenate;

impl Array {
    /// numpy's `x[mask] = value` (and `np.putmask`/`np.place` with one value) as a new array:
    /// `value` where `mask` is true, `x` elsewhere, in `x`'s dtype (a value of another dtype is
    /// cast as numpy's assignment casts it). `mask` broadcasts to `x`'s shape; `value` is a
    /// scalar or an array that broadcasts to it. Lazy.
    ///
    /// **Errors**: a mask or value that does not broadcast to `x`'s shape.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0.0, 6.0, 1.0, 4);
    /// let capped = x.where_mask(&x.gt(3.0), f64::NAN)?;
    /// let v = capped.compute()?.to_vec::<f64>();
    /// assert_eq!(v[..4], [0.0, 1.0, 2.0, 3.0]);
    /// assert!(v[4].is_nan() && v[5].is_nan());
    /// let m = from_array(ndarray::array![true, false, true, false], 2);
    /// let ints = arange(0, 4, 1, 2).where_mask(&m, 2.7)?;
    /// assert_eq!(ints.compute()?.to_vec::<i64>(), vec![2, 1, 2, 3]); // cast as numpy's
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn where_mask(&self, mask: &Array, value: impl Into<Operand>) -> Result<Array> {
        let out = where_(mask, value, self).astype(self.dtype());
        if let Some(e) = out.error() {
            return Err(Error::invalid(
                "where_mask",
                format!(
                    "the mask and value must broadcast to the array's shape {:?} ({e})",
                    self.shape()
                ),
            ));
        }
        if out.shape() != self.shape() {
            return Err(Error::invalid(
                "where_mask",
                format!(
                    "the mask and value broadcast to shape {:?}, not the array's shape {:?}",
                    out.shape(),
                    self.shape()
                ),
            ));
        }
        Ok(out)
    }

    /// numpy's `x[index] = y` as a new array: `x` with the elements `index` selects replaced by
    /// `y` (an array or scalar broadcast to the selection's shape, cast to `x`'s dtype), in
    /// `x`'s chunks. Lazy: the result is `x`'s pieces around the selection joined to `y`'s.
    ///
    /// `index` is an `s![]` list as for [`slice`](Array::slice) (its bounds clip the same way);
    /// ranges must have step 1 or -1 (a step of -1 assigns `y` reversed, as numpy's
    /// `x[::-1] = y`).
    ///
    /// **Errors**: a range step other than ±1 (not supported yet; numpy allows any); a `y`
    /// that does not broadcast to the selection's shape; those of `slice`.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = zeros([3, 4], 2);
    /// let y = x.set_slice(s![1.., 1..3], 5.0)?;
    /// assert_eq!(y.chunks(), x.chunks());
    /// assert_eq!(
    ///     y.compute()?.to_vec::<f64>(),
    ///     vec![0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 5.0, 0.0, 0.0, 5.0, 5.0, 0.0]
    /// );
    /// let row = arange(0.0, 4.0, 1.0, 4);
    /// let z = x.set_slice(s![0, ..;-1], &row)?.compute()?.to_vec::<f64>();
    /// assert_eq!(z[..4], [3.0, 2.0, 1.0, 0.0]);
    /// assert!(x.set_slice(s![0, ..], &arange(0.0, 3.0, 1.0, 3)).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn set_slice<I: AsRef<[SliceInfoElem]>>(
        &self,
        index: I,
        y: impl Into<Operand>,
    ) -> Result<Array> {
        let selected = self.slice(index.as_ref())?;
        let entries = resolve_index(index.as_ref(), self.shape())?;
        // `y` as the selection's shape and x's dtype, broadcast by a `where` on all-true.
        let target = selected.shape().to_vec();
        let everywhere = full(target.clone(), true, selected.chunks().as_slice().to_vec());
        let y: Operand = y.into();
        let mut y = where_(&everywhere, y.clone(), y).astype(self.dtype());
        if let Some(e) = y.error() {
            return Err(Error::invalid(
                "set_slice",
                format!("the value does not broadcast to the selection's shape {target:?} ({e})"),
            ));
        }
        if y.shape() != target {
            return Err(Error::invalid(
                "set_slice",
                format!(
                    "the value of shape {:?} does not broadcast to the selection's shape \
                     {target:?}",
                    y.shape()
                ),
            ));
        }
        // Per input axis the range [lo, hi) replaced, with y's axes lined up with x's.
        let mut regions = Vec::with_capacity(self.ndim());
        let mut y_shape = Vec::with_capacity(self.ndim());
        for entry in &entries {
            match *entry {
                AxisIndex::NewAxis => {}
                AxisIndex::Index(i) => {
                    regions.push((i, i + 1, false));
                    y_shape.push(1);
                }
                AxisIndex::Range { first, step, count } => {
                    let lo = if step > 0 {
                        first
                    } else {
                        (first + 1).saturating_sub(count)
                    };
                    match step {
                        1 | -1 => regions.push((lo, lo + count, step < 0 && count > 0)),
                        _ => {
                            return Err(Error::invalid(
                                "set_slice",
                                format!("a range step of {step} is not supported (only 1 and -1)"),
                            ))
                        }
                    }
                    y_shape.push(count);
                }
            }
        }
        if y_shape.contains(&0) {
            return Ok(self.clone());
        }
        y = y.reshape(y_shape)?;
        for (axis, &(_, _, reversed)) in regions.iter().enumerate() {
            if reversed {
                let mut flip = vec![WHOLE; axis];
                flip.push(SliceInfoElem::Slice {
                    start: 0,
                    end: None,
                    step: -1,
                });
                y = y.slice(flip)?;
            }
        }
        let placed = place(self, &y, &regions, 0)?;
        placed.rechunk(self.chunks().as_slice().to_vec())
    }
}

/// The whole axis, `..` in `s![]`.
const WHOLE: SliceInfoElem = SliceInfoElem::Slice {
    start: 0,
    end: None,
    step: 1,
};

/// `x` (the part of the array from `axis` on still to place into) with `y` at `regions[axis..]`:
/// along `axis`, `x`'s elements before the region, the region placed recursively, and those
/// after, joined.
fn place(x: &Array, y: &Array, regions: &[(usize, usize, bool)], axis: usize) -> Result<Array> {
    let Some(&(lo, hi, _)) = regions.get(axis) else {
        return Ok(y.clone());
    };
    let along = |from: usize, to: usize| -> Result<Array> {
        let mut elems = vec![WHOLE; axis];
        elems.push(SliceInfoElem::Slice {
            start: from as isize,
            end: Some(to as isize),
            step: 1,
        });
        x.slice(elems)
    };
    let len = x.shape()[axis];
    let mut parts = Vec::with_capacity(3);
    if lo > 0 {
        parts.push(along(0, lo)?);
    }
    parts.push(place(&along(lo, hi)?, y, regions, axis + 1)?);
    if hi < len {
        parts.push(along(hi, len)?);
    }
    concatenate(&parts, axis as isize)
}
