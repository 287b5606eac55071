//! The plan optimizer: rewrite rules applied to the logical plan before it is lowered to chunk
//! tasks, so `compute()` runs fewer or smaller tasks for the same values.
//!
//! Each rule is one [`OptimizerRule`] in its own private module and matches one local pattern
//! (say, a `Slice` above an elementwise node); the driver, [`optimize`], walks the plan and
//! applies the rules until none fires. A rule must keep the node's values: the driver checks
//! that every rewrite keeps the node's shape and dtype (an [`Error::Rule`] otherwise), and when
//! a rewrite changes the node's chunk grid it puts a `Rechunk` back to the old grid on top, so
//! consumers (and `compute()`, which joins output blocks by the root's grid) see exactly the
//! chunks they were built with. A `Rechunk` whose blocks are blocks of its input costs nothing
//! when lowered.
//!
//! Rules today: `slice_pushdown` (moves slices toward the sources, so only the sliced part of
//! a random array is ever generated) and `fuse_elementwise` (a reduction over elementwise
//! operations on sources evaluates them tile by tile, allocating no chunk). After the rules,
//! `cse` merges nodes that compute the same thing, so their tasks run once.

mod cse;
mod fuse_elementwise;
mod slice_pushdown;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub(crate) use fuse_elementwise::box_start;

use crate::error::{fmt_shape, Error, Result};
use crate::expr::{ExprKind, Node, NodeRef};

/// One rewrite rule of the optimizer.
pub(crate) trait OptimizerRule {
    /// A snake_case name, shown in errors.
    fn name(&self) -> &'static str;

    /// The rewrite of `node` alone (the driver recurses), or `None` when the rule does not
    /// apply. The result must have `node`'s shape and dtype and the same values; its chunks
    /// may differ.
    fn rewrite(&self, node: &NodeRef) -> Option<NodeRef>;
}

/// The rules `compute()` uses, in the order they are tried at each node.
pub(crate) fn default_rules() -> Vec<Box<dyn OptimizerRule>> {
    vec![
        Box::new(slice_pushdown::SlicePushdown),
        Box::new(fuse_elementwise::FuseElementwise),
    ]
}

/// Full passes over the plan at most (each pass applies every rule everywhere it fires).
const MAX_PASSES: usize = 16;
/// Rewrites of one node in one pass at most, before moving on to its inputs.
const MAX_LOCAL_REWRITES: usize = 64;
/// Rewrites in one optimization at most: a bound even for rules that keep growing the plan.
const MAX_REWRITES: usize = 4096;

/// The plan rooted at `root` rewritten with the [`default_rules`]: same shape, dtype and chunks
/// at the root, same values.
///
/// **Errors**: [`Error::Rule`] when a rule changed a node's shape or dtype (a bug in the rule).
pub(crate) fn optimize(root: &NodeRef) -> Result<NodeRef> {
    optimize_with(root, &default_rules())
}

/// Several roots optimized together (`tessera::compute` of several arrays): slices pushed
/// down in each, then equal nodes merged across all of them so they share sub-plans. A root
/// whose sources another root reads too keeps its reductions unfused: a fused reduction reads
/// its sources tile by tile itself, so fusing would read a shared chunk once per root; unfused,
/// each source chunk is one task that every root's reductions consume. The other roots get
/// every rule.
pub(crate) fn optimize_several(roots: &[NodeRef]) -> Result<Vec<NodeRef>> {
    let pushdown: Vec<Box<dyn OptimizerRule>> = vec![Box::new(slice_pushdown::SlicePushdown)];
    let pushed = roots
        .iter()
        .map(|root| optimize_with(root, &pushdown))
        .collect::<Result<Vec<_>>>()?;
    let merged = cse::merge_equal_all(&pushed);
    let sources: Vec<HashSet<u64>> = merged.iter().map(source_ids).collect();
    let rules = default_rules();
    let optimized = merged
        .iter()
        .enumerate()
        .map(|(k, root)| {
            let shared = sources
                .iter()
                .enumerate()
                .any(|(j, other)| j != k && !other.is_disjoint(&sources[k]));
            if shared {
                Ok(root.clone())
            } else {
                optimize_with(root, &rules)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(cse::merge_equal_all(&optimized))
}

/// The ids of the source nodes `root` reads.
fn source_ids(root: &NodeRef) -> HashSet<u64> {
    let mut seen = HashSet::new();
    let mut sources = HashSet::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if !seen.insert(node.id) {
            continue;
        }
        if matches!(node.kind, ExprKind::Source { .. }) {
            sources.insert(node.id);
        }
        stack.extend(node.inputs());
    }
    sources
}

/// The plan rewritten with `rules`, top-down, pass after pass until a pass changes nothing
/// (or the pass and rewrite bounds are reached: every rewrite gives a valid plan, so stopping
/// early is safe).
pub(crate) fn optimize_with(root: &NodeRef, rules: &[Box<dyn OptimizerRule>]) -> Result<NodeRef> {
    let mut current = root.clone();
    let mut budget = MAX_REWRITES;
    for _ in 0..MAX_PASSES {
        let mut pass = Pass {
            rules,
            done: HashMap::new(),
            changed: false,
            budget,
        };
        let next = pass.visit(&current)?;
        current = next;
        budget = pass.budget;
        if !pass.changed || budget == 0 {
            break;
        }
    }
    Ok(cse::merge_equal(&current))
}

/// One top-down walk over the plan.
struct Pass<'a> {
    rules: &'a [Box<dyn OptimizerRule>],
    /// Rewritten nodes by the id of the node they replace, so a node shared by several
    /// consumers stays shared.
    done: HashMap<u64, NodeRef>,
    changed: bool,
    /// Rewrites left.
    budget: usize,
}

impl Pass<'_> {
    fn visit(&mut self, original: &NodeRef) -> Result<NodeRef> {
        if let Some(done) = self.done.get(&original.id) {
            return Ok(done.clone());
        }
        let mut node = original.clone();
        'rewrite: for _ in 0..MAX_LOCAL_REWRITES {
            if self.budget == 0 {
                break;
            }
            for rule in self.rules {
                if let Some(next) = rule.rewrite(&node) {
                    node = checked(rule.name(), &node, next)?;
                    self.changed = true;
                    self.budget -= 1;
                    continue 'rewrite;
                }
            }
            break;
        }
        let inputs: Vec<NodeRef> = node.inputs().into_iter().cloned().collect();
        let rewritten = inputs
            .iter()
            .map(|input| self.visit(input))
            .collect::<Result<Vec<_>>>()?;
        if inputs
            .iter()
            .zip(&rewritten)
            .any(|(a, b)| !Arc::ptr_eq(a, b))
        {
            node = node.with_inputs(rewritten);
        }
        self.done.insert(original.id, node.clone());
        Ok(node)
    }
}

/// `after`, the rewrite of `before` by `rule`, checked to keep the shape and dtype, with a
/// `Rechunk` on top if its chunks differ.
fn checked(rule: &'static str, before: &NodeRef, after: NodeRef) -> Result<NodeRef> {
    if after.shape != before.shape || after.dtype != before.dtype {
        return Err(Error::Rule {
            rule,
            reason: format!(
                "{} of shape {} {} became {} of shape {} {}",
                before.op_name(),
                fmt_shape(&before.shape),
                before.dtype,
                after.op_name(),
                fmt_shape(&after.shape),
                after.dtype
            ),
        });
    }
    if after.chunks == before.chunks {
        return Ok(after);
    }
    Ok(Node::new(
        ExprKind::Rechunk { input: after },
        before.shape.clone(),
        before.dtype,
        before.chunks.clone(),
    ))
}

#[cfg(test)]
pub(crate) mod test_util {
    //! Fixtures for rule tests: run one rule on an array's plan, compare plan text.

    use super::{optimize_with, OptimizerRule};
    use crate::expr::plan_text;
    use crate::Array;

    /// Dtype, shape and the bits of every value (as float64: exact for the test data).
    fn bits(c: &crate::Computed) -> (crate::DType, Vec<usize>, Vec<u64>) {
        (
            c.dtype(),
            c.shape().to_vec(),
            c.to_ndarray::<f64>().iter().map(|x| x.to_bits()).collect(),
        )
    }

    /// The plan of `array` after optimizing with `rule` alone, checked to keep the root's
    /// chunks and to compute exactly the same values as the plan before.
    pub(crate) fn optimized_with(rule: impl OptimizerRule + 'static, array: &Array) -> String {
        let node = array.node().expect("fixtures are valid arrays");
        let out = optimized_plan(rule, array);
        let before = crate::exec::compute_plan(node, &()).expect("fixtures compute");
        let after = crate::exec::compute_plan(&out, &()).expect("optimized plans compute");
        assert_eq!(bits(&before), bits(&after), "same values, bit for bit");
        plan_text(&out)
    }

    /// The plan of `array` after optimizing with `rule` alone, checked to keep the root's
    /// chunks (values are for the caller to compare: fusion changes rounding).
    pub(crate) fn optimized_plan(
        rule: impl OptimizerRule + 'static,
        array: &Array,
    ) -> crate::expr::NodeRef {
        let node = array.node().expect("fixtures are valid arrays");
        let rules: Vec<Box<dyn OptimizerRule>> = vec![Box::new(rule)];
        let out = optimize_with(node, &rules).expect("rules keep shape and dtype");
        assert_eq!(out.chunks, node.chunks, "the root keeps its chunks");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::plan_text;
    use crate::prelude::*;

    /// Rewrites every `neg` into `neg` of `neg`, forever.
    struct Grow;
    impl OptimizerRule for Grow {
        fn name(&self) -> &'static str {
            "grow"
        }
        fn rewrite(&self, node: &NodeRef) -> Option<NodeRef> {
            let ExprKind::Unary { .. } = &node.kind else {
                return None;
            };
            let wrap = |n: NodeRef| {
                Node::new(
                    ExprKind::Unary {
                        op: crate::expr::UnaryOp::Neg,
                        input: n.clone(),
                    },
                    n.shape.clone(),
                    n.dtype,
                    n.chunks.clone(),
                )
            };
            Some(wrap(node.clone()))
        }
    }

    /// Replaces a node by its input: changes the shape of a reduction.
    struct Skip;
    impl OptimizerRule for Skip {
        fn name(&self) -> &'static str {
            "skip"
        }
        fn rewrite(&self, node: &NodeRef) -> Option<NodeRef> {
            node.inputs().first().map(|n| (*n).clone())
        }
    }

    /// Rechunks every source to one block.
    struct OneBlock;
    impl OptimizerRule for OneBlock {
        fn name(&self) -> &'static str {
            "one_block"
        }
        fn rewrite(&self, node: &NodeRef) -> Option<NodeRef> {
            let ExprKind::Source { source, view } = &node.kind else {
                return None;
            };
            (node.chunks.npartitions() > 1).then(|| {
                let kind = ExprKind::Source {
                    source: source.clone(),
                    view: view.clone(),
                };
                Node::new(
                    kind,
                    node.shape.clone(),
                    node.dtype,
                    crate::Chunks::single(&node.shape),
                )
            })
        }
    }

    #[test]
    fn driver_stops_on_rules_that_never_settle() {
        // The plan grows to thousands of nodes; walking it recurses that deep.
        let run = || {
            let x = -ones([2], 1);
            let rules: Vec<Box<dyn OptimizerRule>> = vec![Box::new(Grow)];
            let out = optimize_with(x.node().unwrap(), &rules).unwrap();
            assert_eq!(out.shape, vec![2]);
            assert_eq!(plan_text(&out).lines().count(), MAX_REWRITES + 2);
        };
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn driver_rejects_shape_changes() {
        let x = ones([2, 3], 1).sum_axis(0).unwrap();
        let rules: Vec<Box<dyn OptimizerRule>> = vec![Box::new(Skip)];
        let err = optimize_with(x.node().unwrap(), &rules).unwrap_err();
        assert_eq!(
            err.to_string(),
            "optimizer rule skip produced an invalid plan: \
             sum of shape (3,) float64 became ones of shape (2, 3) float64"
        );
    }

    #[test]
    fn driver_restores_chunks_with_a_rechunk() {
        let x = ones([4], 2);
        let rules: Vec<Box<dyn OptimizerRule>> = vec![Box::new(OneBlock)];
        let out = optimize_with(x.node().unwrap(), &rules).unwrap();
        assert_eq!(
            plan_text(&out),
            "rechunk shape=(4,) float64\n  ones shape=(4,) float64\n"
        );
        assert_eq!(out.chunks, x.node().unwrap().chunks);
    }

    #[test]
    fn shared_nodes_stay_shared() {
        let y = random::Rng::new(1).normal(0.0, 1.0, [6, 4], [3, 2]);
        let x = (&y * &y).slice(s![1..3, ..]).unwrap();
        let out = optimize(x.node().unwrap()).unwrap();
        let ExprKind::Binary { lhs, rhs, .. } = &out.kind else {
            panic!("{}", plan_text(&out))
        };
        assert!(Arc::ptr_eq(lhs, rhs), "{}", plan_text(&out));
    }
}
