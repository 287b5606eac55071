//! `.npy` files (numpy's format), memory-mapped: [`from_npy`] opens one as a lazy array whose
//! chunks read only their own part of the file (slices pushed down by the optimizer read only
//! the bytes they select), and [`Array::to_npy`] writes any array band by band into a
//! zero-filled, memory-mapped file (`ndarray-npy` writes the header and checks it on reading).
//! A write goes to `NAME.partial` first and is renamed when complete, so a failed write never
//! leaves a file that reads as valid.

mod header;

#[cfg(feature = "npy")]
pub(crate) use header::serve;

use std::fmt;
use std::fs::{File, OpenOptions};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::{Mmap, MmapMut};
use ndarray::{ArrayViewD, ArrayViewMutD, IxDyn, ShapeBuilder};

use super::io_error;
use crate::array::Array;
use crate::chunks::{ChunkSpec, Chunks};
use crate::data::{ArrayData, DataElement};
use crate::dtype::{with_dtype, DType, Element};
use crate::error::Result;
use crate::expr::{AxisIndex, ExprKind, Node, Source};

/// An open `.npy` file: its dtype, shape and memory map (shared by the chunks that read it).
pub struct NpyFile {
    path: PathBuf,
    map: Mmap,
    dtype: DType,
    shape: Vec<usize>,
    fortran: bool,
    /// Where the values start (the header is a multiple of 64 bytes).
    data_start: usize,
}

impl fmt::Debug for NpyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "NpyFile({:?}, {} {:?})",
            self.path, self.dtype, self.shape
        )
    }
}

impl NpyFile {
    /// Maps `path` and reads its header.
    ///
    /// **Errors**: [`Error::Io`](crate::Error::Io) naming the file: it cannot be opened, is not
    /// an `.npy` file, is truncated, or holds a dtype tessera does not read (float64, float32,
    /// int64, int32 and bool are read, in the machine's byte order).
    pub fn open(path: impl AsRef<Path>) -> Result<NpyFile> {
        let path = path.as_ref();
        let map = map_file(path)?;
        let header = header::read(path, &map)?;
        if map.len()
            != header.data_start + header.shape.iter().product::<usize>() * header.dtype.itemsize()
        {
            return Err(io_error(path, "the file changed while it was opened"));
        }
        Ok(NpyFile {
            path: path.to_path_buf(),
            map,
            dtype: header.dtype,
            shape: header.shape,
            fortran: header.fortran,
            data_start: header.data_start,
        })
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        self.dtype
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The whole array as a view of the map.
    fn view<T: Element>(&self) -> ArrayViewD<'_, T> {
        let bytes = &self.map[self.data_start..];
        // SAFETY: `open` checked with ndarray-npy (here or in the kernel's copy) that these
        // bytes hold `shape` values of this dtype in native byte order (and, for bool, only 0
        // and 1), and the data start is aligned (the header is padded to 64 bytes, the map to a
        // page).
        let (before, values, _) = unsafe { bytes.align_to::<T>() };
        assert!(before.is_empty(), "npy data is aligned");
        let shape = IxDyn(&self.shape).set_f(self.fortran);
        ArrayViewD::from_shape(shape, &values[..self.shape.iter().product()])
            .expect("the header's shape fits the data")
    }

    /// The values of `region` (C order).
    pub(crate) fn read_region(&self, region: &[Range<usize>]) -> ArrayData {
        with_dtype!(self.dtype, T => T::wrap(crate::kernels::sub_view(self.view::<T>(), Some(region)).as_standard_layout().into_owned()))
    }

    /// The values of `self[index]` (C order).
    pub(crate) fn read_index(&self, index: &[AxisIndex]) -> ArrayData {
        with_dtype!(self.dtype, T => T::wrap(crate::kernels::structure::slice_view(self.view::<T>(), index)))
    }
}

/// `path` memory-mapped for reading.
fn map_file(path: &Path) -> Result<Mmap> {
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    // SAFETY: the map is read-only; a file changed by another process while mapped would
    // change the values read, as it would for numpy's mmap_mode="r".
    unsafe { Mmap::map(&file) }.map_err(|e| io_error(path, e))
}

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
    let (shape, dtype) = (file.shape.clone(), file.dtype);
    let chunks = Chunks::normalize(chunks, &shape, dtype)?;
    let source = Source::Npy {
        file: Arc::new(file),
    };
    Ok(Array::from_node(Node::new(
        ExprKind::Source { source, view: None },
        shape,
        dtype,
        chunks,
    )))
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
    /// let path = std::env::temp_dir().join(format!("tessera-doc-write-{}.npy", std::process::id()));
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
        let partial = super::partial_path(path);
        let written = with_dtype!(self.dtype(), T => self.write_npy_as::<T>(&partial));
        if let Err(error) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
        std::fs::rename(&partial, path).map_err(|e| io_error(path, e))
    }

    fn write_npy_as<T: DataElement>(&self, path: &Path) -> Result<()> {
        header::create_zeroed(path, T::DTYPE, self.shape())?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| io_error(path, e))?;
        // SAFETY: the file was just created by this process and is not resized while mapped.
        let mut map = unsafe { MmapMut::map_mut(&file) }.map_err(|e| io_error(path, e))?;
        let values = self.shape().iter().product::<usize>();
        let data_start = map.len() - values * T::DTYPE.itemsize();
        // SAFETY: the file holds `values` zeros of `T` after its header (every bit pattern
        // written below is a valid `T`), and the data start is aligned as in `view`.
        let (before, values, _) = unsafe { map[data_start..].align_to_mut::<T>() };
        assert!(before.is_empty(), "npy data is aligned");
        let mut out = ArrayViewMutD::from_shape(IxDyn(self.shape()), values)
            .expect("the header's shape fits the data");
        super::bands::for_each_band(self, |rows, band| {
            let band = band.into_ndarray::<T>();
            match rows {
                Some(rows) => out
                    .slice_axis_mut(ndarray::Axis(0), ndarray::Slice::from(rows))
                    .assign(&band),
                None => out.assign(&band),
            }
            Ok(())
        })?;
        drop(out);
        map.flush().map_err(|e| io_error(path, e))
    }
}

/// On the wire (a task sent to a cluster worker) an `.npy` source is its path; the worker maps
/// the file itself, so workers must see the same file system.
impl serde::Serialize for NpyFile {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.path.to_string_lossy())
    }
}

impl<'de> serde::Deserialize<'de> for NpyFile {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let path = String::deserialize(deserializer)?;
        NpyFile::open(path).map_err(serde::de::Error::custom)
    }
}
