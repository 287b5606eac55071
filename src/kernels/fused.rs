//! Fused kernels: a random source generated tile by tile straight into a whole-block sum, so no
//! chunk-sized block is ever allocated (a 10000² chunk would be 763 MiB; a tile is 128 KiB).
//!
//! The sum follows exactly the pairwise tree of [`pairwise`] over the block in C order —
//! ranges are halved the same way and each tile is summed by `pairwise` itself — so the fused
//! result is bit-identical to generating the block and then reducing it.

use std::ops::Range;

use super::generate::RegionRows;
use super::reduce::pairwise;
use crate::random::sample::{fill_f64, Distribution, StreamKey};

/// Elements generated at a time (fits in L2 with room to spare).
const TILE: usize = 1 << 14;

/// The pairwise sum of `region` of a float random array of `shape` (C order).
pub(crate) fn random_block_sum(key: StreamKey, dist: Distribution, shape: &[usize], region: &[Range<usize>]) -> f64 {
    let block = RegionRows::new(shape, region);
    let total = block.len();
    let mut tile = vec![0.0; TILE.min(total)];
    sum_range(&block, key, dist, 0..total, &mut tile)
}

fn sum_range(block: &RegionRows, key: StreamKey, dist: Distribution, range: Range<usize>, tile: &mut [f64]) -> f64 {
    let len = range.len();
    if len <= TILE {
        let values = &mut tile[..len];
        block.fill(range.start, values, |first, out| fill_f64(key, dist, first, out));
        return pairwise(values);
    }
    let mid = range.start + len / 2;
    let left = sum_range(block, key, dist, range.start..mid, tile);
    left + sum_range(block, key, dist, mid..range.end, tile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataElement;
    use crate::dtype::DType;
    use crate::expr::Source;
    use crate::kernels::generate::generate;

    /// Generating the block and summing it gives the same bits as the fused sum.
    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one range per axis: a 1-D region is one range
    fn fused_sum_is_bit_identical_to_generate_then_sum() {
        let key = StreamKey { seed: 7, stream: 3 };
        for dist in [Distribution::Normal { loc: 0.0, scale: 1.0 }, Distribution::Uniform { low: -1.0, high: 2.0 }] {
            for (shape, region) in [
                (vec![300, 500], vec![100..250, 7..480]),
                (vec![40_000], vec![3..39_999]),
                (vec![6, 70, 90], vec![1..5, 10..70, 0..90]),
                (vec![], vec![]),
            ] {
                let block = generate(&Source::Random { key, dist }, None, DType::Float64, &shape, &region);
                let values = f64::view_of(block.as_ref().unwrap()).unwrap();
                let expected = pairwise(values.as_slice().unwrap());
                assert_eq!(random_block_sum(key, dist, &shape, &region).to_bits(), expected.to_bits(), "{shape:?} {region:?}");
            }
        }
    }
}
