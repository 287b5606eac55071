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
//! giving bool), `is(f)` (a test of one element giving bool, run on the input dtype: `isnan`),
//! `checked(f, reason)` (`f` gives `None` where undefined: the task fails with `reason`).

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
    /// Floats only: floats keep their dtype, bool and integers compute in the narrowest float
    /// holding their values ([`DType::to_float`]: int8 in float16, int16 in float32, int32
    /// in float64; `sqrt`, `log10`, `arctan2`).
    Float,
    /// Floats keep their dtype, bool and integers compute in float64 (true division).
    Divide,
    /// As `Same`, but bool computes in int8 (`power`, `square`).
    IntFromBool,
    /// Operands in the input dtype, the result bool (comparisons).
    Compare,
    /// bool and integers only: logical on bool, bitwise on integers (`!`, `&`, `|`).
    Integral,
    /// Integers only, bool computing in int8 (`<<`, `>>`).
    Shift,
    /// float64 for every dtype (`float_power`).
    Float64,
}

impl DTypeRule {
    /// `(operand dtype, result dtype)` on input `dtype`, or `None` when the rule refuses it.
    pub fn resolve(self, dtype: DType) -> Option<(DType, DType)> {
        use DTypeRule::*;
        match self {
            Same => Some((dtype, dtype)),
            Numeric | IntFromBool if dtype == DType::Bool => match self {
                Numeric => None,
                _ => Some((DType::Int8, DType::Int8)),
            },
            Numeric | IntFromBool => Some((dtype, dtype)),
            Float => Some((dtype.to_float(), dtype.to_float())),
            Divide => Some((
                dtype.to_float64_unless_float(),
                dtype.to_float64_unless_float(),
            )),
            Compare => Some((dtype, DType::Bool)),
            Integral | Shift if dtype.is_float() => None,
            Integral => Some((dtype, dtype)),
            Shift if dtype == DType::Bool => Some((DType::Int8, DType::Int8)),
            Shift => Some((dtype, dtype)),
            Float64 => Some((DType::Float64, DType::Float64)),
        }
    }

    /// What a refusal says when the row gives no hint of its own.
    pub fn default_hint(self) -> &'static str {
        match self {
            DTypeRule::Numeric => "needs a numeric (not bool) array",
            DTypeRule::Integral => "needs a bool or integer array",
            DTypeRule::Shift => "needs an integer (or bool) array",
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
            Positive "positive" "Numerical positive: a copy (numpy's `positive`; bool is refused)":
                Numeric => map(Arith::positive), fn positive([-1.5, 2.0]) -> f64 [-1.5, 2.0];
            Abs "abs" "Absolute value, elementwise; integers stay integers":
                Same => map(Arith::abs), fn abs([-1.5, 2.0]) -> f64 [1.5, 2.0];
            Sign "sign" "-1, 0 or 1 by the sign of each element (NaN stays NaN, \
`sign(-0.0)` is `0.0`)":
                Numeric => map(Arith::sign), fn sign([-2.5, 0.0, 3.0]) -> f64 [-1.0, 0.0, 1.0];
            Floor "floor" "The largest integer not above each element (numpy 2: integers \
and bool keep their dtype)":
                Same => map(Arith::floor), fn floor([-1.5, 2.5]) -> f64 [-2.0, 2.0];
            Ceil "ceil" "The smallest integer not below each element (integers and bool \
keep their dtype)":
                Same => map(Arith::ceil), fn ceil([-1.5, 2.5]) -> f64 [-1.0, 3.0];
            Trunc "trunc" "Each element rounded toward zero (integers and bool keep their \
dtype)":
                Same => map(Arith::trunc), fn trunc([-1.5, 2.5]) -> f64 [-1.0, 2.0];
            Rint "rint" "Each element rounded to the nearest integer, halves to even \
(integers compute in a float, as numpy's `rint`: int8 in float16)":
                Float => float(f64::round_ties_even),
                fn rint([0.5, 1.5, -2.5]) -> f64 [0.0, 2.0, -2.0];
            Reciprocal "reciprocal" "`1 / x`, elementwise; integers stay integers as numpy's \
(`1 / 2` is 0, `1 / 0` is int32 and int64's minimum, 0 for the others), bool computes in int8":
                IntFromBool => map(Arith::reciprocal),
                fn reciprocal([4.0, -0.5]) -> f64 [0.25, -2.0];
            Square "square" "`x * x`, elementwise (bool computes in int8)":
                IntFromBool => map(Arith::square), fn square([-3.0, 0.5]) -> f64 [9.0, 0.25];
            Sqrt "sqrt" "Square root, elementwise (integers compute in float64)":
                Float => float(f64::sqrt), fn sqrt([16.0, 0.25]) -> f64 [4.0, 0.5];
            Cbrt "cbrt" "Cube root, elementwise":
                Float => float(f64::cbrt), fn cbrt([27.0, -8.0]) -> f64 [3.0, -2.0];
            Exp "exp" "`e^x`, elementwise":
                Float => float(f64::exp), fn exp([0.0]) -> f64 [1.0];
            Exp2 "exp2" "`2^x`, elementwise":
                Float => float(f64::exp2), fn exp2([3.0, -1.0]) -> f64 [8.0, 0.5];
            Expm1 "expm1" "`e^x - 1`, elementwise, exact for small `x`":
                Float => float(f64::exp_m1), fn expm1([0.0]) -> f64 [0.0];
            Log "log" "Natural logarithm, elementwise":
                Float => float(f64::ln), fn log([1.0]) -> f64 [0.0];
            Log2 "log2" "Base-2 logarithm, elementwise":
                Float => float(f64::log2), fn log2([8.0, 0.5]) -> f64 [3.0, -1.0];
            Log10 "log10" "Base-10 logarithm, elementwise (numpy's `log10`: 0 gives -inf, \
negative numbers NaN; integers compute in float64)":
                Float => float(f64::log10), fn log10([1000.0, 1.0]) -> f64 [3.0, 0.0];
            Log1p "log1p" "`ln(1 + x)`, elementwise, exact for small `x`":
                Float => float(f64::ln_1p), fn log1p([0.0]) -> f64 [0.0];
            Sin "sin" "Sine, elementwise":
                Float => float(f64::sin), fn sin([0.0]) -> f64 [0.0];
            Cos "cos" "Cosine, elementwise":
                Float => float(f64::cos), fn cos([0.0]) -> f64 [1.0];
            Tan "tan" "Tangent, elementwise":
                Float => float(f64::tan), fn tan([0.0]) -> f64 [0.0];
            Arcsin "arcsin" "Inverse sine, elementwise (NaN outside `[-1, 1]`)":
                Float => float(f64::asin), fn arcsin([0.0]) -> f64 [0.0];
            Arccos "arccos" "Inverse cosine, elementwise (NaN outside `[-1, 1]`)":
                Float => float(f64::acos), fn arccos([1.0]) -> f64 [0.0];
            Arctan "arctan" "Inverse tangent, elementwise, in `(-pi/2, pi/2)`":
                Float => float(f64::atan), fn arctan([0.0]) -> f64 [0.0];
            Sinh "sinh" "Hyperbolic sine, elementwise":
                Float => float(f64::sinh), fn sinh([0.0]) -> f64 [0.0];
            Cosh "cosh" "Hyperbolic cosine, elementwise":
                Float => float(f64::cosh), fn cosh([0.0]) -> f64 [1.0];
            Tanh "tanh" "Hyperbolic tangent, elementwise":
                Float => float(f64::tanh), fn tanh([0.0]) -> f64 [0.0];
            Arcsinh "arcsinh" "Inverse hyperbolic sine, elementwise":
                Float => float(libm::asinh), fn arcsinh([0.0]) -> f64 [0.0];
            Arccosh "arccosh" "Inverse hyperbolic cosine, elementwise (NaN below 1)":
                Float => float(kernel::arccosh), fn arccosh([1.0]) -> f64 [0.0];
            Arctanh "arctanh" "Inverse hyperbolic tangent, elementwise (±inf at ±1)":
                Float => float(libm::atanh), fn arctanh([0.0]) -> f64 [0.0];
            Deg2rad "deg2rad" "Degrees to radians, elementwise (`x * pi / 180`)":
                Float => float(f64::to_radians),
                fn deg2rad([90.0]) -> f64 [std::f64::consts::FRAC_PI_2];
            Rad2deg "rad2deg" "Radians to degrees, elementwise (`x * 180 / pi`)":
                Float => float(f64::to_degrees), fn rad2deg([0.0]) -> f64 [0.0];
            Isnan "isnan" "Whether each element is NaN, as a bool array (never for integers \
and bool)":
                Compare => is(Arith::is_nan), fn isnan([f64::NAN, 1.0]) -> bool [true, false];
            Isinf "isinf" "Whether each element is +inf or -inf, as a bool array":
                Compare => is(Arith::is_inf), fn isinf([f64::INFINITY, 1.0]) -> bool [true, false];
            Isfinite "isfinite" "Whether each element is neither NaN nor infinite, as a bool \
array (always for integers and bool)":
                Compare => is(Arith::is_finite),
                fn isfinite([f64::NAN, 1.0]) -> bool [false, true];
            Isposinf "isposinf" "Whether each element is +inf, as a bool array":
                Compare => is(Arith::is_posinf),
                fn isposinf([f64::INFINITY, f64::NEG_INFINITY]) -> bool [true, false];
            Isneginf "isneginf" "Whether each element is -inf, as a bool array":
                Compare => is(Arith::is_neginf),
                fn isneginf([f64::INFINITY, f64::NEG_INFINITY]) -> bool [false, true];
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
                Divide => map(Arith::div);
            FloorDivide "floor_divide" "Floor division, numpy's `//` (Rust has no `//` \
operator): the quotient rounded toward -inf; an integer divided by 0 gives 0 (numpy's value, \
without its warning), a float by 0 gives ±inf or NaN; bool computes in int8":
                IntFromBool => map(Arith::floor_div),
                fn floor_divide([7.0, -7.0], [2.0, 2.0]) -> f64 [3.0, -4.0];
            Remainder "remainder" "numpy's `remainder` (`mod`, the `%` operator): the sign of \
the divisor, so `floor_divide(x, y) * y + remainder(x, y) == x`; unlike Rust's `%` on \
primitives, which takes the sign of the dividend (numpy's `fmod`). Integer remainder by 0 is 0, \
float remainder by 0 NaN":
                IntFromBool => map(Arith::rem),
                fn remainder([7.0, -7.0], [3.0, 3.0]) -> f64 [1.0, 2.0];
            Fmod "fmod" "C's `fmod` (Rust's `%` on primitives): the sign of the dividend; \
integer `fmod` by 0 is 0":
                IntFromBool => map(Arith::fmod),
                fn fmod([7.0, -7.0], [3.0, 3.0]) -> f64 [1.0, -1.0];
            Pow "pow" "`self ** other`, elementwise with broadcasting":
                IntFromBool => checked(
                    Arith::pow,
                    "integers to negative integer powers are not allowed"
                ), fn pow([2.0, 3.0], [3.0, 2.0]) -> f64 [8.0, 9.0];
            FloatPower "float_power" "`self ** other` computed in float64 for every dtype \
(numpy's `float_power`: float32 gives float64 too)":
                Float64 => float(f64::powf),
                fn float_power([2.0, 4.0], [-1.0, 0.5]) -> f64 [0.5, 2.0];
            Maximum "maximum" "The larger of each pair; NaN propagates (numpy's `maximum`)":
                Same => map(Arith::maximum),
                fn maximum([1.0, 5.0], [2.0, 0.0]) -> f64 [2.0, 5.0];
            Minimum "minimum" "The smaller of each pair; NaN propagates":
                Same => map(Arith::minimum), fn minimum([1.0, 5.0], [2.0, 0.0]) -> f64 [1.0, 0.0];
            Fmax "fmax" "The larger of each pair, a NaN losing to a number (numpy's `fmax`)":
                Same => map(Arith::fmax), fn fmax([1.0, f64::NAN], [2.0, 0.0]) -> f64 [2.0, 0.0];
            Fmin "fmin" "The smaller of each pair, a NaN losing to a number":
                Same => map(Arith::fmin), fn fmin([1.0, f64::NAN], [2.0, 0.0]) -> f64 [1.0, 0.0];
            Hypot "hypot" "`sqrt(self^2 + other^2)` without overflow, elementwise":
                Float => float(f64::hypot), fn hypot([3.0], [4.0]) -> f64 [5.0];
            Copysign "copysign" "The magnitude of `self` with the sign of `other`":
                Float => float(f64::copysign),
                fn copysign([2.0, 3.0], [-0.0, 1.0]) -> f64 [-2.0, 3.0];
            Heaviside "heaviside" "The Heaviside step: 0 below zero, 1 above, `other` at zero \
(NaN for NaN)":
                Float => float(kernel::heaviside),
                fn heaviside([-2.0, 0.0, 3.0], [0.5, 0.5, 0.5]) -> f64 [0.0, 0.5, 1.0];
            Logaddexp "logaddexp" "`ln(e^self + e^other)` without overflow":
                Float => float(kernel::logaddexp),
                fn logaddexp([0.0], [0.0]) -> f64 [std::f64::consts::LN_2];
            Logaddexp2 "logaddexp2" "`log2(2^self + 2^other)` without overflow":
                Float => float(kernel::logaddexp2), fn logaddexp2([1.0], [1.0]) -> f64 [2.0];
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
            Xor "xor" "Logical xor on bool, bitwise xor on integers (the `^` operator)":
                Integral("xor needs bool or integer arrays") => map(Arith::xor);
            LeftShift "left_shift" "`self << other` on integers (the `<<` operator); shifts \
of the width or more, or negative, give 0 as numpy's; bool computes in int8":
                Shift => map(Arith::shl), fn left_shift([1, 3], [4, 1]) -> i64 [16, 6];
            RightShift "right_shift" "`self >> other` on integers, arithmetic (the `>>` \
operator); shifts of the width or more give 0, or -1 for negative numbers":
                Shift => map(Arith::shr), fn right_shift([16, -16], [2, 2]) -> i64 [4, -4];
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
    (is($f:path), $dtype:expr, $input:expr) => {
        with_dtype!($input.dtype(), T => kernel::map_test::<T>($input, |x: T| $f(x)))
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
    (is) => {
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
        assert_eq!(BinaryOp::Arctan2.dtypes(Bool).unwrap(), (Float16, Float16));
        assert_eq!(
            BinaryOp::Arctan2.dtypes(UInt16).unwrap(),
            (Float32, Float32)
        );
        assert_eq!(BinaryOp::Div.dtypes(Int8).unwrap(), (Float64, Float64));
        assert_eq!(BinaryOp::Pow.dtypes(Bool).unwrap(), (Int8, Int8));
        assert_eq!(BinaryOp::Lt.dtypes(Float32).unwrap(), (Float32, Bool));
        assert_eq!(
            UnaryOp::Neg.dtypes(Bool).unwrap_err().to_string(),
            "neg: not supported for dtype bool (use `!` for logical not)"
        );
        assert!(BinaryOp::And.dtypes(Float64).is_err());
    }
}
