//! Views that rearrange axes or elements without changing them: `flip fliplr flipud rot90 roll
//! moveaxis swapaxes squeeze expand_dims ravel atleast_1d/2d/3d`. Each is a composition of the
//! plan's slices (negative steps, `NewAxis`, single indices), transposes, concatenations and
//! reshapes, so the optimizer pushes slices of the result through them as it does for those.

use ndarray::SliceInfoElem;

use crate::array::Array;
use crate::error::{ensure, fmt_shape, Error, Result};
use crate::ops::join::concatenate;
use crate::ops::reduce::normalize_axis;

/// `..` on one axis.
pub(crate) const WHOLE: SliceInfoElem = SliceInfoElem::Slice {
    start: 0,
    end: None,
    step: 1,
};

/// `x[.., start..end;step]` with the range on `axis` (resolved, so in range) and every other
/// axis whole.
pub(crate) fn along(
    x: &Array,
    axis: usize,
    start: usize,
    end: usize,
    step: isize,
) -> Result<Array> {
    let mut index = vec![WHOLE; axis];
    index.push(SliceInfoElem::Slice {
        start: start as isize,
        end: Some(end as isize),
        step,
    });
    x.slice(&index)
}

/// Resolves `axes` against `ndim` (negative ones count from the end) and checks none repeats.
pub(crate) fn normalize_axes(op: &'static str, axes: &[isize], ndim: usize) -> Result<Vec<usize>> {
    let mut out = Vec::with_capacity(axes.len());
    for &axis in axes {
        let a = normalize_axis(op, axis, ndim)?;
        ensure!(
            !out.contains(&a),
            Error::invalid(op, format!("repeated axis {axis} in {axes:?}"))
        );
        out.push(a);
    }
    Ok(out)
}

impl Array {
    /// Reverses the order of elements along `axis` (numpy's `flip`; `None`: along every axis).
    /// Lazy, a view: a slice with step -1.
    ///
    /// **Errors**: `axis` out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 6, 1, 4).reshape([2, 3])?;
    /// assert_eq!(x.flip(Some(1))?.compute()?.to_vec::<i64>(), vec![2, 1, 0, 5, 4, 3]);
    /// assert_eq!(x.flip(None)?.compute()?.to_vec::<i64>(), vec![5, 4, 3, 2, 1, 0]);
    /// assert!(x.flip(Some(2)).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn flip(&self, axis: Option<isize>) -> Result<Array> {
        let ndim = self.node()?.shape.len();
        let reversed = SliceInfoElem::Slice {
            start: 0,
            end: None,
            step: -1,
        };
        let index = match axis {
            None => vec![reversed; ndim],
            Some(axis) => {
                let axis = normalize_axis("flip", axis, ndim)?;
                let mut index = vec![WHOLE; axis];
                index.push(reversed);
                index
            }
        };
        self.slice(&index)
    }

    /// Reverses the columns, axis 1 (numpy's `fliplr`). Lazy.
    ///
    /// **Errors**: fewer than 2 dimensions.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 4, 1, 3).reshape([2, 2])?;
    /// assert_eq!(x.fliplr()?.compute()?.to_vec::<i64>(), vec![1, 0, 3, 2]);
    /// assert!(arange(0, 4, 1, 3).fliplr().is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn fliplr(&self) -> Result<Array> {
        ensure!(
            self.node()?.shape.len() >= 2,
            Error::invalid("fliplr", "the input must be at least 2-dimensional")
        );
        self.flip(Some(1))
    }

    /// Reverses the rows, axis 0 (numpy's `flipud`). Lazy.
    ///
    /// **Errors**: a 0-dimensional array.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 4, 1, 3).reshape([2, 2])?;
    /// assert_eq!(x.flipud()?.compute()?.to_vec::<i64>(), vec![2, 3, 0, 1]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn flipud(&self) -> Result<Array> {
        ensure!(
            !self.node()?.shape.is_empty(),
            Error::invalid("flipud", "the input must be at least 1-dimensional")
        );
        self.flip(Some(0))
    }

    /// Rotates by 90 degrees `k` times in the plane of `axes`, from the first axis towards the
    /// second (numpy's `rot90`). Lazy: flips and a transpose.
    ///
    /// **Errors**: fewer than 2 dimensions; the two axes equal or out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(1, 5, 1, 3).reshape([2, 2])?;       // [[1, 2], [3, 4]]
    /// assert_eq!(x.rot90(1, [0, 1])?.compute()?.to_vec::<i64>(), vec![2, 4, 1, 3]);
    /// assert_eq!(x.rot90(-1, [0, 1])?.compute()?.to_vec::<i64>(), vec![3, 1, 4, 2]);
    /// assert!(x.rot90(1, [0, 0]).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn rot90(&self, k: isize, axes: [isize; 2]) -> Result<Array> {
        let ndim = self.node()?.shape.len();
        ensure!(
            ndim >= 2,
            Error::invalid("rot90", "the input must be at least 2-dimensional")
        );
        let [a, b] = [
            normalize_axis("rot90", axes[0], ndim)?,
            normalize_axis("rot90", axes[1], ndim)?,
        ];
        ensure!(
            a != b,
            Error::invalid("rot90", format!("axes must be different, got {axes:?}"))
        );
        let mut perm: Vec<usize> = (0..ndim).collect();
        perm.swap(a, b);
        // numpy's three cases.
        match k.rem_euclid(4) {
            0 => Ok(self.clone()),
            1 => self.flip(Some(b as isize))?.transpose(&perm),
            2 => self.flip(Some(a as isize))?.flip(Some(b as isize)),
            _ => self.transpose(&perm)?.flip(Some(b as isize)),
        }
    }

    /// Shifts elements by `shift` along `axis`, those pushed past the end coming back at the
    /// start (numpy's `roll`; `None`: over the flattened array, shape kept). Lazy: the two
    /// pieces joined in the other order.
    ///
    /// **Errors**: `axis` out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 5, 1, 2);
    /// assert_eq!(x.roll(2, Some(0))?.compute()?.to_vec::<i64>(), vec![3, 4, 0, 1, 2]);
    /// assert_eq!(x.roll(-1, Some(0))?.compute()?.to_vec::<i64>(), vec![1, 2, 3, 4, 0]);
    /// let y = arange(0, 4, 1, 3).reshape([2, 2])?;
    /// assert_eq!(y.roll(1, None)?.compute()?.to_vec::<i64>(), vec![3, 0, 1, 2]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn roll(&self, shift: isize, axis: Option<isize>) -> Result<Array> {
        let shape = self.node()?.shape.clone();
        let Some(axis) = axis else {
            return self.ravel()?.roll(shift, Some(0))?.reshape(shape);
        };
        let axis = normalize_axis("roll", axis, shape.len())?;
        let len = shape[axis];
        if len == 0 || shift.rem_euclid(len as isize) == 0 {
            return Ok(self.clone());
        }
        let cut = len - shift.rem_euclid(len as isize) as usize;
        let tail = along(self, axis, cut, len, 1)?;
        let head = along(self, axis, 0, cut, 1)?;
        concatenate(&[tail, head], axis as isize)
    }

    /// Moves axis `source` to position `destination`, the others keeping their order (numpy's
    /// `moveaxis` with one axis). Lazy: a transpose.
    ///
    /// **Errors**: an axis out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = zeros([3, 4, 5], 2);
    /// assert_eq!(x.moveaxis(0, -1)?.shape(), &[4, 5, 3]);
    /// assert_eq!(x.moveaxis(-1, 0)?.shape(), &[5, 3, 4]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn moveaxis(&self, source: isize, destination: isize) -> Result<Array> {
        let ndim = self.node()?.shape.len();
        let src = normalize_axis("moveaxis", source, ndim)?;
        let dst = normalize_axis("moveaxis", destination, ndim)?;
        let mut perm: Vec<usize> = (0..ndim).filter(|&a| a != src).collect();
        perm.insert(dst, src);
        self.transpose(&perm)
    }

    /// Exchanges two axes (numpy's `swapaxes`). Lazy: a transpose.
    ///
    /// **Errors**: an axis out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = zeros([3, 4, 5], 2);
    /// assert_eq!(x.swapaxes(0, 2)?.shape(), &[5, 4, 3]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn swapaxes(&self, axis1: isize, axis2: isize) -> Result<Array> {
        let ndim = self.node()?.shape.len();
        let a = normalize_axis("swapaxes", axis1, ndim)?;
        let b = normalize_axis("swapaxes", axis2, ndim)?;
        let mut perm: Vec<usize> = (0..ndim).collect();
        perm.swap(a, b);
        self.transpose(&perm)
    }

    /// Removes axes of length 1 (numpy's `squeeze`): those in `axes`, or every one when `axes`
    /// is empty. Lazy: a slice.
    ///
    /// **Errors**: an axis out of range or repeated, or one whose length is not 1.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = zeros([1, 3, 1], 2);
    /// assert_eq!(x.squeeze(&[])?.shape(), &[3]);
    /// assert_eq!(x.squeeze(&[-1])?.shape(), &[1, 3]);
    /// assert_eq!(
    ///     x.squeeze(&[1]).unwrap_err().to_string(),
    ///     "squeeze: cannot select an axis to squeeze out which has size not equal to one \
    ///      (axis 1 of shape (1, 3, 1))"
    /// );
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn squeeze(&self, axes: &[isize]) -> Result<Array> {
        let shape = self.node()?.shape.clone();
        let axes = if axes.is_empty() {
            (0..shape.len()).filter(|&a| shape[a] == 1).collect()
        } else {
            normalize_axes("squeeze", axes, shape.len())?
        };
        if let Some(&bad) = axes.iter().find(|&&a| shape[a] != 1) {
            return Err(Error::invalid(
                "squeeze",
                format!(
                    "cannot select an axis to squeeze out which has size not equal to one \
                     (axis {bad} of shape {})",
                    fmt_shape(&shape)
                ),
            ));
        }
        let index: Vec<SliceInfoElem> = (0..shape.len())
            .map(|a| {
                if axes.contains(&a) {
                    SliceInfoElem::Index(0)
                } else {
                    WHOLE
                }
            })
            .collect();
        self.slice(&index)
    }

    /// Inserts axes of length 1 at positions `axes` of the result (numpy's `expand_dims`).
    /// Lazy: a slice with `NewAxis`.
    ///
    /// **Errors**: a position out of range of the result's dimensions, or repeated.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = zeros([3, 4], 2);
    /// assert_eq!(x.expand_dims(&[0])?.shape(), &[1, 3, 4]);
    /// assert_eq!(x.expand_dims(&[-1, 1])?.shape(), &[3, 1, 4, 1]);
    /// assert!(x.expand_dims(&[3]).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn expand_dims(&self, axes: &[isize]) -> Result<Array> {
        let ndim = self.node()?.shape.len() + axes.len();
        let new = normalize_axes("expand_dims", axes, ndim)?;
        let index: Vec<SliceInfoElem> = (0..ndim)
            .map(|a| {
                if new.contains(&a) {
                    SliceInfoElem::NewAxis
                } else {
                    WHOLE
                }
            })
            .collect();
        self.slice(&index)
    }

    /// The elements in C order as a 1-D array (numpy's `ravel`). Lazy: a reshape (a copy where
    /// numpy would copy too).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 6, 1, 4).reshape([2, 3])?;
    /// assert_eq!(x.t().ravel()?.compute()?.to_vec::<i64>(), vec![0, 3, 1, 4, 2, 5]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn ravel(&self) -> Result<Array> {
        self.reshape([-1])
    }

    /// The array with at least one dimension (numpy's `atleast_1d`). Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// assert_eq!(ones([3], 2).sum()?.atleast_1d()?.shape(), &[1]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn atleast_1d(&self) -> Result<Array> {
        match self.node()?.shape.len() {
            0 => self.expand_dims(&[0]),
            _ => Ok(self.clone()),
        }
    }

    /// The array with at least two dimensions, a 1-D one as a row (numpy's `atleast_2d`). Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// assert_eq!(ones([3], 2).atleast_2d()?.shape(), &[1, 3]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn atleast_2d(&self) -> Result<Array> {
        match self.node()?.shape.len() {
            0 => self.expand_dims(&[0, 1]),
            1 => self.expand_dims(&[0]),
            _ => Ok(self.clone()),
        }
    }

    /// The array with at least three dimensions: 1-D `(n,)` as `(1, n, 1)`, 2-D `(m, n)` as
    /// `(m, n, 1)` (numpy's `atleast_3d`). Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// assert_eq!(ones([3], 2).atleast_3d()?.shape(), &[1, 3, 1]);
    /// assert_eq!(ones([2, 3], 2).atleast_3d()?.shape(), &[2, 3, 1]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn atleast_3d(&self) -> Result<Array> {
        match self.node()?.shape.len() {
            0 => self.expand_dims(&[0, 1, 2]),
            1 => self.expand_dims(&[0, 2]),
            2 => self.expand_dims(&[2]),
            _ => Ok(self.clone()),
        }
    }
}
