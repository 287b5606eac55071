//! The per-element definitions of the distributions, and their block kernels.
//!
//! Each distribution is defined element by element (the `one` methods, the scalar
//! reference); the `block` methods compute the same values for [`LANES`] counters at a time
//! in plain Rust that LLVM vectorizes, and are compiled once per code path by
//! [`super::simd`]. Only exact operations and correctly rounded `+ - * / sqrt` are used (see
//! [`super::math`]), so blocks, scalar tails and every code path give the same bits.
//!
//! With `w(i)` the stream's word `i` ([`SplitMix::word`]) and `u(w) = (w >> 11) 2^-53`:
//!
//! * **Uniform** `[low, high)`: element `i` is `low + (high - low) * u(w(i))`.
//! * **Normal**: element `i` is `loc + scale * z(w(i))`, with `z` the standard normal of one
//!   word by the ziggurat of [`super::ziggurat`].
//! * **Integers** `[low, high)`: element `i` is `low + ⌊w(i) (high - low) / 2^64⌋`.

use super::counter::{mix64, SplitMix};
pub use super::math::unit;
use super::simd::Kernel;
use super::ziggurat;

/// Counters per block step: one 512-bit vector of `u64`.
pub const LANES: usize = 8;

/// `x`, opaque to the optimizer. Called once per block step, it keeps LLVM's loop
/// vectorizer from vectorizing *across* block steps (it then packs lane `k` of 8 consecutive
/// steps into one vector and stores with scatters, 3× slower), so the lanes of one step are
/// vectorized together instead. Costs one register spill per step; changes no value.
#[inline(always)]
fn lanes_only(x: u64) -> u64 {
    std::hint::black_box(x)
}

/// `out[k] = map(w(first + k))` for whole blocks of [`LANES`] words: the counters of one
/// block step advance together, so the lanes vectorize (the shared loop of the one-word
/// distributions).
#[inline(always)]
fn word_blocks<T: Copy + Default>(
    stream: SplitMix,
    first: u64,
    out: &mut [T],
    map: impl Fn(u64) -> T,
) {
    let step = stream.gamma.wrapping_mul(LANES as u64);
    let mut st: [u64; LANES] = std::array::from_fn(|k| stream.state(first.wrapping_add(k as u64)));
    for chunk in out.chunks_exact_mut(LANES) {
        let step = lanes_only(step);
        let mut v = [T::default(); LANES];
        for (o, s) in v.iter_mut().zip(st.iter_mut()) {
            *o = map(mix64(*s));
            *s = s.wrapping_add(step);
        }
        chunk.copy_from_slice(&v);
    }
}

/// `⌊w span / 2^64⌋`, the high word of the 128-bit product (Lemire's multiply-high map).
/// For `span < 2^32` (the common case) it is computed from two 32×32→64 products, which
/// vectorize; wider spans use the 64×64→128 multiply. Both are exact.
#[inline(always)]
pub fn mul_high(w: u64, span: u64) -> u64 {
    if span >> 32 == 0 {
        // w span = (w1 2^32 + w0) span; w1 span + ((w0 span) >> 32) < 2^64 does not overflow.
        ((w >> 32) * span + (((w & 0xFFFF_FFFF) * span) >> 32)) >> 32
    } else {
        ((w as u128 * span as u128) >> 64) as u64
    }
}

/// Uniform floats on `[low, low + width)`.
#[derive(Debug, Clone, Copy)]
pub struct Uniform {
    pub stream: SplitMix,
    pub low: f64,
    pub width: f64,
}

impl Kernel for Uniform {
    type Out = f64;
    const BLOCK: usize = LANES;

    #[inline(always)]
    fn block<const NATIVE: bool>(self, first: u64, out: &mut [f64]) {
        word_blocks(self.stream, first, out, |w| {
            self.low + self.width * unit::<NATIVE>(w)
        });
    }

    #[inline(always)]
    fn one(self, i: u64) -> f64 {
        self.low + self.width * unit::<false>(self.stream.word(i))
    }
}

/// Normal floats with mean `loc` and standard deviation `scale`.
#[derive(Debug, Clone, Copy)]
pub struct Normal {
    pub stream: SplitMix,
    pub loc: f64,
    pub scale: f64,
}

impl Kernel for Normal {
    type Out = f64;
    const BLOCK: usize = LANES;

    /// The fast path of the ziggurat on every lane; the rare lanes it does not accept (0.4% of
    /// elements, so about one block step in thirty) are then redone by the scalar slow path.
    #[inline(always)]
    fn block<const NATIVE: bool>(self, first: u64, out: &mut [f64]) {
        let step = self.stream.gamma.wrapping_mul(LANES as u64);
        let mut st: [u64; LANES] =
            std::array::from_fn(|k| self.stream.state(first.wrapping_add(k as u64)));
        for chunk in out.chunks_exact_mut(LANES) {
            let step = lanes_only(step);
            let mut words = [0u64; LANES];
            let mut values = [0.0; LANES];
            let mut inside = [false; LANES];
            for k in 0..LANES {
                words[k] = mix64(st[k]);
                let (z, accepted) = ziggurat::fast::<NATIVE>(words[k]);
                values[k] = self.loc + self.scale * z;
                inside[k] = accepted;
                st[k] = st[k].wrapping_add(step);
            }
            chunk.copy_from_slice(&values);
            if !inside.iter().all(|&accepted| accepted) {
                for k in (0..LANES).filter(|&k| !inside[k]) {
                    chunk[k] = self.loc + self.scale * ziggurat::slow(words[k]);
                }
            }
        }
    }

    #[inline(always)]
    fn one(self, i: u64) -> f64 {
        self.loc + self.scale * ziggurat::standard_normal(self.stream.word(i))
    }
}

/// Integers on `[low, low + span)`, by Lemire's multiply-high map without rejection: each
/// value is hit by `⌊2^64 / span⌋` or `⌈2^64 / span⌉` of the 2^64 words, a relative bias
/// below `span / 2^64`, and the value stays a pure function of the index.
#[derive(Debug, Clone, Copy)]
pub struct Integers {
    pub stream: SplitMix,
    pub low: i64,
    pub span: u64,
}

impl Kernel for Integers {
    type Out = i64;
    const BLOCK: usize = LANES;

    #[inline(always)]
    fn block<const NATIVE: bool>(self, first: u64, out: &mut [i64]) {
        // low + offset lies in [low, high) and so fits in i64: the wrapping add is exact.
        word_blocks(self.stream, first, out, |w| {
            self.low.wrapping_add(mul_high(w, self.span) as i64)
        });
    }

    #[inline(always)]
    fn one(self, i: u64) -> i64 {
        self.low
            .wrapping_add(mul_high(self.stream.word(i), self.span) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_high_is_the_128_bit_high_word() {
        let mut x = 0x0123_4567_89AB_CDEFu64;
        for _ in 0..100_000 {
            x = mix64(x);
            let y = mix64(x ^ 0x5555);
            for (a, b) in [
                (x, y),
                (x, u64::MAX),
                (u64::MAX, y),
                (x, 1),
                (x, y >> 32),
                (x, y >> 40),
                (u64::MAX, y >> 32),
                (x, 0xFFFF_FFFF),
                (x, 1 << 32),
            ] {
                assert_eq!(
                    mul_high(a, b),
                    ((a as u128 * b as u128) >> 64) as u64,
                    "{a:#x} {b:#x}"
                );
            }
        }
        assert_eq!(mul_high(u64::MAX, u64::MAX), u64::MAX - 1);
        assert_eq!(mul_high(u64::MAX, 0xFFFF_FFFF), 0xFFFF_FFFE);
    }
}
