//! `std::ops` operators on arrays: `+ - * / % & | ^ << >>` between arrays (owned or borrowed)
//! and with scalars on either side, unary `-` and `!`. They build the same plan nodes as the
//! named methods; a failure (shapes that do not broadcast, a dtype the function does not take)
//! gives an invalid array, reported by the next fallible call (see [`Array`]).
//!
//! `%` is numpy's `remainder` (the result has the sign of the divisor, `-7 % 3 == 2`), not
//! Rust's `%` on primitives (the sign of the dividend, `-7 % 3 == -1`: that is
//! [`fmod`](Array::fmod)). Rust has no `//`: floor division is
//! [`floor_divide`](Array::floor_divide). `& | ^ !` are logical on bool arrays and bitwise on
//! integers; `<< >>` take integers.

use std::ops::{Add, BitAnd, BitOr, BitXor, Div, Mul, Neg, Not, Rem, Shl, Shr, Sub};

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
binary_operator!(BitXor, bitxor, BinaryOp::Xor);
binary_operator!(Rem, rem, BinaryOp::Remainder);
binary_operator!(Shl, shl, BinaryOp::LeftShift);
binary_operator!(Shr, shr, BinaryOp::RightShift);

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
    fn remainder_xor_and_shifts_follow_numpy() {
        let x = from_array(ndarray::arr1(&[7i64, -7, 7, -7, 5]), 2);
        let y = from_array(ndarray::arr1(&[3i64, 3, -3, -3, 0]), 2);
        // numpy: np.remainder([7, -7, 7, -7, 5], [3, 3, -3, -3, 0]) (by 0: 0, numpy warns)
        assert_eq!(
            (&x % &y).compute().unwrap().to_vec::<i64>(),
            vec![1, 2, -2, -1, 0]
        );
        assert_eq!(
            x.fmod(&y).compute().unwrap().to_vec::<i64>(),
            vec![1, -1, 1, -1, 0]
        );
        assert_eq!(
            x.floor_divide(&y).compute().unwrap().to_vec::<i64>(),
            vec![2, -3, -3, 2, 0]
        );
        assert_eq!(
            (-7.5 % &x.astype(DType::Float64))
                .compute()
                .unwrap()
                .to_vec::<f64>()[0],
            6.5
        );
        assert_eq!(
            (&x ^ 1).compute().unwrap().to_vec::<i64>(),
            vec![6, -8, 6, -8, 4]
        );
        assert_eq!(
            (&x << 2).compute().unwrap().to_vec::<i64>(),
            vec![28, -28, 28, -28, 20]
        );
        assert_eq!(
            (&x >> 1).compute().unwrap().to_vec::<i64>(),
            vec![3, -4, 3, -4, 2]
        );
        assert_eq!(
            (1i64 << &y).compute().unwrap().to_vec::<i64>(),
            vec![8, 8, 0, 0, 1]
        );
        let m = x.gt(0);
        assert_eq!(
            (&m ^ x.lt(6)).compute().unwrap().to_vec::<bool>(),
            vec![true, true, true, true, false]
        );
        let f = ones([2], 2);
        assert_eq!(
            (&f << 1).check().unwrap_err().to_string(),
            "left_shift: not supported for dtype float64 (needs an integer (or bool) array)"
        );
        assert_eq!(
            (&f ^ &f).check().unwrap_err().to_string(),
            "xor: not supported for dtype float64 (xor needs bool or integer arrays)"
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
