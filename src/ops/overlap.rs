//! Neighbourhoods: `overlap` gives every block its neighbours' edges (ghost cells), and
//! `map_overlap` runs a function on those blocks and trims the ghosts off again (dask's
//! `overlap`, `map_overlap` and `trim_internal`). The boundary of the whole array is a lazy
//! [`pad`](Array::pad); the ghosted blocks are one `Regions` plan node whose output block is
//! assembled from the few input blocks it covers, so a slice of the result reads only the
//! blocks under it and the edges of their neighbours.

use ndarray::{ArrayD, ArrayViewD};

use crate::array::Array;
use crate::chunks::Chunks;
use crate::data::DataElement;
use crate::dtype::Scalar;
use crate::error::{ensure, Error, Result};
use crate::expr::{Cut, ExprKind, Node};
use crate::ops::pad::PadMode;

/// What the ghost cells beyond the array's edge hold (dask's `boundary`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Boundary {
    /// Nothing: blocks at the edge get no ghost cells on that side (dask's `"none"`).
    None,
    /// The array mirrored at its edge, the edge element repeated (dask's `"reflect"`,
    /// numpy's `pad` mode `symmetric`).
    Reflect,
    /// The array mirrored about its edge element, which is not repeated (scipy's `mirror`,
    /// numpy's `pad` mode `reflect`; dask has no such boundary).
    Mirror,
    /// The other end of the array (`"periodic"`).
    Periodic,
    /// The edge element repeated (`"nearest"`).
    Nearest,
    /// A constant, cast to the array's dtype.
    Constant(Scalar),
}

/// Ghost-cell depth: one for every axis, or one per axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Depth {
    /// The same depth on every axis.
    Every(usize),
    /// One depth per axis.
    Axes(Vec<usize>),
}

impl From<usize> for Depth {
    fn from(d: usize) -> Self {
        Depth::Every(d)
    }
}
impl<const N: usize> From<[usize; N]> for Depth {
    fn from(d: [usize; N]) -> Self {
        Depth::Axes(d.to_vec())
    }
}
impl From<Vec<usize>> for Depth {
    fn from(d: Vec<usize>) -> Self {
        Depth::Axes(d)
    }
}
impl From<&[usize]> for Depth {
    fn from(d: &[usize]) -> Self {
        Depth::Axes(d.to_vec())
    }
}

/// The depth on each of `shape`'s axes (0 on an empty axis, which has no neighbours).
fn depths(op: &'static str, depth: Depth, shape: &[usize]) -> Result<Vec<usize>> {
    let depths = match depth {
        Depth::Every(d) => vec![d; shape.len()],
        Depth::Axes(d) => d,
    };
    ensure!(
        depths.len() == shape.len(),
        Error::invalid(
            op,
            format!(
                "expected one depth per axis ({}), got {}",
                shape.len(),
                depths.len()
            )
        )
    );
    Ok(depths
        .iter()
        .zip(shape)
        .map(|(&d, &n)| if n == 0 { 0 } else { d })
        .collect())
}

/// The ghost cells block `start..end` of an axis of length `len` gets before and after it.
fn ghosts(boundary: Boundary, depth: usize, start: usize, end: usize, len: usize) -> [usize; 2] {
    match boundary {
        Boundary::None => [depth.min(start), depth.min(len - end)],
        _ => [depth, depth],
    }
}

/// A `Regions` node of `input`: blocks of `lens` starting at `starts`.
fn regions(
    input: &Array,
    starts: Vec<Vec<usize>>,
    lens: Vec<Vec<usize>>,
    cut: Cut,
) -> Result<Array> {
    let node = input.node()?;
    let chunks = Chunks::from_vec(lens);
    Ok(Array::from_node(Node::new(
        ExprKind::Regions {
            input: node.clone(),
            starts,
            cut,
        },
        chunks.shape(),
        node.dtype,
        chunks,
    )))
}

impl Array {
    /// Each block extended by `depth` elements of its neighbours on both sides of every axis,
    /// and by `boundary` beyond the array's edges (dask's `overlap`). The result's blocks are
    /// the input's plus their ghost cells; a depth may exceed a block (the ghosts then come from
    /// as many neighbours as needed). Lazy.
    ///
    /// **Errors**: a depth list of the wrong length.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 6, 1, 3);                      // blocks [0, 1, 2] [3, 4, 5]
    /// let g = x.overlap(1, Boundary::Constant(Scalar::Int(-1)))?;
    /// assert_eq!(g.chunks().as_slice(), &[vec![5, 5]]);
    /// assert_eq!(g.compute()?.to_vec::<i64>(), vec![-1, 0, 1, 2, 3, 2, 3, 4, 5, -1]);
    /// let n = x.overlap(1, Boundary::None)?;
    /// assert_eq!(n.compute()?.to_vec::<i64>(), vec![0, 1, 2, 3, 2, 3, 4, 5]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn overlap(&self, depth: impl Into<Depth>, boundary: Boundary) -> Result<Array> {
        let node = self.node()?;
        let depth = depths("overlap", depth.into(), &node.shape)?;
        if depth.iter().all(|&d| d == 0) {
            return Ok(self.clone());
        }
        let padded = match boundary {
            Boundary::None => self.clone(),
            _ => {
                let widths: Vec<(usize, usize)> = depth.iter().map(|&d| (d, d)).collect();
                let mode = match boundary {
                    Boundary::Reflect => PadMode::Symmetric,
                    Boundary::Mirror => PadMode::Reflect,
                    Boundary::Periodic => PadMode::Wrap,
                    Boundary::Nearest => PadMode::Edge,
                    Boundary::Constant(value) => PadMode::Constant(value),
                    Boundary::None => unreachable!("matched above"),
                };
                self.pad(widths, mode)?
            }
        };
        let (mut starts, mut lens) = (vec![], vec![]);
        for (axis, &d) in depth.iter().enumerate() {
            let bounds = node.chunks.boundaries(axis);
            let len = node.shape[axis];
            let (mut s, mut l) = (vec![], vec![]);
            for w in bounds.windows(2) {
                let [before, after] = ghosts(boundary, d, w[0], w[1], len);
                // In the padded array, element `i` of the input is at `i + d`.
                let shift = if boundary == Boundary::None { 0 } else { d };
                s.push(w[0] + shift - before);
                l.push(before + (w[1] - w[0]) + after);
            }
            starts.push(s);
            lens.push(l);
        }
        regions(&padded, starts, lens, Cut::Overlap)
    }

    /// Runs `f` on every block extended by its neighbours' edges (see
    /// [`overlap`](Array::overlap)) and, with `trim`, cuts the ghost cells off its results
    /// (dask's `map_overlap`): a filter, a derivative, any stencil of radius `depth`. `f`
    /// must return a block of the shape it is given. Lazy: a slice of the result runs `f` only
    /// on the blocks under the slice.
    ///
    /// The closure runs in this process, like [`map_blocks`](Array::map_blocks).
    ///
    /// **Errors**: `T` is not this array's dtype; a depth list of the wrong length; at compute
    /// time, a result of the wrong shape.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// use ndarray::ArrayViewD;
    /// let r = arange(0.0, 8.0, 1.0, 3);
    /// let x = &r * &r;                                       // 0 1 4 9 16 25 36 49
    /// // central second difference; the ghosts give it the neighbours of each block's edges
    /// let d2 = x.map_overlap(
    ///     |b: ArrayViewD<f64>| {
    ///         let mut out = b.to_owned();
    ///         for i in 1..b.len() - 1 {
    ///             out[[i]] = b[[i - 1]] - 2.0 * b[[i]] + b[[i + 1]];
    ///         }
    ///         out
    ///     },
    ///     1,
    ///     Boundary::Nearest,
    ///     true,
    /// )?;
    /// assert_eq!(d2.chunks(), x.chunks());
    /// assert_eq!(d2.compute()?.to_vec::<f64>(), vec![1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, -13.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn map_overlap<T, U, F>(
        &self,
        f: F,
        depth: impl Into<Depth>,
        boundary: Boundary,
        trim: bool,
    ) -> Result<Array>
    where
        T: DataElement,
        U: DataElement,
        F: Fn(ArrayViewD<'_, T>) -> ArrayD<U> + Send + Sync + 'static,
    {
        let node = self.node()?;
        ensure!(
            node.dtype == T::DTYPE,
            Error::DTypeMismatch {
                op: "map_overlap",
                expected: T::DTYPE,
                actual: node.dtype
            }
        );
        let depth = depths("map_overlap", depth.into(), &node.shape)?;
        let mapped = self.overlap(depth.clone(), boundary)?.map_blocks(f)?;
        if !trim || depth.iter().all(|&d| d == 0) {
            return Ok(mapped);
        }
        let (mut starts, mut lens) = (vec![], vec![]);
        for (axis, &d) in depth.iter().enumerate() {
            let bounds = node.chunks.boundaries(axis);
            let (mut s, mut at) = (vec![], 0);
            for (w, &ghosted) in bounds.windows(2).zip(mapped.chunks().axis(axis)) {
                let [before, _] = ghosts(boundary, d, w[0], w[1], node.shape[axis]);
                s.push(at + before);
                at += ghosted;
            }
            starts.push(s);
            lens.push(node.chunks.axis(axis).to_vec());
        }
        regions(&mapped, starts, lens, Cut::Trim)
    }
}
