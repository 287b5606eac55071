//! Basic indexing with ndarray's `s![]` (the algebra behind it is `expr::index`).

use ndarray::SliceInfoElem;

use crate::array::Array;
use crate::error::Result;
use crate::expr::index::{resolve_index, slice_chunks};
use crate::expr::{ExprKind, Node};

impl Array {
    /// Basic indexing with ndarray's `s![]` macro. Lazy: only the chunks the slice touches are
    /// ever computed.
    ///
    /// `s![a..b]`, `s![a..b;step]` (negative step walks the range backwards, as in ndarray),
    /// negative indices count from the end, `s![i]` drops the axis, `s![NewAxis]` inserts one;
    /// trailing axes not mentioned are kept whole.
    ///
    /// **Errors**: an index or range bound outside the axis; a zero step; more indices than axes.
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
}
