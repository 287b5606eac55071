//! Writing an array larger than memory: computed in bands of whole chunks along the first axis,
//! one band in memory at a time (each band computed in parallel), handed to a writer in order.

use std::ops::Range;

use crate::array::Array;
use crate::data::Computed;
use crate::error::Result;

/// Bytes of one band at most (unless one chunk row is larger): 256 MiB, or a sixteenth of the
/// memory budget if that is less (measured: a band is held about five times over while its
/// blocks are computed, joined, copied for the writer and encoded).
fn band_bytes() -> usize {
    (256usize << 20).min(crate::config::memory_budget() / 16)
}

/// Computes `array` band by band and calls `write(rows, values)` for each, in order; a 0-d
/// array is one call with `rows = None`.
///
/// **Errors**: the first computation or write error.
pub(crate) fn for_each_band(
    array: &Array,
    mut write: impl FnMut(Option<Range<usize>>, Computed) -> Result<()>,
) -> Result<()> {
    if array.ndim() == 0 {
        return write(None, array.compute()?);
    }
    each_band(array, |rows, band| write(Some(rows), band.compute()?))
}

/// Computes `array` band by band (as [`for_each_band`]), calling `write(region, values)` from
/// the worker threads for each output block as soon as it completes, then freeing it: no band
/// is joined or held. A 0-d array is one call with an empty region.
///
/// **Errors**: the first computation or write error.
pub(crate) fn for_each_block(array: &Array, write: crate::exec::BlockSink<'_>) -> Result<()> {
    if array.ndim() == 0 {
        return write(&[], array.compute()?.data());
    }
    each_band(array, |rows, band| {
        crate::exec::compute_into(band.node()?, &|region, values| {
            let mut region = region.to_vec();
            region[0] = region[0].start + rows.start..region[0].end + rows.start;
            write(&region, values)
        })
    })
}

/// Calls `f(rows, band)` for each band of `array` (of at least one dimension), in order: the
/// rows of axis 0 and the lazy slice of them.
fn each_band(array: &Array, mut f: impl FnMut(Range<usize>, Array) -> Result<()>) -> Result<()> {
    for rows in bands(array) {
        let info = [ndarray::SliceInfoElem::from(rows.clone())];
        let band = array.slice(info.as_slice())?;
        f(rows, band)?;
    }
    Ok(())
}

/// Ranges of rows made of whole chunks of axis 0, each up to [`band_bytes`].
fn bands(array: &Array) -> Vec<Range<usize>> {
    let limit = band_bytes();
    let row_bytes = array.nbytes() / array.shape()[0].max(1);
    let mut bands = Vec::new();
    let (mut start, mut end) = (0, 0);
    for &chunk in array.chunks().axis(0) {
        if end > start && (end + chunk - start) * row_bytes > limit {
            bands.push(start..end);
            start = end;
        }
        end += chunk;
    }
    if end > start || bands.is_empty() {
        bands.push(start..end);
    }
    bands
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn bands_are_whole_chunks_up_to_the_limit() {
        // rows of 80 kB: 3355 rows fit in 256 MiB (the default budget is larger on any machine
        // this runs on), chunks of 1000 rows: 3 chunks a band
        let a = zeros([10000, 10000], [1000, 10000]);
        let b = bands(&a);
        assert_eq!(b[0], 0..3000);
        assert_eq!(b.last().unwrap().end, 10000);
        assert!(b.windows(2).all(|w| w[0].end == w[1].start));
        // a chunk row bigger than the limit is a band of its own
        assert_eq!(
            bands(&zeros([4, 100_000_000], [1, 100_000_000])),
            [0..1, 1..2, 2..3, 3..4]
        );
        #[allow(clippy::single_range_in_vec_init)] // a list of bands: here one, empty
        let empty = [0..0];
        assert_eq!(bands(&zeros([0, 3], 1)), empty);
    }
}
