//! Counter-based sampling of random arrays.
//!
//! Element `i` of a random array is a pure function of `(seed, stream, i)`: it is computed
//! from one Philox4x32-10 call on a counter derived from `i` and `stream`, keyed by `seed`.
//! Nothing is carried from one element to the next, so any chunk or slice is generated
//! directly from its first index, in any order and on any thread, and an array has
//! identical values under every chunking. The mapping below is part of the format: changing
//! it changes every seeded array, so it is fixed forever.
//!
//! Element `i` uses `philox4x32_10([lo(i/2), hi(i/2), lo(stream), hi(stream)], [lo(seed),
//! hi(seed)])`; output words `w0..w3` give `a = w0 | w1 << 32` and `b = w2 | w3 << 32`.
//! Each call therefore serves the pair of elements `2j` (from `a`) and `2j + 1` (from `b`).

use super::philox::philox4x32_10;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Identifies one random array: the generator's seed and the draw number of that generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StreamKey {
    /// The generator's seed (the Philox key).
    pub seed: u64,
    /// Which draw of that generator this array is (the high half of the Philox counter).
    pub stream: u64,
}

/// A distribution and its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Uniform on `[low, high)`. As in numpy, `low + (high - low) * u` is rounded, so when
    /// `|low|` is much larger than `high - low` a value can round up to `high` itself.
    Uniform { low: f64, high: f64 },
    /// Normal with mean `loc` and standard deviation `scale`.
    Normal { loc: f64, scale: f64 },
    /// Integers uniform on `[low, high)`; the caller guarantees `high > low`.
    Integers { low: i64, high: i64 },
}

/// 2^-53: scales a 53-bit integer to a float in [0, 1).
const TWO_POW_NEG_53: f64 = 1.0 / (1u64 << 53) as f64;

/// The two 64-bit outputs `(a, b)` of Philox for pair index `j` (elements `2j`, `2j + 1`).
#[inline(always)]
fn pair(key: StreamKey, j: u64) -> (u64, u64) {
    let w = philox4x32_10(
        [
            j as u32,
            (j >> 32) as u32,
            key.stream as u32,
            (key.stream >> 32) as u32,
        ],
        [key.seed as u32, (key.seed >> 32) as u32],
    );
    (
        w[0] as u64 | (w[1] as u64) << 32,
        w[2] as u64 | (w[3] as u64) << 32,
    )
}

/// Fills `out` with elements `first, first + 1, ...`, where `f(a, b)` maps the Philox output
/// of a pair to its (even element, odd element). An odd `first` produces one leading element,
/// then whole pairs (one Philox call each), then at most one trailing element.
#[inline(always)]
fn fill_with<T, F: Fn(u64, u64) -> (T, T)>(key: StreamKey, first: u64, out: &mut [T], f: F) {
    let mut j = first / 2;
    let rest = if first % 2 == 1 {
        let Some((head, tail)) = out.split_first_mut() else {
            return;
        };
        let (a, b) = pair(key, j);
        *head = f(a, b).1;
        j = j.wrapping_add(1);
        tail
    } else {
        out
    };
    let mut pairs = rest.chunks_exact_mut(2);
    for p in &mut pairs {
        let (a, b) = pair(key, j);
        let (x, y) = f(a, b);
        p[0] = x;
        p[1] = y;
        j = j.wrapping_add(1);
    }
    if let [last] = pairs.into_remainder() {
        let (a, b) = pair(key, j);
        *last = f(a, b).0;
    }
}

/// Lemire's multiply-high map of a 64-bit word onto `[low, high)`. There is no rejection
/// step, so the value stays a pure function of the index; the price is a bias below
/// `span / 2^64`: each value is hit by floor or ceil of `2^64 / span` of the 2^64 words.
#[inline(always)]
fn int_in_range(u: u64, low: i64, span: u64) -> i64 {
    let off = ((u as u128 * span as u128) >> 64) as u64;
    // low + off lies in [low, high) and so fits in i64; wrapping add yields it exactly.
    low.wrapping_add(off as i64)
}

/// Fills `out` with elements `first, first + 1, ...` of the float stream of `key` under
/// `dist` (Uniform or Normal). Integers is a caller bug: it trips a `debug_assert`, and in
/// release builds the integer values are written converted to `f64`.
pub fn fill_f64(key: StreamKey, dist: Distribution, first: u64, out: &mut [f64]) {
    match dist {
        Distribution::Uniform { low, high } => {
            let width = high - low;
            fill_with(key, first, out, |a, b| {
                let ua = (a >> 11) as f64 * TWO_POW_NEG_53;
                let ub = (b >> 11) as f64 * TWO_POW_NEG_53;
                (low + width * ua, low + width * ub)
            });
        }
        Distribution::Normal { loc, scale } => {
            // Box–Muller on the pair: u1 in (0, 1] so ln(u1) is finite, u2 in [0, 1).
            fill_with(key, first, out, |a, b| {
                let u1 = ((a >> 11) + 1) as f64 * TWO_POW_NEG_53;
                let u2 = (b >> 11) as f64 * TWO_POW_NEG_53;
                let r = (-2.0 * u1.ln()).sqrt();
                let t = 2.0 * std::f64::consts::PI * u2;
                (loc + scale * (r * t.cos()), loc + scale * (r * t.sin()))
            });
        }
        Distribution::Integers { low, high } => {
            debug_assert!(false, "fill_f64 called with an Integers distribution");
            let span = (high as i128 - low as i128) as u64;
            fill_with(key, first, out, |a, b| {
                (
                    int_in_range(a, low, span) as f64,
                    int_in_range(b, low, span) as f64,
                )
            });
        }
    }
}

/// Fills `out` with elements `first, first + 1, ...` of the Integers stream of `key`.
/// A float distribution is a caller bug: it trips a `debug_assert`, and in release builds
/// `out` is filled with zeros.
pub fn fill_i64(key: StreamKey, dist: Distribution, first: u64, out: &mut [i64]) {
    match dist {
        Distribution::Integers { low, high } => {
            debug_assert!(high > low, "Integers needs high > low");
            let span = (high as i128 - low as i128) as u64;
            fill_with(key, first, out, |a, b| {
                (int_in_range(a, low, span), int_in_range(b, low, span))
            });
        }
        _ => {
            debug_assert!(false, "fill_i64 called with a float distribution");
            out.fill(0);
        }
    }
}

/// A fresh unpredictable seed, as numpy draws for unseeded generators. A per-process base
/// comes from `RandomState` (keyed from OS randomness, different in every process) hashed with the current
/// time and process id; each call adds a global counter times an odd constant and applies a
/// bijective mixer, so two calls in one process never return the same seed.
pub fn fresh_seed() -> u64 {
    static BASE: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = *BASE.get_or_init(|| {
        let mut h = RandomState::new().build_hasher();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map(|d| d.as_nanos()).unwrap_or(0).hash(&mut h);
        std::process::id().hash(&mut h);
        h.finish()
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // SplitMix64's finalizer: a bijection on u64, so distinct inputs give distinct seeds.
    let mut z = base.wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;
    use Distribution::*;

    const KEY: StreamKey = StreamKey {
        seed: 0x0123_4567_89AB_CDEF,
        stream: 0x1_0000_0007,
    };
    const ZERO: StreamKey = StreamKey { seed: 0, stream: 0 };
    const U01: Distribution = uni(0.0, 1.0);
    const N01: Distribution = norm(0.0, 1.0);
    const fn uni(low: f64, high: f64) -> Distribution {
        Uniform { low, high }
    }
    const fn norm(loc: f64, scale: f64) -> Distribution {
        Normal { loc, scale }
    }
    const N: usize = 1_000_000;
    const KS_CRIT: f64 = 1.9495; // one-sample KS at alpha = 0.001, to divide by sqrt(n)

    fn floats(key: StreamKey, dist: Distribution, first: u64, n: usize) -> Vec<f64> {
        let mut v = vec![0.0; n];
        fill_f64(key, dist, first, &mut v);
        v
    }

    fn ints(key: StreamKey, low: i64, high: i64, first: u64, n: usize) -> Vec<i64> {
        let mut v = vec![0; n];
        fill_i64(key, Integers { low, high }, first, &mut v);
        v
    }

    /// Elements `[first, first + n)` as raw bits, so every distribution compares exactly.
    fn bits(key: StreamKey, dist: Distribution, first: u64, n: usize) -> Vec<u64> {
        match dist {
            Integers { low, high } => ints(key, low, high, first, n)
                .into_iter()
                .map(|x| x as u64)
                .collect(),
            _ => floats(key, dist, first, n)
                .into_iter()
                .map(f64::to_bits)
                .collect(),
        }
    }

    #[test]
    fn definition_pinned_to_philox_kat() {
        // seed 0, stream 0, pair 0 is Philox(ctr 0, key 0) = Random123's known answer
        // 6627e8d5 e169c58d bc57ac4c 9b00dbd8: a = 0xe169c58d6627e8d5, b = 0x9b00dbd8bc57ac4c.
        assert_eq!(
            floats(ZERO, U01, 0, 2),
            [0.8805201978886142, 0.6054818538799213]
        );
        let z = floats(ZERO, N01, 0, 2);
        assert!((z[0] + 0.39766753844418223).abs() < 1e-15, "{z:?}");
        assert!((z[1] + 0.310395478801738).abs() < 1e-15, "{z:?}");
        assert_eq!(ints(ZERO, -3, 4, 0, 2), [3, 1]);
        let ext = ints(ZERO, i64::MIN, i64::MAX, 0, 2);
        assert_eq!(ext, [7019358705328580820, 1945796762943335499]);
        // Counter layout: element 2 (2^32 + 5) + 1 is b of ctr [5, 1, lo(stream), hi(stream)].
        let w = philox4x32_10([5, 1, 7, 1], [0x89AB_CDEF, 0x0123_4567]);
        let b = w[2] as u64 | (w[3] as u64) << 32;
        let got = floats(KEY, U01, 2 * ((1 << 32) + 5) + 1, 1);
        assert_eq!(got, [(b >> 11) as f64 * TWO_POW_NEG_53]);
    }

    #[test]
    fn chunk_invariance() {
        let dists = [
            uni(-2.0, 5.0),
            norm(1.5, 3.0),
            Integers {
                low: -1_000_000_007,
                high: 1 << 40,
            },
        ];
        let n = 1001;
        let patterns: [&[usize]; 4] = [
            &[0, 1, 2, 3, 10, 11, 500, 999, 1000, 1001],
            &[0, 333, 334, 667, 1001],
            &[0, 7, 8, 9, 64, 127, 128, 1001],
            &[0, 0, 1, 1001, 1001],
        ];
        for dist in dists {
            for base in [0u64, 1, (1 << 40) + 1, u64::MAX - 2000] {
                let whole = bits(KEY, dist, base, n);
                for splits in patterns {
                    let mut pieces = Vec::new();
                    for w in splits.windows(2) {
                        pieces.extend(bits(KEY, dist, base + w[0] as u64, w[1] - w[0]));
                    }
                    assert_eq!(pieces, whole, "{dist:?} base {base} splits {splits:?}");
                }
                let singles: Vec<u64> = (0..n as u64)
                    .flat_map(|i| bits(KEY, dist, base + i, 1))
                    .collect();
                assert_eq!(singles, whole, "{dist:?} base {base} one at a time");
            }
        }
    }

    #[test]
    fn keys_seeds_and_streams() {
        let other_seed = StreamKey {
            seed: KEY.seed + 1,
            ..KEY
        };
        let other_stream = StreamKey {
            stream: KEY.stream + 1,
            ..KEY
        };
        let x = floats(KEY, U01, 0, 256);
        assert_eq!(x, floats(KEY, U01, 0, 256));
        for other in [other_seed, other_stream, ZERO] {
            let y = floats(other, U01, 0, 256);
            assert!(x.iter().zip(&y).all(|(a, b)| a != b), "{other:?}");
        }
        let i = ints(KEY, i64::MIN, i64::MAX, 0, 64);
        assert_ne!(i, ints(other_seed, i64::MIN, i64::MAX, 0, 64));
        assert_ne!(i, ints(other_stream, i64::MIN, i64::MAX, 0, 64));
    }

    /// One-sample Kolmogorov–Smirnov statistic of `x` (sorted in place) against `cdf`.
    fn ks(x: &mut [f64], cdf: impl Fn(f64) -> f64) -> f64 {
        x.sort_unstable_by(f64::total_cmp);
        let n = x.len() as f64;
        let mut d: f64 = 0.0;
        for (i, &v) in x.iter().enumerate() {
            let f = cdf(v);
            d = d.max((i as f64 + 1.0) / n - f).max(f - i as f64 / n);
        }
        d
    }

    fn mean_std(x: &[f64]) -> (f64, f64) {
        let n = x.len() as f64;
        let m = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
        (m, var.sqrt())
    }

    #[test]
    fn uniform_statistics() {
        let x = floats(KEY, uni(-2.0, 5.0), 0, N);
        assert!(x.iter().all(|&v| (-2.0..5.0).contains(&v)));
        let mut u = floats(KEY, U01, 0, N);
        assert!(u.iter().all(|&v| (0.0..1.0).contains(&v)));
        let (n, sigma) = (N as f64, (1.0f64 / 12.0).sqrt());
        let (m, s) = mean_std(&u);
        assert!((m - 0.5).abs() < 4.0 * sigma / n.sqrt(), "mean {m}");
        // SE of the sample std: sqrt((mu4 - sigma^4) / n) / (2 sigma), with mu4 = 1/80.
        let se_s = ((1.0 / 80.0 - 1.0 / 144.0) / n).sqrt() / (2.0 * sigma);
        assert!((s - sigma).abs() < 4.0 * se_s, "std {s}");
        let d = ks(&mut u, |v| v.clamp(0.0, 1.0));
        assert!(d < KS_CRIT / n.sqrt(), "KS D = {d}");
    }

    // W. J. Cody (1969), "Rational Chebyshev approximations for the error function", Math.
    // Comp. 23; coefficients (published digits) as in Netlib SPECFUN CALERF. Error ~1e-15.
    #[rustfmt::skip]
    mod cody {
        pub const A: [f64; 5] = [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
        pub const B: [f64; 4] = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
        pub const C: [f64; 9] = [5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2, 8.81952221241769090e2, 1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8];
        pub const D: [f64; 8] = [1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3];
        pub const P: [f64; 6] = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
        pub const Q: [f64; 5] = [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
    }
    use cody::*;

    fn erfc(x: f64) -> f64 {
        let y = x.abs();
        if y <= 0.46875 {
            let z = y * y;
            let num = (((A[4] * z + A[0]) * z + A[1]) * z + A[2]) * z + A[3];
            let den = (((z + B[0]) * z + B[1]) * z + B[2]) * z + B[3];
            return 1.0 - x * num / den;
        }
        let r = if y <= 4.0 {
            let (mut num, mut den) = (C[8] * y, y);
            for i in 0..7 {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            (num + C[7]) / (den + D[7])
        } else {
            let z = 1.0 / (y * y);
            let (mut num, mut den) = (P[5] * z, z);
            for i in 0..4 {
                num = (num + P[i]) * z;
                den = (den + Q[i]) * z;
            }
            (0.5641895835477563 - z * (num + P[4]) / (den + Q[4])) / y // 1/sqrt(pi) - ...
        };
        let e = (-y * y).exp() * r;
        if x < 0.0 {
            2.0 - e
        } else {
            e
        }
    }

    fn phi(x: f64) -> f64 {
        0.5 * erfc(-x / std::f64::consts::SQRT_2)
    }

    #[test]
    fn normal_cdf_accuracy() {
        let known = [
            (0.0, 0.5),
            (1.0, 0.8413447460685429),
            (-1.0, 0.15865525393145707),
            (2.0, 0.9772498680518208),
            (-3.0, 0.0013498980316300946),
            (1.96, 0.9750021048517795),
            (0.3, 0.6179114221889526),
            (5.0, 0.9999997133484281),
        ];
        for (x, p) in known {
            assert!((phi(x) - p).abs() < 1e-12, "Phi({x}) = {} vs {p}", phi(x));
        }
        assert!((phi(-6.0) / 9.865876450377e-10 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn normal_statistics() {
        let mut z = floats(KEY, N01, 0, N);
        assert!(z.iter().all(|v| v.is_finite()));
        let shifted = floats(KEY, norm(10.0, 3.0), 0, N);
        assert!(z.iter().zip(&shifted).all(|(a, b)| *b == 10.0 + 3.0 * a));
        let n = N as f64;
        let (m, s) = mean_std(&z);
        assert!(m.abs() < 4.0 / n.sqrt(), "mean {m}");
        assert!((s - 1.0).abs() < 4.0 / (2.0 * n).sqrt(), "std {s}");
        let (m, s) = mean_std(&shifted);
        assert!((m - 10.0).abs() < 12.0 / n.sqrt() && (s - 3.0).abs() < 12.0 / (2.0 * n).sqrt());
        let d = ks(&mut z, phi);
        assert!(d < KS_CRIT / n.sqrt(), "KS D = {d}");
    }

    #[test]
    fn integers_statistics_and_extremes() {
        let v = ints(KEY, -3, 4, 0, 700_000);
        let mut counts = [0u64; 7];
        for &x in &v {
            assert!((-3..4).contains(&x));
            counts[(x + 3) as usize] += 1;
        }
        let e = v.len() as f64 / 7.0;
        let chi2: f64 = counts.iter().map(|&c| (c as f64 - e).powi(2) / e).sum();
        assert!(chi2 < 22.458, "chi2 = {chi2}, counts {counts:?}"); // 6 dof, alpha = 0.001
        let w = ints(KEY, i64::MIN, i64::MAX, 3, 100_000);
        assert!(w.iter().all(|&x| x < i64::MAX));
        let neg = w.iter().filter(|&&x| x < 0).count();
        assert!((49_000..51_000).contains(&neg), "{neg} negatives");
        let t = ints(KEY, i64::MAX - 2, i64::MAX, 0, 1000);
        assert!(t.contains(&(i64::MAX - 2)) && t.contains(&(i64::MAX - 1)));
        assert!(!t.contains(&i64::MAX));
    }

    #[test]
    fn fresh_seeds_differ() {
        let seeds: std::collections::HashSet<u64> = (0..10_000).map(|_| fresh_seed()).collect();
        assert_eq!(seeds.len(), 10_000);
        assert_ne!(fresh_seed(), fresh_seed());
    }
}
