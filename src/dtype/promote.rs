//! numpy 2's promotion rules: the dtype of a binary operation on two arrays
//! (`np.result_type`), on an array and a weak Rust scalar (NEP 50), and the float dtypes
//! functions compute in.

use super::{DType, Scalar};

impl DType {
    /// The dtype numpy gives the result of a binary operation on arrays of these two dtypes
    /// (`np.result_type`): bool yields to anything; integers of one signedness widen; a signed
    /// and an unsigned integer give the signed one when it is wider, else the signed integer
    /// twice the unsigned one's width (`uint64` with any signed integer gives float64); an
    /// integer with a float gives the wider of the float and the smallest float holding the
    /// integer's values (8 bits: float16, 16 bits: float32, wider: float64).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// assert_eq!(DType::Int8.promote(DType::UInt8), DType::Int16);
    /// assert_eq!(DType::UInt16.promote(DType::Float16), DType::Float32);
    /// assert_eq!(DType::UInt64.promote(DType::Int8), DType::Float64);
    /// ```
    pub fn promote(self, other: DType) -> DType {
        use DType::*;
        let wider = |a: DType, b: DType| if a.itemsize() >= b.itemsize() { a } else { b };
        match (self, other) {
            (a, b) if a == b => a,
            (Bool, x) | (x, Bool) => x,
            (a, b) if a.is_float() && b.is_float() => wider(a, b),
            (f, i) | (i, f) if f.is_float() => wider(f, i.smallest_float()),
            (a, b) if a.is_signed() == b.is_signed() => wider(a, b),
            (s, u) | (u, s) if s.is_signed() => {
                if s.itemsize() > u.itemsize() {
                    s
                } else {
                    match u {
                        UInt8 => Int16,
                        UInt16 => Int32,
                        UInt32 => Int64,
                        _ => Float64,
                    }
                }
            }
            _ => unreachable!("every pair of dtypes is covered above"),
        }
    }

    /// The narrowest float that holds every value of this dtype (itself for floats): what
    /// numpy's float functions (`sqrt`, `sin`, `arctan2`) compute integers and bool in.
    fn smallest_float(self) -> DType {
        match self {
            d if d.is_float() => d,
            d if d.itemsize() == 1 => DType::Float16,
            d if d.itemsize() == 2 => DType::Float32,
            _ => DType::Float64,
        }
    }

    /// The dtype of `array <op> scalar` under numpy 2's rules (NEP 50): a Rust scalar is "weak"
    /// and takes the array's dtype when it is of the array's kind or lower (`f32_array * 2.0`
    /// stays float32, `u8_array + 1` stays uint8, `f16_array + 1` stays float16); an integer
    /// scalar with a bool array gives int64, a float scalar with an integer or bool array
    /// float64.
    ///
    /// Where Rust forces no choice but numpy raises `OverflowError` (an integer scalar that
    /// does not fit the integer array's dtype: `u8_array + 300`, `u8_array + -1`), tessera
    /// promotes with the narrowest integer dtype that holds the scalar instead, so comparisons
    /// and sums stay exact (`uint8` with 300 gives int16, with -1 int16).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// assert_eq!(DType::UInt8.promote_scalar(Scalar::Int(1)), DType::UInt8);
    /// assert_eq!(DType::Int8.promote_scalar(Scalar::Float(0.5)), DType::Float64);
    /// assert_eq!(DType::Float16.promote_scalar(Scalar::Float(0.5)), DType::Float16);
    /// assert_eq!(DType::UInt8.promote_scalar(Scalar::Int(300)), DType::Int16);
    /// ```
    pub fn promote_scalar(self, scalar: Scalar) -> DType {
        match scalar {
            Scalar::Bool(_) => self,
            Scalar::Int(_) if self == DType::Bool => DType::Int64,
            Scalar::Int(v) if self.is_integer() && !self.holds(v) => {
                self.promote(DType::narrowest_holding(v))
            }
            Scalar::Int(_) => self,
            Scalar::Float(_) if self.is_float() => self,
            Scalar::Float(_) => DType::Float64,
        }
    }

    /// Whether the integer dtype holds `v`.
    pub(crate) fn holds(self, v: i64) -> bool {
        use DType::*;
        match self {
            Int8 => i8::try_from(v).is_ok(),
            Int16 => i16::try_from(v).is_ok(),
            Int32 => i32::try_from(v).is_ok(),
            UInt8 => u8::try_from(v).is_ok(),
            UInt16 => u16::try_from(v).is_ok(),
            UInt32 => u32::try_from(v).is_ok(),
            UInt64 => v >= 0,
            _ => true,
        }
    }

    /// The narrowest signed integer dtype holding `v`.
    fn narrowest_holding(v: i64) -> DType {
        [DType::Int8, DType::Int16, DType::Int32]
            .into_iter()
            .find(|d| d.holds(v))
            .unwrap_or(DType::Int64)
    }

    /// The float dtype numpy's float functions give on this dtype (`sqrt`, `log10`, `rint`,
    /// `arctan2`): floats keep their dtype, bool and integers give the narrowest float that
    /// holds their values (bool, int8, uint8: float16; int16, uint16: float32; wider: float64).
    pub fn to_float(self) -> DType {
        self.smallest_float()
    }

    /// The float dtype of true division, `mean`, `var` and `std`: floats keep their dtype,
    /// bool and integers give float64 (numpy's `true_divide` and `mean` loops).
    pub fn to_float64_unless_float(self) -> DType {
        if self.is_float() {
            self
        } else {
            DType::Float64
        }
    }

    /// The dtype numpy's `sum` and `prod` accumulate in: floats keep their dtype, bool and
    /// signed integers give int64, unsigned integers uint64.
    pub fn accumulator(self) -> DType {
        match self {
            d if d.is_float() => d,
            d if d.is_unsigned() => DType::UInt64,
            _ => DType::Int64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_scalars_follow_nep50() {
        use DType::*;
        assert_eq!(Float32.promote_scalar(Scalar::Float(2.0)), Float32);
        assert_eq!(Int32.promote_scalar(Scalar::Int(2)), Int32);
        assert_eq!(Int32.promote_scalar(Scalar::Float(2.0)), Float64);
        assert_eq!(Bool.promote_scalar(Scalar::Int(1)), Int64);
        assert_eq!(Bool.promote_scalar(Scalar::Bool(true)), Bool);
        assert_eq!(Int32.promote_scalar(Scalar::Int(3_000_000_000)), Int64);
        assert_eq!(UInt64.promote_scalar(Scalar::Int(-1)), Float64);
        assert_eq!(Float16.promote_scalar(Scalar::Int(70000)), Float16);
    }

    #[test]
    fn float_dtypes_follow_numpys_loops() {
        use DType::*;
        assert_eq!(Bool.to_float(), Float16);
        assert_eq!(UInt16.to_float(), Float32);
        assert_eq!(Int64.to_float(), Float64);
        assert_eq!(Int8.to_float64_unless_float(), Float64);
        assert_eq!(Float16.to_float64_unless_float(), Float16);
        assert_eq!(UInt8.accumulator(), UInt64);
        assert_eq!(Int8.accumulator(), Int64);
    }
}
