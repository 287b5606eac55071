//! Arrays on disk, read lazily by chunk and written chunk by chunk, so arrays larger than memory
//! stream through a computation: `.npy` files today ([`from_npy`], [`Array::to_npy`]).
//!
//! [`Array::to_npy`]: crate::Array::to_npy

mod npy;

pub use npy::{from_npy, NpyFile};

use crate::error::Error;

/// An [`Error::Io`] about `path`.
pub(crate) fn io_error(path: &std::path::Path, reason: impl std::fmt::Display) -> Error {
    Error::Io { path: path.display().to_string(), reason: reason.to_string() }
}
