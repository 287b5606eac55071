//! Eager n-d values with a runtime dtype: what a chunk task produces, and what `compute()`
//! returns to the user as [`Computed`].

use std::fmt;

use half::f16;
use ndarray::{ArrayD, IxDyn};

use crate::dtype::{with_dtype, DType, Element};
use crate::error::{Error, Result};

/// An owned n-d array whose element type is known only at run time.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ArrayData {
    Bool(ArrayD<bool>),
    Int8(ArrayD<i8>),
    Int16(ArrayD<i16>),
    Int32(ArrayD<i32>),
    Int64(ArrayD<i64>),
    UInt8(ArrayD<u8>),
    UInt16(ArrayD<u16>),
    UInt32(ArrayD<u32>),
    UInt64(ArrayD<u64>),
    /// On the wire as its bits (`half` is built without serde).
    Float16(#[serde(with = "f16_bits")] ArrayD<f16>),
    Float32(ArrayD<f32>),
    Float64(ArrayD<f64>),
}

/// Runs `$body` with `$a` bound to the typed `ArrayD` inside an [`ArrayData`] (by value or by
/// reference, as `$data` is).
macro_rules! with_data {
    ($data:expr, $a:ident => $body:expr) => {
        match $data {
            $crate::data::ArrayData::Bool($a) => $body,
            $crate::data::ArrayData::Int8($a) => $body,
            $crate::data::ArrayData::Int16($a) => $body,
            $crate::data::ArrayData::Int32($a) => $body,
            $crate::data::ArrayData::Int64($a) => $body,
            $crate::data::ArrayData::UInt8($a) => $body,
            $crate::data::ArrayData::UInt16($a) => $body,
            $crate::data::ArrayData::UInt32($a) => $body,
            $crate::data::ArrayData::UInt64($a) => $body,
            $crate::data::ArrayData::Float16($a) => $body,
            $crate::data::ArrayData::Float32($a) => $body,
            $crate::data::ArrayData::Float64($a) => $body,
        }
    };
}
pub(crate) use with_data;

/// Moves typed arrays in and out of [`ArrayData`]; implemented for every [`Element`].
pub trait DataElement: Element {
    /// Wraps a typed array.
    fn wrap(a: ArrayD<Self>) -> ArrayData;
    /// Borrows the typed array if the dtype matches.
    fn view_of(data: &ArrayData) -> Option<&ArrayD<Self>>;
    /// Takes the typed array if the dtype matches.
    fn take(data: ArrayData) -> std::result::Result<ArrayD<Self>, ArrayData>;
}

macro_rules! data_element {
    ($t:ty, $variant:ident) => {
        impl DataElement for $t {
            fn wrap(a: ArrayD<Self>) -> ArrayData {
                ArrayData::$variant(a)
            }
            fn view_of(data: &ArrayData) -> Option<&ArrayD<Self>> {
                match data {
                    ArrayData::$variant(a) => Some(a),
                    _ => None,
                }
            }
            fn take(data: ArrayData) -> std::result::Result<ArrayD<Self>, ArrayData> {
                match data {
                    ArrayData::$variant(a) => Ok(a),
                    other => Err(other),
                }
            }
        }
    };
}
data_element!(bool, Bool);
data_element!(i8, Int8);
data_element!(i16, Int16);
data_element!(i32, Int32);
data_element!(i64, Int64);
data_element!(u8, UInt8);
data_element!(u16, UInt16);
data_element!(u32, UInt32);
data_element!(u64, UInt64);
data_element!(f16, Float16);
data_element!(f32, Float32);
data_element!(f64, Float64);

impl ArrayData {
    /// The runtime dtype.
    pub fn dtype(&self) -> DType {
        with_data!(self, a => element_dtype(a))
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        with_data!(self, a => a.shape())
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        with_data!(self, a => a.len())
    }

    /// True when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A new array of `shape` filled with `T::default()` (zero / false) of the given dtype.
    pub fn zeros(dtype: DType, shape: &[usize]) -> ArrayData {
        with_dtype!(dtype, T => T::wrap(ArrayD::<T>::default(IxDyn(shape))))
    }

    /// Converts to `dtype` with numpy's `astype` rules; a no-op when the dtype already matches.
    pub fn cast(self, dtype: DType) -> ArrayData {
        if self.dtype() == dtype {
            return self;
        }
        with_dtype!(dtype, T => T::wrap(self.to_array::<T>()))
    }

    /// A typed copy (converted with `astype` rules when the dtype differs).
    pub fn to_array<T: DataElement>(&self) -> ArrayD<T> {
        if let Some(a) = T::view_of(self) {
            return a.clone();
        }
        with_data!(self, a => a.mapv(T::cast_from))
    }

    /// The typed array, converting only if the dtype differs.
    pub fn into_array<T: DataElement>(self) -> ArrayD<T> {
        match T::take(self) {
            Ok(a) => a,
            Err(other) => other.to_array::<T>(),
        }
    }
}

impl fmt::Debug for ArrayData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        with_data!(self, a => fmt::Debug::fmt(a, f))
    }
}

/// The eager result of [`Array::compute`](crate::Array::compute): an n-d array, or a scalar
/// when the array was 0-d.
///
/// Convert it with [`to_ndarray`](Computed::to_ndarray), [`to_vec`](Computed::to_vec) or
/// [`to_scalar`](Computed::to_scalar); each converts between dtypes with numpy's `astype` rules,
/// so `to_scalar::<f64>()` works on an integer sum too.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let v = arange(0.0, 6.0, 1.0, 4).reshape([2, 3])?.sum_axis(0)?.compute()?;
/// assert_eq!(v.shape(), &[3]);
/// assert_eq!(v.to_vec::<f64>(), vec![3.0, 5.0, 7.0]);
/// assert_eq!(arange(0.0, 6.0, 1.0, 4).sum()?.compute()?.to_scalar::<f64>()?, 15.0);
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Computed {
    data: ArrayData,
}

impl Computed {
    pub(crate) fn new(data: ArrayData) -> Computed {
        Computed { data }
    }

    /// The dtype of the values.
    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }

    /// The shape (`[]` for a scalar).
    pub fn shape(&self) -> &[usize] {
        self.data.shape()
    }

    /// Number of dimensions.
    pub fn ndim(&self) -> usize {
        self.shape().len()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The values as an `ndarray::ArrayD<T>` (converted if `T` is not the array's dtype).
    pub fn to_ndarray<T: DataElement>(&self) -> ArrayD<T> {
        self.data.to_array::<T>()
    }

    /// Moves the values out as an `ndarray::ArrayD<T>`.
    pub fn into_ndarray<T: DataElement>(self) -> ArrayD<T> {
        self.data.into_array::<T>()
    }

    /// The values in C order.
    pub fn to_vec<T: DataElement>(&self) -> Vec<T> {
        let a = self.data.to_array::<T>();
        a.iter().copied().collect()
    }

    /// The single value of a 0-d result (or of a one-element array).
    ///
    /// **Errors**: [`Error::InvalidArgument`] when there is more than one element.
    pub fn to_scalar<T: DataElement>(&self) -> Result<T> {
        if self.len() != 1 {
            return Err(Error::invalid(
                "to_scalar",
                format!(
                    "the result has shape {} ({} elements); only one-element results convert \
                     to a scalar",
                    crate::error::fmt_shape(self.shape()),
                    self.len()
                ),
            ));
        }
        Ok(with_data!(&self.data, a => T::cast_from(*a.iter().next().expect("one element"))))
    }

    /// The runtime-typed values.
    pub fn data(&self) -> &ArrayData {
        &self.data
    }

    /// Moves out the runtime-typed values.
    pub fn into_data(self) -> ArrayData {
        self.data
    }
}

/// Scalars print as numpy prints them (`0.011`, `4090`, `True`); arrays as ndarray prints them.
impl fmt::Display for Computed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ndim() == 0 {
            return with_data!(&self.data, a => {
                let v = *a.iter().next().expect("0-d has one element");
                fmt_scalar(v, f)
            });
        }
        with_data!(&self.data, a => fmt::Display::fmt(a, f))
    }
}

impl fmt::Debug for Computed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn fmt_scalar<T: Element>(v: T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if T::DTYPE == DType::Bool {
        return f.write_str(if v.to_bool() { "True" } else { "False" });
    }
    fmt::Display::fmt(&v, f)
}

/// The dtype of a typed array's elements.
fn element_dtype<T: Element>(_: &ArrayD<T>) -> DType {
    T::DTYPE
}

/// float16 blocks cross the wire as the bits of their elements.
mod f16_bits {
    use half::f16;
    use ndarray::ArrayD;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(a: &ArrayD<f16>, s: S) -> Result<S::Ok, S::Error> {
        a.mapv(f16::to_bits).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ArrayD<f16>, D::Error> {
        Ok(ArrayD::<u16>::deserialize(d)?.mapv(f16::from_bits))
    }
}
