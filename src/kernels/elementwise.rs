//! Elementwise kernels: the element arithmetic of each dtype ([`Arith`]) and the drivers that
//! apply an element function to blocks (one input; two, broadcast; `where`; casts). Which
//! function runs on which dtype is the elementwise table's business (`expr::ufunc`): this file
//! knows no operation by name.

use ndarray::{ArrayD, ArrayViewD, IxDyn, Zip};

use super::pool;
use crate::data::{ArrayData, DataElement};
use crate::dtype::{with_dtype, DType, Element};
use crate::error::{Error, Result};

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
            fn pow(self, o: Self) -> Option<Self> {
                u64::try_from(o).ok().map(|e| wrapping_pow(self, e))
            }
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
            fn and(self, _: Self) -> Self {
                unreachable!("and on floats is rejected when building")
            }
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

/// `f` applied to every element of `input`, read as `T` (the dtype the plan resolved).
pub(crate) fn map<T: DataElement>(input: &ArrayData, f: impl Fn(T) -> T) -> ArrayData {
    T::wrap(map_into(&super::typed::<T>(input), f))
}

/// `f` of every element of `input`, in a new block (from the buffer pool).
fn map_into<T: DataElement, U: DataElement>(input: &ArrayD<U>, f: impl Fn(U) -> T) -> ArrayD<T> {
    let mut out = pool::uninit::<T>(input.shape());
    Zip::from(input).map_assign_into(&mut out, |&x| f(x));
    // SAFETY: `map_assign_into` wrote every element.
    unsafe { out.assume_init() }
}

/// A float function applied to every element, giving `dtype`: float32 computes through
/// float64, rounded once at the end; every other input (bool, integers) computes in float64.
pub(crate) fn map_float(dtype: DType, input: &ArrayData, f: fn(f64) -> f64) -> ArrayData {
    match dtype {
        DType::Float32 => f32::wrap(map_into(&super::typed::<f32>(input), |x| {
            f(x as f64) as f32
        })),
        _ => f64::wrap(map_into(&super::typed::<f64>(input), f)),
    }
}

/// Both blocks read as `T` and broadcast to `shape`.
fn broadcast_pair<'a, T: DataElement>(
    shape: &[usize],
    lhs: &'a ArrayD<T>,
    rhs: &'a ArrayD<T>,
) -> (ArrayViewD<'a, T>, ArrayViewD<'a, T>) {
    let shape = IxDyn(shape);
    let a = lhs
        .broadcast(shape.clone())
        .expect("lowering gives broadcastable blocks");
    let b = rhs
        .broadcast(shape)
        .expect("lowering gives broadcastable blocks");
    (a, b)
}

/// `f(l, r)` for every pair of elements of `lhs` and `rhs` (read as `T`, broadcast to `shape`).
pub(crate) fn zip_map<T: DataElement>(
    shape: &[usize],
    lhs: &ArrayData,
    rhs: &ArrayData,
    f: impl Fn(T, T) -> T,
) -> ArrayData {
    let (l, r) = (super::typed::<T>(lhs), super::typed::<T>(rhs));
    let (a, b) = broadcast_pair(shape, &l, &r);
    let mut out = pool::uninit::<T>(shape);
    Zip::from(&a)
        .and(&b)
        .map_assign_into(&mut out, |&x, &y| f(x, y));
    // SAFETY: `map_assign_into` wrote every element.
    T::wrap(unsafe { out.assume_init() })
}

/// `f(l, r)` as a bool block (comparisons), operands read as `T`, broadcast to `shape`.
pub(crate) fn zip_test<T: DataElement>(
    shape: &[usize],
    lhs: &ArrayData,
    rhs: &ArrayData,
    f: impl Fn(&T, &T) -> bool,
) -> ArrayData {
    let (l, r) = (super::typed::<T>(lhs), super::typed::<T>(rhs));
    let (a, b) = broadcast_pair(shape, &l, &r);
    let mut out = pool::uninit::<bool>(shape);
    Zip::from(&a).and(&b).map_assign_into(&mut out, f);
    // SAFETY: `map_assign_into` wrote every element.
    bool::wrap(unsafe { out.assume_init() })
}

/// [`zip_map`] of a function that is undefined for some pairs (`None`).
///
/// **Errors**: `op` with `reason` when any pair is undefined.
pub(crate) fn zip_checked<T: DataElement>(
    shape: &[usize],
    lhs: &ArrayData,
    rhs: &ArrayData,
    f: impl Fn(T, T) -> Option<T>,
    (op, reason): (&'static str, &'static str),
) -> Result<ArrayData> {
    let (l, r) = (super::typed::<T>(lhs), super::typed::<T>(rhs));
    let (a, b) = broadcast_pair(shape, &l, &r);
    let mut undefined = false;
    let out: ArrayD<T> = Zip::from(&a).and(&b).map_collect(|&x, &y| {
        f(x, y).unwrap_or_else(|| {
            undefined = true;
            T::default()
        })
    });
    if undefined {
        return Err(Error::invalid(op, reason));
    }
    Ok(T::wrap(out))
}

/// A float function of two arguments, operands cast to `operand` (float32 computes through
/// float64, rounded once at the end) and broadcast to `shape`.
pub(crate) fn zip_float(
    operand: DType,
    shape: &[usize],
    lhs: &ArrayData,
    rhs: &ArrayData,
    f: fn(f64, f64) -> f64,
) -> ArrayData {
    match operand {
        DType::Float32 => zip_map::<f32>(shape, lhs, rhs, |x, y| f(x as f64, y as f64) as f32),
        _ => zip_map::<f64>(shape, lhs, rhs, f),
    }
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
        let (x, y) = (
            x.broadcast(shape.clone()).expect("broadcastable"),
            y.broadcast(shape).expect("broadcastable"),
        );
        let mut out = pool::uninit::<T>(c.shape());
        Zip::from(&c)
            .and(&x)
            .and(&y)
            .map_assign_into(&mut out, |&c, &x, &y| if c { x } else { y });
        // SAFETY: `map_assign_into` wrote every element.
        T::wrap(unsafe { out.assume_init() })
    })
}

/// Every element converted to `dtype` (numpy's `astype`).
pub(crate) fn cast(dtype: DType, input: &ArrayData) -> ArrayData {
    with_dtype!(dtype, T => T::wrap(crate::data::with_data!(input, a => map_into(a, T::cast_from))))
}
