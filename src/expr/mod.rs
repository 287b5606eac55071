//! The logical plan: one [`ExprKind`] enum of plain data, one variant per operation.
//!
//! An [`Array`](crate::Array) is a cheap handle to a [`Node`]: the operation plus the metadata
//! inferred when it was built (shape, dtype, chunks). Nothing here computes; `graph` lowers a
//! plan to chunk tasks and `exec` runs them.

mod as_plan;
pub(crate) mod broadcast;
mod format;
pub(crate) mod index;
mod reduction;
mod scan;
mod source;
pub(crate) mod take;
mod ufunc;

use std::sync::Arc;

pub use crate::selection::AxisIndex;
pub use as_plan::AsPlan;
pub use format::{node_detail, plan_text};
pub use reduction::{ReduceDType, ReduceOp, ReduceRow};
pub use scan::ScanOp;
pub use source::{Source, SourceView};
pub(crate) use ufunc::{binary_functions, unary_functions};
pub use ufunc::{BinaryOp, DTypeRule, UnaryOp};

use crate::chunks::Chunks;
use crate::data::ArrayData;
use crate::dtype::DType;
use crate::error::Result;

/// A node of the logical plan, with the metadata every consumer needs.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Node {
    /// Unique per process; keys the chunk tasks of this node.
    pub id: u64,
    /// What the node computes.
    pub kind: ExprKind,
    /// Logical shape.
    pub shape: Vec<usize>,
    /// Element type.
    pub dtype: DType,
    /// Chunk grid of the result.
    pub chunks: Chunks,
}

/// A shared plan node.
pub type NodeRef = Arc<Node>;

/// Every operation of the logical plan.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum ExprKind {
    /// Values generated from a description: random, constants, ranges, an in-memory array;
    /// with a `view`, only the part of the source's array the view selects.
    Source {
        source: Source,
        view: Option<SourceView>,
    },
    /// `op(input)` elementwise.
    Unary { op: UnaryOp, input: NodeRef },
    /// `lhs op rhs` elementwise with numpy broadcasting; inputs are cast to `operand_dtype` first.
    Binary {
        op: BinaryOp,
        lhs: NodeRef,
        rhs: NodeRef,
        operand_dtype: DType,
    },
    /// `where_(cond, x, y)` with broadcasting.
    Where {
        cond: NodeRef,
        x: NodeRef,
        y: NodeRef,
    },
    /// Conversion to this node's dtype.
    Cast { input: NodeRef },
    /// A reduction over `axes` (sorted, unique).
    Reduce {
        op: ReduceOp,
        input: NodeRef,
        axes: Vec<usize>,
        keepdims: bool,
        split_every: usize,
    },
    /// A cumulative `op` along `axis` (this node's dtype is the op's accumulator; same chunks).
    Scan {
        op: ScanOp,
        input: NodeRef,
        axis: usize,
    },
    /// Basic indexing: one entry per output-or-dropped axis.
    Slice {
        input: NodeRef,
        index: Vec<AxisIndex>,
    },
    /// Integer-array indexing along `axis`: output element `k` along it is input element
    /// `indices[k]` (resolved: `0..len`, any order, repeats allowed). This node's chunks along
    /// the axis are `take::take_chunks`'.
    Take {
        input: NodeRef,
        axis: usize,
        indices: Arc<Vec<usize>>,
    },
    /// Axes permuted: output axis `i` is input axis `perm[i]`.
    Transpose { input: NodeRef, perm: Vec<usize> },
    /// Same elements in C order, new shape (this node's shape).
    Reshape { input: NodeRef },
    /// Same values, new chunk grid (this node's chunks).
    Rechunk { input: NodeRef },
    /// Blocks cut from anywhere in `input`: along axis `a`, output block `i` is input elements
    /// `starts[a][i] .. starts[a][i] + chunks[a][i]`. Blocks may overlap (the ghosted blocks of
    /// `overlap`) or leave gaps (the trimmed blocks of `map_overlap`); `cut` names which.
    Regions {
        input: NodeRef,
        starts: Vec<Vec<usize>>,
        cut: Cut,
    },
    /// Separable correlation of each ghosted block of `input` (an `overlap` by `d` on each axis
    /// of `2d + 1` weights, 0 on an axis of no weights): along axis `a`, element `i` is
    /// `Σ_j weights[a][j] · x[i + j]`, in float64, cast to the dtype after each axis
    /// (`uniform_filter`, `gaussian_filter`). Output block `i` is input block `i` less its
    /// ghosts. With `cval` (a constant boundary), each pass sees that constant beyond the
    /// array's edges, not the earlier passes' filtered constant, as scipy's passes do.
    Correlate {
        input: NodeRef,
        weights: Vec<Vec<f64>>,
        cval: Option<f64>,
    },
    /// Inputs joined along `axis` (inputs already share dtype and other axes' chunks).
    Concatenate { inputs: Vec<NodeRef>, axis: usize },
    /// 2-D matrix product; inputs share dtype.
    Dot { lhs: NodeRef, rhs: NodeRef },
    /// A user function applied to each block.
    MapBlocks { input: NodeRef, func: BlockFn },
    /// `input` fused into the reduction that consumes it, as `how` says, so none of its chunks
    /// is ever allocated whole (the `fuse_elementwise` rule makes these: the one place that
    /// decides what fuses). Elsewhere it is `input` itself.
    Fused { input: NodeRef, how: Fusion },
}

/// What a [`ExprKind::Regions`] node cuts, for its name in plans and task keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cut {
    /// Each block with its neighbours' edges (dask's `overlap`).
    Overlap,
    /// Each block's interior, the ghost cells cut off (dask's `trim_internal`).
    Trim,
}

/// How a `Fused` node's input is computed inside its reduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Fusion {
    /// An elementwise plan (elementwise operations over sources, no broadcasting but of 0-d
    /// values) evaluated tile by tile: lowered to a `TaskOp::TiledReduce`.
    Tiles,
    /// A float random source (or a box of one) generated straight into a sum or mean over
    /// every axis or the first: lowered to a `TaskOp::RandomReduce`.
    GenerateIntoSum,
}

/// A function run on each block by `map_blocks`: input block in, output block of the same
/// shape out.
#[derive(Clone)]
pub struct BlockFn {
    /// Shown in plans and errors.
    pub name: String,
    /// The function.
    pub func: Arc<BlockFunction>,
}

/// The signature of a block function: a block in, a block out, or an error.
pub type BlockFunction = dyn Fn(&ArrayData) -> Result<ArrayData> + Send + Sync;

impl std::fmt::Debug for BlockFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BlockFn({})", self.name)
    }
}

/// A closure cannot travel: serializing a plan or task that holds one (to send it to a cluster)
/// fails with this message, naming the function.
impl serde::Serialize for BlockFn {
    fn serialize<S: serde::Serializer>(&self, _: S) -> std::result::Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(format!(
            "{} runs a Rust closure that exists only in this process, so it cannot be sent to \
             cluster workers; compute it locally (Array::compute or Client::new())",
            self.name
        )))
    }
}

impl<'de> serde::Deserialize<'de> for BlockFn {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> std::result::Result<Self, D::Error> {
        Err(serde::de::Error::custom(
            "a map_blocks closure cannot be received from another process",
        ))
    }
}

impl Node {
    /// A new node with a fresh id.
    pub fn new(kind: ExprKind, shape: Vec<usize>, dtype: DType, chunks: Chunks) -> NodeRef {
        debug_assert_eq!(
            chunks.shape(),
            shape,
            "chunks must cover the shape of {kind:?}"
        );
        // From the process's shared state: in the kernel, every cell has its own copy of the
        // engine, and arrays built by different cells meet in one plan.
        Arc::new(Node {
            id: crate::shared::shared().next_node_id(),
            kind,
            shape,
            dtype,
            chunks,
        })
    }

    /// The nodes this node reads.
    pub fn inputs(&self) -> Vec<&NodeRef> {
        match &self.kind {
            ExprKind::Source { .. } => vec![],
            ExprKind::Unary { input, .. }
            | ExprKind::Cast { input }
            | ExprKind::Reduce { input, .. }
            | ExprKind::Slice { input, .. }
            | ExprKind::Take { input, .. }
            | ExprKind::Transpose { input, .. }
            | ExprKind::Reshape { input }
            | ExprKind::Rechunk { input }
            | ExprKind::Regions { input, .. }
            | ExprKind::Correlate { input, .. }
            | ExprKind::Scan { input, .. }
            | ExprKind::Fused { input, .. }
            | ExprKind::MapBlocks { input, .. } => vec![input],
            ExprKind::Binary { lhs, rhs, .. } | ExprKind::Dot { lhs, rhs } => vec![lhs, rhs],
            ExprKind::Where { cond, x, y } => vec![cond, x, y],
            ExprKind::Concatenate { inputs, .. } => inputs.iter().collect(),
        }
    }

    /// The same operation, shape, dtype and chunks over new `inputs` (one per
    /// [`inputs`](Node::inputs) entry, in that order, each of the same shape, dtype and chunks
    /// as the input it replaces), as a new node.
    pub(crate) fn with_inputs(&self, inputs: Vec<NodeRef>) -> NodeRef {
        let mut next = inputs.into_iter();
        let mut take = |old: &NodeRef| next.next().unwrap_or_else(|| old.clone());
        let kind = match &self.kind {
            ExprKind::Source { source, view } => ExprKind::Source {
                source: source.clone(),
                view: view.clone(),
            },
            ExprKind::Unary { op, input } => ExprKind::Unary {
                op: *op,
                input: take(input),
            },
            ExprKind::Binary {
                op,
                lhs,
                rhs,
                operand_dtype,
            } => ExprKind::Binary {
                op: *op,
                lhs: take(lhs),
                rhs: take(rhs),
                operand_dtype: *operand_dtype,
            },
            ExprKind::Where { cond, x, y } => ExprKind::Where {
                cond: take(cond),
                x: take(x),
                y: take(y),
            },
            ExprKind::Cast { input } => ExprKind::Cast { input: take(input) },
            ExprKind::Reduce {
                op,
                input,
                axes,
                keepdims,
                split_every,
            } => ExprKind::Reduce {
                op: *op,
                input: take(input),
                axes: axes.clone(),
                keepdims: *keepdims,
                split_every: *split_every,
            },
            ExprKind::Scan { op, input, axis } => ExprKind::Scan {
                op: *op,
                input: take(input),
                axis: *axis,
            },
            ExprKind::Slice { input, index } => ExprKind::Slice {
                input: take(input),
                index: index.clone(),
            },
            ExprKind::Take {
                input,
                axis,
                indices,
            } => ExprKind::Take {
                input: take(input),
                axis: *axis,
                indices: indices.clone(),
            },
            ExprKind::Transpose { input, perm } => ExprKind::Transpose {
                input: take(input),
                perm: perm.clone(),
            },
            ExprKind::Reshape { input } => ExprKind::Reshape { input: take(input) },
            ExprKind::Rechunk { input } => ExprKind::Rechunk { input: take(input) },
            ExprKind::Correlate {
                input,
                weights,
                cval,
            } => ExprKind::Correlate {
                input: take(input),
                weights: weights.clone(),
                cval: *cval,
            },
            ExprKind::Regions { input, starts, cut } => ExprKind::Regions {
                input: take(input),
                starts: starts.clone(),
                cut: *cut,
            },
            ExprKind::Concatenate { inputs, axis } => ExprKind::Concatenate {
                inputs: inputs.iter().map(&mut take).collect(),
                axis: *axis,
            },
            ExprKind::Dot { lhs, rhs } => ExprKind::Dot {
                lhs: take(lhs),
                rhs: take(rhs),
            },
            ExprKind::MapBlocks { input, func } => ExprKind::MapBlocks {
                input: take(input),
                func: func.clone(),
            },
            ExprKind::Fused { input, how } => ExprKind::Fused {
                input: take(input),
                how: *how,
            },
        };
        Node::new(kind, self.shape.clone(), self.dtype, self.chunks.clone())
    }

    /// How many distinct nodes the plan rooted here has (a node shared by several consumers
    /// counts once): dask's "graph layers".
    pub fn plan_size(&self) -> usize {
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            if seen.insert(node.id) {
                stack.extend(node.inputs().into_iter().map(|n| &**n));
            }
        }
        seen.len()
    }

    /// Short operation name, as dask names layers (`normal`, `add`, `mean`, `getitem`, …).
    pub fn op_name(&self) -> String {
        format::op_name(self)
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }
}
