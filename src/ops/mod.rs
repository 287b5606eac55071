//! The user-facing operations on [`Array`](crate::Array), one family a file. Each builds plan
//! nodes (checking shapes, axes and dtypes up front) and computes nothing.

mod assign;
pub mod creation;
pub mod elementwise;
pub mod indexing;
pub mod join;
mod linalg;
mod map_blocks;
mod numeric;
mod operators;
pub(crate) mod reduce;
mod select;
pub(crate) mod shape;
mod slice;

pub use creation::{arange, from_array, full, linspace, ones, zeros, IntoShape};
pub use elementwise::{where_, Operand};
pub use indexing::Indices;
pub use join::{concatenate, stack};
pub use select::select;
pub use shape::IntoReshape;
pub use slice::numpy_slice;
