//! Branch-free `ln` and exact integer-to-float conversions, written so LLVM vectorizes them
//! and so every code path (AVX-512, AVX2, portable, scalar tails) gives the same bits.
//!
//! Only exact operations (integer and bit operations, exact conversions) and IEEE-754
//! correctly rounded `+ - * / sqrt` are used, in a fixed order; Rust never contracts
//! `a * b + c` into a fused multiply-add, and nothing here calls `mul_add`. So the results
//! do not depend on the instruction set that computes them.
//!
//! The polynomial is fdlibm's `e_log.c` (Sun Microsystems, 1993; as in musl and FreeBSD's
//! libm). Its error is below one ulp; the tests bound ours against `std`.

/// 2^52 as a float: `from_bits(0x4330_0000_0000_0000 | n) - 2^52 == n` for `n < 2^52`.
const TWO52: f64 = 4_503_599_627_370_496.0;
/// 2^-53: scales a 53-bit integer to `[0, 1)`.
pub const TWO_POW_NEG_53: f64 = 1.0 / 9_007_199_254_740_992.0;

/// `n as f64` for `n <= 2^53` (exact). With `NATIVE` the compiler's conversion is used (one
/// `vcvtuqq2pd` with AVX-512DQ); otherwise two exact magic-number conversions of the halves,
/// which vectorize on SSE2/AVX2 where a 64-bit conversion does not. Both are exact, so both
/// give the same bits.
#[inline(always)]
pub fn u53_to_f64<const NATIVE: bool>(n: u64) -> f64 {
    if NATIVE {
        n as f64
    } else {
        // hi = 2^84 + (n >> 32) * 2^32 and lo = 2^52 + (n & 0xffff_ffff), both exact;
        // (hi - (2^84 + 2^52)) + lo = n, exact for n < 2^53 + 2^32.
        let hi = f64::from_bits(0x4530_0000_0000_0000 | (n >> 32));
        let lo = f64::from_bits(0x4330_0000_0000_0000 | (n & 0xFFFF_FFFF));
        (hi - f64::from_bits(0x4530_0000_0010_0000)) + lo
    }
}

const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000);
const LN2_LO: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76);
const LG1: f64 = f64::from_bits(0x3FE5_5555_5555_5593);
const LG2: f64 = f64::from_bits(0x3FD9_9999_9997_FA04);
const LG3: f64 = f64::from_bits(0x3FD2_4924_9422_9359);
const LG4: f64 = f64::from_bits(0x3FCC_71C5_1D8E_78AF);
const LG5: f64 = f64::from_bits(0x3FC7_4664_96CB_03DE);
const LG6: f64 = f64::from_bits(0x3FC3_9A09_D078_C69F);
const LG7: f64 = f64::from_bits(0x3FC2_F112_DF3E_5244);

/// Natural logarithm of a positive, normal, finite `x` (fdlibm `e_log.c`, branch-free).
///
/// `x = 2^k * m` with `m` in `[sqrt(2)/2, sqrt(2))` is split off by integer operations on
/// the bits (musl's `log1p` reduction); with `f = m - 1` (exact) and `s = f / (2 + f)`,
/// `ln(1 + f) = f - f²/2 + s (f²/2 + R(s²))` with fdlibm's degree-14 minimax `R`, and
/// `k ln 2` is added in two parts. fdlibm's special-case branches (zero, negative,
/// subnormal, infinite, tiny `f`) are dropped: inputs here are normal, and the general
/// formula is accurate for tiny `f` as well.
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    let hu = x
        .to_bits()
        .wrapping_add(0x3FF0_0000_0000_0000 - 0x3FE6_A09E_0000_0000);
    let biased_k = hu >> 52; // k + 1023
    let m = f64::from_bits((hu & 0x000F_FFFF_FFFF_FFFF) + 0x3FE6_A09E_0000_0000);
    let f = m - 1.0;
    let dk = f64::from_bits(0x4330_0000_0000_0000 | biased_k) - (TWO52 + 1023.0);
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let hfsq = 0.5 * f * f;
    dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f)
}

/// `u(w) = (w >> 11) 2^-53`, a float in `[0, 1)` with 53 random bits.
#[inline(always)]
pub fn unit<const NATIVE: bool>(w: u64) -> f64 {
    u53_to_f64::<NATIVE>(w >> 11) * TWO_POW_NEG_53
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in ulps between two finite floats of the same sign.
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    /// A deterministic sequence of 64-bit words for test inputs.
    fn words(n: usize) -> impl Iterator<Item = u64> {
        (0..n as u64).map(|i| super::super::counter::mix64(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
    }

    #[test]
    fn conversions_are_exact() {
        for n in [
            0u64,
            1,
            2,
            (1 << 32) - 1,
            1 << 32,
            (1 << 52) - 1,
            1 << 52,
            (1 << 53) - 1,
            1 << 53,
        ] {
            assert_eq!(u53_to_f64::<false>(n), n as f64, "{n}");
            assert_eq!(u53_to_f64::<true>(n), n as f64, "{n}");
        }
        for w in words(100_000) {
            let n = w >> 11;
            assert_eq!(u53_to_f64::<false>(n).to_bits(), (n as f64).to_bits());
        }
    }

    #[test]
    fn ln_matches_std_within_one_ulp() {
        let mut worst = 0;
        let mut check = |x: f64| {
            let (a, b) = (ln(x), x.ln());
            let e = if a == b { 0 } else { ulps(a, b) };
            assert!(
                e <= 1 || (a - b).abs() <= f64::EPSILON * 0.5 * b.abs().max(1e-300),
                "ln({x:e}) = {a:e}, std {b:e}"
            );
            worst = worst.max(e);
        };
        // The uniforms of the tail and wedge tests: k 2^-53 for k in [1, 2^53], at both ends and in
        // between.
        for k in (1u64..100_000).chain((1 << 53) - 100_000..=(1 << 53)) {
            check(k as f64 * TWO_POW_NEG_53);
        }
        for w in words(1_000_000) {
            check(((w >> 11) + 1) as f64 * TWO_POW_NEG_53);
            check(f64::from_bits(
                0x0010_0000_0000_0000 + w % 0x7FD0_0000_0000_0000,
            )); // any normal
        }
        for x in [
            1.0,
            2.0,
            0.5,
            std::f64::consts::SQRT_2,
            std::f64::consts::FRAC_1_SQRT_2,
            1.0 + f64::EPSILON,
            1.0 - f64::EPSILON / 2.0,
            f64::MIN_POSITIVE,
            f64::MAX,
        ] {
            check(x);
        }
        assert_eq!(ln(1.0), 0.0);
        assert!(worst <= 1, "worst {worst} ulp");
    }
}
