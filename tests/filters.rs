//! The built-in filters against scipy.ndimage's values: `uniform_filter` (odd and even sizes,
//! a window wider than a block) and `gaussian_filter` (per-axis sigmas, an axis of sigma 0, two
//! truncations), in every mode, on int32, int64, float32 and float64, whole and in chunks of 3
//! and 7; with NaN, ±inf and -0.0, and on integers, the uniform filter against scipy's
//! `correlate1d` (see `uniform_filter`'s doc for why not its running sum). Then: a filter is one plan node that serializes (it can go to a
//! cluster), and a slice of it lowers to the blocks under the slice.
//!
//! scipy's values are pinned in `tests/data/filters_expected.json` by
//! `scripts/filters-expected.py` (run it with the test venv's Python to regenerate).

use serde_json::Value;
use tessera::prelude::*;

mod pinned;
use pinned::{all_of, array, as_f64, check, chunk, pinned, Pinned, CHUNKINGS};

/// `"compare": "ulps"` cases sum in scipy's order: a few ulps at most.
const MAX_ULPS: u64 = 4;

/// `"compare": "close"`: float results within 8 epsilons of the inputs' magnitude (3): the
/// error a running sum, or a last bit of a weight, makes in a sum that cancels; NaN, ±inf and
/// integers exactly.
fn close(what: &str, got: &Computed, want: &Pinned) {
    if !want.dtype.is_float() {
        return check(what, got, want, 0);
    }
    assert_eq!(got.dtype(), want.dtype, "{what}: dtype");
    let (eps, got, want) = as_f64(got, want);
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        let same = if w.is_finite() {
            (g - w).abs() <= 8.0 * eps * 3.0
        } else {
            g == w || (g.is_nan() && w.is_nan())
        };
        assert!(same, "{what}: element {i} is {g:e}, scipy gives {w:e}");
    }
}

fn expected() -> Value {
    serde_json::from_str(include_str!("data/filters_expected.json")).unwrap()
}

fn mode(case: &Value) -> Boundary {
    match case["mode"].as_str().unwrap() {
        "reflect" => Boundary::Reflect,
        "mirror" => Boundary::Mirror,
        "nearest" => Boundary::Nearest,
        "wrap" => Boundary::Periodic,
        _ => Boundary::Constant(Scalar::Float(case["cval"].as_f64().unwrap())),
    }
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_f64().unwrap())
        .collect()
}

fn filter(case: &Value, x: &Array) -> Result<Array> {
    match case["func"].as_str().unwrap() {
        "uniform_filter" => {
            let sizes: Vec<usize> = floats(&case["size"]).iter().map(|&s| s as usize).collect();
            x.uniform_filter(sizes, mode(case))
        }
        _ => x.gaussian_filter(
            &floats(&case["sigma"]),
            case["truncate"].as_f64().unwrap(),
            mode(case),
        ),
    }
}

#[test]
fn filters_give_scipys_values() {
    let table = expected();
    let inputs: Vec<_> = table["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(pinned)
        .collect();
    let checks = table["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            let input = &inputs[case["input"].as_u64().unwrap() as usize];
            Box::new(move || {
                for c in CHUNKINGS {
                    let x = array(input, chunk(input, c));
                    let what = format!(
                        "{} ({}) {:?} {} size {} sigma {} truncate {} in chunks {c}",
                        case["func"],
                        case["compare"],
                        input.dtype,
                        case["mode"],
                        case["size"],
                        case["sigma"],
                        case["truncate"]
                    );
                    let got = filter(case, &x).unwrap_or_else(|e| panic!("{what}: {e}"));
                    assert_eq!(got.chunks(), x.chunks(), "{what}: chunks");
                    let (got, want) = (got.compute().unwrap(), pinned(&case["output"]));
                    match case["compare"].as_str().unwrap() {
                        "ulps" => check(&what, &got, &want, MAX_ULPS),
                        _ => close(&what, &got, &want),
                    }
                }
            }) as Box<dyn Fn() + std::panic::RefUnwindSafe>
        })
        .collect();
    all_of(checks);
}

#[test]
fn a_filter_is_one_node_that_can_travel_and_slices_lower_to_few_tasks() {
    let x = random::Rng::new(3).uniform(0.0, 1.0, [4000, 4000], [100, 100]);
    let f = x.uniform_filter(3, Boundary::Reflect).unwrap();
    assert_eq!(f.chunks(), x.chunks());
    let part = f.slice(s![2000..2010, 2000..2010]).unwrap();
    let graph = tessera::graph::lower(&part.optimized().unwrap()).unwrap();
    assert!(graph.tasks.len() <= 30, "{} tasks", graph.tasks.len());
    // No closure in the plan: every task encodes for a cluster worker.
    let ids: Vec<usize> = (0..graph.tasks.len()).collect();
    let tasks: Vec<_> = graph.tasks.iter().collect();
    assert!(tessera::graph::wire::encode(&ids, &tasks, &[]).is_ok());
    // The slice equals the same slice of the mean of the shifted windows.
    let p = x.pad(1, PadMode::Symmetric).unwrap();
    let mut sum = zeros([10, 10], 10);
    for i in 0..3 {
        for j in 0..3 {
            sum = &sum + &p.slice(s![2000 + i..2010 + i, 2000 + j..2010 + j]).unwrap();
        }
    }
    let want = (sum / 9.0).compute().unwrap().to_vec::<f64>();
    let got = part.compute().unwrap().to_vec::<f64>();
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() < 1e-14, "{g} vs {w}");
    }
}

#[test]
fn bad_filter_arguments_say_what_was_expected() {
    let x = zeros([4, 4], 2);
    let msg = |r: Result<Array>| r.unwrap_err().to_string();
    assert_eq!(
        msg(x.uniform_filter([3], Boundary::Reflect)),
        "uniform_filter: expected one size > 0 per axis (2), got [3]"
    );
    assert_eq!(
        msg(x.gaussian_filter(&[-1.0], 4.0, Boundary::Reflect)),
        "gaussian_filter: expected one finite sigma >= 0 per axis (2), got [-1.0]"
    );
    assert!(msg(x.uniform_filter(3, Boundary::None)).contains("got None"));
    assert_eq!(
        msg(x.gt(0.0).uniform_filter(3, Boundary::Reflect)),
        "uniform_filter: needs a numeric array, got bool"
    );
}
