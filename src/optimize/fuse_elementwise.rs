//! Rule `fuse_elementwise`: the one place that decides what is fused into a reduction, so no
//! chunk-sized intermediate is ever allocated. `Reduce(input)` becomes
//! `Reduce(Fused(input, how))`, and lowering translates `how` into the partial tasks:
//!
//! - [`Fusion::GenerateIntoSum`]: a sum or mean of a float random source, over every axis or
//!   over the first alone (column sums, for rows of at most [`MAX_FUSED_ROW`] elements), of
//!   the whole source or a box of it (a view of step-1 ranges, as slice pushdown makes of
//!   `x.slice(s![0..20000, ..])`): generated straight into the sums (`RandomReduce`).
//! - [`Fusion::Tiles`]: a chain of elementwise operations on sources — every node a source, a
//!   function of the elementwise table that [`fuses`](crate::expr::UnaryOp::fuses), a cast or
//!   a `where_`, each of the reduction's input shape or 0-d (a scalar operand) — under any
//!   reduction whose row says its partial [`tiles`](crate::expr::ReduceRow::tiles) (not
//!   `argmin`/`argmax`: their partials carry indices): evaluated tile by tile
//!   (`TiledReduce`), so `(x * x + 1.0).sum()` never materializes `x * x`, nor `x`.
//!
//! Slices reach the sources first (`slice_pushdown`), so `(x * 2.0).mean_axis(0)?
//! .slice(s![0..100])` fuses too.

use super::OptimizerRule;
use crate::dtype::DType;
use crate::expr::{AxisIndex, ExprKind, Fusion, Node, NodeRef, ReduceOp, Source, SourceView};
use crate::kernels::reduce::Partial;
use crate::prng::sample::Distribution;

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
        if matches!(input.kind, ExprKind::Fused { .. }) {
            return None;
        }
        let how = if generates_into_sum(*op, axes, input) {
            Fusion::GenerateIntoSum
        } else if op.row().tiles && elementwise_over_sources(input, &input.shape) {
            Fusion::Tiles
        } else {
            return None;
        };
        let fused = Node::new(
            ExprKind::Fused {
                input: input.clone(),
                how,
            },
            input.shape.clone(),
            input.dtype,
            input.chunks.clone(),
        );
        Some(node.with_inputs(vec![fused]))
    }
}

/// The longest row (elements of a block but its first axis) a sum over the first axis generates
/// into: a tile holds 8 of its rows (4 MiB of float64 at most).
const MAX_FUSED_ROW: usize = 64 * 1024;

/// Whether a reduction generates its input straight into its sums (see the module doc).
fn generates_into_sum(op: ReduceOp, axes: &[usize], input: &NodeRef) -> bool {
    let ExprKind::Source {
        source: Source::Random { dist, .. },
        view,
    } = &input.kind
    else {
        return false;
    };
    let ndim = input.shape.len();
    let row: usize = input.chunks.chunksize().iter().skip(1).product();
    let over_rows = ndim >= 2 && axes == [0] && row <= MAX_FUSED_ROW;
    // Partials made of sums alone: a sum's, a mean's moments without M2.
    matches!(
        op.row().partial,
        Partial::Sum
            | Partial::Moments {
                m2: false,
                nan: false
            }
    ) && (axes.len() == ndim || over_rows)
        && input.dtype == DType::Float64
        && !matches!(dist, Distribution::Integers { .. })
        && view.as_ref().is_none_or(|v| box_start(v).is_some())
}

/// Where a view that is a box of its base starts (one step-1 range per base axis), else `None`.
pub(crate) fn box_start(view: &SourceView) -> Option<Vec<usize>> {
    if view.index.len() != view.base.len() {
        return None;
    }
    view.index
        .iter()
        .map(|entry| match *entry {
            AxisIndex::Range { first, step: 1, .. } => Some(first),
            _ => None,
        })
        .collect()
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
        ExprKind::Unary { op, input } => op.fuses() && elementwise_over_sources(input, shape),
        ExprKind::Cast { input } => elementwise_over_sources(input, shape),
        ExprKind::Binary { op, lhs, rhs, .. } => {
            op.fuses()
                && elementwise_over_sources(lhs, shape)
                && elementwise_over_sources(rhs, shape)
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
    fn a_random_sum_or_mean_is_generated_into_its_sums() {
        let x = random::Rng::new(1).normal(0.0, 1.0, [100, 80], [50, 40]);
        for (y, text) in [
            (x.sum().unwrap(), "sum axes=[0, 1] shape=()"),
            (x.mean_axis(0).unwrap(), "mean axes=[0] shape=(80,)"),
        ] {
            assert_eq!(
                plan_text(&optimized_plan(FuseElementwise, &y)),
                format!(
                    "{text} float64\n  fused into the sum shape=(100, 80) float64\n    normal \
                     shape=(100, 80) float64\n"
                )
            );
        }
        // a variance needs M2, a sum over the last axis no row sums: tiles instead
        for y in [x.var(0).unwrap(), x.sum_axis(1).unwrap()] {
            let text = plan_text(&optimized_plan(FuseElementwise, &y));
            assert!(text.contains("  fused shape=(100, 80)"), "{text}");
        }
    }

    #[test]
    fn a_chain_under_a_reduction_is_fused() {
        let x = random::Rng::new(1).normal(0.0, 1.0, [100, 80], [50, 40]);
        let y = (&x * &x + 1.0).sum().unwrap();
        assert_eq!(
            plan_text(&optimized_plan(FuseElementwise, &y)),
            "sum axes=[0, 1] shape=() float64\n  \
             fused shape=(100, 80) float64\n    \
             add shape=(100, 80) float64\n      \
             mul shape=(100, 80) float64\n        \
             normal shape=(100, 80) float64\n        \
             normal shape=(100, 80) float64\n      \
             ones shape=() float64\n"
        );
    }

    #[test]
    fn what_is_not_fused() {
        let x = random::Rng::new(1).normal(0.0, 1.0, [100, 80], [50, 40]);
        // argmax carries indices; a transpose is no elementwise operation; broadcasting a row
        // is not a 0-d operand.
        for y in [
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
