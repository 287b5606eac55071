//! Views that repeat elements: `broadcast_to broadcast_arrays tile repeat`. A broadcast is a
//! `where` over a constant true mask of the target shape (each block is filled from the
//! input's block when computed; no plan node of its own), `tile` joins copies, `repeat` is a
//! broadcast along a new axis merged by a reshape.

use crate::array::Array;
use crate::chunks::Chunks;
use crate::dtype::DType;
use crate::dtype::Scalar;
use crate::error::{ensure, fmt_shape, Error, Result};
use crate::expr::broadcast::broadcast_shapes;
use crate::ops::creation::constant;
use crate::ops::elementwise::where_;
use crate::ops::join::concatenate;
use crate::ops::rearrange::along;
use crate::ops::reduce::normalize_axis;

/// `x` (which broadcasts to `shape`) broadcast to `shape` with `chunks` (equal to `x`'s on
/// the axes it spans).
pub(crate) fn broadcast_with(x: &Array, shape: Vec<usize>, chunks: Chunks) -> Result<Array> {
    let mask = constant(Scalar::Bool(true), DType::Bool, shape, chunks);
    where_(&mask, x, x).check().cloned()
}

impl Array {
    /// The array broadcast to `shape` by numpy's rules (numpy's `broadcast_to`). Lazy. Axes the
    /// input spans keep its chunks; a new or stretched axis is one chunk, as in dask
    /// (`rechunk` the result to split it).
    ///
    /// **Errors**: the input does not broadcast to `shape`.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 3, 1, 2);
    /// let b = x.broadcast_to([2, 3])?;
    /// assert_eq!(b.chunks().as_slice(), &[vec![2], vec![2, 1]]);
    /// assert_eq!(b.compute()?.to_vec::<i64>(), vec![0, 1, 2, 0, 1, 2]);
    /// assert_eq!(
    ///     x.broadcast_to([4]).unwrap_err().to_string(),
    ///     "broadcast_to: cannot broadcast an array of shape (3,) to shape (4,)"
    /// );
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn broadcast_to(&self, shape: impl crate::ops::IntoShape) -> Result<Array> {
        let input = self.node()?;
        let shape = shape.into_shape();
        let fits = shape.len() >= input.shape.len()
            && broadcast_shapes("broadcast_to", &[&input.shape, &shape]).ok()
                == Some(shape.clone());
        ensure!(
            fits,
            Error::invalid(
                "broadcast_to",
                format!(
                    "cannot broadcast an array of shape {} to shape {}",
                    fmt_shape(&input.shape),
                    fmt_shape(&shape)
                )
            )
        );
        if shape == input.shape {
            return Ok(self.clone());
        }
        let pad = shape.len() - input.shape.len();
        let blocks = (0..shape.len())
            .map(|a| match a.checked_sub(pad) {
                Some(i) if input.shape[i] == shape[a] => input.chunks.axis(i).to_vec(),
                _ => vec![shape[a]],
            })
            .collect();
        broadcast_with(self, shape, Chunks::from_vec(blocks))
    }

    /// Each element repeated `repeats` times in a row along `axis` (numpy's `repeat` with one
    /// count; `None`: over the flattened array). Lazy: a broadcast along a new axis, merged
    /// into `axis` by a reshape.
    ///
    /// **Errors**: `axis` out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 4, 1, 3).reshape([2, 2])?;
    /// assert_eq!(x.repeat(2, Some(1))?.compute()?.to_vec::<i64>(), vec![0, 0, 1, 1, 2, 2, 3, 3]);
    /// assert_eq!(x.repeat(2, Some(0))?.shape(), &[4, 2]);
    /// assert_eq!(x.repeat(3, None)?.shape(), &[12]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn repeat(&self, repeats: usize, axis: Option<isize>) -> Result<Array> {
        let Some(axis) = axis else {
            return self.ravel()?.repeat(repeats, Some(0));
        };
        let shape = self.node()?.shape.clone();
        let axis = normalize_axis("repeat", axis, shape.len())?;
        let mut wide = shape.clone();
        wide.insert(axis + 1, repeats);
        let mut out = shape;
        out[axis] *= repeats;
        self.expand_dims(&[axis as isize + 1])?
            .broadcast_to(wide)?
            .reshape(out)
    }

    /// The array repeated `reps[i]` times along each axis (numpy's `tile`): with fewer reps
    /// than axes, the leading axes get 1; with more, the array gets new leading axes. Lazy:
    /// joined copies.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 3, 1, 2);
    /// assert_eq!(x.tile(&[2])?.compute()?.to_vec::<i64>(), vec![0, 1, 2, 0, 1, 2]);
    /// let t = x.tile(&[2, 1])?;
    /// assert_eq!(t.shape(), &[2, 3]);
    /// assert_eq!(t.compute()?.to_vec::<i64>(), vec![0, 1, 2, 0, 1, 2]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn tile(&self, reps: &[usize]) -> Result<Array> {
        let ndim = self.node()?.shape.len();
        let mut x = self.clone();
        if reps.len() > ndim {
            let new: Vec<isize> = (0..(reps.len() - ndim) as isize).collect();
            x = x.expand_dims(&new)?;
        }
        let ndim = x.ndim();
        let reps: Vec<usize> = std::iter::repeat_n(1, ndim - reps.len().min(ndim))
            .chain(reps.iter().copied())
            .collect();
        for (axis, &r) in reps.iter().enumerate() {
            x = match r {
                0 => along(&x, axis, 0, 0, 1)?,
                1 => x,
                _ => concatenate(&vec![x; r], axis as isize)?,
            };
        }
        Ok(x)
    }
}

/// The arrays broadcast against each other (numpy's `broadcast_arrays`). Lazy.
///
/// **Errors**: the shapes do not broadcast together.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let b = broadcast_arrays(&[ones([3, 1], 2), zeros([4], 2)])?;
/// assert_eq!(b[0].shape(), &[3, 4]);
/// assert_eq!(b[1].shape(), &[3, 4]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn broadcast_arrays(arrays: &[Array]) -> Result<Vec<Array>> {
    let shapes: Vec<&[usize]> = arrays
        .iter()
        .map(|a| a.node().map(|n| n.shape.as_slice()))
        .collect::<Result<_>>()?;
    let shape = broadcast_shapes("broadcast_arrays", &shapes)?;
    arrays
        .iter()
        .map(|a| a.broadcast_to(shape.clone()))
        .collect()
}
