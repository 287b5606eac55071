//! Matrix product of 2-D arrays.

use crate::array::Array;
use crate::chunks::Chunks;
use crate::dtype::DType;
use crate::error::{ensure, fmt_shape, Error, Result};
use crate::expr::broadcast::refine;
use crate::expr::{ExprKind, Node};
use crate::ops::join::align;

impl Array {
    /// Matrix product of two 2-D arrays (`(m, k) · (k, n) → (m, n)`), block by block: output
    /// block `(i, j)` sums the products of row-block `i` and column-block `j`. Dtypes are
    /// promoted; the contracted axis is rechunked to a common grid when the two differ. Lazy.
    ///
    /// **Errors**: an input that is not 2-D; inner lengths that differ; bool arrays.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let a = from_array(ndarray::array![[1.0, 2.0], [3.0, 4.0]], 1);
    /// let b = from_array(ndarray::array![[5.0], [6.0]], [2, 1]);
    /// assert_eq!(a.dot(&b)?.compute()?.to_vec::<f64>(), vec![17.0, 39.0]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn dot(&self, other: &Array) -> Result<Array> {
        let (l, r) = (self.node()?, other.node()?);
        ensure!(
            l.shape.len() == 2 && r.shape.len() == 2,
            Error::invalid(
                "dot",
                format!(
                    "only 2-D arrays are supported, got shapes {} and {}",
                    fmt_shape(&l.shape),
                    fmt_shape(&r.shape)
                )
            )
        );
        ensure!(
            l.shape[1] == r.shape[0],
            Error::invalid(
                "dot",
                format!(
                    "shapes {} and {} not aligned: {} (dim 1) != {} (dim 0)",
                    fmt_shape(&l.shape),
                    fmt_shape(&r.shape),
                    l.shape[1],
                    r.shape[0]
                )
            )
        );
        let dtype = l.dtype.promote(r.dtype);
        ensure!(
            dtype != DType::Bool,
            Error::UnsupportedDType {
                op: "dot",
                dtype,
                hint: "cast with .astype(DType::Int64) first"
            }
        );
        ensure!(
            dtype != DType::Float16,
            Error::UnsupportedDType {
                op: "dot",
                dtype,
                hint: "cast with .astype(DType::Float32) first"
            }
        );
        let inner = refine(&[l.chunks.axis(1), r.chunks.axis(0)]);
        let lhs = align(
            self,
            dtype,
            Chunks::from_vec(vec![l.chunks.axis(0).to_vec(), inner.clone()]),
        )?;
        let rhs = align(
            other,
            dtype,
            Chunks::from_vec(vec![inner, r.chunks.axis(1).to_vec()]),
        )?;
        let chunks = Chunks::from_vec(vec![l.chunks.axis(0).to_vec(), r.chunks.axis(1).to_vec()]);
        let kind = ExprKind::Dot {
            lhs: lhs.node()?.clone(),
            rhs: rhs.node()?.clone(),
        };
        Ok(Array::from_node(Node::new(
            kind,
            vec![l.shape[0], r.shape[1]],
            dtype,
            chunks,
        )))
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn dot_errors() {
        let a = ones([2, 3], 2);
        assert_eq!(
            a.dot(&ones([4, 5], 2)).unwrap_err().to_string(),
            "dot: shapes (2, 3) and (4, 5) not aligned: 3 (dim 1) != 4 (dim 0)"
        );
        assert!(a.dot(&ones([3], 2)).is_err());
        let b = a.gt(0.0);
        assert!(b
            .dot(&b.t())
            .unwrap_err()
            .to_string()
            .starts_with("dot: not supported for dtype bool"));
    }
}
