//! Separable correlation of a ghosted block: along each axis in turn, element `i` of the
//! result is `Σ_j w[j] · x[i + j]` over the `2d + 1` weights of that axis, so the axis shrinks
//! by `2d` (its ghost cells). The sums run in float64 in scipy's order (`NI_Correlate1D`:
//! symmetric weights pair the two sides, `x[i] w[d] + Σ_{j=d..1} (x[i-j] + x[i+j]) w[d-j]`),
//! and each pass is cast to the block's dtype (integers truncated toward zero, as C's cast),
//! as scipy's filters write each axis's pass to an output of the input's dtype.

use std::mem::MaybeUninit;

use ndarray::{ArrayD, Axis, Slice};

use super::copy::to_standard;
use super::pool;
use crate::data::{with_data, ArrayData, DataElement};

/// `block` correlated with `weights[a]` along each axis `a` (empty: the axis is left alone).
/// With `edges` (a constant and, per axis, how many of the block's low and high ghosts lie
/// beyond the array), the later axes' ghosts beyond the array are reset to the constant after
/// each pass: scipy's next pass pads its input with the constant, not the filtered constant.
pub(crate) fn correlate(
    block: &ArrayData,
    weights: &[Vec<f64>],
    edges: Option<&(f64, Vec<[usize; 2]>)>,
) -> ArrayData {
    with_data!(block, a => {
        let mut x = to_standard(a.view());
        for (axis, w) in weights.iter().enumerate() {
            if w.is_empty() {
                continue;
            }
            x = pass(&x, axis, w);
            if let Some((value, sides)) = edges {
                for (later, &[low, high]) in sides.iter().enumerate().skip(axis + 1) {
                    let len = x.shape()[later];
                    let fill = crate::dtype::Element::cast_from(*value);
                    for range in [0..low, len - high..len] {
                        x.slice_axis_mut(Axis(later), Slice::from(range)).fill(fill);
                    }
                }
            }
        }
        DataElement::wrap(x)
    })
}

/// scipy's test for symmetric weights.
fn symmetric(w: &[f64]) -> bool {
    let d = w.len() / 2;
    (1..=d).all(|i| (w[d + i] - w[d - i]).abs() <= f64::EPSILON)
}

/// One axis: `x` (C order) of length `n + 2d` along `axis` to length `n`.
fn pass<T: DataElement>(x: &ArrayD<T>, axis: usize, w: &[f64]) -> ArrayD<T> {
    let d = w.len() / 2;
    let shape = x.shape();
    let outer: usize = shape[..axis].iter().product();
    let inner: usize = shape[axis + 1..].iter().product();
    let n = shape[axis] - 2 * d;
    let mut out_shape = shape.to_vec();
    out_shape[axis] = n;
    let mut out = pool::uninit::<T>(&out_shape);
    let src = x.as_slice().expect("standard layout");
    let dst = out.as_slice_mut().expect("a new C-order block");
    let sym = symmetric(w);
    let mut acc = vec![0.0f64; inner];
    let row = |o: usize, i: usize| &src[(o * shape[axis] + i) * inner..][..inner];
    for o in 0..outer {
        for i in 0..n {
            if sym {
                let centre = row(o, i + d);
                for (a, &v) in acc.iter_mut().zip(centre) {
                    *a = v.to_f64() * w[d];
                }
                for j in (1..=d).rev() {
                    let (lo, hi) = (row(o, i + d - j), row(o, i + d + j));
                    for ((a, &l), &h) in acc.iter_mut().zip(lo).zip(hi) {
                        *a += (l.to_f64() + h.to_f64()) * w[d - j];
                    }
                }
            } else {
                for (a, &v) in acc.iter_mut().zip(row(o, i + 2 * d)) {
                    *a = v.to_f64() * w[2 * d];
                }
                for (j, &wj) in w.iter().enumerate().take(2 * d) {
                    for (a, &v) in acc.iter_mut().zip(row(o, i + j)) {
                        *a += v.to_f64() * wj;
                    }
                }
            }
            let at = (o * n + i) * inner;
            for (slot, &a) in dst[at..at + inner].iter_mut().zip(&acc) {
                *slot = MaybeUninit::new(T::cast_from(a));
            }
        }
    }
    // SAFETY: every element of `out` was written above (outer × n × inner of them).
    unsafe { out.assume_init() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::IxDyn;

    #[test]
    fn a_three_point_mean_along_each_axis() {
        let x = ndarray::Array::from_shape_fn(IxDyn(&[4, 5]), |ix| (ix[0] * 10 + ix[1]) as f64);
        let w = vec![1.0 / 3.0; 3];
        let out = correlate(&f64::wrap(x), &[w.clone(), w], None);
        let out = f64::view_of(&out).unwrap();
        assert_eq!(out.shape(), &[2, 3]);
        // the mean of a 3 × 3 window of a linear function is its centre
        assert!((out[[0, 0]] - 11.0).abs() < 1e-12);
        assert!((out[[1, 2]] - 23.0).abs() < 1e-12);
    }

    #[test]
    fn weights_that_are_not_symmetric_correlate_in_order() {
        let x = ndarray::arr1(&[1.0, 2.0, 4.0, 8.0]).into_dyn();
        let out = correlate(&f64::wrap(x), &[vec![1.0, 0.0, -1.0]], None);
        let got: Vec<f64> = f64::view_of(&out).unwrap().iter().copied().collect();
        assert_eq!(got, vec![-3.0, -6.0]);
    }
}
