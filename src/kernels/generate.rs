//! Source kernels: any rectangular region of a source array, generated directly.

use std::ops::Range;

use ndarray::{ArrayD, IxDyn};

use crate::data::{ArrayData, DataElement};
use crate::dtype::{with_dtype, DType, Element};
use crate::expr::Source;
use crate::random::sample::{fill_f64, fill_i64, Distribution};

/// The values of `region` of `source`, an array of `shape` and `dtype`.
pub(crate) fn generate(source: &Source, dtype: DType, shape: &[usize], region: &[Range<usize>]) -> ArrayData {
    let block: Vec<usize> = region.iter().map(|r| r.len()).collect();
    match source {
        Source::Full { value } => with_dtype!(dtype, T => T::wrap(ArrayD::from_elem(IxDyn(&block), value.cast::<T>()))),
        Source::Memory { data } => crate::data::with_data!(data.as_ref(), a => {
            let view = super::sub_view(a.view(), Some(region));
            crate::data::DataElement::wrap(view.as_standard_layout().into_owned())
        }),
        Source::Random { key, dist } => match dist {
            Distribution::Integers { .. } => {
                let a = by_rows::<i64>(shape, region, |first, out| fill_i64(*key, *dist, first, out));
                i64::wrap(a).cast(dtype)
            }
            _ => {
                let a = by_rows::<f64>(shape, region, |first, out| fill_f64(*key, *dist, first, out));
                f64::wrap(a).cast(dtype)
            }
        },
        Source::Range { start, step } => with_dtype!(dtype, T => T::wrap(by_rows::<T>(shape, region, |first, out| {
            for (i, slot) in out.iter_mut().enumerate() {
                *slot = T::cast_from(start + (first + i as u64) as f64 * step);
            }
        }))),
        Source::Linspace { start, stop, step, num } => with_dtype!(dtype, T => T::wrap(by_rows::<T>(shape, region, |first, out| {
            for (i, slot) in out.iter_mut().enumerate() {
                let at = first as usize + i;
                // numpy sets the endpoint exactly.
                let v = if at + 1 == *num && *num > 1 { *stop } else { start + at as f64 * step };
                *slot = T::cast_from(v);
            }
        }))),
    }
}

/// Builds the block for `region` of an array of `shape` one row (run along the last axis) at a
/// time, asking `fill` for the values of consecutive flat (C order) indices.
fn by_rows<T: Element>(shape: &[usize], region: &[Range<usize>], mut fill: impl FnMut(u64, &mut [T])) -> ArrayD<T> {
    let block: Vec<usize> = region.iter().map(|r| r.len()).collect();
    let total: usize = block.iter().product();
    let mut values = vec![T::default(); total];
    if total > 0 {
        let row_len = block.last().copied().unwrap_or(1);
        let mut strides = vec![1u64; shape.len()];
        for axis in (0..shape.len().saturating_sub(1)).rev() {
            strides[axis] = strides[axis + 1] * shape[axis + 1] as u64;
        }
        let outer = &block[..block.len().saturating_sub(1)];
        let mut index = vec![0usize; outer.len()];
        for row in values.chunks_mut(row_len) {
            let first: u64 = region.iter().enumerate().map(|(axis, r)| (r.start + index.get(axis).copied().unwrap_or(0)) as u64 * strides[axis]).sum();
            fill(first, row);
            for axis in (0..outer.len()).rev() {
                index[axis] += 1;
                if index[axis] < outer[axis] {
                    break;
                }
                index[axis] = 0;
            }
        }
    }
    ArrayD::from_shape_vec(IxDyn(&block), values).expect("block size matches its shape")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_use_global_flat_indices() {
        let a = by_rows::<i64>(&[4, 5], &[1..3, 2..4], |first, out| {
            for (i, v) in out.iter_mut().enumerate() {
                *v = first as i64 + i as i64;
            }
        });
        assert_eq!(a.iter().copied().collect::<Vec<_>>(), vec![7, 8, 12, 13]);
        let scalar = by_rows::<i64>(&[], &[], |first, out| out[0] = first as i64 + 5);
        assert_eq!(scalar.iter().copied().collect::<Vec<_>>(), vec![5]);
    }
}
