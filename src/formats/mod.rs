//! File formats, a leaf of the engine: describe a file (`.npy`: [`NpyFile`]; an array of a
//! Zarr v2/v3 store: [`ZarrArray`]), read a region of it, write a new one region by region. No
//! plans and no arrays here: the user's entry points (`from_npy`, `to_zarr`, `persist`, …) are
//! [`io`](crate::io). Files are opened at execution, once per process while unchanged
//! (`cache`).

mod cache;
mod npy;
mod temp;
mod zarr;

#[cfg(test)]
pub(crate) use cache::touch_later;
#[cfg(feature = "npy")]
pub(crate) use npy::serve as npy_service;
pub use npy::NpyFile;
pub(crate) use npy::NpyWriter;
pub(crate) use temp::TempStore;
#[cfg(feature = "zarr")]
pub(crate) use zarr::service as zarr_service;
pub(crate) use zarr::{forget as forget_zarr, ZarrWriter};
pub use zarr::{ZarrArray, ZarrCodec, ZarrOptions};

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
