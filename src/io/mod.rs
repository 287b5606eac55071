//! Arrays on disk, read lazily by chunk and written chunk by chunk, so arrays larger than memory
//! stream through a computation: `.npy` files ([`from_npy`], [`Array::to_npy`]) and Zarr v2/v3
//! stores ([`from_zarr`], [`Array::to_zarr`]); [`Array::persist`] keeps computed values, spilling
//! to a temporary Zarr store when they exceed the memory budget.
//!
//! [`Array::persist`]: crate::Array::persist
//!
//! [`Array::to_npy`]: crate::Array::to_npy
//! [`Array::to_zarr`]: crate::Array::to_zarr

mod bands;
mod npy;
mod persist;
mod zarr;

#[cfg(feature = "npy")]
pub(crate) use npy::serve as npy_service;
pub use npy::{from_npy, NpyFile};
#[cfg(feature = "zarr")]
pub(crate) use zarr::service as zarr_service;
pub use zarr::{from_zarr, from_zarr_array, ZarrArray, ZarrCodec, ZarrOptions};

use crate::error::Error;

/// Where a write to `path` goes until it is complete: `NAME.partial` beside it, renamed to
/// `path` at the end, so a failed write never leaves something that reads as valid.
pub(crate) fn partial_path(path: &std::path::Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!("{name}.partial"))
}

/// An [`Error::Io`] about `path`.
pub(crate) fn io_error(path: &std::path::Path, reason: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}
