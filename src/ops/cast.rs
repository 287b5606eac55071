//! The checked cast: [`Array::astype_checked`], numpy's `astype` that refuses values the
//! target dtype does not hold instead of giving the platform's value for them.

use ndarray::s;

use crate::array::Array;
use crate::dtype::DType;
use crate::error::{Error, Result};

/// The integers an integer dtype holds, as `i128` (which holds every bound).
fn int_range(dtype: DType) -> (i128, i128) {
    let bits = 8 * dtype.itemsize() as u32;
    if dtype.is_signed() {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    }
}

/// The smallest magnitude a float of `dtype` rounds to infinity from (halfway past its largest
/// finite value), if it is narrower than float64.
fn overflow_limit(dtype: DType) -> Option<f64> {
    match dtype {
        DType::Float16 => Some(65520.0),
        DType::Float32 => Some(3.402_823_567_797_336_6e38), // (2 - 2^-24) * 2^127
        _ => None,
    }
}

impl Array {
    /// Converts to `dtype` as [`astype`](Array::astype), after checking that `dtype` holds
    /// every value: no NaN or infinity into an integer, no float outside the integer's range
    /// (after truncation toward zero), no integer outside a narrower integer's range, no finite
    /// value that would overflow a narrower float. Values that only lose precision (`0.1` into
    /// float16, a large int64 into float32) pass, as numpy's `same_kind` casts. Casts to bool
    /// always pass.
    ///
    /// The check computes the input (once for the test, again for the first bad value); the
    /// conversion it returns is lazy.
    ///
    /// **Errors**: [`Error::InvalidArgument`] naming the first value (in C order) that `dtype`
    /// does not hold, its index and the range; the input's own error.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = from_array(ndarray::arr1(&[1.5, 255.0, 300.0]), 2);
    /// assert_eq!(x.astype(DType::UInt8).compute()?.to_vec::<u8>(), vec![1, 255, 255]);
    /// assert_eq!(
    ///     x.astype_checked(DType::UInt8).unwrap_err().to_string(),
    ///     "astype_checked: element [2] of float64 is 300, outside uint8's range 0 to 255"
    /// );
    /// let y = x.slice(s![..2])?.astype_checked(DType::UInt8)?;
    /// assert_eq!(y.compute()?.to_vec::<u8>(), vec![1, 255]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn astype_checked(&self, dtype: DType) -> Result<Array> {
        let from = self.node()?.dtype;
        let Some((bad, range)) = self.not_held_by(dtype) else {
            return Ok(self.astype(dtype));
        };
        let flat = self.reshape([self.size()])?;
        let bad = bad.reshape([self.size()])?;
        if !bad.any()?.compute()?.to_scalar::<bool>()? {
            return Ok(self.astype(dtype));
        }
        let first = bad.argmax()?.compute()?.to_scalar::<i64>()? as usize;
        let value = flat.slice(s![first])?.compute()?;
        let mut index = vec![0; self.ndim()];
        let mut rest = first;
        for (i, &n) in self.shape().iter().enumerate().rev() {
            (index[i], rest) = (rest % n, rest / n);
        }
        let index: Vec<String> = index.iter().map(usize::to_string).collect();
        Err(Error::invalid(
            "astype_checked",
            format!(
                "element [{}] of {from} is {value}, outside {dtype}'s range {range}",
                index.join(", ")
            ),
        ))
    }

    /// A bool array, true where `dtype` does not hold the element, and the range it holds;
    /// `None` when it holds every value of this array's dtype.
    fn not_held_by(&self, dtype: DType) -> Option<(Array, String)> {
        let from = self.dtype();
        if from == dtype || from == DType::Bool || dtype == DType::Bool {
            return None;
        }
        if dtype.is_float() {
            let limit = overflow_limit(dtype)?;
            if from.is_float() && from.itemsize() <= dtype.itemsize() {
                return None;
            }
            if from.is_integer() && dtype != DType::Float16 {
                return None; // the largest uint64 is far below float32's largest
            }
            let bad = self.isfinite() & (self.ge(limit) | self.le(-limit));
            return Some((bad, format!("±{}", limit)));
        }
        let (min, max) = int_range(dtype);
        let range = format!("{min} to {max}");
        if from.is_float() {
            // Truncation toward zero: anything above min - 1 and below max + 1 converts
            // (for int64, min - 1 rounds to min in float64, which does convert).
            // Compared in float64, which holds every float16 and float32 value and the bounds
            // (a weak bound against float16 would round: -32769 to -32768).
            let x = self.astype(DType::Float64);
            let (min, above) = (min as f64, max as f64 + 1.0);
            let low = if min - 1.0 == min {
                x.lt(min)
            } else {
                x.le(min - 1.0)
            };
            return Some((x.isnan() | low | x.ge(above), range));
        }
        let (from_min, from_max) = int_range(from);
        let low = (from_min < min).then(|| self.lt(min as i64));
        // `max` fits i64 here: only uint64's does not, and no integer is above it.
        let high = (from_max > max).then(|| self.gt(max as i64));
        match (low, high) {
            (Some(l), Some(h)) => Some((l | h, range)),
            (Some(m), None) | (None, Some(m)) => Some((m, range)),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_the_dtypes() {
        assert_eq!(int_range(DType::Int8), (-128, 127));
        assert_eq!(int_range(DType::UInt64), (0, u64::MAX as i128));
        assert_eq!(overflow_limit(DType::Float64), None);
        let limit = overflow_limit(DType::Float32).unwrap();
        assert_eq!(limit as f32, f32::INFINITY);
        assert_eq!((limit - 1e24) as f32, f32::MAX);
        assert_eq!(f64::from(half::f16::from_f64(65519.99)), 65504.0);
        assert!(half::f16::from_f64(65520.0).is_infinite());
    }
}
