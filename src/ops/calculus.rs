//! Finite differences and integration along one axis: `gradient` (numpy's second-order
//! central differences inside, first-order at the edges) and `trapezoid`. Both are slices,
//! elementwise arithmetic and a concatenation or a sum of the existing plan: lazy, and a slice
//! of the result computes only the blocks under it (and their neighbours).

use crate::array::Array;
use crate::dtype::DType;
use crate::error::{ensure, Error, Result};
use crate::ops::join::concatenate;
use crate::ops::reduce::normalize_axis;
use crate::ops::scan::along;

impl Array {
    /// The gradient along `axis` for samples `spacing` apart (numpy's `gradient(f, spacing,
    /// axis=axis)` with `edge_order=1`): `(f[i+1] - f[i-1]) / 2h` inside, `(f[1] - f[0]) / h`
    /// and `(f[n-1] - f[n-2]) / h` at the edges, in numpy's order of operations. Integers
    /// compute in float64, floats in their own dtype, as numpy's. One axis at a time (numpy
    /// returns a list for several); coordinate arrays and `edge_order=2` are not supported.
    ///
    /// **Errors**: a bool array (numpy raises too); an axis out of range; fewer than 2
    /// elements along the axis; a spacing of 0 or not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let f = from_array(ndarray::arr1(&[1.0, 2.0, 4.0, 7.0, 11.0]).into_dyn(), 2);
    /// let g = f.gradient(1.0, 0)?.compute()?;
    /// assert_eq!(g.to_vec::<f64>(), vec![1.0, 1.5, 2.5, 3.5, 4.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn gradient(&self, spacing: f64, axis: isize) -> Result<Array> {
        let node = self.node()?;
        let ndim = node.shape.len();
        ensure!(
            node.dtype != DType::Bool,
            Error::invalid("gradient", "needs a numeric array, got bool")
        );
        ensure!(
            spacing.is_finite() && spacing != 0.0,
            Error::invalid(
                "gradient",
                format!("expected a finite, nonzero spacing, got {spacing}")
            )
        );
        let axis = normalize_axis("gradient", axis, ndim)?;
        let len = node.shape[axis];
        ensure!(
            len >= 2,
            Error::invalid(
                "gradient",
                format!("needs at least 2 elements along axis {axis} (edge_order + 1), got {len}")
            )
        );
        let f = if node.dtype.is_float() {
            self.clone()
        } else {
            self.astype(DType::Float64)
        };
        let part = |start: isize, end: Option<isize>| f.slice(along(axis, ndim, start, end));
        let first = (&part(1, Some(2))? - &part(0, Some(1))?) / spacing;
        let last = (&part(-1, None)? - &part(-2, Some(-1))?) / spacing;
        if len == 2 {
            return concatenate(&[first, last], axis as isize);
        }
        let inside = (&part(2, None)? - &part(0, Some(-2))?) / (2.0 * spacing);
        concatenate(&[first, inside, last], axis as isize)
    }

    /// The integral along `axis` by the trapezoidal rule for samples `dx` apart (numpy's
    /// `trapezoid(y, dx=dx, axis=axis)`): `Σ dx · (y[i+1] + y[i]) / 2`. The axis is reduced;
    /// integers give float64, floats their own dtype; fewer than 2 samples give 0. Sums in
    /// tessera's order, so the last bits can differ from numpy's.
    ///
    /// **Errors**: a bool array (numpy adds bools as `or`; tessera asks for a cast); an axis
    /// out of range (a 0-d array has none).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let y = from_array(ndarray::arr1(&[1.0, 2.0, 3.0]).into_dyn(), 2);
    /// assert_eq!(y.trapezoid(1.0, 0)?.compute()?.to_scalar::<f64>()?, 4.0);
    /// assert_eq!(y.trapezoid(0.5, -1)?.compute()?.to_scalar::<f64>()?, 2.0);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn trapezoid(&self, dx: f64, axis: isize) -> Result<Array> {
        let node = self.node()?;
        let ndim = node.shape.len();
        ensure!(
            node.dtype != DType::Bool,
            Error::invalid(
                "trapezoid",
                "needs a numeric array, got bool (cast it with astype first)"
            )
        );
        let axis = normalize_axis("trapezoid", axis, ndim)?;
        let upper = self.slice(along(axis, ndim, 1, None))?;
        let lower = self.slice(along(axis, ndim, 0, Some(-1)))?;
        // numpy's `d * (y[1:] + y[:-1]) / 2.0`: an integer sum is cast to float64 for `d *`.
        let pairs = &upper + &lower;
        let pairs = if node.dtype.is_float() {
            pairs
        } else {
            pairs.astype(DType::Float64)
        };
        (dx * &pairs / 2.0).sum_axis(axis as isize)
    }
}
