//! Reduction kernels: per-block partials, merging of partials, and the final values.
//!
//! Sums are pairwise (error grows with log n, not n) both within a block and, through the
//! tree, across blocks; mean/var/std merge per-block (count, mean, M2) moments with Chan et
//! al.'s formula, so a variance never subtracts two large sums.

use ndarray::{ArrayD, ArrayViewD, Axis, Dimension, IxDyn, Zip};

use super::elementwise::Arith;
use super::{typed, Value};
use crate::data::{with_data, ArrayData, DataElement};
use crate::dtype::{DType, Element};
use crate::error::{fmt_shape, Error, Result};

/// How a reduction's per-block partial is computed and merged: the kernel column of the
/// reduction table (`expr::ReduceOp::row`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Partial {
    /// Pairwise sum, in float64 for floats and int64 otherwise.
    Sum,
    /// Product, in float64 for floats and int64 otherwise.
    Prod,
    /// Smallest value, in the input dtype; NaN propagates.
    Min,
    /// Largest value, in the input dtype; NaN propagates.
    Max,
    /// Logical or.
    Any,
    /// Logical and.
    All,
    /// `Sum`, `Prod`, `Min`, `Max` skipping NaN (an all-NaN `NanMin` is NaN).
    NanSum,
    NanProd,
    NanMin,
    NanMax,
    /// (count, mean, M2) moments, merged with Chan et al.'s formula; M2 only if `m2`; of the
    /// numbers alone if `nan` (each position counts its own).
    Moments {
        m2: bool,
        nan: bool,
    },
    /// The first smallest (`min`) or largest value and its flat or along-axis index; if `nan`,
    /// NaN loses to every number.
    Arg {
        min: bool,
        nan: bool,
    },
}

/// How the merged partial becomes an output block: the aggregate column of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Aggregate {
    /// The partial's values, cast to the result dtype.
    Value,
    /// The moments' mean.
    Mean,
    /// `M2 / (count - ddof)`, its square root if `root`; if `nan`, NaN where
    /// `count - ddof <= 0` (numpy's nanvar; its var divides by zero instead).
    Var { ddof: f64, root: bool, nan: bool },
    /// The indices of an `Arg` partial; if `nan`, an all-NaN slice (its value NaN) is an error.
    Index { nan: bool },
}

/// Below this many elements a sum is accumulated directly (in [`PAIRWISE_LANES`] lanes),
/// above it halved.
const PAIRWISE_BLOCK: usize = 256;
/// Independent accumulators at a leaf. Each is a chain of dependent additions, so a leaf runs
/// at one step per addition's latency: with 32 lanes the tile sum of a fused random reduction
/// takes 5.6% of its time, with 8 it took 8%. (LLVM keeps the lanes in 128-bit registers even
/// with AVX-512: its SLP vectorizer, which packs them, does not go wider here.)
const PAIRWISE_LANES: usize = 32;

/// The partial result of one block, keeping reduced axes as length 1.
/// `offset` is the block's start in the whole input of `shape` (for argmin/argmax indices).
pub(crate) fn partial(
    op: Partial,
    axes: &[usize],
    block: &ArrayData,
    offset: &[usize],
    shape: &[usize],
) -> Value {
    let float = block.dtype().is_float();
    match op {
        Partial::Sum if float => Value::Data(f64::wrap(sum_axes(typed::<f64>(block).view(), axes))),
        Partial::Sum => Value::Data(i64::wrap(sum_axes(typed::<i64>(block).view(), axes))),
        Partial::Prod if float => Value::Data(f64::wrap(fold_axes(
            typed::<f64>(block).view(),
            axes,
            1.0,
            Arith::mul,
        ))),
        Partial::Prod => Value::Data(i64::wrap(fold_axes(
            typed::<i64>(block).view(),
            axes,
            1,
            Arith::mul,
        ))),
        Partial::Min => Value::Data(with_data!(block, a => DataElement::wrap(fold_axes(
            a.view(),
            axes,
            Default::default(),
            nan_min
        )))),
        Partial::Max => Value::Data(with_data!(block, a => DataElement::wrap(fold_axes(
            a.view(),
            axes,
            Default::default(),
            nan_max
        )))),
        Partial::Any => Value::Data(bool::wrap(fold_axes(
            typed::<bool>(block).view(),
            axes,
            false,
            Arith::or,
        ))),
        Partial::All => Value::Data(bool::wrap(fold_axes(
            typed::<bool>(block).view(),
            axes,
            true,
            Arith::and,
        ))),
        Partial::NanSum if float => {
            Value::Data(f64::wrap(sum_axes(without_nan(block, 0.0).view(), axes)))
        }
        Partial::NanSum => partial(Partial::Sum, axes, block, offset, shape),
        Partial::NanProd if float => Value::Data(f64::wrap(fold_axes(
            without_nan(block, 1.0).view(),
            axes,
            1.0,
            Arith::mul,
        ))),
        Partial::NanProd => partial(Partial::Prod, axes, block, offset, shape),
        Partial::NanMin => Value::Data(with_data!(block, a => DataElement::wrap(fold_axes(
            a.view(),
            axes,
            Default::default(),
            Arith::fmin
        )))),
        Partial::NanMax => Value::Data(with_data!(block, a => DataElement::wrap(fold_axes(
            a.view(),
            axes,
            Default::default(),
            Arith::fmax
        )))),
        Partial::Moments { m2, nan } if nan && float => {
            nan_moments(typed::<f64>(block).view(), axes, m2)
        }
        Partial::Moments { m2, .. } => moments(typed::<f64>(block).view(), axes, m2),
        Partial::Arg { min, nan } => {
            with_data!(block, a => {
                let better = if nan { beats_skipping_nan } else { beats };
                let (values, index) = arg_partial(a.view(), axes, offset, shape, min, better);
                Value::Arg { values: DataElement::wrap(values), index }
            })
        }
    }
}

/// The block as float64 with NaN replaced by `fill` (the identity of a nan-sum or product).
fn without_nan(block: &ArrayData, fill: f64) -> ArrayD<f64> {
    typed::<f64>(block).mapv(|x| if x.is_nan() { fill } else { x })
}

/// The partial of a `Sum` or a mean's `Moments` over the axes of a block that hold `count`
/// elements of each sum in `sums` (the reduced axes kept as length 1) — what [`partial`] gives
/// for that block, from a fused kernel that computed its sums as [`sum_axes`] would.
pub(crate) fn from_sums(op: Partial, count: usize, sums: ArrayD<f64>) -> Value {
    match op {
        Partial::Sum => Value::Data(f64::wrap(sums)),
        Partial::Moments { m2: false, .. } => {
            let n = count as f64;
            let m2 = ArrayD::zeros(sums.raw_dim());
            Value::Moments {
                count: ArrayD::from_elem(sums.raw_dim(), n),
                mean: sums.mapv_into(|s| s / n),
                m2,
            }
        }
        other => unreachable!("{other:?} is not fused"),
    }
}

/// Merges partials of the same output block (all of one shape).
pub(crate) fn combine(op: Partial, parts: &[&Value]) -> Value {
    let mut acc = parts[0].clone();
    for part in &parts[1..] {
        merge_into(op, &mut acc, part);
    }
    acc
}

/// Merges `part` into `acc` in place (partials of the same output block, of one shape): a
/// tiled reduction merges each tile's partial so, without a new accumulator per tile.
pub(crate) fn merge_into(op: Partial, acc: &mut Value, part: &Value) {
    match acc {
        Value::Data(acc) => with_data!(acc, acc => {
            let other = typed(part.data());
            let merge = data_merge(op);
            Zip::from(acc).and(&*other).for_each(|a, &b| *a = merge(*a, b));
        }),
        Value::Moments { .. } => merge_moments(acc, part),
        Value::Arg { .. } => {
            let Partial::Arg { min, nan } = op else {
                unreachable!("arg values merge by an Arg partial")
            };
            merge_args(acc, part, min, nan)
        }
    }
}

/// Partials of consecutive regions along a kept `axis` joined into the partial of their union.
pub(crate) fn concatenate(axis: usize, parts: &[Value]) -> Value {
    let field = |f: fn(&Value) -> Option<&ArrayD<f64>>| -> Vec<&ArrayD<f64>> {
        parts
            .iter()
            .map(|p| f(p).expect("band partials of one kind"))
            .collect()
    };
    match &parts[0] {
        Value::Data(_) => Value::Data(join_data(axis, parts.iter().map(Value::data))),
        Value::Moments { .. } => Value::Moments {
            count: join(
                axis,
                &field(|p| match p {
                    Value::Moments { count, .. } => Some(count),
                    _ => None,
                }),
            ),
            mean: join(
                axis,
                &field(|p| match p {
                    Value::Moments { mean, .. } => Some(mean),
                    _ => None,
                }),
            ),
            m2: join(
                axis,
                &field(|p| match p {
                    Value::Moments { m2, .. } => Some(m2),
                    _ => None,
                }),
            ),
        },
        Value::Arg { .. } => {
            fn arg(p: &Value) -> (&ArrayData, &ArrayD<i64>) {
                match p {
                    Value::Arg { values, index } => (values, index),
                    _ => unreachable!("band partials of one kind"),
                }
            }
            let index: Vec<&ArrayD<i64>> = parts.iter().map(|p| arg(p).1).collect();
            Value::Arg {
                values: join_data(axis, parts.iter().map(|p| arg(p).0)),
                index: join(axis, &index),
            }
        }
    }
}

fn join<T: Clone>(axis: usize, arrays: &[&ArrayD<T>]) -> ArrayD<T> {
    let views: Vec<_> = arrays.iter().map(|a| a.view()).collect();
    ndarray::concatenate(Axis(axis), &views).expect("band partials align")
}

fn join_data<'a>(axis: usize, data: impl Iterator<Item = &'a ArrayData>) -> ArrayData {
    let data: Vec<&ArrayData> = data.collect();
    with_data!(data[0], first => {
        let arrays: Vec<_> = data.iter().map(|d| same_type(first, d)).collect();
        DataElement::wrap(join(axis, &arrays))
    })
}

/// `data` as an array of `_like`'s element type (the partials of one block share a dtype).
fn same_type<'a, T: DataElement>(_like: &ArrayD<T>, data: &'a ArrayData) -> &'a ArrayD<T> {
    T::view_of(data).expect("band partials share a dtype")
}

/// The final values of an output block of `shape` and `dtype`, starting at `offset` in the
/// output, from its merged partial.
///
/// **Errors**: `nanargmin`/`nanargmax` of an all-NaN slice, naming its index in the output.
pub(crate) fn finalize(
    op: Aggregate,
    name: &'static str,
    dtype: DType,
    shape: &[usize],
    offset: &[usize],
    merged: &Value,
) -> Result<ArrayData> {
    let reshape = |data: ArrayData| -> ArrayData {
        with_data!(data, a => DataElement::wrap(
            a.into_shape_with_order(IxDyn(shape))
                .expect("partials keep the output's element count")
        ))
    };
    Ok(match (op, merged) {
        (Aggregate::Index { nan }, Value::Arg { index, values }) => {
            if nan {
                all_nan_slice(name, &reshape(values.clone()), offset)?;
            }
            reshape(i64::wrap(index.clone()))
        }
        (Aggregate::Mean, Value::Moments { mean, .. }) => {
            reshape(f64::wrap(mean.clone()).cast(dtype))
        }
        (Aggregate::Var { ddof, root, nan }, Value::Moments { count, m2, .. }) => {
            let v = Zip::from(count).and(m2).map_collect(|&count, &m| {
                let divisor = count - ddof;
                let v = if nan && divisor <= 0.0 {
                    f64::NAN
                } else {
                    m / divisor.max(0.0)
                };
                if root {
                    v.sqrt()
                } else {
                    v
                }
            });
            reshape(f64::wrap(v).cast(dtype))
        }
        (_, Value::Data(data)) => reshape(data.clone().cast(dtype)),
        (op, value) => unreachable!("{op:?} cannot finalize {value:?}"),
    })
}

/// The error of a nan-arg reduction whose best value is NaN: its slice held NaN alone.
fn all_nan_slice(name: &'static str, values: &ArrayData, offset: &[usize]) -> Result<()> {
    let nan = with_data!(values, a => a.indexed_iter().find(|(_, &x)| is_nan(x)).map(|(i, _)| {
        i.slice().iter().zip(offset).map(|(i, o)| i + o).collect::<Vec<usize>>()
    }));
    match nan {
        None => Ok(()),
        Some(index) if index.is_empty() => Err(Error::invalid(
            name,
            "All-NaN slice encountered: every element is NaN",
        )),
        Some(index) => Err(Error::invalid(
            name,
            format!(
                "All-NaN slice encountered at index {} of the result",
                fmt_shape(&index)
            ),
        )),
    }
}

fn data_merge<T: Arith>(op: Partial) -> fn(T, T) -> T {
    match op {
        Partial::Sum => T::add,
        Partial::Prod => T::mul,
        Partial::Min => nan_min,
        Partial::Max => nan_max,
        Partial::NanSum => T::add,
        Partial::NanProd => T::mul,
        Partial::NanMin => T::fmin,
        Partial::NanMax => T::fmax,
        Partial::Any => T::or,
        Partial::All => T::and,
        other => unreachable!("{other:?} partials are not plain data"),
    }
}

fn is_nan<T: PartialEq>(x: T) -> bool {
    #[allow(clippy::eq_op)]
    let nan = x != x;
    nan
}

/// The smaller value; NaN wins (numpy's `min` propagates NaN).
fn nan_min<T: PartialOrd + Copy>(a: T, b: T) -> T {
    if is_nan(a) || (!is_nan(b) && a <= b) {
        a
    } else {
        b
    }
}

/// The larger value; NaN wins.
fn nan_max<T: PartialOrd + Copy>(a: T, b: T) -> T {
    if is_nan(a) || (!is_nan(b) && a >= b) {
        a
    } else {
        b
    }
}

/// Sum over `axes`, keeping them as length 1.
pub(crate) fn sum_axes<T: Arith>(v: ArrayViewD<'_, T>, axes: &[usize]) -> ArrayD<T> {
    if axes.len() == v.ndim() {
        if let Some(values) = v.as_slice() {
            return ArrayD::from_elem(IxDyn(&vec![1; v.ndim()]), pairwise(values));
        }
    }
    let mut out: Option<ArrayD<T>> = None;
    // A sum over an axis of length 1 is that axis's one element (numpy's too: it starts from
    // the first element, so -0.0 stays -0.0): no kernel call per row for it.
    for &axis in axes.iter().filter(|&&axis| v.len_of(Axis(axis)) != 1) {
        let view = out.as_ref().map_or_else(|| v.view(), |a| a.view());
        out = Some(sum_axis(view, axis));
    }
    out.unwrap_or_else(|| crate::kernels::copy::to_standard(v))
}

fn sum_axis<T: Arith>(v: ArrayViewD<'_, T>, axis: usize) -> ArrayD<T> {
    let ax = Axis(axis);
    if v.len_of(ax) == 0 {
        let mut shape = v.shape().to_vec();
        shape[axis] = 1;
        return ArrayD::default(IxDyn(&shape));
    }
    // Chosen by the axis's position, not its stride, so an element's sum does not depend on
    // the lengths of the other axes (a block narrowed to one column adds the same way).
    if axis + 1 == v.ndim() {
        // Lanes along the last axis (contiguous in standard layout): pairwise over each.
        return v
            .map_axis(ax, |lane| {
                lane.as_slice()
                    .map_or_else(|| pairwise(&lane.to_vec()), pairwise)
            })
            .insert_axis(ax);
    }
    sum_rows(v, axis).insert_axis(ax)
}

/// Up to this many sub-arrays are added one after another by [`sum_rows`]; more are halved.
pub(crate) const SUM_ROWS_LEAF: usize = 8;

/// Pairwise sum of the sub-arrays along `axis`, adding whole rows at a time (cache friendly).
fn sum_rows<T: Arith>(v: ArrayViewD<'_, T>, axis: usize) -> ArrayD<T> {
    let ax = Axis(axis);
    let n = v.len_of(ax);
    if n <= SUM_ROWS_LEAF {
        let mut acc = v.index_axis(ax, 0).to_owned();
        for i in 1..n {
            add_arrays(&mut acc, v.index_axis(ax, i));
        }
        return acc;
    }
    let (left, right) = v.split_at(ax, n / 2);
    let mut acc = sum_rows(left, axis);
    add_arrays(&mut acc, sum_rows(right, axis).view());
    acc
}

/// `acc += other`, element by element (as contiguous slices when both are in standard layout).
fn add_arrays<T: Arith>(acc: &mut ArrayD<T>, other: ArrayViewD<'_, T>) {
    match (acc.as_slice_mut(), other.as_slice()) {
        (Some(a), Some(b)) => add_rows(a, b),
        _ => Zip::from(acc).and(other).for_each(|a, &b| *a = a.add(b)),
    }
}

/// `acc[i] += row[i]` on the widest vectors the CPU has.
pub(crate) fn add_rows<T: Arith>(acc: &mut [T], row: &[T]) {
    debug_assert_eq!(acc.len(), row.len());
    crate::simd::vectorized(
        #[inline(always)]
        || add_into(acc, row, |x| x),
    )
}

/// `acc[i] += f(row[i])`: the loop of [`add_rows`] and of the lanes of a pairwise leaf.
#[inline(always)]
fn add_into<T: Arith>(acc: &mut [T], row: &[T], f: impl Fn(T) -> T) {
    for (a, &b) in acc.iter_mut().zip(row) {
        *a = a.add(f(b));
    }
}

/// Pairwise summation of a slice.
pub(crate) fn pairwise<T: Arith>(values: &[T]) -> T {
    pairwise_map(values, |x| x)
}

/// Pairwise summation of `f(x)` over a slice ([`PAIRWISE_LANES`] lanes at the leaves, so it
/// vectorizes; the lanes are then added as a balanced tree).
fn pairwise_map<T: Arith>(values: &[T], f: impl Fn(T) -> T + Copy) -> T {
    if values.len() <= PAIRWISE_BLOCK {
        return crate::simd::vectorized(
            #[inline(always)]
            || pairwise_leaf(values, f),
        );
    }
    let (left, right) = values.split_at(values.len() / 2);
    pairwise_map(left, f).add(pairwise_map(right, f))
}

/// The sum of `f(x)` over at most [`PAIRWISE_BLOCK`] values, in [`PAIRWISE_LANES`] lanes.
#[inline(always)]
fn pairwise_leaf<T: Arith>(values: &[T], f: impl Fn(T) -> T + Copy) -> T {
    let mut lanes = [T::default(); PAIRWISE_LANES];
    let mut chunks = values.chunks_exact(PAIRWISE_LANES);
    for chunk in &mut chunks {
        add_into(&mut lanes, chunk, f);
    }
    let tail = chunks
        .remainder()
        .iter()
        .fold(T::default(), |acc, &x| acc.add(f(x)));
    let mut width = PAIRWISE_LANES / 2;
    while width > 0 {
        let (low, high) = lanes.split_at_mut(width);
        for (a, &b) in low.iter_mut().zip(&high[..width]) {
            *a = a.add(b);
        }
        width /= 2;
    }
    lanes[0].add(tail)
}

/// `f` folded over `axes` (keeping them as length 1); `identity` for an empty axis.
fn fold_axes<T: Copy>(
    v: ArrayViewD<'_, T>,
    axes: &[usize],
    identity: T,
    f: fn(T, T) -> T,
) -> ArrayD<T> {
    let mut out: Option<ArrayD<T>> = None;
    for &axis in axes {
        let view = out.as_ref().map_or_else(|| v.view(), |a| a.view());
        let ax = Axis(axis);
        let folded = if view.len_of(ax) == 0 {
            let mut shape = view.shape().to_vec();
            shape[axis] = 1;
            ArrayD::from_elem(IxDyn(&shape), identity)
        } else {
            let mut acc = view.index_axis(ax, 0).to_owned();
            for row in view.axis_iter(ax).skip(1) {
                Zip::from(&mut acc)
                    .and(&row)
                    .for_each(|a, &b| *a = f(*a, b));
            }
            acc.insert_axis(ax)
        };
        out = Some(folded);
    }
    out.unwrap_or_else(|| v.to_owned())
}

/// (count, mean, M2) of a block over `axes`; M2 (the sum of squared deviations) only when a
/// variance needs it — a mean leaves it zero.
fn moments(v: ArrayViewD<'_, f64>, axes: &[usize], with_m2: bool) -> Value {
    let count: usize = axes.iter().map(|&a| v.len_of(Axis(a))).product();
    let n = count as f64;
    let mean = sum_axes(v.view(), axes).mapv(|s| s / n);
    let m2 = if !with_m2 {
        ArrayD::zeros(mean.raw_dim())
    } else if let (true, Some(values)) = (axes.len() == v.ndim(), v.as_slice()) {
        // The whole block: one pass, no block-sized temporary.
        let m = mean.iter().next().copied().unwrap_or(0.0);
        ArrayD::from_elem(mean.raw_dim(), pairwise_map(values, |x| (x - m) * (x - m)))
    } else {
        let deviations = Zip::from(&v)
            .and_broadcast(&mean)
            .map_collect(|&x, &m| (x - m) * (x - m));
        sum_axes(deviations.view(), axes)
    };
    Value::Moments {
        count: ArrayD::from_elem(mean.raw_dim(), n),
        mean,
        m2,
    }
}

/// The moments of the numbers of a block over `axes` (NaN skipped): each position has its
/// own count; a position without numbers has count 0 and mean NaN.
fn nan_moments(v: ArrayViewD<'_, f64>, axes: &[usize], with_m2: bool) -> Value {
    let numbers = v.mapv(|x| if x.is_nan() { 0.0 } else { 1.0 });
    let count = sum_axes(numbers.view(), axes);
    let clean = v.mapv(|x| if x.is_nan() { 0.0 } else { x });
    let mut mean = sum_axes(clean.view(), axes);
    Zip::from(&mut mean).and(&count).for_each(|m, &n| *m /= n);
    let m2 = if with_m2 {
        let deviations = Zip::from(&v).and_broadcast(&mean).map_collect(|&x, &m| {
            if x.is_nan() {
                0.0
            } else {
                (x - m) * (x - m)
            }
        });
        sum_axes(deviations.view(), axes)
    } else {
        ArrayD::zeros(mean.raw_dim())
    };
    Value::Moments { count, mean, m2 }
}

/// Chan, Golub & LeVeque's pairwise update of (count, mean, M2), position by position (a
/// position without elements on one side takes the other's).
fn merge_moments(a: &mut Value, b: &Value) {
    let (
        Value::Moments { count, mean, m2 },
        Value::Moments {
            count: nb,
            mean: mb,
            m2: m2b,
        },
    ) = (a, b)
    else {
        unreachable!("moments merge with moments")
    };
    Zip::from(&mut *count)
        .and(&mut *mean)
        .and(&mut *m2)
        .and(nb)
        .and(mb)
        .and(m2b)
        .for_each(|count, mean, m2, &nb, &mb, &m2b| {
            let na = *count;
            if nb == 0.0 {
                return;
            }
            if na == 0.0 {
                (*count, *mean, *m2) = (nb, mb, m2b);
                return;
            }
            let n = na + nb;
            if !(mean.is_finite() && mb.is_finite()) {
                // An infinite mean (numpy's mean is then ±inf, or NaN for inf - inf) would
                // make `delta` infinite and the update NaN; its variance is NaN, as numpy's.
                *mean = (*mean * na + mb * nb) / n;
                *m2 = f64::NAN;
            } else {
                let delta = mb - *mean;
                *mean += delta * nb / n;
                *m2 += m2b + delta * delta * na * nb / n;
            }
            *count = n;
        });
}

/// True if `x` beats `best` (strictly smaller for argmin, larger for argmax; a NaN beats a number).
fn beats<T: PartialOrd + Copy>(x: T, best: T, min: bool) -> bool {
    if is_nan(best) {
        return false;
    }
    is_nan(x) || if min { x < best } else { x > best }
}

/// As [`beats`], but a NaN loses to every number (the nan-arg reductions).
fn beats_skipping_nan<T: PartialOrd + Copy>(x: T, best: T, min: bool) -> bool {
    !is_nan(x) && (is_nan(best) || if min { x < best } else { x > best })
}

fn ties<T: PartialOrd + Copy>(x: T, best: T) -> bool {
    x == best || (is_nan(x) && is_nan(best))
}

fn arg_partial<T: Element>(
    v: ArrayViewD<'_, T>,
    axes: &[usize],
    offset: &[usize],
    shape: &[usize],
    min: bool,
    beats: fn(T, T, bool) -> bool,
) -> (ArrayD<T>, ArrayD<i64>) {
    let ndim = v.ndim();
    if axes.len() == ndim {
        // Whole array: the flat index in the full input.
        let mut strides = vec![1usize; ndim];
        for axis in (0..ndim.saturating_sub(1)).rev() {
            strides[axis] = strides[axis + 1] * shape[axis + 1];
        }
        let mut best: Option<(T, usize)> = None;
        for (index, &x) in v.indexed_iter() {
            if best.is_none_or(|(b, _)| beats(x, b, min)) {
                let flat = (0..ndim).map(|a| (offset[a] + index[a]) * strides[a]).sum();
                best = Some((x, flat));
            }
        }
        let (value, flat) = best.expect("reductions without identity reject empty arrays");
        let ones = IxDyn(&vec![1; ndim]);
        return (
            ArrayD::from_elem(ones.clone(), value),
            ArrayD::from_elem(ones, flat as i64),
        );
    }
    let axis = axes[0];
    let pairs = v.map_axis(Axis(axis), |lane| {
        let mut best = (lane[0], 0usize);
        for (i, &x) in lane.iter().enumerate().skip(1) {
            if beats(x, best.0, min) {
                best = (x, i);
            }
        }
        (best.0, (best.1 + offset[axis]) as i64)
    });
    (
        pairs.mapv(|p| p.0).insert_axis(Axis(axis)),
        pairs.mapv(|p| p.1).insert_axis(Axis(axis)),
    )
}

fn merge_args(a: &mut Value, b: &Value, min: bool, nan: bool) {
    let (
        Value::Arg {
            values: va,
            index: ia,
        },
        Value::Arg {
            values: vb,
            index: ib,
        },
    ) = (a, b)
    else {
        unreachable!("arg partials merge with arg partials")
    };
    with_data!(va, va => {
        let vb = typed(vb);
        let beats = if nan { beats_skipping_nan } else { beats };
        Zip::from(va).and(ia).and(&*vb).and(ib).for_each(|v, i, &w, &j| {
            if beats(w, *v, min) || (ties(w, *v) && j < *i) {
                *v = w;
                *i = j;
            }
        });
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_is_exact_on_integers_and_accurate_on_floats() {
        let ints: Vec<i64> = (0..10_001).collect();
        assert_eq!(pairwise(&ints), 10_000 * 10_001 / 2);
        // 1e6 copies of 0.1: naive summation drifts by ~1e-6 relative, pairwise stays near 1e-15.
        let tenths = vec![0.1f64; 1_000_000];
        assert!((pairwise(&tenths) - 100_000.0).abs() < 1e-8);
    }

    #[test]
    fn a_sum_over_length_one_axes_is_the_block() {
        let column = ArrayD::from_shape_vec(IxDyn(&[3, 1]), vec![-0.0, 1.5, f64::NAN]).unwrap();
        let sums = sum_axes(column.view(), &[1]);
        assert_eq!(sums.shape(), &[3, 1]);
        assert!(
            sums[[0, 0]] == 0.0 && sums[[0, 0]].is_sign_negative(),
            "numpy keeps -0.0"
        );
        assert_eq!(sums[[1, 0]], 1.5);
        assert!(sums[[2, 0]].is_nan());
        // Mixed: the length-1 axis is skipped, the other summed.
        let block = ArrayD::from_shape_vec(IxDyn(&[1, 2, 3]), (0..6).collect()).unwrap();
        let sums = sum_axes(block.view().reversed_axes(), &[0, 2]);
        assert_eq!(sums.shape(), &[1, 2, 1]);
        assert_eq!(sums.iter().copied().collect::<Vec<i64>>(), vec![3, 12]);
    }

    #[test]
    fn nan_propagates_through_min_and_arg() {
        assert!(nan_min(f64::NAN, 1.0).is_nan());
        assert!(nan_max(1.0, f64::NAN).is_nan());
        assert!(beats(f64::NAN, 0.0, true));
        assert!(!beats(0.0, f64::NAN, true));
    }
}
