//! Kernels of integer-array indexing along an axis: elements of a block picked in a given order
//! (`take`), and picked parts put into their places of an output block (`scatter`). Both see a
//! block as `(outer, len, inner)` in C order, so each picked element is a run of `inner`
//! values copied at once.

use std::mem::MaybeUninit;

use ndarray::ArrayD;

use super::copy::to_standard;
use super::{pool, Value};
use crate::data::{with_data, ArrayData, DataElement};
use crate::dtype::{with_dtype, DType};

/// Elements `indices` of `block` along `axis`, in that order.
pub(crate) fn take(block: &ArrayData, axis: usize, indices: &[usize]) -> ArrayData {
    with_data!(block, a => DataElement::wrap(take_typed(a, axis, indices)))
}

fn take_typed<T: DataElement>(a: &ArrayD<T>, axis: usize, indices: &[usize]) -> ArrayD<T> {
    take_view(a.view(), axis, indices)
}

/// Elements `indices` of a view along `axis`, in that order: read in place when the view is
/// contiguous in C order (a block, or rows of a mapped file or in-memory array), else from a
/// C-order copy of it.
pub(crate) fn take_view<T: DataElement>(
    a: ndarray::ArrayViewD<'_, T>,
    axis: usize,
    indices: &[usize],
) -> ArrayD<T> {
    let mut shape = a.shape().to_vec();
    let len = shape[axis];
    shape[axis] = indices.len();
    let mut out = pool::uninit::<T>(&shape);
    let standard;
    let src = match a.to_slice() {
        Some(values) => values,
        None => {
            standard = to_standard(a);
            standard
                .as_slice()
                .expect("a standard-layout copy is contiguous")
        }
    };
    let (outer, inner) = around(&shape, axis);
    let dst = out.as_slice_mut().expect("a new block is contiguous");
    let n = indices.len();
    for o in 0..outer {
        for (j, &i) in indices.iter().enumerate() {
            let at = (o * len + i) * inner;
            write_run(
                &mut dst[(o * n + j) * inner..][..inner],
                &src[at..at + inner],
            );
        }
    }
    // SAFETY: every element was written: `outer × n` runs of `inner` tile the block.
    unsafe { out.assume_init() }
}

/// A block of `shape` from `parts` along `axis`: element `j` of part `(task, positions)` goes to
/// `positions[j]`; `input(task)` gives each part's block.
pub(crate) fn scatter<'a>(
    dtype: DType,
    shape: &[usize],
    axis: usize,
    parts: &[(usize, Vec<usize>)],
    input: impl Fn(usize) -> &'a Value,
) -> ArrayData {
    with_dtype!(dtype, T => {
        let mut out = pool::uninit::<T>(shape);
        let (outer, inner) = around(shape, axis);
        let n = shape[axis];
        let dst = out.as_slice_mut().expect("a new block is contiguous");
        let mut written = 0;
        for (task, positions) in parts {
            let part = super::typed::<T>(input(*task).data());
            let standard;
            let src = match part.as_slice() {
                Some(values) => values,
                None => {
                    standard = to_standard(part.view());
                    standard.as_slice().expect("a standard-layout copy is contiguous")
                }
            };
            let m = positions.len();
            for o in 0..outer {
                for (j, &p) in positions.iter().enumerate() {
                    let at = (o * m + j) * inner;
                    write_run(&mut dst[(o * n + p) * inner..][..inner], &src[at..at + inner]);
                }
            }
            written += m;
        }
        assert_eq!(written, n, "the parts' positions cover the block");
        // SAFETY: the parts' positions cover `0..n` once (lowering groups each output
        // position into exactly one part), so every run of the block was written.
        T::wrap(unsafe { out.assume_init() })
    })
}

/// The element counts before and after `axis` of `shape`.
fn around(shape: &[usize], axis: usize) -> (usize, usize) {
    (
        shape[..axis].iter().product(),
        shape[axis + 1..].iter().product(),
    )
}

fn write_run<T: Copy>(dst: &mut [MaybeUninit<T>], src: &[T]) {
    // SAFETY: MaybeUninit<T> has T's layout; the slices have one length and do not overlap
    // (`dst` is borrowed mutably).
    unsafe {
        std::ptr::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr().cast::<T>(), src.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_then_scatter_puts_elements_back_in_order() {
        // (2, 4): take columns [3, 0, 3] of one block, then scatter two parts into (2, 3)
        let a =
            ArrayD::from_shape_vec(ndarray::IxDyn(&[2, 4]), (0..8).collect::<Vec<i64>>()).unwrap();
        let picked = take(&i64::wrap(a.clone()), 1, &[3, 0, 3]);
        assert_eq!(
            picked.to_array::<i64>().into_raw_vec_and_offset().0,
            vec![3, 0, 3, 7, 4, 7]
        );
        let left = Value::Data(take(&i64::wrap(a.clone()), 1, &[1]));
        let right = Value::Data(take(&i64::wrap(a), 1, &[2, 0]));
        let values = [left, right];
        let out = scatter(
            DType::Int64,
            &[2, 3],
            1,
            &[(0, vec![2]), (1, vec![0, 1])],
            |t| &values[t],
        );
        assert_eq!(
            out.to_array::<i64>().into_raw_vec_and_offset().0,
            vec![2, 0, 1, 6, 4, 5]
        );
    }
}
