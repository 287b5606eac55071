//! Tile programs: the elementwise plan of a fused reduction (`ExprKind::Fused` with
//! [`Fusion::Tiles`]) lowered to a list of steps over numbered slots, which a
//! [`TaskOp::TiledReduce`](super::TaskOp::TiledReduce) runs once per tile of its block. The
//! executor runs the steps; it never sees the plan.
//!
//! ```text
//! (x * x + 1.0).sum()          slot 0  generate normal (1000, 1000)
//!   sum                        slot 1  mul float64 (0, 0)
//!     fused            ──▶     slot 2  generate full 1.0, 0-d
//!       add                    slot 3  add float64 (1, 2)
//!         mul (x, x)
//!         1.0
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::lower::shared_view;
use crate::dtype::DType;
use crate::expr::{BinaryOp, ExprKind, Fusion, Node, Source, SourceView, UnaryOp};

/// A slot of a [`TileProgram`]: the index of the step that computes it.
pub type Slot = usize;

/// Steps in evaluation order; each reads only earlier slots, the last one is the result. A
/// value used twice (`x * x`) is one step.
///
/// # Examples
///
/// ```
/// use tessera::graph::{lower, TaskOp};
/// use tessera::prelude::*;
/// let x = random::Rng::new(0).normal(0.0, 1.0, [100, 100], [50, 50]);
/// let graph = lower(&(&x * &x + 1.0).sum()?.optimized()?)?;
/// let program = graph.tasks.iter().find_map(|t| match &t.op {
///     TaskOp::TiledReduce { program, .. } => Some(program),
///     _ => None,
/// });
/// let program = program.expect("the sum is fused");
/// assert_eq!(program.steps.len(), 4); // x (once), x * x, the 0-d 1.0, their sum
/// assert_eq!(program.sources(), 1);
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TileProgram {
    pub steps: Vec<TileStep>,
}

/// One step: an operation and whether its value is 0-d (a scalar operand, the same for every
/// tile) or has the tile's shape.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TileStep {
    pub zero_d: bool,
    pub op: TileOp,
}

/// What a step computes; the operations of the elementwise table, a `where_` and a cast.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum TileOp {
    /// The tile of a source node of `shape` (with a `view`, that view of the source's array).
    Generate {
        source: Source,
        view: Option<Arc<SourceView>>,
        dtype: DType,
        shape: Vec<usize>,
    },
    Unary {
        op: UnaryOp,
        dtype: DType,
        input: Slot,
    },
    Binary {
        op: BinaryOp,
        operand_dtype: DType,
        lhs: Slot,
        rhs: Slot,
    },
    Where {
        dtype: DType,
        cond: Slot,
        x: Slot,
        y: Slot,
    },
    Cast {
        dtype: DType,
        input: Slot,
    },
}

impl TileProgram {
    /// Bytes it holds while it runs over a tile of `elements` elements: a value per step.
    pub(crate) fn tile_bytes(&self, elements: usize) -> usize {
        self.steps.len() * elements * 8
    }

    /// How many of its steps generate a source of the tile's shape (not a 0-d operand).
    pub fn sources(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| !s.zero_d && matches!(s.op, TileOp::Generate { .. }))
            .count()
    }

    /// The program of the elementwise plan `plan`, each node once (`views` shares a source
    /// node's view between the programs of one graph, as `Generate` tasks share it).
    pub(super) fn of(plan: &Node, views: &mut HashMap<u64, Arc<SourceView>>) -> Self {
        let mut building = Building {
            steps: Vec::new(),
            slots: HashMap::new(),
            views,
        };
        building.slot(plan);
        TileProgram {
            steps: building.steps,
        }
    }
}

#[cfg(test)]
impl TileProgram {
    /// The program of `plan` alone (tests that run a program without a graph).
    pub(crate) fn of_plan(plan: &Node) -> Self {
        Self::of(plan, &mut HashMap::new())
    }
}

struct Building<'a> {
    steps: Vec<TileStep>,
    slots: HashMap<u64, Slot>,
    views: &'a mut HashMap<u64, Arc<SourceView>>,
}

impl Building<'_> {
    /// The slot of `node`'s value, adding the steps it needs.
    fn slot(&mut self, node: &Node) -> Slot {
        if let Some(&slot) = self.slots.get(&node.id) {
            return slot;
        }
        let op = match &node.kind {
            ExprKind::Source { source, view } => TileOp::Generate {
                source: source.clone(),
                view: view.as_ref().map(|v| shared_view(self.views, node.id, v)),
                dtype: node.dtype,
                shape: node.shape.clone(),
            },
            ExprKind::Unary { op, input } => TileOp::Unary {
                op: *op,
                dtype: node.dtype,
                input: self.slot(input),
            },
            ExprKind::Binary {
                op,
                lhs,
                rhs,
                operand_dtype,
            } => TileOp::Binary {
                op: *op,
                operand_dtype: *operand_dtype,
                lhs: self.slot(lhs),
                rhs: self.slot(rhs),
            },
            ExprKind::Where { cond, x, y } => TileOp::Where {
                dtype: node.dtype,
                cond: self.slot(cond),
                x: self.slot(x),
                y: self.slot(y),
            },
            ExprKind::Cast { input } => TileOp::Cast {
                dtype: node.dtype,
                input: self.slot(input),
            },
            ExprKind::Fused {
                input,
                how: Fusion::Tiles,
            } => return self.slot(input),
            other => unreachable!(
                "fuse_elementwise fuses only elementwise plans over sources, not {other:?}"
            ),
        };
        self.steps.push(TileStep {
            zero_d: node.shape.is_empty(),
            op,
        });
        let slot = self.steps.len() - 1;
        self.slots.insert(node.id, slot);
        slot
    }
}
