//! `map_blocks`: a Rust closure applied to every chunk.

use std::sync::Arc;

use ndarray::{ArrayD, ArrayViewD};

use crate::array::Array;
use crate::data::DataElement;
use crate::error::{ensure, fmt_shape, Error, Result};
use crate::expr::{BlockFn, ExprKind, Node};

impl Array {
    /// Applies `f` to every chunk (as an ndarray view) and returns the array of its results.
    /// Each result must have the shape of its input chunk; its element type may differ. Lazy:
    /// `f` runs on the thread pool when computed, only on the chunks a result needs.
    ///
    /// The closure runs in this process: it cannot be sent to a cluster.
    ///
    /// **Errors**: `T` is not this array's dtype (immediately); at compute time, a result of the
    /// wrong shape or a panic in `f` (reported with the chunk's key, nothing aborts).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0.0, 6.0, 1.0, 4);
    /// let y = x.map_blocks(|b: ndarray::ArrayViewD<f64>| b.mapv(|v| v as i64 * 10))?;
    /// assert_eq!(y.dtype(), DType::Int64);
    /// assert_eq!(y.compute()?.to_vec::<i64>(), vec![0, 10, 20, 30, 40, 50]);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn map_blocks<T, U, F>(&self, f: F) -> Result<Array>
    where
        T: DataElement,
        U: DataElement,
        F: Fn(ArrayViewD<'_, T>) -> ArrayD<U> + Send + Sync + 'static,
    {
        let input = self.node()?;
        ensure!(
            input.dtype == T::DTYPE,
            Error::DTypeMismatch {
                op: "map_blocks",
                expected: T::DTYPE,
                actual: input.dtype
            }
        );
        let func = move |block: &crate::data::ArrayData| -> Result<crate::data::ArrayData> {
            let view = T::view_of(block)
                .expect("map_blocks input has the checked dtype")
                .view();
            let shape = view.shape().to_vec();
            let out = f(view);
            ensure!(
                out.shape() == shape.as_slice(),
                Error::invalid(
                    "map_blocks",
                    format!(
                        "the function returned shape {} for a block of shape {}",
                        fmt_shape(out.shape()),
                        fmt_shape(&shape)
                    )
                )
            );
            Ok(U::wrap(out))
        };
        let func = BlockFn {
            name: "map_blocks".into(),
            func: Arc::new(func),
        };
        let kind = ExprKind::MapBlocks {
            input: input.clone(),
            func,
        };
        Ok(Array::from_node(Node::new(
            kind,
            input.shape.clone(),
            U::DTYPE,
            input.chunks.clone(),
        )))
    }
}
