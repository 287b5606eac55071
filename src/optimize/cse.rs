//! Common-subexpression reuse: plan nodes that compute the same thing — same operation and
//! parameters over the same inputs, same shape, dtype and chunks — become one node, so their
//! chunk tasks run once. A node shared through its `Arc` (`&x + &x`) is one node already; this
//! finds the equal nodes built apart (`ones(..) + 1.0` written twice, or the same source view
//! made twice by slice pushdown). Random sources built without a seed each have their own key,
//! so two such arrays are rightly kept apart.
//!
//! It looks at the whole plan at once, so it is not an `OptimizerRule`: the driver runs it after
//! the rules.

use std::collections::HashMap;
use std::sync::Arc;

use crate::expr::{ExprKind, Node, NodeRef, Source};

/// The plan with equal nodes merged (the first one built is kept).
pub(crate) fn merge_equal(root: &NodeRef) -> NodeRef {
    let mut merging = Merging::default();
    merging.visit(root)
}

/// The plans of several roots with equal nodes merged across all of them, so the roots share
/// their common sub-plans (`tessera::compute` of several arrays).
pub(crate) fn merge_equal_all(roots: &[NodeRef]) -> Vec<NodeRef> {
    let mut merging = Merging::default();
    roots.iter().map(|root| merging.visit(root)).collect()
}

#[derive(Default)]
struct Merging {
    /// The node each visited node became, by the visited node's id.
    done: HashMap<u64, NodeRef>,
    /// The kept node for each key.
    by_key: HashMap<String, NodeRef>,
}

impl Merging {
    fn visit(&mut self, node: &NodeRef) -> NodeRef {
        if let Some(done) = self.done.get(&node.id) {
            return done.clone();
        }
        let inputs: Vec<NodeRef> = node
            .inputs()
            .into_iter()
            .map(|input| self.visit(input))
            .collect();
        let rebuilt = if inputs
            .iter()
            .zip(node.inputs())
            .all(|(new, old)| Arc::ptr_eq(new, old))
        {
            node.clone()
        } else {
            node.with_inputs(inputs)
        };
        let key = key(&rebuilt);
        let kept = self.by_key.entry(key).or_insert(rebuilt).clone();
        self.done.insert(node.id, kept.clone());
        kept
    }
}

/// What makes two nodes equal: operation and parameters, the ids of their (merged) inputs,
/// shape, dtype and chunks. In-memory arrays and block functions compare by identity.
fn key(node: &Node) -> String {
    let operation = match &node.kind {
        ExprKind::Source {
            source: Source::Memory { data },
            view,
        } => format!("array@{:p} {view:?}", Arc::as_ptr(data)),
        ExprKind::Source { source, view } => format!("{source:?} {view:?}"),
        ExprKind::MapBlocks { func, .. } => format!("map_blocks@{:p}", Arc::as_ptr(&func.func)),
        ExprKind::Unary { op, .. } => format!("{op:?}"),
        ExprKind::Binary {
            op, operand_dtype, ..
        } => format!("{op:?} {operand_dtype:?}"),
        ExprKind::Reduce {
            op,
            axes,
            keepdims,
            split_every,
            ..
        } => format!("{op:?} {axes:?} {keepdims} {split_every}"),
        ExprKind::Slice { index, .. } => format!("slice {index:?}"),
        // The indices compare by identity: a million of them would make a long key.
        ExprKind::Take { axis, indices, .. } => {
            format!("take {axis} @{:p}", Arc::as_ptr(indices))
        }
        ExprKind::Transpose { perm, .. } => format!("transpose {perm:?}"),
        ExprKind::Concatenate { axis, .. } => format!("concatenate {axis}"),
        ExprKind::Regions { starts, cut, .. } => format!("{cut:?} {starts:?}"),
        ExprKind::Correlate { weights, cval, .. } => format!("correlate {weights:?} {cval:?}"),
        ExprKind::Fused { how, .. } => format!("fused {how:?}"),
        ExprKind::Scan { op, axis, .. } => format!("scan {op:?} {axis}"),
        ExprKind::Where { .. }
        | ExprKind::Cast { .. }
        | ExprKind::Reshape { .. }
        | ExprKind::Rechunk { .. }
        | ExprKind::Dot { .. } => node.op_name(),
    };
    let inputs: Vec<u64> = node.inputs().iter().map(|n| n.id).collect();
    format!(
        "{operation} | {inputs:?} | {:?} {} {:?}",
        node.shape,
        node.dtype,
        node.chunks.as_slice()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    fn distinct_nodes(root: &Node) -> usize {
        root.plan_size()
    }

    #[test]
    fn equal_expressions_built_apart_become_one() {
        let a = (ones([40, 30], 10) + 1.0).sum().unwrap();
        let b = (ones([40, 30], 10) + 1.0).sum().unwrap();
        let both = &a + &b;
        let merged = merge_equal(both.node().unwrap());
        // before: add, and twice sum, add, ones, full(1.0); after: add over one sum of one chain
        assert_eq!(distinct_nodes(both.node().unwrap()), 9);
        assert_eq!(distinct_nodes(&merged), 5);
        let values = crate::exec::compute_plan(&merged, &())
            .unwrap()
            .to_scalar::<f64>()
            .unwrap();
        assert_eq!(values, 2.0 * 2.0 * 1200.0);
    }

    #[test]
    fn different_things_stay_apart() {
        // unseeded random arrays are different arrays; different chunks are different plans
        let x = random::normal([10, 10], 5) + random::normal([10, 10], 5);
        assert_eq!(distinct_nodes(&merge_equal(x.node().unwrap())), 3);
        let y = ones([10, 10], 5).sum().unwrap() + ones([10, 10], 2).sum().unwrap();
        assert_eq!(distinct_nodes(&merge_equal(y.node().unwrap())), 5);
        let z = random::Rng::new(1).normal(0.0, 1.0, [10], 5)
            + random::Rng::new(1).normal(0.0, 1.0, [10], 5);
        assert_eq!(
            distinct_nodes(&merge_equal(z.node().unwrap())),
            2,
            "same seed, same array"
        );
    }
}
