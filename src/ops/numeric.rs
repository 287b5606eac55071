//! numpy's elementwise functions that are compositions of rows of the elementwise table, or
//! take parameters a row does not have: `round(decimals)`, `clip`, `nan_to_num`, `isclose`,
//! `allclose`, `divmod`, the `logical_*` functions and numpy's other names of rows
//! (`absolute`, `negative`, `power`). Built from the table's functions, they fuse as those do.

use crate::array::Array;
use crate::dtype::{DType, Scalar};
use crate::error::Result;
use crate::expr::BinaryOp;
use crate::ops::elementwise::{binary, where_, Operand};

impl Array {
    /// numpy's name for [`abs`](Array::abs). Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[-2, 3]), 1);
    /// assert_eq!(x.absolute().compute()?.to_vec::<i64>(), vec![2, 3]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn absolute(&self) -> Array {
        self.abs()
    }

    /// numpy's `negative`: the `-` operator as a method (bool is refused). Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[-2.0, 3.0]), 1);
    /// assert_eq!(x.negative().compute()?.to_vec::<f64>(), vec![2.0, -3.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn negative(&self) -> Array {
        -self
    }

    /// numpy's `power`, the same as [`pow`](Array::pow): integers to negative integer powers
    /// are an error, as in numpy. Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[2, 3]), 1);
    /// assert_eq!(x.power(2).compute()?.to_vec::<i64>(), vec![4, 9]);
    /// assert!(x.power(-1).compute().is_err());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn power(&self, exponent: impl Into<Operand>) -> Array {
        self.pow(exponent)
    }

    /// `(floor_divide, remainder)` of `self` by `other`, numpy's `divmod`:
    /// `q * other + r == self`, `r` with the sign of `other`. Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[7, -7]), 1);
    /// let (q, r) = x.divmod(2);
    /// assert_eq!(q.compute()?.to_vec::<i64>(), vec![3, -4]);
    /// assert_eq!(r.compute()?.to_vec::<i64>(), vec![1, 1]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn divmod(&self, other: impl Into<Operand>) -> (Array, Array) {
        let other = other.into();
        (
            binary(BinaryOp::FloorDivide, self.into(), other.clone()),
            binary(BinaryOp::Remainder, self.into(), other),
        )
    }

    /// Each element rounded to `decimals` decimal places (negative: to tens, hundreds, …),
    /// halves to even, computed as numpy's `round`: `rint(x * 10^d) / 10^d` (for negative
    /// `d`, `rint(x / 10^-d) * 10^-d`), so its values are numpy's bit for bit. Integers and
    /// bool are unchanged for `decimals >= 0`; for negative `decimals` integers round in
    /// float64 and keep their dtype. bool rounds as float64 (numpy: float16, or an error for
    /// `decimals > 0`). Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[2.5, 0.125, -1234.5]), 1);
    /// assert_eq!(x.round(0).compute()?.to_vec::<f64>(), vec![2.0, 0.0, -1234.0]);
    /// assert_eq!(x.round(2).compute()?.to_vec::<f64>(), vec![2.5, 0.12, -1234.5]);
    /// let n = from_array(ndarray::arr1(&[15, 25, -15]), 1);
    /// assert_eq!(n.round(-1).compute()?.to_vec::<i64>(), vec![20, 20, -20]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn round(&self, decimals: i32) -> Array {
        let dtype = match self.dtype() {
            DType::Bool => DType::Float16, // numpy's round of bool
            dtype => dtype,
        };
        if !dtype.is_float() && decimals >= 0 {
            return self.clone();
        }
        let x = if dtype.is_float() {
            self.clone()
        } else {
            self.astype(DType::Float64)
        };
        let scale = 10f64.powi(decimals.abs());
        let rounded = if decimals >= 0 {
            (&x * scale).rint() / scale
        } else {
            (&x / scale).rint() * scale
        };
        rounded.astype(dtype)
    }

    /// Each element limited to `[min, max]`: numpy's `clip`, `minimum(maximum(x, min), max)`
    /// (NaN stays NaN; `min > max` gives `max`). The bounds are arrays or scalars, broadcast;
    /// scalars are weak (`clip` of float32 by `-1.0` stays float32). Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[-3.0, 0.5, 7.0]), 1);
    /// assert_eq!(x.clip(-1.0, 1.0).compute()?.to_vec::<f64>(), vec![-1.0, 0.5, 1.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn clip(&self, min: impl Into<Operand>, max: impl Into<Operand>) -> Array {
        self.maximum(min).minimum(max)
    }

    /// NaN replaced by `nan`, +inf by `posinf` and -inf by `neginf` (by default the largest
    /// and smallest finite values of the dtype), as numpy's `nan_to_num`; integers and bool
    /// are unchanged. Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[f64::NAN, f64::INFINITY, -1.0]), 1);
    /// let clean = x.nan_to_num(0.0, None, None).compute()?.to_vec::<f64>();
    /// assert_eq!(clean, vec![0.0, f64::MAX, -1.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn nan_to_num(&self, nan: f64, posinf: Option<f64>, neginf: Option<f64>) -> Array {
        let largest = match self.dtype() {
            DType::Float16 => f64::from(half::f16::MAX),
            DType::Float32 => f64::from(f32::MAX),
            DType::Float64 => f64::MAX,
            _ => return self.clone(),
        };
        let x = where_(&self.isnan(), nan, self);
        let x = where_(&self.isposinf(), posinf.unwrap_or(largest), &x);
        where_(&self.isneginf(), neginf.unwrap_or(-largest), &x)
    }

    /// Whether each pair is equal within `atol + rtol * |other|`, numpy's `isclose`
    /// (`rtol = 1e-5, atol = 1e-8` are numpy's defaults): infinities are close only to
    /// themselves, NaN to NaN only if `equal_nan`; integers compare in float64. Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[1.0, 1e10, f64::NAN]), 1);
    /// let y = from_array(ndarray::arr1(&[1.0 + 1e-9, 1.000001e10, f64::NAN]), 1);
    /// let close = x.isclose(&y, 1e-5, 1e-8, false).compute()?.to_vec::<bool>();
    /// assert_eq!(close, vec![true, true, false]);
    /// assert!(x.isclose(&y, 1e-5, 1e-8, true).all()?.compute()?.to_scalar::<bool>()?);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn isclose(
        &self,
        other: impl Into<Operand>,
        rtol: f64,
        atol: f64,
        equal_nan: bool,
    ) -> Array {
        // numpy makes `other` inexact first (abs of an integer minimum would overflow).
        match other.into() {
            Operand::Array(y) => {
                let y = y.astype(y.dtype().to_float64_unless_float());
                let tolerance = y.abs() * rtol + atol;
                let within = (self - &y).abs().le(&tolerance) & y.isfinite();
                let close = within | self.eq(&y);
                if !equal_nan {
                    return close;
                }
                close | (self.isnan() & y.isnan())
            }
            Operand::Scalar(s) => {
                let v = scalar_f64(s);
                let close = (self - v).abs().le(atol + rtol * v.abs()) & v.is_finite();
                let close = close | self.eq(v);
                if !(equal_nan && v.is_nan()) {
                    return close;
                }
                close | self.isnan()
            }
        }
    }

    /// Whether every pair is close ([`isclose`](Array::isclose)): numpy's `allclose`.
    /// Computes.
    ///
    /// **Errors**: the error an invalid array carries, or of the computation.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[1.0, 2.0]), 1);
    /// assert!(x.allclose(&x * (1.0 + 1e-7), 1e-5, 1e-8, false)?);
    /// assert!(!x.allclose(3.0, 1e-5, 1e-8, false)?);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn allclose(
        &self,
        other: impl Into<Operand>,
        rtol: f64,
        atol: f64,
        equal_nan: bool,
    ) -> Result<bool> {
        self.isclose(other, rtol, atol, equal_nan)
            .all()?
            .compute()?
            .to_scalar::<bool>()
    }

    /// Logical and of the truth values (nonzero is true) of any dtypes, as a bool array:
    /// numpy's `logical_and`. Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[0.0, 2.0, 3.0]), 1);
    /// let y = from_array(ndarray::arr1(&[1, 0, 5]), 1);
    /// assert_eq!(x.logical_and(&y).compute()?.to_vec::<bool>(), vec![false, false, true]);
    /// assert_eq!(x.logical_or(&y).compute()?.to_vec::<bool>(), vec![true, true, true]);
    /// assert_eq!(x.logical_xor(&y).compute()?.to_vec::<bool>(), vec![true, true, false]);
    /// assert_eq!(x.logical_not().compute()?.to_vec::<bool>(), vec![true, false, false]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn logical_and(&self, other: &Array) -> Array {
        self.truth() & other.truth()
    }

    /// Logical or of the truth values, as a bool array (numpy's `logical_or`). Lazy.
    pub fn logical_or(&self, other: &Array) -> Array {
        self.truth() | other.truth()
    }

    /// Logical xor of the truth values, as a bool array (numpy's `logical_xor`). Lazy.
    pub fn logical_xor(&self, other: &Array) -> Array {
        self.truth() ^ other.truth()
    }

    /// Logical not of the truth values, as a bool array (numpy's `logical_not`). Lazy.
    pub fn logical_not(&self) -> Array {
        !self.truth()
    }

    /// Nonzero as true (numpy's truth value of an element).
    fn truth(&self) -> Array {
        self.astype(DType::Bool)
    }
}

/// A scalar's value as f64 (numpy's `isclose` makes its `other` inexact).
fn scalar_f64(s: Scalar) -> f64 {
    match s {
        Scalar::Bool(b) => f64::from(u8::from(b)),
        Scalar::Int(i) => i as f64,
        Scalar::Float(f) => f,
    }
}
