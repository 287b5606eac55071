//! Tree reductions (dask's chunk / combine / aggregate with `split_every`): a partial per input
//! block, partials merged `fan_in` at a time along each reduced axis, one finalize per output
//! block.

use std::ops::Range;

use std::sync::Arc;

use super::lower::Lowering;
use super::tiles::TileProgram;
use super::{BlockInput, TaskId, TaskOp};
use crate::chunks::grid_indices;
use crate::expr::{ExprKind, Fusion, NodeRef, ReduceOp, Source};
use crate::optimize::box_start;

impl Lowering {
    /// The finalize task of output block `index` of a `Reduce` node.
    pub(super) fn reduce_block(&mut self, node: &NodeRef, index: &[usize]) -> TaskId {
        let ExprKind::Reduce {
            op,
            input,
            axes,
            keepdims,
            split_every,
        } = &node.kind
        else {
            unreachable!("reduce_block is called on Reduce nodes");
        };
        // Input block ranges: the output's block on kept axes, every block on reduced axes.
        let grid = input.chunks.grid_shape();
        let mut out_axis = 0;
        let mut ranges: Vec<Range<usize>> = Vec::with_capacity(grid.len());
        for (axis, &blocks) in grid.iter().enumerate() {
            if axes.contains(&axis) {
                ranges.push(0..blocks);
                out_axis += usize::from(*keepdims);
            } else {
                ranges.push(index[out_axis]..index[out_axis] + 1);
                out_axis += 1;
            }
        }
        // dask splits the fan-in between the reduced axes.
        let fan_in = ((*split_every as f64)
            .powf(1.0 / axes.len().max(1) as f64)
            .floor() as usize)
            .max(2);
        let merged = self.reduce_tree(node, *op, input, axes, &ranges, fan_in);
        let finalize = TaskOp::ReduceFinalize {
            op: *op,
            dtype: node.dtype,
            shape: node.chunks.block_shape(index),
            offset: node
                .chunks
                .block_region(index)
                .iter()
                .map(|r| r.start)
                .collect(),
            input: merged,
        };
        self.push(node, "-aggregate", index.to_vec(), finalize)
    }

    /// The merged partial of the input blocks in `ranges` (one range per input axis).
    fn reduce_tree(
        &mut self,
        node: &NodeRef,
        op: ReduceOp,
        input: &NodeRef,
        axes: &[usize],
        ranges: &[Range<usize>],
        fan_in: usize,
    ) -> TaskId {
        if ranges.iter().all(|r| r.len() == 1) {
            let block: Vec<usize> = ranges.iter().map(|r| r.start).collect();
            let partial = self.partial(op, axes, input, &block);
            return self.push(node, "-partial", block, partial);
        }
        // Split each reduced axis into at most `fan_in` groups of consecutive blocks.
        let groups: Vec<Vec<Range<usize>>> =
            ranges.iter().map(|r| split(r.clone(), fan_in)).collect();
        let children: Vec<TaskId> = grid_indices(&groups.iter().map(Vec::len).collect::<Vec<_>>())
            .into_iter()
            .map(|choice| {
                let sub: Vec<Range<usize>> = choice
                    .iter()
                    .enumerate()
                    .map(|(axis, &k)| groups[axis][k].clone())
                    .collect();
                self.reduce_tree(node, op, input, axes, &sub, fan_in)
            })
            .collect();
        let key = ranges.iter().flat_map(|r| [r.start, r.end]).collect();
        self.push(
            node,
            "-combine",
            key,
            TaskOp::ReduceCombine {
                op,
                inputs: children,
            },
        )
    }
}

impl Lowering {
    /// The partial of input block `block`: as the optimizer fused the input (tile by tile, or
    /// a random source generated into its sums), else the partial of the input's block.
    fn partial(
        &mut self,
        op: ReduceOp,
        axes: &[usize],
        input: &NodeRef,
        block: &[usize],
    ) -> TaskOp {
        let region = input.chunks.block_region(block);
        let offset: Vec<usize> = region.iter().map(|r| r.start).collect();
        match &input.kind {
            ExprKind::Fused {
                input: plan,
                how: Fusion::Tiles,
            } => {
                let views = &mut self.views;
                let program = self
                    .programs
                    .entry(plan.id)
                    .or_insert_with(|| Arc::new(TileProgram::of(plan, views)))
                    .clone();
                TaskOp::TiledReduce {
                    op,
                    axes: axes.to_vec(),
                    program,
                    region,
                    offset,
                    shape: input.shape.clone(),
                }
            }
            ExprKind::Fused {
                input: source,
                how: Fusion::GenerateIntoSum,
            } => generated_into_sum(op, axes, source, region),
            _ => TaskOp::ReducePartial {
                op,
                axes: axes.to_vec(),
                input: BlockInput {
                    task: self.block(input, block),
                    region: None,
                },
                offset,
                shape: input.shape.clone(),
            },
        }
    }
}

/// The partial of `region` of a random source generated straight into its sums
/// (`RandomReduce`), the region taken in the source's whole array when the source is a box of
/// it. The optimizer fused only such sources (`fuse_elementwise`).
fn generated_into_sum(
    op: ReduceOp,
    axes: &[usize],
    source: &NodeRef,
    mut region: Vec<Range<usize>>,
) -> TaskOp {
    let ExprKind::Source {
        source: Source::Random { key, dist },
        view,
    } = &source.kind
    else {
        unreachable!("fuse_elementwise generates only random sources into sums");
    };
    let shape = match view {
        None => source.shape.clone(),
        Some(view) => {
            let start = box_start(view).expect("fuse_elementwise fuses boxes of sources");
            for (range, first) in region.iter_mut().zip(start) {
                *range = range.start + first..range.end + first;
            }
            view.base.clone()
        }
    };
    TaskOp::RandomReduce {
        op,
        axes: axes.to_vec(),
        key: *key,
        dist: *dist,
        shape,
        region,
    }
}

/// `range` cut into at most `parts` consecutive groups of near-equal length.
fn split(range: Range<usize>, parts: usize) -> Vec<Range<usize>> {
    let n = range.len();
    if n <= 1 {
        return vec![range];
    }
    let groups = n.min(parts);
    (0..groups)
        .map(|g| range.start + g * n / groups..range.start + (g + 1) * n / groups)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn random_sums_and_means_generate_no_blocks_and_match_the_unfused_path() {
        let x = random::Rng::new(11).normal(0.0, 1.0, [1200, 700], [500, 300]);
        let cube = random::Rng::new(12).uniform(-1.0, 1.0, [90, 40, 30], [50, 40, 7]);
        let pairs = [
            (x.sum().unwrap(), (&x * 1.0).sum().unwrap()),
            (x.mean().unwrap(), (&x * 1.0).mean().unwrap()),
            (x.sum_axis(0).unwrap(), (&x * 1.0).sum_axis(0).unwrap()),
            (x.mean_axis(0).unwrap(), (&x * 1.0).mean_axis(0).unwrap()),
            (
                cube.mean_axis(0).unwrap(),
                (&cube * 1.0).mean_axis(0).unwrap(),
            ),
        ];
        for (fused, unfused) in pairs {
            let optimized = crate::optimize::optimize(fused.node().unwrap()).unwrap();
            let graph = crate::graph::lower::lower_node(&optimized);
            assert!(
                graph
                    .tasks
                    .iter()
                    .all(|t| !matches!(t.op, TaskOp::Generate { .. })),
                "no chunk is materialized"
            );
            // The unfused plan as built: generate each block, then sum it (no optimizer).
            let plain = crate::exec::compute_plan(unfused.node().unwrap(), &()).unwrap();
            let bits = |a: crate::data::Computed| {
                a.to_vec::<f64>()
                    .into_iter()
                    .map(f64::to_bits)
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                bits(fused.compute().unwrap()),
                bits(plain),
                "{:?}",
                fused.shape()
            );
        }
        // not generated into a sum (the optimizer streams these tile by tile instead): a
        // reduction over the last axis, integers, a variance
        for array in [
            x.sum_axis(1).unwrap(),
            random::Rng::new(1).integers(0, 9, [100], 10).sum().unwrap(),
            x.var(0).unwrap(),
        ] {
            let optimized = crate::optimize::optimize(array.node().unwrap()).unwrap();
            let graph = crate::graph::lower::lower_node(&optimized);
            assert!(graph
                .tasks
                .iter()
                .all(|t| !matches!(t.op, TaskOp::RandomReduce { .. })));
            assert!(graph
                .tasks
                .iter()
                .any(|t| matches!(t.op, TaskOp::TiledReduce { .. })));
        }
    }

    #[test]
    fn a_box_of_a_random_array_is_generated_into_its_sum() {
        let x = random::Rng::new(5).uniform(0.0, 1.0, [900, 700], [200, 300]);
        let boxed = x.slice(s![100..650, 50..]).unwrap().mean().unwrap();
        let optimized = crate::optimize::optimize(boxed.node().unwrap()).unwrap();
        let graph = crate::graph::lower::lower_node(&optimized);
        assert!(
            graph
                .tasks
                .iter()
                .any(|t| matches!(t.op, TaskOp::RandomReduce { .. })),
            "the slice reached the source and the sum took it"
        );
        assert!(graph
            .tasks
            .iter()
            .all(|t| !matches!(t.op, TaskOp::Generate { .. } | TaskOp::TiledReduce { .. })));
        let expected = x
            .compute()
            .unwrap()
            .into_ndarray::<f64>()
            .slice(s![100..650, 50..])
            .mean()
            .unwrap();
        let got = boxed.compute().unwrap().to_scalar::<f64>().unwrap();
        assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
        // A strided view is not a box: it goes the tile-by-tile way.
        let strided = crate::optimize::optimize(
            x.slice(s![..;2, ..])
                .unwrap()
                .sum()
                .unwrap()
                .node()
                .unwrap(),
        )
        .unwrap();
        assert!(crate::graph::lower::lower_node(&strided)
            .tasks
            .iter()
            .all(|t| !matches!(t.op, TaskOp::RandomReduce { .. })));
    }

    #[test]
    fn split_is_balanced() {
        assert_eq!(split(0..10, 4), vec![0..2, 2..5, 5..7, 7..10]);
        assert_eq!(split(3..5, 8), vec![3..4, 4..5]);
        assert_eq!(split(0..1, 8), vec![0..1]);
    }

    #[test]
    fn tree_has_fan_in_levels() {
        // 64 blocks along the reduced axis, fan-in 4: 64 partials, 16 + 4 + 1 combines, 1 aggregate
        crate::config::set_split_every(4);
        let x = ones([64], 1).sum().unwrap();
        crate::config::set_split_every(crate::config::DEFAULT_SPLIT_EVERY);
        let graph = crate::graph::lower(&x).unwrap();
        let count = |suffix: &str| {
            graph
                .tasks
                .iter()
                .filter(|t| t.key.layer.contains(suffix))
                .count()
        };
        assert_eq!(count("-partial"), 64);
        assert_eq!(count("-combine"), 21);
        assert_eq!(count("-aggregate"), 1);
        assert_eq!(x.compute().unwrap().to_scalar::<f64>().unwrap(), 64.0);
    }
}
