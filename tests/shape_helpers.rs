//! The shape helpers against numpy's values, on every dtype, whole and in chunks of 3 and 7:
//! `pad` in every mode (widths larger than the axis, empty arrays), `flip rot90 roll moveaxis
//! swapaxes squeeze expand_dims ravel atleast_*d broadcast_to tile repeat split array_split
//! block diagonal tril triu eye indices meshgrid`. Where numpy refuses a case, tessera must
//! return an error.
//!
//! numpy's values are pinned in `tests/data/shape_expected.json` by
//! `scripts/shape-expected.py` (run it with the test venv's Python to regenerate).

use serde_json::Value;
use tessera::prelude::*;

mod pinned;
use pinned::{all_of, array, check, chunk, pinned, Pinned, CHUNKINGS};

/// Float results are numpy's to a few ulps: ramps compute as numpy's `linspace` does.
const MAX_ULPS: u64 = 4;

/// `pad(mode="mean")` sums in another order than numpy's pairwise sum, and the test's columns
/// of 5 to 8 values in [-3, 3] cancel to means near 0.02: up to 36 ulps measured (float64).
const MEAN_ULPS: u64 = 64;

fn expected() -> Value {
    serde_json::from_str(include_str!("data/shape_expected.json")).unwrap()
}

fn int(v: &Value) -> isize {
    v.as_i64().unwrap() as isize
}

fn ints(v: &Value) -> Vec<isize> {
    v.as_array().unwrap().iter().map(int).collect()
}

fn sizes(v: &Value) -> Vec<usize> {
    ints(v).into_iter().map(|i| i as usize).collect()
}

fn axis(v: &Value) -> Option<isize> {
    v.as_i64().map(|a| a as isize)
}

fn scalar(v: &Value) -> Scalar {
    match v {
        Value::Bool(b) => Scalar::Bool(*b),
        v if v.is_i64() => Scalar::Int(v.as_i64().unwrap()),
        v => Scalar::Float(v.as_f64().unwrap()),
    }
}

fn pad_mode(p: &Value) -> PadMode {
    match p["mode"].as_str().unwrap() {
        "constant" => PadMode::Constant(scalar(&p["value"])),
        "edge" => PadMode::Edge,
        "wrap" => PadMode::Wrap,
        "reflect" => PadMode::Reflect,
        "symmetric" => PadMode::Symmetric,
        "linear_ramp" => PadMode::LinearRamp(scalar(&p["value"])),
        "minimum" => PadMode::Minimum,
        "maximum" => PadMode::Maximum,
        "mean" => PadMode::Mean,
        other => panic!("no pad mode {other}"),
    }
}

/// tessera's call for a pinned case.
fn apply(func: &str, p: &Value, x: &Array) -> Result<Vec<Array>> {
    let one = |a: Result<Array>| a.map(|a| vec![a]);
    match func {
        "pad" => {
            let width: Vec<(usize, usize)> = p["width"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| (int(&w[0]) as usize, int(&w[1]) as usize))
                .collect();
            one(x.pad(width, pad_mode(p)))
        }
        "flip" => one(x.flip(axis(&p["axis"]))),
        "fliplr" => one(x.fliplr()),
        "flipud" => one(x.flipud()),
        "rot90" => {
            let axes = ints(&p["axes"]);
            one(x.rot90(int(&p["k"]), [axes[0], axes[1]]))
        }
        "roll" => one(x.roll(int(&p["shift"]), axis(&p["axis"]))),
        "moveaxis" => one(x.moveaxis(int(&p["source"]), int(&p["destination"]))),
        "swapaxes" => one(x.swapaxes(int(&p["axis1"]), int(&p["axis2"]))),
        "squeeze" => one(x.expand_dims(&[0, 2])?.squeeze(&ints(&p["axes"]))),
        "expand_dims" => one(x.expand_dims(&ints(&p["axes"]))),
        "ravel" => one(x.ravel()),
        "atleast_1d" => one(x.atleast_1d()),
        "atleast_2d" => one(x.atleast_2d()),
        "atleast_3d" => one(x.atleast_3d()),
        "broadcast_to" => one(x.broadcast_to(sizes(&p["shape"]))),
        "tile" => one(x.tile(&sizes(&p["reps"]))),
        "repeat" => one(x.repeat(int(&p["repeats"]) as usize, axis(&p["axis"]))),
        "split" | "array_split" => {
            let sections = match &p["sections"] {
                Value::Array(_) => Sections::At(ints(&p["sections"])),
                n => Sections::Count(int(n) as usize),
            };
            let axis = int(&p["axis"]);
            if func == "split" {
                x.split(sections, axis)
            } else {
                x.array_split(sections, axis)
            }
        }
        "block" => {
            let a = x.slice(s![.., ..3])?;
            let b = x.slice(s![..2, ..])?;
            let c = x.slice(s![..2, ..3])?;
            one(block(&[vec![x.clone(), a], vec![b, c]]))
        }
        "diagonal" => one(x.diagonal(int(&p["offset"]), int(&p["axis1"]), int(&p["axis2"]))),
        "tril" => one(x.tril(int(&p["k"]))),
        "triu" => one(x.triu(int(&p["k"]))),
        other => panic!("no shape helper {other}"),
    }
}

fn outputs(case: &Value) -> Vec<Pinned> {
    case["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(pinned)
        .collect()
}

fn check_all(what: &str, got: Result<Vec<Array>>, want: &[Pinned], ulps: u64) {
    let got = got.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(got.len(), want.len(), "{what}: number of outputs");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let computed = g.compute().unwrap_or_else(|e| panic!("{what}[{i}]: {e}"));
        check(&format!("{what}[{i}]"), &computed, w, ulps);
    }
}

#[test]
fn shape_helpers_give_numpys_values() {
    let table = expected();
    let inputs: std::collections::HashMap<String, Vec<Pinned>> = table["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(dtype, xs)| {
            (
                dtype.clone(),
                xs.as_array().unwrap().iter().map(pinned).collect(),
            )
        })
        .collect();
    let cases: Vec<&Value> = table["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("input").is_some())
        .collect();
    let checks = cases
        .iter()
        .map(|&case| {
            let inputs = &inputs;
            Box::new(move || {
                let func = case["func"].as_str().unwrap();
                let dtype = case["dtype"].as_str().unwrap();
                let input = &inputs[dtype][case["input"].as_u64().unwrap() as usize];
                for c in CHUNKINGS {
                    let x = array(input, chunk(input, c));
                    let what = format!("{func} {} of {dtype} in chunks {c}", case["params"]);
                    let got = apply(func, &case["params"], &x);
                    if case.get("error").is_some() {
                        assert!(
                            got.is_err(),
                            "{what}: numpy refuses it, tessera gave a result"
                        );
                    } else {
                        let ulps = match case["params"]["mode"].as_str() {
                            Some("mean") => MEAN_ULPS,
                            _ => MAX_ULPS,
                        };
                        check_all(&what, got, &outputs(case), ulps);
                    }
                }
            }) as Box<dyn Fn() + std::panic::RefUnwindSafe>
        })
        .collect();
    all_of(checks);
}

#[test]
fn constructors_give_numpys_values() {
    let table = expected();
    let constructors = table["cases"].as_array().unwrap().iter();
    for case in constructors.filter(|c| c.get("input").is_none()) {
        let p = &case["params"];
        let want = outputs(case);
        for c in [1, 2, 3, 7] {
            let what = format!("{} {p} in chunks {c}", case["func"]);
            let got = match case["func"].as_str().unwrap() {
                "eye" => {
                    let dtype = want[0].dtype;
                    let m = p["m"].as_u64().map(|m| m as usize);
                    eye(int(&p["n"]) as usize, m, int(&p["k"]), dtype, c).map(|e| vec![e])
                }
                "indices" => indices(sizes(&p["shape"]), c).map(|i| vec![i]),
                "meshgrid" => {
                    let indexing = match p["indexing"].as_str().unwrap() {
                        "xy" => Indexing::Xy,
                        _ => Indexing::Ij,
                    };
                    let xs = [
                        arange(0, 5, 1, c),
                        arange(10.0, 13.0, 1.0, c),
                        arange(0, 2, 1, c),
                    ];
                    meshgrid(&xs, indexing)
                }
                _ => continue,
            };
            check_all(&what, got, &want, 0);
        }
    }
}

#[test]
fn helpers_are_views_of_their_input() {
    // A slice of a padded, flipped, rolled array reads only the blocks it needs: the plan after
    // optimization holds no more of the source than the slice's neighbourhood.
    let x = arange(0, 1_000_000, 1, 1000);
    let y = x
        .pad((3, 3), PadMode::Reflect)
        .unwrap()
        .flip(None)
        .unwrap()
        .roll(5, Some(0))
        .unwrap();
    let part = y.slice(s![500_000..500_010]).unwrap();
    let want: Vec<i64> = (500_007 - 9..=500_007).rev().collect();
    assert_eq!(part.compute().unwrap().to_vec::<i64>(), want);
    let tasks = tessera::graph::lower(&part.optimized().unwrap())
        .unwrap()
        .tasks
        .len();
    assert!(tasks < 20, "{tasks} tasks for 10 elements of 1000 blocks");
}

#[test]
fn bad_arguments_name_what_was_given() {
    let x = zeros([2, 3], 2);
    let msg = |r: Result<Array>| r.unwrap_err().to_string();
    assert_eq!(
        msg(x.pad([(1, 1)], PadMode::Edge)),
        "pad: expected one (before, after) pair per axis (2), got 1"
    );
    assert_eq!(
        msg(zeros([0, 3], 2).pad(1, PadMode::Wrap)),
        "pad: can't extend empty axis 0 using modes other than constant"
    );
    assert_eq!(
        msg(x.rot90(1, [1, 1])),
        "rot90: axes must be different, got [1, 1]"
    );
    assert!(msg(x.moveaxis(2, 0)).contains("axis 2"));
    assert_eq!(
        msg(x.broadcast_to([3, 3])),
        "broadcast_to: cannot broadcast an array of shape (2, 3) to shape (3, 3)"
    );
    assert_eq!(
        x.split(0, 0).unwrap_err().to_string(),
        "split: number of sections must be larger than 0"
    );
    assert_eq!(
        msg(x.expand_dims(&[0, 0])),
        "expand_dims: repeated axis 0 in [0, 0]"
    );
    assert_eq!(msg(block(&[vec![]])), "block: lists cannot be empty");
}
