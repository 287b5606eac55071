//! Fused reductions (`TaskOp::FusedReduce`): a reduction's partial over one block of an
//! elementwise plan, evaluated tile by tile. A tile is a slab of the block cut along its first
//! reduced axis (every other axis whole), so each tile's partial has the block partial's shape
//! and the partials combine as the tree reduction combines blocks. Per tile, every plan node's
//! values are computed once (a node used twice, as in `x * x`, is evaluated once) and dropped
//! with the tile: `(x * x + 1.0).sum()` never holds `x * x` for a whole chunk, only for one tile.

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use rayon::prelude::*;

use super::generate;
use crate::data::ArrayData;
use crate::error::Result;
use crate::expr::{ExprKind, Node, NodeRef, ReduceOp};
use crate::kernels::{elementwise, reduce, Value};

/// Elements of one tile (512 KiB of float64 for each plan node: within the L2 cache).
const TILE_ELEMENTS: usize = 64 * 1024;
/// The most bytes of tile partials a task holds while its tiles run in parallel.
const HELD_PARTIALS: usize = 8 << 20;
/// Bytes of a partial per element it keeps (the moments of `var`/`std`: count, mean, M2).
const PARTIAL_BYTES_PER_ELEMENT: usize = 24;

/// The partial of `op` over `axes` of `region` of `plan` (`offset` and `shape` as for
/// `ReducePartial`).
pub(crate) fn partial(
    op: ReduceOp,
    axes: &[usize],
    plan: &NodeRef,
    region: &[Range<usize>],
    offset: &[usize],
    shape: &[usize],
) -> Result<Value> {
    let Some(&axis) = axes.first() else {
        return Ok(reduce::partial(
            op,
            axes,
            &*evaluate(plan, region, &mut HashMap::new())?,
            offset,
            shape,
        ));
    };
    let others: usize = region
        .iter()
        .enumerate()
        .filter(|(a, _)| *a != axis)
        .map(|(_, r)| r.len())
        .product();
    let step = (TILE_ELEMENTS / others.max(1)).max(1);
    let along = region[axis].clone();
    let starts: Vec<usize> = if along.is_empty() {
        vec![along.start]
    } else {
        along.clone().step_by(step).collect()
    };
    let tile_partial = |&start: &usize| -> Result<Value> {
        let mut tile = region.to_vec();
        tile[axis] = start..(start + step).min(along.end);
        let mut tile_offset = offset.to_vec();
        tile_offset[axis] += start - along.start;
        Ok(reduce::partial(
            op,
            axes,
            &*evaluate(plan, &tile, &mut HashMap::new())?,
            &tile_offset,
            shape,
        ))
    };
    // Inside a computation's worker pool the tiles run in parallel, in batches whose partials
    // take at most `HELD_PARTIALS` bytes (and at least one tile per worker), so a lone chunk
    // uses every worker; elsewhere (a dask worker thread) one after another. Either way the
    // partials merge in tile order: the result has the same bits.
    let batch = if rayon::current_thread_index().is_some() {
        let partial_bytes = others.max(1) * PARTIAL_BYTES_PER_ELEMENT;
        (HELD_PARTIALS / partial_bytes)
            .max(rayon::current_num_threads())
            .min(starts.len())
            .max(1)
    } else {
        1
    };
    let mut merged: Option<Value> = None;
    for group in starts.chunks(batch) {
        let parts: Vec<Value> = if group.len() > 1 {
            group.par_iter().map(tile_partial).collect::<Result<_>>()?
        } else {
            vec![tile_partial(&group[0])?]
        };
        for part in parts {
            merged = Some(match merged {
                None => part,
                Some(acc) => reduce::combine(op, &[&acc, &part]),
            });
        }
    }
    Ok(merged.expect("at least one tile"))
}

/// The values of `node` over `region` (0-d nodes: their one value), each node once.
fn evaluate(
    node: &Node,
    region: &[Range<usize>],
    memo: &mut HashMap<u64, Rc<ArrayData>>,
) -> Result<Rc<ArrayData>> {
    if let Some(done) = memo.get(&node.id) {
        return Ok(done.clone());
    }
    let region: &[Range<usize>] = if node.shape.is_empty() { &[] } else { region };
    let shape: Vec<usize> = region.iter().map(|r| r.len()).collect();
    let data = match &node.kind {
        ExprKind::Source { source, view } => {
            generate::generate(source, view.as_ref(), node.dtype, &node.shape, region)?
        }
        ExprKind::Unary { op, input } => {
            elementwise::unary(*op, node.dtype, &*evaluate(input, region, memo)?)
        }
        ExprKind::Cast { input } => elementwise::cast(node.dtype, &*evaluate(input, region, memo)?),
        ExprKind::Binary {
            op,
            lhs,
            rhs,
            operand_dtype,
        } => {
            let (l, r) = (evaluate(lhs, region, memo)?, evaluate(rhs, region, memo)?);
            elementwise::binary_blocks(*op, *operand_dtype, &shape, &l, &r)?
        }
        ExprKind::Where { cond, x, y } => {
            let (c, a, b) = (
                evaluate(cond, region, memo)?,
                evaluate(x, region, memo)?,
                evaluate(y, region, memo)?,
            );
            elementwise::where_blocks(node.dtype, &shape, &c, &a, &b)
        }
        ExprKind::Fused { input } => return evaluate(input, region, memo),
        other => unreachable!(
            "fuse_elementwise fuses only elementwise plans over sources, not {other:?}"
        ),
    };
    let data = Rc::new(data);
    memo.insert(node.id, data.clone());
    Ok(data)
}

/// The most a fused task over `region` holds at once: a tile (or the whole region, if smaller)
/// of every node of its plan.
pub(crate) fn tile_bytes(plan: &Node, region: &[Range<usize>]) -> usize {
    let elements: usize = region.iter().map(|r| r.len()).product();
    plan.plan_size() * TILE_ELEMENTS.min(elements) * 8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    /// The partial of a lone block, as `Debug` text (which prints every value in full).
    fn lone_block_partial(op: ReduceOp, axes: &[usize], threads: Option<usize>) -> String {
        let x = random::Rng::new(5).normal(0.0, 1.0, [3000, 70], [3000, 70]);
        let plan = (&x * 2.0 + 1.0).node().unwrap().clone();
        let region = [0..3000, 0..70];
        let run = || {
            format!(
                "{:?}",
                partial(op, axes, &plan, &region, &[0, 0], &[3000, 70]).unwrap()
            )
        };
        match threads {
            None => run(),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(run),
        }
    }

    #[test]
    fn tiles_in_parallel_give_the_same_bits_as_one_after_another() {
        for (op, axes) in [
            (ReduceOp::Sum, vec![0]),
            (ReduceOp::Var { ddof: 1.0 }, vec![0]),
            (ReduceOp::Max, vec![1]),
            (ReduceOp::Mean, vec![0, 1]),
        ] {
            let sequential = lone_block_partial(op, &axes, None);
            for threads in [1, 2, 4] {
                assert_eq!(
                    lone_block_partial(op, &axes, Some(threads)),
                    sequential,
                    "{op:?} over {axes:?} on {threads} threads"
                );
            }
        }
    }
}
