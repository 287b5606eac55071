//! Block means for overviews: each block adds the sums and counts of its values (NaN left
//! out) to the output pixels it covers, a pixel being `factors[0]` × `factors[1]` elements
//! of the first two axes (later axes, an image's colour channels, are kept). Blocks need not
//! align with pixels: a pixel split between blocks gets its parts from each.

use std::ops::Range;

use ndarray::{ArrayViewD, Axis};

use crate::data::{with_data, ArrayData};
use crate::dtype::Element;

/// Sums and counts of output pixels, C order over (rows, columns, channels), for the pixels
/// from `origin` (row, column) on: a block's part of the whole grid, or the whole.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Means {
    pub(crate) shape: Vec<usize>,
    pub(crate) origin: [usize; 2],
    pub(crate) sums: Vec<f64>,
    pub(crate) counts: Vec<u32>,
}

impl Means {
    /// An empty grid of `shape` (rows, columns, then the kept axes) starting at `origin`.
    pub(crate) fn new(shape: Vec<usize>, origin: [usize; 2]) -> Means {
        let len = shape.iter().product();
        Means {
            shape,
            origin,
            sums: vec![0.0; len],
            counts: vec![0; len],
        }
    }

    /// Adds `part`, a grid inside this one (same kept axes).
    pub(crate) fn merge(&mut self, part: &Means) {
        let inner: usize = self.shape[2..].iter().product();
        let (row, width) = (part.shape[1] * inner, self.shape[1] * inner);
        if row == 0 {
            return;
        }
        for (r, (sums, counts)) in part
            .sums
            .chunks(row)
            .zip(part.counts.chunks(row))
            .enumerate()
        {
            let at = (part.origin[0] - self.origin[0] + r) * width
                + (part.origin[1] - self.origin[1]) * inner;
            for (s, o) in self.sums[at..at + row].iter_mut().zip(sums) {
                *s += o;
            }
            for (c, o) in self.counts[at..at + row].iter_mut().zip(counts) {
                *c += o;
            }
        }
    }

    /// The means (NaN where a pixel had no number).
    pub(crate) fn means(&self) -> Vec<f64> {
        self.sums
            .iter()
            .zip(&self.counts)
            .map(|(&s, &c)| if c == 0 { f64::NAN } else { s / c as f64 })
            .collect()
    }
}

/// Adds `block` (of at least two axes), whose region of the whole array is `region`, into
/// `means` with pixels of `factors` elements.
pub(crate) fn add_block(
    block: &ArrayData,
    region: &[Range<usize>],
    factors: [usize; 2],
    means: &mut Means,
) {
    with_data!(block, a => add_typed(a.view(), region, factors, means))
}

fn add_typed<T: Element>(
    a: ArrayViewD<'_, T>,
    region: &[Range<usize>],
    factors: [usize; 2],
    means: &mut Means,
) {
    let (columns, inner): (usize, usize) = (means.shape[1], means.shape[2..].iter().product());
    for (i, row) in a.axis_iter(Axis(0)).enumerate() {
        let out_row = (region[0].start + i) / factors[0] - means.origin[0];
        for (j, element) in row.axis_iter(Axis(0)).enumerate() {
            let out_column = (region[1].start + j) / factors[1] - means.origin[1];
            let out = (out_row * columns + out_column) * inner;
            for (k, &v) in element.iter().enumerate() {
                let x = v.to_f64();
                if !x.is_nan() {
                    means.sums[out + k] += x;
                    means.counts[out + k] += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_split_between_blocks_get_both_parts() {
        // A 2×5 array in blocks of columns 0..3 and 3..5, pixels of 2×2: pixel 1 spans both.
        let whole = ndarray::Array2::from_shape_fn((2, 5), |(i, j)| (i * 5 + j) as f64);
        let mut means = Means::new(vec![1, 3], [0, 0]);
        for (cols, pixels) in [(0..3, 0..2), (3..5, 1..3)] {
            let part = whole.slice(ndarray::s![.., cols.clone()]).to_owned();
            let mut mine = Means::new(vec![1, pixels.len()], [0, pixels.start]);
            add_block(
                &ArrayData::Float64(part.into_dyn()),
                &[0..2, cols],
                [2, 2],
                &mut mine,
            );
            means.merge(&mine);
        }
        assert_eq!(means.means(), vec![3.0, 5.0, 6.5]);
    }
}
