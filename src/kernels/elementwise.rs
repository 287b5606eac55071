//! Elementwise kernels: unary math, binary arithmetic/comparison with broadcasting, `where`.

use ndarray::{ArrayD, ArrayViewD, IxDyn, Zip};

use crate::data::{ArrayData, DataElement};
use crate::dtype::{with_dtype, DType};
use crate::error::{Error, Result};
use crate::expr::{BinaryOp, UnaryOp};

/// Arithmetic of one element type. Integer arithmetic wraps (as numpy's); operations a dtype
/// does not support are rejected when the plan is built, so their arms here are never reached.
pub(crate) trait Arith: DataElement {
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    /// `None` when undefined (an integer to a negative power).
    fn pow(self, o: Self) -> Option<Self>;
    fn neg(self) -> Self;
    fn abs(self) -> Self;
    fn and(self, o: Self) -> Self;
    fn or(self, o: Self) -> Self;
    fn not(self) -> Self;
}

macro_rules! arith_int {
    ($($t:ty),*) => {$(
        impl Arith for $t {
            fn add(self, o: Self) -> Self { self.wrapping_add(o) }
            fn sub(self, o: Self) -> Self { self.wrapping_sub(o) }
            fn mul(self, o: Self) -> Self { self.wrapping_mul(o) }
            fn div(self, o: Self) -> Self { if o == 0 { 0 } else { self.wrapping_div(o) } }
            fn pow(self, o: Self) -> Option<Self> { u64::try_from(o).ok().map(|e| wrapping_pow(self, e)) }
            fn neg(self) -> Self { self.wrapping_neg() }
            fn abs(self) -> Self { self.wrapping_abs() }
            fn and(self, o: Self) -> Self { self & o }
            fn or(self, o: Self) -> Self { self | o }
            fn not(self) -> Self { !self }
        }
    )*};
}
arith_int!(i32, i64);

/// `base ** exp` with wrapping multiplication, by squaring (any `u64` exponent).
fn wrapping_pow<T: Copy + num_like::WrappingMul>(base: T, mut exp: u64) -> T {
    let mut result = T::ONE;
    let mut square = base;
    while exp > 0 {
        if exp & 1 == 1 {
            result = result.wrapping_mul(square);
        }
        square = square.wrapping_mul(square);
        exp >>= 1;
    }
    result
}

mod num_like {
    /// The integer operations `wrapping_pow` needs.
    pub trait WrappingMul {
        const ONE: Self;
        fn wrapping_mul(self, o: Self) -> Self;
    }
    macro_rules! wrapping_mul {
        ($($t:ty),*) => {$(
            impl WrappingMul for $t {
                const ONE: Self = 1;
                fn wrapping_mul(self, o: Self) -> Self { <$t>::wrapping_mul(self, o) }
            }
        )*};
    }
    wrapping_mul!(i32, i64);
}

macro_rules! arith_float {
    ($($t:ty),*) => {$(
        impl Arith for $t {
            fn add(self, o: Self) -> Self { self + o }
            fn sub(self, o: Self) -> Self { self - o }
            fn mul(self, o: Self) -> Self { self * o }
            fn div(self, o: Self) -> Self { self / o }
            fn pow(self, o: Self) -> Option<Self> { Some(self.powf(o)) }
            fn neg(self) -> Self { -self }
            fn abs(self) -> Self { self.abs() }
            fn and(self, _: Self) -> Self { unreachable!("and on floats is rejected when building") }
            fn or(self, _: Self) -> Self { unreachable!("or on floats is rejected when building") }
            fn not(self) -> Self { unreachable!("not on floats is rejected when building") }
        }
    )*};
}
arith_float!(f32, f64);

impl Arith for bool {
    // numpy: True + True is True (logical or), True * False is False (logical and).
    fn add(self, o: Self) -> Self {
        self || o
    }
    fn sub(self, o: Self) -> Self {
        self ^ o
    }
    fn mul(self, o: Self) -> Self {
        self && o
    }
    fn div(self, _: Self) -> Self {
        unreachable!("bool division computes in float64")
    }
    fn pow(self, _: Self) -> Option<Self> {
        unreachable!("bool power computes in int64")
    }
    fn neg(self) -> Self {
        unreachable!("neg on bool is rejected when building")
    }
    fn abs(self) -> Self {
        self
    }
    fn and(self, o: Self) -> Self {
        self && o
    }
    fn or(self, o: Self) -> Self {
        self || o
    }
    fn not(self) -> Self {
        !self
    }
}

/// `op` applied to every element of `input`, giving `dtype`.
pub(crate) fn unary(op: UnaryOp, dtype: DType, input: &ArrayData) -> ArrayData {
    match op {
        UnaryOp::Neg => with_dtype!(dtype, T => T::wrap(super::typed::<T>(input).mapv(Arith::neg))),
        UnaryOp::Abs => with_dtype!(dtype, T => T::wrap(super::typed::<T>(input).mapv(Arith::abs))),
        UnaryOp::Not => with_dtype!(dtype, T => T::wrap(super::typed::<T>(input).mapv(Arith::not))),
        UnaryOp::Sqrt | UnaryOp::Exp | UnaryOp::Log | UnaryOp::Sin | UnaryOp::Cos => match dtype {
            DType::Float32 => {
                f32::wrap(super::typed::<f32>(input).mapv(|x| float_fn(op, x as f64) as f32))
            }
            _ => f64::wrap(super::typed::<f64>(input).mapv(|x| float_fn(op, x))),
        },
    }
}

fn float_fn(op: UnaryOp, x: f64) -> f64 {
    match op {
        UnaryOp::Sqrt => x.sqrt(),
        UnaryOp::Exp => x.exp(),
        UnaryOp::Log => x.ln(),
        UnaryOp::Sin => x.sin(),
        UnaryOp::Cos => x.cos(),
        _ => unreachable!("{op:?} is not a float function"),
    }
}

/// `lhs op rhs`: both blocks cast to `operand`, broadcast to `shape`; the result has `dtype`.
///
/// **Errors**: an integer raised to a negative power (as numpy).
pub(crate) fn binary_blocks(
    op: BinaryOp,
    operand: DType,
    shape: &[usize],
    lhs: &ArrayData,
    rhs: &ArrayData,
) -> Result<ArrayData> {
    with_dtype!(operand, T => binary_typed::<T>(op, shape, &super::typed::<T>(lhs).view(), &super::typed::<T>(rhs).view()))
}

fn binary_typed<T: Arith>(
    op: BinaryOp,
    shape: &[usize],
    a: &ArrayViewD<'_, T>,
    b: &ArrayViewD<'_, T>,
) -> Result<ArrayData> {
    let shape = IxDyn(shape);
    let a = a
        .broadcast(shape.clone())
        .expect("lowering gives broadcastable blocks");
    let b = b
        .broadcast(shape)
        .expect("lowering gives broadcastable blocks");
    let zip = || Zip::from(&a).and(&b);
    let same = |f: fn(T, T) -> T| T::wrap(zip().map_collect(|&x, &y| f(x, y)));
    let test = |f: fn(&T, &T) -> bool| bool::wrap(zip().map_collect(f));
    Ok(match op {
        BinaryOp::Add => same(T::add),
        BinaryOp::Sub => same(T::sub),
        BinaryOp::Mul => same(T::mul),
        BinaryOp::Div => same(T::div),
        BinaryOp::And => same(T::and),
        BinaryOp::Or => same(T::or),
        BinaryOp::Pow => {
            let mut undefined = false;
            let out: ArrayD<T> = zip().map_collect(|&x, &y| {
                x.pow(y).unwrap_or_else(|| {
                    undefined = true;
                    T::default()
                })
            });
            if undefined {
                return Err(Error::invalid(
                    "pow",
                    "integers to negative integer powers are not allowed",
                ));
            }
            T::wrap(out)
        }
        BinaryOp::Eq => test(PartialEq::eq),
        BinaryOp::Ne => test(PartialEq::ne),
        BinaryOp::Lt => test(PartialOrd::lt),
        BinaryOp::Le => test(PartialOrd::le),
        BinaryOp::Gt => test(PartialOrd::gt),
        BinaryOp::Ge => test(PartialOrd::ge),
    })
}

/// `x` where `cond`, else `y`; all broadcast to `shape`, values cast to `dtype`.
pub(crate) fn where_blocks(
    dtype: DType,
    shape: &[usize],
    cond: &ArrayData,
    x: &ArrayData,
    y: &ArrayData,
) -> ArrayData {
    let shape = IxDyn(shape);
    let cond = super::typed::<bool>(cond);
    let c = cond.broadcast(shape.clone()).expect("broadcastable");
    with_dtype!(dtype, T => {
        let (x, y) = (super::typed::<T>(x), super::typed::<T>(y));
        let (x, y) = (x.broadcast(shape.clone()).expect("broadcastable"), y.broadcast(shape).expect("broadcastable"));
        T::wrap(Zip::from(&c).and(&x).and(&y).map_collect(|&c, &x, &y| if c { x } else { y }))
    })
}

/// Every element converted to `dtype` (numpy's `astype`).
pub(crate) fn cast(dtype: DType, input: &ArrayData) -> ArrayData {
    with_dtype!(dtype, T => T::wrap(input.to_array::<T>()))
}
