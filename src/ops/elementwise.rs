//! Elementwise operations: arithmetic with numpy broadcasting and type promotion, math
//! functions, comparisons, `where_` and `astype`. All lazy.

use crate::array::Array;
use crate::chunks::Chunks;
use crate::dtype::{DType, Scalar};
use crate::error::Result;
use crate::expr::broadcast::{broadcast_chunks, broadcast_shapes};
use crate::expr::{
    binary_functions, unary_functions, BinaryOp, ExprKind, Node, NodeRef, Source, UnaryOp,
};

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
operand_from_scalar!(f64, f32, i64, i32, i16, i8, u32, u16, u8, usize, bool, Scalar);

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

pub(crate) fn binary(op: BinaryOp, lhs: Operand, rhs: Operand) -> Array {
    Array::from_result((|| {
        let nodes = operand_nodes(vec![lhs, rhs])?;
        let (l, r) = (&nodes[0], &nodes[1]);
        let (operand_dtype, dtype) = op.dtypes(l.dtype.promote(r.dtype))?;
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

impl Array {
    /// The function `op` of the elementwise table on every element (what its named method,
    /// if it has one, calls): for code that picks functions at run time. Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// use tessera::expr::UnaryOp;
    /// let x = from_array(ndarray::arr1(&[-1.5, 2.5]), 1);
    /// assert_eq!(x.apply_unary(UnaryOp::Floor).compute()?.to_vec::<f64>(), vec![-2.0, 2.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn apply_unary(&self, op: UnaryOp) -> Array {
        self.unary_op(op)
    }

    /// The function `op` of the binary table of `self` and `other` (an array or a scalar,
    /// broadcast). Lazy.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// use tessera::expr::BinaryOp;
    /// let x = from_array(ndarray::arr1(&[7, -7]), 1);
    /// assert_eq!(x.apply_binary(BinaryOp::Remainder, 3).compute()?.to_vec::<i64>(), vec![1, 2]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn apply_binary(&self, op: BinaryOp, other: impl Into<Operand>) -> Array {
        binary(op, self.into(), other.into())
    }

    pub(crate) fn unary_op(&self, op: UnaryOp) -> Array {
        Array::from_result((|| {
            let input = self.node()?;
            let (_, dtype) = op.dtypes(input.dtype)?;
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

    /// `self ** exponent` with a scalar exponent. Lazy.
    pub fn powf(&self, exponent: f64) -> Array {
        self.pow(exponent)
    }

    /// A copy with elements converted to `dtype` (numpy's `astype`: floats truncate toward
    /// zero, integers wrap, nonzero is `true`). Lazy; free when the dtype already matches.
    ///
    /// Every value the target holds converts to numpy's result. Where Rust differs from
    /// numpy (whose results there are the platform's): a float out of an integer's range
    /// saturates to its minimum or maximum, NaN gives 0; [`astype_checked`](Array::astype_checked)
    /// refuses such values instead.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let a = full([2], 2.7, 1).astype(DType::Int32);
    /// assert_eq!(a.dtype(), DType::Int32);
    /// assert_eq!(a.compute()?.to_vec::<i32>(), vec![2, 2]);
    /// let b = from_array(ndarray::arr1(&[-1i64, 256]), 1).astype(DType::UInt8);
    /// assert_eq!(b.compute()?.to_vec::<u8>(), vec![255, 0]); // integers wrap, as numpy
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

/// The doc of a generated method: the row's sentence, then its example's `lines` run as a
/// doc test.
macro_rules! method_doc {
    ($doc:literal, $($line:expr),*) => {
        concat!(
            $doc, ". Lazy.\n\n# Examples\n\n```\nuse tessera::prelude::*;\n",
            $($line, "\n",)*
            "# Ok::<(), tessera::Error>(())\n```"
        )
    };
}

/// The line of an example that builds the array `name` from `values`.
macro_rules! example_array {
    ($name:literal, $($value:expr),*) => {
        concat!("let ", $name, " = from_array(ndarray::arr1(&[", stringify!($($value),*), "]), 1);")
    };
}

/// One `Array` method per row of the elementwise table that names one, its doc running the
/// row's example.
macro_rules! unary_methods {
    ($(
        $V:ident $name:literal $doc:literal : $rule:ident $(($hint:literal))?
        => $kind:ident ( $($kernel:tt)* )
        $(, fn $method:ident ([$($x:expr),*]) -> $t:ty [$($y:expr),*])? ;
    )*) => {
        impl Array {
            $($(
                #[doc = method_doc!(
                    $doc,
                    example_array!("x", $($x),*),
                    concat!(
                        "assert_eq!(x.", stringify!($method), "().compute()?.to_vec::<",
                        stringify!($t), ">(), vec![", stringify!($($y),*), "]);"
                    )
                )]
                pub fn $method(&self) -> Array {
                    self.unary_op(UnaryOp::$V)
                }
            )?)*
        }
    };
}
unary_functions!(unary_methods);

/// One `Array` method per row of the binary table that names one (`other` an array or a
/// scalar, broadcast with `self`).
macro_rules! binary_methods {
    ($(
        $V:ident $name:literal $doc:literal : $rule:ident $(($hint:literal))?
        => $kind:ident ( $($kernel:tt)* )
        $(, fn $method:ident ([$($x:expr),*], [$($y:expr),*]) -> $t:ty
            [$($z:expr),*])? ;
    )*) => {
        impl Array {
            $($(
                #[doc = method_doc!(
                    $doc,
                    example_array!("x", $($x),*),
                    example_array!("y", $($y),*),
                    concat!(
                        "assert_eq!(x.", stringify!($method), "(&y).compute()?.to_vec::<",
                        stringify!($t), ">(), vec![", stringify!($($z),*), "]);"
                    )
                )]
                pub fn $method(&self, other: impl Into<Operand>) -> Array {
                    binary(BinaryOp::$V, self.into(), other.into())
                }
            )?)*
        }
    };
}
binary_functions!(binary_methods);

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
