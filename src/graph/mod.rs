//! The chunk task graph: what `compute()` runs. A plan is lowered to one task per output block
//! it needs, recursively, so only the tasks a result reads are ever built (culling is part of
//! lowering: `y.mean_axis(0)?.slice(s![0..100])` builds the tasks of one column of chunks).
//!
//! Tasks are plain data (operation, parameters, inputs by task id, a dask-style key) that
//! [`wire`] encodes for cluster workers; only the closure of `map_blocks` cannot travel.

pub(crate) mod lower;
mod reduce;
mod take;
pub mod tiles;
pub mod wire;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

pub use crate::kernels::inputs::{BlockInput, Piece};
pub use lower::lower;
pub use tiles::{TileOp, TileProgram, TileStep};

use crate::dtype::DType;
use crate::expr::{AxisIndex, BinaryOp, BlockFn, ReduceOp, ScanOp, Source, SourceView, UnaryOp};
use crate::prng::sample::{Distribution, StreamKey};

/// Index of a task in its [`TaskGraph`].
pub type TaskId = usize;

/// A task's name, as dask keys them: the layer (operation and plan node id) and the block
/// index, printed `('normal-3', 0, 1)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TaskKey {
    pub layer: Arc<str>,
    pub index: Vec<usize>,
}

impl fmt::Display for TaskKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "('{}'", self.layer)?;
        for i in &self.index {
            write!(f, ", {i}")?;
        }
        write!(f, ")")
    }
}

/// What one task computes. Inputs are other tasks of the same graph.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum TaskOp {
    /// `region` of a source node of `shape` and `dtype`; with a `view`, the node is that view of
    /// the source's whole array.
    Generate {
        source: Source,
        view: Option<Arc<SourceView>>,
        dtype: DType,
        shape: Vec<usize>,
        region: Vec<Range<usize>>,
    },
    /// Elementwise function of one block.
    Unary {
        op: UnaryOp,
        dtype: DType,
        input: BlockInput,
    },
    /// Elementwise function of two blocks broadcast to `shape`.
    Binary {
        op: BinaryOp,
        operand_dtype: DType,
        dtype: DType,
        shape: Vec<usize>,
        lhs: BlockInput,
        rhs: BlockInput,
    },
    /// Elementwise choice between two blocks, all broadcast to `shape`.
    Where {
        dtype: DType,
        shape: Vec<usize>,
        cond: BlockInput,
        x: BlockInput,
        y: BlockInput,
    },
    /// Conversion to `dtype`.
    Cast { dtype: DType, input: BlockInput },
    /// A reduction's per-block partial result (reduced axes kept as length 1). `offset` is the
    /// block's position and `shape` the whole input's, for the global indices of `argmin`/`argmax`.
    ReducePartial {
        op: ReduceOp,
        axes: Vec<usize>,
        input: BlockInput,
        offset: Vec<usize>,
        shape: Vec<usize>,
    },
    /// `op` (`Sum` or `Mean`) over `axes` (every axis, or the first alone) of `region` of a
    /// float random source of `shape`, generated tile by tile (a fused `Generate` +
    /// `ReducePartial`: no block is allocated).
    RandomReduce {
        op: ReduceOp,
        axes: Vec<usize>,
        key: StreamKey,
        dist: Distribution,
        shape: Vec<usize>,
        region: Vec<Range<usize>>,
    },
    /// A reduction's partial of `region` of the elementwise plan that `program` computes
    /// (a fused plan, lowered), run tile by tile: no block of it is allocated whole. `offset`
    /// and `shape` as for `ReducePartial`.
    TiledReduce {
        op: ReduceOp,
        axes: Vec<usize>,
        program: Arc<TileProgram>,
        region: Vec<Range<usize>>,
        offset: Vec<usize>,
        shape: Vec<usize>,
    },
    /// Partials of the same output block merged into one.
    ReduceCombine { op: ReduceOp, inputs: Vec<TaskId> },
    /// The final values of one output block from its merged partial, of block `shape`.
    ReduceFinalize {
        op: ReduceOp,
        dtype: DType,
        shape: Vec<usize>,
        /// Where the output block starts in the output (for errors naming an element).
        offset: Vec<usize>,
        input: TaskId,
    },
    /// Basic indexing of one block (indices relative to the block).
    Slice {
        input: TaskId,
        index: Vec<AxisIndex>,
    },
    /// Elements `indices` (relative to the block) of one block along `axis`, in that order.
    Take {
        input: TaskId,
        axis: usize,
        indices: Vec<usize>,
    },
    /// Elements `indices` (relative to the region's start) along `axis` of `region` of a file
    /// or in-memory source, read in place (a `Take` of a `Generate` without the block).
    TakeSource {
        source: Source,
        dtype: DType,
        region: Vec<Range<usize>>,
        axis: usize,
        indices: Vec<usize>,
    },
    /// A block of `shape` made of taken parts along `axis`: element `j` of a part goes to
    /// position `positions[j]`; the parts' positions cover the block once.
    Scatter {
        dtype: DType,
        shape: Vec<usize>,
        axis: usize,
        parts: Vec<(TaskId, Vec<usize>)>,
    },
    /// Axes permuted.
    Transpose { input: TaskId, perm: Vec<usize> },
    /// A block of `shape` copied together from pieces of input blocks.
    Assemble {
        dtype: DType,
        shape: Vec<usize>,
        pieces: Vec<Piece>,
    },
    /// A block of `shape` whose C-order elements are the C-order elements of each part in turn;
    /// each part is assembled to its own shape first.
    Reshape {
        dtype: DType,
        shape: Vec<usize>,
        parts: Vec<(Vec<usize>, Vec<Piece>)>,
    },
    /// Sum over `pairs` of matrix products of blocks; `transposed[0]` / `[1]`: every left /
    /// right block is used transposed (a `.t()` seen through when lowering: no copy).
    Dot {
        dtype: DType,
        pairs: Vec<(BlockInput, BlockInput)>,
        transposed: [bool; 2],
    },
    /// A block's cumulative `op` along `axis` in `dtype`, each lane continued from the last
    /// slice along `axis` of `carry` (the previous block's result along the axis).
    Scan {
        op: ScanOp,
        axis: usize,
        dtype: DType,
        shape: Vec<usize>,
        input: TaskId,
        carry: Option<TaskId>,
    },
    /// A user function on one block.
    MapBlocks { func: BlockFn, input: TaskId },
    /// A ghosted block correlated along each axis with its weights (`kernels::correlate`);
    /// `edges`: a constant boundary's value and, per axis, how many of the block's low and
    /// high ghosts lie beyond the array's edge.
    Correlate {
        input: TaskId,
        weights: Vec<Vec<f64>>,
        edges: Option<(f64, Vec<[usize; 2]>)>,
    },
}

/// One chunk task.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Task {
    pub key: TaskKey,
    pub op: TaskOp,
    /// The tasks whose outputs this one reads (each once).
    pub deps: Vec<TaskId>,
}

/// All the tasks of one computation, in an order where every task comes after its inputs.
#[derive(Debug, Clone)]
pub struct TaskGraph {
    pub tasks: Vec<Task>,
    /// The task of each output block, in C order of the output's chunk grid.
    pub outputs: Vec<TaskId>,
}

impl TaskOp {
    /// The tasks this operation reads, each once, in first-use order.
    pub fn inputs(&self) -> Vec<TaskId> {
        let mut ids: Vec<TaskId> = match self {
            TaskOp::Generate { .. }
            | TaskOp::TakeSource { .. }
            | TaskOp::RandomReduce { .. }
            | TaskOp::TiledReduce { .. } => vec![],
            TaskOp::Unary { input, .. }
            | TaskOp::Cast { input, .. }
            | TaskOp::ReducePartial { input, .. } => vec![input.task],
            TaskOp::Binary { lhs, rhs, .. } => vec![lhs.task, rhs.task],
            TaskOp::Where { cond, x, y, .. } => vec![cond.task, x.task, y.task],
            TaskOp::ReduceCombine { inputs, .. } => inputs.clone(),
            TaskOp::ReduceFinalize { input, .. }
            | TaskOp::Slice { input, .. }
            | TaskOp::Take { input, .. }
            | TaskOp::Transpose { input, .. }
            | TaskOp::MapBlocks { input, .. }
            | TaskOp::Correlate { input, .. } => vec![*input],
            TaskOp::Scan { input, carry, .. } => std::iter::once(*input).chain(*carry).collect(),
            TaskOp::Scatter { parts, .. } => parts.iter().map(|p| p.0).collect(),
            TaskOp::Assemble { pieces, .. } => pieces.iter().map(|p| p.input.task).collect(),
            TaskOp::Reshape { parts, .. } => parts
                .iter()
                .flat_map(|(_, pieces)| pieces.iter().map(|p| p.input.task))
                .collect(),
            TaskOp::Dot { pairs, .. } => pairs.iter().flat_map(|(a, b)| [a.task, b.task]).collect(),
        };
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(*id));
        ids
    }
}
