//! The index algebra of basic indexing (ndarray's `s![]`: ranges with steps, negative indices,
//! single indices that drop an axis, and `NewAxis`): resolving an index against a shape,
//! composing two indices, the chunks of a slice and the blocks a selection reads. Range
//! bounds clip to the axis (numpy's rule; ndarray panics), a negative step walks the range
//! from its end (ndarray's rule, see `Array::slice` for numpy's), and an out-of-range single
//! index is an error naming it. The user's `Array::slice` is in
//! `ops/slice.rs`; the optimizer and lowering use this algebra.

use ndarray::SliceInfoElem;

use super::{AxisIndex, ExprKind, Node, NodeRef};
use crate::chunks::Chunks;
use crate::error::{Error, Result};

/// A run of consecutive output positions along one axis that all read from one input block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AxisPiece {
    /// The input block.
    pub block: usize,
    /// First element read, relative to the block's start.
    pub local_first: usize,
    /// Step between elements read (may be negative).
    pub step: isize,
    /// Number of elements.
    pub count: usize,
}

/// Splits the selection `first, first + step, …` (`count` elements) by the input blocks it
/// reads, in output order.
pub(crate) fn axis_pieces(
    first: usize,
    step: isize,
    count: usize,
    block_lens: &[usize],
) -> Vec<AxisPiece> {
    let mut starts = Vec::with_capacity(block_lens.len() + 1);
    let mut at = 0;
    for &len in block_lens {
        starts.push(at);
        at += len;
    }
    starts.push(at);
    let mut pieces = Vec::new();
    let mut done = 0;
    while done < count {
        let index = (first as isize + done as isize * step) as usize;
        let block = starts.partition_point(|&s| s <= index) - 1;
        let room = if step > 0 {
            (starts[block + 1] - 1 - index) / step as usize + 1
        } else {
            (index - starts[block]) / step.unsigned_abs() + 1
        };
        let n = room.min(count - done);
        pieces.push(AxisPiece {
            block,
            local_first: index - starts[block],
            step,
            count: n,
        });
        done += n;
    }
    pieces
}

/// Resolves `s![..]` against `shape` into one [`AxisIndex`] per consumed-or-inserted axis;
/// axes not mentioned at the end are kept whole (as numpy does).
pub(crate) fn resolve_index(elems: &[SliceInfoElem], shape: &[usize]) -> Result<Vec<AxisIndex>> {
    let consumed = elems
        .iter()
        .filter(|e| !matches!(e, SliceInfoElem::NewAxis))
        .count();
    if consumed > shape.len() {
        return Err(Error::invalid(
            "slice",
            format!(
                "too many indices for array: array is {}-dimensional, but {consumed} were indexed",
                shape.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(elems.len() + shape.len() - consumed);
    let mut axis = 0;
    for elem in elems {
        match *elem {
            SliceInfoElem::NewAxis => out.push(AxisIndex::NewAxis),
            SliceInfoElem::Index(i) => {
                let len = shape[axis];
                let resolved = if i < 0 { i + len as isize } else { i };
                if !(0..len as isize).contains(&resolved) {
                    return Err(Error::IndexOutOfBounds {
                        op: "slice",
                        index: i,
                        axis,
                        size: len,
                    });
                }
                out.push(AxisIndex::Index(resolved as usize));
                axis += 1;
            }
            SliceInfoElem::Slice { start, end, step } => {
                out.push(resolve_range(start, end, step, axis, shape[axis])?);
                axis += 1;
            }
        }
    }
    for &len in &shape[axis..] {
        out.push(AxisIndex::Range {
            first: 0,
            step: 1,
            count: len,
        });
    }
    Ok(out)
}

/// `start..end;step` on an axis of length `len`: bounds clip to the axis as numpy's and dask's
/// do (a negative bound counts from the end first), then ndarray's rule for the step (a
/// negative step walks the clipped range from its end).
fn resolve_range(
    start: isize,
    end: Option<isize>,
    step: isize,
    axis: usize,
    len: usize,
) -> Result<AxisIndex> {
    if step == 0 {
        return Err(Error::invalid(
            "slice",
            format!("slice step cannot be zero (axis {axis})"),
        ));
    }
    let clip = |i: isize| -> usize {
        let resolved = if i < 0 { i + len as isize } else { i };
        resolved.clamp(0, len as isize) as usize
    };
    let start = clip(start);
    let end = clip(end.unwrap_or(len as isize)).max(start);
    let count = (end - start).div_ceil(step.unsigned_abs());
    let first = if count == 0 {
        0
    } else if step > 0 {
        start
    } else {
        end - 1
    };
    Ok(AxisIndex::Range { first, step, count })
}

/// The output shape and chunks of `index` applied to an input with `chunks`.
pub(crate) fn slice_chunks(index: &[AxisIndex], chunks: &Chunks) -> Chunks {
    let mut blocks = Vec::new();
    let mut axis = 0;
    for entry in index {
        match *entry {
            AxisIndex::NewAxis => blocks.push(vec![1]),
            AxisIndex::Index(_) => axis += 1,
            AxisIndex::Range { first, step, count } => {
                let lens: Vec<usize> = axis_pieces(first, step, count, chunks.axis(axis))
                    .iter()
                    .map(|p| p.count)
                    .collect();
                blocks.push(if lens.is_empty() { vec![0] } else { lens });
                axis += 1;
            }
        }
    }
    Chunks::from_vec(blocks)
}

/// True when `index` selects all of an array of `shape`, in order, with no axis dropped or
/// inserted.
pub(crate) fn is_whole(index: &[AxisIndex], shape: &[usize]) -> bool {
    index.len() == shape.len()
        && index.iter().zip(shape).all(|(entry, &len)| {
            *entry
                == AxisIndex::Range {
                    first: 0,
                    step: 1,
                    count: len,
                }
        })
}

/// The slice node `input[index]` (`index` resolved against `input`'s shape), or `input` itself
/// when the index selects all of it.
pub(crate) fn slice_node(input: &NodeRef, index: Vec<AxisIndex>) -> NodeRef {
    if is_whole(&index, &input.shape) {
        return input.clone();
    }
    let chunks = slice_chunks(&index, &input.chunks);
    let shape = chunks.shape();
    Node::new(
        ExprKind::Slice {
            input: input.clone(),
            index,
        },
        shape,
        input.dtype,
        chunks,
    )
}

/// The one index equal to applying `first`, then `then` (resolved against the result of
/// `first`): `a[first][then] == a[compose(first, then)]`. `None` when the result cannot be
/// written as one index (an empty range on an axis `first` inserted) or `then` does not fit
/// `first`'s result.
pub(crate) fn compose_index(first: &[AxisIndex], then: &[AxisIndex]) -> Option<Vec<AxisIndex>> {
    let mut out = Vec::with_capacity(first.len() + then.len());
    let mut second = then.iter().peekable();
    for outer in first {
        if let AxisIndex::Index(i) = *outer {
            out.push(AxisIndex::Index(i));
            continue;
        }
        while second.next_if(|e| **e == AxisIndex::NewAxis).is_some() {
            out.push(AxisIndex::NewAxis);
        }
        match (*outer, *second.next()?) {
            (
                AxisIndex::Range {
                    first: f1,
                    step: s1,
                    ..
                },
                AxisIndex::Range {
                    first: f2,
                    step: s2,
                    count,
                },
            ) => {
                let start = if count == 0 {
                    f1 as isize
                } else {
                    f1 as isize + f2 as isize * s1
                };
                out.push(AxisIndex::Range {
                    first: usize::try_from(start).ok()?,
                    step: s1 * s2,
                    count,
                });
            }
            (
                AxisIndex::Range {
                    first: f1,
                    step: s1,
                    ..
                },
                AxisIndex::Index(i),
            ) => {
                out.push(AxisIndex::Index(
                    usize::try_from(f1 as isize + i as isize * s1).ok()?,
                ));
            }
            (AxisIndex::NewAxis, AxisIndex::Range { count: 1, .. }) => out.push(AxisIndex::NewAxis),
            (AxisIndex::NewAxis, AxisIndex::Index(0)) => {}
            _ => return None,
        }
    }
    for rest in second {
        if *rest != AxisIndex::NewAxis {
            return None;
        }
        out.push(AxisIndex::NewAxis);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_follow_blocks() {
        // blocks [0,4) [4,8) [8,10); select 1,4,7 (step 3)
        let p = axis_pieces(1, 3, 3, &[4, 4, 2]);
        assert_eq!(
            p,
            vec![
                AxisPiece {
                    block: 0,
                    local_first: 1,
                    step: 3,
                    count: 1
                },
                AxisPiece {
                    block: 1,
                    local_first: 0,
                    step: 3,
                    count: 2
                },
            ]
        );
        // backwards from 9 by 4: 9, 5, 1
        let p = axis_pieces(9, -4, 3, &[4, 4, 2]);
        assert_eq!(
            p.iter()
                .map(|p| (p.block, p.local_first))
                .collect::<Vec<_>>(),
            vec![(2, 1), (1, 1), (0, 1)]
        );
    }

    #[test]
    fn composed_indices_select_the_same() {
        let r = |first, step, count| AxisIndex::Range { first, step, count };
        // a[2:10:2][1:4] == a[4:10:2]; a[9:0:-3][1] == a[6]
        assert_eq!(
            compose_index(&[r(2, 2, 4)], &[r(1, 1, 3)]),
            Some(vec![r(4, 2, 3)])
        );
        assert_eq!(
            compose_index(&[r(9, -3, 3)], &[AxisIndex::Index(1)]),
            Some(vec![AxisIndex::Index(6)])
        );
        // a[3, newaxis, :][newaxis, 0, ::-1] == a[3, newaxis, ::-1]
        // (shape (5,) -> (1, 5) -> (1, 5))
        let first = [AxisIndex::Index(3), AxisIndex::NewAxis, r(0, 1, 5)];
        let then = [AxisIndex::NewAxis, AxisIndex::Index(0), r(4, -1, 5)];
        assert_eq!(
            compose_index(&first, &then),
            Some(vec![AxisIndex::Index(3), AxisIndex::NewAxis, r(4, -1, 5)])
        );
        // an empty range on an inserted axis has no single-index form
        assert_eq!(compose_index(&[AxisIndex::NewAxis], &[r(0, 1, 0)]), None);
    }

    #[test]
    fn ranges_resolve_like_ndarray() {
        assert_eq!(
            resolve_range(-3, None, 1, 0, 10).unwrap(),
            AxisIndex::Range {
                first: 7,
                step: 1,
                count: 3
            }
        );
        assert_eq!(
            resolve_range(2, Some(9), -3, 0, 10).unwrap(),
            AxisIndex::Range {
                first: 8,
                step: -3,
                count: 3
            }
        );
        assert_eq!(
            resolve_range(5, Some(2), 1, 0, 10).unwrap(),
            AxisIndex::Range {
                first: 0,
                step: 1,
                count: 0
            }
        );
        // bounds beyond the axis clip, as numpy's `a[0:11]` and `a[-15:]`
        assert_eq!(
            resolve_range(0, Some(11), 1, 1, 10).unwrap(),
            resolve_range(0, None, 1, 1, 10).unwrap()
        );
        assert_eq!(
            resolve_range(-15, Some(-12), -1, 0, 10).unwrap(),
            AxisIndex::Range {
                first: 0,
                step: -1,
                count: 0
            }
        );
    }
}
