//! Kernels that move elements: slicing, transposing, assembling blocks from pieces.

use ndarray::{ArrayD, Axis, IxDyn, Slice};

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
pub(crate) fn slice_view<T: Clone>(
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
    view.as_standard_layout().into_owned()
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
    with_data!(block, a => DataElement::wrap(
        a.view()
            .permuted_axes(IxDyn(perm))
            .as_standard_layout()
            .into_owned()
    ))
}

/// A block of `shape` filled from `pieces`; `input(task)` gives each piece's source block.
pub(crate) fn assemble<'a>(
    dtype: DType,
    shape: &[usize],
    pieces: &[Piece],
    input: impl Fn(usize) -> &'a Value,
) -> ArrayData {
    with_dtype!(dtype, T => {
        let mut out = ArrayD::<T>::default(IxDyn(shape));
        for piece in pieces {
            let src = T::view_of(input(piece.input.task).data()).expect("pieces keep the dtype");
            let src = sub_view(src.view(), piece.input.region.as_deref());
            sub_view_mut(out.view_mut(), &piece.dst).assign(&src);
        }
        T::wrap(out)
    })
}

/// A block of `shape` whose C-order elements are those of each assembled part in turn.
pub(crate) fn reshape<'a>(
    dtype: DType,
    shape: &[usize],
    parts: &[(Vec<usize>, Vec<Piece>)],
    input: impl Fn(usize) -> &'a Value + Copy,
) -> ArrayData {
    with_dtype!(dtype, T => {
        let mut values: Vec<T> = Vec::with_capacity(shape.iter().product());
        for (part_shape, pieces) in parts {
            let part = assemble(dtype, part_shape, pieces, input);
            values.extend(T::view_of(&part).expect("assembled with the dtype").iter().copied());
        }
        T::wrap(ArrayD::from_shape_vec(IxDyn(shape), values).expect("parts cover the block"))
    })
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
