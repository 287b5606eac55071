//! Every function of the elementwise table, on every dtype, against numpy's values: the test
//! walks `UnaryOp::ALL` and `BinaryOp::ALL`, so a new row without pinned values for each dtype
//! fails it. Where numpy has no loop for a dtype, tessera must refuse it, naming the function.
//! Then the functions composed from the table (`round`, `clip`, `nan_to_num`, `divmod`,
//! `isclose`), and each row fused into a reduction.
//!
//! numpy's values are pinned in `tests/data/ufunc_table_expected.json` by
//! `scripts/ufunc-table-expected.py` (run it with the test venv's Python to regenerate):
//! special values (NaN, ±inf, ±0.0, subnormals, the largest float, integer extremes, integer
//! division by zero), every pair of a list of them for two-argument functions, each computed
//! whole and in chunks of 3 and 7.

use serde_json::Value;
use tessera::expr::{BinaryOp, UnaryOp};
use tessera::prelude::*;

mod pinned;
use pinned::{all_of, array, check, chunk, pinned, Pinned, CHUNKINGS};

/// The largest difference from numpy's finite float results, in units in the last place.
/// Measured on numpy 2.4 (x86-64, AVX-512): tessera computes float32 in float64 and rounds
/// once, numpy's float32 loops (SIMD) are less exact: up to 3 ulps (`float32` `tanh`, `cosh`,
/// `log1p`); float64 agrees within 1.
const MAX_ULPS: u64 = 4;

const DTYPES: [DType; 12] = DType::ALL;

fn expected() -> Value {
    serde_json::from_str(include_str!("data/ufunc_table_expected.json")).unwrap()
}

fn inputs(case: &Value) -> Vec<Pinned> {
    case["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(pinned)
        .collect()
}

/// The pinned cases of function `name`, one for each dtype of [`DTYPES`].
fn cases_of<'a>(table: &'a [Value], name: &str) -> Vec<&'a Value> {
    let cases: Vec<&Value> = table.iter().filter(|c| c["func"] == name).collect();
    let dtypes: Vec<DType> = cases.iter().map(|c| inputs(c)[0].dtype).collect();
    assert_eq!(dtypes, DTYPES, "{name}: pin its values on every dtype");
    cases
}

/// Runs `f` on the case's inputs in every chunking: numpy's values, or the refusal.
fn check_case(name: &str, case: &Value, f: impl Fn(&[Array]) -> Array) {
    let inputs = inputs(case);
    let dtype = inputs[0].dtype;
    for c in CHUNKINGS {
        let args: Vec<Array> = inputs.iter().map(|p| array(p, chunk(p, c))).collect();
        let result = f(&args);
        let what = format!("{name} on {dtype}, chunks {c}");
        if case["error"] == true {
            let e = result.check().unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("{name}: not supported for dtype {dtype}")),
                "{e}"
            );
            continue;
        }
        check(&what, &result.compute().unwrap(), &pinned(case), MAX_ULPS);
    }
}

#[test]
fn every_row_gives_numpys_values_on_every_dtype() {
    let expected = expected();
    let table = expected["table"].as_array().unwrap();
    let mut checks: Vec<Box<dyn Fn() + std::panic::RefUnwindSafe>> = Vec::new();
    for &op in UnaryOp::ALL {
        for case in cases_of(table, op.name()) {
            checks.push(Box::new(move || {
                check_case(op.name(), case, |a| a[0].apply_unary(op))
            }));
        }
    }
    for &op in BinaryOp::ALL {
        for case in cases_of(table, op.name()) {
            checks.push(Box::new(move || {
                check_case(op.name(), case, |a| a[0].apply_binary(op, &a[1]))
            }));
        }
    }
    all_of(checks);
}

#[test]
fn composed_functions_give_numpys_values() {
    let expected = expected();
    let cases = expected["composite"].as_array().unwrap();
    assert!(cases.len() > 40, "the pinned cases are there");
    for case in cases {
        let func = case["func"].as_str().unwrap();
        let p = &case["params"];
        let f = |key: &str| p[key].as_f64().unwrap();
        let inputs = inputs(case);
        let outputs: Vec<Pinned> = case["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(pinned)
            .collect();
        for c in CHUNKINGS {
            let a: Vec<Array> = inputs.iter().map(|x| array(x, chunk(x, c))).collect();
            let got: Vec<Array> = match func {
                "round" => vec![a[0].round(p["decimals"].as_i64().unwrap() as i32)],
                "clip" if p["min"].is_i64() => {
                    vec![a[0].clip(p["min"].as_i64().unwrap(), p["max"].as_i64().unwrap())]
                }
                "clip" => vec![a[0].clip(f("min"), f("max"))],
                "nan_to_num" => {
                    vec![a[0].nan_to_num(f("nan"), p["posinf"].as_f64(), p["neginf"].as_f64())]
                }
                "divmod" => {
                    let (q, r) = a[0].divmod(&a[1]);
                    vec![q, r]
                }
                "isclose" => vec![a[0].isclose(
                    &a[1],
                    f("rtol"),
                    f("atol"),
                    p["equal_nan"].as_bool().unwrap(),
                )],
                other => panic!("no such function pinned: {other}"),
            };
            for (got, want) in got.iter().zip(&outputs) {
                let what = format!("{func}({p}) on {}, chunks {c}", inputs[0].dtype);
                check(&what, &got.compute().unwrap(), want, MAX_ULPS);
            }
        }
    }
}

/// Each row fuses into a reduction: `f(x).astype(float64).sum()` is evaluated tile by tile
/// and gives the sum of the values `f` gives unfused.
#[test]
fn every_row_fuses_into_a_reduction() {
    let x = random::Rng::new(19).uniform(0.5, 3.0, [60, 50], [32, 20]);
    let y = random::Rng::new(20).uniform(1.0, 4.0, [60, 50], [32, 20]);
    let cases: Vec<(String, Array)> = UnaryOp::ALL
        .iter()
        .filter(|op| op.dtypes(DType::Float64).is_ok())
        .map(|&op| (op.name().to_string(), x.apply_unary(op)))
        .chain(
            BinaryOp::ALL
                .iter()
                .filter(|op| op.dtypes(DType::Float64).is_ok())
                .map(|&op| (op.name().to_string(), x.apply_binary(op, &y))),
        )
        .chain([("clip".to_string(), x.clip(1.0, 2.0))])
        .collect();
    for (name, values) in cases {
        let values = values.astype(DType::Float64);
        let fused = values.sum().unwrap();
        assert!(
            fused.explain().contains("fused"),
            "{name}: {}",
            fused.explain()
        );
        let unfused: f64 = values.compute().unwrap().to_vec::<f64>().iter().sum();
        let got = fused.compute().unwrap().to_scalar::<f64>().unwrap();
        assert!(
            (got - unfused).abs() <= 1e-9 * unfused.abs().max(1.0)
                || (got.is_nan() && unfused.is_nan()),
            "{name}: {got} vs {unfused}"
        );
    }
}

#[test]
fn functions_refuse_dtypes_they_do_not_take_with_the_dtypes_they_take() {
    let f = ones([3], 3);
    assert_eq!(
        (&f << 2).check().unwrap_err().to_string(),
        "left_shift: not supported for dtype float64 (needs an integer (or bool) array)"
    );
    let b = f.astype(DType::Bool);
    assert_eq!(
        b.sign().check().unwrap_err().to_string(),
        "sign: not supported for dtype bool (needs a numeric (not bool) array)"
    );
    // numpy: integers to negative integer powers are an error, when computed
    let i = f.astype(DType::Int64);
    assert!(i
        .power(-1)
        .compute()
        .unwrap_err()
        .to_string()
        .contains("negative integer powers"));
    // float_power is float64 for every dtype, float32 too (numpy's float_power)
    assert_eq!(
        f.astype(DType::Float32).float_power(2.0).dtype(),
        DType::Float64
    );
    // weak scalars: float32 stays float32 through clip and maximum
    let f32 = f.astype(DType::Float32);
    assert_eq!(f32.clip(-1.0, 1.0).dtype(), DType::Float32);
    assert_eq!(f32.maximum(0.5).dtype(), DType::Float32);
    // an int array clipped by float bounds is float64 (numpy 2)
    assert_eq!(i.clip(0.5, 1.5).dtype(), DType::Float64);
    assert!(f.allclose(&f + 1e-9, 1e-5, 1e-8, false).unwrap());
    assert!(!f.allclose(&f * 2.0, 1e-5, 1e-8, false).unwrap());
}

#[test]
fn empty_arrays_give_empty_results() {
    let e = zeros([0, 3], 2);
    for &op in UnaryOp::ALL {
        if let Ok((_, dtype)) = op.dtypes(DType::Float64) {
            let r = e.apply_unary(op).compute().unwrap();
            assert_eq!(
                (r.shape(), r.dtype()),
                (&[0, 3][..], dtype),
                "{}",
                op.name()
            );
        }
    }
    let (q, r) = e.divmod(2.0);
    assert_eq!(q.compute().unwrap().shape(), &[0, 3]);
    assert_eq!(r.compute().unwrap().shape(), &[0, 3]);
    assert_eq!(e.round(2).compute().unwrap().shape(), &[0, 3]);
    assert!(e.allclose(&e, 1e-5, 1e-8, false).unwrap());
}
