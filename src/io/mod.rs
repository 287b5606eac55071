//! Arrays on disk, read lazily by chunk and written chunk by chunk, so arrays larger than memory
//! stream through a computation: `.npy` files ([`from_npy`], [`Array::to_npy`]) and Zarr v2/v3
//! stores ([`from_zarr`], [`Array::to_zarr`]); [`Array::persist`] keeps computed values, spilling
//! to a temporary Zarr store when they exceed the memory budget. (The formats themselves are
//! the engine's leaf `formats`; a plan names a file, and files are opened at execution.)
//!
//! [`Array::persist`]: crate::Array::persist
//!
//! [`Array::to_npy`]: crate::Array::to_npy
//! [`Array::to_zarr`]: crate::Array::to_zarr

pub(crate) mod bands;
mod cf;
mod npy;
mod persist;
#[cfg(test)]
mod plans_as_data;
mod zarr;

pub use crate::formats::{NpyFile, ZarrArray, ZarrCodec, ZarrOptions};
pub use cf::{decode_cf, from_zarr_cf, CfEncoding};
pub use npy::from_npy;
pub use zarr::{from_zarr, from_zarr_array};

/// The lazy array reading a file `source` of `shape` and `dtype` in `chunks`.
fn file_array(
    source: crate::expr::Source,
    shape: Vec<usize>,
    dtype: crate::dtype::DType,
    chunks: crate::chunks::Chunks,
) -> crate::Array {
    let kind = crate::expr::ExprKind::Source { source, view: None };
    crate::Array::from_node(crate::expr::Node::new(kind, shape, dtype, chunks))
}
