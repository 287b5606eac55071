//! Reductions: `sum prod min max mean var std argmin argmax any all`, their nan-variants
//! (`nansum nanprod nanmin nanmax nanmean nanvar nanstd nanargmin nanargmax`) and
//! `count_nonzero`, over the whole array, one axis or several, with `keepdims`. Lazy; computed
//! as a tree reduction across chunks.

use crate::array::Array;
use crate::chunks::Chunks;
use crate::dtype::DType;
use crate::error::{ensure, Error, Result};
use crate::expr::{ExprKind, Node, ReduceOp};

/// Normalizes a possibly negative axis against `ndim`.
pub(crate) fn normalize_axis(op: &'static str, axis: isize, ndim: usize) -> Result<usize> {
    let resolved = if axis < 0 { axis + ndim as isize } else { axis };
    ensure!(
        (0..ndim as isize).contains(&resolved),
        Error::AxisOutOfBounds { op, axis, ndim }
    );
    Ok(resolved as usize)
}

impl Array {
    /// The general reduction every named one calls: `op` over `axes` (`None`: all axes),
    /// merging partial results `split_every` at a time (dask's fan-in; `None`:
    /// [`config::split_every`](crate::config::split_every)). Lazy.
    ///
    /// **Errors**: an axis out of range or repeated; an empty axis for reductions without
    /// identity; several (not all) axes for `ArgMin`/`ArgMax`.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 100, 1, 1);                     // 100 chunks
    /// let s = x.reduction(ReduceOp::Sum, None, false, Some(2))?;   // a binary tree
    /// assert_eq!(s.compute()?.to_scalar::<i64>()?, 4950);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn reduction(
        &self,
        op: ReduceOp,
        axes: Option<&[isize]>,
        keepdims: bool,
        split_every: Option<usize>,
    ) -> Result<Array> {
        let input = self.node()?;
        let ndim = input.shape.len();
        let mut axes: Vec<usize> = match axes {
            None => (0..ndim).collect(),
            Some(list) => list
                .iter()
                .map(|&a| normalize_axis(op.name(), a, ndim))
                .collect::<Result<_>>()?,
        };
        axes.sort_unstable();
        let before = axes.len();
        axes.dedup();
        ensure!(
            axes.len() == before,
            Error::invalid(op.name(), "duplicate value in axis")
        );
        if matches!(
            op,
            ReduceOp::ArgMin | ReduceOp::ArgMax | ReduceOp::NanArgMin | ReduceOp::NanArgMax
        ) {
            ensure!(
                axes.len() == 1 || axes.len() == ndim,
                Error::invalid(
                    op.name(),
                    "reduces one axis or the whole (flattened) array, not several axes"
                )
            );
        }
        let reduced: usize = axes.iter().map(|&a| input.shape[a]).product();
        // numpy's nanvar/nanstd of integers and bool are their var/std, which divide by zero
        // where `count - ddof <= 0` (nanvar gives NaN there); of no elements both give NaN.
        let op = match op {
            ReduceOp::NanVar { ddof } if !input.dtype.is_float() && reduced > 0 => {
                ReduceOp::Var { ddof }
            }
            ReduceOp::NanStd { ddof } if !input.dtype.is_float() && reduced > 0 => {
                ReduceOp::Std { ddof }
            }
            op => op,
        };
        ensure!(
            op.row().identity || reduced > 0,
            Error::EmptyReduction { op: op.name() }
        );

        let mut shape = Vec::with_capacity(ndim);
        let mut blocks = Vec::with_capacity(ndim);
        for axis in 0..ndim {
            if !axes.contains(&axis) {
                shape.push(input.shape[axis]);
                blocks.push(input.chunks.axis(axis).to_vec());
            } else if keepdims {
                shape.push(1);
                blocks.push(vec![1]);
            }
        }
        let split_every = split_every
            .unwrap_or_else(crate::config::split_every)
            .max(2);
        let kind = ExprKind::Reduce {
            op,
            input: input.clone(),
            axes,
            keepdims,
            split_every,
        };
        Ok(Array::from_node(Node::new(
            kind,
            shape,
            op.row().dtype.resolve(input.dtype),
            Chunks::from_vec(blocks),
        )))
    }
}

/// Generates `name()`, `name_axis(axis)` and `name_axes(axes, keepdims)` for a reduction.
macro_rules! reductions {
    ($($op:expr => $all:ident, $axis:ident, $axes:ident, $what:literal;)*) => {$(
        impl Array {
            #[doc = concat!("The ", $what, " of all elements, as a 0-d array. Lazy.")]
            ///
            /// **Errors**: the error an invalid array carries; for reductions without identity
            /// (`min`, `max`, `mean`, …) an empty array.
            pub fn $all(&self) -> Result<Array> {
                self.reduction($op, None, false, None)
            }

            #[doc = concat!("The ", $what, " along `axis` (negative counts from the end). Lazy.")]
            ///
            /// **Errors**: axis out of range; an empty axis for reductions without identity.
            pub fn $axis(&self, axis: isize) -> Result<Array> {
                self.reduction($op, Some(&[axis]), false, None)
            }

            #[doc = concat!(
                "The ", $what, " over several axes, keeping them as length 1 if `keepdims`. Lazy."
            )]
            ///
            /// **Errors**: an axis out of range or repeated; an empty axis for reductions
            /// without identity.
            pub fn $axes(&self, axes: &[isize], keepdims: bool) -> Result<Array> {
                self.reduction($op, Some(axes), keepdims, None)
            }
        }
    )*};
}

reductions! {
    ReduceOp::Sum => sum, sum_axis, sum_axes, "sum";
    ReduceOp::Prod => prod, prod_axis, prod_axes, "product";
    ReduceOp::Min => min, min_axis, min_axes, "minimum (NaN propagates)";
    ReduceOp::Max => max, max_axis, max_axes, "maximum (NaN propagates)";
    ReduceOp::Mean => mean, mean_axis, mean_axes, "arithmetic mean";
    ReduceOp::Any => any, any_axis, any_axes, "logical or (true if any element is nonzero)";
    ReduceOp::All => all, all_axis, all_axes, "logical and (true if every element is nonzero)";
    ReduceOp::ArgMin => argmin, argmin_axis, argmin_axes,
        "index of the first minimum (flat index over the whole array)";
    ReduceOp::ArgMax => argmax, argmax_axis, argmax_axes,
        "index of the first maximum (flat index over the whole array)";
    ReduceOp::NanSum => nansum, nansum_axis, nansum_axes, "sum of the numbers (NaN skipped)";
    ReduceOp::NanProd => nanprod, nanprod_axis, nanprod_axes,
        "product of the numbers (NaN skipped)";
    ReduceOp::NanMin => nanmin, nanmin_axis, nanmin_axes,
        "minimum of the numbers (NaN skipped; NaN for an all-NaN slice)";
    ReduceOp::NanMax => nanmax, nanmax_axis, nanmax_axes,
        "maximum of the numbers (NaN skipped; NaN for an all-NaN slice)";
    ReduceOp::NanMean => nanmean, nanmean_axis, nanmean_axes,
        "mean of the numbers (NaN skipped; NaN for an all-NaN slice or no elements)";
    ReduceOp::NanArgMin => nanargmin, nanargmin_axis, nanargmin_axes,
        "index of the first minimum of the numbers (an all-NaN slice is an error)";
    ReduceOp::NanArgMax => nanargmax, nanargmax_axis, nanargmax_axes,
        "index of the first maximum of the numbers (an all-NaN slice is an error)";
}

/// Generates `name(ddof)`, `name_axis(axis, ddof)` and `name_axes(axes, keepdims, ddof)` for a
/// reduction with delta degrees of freedom (divisor `n - ddof`), each with an example on
/// `[0, 1, 2, 3]` whose value with `ddof = 0` is `$example`.
macro_rules! ddof_reductions {
    ($($op:ident => $all:ident, $axis:ident, $axes:ident, $what:literal, $example:expr;)*) => {$(
        impl Array {
            #[doc = concat!(
                "The ", $what, " of all elements with `ddof` delta degrees of freedom ",
                "(divisor `n - ddof`), merging per-chunk (count, mean, M2) moments (Chan et ",
                "al.), so it stays accurate on large arrays. Lazy.\n\n# Examples\n\n```\n",
                "use tessera::prelude::*;\n",
                "let x = arange(0.0, 4.0, 1.0, 3);\n",
                "let v = x.", stringify!($all), "(0)?.compute()?.to_scalar::<f64>()?;\n",
                "assert!((v - ", stringify!($example), ").abs() < 1e-15);\n",
                "# Ok::<(), tessera::Error>(())\n```"
            )]
            pub fn $all(&self, ddof: impl Into<f64>) -> Result<Array> {
                self.reduction(ReduceOp::$op { ddof: ddof.into() }, None, false, None)
            }

            #[doc = concat!("The ", $what, " along `axis`. Lazy.")]
            pub fn $axis(&self, axis: isize, ddof: impl Into<f64>) -> Result<Array> {
                self.reduction(ReduceOp::$op { ddof: ddof.into() }, Some(&[axis]), false, None)
            }

            #[doc = concat!("The ", $what, " over several axes. Lazy.")]
            pub fn $axes(
                &self,
                axes: &[isize],
                keepdims: bool,
                ddof: impl Into<f64>,
            ) -> Result<Array> {
                self.reduction(ReduceOp::$op { ddof: ddof.into() }, Some(axes), keepdims, None)
            }
        }
    )*};
}

ddof_reductions! {
    Var => var, var_axis, var_axes, "variance", 1.25;
    Std => std, std_axis, std_axes, "standard deviation (square root of the variance)",
        1.25f64.sqrt();
    NanVar => nanvar, nanvar_axis, nanvar_axes,
        "variance of the numbers (NaN skipped; NaN where `count - ddof <= 0`)", 1.25;
    NanStd => nanstd, nanstd_axis, nanstd_axes,
        "standard deviation of the numbers (NaN skipped)", 1.25f64.sqrt();
}

impl Array {
    /// The number of nonzero elements (true, for bool; NaN counts, as in numpy), as a 0-d
    /// int64 array: numpy's `count_nonzero`, `self.astype(bool).sum()`, so it fuses into the
    /// sum. Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr2(&[[0.0, 1.0, f64::NAN], [0.0, -0.0, 2.0]]), 1);
    /// assert_eq!(x.count_nonzero()?.compute()?.to_scalar::<i64>()?, 3);
    /// assert_eq!(x.count_nonzero_axis(0)?.compute()?.to_vec::<i64>(), vec![0, 1, 2]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn count_nonzero(&self) -> Result<Array> {
        self.astype(DType::Bool).sum()
    }

    /// The number of nonzero elements along `axis`. Lazy.
    pub fn count_nonzero_axis(&self, axis: isize) -> Result<Array> {
        self.astype(DType::Bool).sum_axis(axis)
    }

    /// The number of nonzero elements over several axes. Lazy.
    pub fn count_nonzero_axes(&self, axes: &[isize], keepdims: bool) -> Result<Array> {
        self.astype(DType::Bool).sum_axes(axes, keepdims)
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn reduction_metadata_follows_numpy() {
        let x = ones([6, 4, 2], [4, 3, 2]);
        let m = x.mean_axis(1).unwrap();
        assert_eq!(m.shape(), &[6, 2]);
        assert_eq!(m.chunks().as_slice(), &[vec![4, 2], vec![2]]);
        let k = x.sum_axes(&[0, -1], true).unwrap();
        assert_eq!(k.shape(), &[1, 4, 1]);
        assert_eq!(x.astype(DType::Int32).sum().unwrap().dtype(), DType::Int64);
        assert_eq!(
            x.astype(DType::Float32).mean().unwrap().dtype(),
            DType::Float32
        );
        assert_eq!(x.argmax_axis(2).unwrap().dtype(), DType::Int64);
    }

    #[test]
    fn reduction_errors_say_what_was_wrong() {
        let x = ones([6, 4], 2);
        assert_eq!(
            x.sum_axis(2).unwrap_err().to_string(),
            "sum: axis 2 is out of bounds for array of dimension 2"
        );
        assert_eq!(
            x.mean_axis(-3).unwrap_err().to_string(),
            "mean: axis -3 is out of bounds for array of dimension 2"
        );
        assert_eq!(
            x.sum_axes(&[0, -2], false).unwrap_err().to_string(),
            "sum: duplicate value in axis"
        );
        let empty = ones([0, 3], 2);
        assert_eq!(
            empty.max().unwrap_err().to_string(),
            "max: zero-size array to reduction operation max which has no identity"
        );
        assert!(empty.argmin_axis(0).is_err());
        assert_eq!(
            empty
                .sum()
                .unwrap()
                .compute()
                .unwrap()
                .to_scalar::<f64>()
                .unwrap(),
            0.0
        );
        let cube = ones([2, 2, 2], 1);
        assert!(cube.argmin_axes(&[0, 1], false).is_err());
    }
}
