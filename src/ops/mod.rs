//! The user-facing operations on [`Array`](crate::Array), one family a file. Each builds plan
//! nodes (checking shapes, axes and dtypes up front) and computes nothing.

mod assign;
mod calculus;
pub(crate) mod cast;
pub mod creation;
pub mod elementwise;
mod filters;
mod grids;
pub mod indexing;
pub mod join;
mod linalg;
mod map_blocks;
mod mask;
mod numeric;
mod operators;
mod overlap;
mod pad;
pub(crate) mod rearrange;
pub(crate) mod reduce;
pub(crate) mod replicate;
mod scan;
mod select;
pub mod several;
pub(crate) mod shape;
mod slice;
mod split;

pub use creation::{
    arange, empty, empty_like, from_array, full, full_dtype, full_like, linspace, ones, ones_dtype,
    ones_like, zeros, zeros_dtype, zeros_like, IntoShape,
};
pub use elementwise::{where_, Operand};
pub use grids::{eye, indices, meshgrid, Indexing};
pub use indexing::Indices;
pub use join::{block, concatenate, stack};
pub use overlap::{Boundary, Depth};
pub use pad::{PadMode, PadWidth};
pub use replicate::broadcast_arrays;
pub use select::select;
pub use several::{compute, compute_with, persist};
pub use shape::IntoReshape;
pub use slice::numpy_slice;
pub use split::Sections;
