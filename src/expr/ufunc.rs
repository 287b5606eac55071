//! The elementwise table: every elementwise function, of one argument or two, is one row of
//! [`unary_functions`] or [`binary_functions`] — its plan variant, its name, what it does, its
//! dtype rule, its kernel and (optionally) the `Array` method that calls it, with the example
//! its doc runs. Everything else reads the rows (numpy generates its ufuncs from such a table,
//! `generate_umath.py`; dask wraps one list of them, `dask/array/ufunc.py`):
//!
//! - the plan: the [`UnaryOp`] / [`BinaryOp`] enums, generated from the rows here;
//! - the API: `ops/elementwise.rs` generates one method per row that names one;
//! - dtypes: each row's [`DTypeRule`] gives the operand and result dtypes, or the error;
//! - the optimizer: [`UnaryOp::fuses`] / [`BinaryOp::fuses`] (from the row's kernel kind);
//! - the wire format: serde names each variant by the row's name, so encodings are stable;
//! - the kernels: [`UnaryOp::apply`] / [`BinaryOp::apply`] run the row's element function
//!   through the driver of its kernel kind (`kernels::elementwise`), which does the dtype
//!   dispatch once for every function of that kind.
//!
//! Adding a function is a row here and, if no existing function fits, its element function.
//! Kernel kinds: `map(f)` (`f` generic over [`Arith`] types, run on the operand dtype),
//! `float(f)` (an `f64` function; float32 computes through float64), `test(f)` (a comparison
//! giving bool), `checked(f, reason)` (`f` gives `None` where undefined: the task fails with
//! `reason`).

use crate::data::ArrayData;
use crate::dtype::{with_dtype, DType};
use crate::error::{Error, Result};
use crate::kernels::elementwise::{self as kernel, Arith};

/// How an elementwise function's operand and result dtypes follow from its input dtype (for
/// two operands, the dtype both promote to). The rules numpy's functions follow.
///
/// # Examples
///
/// ```
/// use tessera::expr::{BinaryOp, DTypeRule, UnaryOp};
/// use tessera::prelude::*;
/// assert_eq!(UnaryOp::Log10.rule(), DTypeRule::Float);
/// let float64 = Some((DType::Float64, DType::Float64));
/// assert_eq!(DTypeRule::Float.resolve(DType::Int32), float64); // ints compute in float64
/// assert_eq!(BinaryOp::Lt.dtypes(DType::Float32)?, (DType::Float32, DType::Bool));
/// assert!(UnaryOp::Not.dtypes(DType::Float64).is_err());
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DTypeRule {
    /// Computes in the input dtype and gives it (`add`, `abs`).
    Same,
    /// As `Same`, but bool is refused (`negative`, `subtract`).
    Numeric,
    /// Floats only: float32 stays float32, bool and integers compute in float64 (`sqrt`,
    /// `log10`, `arctan2`, true division).
    Float,
    /// As `Same`, but bool computes in int64 (`power`).
    IntFromBool,
    /// Operands in the input dtype, the result bool (comparisons).
    Compare,
    /// bool and integers only: logical on bool, bitwise on integers (`!`, `&`, `|`).
    Integral,
}

impl DTypeRule {
    /// `(operand dtype, result dtype)` on input `dtype`, or `None` when the rule refuses it.
    pub fn resolve(self, dtype: DType) -> Option<(DType, DType)> {
        use DTypeRule::*;
        match self {
            Same => Some((dtype, dtype)),
            Numeric | IntFromBool if dtype == DType::Bool => match self {
                Numeric => None,
                _ => Some((DType::Int64, DType::Int64)),
            },
            Numeric | IntFromBool => Some((dtype, dtype)),
            Float => Some((dtype.to_float(), dtype.to_float())),
            Compare => Some((dtype, DType::Bool)),
            Integral if dtype.is_float() => None,
            Integral => Some((dtype, dtype)),
        }
    }

    /// What a refusal says when the row gives no hint of its own.
    pub fn default_hint(self) -> &'static str {
        match self {
            DTypeRule::Numeric => "needs a numeric (not bool) array",
            DTypeRule::Integral => "needs a bool or integer array",
            _ => "",
        }
    }
}

/// The elementwise functions of one argument. A row is
/// `Variant "name" "doc": Rule("hint")? => kind(kernel) (, fn method([input]) -> T [output])?;`
/// (the hint says what to do when the rule refuses a dtype; the method's example is its doc's).
macro_rules! unary_functions {
    ($then:ident) => {
        $then! {
            Neg "neg" "Numerical negative (the `-` operator)":
                Numeric("use `!` for logical not") => map(Arith::neg);
            Abs "abs" "Absolute value, elementwise; integers stay integers":
                Same => map(Arith::abs), fn abs([-1.5, 2.0]) -> f64 [1.5, 2.0];
            Sqrt "sqrt" "Square root, elementwise (integers compute in float64)":
                Float => float(f64::sqrt), fn sqrt([16.0, 0.25]) -> f64 [4.0, 0.5];
            Exp "exp" "`e^x`, elementwise":
                Float => float(f64::exp), fn exp([0.0]) -> f64 [1.0];
            Log "log" "Natural logarithm, elementwise":
                Float => float(f64::ln), fn log([1.0]) -> f64 [0.0];
            Log10 "log10" "Base-10 logarithm, elementwise (numpy's `log10`: 0 gives -inf, \
negative numbers NaN; integers compute in float64)":
                Float => float(f64::log10), fn log10([1000.0, 1.0]) -> f64 [3.0, 0.0];
            Sin "sin" "Sine, elementwise":
                Float => float(f64::sin), fn sin([0.0]) -> f64 [0.0];
            Cos "cos" "Cosine, elementwise":
                Float => float(f64::cos), fn cos([0.0]) -> f64 [1.0];
            Not "not" "Logical not on bool, bitwise not on integers (the `!` operator)":
                Integral("`!` needs a bool or integer array") => map(Arith::not);
        }
    };
}
pub(crate) use unary_functions;

/// The elementwise functions of two arguments, with numpy broadcasting. Row syntax as for
/// [`unary_functions`], the method's example taking two inputs.
macro_rules! binary_functions {
    ($then:ident) => {
        $then! {
            Add "add" "Sum (the `+` operator)": Same => map(Arith::add);
            Sub "sub" "Difference (the `-` operator)":
                Numeric("boolean subtract is not supported; use `.ne(..)` for xor")
                => map(Arith::sub);
            Mul "mul" "Product (the `*` operator)": Same => map(Arith::mul);
            Div "truediv" "True division (the `/` operator; integers divide in float64)":
                Float => map(Arith::div);
            Pow "pow" "`self ** other`, elementwise with broadcasting":
                IntFromBool => checked(
                    Arith::pow,
                    "integers to negative integer powers are not allowed"
                ), fn pow([2.0, 3.0], [3.0, 2.0]) -> f64 [8.0, 9.0];
            Arctan2 "arctan2" "The angle of the point `(other, self)`, elementwise: numpy's \
`arctan2(self, other)`, in radians in `[-pi, pi]`, with the signs of zeros \
and infinities as numpy (integers compute in float64)":
                Float => float(f64::atan2),
                fn arctan2([0.0, 1.0], [1.0, 0.0]) -> f64 [0.0, 1.5707963267948966];
            Eq "eq" "`self == other`, elementwise, as a bool array":
                Compare => test(PartialEq::eq), fn eq([1, 2], [1, 3]) -> bool [true, false];
            Ne "ne" "`self != other`, elementwise, as a bool array":
                Compare => test(PartialEq::ne), fn ne([1, 2], [1, 3]) -> bool [false, true];
            Lt "lt" "`self < other`, elementwise, as a bool array":
                Compare => test(PartialOrd::lt), fn lt([1, 2], [2, 2]) -> bool [true, false];
            Le "le" "`self <= other`, elementwise, as a bool array":
                Compare => test(PartialOrd::le), fn le([1, 3], [2, 2]) -> bool [true, false];
            Gt "gt" "`self > other`, elementwise, as a bool array":
                Compare => test(PartialOrd::gt), fn gt([3, 2], [2, 2]) -> bool [true, false];
            Ge "ge" "`self >= other`, elementwise, as a bool array":
                Compare => test(PartialOrd::ge), fn ge([2, 1], [2, 2]) -> bool [true, false];
            And "and" "Logical and on bool, bitwise and on integers (the `&` operator)":
                Integral("logical and/or need bool or integer arrays") => map(Arith::and);
            Or "or" "Logical or on bool, bitwise or on integers (the `|` operator)":
                Integral("logical and/or need bool or integer arrays") => map(Arith::or);
        }
    };
}
pub(crate) use binary_functions;

/// Runs a unary row's kernel: the dtype dispatch of each kernel kind, written once.
macro_rules! unary_kernel {
    (map($f:path), $dtype:expr, $input:expr) => {
        with_dtype!($dtype, T => kernel::map::<T>($input, |x: T| $f(x)))
    };
    (float($f:path), $dtype:expr, $input:expr) => {
        kernel::map_float($dtype, $input, $f)
    };
}

/// Runs a binary row's kernel: the dtype dispatch of each kernel kind, written once.
macro_rules! binary_kernel {
    (map($f:path), $op:expr, $operand:expr, $shape:expr, $l:expr, $r:expr) => {
        Ok(with_dtype!($operand, T => kernel::zip_map::<T>($shape, $l, $r, |x: T, y: T| $f(x, y))))
    };
    (float($f:path), $op:expr, $operand:expr, $shape:expr, $l:expr, $r:expr) => {
        Ok(kernel::zip_float($operand, $shape, $l, $r, $f))
    };
    (test($f:path), $op:expr, $operand:expr, $shape:expr, $l:expr, $r:expr) => {
        Ok(with_dtype!($operand, T => kernel::zip_test::<T>(
            $shape, $l, $r, |x: &T, y: &T| $f(x, y)
        )))
    };
    (checked($f:path, $reason:literal), $op:expr, $operand:expr, $shape:expr, $l:expr, $r:expr) => {
        with_dtype!($operand, T => kernel::zip_checked::<T>(
            $shape, $l, $r, |x: T, y: T| $f(x, y), ($op.name(), $reason)
        ))
    };
}

/// The row's hint, or its rule's default.
macro_rules! hint {
    ($rule:ident) => {
        DTypeRule::$rule.default_hint()
    };
    ($rule:ident, $hint:literal) => {
        $hint
    };
}

/// The enum and its table lookups, for one arity.
macro_rules! define_ops {
    (
        $(#[$meta:meta])* $Enum:ident;
        $(
            $V:ident $name:literal $doc:literal : $rule:ident $(($hint:literal))?
            => $kind:ident ( $($kernel:tt)* )
            $(, fn $method:ident ( $($args:tt)* ) -> $t:ty [ $($out:tt)* ] )? ;
        )*
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub enum $Enum {
            $(
                #[doc = $doc]
                #[serde(rename = $name)]
                $V,
            )*
        }

        impl $Enum {
            /// Every row of the table, in table order.
            pub const ALL: &'static [$Enum] = &[$($Enum::$V),*];

            /// The name users call it by: plans, task keys, errors and the wire format.
            pub fn name(self) -> &'static str {
                match self {
                    $($Enum::$V => $name,)*
                }
            }

            /// How its dtypes follow from its input's.
            pub fn rule(self) -> DTypeRule {
                match self {
                    $($Enum::$V => DTypeRule::$rule,)*
                }
            }

            /// Whether the optimizer may evaluate it tile by tile inside a reduction
            /// (`fuse_elementwise`): every kernel kind of this table computes each element
            /// from the same element of its inputs alone, so every row fuses.
            pub fn fuses(self) -> bool {
                match self {
                    $($Enum::$V => fuses!($kind),)*
                }
            }

            /// `(operand dtype, result dtype)` on input `dtype` (for two operands, the
            /// dtype both promote to).
            ///
            /// **Errors**: [`Error::UnsupportedDType`] when the function does not take
            /// `dtype`, with the row's hint.
            pub fn dtypes(self, dtype: DType) -> Result<(DType, DType)> {
                self.rule().resolve(dtype).ok_or(Error::UnsupportedDType {
                    op: self.name(),
                    dtype,
                    hint: match self {
                        $($Enum::$V => hint!($rule $(, $hint)?),)*
                    },
                })
            }
        }
    };
}

/// Whether a kernel kind fuses (see `fuses` above).
macro_rules! fuses {
    (map) => {
        true
    };
    (float) => {
        true
    };
    (test) => {
        true
    };
    (checked) => {
        true
    };
}

macro_rules! define_unary {
    (@apply $(
        $V:ident $name:literal $doc:literal : $rule:ident $(($hint:literal))?
        => $kind:ident ( $($kernel:tt)* )
            $(, fn $method:ident ( $($args:tt)* ) -> $t:ty [ $($out:tt)* ] )? ;
    )*) => {
        impl UnaryOp {
            /// The function on every element of `input`, giving `dtype` (its result dtype).
            pub(crate) fn apply(self, dtype: DType, input: &ArrayData) -> ArrayData {
                match self {
                    $(UnaryOp::$V => unary_kernel!($kind($($kernel)*), dtype, input),)*
                }
            }
        }
    };
    ($($rows:tt)*) => {
        define_ops! {
            /// Elementwise functions of one argument: the rows of `unary_functions`.
            UnaryOp; $($rows)*
        }
        define_unary!(@apply $($rows)*);
    };
}

macro_rules! define_binary {
    (@apply $(
        $V:ident $name:literal $doc:literal : $rule:ident $(($hint:literal))?
        => $kind:ident ( $($kernel:tt)* )
            $(, fn $method:ident ( $($args:tt)* ) -> $t:ty [ $($out:tt)* ] )? ;
    )*) => {
        impl BinaryOp {
            /// The function of `lhs` and `rhs`, both cast to `operand` and broadcast to
            /// `shape`.
            ///
            /// **Errors**: a `checked` row's reason where it is undefined (an integer to a
            /// negative power).
            pub(crate) fn apply(
                self,
                operand: DType,
                shape: &[usize],
                lhs: &ArrayData,
                rhs: &ArrayData,
            ) -> Result<ArrayData> {
                match self {
                    $(BinaryOp::$V => binary_kernel!(
                        $kind($($kernel)*), self, operand, shape, lhs, rhs
                    ),)*
                }
            }
        }
    };
    ($($rows:tt)*) => {
        define_ops! {
            /// Elementwise functions of two arguments: the rows of `binary_functions`.
            BinaryOp; $($rows)*
        }
        define_binary!(@apply $($rows)*);
    };
}

unary_functions!(define_unary);
binary_functions!(define_binary);

impl BinaryOp {
    /// True for the comparisons, whose result is bool.
    pub fn is_comparison(self) -> bool {
        self.rule() == DTypeRule::Compare
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small block of `dtype` with negative, zero and positive values.
    fn block(dtype: DType) -> ArrayData {
        let values = ndarray::arr1(&[-2.5, -1.0, 0.0, 0.5, 3.0]).into_dyn();
        <f64 as crate::data::DataElement>::wrap(values).cast(dtype)
    }

    /// Every row on every dtype: its rule either refuses the dtype with the row's error, or
    /// its kernel runs on that dtype and gives the rule's result dtype (the rule and the
    /// kernel kind of a row agree).
    #[test]
    fn every_row_runs_on_every_dtype_its_rule_takes() {
        for &op in UnaryOp::ALL {
            for dtype in DType::ALL {
                match op.dtypes(dtype) {
                    Ok((_, result)) => {
                        let out = op.apply(result, &block(dtype));
                        assert_eq!(out.dtype(), result, "{} on {dtype}", op.name());
                    }
                    Err(e) => assert!(e.to_string().starts_with(op.name()), "{e}"),
                }
            }
        }
        for &op in BinaryOp::ALL {
            for dtype in DType::ALL {
                match op.dtypes(dtype) {
                    Ok((operand, result)) => {
                        let (l, r) = (block(dtype), block(dtype).cast(operand));
                        match op.apply(operand, &[5], &l, &r) {
                            Ok(out) => assert_eq!(out.dtype(), result, "{} on {dtype}", op.name()),
                            // integers to negative powers
                            Err(e) => assert_eq!(op, BinaryOp::Pow, "{e}"),
                        }
                    }
                    Err(e) => assert!(e.to_string().starts_with(op.name()), "{e}"),
                }
            }
        }
    }

    #[test]
    fn names_are_unique_and_the_wire_uses_them() {
        let names: std::collections::HashSet<&str> = UnaryOp::ALL
            .iter()
            .map(|op| op.name())
            .chain(BinaryOp::ALL.iter().map(|op| op.name()))
            .collect();
        assert_eq!(names.len(), UnaryOp::ALL.len() + BinaryOp::ALL.len());
        assert_eq!(serde_json::to_string(&UnaryOp::Log10).unwrap(), "\"log10\"");
        assert_eq!(
            serde_json::from_str::<BinaryOp>("\"arctan2\"").unwrap(),
            BinaryOp::Arctan2
        );
    }

    #[test]
    fn rules_follow_numpy() {
        use DType::*;
        assert_eq!(UnaryOp::Log10.dtypes(Int32).unwrap(), (Float64, Float64));
        assert_eq!(UnaryOp::Log10.dtypes(Float32).unwrap(), (Float32, Float32));
        assert_eq!(UnaryOp::Abs.dtypes(Int32).unwrap(), (Int32, Int32));
        assert_eq!(BinaryOp::Arctan2.dtypes(Bool).unwrap(), (Float64, Float64));
        assert_eq!(BinaryOp::Pow.dtypes(Bool).unwrap(), (Int64, Int64));
        assert_eq!(BinaryOp::Lt.dtypes(Float32).unwrap(), (Float32, Bool));
        assert_eq!(
            UnaryOp::Neg.dtypes(Bool).unwrap_err().to_string(),
            "neg: not supported for dtype bool (use `!` for logical not)"
        );
        assert!(BinaryOp::And.dtypes(Float64).is_err());
    }
}
