//! Zarr stores through the `zarrs` crate: v3 and v2 arrays read lazily (a chunk of the lazy
//! array reads only the store chunks it overlaps; a slice pushed down by the optimizer reads only
//! its bounding box), v3 written band by band with a choice of codec (none, zstd, blosc) and fill
//! value. Arrays inside groups are opened by their path in the store. A write goes to
//! `NAME.partial` first and is renamed when complete, so a failed write never leaves a store that
//! reads as valid.
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
use std::sync::Arc;

use super::io_error;
use crate::array::Array;
use crate::chunks::Chunks;
use crate::data::ArrayData;
use crate::dtype::{DType, Scalar};
use crate::error::{Error, Result};
use crate::expr::{AxisIndex, ExprKind, Node, Source};

/// What tessera needs to know of a Zarr array.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Meta {
    pub(crate) dtype: DType,
    pub(crate) shape: Vec<usize>,
    /// The shape of the first chunk (the grid is regular).
    pub(crate) chunk_shape: Vec<usize>,
}

/// An array of a Zarr store, open for reading chunks.
pub struct ZarrArray {
    path: PathBuf,
    name: String,
    meta: Meta,
    store: backend::Store,
}

impl fmt::Debug for ZarrArray {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ZarrArray({:?}, {:?}, {} {:?})",
            self.path, self.name, self.meta.dtype, self.meta.shape
        )
    }
}

impl ZarrArray {
    /// Opens the array `name` (`""` or `"/"` for the store's root array, `"group/array"`
    /// inside groups) of the store at `path`.
    ///
    /// **Errors**: [`Error::Io`] naming the store: it does not exist, holds no such array, or
    /// holds a dtype tessera does not read (float64, float32, int64, int32 and bool are read).
    pub fn open(path: impl AsRef<Path>, name: &str) -> Result<ZarrArray> {
        let path = path.as_ref();
        if !path.is_dir() {
            return Err(io_error(path, "no such Zarr store (not a directory)"));
        }
        let key = format!("/{}", name.trim_matches('/'));
        let (meta, store) = backend::open(path, &key)?;
        Ok(ZarrArray {
            path: path.to_path_buf(),
            name: key,
            meta,
            store,
        })
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        self.meta.dtype
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        &self.meta.shape
    }

    /// The store's chunk grid (regular: every chunk the size of the first, the last ones cut).
    fn chunks(&self) -> Result<Chunks> {
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
    pub(crate) fn read_region(&self, region: &[Range<usize>]) -> Result<ArrayData> {
        backend::read(&self.store, self.meta.dtype, region).map_err(|reason| self.error(reason))
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

/// The root array of the Zarr store at `path` (v3 or v2) as a lazy array in the store's chunks
/// (`.rechunk(..)` for others). Nothing is read until a computation needs it.
///
/// **Errors**: see [`ZarrArray::open`].
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let path = std::env::temp_dir().join(format!("tessera-doc-{}.zarr", std::process::id()));
/// let y = random::Rng::new(2).normal(0.0, 1.0, [400, 300], [100, 100]);
/// y.to_zarr(&path)?;                                   // zstd-compressed Zarr v3
/// let z = tessera::io::from_zarr(&path)?;
/// assert_eq!((z.shape(), z.chunksize()), (&[400usize, 300][..], vec![100, 100]));
/// assert_eq!(z.sum()?.compute()?, y.sum()?.compute()?);
/// # std::fs::remove_dir_all(&path).unwrap();
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn from_zarr(path: impl AsRef<Path>) -> Result<Array> {
    from_zarr_array(path, "/")
}

/// The array at `name` in the Zarr store at `path` (`"group/array"` inside groups), lazily.
///
/// **Errors**: see [`ZarrArray::open`].
pub fn from_zarr_array(path: impl AsRef<Path>, name: &str) -> Result<Array> {
    let array = ZarrArray::open(path, name)?;
    let (shape, dtype, chunks) = (array.meta.shape.clone(), array.meta.dtype, array.chunks()?);
    let source = Source::Zarr {
        store: Arc::new(array),
    };
    Ok(Array::from_node(Node::new(
        ExprKind::Source { source, view: None },
        shape,
        dtype,
        chunks,
    )))
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
}

impl Default for ZarrOptions {
    fn default() -> ZarrOptions {
        ZarrOptions {
            codec: ZarrCodec::Zstd { level: 3 },
            fill_value: Scalar::Int(0),
            overwrite: false,
        }
    }
}

impl Array {
    /// Writes the array as a Zarr v3 store at `path` with the array's chunks, zstd-compressed
    /// (see [`to_zarr_with`](Array::to_zarr_with) for other codecs). It is computed band by band
    /// along the first axis, so arrays larger than memory can be written; zarr-python and dask
    /// read the store.
    ///
    /// **Errors**: the path exists; a computation error; the store cannot be written.
    pub fn to_zarr(&self, path: impl AsRef<Path>) -> Result<()> {
        self.to_zarr_with(path, &ZarrOptions::default())
    }

    /// [`to_zarr`](Array::to_zarr) with a codec, fill value and overwrite choice.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// use tessera::io::{ZarrCodec, ZarrOptions};
    /// let path = std::env::temp_dir().join(format!("tessera-doc-blosc-{}.zarr", std::process::id()));
    /// let options = ZarrOptions { codec: ZarrCodec::Blosc { level: 5 }, ..ZarrOptions::default() };
    /// arange(0, 100, 1, 10).to_zarr_with(&path, &options)?;
    /// assert_eq!(tessera::io::from_zarr(&path)?.sum()?.compute()?.to_scalar::<i64>()?, 4950);
    /// # std::fs::remove_dir_all(&path).unwrap();
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn to_zarr_with(&self, path: impl AsRef<Path>, options: &ZarrOptions) -> Result<()> {
        self.check()?;
        let path = path.as_ref();
        if path.exists() && !options.overwrite {
            return Err(io_error(
                path,
                "already exists (remove it, or write with ZarrOptions { overwrite: true, .. })",
            ));
        }
        let partial = super::partial_path(path);
        let _ = std::fs::remove_dir_all(&partial);
        let written = self.write_zarr(&partial, options);
        if let Err(error) = written {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(error);
        }
        if path.exists() {
            std::fs::remove_dir_all(path).map_err(|e| io_error(path, e))?;
        }
        std::fs::rename(&partial, path).map_err(|e| io_error(path, e))
    }

    fn write_zarr(&self, path: &Path, options: &ZarrOptions) -> Result<()> {
        // Zarr grids are regular: the array's chunk size, the last chunks cut.
        let chunksize = self.chunksize();
        let array = if Chunks::normalize(chunksize.clone(), self.shape(), self.dtype())?
            == *self.chunks()
        {
            self.clone()
        } else {
            self.rechunk(chunksize.clone())?
        };
        std::fs::create_dir_all(path).map_err(|e| io_error(path, e))?;
        let meta = Meta {
            dtype: self.dtype(),
            shape: self.shape().to_vec(),
            chunk_shape: chunksize,
        };
        let zarr = backend::create(path, &meta, options)?;
        let store_band = |rows: Option<Range<usize>>, band: crate::data::Computed| -> Result<()> {
            let mut start = vec![0; band.ndim()];
            if let (Some(first), Some(rows)) = (start.first_mut(), rows) {
                *first = rows.start;
            }
            backend::write(&zarr, &start, band.into_data()).map_err(|reason| io_error(path, reason))
        };
        super::bands::for_each_band(&array, store_band)
    }
}

/// On the wire (a task sent to a cluster worker) a Zarr source is its store path and array
/// name; the worker opens the store itself, so workers must see the same file system.
impl serde::Serialize for ZarrArray {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        (self.path.to_string_lossy(), &self.name).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for ZarrArray {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let (path, name) = <(String, String)>::deserialize(deserializer)?;
        ZarrArray::open(path, &name).map_err(serde::de::Error::custom)
    }
}
