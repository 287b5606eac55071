//! Clusters from notebook cells. Cells are built without the `distributed` feature: embedding
//! Python in every cell's library doubled a cell's compile time. The kernel's own copy of the
//! engine has it and serves the cells' copies (see [`host`](crate::host)); a cell's `Client`
//! sends it requests as plain data (JSON: the plan, handles of clients and futures) and gets
//! plain data back, as every crossing between copies of the engine must be.

use std::time::Duration;

use serde_json::{json, Value};

use super::ClientInfo;
use crate::data::{ArrayData, Computed};
use crate::error::{Error, Result};
use crate::future::{Status, Work};

/// Sends `request` to the kernel's cluster service; its answer.
pub(crate) fn call(request: &Value) -> Result<Value> {
    let mut request = request.clone();
    request["service"] = json!("cluster");
    crate::hostcall::call_json(&request, "distributed").map_err(|error| match error {
        Error::InvalidArgument { reason, .. } => Error::Cluster { reason },
        other => other,
    })
}

/// A dask client held by the kernel, by handle.
pub(crate) struct BridgeClient {
    handle: u64,
}

#[cfg_attr(feature = "distributed", allow(dead_code))]
impl BridgeClient {
    pub(crate) fn connect(address: &str) -> Result<BridgeClient> {
        Ok(BridgeClient {
            handle: handle(&call(&json!({"op": "connect", "address": address}))?)?,
        })
    }

    pub(crate) fn local_cluster(n_workers: usize) -> Result<BridgeClient> {
        Ok(BridgeClient {
            handle: handle(&call(
                &json!({"op": "local_cluster", "workers": n_workers}),
            )?)?,
        })
    }

    pub(crate) fn info(&self) -> ClientInfo {
        match call(&json!({"op": "info", "client": self.handle})) {
            Ok(v) => ClientInfo {
                scheduler: v["scheduler"].as_str().unwrap_or_default().to_string(),
                workers: v["workers"].as_u64().unwrap_or(0) as usize,
                threads: v["threads"].as_u64().unwrap_or(0) as usize,
                memory: v["memory"].as_u64().unwrap_or(0),
                dashboard: v["dashboard"].as_str().map(str::to_string),
            },
            Err(e) => ClientInfo {
                scheduler: format!("unreachable ({e})"),
                workers: 0,
                threads: 0,
                memory: 0,
                dashboard: None,
            },
        }
    }

    /// Starts computing `array` in the kernel's client; a failure to send it (a closure in the
    /// plan) is the future's error.
    pub(crate) fn compute(&self, key: &str, array: &crate::Array) -> std::sync::Arc<dyn Work> {
        let started = array.node().and_then(|node| {
            let plan = serde_json::to_value(&**node).map_err(|e| Error::Cluster {
                reason: e.to_string(),
            })?;
            handle(&call(
                &json!({"op": "compute", "client": self.handle, "key": key, "plan": plan}),
            )?)
        });
        match started {
            Ok(future) => std::sync::Arc::new(BridgeWork { future }),
            Err(error) => crate::future::LocalWork::spawn(key, move || Err(error)),
        }
    }
}

impl Drop for BridgeClient {
    fn drop(&mut self) {
        let _ = call(&json!({"op": "close", "client": self.handle}));
    }
}

fn handle(answer: &Value) -> Result<u64> {
    answer["handle"].as_u64().ok_or_else(|| Error::Cluster {
        reason: format!("no handle in the kernel's answer {answer}"),
    })
}

/// A future held by the kernel, by handle.
struct BridgeWork {
    future: u64,
}

impl Work for BridgeWork {
    fn status(&self) -> Status {
        let answer = call(&json!({"op": "status", "future": self.future}));
        match answer.as_ref().ok().and_then(|v| v["status"].as_str()) {
            Some("running") => Status::Running,
            Some("finished") => Status::Finished,
            Some("error") => Status::Error,
            Some("cancelled") => Status::Cancelled,
            _ => Status::Pending,
        }
    }

    fn wait(&self, timeout: Duration) -> Option<Result<Computed>> {
        match call(
            &json!({"op": "wait", "future": self.future, "timeout_ms": timeout.as_millis() as u64}),
        ) {
            Ok(Value::Null) => None,
            Ok(values) => Some(
                serde_json::from_value::<ArrayData>(values)
                    .map(Computed::new)
                    .map_err(|e| Error::Cluster {
                        reason: e.to_string(),
                    }),
            ),
            Err(error) => Some(Err(error)),
        }
    }

    fn cancel(&self) {
        let _ = call(&json!({"op": "cancel", "future": self.future}));
    }
}

impl Drop for BridgeWork {
    fn drop(&mut self) {
        let _ = call(&json!({"op": "forget", "future": self.future}));
    }
}
