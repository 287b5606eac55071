//! Lowering: plan node + output block index → chunk task, built on demand and memoized, so
//! the graph holds exactly the tasks the requested blocks need.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::tiles::TileProgram;
use super::{BlockInput, Piece, Task, TaskGraph, TaskId, TaskKey, TaskOp};
use crate::chunks::Chunks;
use crate::error::Result;
use crate::expr::index::axis_pieces;
use crate::expr::{AsPlan, AxisIndex, ExprKind, Node, NodeRef, SourceView};

/// Lowers `root` to the tasks of all its output blocks.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let y = ones([100, 100], [10, 10]);
/// let part = y.mean_axis(0)?.slice(s![0..5])?;
/// // 10 chunks of the first column, their partials merged in a tree, one slice
/// let graph = tessera::graph::lower(&part)?;
/// let generated = graph.tasks.iter().filter(|t| t.key.layer.starts_with("ones")).count();
/// assert_eq!(generated, 10);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn lower(root: &impl AsPlan) -> Result<TaskGraph> {
    Ok(lower_node(root.plan_root()?))
}

pub(crate) fn lower_node(root: &NodeRef) -> TaskGraph {
    lower_nodes(std::slice::from_ref(root))
}

/// Lowers several roots into one graph: a block that two roots need (a shared source chunk,
/// a common sub-plan) is one task. The outputs are each root's blocks, root after root.
pub(crate) fn lower_nodes(roots: &[NodeRef]) -> TaskGraph {
    let mut lowering = Lowering::default();
    let mut outputs = Vec::new();
    for root in roots {
        for index in root.chunks.block_indices() {
            outputs.push(lowering.block(root, &index));
        }
    }
    TaskGraph {
        tasks: lowering.tasks,
        outputs,
    }
}

#[derive(Default)]
pub(super) struct Lowering {
    pub(super) tasks: Vec<Task>,
    memo: HashMap<(u64, Vec<usize>), TaskId>,
    layers: HashMap<(u64, &'static str), Arc<str>>,
    pub(super) views: HashMap<u64, Arc<SourceView>>,
    /// The tile program of each fused plan node, shared by its partial tasks.
    pub(super) programs: HashMap<u64, Arc<TileProgram>>,
}

/// The view of source node `id`, shared by all the tasks of one graph.
pub(super) fn shared_view(
    views: &mut HashMap<u64, Arc<SourceView>>,
    id: u64,
    view: &SourceView,
) -> Arc<SourceView> {
    views
        .entry(id)
        .or_insert_with(|| Arc::new(view.clone()))
        .clone()
}

impl Lowering {
    /// Adds a task and returns its id.
    pub(super) fn push(
        &mut self,
        node: &Node,
        suffix: &'static str,
        index: Vec<usize>,
        op: TaskOp,
    ) -> TaskId {
        let layer = self
            .layers
            .entry((node.id, suffix))
            .or_insert_with(|| Arc::from(format!("{}{}-{}", node.op_name(), suffix, node.id)))
            .clone();
        let deps = op.inputs();
        self.tasks.push(Task {
            key: TaskKey { layer, index },
            op,
            deps,
        });
        self.tasks.len() - 1
    }

    /// The task computing block `index` of `node`.
    pub(super) fn block(&mut self, node: &NodeRef, index: &[usize]) -> TaskId {
        if let Some(&id) = self.memo.get(&(node.id, index.to_vec())) {
            return id;
        }
        let id = self.lower_block(node, index);
        self.memo.insert((node.id, index.to_vec()), id);
        id
    }

    fn lower_block(&mut self, node: &NodeRef, index: &[usize]) -> TaskId {
        let region = node.chunks.block_region(index);
        let block_shape = node.chunks.block_shape(index);
        let same = |this: &mut Self, input: &NodeRef| BlockInput {
            task: this.block(input, index),
            region: None,
        };
        let op = match &node.kind {
            ExprKind::Source { source, view } => {
                let view = view
                    .as_ref()
                    .map(|v| shared_view(&mut self.views, node.id, v));
                TaskOp::Generate {
                    source: source.clone(),
                    view,
                    dtype: node.dtype,
                    shape: node.shape.clone(),
                    region,
                }
            }
            ExprKind::Unary { op, input } => TaskOp::Unary {
                op: *op,
                dtype: node.dtype,
                input: same(self, input),
            },
            ExprKind::Cast { input } => TaskOp::Cast {
                dtype: node.dtype,
                input: same(self, input),
            },
            ExprKind::MapBlocks { input, func } => TaskOp::MapBlocks {
                func: func.clone(),
                input: self.block(input, index),
            },
            // Outside a reduction a fused plan is computed as it is.
            ExprKind::Fused { input, .. } => return self.block(input, index),
            ExprKind::Binary {
                op,
                lhs,
                rhs,
                operand_dtype,
            } => TaskOp::Binary {
                op: *op,
                operand_dtype: *operand_dtype,
                dtype: node.dtype,
                shape: block_shape,
                lhs: self.broadcast_input(lhs, &node.shape, &region),
                rhs: self.broadcast_input(rhs, &node.shape, &region),
            },
            ExprKind::Where { cond, x, y } => TaskOp::Where {
                dtype: node.dtype,
                shape: block_shape,
                cond: self.broadcast_input(cond, &node.shape, &region),
                x: self.broadcast_input(x, &node.shape, &region),
                y: self.broadcast_input(y, &node.shape, &region),
            },
            ExprKind::Reduce { .. } => return self.reduce_block(node, index),
            ExprKind::Slice {
                input,
                index: entries,
            } => {
                let (input_index, local) = slice_block(entries, &input.chunks, index);
                TaskOp::Slice {
                    input: self.block(input, &input_index),
                    index: local,
                }
            }
            ExprKind::Take { .. } => return self.take_block(node, index),
            ExprKind::Transpose { input, perm } => {
                let mut input_index = vec![0; index.len()];
                for (out_axis, &in_axis) in perm.iter().enumerate() {
                    input_index[in_axis] = index[out_axis];
                }
                TaskOp::Transpose {
                    input: self.block(input, &input_index),
                    perm: perm.clone(),
                }
            }
            ExprKind::Rechunk { input } => {
                let pieces = self.region_pieces(input, &region);
                if let [only] = &pieces[..] {
                    if only.input.region.is_none() {
                        return only.input.task; // block unchanged by the rechunk
                    }
                }
                TaskOp::Assemble {
                    dtype: node.dtype,
                    shape: block_shape,
                    pieces,
                }
            }
            // Block `i` along the axis continues from block `i - 1`'s result: a chain of
            // carries, each block's own scan in parallel across the other axes.
            ExprKind::Scan { op, input, axis } => {
                let carry = (index[*axis] > 0).then(|| {
                    let mut previous = index.to_vec();
                    previous[*axis] -= 1;
                    self.block(node, &previous)
                });
                TaskOp::Scan {
                    op: *op,
                    axis: *axis,
                    dtype: node.dtype,
                    shape: block_shape,
                    input: self.block(input, index),
                    carry,
                }
            }
            ExprKind::Correlate {
                input,
                weights,
                cval,
            } => TaskOp::Correlate {
                input: self.block(input, index),
                weights: weights.clone(),
                // How many of the block's ghosts on each side lie beyond the array.
                edges: cval.map(|value| {
                    let beyond = region.iter().enumerate().map(|(a, r)| {
                        let d = weights[a].len() / 2;
                        [
                            d.saturating_sub(r.start),
                            (r.end + d).saturating_sub(node.shape[a]),
                        ]
                    });
                    (value, beyond.collect())
                }),
            },
            ExprKind::Regions { input, starts, .. } => {
                let within: Vec<Range<usize>> = (0..index.len())
                    .map(|a| {
                        let start = starts[a][index[a]];
                        start..start + block_shape[a]
                    })
                    .collect();
                let pieces = self.region_pieces(input, &within);
                if let [only] = &pieces[..] {
                    if only.input.region.is_none() {
                        return only.input.task; // exactly one input block
                    }
                }
                TaskOp::Assemble {
                    dtype: node.dtype,
                    shape: block_shape,
                    pieces,
                }
            }
            ExprKind::Concatenate { inputs, axis } => {
                return self.concatenate_block(inputs, *axis, index)
            }
            ExprKind::Reshape { input } => {
                let parts = flat_rects(&input.shape, flat_range(&node.shape, &region))
                    .into_iter()
                    .map(|rect| {
                        (
                            rect.iter().map(|r| r.len()).collect(),
                            self.region_pieces(input, &rect),
                        )
                    })
                    .collect();
                TaskOp::Reshape {
                    dtype: node.dtype,
                    shape: block_shape,
                    parts,
                }
            }
            ExprKind::Dot { lhs, rhs } => {
                let inner = lhs.chunks.axis(1).len();
                // A transposed operand is read as a strided view of its input's block.
                let (lhs, lhs_t) = untransposed(lhs);
                let (rhs, rhs_t) = untransposed(rhs);
                let mut operand = |node: &NodeRef, transposed: bool, mut at: [usize; 2]| {
                    if transposed {
                        at.reverse();
                    }
                    BlockInput {
                        task: self.block(node, &at),
                        region: None,
                    }
                };
                let pairs = (0..inner)
                    .map(|t| {
                        let a = operand(lhs, lhs_t, [index[0], t]);
                        (a, operand(rhs, rhs_t, [t, index[1]]))
                    })
                    .collect();
                TaskOp::Dot {
                    dtype: node.dtype,
                    pairs,
                    transposed: [lhs_t, rhs_t],
                }
            }
        };
        self.push(node, "", index.to_vec(), op)
    }

    /// The block of `input` (broadcast to `out_shape`) that covers `region` of the output.
    /// Broadcast chunk grids are refinements of their inputs', so one block always suffices.
    fn broadcast_input(
        &mut self,
        input: &NodeRef,
        out_shape: &[usize],
        region: &[Range<usize>],
    ) -> BlockInput {
        let pad = out_shape.len() - input.shape.len();
        let mut index = Vec::with_capacity(input.shape.len());
        let mut local = Vec::with_capacity(input.shape.len());
        let mut whole = true;
        for (axis, &len) in input.shape.iter().enumerate() {
            let want = &region[axis + pad];
            if len == 1 && out_shape[axis + pad] != 1 {
                index.push(0);
                local.push(0..1);
                continue;
            }
            let (block, start) = locate(&input.chunks, axis, want.start);
            index.push(block);
            local.push(want.start - start..want.end - start);
            whole &= want.len() == input.chunks.axis(axis)[block];
        }
        let task = self.block(input, &index);
        BlockInput {
            task,
            region: (!whole).then_some(local),
        }
    }

    /// The pieces of `input`'s blocks that make up `region` of it, with their places relative
    /// to the region's start.
    fn region_pieces(&mut self, input: &NodeRef, region: &[Range<usize>]) -> Vec<Piece> {
        // Per axis: (block, range within the block, range within the region).
        type Span = (usize, Range<usize>, Range<usize>);
        let per_axis: Vec<Vec<Span>> = region
            .iter()
            .enumerate()
            .map(|(axis, want)| {
                let bounds = input.chunks.boundaries(axis);
                let mut spans = Vec::new();
                for block in 0..input.chunks.axis(axis).len() {
                    let (lo, hi) = (
                        bounds[block].max(want.start),
                        bounds[block + 1].min(want.end),
                    );
                    if lo < hi || (want.is_empty() && block == 0) {
                        spans.push((
                            block,
                            lo - bounds[block]..hi.max(lo) - bounds[block],
                            lo - want.start..hi.max(lo) - want.start,
                        ));
                    }
                }
                spans
            })
            .collect();
        let grid: Vec<usize> = per_axis.iter().map(Vec::len).collect();
        crate::chunks::grid_indices(&grid)
            .into_iter()
            .map(|choice| {
                let spans: Vec<_> = choice
                    .iter()
                    .enumerate()
                    .map(|(axis, &k)| &per_axis[axis][k])
                    .collect();
                let index: Vec<usize> = spans.iter().map(|s| s.0).collect();
                let whole = spans
                    .iter()
                    .enumerate()
                    .all(|(axis, s)| s.1.start == 0 && s.1.end == input.chunks.axis(axis)[s.0]);
                let task = self.block(input, &index);
                let src = spans.iter().map(|s| s.1.clone()).collect();
                Piece {
                    input: BlockInput {
                        task,
                        region: (!whole).then_some(src),
                    },
                    dst: spans.iter().map(|s| s.2.clone()).collect(),
                }
            })
            .collect()
    }

    fn concatenate_block(&mut self, inputs: &[NodeRef], axis: usize, index: &[usize]) -> TaskId {
        let mut k = index[axis];
        for input in inputs.iter().filter(|n| n.shape[axis] > 0) {
            let blocks = input.chunks.axis(axis).len();
            if k < blocks {
                let mut input_index = index.to_vec();
                input_index[axis] = k;
                return self.block(input, &input_index);
            }
            k -= blocks;
        }
        // Every input is empty along the axis: any of them is the (empty) block.
        self.block(&inputs[0], index)
    }
}

/// The block of `chunks` along `axis` that holds element `at`, and that block's start.
pub(super) fn locate(chunks: &Chunks, axis: usize, at: usize) -> (usize, usize) {
    let bounds = chunks.boundaries(axis);
    let block = (bounds.partition_point(|&b| b <= at).max(1) - 1).min(chunks.axis(axis).len() - 1);
    (block, bounds[block])
}

/// A matrix product's operand and whether it is read transposed: the input of a 2-D
/// `Transpose` (whose block `(i, j)` is its input's block `(j, i)` transposed), else itself.
fn untransposed(node: &NodeRef) -> (&NodeRef, bool) {
    match &node.kind {
        ExprKind::Transpose { input, perm } if perm[..] == [1, 0] => (input, true),
        _ => (node, false),
    }
}

/// For output block `index` of a slice: the input block it reads and the indexing relative to
/// that block.
fn slice_block(
    entries: &[AxisIndex],
    chunks: &Chunks,
    index: &[usize],
) -> (Vec<usize>, Vec<AxisIndex>) {
    let mut input_index = Vec::new();
    let mut local = Vec::with_capacity(entries.len());
    let (mut in_axis, mut out_axis) = (0, 0);
    for entry in entries {
        match *entry {
            AxisIndex::NewAxis => {
                local.push(AxisIndex::NewAxis);
                out_axis += 1;
            }
            AxisIndex::Index(i) => {
                let (block, start) = locate(chunks, in_axis, i);
                input_index.push(block);
                local.push(AxisIndex::Index(i - start));
                in_axis += 1;
            }
            AxisIndex::Range { first, step, count } => {
                let pieces = axis_pieces(first, step, count, chunks.axis(in_axis));
                match pieces.get(index[out_axis]) {
                    Some(p) => {
                        input_index.push(p.block);
                        local.push(AxisIndex::Range {
                            first: p.local_first,
                            step: p.step,
                            count: p.count,
                        });
                    }
                    None => {
                        input_index.push(0);
                        local.push(AxisIndex::Range {
                            first: 0,
                            step: 1,
                            count: 0,
                        });
                    }
                }
                in_axis += 1;
                out_axis += 1;
            }
        }
    }
    (input_index, local)
}

/// The flat (C order) element range of a block that is a contiguous run.
fn flat_range(shape: &[usize], region: &[Range<usize>]) -> Range<usize> {
    let mut start = 0;
    for (axis, r) in region.iter().enumerate() {
        start = start * shape[axis] + r.start;
    }
    let len: usize = region.iter().map(|r| r.len()).product();
    start..start + len
}

/// Splits the flat range `flat` of an array of `shape` into at most `2 * ndim` rectangles,
/// in C order.
fn flat_rects(shape: &[usize], flat: Range<usize>) -> Vec<Vec<Range<usize>>> {
    if flat.is_empty() {
        return vec![];
    }
    let Some((&len0, rest)) = shape.split_first() else {
        return vec![vec![]];
    };
    let _ = len0;
    let inner: usize = rest.iter().product();
    let prefixed = |row: usize, rects: Vec<Vec<Range<usize>>>| -> Vec<Vec<Range<usize>>> {
        rects
            .into_iter()
            .map(|r| std::iter::once(row..row + 1).chain(r).collect())
            .collect()
    };
    let (mut r0, o0) = (flat.start / inner, flat.start % inner);
    let (r1, o1) = (flat.end / inner, flat.end % inner);
    if r0 == r1 {
        return prefixed(r0, flat_rects(rest, o0..o1));
    }
    let mut out = Vec::new();
    if o0 != 0 {
        out.extend(prefixed(r0, flat_rects(rest, o0..inner)));
        r0 += 1;
    }
    if r1 > r0 {
        out.push(
            std::iter::once(r0..r1)
                .chain(rest.iter().map(|&d| 0..d))
                .collect(),
        );
    }
    if o1 != 0 {
        out.extend(prefixed(r1, flat_rects(rest, 0..o1)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_ranges_split_into_rectangles() {
        // shape (3, 4): flat 2..9 = row 0 cols 2..4, row 1 all, row 2 col 0
        assert_eq!(
            flat_rects(&[3, 4], 2..9),
            vec![vec![0..1, 2..4], vec![1..2, 0..4], vec![2..3, 0..1]]
        );
        assert_eq!(flat_rects(&[3, 4], 4..12), vec![vec![1..3, 0..4]]);
        assert_eq!(flat_rects(&[3, 4], 5..7), vec![vec![1..2, 1..3]]);
        assert_eq!(flat_rects(&[], 0..1), vec![Vec::<Range<usize>>::new()]);
        assert_eq!(flat_range(&[3, 4], &[1..2, 0..4]), 4..8);
    }

    #[test]
    fn locate_finds_blocks() {
        let c = Chunks::from_vec(vec![vec![4, 4, 2]]);
        assert_eq!(locate(&c, 0, 0), (0, 0));
        assert_eq!(locate(&c, 0, 4), (1, 4));
        assert_eq!(locate(&c, 0, 9), (2, 8));
    }
}
