//! Rule `fuse_elementwise`: a reduction over a chain of elementwise operations on sources runs
//! as one streaming kernel per chunk. `Reduce(chain)` becomes `Reduce(Fused(chain))`, whose
//! partials evaluate the chain tile by tile (see `exec::fused`), so no chunk-sized intermediate
//! is ever allocated: `(x * x + 1.0).sum()` never materializes `x * x`, nor `x`.
//!
//! It applies when every node of the chain is a source, a unary function, a cast, a binary
//! operation or a `where_`, all of the reduction's input shape or 0-d (a scalar operand), and
//! the reduction is not `argmin`/`argmax` (their partials carry indices). Slices reach the
//! sources first (`slice_pushdown`), so `(x * 2.0).mean_axis(0)?.slice(s![0..100])` fuses too.
//! A sum or mean of a bare random array is left to its own fused path (generation straight into
//! the pairwise sum).

use super::OptimizerRule;
use crate::expr::{ExprKind, Node, NodeRef, ReduceOp, Source};

pub(super) struct FuseElementwise;

impl OptimizerRule for FuseElementwise {
    fn name(&self) -> &'static str {
        "fuse_elementwise"
    }

    fn rewrite(&self, node: &NodeRef) -> Option<NodeRef> {
        let ExprKind::Reduce {
            op, input, axes, ..
        } = &node.kind
        else {
            return None;
        };
        let fusable = !matches!(op, ReduceOp::ArgMin | ReduceOp::ArgMax)
            && !matches!(input.kind, ExprKind::Fused { .. })
            && !crate::graph::generates_into_sum(*op, axes, input)
            && elementwise_over_sources(input, &input.shape);
        if !fusable {
            return None;
        }
        let fused = Node::new(
            ExprKind::Fused {
                input: input.clone(),
            },
            input.shape.clone(),
            input.dtype,
            input.chunks.clone(),
        );
        Some(node.with_inputs(vec![fused]))
    }
}

/// Whether `node` is elementwise operations over sources, each node of `shape` or 0-d.
fn elementwise_over_sources(node: &Node, shape: &[usize]) -> bool {
    let fits = node.shape == shape || node.shape.is_empty();
    fits && match &node.kind {
        // A Zarr chunk is decoded whole: reading it tile by tile would decode it once a tile.
        ExprKind::Source {
            source: Source::Zarr { .. },
            ..
        } => false,
        ExprKind::Source { .. } => true,
        ExprKind::Unary { input, .. } | ExprKind::Cast { input } => {
            elementwise_over_sources(input, shape)
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            elementwise_over_sources(lhs, shape) && elementwise_over_sources(rhs, shape)
        }
        ExprKind::Where { cond, x, y } => [cond, x, y]
            .iter()
            .all(|n| elementwise_over_sources(n, shape)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::plan_text;
    use crate::optimize::test_util::optimized_plan;
    use crate::prelude::*;

    #[test]
    fn a_chain_under_a_reduction_is_fused() {
        let x = random::Rng::new(1).normal(0.0, 1.0, [100, 80], [50, 40]);
        let y = (&x * &x + 1.0).sum().unwrap();
        assert_eq!(
            plan_text(&optimized_plan(FuseElementwise, &y)),
            "sum axes=[0, 1] shape=() float64\n  fused shape=(100, 80) float64\n    add shape=(100, 80) float64\n      mul shape=(100, 80) float64\n        normal shape=(100, 80) float64\n        normal shape=(100, 80) float64\n      ones shape=() float64\n"
        );
    }

    #[test]
    fn what_is_not_fused() {
        let x = random::Rng::new(1).normal(0.0, 1.0, [100, 80], [50, 40]);
        // a bare random sum has its own fused path; argmax carries indices; a transpose is no
        // elementwise operation; broadcasting a row is not a 0-d operand.
        for y in [
            x.sum().unwrap(),
            (&x + 1.0).argmax().unwrap(),
            x.t().sum().unwrap(),
            (&x + &ones([80], 40)).sum().unwrap(),
        ] {
            assert_eq!(plan_text(&optimized_plan(FuseElementwise, &y)), y.plan());
        }
    }

    #[test]
    fn fused_results_match_the_unfused_ones() {
        let x = random::Rng::new(3).normal(0.0, 1.0, [300, 200], [128, 64]);
        let cases = [
            ((&x * &x + 1.0).sum().unwrap(), 1e-12),
            ((&x * 2.0).mean_axis(0).unwrap(), 1e-12),
            (x.abs().max_axis(1).unwrap(), 0.0),
            ((&x - 0.5).var(0).unwrap(), 1e-12),
            (x.exp().std_axis(0, 1).unwrap(), 1e-12),
            (where_(&x.gt(0.0), &x, 0.0).sum_axis(1).unwrap(), 1e-12),
            (x.astype(DType::Float32).sum().unwrap(), 1e-5),
        ];
        for (y, tolerance) in cases {
            let fused = optimized_plan(FuseElementwise, &y);
            assert!(plan_text(&fused).contains("fused"), "{}", y.plan());
            let a = crate::exec::compute_plan(&fused, &())
                .unwrap()
                .to_ndarray::<f64>();
            let b = crate::exec::compute_plan(y.node().unwrap(), &())
                .unwrap()
                .to_ndarray::<f64>();
            for (p, q) in a.iter().zip(b.iter()) {
                assert!(
                    (p - q).abs() <= tolerance * q.abs().max(1.0),
                    "{p} vs {q} for {}",
                    y.plan()
                );
            }
        }
    }
}
