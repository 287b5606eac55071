//! Kernels that move elements: slicing, transposing, assembling blocks from pieces.

use ndarray::{ArrayViewMutD, Axis, IxDyn, Slice};

use super::copy::{copy_into, to_standard};
use super::inputs::Piece;
use super::{sub_view, sub_view_mut, Value};
use crate::data::{with_data, ArrayData, DataElement};
use crate::dtype::{with_dtype, DType};
use crate::selection::AxisIndex;

/// `index` (relative to the block) applied to a block.
pub(crate) fn slice(block: &ArrayData, index: &[AxisIndex]) -> ArrayData {
    with_data!(block, a => DataElement::wrap(slice_view(a.view(), index)))
}

/// `view[index]` as a new array in C order (for blocks, and for arrays mapped from files).
pub(crate) fn slice_view<T: DataElement>(
    mut view: ndarray::ArrayViewD<'_, T>,
    index: &[AxisIndex],
) -> ndarray::ArrayD<T> {
    let mut axis = 0;
    for entry in index {
        match *entry {
            AxisIndex::NewAxis => {
                view = view.insert_axis(Axis(axis));
                axis += 1;
            }
            AxisIndex::Index(i) => view.index_axis_inplace(Axis(axis), i),
            AxisIndex::Range { first, step, count } => {
                view.slice_axis_inplace(Axis(axis), range_slice(first, step, count));
                axis += 1;
            }
        }
    }
    to_standard(view)
}

/// The ndarray `Slice` selecting `first, first + step, …` (`count` elements). ndarray walks a
/// negative step from the end of the range, so the range is `[last, first]` then.
fn range_slice(first: usize, step: isize, count: usize) -> Slice {
    if count == 0 {
        return Slice::new(0, Some(0), 1);
    }
    let last = first as isize + (count as isize - 1) * step;
    if step > 0 {
        Slice::new(first as isize, Some(last + 1), step)
    } else {
        Slice::new(last, Some(first as isize + 1), step)
    }
}

/// Axes permuted (output axis `i` is input axis `perm[i]`), in standard layout.
pub(crate) fn transpose(block: &ArrayData, perm: &[usize]) -> ArrayData {
    with_data!(block, a => DataElement::wrap(to_standard(a.view().permuted_axes(IxDyn(perm)))))
}

/// A block of `shape` filled from `pieces`; `input(task)` gives each piece's source block.
pub(crate) fn assemble<'a>(
    dtype: DType,
    shape: &[usize],
    pieces: &[Piece],
    input: impl Fn(usize) -> &'a Value,
) -> ArrayData {
    with_dtype!(dtype, T => {
        let mut out = super::pool::uninit::<T>(shape);
        // SAFETY: `fill` writes every element (the pieces tile the block) or zero-fills it.
        let mut typed = unsafe { init_view(out.view_mut()) };
        fill(typed.view_mut(), pieces, &input);
        // SAFETY: every element was written through `typed`.
        T::wrap(unsafe { out.assume_init() })
    })
}

/// A block of `shape` whose C-order elements are those of each assembled part in turn: each
/// part is assembled straight into its run of the block.
pub(crate) fn reshape<'a>(
    dtype: DType,
    shape: &[usize],
    parts: &[(Vec<usize>, Vec<Piece>)],
    input: impl Fn(usize) -> &'a Value + Copy,
) -> ArrayData {
    with_dtype!(dtype, T => {
        let mut out = super::pool::uninit::<T>(shape);
        let mut rest = out.as_slice_mut().expect("a new block is contiguous");
        for (part_shape, pieces) in parts {
            let (run, after) = rest.split_at_mut(part_shape.iter().product());
            let part = ndarray::ArrayViewMutD::from_shape(IxDyn(part_shape), run)
                .expect("a part is its run of the block");
            // SAFETY: `fill` writes every element of the part (or zero-fills it).
            fill(unsafe { init_view(part) }, pieces, &input);
            rest = after;
        }
        assert!(rest.is_empty(), "the parts cover the block");
        // SAFETY: every element was written.
        T::wrap(unsafe { out.assume_init() })
    })
}

/// The input block a reshape's output can be made of without a copy: the task reading one
/// piece whose destination is the whole (only) part — the output is then that block's
/// elements in the same C order, if the piece reads all of it (see [`relabel`]).
pub(crate) fn whole_input(parts: &[(Vec<usize>, Vec<Piece>)]) -> Option<usize> {
    match parts {
        [(part_shape, pieces)] => match pieces.as_slice() {
            [piece] if covers(&piece.dst, part_shape) => Some(piece.input.task),
            _ => None,
        },
        _ => None,
    }
}

/// The block `data` as `shape` (the same elements in C order), sharing its buffer, when the
/// piece reads all of it in standard layout; `Err(data)` otherwise.
pub(crate) fn relabel(
    data: ArrayData,
    region: Option<&[std::ops::Range<usize>]>,
    shape: &[usize],
) -> Result<ArrayData, ArrayData> {
    let whole = region.is_none_or(|region| covers(region, data.shape()));
    let standard = with_data!(&data, a => a.is_standard_layout());
    if !whole || !standard || data.len() != shape.iter().product::<usize>() {
        return Err(data);
    }
    Ok(with_data!(data, a => DataElement::wrap(
        a.into_shape_with_order(IxDyn(shape)).expect("the same element count")
    )))
}

/// True if `region` is the whole of an array of `shape`.
fn covers(region: &[std::ops::Range<usize>], shape: &[usize]) -> bool {
    region
        .iter()
        .zip(shape)
        .all(|(r, &len)| r.start == 0 && r.end == len)
}

/// Writes `pieces` into `out`. The pieces of a block are disjoint; when their sizes do not add
/// up to the block's (never, from the lowering), the block is zero-filled first so that no
/// element is left unwritten.
fn fill<'a, T: DataElement>(
    mut out: ArrayViewMutD<'_, T>,
    pieces: &[Piece],
    input: &impl Fn(usize) -> &'a Value,
) {
    let covered: usize = pieces
        .iter()
        .map(|p| p.dst.iter().map(|r| r.len()).product::<usize>())
        .sum();
    if covered != out.len() {
        out.fill(T::default());
    }
    for piece in pieces {
        let src = T::view_of(input(piece.input.task).data()).expect("pieces keep the dtype");
        let src = sub_view(src.view(), piece.input.region.as_deref());
        copy_into(src, sub_view_mut(out.view_mut(), &piece.dst));
    }
}

/// A C-order view of possibly uninitialised elements as `T`, to be written before it is read.
///
/// # Safety
/// Every element is written before the array is read or assumed initialised.
unsafe fn init_view<T>(
    mut view: ArrayViewMutD<'_, std::mem::MaybeUninit<T>>,
) -> ArrayViewMutD<'_, T> {
    assert!(view.is_standard_layout(), "a new block is in C order");
    let shape = view.raw_dim();
    let ptr = view.as_mut_ptr().cast::<T>();
    // SAFETY: the same memory and C-order shape, and MaybeUninit<T> has T's layout; the caller
    // writes before reading.
    unsafe { ArrayViewMutD::from_shape_ptr(shape, ptr) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_steps_select_like_ndarray() {
        let a = ndarray::Array1::from_iter(0..10i64).into_dyn();
        let data = i64::wrap(a);
        let pick = |first, step, count| {
            let out = slice(&data, &[AxisIndex::Range { first, step, count }]);
            i64::view_of(&out)
                .unwrap()
                .iter()
                .copied()
                .collect::<Vec<_>>()
        };
        assert_eq!(pick(8, -3, 3), vec![8, 5, 2]);
        assert_eq!(pick(1, 4, 3), vec![1, 5, 9]);
        assert_eq!(pick(0, 1, 0), Vec::<i64>::new());
    }
}
