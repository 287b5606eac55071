//! Values pinned from numpy (`scripts/ufunc-expected.py`, `scripts/ufunc-table-expected.py`):
//! reading a pinned array, building it as an array of some chunking, and comparing a result
//! with numpy's. Floats travel as bit patterns, so NaN, infinities and signed zeros compare
//! exactly; finite results may differ from numpy's by a few units in the last place (numpy's
//! SIMD loops and the C library round differently; float32 computes through float64,
//! rounded once).
#![allow(dead_code)]

use serde_json::Value;
use tessera::prelude::*;

/// A pinned array: dtype, shape and values as numpy gave them.
pub struct Pinned {
    pub dtype: DType,
    pub shape: Vec<usize>,
    pub values: Vec<Value>,
}

pub fn pinned(v: &Value) -> Pinned {
    let dtype = v["dtype"].as_str().unwrap().parse().unwrap();
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

/// A pinned integer (uint64's above `i64::MAX` as their bits).
fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| v.as_u64().unwrap() as i64)
}

/// The pinned input as an array of `chunks`.
pub fn array(p: &Pinned, chunks: usize) -> Array {
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
        DType::Float16 => build!(tessera::f16, |v| tessera::f16::from_bits(hex(v) as u16)),
        DType::Int64 => build!(i64, int),
        DType::Int32 => build!(i32, |v| int(v) as i32),
        DType::Int16 => build!(i16, |v| int(v) as i16),
        DType::Int8 => build!(i8, |v| int(v) as i8),
        DType::UInt64 => build!(u64, |v| int(v) as u64),
        DType::UInt32 => build!(u32, |v| int(v) as u32),
        DType::UInt16 => build!(u16, |v| int(v) as u16),
        DType::UInt8 => build!(u8, |v| int(v) as u8),
        DType::Bool => build!(bool, |v| int(v) != 0),
    }
}

/// `got` equals numpy's pinned result: dtype, shape, and every value (integers and bool
/// exactly; NaN as NaN; infinities and zeros bit for bit, signs included; other floats within
/// `max_ulps` units in the last place).
pub fn check(what: &str, got: &Computed, want: &Pinned, max_ulps: u64) {
    assert_eq!(got.dtype(), want.dtype, "{what}: dtype");
    assert_eq!(got.shape(), &want.shape[..], "{what}: shape");
    let exact = |got: Vec<i64>| {
        let want: Vec<i64> = want.values.iter().map(int).collect();
        assert_eq!(got, want, "{what}: values");
    };
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
        DType::Float16 => (
            got.to_vec::<tessera::f16>()
                .into_iter()
                .map(|x| u64::from(x.to_bits()))
                .collect(),
            want.values.iter().map(hex).collect(),
        ),
        DType::Bool => {
            return exact(got.to_vec::<bool>().into_iter().map(i64::from).collect());
        }
        // every integer converts to int64 keeping its value, or uint64 its bits
        _ => return exact(got.to_vec::<i64>()),
    };
    let float = |bits: u64| match want.dtype {
        DType::Float16 => tessera::f16::from_bits(bits as u16).to_f64(),
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
            g.abs_diff(w) <= max_ulps
        };
        assert!(same, "{what}: element {i} is {gf:e}, numpy gives {wf:e}");
    }
}

/// Whole arrays and odd chunkings (3 and 7 elements along every axis).
pub const CHUNKINGS: [usize; 3] = [usize::MAX, 3, 7];

/// Chunk length `c`, at most the longest axis (and at least 1).
pub fn chunk(p: &Pinned, c: usize) -> usize {
    c.min(p.shape.iter().copied().max().unwrap_or(1).max(1))
}

/// Runs every check, then fails with all the messages of those that failed.
pub fn all_of(checks: Vec<Box<dyn Fn() + std::panic::RefUnwindSafe + '_>>) {
    let failed: Vec<String> = checks
        .iter()
        .filter_map(|check| std::panic::catch_unwind(check).err())
        .map(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| format!("{:?}", e.downcast_ref::<&str>()))
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// A float result and its pinned value as float64, with the pinned dtype's epsilon (float16,
/// float32, else float64): what a tolerance check compares.
pub fn as_f64(got: &Computed, want: &Pinned) -> (f64, Vec<f64>, Vec<f64>) {
    let bits = |v: &Value| u64::from_str_radix(v.as_str().unwrap(), 16).unwrap();
    match want.dtype {
        DType::Float16 => (
            tessera::f16::EPSILON.to_f64(),
            got.to_vec::<tessera::f16>()
                .iter()
                .map(|v| v.to_f64())
                .collect(),
            want.values
                .iter()
                .map(|v| tessera::f16::from_bits(bits(v) as u16).to_f64())
                .collect(),
        ),
        DType::Float32 => (
            f32::EPSILON.into(),
            got.to_vec::<f32>().into_iter().map(f64::from).collect(),
            want.values
                .iter()
                .map(|v| f32::from_bits(bits(v) as u32).into())
                .collect(),
        ),
        _ => (
            f64::EPSILON,
            got.to_vec::<f64>(),
            want.values
                .iter()
                .map(|v| f64::from_bits(bits(v)))
                .collect(),
        ),
    }
}
