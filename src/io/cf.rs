//! The CF conventions' missing values and packed integers, as xarray decodes and encodes them:
//! [`decode_cf`] turns an array and its attributes (`_FillValue`, `missing_value`,
//! `scale_factor`, `add_offset`) into floats with NaN where values are missing, lazily;
//! [`Array::to_zarr_cf`] packs floats into a narrower dtype and writes those attributes.

use std::path::Path;

use serde_json::{Map, Value};

use crate::array::Array;
use crate::dtype::{DType, Scalar};
use crate::error::{Error, Result};
use crate::formats::{ZarrArray, ZarrOptions};
use crate::ops::creation::check_held;
use crate::ops::where_;

/// How floats are packed into a stored dtype (CF's attributes): `stored = round((x -
/// add_offset) / scale_factor)`, missing values (NaN) stored as `fill_value`.
#[derive(Debug, Clone, PartialEq)]
pub struct CfEncoding {
    /// The stored dtype (`int16`, `uint8`, …).
    pub dtype: DType,
    pub scale_factor: Option<f64>,
    pub add_offset: Option<f64>,
    /// The stored value of NaN elements (`_FillValue`).
    pub fill_value: Option<f64>,
}

/// The numbers an attribute holds (one, or a list of them).
fn numbers(attributes: &Map<String, Value>, key: &str) -> Result<Vec<f64>> {
    let bad = || {
        Error::invalid(
            "decode_cf",
            format!("attribute {key:?} is {}, not a number", attributes[key]),
        )
    };
    match attributes.get(key) {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::Array(items)) => items.iter().map(|v| v.as_f64().ok_or_else(bad)).collect(),
        Some(v) => Ok(vec![v.as_f64().or_else(|| nan_text(v)).ok_or_else(bad)?]),
    }
}

/// `"NaN"` (how zarr-python writes a NaN fill value in JSON).
fn nan_text(v: &Value) -> Option<f64> {
    (v.as_str() == Some("NaN")).then_some(f64::NAN)
}

/// The float dtype xarray decodes into: float64 when the attributes scale or offset (JSON
/// numbers are float64); else float32 for floats of up to 32 bits and integers of up to 16
/// (float32 holds them exactly), float64 for the rest.
fn decoded_dtype(stored: DType, packed: bool) -> DType {
    match stored {
        _ if packed => DType::Float64,
        d if d.is_float() && d.itemsize() <= 4 => DType::Float32,
        d if d.itemsize() <= 2 => DType::Float32,
        _ => DType::Float64,
    }
}

/// Decodes `raw` by its CF attributes, as xarray's `decode_cf`: elements equal to
/// `_FillValue` or `missing_value` (a number or a list) become NaN, then
/// `x * scale_factor + add_offset` where those are given. The float dtype is xarray's: float64
/// with a scale or offset, else float32 for bool, integers of up to 16 bits and floats of up to
/// 32 bits, else float64. Lazy; an array without these attributes comes back as it is.
///
/// **Errors**: an attribute that is not a number (or a list of numbers).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let raw = from_array(ndarray::arr1(&[0i16, 100, -32768]), 2);
/// let attrs = serde_json::json!({"_FillValue": -32768, "scale_factor": 0.5, "add_offset": 10.0});
/// let x = tessera::io::decode_cf(&raw, attrs.as_object().unwrap())?;
/// assert_eq!(x.dtype(), DType::Float64);
/// let v = x.compute()?.to_vec::<f64>();
/// assert_eq!(&v[..2], &[10.0, 60.0]);
/// assert!(v[2].is_nan());
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn decode_cf(raw: &Array, attributes: &Map<String, Value>) -> Result<Array> {
    let mut missing = numbers(attributes, "_FillValue")?;
    missing.extend(numbers(attributes, "missing_value")?);
    let scale = numbers(attributes, "scale_factor")?.first().copied();
    let offset = numbers(attributes, "add_offset")?.first().copied();
    if missing.is_empty() && scale.is_none() && offset.is_none() {
        return Ok(raw.clone());
    }
    let dtype = decoded_dtype(raw.dtype(), scale.is_some() || offset.is_some());
    let mut x = raw.astype(dtype);
    for fill in missing.into_iter().filter(|f| !f.is_nan()) {
        x = where_(&raw.eq(fill), f64::NAN, &x);
    }
    if let Some(scale) = scale {
        x = &x * scale;
    }
    if let Some(offset) = offset {
        x = &x + offset;
    }
    x.check()?;
    Ok(x)
}

/// The array `name` of the Zarr store at `path` (`"/"` for the root array; xarray writes a
/// variable `t` as `"t"`), decoded by its CF attributes ([`decode_cf`]). Lazy.
///
/// **Errors**: see [`ZarrArray::open`] and [`decode_cf`].
pub fn from_zarr_cf(path: impl AsRef<Path>, name: &str) -> Result<Array> {
    let array = ZarrArray::open(path, name)?;
    let attributes = array.attributes().clone();
    decode_cf(&super::zarr::zarr_array(array)?, &attributes)
}

impl Array {
    /// Writes the array packed as `encoding` says into a Zarr v3 store at `path` (zstd), with
    /// the CF attributes that [`from_zarr_cf`] and xarray decode: `round((x - add_offset) /
    /// scale_factor)` into `encoding.dtype` (rounded half to even, as numpy's `around`; values
    /// outside the dtype's range wrap or saturate as [`astype`](Array::astype)), NaN stored as
    /// `fill_value`. Lazy values are computed band by band as [`to_zarr`](Array::to_zarr).
    ///
    /// **Errors**: NaN values without a `fill_value` into an integer dtype; see
    /// [`to_zarr`](Array::to_zarr).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// use tessera::io::{from_zarr_cf, CfEncoding};
    /// let path = std::env::temp_dir()
    ///     .join(format!("tessera-doc-cf-{}.zarr", std::process::id()));
    /// let x = from_array(ndarray::arr1(&[10.0, 60.0, f64::NAN]), 2);
    /// let encoding = CfEncoding {
    ///     dtype: DType::Int16,
    ///     scale_factor: Some(0.5),
    ///     add_offset: Some(10.0),
    ///     fill_value: Some(-32768.0),
    /// };
    /// x.to_zarr_cf(&path, &encoding)?;
    /// let stored = tessera::io::from_zarr(&path)?.compute()?.to_vec::<i16>();
    /// assert_eq!(stored, vec![0, 100, -32768]);
    /// let back = from_zarr_cf(&path, "/")?.compute()?.to_vec::<f64>();
    /// assert_eq!(&back[..2], &[10.0, 60.0]);
    /// assert!(back[2].is_nan());
    /// # std::fs::remove_dir_all(&path).unwrap();
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn to_zarr_cf(&self, path: impl AsRef<Path>, encoding: &CfEncoding) -> Result<()> {
        let mut x = self.astype(self.dtype().to_float64_unless_float());
        if let Some(offset) = encoding.add_offset {
            x = &x - offset;
        }
        if let Some(scale) = encoding.scale_factor {
            x = &x / scale;
        }
        if !encoding.dtype.is_float() {
            x = x.rint();
        }
        let mut attributes = Map::new();
        let mut fill = Scalar::Int(0);
        if let Some(v) = encoding.fill_value {
            x = where_(&self.isnan(), v, &x);
            fill = check_held("to_zarr_cf", Scalar::Float(v), encoding.dtype)?;
            attributes.insert("_FillValue".into(), json_number(v, encoding.dtype));
        }
        for (key, value) in [
            ("scale_factor", encoding.scale_factor),
            ("add_offset", encoding.add_offset),
        ] {
            if let Some(v) = value {
                attributes.insert(key.into(), Value::from(v));
            }
        }
        let options = ZarrOptions {
            fill_value: fill,
            attributes,
            ..ZarrOptions::default()
        };
        x.astype(encoding.dtype).to_zarr_with(path, &options)
    }
}

/// `v` as JSON: an integer for integer dtypes (as xarray writes a packed `_FillValue`).
fn json_number(v: f64, dtype: DType) -> Value {
    if dtype.is_float() {
        Value::from(v)
    } else {
        Value::from(v as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_dtypes_are_xarrays() {
        assert_eq!(decoded_dtype(DType::UInt16, false), DType::Float32);
        assert_eq!(decoded_dtype(DType::Int32, false), DType::Float64);
        assert_eq!(decoded_dtype(DType::Float16, false), DType::Float32);
        assert_eq!(decoded_dtype(DType::Int8, true), DType::Float64);
    }

    #[test]
    fn bad_attributes_are_named() {
        let raw = crate::ops::zeros([2], 1);
        let attrs = serde_json::json!({"scale_factor": "big"});
        let e = decode_cf(&raw, attrs.as_object().unwrap()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "decode_cf: attribute \"scale_factor\" is \"big\", not a number"
        );
        let nan = serde_json::json!({"_FillValue": "NaN"});
        assert!(decode_cf(&raw, nan.as_object().unwrap()).is_ok());
    }
}
