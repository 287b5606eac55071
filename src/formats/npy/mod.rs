//! `.npy` files (numpy's format). An [`NpyFile`] describes a file (its path and what its header
//! says) and holds nothing open, so a plan that reads one is plain data; a read maps the file
//! at execution, through the process-wide cache of open files, and reads only the bytes its
//! region covers. [`NpyWriter`] fills a new zero-filled, memory-mapped file region by region
//! (`descr` writes the header and checks it on reading).

#[cfg(feature = "npy")]
mod descr;
mod header;
mod read;

#[cfg(feature = "npy")]
pub(crate) use header::serve;

use std::fs::{File, OpenOptions};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::{Mmap, MmapMut};
use ndarray::{ArrayViewD, ArrayViewMutD, IxDyn, ShapeBuilder};

use super::cache::OpenCache;
use super::io_error;
use crate::data::{with_data, ArrayData, DataElement};
use crate::dtype::{with_dtype, DType, Element};
use crate::error::Result;
use crate::kernels::copy::copy_into;
use crate::kernels::structure::slice_view;
use crate::kernels::sub_view;
use crate::selection::AxisIndex;

/// An `.npy` file as a plan names it: its path and its header's facts (dtype, shape, order,
/// where the values start). It is opened (memory-mapped) when a computation reads it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NpyFile {
    path: PathBuf,
    dtype: DType,
    shape: Vec<usize>,
    fortran: bool,
    /// Values in big-endian byte order: each read swaps the bytes of the values it reads.
    big_endian: bool,
    /// Where the values start (the header is a multiple of 64 bytes).
    data_start: usize,
}

/// An `.npy` file mapped for reading, with the header it had then.
struct Mapped {
    map: Mmap,
    /// The file the map was made from, for `pread`.
    handle: File,
    file: NpyFile,
}

/// The process's mapped `.npy` files.
static MAPPED: OpenCache<Mapped> = OpenCache::new();

impl NpyFile {
    /// Reads the header of the file at `path` (the values are read by computations).
    ///
    /// **Errors**: [`Error::Io`](crate::Error::Io) naming the file: it cannot be opened, is not
    /// an `.npy` file, is truncated, or holds a dtype tessera does not read (every dtype but
    /// float16 is read, in the machine's byte order).
    pub fn open(path: impl AsRef<Path>) -> Result<NpyFile> {
        Ok(Mapped::open(path.as_ref())?.file)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        self.dtype
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The file mapped now: kept open from an earlier read while it is unchanged.
    ///
    /// **Errors**: the file is gone or unreadable, or its header is no longer this one.
    fn mapped(&self) -> Result<Arc<Mapped>> {
        let mapped = MAPPED.get(&self.path, "", || Mapped::open(&self.path))?;
        if mapped.file != *self {
            return Err(io_error(
                &self.path,
                format!(
                    "the file changed since the array was made: it held {} {:?}, now {} {:?}",
                    self.dtype, self.shape, mapped.file.dtype, mapped.file.shape
                ),
            ));
        }
        Ok(mapped)
    }

    /// The values of `region` (C order).
    pub(crate) fn read_region(&self, region: &[Range<usize>]) -> Result<ArrayData> {
        let mapped = self.mapped()?;
        let shape: Vec<usize> = region.iter().map(|r| r.len()).collect();
        Ok(self.in_native_order(with_dtype!(self.dtype, T => {
            let mut out = crate::kernels::pool::uninit::<T>(&shape);
            let ptr = out.as_mut_ptr().cast::<T>();
            // SAFETY: `out` is a fresh C-order block of the region's shape, which `read_into`
            // fills whole.
            unsafe {
                mapped.read_into(region, ptr)?;
                T::wrap(out.assume_init())
            }
        })))
    }

    /// Elements `indices` (relative to the region's start) along `axis` of `region`, in that
    /// order, read in place from the mapped file: only the picked rows are copied, not the
    /// region (`Array::take` of a file, see `graph::take`).
    pub(crate) fn read_take(
        &self,
        region: &[Range<usize>],
        axis: usize,
        indices: &[usize],
    ) -> Result<ArrayData> {
        let mapped = self.mapped()?;
        Ok(with_dtype!(self.dtype, T => {
            let view = crate::kernels::sub_view(mapped.view::<T>(), Some(region));
            T::wrap(crate::kernels::gather::take_view(view, axis, indices))
        }))
    }

    /// The values of `self[index]` (C order).
    pub(crate) fn read_index(&self, index: &[AxisIndex]) -> Result<ArrayData> {
        // An index of unit steps (with dropped and new axes) is a region, in the same order.
        let mut region = Vec::with_capacity(self.shape.len());
        let mut shape = Vec::with_capacity(index.len());
        let unit_steps = index.iter().all(|entry| match *entry {
            AxisIndex::Range { first, step, count } if step == 1 || count <= 1 => {
                region.push(first..first + count);
                shape.push(count);
                true
            }
            AxisIndex::Index(i) => {
                region.push(i..i + 1);
                true
            }
            AxisIndex::NewAxis => {
                shape.push(1);
                true
            }
            AxisIndex::Range { .. } => false,
        });
        if unit_steps && region.len() == self.shape.len() {
            let block = self.read_region(&region)?;
            return Ok(with_data!(block, a => DataElement::wrap(
                a.into_shape_with_order(IxDyn(&shape)).expect("the same elements")
            )));
        }
        let mapped = self.mapped()?;
        let values = with_dtype!(self.dtype, T => T::wrap(slice_view(mapped.view::<T>(), index)));
        Ok(self.in_native_order(values))
    }

    /// Values read from the file (a fresh block), in this machine's byte order.
    fn in_native_order(&self, mut data: ArrayData) -> ArrayData {
        if self.big_endian != cfg!(target_endian = "big") {
            with_data!(&mut data, a => {
                let values = a.as_slice_mut().expect("fresh blocks are contiguous");
                let size = std::mem::size_of_val(values) / values.len().max(1);
                // SAFETY: the bytes of the values (integers and floats: a swapped value is a
                // value; a bool is one byte, never swapped).
                let bytes = unsafe {
                    std::slice::from_raw_parts_mut(
                        values.as_mut_ptr().cast::<u8>(),
                        std::mem::size_of_val(values),
                    )
                };
                bytes.chunks_exact_mut(size).for_each(<[u8]>::reverse);
            });
        }
        data
    }
}

impl Mapped {
    /// Maps `path` and reads its header.
    fn open(path: &Path) -> Result<Mapped> {
        let (handle, map) = map_file(path)?;
        let header = header::read(path, &map)?;
        if map.len()
            != header.data_start + header.shape.iter().product::<usize>() * header.dtype.itemsize()
        {
            return Err(io_error(path, "the file changed while it was opened"));
        }
        let file = NpyFile {
            path: path.to_path_buf(),
            dtype: header.dtype,
            shape: header.shape,
            fortran: header.fortran,
            big_endian: header.big_endian,
            data_start: header.data_start,
        };
        Ok(Mapped { map, handle, file })
    }

    /// Reads `region` (nonempty or empty) into `out` in C order: long contiguous runs by
    /// `pread`, the rest gathered from the map.
    ///
    /// # Safety
    /// `out` is valid for writes of the region's element count of the file's dtype `T`.
    unsafe fn read_into<T: Element>(&self, region: &[Range<usize>], out: *mut T) -> Result<()> {
        let file = &self.file;
        if region.iter().any(|r| r.is_empty()) {
            return Ok(());
        }
        if !file.fortran {
            let runs = read::runs(&file.shape, region);
            if runs.run * std::mem::size_of::<T>() >= read::PREAD_RUN_BYTES {
                // SAFETY: the caller's bound; the header says these bytes hold `T`s.
                return unsafe {
                    read::pread_runs(&self.handle, &file.path, file.data_start, &runs, out)
                };
            }
        }
        let shape: Vec<usize> = region.iter().map(|r| r.len()).collect();
        // SAFETY: the caller's bound, as a C-order view of the region's shape.
        let dst = unsafe { ArrayViewMutD::from_shape_ptr(IxDyn(&shape), out) };
        copy_into(sub_view(self.view::<T>(), Some(region)), dst);
        Ok(())
    }

    /// The whole array as a view of the map.
    fn view<T: Element>(&self) -> ArrayViewD<'_, T> {
        let file = &self.file;
        let bytes = &self.map[file.data_start..];
        // SAFETY: `open` checked (here or in the kernel's copy) that these bytes hold `shape`
        // values of this dtype (in either byte order: any bytes are a value of an integer or
        // float type; bool files hold only 0 and 1), and the data start is aligned (the header
        // is padded to 64 bytes, the map to a page).
        let (before, values, _) = unsafe { bytes.align_to::<T>() };
        assert!(before.is_empty(), "npy data is aligned");
        let shape = IxDyn(&file.shape).set_f(file.fortran);
        ArrayViewD::from_shape(shape, &values[..file.shape.iter().product()])
            .expect("the header's shape fits the data")
    }
}

/// A new `.npy` file, zero-filled and memory-mapped, written region by region.
pub(crate) struct NpyWriter {
    path: PathBuf,
    map: MmapMut,
    dtype: DType,
    shape: Vec<usize>,
}

impl NpyWriter {
    /// Creates (or truncates) `path` as a zero-filled `.npy` file of `dtype` and `shape`.
    pub(crate) fn create(path: &Path, dtype: DType, shape: &[usize]) -> Result<NpyWriter> {
        header::create_zeroed(path, dtype, shape)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| io_error(path, e))?;
        // SAFETY: the file was just created by this process and is not resized while mapped.
        let map = unsafe { MmapMut::map_mut(&file) }.map_err(|e| io_error(path, e))?;
        Ok(NpyWriter {
            path: path.to_path_buf(),
            map,
            dtype,
            shape: shape.to_vec(),
        })
    }

    /// Writes `values` (of the file's dtype) at `region` of the array (empty for a 0-d one).
    pub(crate) fn write_region(&mut self, region: &[Range<usize>], values: &ArrayData) {
        debug_assert_eq!(values.dtype(), self.dtype, "blocks have the file's dtype");
        with_data!(values, block => self.write_typed(region, block.view()))
    }

    fn write_typed<T: DataElement>(&mut self, region: &[Range<usize>], block: ArrayViewD<T>) {
        let values = self.shape.iter().product::<usize>();
        let data_start = self.map.len() - values * T::DTYPE.itemsize();
        // SAFETY: the file holds `values` zeros of `T` after its header (every bit pattern
        // written is a valid `T`), and the data start is aligned as in `Mapped::view`.
        let (before, values, _) = unsafe { self.map[data_start..].align_to_mut::<T>() };
        assert!(before.is_empty(), "npy data is aligned");
        let mut out = ArrayViewMutD::from_shape(IxDyn(&self.shape), values)
            .expect("the header's shape fits the data");
        let target =
            out.slice_each_axis_mut(|axis| ndarray::Slice::from(region[axis.axis.index()].clone()));
        copy_into(block, target);
    }

    /// Flushes the values to the file.
    pub(crate) fn finish(self) -> Result<()> {
        self.map.flush().map_err(|e| io_error(&self.path, e))
    }
}

/// `path` opened and memory-mapped for reading.
fn map_file(path: &Path) -> Result<(File, Mmap)> {
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    // SAFETY: the map is read-only; a file changed by another process while mapped would
    // change the values read, as it would for numpy's mmap_mode="r".
    let map = unsafe { Mmap::map(&file) }.map_err(|e| io_error(path, e))?;
    Ok((file, map))
}
