//! Zarr stores read and written by this copy of the engine, with the `zarrs` crate (feature
//! `zarr`).

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use zarrs::array::{data_type, ArrayBuilder, DataType};
use zarrs::filesystem::FilesystemStore;

use super::{Meta, ZarrCodec, ZarrOptions};
use crate::data::{with_data, ArrayData, DataElement};
use crate::dtype::{with_dtype, DType, Element};
use crate::error::Result;
use crate::formats::io_error;

/// An open Zarr array.
pub(crate) type Store = zarrs::array::Array<FilesystemStore>;

/// The Zarr data type of a tessera dtype (v3 names; zarrs maps v2's `<u2`, `|b1`, … to them).
fn zarr_type(dtype: DType) -> DataType {
    use DType::*;
    match dtype {
        Bool => data_type::bool(),
        Int8 => data_type::int8(),
        Int16 => data_type::int16(),
        Int32 => data_type::int32(),
        Int64 => data_type::int64(),
        UInt8 => data_type::uint8(),
        UInt16 => data_type::uint16(),
        UInt32 => data_type::uint32(),
        UInt64 => data_type::uint64(),
        Float16 => data_type::float16(),
        Float32 => data_type::float32(),
        Float64 => data_type::float64(),
    }
}

/// The tessera dtype of a Zarr data type, if tessera reads it.
fn dtype_of(data_type: &DataType) -> Option<DType> {
    DType::ALL
        .into_iter()
        .find(|&dtype| zarr_type(dtype) == *data_type)
}

/// The array's user attributes (without the one zarrs adds); for a v2 array, its fill value
/// as `_FillValue` too (unless the attributes have one), as xarray reads v2 stores (it writes
/// `_FillValue` there).
fn attributes(array: &Store, dtype: DType) -> serde_json::Map<String, serde_json::Value> {
    let mut attributes = array.attributes().clone();
    attributes.remove("_zarrs"); // zarrs's note of the writer's version, not the user's
    let v2 = matches!(array.metadata(), zarrs::array::ArrayMetadata::V2(_));
    if v2 && !attributes.contains_key("_FillValue") {
        let bytes = array.fill_value().as_ne_bytes();
        let fill = with_dtype!(dtype, T => (bytes.len() == std::mem::size_of::<T>()).then(|| {
            // SAFETY: zarrs checked the fill value's bytes are a value of the array's type.
            let v: T = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast()) };
            if dtype.is_float() {
                serde_json::Value::from(v.to_f64())
            } else {
                serde_json::Value::from(v.to_i64())
            }
        }));
        if let Some(fill) = fill {
            attributes.insert("_FillValue".into(), fill);
        }
    }
    attributes
}

/// Opens the array at `key` (`/`, `/group/array`) of the store at `path`.
pub(crate) fn open(path: &Path, key: &str) -> Result<(Meta, Store)> {
    let store = Arc::new(FilesystemStore::new(path).map_err(|e| io_error(path, e))?);
    let array = zarrs::array::Array::open(store, key)
        .map_err(|e| io_error(path, format!("cannot open array {key:?}: {e}")))?;
    let dtype = dtype_of(array.data_type()).ok_or_else(|| {
        io_error(
            path,
            format!(
                "array {key:?} has dtype {}, which tessera does not read ({})",
                array.data_type(),
                DType::ALL.map(DType::name).join(", ")
            ),
        )
    })?;
    let shape: Vec<usize> = array.shape().iter().map(|&n| n as usize).collect();
    let first = array
        .chunk_shape(&vec![0; shape.len()])
        .map_err(|e| io_error(path, format!("array {key:?}: {e}")))?;
    let chunk_shape = first.iter().map(|n| n.get() as usize).collect();
    Ok((
        Meta {
            dtype,
            shape,
            chunk_shape,
            attributes: attributes(&array, dtype),
        },
        array,
    ))
}

/// The values of `region` of an open array of `dtype`.
pub(crate) fn read(
    store: &Store,
    dtype: DType,
    region: &[Range<usize>],
) -> std::result::Result<ArrayData, String> {
    let subset: Vec<Range<u64>> = region
        .iter()
        .map(|r| r.start as u64..r.end as u64)
        .collect();
    let read = |e: zarrs::array::ArrayError| format!("cannot read chunk data: {e}");
    Ok(with_dtype!(dtype, T => T::wrap(
        store
            .retrieve_array_subset::<ndarray::ArrayD<T>>(&subset)
            .map_err(read)?
    )))
}

/// Creates a Zarr v3 store at `path` (an existing, empty directory) for an array of `meta`,
/// writing its metadata.
pub(crate) fn create(path: &Path, meta: &Meta, options: &ZarrOptions) -> Result<Store> {
    let store = Arc::new(FilesystemStore::new(path).map_err(|e| io_error(path, e))?);
    let shape: Vec<u64> = meta.shape.iter().map(|&n| n as u64).collect();
    let chunk_shape: Vec<u64> = meta.chunk_shape.iter().map(|&n| n.max(1) as u64).collect();
    let fill = options.fill_value;
    let fill = with_dtype!(meta.dtype, T => zarrs::array::FillValue::from(fill.cast::<T>()));
    let mut builder = ArrayBuilder::new(shape, chunk_shape, zarr_type(meta.dtype), fill);
    builder.attributes(meta.attributes.clone());
    let codec: Vec<Arc<dyn zarrs::array::BytesToBytesCodecTraits>> = match options.codec {
        ZarrCodec::None => vec![],
        ZarrCodec::Zstd { level } => {
            vec![Arc::new(zarrs::array::codec::ZstdCodec::new(level, false))]
        }
        ZarrCodec::Blosc { level } => {
            use zarrs::metadata_ext::codec::blosc::{BloscCompressor, BloscShuffleMode};
            let level = level
                .min(9)
                .try_into()
                .map_err(|_| io_error(path, "blosc level must be 0 to 9"))?;
            let blosc = zarrs::array::codec::BloscCodec::new(
                BloscCompressor::Zstd,
                level,
                None,
                BloscShuffleMode::Shuffle,
                Some(meta.dtype.itemsize()),
            )
            .map_err(|e| io_error(path, e))?;
            vec![Arc::new(blosc)]
        }
    };
    let zarr = builder
        .bytes_to_bytes_codecs(codec)
        .build(store, "/")
        .map_err(|e| io_error(path, e))?;
    zarr.store_metadata().map_err(|e| io_error(path, e))?;
    Ok(zarr)
}

/// Writes `values` into an open array at `start` (its first element's index).
pub(crate) fn write(
    store: &Store,
    start: &[usize],
    values: ArrayData,
) -> std::result::Result<(), String> {
    let subset: Vec<Range<u64>> = start
        .iter()
        .zip(values.shape())
        .map(|(&s, &n)| s as u64..(s + n) as u64)
        .collect();
    let stored = with_data!(values, a => store.store_array_subset(&subset, a));
    stored.map_err(|e| e.to_string())
}
