//! The scans (`cumsum cumprod nancumsum nancumprod`) and differences (`diff`, `ediff1d`)
//! against numpy's values on all twelve dtypes (floats with NaN, ±inf and -0.0; integers that
//! wrap), 2-D, 1-D of odd length and empty, along each axis and flattened (numpy's
//! `axis=None`), whole and in chunks of 1, 3 and 7 (so carries cross blocks along each axis).
//! numpy's scans run in order, as tessera's, so floats match to the bit (float16 too: numpy
//! rounds each step through float32, tessera through float64, and both are exact before the
//! one rounding). Then: a scan is one lazy plan node whose blocks chain along the axis, and
//! bad axes are errors. `gradient` (spacing 1 and 0.5) and `trapezoid` (dx 1 and 0.5) on the
//! same inputs but bool: gradient to the bit (float32 and float16 within 1 ulp), trapezoid
//! within a few epsilons (its sum runs in tessera's order).
//!
//! numpy's values are pinned in `tests/data/scans_expected.json` by `scripts/order-expected.py`.

use serde_json::Value;
use tessera::prelude::*;

mod pinned;
use pinned::{all_of, array, as_f64, check, chunk, pinned, Pinned, CHUNKINGS};

fn expected() -> Value {
    serde_json::from_str(include_str!("data/scans_expected.json")).unwrap()
}

/// A sum in another order: within a few epsilons of the sum of magnitudes (at most 6 terms of
/// at most 3, so 18, times the largest result), of the pinned dtype's epsilon; NaN and ±inf
/// exactly.
fn close(what: &str, got: &Computed, want: &Pinned) {
    assert_eq!(got.dtype(), want.dtype, "{what}: dtype");
    assert_eq!(got.shape(), &want.shape[..], "{what}: shape");
    let (eps, got, want) = as_f64(got, want);
    // the largest pinned magnitude (at least 1) scales the tolerance: wrapped integer sums
    // reach 2^64
    let scale = want
        .iter()
        .filter(|w| w.is_finite())
        .fold(1.0f64, |m, w| m.max(w.abs()));
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        let same = if w.is_finite() {
            (g - w).abs() <= 8.0 * eps * 18.0 * scale
        } else {
            g == w || (g.is_nan() && w.is_nan())
        };
        assert!(same, "{what}: element {i} is {g:e}, numpy gives {w:e}");
    }
}

fn run(case: &Value, x: &Array) -> Result<Array> {
    // numpy's `axis=None` (pinned as null) is the flattened array's axis 0
    let (x, axis) = match case["axis"].as_i64() {
        Some(axis) => (x.clone(), axis as isize),
        None if case["op"] == "ediff1d" => (x.clone(), 0),
        None => (x.ravel()?, 0),
    };
    match case["op"].as_str().unwrap() {
        "cumsum" => x.cumsum(axis),
        "cumprod" => x.cumprod(axis),
        "nancumsum" => x.nancumsum(axis),
        "nancumprod" => x.nancumprod(axis),
        "diff" => x.diff(case["n"].as_u64().unwrap() as usize, axis),
        "ediff1d" => x.ediff1d(),
        "gradient" => x.gradient(case["spacing"].as_f64().unwrap(), axis),
        "trapezoid" => x.trapezoid(case["dx"].as_f64().unwrap(), axis),
        other => panic!("unknown op {other}"),
    }
}

#[test]
fn values_match_numpy() {
    let data = expected();
    let cases = data["cases"].as_array().unwrap();
    let mut checks: Vec<Box<dyn Fn() + std::panic::RefUnwindSafe + '_>> = vec![];
    for case in cases {
        for c in CHUNKINGS.into_iter().chain([1]) {
            checks.push(Box::new(move || {
                let x = pinned(&case["x"]);
                let want = pinned(&case["want"]);
                let what = format!(
                    "{} {} axis {} n {} chunks {c}",
                    case["op"], case["input"], case["axis"], case["n"]
                );
                let got = run(case, &array(&x, chunk(&x, c)))
                    .and_then(|a| a.compute())
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                if case["compare"] == "close" {
                    return close(&what, &got, &want);
                }
                let ulps = match (want.dtype, case["op"].as_str()) {
                    (DType::Float16 | DType::Float32, Some("gradient")) => 1,
                    _ => 0,
                };
                check(&what, &got, &want, ulps);
            }));
        }
    }
    assert!(checks.len() > 3000);
    all_of(checks);
}

#[test]
fn a_scan_chains_its_blocks_along_the_axis() {
    let x = ones([6, 4], [2, 2]);
    let c = x.cumsum(0).unwrap();
    assert_eq!(c.chunks(), x.chunks());
    let graph = tessera::graph::lower(&c).unwrap();
    let scans: Vec<_> = graph
        .tasks
        .iter()
        .filter(|t| t.key.layer.starts_with("cumsum"))
        .collect();
    // one task a block; each block after the first along axis 0 reads its predecessor
    assert_eq!(scans.len(), 6);
    assert_eq!(scans.iter().filter(|t| t.deps.len() == 2).count(), 4);
    // a slice computes only the blocks up to it
    let part = c.slice(s![0..2, 0..2]).unwrap().compute().unwrap();
    assert_eq!(part.to_vec::<f64>(), vec![1.0, 1.0, 2.0, 2.0]);
    let last = c.slice(s![5, ..]).unwrap().compute().unwrap();
    assert_eq!(last.to_vec::<f64>(), vec![6.0; 4]);
}

#[test]
fn long_chains_agree_with_a_sequential_sum() {
    let x = tessera::random::Rng::new(7).uniform(-1.0, 1.0, [1000, 3], [37, 2]);
    let got = x.cumsum(0).unwrap().compute().unwrap().to_vec::<f64>();
    let v = x.compute().unwrap().to_vec::<f64>();
    let mut acc = [0.0; 3];
    for (i, g) in got.iter().enumerate() {
        acc[i % 3] += v[i];
        assert_eq!(*g, acc[i % 3], "element {i}");
    }
}

#[test]
fn bad_input_says_what_was_given_and_expected() {
    let x = ones([3, 4], 2);
    let message = |r: Result<Array>| r.unwrap_err().to_string();
    let axes_out_of_range = [
        (
            x.cumsum(2),
            "cumsum: axis 2 is out of bounds for array of dimension 2",
        ),
        (
            x.cumprod(-3),
            "cumprod: axis -3 is out of bounds for array of dimension 2",
        ),
        (
            x.nancumsum(9),
            "nancumsum: axis 9 is out of bounds for array of dimension 2",
        ),
        (
            x.nancumprod(-9),
            "nancumprod: axis -9 is out of bounds for array of dimension 2",
        ),
        (
            x.diff(1, 5),
            "diff: axis 5 is out of bounds for array of dimension 2",
        ),
        (
            x.gradient(1.0, 2),
            "gradient: axis 2 is out of bounds for array of dimension 2",
        ),
        (
            x.trapezoid(1.0, -3),
            "trapezoid: axis -3 is out of bounds for array of dimension 2",
        ),
    ];
    for (result, want) in axes_out_of_range {
        assert_eq!(message(result), want);
    }
    let scalar = x.sum().unwrap();
    assert_eq!(
        message(scalar.diff(1, 0)),
        "diff: needs an array of at least 1 dimension, got a 0-d array"
    );
    assert_eq!(
        message(scalar.cumsum(0)),
        "cumsum: axis 0 is out of bounds for array of dimension 0"
    );
    assert_eq!(
        message(x.slice(s![0..1, ..]).unwrap().gradient(1.0, 0)),
        "gradient: needs at least 2 elements along axis 0 (edge_order + 1), got 1"
    );
    for h in [0.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            message(x.gradient(h, 0)),
            format!("gradient: expected a finite, nonzero spacing, got {h}")
        );
    }
    let mask = x.gt(0.0);
    assert_eq!(
        message(mask.gradient(1.0, 0)),
        "gradient: needs a numeric array, got bool"
    );
    assert_eq!(
        message(mask.trapezoid(1.0, 0)),
        "trapezoid: needs a numeric array, got bool (cast it with astype first)"
    );
    // what numpy accepts: n = 0 is the array itself, an n past the axis leaves it empty, a
    // scan of an empty axis is empty, ediff1d of a 0-d array is empty
    assert_eq!(x.diff(0, 0).unwrap().shape(), &[3, 4]);
    assert_eq!(x.diff(9, 1).unwrap().shape(), &[3, 0]);
    let empty = zeros([0, 3], 2);
    assert_eq!(empty.cumsum(0).unwrap().compute().unwrap().shape(), &[0, 3]);
    assert_eq!(scalar.ediff1d().unwrap().compute().unwrap().shape(), &[0]);
}

#[test]
fn a_slice_of_a_scan_computes_only_the_blocks_up_to_it() {
    // 10000 blocks; a 10 × 10 piece in the third block row needs the three blocks above it in
    // its block column (and their sources), nothing of the other 99 columns
    let x = random::Rng::new(3).uniform(0.0, 1.0, [10000, 10000], [100, 100]);
    let part = x
        .cumsum(0)
        .unwrap()
        .slice(s![250..260, 5000..5010])
        .unwrap();
    let graph = tessera::graph::lower(&part.optimized().unwrap()).unwrap();
    let scans = graph
        .tasks
        .iter()
        .filter(|t| t.key.layer.starts_with("cumsum"))
        .count();
    assert_eq!(scans, 3, "{graph:?}");
    assert!(graph.tasks.len() <= 10, "{} tasks", graph.tasks.len());
    let column = x.slice(s![0..260, 5000..5010]).unwrap().compute().unwrap();
    let column = column.to_vec::<f64>();
    let mut acc = [0.0; 10];
    let mut want = vec![];
    for (i, v) in column.iter().enumerate() {
        acc[i % 10] += v;
        if i >= 250 * 10 {
            want.push(acc[i % 10]);
        }
    }
    assert_eq!(part.compute().unwrap().to_vec::<f64>(), want);
}

#[test]
fn a_slice_of_a_gradient_or_diff_reads_only_the_blocks_near_it() {
    let x = random::Rng::new(4).uniform(0.0, 1.0, [10000, 10000], [100, 100]);
    for (name, y) in [
        ("gradient", x.gradient(0.5, 0).unwrap()),
        ("diff", x.diff(1, 0).unwrap()),
    ] {
        let part = y.slice(s![5050..5060, 5000..5010]).unwrap();
        let tasks = tessera::graph::lower(&part.optimized().unwrap())
            .unwrap()
            .tasks
            .len();
        assert!(tasks <= 30, "{name}: {tasks} tasks for a 10 × 10 piece");
        let rows = x
            .slice(s![5049..5062, 5000..5010])
            .unwrap()
            .compute()
            .unwrap();
        let rows = rows.to_vec::<f64>();
        let want: Vec<f64> = (0..100)
            .map(|k| {
                let (i, j) = (k / 10 + 1, k % 10);
                match name {
                    "gradient" => (rows[(i + 1) * 10 + j] - rows[(i - 1) * 10 + j]) / (2.0 * 0.5),
                    _ => rows[(i + 1) * 10 + j] - rows[i * 10 + j],
                }
            })
            .collect();
        assert_eq!(part.compute().unwrap().to_vec::<f64>(), want, "{name}");
    }
}
