//! Index grids and what is built from them: `meshgrid indices eye tril triu diagonal`. Grids
//! are broadcasts of `arange`s (never materialized as sources), masks are comparisons of two
//! broadcast ranges, and a diagonal is a strided slice of the last two axes merged.

use crate::array::Array;
use crate::chunks::{ChunkSpec, Chunks};
use crate::dtype::DType;
use crate::error::{ensure, Error, Result};
use crate::ops::creation::arange;
use crate::ops::elementwise::where_;
use crate::ops::rearrange::along;
use crate::ops::reduce::normalize_axis;
use crate::ops::replicate::broadcast_with;

/// How [`meshgrid`] orders the output axes (numpy's `indexing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indexing {
    /// Cartesian, numpy's default: the first two output axes are swapped, so for 2-D inputs
    /// `x` varies along columns.
    Xy,
    /// Matrix: output axis `i` is input `i`.
    Ij,
}

/// `0..len` as an int64 array of `chunks` placed on axis `axis` of an `ndim`-dimensional array
/// (length 1 elsewhere).
fn range_on(len: usize, chunks: &[usize], axis: usize, ndim: usize) -> Result<Array> {
    let r = arange(0, len as i64, 1, vec![chunks.to_vec()]);
    let new: Vec<isize> = (0..ndim as isize).filter(|&a| a != axis as isize).collect();
    r.expand_dims(&new)
}

/// Coordinate arrays from 1-D coordinate vectors (numpy's `meshgrid`, `copy=False`): output
/// `i` holds input `i`'s values along its axis. Lazy broadcasts; each output axis keeps the
/// chunks of the input placed on it.
///
/// **Errors**: an input that is not 1-D.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let g = meshgrid(&[arange(0, 3, 1, 2), arange(10, 12, 1, 1)], Indexing::Xy)?;
/// assert_eq!(g[0].shape(), &[2, 3]);
/// assert_eq!(g[0].compute()?.to_vec::<i64>(), vec![0, 1, 2, 0, 1, 2]);
/// assert_eq!(g[1].compute()?.to_vec::<i64>(), vec![10, 10, 10, 11, 11, 11]);
/// let m = meshgrid(&[arange(0, 3, 1, 2), arange(10, 12, 1, 1)], Indexing::Ij)?;
/// assert_eq!(m[0].shape(), &[3, 2]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn meshgrid(xs: &[Array], indexing: Indexing) -> Result<Vec<Array>> {
    let mut nodes = Vec::with_capacity(xs.len());
    for x in xs {
        let node = x.node()?;
        ensure!(
            node.shape.len() == 1,
            Error::invalid(
                "meshgrid",
                format!(
                    "inputs must be 1-D, got one of {} dimensions",
                    node.shape.len()
                )
            )
        );
        nodes.push(node);
    }
    let ndim = xs.len();
    // Which output axis input `i` lies on.
    let place = |i: usize| match (indexing, i) {
        (Indexing::Xy, 0) if ndim > 1 => 1,
        (Indexing::Xy, 1) => 0,
        _ => i,
    };
    let mut shape = vec![0; ndim];
    let mut blocks = vec![vec![]; ndim];
    for (i, node) in nodes.iter().enumerate() {
        shape[place(i)] = node.shape[0];
        blocks[place(i)] = node.chunks.axis(0).to_vec();
    }
    let chunks = Chunks::from_vec(blocks);
    xs.iter()
        .enumerate()
        .map(|(i, x)| {
            let new: Vec<isize> = (0..ndim as isize)
                .filter(|&a| a != place(i) as isize)
                .collect();
            broadcast_with(&x.expand_dims(&new)?, shape.clone(), chunks.clone())
        })
        .collect()
}

/// An int64 array of shape `(ndim, *dimensions)` whose slice `i` holds each element's index
/// along axis `i` (numpy's `indices`). Lazy.
///
/// **Errors**: invalid chunks.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let ix = indices([2, 3], [1, 2])?;
/// assert_eq!(ix.shape(), &[2, 2, 3]);
/// assert_eq!(ix.compute()?.to_vec::<i64>(), vec![0, 0, 0, 1, 1, 1, 0, 1, 2, 0, 1, 2]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn indices(
    dimensions: impl crate::ops::IntoShape,
    chunks: impl Into<ChunkSpec>,
) -> Result<Array> {
    let shape = dimensions.into_shape();
    let chunks = Chunks::normalize(chunks, &shape, DType::Int64)?;
    let ndim = shape.len();
    let grids: Vec<Array> = (0..ndim)
        .map(|i| {
            let r = range_on(shape[i], chunks.axis(i), i, ndim)?;
            broadcast_with(&r, shape.clone(), chunks.clone())
        })
        .collect::<Result<_>>()?;
    if grids.is_empty() {
        return Ok(crate::ops::creation::full_dtype([0], 0, DType::Int64, 1));
    }
    crate::ops::join::stack(&grids, 0)
}

/// A 2-D array of `dtype` with ones on diagonal `k` (0 the main one, positive above, negative
/// below) and zeros elsewhere (numpy's `eye`; `m` columns, `None`: `n`). Lazy.
///
/// **Errors**: invalid chunks.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let e = eye(3, None, 1, DType::Int32, 2)?;
/// assert_eq!(e.dtype(), DType::Int32);
/// assert_eq!(e.compute()?.to_vec::<i32>(), vec![0, 1, 0, 0, 0, 1, 0, 0, 0]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn eye(
    n: usize,
    m: Option<usize>,
    k: isize,
    dtype: DType,
    chunks: impl Into<ChunkSpec>,
) -> Result<Array> {
    let shape = vec![n, m.unwrap_or(n)];
    let chunks = Chunks::normalize(chunks, &shape, dtype)?;
    Ok(offsets(&shape, &chunks)?.eq(k as i64).astype(dtype))
}

/// `column - row` of each element of a 2-D grid of `shape` and `chunks`.
fn offsets(shape: &[usize], chunks: &Chunks) -> Result<Array> {
    let rows = range_on(shape[0], chunks.axis(0), 0, 2)?;
    let cols = range_on(shape[1], chunks.axis(1), 1, 2)?;
    (cols - rows).check().cloned()
}

impl Array {
    /// The elements on or below diagonal `k` of the last two axes, zeros above (numpy's
    /// `tril`). Lazy: a `where` over a mask of broadcast ranges.
    ///
    /// **Errors**: fewer than 2 dimensions.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(1, 10, 1, 2).reshape([3, 3])?;
    /// assert_eq!(x.tril(0)?.compute()?.to_vec::<i64>(), vec![1, 0, 0, 4, 5, 0, 7, 8, 9]);
    /// assert_eq!(x.triu(1)?.compute()?.to_vec::<i64>(), vec![0, 2, 3, 0, 0, 6, 0, 0, 0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn tril(&self, k: isize) -> Result<Array> {
        self.triangle("tril", |offset| offset.le(k as i64))
    }

    /// The elements on or above diagonal `k` of the last two axes, zeros below (numpy's
    /// `triu`). Lazy.
    ///
    /// **Errors**: fewer than 2 dimensions.
    pub fn triu(&self, k: isize) -> Result<Array> {
        self.triangle("triu", |offset| offset.ge(k as i64))
    }

    fn triangle(&self, op: &'static str, keep: impl Fn(&Array) -> Array) -> Result<Array> {
        let node = self.node()?;
        let ndim = node.shape.len();
        ensure!(
            ndim >= 2,
            Error::invalid(op, "the input must be at least 2-dimensional")
        );
        let plane = Chunks::from_vec(vec![
            node.chunks.axis(ndim - 2).to_vec(),
            node.chunks.axis(ndim - 1).to_vec(),
        ]);
        let mask = keep(&offsets(&node.shape[ndim - 2..], &plane)?);
        let zero = crate::ops::creation::zeros_like(self);
        where_(&mask, self, &zero).check().cloned()
    }

    /// The diagonal `offset` of the plane of `axis1` and `axis2`, as the last axis of the
    /// result after the remaining ones (numpy's `diagonal`). Lazy: the two axes moved last and
    /// merged, then a slice with step `columns + 1`.
    ///
    /// **Errors**: fewer than 2 dimensions; the axes equal or out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 12, 1, 5).reshape([3, 4])?;
    /// assert_eq!(x.diagonal(0, 0, 1)?.compute()?.to_vec::<i64>(), vec![0, 5, 10]);
    /// assert_eq!(x.diagonal(1, 0, 1)?.compute()?.to_vec::<i64>(), vec![1, 6, 11]);
    /// assert_eq!(x.diagonal(-1, 0, 1)?.compute()?.to_vec::<i64>(), vec![4, 9]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn diagonal(&self, offset: isize, axis1: isize, axis2: isize) -> Result<Array> {
        let shape = self.node()?.shape.clone();
        let ndim = shape.len();
        ensure!(
            ndim >= 2,
            Error::invalid("diagonal", "the input must be at least 2-dimensional")
        );
        let a = normalize_axis("diagonal", axis1, ndim)?;
        let b = normalize_axis("diagonal", axis2, ndim)?;
        ensure!(
            a != b,
            Error::invalid("diagonal", "axis1 and axis2 cannot be the same")
        );
        let (n, m) = (shape[a] as isize, shape[b] as isize);
        let mut perm: Vec<usize> = (0..ndim).filter(|&x| x != a && x != b).collect();
        perm.extend([a, b]);
        let mut merged: Vec<usize> = perm[..ndim - 2].iter().map(|&x| shape[x]).collect();
        merged.push((n * m) as usize);
        let flat = self.transpose(&perm)?.reshape(merged)?;
        let (len, first) = if offset >= 0 {
            ((n.min(m - offset)).max(0), offset)
        } else {
            (((n + offset).min(m)).max(0), -offset * m)
        };
        if len == 0 {
            return along(&flat, ndim - 2, 0, 0, 1);
        }
        let last = first + (len - 1) * (m + 1);
        along(&flat, ndim - 2, first as usize, last as usize + 1, m + 1)
    }
}
