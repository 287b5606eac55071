//! Runtime element types, numpy's promotion rules, and the [`Element`] trait that ties each
//! dtype to its Rust type.
//!
//! Arrays carry their dtype at run time so that user code (a notebook cell) never instantiates
//! the engine's generic kernels: they are monomorphised once here, for the five types below, and
//! chosen by a `match` on [`DType`].

use std::fmt;

/// The element type of an [`Array`](crate::Array), named as numpy names it.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(DType::Float64.to_string(), "float64");
/// assert_eq!(DType::Int32.promote(DType::Float32), DType::Float64); // as numpy
/// assert_eq!(DType::Float32.itemsize(), 4);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum DType {
    Bool,
    Int32,
    Int64,
    Float32,
    Float64,
}

impl DType {
    /// All dtypes, narrowest first.
    pub const ALL: [DType; 5] = [
        DType::Bool,
        DType::Int32,
        DType::Int64,
        DType::Float32,
        DType::Float64,
    ];

    /// Bytes per element.
    pub fn itemsize(self) -> usize {
        match self {
            DType::Bool => 1,
            DType::Int32 | DType::Float32 => 4,
            DType::Int64 | DType::Float64 => 8,
        }
    }

    /// numpy's name: `bool`, `int32`, `int64`, `float32`, `float64`.
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::Int32 => "int32",
            DType::Int64 => "int64",
            DType::Float32 => "float32",
            DType::Float64 => "float64",
        }
    }

    /// True for `float32` and `float64`.
    pub fn is_float(self) -> bool {
        matches!(self, DType::Float32 | DType::Float64)
    }

    /// True for `int32` and `int64`.
    pub fn is_integer(self) -> bool {
        matches!(self, DType::Int32 | DType::Int64)
    }

    /// The dtype numpy gives the result of a binary operation on arrays of these two dtypes
    /// (`np.result_type`): bool yields to anything, mixed ints widen to int64, any int with a
    /// float32 or any float64 gives float64.
    pub fn promote(self, other: DType) -> DType {
        use DType::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Bool, x) | (x, Bool) => x,
            (Int32 | Int64, Int32 | Int64) => Int64,
            _ => Float64,
        }
    }

    /// The dtype of `array <op> scalar` under numpy 2's rules (NEP 50): a Rust scalar is "weak"
    /// and takes the array's dtype when it fits its kind (`f32_array * 2.0` stays float32,
    /// `i32_array + 1` stays int32); a float scalar with an integer array gives float64.
    pub fn promote_scalar(self, scalar: Scalar) -> DType {
        match scalar {
            Scalar::Bool(_) => self,
            Scalar::Int(_) if self == DType::Bool => DType::Int64,
            // numpy 2 raises OverflowError here; widening keeps comparisons and sums exact.
            Scalar::Int(v) if self == DType::Int32 && i32::try_from(v).is_err() => DType::Int64,
            Scalar::Int(_) => self,
            Scalar::Float(_) if self.is_float() => self,
            Scalar::Float(_) => DType::Float64,
        }
    }

    /// The float dtype used for true division, `mean`, `sqrt`, …: float32 stays float32,
    /// everything else computes in float64 (numpy does the same for int32/int64).
    pub fn to_float(self) -> DType {
        if self == DType::Float32 {
            DType::Float32
        } else {
            DType::Float64
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A Rust scalar used as an operand (`&a + 1.0`) or fill value (`full(.., 7)`).
///
/// Integer, float and bool literals convert into it with `From`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
}

impl Scalar {
    /// The dtype an array filled with this scalar gets by default (as `np.full`).
    pub fn default_dtype(self) -> DType {
        match self {
            Scalar::Bool(_) => DType::Bool,
            Scalar::Int(_) => DType::Int64,
            Scalar::Float(_) => DType::Float64,
        }
    }

    /// The scalar converted to `T` with numpy's `astype` rules.
    pub fn cast<T: Element>(self) -> T {
        match self {
            Scalar::Bool(b) => T::cast_from(b),
            Scalar::Int(i) => T::cast_from(i),
            Scalar::Float(x) => T::cast_from(x),
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{}", if *b { "True" } else { "False" }),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Float(x) => write!(f, "{x}"),
        }
    }
}

macro_rules! scalar_from {
    ($variant:ident: $($t:ty),*) => {$(
        impl From<$t> for Scalar {
            fn from(v: $t) -> Self { Scalar::$variant(v as _) }
        }
    )*};
}
scalar_from!(Int: i8, i16, i32, i64, u8, u16, u32, isize, usize);
scalar_from!(Float: f32, f64);
impl From<bool> for Scalar {
    fn from(v: bool) -> Self {
        Scalar::Bool(v)
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A Rust type that is one of tessera's dtypes: `bool`, `i32`, `i64`, `f32`, `f64`.
///
/// Used by typed accessors such as [`Computed::to_ndarray`](crate::Computed::to_ndarray) and by
/// [`Array::map_blocks`](crate::Array::map_blocks). Sealed: the engine's kernels exist for these
/// five types only.
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
    /// `self` as i64 (floats truncate toward zero, as numpy's `astype`).
    fn to_i64(self) -> i64;
    /// `self != 0`.
    fn to_bool(self) -> bool;
    /// Converts from another element type with numpy's `astype` rules.
    fn cast_from<U: Element>(u: U) -> Self;
}

macro_rules! element_numeric {
    ($t:ty, $dtype:ident, $is_float:expr) => {
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
                // Through f64 when either side is a float, else through i64 (wrapping, as numpy).
                if $is_float || U::DTYPE.is_float() {
                    u.to_f64() as $t
                } else {
                    u.to_i64() as $t
                }
            }
        }
    };
}
element_numeric!(i32, Int32, false);
element_numeric!(i64, Int64, false);
element_numeric!(f32, Float32, true);
element_numeric!(f64, Float64, true);

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

/// Runs `$body` with `$T` bound to the Rust type of the runtime dtype `$dtype`.
macro_rules! with_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::dtype::DType::Bool => {
                type $T = bool;
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
    fn promotion_matches_numpy_result_type() {
        use DType::*;
        // np.result_type for each pair, from numpy 2.
        let table = [
            (Bool, Bool, Bool),
            (Bool, Int32, Int32),
            (Bool, Float32, Float32),
            (Int32, Int64, Int64),
            (Int32, Float32, Float64),
            (Int64, Float32, Float64),
            (Int64, Float64, Float64),
            (Float32, Float64, Float64),
            (Float32, Float32, Float32),
        ];
        for (a, b, want) in table {
            assert_eq!(a.promote(b), want, "{a} with {b}");
            assert_eq!(b.promote(a), want, "{b} with {a}");
        }
    }

    #[test]
    fn weak_scalars_follow_nep50() {
        use DType::*;
        assert_eq!(Float32.promote_scalar(Scalar::Float(2.0)), Float32);
        assert_eq!(Int32.promote_scalar(Scalar::Int(2)), Int32);
        assert_eq!(Int32.promote_scalar(Scalar::Float(2.0)), Float64);
        assert_eq!(Bool.promote_scalar(Scalar::Int(1)), Int64);
        assert_eq!(Bool.promote_scalar(Scalar::Bool(true)), Bool);
        assert_eq!(Int32.promote_scalar(Scalar::Int(3_000_000_000)), Int64);
    }

    #[test]
    fn casts_follow_astype() {
        assert_eq!(i32::cast_from(-2.7f64), -2);
        assert_eq!(f64::cast_from(true), 1.0);
        assert!(bool::cast_from(0.5f32));
        assert!(!bool::cast_from(0i64));
        assert_eq!(i32::cast_from(i64::from(i32::MAX) + 1), i32::MIN); // wraps as numpy
    }
}
