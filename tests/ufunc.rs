//! The functions added through the elementwise table, `log10` and `arctan2`, against numpy's
//! values: NaN, ±inf, −0.0, subnormals, integers and bool, 2-D, broadcasting, mixed dtypes and
//! empty arrays, each computed whole and in odd chunkings, unfused and fused into a reduction.
//!
//! numpy's values are pinned in `tests/data/ufunc_expected.json` by `scripts/ufunc-expected.py`
//! (run it with the test venv's Python to regenerate; it records the numpy version). Values are
//! bit patterns, so NaN, infinities and signed zeros compare exactly; finite results may differ
//! from numpy's by at most [`MAX_ULPS`] units in the last place (numpy's SIMD loops and the C
//! library round differently; float32 computes through float64, rounded once).

use serde_json::Value;
use tessera::prelude::*;

/// The largest difference from numpy's finite results, in units in the last place (measured:
/// float64 `log10` differs from numpy 2.4 by 1 ulp on some values, float32 `arctan2` by 2 —
/// numpy's float32 loop is less exact than float64 rounded once).
const MAX_ULPS: u64 = 2;

/// A pinned array: dtype, shape and values as numpy gave them.
struct Pinned {
    dtype: DType,
    shape: Vec<usize>,
    values: Vec<Value>,
}

fn pinned(v: &Value) -> Pinned {
    let dtype = match v["dtype"].as_str().unwrap() {
        "float64" => DType::Float64,
        "float32" => DType::Float32,
        "int64" => DType::Int64,
        "int32" => DType::Int32,
        "bool" => DType::Bool,
        other => panic!("no such dtype in tessera: {other}"),
    };
    let shape = v["shape"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap() as usize)
        .collect();
    Pinned {
        dtype,
        shape,
        values: v["values"].as_array().unwrap().clone(),
    }
}

fn hex(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().unwrap(), 16).unwrap()
}

/// The pinned input as an array of `chunks`.
fn array(p: &Pinned, chunks: usize) -> Array {
    let shape = ndarray::IxDyn(&p.shape);
    macro_rules! build {
        ($t:ty, $convert:expr) => {{
            let values: Vec<$t> = p.values.iter().map($convert).collect();
            from_array(
                ndarray::ArrayD::from_shape_vec(shape, values).unwrap(),
                chunks,
            )
        }};
    }
    match p.dtype {
        DType::Float64 => build!(f64, |v| f64::from_bits(hex(v))),
        DType::Float32 => build!(f32, |v| f32::from_bits(hex(v) as u32)),
        DType::Int64 => build!(i64, |v| v.as_i64().unwrap()),
        DType::Int32 => build!(i32, |v| v.as_i64().unwrap() as i32),
        DType::Bool => build!(bool, |v| v.as_i64().unwrap() != 0),
    }
}

/// Units in the last place between two finite floats of the same sign, by their bits.
fn ulps(a: u64, b: u64) -> u64 {
    a.abs_diff(b)
}

/// `got` equals numpy's pinned result: dtype, shape, and every value (NaN as NaN; infinities
/// and zeros bit for bit, signs included; other values within [`MAX_ULPS`]).
fn check(what: &str, got: &Computed, want: &Pinned) {
    assert_eq!(got.dtype(), want.dtype, "{what}: dtype");
    assert_eq!(got.shape(), &want.shape[..], "{what}: shape");
    let (got_bits, want_bits): (Vec<u64>, Vec<u64>) = match want.dtype {
        DType::Float64 => (
            got.to_vec::<f64>().into_iter().map(f64::to_bits).collect(),
            want.values.iter().map(hex).collect(),
        ),
        DType::Float32 => (
            got.to_vec::<f32>()
                .into_iter()
                .map(|x| u64::from(x.to_bits()))
                .collect(),
            want.values.iter().map(hex).collect(),
        ),
        other => panic!("{what}: results of dtype {other} are not pinned"),
    };
    let float = |bits: u64| match want.dtype {
        DType::Float32 => f64::from(f32::from_bits(bits as u32)),
        _ => f64::from_bits(bits),
    };
    for (i, (&g, &w)) in got_bits.iter().zip(&want_bits).enumerate() {
        let (gf, wf) = (float(g), float(w));
        let same = if wf.is_nan() {
            gf.is_nan()
        } else if wf.is_infinite() || wf == 0.0 || gf.signum() != wf.signum() {
            g == w
        } else {
            ulps(g, w) <= MAX_ULPS
        };
        assert!(same, "{what}: element {i} is {gf:e}, numpy gives {wf:e}");
    }
}

fn cases() -> Vec<Value> {
    let text = include_str!("data/ufunc_expected.json");
    let pinned: Value = serde_json::from_str(text).unwrap();
    pinned["cases"].as_array().unwrap().clone()
}

/// Whole arrays and odd chunkings (3 and 7 elements along every axis).
const CHUNKINGS: [usize; 3] = [usize::MAX, 3, 7];

fn chunk(p: &Pinned, c: usize) -> usize {
    c.min(p.shape.iter().copied().max().unwrap_or(1).max(1))
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
            check(&what, &result.compute().unwrap(), &want);
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
