//! Scans and differences along one axis: `cumsum cumprod nancumsum nancumprod` (one `Scan`
//! plan node, lowered to a chain of carries across the axis' blocks), and `diff`, `ediff1d`
//! (slices and a subtraction: no new node). All lazy.

use ndarray::SliceInfoElem;

use crate::array::Array;
use crate::error::{ensure, Error, Result};
use crate::expr::{ExprKind, Node, ScanOp};
use crate::ops::reduce::normalize_axis;

/// `start..end` along `axis` of an `ndim`-D array, every element of the other axes.
pub(super) fn along(
    axis: usize,
    ndim: usize,
    start: isize,
    end: Option<isize>,
) -> Vec<SliceInfoElem> {
    (0..ndim)
        .map(|a| SliceInfoElem::Slice {
            start: if a == axis { start } else { 0 },
            end: if a == axis { end } else { None },
            step: 1,
        })
        .collect()
}

impl Array {
    /// The scan `op` along `axis` (negative counts from the end), the plan node every named
    /// scan builds. Block `i` along the axis is scanned on its own and continued from the last
    /// slice of block `i - 1`'s result, so the blocks of the other axes run in parallel and
    /// each block is read once; memory is a block and its carry.
    ///
    /// **Errors**: an axis out of range (a 0-d array has none: ravel it first).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(1, 7, 1, 4);
    /// let s = x.scan(tessera::expr::ScanOp::Prod, 0)?;
    /// assert_eq!(s.compute()?.to_vec::<i64>(), vec![1, 2, 6, 24, 120, 720]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn scan(&self, op: ScanOp, axis: isize) -> Result<Array> {
        let node = self.node()?;
        let axis = normalize_axis(op.name(), axis, node.shape.len())?;
        Ok(Array::from_node(Node::new(
            ExprKind::Scan {
                op,
                input: node.clone(),
                axis,
            },
            node.shape.clone(),
            op.dtype(node.dtype),
            node.chunks.clone(),
        )))
    }

    /// The running sum along `axis` (numpy's `cumsum`; flatten with [`ravel`](Array::ravel)
    /// for numpy's `axis=None`). bool and the signed integers sum in int64, the unsigned in
    /// uint64 (wrapping on overflow, as numpy's), floats in their own dtype, in order.
    ///
    /// **Errors**: an axis out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = ones([3, 2], [2, 1]);
    /// let c = x.cumsum(0)?.compute()?;
    /// assert_eq!(c.to_vec::<f64>(), vec![1.0, 1.0, 2.0, 2.0, 3.0, 3.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn cumsum(&self, axis: isize) -> Result<Array> {
        self.scan(ScanOp::Sum, axis)
    }

    /// The running product along `axis` (numpy's `cumprod`); dtypes as
    /// [`cumsum`](Array::cumsum)'s.
    ///
    /// **Errors**: an axis out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(1, 5, 1, 3).astype(DType::Int32);
    /// let c = x.cumprod(-1)?;
    /// assert_eq!(c.dtype(), DType::Int64);
    /// assert_eq!(c.compute()?.to_vec::<i64>(), vec![1, 2, 6, 24]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn cumprod(&self, axis: isize) -> Result<Array> {
        self.scan(ScanOp::Prod, axis)
    }

    /// The running sum along `axis` with NaN counted as 0 (numpy's `nancumsum`); on integers
    /// and bool the same as [`cumsum`](Array::cumsum).
    ///
    /// **Errors**: an axis out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[1.0, f64::NAN, 2.0]).into_dyn(), 2);
    /// assert_eq!(x.nancumsum(0)?.compute()?.to_vec::<f64>(), vec![1.0, 1.0, 3.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn nancumsum(&self, axis: isize) -> Result<Array> {
        self.scan(ScanOp::NanSum, axis)
    }

    /// The running product along `axis` with NaN counted as 1 (numpy's `nancumprod`).
    ///
    /// **Errors**: an axis out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[2.0, f64::NAN, 3.0]).into_dyn(), 1);
    /// assert_eq!(x.nancumprod(0)?.compute()?.to_vec::<f64>(), vec![2.0, 2.0, 6.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn nancumprod(&self, axis: isize) -> Result<Array> {
        self.scan(ScanOp::NanProd, axis)
    }

    /// The `n`-th difference along `axis` (numpy's `diff`): `x[1:] - x[:-1]` along the axis,
    /// `n` times; on bool `x[1:] != x[:-1]`, as numpy's. The axis shrinks by `n` (to 0 at
    /// least); `n = 0` gives the array itself. Integers wrap as numpy's do.
    ///
    /// **Errors**: an axis out of range (a 0-d array has none).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[1, 2, 4, 7, 0]).into_dyn(), 2);
    /// assert_eq!(x.diff(1, -1)?.compute()?.to_vec::<i32>(), vec![1, 2, 3, -7]);
    /// assert_eq!(x.diff(2, 0)?.compute()?.to_vec::<i32>(), vec![1, 1, -10]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn diff(&self, n: usize, axis: isize) -> Result<Array> {
        let node = self.node()?;
        let ndim = node.shape.len();
        ensure!(
            ndim > 0,
            Error::invalid(
                "diff",
                "needs an array of at least 1 dimension, got a 0-d array"
            )
        );
        let axis = normalize_axis("diff", axis, ndim)?;
        let bool = node.dtype == crate::dtype::DType::Bool;
        let mut out = self.clone();
        for _ in 0..n {
            let upper = out.slice(along(axis, ndim, 1, None))?;
            let lower = out.slice(along(axis, ndim, 0, Some(-1)))?;
            // `..-1` of an empty axis is empty too: the shapes always agree.
            out = if bool {
                upper.ne(&lower)
            } else {
                &upper - &lower
            };
        }
        Ok(out)
    }

    /// The differences between consecutive elements of the flattened array (numpy's
    /// `ediff1d`, without `to_begin`/`to_end`): `ravel()` then [`diff`](Array::diff) once.
    /// Unlike numpy's (which raises for bool), bool gives `!=` as `diff` does.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 6, 1, 4).reshape([2, 3])?;
    /// let x = &x * &x;
    /// assert_eq!(x.ediff1d()?.compute()?.to_vec::<i64>(), vec![1, 3, 5, 7, 9]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn ediff1d(&self) -> Result<Array> {
        self.ravel()?.diff(1, 0)
    }
}
