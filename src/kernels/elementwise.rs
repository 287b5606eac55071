//! Elementwise kernels: the element arithmetic of each dtype ([`Arith`]) and the drivers that
//! apply an element function to blocks (one input; two, broadcast; `where`; casts). Which
//! function runs on which dtype is the elementwise table's business (`expr::ufunc`): this file
//! knows no operation by name.

use half::f16;
use ndarray::{ArrayD, ArrayViewD, IxDyn, Zip};

use super::pool;
use crate::data::{ArrayData, DataElement};
use crate::dtype::{with_dtype, DType, Element};
use crate::error::{Error, Result};

/// Arithmetic of one element type. Integer arithmetic wraps (as numpy's); operations a dtype
/// does not support are rejected when the plan is built, so their arms here are never reached.
/// Each function gives numpy's value, including where numpy warns (an integer divided by zero
/// is 0, as numpy's result with its `RuntimeWarning`).
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
    fn xor(self, o: Self) -> Self;
    fn not(self) -> Self;
    /// numpy's `floor`, `ceil`, `trunc`: integers and bool are their own value (numpy 2).
    fn floor(self) -> Self;
    fn ceil(self) -> Self;
    fn trunc(self) -> Self;
    /// -1, 0 or 1 (NaN for NaN; `sign(-0.0)` is `0.0`).
    fn sign(self) -> Self;
    /// `1 / x`; for integers numpy's values: `1 / 0` is the type's minimum, `1 / 2` is 0.
    fn reciprocal(self) -> Self;
    /// numpy's `maximum`/`minimum` (NaN propagates; of two equal values, the second).
    fn maximum(self, o: Self) -> Self;
    fn minimum(self, o: Self) -> Self;
    /// numpy's `fmax`/`fmin` (a NaN loses to a number; of two equal values, the second, as
    /// numpy's vector loops give: its scalar float64 loop gives the first for ±0.0).
    fn fmax(self, o: Self) -> Self;
    fn fmin(self, o: Self) -> Self;
    /// numpy's `remainder` (`%`): the sign of the divisor.
    fn rem(self, o: Self) -> Self;
    /// C's `fmod`: the sign of the dividend.
    fn fmod(self, o: Self) -> Self;
    /// numpy's `floor_divide` (`//`).
    fn floor_div(self, o: Self) -> Self;
    /// `x << o` and `x >> o`; shifts past the width give 0 (and -1 for `>>` of negatives).
    fn shl(self, o: Self) -> Self;
    fn shr(self, o: Self) -> Self;
    fn is_nan(self) -> bool;
    fn is_finite(self) -> bool;
    fn is_posinf(self) -> bool;
    fn is_neginf(self) -> bool;
    fn is_inf(self) -> bool {
        self.is_posinf() || self.is_neginf()
    }
    fn square(self) -> Self {
        self.mul(self)
    }
    fn positive(self) -> Self {
        self
    }
}

/// The integer arithmetic signed and unsigned types share.
macro_rules! int_common {
    ($t:ty) => {
        fn add(self, o: Self) -> Self {
            self.wrapping_add(o)
        }
        fn sub(self, o: Self) -> Self {
            self.wrapping_sub(o)
        }
        fn mul(self, o: Self) -> Self {
            self.wrapping_mul(o)
        }
        fn div(self, o: Self) -> Self {
            if o == 0 {
                0
            } else {
                self.wrapping_div(o)
            }
        }
        fn pow(self, o: Self) -> Option<Self> {
            amount::<u64, _>(o).map(|e| wrapping_pow(self, e))
        }
        fn neg(self) -> Self {
            self.wrapping_neg()
        }
        fn and(self, o: Self) -> Self {
            self & o
        }
        fn or(self, o: Self) -> Self {
            self | o
        }
        fn xor(self, o: Self) -> Self {
            self ^ o
        }
        fn not(self) -> Self {
            !self
        }
        fn floor(self) -> Self {
            self
        }
        fn ceil(self) -> Self {
            self
        }
        fn trunc(self) -> Self {
            self
        }
        fn maximum(self, o: Self) -> Self {
            self.max(o)
        }
        fn minimum(self, o: Self) -> Self {
            self.min(o)
        }
        fn fmax(self, o: Self) -> Self {
            self.max(o)
        }
        fn fmin(self, o: Self) -> Self {
            self.min(o)
        }
        fn fmod(self, o: Self) -> Self {
            if o == 0 {
                0
            } else {
                self.wrapping_rem(o)
            }
        }
        fn shl(self, o: Self) -> Self {
            amount::<u32, _>(o)
                .filter(|&s| s < <$t>::BITS)
                .map_or(0, |s| self << s)
        }
        fn is_nan(self) -> bool {
            false
        }
        fn is_finite(self) -> bool {
            true
        }
        fn is_posinf(self) -> bool {
            false
        }
        fn is_neginf(self) -> bool {
            false
        }
    };
}

macro_rules! arith_signed {
    ($($t:ty),*) => {$(
        impl Arith for $t {
            int_common!($t);
            fn abs(self) -> Self { self.wrapping_abs() }
            fn sign(self) -> Self { self.signum() }
            fn reciprocal(self) -> Self {
                // numpy computes 1.0 / x and converts: 1/0 is inf, which x86 converts to the
                // minimum of 32 or 64 bits (truncated to 0 for int8 and int16).
                match self {
                    0 if <$t>::BITS >= 32 => <$t>::MIN,
                    1 => 1,
                    -1 => -1,
                    _ => 0,
                }
            }
            fn rem(self, o: Self) -> Self {
                if o == 0 { return 0; }
                let r = self.wrapping_rem(o);
                if r != 0 && ((r < 0) != (o < 0)) { r + o } else { r }
            }
            fn floor_div(self, o: Self) -> Self {
                if o == 0 { return 0; }
                let q = self.wrapping_div(o);
                let r = self.wrapping_rem(o);
                if r != 0 && ((r < 0) != (o < 0)) { q - 1 } else { q }
            }
            fn shr(self, o: Self) -> Self {
                let past = if self < 0 { -1 } else { 0 };
                amount::<u32, _>(o).filter(|&s| s < <$t>::BITS).map_or(past, |s| self >> s)
            }
        }
    )*};
}
arith_signed!(i8, i16, i32, i64);

macro_rules! arith_unsigned {
    ($($t:ty),*) => {$(
        impl Arith for $t {
            int_common!($t);
            fn abs(self) -> Self { self }
            fn sign(self) -> Self { <$t>::from(self > 0) }
            fn reciprocal(self) -> Self { <$t>::from(self == 1) } // 1/0 converts to 0 (x86)
            fn rem(self, o: Self) -> Self { if o == 0 { 0 } else { self % o } }
            fn floor_div(self, o: Self) -> Self { if o == 0 { 0 } else { self / o } }
            fn shr(self, o: Self) -> Self {
                amount::<u32, _>(o).filter(|&s| s < <$t>::BITS).map_or(0, |s| self >> s)
            }
        }
    )*};
}
arith_unsigned!(u8, u16, u32, u64);

/// An exponent or shift as `U`, if it is one (not negative, not too large).
fn amount<U, T: TryInto<U>>(o: T) -> Option<U> {
    o.try_into().ok()
}

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
    wrapping_mul!(i8, i16, i32, i64, u8, u16, u32, u64);
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
            fn xor(self, _: Self) -> Self {
                unreachable!("xor on floats is rejected when building")
            }
            fn not(self) -> Self { unreachable!("not on floats is rejected when building") }
            fn floor(self) -> Self { self.floor() }
            fn ceil(self) -> Self { self.ceil() }
            fn trunc(self) -> Self { self.trunc() }
            fn sign(self) -> Self {
                if self > 0.0 { 1.0 } else if self < 0.0 { -1.0 } else if self == 0.0 { 0.0 }
                else { self }
            }
            fn reciprocal(self) -> Self { 1.0 / self }
            fn maximum(self, o: Self) -> Self { if self > o || self.is_nan() { self } else { o } }
            fn minimum(self, o: Self) -> Self { if self < o || self.is_nan() { self } else { o } }
            fn fmax(self, o: Self) -> Self { if self > o || o.is_nan() { self } else { o } }
            fn fmin(self, o: Self) -> Self { if self < o || o.is_nan() { self } else { o } }
            fn rem(self, o: Self) -> Self {
                // numpy's npy_remainder: C's fmod (NaN) for a zero divisor.
                if o == 0.0 { self % o } else { float_divmod(self, o).1 }
            }
            fn fmod(self, o: Self) -> Self { self % o }
            fn floor_div(self, o: Self) -> Self {
                // numpy's npy_floor_divide: a zero divisor gives the true quotient (±inf, NaN).
                if o == 0.0 { self / o } else { float_divmod(self, o).0 }
            }
            fn shl(self, _: Self) -> Self { unreachable!("shifts on floats are rejected") }
            fn shr(self, _: Self) -> Self { unreachable!("shifts on floats are rejected") }
            fn is_nan(self) -> bool { self.is_nan() }
            fn is_finite(self) -> bool { self.is_finite() }
            fn is_posinf(self) -> bool { self == <$t>::INFINITY }
            fn is_neginf(self) -> bool { self == <$t>::NEG_INFINITY }
        }
    )*};
}

/// numpy's `npy_divmod` (floor quotient, remainder with the divisor's sign) of a nonzero
/// divisor, in the operands' own float type: the quotient is rounded to the nearest integer
/// of `(a - mod) / b` so that `a == b * div + mod` as closely as floats allow.
fn float_divmod<T: num_traits::Float>(a: T, b: T) -> (T, T) {
    let zero = T::zero();
    let mut modulus = a % b;
    let mut div = (a - modulus) / b;
    if modulus != zero {
        if (b < zero) != (modulus < zero) {
            modulus = modulus + b;
            div = div - T::one();
        }
    } else {
        modulus = zero.copysign(b);
    }
    let floordiv = if div != zero {
        let f = div.floor();
        if div - f > T::from(0.5).expect("0.5 is a float") {
            f + T::one()
        } else {
            f
        }
    } else {
        zero.copysign(a / b)
    };
    (floordiv, modulus)
}
arith_float!(f32, f64);

/// float16 arithmetic, computed in float32 and rounded once, as numpy's float16 loops.
macro_rules! through_f32 {
    (binary: $($f:ident),*; unary: $($g:ident),*; test: $($h:ident),*) => {
        $(fn $f(self, o: Self) -> Self {
            f16::from_f32(<f32 as Arith>::$f(self.to_f32(), o.to_f32()))
        })*
        $(fn $g(self) -> Self { f16::from_f32(<f32 as Arith>::$g(self.to_f32())) })*
        $(fn $h(self) -> bool { <f32 as Arith>::$h(self.to_f32()) })*
    };
}

impl Arith for f16 {
    through_f32!(
        binary: add, sub, mul, div, rem, fmod, floor_div, and, or, xor, shl, shr;
        unary: neg, abs, not, floor, ceil, trunc, sign, reciprocal;
        test: is_nan, is_finite, is_posinf, is_neginf
    );
    fn pow(self, o: Self) -> Option<Self> {
        Some(f16::from_f32(self.to_f32().powf(o.to_f32())))
    }
    // numpy's float16 loops give the first operand of two equal values (+0.0 and -0.0),
    // its float32 and float64 loops the second.
    fn maximum(self, o: Self) -> Self {
        if !self.is_nan() && (o.is_nan() || o > self) {
            o
        } else {
            self
        }
    }
    fn minimum(self, o: Self) -> Self {
        if !self.is_nan() && (o.is_nan() || o < self) {
            o
        } else {
            self
        }
    }
    fn fmax(self, o: Self) -> Self {
        if self.is_nan() || o > self {
            o
        } else {
            self
        }
    }
    fn fmin(self, o: Self) -> Self {
        if self.is_nan() || o < self {
            o
        } else {
            self
        }
    }
}

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
    fn xor(self, o: Self) -> Self {
        self ^ o
    }
    fn not(self) -> Self {
        !self
    }
    fn floor(self) -> Self {
        self
    }
    fn ceil(self) -> Self {
        self
    }
    fn trunc(self) -> Self {
        self
    }
    fn sign(self) -> Self {
        unreachable!("sign on bool is rejected when building")
    }
    fn reciprocal(self) -> Self {
        unreachable!("bool reciprocal computes in int64")
    }
    fn maximum(self, o: Self) -> Self {
        self || o
    }
    fn minimum(self, o: Self) -> Self {
        self && o
    }
    fn fmax(self, o: Self) -> Self {
        self || o
    }
    fn fmin(self, o: Self) -> Self {
        self && o
    }
    fn rem(self, _: Self) -> Self {
        unreachable!("bool remainder computes in int64")
    }
    fn fmod(self, _: Self) -> Self {
        unreachable!("bool fmod computes in int64")
    }
    fn floor_div(self, _: Self) -> Self {
        unreachable!("bool floor division computes in int64")
    }
    fn shl(self, _: Self) -> Self {
        unreachable!("bool shifts compute in int64")
    }
    fn shr(self, _: Self) -> Self {
        unreachable!("bool shifts compute in int64")
    }
    fn is_nan(self) -> bool {
        false
    }
    fn is_finite(self) -> bool {
        true
    }
    fn is_posinf(self) -> bool {
        false
    }
    fn is_neginf(self) -> bool {
        false
    }
}

/// numpy's `arccosh`: libm's `acosh`, NaN below 1 (musl's gives -inf for large negatives:
/// `arccosh(-32768)` from int16, whose float32 result numpy gives as NaN).
pub(crate) fn arccosh(x: f64) -> f64 {
    if x < 1.0 {
        f64::NAN
    } else {
        libm::acosh(x)
    }
}

/// numpy's `heaviside(x, h0)`: 0 below zero, 1 above, `h0` at zero, NaN for NaN.
pub(crate) fn heaviside(x: f64, h0: f64) -> f64 {
    if x.is_nan() {
        x
    } else if x == 0.0 {
        h0
    } else if x < 0.0 {
        0.0
    } else {
        1.0
    }
}

/// numpy's `npy_logaddexp`: `ln(e^x + e^y)` as the larger plus `ln_1p` of the rest (equal
/// values, infinities included, give `x + ln 2`; a NaN gives NaN).
pub(crate) fn logaddexp(x: f64, y: f64) -> f64 {
    log_add(x, y, std::f64::consts::LN_2, |d| (-d).exp().ln_1p())
}

/// numpy's `npy_logaddexp2`: as [`logaddexp`] in base 2.
pub(crate) fn logaddexp2(x: f64, y: f64) -> f64 {
    log_add(x, y, 1.0, |d| {
        std::f64::consts::LOG2_E * (-d).exp2().ln_1p()
    })
}

/// The larger of `x` and `y` plus `rest(|x - y|)`; `x + same` when they are equal.
fn log_add(x: f64, y: f64, same: f64, rest: impl Fn(f64) -> f64) -> f64 {
    if x == y {
        return x + same;
    }
    let d = x - y;
    if d > 0.0 {
        x + rest(d)
    } else if d <= 0.0 {
        y + rest(-d)
    } else {
        d // NaN
    }
}

/// The bool block of a test `f` of every element of `input`, read as `T` (`isnan`).
pub(crate) fn map_test<T: DataElement>(input: &ArrayData, f: impl Fn(T) -> bool) -> ArrayData {
    bool::wrap(super::typed::<T>(input).mapv(f))
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

/// A float function applied to every element, giving `dtype` (the row's result dtype): float16
/// and float32 compute through float64, rounded once at the end (numpy's float16 loops compute
/// in float32, so a float16 result may differ from numpy's in its last place).
pub(crate) fn map_float(dtype: DType, input: &ArrayData, f: fn(f64) -> f64) -> ArrayData {
    match dtype {
        DType::Float16 => f16::wrap(map_into(&super::typed::<f16>(input), |x| {
            f16::from_f64(f(x.to_f64()))
        })),
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
        DType::Float16 => zip_map::<f16>(shape, lhs, rhs, |x, y| {
            f16::from_f64(f(x.to_f64(), y.to_f64()))
        }),
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
