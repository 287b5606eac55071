//! `.npy` files as lazy arrays ([`from_npy`]) and arrays written to them ([`Array::to_npy`]):
//! the format itself (headers, maps) is `formats::npy`. A write goes to `NAME.partial` first
//! and is renamed when complete, so a failed write never leaves a file that reads as valid.

use std::path::Path;

use crate::array::Array;
use crate::chunks::{ChunkSpec, Chunks};
use crate::error::Result;
use crate::expr::Source;
use crate::formats::{io_error, partial_path, NpyFile, NpyWriter};

/// The `.npy` file at `path` as a lazy array in `chunks` (sizes, `-1`, per-axis tuples or
/// `"auto"`): nothing is read until a computation needs it, and then only the chunks it needs.
///
/// **Errors**: the file cannot be read (see [`NpyFile::open`]); the chunks do not fit the
/// shape.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let path = std::env::temp_dir().join(format!("tessera-doc-{}.npy", std::process::id()));
/// arange(0.0, 12.0, 1.0, 4).reshape([3, 4])?.to_npy(&path)?;
/// let a = tessera::io::from_npy(&path, [2, 2])?;
/// assert_eq!(a.shape(), &[3, 4]);
/// assert_eq!(a.slice(s![1.., 2])?.compute()?.to_vec::<f64>(), [6.0, 10.0]);
/// # std::fs::remove_file(&path).unwrap();
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn from_npy(path: impl AsRef<Path>, chunks: impl Into<ChunkSpec>) -> Result<Array> {
    let file = NpyFile::open(path)?;
    let (shape, dtype) = (file.shape().to_vec(), file.dtype());
    let chunks = Chunks::normalize(chunks, &shape, dtype)?;
    let source = Source::Npy {
        file: std::sync::Arc::new(file),
    };
    Ok(super::file_array(source, shape, dtype, chunks))
}

impl Array {
    /// Writes the array to an `.npy` file at `path` (numpy reads it with `np.load`), computing
    /// it band by band along the first axis (whole chunks, about 256 MiB at a time), so arrays
    /// larger than memory can be written. The file appears only once complete.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let path = std::env::temp_dir()
    ///     .join(format!("tessera-doc-write-{}.npy", std::process::id()));
    /// random::Rng::new(1).uniform(0.0, 1.0, [1000, 10], [100, 10]).to_npy(&path)?;
    /// assert_eq!(tessera::io::from_npy(&path, "auto")?.shape(), &[1000, 10]);
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok::<(), tessera::Error>(())
    /// ```
    ///
    /// **Errors**: the error an invalid array carries; a computation error; the file cannot be
    /// written ([`Error::Io`](crate::Error::Io)).
    pub fn to_npy(&self, path: impl AsRef<Path>) -> Result<()> {
        self.check()?;
        let path = path.as_ref();
        let partial = partial_path(path);
        let written = self.write_npy(&partial);
        if let Err(error) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
        std::fs::rename(&partial, path).map_err(|e| io_error(path, e))
    }

    fn write_npy(&self, path: &Path) -> Result<()> {
        // Each block is written into its place as it completes (no band joined first).
        let file = std::sync::Mutex::new(NpyWriter::create(path, self.dtype(), self.shape())?);
        super::bands::for_each_block(self, &|region, block| {
            file.lock().expect("the writer").write_region(region, block);
            Ok(())
        })?;
        file.into_inner().expect("the writer").finish()
    }
}
