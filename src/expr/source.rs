//! Leaf nodes: arrays described by a rule, generated chunk by chunk (or region by region).

use std::sync::Arc;

use super::AxisIndex;
use crate::data::ArrayData;
use crate::dtype::Scalar;
use crate::prng::sample::{Distribution, StreamKey};

/// How a source's values are defined. Every variant can produce any rectangular region of the
/// logical array without producing its neighbours.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Source {
    /// Counter-based random values: element `i` (flat, C order) is a pure function of
    /// `(key, i)`.
    Random { key: StreamKey, dist: Distribution },
    /// Every element is `value` (cast to the node's dtype).
    Full { value: Scalar },
    /// Element `i` (flat) is `start + i * step`, cast to the node's dtype.
    Range { start: f64, step: f64 },
    /// numpy's `linspace`: element `i` is `start + i * step`, and the last is exactly `stop`.
    Linspace {
        start: f64,
        stop: f64,
        step: f64,
        num: usize,
    },
    /// An in-memory array, shared, never copied until a chunk needs it.
    Memory { data: Arc<ArrayData> },
    /// An `.npy` file, named by its path and header (memory-mapped when a computation reads
    /// it): a chunk reads only its own part.
    Npy { file: Arc<crate::formats::NpyFile> },
    /// An array of a Zarr store, named by its paths and metadata (opened when a computation
    /// reads it): a chunk reads only the store chunks it overlaps.
    Zarr {
        store: Arc<crate::formats::ZarrArray>,
    },
}

impl Source {
    /// The name shown in reprs and task keys.
    pub fn name(&self) -> &'static str {
        match self {
            Source::Random {
                dist: Distribution::Normal { .. },
                ..
            } => "normal",
            Source::Random {
                dist: Distribution::Uniform { .. },
                ..
            } => "uniform",
            Source::Random {
                dist: Distribution::Integers { .. },
                ..
            } => "integers",
            Source::Full { .. } => "full",
            Source::Range { .. } => "arange",
            Source::Linspace { .. } => "linspace",
            Source::Memory { .. } => "array",
            Source::Npy { .. } => "from-npy",
            Source::Zarr { .. } => "from-zarr",
        }
    }
}

/// A source node that shows part of its source's logical array, the *base*: the node's
/// elements are `base[index]`, with `index` resolved against the base's shape exactly as a
/// `Slice` node's index is (ranges with steps, fixed indices that drop an axis, new axes).
///
/// Values are defined on the base, so a view yields exactly the values of slicing the whole
/// array: a random element is a function of its flat index in the base, a range element of
/// its index in the base's one axis, a memory view reads the shared array. Slice pushdown
/// (`crate::optimize`) makes views; users never build them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceView {
    /// Shape of the source's whole logical array.
    pub base: Vec<usize>,
    /// The selection from the base, one entry per base axis plus inserted axes.
    pub index: Vec<AxisIndex>,
}

impl SourceView {
    /// The view selecting all of an array of `shape`.
    pub fn whole(shape: &[usize]) -> SourceView {
        let index = shape
            .iter()
            .map(|&len| AxisIndex::Range {
                first: 0,
                step: 1,
                count: len,
            })
            .collect();
        SourceView {
            base: shape.to_vec(),
            index,
        }
    }
}
