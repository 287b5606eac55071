//! Reading a region of a C-order `.npy` file into a block.
//!
//! Runs of the region that are contiguous in the file and at least [`PREAD_RUN_BYTES`] long
//! are read with `pread` straight into the block: the file's pages are then never mapped into
//! the process, so its resident set is what it allocates, not the input it has read (a map's
//! pages, once touched, stay resident until it is unmapped). Shorter runs (a column of a
//! row-major file, a stride-6 plane of a 3-d file) are gathered from the map by the strided
//! copy kernel: a system call per element would cost far more than the pages kept.

use std::fs::File;
use std::ops::Range;
use std::os::fd::AsRawFd;
use std::path::Path;

use crate::error::Result;
use crate::formats::io_error;

/// The shortest contiguous run (bytes) read by `pread` (a page: one system call costs less
/// than faulting the page in through the map).
pub(super) const PREAD_RUN_BYTES: usize = 4096;

/// How `region` of a C-order array of `shape` lies in the file: runs of `run` contiguous
/// elements, one per index of the `outer` axes (the leading axes of the region).
#[derive(Debug, PartialEq)]
pub(super) struct Runs {
    /// The leading axes walked one index at a time (their ranges in the region).
    pub outer: Vec<Range<usize>>,
    /// Elements of the array between consecutive indices of each outer axis.
    pub strides: Vec<usize>,
    /// Elements of one run.
    pub run: usize,
    /// Element offset of the first run's first element.
    pub first: usize,
}

/// The runs of `region` (a nonempty region of an array of `shape`, C order).
pub(super) fn runs(shape: &[usize], region: &[Range<usize>]) -> Runs {
    use ndarray::Dimension;
    let n = shape.len();
    // C order (the region is nonempty, so no axis of `shape` is 0).
    let strides = ndarray::IxDyn(shape).default_strides().slice().to_vec();
    // The trailing axes the region covers whole, and the one before them, form one run.
    let mut split = n;
    while split > 0 && region[split - 1].len() == shape[split - 1] {
        split -= 1;
    }
    let split = split.saturating_sub(1);
    let run = region[split..].iter().map(|r| r.len()).product();
    let first = region.iter().zip(&strides).map(|(r, s)| r.start * s).sum();
    Runs {
        outer: region[..split].to_vec(),
        strides: strides[..split].to_vec(),
        run,
        first,
    }
}

/// Reads `runs` of `T` from `file` (values starting at byte `data_start`) into `out`, one run
/// after another.
///
/// # Safety
/// `out` is valid for writes of `runs`' element count of `T`, and every bit pattern the file
/// holds there is a valid `T` (the header was checked, and bool files hold 0 and 1).
pub(super) unsafe fn pread_runs<T>(
    file: &File,
    path: &Path,
    data_start: usize,
    runs: &Runs,
    out: *mut T,
) -> Result<()> {
    let size = std::mem::size_of::<T>();
    let mut index: Vec<usize> = runs.outer.iter().map(|r| r.start).collect();
    let mut written = 0usize;
    loop {
        let at = runs.first
            + index
                .iter()
                .zip(&runs.outer)
                .zip(&runs.strides)
                .map(|((i, r), s)| (i - r.start) * s)
                .sum::<usize>();
        // SAFETY: run `written / run` of the block, within `out` (the caller's bound).
        let dst = unsafe { out.add(written) }.cast::<u8>();
        // SAFETY: as above, `run * size` bytes.
        unsafe { pread_exact(file, path, dst, runs.run * size, data_start + at * size)? };
        written += runs.run;
        // The next index of the outer axes, last fastest.
        let mut axis = index.len();
        loop {
            if axis == 0 {
                return Ok(());
            }
            axis -= 1;
            index[axis] += 1;
            if index[axis] < runs.outer[axis].end {
                break;
            }
            index[axis] = runs.outer[axis].start;
        }
    }
}

/// Reads exactly `len` bytes at `offset` of `file` into `dst`.
///
/// # Safety
/// `dst` is valid for writes of `len` bytes.
unsafe fn pread_exact(
    file: &File,
    path: &Path,
    mut dst: *mut u8,
    mut len: usize,
    mut offset: usize,
) -> Result<()> {
    while len > 0 {
        // SAFETY: `dst` is valid for `len` bytes (the caller's bound, advanced as read).
        let got = unsafe { libc::pread(file.as_raw_fd(), dst.cast(), len, offset as libc::off_t) };
        match got {
            0 => return Err(io_error(path, "the file was truncated while it was read")),
            n if n < 0 => {
                let error = std::io::Error::last_os_error();
                if error.kind() != std::io::ErrorKind::Interrupted {
                    return Err(io_error(path, error));
                }
            }
            n => {
                let n = n as usize;
                // SAFETY: `n <= len` bytes were written; the rest stays in bounds.
                dst = unsafe { dst.add(n) };
                len -= n;
                offset += n;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_the_trailing_whole_axes() {
        // Rows 2..4 of a (5, 3, 4) array: one run of 2 * 3 * 4 elements from element 24.
        let r = runs(&[5, 3, 4], &[2..4, 0..3, 0..4]);
        assert_eq!((r.outer.len(), r.run, r.first), (0, 24, 24));
        // A (2, 2) corner of the last two axes: runs of 2 along the last axis.
        let r = runs(&[5, 3, 4], &[1..3, 1..3, 2..4]);
        assert_eq!(r.outer, vec![1..3, 1..3]);
        assert_eq!(r.strides, vec![12, 4]);
        assert_eq!((r.run, r.first), (2, 12 + 4 + 2));
        // Whole planes along axis 1: runs of a plane's 4 elements.
        let r = runs(&[5, 3, 4], &[0..5, 1..2, 0..4]);
        assert_eq!(
            (r.outer.len(), r.outer[0].clone(), r.run, r.first),
            (1, 0..5, 4, 4)
        );
        assert_eq!(runs(&[], &[]).run, 1);
    }
}
