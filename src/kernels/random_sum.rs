//! Random sums: a random source generated tile by tile straight into a sum — of the whole
//! block, or of its rows (the sum over the first axis) — so no chunk-sized block is ever
//! allocated (a 10000² chunk would be 763 MiB; a tile is 128 KiB).
//!
//! Each sum follows exactly the tree the unfused kernel uses on the generated block (the
//! pairwise tree of [`pairwise`] in C order; the row tree of `sum_rows`), so the fused result
//! is bit-identical to generating the block and then reducing it.

use std::ops::Range;

use ndarray::{ArrayD, IxDyn};

use super::generate::RegionRows;
use super::reduce::{add_rows, pairwise, SUM_ROWS_LEAF};
use crate::prng::sample::{fill_f64, Distribution, StreamKey};

/// Elements generated at a time (fits in L2 with room to spare).
const TILE: usize = 1 << 14;

/// The pairwise sum of `region` of a float random array of `shape` (C order).
pub(crate) fn random_block_sum(
    key: StreamKey,
    dist: Distribution,
    shape: &[usize],
    region: &[Range<usize>],
) -> f64 {
    let block = RegionRows::new(shape, region);
    let total = block.len();
    let mut tile = vec![0.0; TILE.min(total)];
    sum_range(&block, key, dist, 0..total, &mut tile)
}

fn sum_range(
    block: &RegionRows,
    key: StreamKey,
    dist: Distribution,
    range: Range<usize>,
    tile: &mut [f64],
) -> f64 {
    let len = range.len();
    if len <= TILE {
        let values = &mut tile[..len];
        block.fill(range.start, values, |first, out| {
            fill_f64(key, dist, first, out)
        });
        return pairwise(values);
    }
    let mid = range.start + len / 2;
    let left = sum_range(block, key, dist, range.start..mid, tile);
    left + sum_range(block, key, dist, mid..range.end, tile)
}

/// Below this many elements a half of the row tree is not worth a task of its own (each
/// parallel half allocates its own tile: with 2^16, the allocations' page faults cost more than
/// the parallelism gave).
const PARALLEL_ROWS_MIN: usize = 1 << 18;

/// The memory a `RandomReduce` over `axes` of `region` uses while it runs (on one thread): the
/// tile of a whole-block sum, or for row sums the tile of a leaf's rows and one row per level
/// of the row tree.
pub(crate) fn random_reduce_scratch_bytes(axes: &[usize], region: &[Range<usize>]) -> usize {
    let elements: usize = region.iter().map(|r| r.len()).product();
    if axes.len() == region.len() {
        return TILE.min(elements) * 8;
    }
    let rows = region[0].len();
    let row_len = region[1..].iter().map(|r| r.len()).product::<usize>();
    let levels = (usize::BITS - (rows / SUM_ROWS_LEAF).leading_zeros()) as usize;
    (SUM_ROWS_LEAF - 1 + levels) * row_len * 8
}

/// The sum over the first axis of `region` of a float random array of `shape` (C order): one
/// value per element of a row (a row being everything but the first axis), shaped as the
/// region with the first axis of length 1.
///
/// Rows are generated [`SUM_ROWS_LEAF`] at a time (the first straight into the sums, the rest
/// into one reused tile) and added in the order of the unfused kernel's row tree, so the sums
/// have its bits. Inside a computation's worker pool, the two halves of large subtrees run in
/// parallel (`rayon::join`: the tree, hence every bit, is unchanged) so that a lone chunk uses
/// every worker; elsewhere (a dask worker's thread) they run one after the other.
pub(crate) fn random_block_row_sums(
    key: StreamKey,
    dist: Distribution,
    shape: &[usize],
    region: &[Range<usize>],
) -> ArrayD<f64> {
    let rows = region[0].len();
    let row_len: usize = region[1..].iter().map(|r| r.len()).product();
    let mut sums = vec![0.0; row_len];
    if rows > 0 && row_len > 0 {
        let source = RowSource {
            block: RegionRows::new(shape, region),
            key,
            dist,
            row_len,
        };
        source.sum_into(
            0..rows,
            &mut sums,
            &mut Scratch::default(),
            rayon::current_thread_index().is_some(),
        );
    }
    let out_shape: Vec<usize> = std::iter::once(1)
        .chain(region[1..].iter().map(|r| r.len()))
        .collect();
    ArrayD::from_shape_vec(IxDyn(&out_shape), sums).expect("one sum per element of a row")
}

/// The rows of a block of a random array.
struct RowSource {
    block: RegionRows,
    key: StreamKey,
    dist: Distribution,
    row_len: usize,
}

/// Buffers a row sum reuses: the generated rows of a leaf, and row-long partial sums.
#[derive(Default)]
struct Scratch {
    tile: Vec<f64>,
    free: Vec<Vec<f64>>,
}

impl RowSource {
    /// Writes the sum of rows `rows` to `out`, adding them as `sum_rows` does: up to
    /// [`SUM_ROWS_LEAF`] rows one after another, more halved (the left half's sum is written
    /// to `out`, the right half's to a scratch row, then added).
    fn sum_into(&self, rows: Range<usize>, out: &mut [f64], scratch: &mut Scratch, parallel: bool) {
        let n = rows.len();
        let len = self.row_len;
        let fill = |first_row: usize, values: &mut [f64]| {
            self.block.fill(first_row * len, values, |first, run| {
                fill_f64(self.key, self.dist, first, run)
            })
        };
        if n <= SUM_ROWS_LEAF {
            fill(rows.start, out);
            let tile = &mut scratch.tile;
            tile.resize(tile.len().max((n - 1) * len), 0.0);
            let rest = &mut tile[..(n - 1) * len];
            fill(rows.start + 1, rest);
            for row in rest.chunks_exact(len) {
                add_rows(out, row);
            }
            return;
        }
        let mid = rows.start + n / 2;
        let mut right = scratch.free.pop().unwrap_or_else(|| vec![0.0; len]);
        if parallel && n * len >= PARALLEL_ROWS_MIN {
            rayon::join(
                || self.sum_into(rows.start..mid, out, scratch, true),
                || self.sum_into(mid..rows.end, &mut right, &mut Scratch::default(), true),
            );
        } else {
            self.sum_into(rows.start..mid, out, scratch, parallel);
            self.sum_into(mid..rows.end, &mut right, scratch, parallel);
        }
        add_rows(out, &right);
        scratch.free.push(right);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataElement;
    use crate::dtype::DType;
    use crate::exec::generate::generate;
    use crate::expr::Source;

    /// Generating the block and summing it gives the same bits as the fused sum.
    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one range per axis: a 1-D region is one range
    fn fused_sum_is_bit_identical_to_generate_then_sum() {
        let key = StreamKey { seed: 7, stream: 3 };
        for dist in [
            Distribution::Normal {
                loc: 0.0,
                scale: 1.0,
            },
            Distribution::Uniform {
                low: -1.0,
                high: 2.0,
            },
        ] {
            for (shape, region) in [
                (vec![300, 500], vec![100..250, 7..480]),
                (vec![40_000], vec![3..39_999]),
                (vec![6, 70, 90], vec![1..5, 10..70, 0..90]),
                (vec![], vec![]),
            ] {
                let block = generate(
                    &Source::Random { key, dist },
                    None,
                    DType::Float64,
                    &shape,
                    &region,
                );
                let values = f64::view_of(block.as_ref().unwrap()).unwrap();
                let expected = pairwise(values.as_slice().unwrap());
                assert_eq!(
                    random_block_sum(key, dist, &shape, &region).to_bits(),
                    expected.to_bits(),
                    "{shape:?} {region:?}"
                );
            }
        }
    }

    /// Generating the block and summing it over its first axis gives the same bits as the
    /// fused row sums, one after another and with the halves of the row tree in parallel.
    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn fused_row_sums_are_bit_identical_to_generate_then_sum() {
        let key = StreamKey { seed: 9, stream: 1 };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for dist in [
            Distribution::Normal {
                loc: 1.0,
                scale: 2.0,
            },
            Distribution::Uniform {
                low: -1.0,
                high: 2.0,
            },
        ] {
            for (shape, region) in [
                (vec![3000, 500], vec![100..2950, 7..480]),
                (vec![20_000, 30], vec![0..20_000, 0..30]),
                (vec![9, 70], vec![2..9, 5..6]),
                (vec![6, 70, 90], vec![1..5, 10..70, 0..90]),
                (vec![50, 8], vec![10..10, 0..8]),
                (vec![50, 8], vec![0..50, 3..3]),
            ] {
                let block = generate(
                    &Source::Random { key, dist },
                    None,
                    DType::Float64,
                    &shape,
                    &region,
                );
                let values = f64::view_of(block.as_ref().unwrap()).unwrap();
                let expected: Vec<u64> = crate::kernels::reduce::sum_axes(values.view(), &[0])
                    .iter()
                    .map(|v| v.to_bits())
                    .collect();
                let bits = |sums: ArrayD<f64>| sums.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(
                    bits(random_block_row_sums(key, dist, &shape, &region)),
                    expected,
                    "{shape:?} {region:?}"
                );
                let parallel = pool.install(|| random_block_row_sums(key, dist, &shape, &region));
                assert_eq!(
                    bits(parallel.clone()),
                    expected,
                    "{shape:?} {region:?} in a pool"
                );
                let mut out_shape: Vec<usize> = region.iter().map(|r| r.len()).collect();
                out_shape[0] = 1;
                assert_eq!(parallel.shape(), out_shape);
            }
        }
    }
}
