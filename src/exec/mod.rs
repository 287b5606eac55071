//! Executors: run a lowered task graph and assemble the result.
//!
//! The local [`threaded`] executor runs on a rayon pool; a distributed one will implement the
//! same [`Executor`] trait.

mod run;
mod threaded;

use std::sync::Arc;

use ndarray::{ArrayD, Axis, IxDyn, Slice};

use crate::data::{ArrayData, Computed, DataElement};
use crate::dtype::with_dtype;
use crate::error::Result;
use crate::expr::NodeRef;
use crate::graph::{lower::lower_node, TaskGraph};
use crate::kernels::Value;

/// Something that runs a task graph and returns the output blocks in graph order.
pub(crate) trait Executor {
    fn execute(&self, graph: &TaskGraph) -> Result<Vec<Arc<Value>>>;
}

/// Lowers `node`, runs it on the local executor and joins the output blocks.
pub(crate) fn compute(node: &NodeRef) -> Result<Computed> {
    let graph = lower_node(node);
    let blocks = threaded::ThreadedExecutor.execute(&graph)?;
    Ok(Computed::new(join_blocks(node, blocks)))
}

/// The output blocks (C order of the chunk grid) copied into one array.
fn join_blocks(node: &NodeRef, mut blocks: Vec<Arc<Value>>) -> ArrayData {
    if blocks.len() == 1 {
        let only = blocks.pop().expect("one block");
        return Arc::try_unwrap(only).map_or_else(|shared| shared.data().clone(), Value::into_data);
    }
    with_dtype!(node.dtype, T => {
        let mut out = ArrayD::<T>::default(IxDyn(&node.shape));
        for (index, block) in node.chunks.block_indices().iter().zip(&blocks) {
            let mut dst = out.view_mut();
            for (axis, r) in node.chunks.block_region(index).into_iter().enumerate() {
                dst.slice_axis_inplace(Axis(axis), Slice::from(r));
            }
            dst.assign(T::view_of(block.data()).expect("blocks have the array's dtype"));
        }
        T::wrap(out)
    })
}
