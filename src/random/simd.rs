//! Run-time choice of the code path that generates random blocks.
//!
//! Each block kernel ([`super::kernels`]) is one generic function, compiled here three times:
//! with AVX-512 (`avx512f,avx512dq,avx512vl,avx512bw`), with AVX2, and for the build's
//! baseline target (SSE2 on x86-64; the only path on other architectures). The best path
//! the CPU supports is detected once (`is_x86_feature_detected!`) and cached; the
//! environment variable `TESSERA_RNG_PATH` (`avx512`, `avx2`, `portable`) can ask for a
//! slower one, for measurements. All paths give bit-identical values (tested).

use std::sync::atomic::{AtomicU8, Ordering};

/// A code path for random generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// x86-64 with AVX-512 F, DQ, VL and BW: 8 counters per 512-bit vector.
    Avx512,
    /// x86-64 with AVX2: 4 counters per 256-bit vector.
    Avx2,
    /// The build's baseline target (SSE2 on x86-64).
    Portable,
}

impl Path {
    /// Every path, fastest first.
    pub const ALL: [Path; 3] = [Path::Avx512, Path::Avx2, Path::Portable];

    /// The path's name: `avx512`, `avx2` or `portable`.
    pub fn name(self) -> &'static str {
        match self {
            Path::Avx512 => "avx512",
            Path::Avx2 => "avx2",
            Path::Portable => "portable",
        }
    }

    /// Whether this CPU can run the path.
    pub fn is_available(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            Path::Avx512 => {
                is_x86_feature_detected!("avx512f")
                    && is_x86_feature_detected!("avx512dq")
                    && is_x86_feature_detected!("avx512vl")
                    && is_x86_feature_detected!("avx512bw")
            }
            #[cfg(target_arch = "x86_64")]
            Path::Avx2 => is_x86_feature_detected!("avx2"),
            Path::Portable => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    fn index(self) -> u8 {
        match self {
            Path::Avx512 => 1,
            Path::Avx2 => 2,
            Path::Portable => 3,
        }
    }
}

/// The paths this CPU can run, fastest first.
pub fn available() -> Vec<Path> {
    Path::ALL.into_iter().filter(|p| p.is_available()).collect()
}

/// The path random generation uses: the fastest available one, unless `TESSERA_RNG_PATH`
/// names another available path. Decided on first use and cached.
pub fn selected() -> Path {
    static SELECTED: AtomicU8 = AtomicU8::new(0);
    let cached = SELECTED.load(Ordering::Relaxed);
    if let Some(p) = Path::ALL.into_iter().find(|p| p.index() == cached) {
        return p;
    }
    let wanted = std::env::var("TESSERA_RNG_PATH").ok();
    let path = Path::ALL
        .into_iter()
        .find(|p| p.is_available() && wanted.as_deref().is_none_or(|w| w.eq_ignore_ascii_case(p.name())))
        .unwrap_or(Path::Portable);
    SELECTED.store(path.index(), Ordering::Relaxed);
    path
}

/// A block kernel: the values of one distribution of one stream.
pub trait Kernel: Copy {
    /// The element type.
    type Out: Copy + Default;
    /// `block` fills whole multiples of this many elements.
    const BLOCK: usize;
    /// Elements `2j` and `2j + 1` are computed together, so blocks start at even indices.
    const PAIRED: bool;
    /// Elements `first..first + out.len()`, with `out.len()` a multiple of `BLOCK`. `NATIVE`:
    /// the target converts `u64` to `f64` in one instruction (AVX-512DQ).
    fn block<const NATIVE: bool>(self, first: u64, out: &mut [Self::Out]);
    /// Element `i` alone (the scalar reference, and heads and tails of blocks).
    fn one(self, i: u64) -> Self::Out;
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw")]
fn block_avx512<K: Kernel>(kernel: K, first: u64, out: &mut [K::Out]) {
    kernel.block::<true>(first, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn block_avx2<K: Kernel>(kernel: K, first: u64, out: &mut [K::Out]) {
    kernel.block::<false>(first, out)
}

/// Fills `out` (a multiple of `K::BLOCK` long) with elements `first..` on `path`. An
/// unavailable path falls back to `Portable`.
pub fn run_blocks<K: Kernel>(path: Path, kernel: K, first: u64, out: &mut [K::Out]) {
    debug_assert!(out.len().is_multiple_of(K::BLOCK));
    match path {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the CPU supports AVX-512 F/DQ/VL/BW (checked at run time).
        Path::Avx512 if path.is_available() => unsafe { block_avx512(kernel, first, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the CPU supports AVX2 (checked at run time).
        Path::Avx2 if path.is_available() => unsafe { block_avx2(kernel, first, out) },
        _ => kernel.block::<false>(first, out),
    }
}

/// The longest `Kernel::BLOCK`.
const MAX_BLOCK: usize = 32;

/// Fills `out` with elements `first, first + 1, ...`: a scalar head (one element, when a
/// paired kernel starts at an odd index), whole blocks on `path`, and the tail cut from one
/// more block (rows of a chunk are short runs: for 100-element rows, computing the tail one
/// element at a time made a normal 60% slower).
pub fn fill<K: Kernel>(path: Path, kernel: K, first: u64, out: &mut [K::Out]) {
    let (head, rest) = out.split_at_mut(usize::from(K::PAIRED && first & 1 == 1).min(out.len()));
    if let [h] = head {
        *h = kernel.one(first);
    }
    let start = first.wrapping_add(head.len() as u64);
    let whole = rest.len() / K::BLOCK * K::BLOCK;
    let (body, tail) = rest.split_at_mut(whole);
    if !body.is_empty() {
        run_blocks(path, kernel, start, body);
    }
    if !tail.is_empty() {
        debug_assert!(K::BLOCK <= MAX_BLOCK);
        let mut block = [K::Out::default(); MAX_BLOCK];
        run_blocks(path, kernel, start.wrapping_add(whole as u64), &mut block[..K::BLOCK]);
        tail.copy_from_slice(&block[..tail.len()]);
    }
}
