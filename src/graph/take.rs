//! Lowering integer-array indexing (`ExprKind::Take`): per output block, one `Take` task per
//! input block its indices read (the picked elements only, so each input block can be freed
//! once picked) and a `Scatter` putting them in order; a block read from one input block in
//! order is that one `Take`. From a file or in-memory source the picks are `TakeSource` tasks
//! that read the picked elements in place, never the whole block (dask's take of a
//! memory-mapped array reads it that way too).

use super::lower::Lowering;
use super::{TaskId, TaskOp};
use crate::expr::take::take_groups;
use crate::expr::{ExprKind, NodeRef, Source};

impl Lowering {
    /// The task of output block `index` of a `Take` node.
    pub(super) fn take_block(&mut self, node: &NodeRef, index: &[usize]) -> TaskId {
        let ExprKind::Take {
            input,
            axis,
            indices,
        } = &node.kind
        else {
            unreachable!("take_block is called on Take nodes");
        };
        let axis = *axis;
        let wanted = &indices[node.chunks.block_range(axis, index[axis])];
        let groups = take_groups(wanted, &input.chunks.boundaries(axis));
        let pick = |this: &mut Self, block: usize, local: Vec<usize>| {
            let mut at = index.to_vec();
            at[axis] = block;
            match &input.kind {
                // A file or in-memory array is read in place: only the picked elements.
                ExprKind::Source {
                    source: source @ (Source::Npy { .. } | Source::Memory { .. }),
                    view: None,
                } => TaskOp::TakeSource {
                    source: source.clone(),
                    dtype: input.dtype,
                    region: input.chunks.block_region(&at),
                    axis,
                    indices: local,
                },
                _ => TaskOp::Take {
                    input: this.block(input, &at),
                    axis,
                    indices: local,
                },
            }
        };
        if let [only] = &groups[..] {
            // positions of a single group are 0..n in order
            let op = pick(self, only.block, only.local.clone());
            return self.push(node, "", index.to_vec(), op);
        }
        let mut parts = Vec::with_capacity(groups.len());
        for group in groups {
            let mut key = index.to_vec();
            key.push(group.block);
            let op = pick(self, group.block, group.local);
            parts.push((self.push(node, "-pick", key, op), group.positions));
        }
        let op = TaskOp::Scatter {
            dtype: node.dtype,
            shape: node.chunks.block_shape(index),
            axis,
            parts,
        };
        self.push(node, "", index.to_vec(), op)
    }
}
