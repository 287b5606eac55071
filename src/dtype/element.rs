//! The [`Element`] trait: each dtype's Rust type and numpy's `astype` conversions between
//! them, and `with_dtype!`, the one `match` from a runtime dtype to its Rust type.

use std::fmt;

use half::f16;

use super::DType;

mod sealed {
    pub trait Sealed {}
}

/// A Rust type that is one of tessera's dtypes: `bool`, `i8` … `i64`, `u8` … `u64`,
/// [`half::f16`], `f32`, `f64`.
///
/// Used by typed accessors such as [`Computed::to_ndarray`](crate::Computed::to_ndarray) and by
/// [`Array::map_blocks`](crate::Array::map_blocks). Sealed: the engine's kernels exist for these
/// types only.
///
/// # Examples
///
/// ```
/// use tessera::{f16, prelude::*, Element};
/// assert_eq!(<u8 as Element>::DTYPE, DType::UInt8);
/// assert_eq!(u8::cast_from(300i64), 44); // wraps, as numpy's astype
/// assert_eq!(f16::cast_from(0.1f64).to_f64(), 0.0999755859375);
/// ```
pub trait Element:
    sealed::Sealed
    + Copy
    + Send
    + Sync
    + PartialOrd
    + PartialEq
    + fmt::Debug
    + fmt::Display
    + Default
    + 'static
{
    /// The runtime dtype of this type.
    const DTYPE: DType;
    /// `self` as f64 (bool as 0/1).
    fn to_f64(self) -> f64;
    /// `self` as i64 (floats truncate toward zero, as numpy's `astype`; uint64 above
    /// `i64::MAX` wraps, keeping its bits).
    fn to_i64(self) -> i64;
    /// `self != 0` (NaN is true, as numpy's).
    fn to_bool(self) -> bool;
    /// Converts from another element type with numpy's `astype` rules for the values the
    /// target holds; integers wrap to a narrower integer as numpy's. A float out of an integer
    /// target's range saturates (NaN gives 0), where numpy gives the platform's value.
    fn cast_from<U: Element>(u: U) -> Self;
}

macro_rules! element_numeric {
    ($($t:ty: $dtype:ident, $is_float:expr;)*) => {$(
        impl sealed::Sealed for $t {}
        impl Element for $t {
            const DTYPE: DType = DType::$dtype;
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn to_i64(self) -> i64 {
                self as i64
            }
            fn to_bool(self) -> bool {
                self != (0 as $t)
            }
            fn cast_from<U: Element>(u: U) -> Self {
                // Through f64 when either side is a float, else through i64 (wrapping, as
                // numpy; i64 holds every integer's bits).
                if $is_float || U::DTYPE.is_float() {
                    u.to_f64() as $t
                } else {
                    u.to_i64() as $t
                }
            }
        }
    )*};
}
element_numeric! {
    i8: Int8, false;
    i16: Int16, false;
    i32: Int32, false;
    i64: Int64, false;
    u8: UInt8, false;
    u16: UInt16, false;
    u32: UInt32, false;
    u64: UInt64, false;
    f32: Float32, true;
    f64: Float64, true;
}

impl sealed::Sealed for f16 {}
impl Element for f16 {
    const DTYPE: DType = DType::Float16;
    fn to_f64(self) -> f64 {
        f16::to_f64(self)
    }
    fn to_i64(self) -> i64 {
        f16::to_f64(self) as i64
    }
    fn to_bool(self) -> bool {
        self != f16::ZERO
    }
    fn cast_from<U: Element>(u: U) -> Self {
        // One rounding from f64, as numpy's double-to-half conversion; integers above 2^53
        // are far beyond float16's range either way.
        f16::from_f64(u.to_f64())
    }
}

impl sealed::Sealed for bool {}
impl Element for bool {
    const DTYPE: DType = DType::Bool;
    fn to_f64(self) -> f64 {
        self as u8 as f64
    }
    fn to_i64(self) -> i64 {
        self as i64
    }
    fn to_bool(self) -> bool {
        self
    }
    fn cast_from<U: Element>(u: U) -> Self {
        u.to_bool()
    }
}

/// Runs `$body` with `$T` bound to the Rust type of the runtime dtype `$dtype`: the one
/// `match` from a dtype to its type, so a new dtype is an arm here.
macro_rules! with_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::dtype::DType::Bool => {
                type $T = bool;
                $body
            }
            $crate::dtype::DType::Int8 => {
                type $T = i8;
                $body
            }
            $crate::dtype::DType::Int16 => {
                type $T = i16;
                $body
            }
            $crate::dtype::DType::Int32 => {
                type $T = i32;
                $body
            }
            $crate::dtype::DType::Int64 => {
                type $T = i64;
                $body
            }
            $crate::dtype::DType::UInt8 => {
                type $T = u8;
                $body
            }
            $crate::dtype::DType::UInt16 => {
                type $T = u16;
                $body
            }
            $crate::dtype::DType::UInt32 => {
                type $T = u32;
                $body
            }
            $crate::dtype::DType::UInt64 => {
                type $T = u64;
                $body
            }
            $crate::dtype::DType::Float16 => {
                type $T = half::f16;
                $body
            }
            $crate::dtype::DType::Float32 => {
                type $T = f32;
                $body
            }
            $crate::dtype::DType::Float64 => {
                type $T = f64;
                $body
            }
        }
    };
}
pub(crate) use with_dtype;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_follow_astype() {
        assert_eq!(i32::cast_from(-2.7f64), -2);
        assert_eq!(f64::cast_from(true), 1.0);
        assert!(bool::cast_from(0.5f32));
        assert!(!bool::cast_from(0i64));
        assert_eq!(i32::cast_from(i64::from(i32::MAX) + 1), i32::MIN); // wraps as numpy
        assert_eq!(u64::cast_from(-1i8), u64::MAX);
        assert_eq!(i64::cast_from(u64::MAX), -1);
        assert_eq!(f64::cast_from(u64::MAX), 18446744073709551615.0);
        assert_eq!(f16::cast_from(65520.0f64), f16::INFINITY);
        assert!(bool::cast_from(f16::NAN));
        assert!(!bool::cast_from(f16::NEG_ZERO));
    }
}
