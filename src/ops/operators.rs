//! `std::ops` operators on arrays: `+ - * / & |` between arrays (owned or borrowed) and with
//! scalars on either side, unary `-` and `!`. They build the same plan nodes as the named
//! methods; a failure (shapes that do not broadcast) gives an invalid array, reported by the
//! next fallible call (see [`Array`]).

use std::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Not, Sub};

use crate::array::Array;
use crate::expr::{BinaryOp, UnaryOp};
use crate::ops::elementwise::{binary, Operand};

macro_rules! binary_operator {
    ($trait:ident, $method:ident, $op:expr) => {
        impl<R: Into<Operand>> $trait<R> for Array {
            type Output = Array;
            fn $method(self, rhs: R) -> Array {
                binary($op, Operand::Array(self), rhs.into())
            }
        }
        impl<R: Into<Operand>> $trait<R> for &Array {
            type Output = Array;
            fn $method(self, rhs: R) -> Array {
                binary($op, Operand::Array(self.clone()), rhs.into())
            }
        }
        // No f32 here: with both float types a literal like `2.0 - &a` would be ambiguous.
        binary_operator!(@scalar_lhs $trait, $method, $op, f64, i64, i32);
    };
    (@scalar_lhs $trait:ident, $method:ident, $op:expr, $($t:ty),*) => {$(
        impl $trait<Array> for $t {
            type Output = Array;
            fn $method(self, rhs: Array) -> Array {
                binary($op, self.into(), Operand::Array(rhs))
            }
        }
        impl $trait<&Array> for $t {
            type Output = Array;
            fn $method(self, rhs: &Array) -> Array {
                binary($op, self.into(), Operand::Array(rhs.clone()))
            }
        }
    )*};
}

binary_operator!(Add, add, BinaryOp::Add);
binary_operator!(Sub, sub, BinaryOp::Sub);
binary_operator!(Mul, mul, BinaryOp::Mul);
binary_operator!(Div, div, BinaryOp::Div);
binary_operator!(BitAnd, bitand, BinaryOp::And);
binary_operator!(BitOr, bitor, BinaryOp::Or);

impl Neg for &Array {
    type Output = Array;
    fn neg(self) -> Array {
        self.unary_op(UnaryOp::Neg)
    }
}

impl Neg for Array {
    type Output = Array;
    fn neg(self) -> Array {
        -&self
    }
}

impl Not for &Array {
    type Output = Array;
    fn not(self) -> Array {
        self.unary_op(UnaryOp::Not)
    }
}

impl Not for Array {
    type Output = Array;
    fn not(self) -> Array {
        !&self
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn operators_build_the_same_values_as_numpy() {
        let a = arange(0.0, 4.0, 1.0, 3);
        let b = full([4], 2.0, 2);
        let r = (&a * 2.0 + &b - 1.0) / 2.0;
        assert_eq!(
            r.compute().unwrap().to_vec::<f64>(),
            vec![0.5, 1.5, 2.5, 3.5]
        );
        let r = 10.0 - &a;
        assert_eq!(
            r.compute().unwrap().to_vec::<f64>(),
            vec![10.0, 9.0, 8.0, 7.0]
        );
        assert_eq!(
            (-&a).compute().unwrap().to_vec::<f64>(),
            vec![0.0, -1.0, -2.0, -3.0]
        );
        let m = a.gt(0.5) & a.lt(2.5);
        assert_eq!(
            m.compute().unwrap().to_vec::<bool>(),
            vec![false, true, true, false]
        );
        assert_eq!(
            (!m).compute().unwrap().to_vec::<bool>(),
            vec![true, false, false, true]
        );
    }

    #[test]
    fn scalar_operands_are_weak() {
        let a = ones([3], 3).astype(DType::Float32);
        assert_eq!((&a * 2.0).dtype(), DType::Float32);
        let i = ones([3], 3).astype(DType::Int32);
        assert_eq!((&i + 1).dtype(), DType::Int32);
        assert_eq!((&i + 1.5).dtype(), DType::Float64);
        assert_eq!((&i / 2).dtype(), DType::Float64);
    }

    #[test]
    fn bad_operands_are_errors_not_panics() {
        let b = ones([2], 2).astype(DType::Bool);
        assert_eq!(
            (-&b).check().unwrap_err().to_string(),
            "neg: not supported for dtype bool (use `!` for logical not)"
        );
        assert!((&b - &b)
            .check()
            .unwrap_err()
            .to_string()
            .starts_with("sub: not supported for dtype bool"));
        assert!((!ones([2], 2)).check().is_err());
        let bad = ones([2, 3], 2) + ones([4], 2);
        // the error surfaces at the next fallible call, also through further operations
        let later = (&bad * 2.0).sum();
        assert_eq!(
            later.unwrap_err().to_string(),
            "add: operands could not be broadcast together with shapes (2, 3) (4,)"
        );
        assert!(bad.to_string().starts_with("tessera.Array<invalid: add"));
    }
}
