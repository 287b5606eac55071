//! The strided copy every kernel uses to copy a non-contiguous view: a region of a mapped file,
//! a sub-region of a block, a transposed block, a piece of an assembled block.
//!
//! ndarray's `to_owned` / `as_standard_layout` of a non-contiguous dynamic-dimension view walks
//! it element by element through an `IxDyn` index (~20–30 ns an element). Here the axes are
//! first simplified (length-1 axes dropped, axes contiguous in both views merged), then the
//! innermost run is copied with one `memcpy` when it is contiguous on both sides, or by a
//! tight strided loop, and the outer axes are walked with precomputed strides. When the source
//! is contiguous along a different axis than the destination (a transpose), the two axes are
//! copied in square tiles so that both sides stay in cache.

use std::ptr;

use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD};

use crate::data::DataElement;

/// Side of the square tiles of a transposing copy (64 × 64 elements: 32 KiB of `f64` a side).
const TILE: usize = 64;

/// Copies `src` into `dst`: the same shape, any strides (negative too).
///
/// Panics if the shapes differ (kernels pass views of one shape).
pub(crate) fn copy_into<T: Copy>(src: ArrayViewD<'_, T>, mut dst: ArrayViewMutD<'_, T>) {
    assert_eq!(
        src.shape(),
        dst.shape(),
        "a copy between views of one shape"
    );
    let dst_ptr = dst.as_mut_ptr();
    // SAFETY: both views are valid for every index of their shape with their strides, and
    // `dst` is borrowed mutably, so it does not overlap `src`.
    unsafe {
        copy_raw(
            src.as_ptr(),
            src.strides(),
            dst_ptr,
            dst.strides(),
            src.shape(),
        )
    }
}

/// `src` as a new array in C order (a buffer from the pool). Every element is written once
/// (no zero fill first).
pub(crate) fn to_standard<T: DataElement>(src: ArrayViewD<'_, T>) -> ArrayD<T> {
    let mut out = super::pool::uninit::<T>(src.shape());
    let out_ptr = out.as_mut_ptr().cast::<T>();
    // SAFETY: `out` is a fresh C-order array of `src`'s shape; `copy_raw` writes each of its
    // elements exactly once (MaybeUninit<T> has T's layout), so it is initialised after.
    unsafe {
        copy_raw(
            src.as_ptr(),
            src.strides(),
            out_ptr,
            out.strides(),
            src.shape(),
        );
        out.assume_init()
    }
}

/// One axis of a copy: its length and its stride (in elements) in the source and destination.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Dim {
    len: usize,
    src: isize,
    dst: isize,
}

/// The axes of a copy, outermost first, with length-1 axes dropped and each pair of adjacent
/// axes that is contiguous in both views merged into one.
fn simplify(shape: &[usize], src: &[isize], dst: &[isize]) -> Vec<Dim> {
    let mut dims: Vec<Dim> = Vec::with_capacity(shape.len());
    for axis in 0..shape.len() {
        if shape[axis] == 1 {
            continue;
        }
        let next = Dim {
            len: shape[axis],
            src: src[axis],
            dst: dst[axis],
        };
        match dims.last_mut() {
            Some(outer)
                if outer.src == next.src * next.len as isize
                    && outer.dst == next.dst * next.len as isize =>
            {
                *outer = Dim {
                    len: outer.len * next.len,
                    ..next
                };
            }
            _ => dims.push(next),
        }
    }
    dims
}

/// Copies the elements of `shape` from `src` (with `src_strides`) to `dst` (`dst_strides`).
///
/// # Safety
/// Both pointers are valid for every index of `shape` with their strides (reads from `src`,
/// writes to `dst`), and the two regions do not overlap.
unsafe fn copy_raw<T: Copy>(
    src: *const T,
    src_strides: &[isize],
    dst: *mut T,
    dst_strides: &[isize],
    shape: &[usize],
) {
    if shape.contains(&0) {
        return;
    }
    let mut dims = simplify(shape, src_strides, dst_strides);
    let Some(inner) = dims.pop() else {
        // SAFETY: no axis longer than one: a single element.
        return unsafe { *dst = *src };
    };
    // A transpose: the source is contiguous along an outer axis, the destination along the
    // inner one. Copy those two axes tile by tile.
    let tiled = (inner.src != 1 && inner.dst == 1)
        .then(|| dims.iter().position(|d| d.src == 1 && d.len > 1))
        .flatten()
        .map(|at| dims.remove(at));
    let mut index = vec![0usize; dims.len()];
    let (mut src_at, mut dst_at) = (0isize, 0isize);
    loop {
        // SAFETY: `src_at`/`dst_at` are the offsets of an index of the outer axes, in bounds.
        unsafe {
            let (s, d) = (src.offset(src_at), dst.offset(dst_at));
            match tiled {
                Some(other) => copy_tiles(s, d, other, inner),
                None => copy_run(s, d, inner),
            }
        }
        // Next index of the outer axes, last axis fastest.
        let mut axis = dims.len();
        loop {
            if axis == 0 {
                return;
            }
            axis -= 1;
            let dim = dims[axis];
            index[axis] += 1;
            src_at += dim.src;
            dst_at += dim.dst;
            if index[axis] < dim.len {
                break;
            }
            index[axis] = 0;
            src_at -= dim.src * dim.len as isize;
            dst_at -= dim.dst * dim.len as isize;
        }
    }
}

/// Copies one run of `dim.len` elements.
///
/// # Safety
/// As `copy_raw`, for the one axis `dim`.
unsafe fn copy_run<T: Copy>(src: *const T, dst: *mut T, dim: Dim) {
    // SAFETY: the caller's bounds, one axis at a time.
    unsafe {
        if dim.src == 1 && dim.dst == 1 {
            ptr::copy_nonoverlapping(src, dst, dim.len);
        } else {
            for i in 0..dim.len as isize {
                *dst.offset(i * dim.dst) = *src.offset(i * dim.src);
            }
        }
    }
}

/// Copies the two axes `outer` × `inner` in square tiles.
///
/// # Safety
/// As `copy_raw`, for the two axes.
unsafe fn copy_tiles<T: Copy>(src: *const T, dst: *mut T, outer: Dim, inner: Dim) {
    for o0 in (0..outer.len).step_by(TILE) {
        for i0 in (0..inner.len).step_by(TILE) {
            for o in o0..(o0 + TILE).min(outer.len) {
                let run = Dim {
                    len: (i0 + TILE).min(inner.len) - i0,
                    ..inner
                };
                let (o, i0) = (o as isize, i0 as isize);
                // SAFETY: (o, i0..) is in bounds of the two axes.
                unsafe {
                    copy_run(
                        src.offset(o * outer.src + i0 * inner.src),
                        dst.offset(o * outer.dst + i0 * inner.dst),
                        run,
                    )
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Axis, IxDyn, ShapeBuilder, Slice};
    use proptest::prelude::*;

    /// A base array of up to 4 axes, and per axis a slice (start, step ±1..3) and a permutation.
    fn views() -> impl Strategy<Value = (Vec<usize>, Vec<(usize, isize)>, Vec<usize>)> {
        proptest::collection::vec(1usize..7, 0..=4).prop_flat_map(|shape| {
            let n = shape.len();
            let slices = shape
                .iter()
                .map(|&len| (0..len, prop_oneof![-3isize..=-1, 1isize..=3]))
                .collect::<Vec<_>>();
            let perm = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
            (Just(shape), slices, perm)
        })
    }

    fn view_of<'a>(
        base: &'a ArrayD<i64>,
        slices: &[(usize, isize)],
        perm: &[usize],
    ) -> ArrayViewD<'a, i64> {
        let mut view = base.view();
        for (axis, &(start, step)) in slices.iter().enumerate() {
            view.slice_axis_inplace(Axis(axis), Slice::new(start as isize, None, step));
        }
        view.permuted_axes(IxDyn(perm))
    }

    proptest! {
        #[test]
        fn to_standard_is_to_owned((shape, slices, perm) in views()) {
            let len = shape.iter().product::<usize>() as i64;
            let base = ArrayD::from_shape_vec(IxDyn(&shape), (0..len).collect()).unwrap();
            let view = view_of(&base, &slices, &perm);
            let copied = to_standard(view.clone());
            prop_assert!(copied.is_standard_layout());
            prop_assert_eq!(copied, view.to_owned());
        }

        #[test]
        fn copy_into_a_strided_destination((shape, slices, perm) in views(), rev in any::<bool>()) {
            let len = shape.iter().product::<usize>() as i64;
            let base = ArrayD::from_shape_vec(IxDyn(&shape), (0..len).collect()).unwrap();
            let view = view_of(&base, &slices, &perm);
            // The destination: a Fortran-order array, reversed along axis 0 when `rev`.
            let mut dst = ArrayD::<i64>::zeros(IxDyn(view.shape()).f());
            let mut target = dst.view_mut();
            if rev && target.ndim() > 0 {
                target.invert_axis(Axis(0));
            }
            copy_into(view.clone(), target.view_mut());
            prop_assert_eq!(target.to_owned(), view.to_owned());
        }
    }

    #[test]
    fn transposes_of_more_than_one_tile() {
        let base =
            ArrayD::from_shape_vec(IxDyn(&[3, 130, 70]), (0..3 * 130 * 70).collect()).unwrap();
        for perm in [[0, 2, 1], [2, 1, 0], [1, 2, 0]] {
            let view = base.view().permuted_axes(IxDyn(&perm));
            assert_eq!(to_standard(view.clone()), view.to_owned(), "{perm:?}");
        }
    }

    #[test]
    fn empty_and_zero_dimensional() {
        let empty = ArrayD::<f64>::zeros(IxDyn(&[3, 0, 2]));
        let t = to_standard(empty.view().reversed_axes());
        assert_eq!(t.shape(), &[2, 0, 3]);
        let scalar = ArrayD::from_elem(IxDyn(&[]), 4.5);
        assert_eq!(to_standard(scalar.view()), scalar);
        let ones = ArrayD::from_elem(IxDyn(&[1, 1]), 2.5);
        let mut out = ArrayD::zeros(IxDyn(&[1, 1]));
        copy_into(ones.view(), out.view_mut());
        assert_eq!(out, ones);
    }
}
