//! Run-time choice of the instruction set for the engine's hot loops.
//!
//! A kernel written as plain Rust that LLVM vectorizes is compiled once per [`Path`]: with
//! AVX-512 (`avx512f,avx512dq,avx512vl,avx512bw`), with AVX2, and for the build's baseline
//! target (SSE2 on x86-64; the only path on other architectures). The best path the CPU
//! supports is detected once (`is_x86_feature_detected!`) and cached; the environment variable
//! `TESSERA_SIMD_PATH` (`avx512`, `avx2`, `portable`) can ask for a slower one, for
//! measurements. Kernels use only operations whose results do not depend on the vector width
//! (no fused multiply-add, a fixed order of operations), so every path gives the same bits.
//!
//! # Examples
//!
//! ```
//! use tessera::simd::{self, Path};
//!
//! assert!(simd::available().contains(&Path::Portable));
//! // The same sum on the best path: the lanes add in the same order on every path.
//! let total = simd::vectorized(#[inline(always)] || (0..64).map(f64::from).sum::<f64>());
//! assert_eq!(total, 2016.0);
//! ```

use std::sync::atomic::{AtomicU8, Ordering};

/// A code path: the instruction set a vectorized kernel is compiled for.
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

/// The path vectorized kernels use: the fastest available one, unless `TESSERA_SIMD_PATH`
/// names another available path. Decided on first use and cached.
pub fn selected() -> Path {
    static SELECTED: AtomicU8 = AtomicU8::new(0);
    let cached = SELECTED.load(Ordering::Relaxed);
    if let Some(p) = Path::ALL.into_iter().find(|p| p.index() == cached) {
        return p;
    }
    let wanted = std::env::var("TESSERA_SIMD_PATH").ok();
    let path = Path::ALL
        .into_iter()
        .find(|p| {
            p.is_available()
                && wanted
                    .as_deref()
                    .is_none_or(|w| w.eq_ignore_ascii_case(p.name()))
        })
        .unwrap_or(Path::Portable);
    SELECTED.store(path.index(), Ordering::Relaxed);
    path
}

/// Runs `f` compiled for the [`selected`] path's instruction set: the cheap way to give a hot
/// loop the widest vectors without writing it once per path. Mark the closure
/// `#[inline(always)]` (and what it calls): only code inlined into the path's wrapper is
/// compiled for its instruction set.
#[inline(always)]
pub fn vectorized<R>(f: impl FnOnce() -> R) -> R {
    match selected() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `selected` returns only paths the CPU supports (checked at run time).
        Path::Avx512 => unsafe { on_avx512(f) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Path::Avx2 => unsafe { on_avx2(f) },
        _ => f(),
    }
}

/// `f()` compiled with AVX-512 F/DQ/VL/BW.
///
/// # Safety
/// The CPU must support them ([`Path::is_available`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw")]
pub unsafe fn on_avx512<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// `f()` compiled with AVX2.
///
/// # Safety
/// The CPU must support AVX2 ([`Path::is_available`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub unsafe fn on_avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}
