//! Elementwise operations checked against eager ndarray on random shapes, chunkings and dtypes.
//!
//! Covers `+ - * / pow`, the comparisons `eq ne lt le gt ge`, `& |`, the unary `neg abs sqrt
//! exp log sin cos !`, `where_` and `astype`: between arrays with numpy broadcasting, with Rust
//! scalars on either side, and across dtypes. Each case checks that the result dtype follows
//! numpy 2's promotion (array/array as `np.result_type`, scalars "weak" as NEP 50) and that the
//! values equal the same computation done on ndarray data cast to the promoted dtype. Operations
//! a dtype does not support (bool `-`, float `& | !`) must give the engine's error, not a panic.

#[macro_use]
mod common;

use std::ops::{Add, BitAnd, BitOr, Div, Mul, Sub};

use common::*;
use proptest::prelude::*;
use tessera::ops::Operand;
use tessera::prelude::*;
use tessera::ArrayData;

// ---------------------------------------------------------------------------------------------
// Binary operations: the reference
// ---------------------------------------------------------------------------------------------

/// The engine's own list of binary operations (its `name()` is numpy's ufunc name, as errors
/// report it); the reference values below are computed independently.
use tessera::expr::BinaryOp as Op;

const OPS: [Op; 13] = [
    Op::Add,
    Op::Sub,
    Op::Mul,
    Op::Div,
    Op::Pow,
    Op::Eq,
    Op::Ne,
    Op::Lt,
    Op::Le,
    Op::Gt,
    Op::Ge,
    Op::And,
    Op::Or,
];

/// `lhs op rhs` with tessera's API (operators where Rust has them, methods otherwise).
fn apply(op: Op, lhs: &Array, rhs: impl Into<Operand>) -> Array {
    let rhs = rhs.into();
    match op {
        Op::Add => lhs + rhs,
        Op::Sub => lhs - rhs,
        Op::Mul => lhs * rhs,
        Op::Div => lhs / rhs,
        Op::Pow => lhs.pow(rhs),
        Op::Eq => lhs.eq(rhs),
        Op::Ne => lhs.ne(rhs),
        Op::Lt => lhs.lt(rhs),
        Op::Le => lhs.le(rhs),
        Op::Gt => lhs.gt(rhs),
        Op::Ge => lhs.ge(rhs),
        Op::And => lhs & rhs,
        Op::Or => lhs | rhs,
        other => unreachable!("{other:?} is not in OPS"),
    }
}

/// `scalar op array` with the operators that take a scalar on the left.
fn apply_left<S>(op: Op, scalar: S, rhs: &Array) -> Array
where
    S: for<'a> Add<&'a Array, Output = Array>
        + for<'a> Sub<&'a Array, Output = Array>
        + for<'a> Mul<&'a Array, Output = Array>
        + for<'a> Div<&'a Array, Output = Array>
        + for<'a> BitAnd<&'a Array, Output = Array>
        + for<'a> BitOr<&'a Array, Output = Array>,
{
    match op {
        Op::Add => scalar + rhs,
        Op::Sub => scalar - rhs,
        Op::Mul => scalar * rhs,
        Op::Div => scalar / rhs,
        Op::And => scalar & rhs,
        Op::Or => scalar | rhs,
        other => unreachable!("{other:?} has no operator"),
    }
}

/// numpy's `operand dtype, result dtype` of `op` on operands promoted to `common`, or the
/// engine's error message when the dtype does not support it.
fn binary_dtypes(op: Op, common: DType) -> Result<(DType, DType), String> {
    let float = |d: DType| {
        if d == DType::Float32 {
            DType::Float32
        } else {
            DType::Float64
        }
    };
    match op {
        Op::Sub if common == DType::Bool => {
            Err("sub: not supported for dtype bool (boolean subtract is not supported; use `.ne(..)` for xor)".into())
        }
        Op::And | Op::Or if common.is_float() => {
            Err(format!("{}: not supported for dtype {common} (logical and/or need bool or integer arrays)", op.name()))
        }
        Op::Div => Ok((float(common), float(common))),
        Op::Pow if common == DType::Bool => Ok((DType::Int8, DType::Int8)),
        _ if op.is_comparison() => Ok((common, DType::Bool)),
        _ => Ok((common, common)),
    }
}

fn compare<T: PartialOrd>(op: Op, a: T, b: T) -> Elem {
    Elem::B(match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        other => unreachable!("{other:?} is not a comparison"),
    })
}

/// `x op y` computed in `operand` (numpy semantics: integers wrap, bool `+` is or and `*` is
/// and); `None` for an integer raised to a negative power.
fn binary_elem(op: Op, operand: DType, x: Elem, y: Elem) -> Option<Elem> {
    macro_rules! int_op {
        ($t:ty) => {{
            let (a, b) = (<$t>::from_elem(x), <$t>::from_elem(y));
            let v: $t = match op {
                Op::Add => a.wrapping_add(b),
                Op::Sub => a.wrapping_sub(b),
                Op::Mul => a.wrapping_mul(b),
                Op::Pow => a.wrapping_pow(u32::try_from(b).ok()?),
                Op::And => a & b,
                Op::Or => a | b,
                cmp => return Some(compare(cmp, a, b)),
            };
            Elem::I(v as i64)
        }};
    }
    macro_rules! float_op {
        ($t:ty) => {{
            let (a, b) = (<$t>::from_elem(x), <$t>::from_elem(y));
            let v: $t = match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                Op::Div => a / b,
                Op::Pow => a.powf(b),
                cmp => return Some(compare(cmp, a, b)),
            };
            Elem::F(v as f64)
        }};
    }
    Some(match operand {
        DType::Bool => {
            let (a, b) = (x.b(), y.b());
            match op {
                Op::Add | Op::Or => Elem::B(a || b),
                Op::Mul | Op::And => Elem::B(a && b),
                cmp => compare(cmp, a, b),
            }
        }
        DType::Int8 => int_op!(i8), // bool powers
        DType::Int32 => int_op!(i32),
        DType::Int64 => int_op!(i64),
        DType::Float32 => float_op!(f32),
        DType::Float64 => float_op!(f64),
        other => unreachable!("{other} is not in the model"),
    })
}

/// What an operation must give.
#[derive(Debug)]
enum Outcome {
    Values(ArrayData),
    /// An invalid array with this message.
    BuildError(String),
    /// A valid plan whose computation fails: an integer to a negative power.
    NegativePower,
}

/// The reference result of `lhs op rhs` (a scalar operand is a 0-d array of its weak dtype).
fn binary_reference(op: Op, lhs: &ArrayData, rhs: &ArrayData) -> Outcome {
    let common = numpy_promote(lhs.dtype(), rhs.dtype());
    let (operand, result) = match binary_dtypes(op, common) {
        Ok(dtypes) => dtypes,
        Err(message) => return Outcome::BuildError(message),
    };
    let shape = broadcast_shape(&[lhs.shape(), rhs.shape()]).expect("generated shapes broadcast");
    let xs = broadcast(&cast(lhs, operand), &shape);
    let ys = broadcast(&cast(rhs, operand), &shape);
    let mut out = Vec::with_capacity(xs.len());
    for (x, y) in xs.into_iter().zip(ys) {
        match binary_elem(op, operand, x, y) {
            Some(v) => out.push(v),
            None => return Outcome::NegativePower,
        }
    }
    Outcome::Values(from_elems(result, &shape, out))
}

/// Checks `array` against the expected outcome.
fn check_outcome(array: &Array, outcome: &Outcome) -> Check {
    match outcome {
        Outcome::Values(expected) => check_array(array, expected),
        Outcome::BuildError(message) => check_err(array.check().map(|_| ()), message),
        Outcome::NegativePower => {
            prop_assert!(array.check().is_ok());
            let message = array
                .compute()
                .expect_err("a negative integer power fails")
                .to_string();
            prop_assert!(
                message.starts_with("pow failed on chunk ('pow-")
                    && message.ends_with("): integers to negative integer powers are not allowed"),
                "{}",
                message
            );
            Ok(())
        }
    }
}

/// A scalar as the 0-d array numpy treats it as next to an array of `array` dtype.
fn weak_scalar(array: DType, s: Scalar) -> ArrayData {
    from_elems(numpy_weak_scalar(array, s), &[], vec![scalar_elem(s)])
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// A shape that broadcasts to `out`: some leading axes dropped, some axes of length 1.
fn operand_shape(out: Vec<usize>) -> impl Strategy<Value = Vec<usize>> {
    let ndim = out.len();
    (
        0..=ndim,
        prop::collection::vec(prop::bool::weighted(0.3), ndim),
    )
        .prop_map(move |(drop, ones)| {
            out.iter()
                .zip(ones)
                .skip(drop)
                .map(|(&len, one)| if one { 1 } else { len })
                .collect()
        })
}

/// Two operands whose shapes broadcast together, of random dtypes and chunkings.
fn two_operands() -> impl Strategy<Value = (Case, Case)> {
    shape()
        .prop_flat_map(|out| {
            (
                operand_shape(out.clone()),
                operand_shape(out),
                dtype(),
                dtype(),
            )
        })
        .prop_flat_map(|(ls, rs, ld, rd)| (case_for(ls, ld), case_for(rs, rd)))
}

fn op() -> impl Strategy<Value = Op> {
    prop::sample::select(OPS.to_vec())
}

fn scalar() -> impl Strategy<Value = Scalar> {
    prop_oneof![
        any::<bool>().prop_map(Scalar::Bool),
        (-5i64..=5).prop_map(Scalar::Int),
        float_value().prop_map(Scalar::Float),
    ]
}

/// `data` with integers replaced by their absolute values (so integer powers are defined).
fn abs_ints(data: ArrayData) -> ArrayData {
    match data {
        ArrayData::Int32(a) => ArrayData::Int32(a.mapv(i32::abs)),
        ArrayData::Int64(a) => ArrayData::Int64(a.mapv(i64::abs)),
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Binary operations: property tests
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    /// Array op array with broadcasting, every dtype pair.
    #[test]
    fn binary_ops_between_arrays_match_ndarray((lhs, mut rhs) in two_operands(), op in op(), abs_exponent in any::<bool>()) {
        if op == Op::Pow && abs_exponent {
            rhs.data = abs_ints(rhs.data);
        }
        let result = apply(op, &lhs.lazy(), rhs.lazy());
        check_outcome(&result, &binary_reference(op, &lhs.data, &rhs.data))?;
    }

    /// Array op scalar: the scalar is weak (takes the array's dtype when of the same kind).
    #[test]
    fn binary_ops_with_a_scalar_on_the_right(case in case(), s in scalar(), op in op()) {
        let expected = binary_reference(op, &case.data, &weak_scalar(case.dtype(), s));
        check_outcome(&apply(op, &case.lazy(), Operand::Scalar(s)), &expected)?;
    }

    /// Scalar op array with the operators (`2.0 - &a`, `3 * &a`, `1i32 | &a`).
    #[test]
    fn binary_ops_with_a_scalar_on_the_left(
        case in case(),
        op in prop::sample::select(vec![Op::Add, Op::Sub, Op::Mul, Op::Div, Op::And, Op::Or]),
        value in float_value(),
        kind in 0..3,
    ) {
        let a = case.lazy();
        let (result, s) = match kind {
            0 => (apply_left(op, value, &a), Scalar::Float(value)),
            1 => (apply_left(op, value as i64, &a), Scalar::Int(value as i64)),
            _ => (apply_left(op, value as i32, &a), Scalar::Int(value as i64)),
        };
        check_outcome(&result, &binary_reference(op, &weak_scalar(case.dtype(), s), &case.data))?;
    }
}

// ---------------------------------------------------------------------------------------------
// Unary operations
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unary {
    Neg,
    Abs,
    Sqrt,
    Exp,
    Log,
    Sin,
    Cos,
    Not,
}

fn apply_unary(op: Unary, a: &Array) -> Array {
    match op {
        Unary::Neg => -a,
        Unary::Abs => a.abs(),
        Unary::Sqrt => a.sqrt(),
        Unary::Exp => a.exp(),
        Unary::Log => a.log(),
        Unary::Sin => a.sin(),
        Unary::Cos => a.cos(),
        Unary::Not => !a,
    }
}

fn unary_reference(op: Unary, data: &ArrayData) -> Outcome {
    let dtype = data.dtype();
    let float = match dtype {
        DType::Float32 => DType::Float32,
        DType::Bool => DType::Float16, // numpy's float loops of bool
        _ => DType::Float64,
    };
    let math = |f: fn(f64) -> f64| -> Outcome {
        Outcome::Values(from_elems(
            float,
            data.shape(),
            elems(data).into_iter().map(|x| Elem::F(f(x.f()))).collect(),
        ))
    };
    let map = |f: &dyn Fn(Elem) -> Elem| {
        Outcome::Values(from_elems(
            dtype,
            data.shape(),
            elems(data).into_iter().map(f).collect(),
        ))
    };
    match op {
        Unary::Neg if dtype == DType::Bool => Outcome::BuildError(
            "neg: not supported for dtype bool (use `!` for logical not)".into(),
        ),
        Unary::Not if dtype.is_float() => Outcome::BuildError(format!(
            "not: not supported for dtype {dtype} (`!` needs a bool or integer array)"
        )),
        Unary::Neg => map(&|x| match (dtype, x) {
            (DType::Int32, x) => Elem::I(i32::from_elem(x).wrapping_neg() as i64),
            (_, Elem::I(i)) => Elem::I(i.wrapping_neg()),
            (_, x) => Elem::F(-x.f()),
        }),
        Unary::Abs => map(&|x| match (dtype, x) {
            (DType::Int32, x) => Elem::I(i32::from_elem(x).wrapping_abs() as i64),
            (_, Elem::I(i)) => Elem::I(i.wrapping_abs()),
            (_, Elem::F(f)) => Elem::F(f.abs()),
            (_, b) => b,
        }),
        Unary::Not => map(&|x| match x {
            Elem::B(b) => Elem::B(!b),
            Elem::I(i) => Elem::I(!i),
            Elem::F(_) => unreachable!(),
        }),
        Unary::Sqrt => math(f64::sqrt),
        Unary::Exp => math(f64::exp),
        Unary::Log => math(f64::ln),
        Unary::Sin => math(f64::sin),
        Unary::Cos => math(f64::cos),
    }
}

// ---------------------------------------------------------------------------------------------
// where_ and astype
// ---------------------------------------------------------------------------------------------

/// A `where_` operand: an array, or a scalar.
#[derive(Debug, Clone)]
enum Choice {
    Array(Case),
    Scalar(Scalar),
}

impl Choice {
    fn operand(&self) -> Operand {
        match self {
            Choice::Array(c) => Operand::Array(c.lazy()),
            Choice::Scalar(s) => Operand::Scalar(*s),
        }
    }
}

fn choice(shape: Vec<usize>) -> impl Strategy<Value = Choice> {
    prop_oneof![
        3 => (operand_shape(shape), dtype()).prop_flat_map(|(s, d)| case_for(s, d)).prop_map(Choice::Array),
        1 => scalar().prop_map(Choice::Scalar),
    ]
}

fn where_case() -> impl Strategy<Value = (Case, Choice, Choice)> {
    shape().prop_flat_map(|out| {
        let cond = (operand_shape(out.clone()), dtype()).prop_flat_map(|(s, d)| case_for(s, d));
        (cond, choice(out.clone()), choice(out))
    })
}

/// numpy's `where(cond, x, y)`: scalars are weak against the first array among `x`, `y`.
fn where_reference(cond: &ArrayData, x: &Choice, y: &Choice) -> ArrayData {
    let array_dtype = [x, y].iter().find_map(|c| match c {
        Choice::Array(case) => Some(case.dtype()),
        Choice::Scalar(_) => None,
    });
    let data = |c: &Choice| match c {
        Choice::Array(case) => case.data.clone(),
        Choice::Scalar(s) => match array_dtype {
            Some(d) => weak_scalar(d, *s),
            None => {
                let default = match s {
                    Scalar::Bool(_) => DType::Bool,
                    Scalar::Int(_) => DType::Int64,
                    Scalar::Float(_) => DType::Float64,
                };
                from_elems(default, &[], vec![scalar_elem(*s)])
            }
        },
    };
    let (xd, yd) = (data(x), data(y));
    let dtype = numpy_promote(xd.dtype(), yd.dtype());
    let shape = broadcast_shape(&[cond.shape(), xd.shape(), yd.shape()])
        .expect("generated shapes broadcast");
    let cs = broadcast(cond, &shape);
    let xs = broadcast(&cast(&xd, dtype), &shape);
    let ys = broadcast(&cast(&yd, dtype), &shape);
    let values = cs
        .iter()
        .zip(xs.iter().zip(&ys))
        .map(|(c, (&x, &y))| if c.b() { x } else { y })
        .collect();
    from_elems(dtype, &shape, values)
}

proptest! {
    #![proptest_config(config(128))]

    /// neg abs sqrt exp log sin cos and `!`, on every dtype.
    #[test]
    fn unary_ops_match_ndarray(
        case in case(),
        op in prop::sample::select(vec![Unary::Neg, Unary::Abs, Unary::Sqrt, Unary::Exp, Unary::Log, Unary::Sin, Unary::Cos, Unary::Not]),
    ) {
        check_outcome(&apply_unary(op, &case.lazy()), &unary_reference(op, &case.data))?;
    }

    /// `where_(cond, x, y)` with three-way broadcasting; `cond` of any dtype is taken as bool.
    #[test]
    fn where_matches_ndarray((cond, x, y) in where_case()) {
        let result = where_(&cond.lazy(), x.operand(), y.operand());
        check_array(&result, &where_reference(&cond.data, &x, &y))?;
    }

    /// `astype` to every dtype: floats truncate toward zero, nonzero is true, bools are 0/1.
    #[test]
    fn astype_matches_ndarray(case in case(), to in dtype()) {
        let result = case.lazy().astype(to);
        prop_assert_eq!(result.dtype(), to);
        check_array(&result, &cast(&case.data, to))?;
    }
}

// ---------------------------------------------------------------------------------------------
// Dtype rules, by example
// ---------------------------------------------------------------------------------------------

fn vector<T: tessera::DataElement>(values: Vec<T>, chunks: usize) -> Array {
    from_array(ndarray::Array1::from(values), chunks)
}

/// One array per dtype, 4 elements in chunks of 3.
fn one_of_each() -> Vec<Array> {
    MODEL_DTYPES
        .iter()
        .map(|&d| ones([4], 3).astype(d))
        .collect()
}

#[test]
fn array_promotion_follows_numpy_result_type() {
    use DType::*;
    // np.result_type for every pair (numpy 2), written out.
    let table = [
        (Bool, [Bool, Int32, Int64, Float32, Float64]),
        (Int32, [Int32, Int32, Int64, Float64, Float64]),
        (Int64, [Int64, Int64, Int64, Float64, Float64]),
        (Float32, [Float32, Float64, Float64, Float32, Float64]),
        (Float64, [Float64, Float64, Float64, Float64, Float64]),
    ];
    let arrays = one_of_each();
    for (i, (a, row)) in table.iter().enumerate() {
        for (j, &want) in row.iter().enumerate() {
            let b = MODEL_DTYPES[j];
            assert_eq!(numpy_promote(*a, b), want, "test table {a} {b}");
            assert_eq!(a.promote(b), want, "DType::promote({a}, {b})");
            assert_eq!((&arrays[i] * &arrays[j]).dtype(), want, "{a} * {b}");
            assert_eq!(arrays[i].ge(&arrays[j]).dtype(), Bool, "{a} >= {b}");
            let division = if want == Float32 { Float32 } else { Float64 };
            assert_eq!((&arrays[i] / &arrays[j]).dtype(), division, "{a} / {b}");
        }
    }
}

#[test]
fn scalars_are_weak() {
    use DType::*;
    // numpy 2 (NEP 50): np.ones(4, dtype) + python scalar
    let table = [
        //           True     1       1.5
        (Bool, [Bool, Int64, Float64]),
        (Int32, [Int32, Int32, Float64]),
        (Int64, [Int64, Int64, Float64]),
        (Float32, [Float32, Float32, Float32]),
        (Float64, [Float64, Float64, Float64]),
    ];
    for (array, (dtype, row)) in one_of_each().iter().zip(table) {
        let got = [
            (array + true).dtype(),
            (array + 1).dtype(),
            (array + 1.5).dtype(),
        ];
        assert_eq!(got, row, "{dtype} + scalars");
        // on the left too, and through the methods
        assert_eq!((1i64 + array).dtype(), row[1], "1 + {dtype}");
        assert_eq!((1.5 * array).dtype(), row[2], "1.5 * {dtype}");
        assert_eq!(
            array.pow(2).dtype(),
            if dtype == Bool { Int64 } else { row[1] },
            "{dtype} ** 2"
        );
    }
    // a float32 array times 2.0 stays float32 and is computed in float32
    let x = vector(vec![0.1f32, 1.5, -3.25], 2);
    assert_eq!(
        (&x * 2.0).compute().unwrap().to_vec::<f32>(),
        vec![0.2f32, 3.0, -6.5]
    );
    assert_eq!(
        (&x + 0.1).compute().unwrap().to_vec::<f32>(),
        vec![0.1f32 + 0.1f32, 1.6f32, -3.15f32]
    );
}

#[test]
fn bool_arithmetic_follows_numpy() -> Result<()> {
    let a = vector(vec![false, false, true, true], 3);
    let b = vector(vec![false, true, false, true], 1);
    let sum = &a + &b;
    assert_eq!(sum.dtype(), DType::Bool);
    assert_eq!(
        sum.compute()?.to_vec::<bool>(),
        vec![false, true, true, true],
        "bool + bool is or"
    );
    let product = &a * &b;
    assert_eq!(product.dtype(), DType::Bool);
    assert_eq!(
        product.compute()?.to_vec::<bool>(),
        vec![false, false, false, true],
        "bool * bool is and"
    );
    assert_eq!(
        (&a - &b).check().unwrap_err().to_string(),
        "sub: not supported for dtype bool (boolean subtract is not supported; use `.ne(..)` for xor)"
    );
    assert_eq!(
        (&a - true).check().unwrap_err().to_string(),
        (&a - &b).check().unwrap_err().to_string()
    );
    assert_eq!(
        (-&a).check().unwrap_err().to_string(),
        "neg: not supported for dtype bool (use `!` for logical not)"
    );
    assert_eq!(
        a.ne(&b).compute()?.to_vec::<bool>(),
        vec![false, true, true, false],
        "xor"
    );
    assert_eq!(
        (!&a).compute()?.to_vec::<bool>(),
        vec![true, true, false, false]
    );
    // division computes in float64: 0/0 = nan, 1/0 = inf
    let quotient = (&a / &b).compute()?.to_vec::<f64>();
    assert!(quotient[0].is_nan());
    assert_eq!(&quotient[1..], &[0.0, f64::INFINITY, 1.0]);
    // bool ** bool computes in int64
    assert_eq!(a.pow(&b).compute()?.to_vec::<i64>(), vec![1, 0, 1, 1]);
    Ok(())
}

#[test]
fn division_always_gives_float() -> Result<()> {
    let i = vector(vec![7i32, -7, 1, 0], 3);
    let j = vector(vec![2i64, 2, 0, 0], 2);
    let q = &i / &j;
    assert_eq!(q.dtype(), DType::Float64);
    let v = q.compute()?.to_vec::<f64>();
    assert_eq!(&v[..3], &[3.5, -3.5, f64::INFINITY]);
    assert!(v[3].is_nan());
    assert_eq!(
        (&i / 2).compute()?.to_vec::<f64>(),
        vec![3.5, -3.5, 0.5, 0.0]
    );
    assert_eq!((7i32 / &j).dtype(), DType::Float64);
    let f = vector(vec![1.0f32, 3.0], 1);
    assert_eq!((&f / &f).dtype(), DType::Float32);
    assert_eq!((&f / 3).compute()?.to_vec::<f32>(), vec![1.0f32 / 3.0, 1.0]);
    Ok(())
}

#[test]
fn owned_and_borrowed_operands_agree() -> Result<()> {
    let a = arange(0, 6, 1, 4).reshape([2, 3])?;
    let b = from_array(ndarray::array![10i64, 20, 30], 2);
    let borrowed = (&a + &b).compute()?;
    assert_eq!(borrowed.to_vec::<i64>(), vec![10, 21, 32, 13, 24, 35]);
    assert_eq!((a.clone() + b.clone()).compute()?, borrowed);
    assert_eq!((a.clone() + &b).compute()?, borrowed);
    assert_eq!(
        (-(a.clone() * 2) + 1).compute()?.to_vec::<i64>(),
        vec![1, -1, -3, -5, -7, -9]
    );
    assert_eq!(
        (!a.clone()).compute()?.to_vec::<i64>(),
        vec![-1, -2, -3, -4, -5, -6]
    );
    Ok(())
}

#[test]
fn math_functions_of_special_values() -> Result<()> {
    let x = vector(vec![0.0f64, -1.0, f64::INFINITY, f64::NAN], 3);
    let log = x.log().compute()?.to_vec::<f64>();
    assert_eq!(log[0], f64::NEG_INFINITY);
    assert!(log[1].is_nan());
    assert_eq!(log[2], f64::INFINITY);
    assert!(log[3].is_nan());
    let sqrt = x.sqrt().compute()?.to_vec::<f64>();
    assert!(sqrt[1].is_nan());
    assert_eq!(sqrt[2], f64::INFINITY);
    // integer input computes in float64
    let i = vector(vec![4i32, 9], 1);
    assert_eq!(i.sqrt().dtype(), DType::Float64);
    assert_eq!(i.sqrt().compute()?.to_vec::<f64>(), vec![2.0, 3.0]);
    assert_eq!(
        vector(vec![true, false], 1)
            .sqrt()
            .compute()?
            .to_vec::<f64>(),
        vec![1.0, 0.0]
    );
    Ok(())
}

/// numpy 2 compares an int32 array with any Python int exactly (and raises OverflowError for
/// arithmetic with one out of int32's range); tessera widens such a scalar to int64, so
/// comparisons are exact and arithmetic gives the exact int64 result (never a wrapped int32).
#[test]
fn out_of_range_integer_scalars_are_not_wrapped() -> Result<()> {
    let i = vector(vec![1i32, -5], 2);
    assert_eq!(
        i.eq(4_294_967_297i64).compute()?.to_vec::<bool>(),
        vec![false, false]
    );
    assert_eq!(
        i.lt(3_000_000_000i64).compute()?.to_vec::<bool>(),
        vec![true, true]
    );
    // arithmetic: an error (numpy's choice) or the exact int64 result, but not a wrapped int32
    let sum = &i + 3_000_000_000i64;
    if sum.check().is_ok() {
        assert_eq!(
            sum.compute()?.to_vec::<i64>(),
            vec![3_000_000_001, 2_999_999_995]
        );
    }
    Ok(())
}

/// numpy: `np.array([2, 1, -1, 0]) ** 5_000_000_000` is `[0, 1, 1, 0]` (int64 wraps); any
/// non-negative exponent works, only negative ones are errors.
#[test]
fn huge_positive_integer_exponents_wrap() -> Result<()> {
    let a = vector(vec![2i64, 1, -1, 0], 2);
    assert_eq!(
        a.pow(5_000_000_000i64).compute()?.to_vec::<i64>(),
        vec![0, 1, 1, 0]
    );
    Ok(())
}
