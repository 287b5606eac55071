//! Histograms of blocks, as `numpy.histogram` with equal-width bins: the bin edges, one
//! block's counts (merged across blocks by adding), and the finite range of a block (what an
//! automatic range is made of). Out-of-core histograms are these per block, then a sum.

use crate::data::{with_data, ArrayData};
use crate::dtype::Element;

/// `bins` equal-width bins from `first` to `last`, with numpy's edges and bin rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bins {
    pub(crate) edges: Vec<f64>,
    /// Bins per unit of value, `len / (last - first)`.
    norm: f64,
    /// The right edge of each bin, the last one `+inf`: the last bin is closed, so no value
    /// inside the edges moves on from it.
    upper: Vec<f64>,
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
        let mut upper = edges[1..].to_vec();
        upper[bins - 1] = f64::INFINITY;
        Bins {
            edges,
            norm: bins as f64 / (last - first),
            upper,
        }
    }

    /// How many bins.
    pub(crate) fn len(&self) -> usize {
        self.edges.len() - 1
    }

    /// The bin of `x` as numpy finds it (the last bin includes its right edge), or `None` for
    /// values outside the edges and NaN.
    #[cfg(test)]
    fn bin(&self, x: f64) -> Option<usize> {
        Some(self.slot(x)).filter(|&i| i < self.len())
    }

    /// The bin of `x`, or `len()` for values outside the edges and NaN: numpy's rule without
    /// a branch on the value (see [`Edges::slot`]).
    #[cfg(test)]
    fn slot(&self, x: f64) -> usize {
        self.fast().slot(x)
    }

    /// The edges as [`Edges::slot`] reads them.
    fn fast(&self) -> Edges<'_> {
        let n = self.len();
        Edges {
            first: self.edges[0],
            last: self.edges[n],
            norm: self.norm,
            top: (n - 1) as f64,
            n,
            lower: &self.edges[..n],
            upper: &self.upper,
        }
    }
}

/// The facts of [`Bins`] a value's bin is computed from, held in registers through a count.
struct Edges<'a> {
    first: f64,
    last: f64,
    norm: f64,
    /// The last bin's index, as a float.
    top: f64,
    n: usize,
    /// The left edge of each bin (`n` of them).
    lower: &'a [f64],
    /// The right edge of each bin, the last one `+inf` (`n` of them).
    upper: &'a [f64],
}

impl Edges<'_> {
    /// The bin of `x`, or `n` for values outside the edges and NaN. The index comes from the
    /// scaled offset, clamped to the bins, then is corrected against the edges, which rounding
    /// can put on the other side of `x`: numpy's `decrement` (x below its bin's left edge) and
    /// `increment` (x at or above its right edge, never out of the closed last bin). At most
    /// one of the two applies, so both are read from the first index, side by side.
    #[inline(always)]
    fn slot(&self, x: f64) -> usize {
        debug_assert!(self.lower.len() == self.n && self.upper.len() == self.n);
        let inside = (x >= self.first) & (x <= self.last);
        // `max` turns NaN into 0, so the clamped value is an integer-valued float in range.
        let scaled = ((x - self.first) * self.norm).max(0.0).min(self.top);
        // SAFETY: `scaled` is finite and in 0..=n-1, which an i64 holds.
        let i = unsafe { scaled.to_int_unchecked::<i64>() } as usize;
        // SAFETY: i < n, the length of both. Checked indexing here costs 3x the whole count
        // (its branches sit on the chain from a value to its counter).
        let (lower, upper) =
            unsafe { (*self.lower.get_unchecked(i), *self.upper.get_unchecked(i)) };
        // The decrement only inside the edges, where x >= lower[0] keeps it from i = 0.
        let i = i - ((x < lower) & inside) as usize + (x >= upper) as usize;
        if inside {
            i
        } else {
            self.n
        }
    }
}

/// Adds the counts of `block`'s values (as f64) to `counts` (one slot a bin).
pub(crate) fn count_into(block: &ArrayData, bins: &Bins, counts: &mut [u64]) {
    with_data!(block, a => match a.as_slice_memory_order() {
        // A contiguous block as a slice: n-d iteration costs more than the binning.
        Some(values) => count_slice(values, bins, counts),
        None => {
            for row in a.rows() {
                match row.as_slice() {
                    Some(values) => count_slice(values, bins, counts),
                    None => count_slice(&row.to_vec(), bins, counts),
                }
            }
        }
    })
}

/// Counts of a slice, into four sets of counters taken in turn: neighbouring values often
/// fall in one bin, and one counter would make each increment wait for the last. Each set
/// has a slot past the bins for the values outside them, so counting never branches.
fn count_slice<T: Element>(values: &[T], bins: &Bins, counts: &mut [u64]) {
    let n = bins.len();
    let slots = n + 1;
    let edges = bins.fast();
    let mut lanes = vec![0u64; 4 * slots];
    in_four_lanes(values, |lane, v| {
        let at = lane * slots + edges.slot(v.to_f64());
        debug_assert!(at < lanes.len());
        // SAFETY: `lane` < 4 and a slot is at most n, so `at` < 4 * slots = lanes.len().
        unsafe { *lanes.get_unchecked_mut(at) += 1 };
    });
    for lane in lanes.chunks(slots) {
        for (c, l) in counts.iter_mut().zip(&lane[..n]) {
            *c += l;
        }
    }
}

/// Calls `f(lane, value)` for each of `values`, the lanes 0, 1, 2, 3 in turn (the tail in lane
/// 0): state kept a lane does not wait on the previous value's update.
#[inline(always)]
fn in_four_lanes<T>(values: &[T], mut f: impl FnMut(usize, &T)) {
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        f(0, &q[0]);
        f(1, &q[1]);
        f(2, &q[2]);
        f(3, &q[3]);
    }
    for v in quads.remainder() {
        f(0, v);
    }
}

/// The least and greatest finite values of `block` (as f64), if it has any.
pub(crate) fn finite_range(block: &ArrayData) -> Option<(f64, f64)> {
    with_data!(block, a => match a.as_slice_memory_order() {
        Some(values) => slice_range(values),
        None => a
            .rows()
            .into_iter()
            .filter_map(|row| match row.as_slice() {
                Some(values) => slice_range(values),
                None => slice_range(&row.to_vec()),
            })
            .reduce(|(lo, hi), (a, b)| (lo.min(a), hi.max(b))),
    })
}

/// The finite range of a slice, in four pairs of running bounds; a value that is not finite
/// leaves them as they are.
fn slice_range<T: Element>(values: &[T]) -> Option<(f64, f64)> {
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    in_four_lanes(values, |k, v| {
        let x = v.to_f64();
        let finite = x.abs() < f64::INFINITY;
        lo[k] = if finite && x < lo[k] { x } else { lo[k] };
        hi[k] = if finite && x > hi[k] { x } else { hi[k] };
    });
    let lo = lo.iter().fold(f64::INFINITY, |a, &b| a.min(b));
    let hi = hi.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    (lo <= hi).then_some((lo, hi))
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

    /// numpy's `_search_sorted_inclusive`-free path of `histogram`, step by step: keep,
    /// scale, truncate, the last index moved down, decrement, increment.
    fn numpy_bin(bins: &Bins, x: f64) -> Option<usize> {
        let n = bins.len();
        let e = &bins.edges;
        if !(x >= e[0] && x <= e[n]) {
            return None;
        }
        let mut i = ((x - e[0]) * bins.norm) as usize;
        if i == n {
            i -= 1;
        }
        if x < e[i] {
            i -= 1;
        }
        if x >= e[i + 1] && i != n - 1 {
            i += 1;
        }
        Some(i)
    }

    #[test]
    fn the_branchless_bin_is_numpys_on_and_next_to_every_edge() {
        let cases = [
            (0.0, 1.0, 3),
            (-5.0, 5.0, 100),
            (0.1, 0.7, 7),
            (-1e-300, 3e-300, 9),
        ];
        for (first, last, n) in cases {
            let bins = Bins::new(first, last, n);
            let mut xs = vec![
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::MAX,
                -f64::MAX,
            ];
            for &e in &bins.edges {
                // each edge, the float on either side, and points between edges
                xs.extend([
                    e,
                    e.next_up(),
                    e.next_down(),
                    e + (last - first) / (3 * n) as f64,
                ]);
            }
            for x in xs {
                assert_eq!(
                    bins.bin(x),
                    numpy_bin(&bins, x),
                    "{x:e} in {first}..{last} / {n}"
                );
            }
        }
    }

    #[test]
    fn strided_blocks_count_and_range_as_contiguous_ones() {
        let a = ndarray::Array2::from_shape_fn((5, 6), |(i, j)| (i * 6 + j) as f64 - 9.5);
        let bins = Bins::new(-10.0, 21.0, 6);
        // Fortran order; every other row (rows contiguous); every other column (none).
        for b in [
            a.clone().reversed_axes(),
            a.clone().slice_move(ndarray::s![..;2, ..]),
            a.clone().slice_move(ndarray::s![.., ..;2]),
        ] {
            let values: Vec<f64> = b.iter().copied().collect();
            let data = ArrayData::Float64(b.into_dyn());
            let mut got = vec![0; 6];
            count_into(&data, &bins, &mut got);
            let mut want = vec![0; 6];
            for x in &values {
                want[numpy_bin(&bins, *x).unwrap()] += 1;
            }
            assert_eq!(got, want);
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(finite_range(&data), Some((lo, hi)));
        }
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
