//! The functions added through the elementwise table, `log10` and `arctan2`, against numpy's
//! values: NaN, ±inf, −0.0, subnormals, integers and bool, 2-D, broadcasting, mixed dtypes and
//! empty arrays, each computed whole and in odd chunkings, unfused and fused into a reduction.
//!
//! numpy's values are pinned in `tests/data/ufunc_expected.json` by `scripts/ufunc-expected.py`
//! (run it with the test venv's Python to regenerate; it records the numpy version) and
//! compared as `tests/pinned` says, within [`MAX_ULPS`]. Every row of the table on every dtype
//! is tested in `tests/ufunc_table.rs`.

use serde_json::Value;
use tessera::prelude::*;

mod pinned;
use pinned::{array, check, chunk, pinned, Pinned, CHUNKINGS};

/// The largest difference from numpy's finite results, in units in the last place (measured:
/// float64 `log10` differs from numpy 2.4 by 1 ulp on some values, float32 `arctan2` by 2 —
/// numpy's float32 loop is less exact than float64 rounded once).
const MAX_ULPS: u64 = 2;

fn cases() -> Vec<Value> {
    let text = include_str!("data/ufunc_expected.json");
    let pinned: Value = serde_json::from_str(text).unwrap();
    pinned["cases"].as_array().unwrap().clone()
}

#[test]
fn log10_and_arctan2_give_numpys_values() {
    let cases = cases();
    assert!(cases.len() >= 10, "the pinned cases are there");
    for case in &cases {
        let func = case["func"].as_str().unwrap();
        let inputs: Vec<Pinned> = case["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(pinned)
            .collect();
        let want = pinned(case);
        for c in CHUNKINGS {
            let args: Vec<Array> = inputs.iter().map(|p| array(p, chunk(p, c))).collect();
            let result = match func {
                "log10" => args[0].log10(),
                "arctan2" => args[0].arctan2(&args[1]),
                other => panic!("no such function pinned: {other}"),
            };
            let dtypes: Vec<DType> = inputs.iter().map(|p| p.dtype).collect();
            let what = format!("{func}{dtypes:?} of {:?}, chunks {c}", want.shape);
            check(&what, &result.compute().unwrap(), &want, MAX_ULPS);
        }
    }
}

/// Fused into a reduction (evaluated tile by tile inside the sum), the functions give the sum
/// of the values they give unfused.
#[test]
fn log10_and_arctan2_fuse_into_reductions() {
    let x = random::Rng::new(3).uniform(0.5, 100.0, [300, 170], [128, 70]);
    let y = random::Rng::new(4).normal(0.0, 1.0, [300, 170], [128, 70]);
    for (fused, values) in [
        (x.log10().sum_axis(0).unwrap(), x.log10()),
        ((y.arctan2(&x) * 2.0).mean().unwrap(), y.arctan2(&x) * 2.0),
    ] {
        assert!(fused.explain().contains("fused"), "{}", fused.explain());
        let values = values.compute().unwrap().into_ndarray::<f64>();
        let expected = if fused.ndim() == 0 {
            ndarray::arr0(values.mean().unwrap()).into_dyn()
        } else {
            values.sum_axis(ndarray::Axis(0))
        };
        let got = fused.compute().unwrap().into_ndarray::<f64>();
        for (g, e) in got.iter().zip(expected.iter()) {
            assert!((g - e).abs() <= 1e-12 * e.abs().max(1.0), "{g} vs {e}");
        }
    }
}

#[test]
fn bad_operands_are_errors() {
    let x = ones([4], 2);
    assert_eq!(
        x.arctan2(ones([3], 3)).check().unwrap_err().to_string(),
        "arctan2: operands could not be broadcast together with shapes (4,) (3,)"
    );
    // a scalar operand is weak: float32 stays float32
    let f = x.astype(DType::Float32).arctan2(1.0);
    assert_eq!(f.dtype(), DType::Float32);
    assert_eq!(
        f.compute().unwrap().to_vec::<f32>(),
        vec![std::f32::consts::FRAC_PI_4; 4]
    );
    assert_eq!(x.astype(DType::Int32).log10().dtype(), DType::Float64);
}
