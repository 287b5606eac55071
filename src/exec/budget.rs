//! The memory a computation will need, estimated before it starts, against
//! [`config::memory_budget`](crate::config::memory_budget): a plan that cannot fit is an error
//! at once, not an out-of-memory kill an hour later.
//!
//! The estimate is the result (joined from its blocks) plus, on every worker thread at once,
//! the largest working set of one task: its output, the inputs it reads and the tiles a fused
//! reduction works in. Block sizes come from the task operations; reduction partials count as
//! small (a partial is the size of the reduced block, which the result already bounds).

use crate::error::{Error, Result};
use crate::expr::Node;
use crate::graph::{BlockInput, TaskGraph, TaskOp};

/// Bytes of each task's output, in graph order.
fn output_bytes(graph: &TaskGraph) -> Vec<usize> {
    let mut bytes: Vec<usize> = Vec::with_capacity(graph.tasks.len());
    let elements = |shape: &[usize]| shape.iter().product::<usize>();
    for task in &graph.tasks {
        let read = |input: &BlockInput, bytes: &[usize], item: usize| match &input.region {
            Some(region) => region.iter().map(|r| r.len()).product::<usize>() * item,
            None => bytes[input.task],
        };
        let size = match &task.op {
            TaskOp::Generate { dtype, region, .. } => {
                region.iter().map(|r| r.len()).product::<usize>() * dtype.itemsize()
            }
            TaskOp::Unary { input, dtype, .. } | TaskOp::Cast { input, dtype } => {
                read(input, &bytes, dtype.itemsize())
            }
            TaskOp::Binary { dtype, shape, .. } | TaskOp::Where { dtype, shape, .. } => {
                elements(shape) * dtype.itemsize()
            }
            TaskOp::Assemble { dtype, shape, .. }
            | TaskOp::Reshape { dtype, shape, .. }
            | TaskOp::Scatter { dtype, shape, .. } => elements(shape) * dtype.itemsize(),
            TaskOp::ReduceFinalize { dtype, shape, .. } => elements(shape) * dtype.itemsize(),
            TaskOp::TakeSource {
                dtype,
                region,
                axis,
                indices,
                ..
            } => {
                let len = region[*axis].len().max(1);
                region.iter().map(|r| r.len()).product::<usize>() / len
                    * indices.len()
                    * dtype.itemsize()
            }
            TaskOp::ReducePartial { .. }
            | TaskOp::RandomReduce { .. }
            | TaskOp::ReduceCombine { .. }
            | TaskOp::TiledReduce { .. } => 0,
            // About a block of their input (a take's output chunk is at most the largest block).
            TaskOp::Slice { input, .. }
            | TaskOp::Take { input, .. }
            | TaskOp::Transpose { input, .. }
            | TaskOp::MapBlocks { input, .. }
            | TaskOp::Correlate { input, .. } => bytes[*input],
            TaskOp::Scan { dtype, shape, .. } => elements(shape) * dtype.itemsize(),
            TaskOp::Dot { pairs, dtype, .. } => pairs
                .iter()
                .map(|(a, b)| {
                    read(a, &bytes, dtype.itemsize()).max(read(b, &bytes, dtype.itemsize()))
                })
                .max()
                .unwrap_or(0),
        };
        bytes.push(size);
    }
    bytes
}

/// Memory a task uses while it runs, beyond its inputs and output: the tiles of a fused
/// reduction (see `exec::tiled_reduce` and `kernels::random_sum`).
fn scratch_bytes(op: &TaskOp) -> usize {
    match op {
        TaskOp::TiledReduce {
            program, region, ..
        } => super::tiled_reduce::tile_bytes(program, region),
        TaskOp::RandomReduce { axes, region, .. } => {
            crate::kernels::random_sum::random_reduce_scratch_bytes(axes, region)
        }
        _ => 0,
    }
}

/// The estimated peak of computing `node` through `graph` on `threads` workers.
pub(crate) fn estimate(node: &Node, graph: &TaskGraph, threads: usize) -> usize {
    let bytes = output_bytes(graph);
    let working_set = graph
        .tasks
        .iter()
        .enumerate()
        .map(|(id, task)| {
            bytes[id] + scratch_bytes(&task.op) + task.deps.iter().map(|&d| bytes[d]).sum::<usize>()
        })
        .max()
        .unwrap_or(0);
    result_bytes(node) + threads * working_set
}

fn result_bytes(node: &Node) -> usize {
    node.size() * node.dtype.itemsize()
}

/// `Err(Error::MemoryBudget)` when the estimate is above the budget.
pub(crate) fn check(node: &Node, graph: &TaskGraph, threads: usize) -> Result<()> {
    within_budget(estimate(node, graph, threads), result_bytes(node))
}

/// [`check`] for a computation whose output blocks are written away as they complete (see
/// `exec::compute_into`): the result is never held whole.
pub(crate) fn check_streamed(node: &Node, graph: &TaskGraph, threads: usize) -> Result<()> {
    within_budget(estimate(node, graph, threads) - result_bytes(node), 0)
}

/// [`check`] for one graph computing several results (`tessera::compute`): all of them are
/// held at the end.
pub(crate) fn check_several(
    nodes: &[crate::expr::NodeRef],
    graph: &TaskGraph,
    threads: usize,
) -> Result<()> {
    let Some(first) = nodes.first() else {
        return Ok(());
    };
    let results: usize = nodes.iter().map(|node| result_bytes(node)).sum();
    let working = estimate(first, graph, threads) - result_bytes(first);
    within_budget(working + results, results)
}

fn within_budget(needed: usize, result: usize) -> Result<()> {
    let budget = crate::config::memory_budget();
    if needed > budget {
        return Err(Error::MemoryBudget {
            needed,
            result,
            budget,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::lower::lower_node;
    use crate::prelude::*;

    fn estimate_of(a: &Array, threads: usize) -> usize {
        let node = crate::optimize::optimize(a.node().unwrap()).unwrap();
        estimate(&node, &lower_node(&node), threads)
    }

    #[test]
    fn fused_random_reductions_need_almost_nothing() {
        let huge = random::uniform([1_500_000, 100_000], [10_000, 10_000])
            .mean()
            .unwrap();
        assert!(estimate_of(&huge, 2) < 1 << 20, "{}", estimate_of(&huge, 2));
        // Column sums: a leaf's 7 generated rows and one row per level of the row tree (1000
        // rows: 7 levels), each 1000 values, per thread; plus the 80 kB result.
        let columns = random::normal([10_000, 10_000], [1000, 1000])
            .mean_axis(0)
            .unwrap();
        assert_eq!(estimate_of(&columns, 2), 80_000 + 2 * (7 + 7) * 1000 * 8);
    }

    #[test]
    fn elementwise_blocks_count_with_their_inputs() {
        let x = ones([1000, 1000], [100, 1000]);
        // argmax is not fused: a block of ones (800 kB, read once however often it appears)
        // and the add's 800 kB output, on each of 2 threads
        let y = (&x + &x).argmax().unwrap();
        assert_eq!(estimate_of(&y, 2), 8 + 2 * 2 * 800_000);
        // fused: a tile of each plan node per thread, less than whole blocks
        let fused = (&x + &x).sum().unwrap();
        assert!(
            estimate_of(&fused, 2) < estimate_of(&y, 2),
            "{}",
            estimate_of(&fused, 2)
        );
        assert_eq!(
            estimate_of(&x, 1),
            8_000_000 + 800_000,
            "the whole result, and one block"
        );
    }
}
