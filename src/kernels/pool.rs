//! Freed block buffers kept for the next block of the same size.
//!
//! A block of MiBs is above glibc's mmap threshold (or trimmed from a worker's arena when
//! freed), so a fresh one is mapped, faulted in page by page and zeroed by the kernel, then
//! unmapped: 30–48% of some computations' time went there (bench/workloads/README.md). The
//! executor hands every block it frees here ([`recycle`]); a kernel making a new block takes
//! its buffer with [`uninit`] (already faulted in, not zeroed: the kernel writes every
//! element). The pool is bounded — at most [`capacity`] bytes, a fraction of the memory
//! budget, and a few buffers per worker, the oldest buffers freed first — and emptied when a
//! computation ends ([`clear`]), so it never holds memory between computations.

use std::mem::MaybeUninit;
use std::sync::{Mutex, MutexGuard, PoisonError};

use ndarray::{ArrayD, IxDyn};

use super::Value;
use crate::data::{ArrayData, DataElement};

/// Buffers smaller than this are left to the allocator (it reuses them well itself).
const MIN_BYTES: usize = 64 * 1024;

/// Kept buffers, oldest first, and their bytes.
struct Pool {
    buffers: Vec<ArrayData>,
    bytes: usize,
}

/// The process's pool.
static POOL: Mutex<Pool> = Mutex::new(Pool::new());

fn pool() -> MutexGuard<'static, Pool> {
    POOL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The most the pool keeps: a sixteenth of the memory budget.
pub(crate) fn capacity() -> usize {
    crate::config::memory_budget() / 16
}

/// A new C-order array of `shape` whose elements are not initialised: a kept buffer of the
/// same size when there is one, else a fresh allocation. Write every element, then
/// `assume_init`.
pub(crate) fn uninit<T: DataElement>(shape: &[usize]) -> ArrayD<MaybeUninit<T>> {
    let len: usize = shape.iter().product();
    match kept::<T>(len) {
        Some(values) => {
            let mut values = std::mem::ManuallyDrop::new(values);
            // SAFETY: MaybeUninit<T> has T's size and alignment, so the allocation is valid
            // for it, and its capacity is `len`; MaybeUninit elements need no initialisation.
            let values = unsafe {
                Vec::from_raw_parts(values.as_mut_ptr().cast::<MaybeUninit<T>>(), len, len)
            };
            ArrayD::from_shape_vec(IxDyn(shape), values).expect("the shape's element count")
        }
        None => ArrayD::uninit(IxDyn(shape)),
    }
}

/// A vector of `len` elements for a kernel that overwrites every one: a kept buffer of the
/// same size with its old values when there is one (no zeroing pass, no page faults), else a
/// fresh one of `T::default()`.
pub(crate) fn overwritable<T: DataElement>(len: usize) -> Vec<T> {
    match kept::<T>(len) {
        Some(mut values) => {
            // SAFETY: the capacity is `len`, and the buffer held `len` values of `T` (a kept
            // block's elements), which are plain numbers or bools with no drop: still valid.
            unsafe { values.set_len(len) };
            values
        }
        None => vec![T::default(); len],
    }
}

/// A kept buffer for `len` elements (empty, capacity `len`), if one is large enough to be kept
/// and there is one.
fn kept<T: DataElement>(len: usize) -> Option<Vec<T>> {
    if len * std::mem::size_of::<T>() < MIN_BYTES {
        return None;
    }
    pool().take::<T>(len)
}

/// Buffers kept per worker thread of the computation (see [`recycle`]).
pub(crate) const BUFFERS_PER_WORKER: usize = 4;

/// Keeps the buffer of a value no task reads any more (a block of data; other values are
/// dropped), at most `max_buffers` of them: a worker takes a freed buffer back within a task or
/// two, so a few per worker serve every reuse, and a computation whose new blocks never come
/// from the pool (a Zarr chunk is decoded into the codec's own buffer) does not fill it up to
/// its byte bound with blocks nobody takes.
pub(crate) fn recycle(value: Value, max_buffers: usize) {
    if let Value::Data(data) = value {
        let capacity = capacity();
        let dropped = pool().keep(data, capacity, max_buffers);
        // Freed outside the lock.
        drop(dropped);
    }
}

/// Frees every kept buffer (when a computation ends).
pub(crate) fn clear() {
    let buffers = std::mem::replace(&mut *pool(), Pool::new()).buffers;
    drop(buffers);
}

impl Pool {
    const fn new() -> Pool {
        Pool {
            buffers: Vec::new(),
            bytes: 0,
        }
    }

    /// A kept buffer of `T` with room for exactly `len` elements (empty, its length 0).
    fn take<T: DataElement>(&mut self, len: usize) -> Option<Vec<T>> {
        let at = self
            .buffers
            .iter()
            .rposition(|b| T::view_of(b).is_some_and(|a| a.len() == len))?;
        let data = self.buffers.remove(at);
        self.bytes -= bytes_of(&data);
        let (mut values, _) = T::take(data).ok()?.into_raw_vec_and_offset();
        values.clear();
        // An array sliced in place owns more than its elements: not reused for `len`.
        (values.capacity() == len).then_some(values)
    }

    /// Keeps `data` within `capacity` bytes and `max_buffers` buffers (the oldest buffers go
    /// first); what no longer fits, to be freed.
    fn keep(&mut self, data: ArrayData, capacity: usize, max_buffers: usize) -> Vec<ArrayData> {
        let bytes = bytes_of(&data);
        if bytes < MIN_BYTES || bytes > capacity || max_buffers == 0 {
            return vec![data];
        }
        let mut evicted = 0;
        while self.bytes + bytes > capacity || self.buffers.len() - evicted >= max_buffers {
            self.bytes -= bytes_of(&self.buffers[evicted]);
            evicted += 1;
        }
        let dropped = self.buffers.drain(..evicted).collect();
        self.bytes += bytes;
        self.buffers.push(data);
        dropped
    }
}

/// Bytes of a buffer's elements.
fn bytes_of(data: &ArrayData) -> usize {
    data.len() * data.dtype().itemsize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_freed_block_is_the_next_one_of_its_size() {
        let mut pool = Pool::new();
        let a = ArrayD::<f64>::zeros(IxDyn(&[128, 100]));
        let ptr = a.as_ptr();
        assert!(pool.keep(f64::wrap(a), 1 << 20, 8).is_empty());
        assert!(pool.take::<i64>(128 * 100).is_none(), "another dtype");
        assert!(pool.take::<f64>(128 * 99).is_none(), "another size");
        let b = pool.take::<f64>(128 * 100).expect("kept");
        assert_eq!(b.as_ptr(), ptr, "the same buffer");
        assert_eq!((b.len(), b.capacity(), pool.bytes), (0, 128 * 100, 0));
    }

    #[test]
    fn the_pool_is_bounded_and_keeps_no_small_blocks() {
        let mut pool = Pool::new();
        let block = || f64::wrap(ArrayD::zeros(IxDyn(&[8192]))); // 64 KiB
        assert_eq!(
            pool.keep(f64::wrap(ArrayD::zeros(IxDyn(&[10]))), 1 << 20, 8)
                .len(),
            1
        );
        for _ in 0..3 {
            assert!(pool.keep(block(), 3 << 16, 8).is_empty());
        }
        assert_eq!(pool.keep(block(), 3 << 16, 8).len(), 1, "the oldest goes");
        assert_eq!((pool.buffers.len(), pool.bytes), (3, 3 << 16));
        assert_eq!(
            pool.keep(block(), 1 << 15, 8).len(),
            1,
            "larger than the pool"
        );
        let mut pool = Pool::new();
        for _ in 0..2 {
            assert!(pool.keep(block(), 1 << 20, 2).is_empty());
        }
        assert_eq!(pool.keep(block(), 1 << 20, 2).len(), 1, "at most 2 buffers");
        assert_eq!((pool.buffers.len(), pool.bytes), (2, 2 << 16));
    }

    #[test]
    fn uninit_blocks_have_the_shape() {
        let a = uninit::<f64>(&[300, 100]);
        assert_eq!(a.shape(), &[300, 100]);
        assert!(a.is_standard_layout());
    }
}
