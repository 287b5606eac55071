//! Fused reductions (`TaskOp::FusedReduce`): a reduction's partial over one block of an
//! elementwise plan, evaluated tile by tile. A tile is a slab of the block cut along its first
//! reduced axis (every other axis whole), so each tile's partial has the block partial's shape
//! and the partials combine as the tree reduction combines blocks. Per tile, every plan node's
//! values are computed once (a node used twice, as in `x * x`, is evaluated once) and dropped
//! with the tile: `(x * x + 1.0).sum()` never holds `x * x` for a whole chunk, only for one tile.

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use crate::data::ArrayData;
use crate::error::Result;
use crate::expr::{ExprKind, Node, NodeRef, ReduceOp};
use crate::kernels::{elementwise, generate, reduce, Value};

/// Elements of one tile (512 KiB of float64 for each plan node: within the L2 cache).
const TILE_ELEMENTS: usize = 64 * 1024;

/// The partial of `op` over `axes` of `region` of `plan` (`offset` and `shape` as for
/// `ReducePartial`).
pub(crate) fn partial(op: ReduceOp, axes: &[usize], plan: &NodeRef, region: &[Range<usize>], offset: &[usize], shape: &[usize]) -> Result<Value> {
    let Some(&axis) = axes.first() else {
        return Ok(reduce::partial(op, axes, &*evaluate(plan, region, &mut HashMap::new())?, offset, shape));
    };
    let others: usize = region.iter().enumerate().filter(|(a, _)| *a != axis).map(|(_, r)| r.len()).product();
    let step = (TILE_ELEMENTS / others.max(1)).max(1);
    let along = region[axis].clone();
    let mut merged: Option<Value> = None;
    let mut start = along.start;
    while start < along.end || merged.is_none() {
        let end = (start + step).min(along.end);
        let mut tile = region.to_vec();
        tile[axis] = start..end;
        let mut tile_offset = offset.to_vec();
        tile_offset[axis] += start - along.start;
        let part = reduce::partial(op, axes, &*evaluate(plan, &tile, &mut HashMap::new())?, &tile_offset, shape);
        merged = Some(match merged {
            None => part,
            Some(acc) => reduce::combine(op, &[&acc, &part]),
        });
        if end == along.end {
            break;
        }
        start = end;
    }
    Ok(merged.expect("at least one tile"))
}

/// The values of `node` over `region` (0-d nodes: their one value), each node once.
fn evaluate(node: &Node, region: &[Range<usize>], memo: &mut HashMap<u64, Rc<ArrayData>>) -> Result<Rc<ArrayData>> {
    if let Some(done) = memo.get(&node.id) {
        return Ok(done.clone());
    }
    let region: &[Range<usize>] = if node.shape.is_empty() { &[] } else { region };
    let shape: Vec<usize> = region.iter().map(|r| r.len()).collect();
    let data = match &node.kind {
        ExprKind::Source { source, view } => generate::generate(source, view.as_ref(), node.dtype, &node.shape, region)?,
        ExprKind::Unary { op, input } => elementwise::unary(*op, node.dtype, &*evaluate(input, region, memo)?),
        ExprKind::Cast { input } => elementwise::cast(node.dtype, &*evaluate(input, region, memo)?),
        ExprKind::Binary { op, lhs, rhs, operand_dtype } => {
            let (l, r) = (evaluate(lhs, region, memo)?, evaluate(rhs, region, memo)?);
            elementwise::binary_blocks(*op, *operand_dtype, &shape, &l, &r)?
        }
        ExprKind::Where { cond, x, y } => {
            let (c, a, b) = (evaluate(cond, region, memo)?, evaluate(x, region, memo)?, evaluate(y, region, memo)?);
            elementwise::where_blocks(node.dtype, &shape, &c, &a, &b)
        }
        ExprKind::Fused { input } => return evaluate(input, region, memo),
        other => unreachable!("fuse_elementwise fuses only elementwise plans over sources, not {other:?}"),
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
