//! Seeded random arrays: chunking invariance, slicing, streams, and statistics.
//!
//! * `random::Rng::new(seed)` draws (`normal`, `uniform`, `integers`) have identical values
//!   under any two chunkings, and any slice of one equals that slice of the whole computation;
//! * different seeds give different values, a second draw from one `Rng` differs from the first,
//!   and a new `Rng` with the same seed repeats the draws; `integers` stay in `[low, high)`;
//! * 1e6 normal and uniform samples pass a one-sample Kolmogorov–Smirnov test (alpha = 0.001)
//!   and have mean and standard deviation within 4 standard errors;
//! * the chunked tree sum of 1e8 standard normals is within 1e-12 × Σ|x| of a compensated
//!   (Neumaier) sum of the same values computed in row blocks.

#[macro_use]
mod common;

use common::*;
use proptest::prelude::*;
use tessera::prelude::*;
use tessera::random::Rng;

/// A random-array recipe: which distribution and its parameters.
#[derive(Debug, Clone, Copy)]
enum Dist {
    Normal(f64, f64),
    Uniform(f64, f64),
    Integers(i64, i64),
}

impl Dist {
    fn draw(self, rng: &Rng, shape: &[usize], chunks: ChunkSpec) -> Array {
        match self {
            Dist::Normal(loc, scale) => rng.normal(loc, scale, shape, chunks),
            Dist::Uniform(low, high) => rng.uniform(low, high, shape, chunks),
            Dist::Integers(low, high) => rng.integers(low, high, shape, chunks),
        }
    }
}

fn dist() -> impl Strategy<Value = Dist> {
    prop_oneof![
        (-5.0f64..5.0, 0.1f64..3.0).prop_map(|(loc, scale)| Dist::Normal(loc, scale)),
        (-5.0f64..5.0, 0.1f64..10.0).prop_map(|(low, width)| Dist::Uniform(low, low + width)),
        (-1000i64..1000, 1i64..2000).prop_map(|(low, span)| Dist::Integers(low, low + span)),
    ]
}

/// A shape of up to 3 axes of length 0..=12, and two chunkings of it.
fn shape_and_two_chunkings() -> impl Strategy<Value = (Vec<usize>, ChunkSpec, ChunkSpec)> {
    prop::collection::vec(0usize..=12, 0..=3).prop_flat_map(|shape| {
        let (a, b) = (chunks_for(&shape), chunks_for(&shape));
        (Just(shape), a, b)
    })
}

proptest! {
    #![proptest_config(config(64))]

    /// The same seed gives the same values under two random chunkings.
    #[test]
    fn values_do_not_depend_on_chunks(seed in any::<u64>(), dist in dist(), (shape, c1, c2) in shape_and_two_chunkings()) {
        let a = dist.draw(&Rng::new(seed), &shape, c1);
        let b = dist.draw(&Rng::new(seed), &shape, c2);
        prop_assert_eq!(a.shape(), &shape[..]);
        let (va, vb) = (a.compute()?, b.compute()?);
        prop_assert_eq!(va.shape(), &shape[..]);
        prop_assert_eq!(va, vb);
    }

    /// A slice of a random array equals the same slice of the full computation.
    #[test]
    fn slices_equal_slices_of_the_whole(seed in any::<u64>(), dist in dist(), (shape, chunks, _) in shape_and_two_chunkings(), raw in raw_index()) {
        let a = dist.draw(&Rng::new(seed), &shape, chunks);
        let whole = a.compute()?.into_data();
        let elems = realize(&raw, &shape);
        check_array(&a.slice(&elems)?, &slice_ref(&whole, &elems))?;
    }

    /// Different seeds give different arrays; a second draw differs from the first; a new
    /// generator with the same seed repeats both draws.
    #[test]
    fn seeds_and_draws_differ(seed in any::<u64>(), other in any::<u64>(), dist in dist(), chunks in 1usize..=10) {
        prop_assume!(seed != other);
        // narrow integer ranges repeat values by chance
        prop_assume!(!matches!(dist, Dist::Integers(low, high) if high - low < 500));
        let n = 64;
        let rng = Rng::new(seed);
        let first = dist.draw(&rng, &[n], chunks.into()).compute()?;
        let second = dist.draw(&rng, &[n], chunks.into()).compute()?;
        let elsewhere = dist.draw(&Rng::new(other), &[n], chunks.into()).compute()?;
        let same = |x: &Computed, y: &Computed| x.to_vec::<f64>().iter().zip(y.to_vec::<f64>()).filter(|(a, b)| **a == *b).count();
        // integers (span >= 500) collide by chance in about 64 / 500 places; floats never
        let allowed = if matches!(dist, Dist::Integers(..)) { n / 4 } else { 0 };
        prop_assert!(same(&first, &second) <= allowed, "second draw repeats the first");
        prop_assert!(same(&first, &elsewhere) <= allowed, "seeds {} and {} agree", seed, other);
        let again = Rng::new(seed);
        prop_assert_eq!(dist.draw(&again, &[n], chunks.into()).compute()?, first);
        prop_assert_eq!(dist.draw(&again, &[n], chunks.into()).compute()?, second);
    }

    /// `integers(low, high)` stays in `[low, high)` and reaches both ends.
    #[test]
    fn integers_stay_in_range(seed in any::<u64>(), low in -50i64..50, span in 1i64..=8, chunks in 1usize..=700) {
        let x = Rng::new(seed).integers(low, low + span, [2000], chunks);
        prop_assert_eq!(x.dtype(), DType::Int64);
        let values = x.compute()?.to_vec::<i64>();
        prop_assert!(values.iter().all(|v| (low..low + span).contains(v)));
        // 2000 draws over at most 8 values: missing one has probability below 1e-100
        prop_assert!(values.contains(&low) && values.contains(&(low + span - 1)));
    }
}

#[test]
fn integers_at_the_ends_of_int64() -> Result<()> {
    let x = Rng::new(9)
        .integers(i64::MIN, i64::MAX, [1000], 300)
        .compute()?
        .to_vec::<i64>();
    assert!(x.iter().all(|&v| v != i64::MAX));
    assert!(x.iter().any(|&v| v < 0) && x.iter().any(|&v| v > 0));
    let one = Rng::new(9)
        .integers(7, 8, [100], 30)
        .compute()?
        .to_vec::<i64>();
    assert!(one.iter().all(|&v| v == 7));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

/// erfc with fractional error below 1.2e-7 (Numerical Recipes' `erfcc`, Chebyshev fit).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.26551223
        + t * (1.00002368
            + t * (0.37409196
                + t * (0.09678418
                    + t * (-0.18628806
                        + t * (0.27886807
                            + t * (-1.13520398
                                + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// The Kolmogorov–Smirnov statistic of `sample` against `cdf`.
fn ks_statistic(mut sample: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    sample.sort_unstable_by(f64::total_cmp);
    let n = sample.len() as f64;
    sample.iter().enumerate().fold(0.0f64, |d, (i, &x)| {
        let f = cdf(x);
        d.max((i + 1) as f64 / n - f).max(f - i as f64 / n)
    })
}

/// The asymptotic KS critical value at level `alpha` for `n` samples.
fn ks_critical(alpha: f64, n: usize) -> f64 {
    (-(alpha / 2.0).ln() / 2.0).sqrt() / (n as f64).sqrt()
}

/// Checks 1e6 samples: KS against `cdf`, and mean / std (computed by tessera) within 4
/// standard errors of `mean` and `sd`; `kurtosis` is the distribution's fourth standardized
/// moment (3 for a normal, 1.8 for a uniform), for the standard error of the sample sd.
fn check_sample(
    x: &Array,
    cdf: impl Fn(f64) -> f64,
    mean: f64,
    sd: f64,
    kurtosis: f64,
) -> Result<()> {
    let n = x.size();
    let d = ks_statistic(x.compute()?.to_vec::<f64>(), cdf);
    let critical = ks_critical(0.001, n);
    assert!(d < critical, "KS statistic {d} >= {critical}");
    let m = x.mean()?.compute()?.to_scalar::<f64>()?;
    let s = x.std(1)?.compute()?.to_scalar::<f64>()?;
    let se_mean = sd / (n as f64).sqrt();
    let se_sd = sd * ((kurtosis - 1.0) / (4.0 * n as f64)).sqrt();
    assert!(
        (m - mean).abs() < 4.0 * se_mean,
        "mean {m}, expected {mean} ± {}",
        4.0 * se_mean
    );
    assert!(
        (s - sd).abs() < 4.0 * se_sd,
        "sd {s}, expected {sd} ± {}",
        4.0 * se_sd
    );
    Ok(())
}

#[test]
fn normal_samples_are_standard_normal() -> Result<()> {
    let x = Rng::new(20240601).normal(0.0, 1.0, [1000, 1000], [250, 300]);
    check_sample(&x, normal_cdf, 0.0, 1.0, 3.0)
}

#[test]
fn uniform_samples_are_uniform() -> Result<()> {
    let x = Rng::new(77).uniform(0.0, 1.0, [1000, 1000], [250, 300]);
    check_sample(&x, |v| v.clamp(0.0, 1.0), 0.5, (1.0f64 / 12.0).sqrt(), 1.8)?;
    let values = x.compute()?.to_vec::<f64>();
    assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
    Ok(())
}

#[test]
fn normal_loc_and_scale() -> Result<()> {
    let x = Rng::new(3).normal(10.0, 2.5, [500, 200], [128, 64]);
    check_sample(&x, |v| normal_cdf((v - 10.0) / 2.5), 10.0, 2.5, 3.0)
}

/// Neumaier's compensated running sum.
#[derive(Default)]
struct Neumaier {
    sum: f64,
    compensation: f64,
}

impl Neumaier {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.compensation += if self.sum.abs() >= x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
    }

    fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

#[test]
fn sum_of_1e8_normals_is_accurate() -> Result<()> {
    let y = Rng::new(1).normal(0.0, 1.0, [10000, 10000], [1000, 1000]);
    let total = y.sum()?.compute()?.to_scalar::<f64>()?;
    // the reference: every value, 1000 rows at a time, compensated
    let (mut exact, mut abs) = (Neumaier::default(), Neumaier::default());
    for i in 0..10 {
        let rows = y
            .slice(s![i * 1000..(i + 1) * 1000, ..])?
            .compute()?
            .into_ndarray::<f64>();
        for &x in rows.iter() {
            exact.add(x);
            abs.add(x.abs());
        }
    }
    let (exact, abs) = (exact.value(), abs.value());
    assert!(
        (total - exact).abs() < 1e-12 * abs,
        "sum {total}, exact {exact}, difference {} vs bound {}",
        (total - exact).abs(),
        1e-12 * abs
    );
    // and it is a plausible sum of 1e8 standard normals (sd 1e4)
    assert!(exact.abs() < 6e4, "{exact}");
    assert!(
        (abs / 1e8 - (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-3,
        "mean |x| {}",
        abs / 1e8
    );
    Ok(())
}
