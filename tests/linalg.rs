//! `dot` against numpy's `matmul`: float64 and float32 (the `gemm` kernels), int64 and int32
//! (exact, beyond float64's precision), transposed operands read without a copy, NaN and
//! infinities, empty operands, each computed whole and in odd chunkings.
//!
//! numpy's values are pinned in `tests/data/matmul_expected.json` by
//! `scripts/matmul-expected.py` (run it with the test venv's Python to regenerate). Floats may
//! differ from numpy by the rounding of another summation order: at most
//! `k · ε · (|a| @ |b|)` for inner length `k` (the classic bound), with `ε` of the dtype.

use serde_json::Value;
use tessera::graph::{lower, TaskOp};
use tessera::prelude::*;

/// A pinned operand or result: dtype, shape and values as numpy gave them.
struct Pinned {
    dtype: DType,
    shape: [usize; 2],
    values: Vec<f64>,
    ints: Vec<i64>,
}

fn pinned(v: &Value) -> Pinned {
    let dtype = match v["dtype"].as_str().unwrap() {
        "float64" => DType::Float64,
        "float32" => DType::Float32,
        "int64" => DType::Int64,
        "int32" => DType::Int32,
        other => panic!("no such dtype pinned: {other}"),
    };
    let shape = v["shape"].as_array().unwrap();
    let dim = |i: usize| shape[i].as_u64().unwrap() as usize;
    let raw = v["values"].as_array().unwrap();
    let float = |x: &Value| x.as_str().unwrap().parse::<f64>().unwrap();
    let (values, ints) = match dtype {
        DType::Float64 | DType::Float32 => (raw.iter().map(float).collect(), vec![]),
        _ => (vec![], raw.iter().map(|x| x.as_i64().unwrap()).collect()),
    };
    Pinned {
        dtype,
        shape: [dim(0), dim(1)],
        values,
        ints,
    }
}

/// The pinned operand as an array in blocks of `chunk` along both axes, transposed when the
/// case says so (the stored values are then the transpose of the operand).
fn operand(v: &Value, chunk: usize) -> Array {
    let p = pinned(v);
    let shape = (p.shape[0], p.shape[1]);
    let a = match p.dtype {
        DType::Float64 => from_array(
            ndarray::Array2::from_shape_vec(shape, p.values).unwrap(),
            chunk,
        ),
        DType::Float32 => {
            let values = p.values.iter().map(|&x| x as f32).collect();
            from_array(
                ndarray::Array2::from_shape_vec(shape, values).unwrap(),
                chunk,
            )
        }
        DType::Int64 => from_array(
            ndarray::Array2::from_shape_vec(shape, p.ints).unwrap(),
            chunk,
        ),
        DType::Int32 => {
            let values = p.ints.iter().map(|&x| x as i32).collect();
            from_array(
                ndarray::Array2::from_shape_vec(shape, values).unwrap(),
                chunk,
            )
        }
        other => unreachable!("no {other} matrices are pinned"),
    };
    if v["transposed"].as_bool().unwrap() {
        a.t()
    } else {
        a
    }
}

/// `got` equals numpy's pinned `want`: dtype, shape, integers exactly, floats within the
/// rounding bound, NaN where numpy has NaN, infinities exactly.
fn check(what: &str, got: &Computed, case: &Value) {
    let want = pinned(case);
    assert_eq!(got.dtype(), want.dtype, "{what}: dtype");
    assert_eq!(got.shape(), &want.shape[..], "{what}: shape");
    let got_floats: Vec<f64> = match want.dtype {
        DType::Float64 => got.to_vec::<f64>(),
        DType::Float32 => got.to_vec::<f32>().into_iter().map(f64::from).collect(),
        DType::Int64 => return assert_eq!(got.to_vec::<i64>(), want.ints, "{what}"),
        DType::Int32 => {
            let ints: Vec<i64> = got.to_vec::<i32>().into_iter().map(i64::from).collect();
            return assert_eq!(ints, want.ints, "{what}");
        }
        other => unreachable!("no {other} products are pinned"),
    };
    let eps = match want.dtype {
        DType::Float32 => f64::from(f32::EPSILON),
        _ => f64::EPSILON,
    };
    let k = pinned(&case["lhs"]).shape[if case["lhs"]["transposed"].as_bool().unwrap() {
        0
    } else {
        1
    }] as f64;
    let scale = case["scale"].as_array().unwrap();
    for (i, (&g, &w)) in got_floats.iter().zip(&want.values).enumerate() {
        let bound = k * eps * scale[i].as_str().unwrap().parse::<f64>().unwrap();
        let same = if w.is_nan() {
            g.is_nan()
        } else if w.is_infinite() {
            g == w
        } else {
            (g - w).abs() <= bound
        };
        assert!(
            same,
            "{what}: element {i} is {g:e}, numpy gives {w:e} (bound {bound:e})"
        );
    }
}

fn cases() -> Vec<Value> {
    let pinned: Value = serde_json::from_str(include_str!("data/matmul_expected.json")).unwrap();
    pinned["cases"].as_array().unwrap().clone()
}

#[test]
fn dot_gives_numpys_matmul() -> Result<()> {
    let cases = cases();
    assert!(cases.len() >= 10, "the pinned cases are there");
    for (n, case) in cases.iter().enumerate() {
        // whole operands, and blocks of 3 and 7 (odd: partial edge blocks, several inner pairs)
        for chunk in [usize::MAX, 3, 7] {
            let (a, b) = (operand(&case["lhs"], chunk), operand(&case["rhs"], chunk));
            let what = format!("case {n}, chunks of {chunk}");
            check(&what, &a.dot(&b)?.compute()?, case);
        }
    }
    Ok(())
}

/// A transposed operand is read as a strided view of its input's blocks: the lowered graph
/// of `a @ a.T` and `a.T @ a` has no transpose task, and its products read `a`'s blocks.
#[test]
fn a_transposed_operand_is_not_copied() -> Result<()> {
    let a = from_array(
        ndarray::Array2::from_shape_fn((6, 4), |(i, j)| (i * 4 + j) as f64),
        [3, 2],
    );
    for product in [a.dot(&a.t())?, a.t().dot(&a)?] {
        let graph = lower(&product)?;
        assert!(
            !graph
                .tasks
                .iter()
                .any(|t| matches!(t.op, TaskOp::Transpose { .. })),
            "no transpose task"
        );
        assert!(graph.tasks.iter().any(|t| matches!(
            t.op,
            TaskOp::Dot {
                transposed: [false, true] | [true, false],
                ..
            }
        )));
    }
    let m = ndarray::Array2::from_shape_fn((6, 4), |(i, j)| (i * 4 + j) as f64);
    let want = m.dot(&m.t());
    assert_eq!(
        a.dot(&a.t())?.compute()?.to_vec::<f64>(),
        want.iter().copied().collect::<Vec<_>>()
    );
    Ok(())
}
