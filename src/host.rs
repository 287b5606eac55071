//! Services the kernel's copy of the engine performs for the copies inside notebook cells.
//!
//! Every cell's library links its own copy of the engine, and rust-analyzer (which evcxr asks
//! for the type of each new variable) reads the source of every crate that copy depends on
//! before a kernel's first cell: zarrs alone brings 90 crates and took ~4 s of every kernel's
//! start. So cells are built with the engine's core only (`default-features = false`), and
//! what the optional features do — Zarr stores (`zarr`), `.npy` headers (`npy`), dask clusters
//! (`distributed`) — the kernel's own copy, built with all of them, does for the cells through
//! one C entry published in the process's [`SharedState`](crate::shared::SharedState).
//!
//! A request is JSON naming its service and operation, with an optional byte payload (a chunk
//! to write); the answer is bytes (JSON, or a chunk's values). Only plain data crosses: code
//! with statics of its own cannot be shared between copies (see [`runtime`](crate::runtime)).
//! Outside a kernel nothing is published, and a build without a feature reports that the
//! feature is needed.

use std::ffi::c_void;
use std::sync::atomic::Ordering;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::hostcall::error_json;
pub use crate::hostcall::{Entry, Write};

/// Publishes this copy's services for the engine's other copies in the process (the kernel's
/// cell process calls it once at start).
pub fn install() {
    crate::shared::shared()
        .host
        .store(entry as *const () as usize, Ordering::SeqCst);
}

/// The serving side: runs the request on this copy's services.
extern "C" fn entry(
    request: *const u8,
    len: usize,
    payload: *const u8,
    payload_len: usize,
    sink: *mut c_void,
    write: Write,
) -> i32 {
    // SAFETY: the caller passes `len` and `payload_len` readable bytes (a pointer of an empty
    // slice may dangle, so it is not read then).
    let (request, payload) = unsafe {
        (
            std::slice::from_raw_parts(request, len),
            if payload_len == 0 {
                &[][..]
            } else {
                std::slice::from_raw_parts(payload, payload_len)
            },
        )
    };
    let mut reply = |bytes: &[u8]| write(sink, 0, bytes.as_ptr(), bytes.len());
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let request: Value =
            serde_json::from_slice(request).map_err(|e| Error::InvalidArgument {
                op: "tessera",
                reason: format!("unreadable request: {e}"),
            })?;
        serve(&request, payload, &mut reply)
    }))
    .unwrap_or_else(|_| {
        Err(Error::InvalidArgument {
            op: "tessera",
            reason: "the kernel's engine panicked serving a cell".into(),
        })
    });
    match outcome {
        Ok(()) => 0,
        Err(error) => {
            let text = serde_json::to_vec(&error_json(&error)).expect("errors serialize");
            write(sink, 1, text.as_ptr(), text.len());
            1
        }
    }
}

/// The services this copy was built with.
fn serve(request: &Value, payload: &[u8], reply: &mut dyn FnMut(&[u8])) -> Result<()> {
    let _ = (payload, &reply); // a build without optional features serves nothing
    match request["service"].as_str().unwrap_or_default() {
        #[cfg(feature = "zarr")]
        "zarr" => crate::formats::zarr_service::serve(request, payload, reply),
        #[cfg(feature = "npy")]
        "npy" => crate::formats::npy_service(request, reply),
        #[cfg(feature = "distributed")]
        "cluster" => {
            let answer = crate::distributed::bridge::answer(request)?;
            reply(&serde_json::to_vec(&answer).expect("answers serialize"));
            Ok(())
        }
        other => Err(Error::InvalidArgument {
            op: "tessera",
            reason: format!("the kernel's engine has no service {other:?}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::hostcall::{call_json, error_from_json};

    #[test]
    fn errors_keep_their_kind_across() {
        for error in [
            Error::Cancelled,
            Error::Io {
                path: "/a.zarr".into(),
                reason: "gone".into(),
            },
            Error::Cluster {
                reason: "down".into(),
            },
        ] {
            assert_eq!(
                error_from_json(&error_json(&error)).to_string(),
                error.to_string()
            );
        }
        let other = Error::InvalidChunks {
            reason: "odd".into(),
        };
        assert_eq!(
            error_from_json(&error_json(&other)).to_string(),
            format!("tessera: {other}")
        );
    }

    #[test]
    fn unknown_services_are_errors() {
        install();
        let error = call_json(&json!({"service": "nope"}), "nope").unwrap_err();
        assert!(error.to_string().contains("no service \"nope\""), "{error}");
    }
}
