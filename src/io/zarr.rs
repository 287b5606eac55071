//! Zarr stores as lazy arrays ([`from_zarr`], [`from_zarr_array`]) and arrays written to them
//! ([`Array::to_zarr`], band by band, so arrays larger than memory stream through); the format
//! itself is `formats::zarr`. A write goes to `NAME.partial` first and is renamed when
//! complete, so a failed write never leaves a store that reads as valid.

use std::ops::Range;
use std::path::Path;

use crate::array::Array;
use crate::chunks::Chunks;
use crate::error::Result;
use crate::expr::Source;
use crate::formats::{io_error, partial_path, ZarrArray, ZarrOptions, ZarrWriter};

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
    zarr_array(ZarrArray::open(path, name)?)
}

/// The lazy array reading `array`.
pub(crate) fn zarr_array(array: ZarrArray) -> Result<Array> {
    let (shape, dtype, chunks) = (array.shape().to_vec(), array.dtype(), array.chunks()?);
    let source = Source::Zarr {
        store: std::sync::Arc::new(array),
    };
    Ok(super::file_array(source, shape, dtype, chunks))
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
    /// let path = std::env::temp_dir()
    ///     .join(format!("tessera-doc-blosc-{}.zarr", std::process::id()));
    /// let options = ZarrOptions {
    ///     codec: ZarrCodec::Blosc { level: 5 },
    ///     ..ZarrOptions::default()
    /// };
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
        let partial = partial_path(path);
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
        let zarr = ZarrWriter::create(path, self.dtype(), self.shape(), chunksize, options)?;
        let store_band = |rows: Option<Range<usize>>, band: crate::data::Computed| -> Result<()> {
            let mut start = vec![0; band.ndim()];
            if let (Some(first), Some(rows)) = (start.first_mut(), rows) {
                *first = rows.start;
            }
            zarr.write(&start, band.into_data())
        };
        super::bands::for_each_band(&array, store_band)
    }
}
