//! Generating kernels: the block at a rectangular region of a rule-defined array, or of a
//! view of one, built from runs of consecutive flat indices that a rule fills (random values,
//! ranges). Which rule a source follows is the executor's (`exec::generate`).

use std::ops::Range;

use ndarray::{ArrayD, IxDyn};

use crate::dtype::Element;
use crate::selection::AxisIndex;

/// Where a block's elements sit in the source's whole array.
pub(crate) enum Layout<'a> {
    /// A rectangular `region` of the whole array of `shape`.
    Region {
        shape: &'a [usize],
        region: &'a [Range<usize>],
    },
    /// `base[index]`, with `index` resolved against the whole array's shape `base`.
    View {
        base: &'a [usize],
        index: Vec<AxisIndex>,
    },
}

/// The block of `layout`, asking `fill` for the values of runs of consecutive flat (C order)
/// indices of the whole array.
pub(crate) fn fill_block<T: crate::data::DataElement>(
    layout: &Layout<'_>,
    fill: impl FnMut(u64, &mut [T]),
) -> ArrayD<T> {
    match layout {
        Layout::Region { shape, region } => by_rows(shape, region, fill),
        Layout::View { base, index } => by_index(base, index, fill),
    }
}

/// C-order strides (in elements) of an array of `shape`.
fn c_strides(shape: &[usize]) -> Vec<u64> {
    let mut strides = vec![1u64; shape.len()];
    for axis in (0..shape.len().saturating_sub(1)).rev() {
        strides[axis] = strides[axis + 1] * shape[axis + 1] as u64;
    }
    strides
}

/// Builds `base[index]` (a nonempty selection), asking `fill` for runs of consecutive flat
/// indices of the array of shape `base`: whole rows when the last base axis is selected with
/// step 1 or -1 (a reversed run is filled forwards, then flipped), single elements otherwise.
fn by_index<T: Element>(
    base: &[usize],
    index: &[AxisIndex],
    mut fill: impl FnMut(u64, &mut [T]),
) -> ArrayD<T> {
    let strides = c_strides(base);
    // Per output axis: (length, first base index, step, base stride); inserted axes have stride 0.
    let mut axes: Vec<(usize, i64, i64, i64)> = Vec::with_capacity(index.len());
    let mut fixed = 0i64;
    let mut base_axis = 0;
    // The output axis that is a run of the last base axis, if its step is ±1.
    let mut run = None;
    for entry in index {
        match *entry {
            AxisIndex::NewAxis => axes.push((1, 0, 0, 0)),
            AxisIndex::Index(i) => {
                fixed += i as i64 * strides[base_axis] as i64;
                base_axis += 1;
            }
            AxisIndex::Range { first, step, count } => {
                let last = base_axis + 1 == base.len();
                run = (last && step.abs() == 1).then_some(axes.len());
                axes.push((count, first as i64, step as i64, strides[base_axis] as i64));
                base_axis += 1;
            }
        }
    }
    let shape: Vec<usize> = axes.iter().map(|a| a.0).collect();
    let total: usize = shape.iter().product();
    let mut values = vec![T::default(); total];
    // Axes after the run are inserted ones (length 1), so rows are contiguous in the output.
    let (row_len, step, outer) = match run {
        Some(k) => (axes[k].0, axes[k].2, &axes[..k]),
        None => (1, 1, &axes[..]),
    };
    let row_first = run.map_or(0, |k| axes[k].1);
    let mut at = vec![0usize; outer.len()];
    if total > 0 {
        for row in values.chunks_mut(row_len) {
            let offset: i64 = fixed
                + row_first
                + outer
                    .iter()
                    .zip(&at)
                    .map(|(a, &i)| (a.1 + i as i64 * a.2) * a.3)
                    .sum::<i64>();
            if step > 0 {
                fill(offset as u64, row);
            } else {
                fill((offset - (row_len as i64 - 1)) as u64, row);
                row.reverse();
            }
            for axis in (0..outer.len()).rev() {
                at[axis] += 1;
                if at[axis] < outer[axis].0 {
                    break;
                }
                at[axis] = 0;
            }
        }
    }
    ArrayD::from_shape_vec(IxDyn(&shape), values).expect("block size matches its shape")
}

/// Builds the block for `region` of an array of `shape` one row (run along the last axis) at a
/// time, asking `fill` for the values of consecutive flat (C order) indices.
fn by_rows<T: crate::data::DataElement>(
    shape: &[usize],
    region: &[Range<usize>],
    fill: impl FnMut(u64, &mut [T]),
) -> ArrayD<T> {
    let block: Vec<usize> = region.iter().map(|r| r.len()).collect();
    // Every element is written: a freed block's buffer serves as it is.
    let mut values = super::pool::overwritable::<T>(block.iter().product());
    RegionRows::new(shape, region).fill(0, &mut values, fill);
    ArrayD::from_shape_vec(IxDyn(&block), values).expect("block size matches its shape")
}

/// A rectangular region of an array, addressed by its own flat (C order) position.
pub(crate) struct RegionRows {
    /// Block length of each axis (`[1]` for a 0-d array).
    lens: Vec<usize>,
    /// First element of the region on each axis.
    starts: Vec<usize>,
    /// C-order strides of the whole array.
    strides: Vec<u64>,
}

impl RegionRows {
    pub(crate) fn new(shape: &[usize], region: &[Range<usize>]) -> RegionRows {
        if shape.is_empty() {
            return RegionRows {
                lens: vec![1],
                starts: vec![0],
                strides: vec![1],
            };
        }
        RegionRows {
            lens: region.iter().map(Range::len).collect(),
            starts: region.iter().map(|r| r.start).collect(),
            strides: c_strides(shape),
        }
    }

    /// Number of elements.
    pub(crate) fn len(&self) -> usize {
        self.lens.iter().product()
    }

    /// Fills `out` with the elements at region positions `from, from + 1, …`, asking `fill` for
    /// runs of consecutive flat indices of the whole array (one run per row of the region).
    pub(crate) fn fill<T>(&self, from: usize, out: &mut [T], mut fill: impl FnMut(u64, &mut [T])) {
        let row_len = *self.lens.last().expect("at least one axis");
        let last = self.lens.len() - 1;
        let mut done = 0;
        while done < out.len() {
            let at = from + done;
            let (mut row, col) = (at / row_len, at % row_len);
            let run = (row_len - col).min(out.len() - done);
            // The whole array's flat index of region element `at`.
            let mut flat = (self.starts[last] + col) as u64 * self.strides[last];
            for axis in (0..last).rev() {
                flat += (self.starts[axis] + row % self.lens[axis]) as u64 * self.strides[axis];
                row /= self.lens[axis];
            }
            fill(flat, &mut out[done..done + run]);
            done += run;
        }
    }
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

    /// Flat indices of `base[index]`, element by element, from the view kernel.
    fn flat_of(base: &[usize], index: &[AxisIndex]) -> ArrayD<i64> {
        by_index::<i64>(base, index, |first, out| {
            for (i, v) in out.iter_mut().enumerate() {
                *v = first as i64 + i as i64;
            }
        })
    }

    #[test]
    fn views_use_base_flat_indices() {
        let r = |first, step, count| AxisIndex::Range { first, step, count };
        let all = ArrayD::from_shape_vec(IxDyn(&[4, 5]), (0..20).collect()).unwrap();
        let cases: Vec<(Vec<AxisIndex>, ndarray::ArrayD<i64>)> = vec![
            (
                vec![r(1, 1, 2), r(2, 1, 2)],
                all.slice(ndarray::s![1..3, 2..4]).into_owned().into_dyn(),
            ),
            (
                vec![r(3, -2, 2), r(4, -1, 3)],
                all.slice(ndarray::s![1..4;-2, 2..5;-1])
                    .into_owned()
                    .into_dyn(),
            ),
            (
                vec![r(0, 2, 2), r(0, 2, 3)],
                all.slice(ndarray::s![0..4;2, 0..5;2])
                    .into_owned()
                    .into_dyn(),
            ),
            (
                vec![
                    AxisIndex::Index(2),
                    AxisIndex::NewAxis,
                    r(1, 1, 3),
                    AxisIndex::NewAxis,
                ],
                all.slice(ndarray::s![2, ndarray::NewAxis, 1..4, ndarray::NewAxis])
                    .into_owned()
                    .into_dyn(),
            ),
            (
                vec![r(1, 1, 3), AxisIndex::Index(4)],
                all.slice(ndarray::s![1..4, 4]).into_owned().into_dyn(),
            ),
        ];
        for (index, expected) in cases {
            assert_eq!(flat_of(&[4, 5], &index), expected, "{index:?}");
        }
    }
}
