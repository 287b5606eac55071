//! The kernel's side of [`hosted`](super::hosted): cells' Zarr requests run on this copy's
//! [`native`](super::native) stores, kept here by handle until the cell's copy drops its own.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use serde_json::{json, Value};

use super::native::{self, Store};
use super::{Meta, ZarrOptions};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::formats::io_error;

/// An open store and what reading it needs.
struct Held {
    path: PathBuf,
    dtype: DType,
    store: Arc<Store>,
}

fn held() -> MutexGuard<'static, HashMap<u64, Held>> {
    static HELD: OnceLock<Mutex<HashMap<u64, Held>>> = OnceLock::new();
    HELD.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

fn keep(path: PathBuf, dtype: DType, store: Store) -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let handle = NEXT.fetch_add(1, Ordering::Relaxed);
    held().insert(
        handle,
        Held {
            path,
            dtype,
            store: Arc::new(store),
        },
    );
    handle
}

fn field<T: serde::de::DeserializeOwned>(request: &Value, key: &str) -> Result<T> {
    serde_json::from_value(request[key].clone()).map_err(|e| Error::InvalidArgument {
        op: "zarr",
        reason: format!("request field {key:?}: {e}"),
    })
}

/// The open store `request["handle"]` names (the lock is not held while it is used).
fn store(request: &Value) -> Result<(PathBuf, DType, Arc<Store>)> {
    let handle: u64 = field(request, "handle")?;
    let held = held();
    let entry = held.get(&handle).ok_or_else(|| Error::InvalidArgument {
        op: "zarr",
        reason: format!("no open store {handle}"),
    })?;
    Ok((entry.path.clone(), entry.dtype, entry.store.clone()))
}

/// Runs one request; reads answer the region's values as bytes, the others JSON.
pub(crate) fn serve(request: &Value, payload: &[u8], reply: &mut dyn FnMut(&[u8])) -> Result<()> {
    let answer = match request["op"].as_str().unwrap_or_default() {
        "open" => {
            let (path, key): (PathBuf, String) = (field(request, "path")?, field(request, "key")?);
            let (meta, store) = native::open(&path, &key)?;
            let handle = keep(path, meta.dtype, store);
            json!({"handle": handle, "meta": meta})
        }
        "read" => {
            let (path, dtype, store) = store(request)?;
            let region: Vec<Range<usize>> = field(request, "region")?;
            let values =
                native::read(&store, dtype, &region).map_err(|reason| io_error(&path, reason))?;
            crate::hostcall::with_bytes(&values, |bytes| reply(bytes));
            return Ok(());
        }
        "create" => {
            let (path, meta, options): (PathBuf, Meta, ZarrOptions) = (
                field(request, "path")?,
                field(request, "meta")?,
                field(request, "options")?,
            );
            let store = native::create(&path, &meta, &options)?;
            json!({"handle": keep(path, meta.dtype, store)})
        }
        "write" => {
            let (path, dtype, store) = store(request)?;
            let (start, shape): (Vec<usize>, Vec<usize>) =
                (field(request, "start")?, field(request, "shape")?);
            // SAFETY: the payload is the bytes of values of the store's dtype from the cell's
            // copy (`hosted::write`).
            let values = unsafe {
                crate::hostcall::receive_data(dtype, &shape, |bytes| {
                    let n = bytes.len().min(payload.len());
                    bytes[..n].copy_from_slice(&payload[..n]);
                    Ok(payload.len())
                })
            }?;
            native::write(&store, &start, values).map_err(|reason| io_error(&path, reason))?;
            Value::Null
        }
        "close" => {
            held().remove(&field::<u64>(request, "handle")?);
            Value::Null
        }
        other => {
            return Err(Error::InvalidArgument {
                op: "zarr",
                reason: format!("unknown request {other:?}"),
            })
        }
    };
    reply(&serde_json::to_vec(&answer).expect("answers serialize"));
    Ok(())
}
