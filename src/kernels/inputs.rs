//! How a kernel names the blocks it reads: another task's output, whole or a region of it.
//! (The task graph, `graph`, re-exports these: tasks carry them, kernels read them.)

use std::ops::Range;

/// A block read by a task: the whole output of `task`, or the `region` of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlockInput {
    /// The task (its index in the task graph).
    pub task: usize,
    /// The part of its output read (all of it when `None`).
    pub region: Option<Vec<Range<usize>>>,
}

/// A region of an input block copied to `dst` in the task's output block.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Piece {
    /// Where the piece is read from.
    pub input: BlockInput,
    /// Where it goes in the output block.
    pub dst: Vec<Range<usize>>,
}
