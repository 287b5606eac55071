//! Random blocks on each code path.
//!
//! Each block kernel ([`super::kernels`]) is one generic function, compiled three times, once
//! per [`Path`] ([`crate::simd`] chooses the path at run time). All paths give bit-identical
//! values (tested).

use crate::simd;
pub use crate::simd::{available, selected, Path};

/// A block kernel: the values of one distribution of one stream.
pub trait Kernel: Copy {
    /// The element type.
    type Out: Copy + Default;
    /// `block` fills whole multiples of this many elements.
    const BLOCK: usize;
    /// Elements `first..first + out.len()`, with `out.len()` a multiple of `BLOCK`. `NATIVE`:
    /// the target converts `u64` to `f64` in one instruction (AVX-512DQ).
    fn block<const NATIVE: bool>(self, first: u64, out: &mut [Self::Out]);
    /// Element `i` alone (the scalar reference, and heads and tails of blocks).
    fn one(self, i: u64) -> Self::Out;
}

/// Fills `out` (a multiple of `K::BLOCK` long) with elements `first..` on `path`. An
/// unavailable path falls back to `Portable`.
pub fn run_blocks<K: Kernel>(path: Path, kernel: K, first: u64, out: &mut [K::Out]) {
    debug_assert!(out.len().is_multiple_of(K::BLOCK));
    match path {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the CPU supports AVX-512 F/DQ/VL/BW (checked at run time).
        Path::Avx512 if path.is_available() => unsafe {
            simd::on_avx512(
                #[inline(always)]
                || kernel.block::<true>(first, out),
            )
        },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the CPU supports AVX2 (checked at run time).
        Path::Avx2 if path.is_available() => unsafe {
            simd::on_avx2(
                #[inline(always)]
                || kernel.block::<false>(first, out),
            )
        },
        _ => kernel.block::<false>(first, out),
    }
}

/// The longest `Kernel::BLOCK`.
const MAX_BLOCK: usize = 8;

/// Fills `out` with elements `first, first + 1, ...`: whole blocks on `path`, and the tail cut
/// from one more block (rows of a chunk are short runs: for 100-element rows, computing the
/// tail one element at a time made a normal 60% slower).
pub fn fill<K: Kernel>(path: Path, kernel: K, first: u64, out: &mut [K::Out]) {
    let whole = out.len() / K::BLOCK * K::BLOCK;
    let (body, tail) = out.split_at_mut(whole);
    if !body.is_empty() {
        run_blocks(path, kernel, first, body);
    }
    if !tail.is_empty() {
        debug_assert!(K::BLOCK <= MAX_BLOCK);
        let mut block = [K::Out::default(); MAX_BLOCK];
        run_blocks(
            path,
            kernel,
            first.wrapping_add(whole as u64),
            &mut block[..K::BLOCK],
        );
        tail.copy_from_slice(&block[..tail.len()]);
    }
}
