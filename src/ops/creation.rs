//! Arrays made from a rule or from memory: `zeros ones full arange linspace from_array`.
//! Nothing is allocated until a chunk is computed (except the data `from_array` is given).

use std::sync::Arc;

use ndarray::Dimension;

use crate::array::Array;
use crate::chunks::{ChunkSpec, Chunks};
use crate::data::DataElement;
use crate::dtype::{DType, Scalar};
use crate::error::{Error, Result};
use crate::expr::{ExprKind, Node, Source};

/// A shape as users write it: `[10000, 10000]`, a `Vec<usize>`, a slice, or one length.
pub trait IntoShape {
    /// The axis lengths.
    fn into_shape(self) -> Vec<usize>;
}

impl<const N: usize> IntoShape for [usize; N] {
    fn into_shape(self) -> Vec<usize> {
        self.to_vec()
    }
}
impl IntoShape for Vec<usize> {
    fn into_shape(self) -> Vec<usize> {
        self
    }
}
impl IntoShape for &[usize] {
    fn into_shape(self) -> Vec<usize> {
        self.to_vec()
    }
}
impl IntoShape for usize {
    fn into_shape(self) -> Vec<usize> {
        vec![self]
    }
}

/// A source node of `shape`, `dtype` and chunks `spec`; an invalid array if the chunks are bad.
pub(crate) fn source_array(
    source: Source,
    shape: Vec<usize>,
    dtype: DType,
    spec: ChunkSpec,
) -> Array {
    Array::from_result(Chunks::normalize(spec, &shape, dtype).map(|chunks| {
        Array::from_node(Node::new(
            ExprKind::Source { source, view: None },
            shape,
            dtype,
            chunks,
        ))
    }))
}

/// An array of `shape` filled with `value`; the dtype is the value's (`f64` for floats, `i64`
/// for integers, `bool`), as `np.full`. Lazy: chunks are made when computed.
///
/// **Errors** (at the next fallible call): invalid chunks.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let a = full([4, 6], 7, [2, 3]);
/// assert_eq!(a.dtype(), DType::Int64);
/// assert_eq!(a.chunks().as_slice(), &[vec![2, 2], vec![3, 3]]);
/// assert_eq!(a.sum()?.compute()?.to_scalar::<i64>()?, 7 * 24);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn full(
    shape: impl IntoShape,
    value: impl Into<Scalar>,
    chunks: impl Into<ChunkSpec>,
) -> Array {
    let value = value.into();
    full_dtype(shape, value, value.default_dtype(), chunks)
}

/// `value` if `dtype` holds it ([`Scalar::is_held_by`]).
///
/// **Errors**: [`Error::InvalidArgument`] of `op` naming the value and the dtype.
pub(crate) fn check_held(op: &'static str, value: Scalar, dtype: DType) -> Result<Scalar> {
    if value.is_held_by(dtype) {
        Ok(value)
    } else {
        Err(Error::invalid(op, format!("{dtype} does not hold {value}")))
    }
}

/// A float64 array of zeros. Lazy.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let z = zeros([1000, 1000], "auto");
/// assert_eq!(
///     z.to_string(),
///     "tessera.Array<zeros, shape=(1000, 1000), dtype=float64, chunksize=(1000, 1000)>"
/// );
/// ```
pub fn zeros(shape: impl IntoShape, chunks: impl Into<ChunkSpec>) -> Array {
    full(shape, 0.0, chunks)
}

/// A float64 array of ones. Lazy.
pub fn ones(shape: impl IntoShape, chunks: impl Into<ChunkSpec>) -> Array {
    full(shape, 1.0, chunks)
}

/// Evenly spaced values `start, start + step, …` below `stop` (numpy's `arange`): int64 when all
/// three are integers, else float64. Lazy.
///
/// **Errors** (at the next fallible call): `step == 0`; invalid chunks.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(arange(0, 10, 3, 2).compute()?.to_vec::<i64>(), vec![0, 3, 6, 9]);
/// assert_eq!(arange(1.0, 0.0, -0.25, 2).compute()?.to_vec::<f64>(), vec![1.0, 0.75, 0.5, 0.25]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn arange(
    start: impl Into<Scalar>,
    stop: impl Into<Scalar>,
    step: impl Into<Scalar>,
    chunks: impl Into<ChunkSpec>,
) -> Array {
    let (start, stop, step) = (start.into(), stop.into(), step.into());
    let all_int = [start, stop, step]
        .iter()
        .all(|s| matches!(s, Scalar::Int(_) | Scalar::Bool(_)));
    let dtype = if all_int {
        DType::Int64
    } else {
        DType::Float64
    };
    let (start, stop, step) = (start.cast::<f64>(), stop.cast::<f64>(), step.cast::<f64>());
    if step == 0.0 || !step.is_finite() {
        return Array::from_error(Error::invalid(
            "arange",
            format!("step must be a nonzero finite number, got {step}"),
        ));
    }
    let len = ((stop - start) / step).ceil().max(0.0) as usize;
    source_array(
        Source::Range { start, step },
        vec![len],
        dtype,
        chunks.into(),
    )
}

/// `num` evenly spaced float64 values from `start` to `stop` inclusive (numpy's `linspace`).
/// Lazy.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(
///     linspace(0.0, 1.0, 5, 2).compute()?.to_vec::<f64>(),
///     vec![0.0, 0.25, 0.5, 0.75, 1.0]
/// );
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn linspace(start: f64, stop: f64, num: usize, chunks: impl Into<ChunkSpec>) -> Array {
    let step = if num > 1 {
        (stop - start) / (num - 1) as f64
    } else {
        0.0
    };
    source_array(
        Source::Linspace {
            start,
            stop,
            step,
            num,
        },
        vec![num],
        DType::Float64,
        chunks.into(),
    )
}

/// A chunked array over an in-memory ndarray (any dimension; taken by value, not copied).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let a = from_array(ndarray::array![[1, 2, 3], [4, 5, 6]], [1, 2]);
/// assert_eq!(a.dtype(), DType::Int32);
/// assert_eq!(a.npartitions(), 4);
/// assert_eq!(
///     a.t().compute()?.to_ndarray::<i32>(),
///     ndarray::array![[1, 4], [2, 5], [3, 6]].into_dyn()
/// );
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn from_array<T: DataElement, D: Dimension>(
    array: ndarray::Array<T, D>,
    chunks: impl Into<ChunkSpec>,
) -> Array {
    let array = array.into_dyn();
    // Chunk tasks slice the array; standard layout keeps their copies contiguous reads.
    let array = if array.is_standard_layout() {
        array
    } else {
        crate::kernels::copy::to_standard(array.view())
    };
    let shape = array.shape().to_vec();
    let data = Arc::new(T::wrap(array));
    source_array(Source::Memory { data }, shape, T::DTYPE, chunks.into())
}

/// Checks a random-integer range.
pub(crate) fn check_range(low: i64, high: i64) -> Result<()> {
    if high > low {
        Ok(())
    } else {
        Err(Error::invalid(
            "integers",
            format!("high must be greater than low, got low={low}, high={high}"),
        ))
    }
}

/// An array of `shape` and `dtype` filled with `value` cast to `dtype` (numpy's `full` with
/// `dtype=`). Lazy.
///
/// **Errors** (at the next fallible call): invalid chunks.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let a = full_dtype([2, 3], 2.5, DType::Int32, 2);
/// assert_eq!(a.dtype(), DType::Int32);
/// assert_eq!(a.compute()?.to_vec::<i32>(), vec![2; 6]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn full_dtype(
    shape: impl IntoShape,
    value: impl Into<Scalar>,
    dtype: DType,
    chunks: impl Into<ChunkSpec>,
) -> Array {
    let value = value.into();
    source_array(
        Source::Full { value },
        shape.into_shape(),
        dtype,
        chunks.into(),
    )
}

/// Zeros of `dtype` (numpy's `zeros` with `dtype=`). Lazy.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(zeros_dtype([3], DType::Bool, 2).compute()?.to_vec::<bool>(), vec![false; 3]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn zeros_dtype(shape: impl IntoShape, dtype: DType, chunks: impl Into<ChunkSpec>) -> Array {
    full_dtype(shape, 0, dtype, chunks)
}

/// Ones of `dtype` (numpy's `ones` with `dtype=`). Lazy.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(ones_dtype([2], DType::Float32, 2).compute()?.to_vec::<f32>(), vec![1.0; 2]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn ones_dtype(shape: impl IntoShape, dtype: DType, chunks: impl Into<ChunkSpec>) -> Array {
    full_dtype(shape, 1, dtype, chunks)
}

/// An "uninitialized" array of `dtype` (numpy's `empty`). tessera has no uninitialized
/// memory to hand out: the values are zeros, deterministic, and cost nothing until computed.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(empty([2, 2], DType::Int64, 1).shape(), &[2, 2]);
/// ```
pub fn empty(shape: impl IntoShape, dtype: DType, chunks: impl Into<ChunkSpec>) -> Array {
    zeros_dtype(shape, dtype, chunks)
}

/// An array of `like`'s shape, dtype and chunks filled with `value` cast to that dtype
/// (numpy's `full_like`). Lazy.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let x = arange(0, 5, 1, 2);
/// let f = full_like(&x, 7.9);
/// assert_eq!(f.chunks(), x.chunks());
/// assert_eq!(f.compute()?.to_vec::<i64>(), vec![7; 5]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn full_like(like: &Array, value: impl Into<Scalar>) -> Array {
    let value = value.into();
    Array::from_result(
        like.node()
            .map(|node| constant(value, node.dtype, node.shape.clone(), node.chunks.clone())),
    )
}

/// A constant array of `value` cast to `dtype`, with the chunks given (pads, masks, `*_like`).
pub(crate) fn constant(value: Scalar, dtype: DType, shape: Vec<usize>, chunks: Chunks) -> Array {
    Array::from_node(Node::new(
        ExprKind::Source {
            source: Source::Full { value },
            view: None,
        },
        shape,
        dtype,
        chunks,
    ))
}

/// Zeros like `like` (numpy's `zeros_like`). Lazy.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(zeros_like(&arange(0, 3, 1, 2)).compute()?.to_vec::<i64>(), vec![0; 3]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn zeros_like(like: &Array) -> Array {
    full_like(like, 0)
}

/// Ones like `like` (numpy's `ones_like`). Lazy.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(ones_like(&zeros([2], 1)).compute()?.to_vec::<f64>(), vec![1.0; 2]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn ones_like(like: &Array) -> Array {
    full_like(like, 1)
}

/// Like [`empty`], an array like `like` (numpy's `empty_like`): zeros.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(empty_like(&zeros([2], 1)).shape(), &[2]);
/// ```
pub fn empty_like(like: &Array) -> Array {
    zeros_like(like)
}
