//! Runtime element types, numpy's promotion rules ([`promote`](DType::promote), in
//! `promote.rs`), and the [`Element`] trait that ties each dtype to its Rust type
//! (`element.rs`).
//!
//! Arrays carry their dtype at run time so that user code (a notebook cell) never instantiates
//! the engine's generic kernels: they are monomorphised once here, for the twelve types below,
//! and chosen by a `match` on [`DType`] written once, in the `with_dtype!` macro.

use std::fmt;

mod element;
mod promote;

pub(crate) use element::with_dtype;
pub use element::Element;

/// The element type of an [`Array`](crate::Array), named as numpy names it.
///
/// float16 is stored as float16 ([`half::f16`]) and computed in float32, as numpy does.
/// Complex dtypes are not there yet.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// assert_eq!(DType::UInt16.to_string(), "uint16");
/// assert_eq!(DType::Int32.promote(DType::Float32), DType::Float64); // as numpy
/// assert_eq!(DType::UInt64.promote(DType::Int64), DType::Float64);
/// assert_eq!(DType::Float16.itemsize(), 2);
/// assert_eq!("int8".parse::<DType>()?, DType::Int8);
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum DType {
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float16,
    Float32,
    Float64,
}

impl DType {
    /// All dtypes: bool, the signed then the unsigned integers, the floats, narrowest first.
    pub const ALL: [DType; 12] = [
        DType::Bool,
        DType::Int8,
        DType::Int16,
        DType::Int32,
        DType::Int64,
        DType::UInt8,
        DType::UInt16,
        DType::UInt32,
        DType::UInt64,
        DType::Float16,
        DType::Float32,
        DType::Float64,
    ];

    /// Bytes per element.
    pub fn itemsize(self) -> usize {
        use DType::*;
        match self {
            Bool | Int8 | UInt8 => 1,
            Int16 | UInt16 | Float16 => 2,
            Int32 | UInt32 | Float32 => 4,
            Int64 | UInt64 | Float64 => 8,
        }
    }

    /// numpy's name: `bool`, `int8` … `int64`, `uint8` … `uint64`, `float16` … `float64`.
    pub fn name(self) -> &'static str {
        use DType::*;
        match self {
            Bool => "bool",
            Int8 => "int8",
            Int16 => "int16",
            Int32 => "int32",
            Int64 => "int64",
            UInt8 => "uint8",
            UInt16 => "uint16",
            UInt32 => "uint32",
            UInt64 => "uint64",
            Float16 => "float16",
            Float32 => "float32",
            Float64 => "float64",
        }
    }

    /// True for `float16`, `float32` and `float64`.
    pub fn is_float(self) -> bool {
        matches!(self, DType::Float16 | DType::Float32 | DType::Float64)
    }

    /// True for the signed and unsigned integers (not bool).
    pub fn is_integer(self) -> bool {
        self.is_signed() || self.is_unsigned()
    }

    /// True for `int8` … `int64`.
    pub fn is_signed(self) -> bool {
        use DType::*;
        matches!(self, Int8 | Int16 | Int32 | Int64)
    }

    /// True for `uint8` … `uint64`.
    pub fn is_unsigned(self) -> bool {
        use DType::*;
        matches!(self, UInt8 | UInt16 | UInt32 | UInt64)
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses numpy's name of a dtype (`"uint16"`, `"float32"`, `"bool"`).
///
/// **Errors**: [`UnknownDType`] naming the text (it converts into
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument), which lists the names there are).
impl std::str::FromStr for DType {
    type Err = UnknownDType;

    fn from_str(name: &str) -> Result<DType, UnknownDType> {
        DType::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| UnknownDType(name.to_string()))
    }
}

/// A name that is no dtype's (from `"float8".parse::<DType>()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownDType(pub String);

impl fmt::Display for UnknownDType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = DType::ALL.iter().map(|d| d.name()).collect();
        write!(
            f,
            "no dtype is named {:?}; the dtypes are {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownDType {}

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

    /// Whether `dtype` holds this scalar's value exactly: an integer within an integer
    /// dtype's range, a float that is an integer within it (floats into float dtypes and
    /// anything into bool are held).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// assert!(Scalar::Int(255).is_held_by(DType::UInt8));
    /// assert!(!Scalar::Int(-1).is_held_by(DType::UInt8));
    /// assert!(!Scalar::Float(2.5).is_held_by(DType::Int64));
    /// ```
    pub fn is_held_by(self, dtype: DType) -> bool {
        match self {
            Scalar::Int(v) if dtype.is_integer() => dtype.holds(v),
            Scalar::Float(x) if dtype.is_integer() => {
                // i64's range in float64: [-2^63, 2^63).
                let in_i64 = (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&x);
                x.fract() == 0.0 && in_i64 && dtype.holds(x as i64)
            }
            _ => true,
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
