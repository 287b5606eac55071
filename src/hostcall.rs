//! Calling the kernel's copy of the engine from a copy inside a notebook cell: the calling half
//! of [`host`](crate::host) (which serves). A leaf: formats and the client reach the kernel's
//! services through it without depending on what serves them.

use std::ffi::c_void;
use std::sync::atomic::Ordering;

use serde_json::{json, Value};

use crate::data::{ArrayData, DataElement};
use crate::dtype::{with_dtype, DType, Element};
use crate::error::{Error, Result};

/// Passes `len` bytes at `bytes` to the caller collecting at `sink`: part of the answer, or,
/// when `error` is 1, of the error (JSON, see [`error_json`]).
pub type Write = extern "C" fn(sink: *mut c_void, error: i32, bytes: *const u8, len: usize);

/// The entry: a JSON `request` and a `payload`, both as bytes; the answer is written through
/// `write(sink, ..)`. Returns 0, or 1 when it failed (the error was written).
pub type Entry = extern "C" fn(
    request: *const u8,
    len: usize,
    payload: *const u8,
    payload_len: usize,
    sink: *mut c_void,
    write: Write,
) -> i32;

/// Whether another copy's services are published (running in a kernel).
#[allow(dead_code)] // used by the builds without one feature or another
pub(crate) fn available() -> bool {
    crate::shared::shared().host.load(Ordering::SeqCst) != 0
}

/// Sends `request` (with its `service`) and `payload` to the published entry; its answer is
/// passed to `receive` piece by piece.
///
/// **Errors**: nothing is published (`missing` says which feature a build needs instead), or
/// the service failed (its error, as it was on the other side).
pub(crate) fn call(
    request: &Value,
    payload: &[u8],
    receive: &mut dyn FnMut(&[u8]),
    missing: &str,
) -> Result<()> {
    let address = crate::shared::shared().host.load(Ordering::SeqCst);
    if address == 0 {
        return Err(Error::InvalidArgument {
            op: "tessera",
            reason: format!(
                "this build of tessera has no {missing} support (enable its `{missing}` feature)"
            ),
        });
    }
    // SAFETY: the address was published by `install` from an `Entry` of the kernel's copy of
    // the engine, which lives as long as the process.
    let entry: Entry = unsafe { std::mem::transmute::<usize, Entry>(address) };
    let bytes = serde_json::to_vec(request).expect("requests serialize");
    let mut failure: Vec<u8> = Vec::new();
    let mut sink = Sink {
        receive,
        failure: &mut failure,
    };
    let status = entry(
        bytes.as_ptr(),
        bytes.len(),
        payload.as_ptr(),
        payload.len(),
        &mut sink as *mut Sink as *mut c_void,
        collect,
    );
    if status == 0 {
        return Ok(());
    }
    let value: Value = serde_json::from_slice(&failure)
        .unwrap_or_else(|_| json!({"message": String::from_utf8_lossy(&failure)}));
    Err(error_from_json(&value))
}

/// [`call`] for a JSON answer.
pub(crate) fn call_json(request: &Value, missing: &str) -> Result<Value> {
    let mut answer = Vec::new();
    call(
        request,
        &[],
        &mut |bytes| answer.extend_from_slice(bytes),
        missing,
    )?;
    serde_json::from_slice(&answer).map_err(|e| Error::InvalidArgument {
        op: "tessera",
        reason: format!("unreadable answer from the kernel: {e}"),
    })
}

/// Where an answer goes on the calling side: to the caller's `receive`, an error to its text.
struct Sink<'a> {
    receive: &'a mut dyn FnMut(&[u8]),
    failure: &'a mut Vec<u8>,
}

extern "C" fn collect(sink: *mut c_void, error: i32, bytes: *const u8, len: usize) {
    // SAFETY: `sink` is the `Sink` that `call` passed, alive for the call; `bytes` is `len`
    // readable bytes from the entry (a pointer of an empty slice may dangle: not read then).
    let (sink, bytes) = unsafe {
        (
            &mut *(sink as *mut Sink),
            if len == 0 {
                &[][..]
            } else {
                std::slice::from_raw_parts(bytes, len)
            },
        )
    };
    if error != 0 {
        sink.failure.extend_from_slice(bytes);
    } else {
        (sink.receive)(bytes);
    }
}

/// An error as data: the variants the services produce keep their kind.
pub(crate) fn error_json(error: &Error) -> Value {
    match error {
        Error::Cancelled => json!({"kind": "cancelled"}),
        Error::Io { path, reason } => json!({"kind": "io", "path": path, "reason": reason}),
        Error::Cluster { reason } => json!({"kind": "cluster", "reason": reason}),
        other => json!({"message": other.to_string()}),
    }
}

pub(crate) fn error_from_json(value: &Value) -> Error {
    let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
    match value["kind"].as_str() {
        Some("cancelled") => Error::Cancelled,
        Some("io") => Error::Io {
            path: text("path"),
            reason: text("reason"),
        },
        Some("cluster") => Error::Cluster {
            reason: text("reason"),
        },
        _ => Error::InvalidArgument {
            op: "tessera",
            reason: text("message"),
        },
    }
}

/// Runs `f` with the bytes of `data`'s values in C order (native byte order), as values cross
/// between copies.
pub(crate) fn with_bytes<R>(data: &ArrayData, f: impl FnOnce(&[u8]) -> R) -> R {
    crate::data::with_data!(data, a => match a.as_slice() {
        Some(values) => f(as_bytes(values)),
        None => f(as_bytes(
            a.as_standard_layout()
                .as_slice()
                .expect("a standard layout is contiguous"),
        )),
    })
}

fn as_bytes<T: Element>(values: &[T]) -> &[u8] {
    // SAFETY: every `Element` (bool, the integers, f16, f32, f64) is plain data without padding.
    unsafe {
        std::slice::from_raw_parts(values.as_ptr() as *const u8, std::mem::size_of_val(values))
    }
}

/// An array of `dtype` and `shape` whose values `fill` writes as bytes (C order); `fill`
/// returns how many it wrote, which must be all of them.
///
/// # Safety
///
/// `fill` writes valid values of `dtype` (for bool only 0 and 1), as the bytes another copy's
/// [`with_bytes`] gave for values of that dtype are.
pub(crate) unsafe fn receive_data(
    dtype: DType,
    shape: &[usize],
    fill: impl FnOnce(&mut [u8]) -> Result<usize>,
) -> Result<ArrayData> {
    with_dtype!(dtype, T => {
        let mut values = vec![T::default(); shape.iter().product()];
        // SAFETY: plain data as in `as_bytes`; the caller guarantees the values written are valid.
        let bytes = unsafe {
            std::slice::from_raw_parts_mut(
                values.as_mut_ptr().cast::<u8>(),
                std::mem::size_of_val(&values[..]),
            )
        };
        let expected = bytes.len();
        let written = fill(bytes)?;
        if written != expected {
            return Err(Error::InvalidArgument {
                op: "tessera",
                reason: format!(
                    "the kernel's engine answered {written} bytes where {expected} were expected"
                ),
            });
        }
        Ok(T::wrap(
            ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(shape), values)
                .expect("the length is the shape's"),
        ))
    })
}
