//! Basic indexing with ndarray's `s![]` (the algebra behind it is `expr::index`), numpy's
//! Ellipsis (`slice_ellipsis`) and numpy's meaning of a negative step (`numpy_slice`).

use ndarray::SliceInfoElem;

use crate::array::Array;
use crate::error::{Error, Result};
use crate::expr::index::{resolve_index, slice_chunks};
use crate::expr::{ExprKind, Node};

/// The whole axis, `..` in `s![]`.
const WHOLE: SliceInfoElem = SliceInfoElem::Slice {
    start: 0,
    end: None,
    step: 1,
};

impl Array {
    /// Basic indexing with ndarray's `s![]` macro. Lazy: only the chunks the slice touches are
    /// ever computed.
    ///
    /// `s![a..b]`, `s![a..b;step]`, negative indices count from the end, `s![i]` drops the
    /// axis, `s![NewAxis]` inserts one (numpy's `np.newaxis`); trailing axes not mentioned are
    /// kept whole. Range bounds beyond the axis **clip**, as numpy's and dask's do
    /// (`s![..100]` of 10 elements is all 10, `s![20..]` none). numpy's `x[..., 0]` is
    /// [`slice_ellipsis`](Array::slice_ellipsis): `s![]` has no Ellipsis.
    ///
    /// **Negative steps differ from numpy** (ndarray's rule is kept, since `s![]` users know
    /// it): `s![a..b;-k]` takes the elements of `a..b` walking from its *end*, so it starts at
    /// `b - 1`; numpy's `x[a:b:-k]` starts at `a` and stops before `b`. For `0 <= b < a < len`,
    /// numpy's `x[a:b:-k]` is `s![b + 1..a + 1;-k]`, and `x[::-k]` is `s![..;-k]` in both;
    /// [`numpy_slice`] converts any numpy slice (bounds, defaults and clipping as numpy's).
    ///
    /// **Errors**: a single index outside `-len..len` (numpy's `IndexError`); a zero step; more
    /// indices than axes.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 12, 1, 5).reshape([3, 4])?;
    /// assert_eq!(x.slice(s![1, ..])?.compute()?.to_vec::<i64>(), vec![4, 5, 6, 7]);
    /// assert_eq!(x.slice(s![-1, 1..;2])?.compute()?.to_vec::<i64>(), vec![9, 11]);
    /// assert_eq!(x.slice(s![.., 0])?.shape(), &[3]);
    /// assert_eq!(x.slice(s![..;-1, 0])?.compute()?.to_vec::<i64>(), vec![8, 4, 0]);
    /// // bounds clip as numpy's: x[1:100, -50:1]
    /// assert_eq!(x.slice(s![1..100, -50..1])?.compute()?.to_vec::<i64>(), vec![4, 8]);
    /// assert!(x.slice(s![3, ..]).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn slice<I: AsRef<[SliceInfoElem]>>(&self, info: I) -> Result<Array> {
        let input = self.node()?;
        let index = resolve_index(info.as_ref(), &input.shape)?;
        let chunks = slice_chunks(&index, &input.chunks);
        let shape = chunks.shape();
        let kind = ExprKind::Slice {
            input: input.clone(),
            index,
        };
        Ok(Array::from_node(Node::new(
            kind,
            shape,
            input.dtype,
            chunks,
        )))
    }

    /// numpy's Ellipsis: `x.slice_ellipsis(s![a], s![b])` is numpy's `x[a, ..., b]`, the axes
    /// between `before` and `after` kept whole (none when they index every axis). `s![]`
    /// has no `...` (its `..` is one whole axis), hence the two lists. Lazy, as
    /// [`slice`](Array::slice), with its rules for each element.
    ///
    /// **Errors**: `before` and `after` index more axes than there are (`NewAxis` does not
    /// count); those of [`slice`](Array::slice).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 24, 1, 5).reshape([2, 3, 4])?;
    /// // numpy: x[..., 0]
    /// let last = x.slice_ellipsis(s![], s![0])?;
    /// assert_eq!(last.shape(), &[2, 3]);
    /// assert_eq!(last.compute()?.to_vec::<i64>(), vec![0, 4, 8, 12, 16, 20]);
    /// // numpy: x[1, ..., np.newaxis]
    /// assert_eq!(x.slice_ellipsis(s![1], s![NewAxis])?.shape(), &[3, 4, 1]);
    /// assert!(x.slice_ellipsis(s![0, 0], s![0, 0]).is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn slice_ellipsis<I, J>(&self, before: I, after: J) -> Result<Array>
    where
        I: AsRef<[SliceInfoElem]>,
        J: AsRef<[SliceInfoElem]>,
    {
        let (before, after) = (before.as_ref(), after.as_ref());
        let consumed = |elems: &[SliceInfoElem]| {
            elems
                .iter()
                .filter(|e| !matches!(e, SliceInfoElem::NewAxis))
                .count()
        };
        let used = consumed(before) + consumed(after);
        let ndim = self.ndim();
        let Some(fill) = ndim.checked_sub(used) else {
            return Err(Error::invalid(
                "slice",
                format!(
                    "too many indices for array: array is {ndim}-dimensional, but {used} \
                     were indexed around the Ellipsis"
                ),
            ));
        };
        let mut elems = before.to_vec();
        elems.extend(std::iter::repeat_n(WHOLE, fill));
        elems.extend_from_slice(after);
        self.slice(elems)
    }
}

/// numpy's slice `start:stop:step` of an axis of length `len` as an `s![]` element that selects
/// the same elements in the same order. A positive step means the same in both; a negative one
/// walks from `start` (default: the last element) down to just after `stop` (default: past the
/// first), both clipped as numpy clips them, where ndarray's `a..b;-k` walks `a..b` from `b - 1`
/// (see [`Array::slice`]). A zero step is kept, for `slice` to reject.
///
/// # Examples
///
/// ```
/// use tessera::numpy_slice;
/// use tessera::prelude::*;
/// let x = arange(0, 10, 1, 3);
/// let v = |e| -> Result<Vec<i64>> { Ok(x.slice([e])?.compute()?.to_vec::<i64>()) };
/// // numpy: x[7:2:-2], x[::-3], x[-2::-4], x[100:-100:-4]
/// assert_eq!(v(numpy_slice(Some(7), Some(2), -2, 10))?, vec![7, 5, 3]);
/// assert_eq!(v(numpy_slice(None, None, -3, 10))?, vec![9, 6, 3, 0]);
/// assert_eq!(v(numpy_slice(Some(-2), None, -4, 10))?, vec![8, 4, 0]);
/// assert_eq!(v(numpy_slice(Some(100), Some(-100), -4, 10))?, vec![9, 5, 1]);
/// // a positive step means the same in both: x[2:5]
/// assert_eq!(v(numpy_slice(Some(2), Some(5), 1, 10))?, vec![2, 3, 4]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn numpy_slice(
    start: Option<isize>,
    stop: Option<isize>,
    step: isize,
    len: usize,
) -> SliceInfoElem {
    if step >= 0 {
        return SliceInfoElem::Slice {
            start: start.unwrap_or(0),
            end: stop,
            step,
        };
    }
    let n = len as isize;
    // numpy's clipping for a negative step: into -1..=len-1 (-1: before the first element).
    let clip = |i: isize| (if i < 0 { i + n } else { i }).clamp(-1, n - 1);
    let first = start.map_or(n - 1, clip);
    let after_last = stop.map_or(-1, clip) + 1;
    SliceInfoElem::Slice {
        start: after_last,
        end: Some((first + 1).max(after_last)),
        step,
    }
}
