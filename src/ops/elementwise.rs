//! Elementwise operations: arithmetic with numpy broadcasting and type promotion, math
//! functions, comparisons, `where_` and `astype`. All lazy.

use crate::array::Array;
use crate::chunks::Chunks;
use crate::dtype::{DType, Scalar};
use crate::error::{Error, Result};
use crate::expr::broadcast::{broadcast_chunks, broadcast_shapes};
use crate::expr::{BinaryOp, ExprKind, Node, NodeRef, Source, UnaryOp};

/// An operand of an elementwise operation: an array or a Rust scalar.
///
/// Scalars are "weak" as in numpy 2: `f32_array * 2.0` stays float32.
#[derive(Debug, Clone)]
pub enum Operand {
    Array(Array),
    Scalar(Scalar),
}

impl From<Array> for Operand {
    fn from(a: Array) -> Self {
        Operand::Array(a)
    }
}
impl From<&Array> for Operand {
    fn from(a: &Array) -> Self {
        Operand::Array(a.clone())
    }
}
macro_rules! operand_from_scalar {
    ($($t:ty),*) => {$(
        impl From<$t> for Operand {
            fn from(v: $t) -> Self { Operand::Scalar(Scalar::from(v)) }
        }
    )*};
}
operand_from_scalar!(f64, f32, i64, i32, usize, bool);

/// A 0-d constant node of `dtype`, used for scalar operands.
fn scalar_node(value: Scalar, dtype: DType) -> NodeRef {
    Node::new(
        ExprKind::Source {
            source: Source::Full { value },
            view: None,
        },
        vec![],
        dtype,
        Chunks::single(&[]),
    )
}

/// Turns operands into nodes; each scalar takes the dtype it gets against the first array
/// operand (numpy's weak-scalar rule), or its own default dtype when there is no array.
fn operand_nodes(operands: Vec<Operand>) -> Result<Vec<NodeRef>> {
    let mut array_dtype = None;
    for op in &operands {
        if let Operand::Array(a) = op {
            let node = a.node()?;
            array_dtype.get_or_insert(node.dtype);
        }
    }
    operands
        .into_iter()
        .map(|op| match op {
            Operand::Array(a) => a.node().cloned(),
            Operand::Scalar(s) => {
                let dtype = array_dtype.map_or(s.default_dtype(), |d: DType| d.promote_scalar(s));
                Ok(scalar_node(s, dtype))
            }
        })
        .collect()
}

/// The dtype the operands are cast to, and the result dtype, of `op` on `common`
/// (the promoted dtype of both operands).
fn binary_dtypes(op: BinaryOp, common: DType) -> Result<(DType, DType)> {
    use BinaryOp::*;
    Ok(match op {
        Add | Mul => (common, common),
        Sub if common == DType::Bool => {
            return Err(Error::UnsupportedDType {
                op: "sub",
                dtype: DType::Bool,
                hint: "boolean subtract is not supported; use `.ne(..)` for xor",
            })
        }
        Sub => (common, common),
        Div => (common.to_float(), common.to_float()),
        Pow if common == DType::Bool => (DType::Int64, DType::Int64),
        Pow => (common, common),
        Eq | Ne | Lt | Le | Gt | Ge => (common, DType::Bool),
        And | Or if common.is_float() => {
            return Err(Error::UnsupportedDType {
                op: op.name(),
                dtype: common,
                hint: "logical and/or need bool or integer arrays",
            })
        }
        And | Or => (common, common),
    })
}

pub(crate) fn binary(op: BinaryOp, lhs: Operand, rhs: Operand) -> Array {
    Array::from_result((|| {
        let nodes = operand_nodes(vec![lhs, rhs])?;
        let (l, r) = (&nodes[0], &nodes[1]);
        let (operand_dtype, dtype) = binary_dtypes(op, l.dtype.promote(r.dtype))?;
        let shape = broadcast_shapes(op.name(), &[&l.shape, &r.shape])?;
        let chunks = broadcast_chunks(&shape, &[&l.chunks, &r.chunks]);
        let kind = ExprKind::Binary {
            op,
            lhs: l.clone(),
            rhs: r.clone(),
            operand_dtype,
        };
        Ok(Array::from_node(Node::new(kind, shape, dtype, chunks)))
    })())
}

fn unary_dtype(op: UnaryOp, dtype: DType) -> Result<DType> {
    use UnaryOp::*;
    match op {
        Neg if dtype == DType::Bool => Err(Error::UnsupportedDType {
            op: "neg",
            dtype,
            hint: "use `!` for logical not",
        }),
        Not if dtype.is_float() => Err(Error::UnsupportedDType {
            op: "not",
            dtype,
            hint: "`!` needs a bool or integer array",
        }),
        Neg | Abs | Not => Ok(dtype),
        Sqrt | Exp | Log | Sin | Cos => Ok(dtype.to_float()),
    }
}

impl Array {
    pub(crate) fn unary_op(&self, op: UnaryOp) -> Array {
        Array::from_result((|| {
            let input = self.node()?;
            let dtype = unary_dtype(op, input.dtype)?;
            let kind = ExprKind::Unary {
                op,
                input: input.clone(),
            };
            Ok(Array::from_node(Node::new(
                kind,
                input.shape.clone(),
                dtype,
                input.chunks.clone(),
            )))
        })())
    }

    /// Absolute value, elementwise. Lazy.
    pub fn abs(&self) -> Array {
        self.unary_op(UnaryOp::Abs)
    }

    /// Square root, elementwise (integers compute in float64). Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let r = full([3], 16.0, 2).sqrt().compute()?;
    /// assert_eq!(r.to_vec::<f64>(), vec![4.0; 3]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn sqrt(&self) -> Array {
        self.unary_op(UnaryOp::Sqrt)
    }

    /// `e^x`, elementwise. Lazy.
    pub fn exp(&self) -> Array {
        self.unary_op(UnaryOp::Exp)
    }

    /// Natural logarithm, elementwise. Lazy.
    pub fn log(&self) -> Array {
        self.unary_op(UnaryOp::Log)
    }

    /// Sine, elementwise. Lazy.
    pub fn sin(&self) -> Array {
        self.unary_op(UnaryOp::Sin)
    }

    /// Cosine, elementwise. Lazy.
    pub fn cos(&self) -> Array {
        self.unary_op(UnaryOp::Cos)
    }

    /// `self ** exponent` with a scalar exponent. Lazy.
    pub fn powf(&self, exponent: f64) -> Array {
        self.pow(exponent)
    }

    /// `self ** other`, elementwise with broadcasting. Lazy.
    pub fn pow(&self, other: impl Into<Operand>) -> Array {
        binary(BinaryOp::Pow, self.into(), other.into())
    }

    /// `self == other` elementwise, as a bool array. Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let mask = arange(0, 5, 1, 2).eq(3).compute()?;
    /// assert_eq!(mask.to_vec::<bool>(), vec![false, false, false, true, false]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn eq(&self, other: impl Into<Operand>) -> Array {
        binary(BinaryOp::Eq, self.into(), other.into())
    }

    /// `self != other` elementwise. Lazy.
    pub fn ne(&self, other: impl Into<Operand>) -> Array {
        binary(BinaryOp::Ne, self.into(), other.into())
    }

    /// `self < other` elementwise. Lazy.
    pub fn lt(&self, other: impl Into<Operand>) -> Array {
        binary(BinaryOp::Lt, self.into(), other.into())
    }

    /// `self <= other` elementwise. Lazy.
    pub fn le(&self, other: impl Into<Operand>) -> Array {
        binary(BinaryOp::Le, self.into(), other.into())
    }

    /// `self > other` elementwise. Lazy.
    pub fn gt(&self, other: impl Into<Operand>) -> Array {
        binary(BinaryOp::Gt, self.into(), other.into())
    }

    /// `self >= other` elementwise. Lazy.
    pub fn ge(&self, other: impl Into<Operand>) -> Array {
        binary(BinaryOp::Ge, self.into(), other.into())
    }

    /// A copy with elements converted to `dtype` (numpy's `astype`: floats truncate toward
    /// zero, integers wrap, nonzero is `true`). Lazy; free when the dtype already matches.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let a = full([2], 2.7, 1).astype(DType::Int32);
    /// assert_eq!(a.dtype(), DType::Int32);
    /// assert_eq!(a.compute()?.to_vec::<i32>(), vec![2, 2]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn astype(&self, dtype: DType) -> Array {
        Array::from_result((|| {
            let input = self.node()?;
            if input.dtype == dtype {
                return Ok(self.clone());
            }
            let kind = ExprKind::Cast {
                input: input.clone(),
            };
            Ok(Array::from_node(Node::new(
                kind,
                input.shape.clone(),
                dtype,
                input.chunks.clone(),
            )))
        })())
    }
}

/// Elementwise choice: `x` where `cond` is true, else `y`, with broadcasting of all three
/// (numpy's `where`). `cond` is converted to bool if it is not; `x` and `y` may be scalars.
/// Lazy.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let x = arange(-2.0, 3.0, 1.0, 2);
/// let relu = where_(&x.gt(0.0), &x, 0.0).compute()?;
/// assert_eq!(relu.to_vec::<f64>(), vec![0.0, 0.0, 0.0, 1.0, 2.0]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn where_(cond: &Array, x: impl Into<Operand>, y: impl Into<Operand>) -> Array {
    Array::from_result((|| {
        let cond = cond.astype(DType::Bool);
        let nodes = operand_nodes(vec![x.into(), y.into()])?;
        let c = cond.node()?;
        let (x, y) = (&nodes[0], &nodes[1]);
        let dtype = x.dtype.promote(y.dtype);
        let shape = broadcast_shapes("where", &[&c.shape, &x.shape, &y.shape])?;
        let chunks = broadcast_chunks(&shape, &[&c.chunks, &x.chunks, &y.chunks]);
        let kind = ExprKind::Where {
            cond: c.clone(),
            x: x.clone(),
            y: y.clone(),
        };
        Ok(Array::from_node(Node::new(kind, shape, dtype, chunks)))
    })())
}
