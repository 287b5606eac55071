//! `pad` (numpy's `pad`, every mode but `empty` and user functions). Like numpy, the axes are
//! padded one after another, so a later axis pads the corners the earlier ones made. Each pad
//! is a composition of plan nodes the optimizer already knows: the pieces taken from the array
//! are slices (steps of ±1, one run at a time), constants are sources, edges and statistics
//! are broadcasts, ramps are elementwise arithmetic; the padded axis is their concatenation.

use crate::array::Array;
use crate::chunks::Chunks;
use crate::dtype::{DType, Scalar};
use crate::error::{ensure, Error, Result};
use crate::expr::ReduceOp;
use crate::ops::elementwise::where_;
use crate::ops::join::concatenate;
use crate::ops::rearrange::along;
use crate::ops::replicate::broadcast_with;

/// How [`Array::pad`] fills the new elements (numpy's `mode`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PadMode {
    /// A constant (numpy's `constant_values`), cast to the array's dtype.
    Constant(Scalar),
    /// The edge value repeated.
    Edge,
    /// The array repeated periodically (the start continues after the end).
    Wrap,
    /// Mirrored about the edge element, which is not repeated (`reflect_type="even"`).
    Reflect,
    /// Mirrored about the edge, which is repeated.
    Symmetric,
    /// A linear ramp from this value (numpy's `end_values`) at the outer end to the edge
    /// value; integers are floored, as numpy's `linspace` does.
    LinearRamp(Scalar),
    /// The minimum along the axis (numpy's default `stat_length`: the whole axis).
    Minimum,
    /// The maximum along the axis.
    Maximum,
    /// The mean along the axis (integers rounded half to even, as numpy).
    Mean,
}

/// Pad widths as numpy takes them: one `n` for every side, one `(before, after)` for every
/// axis, or one pair per axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PadWidth {
    /// The same widths on every axis.
    Every(usize, usize),
    /// One `(before, after)` per axis.
    Axes(Vec<(usize, usize)>),
}

impl From<usize> for PadWidth {
    fn from(n: usize) -> Self {
        PadWidth::Every(n, n)
    }
}
impl From<(usize, usize)> for PadWidth {
    fn from((before, after): (usize, usize)) -> Self {
        PadWidth::Every(before, after)
    }
}
impl<const N: usize> From<[(usize, usize); N]> for PadWidth {
    fn from(axes: [(usize, usize); N]) -> Self {
        PadWidth::Axes(axes.to_vec())
    }
}
impl From<Vec<(usize, usize)>> for PadWidth {
    fn from(axes: Vec<(usize, usize)>) -> Self {
        PadWidth::Axes(axes)
    }
}
impl From<&[(usize, usize)]> for PadWidth {
    fn from(axes: &[(usize, usize)]) -> Self {
        PadWidth::Axes(axes.to_vec())
    }
}

impl Array {
    /// The array padded by `width` on each side of each axis, filled as `mode` says (numpy's
    /// `pad`). Lazy: only the blocks (and the edges) a slice of the result needs are read.
    ///
    /// **Errors**: one pair of widths per axis was expected and another count was given; a
    /// mode other than `Constant` on an empty axis that gets padding; `LinearRamp` of a bool
    /// array.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(1, 4, 1, 2);                            // [1, 2, 3]
    /// let v = |m| x.pad((2, 3), m).and_then(|p| p.compute()).map(|c| c.to_vec::<i64>());
    /// assert_eq!(v(PadMode::Constant(0.into()))?, vec![0, 0, 1, 2, 3, 0, 0, 0]);
    /// assert_eq!(v(PadMode::Edge)?, vec![1, 1, 1, 2, 3, 3, 3, 3]);
    /// assert_eq!(v(PadMode::Wrap)?, vec![2, 3, 1, 2, 3, 1, 2, 3]);
    /// assert_eq!(v(PadMode::Reflect)?, vec![3, 2, 1, 2, 3, 2, 1, 2]);
    /// assert_eq!(v(PadMode::Symmetric)?, vec![2, 1, 1, 2, 3, 3, 2, 1]);
    /// assert_eq!(v(PadMode::Maximum)?, vec![3, 3, 1, 2, 3, 3, 3, 3]);
    /// assert_eq!(
    ///     x.pad([(1, 1), (1, 1)], PadMode::Edge).unwrap_err().to_string(),
    ///     "pad: expected one (before, after) pair per axis (1), got 2"
    /// );
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn pad(&self, width: impl Into<PadWidth>, mode: PadMode) -> Result<Array> {
        let ndim = self.node()?.shape.len();
        let widths = match width.into() {
            PadWidth::Every(before, after) => vec![(before, after); ndim],
            PadWidth::Axes(axes) => axes,
        };
        ensure!(
            widths.len() == ndim,
            Error::invalid(
                "pad",
                format!(
                    "expected one (before, after) pair per axis ({ndim}), got {}",
                    widths.len()
                )
            )
        );
        if let PadMode::LinearRamp(_) = mode {
            ensure!(
                self.dtype() != DType::Bool,
                Error::invalid("pad", "linear_ramp cannot pad a bool array")
            );
        }
        let mut x = self.clone();
        for (axis, &(before, after)) in widths.iter().enumerate() {
            if before + after > 0 {
                x = pad_axis(&x, axis, before, after, mode)?;
            }
        }
        Ok(x)
    }
}

/// `x` padded on `axis` alone.
fn pad_axis(x: &Array, axis: usize, before: usize, after: usize, mode: PadMode) -> Result<Array> {
    let len = x.shape()[axis];
    ensure!(
        len > 0 || matches!(mode, PadMode::Constant(_)),
        Error::invalid(
            "pad",
            format!("can't extend empty axis {axis} using modes other than constant")
        )
    );
    let (left, right) = match mode {
        PadMode::Constant(value) => (
            constant(x, axis, before, value),
            constant(x, axis, after, value),
        ),
        PadMode::Wrap | PadMode::Reflect | PadMode::Symmetric => {
            let source = |i: isize| mirror(mode, i, len as isize);
            let left = gather(x, axis, (-(before as isize)..0).map(source))?;
            let right = gather(x, axis, (len as isize..(len + after) as isize).map(source))?;
            (left, right)
        }
        PadMode::Edge => (
            stretch(&along(x, axis, 0, 1, 1)?, axis, before)?,
            stretch(&along(x, axis, len - 1, len, 1)?, axis, after)?,
        ),
        PadMode::Minimum | PadMode::Maximum | PadMode::Mean => {
            let value = statistic(x, axis, mode)?;
            (
                stretch(&value, axis, before)?,
                stretch(&value, axis, after)?,
            )
        }
        PadMode::LinearRamp(end) => (
            ramp(x, axis, &along(x, axis, 0, 1, 1)?, before, end, false)?,
            ramp(x, axis, &along(x, axis, len - 1, len, 1)?, after, end, true)?,
        ),
    };
    let parts: Vec<Array> = [left, x.clone(), right]
        .into_iter()
        .filter(|p| p.shape()[axis] > 0)
        .collect();
    concatenate(&parts, axis as isize)
}

/// The shape and chunks of `x` with `axis` replaced by one block of `width`.
fn strip(x: &Array, axis: usize, width: usize) -> (Vec<usize>, Chunks) {
    let mut shape = x.shape().to_vec();
    shape[axis] = width;
    let mut blocks = x.chunks().as_slice().to_vec();
    blocks[axis] = vec![width];
    (shape, Chunks::from_vec(blocks))
}

/// A constant strip of `width` along `axis`, of `x`'s dtype and other chunks.
fn constant(x: &Array, axis: usize, width: usize, value: Scalar) -> Array {
    let (shape, chunks) = strip(x, axis, width);
    crate::ops::creation::constant(value, x.dtype(), shape, chunks)
}

/// `edge` (length 1 on `axis`) broadcast to `width` along `axis`.
fn stretch(edge: &Array, axis: usize, width: usize) -> Result<Array> {
    let (shape, chunks) = strip(edge, axis, width);
    broadcast_with(edge, shape, chunks)
}

/// Which element of an axis of length `len` pads position `i` (outside `0..len`).
fn mirror(mode: PadMode, i: isize, len: isize) -> isize {
    match mode {
        PadMode::Wrap => i.rem_euclid(len),
        PadMode::Reflect if len == 1 => 0,
        PadMode::Reflect => {
            let j = i.rem_euclid(2 * (len - 1));
            if j < len {
                j
            } else {
                2 * (len - 1) - j
            }
        }
        _ => {
            let j = i.rem_euclid(2 * len);
            if j < len {
                j
            } else {
                2 * len - 1 - j
            }
        }
    }
}

/// The elements `sources` of `x` along `axis`, in that order: one slice per run of
/// consecutive indices (step 1 or -1), joined.
fn gather(x: &Array, axis: usize, sources: impl Iterator<Item = isize>) -> Result<Array> {
    let sources: Vec<isize> = sources.collect();
    let mut parts = Vec::new();
    let mut start = 0;
    while start < sources.len() {
        let first = sources[start];
        let step = match sources.get(start + 1) {
            Some(&next) if (next - first).abs() == 1 => next - first,
            _ => 1,
        };
        let mut end = start + 1;
        while end < sources.len() && sources[end] - sources[end - 1] == step {
            end += 1;
        }
        let last = sources[end - 1];
        let (lo, hi) = (first.min(last) as usize, first.max(last) as usize + 1);
        parts.push(along(x, axis, lo, hi, step)?);
        start = end;
    }
    if parts.is_empty() {
        return along(x, axis, 0, 0, 1);
    }
    concatenate(&parts, axis as isize)
}

/// The minimum, maximum or mean of `x` along `axis`, kept as an axis of length 1, in `x`'s
/// dtype (an integer mean rounded half to even first, as numpy).
fn statistic(x: &Array, axis: usize, mode: PadMode) -> Result<Array> {
    let op = match mode {
        PadMode::Minimum => ReduceOp::Min,
        PadMode::Maximum => ReduceOp::Max,
        _ => ReduceOp::Mean,
    };
    let value = x.reduction(op, Some(&[axis as isize]), true, None)?;
    // numpy rounds for integers only; a bool takes any nonzero mean as true.
    Ok(if op == ReduceOp::Mean && x.dtype().is_integer() {
        value.rint().astype(x.dtype())
    } else {
        value.astype(x.dtype())
    })
}

/// numpy's linear ramp of `width` from `end` to `edge` (exclusive), reversed on the `after`
/// side, computed in float64 as `np.linspace(end, edge, width, endpoint=False)` computes it
/// (also for float32 and integer arrays): `j * step + end` with `step = (edge - end) / width`,
/// or `j / width * (edge - end) + end` when any step of the whole edge is 0 (numpy's guard
/// against subnormal steps; the choice is one lazy `any` over the edge). Then cast to the
/// array's dtype, integers floored first, as numpy 2's `linspace` does.
fn ramp(
    x: &Array,
    axis: usize,
    edge: &Array,
    width: usize,
    end: Scalar,
    after: bool,
) -> Result<Array> {
    let (start, stop, step) = if after {
        (width as i64 - 1, -1, -1)
    } else {
        (0, width as i64, 1)
    };
    let others: Vec<isize> = (0..x.ndim() as isize)
        .filter(|&a| a != axis as isize)
        .collect();
    let j = crate::ops::creation::arange(start, stop, step, width.max(1))
        .astype(DType::Float64)
        .expand_dims(&others)?;
    let end = end.cast::<f64>();
    let div = width.max(1) as f64;
    let delta = edge.astype(DType::Float64) - end;
    let step = &delta / div;
    let any_zero = step.eq(0.0).any()?;
    let by_step = &j * &step + end;
    let by_delta = &(&j / div) * &delta + end;
    let values = where_(&any_zero, &by_delta, &by_step);
    let values = if x.dtype().is_float() {
        values.astype(x.dtype())
    } else {
        values.floor().astype(x.dtype())
    };
    values.check().cloned()
}
