//! Executors: run a lowered task graph and assemble the result.
//!
//! The local [`threaded`] executor runs on a rayon pool; the distributed one (feature
//! `distributed`) sends the same tasks, as data, to dask workers. Both implement [`Executor`].

mod budget;
pub(crate) mod events;
pub(crate) mod generate;
mod run;
mod several;
mod threaded;
mod tiled_reduce;

#[cfg(feature = "distributed")]
pub(crate) use run::run_task;
pub(crate) use several::compute_several;
pub(crate) use threaded::worker_count;

use std::sync::Arc;

use crate::data::{ArrayData, Computed};
use crate::error::Result;
use crate::expr::NodeRef;
use crate::graph::{lower::lower_node, BlockInput, Piece, TaskGraph};
use crate::kernels::{structure, Value};
use events::{with_listeners, Callback};

/// Something that runs a task graph and returns the output blocks in graph order, telling
/// `callback` as it goes: the local [`threaded`] pool, or a cluster (`distributed`).
pub(crate) trait Executor {
    fn execute(&self, graph: &TaskGraph, callback: &dyn Callback) -> Result<Vec<Arc<Value>>>;

    /// Refuses, before anything runs, a graph this executor has not the memory for.
    fn check_memory(&self, _node: &NodeRef, _graph: &TaskGraph) -> Result<()> {
        Ok(())
    }
}

/// Optimizes `node` (unless [`config::set_optimize`](crate::config::set_optimize) turned that
/// off), lowers it, runs it on the local executor and joins the output blocks. `callback` and
/// the registered callbacks hear of it.
pub(crate) fn compute(node: &NodeRef, callback: &dyn Callback) -> Result<Computed> {
    compute_on(&threaded::ThreadedExecutor, node, callback)
}

/// [`compute`] on `executor`.
pub(crate) fn compute_on(
    executor: &dyn Executor,
    node: &NodeRef,
    callback: &dyn Callback,
) -> Result<Computed> {
    run_plan(executor, &optimized(node)?, callback)
}

/// `node` optimized, unless [`config::set_optimize`](crate::config::set_optimize) turned that
/// off.
fn optimized(node: &NodeRef) -> Result<NodeRef> {
    if crate::config::optimize_enabled() {
        crate::optimize::optimize(node)
    } else {
        Ok(node.clone())
    }
}

#[cfg(test)]
/// Lowers `node` as it is, runs it on the local executor and joins the output blocks.
pub(crate) fn compute_plan(node: &NodeRef, callback: &dyn Callback) -> Result<Computed> {
    run_plan(&threaded::ThreadedExecutor, node, callback)
}

fn run_plan(executor: &dyn Executor, node: &NodeRef, callback: &dyn Callback) -> Result<Computed> {
    let graph = lower_node(node);
    executor.check_memory(node, &graph)?;
    let blocks = with_listeners(callback, |listeners| executor.execute(&graph, listeners))?;
    Ok(Computed::new(join_blocks(node, blocks)))
}

/// Takes an output block (its region in the whole array, its values) as it completes.
pub(crate) type BlockSink<'a> =
    &'a (dyn Fn(&[std::ops::Range<usize>], &ArrayData) -> Result<()> + Sync);

/// Computes `node` on the local executor (optimized as [`compute`] does), handing each output
/// block to `sink` with its region in `node` as soon as it completes, then freeing it: for
/// writers, which store blocks in place instead of joining them.
pub(crate) fn compute_into(node: &NodeRef, sink: BlockSink<'_>) -> Result<()> {
    let node = &optimized(node)?;
    let graph = lower_node(node);
    budget::check_streamed(node, &graph, threaded::worker_count())?;
    let indices = node.chunks.block_indices();
    let by_position =
        |k: usize, value: &Value| sink(&node.chunks.block_region(&indices[k]), value.data());
    with_listeners(&(), |listeners| {
        threaded::ThreadedExecutor.execute_into(&graph, listeners, &by_position)
    })
}

/// The output blocks (C order of the chunk grid) copied into one array.
pub(crate) fn join_blocks(node: &NodeRef, mut blocks: Vec<Arc<Value>>) -> ArrayData {
    if blocks.len() == 1 {
        let only = blocks.pop().expect("one block");
        return Arc::try_unwrap(only).map_or_else(|shared| shared.data().clone(), Value::into_data);
    }
    // Each block is a piece of the whole; `task` indexes `blocks`.
    let pieces: Vec<Piece> = node
        .chunks
        .block_indices()
        .iter()
        .enumerate()
        .map(|(k, index)| Piece {
            input: BlockInput {
                task: k,
                region: None,
            },
            dst: node.chunks.block_region(index),
        })
        .collect();
    structure::assemble(node.dtype, &node.shape, &pieces, |k| &*blocks[k])
}
