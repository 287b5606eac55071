//! Zarr stores through the kernel's copy of the engine, for a copy built without the `zarr`
//! feature (notebook cells; see [`host`](crate::host)). Values cross as bytes: one copy of a
//! chunk more than reading it here, small beside decoding it.

#![cfg_attr(all(test, feature = "zarr"), allow(dead_code))]

use std::ops::Range;
use std::path::Path;

use serde_json::{json, Value};

use super::{Meta, ZarrOptions};
use crate::data::ArrayData;
use crate::dtype::DType;
use crate::error::{Error, Result};

/// A store the kernel's copy holds open, by handle; closed there when dropped here.
#[derive(Debug)]
pub(crate) struct Store {
    handle: u64,
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = request(json!({"op": "close", "handle": self.handle}));
    }
}

/// `request` to the kernel's Zarr service.
fn zarr_request(mut request: Value) -> Value {
    request["service"] = json!("zarr");
    request
}

fn request(request: Value) -> Result<Value> {
    crate::hostcall::call_json(&zarr_request(request), "zarr")
}

/// What a chunk read or write says went wrong (the caller names the store).
fn reason(error: Error) -> String {
    match error {
        Error::Io { reason, .. } => reason,
        other => other.to_string(),
    }
}

fn answered<T: serde::de::DeserializeOwned>(answer: &Value, key: &str) -> Result<T> {
    serde_json::from_value(answer[key].clone()).map_err(|e| Error::InvalidArgument {
        op: "zarr",
        reason: format!("the kernel's answer has no valid {key:?}: {e}"),
    })
}

pub(crate) fn open(path: &Path, key: &str) -> Result<(Meta, Store)> {
    let answer = request(json!({"op": "open", "path": path, "key": key}))?;
    Ok((
        answered(&answer, "meta")?,
        Store {
            handle: answered(&answer, "handle")?,
        },
    ))
}

pub(crate) fn read(
    store: &Store,
    dtype: DType,
    region: &[Range<usize>],
) -> std::result::Result<ArrayData, String> {
    let shape: Vec<usize> = region.iter().map(|r| r.len()).collect();
    let request = zarr_request(json!({"op": "read", "handle": store.handle, "region": region}));
    // SAFETY: the kernel's copy answers the bytes of values of the store's dtype (`service`).
    let values = unsafe {
        crate::hostcall::receive_data(dtype, &shape, |bytes| {
            let mut written = 0;
            crate::hostcall::call(
                &request,
                &[],
                &mut |piece| {
                    let end = (written + piece.len()).min(bytes.len());
                    bytes[written..end].copy_from_slice(&piece[..end - written]);
                    written += piece.len();
                },
                "zarr",
            )?;
            Ok(written)
        })
    };
    values.map_err(reason)
}

pub(crate) fn create(path: &Path, meta: &Meta, options: &ZarrOptions) -> Result<Store> {
    let answer = request(json!({"op": "create", "path": path, "meta": meta, "options": options}))?;
    Ok(Store {
        handle: answered(&answer, "handle")?,
    })
}

pub(crate) fn write(
    store: &Store,
    start: &[usize],
    values: ArrayData,
) -> std::result::Result<(), String> {
    let request = zarr_request(
        json!({"op": "write", "handle": store.handle, "start": start, "shape": values.shape()}),
    );
    crate::hostcall::with_bytes(&values, |bytes| {
        crate::hostcall::call(&request, bytes, &mut |_| {}, "zarr")
    })
    .map_err(reason)
}

#[cfg(all(test, feature = "zarr"))]
mod tests {
    //! The hosted path against the native one, in one process: this copy serves itself.

    use super::*;
    use crate::formats::ZarrCodec;

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("tessera-hosted-{}-{name}.zarr", std::process::id()))
    }

    #[test]
    fn reads_what_native_reads_and_writes_what_native_reads() {
        crate::host::install();
        let path = temp("rw");
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        let meta = Meta {
            dtype: DType::Int64,
            shape: vec![5, 4],
            chunk_shape: vec![2, 4],
            attributes: Default::default(),
        };
        let options = ZarrOptions {
            codec: ZarrCodec::Blosc { level: 3 },
            ..ZarrOptions::default()
        };
        let store = create(&path, &meta, &options).unwrap();
        for band in 0..3 {
            let rows = (band * 2)..(band * 2 + 2).min(5);
            let values = ndarray::Array2::from_shape_fn((rows.len(), 4), |(i, j)| {
                ((rows.start + i) * 10 + j) as i64
            })
            .into_dyn();
            write(&store, &[rows.start, 0], ArrayData::Int64(values)).unwrap();
        }
        drop(store);
        let (native_meta, native_store) = super::super::native::open(&path, "/").unwrap();
        let (hosted_meta, hosted_store) = open(&path, "/").unwrap();
        assert_eq!(hosted_meta, native_meta);
        assert_eq!(hosted_meta, meta);
        let region = [1..4, 1..3];
        let expected = super::super::native::read(&native_store, DType::Int64, &region).unwrap();
        let got = read(&hosted_store, DType::Int64, &region).unwrap();
        assert_eq!(got.to_array::<i64>(), expected.to_array::<i64>());
        assert_eq!(
            got.to_array::<i64>().iter().copied().collect::<Vec<_>>(),
            [11, 12, 21, 22, 31, 32]
        );
        std::fs::remove_dir_all(&path).unwrap();
    }

    #[test]
    fn errors_name_the_store() {
        crate::host::install();
        let error = open(Path::new("/nonexistent/tessera.zarr"), "/").unwrap_err();
        assert!(
            matches!(&error, Error::Io { path, .. } if path.contains("/nonexistent/tessera.zarr")),
            "{error}"
        );
        let store = Store { handle: u64::MAX };
        #[allow(clippy::single_range_in_vec_init)] // one range per axis: a 1-D region
        let error = read(&store, DType::Float64, &[0..1]).unwrap_err();
        assert!(error.contains("no open store"), "{error}");
        std::mem::forget(store);
    }
}
