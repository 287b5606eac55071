//! Slice pushdown: moves a `Slice` below the operations that commute with it, down to the
//! sources, so that only the selected part of a source is ever generated.

use super::OptimizerRule;
use crate::chunks::Chunks;
use crate::expr::broadcast::{broadcast_chunks, broadcast_shapes};
use crate::expr::index::{compose_index, is_whole, slice_chunks, slice_node};
use crate::expr::{AxisIndex, ExprKind, Node, NodeRef, Source, SourceView};

/// Pushes a slice into its input: the slice of an operation becomes the operation on slices.
///
/// ```text
/// getitem [0:100]                              mean axes=[0]
///   mean axes=[0]                    =>          normal[:, 0:100] of (10000, 10000)
///     normal shape=(10000, 10000)
/// ```
///
/// * **elementwise** (`Unary`, `Cast`, `Binary`, `Where`): each input is sliced; an input that
///   is broadcast (fewer axes, aligned from the right, or length 1 on an axis) is sliced only on
///   the axes it spans, and an identical input is sliced once, so it stays shared;
/// * **`Transpose`**: the index is permuted into the input's axis order;
/// * **`Reduce`**: ranges and indices of kept axes move into the input (reduced axes stay
///   whole); an index becomes a length-1 range below and is dropped by a slice left above, as
///   are new axes and entries on `keepdims` axes — so the reduction's blocks keep their number
///   of axes and the reduction kernels add the same numbers in the same order;
/// * **`Slice`**: two slices merge into one;
/// * **sources**: the source node becomes a [`SourceView`] of its whole array, so random, range
///   and in-memory sources produce exactly the values of the full array at those positions
///   (`Full` just takes the new shape).
///
/// The pushed-down subtree keeps the slice's chunks (they are derived with the same
/// `slice_chunks`), so no rechunk is needed in practice.
///
/// The rule does not fire when the slice selects everything or nothing (nothing to save), nor
/// through operations whose blocks do not map to slices of their inputs' blocks by position:
///
/// ```text
/// getitem [0:2]                                 (unchanged: a rechunk, reshape, concatenate,
///   reshape shape=(4,)                           dot or map_blocks keeps its slice above)
///     ones shape=(2, 2)
/// ```
pub(crate) struct SlicePushdown;

impl OptimizerRule for SlicePushdown {
    fn name(&self) -> &'static str {
        "slice_pushdown"
    }

    fn rewrite(&self, node: &NodeRef) -> Option<NodeRef> {
        let ExprKind::Slice { input, index } = &node.kind else {
            return None;
        };
        if is_whole(index, &input.shape) || node.size() == 0 {
            return None;
        }
        match &input.kind {
            ExprKind::Slice {
                input: inner,
                index: first,
            } => try_merge(inner, first, index),
            ExprKind::Source { source, view } => try_source(input, source, view.as_ref(), index),
            ExprKind::Unary { op, input: arg } => {
                let arg = slice_node(arg, index.clone());
                Some(Node::new(
                    ExprKind::Unary {
                        op: *op,
                        input: arg.clone(),
                    },
                    arg.shape.clone(),
                    input.dtype,
                    arg.chunks.clone(),
                ))
            }
            ExprKind::Cast { input: arg } => {
                let arg = slice_node(arg, index.clone());
                Some(Node::new(
                    ExprKind::Cast { input: arg.clone() },
                    arg.shape.clone(),
                    input.dtype,
                    arg.chunks.clone(),
                ))
            }
            ExprKind::Binary {
                op,
                lhs,
                rhs,
                operand_dtype,
            } => {
                let args = slice_broadcast(&[lhs, rhs], index, &input.shape);
                let kind = ExprKind::Binary {
                    op: *op,
                    lhs: args[0].clone(),
                    rhs: args[1].clone(),
                    operand_dtype: *operand_dtype,
                };
                elementwise(kind, &args, input)
            }
            ExprKind::Where { cond, x, y } => {
                let args = slice_broadcast(&[cond, x, y], index, &input.shape);
                elementwise(
                    ExprKind::Where {
                        cond: args[0].clone(),
                        x: args[1].clone(),
                        y: args[2].clone(),
                    },
                    &args,
                    input,
                )
            }
            ExprKind::Transpose { input: arg, perm } => {
                Some(try_transpose(arg, perm, index, input))
            }
            ExprKind::Reduce { .. } => try_reduce(input, index),
            ExprKind::Reshape { .. }
            | ExprKind::Rechunk { .. }
            | ExprKind::Regions { .. }
            | ExprKind::Correlate { .. }
            | ExprKind::Scan { .. }
            | ExprKind::Concatenate { .. }
            | ExprKind::Take { .. }
            | ExprKind::Dot { .. }
            | ExprKind::MapBlocks { .. }
            | ExprKind::Fused { .. } => None,
        }
    }
}

/// `inner[first][then]` becomes `inner[first ∘ then]`.
fn try_merge(inner: &NodeRef, first: &[AxisIndex], then: &[AxisIndex]) -> Option<NodeRef> {
    Some(slice_node(inner, compose_index(first, then)?))
}

/// A source sliced becomes a view of the source's whole array (or, for constants, a smaller
/// constant array).
fn try_source(
    node: &NodeRef,
    source: &Source,
    view: Option<&SourceView>,
    index: &[AxisIndex],
) -> Option<NodeRef> {
    let chunks = slice_chunks(index, &node.chunks);
    let view = match source {
        Source::Full { .. } => None,
        _ => {
            let current = view
                .cloned()
                .unwrap_or_else(|| SourceView::whole(&node.shape));
            Some(SourceView {
                index: compose_index(&current.index, index)?,
                base: current.base,
            })
        }
    };
    Some(Node::new(
        ExprKind::Source {
            source: source.clone(),
            view,
        },
        chunks.shape(),
        node.dtype,
        chunks,
    ))
}

/// The elementwise node `kind` over its sliced `args`, with `old`'s dtype and the broadcast
/// shape and chunks of the args (`None` if they no longer broadcast, which a correct slicing
/// never causes).
fn elementwise(kind: ExprKind, args: &[NodeRef], old: &NodeRef) -> Option<NodeRef> {
    let shapes: Vec<&[usize]> = args.iter().map(|a| a.shape.as_slice()).collect();
    let shape = broadcast_shapes("slice_pushdown", &shapes).ok()?;
    let chunks = broadcast_chunks(&shape, &args.iter().map(|a| &a.chunks).collect::<Vec<_>>());
    Some(Node::new(kind, shape, old.dtype, chunks))
}

/// Each of `inputs` (broadcast to `out_shape`) sliced by `index` (resolved against
/// `out_shape`); the same input node is sliced once.
fn slice_broadcast(inputs: &[&NodeRef], index: &[AxisIndex], out_shape: &[usize]) -> Vec<NodeRef> {
    let mut done: Vec<(&NodeRef, NodeRef)> = Vec::new();
    inputs
        .iter()
        .map(|&input| {
            if let Some((_, sliced)) = done
                .iter()
                .find(|(old, _)| std::sync::Arc::ptr_eq(old, input))
            {
                return sliced.clone();
            }
            let sliced = slice_node(input, broadcast_index(index, &input.shape, out_shape));
            done.push((input, sliced.clone()));
            sliced
        })
        .collect()
}

/// The part of `index` (against `out_shape`) that applies to an input of `shape` broadcast to
/// `out_shape`: entries for the padded leading axes are left out, and an axis where the input
/// has length 1 but the output does not stays whole (or is dropped, for an index).
fn broadcast_index(index: &[AxisIndex], shape: &[usize], out_shape: &[usize]) -> Vec<AxisIndex> {
    let pad = out_shape.len() - shape.len();
    let mut out = Vec::with_capacity(index.len());
    let mut consumed = 0;
    for entry in index {
        let on_input = consumed >= pad;
        let broadcast = on_input
            && entry != &AxisIndex::NewAxis
            && shape[consumed - pad] == 1
            && out_shape[consumed] != 1;
        match *entry {
            AxisIndex::NewAxis if on_input => out.push(AxisIndex::NewAxis),
            AxisIndex::NewAxis => {}
            AxisIndex::Index(_) if broadcast => out.push(AxisIndex::Index(0)),
            AxisIndex::Range { .. } if broadcast => out.push(AxisIndex::Range {
                first: 0,
                step: 1,
                count: 1,
            }),
            _ if on_input => out.push(*entry),
            _ => {}
        }
        if *entry != AxisIndex::NewAxis {
            consumed += 1;
        }
    }
    out
}

/// `transpose(a, perm)[index]` becomes `transpose(a[index'], perm')`: `index'` holds the
/// entries in `a`'s axis order with the new axes last, `perm'` puts the kept axes back in the
/// slice's order.
fn try_transpose(arg: &NodeRef, perm: &[usize], index: &[AxisIndex], old: &NodeRef) -> NodeRef {
    // The entry of each transposed axis, and the new axes in order.
    let mut per_axis = vec![
        AxisIndex::Range {
            first: 0,
            step: 1,
            count: 0
        };
        perm.len()
    ];
    let mut axis = 0;
    for entry in index {
        if *entry != AxisIndex::NewAxis {
            per_axis[axis] = *entry;
            axis += 1;
        }
    }
    let mut inner: Vec<AxisIndex> = (0..perm.len())
        .map(|a| per_axis[perm.iter().position(|&p| p == a).unwrap_or(a)])
        .collect();
    // Position of each input axis among the kept ones.
    let mut kept = vec![0; perm.len()];
    let mut count = 0;
    for (a, entry) in inner.iter().enumerate() {
        kept[a] = count;
        count += usize::from(!matches!(entry, AxisIndex::Index(_)));
    }
    let mut new_perm = Vec::new();
    let mut axis = 0;
    for entry in index {
        match entry {
            AxisIndex::NewAxis => {
                new_perm.push(count);
                inner.push(AxisIndex::NewAxis);
                count += 1;
            }
            AxisIndex::Index(_) => axis += 1,
            AxisIndex::Range { .. } => {
                new_perm.push(kept[perm[axis]]);
                axis += 1;
            }
        }
    }
    let sliced = slice_node(arg, inner);
    if new_perm.iter().enumerate().all(|(i, &p)| i == p) {
        return sliced;
    }
    let shape = new_perm.iter().map(|&p| sliced.shape[p]).collect();
    let chunks = Chunks::from_vec(
        new_perm
            .iter()
            .map(|&p| sliced.chunks.axis(p).to_vec())
            .collect(),
    );
    Node::new(
        ExprKind::Transpose {
            input: sliced,
            perm: new_perm,
        },
        shape,
        old.dtype,
        chunks,
    )
}

/// `reduce(a, axes)[index]` becomes `reduce(a[inner], axes)[outer]`: `inner` takes the ranges
/// and indices of kept axes (an index as a length-1 range) and all of each reduced axis;
/// `outer` drops the length-1 axes of those indices and applies new axes and the entries on
/// `keepdims` axes. `outer` is left out when it selects everything.
fn try_reduce(reduce: &NodeRef, index: &[AxisIndex]) -> Option<NodeRef> {
    let ExprKind::Reduce {
        op,
        input,
        axes,
        keepdims,
        split_every,
    } = &reduce.kind
    else {
        return None;
    };
    let mut out_entries = index.iter().filter(|e| **e != AxisIndex::NewAxis);
    let mut inner = Vec::with_capacity(input.shape.len());
    for (axis, &len) in input.shape.iter().enumerate() {
        let whole = AxisIndex::Range {
            first: 0,
            step: 1,
            count: len,
        };
        if axes.contains(&axis) {
            if *keepdims {
                out_entries.next();
            }
            inner.push(whole);
            continue;
        }
        inner.push(match *out_entries.next()? {
            AxisIndex::Index(i) => AxisIndex::Range {
                first: i,
                step: 1,
                count: 1,
            },
            range => range,
        });
    }
    if is_whole(&inner, &input.shape) {
        return None;
    }
    let sliced = slice_node(input, inner);
    let (mut shape, mut blocks) = (Vec::new(), Vec::new());
    for axis in 0..sliced.shape.len() {
        if !axes.contains(&axis) {
            shape.push(sliced.shape[axis]);
            blocks.push(sliced.chunks.axis(axis).to_vec());
        } else if *keepdims {
            shape.push(1);
            blocks.push(vec![1]);
        }
    }
    let kind = ExprKind::Reduce {
        op: *op,
        input: sliced,
        axes: axes.clone(),
        keepdims: *keepdims,
        split_every: *split_every,
    };
    let reduced = Node::new(kind, shape, reduce.dtype, Chunks::from_vec(blocks));
    // Left to do above, per output axis of the reduction: the entries of reduced (keepdims)
    // axes as they were; kept axes are already sliced (an index left a length-1 axis to drop).
    let kept: Vec<bool> = (0..input.shape.len())
        .filter(|a| *keepdims || !axes.contains(a))
        .map(|a| !axes.contains(&a))
        .collect();
    let mut out_axis = 0;
    let residual = index
        .iter()
        .map(|entry| {
            if *entry == AxisIndex::NewAxis {
                return AxisIndex::NewAxis;
            }
            out_axis += 1;
            match *entry {
                _ if kept.get(out_axis - 1) == Some(&false) => *entry,
                AxisIndex::Range { count, .. } => AxisIndex::Range {
                    first: 0,
                    step: 1,
                    count,
                },
                _ => AxisIndex::Index(0),
            }
        })
        .collect();
    Some(slice_node(&reduced, residual))
}

#[cfg(test)]
mod tests {
    use super::SlicePushdown;
    use crate::optimize::test_util::optimized_with;
    use crate::prelude::*;
    use ndarray::SliceInfoElem;

    fn normal(shape: [usize; 2], chunks: [usize; 2]) -> Array {
        random::Rng::new(3).normal(0.0, 1.0, shape, chunks)
    }

    /// The plan after slice pushdown (values checked equal to the plan before).
    fn pushed(array: &Array) -> String {
        optimized_with(SlicePushdown, array)
    }

    /// The rule leaves the plan as it is.
    fn unchanged(array: &Array) {
        assert_eq!(pushed(array), array.plan());
    }

    #[test]
    fn through_reduce_into_random_source() {
        let x = normal([100, 100], [50, 50])
            .mean_axis(0)
            .unwrap()
            .slice(s![0..10])
            .unwrap();
        assert_eq!(
            x.plan(),
            "getitem [0:10] shape=(10,) float64\n  \
             mean axes=[0] shape=(100,) float64\n    \
             normal shape=(100, 100) float64\n"
        );
        assert_eq!(
            pushed(&x),
            "mean axes=[0] shape=(10,) float64\n  \
             normal[:, 0:10] of (100, 100) shape=(100, 10) float64\n"
        );
    }

    #[test]
    fn reduce_keeps_dropped_and_keepdims_axes_above() {
        // An index on a kept axis becomes a length-1 range below and is dropped above.
        let x = normal([4, 6], [2, 3])
            .sum_axis(0)
            .unwrap()
            .slice(s![3])
            .unwrap();
        assert_eq!(
            pushed(&x),
            "getitem [0] shape=() float64\n  \
             sum axes=[0] shape=(1,) float64\n    \
             normal[:, 3:4] of (4, 6) shape=(4, 1) float64\n"
        );
        // keepdims axis entries and new axes stay above; the kept axis's range goes below.
        let x = normal([4, 6], [2, 3])
            .max_axes(&[0], true)
            .unwrap()
            .slice(s![0, NewAxis, 1..5;2])
            .unwrap();
        assert_eq!(
            pushed(&x),
            "getitem [0, newaxis, :] shape=(1, 2) float64\n  \
             max axes=[0] keepdims shape=(1, 2) float64\n    \
             normal[:, 1:4:2] of (4, 6) shape=(4, 2) float64\n"
        );
    }

    #[test]
    fn reductions_add_in_the_same_order() {
        // Reduced axes longer than 8 (where summation order matters), kept axes narrowed to one
        // element: `pushed` checks the values bit for bit against the plan before.
        let x = random::Rng::new(9).normal(0.0, 1.0, [40, 30, 20], [20, 7, 20]);
        for axes in [&[0][..], &[1], &[2], &[0, 2], &[1, 2]] {
            for keepdims in [false, true] {
                for op in [
                    ReduceOp::Sum,
                    ReduceOp::Mean,
                    ReduceOp::Var { ddof: 1.0 },
                    ReduceOp::ArgMax,
                ] {
                    if op == ReduceOp::ArgMax && axes.len() > 1 {
                        continue;
                    }
                    let r = x.reduction(op, Some(axes), keepdims, None).unwrap();
                    let each = |f: &dyn Fn(usize) -> SliceInfoElem| {
                        r.shape().iter().map(|&len| f(len)).collect::<Vec<_>>()
                    };
                    let whole = SliceInfoElem::Slice {
                        start: 0,
                        end: None,
                        step: 1,
                    };
                    let column = each(&|len| {
                        if len > 1 {
                            SliceInfoElem::Slice {
                                start: 1,
                                end: Some(2),
                                step: 1,
                            }
                        } else {
                            whole
                        }
                    });
                    let last = each(&|len| {
                        if len > 1 {
                            SliceInfoElem::Index(-1)
                        } else {
                            whole
                        }
                    });
                    let strided = each(&|_| SliceInfoElem::Slice {
                        start: 0,
                        end: None,
                        step: 3,
                    });
                    for index in [column, last, strided] {
                        let plan = pushed(&r.slice(&index).unwrap());
                        assert!(plan.contains("normal["), "{plan}");
                    }
                }
            }
        }
    }

    #[test]
    fn elementwise_slices_each_input_on_the_axes_it_spans() {
        let x = normal([4, 6], [2, 3]);
        let row = arange(0.0, 6.0, 1.0, 3); // broadcast along axis 0
        let col = x.mean_axes(&[1], true).unwrap(); // (4, 1): length 1 on axis 1
        let e = ((&x + &row) * &col).slice(s![1..3, 5]).unwrap();
        assert_eq!(
            pushed(&e),
            "mul shape=(2,) float64\n  \
             add shape=(2,) float64\n    \
             normal[1:3, 5] of (4, 6) shape=(2,) float64\n    \
             arange[5] of (6,) shape=() float64\n  \
             getitem [:, 0] shape=(2,) float64\n    \
             mean axes=[1] keepdims shape=(2, 1) float64\n      \
             normal[1:3, :] of (4, 6) shape=(2, 6) float64\n"
        );
    }

    #[test]
    fn unary_cast_where_and_scalars() {
        let x = normal([4, 6], [2, 3]);
        let e = where_(&x.gt(0.0), x.abs().astype(DType::Float32), 0.5)
            .slice(s![..;-1, 2])
            .unwrap();
        assert_eq!(
            pushed(&e),
            "where shape=(4,) float32\n  \
             gt shape=(4,) bool\n    \
             normal[3::-1, 2] of (4, 6) shape=(4,) float64\n    \
             zeros shape=() float64\n  \
             astype shape=(4,) float32\n    \
             abs shape=(4,) float64\n      \
             normal[3::-1, 2] of (4, 6) shape=(4,) float64\n  \
             full shape=() float32\n"
        );
    }

    #[test]
    fn transpose_permutes_the_index() {
        let x = random::Rng::new(5).uniform(0.0, 1.0, [3, 4, 5], [2, 2, 2]);
        let t = x
            .transpose(&[2, 0, 1])
            .unwrap()
            .slice(s![1..4, 1, NewAxis, ..;2])
            .unwrap();
        assert_eq!(
            pushed(&t),
            "transpose perm=[1, 2, 0] shape=(3, 1, 2) float64\n  \
             uniform[1, 0:3:2, 1:4, newaxis] of (3, 4, 5) shape=(2, 3, 1) float64\n"
        );
    }

    #[test]
    fn slices_merge_and_constants_shrink() {
        let a = arange(0, 20, 1, 6)
            .slice(s![2..;3])
            .unwrap()
            .slice(s![..;-2])
            .unwrap();
        assert_eq!(pushed(&a), "arange[17:4:-6] of (20,) shape=(3,) int64\n");
        let o = ones([4, 6], 2).slice(s![1..3, 0]).unwrap();
        assert_eq!(pushed(&o), "ones shape=(2,) float64\n");
        let m = from_array(ndarray::array![[1, 2, 3], [4, 5, 6]], [1, 2])
            .slice(s![.., 1..])
            .unwrap();
        assert_eq!(pushed(&m), "array[:, 1:3] of (2, 3) shape=(2, 2) int32\n");
    }

    #[test]
    fn does_not_fire_where_useless_or_wrong() {
        let x = normal([4, 6], [2, 3]);
        unchanged(&x.slice(s![.., ..]).unwrap()); // selects everything
        unchanged(&x.slice(s![1..1, ..]).unwrap()); // selects nothing
        unchanged(&x.reshape([6, 4]).unwrap().slice(s![0..2]).unwrap());
        unchanged(&x.rechunk([4, 6]).unwrap().slice(s![0..2]).unwrap());
        unchanged(
            &concatenate(&[x.clone(), x.clone()], 0)
                .unwrap()
                .slice(s![0..2])
                .unwrap(),
        );
        unchanged(&x.dot(&x.t()).unwrap().slice(s![0..2]).unwrap());
        unchanged(
            &x.map_blocks(|b: ndarray::ArrayViewD<f64>| b.mapv(f64::tanh))
                .unwrap()
                .slice(s![0..2])
                .unwrap(),
        );
        // a reduction sliced only on its keepdims axis: nothing moves below it
        unchanged(&x.sum_axes(&[1], true).unwrap().slice(s![.., 0]).unwrap());
    }
}
