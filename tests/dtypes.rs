//! The dtypes against numpy 2: `np.result_type` for every pair, NEP 50's weak scalars,
//! `astype` between every pair on the values the target holds, `astype_checked` refusing the
//! others, and the reductions' values and dtypes on every dtype, whole and in chunks of 3 and 7.
//!
//! numpy's values are pinned in `tests/data/dtypes_expected.json` by
//! `scripts/dtypes-expected.py` (run it with the test venv's Python to regenerate).

use serde_json::Value;
use tessera::prelude::*;

mod pinned;
use pinned::{array, check, chunk, pinned, CHUNKINGS};

/// float16 reductions: numpy accumulates float16 sums in float32 and rounds each step's
/// result, tessera in float64 rounded once.
const MAX_ULPS: u64 = 2;

fn expected() -> Value {
    serde_json::from_str(include_str!("data/dtypes_expected.json")).unwrap()
}

fn dtype(v: &Value) -> DType {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn promotion_is_numpys_result_type_for_every_pair() {
    let expected = expected();
    let names: Vec<DType> = expected["dtypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(dtype)
        .collect();
    assert_eq!(names, DType::ALL, "the table covers every dtype");
    for (a, row) in names.iter().zip(expected["promote"].as_array().unwrap()) {
        for (b, want) in names.iter().zip(row.as_array().unwrap()) {
            assert_eq!(a.promote(*b), dtype(want), "{a} with {b}");
        }
    }
}

#[test]
fn scalars_are_weak_as_nep50() {
    for case in expected()["weak"].as_array().unwrap() {
        let d = dtype(&case["dtype"]);
        let scalar = match case["kind"].as_str().unwrap() {
            "bool" => Scalar::Bool(case["value"].as_bool().unwrap()),
            "int" => Scalar::Int(case["value"].as_i64().unwrap()),
            _ => Scalar::Float(case["value"].as_f64().unwrap()),
        };
        let got = d.promote_scalar(scalar);
        if case["result"] == "error" {
            // numpy raises OverflowError; tessera widens to a dtype that holds the value
            assert!(scalar.is_held_by(got) || got.is_float(), "{d} + {scalar}");
            assert_ne!(got, d, "{d} + {scalar}");
        } else {
            assert_eq!(got, dtype(&case["result"]), "{d} + {scalar}");
        }
        let array = zeros_dtype([2], d, 1);
        assert_eq!(
            (&array + scalar).dtype(),
            got,
            "{d} + {scalar} as an operator"
        );
    }
}

#[test]
fn astype_gives_numpys_values_between_every_pair() {
    for case in expected()["casts"].as_array().unwrap() {
        let (input, want) = (pinned(&case["input"]), pinned(&case["output"]));
        for c in CHUNKINGS {
            let x = array(&input, chunk(&input, c));
            let what = format!("{} to {}, chunks {c}", input.dtype, want.dtype);
            check(&what, &x.astype(want.dtype).compute().unwrap(), &want, 0);
            // every value is held, so the checked cast passes and agrees
            let checked = x.astype_checked(want.dtype).unwrap();
            check(&what, &checked.compute().unwrap(), &want, 0);
        }
    }
}

#[test]
fn astype_checked_names_the_first_value_the_target_does_not_hold() {
    let x = from_array(ndarray::arr2(&[[1.0, 2.0], [f64::NAN, 1e10]]), 1);
    assert_eq!(
        x.astype_checked(DType::Int32).unwrap_err().to_string(),
        "astype_checked: element [1, 0] of float64 is NaN, outside int32's range \
         -2147483648 to 2147483647"
    );
    let i = from_array(ndarray::arr1(&[5i64, -3, 70000]), 2);
    assert_eq!(
        i.astype_checked(DType::UInt16).unwrap_err().to_string(),
        "astype_checked: element [1] of int64 is -3, outside uint16's range 0 to 65535"
    );
    let u = from_array(ndarray::arr1(&[u64::MAX]), 1);
    assert!(u
        .astype_checked(DType::Int64)
        .unwrap_err()
        .to_string()
        .contains("is 18446744073709551615"));
    let big = from_array(ndarray::arr1(&[1.0f32, 70000.0]), 1);
    assert_eq!(
        big.astype_checked(DType::Float16).unwrap_err().to_string(),
        "astype_checked: element [1] of float32 is 70000, outside float16's range ±65520"
    );
    // precision loss is not refused, infinities stay infinities
    let fine = from_array(ndarray::arr1(&[0.1, f64::INFINITY]), 1);
    assert!(fine.astype_checked(DType::Float16).is_ok());
    assert!(from_array(ndarray::arr1(&[0.0f64; 0]), 1)
        .astype_checked(DType::UInt8)
        .is_ok());
}

#[test]
fn reductions_give_numpys_values_and_dtypes_on_every_dtype() {
    for case in expected()["reductions"].as_array().unwrap() {
        let input = pinned(&case["input"]);
        for c in CHUNKINGS {
            let x = array(&input, chunk(&input, c));
            for (name, want) in case["outputs"].as_object().unwrap() {
                let got = match name.as_str() {
                    "sum" => x.sum(),
                    "prod" => x.slice(ndarray::s![..6]).unwrap().prod(),
                    "min" => x.min(),
                    "max" => x.max(),
                    "mean" => x.mean(),
                    "var" => x.var(0),
                    "std" => x.std(1),
                    "argmin" => x.argmin(),
                    "argmax" => x.argmax(),
                    "nansum" => x.nansum(),
                    "nanmean" => x.nanmean(),
                    other => panic!("no such reduction pinned: {other}"),
                };
                let what = format!("{name} of {}, chunks {c}", input.dtype);
                check(
                    &what,
                    &got.unwrap().compute().unwrap(),
                    &pinned(want),
                    MAX_ULPS,
                );
            }
        }
    }
}

#[test]
fn names_parse_and_bad_names_say_which_there_are() {
    for d in DType::ALL {
        assert_eq!(d.name().parse::<DType>().unwrap(), d);
    }
    let e = tessera::Error::from("float8".parse::<DType>().unwrap_err()).to_string();
    assert!(
        e.contains("\"float8\"") && e.contains("uint16, uint32"),
        "{e}"
    );
    let x = zeros_dtype([3], DType::UInt16, 2);
    assert!(x.to_string().contains("dtype=uint16"), "{x}");
}
