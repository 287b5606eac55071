//! Histograms of blocks, as `numpy.histogram` with equal-width bins: the bin edges, one
//! block's counts (merged across blocks by adding), and the finite range of a block (what an
//! automatic range is made of). Out-of-core histograms are these per block, then a sum.

use crate::data::{with_data, ArrayData};
use crate::dtype::Element;

/// `bins` equal-width bins from `first` to `last`, with numpy's edges and bin rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bins {
    pub(crate) edges: Vec<f64>,
}

impl Bins {
    /// numpy's edges: `linspace(first, last, bins + 1)`, with `first == last` widened to
    /// `first - 0.5 .. last + 0.5` as `numpy.histogram` does. Callers pass finite ends and
    /// `bins >= 1`.
    pub(crate) fn new(first: f64, last: f64, bins: usize) -> Bins {
        let (first, last) = if first == last {
            (first - 0.5, last + 0.5)
        } else {
            (first, last)
        };
        // numpy's linspace: arange(num) * step + start, the last edge exactly `last`.
        let step = (last - first) / bins as f64;
        let mut edges: Vec<f64> = (0..=bins).map(|i| i as f64 * step + first).collect();
        edges[bins] = last;
        Bins { edges }
    }

    /// How many bins.
    pub(crate) fn len(&self) -> usize {
        self.edges.len() - 1
    }

    /// The bin of `x` as numpy finds it (the last bin includes its right edge), or `None` for
    /// values outside the edges and NaN.
    #[inline]
    pub(crate) fn bin(&self, x: f64) -> Option<usize> {
        let n = self.len();
        let (first, last) = (self.edges[0], self.edges[n]);
        if !(x >= first && x <= last) {
            return None;
        }
        // numpy: the index from the scaled offset, then corrected against the edges, which
        // rounding can put on the other side of x.
        let norm = n as f64 / (last - first);
        let mut i = (((x - first) * norm) as usize).min(n - 1);
        if x < self.edges[i] {
            i -= 1;
        } else if i + 1 < n && x >= self.edges[i + 1] {
            i += 1;
        }
        Some(i)
    }
}

/// Adds the counts of `block`'s values (as f64) to `counts` (one slot a bin).
pub(crate) fn count_into(block: &ArrayData, bins: &Bins, counts: &mut [u64]) {
    with_data!(block, a => {
        for &v in a.iter() {
            if let Some(i) = bins.bin(v.to_f64()) {
                counts[i] += 1;
            }
        }
    })
}

/// The least and greatest finite values of `block` (as f64), if it has any.
pub(crate) fn finite_range(block: &ArrayData) -> Option<(f64, f64)> {
    with_data!(block, a => {
        let mut range: Option<(f64, f64)> = None;
        for &v in a.iter() {
            let x = v.to_f64();
            if x.is_finite() {
                range = Some(range.map_or((x, x), |(lo, hi)| (lo.min(x), hi.max(x))));
            }
        }
        range
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_and_bins_as_numpy() {
        // np.histogram_bin_edges([0, 1], bins=3) and its bins of 0, 1/3, 1.
        let bins = Bins::new(0.0, 1.0, 3);
        assert_eq!(bins.edges, vec![0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0]);
        assert_eq!(bins.bin(0.0), Some(0));
        assert_eq!(bins.bin(1.0 / 3.0), Some(1));
        assert_eq!(bins.bin(1.0), Some(2), "the last bin is closed");
        assert_eq!(bins.bin(1.5), None);
        assert_eq!(bins.bin(f64::NAN), None);
        assert_eq!(Bins::new(2.0, 2.0, 2).edges, vec![1.5, 2.0, 2.5]);
    }

    #[test]
    fn blocks_count_and_range() {
        let block =
            ArrayData::Float64(ndarray::arr1(&[0.1, f64::NAN, 0.9, f64::INFINITY]).into_dyn());
        let mut counts = vec![0; 2];
        count_into(&block, &Bins::new(0.0, 1.0, 2), &mut counts);
        assert_eq!(counts, vec![1, 1]);
        assert_eq!(finite_range(&block), Some((0.1, 0.9)));
        let nan = ArrayData::Float32(ndarray::arr1(&[f32::NAN]).into_dyn());
        assert_eq!(finite_range(&nan), None);
    }
}
