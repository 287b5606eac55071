//! Leaf nodes: arrays described by a rule, generated chunk by chunk (or region by region).

use std::sync::Arc;

use crate::data::ArrayData;
use crate::dtype::Scalar;
use crate::random::sample::{Distribution, StreamKey};

/// How a source's values are defined. Every variant can produce any rectangular region of the
/// logical array without producing its neighbours.
#[derive(Debug, Clone)]
pub enum Source {
    /// Counter-based random values: element `i` (flat, C order) is a pure function of
    /// `(key, i)`.
    Random { key: StreamKey, dist: Distribution },
    /// Every element is `value` (cast to the node's dtype).
    Full { value: Scalar },
    /// Element `i` (flat) is `start + i * step`, cast to the node's dtype.
    Range { start: f64, step: f64 },
    /// numpy's `linspace`: element `i` is `start + i * step`, and the last is exactly `stop`.
    Linspace { start: f64, stop: f64, step: f64, num: usize },
    /// An in-memory array, shared, never copied until a chunk needs it.
    Memory { data: Arc<ArrayData> },
}

impl Source {
    /// The name shown in reprs and task keys.
    pub fn name(&self) -> &'static str {
        match self {
            Source::Random { dist: Distribution::Normal { .. }, .. } => "normal",
            Source::Random { dist: Distribution::Uniform { .. }, .. } => "uniform",
            Source::Random { dist: Distribution::Integers { .. }, .. } => "integers",
            Source::Full { .. } => "full",
            Source::Range { .. } => "arange",
            Source::Linspace { .. } => "linspace",
            Source::Memory { .. } => "array",
        }
    }
}
