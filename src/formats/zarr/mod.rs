//! Zarr stores through the `zarrs` crate: a [`ZarrArray`] describes an array of a v3 or v2
//! store (store path, array path, dtype, shape, chunk grid) and holds nothing open, so a plan
//! that reads one is plain data; a read opens the store at execution, through the process-wide
//! cache of open files, and reads only the store chunks its region overlaps (a view: its
//! bounding box). [`ZarrWriter`] writes a new v3 array region by region, with a choice of codec
//! (none, zstd, blosc) and fill value. Arrays inside groups are named by their path in the
//! store.
//!
//! The store is read and written by the `zarrs` crate ([`native`], feature `zarr`); a copy of
//! the engine built without it — inside notebook cells — asks the kernel's copy ([`hosted`]).

#[cfg(any(test, not(feature = "zarr")))]
mod hosted;
#[cfg(feature = "zarr")]
mod native;
#[cfg(feature = "zarr")]
pub(crate) mod service;

#[cfg(not(feature = "zarr"))]
use hosted as backend;
#[cfg(feature = "zarr")]
use native as backend;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::cache::OpenCache;
use super::io_error;
use crate::chunks::Chunks;
use crate::data::ArrayData;
use crate::dtype::{DType, Scalar};
use crate::error::{Error, Result};
use crate::selection::AxisIndex;

/// What tessera needs to know of a Zarr array.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Meta {
    pub(crate) dtype: DType,
    pub(crate) shape: Vec<usize>,
    /// The shape of the first chunk (the grid is regular).
    pub(crate) chunk_shape: Vec<usize>,
    /// The array's user attributes (CF's `_FillValue`, `scale_factor`, …).
    #[serde(default)]
    pub(crate) attributes: serde_json::Map<String, serde_json::Value>,
}

/// An array of a Zarr store as a plan names it: the store's path, the array's path in it and
/// its metadata's facts. The store is opened when a computation reads it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ZarrArray {
    path: PathBuf,
    name: String,
    meta: Meta,
    /// The temporary store this array owns (a `persist()` spill), removed with the last plan
    /// naming it; it does not travel (a worker does not own the store).
    #[serde(skip)]
    owned: Option<std::sync::Arc<super::TempStore>>,
}

/// The process's open Zarr arrays.
static OPEN: OpenCache<(Meta, backend::Store)> = OpenCache::new();

impl ZarrArray {
    /// Opens the array `name` (`""` or `"/"` for the store's root array, `"group/array"`
    /// inside groups) of the store at `path`.
    ///
    /// **Errors**: [`Error::Io`] naming the store: it does not exist, holds no such array, or
    /// holds a dtype tessera does not read (complex, strings, structured types).
    pub fn open(path: impl AsRef<Path>, name: &str) -> Result<ZarrArray> {
        let path = path.as_ref();
        if !path.is_dir() {
            return Err(io_error(path, "no such Zarr store (not a directory)"));
        }
        let key = format!("/{}", name.trim_matches('/'));
        let open = OPEN.get(&metadata_file(path, &key), &key, || {
            backend::open(path, &key)
        })?;
        Ok(ZarrArray {
            path: path.to_path_buf(),
            name: key,
            meta: open.0.clone(),
            owned: None,
        })
    }

    /// The root array of the temporary store `store` (written), owning it.
    pub(crate) fn open_owned(store: std::sync::Arc<super::TempStore>) -> Result<ZarrArray> {
        let mut array = ZarrArray::open(store.path(), "/")?;
        array.owned = Some(store);
        Ok(array)
    }

    /// The store's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        self.meta.dtype
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        &self.meta.shape
    }

    /// The array's user attributes (`.zattrs` in v2, `attributes` in v3). A v2 array's fill
    /// value is there as `_FillValue` too, unless its attributes name one: xarray writes a v2
    /// variable's `_FillValue` as the array's fill value and reads it back so.
    pub fn attributes(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.meta.attributes
    }

    /// The store's chunk grid (regular: every chunk the size of the first, the last ones cut).
    pub(crate) fn chunks(&self) -> Result<Chunks> {
        Chunks::normalize(
            self.meta.chunk_shape.clone(),
            &self.meta.shape,
            self.meta.dtype,
        )
    }

    fn error(&self, reason: impl fmt::Display) -> Error {
        io_error(&self.path, format!("array {:?}: {reason}", self.name))
    }

    /// The values of `region`.
    ///
    /// **Errors**: the store is gone or unreadable, its array is no longer this one, or a chunk
    /// cannot be read or decoded.
    pub(crate) fn read_region(&self, region: &[Range<usize>]) -> Result<ArrayData> {
        let stamp = metadata_file(&self.path, &self.name);
        let open = OPEN.get(&stamp, &self.name, || {
            if !self.path.is_dir() {
                return Err(io_error(&self.path, "no such Zarr store (not a directory)"));
            }
            backend::open(&self.path, &self.name)
        })?;
        if open.0 != self.meta {
            return Err(self.error(format!(
                "the store changed since the array was made: it held {} {:?}, now {} {:?}",
                self.meta.dtype, self.meta.shape, open.0.dtype, open.0.shape
            )));
        }
        backend::read(&open.1, self.meta.dtype, region).map_err(|reason| self.error(reason))
    }

    /// The values of `self[index]`: its bounding box is read, then sliced.
    pub(crate) fn read_index(&self, index: &[AxisIndex]) -> Result<ArrayData> {
        let mut boxed = Vec::new();
        let mut within = Vec::new();
        for entry in index {
            match *entry {
                AxisIndex::NewAxis => within.push(AxisIndex::NewAxis),
                AxisIndex::Index(i) => {
                    boxed.push(i..i + 1);
                    within.push(AxisIndex::Index(0));
                }
                AxisIndex::Range { first, step, count } => {
                    let last = (first as isize + step * (count.max(1) as isize - 1)) as usize;
                    let (low, high) = (first.min(last), first.max(last));
                    let range = if count == 0 { low..low } else { low..high + 1 };
                    within.push(AxisIndex::Range {
                        first: first - range.start,
                        step,
                        count,
                    });
                    boxed.push(range);
                }
            }
        }
        Ok(crate::kernels::structure::slice(
            &self.read_region(&boxed)?,
            &within,
        ))
    }
}

/// How the chunks of a written Zarr array are compressed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ZarrCodec {
    /// Stored as they are.
    None,
    /// zstd at `level` (1–22; zarr-python's default codec).
    Zstd { level: i32 },
    /// blosc with zstd inside, byte-shuffled, at `level` (0–9).
    Blosc { level: u8 },
}

/// Options of [`Array::to_zarr_with`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ZarrOptions {
    /// Compression of the chunks (default zstd level 3).
    pub codec: ZarrCodec,
    /// The value of chunks never written (default 0).
    pub fill_value: Scalar,
    /// Replace an existing store at the path (default: an error).
    pub overwrite: bool,
    /// User attributes stored with the array (default none; CF encoding sets its own).
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

impl Default for ZarrOptions {
    fn default() -> ZarrOptions {
        ZarrOptions {
            codec: ZarrCodec::Zstd { level: 3 },
            fill_value: Scalar::Int(0),
            overwrite: false,
            attributes: serde_json::Map::new(),
        }
    }
}

/// The file whose modification time says whether the array `key` of the store at `path`
/// changed: its metadata (v3 `zarr.json`, v2 `.zarray`), or the store itself when it has
/// neither (an error then names the store).
fn metadata_file(path: &Path, key: &str) -> PathBuf {
    let dir = path.join(key.trim_start_matches('/'));
    ["zarr.json", ".zarray"]
        .iter()
        .map(|name| dir.join(name))
        .find(|file| file.is_file())
        .unwrap_or_else(|| path.to_path_buf())
}

/// A new Zarr v3 array, written region by region.
pub(crate) struct ZarrWriter {
    path: PathBuf,
    store: backend::Store,
}

impl ZarrWriter {
    /// Creates a store at `path` (an existing, empty directory) for an array of `dtype` and
    /// `shape` in chunks of `chunk_shape`, writing its metadata.
    pub(crate) fn create(
        path: &Path,
        dtype: DType,
        shape: &[usize],
        chunk_shape: Vec<usize>,
        options: &ZarrOptions,
    ) -> Result<ZarrWriter> {
        let meta = Meta {
            dtype,
            shape: shape.to_vec(),
            chunk_shape,
            attributes: options.attributes.clone(),
        };
        Ok(ZarrWriter {
            path: path.to_path_buf(),
            store: backend::create(path, &meta, options)?,
        })
    }

    /// Writes `values` with its first element at `start`.
    pub(crate) fn write(&self, start: &[usize], values: ArrayData) -> Result<()> {
        backend::write(&self.store, start, values).map_err(|reason| io_error(&self.path, reason))
    }
}

/// Closes what is kept open of the store at `path` (it is about to be deleted).
pub(crate) fn forget(path: &Path) {
    OPEN.forget(path);
}
