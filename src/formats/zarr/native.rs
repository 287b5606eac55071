//! Zarr stores read and written by this copy of the engine, with the `zarrs` crate (feature
//! `zarr`).

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use zarrs::array::{data_type, ArrayBuilder, DataType};
use zarrs::filesystem::FilesystemStore;

use super::{Meta, ZarrCodec, ZarrOptions};
use crate::data::{ArrayData, DataElement};
use crate::dtype::DType;
use crate::error::Result;
use crate::formats::io_error;

/// An open Zarr array.
pub(crate) type Store = zarrs::array::Array<FilesystemStore>;

/// The tessera dtype of a Zarr data type, if tessera reads it.
fn dtype_of(data_type: &DataType) -> Option<DType> {
    [
        (data_type::float64(), DType::Float64),
        (data_type::float32(), DType::Float32),
        (data_type::int64(), DType::Int64),
        (data_type::int32(), DType::Int32),
        (data_type::bool(), DType::Bool),
    ]
    .into_iter()
    .find(|(zarr, _)| zarr == data_type)
    .map(|(_, dtype)| dtype)
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
                "array {key:?} has dtype {}, which tessera does not read \
                 (float64, float32, int64, int32, bool)",
                array.data_type()
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
    Ok(match dtype {
        DType::Float64 => f64::wrap(
            store
                .retrieve_array_subset::<ndarray::ArrayD<f64>>(&subset)
                .map_err(read)?,
        ),
        DType::Float32 => f32::wrap(
            store
                .retrieve_array_subset::<ndarray::ArrayD<f32>>(&subset)
                .map_err(read)?,
        ),
        DType::Int64 => i64::wrap(
            store
                .retrieve_array_subset::<ndarray::ArrayD<i64>>(&subset)
                .map_err(read)?,
        ),
        DType::Int32 => i32::wrap(
            store
                .retrieve_array_subset::<ndarray::ArrayD<i32>>(&subset)
                .map_err(read)?,
        ),
        DType::Bool => bool::wrap(
            store
                .retrieve_array_subset::<ndarray::ArrayD<bool>>(&subset)
                .map_err(read)?,
        ),
    })
}

/// Creates a Zarr v3 store at `path` (an existing, empty directory) for an array of `meta`,
/// writing its metadata.
pub(crate) fn create(path: &Path, meta: &Meta, options: &ZarrOptions) -> Result<Store> {
    let store = Arc::new(FilesystemStore::new(path).map_err(|e| io_error(path, e))?);
    let shape: Vec<u64> = meta.shape.iter().map(|&n| n as u64).collect();
    let chunk_shape: Vec<u64> = meta.chunk_shape.iter().map(|&n| n.max(1) as u64).collect();
    let fill = options.fill_value;
    let mut builder = match meta.dtype {
        DType::Float64 => {
            ArrayBuilder::new(shape, chunk_shape, data_type::float64(), fill.cast::<f64>())
        }
        DType::Float32 => {
            ArrayBuilder::new(shape, chunk_shape, data_type::float32(), fill.cast::<f32>())
        }
        DType::Int64 => {
            ArrayBuilder::new(shape, chunk_shape, data_type::int64(), fill.cast::<i64>())
        }
        DType::Int32 => {
            ArrayBuilder::new(shape, chunk_shape, data_type::int32(), fill.cast::<i32>())
        }
        DType::Bool => ArrayBuilder::new(
            shape,
            chunk_shape,
            data_type::bool(),
            zarrs::array::FillValue::from(fill.cast::<bool>()),
        ),
    };
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
    let stored = match values {
        ArrayData::Float64(a) => store.store_array_subset(&subset, a),
        ArrayData::Float32(a) => store.store_array_subset(&subset, a),
        ArrayData::Int64(a) => store.store_array_subset(&subset, a),
        ArrayData::Int32(a) => store.store_array_subset(&subset, a),
        ArrayData::Bool(a) => store.store_array_subset(&subset, a),
    };
    stored.map_err(|e| e.to_string())
}
