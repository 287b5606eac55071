//! Tests of the sampling API: pinned definition, chunk invariance, code-path identity, statistics.

#![allow(clippy::excessive_precision)]
use super::counter::SplitMix;
use super::math::TWO_POW_NEG_53;
use super::sample::*;
use super::simd::{self, Path};
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

/// The element definition, fixed forever: these values were computed by the scalar reference
/// (`Kernel::one`) and, independently, by a few lines of Python (big integers, `math.log`, the
/// ziggurat's tables read from `ziggurat_tables.rs`) from the definitions in `counter`,
/// `kernels` and `ziggurat`.
#[test]
fn definition_pinned() {
    // Stream (seed 0, stream 0): start 0xe169c58d6627e8d5, gamma 0x9b00dbd8bc57ac4d (from
    // Random123's Philox KAT, see counter::tests::stream_derivation_pinned).
    assert_eq!(
        floats(ZERO, U01, 0, 3),
        [0.8921367136191379, 0.07879079674395972, 0.6835261986546473]
    );
    assert_eq!(
        floats(ZERO, N01, 0, 3),
        [-1.6568951177721918, 0.12046070742221014, 1.0927436387850245]
    );
    assert_eq!(ints(ZERO, -3, 4, 0, 4), [3, -3, 1, 1]);
    assert_eq!(
        ints(ZERO, i64::MIN, i64::MAX, 0, 2),
        [7233645598037773646, -7769938373955282428]
    );
    // Far, odd indices of another stream (counter above 2^32).
    let far = 2 * ((1u64 << 32) + 5) + 1;
    assert_eq!(
        floats(KEY, N01, far, 2),
        [-0.5363847865770687, -0.7537005355625594]
    );
    // The ziggurat's slow path: element 372 of KEY falls in a wedge (layer 1010) and is kept;
    // element 21970 is in the base layer beyond R, so drawn from the tail (its value goes
    // through `ln`: Python's may differ in the last bit).
    assert_eq!(floats(KEY, N01, 372, 1), [0.36623109898177536]);
    assert!((floats(KEY, N01, 21970, 1)[0] - -4.063441842503471).abs() < 1e-15);
    assert_eq!(
        floats(KEY, uni(-2.0, 5.0), far, 2),
        [0.397392022583837, 2.4946544176956564]
    );
    assert_eq!(ints(KEY, 0, 1_000_000, far, 2), [342484, 642093]);
    // The formulas, against the stream's words (exactly; for the normal, words that the
    // ziggurat's fast path takes: layer i = w & 1023, sign bit 10, x = (w >> 11) 2^-53 X[i]).
    let s = SplitMix::new(KEY);
    for i in [0u64, 1, 17, far, u64::MAX - 1] {
        let w = s.word(i);
        assert_eq!(floats(KEY, U01, i, 1), [(w >> 11) as f64 * TWO_POW_NEG_53]);
        let x = (w >> 11) as f64 * TWO_POW_NEG_53 * super::ziggurat_tables::X[(w & 1023) as usize];
        let z = if w >> 10 & 1 == 1 { -x } else { x };
        assert_eq!(floats(KEY, N01, i, 1), [z], "{i}");
        let w = ((s.word(i) as u128 * 1_000_000) >> 64) as i64;
        assert_eq!(ints(KEY, 0, 1_000_000, i, 1), [w]);
    }
}

/// Every code path gives the same bits as the scalar reference, for every distribution,
/// at any start (odd, near 2^64) and length (heads, whole blocks, tails).
#[test]
fn code_paths_are_bit_identical() {
    let dists = [
        uni(-2.0, 5.0),
        uni(1e300, 1e300 + 1e290),
        norm(1.5, 3.0),
        N01,
        Integers {
            low: -5,
            high: 1000,
        },
        Integers {
            low: i64::MIN,
            high: i64::MAX,
        },
        Integers {
            low: -1 << 40,
            high: 1 << 40,
        },
    ];
    let paths = simd::available();
    assert!(paths.contains(&Path::Portable) && paths.contains(&simd::selected()));
    for dist in dists {
        for (first, n) in [
            (0u64, 4099usize),
            (1, 4099),
            (7, 33),
            ((1 << 40) + 3, 1000),
            (u64::MAX - 1000, 1001),
            (5, 0),
            (9, 1),
        ] {
            let reference = one_by_one(KEY, dist, first, n);
            for &path in &paths {
                let got = match dist {
                    Integers { .. } => {
                        let mut v = vec![0; n];
                        fill_i64_with(path, KEY, dist, first, &mut v);
                        v.into_iter().map(|x| x as u64).collect::<Vec<_>>()
                    }
                    _ => {
                        let mut v = vec![0.0; n];
                        fill_f64_with(path, KEY, dist, first, &mut v);
                        v.into_iter().map(f64::to_bits).collect()
                    }
                };
                assert_eq!(
                    got,
                    reference,
                    "{} {dist:?} first {first} n {n}",
                    path.name()
                );
            }
        }
    }
}

/// The scalar reference: each element on its own (`Kernel::one`, through the tails of
/// one-element fills).
fn one_by_one(key: StreamKey, dist: Distribution, first: u64, n: usize) -> Vec<u64> {
    (0..n as u64)
        .flat_map(|i| bits(key, dist, first.wrapping_add(i), 1))
        .collect()
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
    pub const A: [f64; 5] = [
        3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3,
        1.85777706184603153e-1,
    ];
    pub const B: [f64; 4] = [
        2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3,
    ];
    pub const C: [f64; 9] = [
        5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2,
        8.81952221241769090e2, 1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3,
        2.15311535474403846e-8,
    ];
    pub const D: [f64; 8] = [
        1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3,
        3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
    ];
    pub const P: [f64; 6] = [
        3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
        1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2,
    ];
    pub const Q: [f64; 5] = [
        2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1,
        6.05183413124413191e-2, 2.33520497626869185e-3,
    ];
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

/// Tail frequencies of 4e6 standard normals: beyond ±2, ±3, ±4 and ±5 sigma within 4 standard
/// errors (binomial) of the exact probability (beyond 4.04, the ziggurat's tail method draws).
#[test]
fn normal_tails() {
    let n = 4_000_000;
    let z = floats(KEY, N01, 1 << 33, n);
    for (k, p) in [
        (2.0, 0.04550026389635842),
        (3.0, 0.0026997960632601866),
        (4.0, 6.334248366623996e-05),
        (5.0, 5.733031437583878e-07),
    ] {
        let count = z.iter().filter(|v| v.abs() > k).count() as f64;
        let expected = p * n as f64;
        let se = (expected * (1.0 - p)).sqrt();
        assert!(
            (count - expected).abs() < 4.0 * se + 1.0,
            "beyond {k} sigma: {count} vs {expected:.1}"
        );
    }
    // Beyond R both signs occur.
    let r = super::ziggurat_tables::R;
    assert!(z.iter().any(|&v| v > r) && z.iter().any(|&v| v < -r));
}

/// The whole shape, finely: 4e6 standard normals in 200 equiprobable bins (by the exact CDF),
/// a chi-square test at alpha = 0.001. A wrong layer edge of the ziggurat shows here.
#[test]
fn normal_fine_histogram() {
    let n = 4_000_000;
    let bins = 200;
    let mut counts = vec![0u64; bins];
    for v in floats(KEY, N01, 7 << 40, n) {
        counts[((phi(v) * bins as f64) as usize).min(bins - 1)] += 1;
    }
    let e = n as f64 / bins as f64;
    let chi2: f64 = counts.iter().map(|&c| (c as f64 - e).powi(2) / e).sum();
    assert!(chi2 < 266.4, "chi2 = {chi2} (199 dof)");
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
