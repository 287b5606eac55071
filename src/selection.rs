//! One axis of a basic-index selection, as plain data: what the plan's slices and source views
//! say, what a file reader reads and what a slicing kernel cuts. It sits at the bottom (beside
//! `chunks`) because the leaves (`kernels`, `io`) read it; the algebra on it (resolving `s![]`
//! against a shape, composing two selections) is the plan's, in `expr::index`.

/// How a slice treats one axis, resolved against the input's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AxisIndex {
    /// Keeps the axis: elements `first, first + step, …` (`count` of them; `step` may be
    /// negative).
    Range {
        first: usize,
        step: isize,
        count: usize,
    },
    /// Drops the axis, keeping element `index`.
    Index(usize),
    /// Inserts a new axis of length 1 (consumes no input axis).
    NewAxis,
}
