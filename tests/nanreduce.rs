//! The nan-reductions and `count_nonzero` against numpy's values: NaN, ±inf, −0.0, all-NaN
//! rows and columns, every dtype, every axis choice with and without keepdims, ddof past a
//! slice's count, empty arrays, each in one chunk and in chunks of 3 and 2 (7 elements in
//! chunks of 3: a block of 1), unfused and fused tile by tile.
//!
//! numpy's values are pinned in `tests/data/nanreduce_expected.json` by
//! `scripts/nanreduce-expected.py` (run it with the test venv's Python to regenerate).

use serde_json::Value;
use tessera::prelude::*;

mod pinned;
use pinned::{all_of, array, check, pinned, Pinned};

/// Units in the last place from numpy's finite results: the moments merge per chunk (Chan et
/// al.) where numpy sums twice, and float32 accumulates in float64 where numpy stays in
/// float32 (measured: up to 6 ulps in float64 `nanvar`, 20 in float32).
const MAX_ULPS: u64 = 64;

fn expected() -> Value {
    serde_json::from_str(include_str!("data/nanreduce_expected.json")).unwrap()
}

/// `func` of `x` over `axis` (none: all), as the case asks.
fn reduce(x: &Array, func: &str, axis: &Value, keepdims: bool, ddof: f64) -> Result<Array> {
    let axes: Option<Vec<isize>> = match axis {
        Value::Null => None,
        Value::Array(list) => Some(list.iter().map(|a| a.as_i64().unwrap() as isize).collect()),
        n => Some(vec![n.as_i64().unwrap() as isize]),
    };
    let op = match func {
        "nansum" => ReduceOp::NanSum,
        "nanprod" => ReduceOp::NanProd,
        "nanmin" => ReduceOp::NanMin,
        "nanmax" => ReduceOp::NanMax,
        "nanmean" => ReduceOp::NanMean,
        "nanvar" => ReduceOp::NanVar { ddof },
        "nanstd" => ReduceOp::NanStd { ddof },
        "nanargmin" => ReduceOp::NanArgMin,
        "nanargmax" => ReduceOp::NanArgMax,
        "count_nonzero" => {
            return match axes {
                None if !keepdims => x.count_nonzero(),
                None => x.count_nonzero_axes(&(0..x.ndim() as isize).collect::<Vec<_>>(), true),
                Some(axes) => x.count_nonzero_axes(&axes, keepdims),
            };
        }
        other => panic!("no such reduction pinned: {other}"),
    };
    x.reduction(op, axes.as_deref(), keepdims, None)
}

#[test]
fn nan_reductions_give_numpys_values() {
    let expected = expected();
    let inputs: Vec<Pinned> = expected["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(pinned)
        .collect();
    let cases = expected["cases"].as_array().unwrap();
    assert!(cases.len() > 1000, "the pinned cases are there");
    let mut checks: Vec<Box<dyn Fn() + std::panic::RefUnwindSafe>> = Vec::new();
    for case in cases {
        let input = &inputs[case["input"].as_u64().unwrap() as usize];
        checks.push(Box::new(move || check_case(case, input)));
    }
    all_of(checks);
}

/// The case's reduction of `input`, in one chunk and in chunks of 3 and 2: numpy's values, or
/// an error where numpy refuses it.
fn check_case(case: &Value, input: &Pinned) {
    let func = case["func"].as_str().unwrap();
    let keepdims = case["keepdims"].as_bool().unwrap();
    let ddof = case["ddof"].as_f64().unwrap();
    for chunks in [usize::MAX, 3, 2] {
        let x = array(
            input,
            chunks.min(input.shape.iter().copied().max().unwrap_or(1)),
        );
        let what = format!(
            "{func}(axis={}, keepdims={keepdims}, ddof={ddof}) of {} {:?}, chunks {chunks}",
            case["axis"], input.dtype, input.shape
        );
        let got = reduce(&x, func, &case["axis"], keepdims, ddof).and_then(|r| r.compute());
        match (got, case["error"] == true) {
            (Err(e), true) => assert!(e.to_string().starts_with(func), "{what}: {e}"),
            (Ok(_), true) => panic!("{what}: numpy refuses it, tessera gave a value"),
            (Err(e), false) => panic!("{what}: {e}"),
            (Ok(got), false) => check(&what, &got, &pinned(&case["output"]), MAX_ULPS),
        }
    }
}

#[test]
fn an_all_nan_slice_of_nanargmin_is_an_error_naming_it() {
    let mut values = ndarray::Array2::<f64>::zeros((4, 6));
    values.column_mut(4).fill(f64::NAN);
    let x = from_array(values, [2, 3]);
    let err = x
        .nanargmin_axis(0)
        .unwrap()
        .compute()
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("nanargmin"), "{err}");
    assert!(
        err.contains("All-NaN slice encountered at index (4,) of the result"),
        "{err}"
    );
    let all = full([3], f64::NAN, 2);
    let err = all.nanargmax().unwrap().compute().unwrap_err().to_string();
    assert!(err.contains("every element is NaN"), "{err}");
    // the other nan-reductions give NaN there, as numpy (which warns)
    let m = x.nanmax_axis(0).unwrap().compute().unwrap().to_vec::<f64>();
    assert!(m[4].is_nan() && m[3] == 0.0);
    assert!(all
        .nanmean()
        .unwrap()
        .compute()
        .unwrap()
        .to_scalar::<f64>()
        .unwrap()
        .is_nan());
    assert_eq!(
        all.nansum()
            .unwrap()
            .compute()
            .unwrap()
            .to_scalar::<f64>()
            .unwrap(),
        0.0
    );
}

/// Over elementwise operations on sources the nan-reductions run tile by tile, and give what
/// they give unfused; a tree of many blocks gives what one block gives.
#[test]
fn nan_reductions_fuse_and_tree_reduce() {
    let x = random::Rng::new(5).normal(0.0, 1.0, [300, 170], [64, 50]);
    // about 30% NaN: log of the negative numbers
    let y = (&x - 0.5).log();
    let whole = y.compute().unwrap().into_ndarray::<f64>();
    let one_block = from_array(whole.clone(), [300, 170]);
    for op in [
        ReduceOp::NanSum,
        ReduceOp::NanMean,
        ReduceOp::NanVar { ddof: 1.0 },
        ReduceOp::NanStd { ddof: 0.0 },
        ReduceOp::NanMin,
        ReduceOp::NanMax,
        ReduceOp::NanProd,
    ] {
        for axes in [None, Some(&[0isize][..]), Some(&[1isize][..])] {
            let fused = y.reduction(op, axes, false, Some(3)).unwrap();
            assert!(fused.explain().contains("fused"), "{}", fused.explain());
            let got = fused.compute().unwrap().into_ndarray::<f64>();
            let want = one_block.reduction(op, axes, false, None).unwrap();
            let want = want.compute().unwrap().into_ndarray::<f64>();
            for (g, w) in got.iter().zip(want.iter()) {
                let close = (g - w).abs() <= 1e-12 * w.abs().max(1.0) || g == w;
                assert!(close, "{} over {axes:?}: {g} vs {w}", op.name());
            }
        }
    }
}
